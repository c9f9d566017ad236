#include "display/video_output.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>
#include <string_view>

namespace tablo::display {
namespace {

[[noreturn]] void sdl_failed(const std::string& what) { throw std::runtime_error(what + ": " + SDL_GetError()); }

void use_software_renderer() {
  // Without this SDL shows a software frame through an OpenGL texture: slow on llvmpipe.
  SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
  SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
}

// The OpenGL driver behind an OpenGL renderer ("llvmpipe (LLVM 15.0.6, 256 bits)"), when it
// says one: its GL_RENDERER string, read from the renderer's own context.
std::string gl_driver(SDL_Renderer* renderer) {
  SDL_RendererInfo info{};
  SDL_GetRendererInfo(renderer, &info);
  const std::string_view name = info.name ? info.name : "";
  if (!name.starts_with("opengl")) return {};
  using GetString = const unsigned char* (*)(unsigned int);
  auto get_string = reinterpret_cast<GetString>(SDL_GL_GetProcAddress("glGetString"));
  constexpr unsigned int gl_renderer = 0x1F01;
  const unsigned char* text = get_string ? get_string(gl_renderer) : nullptr;
  return text ? reinterpret_cast<const char*>(text) : "";
}

// Mesa's rasterisers that run on the CPU: an OpenGL renderer on them costs about ten times
// SDL's software renderer for the same board (docs/BENCHMARKS.md).
bool software_gl(std::string_view driver) {
  for (std::string_view cpu : {"llvmpipe", "softpipe", "swrast", "Software Rasterizer"}) {
    if (driver.find(cpu) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

VideoOutput::VideoOutput(const OutputOptions& options) : options_(options) {
  std::string renderer = options.renderer;
  if (renderer == "auto" && options.headless) renderer = "software";
  if (renderer == "software") {
    use_software_renderer();
  } else if (renderer != "auto") {
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, renderer.c_str());
  }
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
  // "auto" means the GPU when there is one. A mini-PC whose GPU driver is missing or broken
  // gets OpenGL on the CPU instead, the slowest way to draw: then the software renderer.
  if (renderer == "auto") {
    if (const auto driver = gl_driver(renderer_); software_gl(driver)) {
      SDL_DestroyRenderer(renderer_);
      use_software_renderer();
      renderer_ = SDL_CreateRenderer(window_, -1, renderer_flags);
      if (!renderer_) sdl_failed("cannot create the software renderer");
      spdlog::warn("OpenGL here is {}, which draws on the CPU (no GPU driver): drawing with SDL's software renderer "
                   "instead, about ten times cheaper; install the GPU's driver (or set display.renderer = "
                   "\"opengl\" to keep OpenGL anyway)",
                   driver);
    }
  }
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
