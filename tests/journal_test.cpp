// The journal and the memory of recent commands: what the hub keeps across kill -9.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "hub/hub.hpp"
#include "hub/journal.hpp"
#include "hub/journal_format.hpp"
#include "hub/journal_link.hpp"
#include "hub/recent_commands.hpp"
#include "protocol/board.hpp"
#include "tests/support/process.hpp"

using namespace tablo::protocol;
using namespace tablo::hub;
namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t epoch = 1'700'000'000'000;
constexpr std::int64_t now = 1'700'000'060'000;

Command call_command(const std::string& id, const std::string& ticket, const std::string& window = "3",
                     const std::string& zone = "main") {
  return Command{id, zone, Change{Called{ticket, window, "", ""}}};
}

std::uint64_t accepted_seq(const Handled& handled) {
  REQUIRE(std::holds_alternative<Accepted>(handled.reply.answer));
  return std::get<Accepted>(handled.reply.answer).seq;
}

Snapshot snapshot_of(Hub& hub, const std::string& zone = "main") {
  auto handled = hub.handle(Command{"", zone, SnapshotRequest{}}, now);
  REQUIRE(std::holds_alternative<Snapshot>(handled.reply.answer));
  return std::get<Snapshot>(handled.reply.answer);
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void append_text(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::app) << text;
}

// A hub on a journal folder, as tablo-hub runs one.
struct JournaledHub {
  Hub hub;
  std::unique_ptr<Journal> journal;
  JournaledHub(const std::string& dir, std::uint64_t hub_epoch)
      : hub(hub_epoch), journal(attach_journal(hub, dir, static_cast<std::int64_t>(hub_epoch))) {}
};

}  // namespace

TEST_CASE("a change line and the boards file read back as written") {
  const Recorded change{"op-7", Event{"hall-2", epoch, 42, now, Change{Called{"Б007", "12", "Кредиты", "к окну"}}}};
  auto line = read_change_line(change_line(change));
  REQUIRE(line);
  CHECK(*line == change);

  SavedState state;
  state.zones["main"] = SavedZone{apply(Board{}, Called{"А001", "1", "", ""}, now), 7};
  state.zones["hall-2"] =
      SavedZone{Board{{}, "Часы работы", Announcement{"Закрываемся", now + 5000}, "[[item]]\nfile = \"ролик.mp4\"\n", {}}, 3};
  state.recent.push_back(change);
  auto file = read_boards_file(boards_file(state));
  REQUIRE(file);
  CHECK(*file == state);
}

TEST_CASE("a change copied from the regional hub keeps where it came from, in its line and across restarts") {
  const Origin from{"region", epoch - 5000, 41, now - 20};
  const Recorded copied{"", Event{"main", epoch, 3, now, Change{TickerSet{"Закрыто 31 декабря"}}}, from};
  auto line = read_journal_line(journal_line(copied));
  REQUIRE(line);
  CHECK(*line == copied);
  CHECK_FALSE(read_change_line(R"({"from":{"upstream":"region","epoch":1},"v":1,"type":"ticker","zone":"main","epoch":1,"seq":1,"at":1,"text":""})"));

  tablo::test::TempDir dir;
  const Followed expected{epoch - 5000, 42, Board{{}, "Закрыто 31 декабря", Announcement{"С Новым годом", now + 9980}, "", {}}};
  {
    JournaledHub first(dir.path(), epoch);
    accepted_seq(first.hub.copy_from_upstream("main", TickerSet{"Закрыто 31 декабря"}, from, now));
    accepted_seq(first.hub.copy_from_upstream("main", Announced{"С Новым годом", 10}, Origin{"region", epoch - 5000, 42, now - 20}, now));
    accepted_seq(first.hub.copy_from_upstream("hall-2", Announced{"С Новым годом", 10}, Origin{"region", epoch - 5000, 42, now - 20}, now));
    CHECK(first.hub.followed().at("region") == expected);
  }  // no compaction on the way out: the lines alone
  {
    JournaledHub second(dir.path(), epoch + 1000);  // replays the lines, then compacts
    CHECK(second.hub.followed().at("region") == expected);
    CHECK(snapshot_of(second.hub).board.ticker == "Закрыто 31 декабря");
  }
  JournaledHub third(dir.path(), epoch + 2000);  // from boards.json
  CHECK(third.hub.followed().at("region") == expected);
}

TEST_CASE("a damaged change line is refused with the reason") {
  CHECK_FALSE(read_change_line(R"({"v":1,"type":"call","zone":"main","epoch":1,"seq":1,"at":1,"ticket":"А1"})"));
  CHECK_FALSE(read_change_line("{\"v\":1,\"type\":\"call\",\"zo"));
  CHECK_FALSE(read_change_line(R"({"v":1,"type":"heartbeat","epoch":1,"at":1})"));
}

