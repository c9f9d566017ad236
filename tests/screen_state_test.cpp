#include <catch2/catch.hpp>

#include "display/screen_state.hpp"
#include "display/timing.hpp"

using namespace tablo;
using namespace tablo::display;
using namespace std::chrono_literals;

namespace {

const Clock::time_point t0 = Clock::time_point(1000s);

protocol::Event event(std::uint64_t seq, protocol::Change change, std::string zone = "main") {
  return protocol::Event{std::move(zone), 7, seq, 1'700'000'000'000 + static_cast<std::int64_t>(seq) * 1000,
                         std::move(change)};
}

ScreenState called(std::initializer_list<std::pair<const char*, const char*>> calls) {
  ScreenState s;
  std::uint64_t seq = 0;
  for (auto [ticket, window] : calls) s = apply(s, event(++seq, protocol::Called{ticket, window, "", ""}), t0);
  return s;
}

std::vector<std::string> tickets(const ScreenState& s) {
  std::vector<std::string> out;
  for (const auto& c : calls_newest_first(s)) out.push_back(c.ticket);
  return out;
}

}  // namespace

TEST_CASE("a call is listed first and becomes the highlighted call") {
  auto s = called({{"А025", "3"}, {"Б101", "7"}});
  CHECK(tickets(s) == std::vector<std::string>{"Б101", "А025"});
  REQUIRE(s.highlight);
  CHECK(s.highlight->ticket == "Б101");
  CHECK(s.zones["main"].seq == 2);
}

TEST_CASE("a recall moves the call to the top and blinks again") {
  auto s = called({{"А025", "3"}, {"Б101", "7"}});
  s = apply(s, event(3, protocol::Recalled{"А025"}), t0 + 30s);
  CHECK(tickets(s) == std::vector<std::string>{"А025", "Б101"});
  REQUIRE(s.highlight);
  CHECK(s.highlight->ticket == "А025");
  CHECK(s.highlight->since == t0 + 30s);
}

TEST_CASE("finishing or cancelling a call removes it and its highlight") {
  auto s = called({{"А025", "3"}, {"Б101", "7"}});
  s = apply(s, event(3, protocol::Finished{"Б101"}), t0);
  CHECK(tickets(s) == std::vector<std::string>{"А025"});
  CHECK_FALSE(s.highlight);
  s = apply(s, event(4, protocol::Cancelled{"А025"}), t0);
  CHECK(tickets(s).empty());
}

TEST_CASE("finishing an older call keeps the newest call highlighted") {
  auto s = called({{"А025", "3"}, {"Б101", "7"}});
  s = apply(s, event(3, protocol::Finished{"А025"}), t0);
  REQUIRE(s.highlight);
  CHECK(s.highlight->ticket == "Б101");
}

TEST_CASE("a snapshot shows the board without blinking anything") {
  protocol::Board board;
  board.calls = {{"А030", "2", "", "", 5000, 0}, {"А029", "1", "", "", 4000, 0}};
  board.ticker = "Добро пожаловать";
  auto s = apply(ScreenState{}, protocol::Snapshot{"main", 7, 12, board});
  CHECK(tickets(s) == std::vector<std::string>{"А030", "А029"});
  CHECK_FALSE(s.highlight);
  CHECK(s.zones["main"].seq == 12);
  CHECK(ticker_text(s) == "Добро пожаловать");
}

TEST_CASE("a snapshot that no longer has the highlighted call drops the highlight") {
  auto s = called({{"А025", "3"}});
  s = apply(s, protocol::Snapshot{"main", 8, 1, protocol::Board{}});
  CHECK_FALSE(s.highlight);
}

