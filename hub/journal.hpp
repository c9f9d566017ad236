#pragma once
// The hub's journal: every accepted change is on disk before its reply, so that after a
// crash (kill -9, a power cut) the hub starts again with the boards exactly as they were.
//
// One folder, two files:
//   changes.jsonl  one line per accepted change: the event as published plus the id of the
//                  command that made it, and the line's CRC-32; written and fdatasync'ed
//                  before the hub replies.
//   boards.json    the boards, their sequence numbers and the recently accepted command ids
//                  at one moment; written to a temporary file, synced, renamed over the old.
// Compaction folds changes.jsonl into boards.json and empties it, so the folder stays small
// however long the hub runs.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <stdexcept>

#include "hub/saved_state.hpp"

namespace tablo::hub {

// A journal the hub cannot use; the message names the file and what to do.
struct JournalError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Where the journal lives when the settings name no folder: /var/lib/tablo/journal when
// the hub may write there (a system service), else $XDG_STATE_HOME/tablo/journal, else
// ~/.local/state/tablo/journal.
std::filesystem::path default_journal_dir();

// Changes between compactions: about 2 MB of changes.jsonl, replayed in well under a second;
// or 8 MiB of them, whichever comes first (10 000 tickers of 4 KiB would be 40 MB).
inline constexpr std::size_t compact_after_changes = 10'000;
inline constexpr std::uint64_t compact_after_bytes = 8 * 1024 * 1024;

class Journal {
 public:
  // Creates the folder when needed and takes it for this hub: a second hub on the same
  // folder is refused. Throws JournalError.
  explicit Journal(std::filesystem::path dir, std::size_t compact_after = compact_after_changes,
                   std::uint64_t compact_after_size = compact_after_bytes);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // What the journal holds: boards.json with changes.jsonl replayed on it. Only a last line
  // without its line break is a write torn by a crash (never acknowledged): it is dropped with
  // a warning. Any other unreadable line — a wrong checksum, a wrong change — is damage: the
  // good lines around it are replayed, the file is copied aside, and what was lost is logged
  // and listed in SavedState::lost (then in `tabloctl status`). Throws JournalError when a
  // file cannot be read at all.
  SavedState recover();

  // Puts one accepted change on disk: written and fdatasync'ed when this returns. Throws
  // JournalError; the file is then cut back to the changes before it.
  void append(const Recorded& change);

  // Puts a zone's removal on disk, as append() does a change.
  void append(const ZoneRemoved& removal);

  // Whether changes.jsonl has grown enough to be folded into boards.json.
  bool compaction_due() const { return changes_ >= next_compaction_ || good_size_ >= next_compaction_size_; }

  // Writes `state` as boards.json and empties changes.jsonl. A failure is logged, not
  // thrown: the changes stay safe in changes.jsonl and compaction is tried again later.
  void compact(const SavedState& state);

  const std::filesystem::path& dir() const { return dir_; }

 private:
  void cut_back(std::uint64_t size, const char* why);
  void append_line(const std::string& line);

  std::filesystem::path dir_;
  std::filesystem::path changes_path_;
  std::filesystem::path boards_path_;
  int changes_fd_ = -1;            // open, locked (flock) for as long as the hub runs
  std::uint64_t good_size_ = 0;    // bytes of complete, synced changes
  bool dirty_ = false;             // a failed append may have left bytes past good_size_
  std::size_t compact_after_;
  std::size_t changes_ = 0;        // lines in changes.jsonl
  std::size_t next_compaction_;
  std::uint64_t compact_after_size_;
  std::uint64_t next_compaction_size_;
};

}  // namespace tablo::hub
