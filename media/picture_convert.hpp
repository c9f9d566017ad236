#pragma once
// Pictures made ready for the screen on the decoder's thread, before they enter its FrameQueue.
// SDL's textures show exactly: 8-bit 4:2:0 YUV (planar, NV12/NV21) and packed 4:2:2 YUV in
// BT.601 or BT.709 at limited range or BT.601 at full range (JPEG), and packed 8-bit RGB(A).
// Any other picture — 10-bit, 4:2:2 or 4:4:4 planar, full-range BT.709, BT.2020, 16-bit PNG,
// palettes — is converted here by swscale with its own matrix and range, so the screen's thread
// only uploads what it is given.
#include <cstdint>
#include <filesystem>

#include "media/ffmpeg_handles.hpp"

namespace tablo::media {

// The longest side a still picture is kept at (display.media.still_max_side): bigger ones are
// scaled down on the decoder's thread, their shape kept, so a 9000×9000 PNG does not sit in
// the frame queue and a texture at full size. Set once at the screen's start.
void set_still_max_side(int pixels);
// The most pixels a still may have to be decoded at all: nine times a still_max_side square
// (three times its side each way: 11520×11520 at the default). A bigger one would take more
// memory than a screen has just to be decoded, before it could be scaled down (12000×12000
// RGB: 412 MiB), so the decoder refuses it before it decodes it.
std::int64_t still_most_pixels();

// Whether the screen's textures show `picture` exactly as it is (format and colour encoding).
bool screen_takes(const AVFrame& picture);

// `picture` itself when the screen takes it as it is and, for a still, it fits the still limit;
// otherwise a converted copy: 8-bit 4:2:0 YUV in the picture's own BT.601 or BT.709 (limited
// range, or full-range BT.601), or RGBA for RGB, grey, alpha, palettes and other matrices.
// `file` names the picture in the log's one warning about colours that cannot be shown as
// meant (BT.2020's wider gamut, HDR). Throws MediaError when swscale cannot convert it.
FramePtr ready_for_screen(FramePtr picture, const std::filesystem::path& file, bool still);

}  // namespace tablo::media
