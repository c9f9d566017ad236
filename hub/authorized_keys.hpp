#pragma once
// The clients the hub lets in: a folder with one NAME.key file per client (public key and
// role, as `tabloctl keygen NAME --role …` writes it). The folder is watched (inotify, and
// a look every few seconds besides) and re-read when anything in it changes; a broken file
// is skipped with a warning and never takes the others down. As sshd's StrictModes: a key
// file, the folder or a folder above it that belongs to another user than root or the hub's,
// or that group or others may write to, is not trusted (a sticky folder such as /tmp above
// it is). A folder that is gone or untrusted lets nobody in, at start and while running.
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "hub/roles.hpp"

namespace tablo::hub {

struct KeyTable {
  std::map<std::string, Client, std::less<>> by_public_key;  // Z85 public key → client
  std::vector<std::string> problems;                         // files skipped, and why

  const Client* find(std::string_view public_key) const;
  // "3 operators, 12 displays, 1 admin"
  std::string summary() const;
};

// Reads every NAME.key in `folder`; throws protocol::KeyError when the folder cannot be read
// or trusted.
KeyTable read_authorized_keys(const std::filesystem::path& folder);

class AuthorizedKeys {
 public:
  // Reads the folder (throws protocol::KeyError) and starts watching it.
  explicit AuthorizedKeys(std::filesystem::path folder);
  ~AuthorizedKeys();
  AuthorizedKeys(const AuthorizedKeys&) = delete;
  AuthorizedKeys& operator=(const AuthorizedKeys&) = delete;

  // The table as last read; safe from any thread.
  std::shared_ptr<const KeyTable> current() const;

  // For the watching thread: poll `watch_fd()` (-1 when inotify is unavailable) and call
  // `on_watch_event()` when it is readable; call `look()` once `next_look()` has come. It
  // re-reads the folder when something in it changed, and returns true when it did.
  int watch_fd() const { return inotify_fd_; }
  void on_watch_event();
  std::chrono::steady_clock::time_point next_look() const { return next_look_; }
  bool look();

  const std::filesystem::path& folder() const { return folder_; }

 private:
  void watch();

  std::filesystem::path folder_;
  std::string fingerprint_;
  int inotify_fd_ = -1;
  int watch_ = -1;
  std::chrono::steady_clock::time_point next_look_;
  mutable std::mutex mutex_;
  std::shared_ptr<const KeyTable> table_;
};

}  // namespace tablo::hub
