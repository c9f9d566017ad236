#include "protocol/curve_keys.hpp"
#include "protocol/codec.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace tablo::protocol {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t z85_key_size = 40;

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_;
};


std::string read_all(int fd, const fs::path& file) {
  std::string text;
  std::array<char, 4096> buffer;
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n == 0) return text;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw KeyError("cannot read key file " + file.string() + ": " + std::strerror(errno));
    }
    text.append(buffer.data(), static_cast<std::size_t>(n));
    if (text.size() > 64 * 1024) throw KeyError("key file " + file.string() + " is far too large for a key file");
  }
}

// A key file's text; for a secret one, only when nobody but its owner may read or change it.
std::string read_key_file(const fs::path& file, bool secret) {
  FileDescriptor fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    throw KeyError("cannot read " + std::string(secret ? "secret" : "public") + " key file " + file.string() +
                   ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    throw KeyError("key file " + file.string() + " is not a regular file");
  }
  if (secret && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    const bool readable = (st.st_mode & (S_IRGRP | S_IROTH)) != 0;
    throw KeyError("secret key " + file.string() + (readable ? " is readable by others" : " can be changed by others") +
                   " (mode " + mode_text(st.st_mode) + "); run chmod 600 " + file.string() +
                   ", and make a new key pair if others may have copied it");
  }
  return read_all(fd.get(), file);
}

std::string at(const std::string& source, const toml::source_region& region) {
  return source + ":" + std::to_string(region.begin.line) + ":" + std::to_string(region.begin.column) + ": ";
}

toml::table parse_toml(std::string_view text, const std::string& source) {
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    throw KeyError(at(source, e.source()) + "not a key file (TOML syntax error: " + std::string(e.description()) + ")");
  }
}

// The Z85 key under `field`, checked.
std::string key_field(const toml::table& table, std::string_view field, const std::string& source) {
  const toml::node* node = table.get(field);
  if (!node) {
    throw KeyError(source + ": no " + std::string(field) + " = \"…\" in this file; is it a key file made by " +
                   "tabloctl keygen?");
  }
  auto value = node->as_string();
  if (!value || !valid_z85_key(value->get())) {
    throw KeyError(at(source, node->source()) + std::string(field) + ": expected " + std::to_string(z85_key_size) +
                   " characters of Z85 (as tabloctl keygen writes them)");
  }
  return value->get();
}

// Writes a whole new file with `mode`; fails when it exists.
void create_file(const fs::path& file, const std::string& text, mode_t mode) {
  FileDescriptor fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode));
  if (!fd) throw KeyError("cannot create " + file.string() + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd.get(), text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw KeyError("cannot write " + file.string() + ": " + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) throw KeyError("cannot write " + file.string() + ": " + std::strerror(errno));
}

// As a screen's report names itself (display.name): the codec's limit, no control characters.
bool valid_screen_name(std::string_view name) {
  return !name.empty() && name.size() <= limits::screen_name &&
         std::none_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

}  // namespace

std::string mode_text(unsigned mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", mode & 07777);
  return text;
}

KeyPair generate_key_pair() {
  std::array<char, z85_key_size + 1> public_key{}, secret_key{};
  if (zmq_curve_keypair(public_key.data(), secret_key.data()) != 0) {
    throw KeyError(std::string("cannot make a key pair: ") + zmq_strerror(zmq_errno()) +
                   " (this libzmq was built without CURVE)");
  }
  return KeyPair{public_key.data(), secret_key.data()};
}

bool valid_z85_key(std::string_view key) {
  if (key.size() != z85_key_size) return false;
  const std::string terminated(key);
  std::array<std::uint8_t, 32> bytes{};
  return zmq_z85_decode(bytes.data(), terminated.c_str()) != nullptr;
}

