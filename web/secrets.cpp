#include "web/secrets.hpp"

#include <sodium.h>

#include <semaphore>
#include <stdexcept>

namespace tablo::web {
namespace {

// argon2id takes 64 MiB and a core for a moment (about 0.1 s); two at a time. The morning's
// 25 logins at once otherwise took 1.2 GiB together (bench/web_load.py) and each waited for all
// the others; now they queue, 128 MiB at most, the first answered first.
std::counting_semaphore<2> hashing{2};

struct HashingTurn {
  HashingTurn() { hashing.acquire(); }
  ~HashingTurn() { hashing.release(); }
  HashingTurn(const HashingTurn&) = delete;
  HashingTurn& operator=(const HashingTurn&) = delete;
};

}  // namespace

std::string random_secret() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char text[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(text, sizeof text, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return text;
}

std::string secret_hash(std::string_view secret) {
  unsigned char hash[32];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), nullptr, 0);
  char hex[2 * sizeof hash + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return hex;
}

bool same_secret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && !a.empty() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string password_hash(std::string_view password) {
  char hash[crypto_pwhash_STRBYTES];
  const HashingTurn turn;
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    throw std::runtime_error("not enough memory to hash a password (argon2id needs 64 MiB)");
  return hash;
}

bool password_matches(const std::string& hash, std::string_view password) {
  const HashingTurn turn;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace tablo::web
