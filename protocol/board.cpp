#include "protocol/board.hpp"

#include <algorithm>
#include <limits>

#include "letters/letters.hpp"

namespace tablo::protocol {
namespace {

std::vector<Call>::iterator locate(std::vector<Call>& calls, std::string_view ticket) {
  return std::find_if(calls.begin(), calls.end(), [&](const Call& c) { return c.ticket == ticket; });
}

// `at` plus `seconds`, held within int64 so that no clock reading can overflow it.
std::int64_t until(std::int64_t at, int seconds) {
  constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t min = std::numeric_limits<std::int64_t>::min();
  const std::int64_t ms = std::int64_t{seconds} * 1000;
  if (ms > 0 && at > max - ms) return max;
  if (ms < 0 && at < min - ms) return min;
  return at + ms;
}

struct Reducer {
  Board& board;
  std::int64_t at;

  void operator()(const Called& c) {
    // Calling a ticket that is already up moves it to the top with its new window.
    if (auto it = locate(board.calls, c.ticket); it != board.calls.end()) board.calls.erase(it);
    board.calls.insert(board.calls.begin(), Call{c.ticket, c.window, c.service, c.text, at, 0});
    if (board.calls.size() > max_board_calls) board.calls.resize(max_board_calls);
  }
  void operator()(const Recalled& r) {
    auto it = locate(board.calls, r.ticket);
    if (it == board.calls.end()) return;
    Call call = *it;
    board.calls.erase(it);
    call.called_at = at;
    if (call.recalls < std::numeric_limits<int>::max()) ++call.recalls;
    board.calls.insert(board.calls.begin(), std::move(call));
  }
  void operator()(const Finished& f) { remove(f.ticket); }
  void operator()(const Cancelled& c) { remove(c.ticket); }
  void operator()(const Cleared&) {
    board.calls.clear();
    board.announcement.reset();
  }
  void operator()(const Announced& a) {
    if (a.text.empty()) {
      board.announcement.reset();
    } else {
      board.announcement = Announcement{a.text, until(at, a.seconds)};
    }
  }
  void operator()(const TickerSet& t) { board.ticker = t.text; }
  void operator()(const PlaylistSet& p) {
    board.playlist = p.text;
    board.playlist_media = p.text.empty() ? PlaylistMedia{} : p.media;
  }

  void remove(std::string_view ticket) {
    if (auto it = locate(board.calls, ticket); it != board.calls.end()) board.calls.erase(it);
  }
};

}  // namespace

Board apply(Board board, const Change& change, std::int64_t at) {
  std::visit(Reducer{board, at}, change);
  return board;
}

const Call* find_call(const Board& board, std::string_view ticket) {
  auto it = std::find_if(board.calls.begin(), board.calls.end(),
                         [&](const Call& c) { return c.ticket == ticket; });
  return it == board.calls.end() ? nullptr : &*it;
}

const Call* current_call_of_window(const Board& board, std::string_view window) {
  // The hub writes windows in its zone's alphabet, which the screen does not know: a screen set
  // to window "A1" in Latin letters is the screen of the hub's "А1".
  auto it = std::find_if(board.calls.begin(), board.calls.end(),
                         [&](const Call& c) { return letters::look_alike(c.window, window); });
  return it == board.calls.end() ? nullptr : &*it;
}

}  // namespace tablo::protocol
