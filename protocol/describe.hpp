#pragma once
// A change in the hall's words, one line, safe for logs: "call А025 → window 3",
// "recall of А025", "ticker cleared". Client text is quoted, shortened and stripped of control characters.
#include <string>

#include "protocol/messages.hpp"

namespace tablo::protocol {

std::string describe(const Change& change);

}  // namespace tablo::protocol
