// How a screen reckons the hub's clock from its heartbeats, and uses it for the hub's times.
#include <catch2/catch.hpp>

#include <limits>

#include "display/hub_clock.hpp"
#include "display/timing.hpp"
#include "protocol/board.hpp"

using namespace std::chrono_literals;
using tablo::display::Clock;
using tablo::display::HubClock;
using tablo::display::HubTime;
using tablo::display::moved_materially;

namespace {

constexpr std::uint64_t epoch = 1'700'000'000'000;
const Clock::time_point t0 = Clock::time_point(100h);  // the screen's steady clock at the first heartbeat
constexpr std::int64_t hub_t0 = 1'700'000'000'000;    // the hub's clock then

// The hub's true clock at steady time `t`: it runs as ours does.
std::int64_t hub_at(Clock::time_point t) {
  return hub_t0 + std::chrono::duration_cast<std::chrono::milliseconds>(t - t0).count();
}

// A heartbeat stamped by the hub at `sent` that spent `delay` on its way.
void beat(HubClock& clock, Clock::time_point sent, std::chrono::milliseconds delay, std::int64_t hub_shift = 0,
          std::uint64_t of_epoch = epoch) {
  clock.heard(of_epoch, hub_at(sent) + hub_shift, sent + delay);
}

// How far the reckoning is from the hub's true clock at `t` (positive: it runs ahead).
std::int64_t error_at(const HubClock& clock, Clock::time_point t, std::int64_t hub_shift = 0) {
  REQUIRE(clock.time());
  return clock.time()->unix_ms(t) - (hub_at(t) + hub_shift);
}

}  // namespace

TEST_CASE("the hub's clock is unknown until its first heartbeat") {
  HubClock clock;
  CHECK_FALSE(clock.time());
  CHECK_FALSE(tablo::display::clock_offset_ms(clock.time()));
}

TEST_CASE("the hub's clock is read from the heartbeat that was quickest on its way") {
  HubClock clock;
  const std::chrono::milliseconds delays[] = {40ms, 3ms, 250ms, 12ms, 900ms};
  for (int i = 0; i < 5; ++i) beat(clock, t0 + i * 1s, delays[i]);
  CHECK(error_at(clock, t0 + 5s) == -3);
}

TEST_CASE("a hub clock set forward is followed at once, one set back once the window has passed") {
  HubClock clock;
  for (int i = 0; i < 12; ++i) beat(clock, t0 + i * 1s, 2ms);
  CHECK(error_at(clock, t0 + 12s) == -2);

  beat(clock, t0 + 12s, 2ms, 60'000);
  CHECK(error_at(clock, t0 + 12s, 60'000) == -2);

  // Back by two minutes: the readings of the last 10 s still say otherwise for a while.
  for (int i = 13; i <= 22; ++i) beat(clock, t0 + i * 1s, 2ms, -60'000);
  CHECK(error_at(clock, t0 + 22s, -60'000) == 120'000 - 2);
  beat(clock, t0 + 23s, 2ms, -60'000);
  CHECK(error_at(clock, t0 + 23s, -60'000) == -2);
}

TEST_CASE("a screen that was frozen reads its backlog of heartbeats without taking old changes for new") {
  HubClock clock;
  for (int i = 0; i < 20; ++i) beat(clock, t0 + i * 1s, 2ms);
  // Frozen for a minute: the heartbeats of that minute all arrive within 50 ms of waking.
  const auto woke = t0 + 80s;
  for (int i = 20; i < 80; ++i) clock.heard(epoch, hub_at(t0 + i * 1s), woke + (i - 20) * 1ms);
  CHECK(error_at(clock, woke + 60ms) == -2);
  // Heartbeats as usual again: still right when the last one from before the freeze has gone.
  for (int i = 81; i < 100; ++i) beat(clock, t0 + i * 1s, 5ms);
  CHECK(error_at(clock, t0 + 100s) == -5);
}

TEST_CASE("a new epoch is a new hub, perhaps on another machine with a clock of its own") {
  HubClock clock;
  for (int i = 0; i < 5; ++i) beat(clock, t0 + i * 1s, 2ms);
  beat(clock, t0 + 5s, 2ms, -3'600'000, epoch + 1);  // an hour behind: not a backwards jump to wait out
  CHECK(error_at(clock, t0 + 5s, -3'600'000) == -2);
}

TEST_CASE("the hub's clock at the end of its range saturates") {
  CHECK(HubTime{std::numeric_limits<std::int64_t>::max()}.unix_ms(t0) == std::numeric_limits<std::int64_t>::max());
  HubClock clock;
  clock.heard(epoch, std::numeric_limits<std::int64_t>::max(), t0);
  CHECK(clock.time()->unix_ms(t0 + 1h) == std::numeric_limits<std::int64_t>::max());
}

TEST_CASE("a second or more is a material change of the offset, network jitter is not") {
  CHECK_FALSE(moved_materially(60'000, 60'999));
  CHECK(moved_materially(60'000, 61'000));
  CHECK(moved_materially(500, -500));
  CHECK(moved_materially(std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()));
  CHECK(moved_materially(std::nullopt, HubTime{5}));
  CHECK_FALSE(moved_materially(std::optional<HubTime>{}, std::nullopt));
  CHECK_FALSE(moved_materially(HubTime{5}, HubTime{900}));
}

TEST_CASE("the screen's offset from the hub is its own clock against the hub's") {
  // A hub whose clock agrees with this machine's, and a screen whose clock is read a minute ahead.
  HubClock clock;
  clock.heard(epoch, tablo::display::screen_unix_ms(), Clock::now());
  tablo::display::shift_screen_clock(60s);
  const auto offset = tablo::display::clock_offset_ms(clock.time());
  tablo::display::shift_screen_clock(0s);
  REQUIRE(offset);
  CHECK(*offset > 59'990);  // each clock read to the millisecond, a moment apart
  CHECK(*offset < 60'100);
}

TEST_CASE("a banner ends by the hub's clock, however far the screen's own clock is off") {
  using namespace tablo;
  display::ScreenState state;
  state.zones["main"].board = protocol::apply(protocol::Board{}, protocol::Announced{"Перерыв", 5}, hub_t0);
  config::DisplaySettings d;
  d.clock_format = "%H:%M";
  // The screen's clock a minute ahead (12.345 s into its minute), the hub's at the announcement.
  const display::Now now{t0, hub_t0 + 60'000 + 12'345 - hub_t0 % 60'000, hub_t0};
  CHECK(display::announcements_at(state, now.hub_unix_ms) == std::vector<std::string>{"Перерыв"});
  CHECK(display::next_redraw(state, d, now, false) == t0 + 5s);
}
