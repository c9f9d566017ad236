#pragma once
// A decoded picture on its way to the screen: kept in an SDL texture of the decoder's own
// format (YUV 4:2:0 planar, NV12, packed RGB), so the screen's thread does not convert it; the
// decoder's thread has already converted what SDL cannot show exactly (media/picture_convert).
// Draws the picture upright, fitted or filling its region, with the colour matrix it carries.
#include <SDL.h>

#include "display/layout.hpp"
#include "display/text_cache.hpp"
#include "media/ffmpeg_handles.hpp"
#include "media/video_decoder.hpp"

namespace tablo::display {

class PictureTexture {
 public:
  explicit PictureTexture(SDL_Renderer* renderer) : renderer_(renderer) {}

  // Replaces the texture's picture. Throws media::MediaError when SDL cannot take it as it is
  // (media::screen_takes is false: it did not come through media::ready_for_screen).
  void upload(const AVFrame& picture);
  // Draws the last uploaded picture into `region`; nothing before the first upload.
  void draw(Rect region, const media::VideoInfo& info, bool fill) const;
  bool empty() const { return !texture_; }

 private:
  void ensure_texture(Uint32 format, int width, int height);

  SDL_Renderer* renderer_;
  TexturePtr texture_;
  Uint32 format_ = 0;
  int width_ = 0, height_ = 0;
  media::ColorMatrix matrix_ = media::ColorMatrix::bt709;
};

}  // namespace tablo::display
