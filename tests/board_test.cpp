#include <catch2/catch.hpp>

#include <limits>
#include <string>

#include "protocol/board.hpp"

using namespace tablo::protocol;

namespace {

Called call(std::string ticket, std::string window) { return Called{std::move(ticket), std::move(window), "", ""}; }

// A board after the given changes, each made one second after the one before.
template <class... Changes>
Board board_after(const Changes&... changes) {
  Board board;
  std::int64_t at = 1'000'000;
  ((board = apply(std::move(board), Change{changes}, at += 1000)), ...);
  return board;
}

std::vector<std::string> tickets(const Board& board) {
  std::vector<std::string> out;
  for (const auto& c : board.calls) out.push_back(c.ticket);
  return out;
}

using Tickets = std::vector<std::string>;

}  // namespace

TEST_CASE("a call goes to the top of the board with its window, service, text and time") {
  Board board = board_after(call("A001", "1"));
  board = apply(std::move(board), Called{"Б002", "3", "Кредиты", "пройдите к окну"}, 5000);

  REQUIRE(tickets(board) == Tickets{"Б002", "A001"});
  const Call& top = board.calls.front();
  CHECK(top.window == "3");
  CHECK(top.service == "Кредиты");
  CHECK(top.text == "пройдите к окну");
  CHECK(top.called_at == 5000);
  CHECK(top.recalls == 0);
}

TEST_CASE("calling a ticket already on the board moves it to the top with its new window") {
  Board board = board_after(call("A001", "1"), Recalled{"A001"}, call("A002", "2"));
  REQUIRE(tickets(board) == Tickets{"A002", "A001"});
  REQUIRE(board.calls.back().recalls == 1);

  board = apply(std::move(board), call("A001", "7"), 9000);

  REQUIRE(tickets(board) == Tickets{"A001", "A002"});
  CHECK(board.calls.front().window == "7");
  CHECK(board.calls.front().called_at == 9000);
  CHECK(board.calls.front().recalls == 0);
}

TEST_CASE("a recall moves the call to the top, keeps its window and counts it") {
  Board board = board_after(call("A001", "1"), call("A002", "2"));

  board = apply(std::move(board), Recalled{"A001"}, 7000);
  REQUIRE(tickets(board) == Tickets{"A001", "A002"});
  CHECK(board.calls.front().window == "1");
  CHECK(board.calls.front().called_at == 7000);
  CHECK(board.calls.front().recalls == 1);

  board = apply(std::move(board), Recalled{"A001"}, 8000);
  CHECK(board.calls.front().recalls == 2);
}

TEST_CASE("a recall counted past the largest int stays at the largest int") {
  Board board;
  board.calls.push_back(Call{"A001", "1", "", "", 0, std::numeric_limits<int>::max()});

  board = apply(std::move(board), Recalled{"A001"}, 1000);

  CHECK(board.calls.front().recalls == std::numeric_limits<int>::max());
}

TEST_CASE("finish and cancel take the call off the board") {
  const Board board = board_after(call("A001", "1"), call("A002", "2"), call("A003", "3"));

  CHECK(tickets(apply(board, Finished{"A002"}, 0)) == Tickets{"A003", "A001"});
  CHECK(tickets(apply(board, Cancelled{"A003"}, 0)) == Tickets{"A002", "A001"});
}

