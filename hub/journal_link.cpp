#include "hub/journal_link.hpp"

#include <spdlog/spdlog.h>

namespace tablo::hub {

std::unique_ptr<Journal> attach_journal(Hub& hub, const std::filesystem::path& dir, std::int64_t now_unix_ms) {
  auto journal = std::make_unique<Journal>(dir);
  hub.restore(journal->recover(), now_unix_ms);
  const SavedState state = hub.saved();
  for (const auto& [name, zone] : state.zones) {
    spdlog::info("zone {}: {} call(s) on the board, carrying on from seq {}", name, zone.board.calls.size(), zone.seq);
  }
  // Start from one boards.json: the replay of the next start stays short.
  journal->compact(state);
  hub.record_with([&hub, j = journal.get()](const Recorded& change) {
    // The boards as they are before this change, then the change: nothing is lost in between.
    if (j->compaction_due()) j->compact(hub.saved());
    j->append(change);
  });
  hub.remove_with([j = journal.get()](const ZoneRemoved& removal) { j->append(removal); });
  return journal;
}

}  // namespace tablo::hub
