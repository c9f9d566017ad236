#pragma once
// The journal's two files as text. Both reuse the protocol's codec, so everything read back
// passes the same checks as a message from the network.
//   a line of changes.jsonl: an event as published, plus "id" of the command that made it
//   boards.json: {"v":1,"zones":[snapshot reply…],"recent":[change line…]}
#include <string>
#include <string_view>

#include "hub/saved_state.hpp"
#include "protocol/codec.hpp"

namespace tablo::hub {

// One change, without the line break.
std::string change_line(const Recorded& change);
protocol::Decoded<Recorded> read_change_line(std::string_view line);

std::string boards_file(const SavedState& state);
protocol::Decoded<SavedState> read_boards_file(std::string_view text);

}  // namespace tablo::hub
