#include "display/picture_texture.hpp"

extern "C" {
#include <libavutil/pixdesc.h>
}

#include "media/image.hpp"
#include "media/picture_convert.hpp"

namespace tablo::display {
namespace {

// FFmpeg formats an SDL texture takes as they are. SDL's packed names count bits from the
// top of a little-endian word, so FFmpeg's byte order RGBA is SDL's ABGR8888.
Uint32 sdl_format_of(int format) {
  switch (format) {
    case AV_PIX_FMT_YUV420P:
    case AV_PIX_FMT_YUVJ420P: return SDL_PIXELFORMAT_IYUV;
    case AV_PIX_FMT_NV12: return SDL_PIXELFORMAT_NV12;
    case AV_PIX_FMT_NV21: return SDL_PIXELFORMAT_NV21;
    case AV_PIX_FMT_YUYV422: return SDL_PIXELFORMAT_YUY2;
    case AV_PIX_FMT_UYVY422: return SDL_PIXELFORMAT_UYVY;
    case AV_PIX_FMT_RGBA: return SDL_PIXELFORMAT_ABGR8888;
    case AV_PIX_FMT_BGRA: return SDL_PIXELFORMAT_ARGB8888;
    case AV_PIX_FMT_RGB0: return SDL_PIXELFORMAT_XBGR8888;
    case AV_PIX_FMT_BGR0: return SDL_PIXELFORMAT_XRGB8888;
    case AV_PIX_FMT_RGB24: return SDL_PIXELFORMAT_RGB24;
    case AV_PIX_FMT_BGR24: return SDL_PIXELFORMAT_BGR24;
    default: return SDL_PIXELFORMAT_UNKNOWN;
  }
}

SDL_YUV_CONVERSION_MODE sdl_mode_of(media::ColorMatrix m) {
  switch (m) {
    case media::ColorMatrix::bt601: return SDL_YUV_CONVERSION_BT601;
    case media::ColorMatrix::jpeg: return SDL_YUV_CONVERSION_JPEG;
    default: return SDL_YUV_CONVERSION_BT709;
  }
}

bool is_yuv(Uint32 f) { return SDL_ISPIXELFORMAT_FOURCC(f); }

}  // namespace

void PictureTexture::ensure_texture(Uint32 format, int width, int height) {
  if (texture_ && format == format_ && width == width_ && height == height_) return;
  texture_.reset(SDL_CreateTexture(renderer_, format, SDL_TEXTUREACCESS_STREAMING, width, height));
  if (!texture_) {
    throw media::MediaError("cannot make a " + std::string(SDL_GetPixelFormatName(format)) + " texture of " +
                            std::to_string(width) + "×" + std::to_string(height) + ": " + SDL_GetError());
  }
  if (!is_yuv(format)) SDL_SetTextureBlendMode(texture_.get(), SDL_BLENDMODE_BLEND);
  format_ = format;
  width_ = width;
  height_ = height;
}

void PictureTexture::upload(const AVFrame& picture) {
  const Uint32 format = sdl_format_of(picture.format);
  // The decoder's thread converts what SDL cannot show exactly (media/picture_convert).
  if (format == SDL_PIXELFORMAT_UNKNOWN || !media::screen_takes(picture)) {
    const char* name = av_get_pix_fmt_name(static_cast<AVPixelFormat>(picture.format));
    throw media::MediaError(std::string("a picture of pixel format ") + (name ? name : "?") +
                            " reached the screen unconverted");
  }
  ensure_texture(format, picture.width, picture.height);
  matrix_ = media::color_matrix_of(picture);
  SDL_SetYUVConversionMode(sdl_mode_of(matrix_));  // the software renderer converts here
  int ok = 0;
  if (format == SDL_PIXELFORMAT_IYUV) {
    ok = SDL_UpdateYUVTexture(texture_.get(), nullptr, picture.data[0], picture.linesize[0], picture.data[1],
                              picture.linesize[1], picture.data[2], picture.linesize[2]);
  } else if (format == SDL_PIXELFORMAT_NV12 || format == SDL_PIXELFORMAT_NV21) {
    ok = SDL_UpdateNVTexture(texture_.get(), nullptr, picture.data[0], picture.linesize[0], picture.data[1],
                             picture.linesize[1]);
  } else {
    ok = SDL_UpdateTexture(texture_.get(), nullptr, picture.data[0], picture.linesize[0]);
  }
  if (ok != 0) throw media::MediaError(std::string("cannot update the picture's texture: ") + SDL_GetError());
}

void PictureTexture::draw(Rect region, const media::VideoInfo& info, bool fill) const {
  if (!texture_) return;
  const Rect upright = place_picture(region, width_, height_, info.sample_aspect, info.rotation, fill);
  // SDL turns around the rectangle's centre, so the unturned rectangle has the sides swapped.
  SDL_Rect dst{upright.x, upright.y, upright.w, upright.h};
  if (info.rotation % 180 != 0) {
    dst = SDL_Rect{upright.x + (upright.w - upright.h) / 2, upright.y + (upright.h - upright.w) / 2, upright.h,
                   upright.w};
  }
  const SDL_Rect clip{region.x, region.y, region.w, region.h};
  const bool clipped = fill && !(upright.w <= region.w && upright.h <= region.h);
  if (clipped) SDL_RenderSetClipRect(renderer_, &clip);
  SDL_SetYUVConversionMode(sdl_mode_of(matrix_));  // GPU renderers convert here
  if (info.rotation == 0) {
    SDL_RenderCopy(renderer_, texture_.get(), nullptr, &dst);
  } else {
    SDL_RenderCopyEx(renderer_, texture_.get(), nullptr, &dst, info.rotation, nullptr, SDL_FLIP_NONE);
  }
  if (clipped) SDL_RenderSetClipRect(renderer_, nullptr);
}

}  // namespace tablo::display
