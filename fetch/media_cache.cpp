#include "fetch/media_cache.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "fetch/digest.hpp"

namespace tablo::fetch {
namespace {

void flush(const std::filesystem::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot open " + path.string() + " to flush it: " + std::strerror(errno));
  const int ok = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (ok != 0) throw std::runtime_error("cannot flush " + path.string() + " to disk: " + std::strerror(error));
}

}  // namespace

MediaCache::MediaCache(std::filesystem::path dir, CacheLimits limits) : dir_(std::move(dir)), limits_(limits) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) throw std::runtime_error("cannot make the media cache folder " + dir_.string() + ": " + ec.message());
}

std::optional<MediaCache::Stamp> MediaCache::stamp_of(const std::filesystem::path& file) const {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return Stamp{static_cast<std::uint64_t>(st.st_size), st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec};
}

bool MediaCache::has(const std::string& sha256, std::uint64_t size, const std::atomic<bool>& stop) {
  const auto path = file_of(sha256);
  const auto stamp = stamp_of(path);
  if (!stamp) return false;
  if (auto known = verified_.find(sha256); known != verified_.end()) {
    if (known->second == *stamp) return true;
    verified_.erase(known);  // changed behind our back: hashed again below
  }
  if (stamp->size != size) {
    spdlog::warn("media cache: {} is {} bytes, not {}: deleted, to be fetched again", path.string(), stamp->size, size);
    std::filesystem::remove(path);
    return false;
  }
  Sha256 hash;
  if (!hash_file(path, size, hash, stop)) return false;
  if (hash.hex() != sha256) {
    spdlog::warn("media cache: the bytes of {} do not match their sha256: deleted, to be fetched again", path.string());
    std::filesystem::remove(path);
    return false;
  }
  verified_[sha256] = *stamp;
  return true;
}

std::uint64_t MediaCache::part_size(const std::string& sha256) const {
  const auto stamp = stamp_of(part_of(sha256));
  return stamp ? stamp->size : 0;
}

void MediaCache::commit(const std::string& sha256) {
  const auto part = part_of(sha256), file = file_of(sha256);
  flush(part, O_RDONLY);
  if (::rename(part.c_str(), file.c_str()) != 0)
    throw std::runtime_error("cannot rename " + part.string() + " to " + file.string() + ": " + std::strerror(errno));
  flush(dir_, O_RDONLY | O_DIRECTORY);
  if (auto stamp = stamp_of(file)) verified_[sha256] = *stamp;
}

void MediaCache::drop_part(const std::string& sha256) {
  std::error_code ec;
  std::filesystem::remove(part_of(sha256), ec);
}

void MediaCache::tidy(const std::set<std::string>& needed) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.ends_with(".part")) continue;
    const std::string sha256 = name.substr(0, name.size() - 5);
    if (needed.contains(sha256)) continue;
    std::error_code removed;
    std::filesystem::remove(entry.path(), removed);
    if (!removed) spdlog::info("media cache: removed {}, a download no playlist needs any more", entry.path().string());
  }
}

std::uint64_t MediaCache::used_bytes() const {
  std::uint64_t used = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    if (auto stamp = stamp_of(entry.path())) used += stamp->size;
  }
  return used;
}

std::optional<std::string> MediaCache::make_room(std::uint64_t bytes, const std::set<std::string>& needed) {
  auto disk_free = [&]() -> std::uint64_t {
    struct statvfs vfs {};
    if (::statvfs(dir_.c_str(), &vfs) != 0) return 0;
    return static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize;
  };
  auto fits = [&] { return used_bytes() + bytes <= limits_.max_bytes && disk_free() >= bytes + limits_.reserve_bytes; };
  if (fits()) return std::nullopt;

  // What no playlist in force needs, oldest first.
  std::vector<std::pair<std::int64_t, std::filesystem::path>> spare;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    const std::string name = entry.path().filename().string();
    if (!is_sha256_hex(name) || needed.contains(name)) continue;
    if (auto stamp = stamp_of(entry.path())) spare.emplace_back(stamp->mtime_ns, entry.path());
  }
  std::sort(spare.begin(), spare.end());
  // Nothing is removed for a playlist that would not fit even then.
  std::uint64_t freeable = 0;
  for (const auto& entry : spare) freeable += stamp_of(entry.second).value_or(Stamp{}).size;
  const bool could_fit = used_bytes() - freeable + bytes <= limits_.max_bytes &&
                         disk_free() + freeable >= bytes + limits_.reserve_bytes;
  for (const auto& [mtime, path] : spare) {
    if (!could_fit) break;
    std::error_code removed;
    std::filesystem::remove(path, removed);
    verified_.erase(path.filename().string());
    if (!removed) spdlog::info("media cache: removed {}, which no playlist in force needs, to make room", path.string());
    if (fits()) return std::nullopt;
  }
  if (disk_free() < bytes + limits_.reserve_bytes)
    return "disk full: " + bytes_text(disk_free()) + " free, " + bytes_text(bytes) + " needed (" +
           bytes_text(limits_.reserve_bytes) + " kept spare)";
  return "cache full: " + bytes_text(bytes) + " more needed, the cache may hold " + bytes_text(limits_.max_bytes) +
         " (display.fetch.cache_max_gb) and holds " + bytes_text(used_bytes());
}

}  // namespace tablo::fetch
