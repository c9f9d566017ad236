#pragma once
// Uploads under way into the media library: one part file per content (parts/<sha256>.part),
// appended chunk by chunk and hashed as it grows, so that the last chunk costs no second read.
// A part file outlives the hub: a client that comes back (after a cut connection, or a
// restarted hub) goes on from its end.
#include <sodium.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "protocol/media_messages.hpp"

namespace tablo::hub {

class Uploads {
 public:
  explicit Uploads(std::filesystem::path folder);
  ~Uploads();
  Uploads(const Uploads&) = delete;
  Uploads& operator=(const Uploads&) = delete;

  // The bytes of `file` the hub already has, its part file open for the rest. A part file of a
  // restarted hub is read once to hash what it holds. Throws MediaRefusal.
  std::uint64_t open(const protocol::MediaFile& file);
  // Appends a chunk at the end of its upload; the bytes the part holds now. Throws MediaRefusal
  // (no such upload open, a chunk not at the part's end, past the declared size).
  std::uint64_t write(const protocol::MediaChunk& chunk);
  // The declared size of an open upload.
  std::uint64_t size_of(const std::string& sha256) const { return open_.at(sha256).size; }
  // A complete part whose SHA-256 is the declared one, flushed to disk: its path, to be probed
  // and renamed. A mismatch removes the part and throws MediaRefusal.
  std::filesystem::path finish(const std::string& sha256);
  // Forgets the upload and removes its part file.
  void drop(const std::string& sha256);
  // Removes part files untouched for `idle` that no open upload holds.
  void forget_stale(std::chrono::hours idle);

 private:
  struct Upload {
    std::uint64_t size = 0;
    std::uint64_t have = 0;
    crypto_hash_sha256_state hash;
    int fd = -1;
    std::chrono::steady_clock::time_point last_use;
  };
  std::filesystem::path part_of(const std::string& sha256) const { return folder_ / (sha256 + ".part"); }
  void close(const std::string& sha256);

  std::filesystem::path folder_;
  std::map<std::string, Upload> open_;  // by sha256
};

}  // namespace tablo::hub
