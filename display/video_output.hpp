#pragma once
// The SDL window and renderer a screen draws into, turned by the configured rotation,
// or an offscreen canvas when running headless. Presents only what changed where the
// renderer allows it, and reads back what is shown.
#include <SDL.h>

#include <cstdint>
#include <string>
#include <vector>

#include "display/layout.hpp"
#include "display/text_cache.hpp"
#include "media/image.hpp"

namespace tablo::display {

struct OutputOptions {
  bool headless = false;
  bool fullscreen = true;
  int width = 1920;
  int height = 1080;
  int rotation = 0;
  std::string renderer = "auto";
};

// A frame as the screen showed it, in the renderer's own pixel format: read back with a plain
// copy where the renderer allows it, and turned into an image later, on another thread.
struct ReadBack {
  int width = 0, height = 0;
  Uint32 format = 0;                // SDL_PIXELFORMAT_…
  std::vector<std::uint8_t> pixels;  // rows top to bottom, width × bytes per pixel each
  media::Image image() const;        // RGBA, opaque; throws std::runtime_error
};

class VideoOutput {
 public:
  // Throws std::runtime_error saying which SDL step failed.
  explicit VideoOutput(const OutputOptions& options);
  ~VideoOutput();
  VideoOutput(const VideoOutput&) = delete;
  VideoOutput& operator=(const VideoOutput&) = delete;

  SDL_Renderer* renderer() const { return renderer_; }
  Rect canvas() const { return canvas_; }
  std::string describe() const;  // "1920×1080 software renderer, offscreen video" for the log

  // Call after the window changed size: the next frame must be drawn whole.
  void resized();
  // Drawing goes between these two, limited to `changed` (of the upright canvas; the whole
  // canvas unless only a part differs from the frame before); then read_back() may copy the
  // frame, then present(). What lies outside `changed` stays as the last frame drew it.
  void begin_frame(Rect changed);
  void finish_frame();
  void read_back(ReadBack& into) const;
  void present();

 private:
  OutputOptions options_;
  SDL_Window* window_ = nullptr;
  SDL_Renderer* renderer_ = nullptr;
  // SDL's software renderer draws into the window's own surface, which keeps the last frame:
  // a part of it can be redrawn and only that part presented. Others draw into a canvas
  // texture that keeps the frame (and turns it, with a rotation) and copy all of it each frame.
  bool software_ = false;
  TexturePtr canvas_texture_;  // when the screen is turned, or the renderer keeps no frame
  Rect canvas_;
  Rect changed_;
  int out_w_ = 0, out_h_ = 0;
};

}  // namespace tablo::display