TEST_CASE("after a restart the boards are exactly as they were and the sequence carries on") {
  tablo::test::TempDir dir;
  Board before;
  {
    JournaledHub first(dir.path(), epoch);
    CHECK(accepted_seq(first.hub.handle(call_command("a", "А001"), now)) == 1);
    CHECK(accepted_seq(first.hub.handle(call_command("b", "А002", "5"), now + 1)) == 2);
    CHECK(accepted_seq(first.hub.handle(Command{"c", "main", Change{Recalled{"А001"}}}, now + 2)) == 3);
    CHECK(accepted_seq(first.hub.handle(Command{"d", "main", Change{TickerSet{"Добро пожаловать"}}}, now + 3)) == 4);
    CHECK(accepted_seq(first.hub.handle(call_command("e", "Б001", "7", "hall-2"), now + 4)) == 1);
    before = snapshot_of(first.hub).board;
  }  // no compaction on the way out: what a kill -9 leaves

  JournaledHub second(dir.path(), epoch + 1000);
  const auto after = snapshot_of(second.hub);
  CHECK(after.board == before);
  CHECK(after.seq == 4);
  CHECK(after.epoch == epoch + 1000);
  CHECK(snapshot_of(second.hub, "hall-2").seq == 1);
  CHECK(accepted_seq(second.hub.handle(call_command("f", "А003"), now + 5)) == 5);
}

TEST_CASE("a last line cut short by a crash is dropped and the journal goes on after it") {
  tablo::test::TempDir dir;
  {
    JournaledHub first(dir.path(), epoch);
    first.hub.handle(call_command("a", "А001"), now);
    first.hub.handle(call_command("b", "А002"), now);
  }
  const fs::path changes = fs::path(dir.path()) / "changes.jsonl";
  const std::string whole = read_text(changes);
  append_text(changes, R"({"at":1700000060000,"epoch":1700000000000,"seq":3,"ticket":"А0)");

  {
    JournaledHub second(dir.path(), epoch + 1);
    CHECK(snapshot_of(second.hub).seq == 2);
    CHECK(snapshot_of(second.hub).board.calls.size() == 2);
    CHECK(accepted_seq(second.hub.handle(call_command("c", "А003"), now)) == 3);
  }
  JournaledHub third(dir.path(), epoch + 2);
  CHECK(snapshot_of(third.hub).seq == 3);
  CHECK(find_call(snapshot_of(third.hub).board, "А003"));
}

bool damaged_copy_kept(const fs::path& dir) {
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().starts_with("changes.jsonl.damaged-")) return true;
  }
  return false;
}

TEST_CASE("a last line that ends in a line break but does not read is damage, not a torn write") {
  tablo::test::TempDir dir;
  const fs::path changes = fs::path(dir.path()) / "changes.jsonl";
  {
    JournaledHub first(dir.path(), epoch);
    first.hub.handle(call_command("a", "А001"), now);
  }
  append_text(changes, std::string("\0\0\0\0\n", 5));
  JournaledHub second(dir.path(), epoch + 1);
  CHECK(snapshot_of(second.hub).seq == 1);
  const auto lost = second.hub.status(now).journal_lost;
  REQUIRE(lost.size() == 1);
  CHECK(lost[0].zone.empty());
  CHECK_THAT(lost[0].problem, Catch::Contains("changes.jsonl line 2"));
  CHECK(damaged_copy_kept(dir.path()));
}

