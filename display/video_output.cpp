#include "display/video_output.hpp"

#include <SDL.h>

#include <stdexcept>

#include "display/sdl_output.hpp"

namespace tablo::display {

media::Image ReadBack::image() const {
  media::Image image{width, height, {}};
  const std::size_t count = static_cast<std::size_t>(width) * height;
  image.rgba.resize(count * 4);
  std::uint8_t* out = image.rgba.data();
  const std::uint8_t* in = pixels.data();
  // The window's usual formats by hand: SDL_ConvertPixels shares state with the screen's thread.
  if (format == SDL_PIXELFORMAT_RGB888 || format == SDL_PIXELFORMAT_ARGB8888) {  // B, G, R, x in memory
    for (std::size_t i = 0; i < count; ++i, in += 4, out += 4) out[0] = in[2], out[1] = in[1], out[2] = in[0], out[3] = 255;
  } else if (format == SDL_PIXELFORMAT_BGR888 || format == SDL_PIXELFORMAT_ABGR8888) {  // R, G, B, x
    for (std::size_t i = 0; i < count; ++i, in += 4, out += 4) out[0] = in[0], out[1] = in[1], out[2] = in[2], out[3] = 255;
  } else {
    throw std::runtime_error(std::string("cannot turn a frame of pixel format ") + SDL_GetPixelFormatName(format) +
                             " into a screenshot");
  }
  return image;
}

std::unique_ptr<VideoOutput> open_video_output(const OutputOptions& options) {
  return std::make_unique<SdlOutput>(options);
}

}  // namespace tablo::display
