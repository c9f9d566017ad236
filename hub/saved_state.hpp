#pragma once
// What the hub keeps across a restart: the boards with their sequence numbers, and the
// recent accepted changes with the ids of the commands that made them (so that a command
// retried after a lost reply is still answered, not applied again, after a restart).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "protocol/messages.hpp"

namespace tablo::hub {

// An accepted change as the journal writes it.
struct Recorded {
  std::string id;  // the id of the command that made it; "" when the sender gave none
  protocol::Event event;
  bool operator==(const Recorded&) const = default;
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
  // Acknowledged changes the journal could not give back (damaged lines), for the log and
  // `tabloctl status`; never written to the journal itself.
  std::vector<protocol::LostChange> lost;
  bool operator==(const SavedState&) const = default;
};

}  // namespace tablo::hub
