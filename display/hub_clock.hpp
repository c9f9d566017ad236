#pragma once
// The hub's clock as this screen reckons it. Every message from the hub says what time it was
// on the hub (`at`), so a screen compares the hub's times — how old a change is, when a banner
// ends — with the hub's clock, not with its own: a screen PC whose clock is a minute ahead
// would otherwise take every call for old news and say nothing.
//
// The reckoning is kept against the screen's steady clock, which nobody sets: the screen's own
// clock being set (NTP, by hand) does not disturb it, and only the hub's clock jumping does.
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>

namespace tablo::display {

using Clock = std::chrono::steady_clock;

// What a clock offset must move by to be news (logged, drawn again): less is network jitter.
inline constexpr std::int64_t material_offset_ms = 1000;

// The hub's clock read off this screen's steady clock: hub unix ms = steady ms + lead_ms.
struct HubTime {
  std::int64_t lead_ms = 0;
  std::int64_t unix_ms(Clock::time_point when) const;  // the hub's clock at `when`
  bool operator==(const HubTime&) const = default;
};

class HubClock {
 public:
  explicit HubClock(std::chrono::milliseconds window = std::chrono::seconds(10));

  // A message of hub epoch `epoch`, stamped `hub_unix_ms` by the hub, arrived at `arrived`.
  void heard(std::uint64_t epoch, std::int64_t hub_unix_ms, Clock::time_point arrived);

  // Nothing until the first message.
  std::optional<HubTime> time() const;

 private:
  struct Reading {
    Clock::time_point arrived;
    std::int64_t lead_ms;
  };
  std::chrono::milliseconds window_;
  std::uint64_t epoch_ = 0;
  std::deque<Reading> readings_;
};

// Whether the hub's clock as reckoned moved by a second or more (or became known).
bool moved_materially(const std::optional<HubTime>& a, const std::optional<HubTime>& b);
bool moved_materially(std::int64_t offset_a_ms, std::int64_t offset_b_ms);

// This screen's own wall clock, unix ms: the one place the screen reads it, for the clock on
// screen and for its offset from the hub's.
std::int64_t screen_unix_ms();
// Tests only (tablo-display --clock-shift-seconds): read the screen's clock `shift` off, as on
// a PC whose clock is wrong. Set once, before the screen starts.
void shift_screen_clock(std::chrono::milliseconds shift);

// How far this screen's clock is ahead of the hub's now (negative: behind); nothing until the
// hub's clock is known.
std::optional<std::int64_t> clock_offset_ms(const std::optional<HubTime>& hub);

}  // namespace tablo::display
