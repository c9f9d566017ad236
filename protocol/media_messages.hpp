#pragma once
// The words of the hub's media library (docs/PROTOCOL.md, "Media library"): what a pushed
// playlist's files are, the commands that upload, list and remove them, and the token that
// lets a screen fetch them over HTTP.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace tablo::protocol {

namespace limits {
inline constexpr std::size_t media_name = 128;
// An upload's chunk: large enough that the hub's rate limit (hub.commands_per_second, 50 a
// second by default) still lets 50 MB a second through, and its command (base64, about 1.4 MB)
// the only one allowed past limits::message.
inline constexpr std::size_t media_chunk = 1024 * 1024;
inline constexpr std::size_t media_message = media_chunk / 3 * 4 + 64 * 1024;
inline constexpr std::size_t playlist_files = 1024;  // distinct files one pushed playlist names
}  // namespace limits

// A file by its content: what a screen needs to fetch and check one playlist file.
struct MediaFile {
  std::string sha256;  // 64 lowercase hex digits
  std::uint64_t size = 0;
  bool operator==(const MediaFile&) const = default;
};
// A pushed playlist's files: library name → content, one entry per distinct name.
using PlaylistMedia = std::map<std::string, MediaFile>;

// What the library knows of one item: FFmpeg's words for it, measured at upload.
struct MediaItem {
  std::string name;
  MediaFile file;
  std::string container;          // "mov,mp4,m4a,3gp,3g2,mj2", "png_pipe"
  std::string video;              // codec, "" without a picture
  std::string audio;              // codec, "" without sound
  int width = 0, height = 0;
  double duration_s = 0;          // 0 for a still picture
  int rotation = 0;               // clockwise degrees the picture must be turned to stand upright
  std::int64_t added_at = 0;      // unix ms
  bool operator==(const MediaItem&) const = default;
};

// Start (or go on with) an upload: the hub answers how many bytes of it it already has.
struct MediaAdd {
  std::string name;
  MediaFile file;
  bool operator==(const MediaAdd&) const = default;
};
// Bytes of an upload from `offset` on; at most limits::media_chunk of them.
struct MediaChunk {
  std::string sha256;
  std::uint64_t offset = 0;
  std::string data;  // the bytes (base64 on the wire)
  bool operator==(const MediaChunk&) const = default;
};
struct MediaListRequest {
  bool operator==(const MediaListRequest&) const = default;
};
struct MediaInfoRequest {
  std::string name;
  bool operator==(const MediaInfoRequest&) const = default;
};
struct MediaRemove {
  std::string name;
  bool operator==(const MediaRemove&) const = default;
};
// A token for the hub's media HTTP endpoint, for the key that asks.
struct MediaTokenRequest {
  bool operator==(const MediaTokenRequest&) const = default;
};
using MediaAction = std::variant<MediaAdd, MediaChunk, MediaListRequest, MediaInfoRequest, MediaRemove, MediaTokenRequest>;

// Answers. How far an upload is; `item` once it is in the library.
struct MediaProgress {
  std::uint64_t have = 0;
  std::uint64_t size = 0;
  std::optional<MediaItem> item;
  bool operator==(const MediaProgress&) const = default;
};
// The library (media_list), one item (media_info), or the item removed (media_rm).
struct MediaItems {
  std::vector<MediaItem> items;
  bool operator==(const MediaItems&) const = default;
};
struct MediaToken {
  std::string token;
  std::int64_t expires = 0;  // unix seconds
  int port = 0;              // the hub's media HTTP port
  std::string url;           // "http://host:port/media/" when the hub is configured with one
  bool operator==(const MediaToken&) const = default;
};

// A library name: a file name of 1–128 bytes, no '/', not starting with '.', no control characters.
bool valid_media_name(std::string_view name);
bool valid_sha256(std::string_view hex);

}  // namespace tablo::protocol
