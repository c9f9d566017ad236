#pragma once
// What FFmpeg says of a file offered to the media library, and whether a screen could play
// it: the first picture decodes (or, for sound alone, its first second).
#include <filesystem>
#include <stdexcept>

#include "protocol/media_messages.hpp"

namespace tablo::hub {

// Why a file cannot play, in words for the person who uploads it.
struct Unplayable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The item's container, codecs, size, duration and rotation (name, file and added_at left
// empty); throws Unplayable.
protocol::MediaItem probe_media(const std::filesystem::path& path);

}  // namespace tablo::hub
