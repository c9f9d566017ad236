#include "hub/media_upload.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "hub/media_library.hpp"

namespace tablo::hub {
namespace {

// Part files held open at once; the least recently used one is closed (not removed) past it.
constexpr std::size_t max_open = 16;

std::string hex(const unsigned char* bytes, std::size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 15];
  }
  return out;
}

[[noreturn]] void cannot(const std::string& what, const std::filesystem::path& path) {
  throw MediaRefusal("the hub cannot " + what + " " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

Uploads::Uploads(std::filesystem::path folder) : folder_(std::move(folder)) {}

Uploads::~Uploads() {
  for (auto& [sha, upload] : open_) ::close(upload.fd);
}

void Uploads::close(const std::string& sha256) {
  auto it = open_.find(sha256);
  if (it == open_.end()) return;
  ::close(it->second.fd);
  open_.erase(it);
}

std::uint64_t Uploads::open(const protocol::MediaFile& file) {
  const auto path = part_of(file.sha256);
  if (auto it = open_.find(file.sha256); it != open_.end() && it->second.size == file.size) {
    it->second.last_use = std::chrono::steady_clock::now();
    return it->second.have;
  }
  close(file.sha256);
  if (open_.size() >= max_open) {
    auto oldest = std::min_element(open_.begin(), open_.end(),
                                   [](const auto& a, const auto& b) { return a.second.last_use < b.second.last_use; });
    close(oldest->first);
  }
  Upload upload;
  upload.size = file.size;
  upload.fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (upload.fd < 0) cannot("open the part file", path);
  struct stat st {};
  ::fstat(upload.fd, &st);
  upload.have = static_cast<std::uint64_t>(st.st_size);
  if (upload.have > file.size) {  // not this file after all: start again
    if (::ftruncate(upload.fd, 0) != 0) cannot("empty the part file", path);
    upload.have = 0;
  }
  // What a part holds from before (a restarted hub, an evicted upload) is hashed once here.
  crypto_hash_sha256_init(&upload.hash);
  std::vector<unsigned char> buffer(1 << 20);
  for (std::uint64_t at = 0; at < upload.have;) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), upload.have - at));
    const ssize_t n = ::pread(upload.fd, buffer.data(), want, static_cast<off_t>(at));
    if (n <= 0) {
      ::close(upload.fd);
      cannot("read the part file", path);
    }
    crypto_hash_sha256_update(&upload.hash, buffer.data(), static_cast<unsigned long long>(n));
    at += static_cast<std::uint64_t>(n);
  }
  if (upload.have > 0) spdlog::info("upload of {} goes on from {} of {}", file.sha256.substr(0, 12), bytes_text(upload.have), bytes_text(file.size));
  upload.last_use = std::chrono::steady_clock::now();
  open_[file.sha256] = upload;
  return upload.have;
}

std::uint64_t Uploads::write(const protocol::MediaChunk& chunk) {
  auto it = open_.find(chunk.sha256);
  if (it == open_.end())
    throw MediaRefusal("no upload of " + chunk.sha256.substr(0, 12) + "… is open: begin with media_add (tabloctl media add does)");
  Upload& upload = it->second;
  if (chunk.offset != upload.have)
    throw MediaRefusal("the chunk starts at byte " + std::to_string(chunk.offset) + ", but the hub has " +
                       std::to_string(upload.have) + " bytes of the file: send media_add to learn where to go on");
  if (chunk.data.size() > upload.size - upload.have)
    throw MediaRefusal("the chunk goes past the file's declared size of " + std::to_string(upload.size) + " bytes");
  for (std::size_t done = 0; done < chunk.data.size();) {
    const ssize_t n = ::pwrite(upload.fd, chunk.data.data() + done, chunk.data.size() - done,
                               static_cast<off_t>(upload.have + done));
    if (n < 0) {
      const int error = errno;
      (void)::ftruncate(upload.fd, static_cast<off_t>(upload.have));  // a half-written chunk is not kept
      errno = error;
      cannot("write the part file", part_of(chunk.sha256));
    }
    done += static_cast<std::size_t>(n);
  }
  crypto_hash_sha256_update(&upload.hash, reinterpret_cast<const unsigned char*>(chunk.data.data()), chunk.data.size());
  upload.have += chunk.data.size();
  upload.last_use = std::chrono::steady_clock::now();
  return upload.have;
}

std::filesystem::path Uploads::finish(const std::string& sha256) {
  auto it = open_.find(sha256);
  if (it == open_.end()) throw MediaRefusal("no upload of " + sha256.substr(0, 12) + "… is open");
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&it->second.hash, digest);
  const std::string got = hex(digest, sizeof digest);
  const auto path = part_of(sha256);
  if (got != sha256) {
    drop(sha256);
    throw MediaRefusal("the bytes that arrived have SHA-256 " + got.substr(0, 12) + "…, not the " + sha256.substr(0, 12) +
                       "… declared: the file changed while it was sent, or was damaged on the way; add it again");
  }
  if (::fsync(it->second.fd) != 0) cannot("flush the part file", path);
  close(sha256);
  return path;
}

void Uploads::drop(const std::string& sha256) {
  close(sha256);
  std::error_code ignored;
  std::filesystem::remove(part_of(sha256), ignored);
}

void Uploads::forget_stale(std::chrono::hours idle) {
  std::error_code error;
  const auto now = std::filesystem::file_time_type::clock::now();
  for (const auto& entry : std::filesystem::directory_iterator(folder_, error)) {
    const auto name = entry.path().filename().string();
    if (!name.ends_with(".part") || open_.contains(name.substr(0, name.size() - 5))) continue;
    std::error_code e;
    const auto written = entry.last_write_time(e);
    if (e || now - written < idle) continue;
    spdlog::info("removing the part file {}: no upload went on with it for {} hours", entry.path().string(), idle.count());
    std::filesystem::remove(entry.path(), e);
  }
}

}  // namespace tablo::hub
