#pragma once
// A playlist: the pictures and videos a screen loops through, in order, each with its
// schedule. Written by staff in TOML (docs/PLAYLISTS.md); read from a file or from text
// (a playlist pushed through the hub arrives as text).
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "media/schedule.hpp"

namespace tablo::media {

struct PlaylistError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct PlaylistItem {
  std::filesystem::path file;      // absolute, or relative to the working directory
  std::optional<double> duration;  // seconds; pictures show this long, videos are cut at it
  double volume = 1.0;             // 0–1, of the video's own sound
  bool muted = true;               // hall loops are silent unless the playlist says otherwise
  Schedule schedule;
  bool operator==(const PlaylistItem&) const = default;
};

struct Playlist {
  std::vector<PlaylistItem> items;
  std::string source;  // where it came from, for the log
  bool operator==(const Playlist& other) const { return items == other.items; }
};

// How long a picture shows when its item gives no duration.
inline constexpr double default_picture_seconds = 10.0;

// Throws PlaylistError "SOURCE:LINE:COLUMN: what is wrong". Relative file names are taken
// relative to `base_dir`.
Playlist parse_playlist(std::string_view toml, std::string_view source, const std::filesystem::path& base_dir);
// Relative file names are relative to the playlist's own folder.
Playlist load_playlist(const std::filesystem::path& path);

}  // namespace tablo::media
