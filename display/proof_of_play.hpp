#pragma once
// Proof of play: what the screen played and said, when and for how long, one JSON object a
// line, one file a day (YYYY-MM-DD.jsonl, the screen's local day) in its own folder, the
// oldest deleted past `keep_days`. Advertisers and the branch collect the files with
// `tabloctl proof-of-play SCREEN --day D`, or straight from the folder.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/messages.hpp"
#include "sound/said.hpp"

namespace tablo::display {

using WallClock = std::chrono::system_clock;

// /var/lib/tablo/proof-of-play/<screen> when writable, else ~/.local/state/tablo/proof-of-play/<screen>.
std::filesystem::path default_proof_of_play_dir(std::string_view screen);

using sound::Said;

class ProofOfPlay {
 public:
  // Never throws: a folder that cannot be written is logged, and nothing is recorded.
  ProofOfPlay(std::filesystem::path dir, int keep_days);
  ~ProofOfPlay();  // the item on screen is written as played until now

  // The playlist item on screen now (nullptr: none) and the player's switch count, which
  // moves on when one item follows another, also when a single file loops.
  void showing(const std::filesystem::path* file, std::uint64_t switches, WallClock::time_point now);
  void said(const Said& said);

  const std::filesystem::path& dir() const { return dir_; }

 private:
  void played_until(WallClock::time_point end);
  void write(std::string line, WallClock::time_point at);
  void forget_old_days(WallClock::time_point now);

  std::filesystem::path dir_;
  int keep_days_;
  std::string today_;  // the day of the last file written: a new day clears out old files
  std::optional<std::filesystem::path> file_;
  std::uint64_t switches_ = 0;
  WallClock::time_point since_{};
  bool broken_ = false;  // said once
};

// A day's record, as a screen answers the hub: the file, or why there is none.
protocol::ScreenAnswer proof_of_play_day(const std::filesystem::path& dir, std::string_view day);

}  // namespace tablo::display
