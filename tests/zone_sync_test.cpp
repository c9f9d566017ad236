// How a screen follows a zone (the Clone pattern), without sockets.
#include <catch2/catch.hpp>

#include <limits>

#include "protocol/zone_sync.hpp"

using namespace tablo::protocol;
using tablo::protocol::Verdict;
using tablo::protocol::ZoneSync;

namespace {

constexpr std::uint64_t epoch = 1'700'000'000'000;
constexpr std::int64_t now = 1'700'000'060'000;
constexpr auto late_after = std::chrono::seconds(30);

Event call(std::uint64_t seq, const std::string& ticket, std::int64_t at = now) {
  return Event{"main", epoch, seq, at, Change{Called{ticket, "3", "", ""}}};
}

ZoneSync synced_at(std::uint64_t seq) {
  ZoneSync sync({"main"}, late_after);
  sync.took(Snapshot{"main", epoch, seq, Board{}});
  return sync;
}

}  // namespace

TEST_CASE("a zone waits for its snapshot before it follows events") {
  ZoneSync sync({"main"}, late_after);
  CHECK(sync.unsynced() == std::vector<std::string>{"main"});
  CHECK(sync.on_event(call(1, "А001"), now) == Verdict::skip);
}

TEST_CASE("the next change is shown, older ones are skipped, a gap asks for a fresh snapshot") {
  auto sync = synced_at(5);
  CHECK(sync.on_event(call(5, "А005"), now) == Verdict::skip);
  CHECK(sync.on_event(call(6, "А006"), now) == Verdict::show);
  CHECK(sync.on_event(call(8, "А008"), now) == Verdict::resync);
  CHECK_FALSE(sync.synced("main"));
}

TEST_CASE("an event of another epoch means the hub restarted") {
  auto sync = synced_at(5);
  Event restarted = call(6, "А006");
  restarted.epoch = epoch + 1;
  CHECK(sync.on_event(restarted, now) == Verdict::resync);
}

TEST_CASE("a heartbeat that is ahead of the screen shows a lost last change at once") {
  auto sync = synced_at(5);
  sync.on_heartbeat(Heartbeat{epoch, now, {{"main", 5}}});
  CHECK(sync.synced("main"));
  sync.on_heartbeat(Heartbeat{epoch, now, {{"main", 6}}});
  CHECK_FALSE(sync.synced("main"));
}

TEST_CASE("a heartbeat of a new epoch asks for a fresh snapshot") {
  auto sync = synced_at(5);
  sync.on_heartbeat(Heartbeat{epoch + 1, now, {{"main", 5}}});
  CHECK_FALSE(sync.synced("main"));
}

TEST_CASE("a change that arrives late updates the board quietly") {
  auto sync = synced_at(0);
  CHECK(sync.on_event(call(1, "А001", now - 31'000), now) == Verdict::show_quietly);
  CHECK(sync.on_event(call(2, "А002", now - 29'000), now) == Verdict::show);
  const auto board = sync.board_of("main");
  CHECK(board.seq == 2);
  REQUIRE(board.board.calls.size() == 2);
  CHECK(board.board.calls[0].ticket == "А002");
}

TEST_CASE("a change is old news by the hub's clock, whatever the screen's own clock says") {
  auto sync = synced_at(0);
  // The hub's clock as the screen reckons it; the event says when the hub made the change.
  const std::int64_t hub_now = now;
  CHECK(sync.on_event(call(1, "А001", hub_now - 29'000), hub_now) == Verdict::show);
  CHECK(sync.on_event(call(2, "А002", hub_now - 31'000), hub_now) == Verdict::show_quietly);
  CHECK(sync.on_event(call(3, "А003", hub_now + 5'000), hub_now) == Verdict::show);  // stamped ahead: news
}

TEST_CASE("before the hub's clock is known, every change that follows the board is news") {
  auto sync = synced_at(0);
  CHECK(sync.on_event(call(1, "А001", 0), std::nullopt) == Verdict::show);
  CHECK(sync.on_event(call(3, "А003", 0), std::nullopt) == Verdict::resync);  // a gap is a gap all the same
}

TEST_CASE("hub times at the ends of their range are judged without overflow") {
  auto sync = synced_at(0);
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  CHECK(sync.on_event(call(1, "А001", max), std::numeric_limits<std::int64_t>::min()) == Verdict::show);
  CHECK(sync.on_event(call(2, "А002", 0), max) == Verdict::show_quietly);
}
