#include "display/proof_of_play.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include "protocol/codec.hpp"

namespace tablo::display {
namespace fs = std::filesystem;
namespace {

// Raw bytes a day's file may have to travel back through the hub: base64 grows it by a third.
constexpr std::uintmax_t max_day_bytes = protocol::limits::screen_answer / 4 * 3 - 64 * 1024;

std::tm local_tm(WallClock::time_point t) {
  const std::time_t s = WallClock::to_time_t(t);
  std::tm local{};
  ::localtime_r(&s, &local);
  return local;
}

std::string day_of(WallClock::time_point t) {
  const std::tm local = local_tm(t);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &local);
  return text;
}

// "2026-11-26T14:03:22.125+0300": the screen's wall clock, with its offset.
std::string local_time(WallClock::time_point t) {
  const std::tm local = local_tm(t);
  char date[32], zone[8];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &local);
  std::strftime(zone, sizeof zone, "%z", &local);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
  char text[48];
  std::snprintf(text, sizeof text, "%s.%03d%s", date, static_cast<int>(ms), zone);
  return text;
}

std::int64_t unix_ms(WallClock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

double rounded(double seconds) { return static_cast<double>(static_cast<std::int64_t>(seconds * 1000 + 0.5)) / 1000; }

}  // namespace

fs::path default_proof_of_play_dir(std::string_view screen) {
  const fs::path system = fs::path("/var/lib/tablo/proof-of-play") / std::string(screen);
  if (::access("/var/lib/tablo", W_OK) == 0) return system;
  if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state) {
    return fs::path(state) / "tablo/proof-of-play" / std::string(screen);
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return fs::path(home) / ".local/state/tablo/proof-of-play" / std::string(screen);
  }
  return system;
}

ProofOfPlay::ProofOfPlay(fs::path dir, int keep_days) : dir_(std::move(dir)), keep_days_(keep_days) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) {
    spdlog::error("proof of play: cannot create {}: {}; nothing played is recorded (set display.reports.proof_of_play_dir)",
                  dir_.string(), ec.message());
    broken_ = true;
    return;
  }
  forget_old_days(WallClock::now());
}

ProofOfPlay::~ProofOfPlay() { played_until(WallClock::now()); }

void ProofOfPlay::showing(const fs::path* file, std::uint64_t switches, WallClock::time_point now) {
  const bool same = file ? file_ && *file_ == *file && switches == switches_ : !file_;
  if (same) return;
  played_until(now);
  file_ = file ? std::optional(*file) : std::nullopt;
  switches_ = switches;
  since_ = now;
}

void ProofOfPlay::played_until(WallClock::time_point end) {
  if (!file_) return;
  const double seconds = std::chrono::duration<double>(end - since_).count();
  nlohmann::json j = {{"type", "media"}, {"file", file_->string()}, {"start", local_time(since_)},
                      {"start_ms", unix_ms(since_)}, {"seconds", rounded(seconds)}};
  write(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), since_);
  file_.reset();
}

void ProofOfPlay::said(const Said& s) {
  nlohmann::json j = {{"type", "announcement"}, {"zone", s.zone}, {"words", s.words}, {"start", local_time(s.started)},
                      {"start_ms", unix_ms(s.started)}, {"seconds", rounded(s.seconds)}};
  if (!s.ticket.empty()) {
    j["ticket"] = s.ticket;
    j["window"] = s.window;
  }
  write(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), s.started);
}

void ProofOfPlay::write(std::string line, WallClock::time_point at) {
  if (broken_) return;
  const std::string day = day_of(at);
  if (day != today_) {
    today_ = day;
    forget_old_days(WallClock::now());
  }
  const fs::path path = dir_ / (day + ".jsonl");
  line += '\n';
  // One append of the whole line: a collector reading meanwhile sees whole lines.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0 || ::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
    spdlog::error("proof of play: cannot write {}: {}", path.string(), std::strerror(errno));
  }
  if (fd >= 0) ::close(fd);
}

void ProofOfPlay::forget_old_days(WallClock::time_point now) {
  const std::string oldest_kept = day_of(now - std::chrono::hours(24) * (keep_days_ - 1));
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() != 16 || !name.ends_with(".jsonl")) continue;
    const std::string day = name.substr(0, 10);
    // Days compare as text, YYYY-MM-DD.
    if (protocol::valid_day(day) && day < oldest_kept) {
      fs::remove(entry.path(), ec);
      spdlog::info("proof of play: removed {}, older than {} days", entry.path().string(), keep_days_);
    }
  }
}

protocol::ScreenAnswer proof_of_play_day(const fs::path& dir, std::string_view day) {
  const std::string name(day);  // an lvalue: GCC 12 warns falsely about "…" + std::string(…)
  if (!protocol::valid_day(name)) return {std::nullopt, "'" + name + "' is not a day such as 2026-11-26"};
  const fs::path path = dir / (name + ".jsonl");
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return {std::nullopt, "no proof of play for " + name + " (" + path.string() + ": " + ec.message() + ")"};
  if (size > max_day_bytes) {
    return {std::nullopt, path.string() + " is " + std::to_string(size) + " bytes, more than the hub relays (" +
                              std::to_string(max_day_bytes) + "); copy it from the screen's machine"};
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return {std::nullopt, "cannot read " + path.string()};
  return {protocol::ScreenFile{"application/x-ndjson", text.str()}, {}};
}

}  // namespace tablo::display
