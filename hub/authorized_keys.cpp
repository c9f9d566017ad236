#include "hub/authorized_keys.hpp"

#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <optional>

#include "protocol/curve_keys.hpp"

namespace tablo::hub {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Editors write a file in several steps; the folder is read once they are done.
constexpr auto settle = 150ms;
// Besides inotify: a folder that was replaced or came back is noticed this often.
constexpr auto look_every = 2s;

// sshd's StrictModes: whoever may change a key file, or its folder, decides who is let in.
// It must belong to root or to the hub's own user, and nobody else may write to it.
std::optional<std::string> untrusted(const fs::path& path, const struct stat& st, bool sticky_ok = false) {
  const uid_t hub_user = ::geteuid();
  if (st.st_uid != 0 && st.st_uid != hub_user) {
    return path.string() + " belongs to user " + std::to_string(st.st_uid) + ", not to root or to the hub's user (" +
           std::to_string(hub_user) + "); run chown root " + path.string();
  }
  // A sticky folder (/tmp) lets nobody rename or remove what others own.
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(sticky_ok && (st.st_mode & S_ISVTX))) {
    return path.string() + " can be changed by " + ((st.st_mode & S_IWOTH) ? "anyone" : "its group") + " (mode " +
           protocol::mode_text(st.st_mode) + "); run chmod go-w " + path.string();
  }
  return std::nullopt;
}

// The folder and every folder above it, as sshd checks them.
void check_folder(const fs::path& folder) {
  std::error_code error;
  fs::path absolute = fs::absolute(folder, error).lexically_normal();
  if (error) absolute = folder.lexically_normal();
  if (!absolute.has_filename()) absolute = absolute.parent_path();  // "keys/"
  for (fs::path at = absolute;; at = at.parent_path()) {
    struct stat st {};
    if (::stat(at.c_str(), &st) != 0) {
      throw protocol::KeyError("cannot read the authorised-keys folder " + folder.string() + ": " +
                               std::strerror(errno) + " (hub.authorized_keys)");
    }
    if (auto why = untrusted(at, st, at != absolute)) {
      throw protocol::KeyError("the authorised-keys folder " + folder.string() + " cannot be trusted: " + *why);
    }
    if (at == at.parent_path() || at.empty()) break;
  }
}

