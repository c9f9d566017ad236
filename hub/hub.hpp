#pragma once
// The hub's state and its answer to each command, without sockets: the boards of the
// zones, their sequence numbers and the counters that `tabloctl status` shows.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "config/settings.hpp"
#include "hub/recent_commands.hpp"
#include "hub/saved_state.hpp"
#include "protocol/messages.hpp"

namespace tablo::hub {

// More zones than a branch has halls means a misconfigured sender, not a new hall.
inline constexpr std::size_t max_zones = 64;

// What a command led to: the reply for its sender and, for an accepted change, the
// event to publish.
struct Handled {
  protocol::Reply reply;
  std::optional<protocol::Event> event;
};

class Hub {
 public:
  // `epoch`: the hub's start, unix ms; uptime counts from it. A new epoch starts when a zone is
  // removed (a later unix ms), so that every screen takes a fresh board.
  // `letters`: the alphabet of each zone's tickets and windows (hub/ticket_letters.hpp).
  explicit Hub(std::uint64_t epoch, config::TicketLetters letters = {});

  Handled handle(const protocol::Command& command, std::int64_t now_unix_ms);

  // Write-ahead: called with every accepted change before it takes effect (the journal
  // puts it on disk). When it throws, the change is refused with its reason and the
  // boards stay as they were.
  using Recorder = std::function<void(const Recorded&)>;
  void record_with(Recorder recorder) { recorder_ = std::move(recorder); }
  // Likewise for removing a zone: on disk before the zone goes.
  using Remover = std::function<void(const ZoneRemoved&)>;
  void remove_with(Remover remover) { remover_ = std::move(remover); }

  // A change copied from the regional hub into local `zone` (hub/upstream.cpp): checked, numbered,
  // journaled with `from` and published like any change; the upstream zone's Followed moves on.
  Handled copy_from_upstream(const std::string& zone, const protocol::Change& change, const Origin& from,
                             std::int64_t now_unix_ms);
  // The upstream zone moved on without anything to copy (a call there), or as a snapshot from
  // there says, once what differed is copied.
  void followed_to(const std::string& upstream_zone, std::uint64_t epoch, std::uint64_t seq);
  void follow(const std::string& upstream_zone, Followed followed) { followed_[upstream_zone] = std::move(followed); }
  const std::map<std::string, Followed>& followed() const { return followed_; }

  // Takes the boards, sequence numbers and recent commands a journal kept, their tickets in
  // the zones' alphabets of now. Before serving.
  void restore(const SavedState& saved, std::int64_t now_unix_ms);
  // What the journal saves when it compacts.
  SavedState saved() const;

  // Each zone's latest sequence number, for heartbeats.
  protocol::Heartbeat heartbeat(std::int64_t now_unix_ms) const;

  // The hub's settings were reloaded: heartbeats tell the screens to read theirs again.
  void settings_reloaded() { ++reloads_; }

  // A frame that never became a command; `kind` is a protocol::Rejection kind or "frames".
  void count_rejected(std::string_view kind);

  // The peers of the server's sockets and their cap, for `status`.
  void connections(std::map<std::string, std::uint64_t> peers, std::uint64_t cap) {
    peers_ = std::move(peers);
    max_connections_ = cap;
  }

  std::uint64_t epoch() const { return epoch_; }
  // What `status` answers, without counting a command (the metrics page reads it).
  protocol::Status status(std::int64_t now) const;

 private:
  struct Zone {
    protocol::Board board;
    std::uint64_t seq = 0;
  };

  protocol::Answer change(const protocol::Command& command, const protocol::Change& change, std::int64_t now,
                          std::optional<protocol::Event>& event, const Origin* from = nullptr);
  protocol::Snapshot snapshot(const std::string& zone_name) const;
  protocol::Answer remove_zone(const std::string& zone_name, std::int64_t now);
  void count(const std::string& counter) { ++counters_[counter]; }

  std::uint64_t epoch_;
  std::uint64_t started_;  // the first epoch: the hub's start
  config::TicketLetters letters_;
  std::uint64_t reloads_ = 0;
  std::map<std::string, Zone> zones_;
  std::map<std::string, std::uint64_t> counters_;
  std::map<std::string, std::uint64_t> peers_;
  std::uint64_t max_connections_ = 0;
  std::map<std::string, Followed> followed_;  // by upstream zone
  RecentCommands recent_;
  std::vector<protocol::LostChange> lost_;  // what the journal could not give back at start
  Recorder recorder_;
  Remover remover_;
};

}  // namespace tablo::hub
