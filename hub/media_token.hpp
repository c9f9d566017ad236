#pragma once
// Tokens for the hub's media HTTP endpoint: "<expires>.<key>.<HMAC-SHA256>" of the first two
// parts, signed with a secret only this hub has (token.secret in the library's folder, mode
// 0600). Anyone holding one may fetch until it expires; the hub gives them only to its keys.
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <sodium.h>

namespace tablo::hub {

class MediaTokens {
 public:
  // Reads the secret in `secret_file`, or makes one there. Throws MediaError.
  explicit MediaTokens(const std::filesystem::path& secret_file);

  // A token for the key named `key` (the client's key name, "local" without keys).
  std::string issue(std::string_view key, std::int64_t expires_unix_s) const;
  // Why `token` does not let its holder fetch at `now_unix_s`, in words for the 403's body;
  // nullopt when it does.
  std::optional<std::string> refusal(std::string_view token, std::int64_t now_unix_s) const;

 private:
  std::string mac(std::string_view signed_part) const;
  std::array<unsigned char, crypto_auth_hmacsha256_KEYBYTES> secret_{};
};

}  // namespace tablo::hub