TEST_CASE("a damaged line in the middle loses only itself: the lines after it are replayed and the loss is listed") {
  tablo::test::TempDir dir;
  const fs::path changes = fs::path(dir.path()) / "changes.jsonl";
  {
    JournaledHub first(dir.path(), epoch);
    for (const char* t : {"Л001", "Л002", "Л003", "Л004"}) first.hub.handle(call_command(std::string("id-") + t, t), now);
  }
  SECTION("one changed byte: the checksum finds it, and the change can still be read") {
    std::string text = read_text(changes);
    const std::string ticket = "\"ticket\":\"Л002\"";
    const auto at = text.find(ticket);
    REQUIRE(at != std::string::npos);
    text.replace(at, ticket.size(), "\"ticket\":\"Л00Z\"");  // still JSON, wrong bytes
    std::ofstream(changes, std::ios::trunc) << text;
    JournaledHub second(dir.path(), epoch + 1);
    const auto board = snapshot_of(second.hub);
    CHECK(board.seq == 4);
    CHECK(find_call(board.board, "Л001"));
    CHECK_FALSE(find_call(board.board, "Л002"));
    CHECK_FALSE(find_call(board.board, "Л00Z"));
    CHECK(find_call(board.board, "Л003"));
    CHECK(find_call(board.board, "Л004"));
    const auto lost = second.hub.status(now).journal_lost;
    REQUIRE(lost.size() == 1);
    CHECK(lost[0].zone == "main");
    CHECK(lost[0].seq == 2);
    CHECK_THAT(lost[0].change, Catch::Contains("Л00Z"));
    CHECK_THAT(lost[0].problem, Catch::Contains("line 2") && Catch::Contains("checksum"));
    CHECK(damaged_copy_kept(dir.path()));
  }
  SECTION("a line turned to garbage: its place in the sequence names it") {
    std::string text = read_text(changes);
    const auto second_line = text.find('\n') + 1;
    const auto third_line = text.find('\n', second_line) + 1;
    text.replace(second_line, third_line - second_line - 1, "#@!garbage");
    std::ofstream(changes, std::ios::trunc) << text;
    JournaledHub second(dir.path(), epoch + 1);
    CHECK(snapshot_of(second.hub).seq == 4);
    CHECK(snapshot_of(second.hub).board.calls.size() == 3);
    const auto lost = second.hub.status(now).journal_lost;
    REQUIRE(lost.size() == 1);
    CHECK(lost[0].zone == "main");
    CHECK(lost[0].seq == 2);
    CHECK_THAT(lost[0].change, Catch::Contains("#@!garbage"));
  }
  // The good lines were written down afresh: the next start finds nothing wrong.
  JournaledHub third(dir.path(), epoch + 2);
  CHECK(snapshot_of(third.hub).seq == 4);
  CHECK(third.hub.status(now).journal_lost.empty());
}

TEST_CASE("a journal written before lines had checksums is read as it is") {
  tablo::test::TempDir dir;
  const fs::path changes = fs::path(dir.path()) / "changes.jsonl";
  append_text(changes, change_line(Recorded{"a", Event{"main", epoch, 1, now, Change{Called{"А001", "1", "", ""}}}}) +
                           "\n" + change_line(Recorded{"b", Event{"main", epoch, 2, now, Change{Called{"А002", "2", "", ""}}}}) +
                           "\n");
  JournaledHub hub(dir.path(), epoch + 1);
  CHECK(snapshot_of(hub.hub).seq == 2);
  CHECK(hub.hub.status(now).journal_lost.empty());
}

TEST_CASE("compaction folds the changes into boards.json and keeps the journal small") {
  tablo::test::TempDir dir;
  Board before;
  {
    Hub hub(epoch);
    auto journal = std::make_unique<Journal>(dir.path(), /*compact_after=*/10);
    hub.restore(journal->recover(), now);
    hub.record_with([&](const Recorded& change) {
      if (journal->compaction_due()) journal->compact(hub.saved());
      journal->append(change);
    });
    for (int i = 0; i < 35; ++i) hub.handle(call_command("id-" + std::to_string(i), "А" + std::to_string(i)), now);
    before = snapshot_of(hub).board;
    // 35 changes, compacted after each 10: five lines are left.
    int lines = 0;
    for (char c : read_text(fs::path(dir.path()) / "changes.jsonl")) lines += c == '\n';
    CHECK(lines == 5);
  }
  JournaledHub again(dir.path(), epoch + 1);
  CHECK(snapshot_of(again.hub).board == before);
  CHECK(snapshot_of(again.hub).seq == 35);
}

TEST_CASE("a second hub on the same journal is refused with the folder's name") {
  tablo::test::TempDir dir;
  Journal first(dir.path());
  // flock belongs to the open file, so even a second open in this process is refused.
  CHECK_THROWS_WITH(Journal(dir.path()), Catch::Contains("another tablo-hub is using the journal in " + dir.path()));
}

TEST_CASE("a command sent again with the same id and content is answered, not applied again") {
  Hub hub(epoch);
  const auto first = hub.handle(call_command("op3-17", "А025"), now);
  const auto again = hub.handle(call_command("op3-17", "А025"), now + 5000);

  CHECK(again.reply == first.reply);
  CHECK_FALSE(again.event);
  CHECK(snapshot_of(hub).seq == 1);
}

TEST_CASE("the same id with other content is another command: an integrator always sending id 1 loses nothing") {
  Hub hub(epoch);
  CHECK(accepted_seq(hub.handle(call_command("1", "А001"), now)) == 1);
  CHECK(accepted_seq(hub.handle(call_command("1", "А002"), now)) == 2);
  CHECK(accepted_seq(hub.handle(call_command("1", "А001", "4"), now)) == 3);
  CHECK(accepted_seq(hub.handle(call_command("1", "А001", "4", "hall-2"), now)) == 1);
  CHECK(snapshot_of(hub).board.calls.size() == 2);
}

TEST_CASE("commands without an id are never taken for retries") {
  Hub hub(epoch);
  hub.handle(call_command("", "А001"), now);
  hub.handle(call_command("", "А001"), now);
  CHECK(snapshot_of(hub).seq == 2);
}

