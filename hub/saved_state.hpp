#pragma once
// What the hub keeps across a restart: the boards with their sequence numbers, and the
// recent accepted changes with the ids of the commands that made them (so that a command
// retried after a lost reply is still answered, not applied again, after a restart).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "protocol/messages.hpp"

namespace tablo::hub {

// Where a change came from when this hub copied it from its regional hub (hub/upstream.cpp):
// the upstream zone, and the upstream's epoch and seq of the change (or of the snapshot it was
// read from) — what `from` says in the journal.
struct Origin {
  std::string zone;
  std::uint64_t epoch = 0;
  std::uint64_t seq = 0;
  std::int64_t at = 0;  // the upstream's clock: its announcement ends here when it ends there
  bool operator==(const Origin&) const = default;
};

// An accepted change as the journal writes it.
struct Recorded {
  std::string id;  // the id of the command that made it; "" when the sender gave none
  protocol::Event event;
  std::optional<Origin> from = std::nullopt;  // none: made for a client of this hub
  bool operator==(const Recorded&) const = default;
};

// What this hub last took from one upstream zone: its region content (ticker, announcement,
// pushed playlist) as the upstream has it, and the upstream's epoch and seq it is as of. A
// snapshot from the upstream is compared with it, so only what changed there is copied again.
struct Followed {
  std::uint64_t epoch = 0;
  std::uint64_t seq = 0;
  protocol::Board board;  // never any calls
  bool operator==(const Followed&) const = default;
};

// A zone taken off the hub (tabloctl zone remove), as the journal writes it.
struct ZoneRemoved {
  std::string zone;
  std::int64_t at = 0;  // unix ms
  bool operator==(const ZoneRemoved&) const = default;
};

struct SavedZone {
  protocol::Board board;
  std::uint64_t seq = 0;  // the board includes every change of the zone up to this one
  bool operator==(const SavedZone&) const = default;
};

struct SavedState {
  std::map<std::string, SavedZone> zones;
  std::vector<Recorded> recent;  // oldest first
  std::map<std::string, Followed> upstream;  // by upstream zone
  // Acknowledged changes the journal could not give back (damaged lines), for the log and
  // `tabloctl status`; never written to the journal itself.
  std::vector<protocol::LostChange> lost;
  bool operator==(const SavedState&) const = default;
};

}  // namespace tablo::hub
