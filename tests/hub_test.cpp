// The hub's command handling, without sockets.
#include <catch2/catch.hpp>

#include "hub/hub.hpp"
#include "protocol/board.hpp"
#include "tablo/version.hpp"

using namespace tablo::protocol;
using tablo::hub::Handled;
using tablo::hub::Hub;

namespace {

constexpr std::uint64_t epoch = 1'700'000'000'000;
constexpr std::int64_t now = 1'700'000'060'000;  // a minute after the start

Command in_zone(const std::string& zone, Action action) { return Command{"id-1", zone, std::move(action)}; }
Command command(Action action) { return in_zone("main", std::move(action)); }
Called call(const std::string& ticket, const std::string& window) { return Called{ticket, window, "", ""}; }

std::uint64_t accepted_seq(const Handled& handled) {
  REQUIRE(std::holds_alternative<Accepted>(handled.reply.answer));
  return std::get<Accepted>(handled.reply.answer).seq;
}

std::string refusal(const Handled& handled) {
  REQUIRE(std::holds_alternative<Refused>(handled.reply.answer));
  return std::get<Refused>(handled.reply.answer).error;
}

Snapshot snapshot_of(Hub& hub, const std::string& zone) {
  auto handled = hub.handle(in_zone(zone, SnapshotRequest{}), now);
  REQUIRE(std::holds_alternative<Snapshot>(handled.reply.answer));
  return std::get<Snapshot>(handled.reply.answer);
}

Status status_of(Hub& hub) {
  auto handled = hub.handle(command(StatusRequest{}), now);
  REQUIRE(std::holds_alternative<Status>(handled.reply.answer));
  return std::get<Status>(handled.reply.answer);
}

}  // namespace

TEST_CASE("a call is accepted with seq 1 and published as an event of its zone") {
  Hub hub(epoch);
  auto handled = hub.handle(command(Change{call("А025", "3")}), now);

  CHECK(handled.reply.id == "id-1");
  CHECK(handled.reply.answer == Answer{Accepted{epoch, 1}});
  REQUIRE(handled.event);
  CHECK(*handled.event == Event{"main", epoch, 1, now, Change{call("А025", "3")}});
}

TEST_CASE("each zone counts its own sequence") {
  Hub hub(epoch);
  CHECK(accepted_seq(hub.handle(in_zone("main", Change{call("А001", "1")}), now)) == 1);
  CHECK(accepted_seq(hub.handle(in_zone("main", Change{call("А002", "2")}), now)) == 2);
  CHECK(accepted_seq(hub.handle(in_zone("hall2", Change{call("Б001", "7")}), now)) == 1);
  CHECK(accepted_seq(hub.handle(in_zone("main", Change{Recalled{"А001"}}), now)) == 3);
}

TEST_CASE("a recall of a ticket that is not on the board is refused and nothing is published") {
  Hub hub(epoch);
  hub.handle(command(Change{call("А025", "3")}), now);

  auto handled = hub.handle(command(Change{Recalled{"А099"}}), now);

  CHECK(refusal(handled) == "ticket А099 is not on the board of zone 'main'");
  CHECK_FALSE(handled.event);
  CHECK(snapshot_of(hub, "main").seq == 1);
}

TEST_CASE("finish and cancel of a ticket that is not on the board are refused too") {
  Hub hub(epoch);
  CHECK_THAT(refusal(hub.handle(command(Change{Finished{"А001"}}), now)), Catch::Contains("А001"));
  CHECK_THAT(refusal(hub.handle(command(Change{Cancelled{"А001"}}), now)), Catch::Contains("not on the board"));
  CHECK(status_of(hub).zones.empty());  // a refused change creates no zone
}

TEST_CASE("a snapshot holds every accepted change and the seq of the last one") {
  Hub hub(epoch);
  Board expected;
  const std::vector<Change> changes = {call("А001", "1"), call("А002", "2"), Recalled{"А001"}, Finished{"А002"},
                                       TickerSet{"Добро пожаловать"}, Announced{"Перерыв", 30}};
  for (const auto& change : changes) {
    hub.handle(command(change), now);
    expected = apply(expected, change, now);
  }
  hub.handle(command(Change{Recalled{"А404"}}), now);  // refused: changes nothing

  auto snapshot = snapshot_of(hub, "main");
  CHECK(snapshot.zone == "main");
  CHECK(snapshot.epoch == epoch);
  CHECK(snapshot.seq == changes.size());
  CHECK(snapshot.board == expected);
}

