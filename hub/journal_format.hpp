#pragma once
// The journal's two files as text. Both reuse the protocol's codec, so everything read back
// passes the same checks as a message from the network.
//   a line of changes.jsonl: an event as published, plus "id" of the command that made it (and
//       "from" for a change copied from the regional hub: {"upstream","epoch","seq","at"}),
//       then a tab and the CRC-32 of those bytes (8 hex digits), so damage is found exactly;
//       or a zone's removal: {"v":1,"zone_removed":"<zone>","at":<unix ms>}, checksummed alike
//   boards.json: {"v":1,"zones":[snapshot reply…],"recent":[change…]}, plus "upstream":[snapshot
//       reply…] (Followed) on a hub that follows a region
#include <optional>
#include <string>
#include <string_view>

#include "hub/saved_state.hpp"
#include "protocol/codec.hpp"

namespace tablo::hub {

// One change as JSON (boards.json's "recent" holds these).
std::string change_line(const Recorded& change);
protocol::Decoded<Recorded> read_change_line(std::string_view line);

// One line of changes.jsonl, without the line break: the change and its checksum. Lines
// written before checksums (no tab) are read as they are.
std::string journal_line(const Recorded& change);
protocol::Decoded<Recorded> read_journal_line(std::string_view line);

// A zone's removal as a line of changes.jsonl (with its checksum), and back: nullopt when the
// line is not a whole, intact removal.
std::string removal_line(const ZoneRemoved& removal);
std::optional<ZoneRemoved> read_removal_line(std::string_view line);

std::string boards_file(const SavedState& state);
protocol::Decoded<SavedState> read_boards_file(std::string_view text);

}  // namespace tablo::hub
