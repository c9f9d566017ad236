#pragma once
// Where a follower — a screen, or a branch hub following its region (hub/upstream_link.cpp) —
// stands with each of its zones, after the ZeroMQ Guide's Clone pattern: a board with its
// epoch and sequence number from a snapshot, then the events that follow it one by one. Decides what each message from the hub means; no sockets here.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "protocol/messages.hpp"

namespace tablo::protocol {

// What to do with an event.
enum class Verdict {
  show,          // the next change: apply it, and it is news to the hall (pop-up, blink)
  show_quietly,  // the next change, but it arrived late: the board takes it, nothing pops up
  skip,          // already in the board, or the zone waits for a snapshot anyway
  resync,        // something was missed or the hub restarted: the zone needs a fresh snapshot
};

class ZoneSync {
 public:
  ZoneSync(const std::vector<std::string>& zones, std::chrono::milliseconds late_after);

  std::vector<std::string> unsynced() const;
  bool synced(const std::string& zone) const;
  // Every zone waits for a fresh snapshot (the link was lost, or joined just now).
  void unsync_all();

  // A snapshot: the zone follows from it.
  void took(const Snapshot& snapshot);

  // An event, when the hub's clock reads `hub_now_ms` (as this screen reckons it, display/
  // hub_clock.hpp): one the hub made longer than `late_after` before is shown quietly. Before
  // the first heartbeat the hub's clock is not known yet, and every change is news: what
  // arrives then was published after this screen subscribed, a moment ago.
  Verdict on_event(const Event& event, std::optional<std::int64_t> hub_now_ms);

  // A heartbeat: a zone of another epoch, or one whose latest change never arrived, waits
  // for a fresh snapshot.
  void on_heartbeat(const Heartbeat& heartbeat);

  // The zone's board as of its latest change: what a quietly shown change leads to.
  Snapshot board_of(const std::string& zone) const;

 private:
  struct Zone {
    std::uint64_t epoch = 0;
    std::uint64_t seq = 0;
    Board board;
    bool synced = false;
  };
  std::map<std::string, Zone> zones_;
  std::chrono::milliseconds late_after_;
};

}  // namespace tablo::protocol
