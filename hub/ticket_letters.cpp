#include "hub/ticket_letters.hpp"

#include <algorithm>

#include "letters/letters.hpp"
#include "protocol/codec.hpp"

namespace tablo::hub {
namespace {

using config::Alphabet;

letters::Script script_of(Alphabet alphabet) {
  return alphabet == Alphabet::latin ? letters::Script::latin : letters::Script::cyrillic;
}

// Cyrillic letters take two bytes of UTF-8, Latin ones one: a name that would grow past the
// protocol's limit is kept as typed, so that every screen can still read it.
std::string within(std::string written, std::string_view typed, std::size_t limit) {
  return written.size() <= limit ? written : std::string(typed);
}

}  // namespace

std::string ticket_in(std::string_view ticket, Alphabet alphabet) {
  if (alphabet == Alphabet::as_typed) return std::string(ticket);
  // Before upper case too: a lower-case y is the у it looks like, an upper-case Y is no У.
  const auto script = script_of(alphabet);
  return within(letters::in_script(letters::upper(letters::in_script(ticket, script)), script), ticket,
                protocol::limits::ticket);
}

std::string window_in(std::string_view window, Alphabet alphabet) {
  if (alphabet == Alphabet::as_typed) return std::string(window);
  return within(letters::in_script(window, script_of(alphabet)), window, protocol::limits::window);
}

void write_in(Alphabet alphabet, protocol::Change& change) {
  std::visit(
      [&](auto& c) {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, protocol::Called>) {
          c.ticket = ticket_in(c.ticket, alphabet);
          c.window = window_in(c.window, alphabet);
        } else if constexpr (std::is_same_v<C, protocol::Recalled> || std::is_same_v<C, protocol::Finished> ||
                             std::is_same_v<C, protocol::Cancelled>) {
          c.ticket = ticket_in(c.ticket, alphabet);
        }
      },
      change);
}

protocol::Board in_alphabet(protocol::Board board, Alphabet alphabet) {
  std::vector<protocol::Call> calls;
  for (auto& call : board.calls) {  // newest first
    call.ticket = ticket_in(call.ticket, alphabet);
    call.window = window_in(call.window, alphabet);
    const bool newer_kept = std::any_of(calls.begin(), calls.end(), [&](const auto& c) { return c.ticket == call.ticket; });
    if (!newer_kept) calls.push_back(std::move(call));
  }
  board.calls = std::move(calls);
  return board;
}

}  // namespace tablo::hub
