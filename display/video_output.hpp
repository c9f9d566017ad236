#pragma once
// The SDL window and renderer a screen draws into, turned by the configured rotation,
// or an offscreen canvas when running headless. Also reads back what is shown.
#include <SDL.h>

#include <string>

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

  // Call after the window changed size.
  void resized();
  // Drawing goes between these two; then capture() may read the frame, then present().
  void begin_frame();
  void finish_frame();
  media::Image capture() const;
  void present();

 private:
  OutputOptions options_;
  SDL_Window* window_ = nullptr;
  SDL_Renderer* renderer_ = nullptr;
  TexturePtr rotated_;  // the upright canvas when the screen is turned
  Rect canvas_;
  int out_w_ = 0, out_h_ = 0;
};

}  // namespace tablo::display
