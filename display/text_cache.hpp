#pragma once
// Text through SDL_ttf, rendered once and kept as the video output's images while it stays on
// screen.
#include <SDL_ttf.h>

#include <chrono>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <tuple>

#include "config/settings.hpp"
#include "display/video_output.hpp"

namespace tablo::display {

struct FontCloser {
  void operator()(TTF_Font* f) const { TTF_CloseFont(f); }
};
using FontPtr = std::unique_ptr<TTF_Font, FontCloser>;

struct TextImage {
  ImagePtr image;
  int w = 0, h = 0;
  std::chrono::steady_clock::time_point last_used;
};

class TextCache {
 public:
  // Throws std::runtime_error naming the font file when it cannot be opened.
  TextCache(VideoOutput& output, std::string regular_font, std::string bold_font);

  // `text` in `color` at a font size of `size` pixels, wrapped at `wrap_width` pixels
  // when that is not 0; nullptr for empty text. With a `background` the image is opaque,
  // the text drawn on that colour: copied, not blended, where it is drawn.
  const TextImage* get(const std::string& text, int size, bool bold, config::Color color, int wrap_width = 0,
                         std::optional<config::Color> background = std::nullopt);

  // The largest size up to `max_size` at which `text`, wrapped at `width`, is at most
  // `height` pixels tall.
  int fit_wrapped(const std::string& text, int max_size, int width, int height, bool bold);

  // The largest size up to `max_size` at which `text` is at most `width` pixels wide.
  int fit(const std::string& text, int max_size, int width, bool bold);

  // Drops images not used for a while; called once per frame.
  void evict_unused();

 private:
  TTF_Font* font(int size, bool bold);

  VideoOutput* output_;  // a pointer, so that a cache can be replaced by another
  std::string paths_[2];
  std::map<std::pair<int, bool>, FontPtr> fonts_;
  std::map<std::tuple<std::string, int, bool, std::uint32_t, int, std::optional<std::uint32_t>>, TextImage> images_;
};

}  // namespace tablo::display
