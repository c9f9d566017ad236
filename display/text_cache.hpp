#pragma once
// Text through SDL_ttf, rendered once and kept as textures while it stays on screen.
#include <SDL.h>
#include <SDL_ttf.h>

#include <chrono>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <tuple>

#include "config/settings.hpp"

namespace tablo::display {

struct FontCloser {
  void operator()(TTF_Font* f) const { TTF_CloseFont(f); }
};
struct TextureDestroyer {
  void operator()(SDL_Texture* t) const { SDL_DestroyTexture(t); }
};
using FontPtr = std::unique_ptr<TTF_Font, FontCloser>;
using TexturePtr = std::unique_ptr<SDL_Texture, TextureDestroyer>;

struct TextTexture {
  TexturePtr texture;
  int w = 0, h = 0;
  std::chrono::steady_clock::time_point last_used;
};

class TextCache {
 public:
  // Throws std::runtime_error naming the font file when it cannot be opened.
  TextCache(SDL_Renderer* renderer, std::string regular_font, std::string bold_font);

  // `text` in `color` at a font size of `size` pixels, wrapped at `wrap_width` pixels
  // when that is not 0; nullptr for empty text. With a `background` the texture is opaque,
  // the text drawn on that colour: copied, not blended, where it is drawn.
  const TextTexture* get(const std::string& text, int size, bool bold, config::Color color, int wrap_width = 0,
                         std::optional<config::Color> background = std::nullopt);

  // The largest size up to `max_size` at which `text`, wrapped at `width`, is at most
  // `height` pixels tall.
  int fit_wrapped(const std::string& text, int max_size, int width, int height, bool bold);

  // The largest size up to `max_size` at which `text` is at most `width` pixels wide.
  int fit(const std::string& text, int max_size, int width, bool bold);

  // Drops textures not used for a while; called once per frame.
  void evict_unused();

 private:
  TTF_Font* font(int size, bool bold);

  SDL_Renderer* renderer_;
  std::string paths_[2];
  std::map<std::pair<int, bool>, FontPtr> fonts_;
  std::map<std::tuple<std::string, int, bool, std::uint32_t, int, std::optional<std::uint32_t>>, TextTexture> textures_;
};

}  // namespace tablo::display
