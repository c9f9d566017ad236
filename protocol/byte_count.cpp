#include "protocol/byte_count.hpp"

#include <cstdio>

namespace tablo::protocol {

std::string bytes_text(std::uint64_t bytes) {
  char text[32];
  const double b = static_cast<double>(bytes);
  if (bytes < 1000) return std::to_string(bytes) + " B";
  if (bytes < 1000'000) std::snprintf(text, sizeof text, "%.0f kB", b / 1e3);
  else if (bytes < 1000'000'000) std::snprintf(text, sizeof text, "%.0f MB", b / 1e6);
  else std::snprintf(text, sizeof text, "%.1f GB", b / 1e9);
  return text;
}

}  // namespace tablo::protocol
