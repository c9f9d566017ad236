#include "display/screen_state.hpp"

#include <algorithm>

#include "protocol/board.hpp"

namespace tablo::display {

ScreenState apply(ScreenState state, const protocol::Event& event, Clock::time_point now) {
  ZoneView& zone = state.zones[event.zone];
  zone.board = protocol::apply(std::move(zone.board), event.change, event.at);
  zone.epoch = event.epoch;
  zone.seq = event.seq;

  auto highlighted = [&](const std::string& ticket) {
    return state.highlight && state.highlight->zone == event.zone && state.highlight->ticket == ticket;
  };
  std::visit(
      [&](const auto& change) {
        using C = std::decay_t<decltype(change)>;
        if constexpr (std::is_same_v<C, protocol::Called>) {
          state.highlight = Highlight{event.zone, change.ticket, now};
        } else if constexpr (std::is_same_v<C, protocol::Recalled>) {
          if (protocol::find_call(zone.board, change.ticket)) state.highlight = Highlight{event.zone, change.ticket, now};
        } else if constexpr (std::is_same_v<C, protocol::Finished> || std::is_same_v<C, protocol::Cancelled>) {
          if (highlighted(change.ticket)) state.highlight.reset();
        } else if constexpr (std::is_same_v<C, protocol::Cleared>) {
          if (state.highlight && state.highlight->zone == event.zone) state.highlight.reset();
        }
      },
      event.change);
  return state;
}

ScreenState apply(ScreenState state, const protocol::Snapshot& snapshot) {
  state.zones[snapshot.zone] = ZoneView{snapshot.epoch, snapshot.seq, snapshot.board};
  if (state.highlight && state.highlight->zone == snapshot.zone &&
      !protocol::find_call(snapshot.board, state.highlight->ticket)) {
    state.highlight.reset();
  }
  return state;
}

std::vector<protocol::Event> missed_calls(const ZoneView& before, const protocol::Snapshot& after,
                                          std::int64_t hub_now_ms, std::chrono::milliseconds late_after) {
  std::vector<protocol::Event> missed;
  if (before.epoch == 0) return missed;
  for (auto call = after.board.calls.rbegin(); call != after.board.calls.rend(); ++call) {
    const protocol::Call* had = protocol::find_call(before.board, call->ticket);
    if (had && had->called_at >= call->called_at) continue;
    // Compared before subtracting: `called_at` is whatever the hub sent.
    if (call->called_at < hub_now_ms && hub_now_ms - call->called_at > late_after.count()) continue;
    protocol::Change change = protocol::Called{call->ticket, call->window, call->service, call->text};
    if (had) change = protocol::Recalled{call->ticket};
    missed.push_back(protocol::Event{after.zone, after.epoch, after.seq, call->called_at, std::move(change)});
  }
  // An announcement still in force that the screen never heard is said too (its text: a
  // snapshot keeps no recording).
  const auto& said = after.board.announcement;
  if (said && said != before.board.announcement && !said->text.empty() && said->until > hub_now_ms) {
    const int left = static_cast<int>(std::min<std::int64_t>((said->until - hub_now_ms + 999) / 1000, 24 * 3600));
    missed.push_back(protocol::Event{after.zone, after.epoch, after.seq, hub_now_ms, protocol::Announced{said->text, left}});
  }
  return missed;
}

ScreenState with_highlight(ScreenState state, const protocol::Event& call, Clock::time_point now) {
  if (const auto* called = std::get_if<protocol::Called>(&call.change)) {
    state.highlight = Highlight{call.zone, called->ticket, now};
  } else if (const auto* recalled = std::get_if<protocol::Recalled>(&call.change)) {
    state.highlight = Highlight{call.zone, recalled->ticket, now};
  }
  return state;
}

ScreenState with_connection(ScreenState state, bool connected) {
  state.connected = connected;
  return state;
}

ScreenState with_announcing(ScreenState state, std::optional<Announcing> announcing) {
  state.announcing = std::move(announcing);
  return state;
}

std::vector<protocol::Call> calls_newest_first(const ScreenState& state) {
  std::vector<protocol::Call> calls;
  for (const auto& [name, zone] : state.zones) calls.insert(calls.end(), zone.board.calls.begin(), zone.board.calls.end());
  // Each board is already newest first; a stable sort keeps that order among equal times.
  std::stable_sort(calls.begin(), calls.end(),
                   [](const protocol::Call& a, const protocol::Call& b) { return a.called_at > b.called_at; });
  return calls;
}

std::optional<protocol::Call> current_call_of_window(const ScreenState& state, std::string_view window) {
  std::optional<protocol::Call> newest;
  for (const auto& [name, zone] : state.zones) {
    const protocol::Call* call = protocol::current_call_of_window(zone.board, window);
    if (call && (!newest || call->called_at > newest->called_at)) newest = *call;
  }
  return newest;
}

PushedPlaylist pushed_playlist(const ScreenState& state) {
  for (const auto& [name, zone] : state.zones) {
    if (!zone.board.playlist.empty()) return PushedPlaylist{name, zone.board.playlist, zone.board.playlist_media};
  }
  return {};
}

std::string ticker_text(const ScreenState& state) {
  for (const auto& [name, zone] : state.zones) {
    if (!zone.board.ticker.empty()) return zone.board.ticker;
  }
  return {};
}

std::vector<std::string> announcements_at(const ScreenState& state, std::int64_t now_unix_ms) {
  std::vector<std::string> texts;
  for (const auto& [name, zone] : state.zones) {
    const auto& a = zone.board.announcement;
    if (a && a->until > now_unix_ms) texts.push_back(a->text);
  }
  // The words playing now are on screen too, however long they waited behind other
  // announcements: a visitor who cannot hear reads what the hall hears.
  if (const auto& playing = state.announcing; playing && playing->ticket.empty() && !playing->words.empty() &&
                                               std::find(texts.begin(), texts.end(), playing->words) == texts.end()) {
    texts.push_back(playing->words);
  }
  return texts;
}

std::optional<std::int64_t> next_announcement_end(const ScreenState& state, std::int64_t now_unix_ms) {
  std::optional<std::int64_t> end;
  for (const auto& [name, zone] : state.zones) {
    const auto& a = zone.board.announcement;
    if (a && a->until > now_unix_ms && (!end || a->until < *end)) end = a->until;
  }
  return end;
}

}  // namespace tablo::display