PublicKeyFile parse_public_key(std::string_view text, const std::string& source) {
  const toml::table table = parse_toml(text, source);
  PublicKeyFile file{key_field(table, "public_key", source), "", {}};
  if (const toml::node* role = table.get("role")) {
    auto value = role->as_string();
    if (!value || value->get().empty()) throw KeyError(at(source, role->source()) + "role: expected a role name");
    file.role = value->get();
  }
  if (const toml::node* screens = table.get("screens")) {
    const auto* names = screens->as_array();
    if (!names) throw KeyError(at(source, screens->source()) + "screens: expected a list of screen names, [\"hall-left\"]");
    for (const auto& name : *names) {
      auto value = name.as_string();
      if (!value || !valid_screen_name(value->get())) {
        throw KeyError(at(source, name.source()) + "screens: expected screen names (display.name) of 1–64 characters " +
                       "without spaces or control characters");
      }
      file.screens.push_back(value->get());
    }
  }
  return file;
}

PublicKeyFile read_public_key(const fs::path& file) {
  return parse_public_key(read_key_file(file, /*secret=*/false), file.string());
}

KeyPair read_secret_key(const fs::path& file) {
  const toml::table table = parse_toml(read_key_file(file, /*secret=*/true), file.string());
  KeyPair keys{"", key_field(table, "secret_key", file.string())};
  std::array<char, z85_key_size + 1> public_key{};
  if (zmq_curve_public(public_key.data(), keys.secret_key.c_str()) != 0) {
    throw KeyError("cannot use secret key " + file.string() + ": " + zmq_strerror(zmq_errno()));
  }
  keys.public_key = public_key.data();
  return keys;
}

std::string public_key_text(std::string_view name, std::string_view public_key, std::string_view role,
                            const std::vector<std::string>& screens) {
  std::string text = "# The public key of \"" + std::string(name) + "\" for tablo. Not secret.\n";
  if (!role.empty()) {
    text += "# To let it in, copy this file into the hub's authorised-keys folder (hub.authorized_keys).\n";
    text += "role = \"" + std::string(role) + "\"\n";
    if (!screens.empty()) {
      text += "# The screens (display.name) this key may report as; without this line, only \"" + std::string(name) +
              "\".\nscreens = [";
      for (std::size_t i = 0; i < screens.size(); ++i) text += (i ? ", \"" : "\"") + screens[i] + "\"";
      text += "]\n";
    }
  } else {
    text += "# Clients name it as the hub's key (display.hub_public_key, tabloctl --hub-key).\n";
  }
  return text + "public_key = \"" + std::string(public_key) + "\"\n";
}

WrittenKeys write_key_pair(const KeyPair& keys, const fs::path& dir, std::string_view name, std::string_view role,
                           const std::vector<std::string>& screens) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) throw KeyError("cannot create folder " + dir.string() + ": " + error.message());
  WrittenKeys written{dir / (std::string(name) + ".key"), dir / (std::string(name) + ".secret")};
  for (const auto& file : {written.public_file, written.secret_file}) {
    if (fs::exists(fs::symlink_status(file))) {
      throw KeyError(file.string() + " already exists; keygen never overwrites a key: remove it first, " +
                     "or choose another name");
    }
  }
  // The secret first, created 0600: it is never readable by others, not even for a moment.
  create_file(written.secret_file,
              "# The secret key of \"" + std::string(name) + "\" for tablo. Keep it on this machine, " +
                  "readable by its owner only.\nsecret_key = \"" + keys.secret_key + "\"\n",
              S_IRUSR | S_IWUSR);
  create_file(written.public_file, public_key_text(name, keys.public_key, role, screens),
              S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH);
  return written;
}

ClientKeys read_client_keys(const fs::path& secret_file, const fs::path& hub_public_file) {
  return ClientKeys{read_secret_key(secret_file), read_public_key(hub_public_file).public_key};
}

void use_curve(zmq::socket_t& socket, const ClientKeys& keys) {
  socket.set(zmq::sockopt::curve_serverkey, keys.hub_public_key);
  socket.set(zmq::sockopt::curve_publickey, keys.own.public_key);
  socket.set(zmq::sockopt::curve_secretkey, keys.own.secret_key);
}

}  // namespace tablo::protocol
