#include "fetch/digest.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace tablo::fetch {

Sha256::Sha256() {
  static std::once_flag started;
  std::call_once(started, [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not start");
  });
  crypto_hash_sha256_init(&state_);
}

void Sha256::add(const void* bytes, std::size_t size) {
  crypto_hash_sha256_update(&state_, static_cast<const unsigned char*>(bytes), size);
}

std::string Sha256::hex() {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state_, digest);
  char text[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(text, sizeof text, digest, sizeof digest);
  return text;
}

bool is_sha256_hex(std::string_view text) {
  return text.size() == 64 &&
         std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool hash_file(const std::filesystem::path& file, std::uint64_t length, Sha256& into, const std::atomic<bool>& stop) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  std::vector<char> buffer(1 << 20);
  std::uint64_t left = length;
  while (left > 0 && !stop) {
    const ssize_t n = ::read(fd, buffer.data(), static_cast<std::size_t>(std::min<std::uint64_t>(left, buffer.size())));
    if (n <= 0) break;
    into.add(buffer.data(), static_cast<std::size_t>(n));
    left -= static_cast<std::uint64_t>(n);
  }
  ::close(fd);
  return left == 0;
}

}  // namespace tablo::fetch
