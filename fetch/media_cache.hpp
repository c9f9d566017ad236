#pragma once
// The screen's media cache: a folder of files named by the SHA-256 of their bytes
// (<dir>/<sha256>), and the downloads still under way (<dir>/<sha256>.part). A file is trusted
// once its bytes were hashed in this run; after that, while its size and mtime stay as they
// were. Used only on the fetcher's thread.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "protocol/byte_count.hpp"

namespace tablo::fetch {

struct CacheLimits {
  std::uint64_t max_bytes = 0;      // the cache's size limit
  std::uint64_t reserve_bytes = 0;  // free space left on its disk
};

class MediaCache {
 public:
  // Creates the folder; throws std::runtime_error naming it when it cannot.
  MediaCache(std::filesystem::path dir, CacheLimits limits);

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path file_of(const std::string& sha256) const { return dir_ / sha256; }
  std::filesystem::path part_of(const std::string& sha256) const { return dir_ / (sha256 + ".part"); }

  // Whether <sha256> is there with `size` bytes that hash to its name. The first ask in a run
  // reads the whole file; a file that does not match is deleted (and false).
  bool has(const std::string& sha256, std::uint64_t size, const std::atomic<bool>& stop);
  // Trusted without asking has(): only what this run just verified and committed.
  bool trusted(const std::string& sha256) const { return verified_.contains(sha256); }
  std::uint64_t part_size(const std::string& sha256) const;

  // The part file, complete and verified: flushed to disk, renamed into place, the folder
  // flushed too, so that a power cut leaves either the part or the whole file. Throws
  // std::runtime_error naming the file.
  void commit(const std::string& sha256);
  void drop_part(const std::string& sha256);
  // Part files of items not in `needed` are deleted.
  void tidy(const std::set<std::string>& needed);

  // Room for `bytes` more: files not in `needed` are deleted, oldest first, until the size limit
  // and the disk reserve allow it. The reason when they cannot ("disk full: 2.1 GB free, 3.0 GB
  // needed (1.0 GB kept spare)"); nullopt when there is room.
  std::optional<std::string> make_room(std::uint64_t bytes, const std::set<std::string>& needed);

 private:
  struct Stamp {
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    bool operator==(const Stamp&) const = default;
  };
  std::optional<Stamp> stamp_of(const std::filesystem::path& file) const;
  std::uint64_t used_bytes() const;

  std::filesystem::path dir_;
  CacheLimits limits_;
  std::map<std::string, Stamp> verified_;
};

using protocol::bytes_text;

}  // namespace tablo::fetch
