#include "display/sdl_output.hpp"

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

void SdlOutput::fill(Rect r, config::Color c) {
  SDL_SetRenderDrawColor(renderer_, c.r, c.g, c.b, c.a);
  const SDL_Rect rect = sdl_rect(r);
  SDL_RenderFillRect(renderer_, &rect);
}

ImagePtr SdlOutput::text_image(const SDL_Surface& rendered, bool opaque) {
  auto image = std::make_unique<SdlImage>();
  image->texture.reset(SDL_CreateTextureFromSurface(renderer_, const_cast<SDL_Surface*>(&rendered)));
  if (!image->texture) return nullptr;
  if (opaque) SDL_SetTextureBlendMode(image->texture.get(), SDL_BLENDMODE_NONE);
  image->width = rendered.w;
  image->height = rendered.h;
  return image;
}

void SdlOutput::upload(ImagePtr& picture, const AVFrame& frame) {
  const Uint32 format = sdl_format_of(frame.format);
  // The decoder's thread converts what SDL cannot show exactly (media/picture_convert).
  if (format == SDL_PIXELFORMAT_UNKNOWN || !media::screen_takes(frame)) {
    const char* name = av_get_pix_fmt_name(static_cast<AVPixelFormat>(frame.format));
    throw media::MediaError(std::string("a picture of pixel format ") + (name ? name : "?") +
                            " reached the screen unconverted");
  }
  auto* image = static_cast<SdlImage*>(picture.get());
  if (!image || image->format != format || image->width != frame.width || image->height != frame.height) {
    auto made = std::make_unique<SdlImage>();
    made->texture.reset(SDL_CreateTexture(renderer_, format, SDL_TEXTUREACCESS_STREAMING, frame.width, frame.height));
    if (!made->texture) {
      picture.reset();
      throw media::MediaError("cannot make a " + std::string(SDL_GetPixelFormatName(format)) + " texture of " +
                              std::to_string(frame.width) + "×" + std::to_string(frame.height) + ": " + SDL_GetError());
    }
    if (!is_yuv(format)) SDL_SetTextureBlendMode(made->texture.get(), SDL_BLENDMODE_BLEND);
    made->format = format;
    made->width = frame.width;
    made->height = frame.height;
    image = made.get();
    picture = std::move(made);
  }
  image->matrix = media::color_matrix_of(frame);
  SDL_SetYUVConversionMode(sdl_mode_of(image->matrix));  // the software renderer converts here
  SDL_Texture* texture = image->texture.get();
  int ok = 0;
  if (format == SDL_PIXELFORMAT_IYUV) {
    ok = SDL_UpdateYUVTexture(texture, nullptr, frame.data[0], frame.linesize[0], frame.data[1], frame.linesize[1],
                              frame.data[2], frame.linesize[2]);
  } else if (format == SDL_PIXELFORMAT_NV12 || format == SDL_PIXELFORMAT_NV21) {
    ok = SDL_UpdateNVTexture(texture, nullptr, frame.data[0], frame.linesize[0], frame.data[1], frame.linesize[1]);
  } else {
    ok = SDL_UpdateTexture(texture, nullptr, frame.data[0], frame.linesize[0]);
  }
  if (ok != 0) throw media::MediaError(std::string("cannot update the picture's texture: ") + SDL_GetError());
}

void SdlOutput::draw(const OutputImage& image, Rect upright, int rotation, const Rect* clip) {
  const auto& sdl_image = static_cast<const SdlImage&>(image);
  // SDL turns around the rectangle's centre, so the unturned rectangle has the sides swapped.
  SDL_Rect dst = sdl_rect(upright);
  if (rotation % 180 != 0) {
    dst = SDL_Rect{upright.x + (upright.w - upright.h) / 2, upright.y + (upright.h - upright.w) / 2, upright.h,
                   upright.w};
  }
  if (clip) set_clip(clip);
  if (is_yuv(sdl_image.format)) SDL_SetYUVConversionMode(sdl_mode_of(sdl_image.matrix));  // GPU renderers convert here
  if (rotation == 0) {
    SDL_RenderCopy(renderer_, sdl_image.texture.get(), nullptr, &dst);
  } else {
    SDL_RenderCopyEx(renderer_, sdl_image.texture.get(), nullptr, &dst, rotation, nullptr, SDL_FLIP_NONE);
  }
  if (clip) set_clip(nullptr);
}

}  // namespace tablo::display
