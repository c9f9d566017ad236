#pragma once
// Random secrets (session cookies, CSRF tokens, API tokens) and what is kept of them: their
// hash, so that a copy of the database opens no session.
#include <string>
#include <string_view>

namespace tablo::web {

// 32 random bytes, URL-safe base64 without padding (43 characters).
std::string random_secret();
// BLAKE2b (crypto_generichash) of `secret`, hex.
std::string secret_hash(std::string_view secret);
// Compares without leaking where they differ.
bool same_secret(std::string_view a, std::string_view b);

// argon2id (crypto_pwhash_str, libsodium's interactive limits: 64 MiB each), two at a time
// across the program, the others waiting their turn; throws std::runtime_error when out of memory.
std::string password_hash(std::string_view password);
bool password_matches(const std::string& hash, std::string_view password);

}  // namespace tablo::web
