#include "hub/journal.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

#include "hub/journal_format.hpp"
#include "protocol/describe.hpp"
#include "protocol/board.hpp"

namespace tablo::hub {
namespace {

namespace fs = std::filesystem;

std::string errno_text(int err) { return std::strerror(err); }

JournalError failed(const std::string& what, const fs::path& path, int err) {
  return JournalError("cannot " + what + " " + path.string() + ": " + errno_text(err));
}

// A file descriptor that closes itself.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

void write_all(int fd, std::string_view data, std::uint64_t offset, const fs::path& path) {
  while (!data.empty()) {
    const ssize_t n = ::pwrite(fd, data.data(), data.size(), static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw failed("write to", path, errno);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
    offset += static_cast<std::uint64_t>(n);
  }
}

std::string read_all(int fd, const fs::path& path) {
  std::string text;
  char buffer[65536];
  for (std::uint64_t offset = 0;;) {
    const ssize_t n = ::pread(fd, buffer, sizeof buffer, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw failed("read", path, errno);
    }
    if (n == 0) return text;
    text.append(buffer, static_cast<std::size_t>(n));
    offset += static_cast<std::uint64_t>(n);
  }
}

// A rename is only durable once the folder itself is synced.
void sync_dir(const fs::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) throw failed("sync the folder", dir, errno);
}

bool may_write_in(const fs::path& path) {
  // The nearest folder that exists decides whether the rest can be created.
  fs::path p = path;
  std::error_code ec;
  while (!p.empty() && !fs::exists(p, ec)) p = p.parent_path();
  return !p.empty() && ::access(p.c_str(), W_OK | X_OK) == 0;
}

std::int64_t now_unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

namespace {

// changes.jsonl applied line by line onto the boards of boards.json. A damaged line (its
// checksum or its content is wrong) is lost — listed with what can still be read of it — and
// the good lines after it are applied, so one bad byte never takes the rest of the day's
// calls with it. A zone's sequence that jumps over lost lines is accepted; one that jumps
// with no damaged line to explain it lists the missing numbers as lost.
class Replay {
 public:
  Replay(SavedState& state, const fs::path& file) : state_(state), file_(file.filename().string()) {}

  void line(std::string_view text, std::size_t line_no) {
    if (auto removal = read_removal_line(text)) {
      // What came before it of that zone goes; a zone of that name after it starts afresh.
      state_.zones.erase(removal->zone);
      std::erase_if(state_.recent, [&](const Recorded& r) { return r.event.zone == removal->zone; });
      ++replayed_;
      return;
    }
    auto change = read_journal_line(text);
    if (!change) {
      damaged(text, line_no, change.rejection().reason);
      return;
    }
    SavedZone& zone = state_.zones[change->event.zone];
    if (change->event.seq <= zone.seq) return;  // already in boards.json (a crash during compaction)
    for (std::uint64_t missing = zone.seq + 1; missing < change->event.seq; ++missing) {
      lost_seq(change->event.zone, missing, line_no);
    }
    zone.board = protocol::apply(std::move(zone.board), change->event.change, change->event.at);
    zone.seq = change->event.seq;
    if (const auto& from = change->from) {  // copied from the regional hub: what was taken from there
      Followed& followed = state_.upstream[from->zone];
      followed = Followed{from->epoch, from->seq, protocol::apply(std::move(followed.board), change->event.change, from->at)};
    }
    if (!change->id.empty()) state_.recent.push_back(std::move(*change));
    ++replayed_;
  }

  std::size_t replayed() const { return replayed_; }

 private:
  // What can still be read of a damaged line: its zone, seq and change when it parses.
  void damaged(std::string_view text, std::size_t line_no, const std::string& reason) {
    protocol::LostChange lost{"", 0, "", shorten(file_ + " line " + std::to_string(line_no) + ": " + reason)};
    const auto tab = text.rfind('\t');
    if (auto readable = read_change_line(text.substr(0, tab)); readable) {
      lost.zone = readable->event.zone;
      lost.seq = readable->event.seq;
      lost.change = shorten(protocol::describe(readable->event.change));
    } else {
      lost.change = shorten(std::string(text.substr(0, 200)));
      unplaced_.push_back(state_.lost.size());
    }
    add(std::move(lost));
  }

