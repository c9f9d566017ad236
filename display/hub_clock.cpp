#include "display/hub_clock.hpp"

#include <algorithm>
#include <atomic>
#include <limits>

namespace tablo::display {
namespace {

using std::chrono::milliseconds;

// Enough for a 10 s window of heartbeats 0.1 s apart (the hub's shortest), and a bound on the
// work per heartbeat should a publisher send far more.
constexpr std::size_t most_readings = 256;

std::atomic<std::int64_t> shift_ms{0};

// The hub's times are whatever it sends (0 … 2^63−1): sums and differences saturate rather
// than wrap.
std::int64_t sum(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) {
    return b > 0 ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
  }
  return out;
}

std::int64_t difference(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (__builtin_sub_overflow(a, b, &out)) {
    return b < 0 ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
  }
  return out;
}

std::int64_t steady_ms(Clock::time_point t) {
  return std::chrono::duration_cast<milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

std::int64_t HubTime::unix_ms(Clock::time_point when) const { return sum(steady_ms(when), lead_ms); }

HubClock::HubClock(milliseconds window) : window_(window) {}

// A message is never early, only late: of the recent readings, the one with the largest lead
// spent the least time on its way, and is the truest. A hub clock set forward shows at once;
// one set back once the readings from before have left the window. The last reading from
// before the window stays until newer ones span it: a screen that was frozen reads a burst of
// old messages at once, and those alone would make their changes look fresh.
void HubClock::heard(std::uint64_t epoch, std::int64_t hub_unix_ms, Clock::time_point arrived) {
  if (epoch != epoch_) {  // another hub process, maybe on another machine with another clock
    readings_.clear();
    epoch_ = epoch;
  }
  readings_.push_back(Reading{arrived, difference(hub_unix_ms, steady_ms(arrived))});
  while (readings_.size() > most_readings ||
         (readings_.size() > 1 && readings_[1].arrived <= arrived - window_)) {
    readings_.pop_front();
  }
}

std::optional<HubTime> HubClock::time() const {
  if (readings_.empty()) return std::nullopt;
  const auto truest = std::max_element(readings_.begin(), readings_.end(),
                                       [](const Reading& a, const Reading& b) { return a.lead_ms < b.lead_ms; });
  return HubTime{truest->lead_ms};
}

bool moved_materially(std::int64_t offset_a_ms, std::int64_t offset_b_ms) {
  // In unsigned arithmetic the distance of any two int64 values fits.
  const auto a = static_cast<std::uint64_t>(offset_a_ms), b = static_cast<std::uint64_t>(offset_b_ms);
  return (offset_a_ms > offset_b_ms ? a - b : b - a) >= static_cast<std::uint64_t>(material_offset_ms);
}

bool moved_materially(const std::optional<HubTime>& a, const std::optional<HubTime>& b) {
  if (!a || !b) return a.has_value() != b.has_value();
  return moved_materially(a->lead_ms, b->lead_ms);
}

std::int64_t screen_unix_ms() {
  const auto now = std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch());
  return sum(now.count(), shift_ms.load(std::memory_order_relaxed));
}

void shift_screen_clock(milliseconds shift) { shift_ms = shift.count(); }

std::optional<std::int64_t> clock_offset_ms(const std::optional<HubTime>& hub) {
  if (!hub) return std::nullopt;
  return difference(screen_unix_ms(), hub->unix_ms(Clock::now()));
}

}  // namespace tablo::display
