#pragma once
// The branch's media library, in the hub's state folder: files stored once by their content
// (files/<sha256>), each with the names staff gave it and what FFmpeg says of it
// (library.json). Uploads arrive in chunks into parts/<sha256>.part and join the library only
// once complete, checked and playable. Used from the hub's loop only.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "protocol/byte_count.hpp"
#include "protocol/media_messages.hpp"

namespace tablo::hub {

// The library's folder cannot be used; the message names it and why.
struct MediaError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// A command the library will not do, and why, in words for the person at the desk.
struct MediaRefusal : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using protocol::bytes_text;

struct MediaLimits {
  std::uint64_t max_item = 0;  // bytes
  std::uint64_t library = 0;   // bytes of all files; 0: no limit but the disk's
  std::uint64_t reserve = 0;   // bytes left free on the disk
};

class Uploads;

class MediaLibrary {
 public:
  // Opens `folder` (made when missing) and its index; removes part files that made no progress
  // for a day. Throws MediaError.
  MediaLibrary(std::filesystem::path folder, MediaLimits limits);
  ~MediaLibrary();
  MediaLibrary(const MediaLibrary&) = delete;
  MediaLibrary& operator=(const MediaLibrary&) = delete;

  const std::filesystem::path& folder() const { return folder_; }
  std::filesystem::path files_folder() const { return folder_ / "files"; }
  std::vector<protocol::MediaItem> items() const;
  const protocol::MediaItem* find(const std::string& name) const;
  std::uint64_t stored_bytes() const;  // each file once, however many names it has
  std::uint64_t received_bytes() const { return received_bytes_; }  // in uploads' chunks since the start

  // Starts or resumes an upload (throws MediaRefusal): how much of it the hub has. Bytes the
  // library already stores under another name are not sent again: the name is added at once.
  protocol::MediaProgress add(const protocol::MediaAdd& add, std::int64_t now_unix_ms);
  // Takes a chunk of an upload begun with add(); the last one checks the SHA-256 and that
  // FFmpeg can play the file before it joins the library. Throws MediaRefusal.
  protocol::MediaProgress take(const protocol::MediaChunk& chunk, std::int64_t now_unix_ms);
  // Takes the name off; the file goes with its last name. Throws MediaRefusal for an unknown name.
  protocol::MediaItem remove(const std::string& name);

 private:
  void save() const;
  void check_room(std::uint64_t needed) const;
  void forget_stale_parts() const;

  std::filesystem::path folder_;
  MediaLimits limits_;
  std::map<std::string, protocol::MediaItem> items_;  // by name
  std::map<std::string, std::string> pending_names_;  // sha256 of an upload under way → its name
  std::unique_ptr<Uploads> uploads_;
  std::uint64_t received_bytes_ = 0;
  // Bytes FFmpeg could not play, by SHA-256, with why: added again (under any name) they are
  // refused at once rather than sent again. The latest few hundred.
  std::map<std::string, std::string> unplayable_;
};

}  // namespace tablo::hub
