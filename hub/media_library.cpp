#include "hub/media_library.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>

#include "hub/media_probe.hpp"
#include "hub/media_upload.hpp"
#include "protocol/codec.hpp"

namespace tablo::hub {
namespace {

using namespace tablo::protocol;

constexpr auto stale_after = std::chrono::hours(24);
// The index as a media_list reply (protocol/media_codec.cpp), so it is read with the protocol's checks.
constexpr std::size_t max_index_bytes = 64 * 1024 * 1024;

void sync_folder(const std::filesystem::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

}  // namespace

MediaLibrary::MediaLibrary(std::filesystem::path folder, MediaLimits limits)
    : folder_(std::move(folder)), limits_(limits) {
  std::error_code error;
  for (const auto& sub : {folder_, folder_ / "files", folder_ / "parts"}) {
    std::filesystem::create_directories(sub, error);
    if (error) throw MediaError("cannot make the media library's folder " + sub.string() + ": " + error.message());
  }
  const auto index = folder_ / "library.json";
  if (std::filesystem::exists(index)) {
    std::ifstream in(index, std::ios::binary);
    const std::string text{std::istreambuf_iterator<char>(in), {}};
    auto read = decode_reply(text, max_index_bytes);
    const auto* stored = read ? std::get_if<MediaItems>(&read->answer) : nullptr;
    if (!stored)
      throw MediaError("the media library's index " + index.string() + " is damaged (" +
                       (read ? std::string("not a list of items") : read.rejection().reason) +
                       "); move it aside and add the files again");
    for (const auto& item : stored->items) {
      if (!std::filesystem::exists(files_folder() / item.file.sha256)) {
        spdlog::warn("media library: the file of '{}' ({}) is missing from {}; the name is dropped", item.name,
                     item.file.sha256.substr(0, 12), files_folder().string());
        continue;
      }
      items_[item.name] = item;
    }
  }
  uploads_ = std::make_unique<Uploads>(folder_ / "parts");
  uploads_->forget_stale(stale_after);
}

MediaLibrary::~MediaLibrary() = default;

std::vector<MediaItem> MediaLibrary::items() const {
  std::vector<MediaItem> all;
  for (const auto& [name, item] : items_) all.push_back(item);
  return all;
}

const MediaItem* MediaLibrary::find(const std::string& name) const {
  auto it = items_.find(name);
  return it == items_.end() ? nullptr : &it->second;
}

std::uint64_t MediaLibrary::stored_bytes() const {
  std::set<std::string> counted;
  std::uint64_t bytes = 0;
  for (const auto& [name, item] : items_)
    if (counted.insert(item.file.sha256).second) bytes += item.file.size;
  return bytes;
}

void MediaLibrary::save() const {
  const auto index = folder_ / "library.json", next = folder_ / "library.json.next";
  const std::string text = encode(Reply{"", MediaItems{items()}});
  const int fd = ::open(next.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  bool written = fd >= 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  if (!written || std::rename(next.c_str(), index.c_str()) != 0)
    throw MediaRefusal("the hub cannot write the library's index " + index.string() + ": " + std::strerror(errno));
  sync_folder(folder_);
}

void MediaLibrary::check_room(std::uint64_t needed) const {
  if (limits_.library > 0 && stored_bytes() + needed > limits_.library) {
    throw MediaRefusal("the library would grow past its limit of " + bytes_text(limits_.library) +
                       " (hub.media.library_mb): it holds " + bytes_text(stored_bytes()) + ", " + bytes_text(needed) +
                       " more needed; remove what no playlist uses (tabloctl media rm)");
  }
  std::error_code error;
  const auto space = std::filesystem::space(folder_, error);
  if (error) return;  // no figure to judge by: the write itself will tell
  const std::uint64_t free = space.available > limits_.reserve ? space.available - limits_.reserve : 0;
  if (needed > free) {
    throw MediaRefusal("not enough room on the hub's disk: " + bytes_text(free) + " free (after the reserve of " +
                       bytes_text(limits_.reserve) + ", hub.media.reserve_mb), " + bytes_text(needed) + " needed");
  }
}

MediaProgress MediaLibrary::add(const MediaAdd& add, std::int64_t now_unix_ms) {
  const auto& file = add.file;
  if (auto it = items_.find(add.name); it != items_.end()) {
    if (it->second.file == file) return MediaProgress{file.size, file.size, it->second};  // added before
    throw MediaRefusal("the library already has another file named '" + add.name + "' (" +
                       it->second.file.sha256.substr(0, 12) + "…, " + bytes_text(it->second.file.size) +
                       "): remove it first (tabloctl media rm) or choose another --name");
  }
  if (file.size == 0) throw MediaRefusal("'" + add.name + "' is empty");
  if (auto judged = unplayable_.find(file.sha256); judged != unplayable_.end())
    throw MediaRefusal("'" + add.name + "' cannot play on the screens: " + judged->second);
  if (file.size > limits_.max_item) {
    throw MediaRefusal("'" + add.name + "' is " + bytes_text(file.size) + ", larger than the library takes (" +
                       bytes_text(limits_.max_item) + ", hub.media.max_item_mb)");
  }
  for (const auto& [name, item] : items_) {
    if (item.file != file) continue;
    // The same bytes under another name: stored once, the name added now.
    MediaItem named = item;
    named.name = add.name;
    named.added_at = now_unix_ms;
    items_[add.name] = named;
    save();
    spdlog::info("media library: '{}' added, the same file as '{}'", add.name, name);
    return MediaProgress{file.size, file.size, named};
  }
  uploads_->forget_stale(stale_after);
  const std::uint64_t have = uploads_->open(file);
  check_room(file.size - have);
  pending_names_[file.sha256] = add.name;
  return MediaProgress{have, file.size, std::nullopt};
}

MediaProgress MediaLibrary::take(const MediaChunk& chunk, std::int64_t now_unix_ms) {
  auto name = pending_names_.find(chunk.sha256);
  if (name == pending_names_.end())
    throw MediaRefusal("no upload of " + chunk.sha256.substr(0, 12) + "… is open: begin with media_add (tabloctl media add does)");
  const std::uint64_t have = uploads_->write(chunk);
  received_bytes_ += chunk.data.size();
  const std::uint64_t size = uploads_->size_of(chunk.sha256);
  if (have < size) return MediaProgress{have, size, std::nullopt};
  const std::string item_name = name->second;
  pending_names_.erase(name);
  const auto part = uploads_->finish(chunk.sha256);
  MediaItem item;
  try {
    item = probe_media(part);
  } catch (const Unplayable& e) {
    uploads_->drop(chunk.sha256);
    if (unplayable_.size() >= 256) unplayable_.clear();
    unplayable_[chunk.sha256] = e.what();
    spdlog::warn("media library: '{}' refused: {}", item_name, e.what());
    throw MediaRefusal("'" + item_name + "' cannot play on the screens: " + e.what());
  }
  item.name = item_name;
  item.file = MediaFile{chunk.sha256, size};
  item.added_at = now_unix_ms;
  const auto stored = files_folder() / chunk.sha256;
  if (std::rename(part.c_str(), stored.c_str()) != 0)
    throw MediaRefusal("the hub cannot move " + part.string() + " into the library: " + std::strerror(errno));
  sync_folder(files_folder());
  sync_folder(folder_ / "parts");
  items_[item_name] = item;
  save();
  spdlog::info("media library: '{}' added ({}, {} {} {}x{}, {:.1f} s)", item_name, bytes_text(size), item.container,
               item.video.empty() ? item.audio : item.video, item.width, item.height, item.duration_s);
  return MediaProgress{size, size, item};
}

MediaItem MediaLibrary::remove(const std::string& name) {
  auto it = items_.find(name);
  if (it == items_.end()) throw MediaRefusal("the library has no file named '" + name + "' (tabloctl media list)");
  MediaItem item = it->second;
  items_.erase(it);
  save();
  const bool last = std::none_of(items_.begin(), items_.end(), [&](const auto& other) { return other.second.file == item.file; });
  if (last) {
    std::error_code ignored;  // a transfer under way keeps reading it: the kernel frees it after
    std::filesystem::remove(files_folder() / item.file.sha256, ignored);
  }
  spdlog::info("media library: '{}' removed{}", name, last ? "" : " (its file stays: another name has it)");
  return item;
}

}  // namespace tablo::hub
