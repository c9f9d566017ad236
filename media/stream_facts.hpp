#pragma once
// What FFmpeg's headers say about a file, read the same way by the screens' decoder and the
// hub's probe of uploads, so both agree on what is a still and which way is up.
extern "C" {
#include <libavformat/avformat.h>
}

namespace tablo::media {

// Demuxers that read one picture per file (a JPEG, a PNG…).
bool is_still_format(const AVInputFormat& format);

// The turn, clockwise in degrees (0, 90, 180, 270), that makes the stream's pictures upright.
int rotation_of(const AVStream& stream);

}  // namespace tablo::media
