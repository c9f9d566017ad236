#pragma once
// The hub and its journal joined: at start the hub takes back what the journal holds, and
// from then on every accepted change is written there before it takes effect.
#include <cstdint>
#include <filesystem>
#include <memory>

#include "hub/hub.hpp"
#include "hub/journal.hpp"

namespace tablo::hub {

// Opens the journal in `dir`, restores the hub from it, compacts it, and makes the hub
// record each change there. Throws JournalError. The journal must outlive the hub's use.
std::unique_ptr<Journal> attach_journal(Hub& hub, const std::filesystem::path& dir, std::int64_t now_unix_ms);

}  // namespace tablo::hub