TEST_CASE("a snapshot of a zone nobody has used is an empty board at seq 0") {
  Hub hub(epoch);
  auto handled = hub.handle(in_zone("lobby", SnapshotRequest{}), now);
  CHECK(handled.reply.answer == Answer{Snapshot{"lobby", epoch, 0, Board{}}});
  CHECK_FALSE(handled.event);
  CHECK(status_of(hub).zones.empty());  // asking does not create the zone
}

TEST_CASE("a clear empties the board and is numbered like any change") {
  Hub hub(epoch);
  hub.handle(command(Change{call("А001", "1")}), now);
  hub.handle(command(Change{call("А002", "2")}), now);

  auto handled = hub.handle(command(Change{Cleared{}}), now);

  CHECK(accepted_seq(handled) == 3);
  REQUIRE(handled.event);
  CHECK(handled.event->change == Change{Cleared{}});
  CHECK(snapshot_of(hub, "main").board.calls.empty());
}

TEST_CASE("status tells the version, epoch, uptime, zones and counters") {
  Hub hub(epoch);
  hub.handle(command(Change{call("А001", "1")}), now);
  hub.handle(in_zone("hall2", Change{call("Б001", "7")}), now);
  hub.handle(in_zone("hall2", Change{call("Б002", "8")}), now);
  hub.handle(command(Change{Recalled{"А404"}}), now);
  hub.count_rejected("malformed");
  hub.count_rejected("malformed");
  hub.count_rejected("version");

  auto status = status_of(hub);

  CHECK(status.hub_version == tablo::version);
  CHECK(status.epoch == epoch);
  CHECK(status.uptime_s == 60);
  CHECK(status.zones == std::map<std::string, ZoneStatus>{{"main", {1, 1}}, {"hall2", {2, 2}}});
  CHECK(status.counters == std::map<std::string, std::uint64_t>{{"commands", 5},  // the status request too
                                                                {"accepted", 3},
                                                                {"accepted.call", 3},
                                                                {"refused", 1},
                                                                {"rejected", 3},
                                                                {"rejected.malformed", 2},
                                                                {"rejected.version", 1}});
}

TEST_CASE("a fresh hub lists its counters at zero") {
  Hub hub(epoch);
  auto counters = status_of(hub).counters;
  CHECK(counters["accepted"] == 0);
  CHECK(counters["refused"] == 0);
  CHECK(counters["rejected"] == 0);
  CHECK(counters.size() == 4);
}

TEST_CASE("the hub keeps at most 64 zones and refuses a 65th with a reason") {
  Hub hub(epoch);
  for (std::size_t i = 0; i < tablo::hub::max_zones; ++i) {
    accepted_seq(hub.handle(in_zone("hall" + std::to_string(i), Change{TickerSet{"hi"}}), now));
  }

  auto handled = hub.handle(in_zone("one-too-many", Change{TickerSet{"hi"}}), now);

  CHECK_THAT(refusal(handled), Catch::Contains("one-too-many") && Catch::Contains("at most 64 zones"));
  CHECK_FALSE(handled.event);
  CHECK(accepted_seq(hub.handle(in_zone("hall0", Change{TickerSet{"still"}}), now)) == 2);
}

TEST_CASE("a pushed playlist is a numbered change on the zone's board, and an empty one withdraws it") {
  Hub hub(epoch);
  const std::string playlist = "[[item]]\nfile = \"ролик.mp4\"\n";
  CHECK(accepted_seq(hub.handle(command(Change{call("А001", "1")}), now)) == 1);
  auto handled = hub.handle(command(Change{PlaylistSet{playlist}}), now);
  CHECK(accepted_seq(handled) == 2);
  REQUIRE(handled.event);
  CHECK(handled.event->change == Change{PlaylistSet{playlist}});
  CHECK(snapshot_of(hub, "main").board.playlist == playlist);
  // Clearing the board takes calls and the announcement, not the playlist.
  hub.handle(command(Change{Cleared{}}), now);
  CHECK(snapshot_of(hub, "main").board.playlist == playlist);
  CHECK(accepted_seq(hub.handle(command(Change{PlaylistSet{""}}), now)) == 4);
  CHECK(snapshot_of(hub, "main").board.playlist.empty());
  // Kept across a restart with the boards.
  hub.handle(Command{"id-5", "main", Change{PlaylistSet{playlist}}}, now);  // another id: not a repeat of the first
  Hub again(epoch + 1);
  again.restore(hub.saved(), now);
  CHECK(snapshot_of(again, "main").board.playlist == playlist);
}

TEST_CASE("screens' reports and relayed requests are not the boards' business") {
  Hub hub(epoch);
  CHECK_THAT(refusal(hub.handle(command(ScreenAction{ScreensRequest{}}), now)), Catch::Contains("hub's server"));
  CHECK(snapshot_of(hub, "main").seq == 0);
}

