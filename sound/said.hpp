#pragma once
// What the hall is told, as the screen and its proof of play see it.
#include <chrono>
#include <string>

namespace tablo::sound {

using WallClock = std::chrono::system_clock;

// The call whose announcement is playing: its pop-up stays up meanwhile.
struct Announcing {
  std::string zone;
  std::string ticket;
  bool operator==(const Announcing&) const = default;
};

// An announcement that finished playing (proof of play).
struct Said {
  std::string zone, ticket, window;  // empty ticket: an operator's announcement
  std::string words;                 // what was said, as the log writes it
  WallClock::time_point started;
  double seconds = 0;
};

}  // namespace tablo::sound
