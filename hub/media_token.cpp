#include "hub/media_token.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>

#include "hub/media_library.hpp"

namespace tablo::hub {
namespace {

std::string hex(const unsigned char* bytes, std::size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 15];
  }
  return out;
}

std::string utc_text(std::int64_t unix_s) {
  const std::time_t t = unix_s;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return text;
}

}  // namespace

MediaTokens::MediaTokens(const std::filesystem::path& secret_file) {
  if (sodium_init() < 0) throw MediaError("libsodium would not start");
  int fd = ::open(secret_file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    const ssize_t n = ::read(fd, secret_.data(), secret_.size());
    ::close(fd);
    if (n != static_cast<ssize_t>(secret_.size()))
      throw MediaError("the media token secret " + secret_file.string() + " is not " + std::to_string(secret_.size()) +
                       " bytes; remove it and the hub makes a new one (tokens given out so far stop working)");
    return;
  }
  if (errno != ENOENT) throw MediaError("cannot read the media token secret " + secret_file.string() + ": " + std::strerror(errno));
  crypto_auth_hmacsha256_keygen(secret_.data());
  fd = ::open(secret_file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  const bool written = fd >= 0 && ::write(fd, secret_.data(), secret_.size()) == static_cast<ssize_t>(secret_.size()) &&
                       ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  if (!written) throw MediaError("cannot write the media token secret " + secret_file.string() + ": " + std::strerror(errno));
}

std::string MediaTokens::mac(std::string_view signed_part) const {
  unsigned char out[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(out, reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size(),
                         secret_.data());
  return hex(out, sizeof out);
}

std::string MediaTokens::issue(std::string_view key, std::int64_t expires_unix_s) const {
  const std::string signed_part = std::to_string(expires_unix_s) + "." + std::string(key);
  return signed_part + "." + mac(signed_part);
}

std::optional<std::string> MediaTokens::refusal(std::string_view token, std::int64_t now_unix_s) const {
  if (token.empty()) return "no token: ask the hub for one (media_token) and add ?t=TOKEN to the address";
  const auto first = token.find('.'), last = token.rfind('.');
  std::int64_t expires = 0;
  const bool shaped = first != std::string_view::npos && last > first &&
                      std::from_chars(token.data(), token.data() + first, expires).ptr == token.data() + first;
  const std::string_view signed_part = shaped ? token.substr(0, last) : std::string_view{};
  const std::string expected = mac(signed_part);
  const std::string_view given = shaped ? token.substr(last + 1) : std::string_view{};
  if (!shaped || given.size() != expected.size() || sodium_memcmp(given.data(), expected.data(), expected.size()) != 0)
    return "the token is not one this hub signed (forged, damaged, or from another hub): ask this hub for one (media_token)";
  if (expires <= now_unix_s)
    return "the token expired at " + utc_text(expires) + ": ask the hub for a new one (media_token)";
  return std::nullopt;
}

}  // namespace tablo::hub