  // A sequence number that no good line had: the damaged line it was, if one is unplaced.
  void lost_seq(const std::string& zone, std::uint64_t seq, std::size_t line_no) {
    for (const auto& l : state_.lost) {
      if (l.zone == zone && l.seq == seq) return;  // a damaged line that could still be read
    }
    if (!unplaced_.empty()) {
      auto& l = state_.lost[unplaced_.front()];
      unplaced_.erase(unplaced_.begin());
      l.zone = zone;
      l.seq = seq;
      return;
    }
    add({zone, seq, "",
         shorten("not in " + file_ + ": the zone jumps to " + std::to_string(seq + 1) + " at line " +
                 std::to_string(line_no))});
  }

  void add(protocol::LostChange lost) {
    if (state_.lost.size() < protocol::limits::lost_changes_listed) state_.lost.push_back(std::move(lost));
  }

  static std::string shorten(std::string text) {
    if (text.size() <= protocol::limits::lost_change_text) return text;
    std::size_t cut = protocol::limits::lost_change_text - 3;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return text.substr(0, cut) + "…";
  }

  SavedState& state_;
  std::string file_;
  std::size_t replayed_ = 0;
  std::vector<std::size_t> unplaced_;  // lost entries whose zone and seq are not known yet
};

}  // namespace

fs::path default_journal_dir() {
  const fs::path system = "/var/lib/tablo/journal";
  if (may_write_in(system)) return system;
  if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state) return fs::path(state) / "tablo" / "journal";
  if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".local/state/tablo/journal";
  return system;  // creating it will fail with a message that names it
}

Journal::Journal(fs::path dir, std::size_t compact_after, std::uint64_t compact_after_size)
    : dir_(std::move(dir)),
      changes_path_(dir_ / "changes.jsonl"),
      boards_path_(dir_ / "boards.json"),
      compact_after_(compact_after),
      next_compaction_(compact_after),
      compact_after_size_(compact_after_size),
      next_compaction_size_(compact_after_size) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw JournalError("cannot create the journal folder " + dir_.string() + ": " + ec.message());
  changes_fd_ = ::open(changes_path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  if (changes_fd_ < 0) throw failed("open the journal", changes_path_, errno);
  if (::flock(changes_fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(changes_fd_);
    if (err == EWOULDBLOCK) {
      throw JournalError("another tablo-hub is using the journal in " + dir_.string() +
                         "; give each hub its own (hub.journal or --journal)");
    }
    throw failed("lock the journal", changes_path_, err);
  }
}

Journal::~Journal() {
  if (changes_fd_ >= 0) ::close(changes_fd_);  // also releases the lock
}

SavedState Journal::recover() {
  SavedState state;
  std::error_code ec;
  if (fs::exists(boards_path_, ec)) {
    Fd fd(::open(boards_path_.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) throw failed("open", boards_path_, errno);
    auto boards = read_boards_file(read_all(fd.get(), boards_path_));
    if (!boards) {
      throw JournalError(boards_path_.string() + " is damaged (" + boards.rejection().reason +
                         "); move it aside to start with the changes of " + changes_path_.string() + " only");
    }
    state = std::move(*boards);
  }

  const std::string text = read_all(changes_fd_, changes_path_);
  Replay replay(state, changes_path_);
  std::size_t pos = 0;
  for (std::size_t line_no = 1; pos < text.size(); ++line_no) {
    const std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) {
      // Only a line without its line break is a write torn by a crash: it was never synced,
      // so never acknowledged.
      spdlog::warn("journal: the last change in {} was cut short ({} bytes, line {}), by a crash before it was "
                   "acknowledged; dropped",
                   changes_path_.string(), text.size() - pos, line_no);
      break;
    }
    replay.line(std::string_view(text.data() + pos, end - pos), line_no);
    pos = end + 1;
  }
  // Zones named only by unreadable lines were created empty above: drop them again.
  std::erase_if(state.zones, [](const auto& z) { return z.second.seq == 0; });
  good_size_ = pos;
  changes_ = replay.replayed();
  if (pos < text.size()) cut_back(pos, "dropping the torn last line");
  spdlog::info("journal: {} zone(s) restored from {} ({} change(s) replayed)", state.zones.size(), dir_.string(),
               replay.replayed());
  if (!state.lost.empty()) {
    const fs::path aside = changes_path_.string() + ".damaged-" + std::to_string(now_unix_ms());
    fs::copy_file(changes_path_, aside, ec);
    spdlog::error("journal: {} acknowledged change(s) could not be read back and are not on the boards; {}. Redo "
                  "them (tabloctl status lists them too):",
                  state.lost.size(),
                  ec ? "no copy of " + changes_path_.string() + " could be kept: " + ec.message()
                     : "the damaged file is kept as " + aside.string());
    for (const auto& l : state.lost) {
      spdlog::error("journal: lost {}{}{} ({})", l.zone.empty() ? "a change of an unknown zone" : "zone " + l.zone,
                    l.seq ? ", seq " + std::to_string(l.seq) : std::string(),
                    l.change.empty() ? std::string() : ": " + l.change, l.problem);
    }
    // The good lines are in the boards now: write them down afresh, so the damage is not
    // found (and reported) again at the next start.
    compact(state);
  }
  return state;
}

void Journal::cut_back(std::uint64_t size, const char* why) {
  if (::ftruncate(changes_fd_, static_cast<off_t>(size)) != 0 || ::fdatasync(changes_fd_) != 0) {
    dirty_ = true;
    throw JournalError("cannot cut " + changes_path_.string() + " back to " + std::to_string(size) + " bytes (" +
                       why + "): " + errno_text(errno));
  }
  dirty_ = false;
}

void Journal::append(const Recorded& change) { append_line(journal_line(change) + "\n"); }

void Journal::append(const ZoneRemoved& removal) { append_line(removal_line(removal) + "\n"); }

void Journal::append_line(const std::string& line) {
  if (dirty_) cut_back(good_size_, "after a failed write");
  try {
    write_all(changes_fd_, line, good_size_, changes_path_);
    if (::fdatasync(changes_fd_) != 0) throw failed("sync", changes_path_, errno);
  } catch (const JournalError&) {
    dirty_ = true;
    throw;
  }
  good_size_ += line.size();
  ++changes_;
}

void Journal::compact(const SavedState& state) {
  const auto started = std::chrono::steady_clock::now();
  const fs::path temporary = boards_path_.string() + ".tmp";
  const std::string text = boards_file(state);
  try {
    {
      Fd fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640));
      if (fd.get() < 0) throw failed("create", temporary, errno);
      write_all(fd.get(), text, 0, temporary);
      if (::fsync(fd.get()) != 0) throw failed("sync", temporary, errno);
    }
    if (::rename(temporary.c_str(), boards_path_.c_str()) != 0) throw failed("replace", boards_path_, errno);
    sync_dir(dir_);
    // boards.json now holds every change: the lines may go. Should the hub die before
    // this, the replay skips them by their sequence numbers.
    cut_back(0, "after compaction");
  } catch (const JournalError& e) {
    next_compaction_ = changes_ + compact_after_ / 10 + 1;
    next_compaction_size_ = good_size_ + compact_after_size_ / 10 + 1;
    spdlog::error("journal: compaction failed, the changes stay in {} and it is tried again later: {}",
                  changes_path_.string(), e.what());
    return;
  }
  good_size_ = 0;
  changes_ = 0;
  next_compaction_ = compact_after_;
  next_compaction_size_ = compact_after_size_;
  spdlog::info("journal: boards of {} zone(s) saved to {} ({} bytes, {} ms)", state.zones.size(),
               boards_path_.string(), text.size(),
               std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
                   .count());
}

}  // namespace tablo::hub