TEST_CASE("recall, finish and cancel of a ticket not on the board change nothing") {
  const Board board = board_after(call("A001", "1"), TickerSet{"Добро пожаловать"});

  CHECK(apply(board, Recalled{"Z999"}, 99'000) == board);
  CHECK(apply(board, Finished{"Z999"}, 99'000) == board);
  CHECK(apply(board, Cancelled{"Z999"}, 99'000) == board);
}

TEST_CASE("clear empties the calls and the announcement but keeps the ticker") {
  const Board board = board_after(call("A001", "1"), call("A002", "2"), Announced{"Внимание", 30},
                                  TickerSet{"Часы работы: 9–18"}, Cleared{});

  CHECK(board.calls.empty());
  CHECK_FALSE(board.announcement.has_value());
  CHECK(board.ticker == "Часы работы: 9–18");
}

TEST_CASE("an announcement shows its text until `seconds` after the time it was made") {
  const Board board = apply(Board{}, Announced{"Уважаемые клиенты", 20}, 1'700'000'000'000);

  REQUIRE(board.announcement.has_value());
  CHECK(board.announcement->text == "Уважаемые клиенты");
  CHECK(board.announcement->until == 1'700'000'020'000);
}

TEST_CASE("a new announcement replaces the running one") {
  Board board = apply(Board{}, Announced{"first", 60}, 1000);
  board = apply(std::move(board), Announced{"second", 10}, 2000);

  REQUIRE(board.announcement.has_value());
  CHECK(board.announcement->text == "second");
  CHECK(board.announcement->until == 12'000);
}

TEST_CASE("an announcement made at the end of time does not overflow its expiry") {
  constexpr auto end_of_time = std::numeric_limits<std::int64_t>::max() - 5;
  const Board board = apply(Board{}, Announced{"late", 600}, end_of_time);

  REQUIRE(board.announcement.has_value());
  CHECK(board.announcement->until == std::numeric_limits<std::int64_t>::max());
}

TEST_CASE("an empty announcement clears the running one") {
  Board board = apply(Board{}, Announced{"Внимание", 30}, 1000);
  board = apply(std::move(board), Announced{"", 15}, 2000);

  CHECK_FALSE(board.announcement.has_value());
}

TEST_CASE("the ticker is set by its text and cleared by an empty one") {
  Board board = apply(Board{}, TickerSet{"Бегущая строка"}, 0);
  CHECK(board.ticker == "Бегущая строка");

  board = apply(std::move(board), TickerSet{""}, 0);
  CHECK(board.ticker.empty());
}

TEST_CASE("the board keeps at most max_board_calls calls and drops the oldest") {
  Board board;
  for (std::size_t i = 0; i < max_board_calls + 5; ++i) {
    board = apply(std::move(board), call("T" + std::to_string(i), "1"), static_cast<std::int64_t>(i));
  }

  REQUIRE(board.calls.size() == max_board_calls);
  CHECK(board.calls.front().ticket == "T" + std::to_string(max_board_calls + 4));
  CHECK(board.calls.back().ticket == "T5");
  CHECK(find_call(board, "T4") == nullptr);
}

TEST_CASE("calling a ticket already on a full board keeps every other call") {
  Board board;
  for (std::size_t i = 0; i < max_board_calls; ++i) {
    board = apply(std::move(board), call("T" + std::to_string(i), "1"), 0);
  }

  board = apply(std::move(board), call("T0", "2"), 0);

  CHECK(board.calls.size() == max_board_calls);
  CHECK(board.calls.front().ticket == "T0");
  CHECK(board.calls.back().ticket == "T1");
}

TEST_CASE("find_call gives the call of a ticket, or nothing") {
  const Board board = board_after(call("A001", "1"), call("A002", "2"));

  REQUIRE(find_call(board, "A001") != nullptr);
  CHECK(find_call(board, "A001")->window == "1");
  CHECK(find_call(board, "A003") == nullptr);
}

TEST_CASE("the current call of a window is its newest call on the board") {
  Board board = board_after(call("A001", "1"), call("A002", "2"), call("A003", "1"));

  REQUIRE(current_call_of_window(board, "1") != nullptr);
  CHECK(current_call_of_window(board, "1")->ticket == "A003");
  CHECK(current_call_of_window(board, "2")->ticket == "A002");
  CHECK(current_call_of_window(board, "9") == nullptr);

  SECTION("and when that call is finished, the window shows its previous one") {
    board = apply(std::move(board), Finished{"A003"}, 0);
    CHECK(current_call_of_window(board, "1")->ticket == "A001");
  }
  SECTION("and a recall of an older call of the window makes it current again") {
    board = apply(std::move(board), Recalled{"A001"}, 0);
    CHECK(current_call_of_window(board, "1")->ticket == "A001");
  }
}

TEST_CASE("apply leaves the board it was given untouched") {
  const Board before = board_after(call("A001", "1"));
  const Board copy = before;

  (void)apply(before, Cleared{}, 0);

  CHECK(before == copy);
}

TEST_CASE("a window screen set in Latin letters finds its window the hub wrote in Cyrillic") {
  Board board = board_after(call("Н001", "А1"), call("Н002", "Б2"));
  REQUIRE(current_call_of_window(board, "A1") != nullptr);  // Latin A
  CHECK(current_call_of_window(board, "A1")->ticket == "Н001");
  CHECK(current_call_of_window(board, "А1")->ticket == "Н001");
  CHECK(current_call_of_window(board, "B2") == nullptr);  // Latin B is the hall's В, not Б
}
