#include "display/sdl_output.hpp"

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

// Where the part `r` of the upright canvas lands on the output, once the canvas is turned by
// `rotation` degrees clockwise about the output's centre.
Rect on_output(Rect r, Rect canvas, int out_w, int out_h, int rotation) {
  const bool sideways = rotation % 180 != 0;
  const int x0 = (out_w - (sideways ? canvas.h : canvas.w)) / 2, y0 = (out_h - (sideways ? canvas.w : canvas.h)) / 2;
  switch (rotation) {
    case 90: return Rect{x0 + canvas.h - r.y - r.h, y0 + r.x, r.h, r.w};
    case 180: return Rect{x0 + canvas.w - r.x - r.w, y0 + canvas.h - r.y - r.h, r.w, r.h};
    case 270: return Rect{x0 + r.y, y0 + canvas.w - r.x - r.w, r.h, r.w};
    default: return Rect{x0 + r.x, y0 + r.y, r.w, r.h};
  }
}

}  // namespace

SdlOutput::SdlOutput(const OutputOptions& options) : options_(options) {
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
  SDL_RendererInfo info{};
  SDL_GetRendererInfo(renderer_, &info);
  software_ = info.name && std::string_view(info.name) == "software";
  resized();
}

SdlOutput::~SdlOutput() {
  canvas_texture_.reset();
  if (renderer_) SDL_DestroyRenderer(renderer_);
  if (window_) SDL_DestroyWindow(window_);
}

void SdlOutput::resized() {
  if (SDL_GetRendererOutputSize(renderer_, &out_w_, &out_h_) != 0) sdl_failed("cannot read the output size");
  canvas_ = canvas_for(out_w_, out_h_, options_.rotation);
  changed_ = canvas_;
  canvas_texture_.reset();
  if (options_.rotation != 0 || !software_) {
    canvas_texture_.reset(SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, canvas_.w,
                                            canvas_.h));
    if (!canvas_texture_) sdl_failed("cannot create the screen's canvas");
    SDL_SetTextureBlendMode(canvas_texture_.get(), SDL_BLENDMODE_NONE);
  }
}

std::string SdlOutput::describe() const {
  SDL_RendererInfo info{};
  SDL_GetRendererInfo(renderer_, &info);
  const std::string driver = gl_driver(renderer_);
  return std::to_string(out_w_) + "×" + std::to_string(out_h_) + ", rotation " + std::to_string(options_.rotation) +
         ", " + (info.name ? info.name : "?") + " renderer" + (driver.empty() ? "" : " on " + driver) + ", " +
         SDL_GetCurrentVideoDriver() + " video";
}

void SdlOutput::begin_frame(Rect changed) {
  changed_ = changed;
  SDL_SetRenderTarget(renderer_, canvas_texture_.get());
  set_clip(nullptr);
}

// The frame's own clip (what changed), cut further to `clip` when one is given.
void SdlOutput::set_clip(const Rect* clip) {
  if (!clip && changed_ == canvas_) {
    SDL_RenderSetClipRect(renderer_, nullptr);
    return;
  }
  SDL_Rect cut = sdl_rect(changed_);
  if (clip) {
    const SDL_Rect asked = sdl_rect(*clip);
    if (!SDL_IntersectRect(&cut, &asked, &cut)) cut = SDL_Rect{0, 0, 0, 0};
  }
  SDL_RenderSetClipRect(renderer_, &cut);
}

void SdlOutput::finish_frame() {
  SDL_RenderSetClipRect(renderer_, nullptr);
  if (!canvas_texture_) return;
  SDL_SetRenderTarget(renderer_, nullptr);
  // The window's surface keeps what it showed: only the changed part is turned and copied.
  // Other renderers keep nothing between frames: the whole canvas.
  const Rect part = software_ ? changed_ : canvas_;
  const Rect turned = on_output(part, canvas_, out_w_, out_h_, options_.rotation);
  const SDL_Rect src = sdl_rect(part);
  const SDL_FRect dst{static_cast<float>(turned.x) + static_cast<float>(turned.w - part.w) / 2,
                      static_cast<float>(turned.y) + static_cast<float>(turned.h - part.h) / 2,
                      static_cast<float>(part.w), static_cast<float>(part.h)};
  SDL_RenderCopyExF(renderer_, canvas_texture_.get(), &src, &dst, options_.rotation, nullptr, SDL_FLIP_NONE);
}

void SdlOutput::read_back(ReadBack& into) const {
  into.width = out_w_;
  into.height = out_h_;
  into.format = SDL_GetWindowPixelFormat(window_);
  const int pitch = out_w_ * SDL_BYTESPERPIXEL(into.format);
  into.pixels.resize(static_cast<std::size_t>(pitch) * out_h_);
  if (SDL_RenderReadPixels(renderer_, nullptr, into.format, into.pixels.data(), pitch) != 0) {
    sdl_failed("cannot read back the screen");
  }
}

void SdlOutput::present() {
  if (!software_ || changed_ == canvas_) {
    SDL_RenderPresent(renderer_);
    return;
  }
  // SDL's own present would copy the whole surface to the window (8 MB at 1080p).
  SDL_RenderFlush(renderer_);
  const SDL_Rect shown = sdl_rect(on_output(changed_, canvas_, out_w_, out_h_, options_.rotation));
  SDL_UpdateWindowSurfaceRects(window_, &shown, 1);
}

}  // namespace tablo::display
