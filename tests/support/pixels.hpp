#pragma once
// Pixel checks of screenshots: how much of a region shows a colour, within a tolerance that
// absorbs scaling and YUV conversion.
#include <cstdint>
#include <cstdlib>

#include "config/settings.hpp"
#include "display/layout.hpp"
#include "media/image.hpp"

namespace tablo::test {

inline bool near(const std::uint8_t* p, config::Color c, int tolerance = 30) {
  return std::abs(p[0] - c.r) <= tolerance && std::abs(p[1] - c.g) <= tolerance && std::abs(p[2] - c.b) <= tolerance;
}

// Share of the pixels of `r` close to colour `c`.
inline double share(const media::Image& img, display::Rect r, config::Color c, int tolerance = 30) {
  long hits = 0;
  for (int y = r.y; y < r.y + r.h; ++y)
    for (int x = r.x; x < r.x + r.w; ++x) hits += near(img.pixel(x, y), c, tolerance);
  return static_cast<double>(hits) / (static_cast<double>(r.w) * r.h);
}

}  // namespace tablo::test
