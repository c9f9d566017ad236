#pragma once
// A change as the log says it: "call А025 → window 3", "recall of А025", "ticker cleared".
#include <string>

#include "protocol/messages.hpp"

namespace tablo::hub {

std::string describe(const protocol::Change& change);

}  // namespace tablo::hub
