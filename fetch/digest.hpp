#pragma once
// SHA-256 of what a screen fetched (libsodium), fed as the bytes arrive.
#include <sodium.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace tablo::fetch {

class Sha256 {
 public:
  Sha256();
  void add(const void* bytes, std::size_t size);
  // The digest in 64 lowercase hex digits; the hash is spent after it.
  std::string hex();

 private:
  crypto_hash_sha256_state state_;
};

bool is_sha256_hex(std::string_view text);

// Feeds the first `length` bytes of `file` into `into`; false when the file is shorter, cannot
// be read, or `stop` was set on the way.
bool hash_file(const std::filesystem::path& file, std::uint64_t length, Sha256& into, const std::atomic<bool>& stop);

}  // namespace tablo::fetch
