#pragma once
// The video output on SDL's renderer: the window (or an offscreen canvas when headless), turned
// by the configured rotation, presenting only what changed where the renderer allows it.
// sdl_output.cpp: the window, frames, presenting, reading back; sdl_images.cpp: the board's
// colours and texts, and the video's pictures as textures of their own format.
#include <SDL.h>

#include <memory>

#include "display/video_output.hpp"
#include "media/video_decoder.hpp"

namespace tablo::display {

struct TextureDestroyer {
  void operator()(SDL_Texture* t) const { SDL_DestroyTexture(t); }
};
using TexturePtr = std::unique_ptr<SDL_Texture, TextureDestroyer>;

inline SDL_Rect sdl_rect(Rect r) { return SDL_Rect{r.x, r.y, r.w, r.h}; }

class SdlOutput final : public VideoOutput {
 public:
  // Throws std::runtime_error saying which SDL step failed.
  explicit SdlOutput(const OutputOptions& options);
  ~SdlOutput() override;
  SdlOutput(const SdlOutput&) = delete;
  SdlOutput& operator=(const SdlOutput&) = delete;

  Rect canvas() const override { return canvas_; }
  // "1920×1080, rotation 0, software renderer, x11 video"; "opengl renderer on llvmpipe (…)"
  std::string describe() const override;
  void resized() override;

  void begin_frame(Rect changed) override;
  void finish_frame() override;
  void read_back(ReadBack& into) const override;
  void present() override;

  void fill(Rect r, config::Color c) override;
  ImagePtr text_image(const SDL_Surface& rendered, bool opaque) override;
  void upload(ImagePtr& picture, const AVFrame& frame) override;
  void draw(const OutputImage& image, Rect upright, int rotation, const Rect* clip) override;

 private:
  void set_clip(const Rect* clip);

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

// A text or a picture as an SDL texture; `matrix` for YUV pictures (BT.601, BT.709, JPEG).
struct SdlImage final : OutputImage {
  TexturePtr texture;
  Uint32 format = 0;
  media::ColorMatrix matrix = media::ColorMatrix::bt709;
};

}  // namespace tablo::display
