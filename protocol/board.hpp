#pragma once
// The zone board reducer, shared by the hub (its state) and the displays (theirs).
#include "protocol/messages.hpp"

namespace tablo::protocol {

// The most calls a board keeps; the oldest is dropped past it.
inline constexpr std::size_t max_board_calls = 100;

// The board after `change`, made at hub time `at` (unix ms). Pure.
Board apply(Board board, const Change& change, std::int64_t at);

// The call of `ticket` on the board, or nullptr.
const Call* find_call(const Board& board, std::string_view ticket);

// The newest call of `window` (its letters taken for their look-alikes: "A1" is "А1"), or
// nullptr when the window has none on the board.
const Call* current_call_of_window(const Board& board, std::string_view window);

}  // namespace tablo::protocol