TEST_CASE("calls a screen missed live come back from the hub's board as calls to announce, oldest first") {
  const std::int64_t now = 1'700'000'100'000;
  ZoneView before{7, 3, {}};
  before.board.calls = {{"А020", "1", "", "", now - 20'000, 0}};
  protocol::Board after;
  after.calls = {{"А022", "4", "", "", now - 1'000, 0}, {"А020", "1", "", "", now - 2'000, 1},
                 {"А021", "2", "", "", now - 3'000, 0}, {"Б001", "5", "", "", now - 90'000, 0}};
  const auto missed = missed_calls(before, protocol::Snapshot{"main", 7, 9, after}, now, 30s);

  // Б001 is older than late_after: history, as for a late event. А020 was on the board: a recall.
  REQUIRE(missed.size() == 3);
  CHECK(missed[0].change == protocol::Change{protocol::Called{"А021", "2", "", ""}});
  CHECK(missed[1].change == protocol::Change{protocol::Recalled{"А020"}});
  CHECK(missed[2].change == protocol::Change{protocol::Called{"А022", "4", "", ""}});
  CHECK(missed[2].seq == 9);
  CHECK(missed[2].at == now - 1'000);

  auto s = apply(ScreenState{}, protocol::Snapshot{"main", 7, 9, after});
  for (const auto& call : missed) s = with_highlight(s, call, t0);
  REQUIRE(s.highlight);
  CHECK(s.highlight->ticket == "А022");
}

TEST_CASE("an announcement a screen missed live is said from the hub's board while it is in force") {
  const std::int64_t now = 1'700'000'100'000;
  ZoneView before{7, 3, {}};
  protocol::Board after;
  after.announcement = protocol::Announcement{"Окно 5 закрыто на обед", now + 20'500};
  auto missed = missed_calls(before, protocol::Snapshot{"main", 7, 4, after}, now, 30s);
  REQUIRE(missed.size() == 1);
  CHECK(missed[0].change == protocol::Change{protocol::Announced{"Окно 5 закрыто на обед", 21}});

  before.board.announcement = after.announcement;  // heard already
  CHECK(missed_calls(before, protocol::Snapshot{"main", 7, 4, after}, now, 30s).empty());
  before.board.announcement.reset();
  after.announcement->until = now - 1;  // over
  CHECK(missed_calls(before, protocol::Snapshot{"main", 7, 4, after}, now, 30s).empty());
}

TEST_CASE("a board the screen already had, or its first board, brings no calls to announce") {
  const std::int64_t now = 1'700'000'100'000;
  protocol::Board board;
  board.calls = {{"А030", "2", "", "", now - 1'000, 0}};
  CHECK(missed_calls(ZoneView{}, protocol::Snapshot{"main", 7, 1, board}, now, 30s).empty());
  CHECK(missed_calls(ZoneView{7, 1, board}, protocol::Snapshot{"main", 7, 1, board}, now, 30s).empty());
  // The hub restarted on its journal: the same calls under a new epoch are not news either.
  CHECK(missed_calls(ZoneView{7, 1, board}, protocol::Snapshot{"main", 8, 1, board}, now, 30s).empty());
  // A call made just after the restart is.
  protocol::Board later = board;
  later.calls.insert(later.calls.begin(), protocol::Call{"А031", "3", "", "", now, 0});
  CHECK(missed_calls(ZoneView{7, 1, board}, protocol::Snapshot{"main", 8, 1, later}, now, 30s).size() == 1);
}

TEST_CASE("calls of several zones are merged newest first") {
  ScreenState s;
  s = apply(s, event(1, protocol::Called{"А001", "1", "", ""}, "hall"), t0);
  s = apply(s, event(2, protocol::Called{"Б001", "2", "", ""}, "upstairs"), t0);  // later hub time
  CHECK(tickets(s) == std::vector<std::string>{"Б001", "А001"});
}

TEST_CASE("the window screen shows the newest call of its window") {
  auto s = called({{"А025", "3"}, {"Б101", "7"}, {"А026", "3"}});
  auto current = current_call_of_window(s, "3");
  REQUIRE(current);
  CHECK(current->ticket == "А026");
  CHECK_FALSE(current_call_of_window(s, "9"));
}

TEST_CASE("an announcement is shown until its end on the hub clock") {
  ScreenState s;
  s = apply(s, event(1, protocol::Announced{"Уважаемые посетители!", 10}), t0);
  const std::int64_t at = s.zones["main"].board.announcement->until - 10'000;
  CHECK(announcements_at(s, at + 9'999) == std::vector<std::string>{"Уважаемые посетители!"});
  CHECK(announcements_at(s, at + 10'000).empty());
  CHECK(next_announcement_end(s, at) == at + 10'000);
}

TEST_CASE("the newest call blinks with the configured period, then stays plain") {
  auto s = called({{"А025", "3"}});
  config::DisplaySettings d;
  d.blink_seconds = 4;
  d.blink_period_seconds = 1;
  CHECK(highlight_on(s, d, t0));
  CHECK(highlight_on(s, d, t0 + 499ms));
  CHECK_FALSE(highlight_on(s, d, t0 + 500ms));
  CHECK(highlight_on(s, d, t0 + 1000ms));
  CHECK_FALSE(highlight_on(s, d, t0 + 4000ms));
  CHECK_FALSE(highlight_on(s, d, t0 + 60s));
}

TEST_CASE("the pop-up shows for popup_seconds after a call") {
  auto s = called({{"А025", "3"}});
  config::DisplaySettings d;
  d.popup_seconds = 5;
  CHECK(popup_shown(s, d, t0 + 4999ms));
  CHECK_FALSE(popup_shown(s, d, t0 + 5s));
}

TEST_CASE("a static board sleeps until the clock's next change") {
  ScreenState s;
  config::DisplaySettings d;
  d.clock_format = "%H:%M";
  const Now now{t0, 1'699'999'992'345};  // 12.345 s into a minute
  CHECK(next_redraw(s, d, now, false) == t0 + 47'655ms);
  d.clock_format = "%H:%M:%S";
  CHECK(next_redraw(s, d, now, false) == t0 + 655ms);
}

TEST_CASE("a blinking call wakes the screen at each blink phase and at the pop-up's end") {
  auto s = called({{"А025", "3"}});
  config::DisplaySettings d;
  d.blink_seconds = 3;
  d.blink_period_seconds = 1;
  d.popup_seconds = 1.2;
  const std::int64_t unix = 1'700'000'000'000;
  CHECK(next_redraw(s, d, Now{t0 + 100ms, unix}, false) == t0 + 500ms);
  CHECK(next_redraw(s, d, Now{t0 + 1100ms, unix}, false) == t0 + 1200ms);  // pop-up ends
  CHECK(next_redraw(s, d, Now{t0 + 2900ms, unix}, false) == t0 + 3000ms);  // blinking ends
}

TEST_CASE("a running ticker asks for the next frame on a 60 Hz grid, however long the last one took") {
  ScreenState s;
  config::DisplaySettings d;
  const auto frame = std::chrono::nanoseconds(16'666'666);
  const auto next = next_redraw(s, d, Now{t0, 1'700'000'000'000}, true);
  CHECK(next > t0);
  CHECK(next - t0 <= frame);
  // A frame that took 3 ms to draw still aims at the same next tick (t0 is just past one).
  CHECK(next - t0 > 16ms);
  CHECK(next_redraw(s, d, Now{t0 + 3ms, 1'700'000'000'003}, true) == next);
  CHECK(next_redraw(s, d, Now{next, 1'700'000'000'017}, true) == next + frame);
}