TEST_CASE("a ticket typed with Latin look-alikes is the Cyrillic ticket the hall reads: shown, recalled, journaled") {
  Hub hub(epoch);  // a branch's default: Cyrillic
  std::vector<tablo::hub::Recorded> journal;
  hub.record_with([&](const tablo::hub::Recorded& r) { journal.push_back(r); });

  auto called = hub.handle(command(Change{call("H025", "3")}), now);  // Latin H
  REQUIRE(called.event);
  CHECK(called.event->change == Change{call("Н025", "3")});
  CHECK(snapshot_of(hub, "main").board.calls.at(0).ticket == "Н025");
  REQUIRE(journal.size() == 1);
  CHECK(journal[0].event.change == Change{call("Н025", "3")});

  auto recalled = hub.handle(command(Change{Recalled{"H025"}}), now);
  CHECK(accepted_seq(recalled) == 2);
  CHECK(recalled.event->change == Change{Recalled{"Н025"}});
  CHECK(accepted_seq(hub.handle(command(Change{Finished{"h025"}}), now)) == 3);  // lower case too
  CHECK(snapshot_of(hub, "main").board.calls.empty());
}

TEST_CASE("tickets are upper case as printed; a word with a letter of no look-alike keeps its letters") {
  Hub hub(epoch);
  hub.handle(command(Change{call("н025", "Kacca")}), now);
  hub.handle(Command{"id-2", "main", Change{call("HF1", "Desk 3")}}, now);
  hub.handle(Command{"id-3", "main", Change{call("Aб7", "1")}}, now);
  const auto calls = snapshot_of(hub, "main").board.calls;
  REQUIRE(calls.size() == 3);
  CHECK(calls[2].ticket == "Н025");
  CHECK(calls[2].window == "Касса");  // a window's case stays, its look-alikes are Cyrillic
  CHECK(calls[1].ticket == "HF1");    // F looks like no Cyrillic letter: the word stays Latin
  CHECK(calls[1].window == "Desk 3");
  CHECK(calls[0].ticket == "АБ7");
}

TEST_CASE("a zone may have Latin tickets, or tickets as typed") {
  tablo::config::TicketLetters letters;
  letters.zones = {{"lobby", tablo::config::Alphabet::latin}, {"raw", tablo::config::Alphabet::as_typed}};
  Hub hub(epoch, letters);
  hub.handle(in_zone("lobby", Change{call("Н025", "С1")}), now);
  hub.handle(in_zone("raw", Change{call("h025", "1")}), now);
  hub.handle(in_zone("main", Change{call("h025", "1")}), now);
  CHECK(snapshot_of(hub, "lobby").board.calls.at(0).ticket == "H025");
  CHECK(snapshot_of(hub, "lobby").board.calls.at(0).window == "C1");
  CHECK(snapshot_of(hub, "raw").board.calls.at(0).ticket == "h025");
  CHECK(snapshot_of(hub, "main").board.calls.at(0).ticket == "Н025");
  CHECK_THAT(refusal(hub.handle(in_zone("raw", Change{Recalled{"H025"}}), now)), Catch::Contains("not on the board"));
}

TEST_CASE("a command sent again with its ticket typed the other way is the same command") {
  Hub hub(epoch);
  const auto first = hub.handle(command(Change{call("H025", "3")}), now);
  const auto again = hub.handle(command(Change{call("Н025", "3")}), now);
  CHECK(again.reply.answer == first.reply.answer);
  CHECK_FALSE(again.event);
  CHECK(status_of(hub).counters["repeated"] == 1);
}

TEST_CASE("boards kept from before are written in the zone's alphabet when the hub starts") {
  tablo::hub::SavedState saved;
  saved.zones["main"] = tablo::hub::SavedZone{
      Board{{Call{"H025", "3", "", "", now, 0}, Call{"Н025", "1", "", "", now - 1000, 0}, Call{"A7", "2", "", "", now - 2000, 0}},
            "", std::nullopt, "", {}},
      5};
  Hub hub(epoch);
  hub.restore(saved, now);
  const auto board = snapshot_of(hub, "main").board;
  REQUIRE(board.calls.size() == 2);  // H025 and Н025 were one ticket: the newer call stays
  CHECK(board.calls[0] == Call{"Н025", "3", "", "", now, 0});
  CHECK(board.calls[1].ticket == "А7");
  CHECK(accepted_seq(hub.handle(command(Change{Recalled{"H025"}}), now)) == 6);
}
