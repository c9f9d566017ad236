#include "display/text_cache.hpp"

#include <algorithm>
#include <stdexcept>

namespace tablo::display {
namespace {

// Long enough for a blink phase or a ticking clock to come back to a text, short enough that a
// busy hall (a new pop-up per call) does not pile up megabytes of unused textures.
constexpr auto keep_unused = std::chrono::seconds(3);

std::uint32_t packed(config::Color c) {
  return (std::uint32_t{c.r} << 24) | (std::uint32_t{c.g} << 16) | (std::uint32_t{c.b} << 8) | c.a;
}

// Sizes are rounded so that fitting many strings opens only a few fonts.
int quantized(int size) { return std::max(6, size < 40 ? size : size - size % 4); }

}  // namespace

TextCache::TextCache(VideoOutput& output, std::string regular_font, std::string bold_font)
    : output_(&output), paths_{std::move(regular_font), std::move(bold_font)} {
  for (bool bold : {false, true}) font(32, bold);  // fail now, at start, on a bad font path
}

TTF_Font* TextCache::font(int size, bool bold) {
  auto& slot = fonts_[{size, bold}];
  if (!slot) {
    slot.reset(TTF_OpenFont(paths_[bold].c_str(), size));
    if (!slot) {
      throw std::runtime_error("cannot open font " + paths_[bold] + ": " + TTF_GetError() +
                               " (set display.font / display.font_bold, or install fonts-dejavu-core)");
    }
  }
  return slot.get();
}

const TextImage* TextCache::get(const std::string& text, int size, bool bold, config::Color color, int wrap_width,
                                  std::optional<config::Color> background) {
  if (text.empty()) return nullptr;
  size = quantized(size);
  const auto now = std::chrono::steady_clock::now();
  auto key = std::make_tuple(text, size, bold, packed(color), wrap_width,
                             background ? std::optional(packed(*background)) : std::nullopt);
  if (auto it = images_.find(key); it != images_.end()) {
    it->second.last_used = now;
    return &it->second;
  }
  const SDL_Color fg{color.r, color.g, color.b, color.a};
  SDL_Surface* surface = nullptr;
  if (background) {
    const SDL_Color bg{background->r, background->g, background->b, 255};
    surface = wrap_width > 0 ? TTF_RenderUTF8_Shaded_Wrapped(font(size, bold), text.c_str(), fg, bg,
                                                             static_cast<Uint32>(wrap_width))
                             : TTF_RenderUTF8_Shaded(font(size, bold), text.c_str(), fg, bg);
  } else {
    surface = wrap_width > 0 ? TTF_RenderUTF8_Blended_Wrapped(font(size, bold), text.c_str(), fg,
                                                              static_cast<Uint32>(wrap_width))
                             : TTF_RenderUTF8_Blended(font(size, bold), text.c_str(), fg);
  }
  if (!surface) return nullptr;  // e.g. text wider than SDL allows; better nothing than a crash
  TextImage t{output_->text_image(*surface, background.has_value()), surface->w, surface->h, now};
  SDL_FreeSurface(surface);
  if (!t.image) return nullptr;
  return &images_.emplace(std::move(key), std::move(t)).first->second;
}

int TextCache::fit(const std::string& text, int max_size, int width, bool bold) {
  int size = quantized(max_size);
  int w = 0, h = 0;
  for (int attempt = 0; attempt < 4; ++attempt) {
    if (TTF_SizeUTF8(font(size, bold), text.c_str(), &w, &h) != 0 || w <= width) return size;
    size = quantized(std::max(6, size * width / w));
  }
  return size;
}

int TextCache::fit_wrapped(const std::string& text, int max_size, int width, int height, bool bold) {
  int size = quantized(max_size);
  while (size > 6) {
    TTF_Font* f = font(size, bold);
    int w = 0, h = 0;
    TTF_SizeUTF8(f, text.c_str(), &w, &h);
    // Wrapping at word boundaries wastes part of each line; one spare line covers it.
    const int lines = w / std::max(1, width) + (w % std::max(1, width) ? 1 : 0);
    const int spare = lines > 1 ? 1 : 0;
    if ((lines + spare) * TTF_FontLineSkip(f) <= height) return size;
    size = quantized(size * 7 / 8);
  }
  return size;
}

void TextCache::evict_unused() {
  const auto now = std::chrono::steady_clock::now();
  std::erase_if(images_, [&](const auto& entry) { return now - entry.second.last_used > keep_unused; });
}

}  // namespace tablo::display