std::vector<fs::path> entries_of(const fs::path& folder) {
  std::error_code error;
  std::vector<fs::path> entries;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    if (!it->path().filename().string().starts_with(".")) entries.push_back(it->path());
  }
  if (error) {
    throw protocol::KeyError("cannot read the authorised-keys folder " + folder.string() + ": " + error.message() +
                             " (hub.authorized_keys)");
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

std::string fingerprint_line(const std::string& name, const struct stat& st) {
  return name + ' ' + std::to_string(st.st_ino) + ' ' + std::to_string(st.st_size) + ' ' +
         std::to_string(st.st_mtim.tv_sec) + '.' + std::to_string(st.st_mtim.tv_nsec) + ' ' +
         std::to_string(st.st_mode) + ' ' + std::to_string(st.st_uid) + '\n';
}

// Changes whenever a file in the folder is added, removed, renamed, written, or its owner or
// mode change, and when the folder's own owner or mode do.
std::string fingerprint_of(const fs::path& folder) {
  std::string print;
  try {
    struct stat own {};
    if (::stat(folder.c_str(), &own) == 0) print = fingerprint_line(".", own);
    for (const auto& entry : entries_of(folder)) {
      struct stat st {};
      if (::stat(entry.c_str(), &st) != 0) continue;
      print += fingerprint_line(entry.filename().string(), st);
    }
  } catch (const protocol::KeyError& e) {
    return std::string("unreadable: ") + e.what();
  }
  return print;
}

std::string counted(std::size_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

}  // namespace

const Client* KeyTable::find(std::string_view public_key) const {
  auto it = by_public_key.find(public_key);
  return it == by_public_key.end() ? nullptr : &it->second;
}

std::string KeyTable::summary() const {
  std::array<std::size_t, 4> n{};
  for (const auto& [key, client] : by_public_key) ++n[static_cast<std::size_t>(client.role)];
  std::string text = counted(n[1], "operator") + ", " + counted(n[0], "display") + ", " + counted(n[2], "admin");
  return n[3] ? text + ", " + counted(n[3], "region") : text;
}

KeyTable read_authorized_keys(const fs::path& folder) {
  check_folder(folder);
  KeyTable table;
  std::map<std::string, std::string> file_of_key;
  for (const auto& entry : entries_of(folder)) {
    const std::string file = entry.string();
    const std::string extension = entry.extension().string();
    if (extension == ".secret") {
      table.problems.push_back(file + " is a secret key: it has no place on the hub. Remove it, and make that "
                               "client a new key pair, since its secret has been copied around");
      continue;
    }
    std::error_code error;  // a file that vanished or cannot be looked at is just not a key file
    if (extension != ".key" || !fs::is_regular_file(entry, error)) {
      table.problems.push_back(file + " is ignored: the folder holds NAME.key files (tabloctl keygen)");
      continue;
    }
    struct stat st {};
    if (::stat(entry.c_str(), &st) == 0) {
      if (auto why = untrusted(entry, st)) {
        table.problems.push_back(file + " is not used: " + *why);
        continue;
      }
    }
    try {
      const auto key = protocol::read_public_key(entry);
      const auto role = role_named(key.role);
      if (!role) {
        table.problems.push_back(file + ": " +
                                 (key.role.empty() ? std::string("no role") : "role \"" + key.role + "\" is not one") +
                                 "; add role = \"display\", \"operator\", \"admin\" or \"region\"");
        continue;
      }
      if (auto first = file_of_key.find(key.public_key); first != file_of_key.end()) {
        table.problems.push_back(file + " holds the same key as " + first->second + ", which is used; remove one");
        continue;
      }
      file_of_key[key.public_key] = file;
      table.by_public_key[key.public_key] = Client{entry.stem().string(), *role, key.screens};
    } catch (const protocol::KeyError& e) {
      table.problems.push_back(e.what());
    }
  }
  return table;
}

AuthorizedKeys::AuthorizedKeys(fs::path folder)
    : folder_(std::move(folder)),
      fingerprint_(fingerprint_of(folder_)),
      table_(std::make_shared<const KeyTable>(read_authorized_keys(folder_))) {
  inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd_ < 0) {
    spdlog::warn("cannot watch the authorised-keys folder {} ({}): it is looked at every {} s instead",
                 folder_.string(), std::strerror(errno), look_every.count());
  }
  watch();
  next_look_ = std::chrono::steady_clock::now() + look_every;
  for (const auto& problem : table_->problems) spdlog::warn("authorised keys: {}", problem);
}

AuthorizedKeys::~AuthorizedKeys() {
  if (inotify_fd_ >= 0) ::close(inotify_fd_);
}

std::shared_ptr<const KeyTable> AuthorizedKeys::current() const {
  std::lock_guard lock(mutex_);
  return table_;
}

void AuthorizedKeys::watch() {
  if (inotify_fd_ < 0 || watch_ >= 0) return;
  watch_ = ::inotify_add_watch(inotify_fd_, folder_.c_str(),
                               IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO |
                                   IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR);
}

void AuthorizedKeys::on_watch_event() {
  alignas(inotify_event) std::array<char, 4096> buffer;
  for (;;) {
    const ssize_t n = ::read(inotify_fd_, buffer.data(), buffer.size());
    if (n <= 0) break;
    for (ssize_t at = 0; at < n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer.data() + at);
      if (event->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) {
        // The folder itself went away or was replaced: watch it again by name once it is back.
        ::inotify_rm_watch(inotify_fd_, watch_);
        watch_ = -1;
      }
      at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
    }
  }
  next_look_ = std::min(next_look_, std::chrono::steady_clock::now() + settle);
}

bool AuthorizedKeys::look() {
  watch();
  next_look_ = std::chrono::steady_clock::now() + look_every;
  auto print = fingerprint_of(folder_);
  if (print == fingerprint_) return false;
  fingerprint_ = std::move(print);
  std::shared_ptr<const KeyTable> table;
  try {
    table = std::make_shared<const KeyTable>(read_authorized_keys(folder_));
  } catch (const protocol::KeyError& e) {
    // Fail closed: a folder that is gone or that others may change lets nobody in.
    spdlog::error("{}: every client is refused until the folder is back and safe (the keys read before are no "
                  "longer trusted)",
                  e.what());
    std::lock_guard lock(mutex_);
    table_ = std::make_shared<const KeyTable>(KeyTable{{}, {e.what()}});
    return true;
  }
  {
    std::lock_guard lock(mutex_);
    table_ = table;
  }
  spdlog::info("authorised keys reloaded: {}", table->summary());
  for (const auto& problem : table->problems) spdlog::warn("authorised keys: {}", problem);
  return true;
}

}  // namespace tablo::hub
