#pragma once
// What the hall is told, as the screen and its proof of play see it.
#include <chrono>
#include <string>

namespace tablo::sound {

using WallClock = std::chrono::system_clock;

// The announcement playing now. A call's pop-up, or an operator's banner, stays up while it
// plays, however long it waited in the queue: nobody who cannot hear misses it.
struct Announcing {
  std::string zone;
  std::string ticket;  // empty: an operator's announcement
  std::string window;
  std::string words;   // what is said: the banner's text of an operator's announcement
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
