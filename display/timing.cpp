#include "display/timing.hpp"

#include <algorithm>

#include "protocol/board.hpp"

namespace tablo::display {
namespace {

using std::chrono::duration;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

// A running ticker moves on a fixed 60 Hz grid, so its frames come at an even pace whatever
// each one took to draw (16 ms after the previous one *ended* gave about 53 a second).
constexpr auto ticker_frame = std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds(1'000'000'000 / 60));

Clock::duration seconds(double s) { return duration_cast<Clock::duration>(duration<double>(s)); }

bool clock_shows_seconds(const std::string& format) {
  return format.find("%S") != std::string::npos || format.find("%T") != std::string::npos ||
         format.find("%r") != std::string::npos || format.find("%X") != std::string::npos;
}

}  // namespace

Now Now::read(const std::optional<HubTime>& hub) {
  const auto steady = Clock::now();
  const auto own = screen_unix_ms();
  return Now{steady, own, hub ? hub->unix_ms(steady) : own};
}

bool highlight_on(const ScreenState& state, const config::DisplaySettings& s, Clock::time_point now) {
  if (!state.highlight) return false;
  const auto age = now - state.highlight->since;
  if (age >= seconds(s.blink_seconds)) return false;
  const auto half = seconds(s.blink_period_seconds / 2);
  return (age / half) % 2 == 0;
}

bool popup_shown(const ScreenState& state, const config::DisplaySettings& s, Clock::time_point now) {
  return state.highlight && now - state.highlight->since < seconds(s.popup_seconds);
}

std::optional<protocol::Call> popup_call(const ScreenState& state, const config::DisplaySettings& s,
                                         Clock::time_point now) {
  if (const auto& playing = state.announcing; playing && !playing->ticket.empty()) {
    auto zone = state.zones.find(playing->zone);
    if (zone != state.zones.end()) {
      if (const auto* call = protocol::find_call(zone->second.board, playing->ticket)) return *call;
    }
    // Finished or cancelled while its announcement waited: what is heard is still shown.
    return protocol::Call{playing->ticket, playing->window, "", "", 0, 0};
  }
  if (!popup_shown(state, s, now)) return std::nullopt;
  const auto calls = calls_newest_first(state);
  if (calls.empty() || calls.front().ticket != state.highlight->ticket) return std::nullopt;
  return calls.front();
}

Clock::time_point next_redraw(const ScreenState& state, const config::DisplaySettings& s, Now now,
                              bool ticker_running) {
  if (ticker_running) {
    const auto since_epoch = now.steady.time_since_epoch();
    return Clock::time_point(since_epoch - since_epoch % ticker_frame + ticker_frame);
  }

  // The wall clock: the next second or minute boundary, as the clock format shows.
  const std::int64_t step = clock_shows_seconds(s.clock_format) ? 1000 : 60000;
  Clock::time_point next = now.steady + milliseconds(step - now.unix_ms % step);

  if (state.highlight) {
    const auto since = state.highlight->since;
    const auto blink_end = since + seconds(s.blink_seconds);
    const auto popup_end = since + seconds(s.popup_seconds);
    if (now.steady < blink_end) {
      const auto half = seconds(s.blink_period_seconds / 2);
      const auto phase_end = since + half * ((now.steady - since) / half + 1);
      next = std::min({next, phase_end, blink_end});
    }
    if (now.steady < popup_end) next = std::min(next, popup_end);
  }
  if (auto end = next_announcement_end(state, now.hub_unix_ms)) {
    next = std::min(next, now.steady + milliseconds(*end - now.hub_unix_ms));
  }
  return next;
}

}  // namespace tablo::display