TEST_CASE("a retry after a restart is still answered from the journal") {
  tablo::test::TempDir dir;
  Reply original;
  {
    JournaledHub first(dir.path(), epoch);
    original = first.hub.handle(call_command("lost-reply", "А777"), now).reply;
  }
  JournaledHub second(dir.path(), epoch + 1);
  auto retried = second.hub.handle(call_command("lost-reply", "А777"), now + 2000);
  CHECK(retried.reply == original);
  CHECK_FALSE(retried.event);
  CHECK(snapshot_of(second.hub).seq == 1);
}

TEST_CASE("recent commands are forgotten after the window and beyond the count") {
  RecentCommands recent(std::chrono::seconds(10), 3);
  for (int i = 0; i < 4; ++i) recent.remember(call_command(std::to_string(i), "А1"), Accepted{1, 1}, now);
  CHECK(recent.size() == 3);
  CHECK_FALSE(recent.find(call_command("0", "А1"), now));  // pushed out by the count
  CHECK(recent.find(call_command("3", "А1"), now + 9'999));
  CHECK_FALSE(recent.find(call_command("3", "А1"), now + 10'000));
  CHECK(recent.size() == 0);
}

TEST_CASE("a change the journal cannot save is refused and the board stays as it was") {
  Hub hub(epoch);
  hub.handle(call_command("a", "А001"), now);
  hub.record_with([](const Recorded&) { throw JournalError("cannot write to /full/changes.jsonl: No space left"); });
  auto handled = hub.handle(call_command("b", "А002"), now);
  REQUIRE(std::holds_alternative<Refused>(handled.reply.answer));
  CHECK_THAT(std::get<Refused>(handled.reply.answer).error, Catch::Contains("No space left"));
  CHECK_FALSE(handled.event);
  CHECK(snapshot_of(hub).seq == 1);
  hub.record_with({});
  CHECK(accepted_seq(hub.handle(call_command("b", "А002"), now)) == 2);  // the retry goes through
}

TEST_CASE("heartbeats carry each zone's latest sequence number") {
  Hub hub(epoch);
  hub.handle(call_command("a", "А001"), now);
  hub.handle(call_command("b", "Б001", "2", "hall-2"), now);
  hub.handle(call_command("c", "Б002", "2", "hall-2"), now);
  CHECK(hub.heartbeat(now).seqs == std::map<std::string, std::uint64_t>{{"main", 1}, {"hall-2", 2}});
}

TEST_CASE("10 000 large tickers leave the remembered commands and the journal bounded in bytes") {
  RecentCommands recent;
  const std::string text(4000, 'x');
  for (int i = 0; i < 10'000; ++i) {
    const Command ticker{"t-" + std::to_string(i), "main", Change{TickerSet{text + std::to_string(i)}}};
    recent.remember(ticker, Accepted{epoch, static_cast<std::uint64_t>(i + 1)}, now);
  }
  CHECK(recent.bytes() <= remember_at_most_bytes);
  CHECK(recent.size() < 10'000);
  CHECK(recent.size() > 100);  // still a few hundred retries' worth of memory
  // The newest is remembered, the oldest forgotten.
  CHECK(recent.find(Command{"t-9999", "main", Change{TickerSet{text + "9999"}}}, now));
  CHECK_FALSE(recent.find(Command{"t-0", "main", Change{TickerSet{text + "0"}}}, now));
}

TEST_CASE("the journal is compacted by its size too, and boards.json holds only what is remembered") {
  tablo::test::TempDir dir;
  constexpr std::uint64_t size_limit = 256 * 1024;
  Hub hub(epoch);
  auto journal = std::make_unique<Journal>(dir.path(), compact_after_changes, size_limit);
  hub.restore(journal->recover(), now);
  std::uintmax_t largest_changes = 0;
  hub.record_with([&](const Recorded& change) {
    if (journal->compaction_due()) journal->compact(hub.saved());
    journal->append(change);
    largest_changes = std::max(largest_changes, fs::file_size(fs::path(dir.path()) / "changes.jsonl"));
  });
  const std::string text(4000, 'x');
  for (int i = 0; i < 1200; ++i) {
    REQUIRE(accepted_seq(hub.handle(Command{"t-" + std::to_string(i), "main", Change{TickerSet{text + std::to_string(i)}}}, now)) ==
            static_cast<std::uint64_t>(i + 1));
  }
  CHECK(largest_changes <= size_limit + 5000);  // one ticker's line past the limit, at most
  // 1200 tickers of 4 KB are 4.8 MB; the remembered ones are at most half the bound's bytes.
  CHECK(fs::file_size(fs::path(dir.path()) / "boards.json") <= remember_at_most_bytes / 2 + 64 * 1024);
  CHECK(fs::file_size(fs::path(dir.path()) / "boards.json") > 100 * 4000);
}
