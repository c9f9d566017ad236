#pragma once
// What a screen knows: the boards of its zones as the hub numbered them, which call is
// newest (it blinks and pops up), and whether the hub is reachable. A pure reducer:
// the network thread feeds it, the painter reads it. No SDL here.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "protocol/messages.hpp"
#include "sound/said.hpp"

namespace tablo::display {

using Clock = std::chrono::steady_clock;

// The call being brought to the hall's attention, and since when (screen clock).
struct Highlight {
  std::string zone;
  std::string ticket;
  Clock::time_point since;
  bool operator==(const Highlight&) const = default;
};

using sound::Announcing;

struct ZoneView {
  std::uint64_t epoch = 0;
  std::uint64_t seq = 0;
  protocol::Board board;
  bool operator==(const ZoneView&) const = default;
};

struct ScreenState {
  std::map<std::string, ZoneView> zones;
  std::optional<Highlight> highlight;
  std::optional<Announcing> announcing;
  bool connected = false;
  bool operator==(const ScreenState&) const = default;
};

// A numbered change of one zone, already checked for order by the hub link.
ScreenState apply(ScreenState state, const protocol::Event& event, Clock::time_point now);

// A zone's whole board, taken when the screen joins or resynchronises. Calls in it are
// not new to the hall: nothing blinks or pops up because of a snapshot (but see missed_calls).
ScreenState apply(ScreenState state, const protocol::Snapshot& snapshot);

// The calls and recalls on a resynchronised board that the board this screen had lacks: ones
// published before its subscription took, lost in a gap, or made just after the hub restarted.
// Only those the hub made at most `late_after` before `hub_now_ms` (older ones are history, as
// for a late event), oldest first, as events at the snapshot's seq, to be announced and
// highlighted as if heard live; then a new announcement still in force. Nothing when the
// screen had no board of the zone: joining is not news.
std::vector<protocol::Event> missed_calls(const ZoneView& before, const protocol::Snapshot& after,
                                          std::int64_t hub_now_ms, std::chrono::milliseconds late_after);

// The call to bring to the hall's attention since `now`: the newest of calls missed live.
ScreenState with_highlight(ScreenState state, const protocol::Event& call, Clock::time_point now);

ScreenState with_connection(ScreenState state, bool connected);
ScreenState with_announcing(ScreenState state, std::optional<Announcing> announcing);

// The calls of all zones, newest first.
std::vector<protocol::Call> calls_newest_first(const ScreenState& state);

// The call shown on the screen above `window`, if that window has one.
std::optional<protocol::Call> current_call_of_window(const ScreenState& state, std::string_view window);

// The running text: the ticker of the first zone that has one.
std::string ticker_text(const ScreenState& state);

// A playlist pushed through the hub: that of the first zone that has one, and the zone.
struct PushedPlaylist {
  std::string zone;
  std::string text;  // empty: none; the screen plays its own playlist file
  protocol::PlaylistMedia media;  // the library's files it names, fetched before it plays
  bool operator==(const PushedPlaylist&) const = default;
};
PushedPlaylist pushed_playlist(const ScreenState& state);

// The banner's texts at `now_unix_ms` (hub clock): announcements still within their time,
// oldest zone first, and the operator's announcement whose words are playing now.
std::vector<std::string> announcements_at(const ScreenState& state, std::int64_t now_unix_ms);

// The earliest end of a running announcement after `now_unix_ms`, if any.
std::optional<std::int64_t> next_announcement_end(const ScreenState& state, std::int64_t now_unix_ms);

}  // namespace tablo::display
