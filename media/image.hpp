#pragma once
// Still images through FFmpeg: any format libavformat reads (PNG, JPEG, WebP…) into
// RGBA pixels, and RGBA pixels out as PNG (screenshots).
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace tablo::media {

struct MediaError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgba;  // width * height * 4 bytes, rows top to bottom

  const std::uint8_t* pixel(int x, int y) const { return &rgba[(static_cast<std::size_t>(y) * width + x) * 4]; }
};

// Throws MediaError naming the file and what went wrong.
Image load_image(const std::filesystem::path& path);

// Writes to a temporary file beside `path` and renames it, so a reader never sees half a PNG.
void save_png(const Image& image, const std::filesystem::path& path);
// The PNG file's bytes (a screenshot sent through the hub); `what` names it in errors.
std::string encode_png(const Image& image, const std::filesystem::path& what = "the screenshot");

}  // namespace tablo::media
