#pragma once
// How tabloctl says what it did and what the hub answered, for a person at a terminal.
#include <chrono>
#include <iosfwd>
#include <string>

#include "protocol/messages.hpp"

namespace tablo::tools {

// "2.0 s", "500 ms".
std::string seconds_text(std::chrono::milliseconds duration);

void print_status(std::ostream& out, const protocol::Status& status);
void print_snapshot(std::ostream& out, const protocol::Snapshot& snapshot);
// A table, one screen a line; with `json`, one JSON object a line, as the hub sent them.
void print_screens(std::ostream& out, const protocol::ScreenList& screens, bool json);

}  // namespace tablo::tools
