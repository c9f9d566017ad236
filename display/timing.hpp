#pragma once
// What changes on screen with time alone — blink phases, the pop-up, the clock, the
// ticker, announcements — and so when the next frame is due. Pure: tested without SDL.
#include <chrono>

#include "config/settings.hpp"
#include "display/hub_clock.hpp"
#include "display/screen_state.hpp"

namespace tablo::display {

// The clocks at one instant: steady for animation, the screen's unix ms for the clock on
// screen, and the hub's as this screen reckons it for the hub's times (an announcement's end).
struct Now {
  Clock::time_point steady;
  std::int64_t unix_ms = 0;
  std::int64_t hub_unix_ms = 0;  // the screen's own until the hub's is known
  static Now read(const std::optional<HubTime>& hub);
};

// Whether the newest call is drawn in highlight colours now: the "on" half of each blink
// period, for blink_seconds after it was called; a plain row after that.
bool highlight_on(const ScreenState& state, const config::DisplaySettings& settings, Clock::time_point now);
bool popup_shown(const ScreenState& state, const config::DisplaySettings& settings, Clock::time_point now);

// The call in the big pop-up now: the one being announced, while its announcement plays;
// otherwise the newest call for popup_seconds after it was called.
std::optional<protocol::Call> popup_call(const ScreenState& state, const config::DisplaySettings& settings,
                                         Clock::time_point now);

// When the screen must be drawn again if nothing else happens. `ticker_running` means a
// running text is on screen and moves every frame.
Clock::time_point next_redraw(const ScreenState& state, const config::DisplaySettings& settings, Now now,
                              bool ticker_running);

}  // namespace tablo::display
