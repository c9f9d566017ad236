#pragma once
// The files a pushed playlist names (its `[[item]] file = "NAME"` lines, docs/PLAYLISTS.md),
// so that the hub can resolve them in its media library. The rest of the playlist is the
// screens' to read.
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

namespace tablo::hub {

// The playlist is not TOML, or an item's file is not a string; the message says where.
struct PlaylistError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::set<std::string> playlist_files(std::string_view toml);

}  // namespace tablo::hub
