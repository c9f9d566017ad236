#pragma once
// The hub's memory of recent changes it was asked for, so that a command sent again after
// its reply was lost gets the first answer instead of being applied twice. A command is
// the same when its id and its whole content are: integrators that send every command
// with id "1" must still have each different call made.
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hub/saved_state.hpp"
#include "protocol/messages.hpp"

namespace tablo::hub {

// How long and how much: ten minutes covers any sane retry loop; the count and the bytes
// bound memory when a flood of commands arrives — a call is about 300 bytes, but any
// operator may send 4 KiB tickers or 32 KiB playlists, so 10 000 of those would be 80 MB
// (and the journal's boards.json with them). Past either bound the oldest are forgotten.
inline constexpr std::chrono::milliseconds remember_for = std::chrono::minutes(10);
inline constexpr std::size_t remember_at_most = 10'000;
inline constexpr std::size_t remember_at_most_bytes = 4 * 1024 * 1024;

class RecentCommands {
 public:
  explicit RecentCommands(std::chrono::milliseconds window = remember_for, std::size_t capacity = remember_at_most,
                          std::size_t capacity_bytes = remember_at_most_bytes);

  // The answer given to this very command within the window, if any. Only changes with
  // an id are remembered; questions (snapshot, status) are always answered afresh.
  std::optional<protocol::Answer> find(const protocol::Command& command, std::int64_t now);

  // Remembers the answer to `command`, given at hub time `at` (unix ms).
  void remember(const protocol::Command& command, const protocol::Answer& answer, std::int64_t at);

  // The accepted changes still remembered, oldest first, as the journal saves them.
  std::vector<Recorded> accepted() const;

  std::size_t size() const { return by_key_.size(); }
  // What the remembered commands hold, about: each one's text twice (its key and the command).
  std::size_t bytes() const { return bytes_; }

  // Drops what is older than the window at `now`.
  void forget_old(std::int64_t now);

 private:
  struct Entry {
    protocol::Command command;
    protocol::Answer answer;
    std::int64_t at = 0;
    std::size_t bytes = 0;
  };
  using Entries = std::map<std::string, Entry>;
  void forget_oldest();

  std::chrono::milliseconds window_;
  std::size_t capacity_;
  std::size_t capacity_bytes_;
  std::size_t bytes_ = 0;
  Entries by_key_;                         // key: the command as encoded (id and content)
  std::deque<Entries::iterator> oldest_;   // the same entries, oldest first
};

}  // namespace tablo::hub
