#pragma once
// CURVE keys in files. `tabloctl keygen NAME` writes two small TOML files:
//   NAME.key     public_key = "<40 characters of Z85>", and role = "…" for a client's key,
//                and screens = ["…"] for a screen's key that names the screens it may be;
//                not secret: copied to the hub's authorised-keys folder, or to clients (the hub's)
//   NAME.secret  secret_key = "<40 characters of Z85>"; mode 0600 from its creation on, and
//                refused when group or others may read or change it
// The public key is derived from the secret one, so a client names one file for itself.
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <zmq.hpp>

namespace tablo::protocol {

// A key file that cannot be used; the message names the file and what to do.
struct KeyError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct KeyPair {
  std::string public_key;  // Z85, 40 characters
  std::string secret_key;  // Z85, 40 characters
};

// A file mode as chmod takes it: "0644".
std::string mode_text(unsigned mode);

// A fresh pair from libsodium, through libzmq.
KeyPair generate_key_pair();

// 40 characters of Z85 that decode to 32 bytes.
bool valid_z85_key(std::string_view key);

struct PublicKeyFile {
  std::string public_key;
  std::string role;  // "" when the file names none (the hub's own key)
  // The screens (display.name) this key may report as; empty: only the key's own name.
  std::vector<std::string> screens;
};

// Throws KeyError (with file:line:column where the TOML is at fault).
PublicKeyFile read_public_key(const std::filesystem::path& file);
PublicKeyFile parse_public_key(std::string_view text, const std::string& source);
KeyPair read_secret_key(const std::filesystem::path& file);

// The text of NAME.key; `role` and `screens` may be empty.
std::string public_key_text(std::string_view name, std::string_view public_key, std::string_view role,
                            const std::vector<std::string>& screens = {});

struct WrittenKeys {
  std::filesystem::path public_file;  // DIR/NAME.key
  std::filesystem::path secret_file;  // DIR/NAME.secret
};
// Creates DIR (when missing) and both files; never overwrites a key. Throws KeyError.
WrittenKeys write_key_pair(const KeyPair& keys, const std::filesystem::path& dir, std::string_view name,
                           std::string_view role, const std::vector<std::string>& screens = {});

// What a client of a hub that uses keys needs.
struct ClientKeys {
  KeyPair own;
  std::string hub_public_key;
};
ClientKeys read_client_keys(const std::filesystem::path& secret_file, const std::filesystem::path& hub_public_file);

// Makes `socket` a CURVE client of the hub; call before connect.
void use_curve(zmq::socket_t& socket, const ClientKeys& keys);

}  // namespace tablo::protocol
