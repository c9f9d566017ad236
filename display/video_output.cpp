#include "display/video_output.hpp"

#include <stdexcept>

namespace tablo::display {
namespace {

[[noreturn]] void sdl_failed(const std::string& what) { throw std::runtime_error(what + ": " + SDL_GetError()); }

}  // namespace

VideoOutput::VideoOutput(const OutputOptions& options) : options_(options) {
  std::string renderer = options.renderer;
  if (renderer == "auto" && options.headless) renderer = "software";
  if (renderer == "software") {
    // Without this SDL shows a software frame through an OpenGL texture: slow on llvmpipe.
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
  }
  if (renderer != "auto") SDL_SetHint(SDL_HINT_RENDER_DRIVER, renderer.c_str());
  SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
  SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");

  Uint32 flags = SDL_WINDOW_SHOWN;
  if (options.fullscreen && !options.headless) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
  if (!options.fullscreen && !options.headless) flags |= SDL_WINDOW_RESIZABLE;
  window_ = SDL_CreateWindow("tablo", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, options.width, options.height,
                             flags);
  if (!window_) sdl_failed("cannot open a window");
  if (!options.headless) SDL_ShowCursor(SDL_DISABLE);

  Uint32 renderer_flags = options.headless ? 0 : SDL_RENDERER_PRESENTVSYNC;
  renderer_ = SDL_CreateRenderer(window_, -1, renderer_flags);
  if (!renderer_) sdl_failed("cannot create the '" + renderer + "' renderer");
  resized();
}

VideoOutput::~VideoOutput() {
  rotated_.reset();
  if (renderer_) SDL_DestroyRenderer(renderer_);
  if (window_) SDL_DestroyWindow(window_);
}

void VideoOutput::resized() {
  if (SDL_GetRendererOutputSize(renderer_, &out_w_, &out_h_) != 0) sdl_failed("cannot read the output size");
  canvas_ = canvas_for(out_w_, out_h_, options_.rotation);
  rotated_.reset();
  if (options_.rotation != 0) {
    rotated_.reset(SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, canvas_.w,
                                     canvas_.h));
    if (!rotated_) sdl_failed("cannot create the canvas for a rotated screen");
  }
}

std::string VideoOutput::describe() const {
  SDL_RendererInfo info{};
  SDL_GetRendererInfo(renderer_, &info);
  return std::to_string(out_w_) + "×" + std::to_string(out_h_) + ", rotation " + std::to_string(options_.rotation) +
         ", " + (info.name ? info.name : "?") + " renderer, " + SDL_GetCurrentVideoDriver() + " video";
}

void VideoOutput::begin_frame() { SDL_SetRenderTarget(renderer_, rotated_.get()); }

void VideoOutput::finish_frame() {
  if (!rotated_) return;
  SDL_SetRenderTarget(renderer_, nullptr);
  SDL_Rect dst{(out_w_ - canvas_.w) / 2, (out_h_ - canvas_.h) / 2, canvas_.w, canvas_.h};
  SDL_RenderCopyEx(renderer_, rotated_.get(), nullptr, &dst, options_.rotation, nullptr, SDL_FLIP_NONE);
}

media::Image VideoOutput::capture() const {
  media::Image image{out_w_, out_h_, {}};
  image.rgba.resize(static_cast<std::size_t>(out_w_) * out_h_ * 4);
  // ABGR8888 is R, G, B, A in memory order on little-endian machines.
  if (SDL_RenderReadPixels(renderer_, nullptr, SDL_PIXELFORMAT_ABGR8888, image.rgba.data(), out_w_ * 4) != 0) {
    sdl_failed("cannot read back the screen");
  }
  // The window has no alpha channel; what the hall sees is opaque.
  for (std::size_t i = 3; i < image.rgba.size(); i += 4) image.rgba[i] = 255;
  return image;
}

void VideoOutput::present() { SDL_RenderPresent(renderer_); }

}  // namespace tablo::display
