#pragma once
// The one door between the screen and whatever puts its pixels on the glass, after mpv's video
// output (video/out/vo.h): configure, draw the board (overlay), upload and draw a video's
// picture, finish and present the frame, read back what was shown. Painter, TextCache and
// PlaylistView draw only through it. Today's implementation is SDL's renderer (sdl_output.cpp);
// a GPU path — hardware-decoded VAAPI / DRM-PRIME frames imported as textures — is another
// implementation of this class, and nothing above it changes.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/settings.hpp"
#include "display/layout.hpp"
#include "media/image.hpp"

struct AVFrame;
struct SDL_Surface;

namespace tablo::display {

struct OutputOptions {
  bool headless = false;
  bool fullscreen = true;
  int width = 1920;
  int height = 1080;
  int rotation = 0;
  std::string renderer = "auto";  // display.renderer
};

// A frame as the screen showed it, in the output's own pixel format: read back with a plain
// copy where the output allows it, and turned into an image later, on another thread.
struct ReadBack {
  int width = 0, height = 0;
  std::uint32_t format = 0;          // SDL_PIXELFORMAT_…
  std::vector<std::uint8_t> pixels;  // rows top to bottom, width × bytes per pixel each
  media::Image image() const;        // RGBA, opaque; throws std::runtime_error
};

// What the output keeps between frames to draw again: a text, a video's picture. Made by one
// output and drawn only by it.
struct OutputImage {
  virtual ~OutputImage() = default;
  int width = 0, height = 0;
};
using ImagePtr = std::unique_ptr<OutputImage>;

class VideoOutput {
 public:
  virtual ~VideoOutput() = default;

  // Configure: the upright canvas the screen draws on (the output turned by the rotation), a
  // line for the log, and "the window changed size" (the next frame must be drawn whole).
  virtual Rect canvas() const = 0;
  virtual std::string describe() const = 0;
  virtual void resized() = 0;

  // A frame: drawing goes between begin and finish, limited to `changed` (of the canvas; the
  // whole canvas unless only a part differs from the frame before); what lies outside it stays
  // as the last frame drew it. Then read_back() may copy the frame, then present() shows it.
  virtual void begin_frame(Rect changed) = 0;
  virtual void finish_frame() = 0;
  virtual void read_back(ReadBack& into) const = 0;
  virtual void present() = 0;

  // The board: flat colour, and images of text (SDL_ttf's rendering; `opaque`: drawn on its
  // background colour, copied rather than blended).
  virtual void fill(Rect r, config::Color c) = 0;
  virtual ImagePtr text_image(const SDL_Surface& rendered, bool opaque) = 0;

  // A video's picture: `picture` takes `frame` (made anew when there is none yet, or its
  // format or size changed). Throws media::MediaError when the output cannot take the frame as
  // it is (media::screen_takes is false: it did not come through media::ready_for_screen).
  virtual void upload(ImagePtr& picture, const AVFrame& frame) = 0;

  // Draws an image so that, turned `rotation` degrees clockwise, it covers `upright`; only
  // within `clip` when one is given (and within the frame's `changed`).
  virtual void draw(const OutputImage& image, Rect upright, int rotation = 0, const Rect* clip = nullptr) = 0;
};

// The output `options` ask for (display.renderer: SDL's renderer by name, or "auto"). Throws
// std::runtime_error saying which step failed.
std::unique_ptr<VideoOutput> open_video_output(const OutputOptions& options);

}  // namespace tablo::display
