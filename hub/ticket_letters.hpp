#pragma once
// Tickets and windows in their zone's alphabet. Operators and integrators type Latin H for
// the Н printed on a ticket, or a lower-case н; the hub writes every ticket and window of a
// change in the zone's alphabet before anything else sees it, so what is shown, said,
// matched by recall/finish/cancel and journaled is one ticket (docs/PROTOCOL.md,
// "Tickets' letters").
#include <string>
#include <string_view>

#include "config/settings.hpp"
#include "protocol/messages.hpp"

namespace tablo::hub {

// Upper case, as tickets are printed, with look-alike letters in `alphabet` ("h025" → "Н025"
// in Cyrillic). As typed: unchanged.
std::string ticket_in(std::string_view ticket, config::Alphabet alphabet);

// Look-alike letters in `alphabet`, the case as typed ("Kacca" → "Касса", "Desk 3" stays).
std::string window_in(std::string_view window, config::Alphabet alphabet);

// Writes the change's ticket and window so; other changes stay as they are.
void write_in(config::Alphabet alphabet, protocol::Change& change);

// A board kept from before the alphabet changed, written in `alphabet`; when two calls become
// one ticket, the newer stays.
protocol::Board in_alphabet(protocol::Board board, config::Alphabet alphabet);

}  // namespace tablo::hub
