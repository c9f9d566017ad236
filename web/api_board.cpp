// The board: what the hall shows (also live), calls, announcements, the ticker and playlists.
#include <civetweb.h>
#include <spdlog/spdlog.h>

#include "media/playlist.hpp"
#include "protocol/board.hpp"
#include "protocol/codec.hpp"
#include "web/console.hpp"

namespace tablo::web {
namespace {

using namespace std::chrono_literals;
using namespace tablo::protocol;

std::string field(const json& body, const char* key) {
  const auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>() : "";
}

json board_json(const ZoneBoard& z) {
  json j = json::parse(encode(Reply{"", z.snapshot}));
  return {{"zone", z.snapshot.zone}, {"epoch", z.snapshot.epoch}, {"seq", z.snapshot.seq}, {"live", z.live}, {"board", j["board"]}};
}

// The zone of a request: ?zone= for reading, "zone" in the body for changes.
std::optional<std::string> zone_of(Exchange& e, const json* body, Answer& refusal) {
  std::string error;
  auto zone = e.console.zone_for(e, body ? field(*body, "zone") : e.request.param("zone"), error);
  if (!zone) refusal = Answer::error(403, error);
  return zone;
}

Answer board(Exchange& e) {
  Answer refusal;
  const auto zone = zone_of(e, nullptr, refusal);
  if (!zone) return refusal;
  return Answer::of(board_json(*e.console.boards.board(*zone)));
}

// Server-sent events: the zone's board now, then again at every change; a comment every few
// seconds keeps proxies from closing the stream and tells a closed tab from an open one. Past
// live_streams_at_most open streams, the board once and "come back in 5 s" (web/http.hpp).
Answer events(Exchange& e) {
  Answer refusal;
  const auto zone = zone_of(e, nullptr, refusal);
  if (!zone) return refusal;
  struct Open {
    std::atomic<int>& count;
    int now = ++count;
    ~Open() { --count; }
  } open{e.console.live_streams};
  const bool crowded = open.now > live_streams_at_most;
  if (open.now == live_streams_at_most + 1)
    spdlog::warn("{} live pages open: more than the {} held open at once; the others get the board every 5 s",
                 open.now, live_streams_at_most);
  mg_connection* c = e.request.connection;
  mg_response_header_start(c, 200);
  mg_response_header_add(c, "Content-Type", "text/event-stream; charset=utf-8", -1);
  for (const auto& [name, value] : security_headers(e.console.https, true)) mg_response_header_add(c, name.c_str(), value.c_str(), -1);
  mg_response_header_add(c, "X-Accel-Buffering", "no", -1);  // nginx in front: pass each event on at once
  mg_response_header_send(c);
  auto current = e.console.boards.board(*zone);
  std::uint64_t seen = 0;
  while (!e.console.stopping) {
    std::string text = ": beat\n\n";
    if (current) {
      seen = current->version;
      text = "event: board\ndata: " + board_json(*current).dump(-1, ' ', false, json::error_handler_t::replace) + "\n\n";
    }
    if (crowded) text = "retry: 5000\n" + text;
    if (mg_write(c, text.data(), text.size()) <= 0 || crowded) break;
    current = e.console.boards.wait_newer(*zone, seen, 5s);
  }
  Answer sent;
  sent.sent = true;
  return sent;
}

Answer change(Exchange& e, const std::string& zone, Change what) {
  const std::string described = std::string(type_name(what)) + " " + e.request.body.substr(0, 200);
  auto a = hub_answer(e.console.hub.ask(zone, Action{std::move(what)}), e.console.hub.endpoint());
  e.console.audit(e, "zone " + zone + ": " + described, a.status == 200 ? "ok" : json::parse(a.body).value("error", "refused"));
  return a;
}

// {ticket, window, service?, text?, zone?}; an operator tied to a window calls to it.
Answer call(Exchange& e) {
  const auto body = e.request.json_body();
  if (!body) return Answer::error(400, "send {\"ticket\": \"А025\", \"window\": \"3\"}");
  Answer refusal;
  const auto zone = zone_of(e, &*body, refusal);
  if (!zone) return refusal;
  std::string window = field(*body, "window");
  if (!e.who->window.empty()) {
    if (!window.empty() && window != e.who->window)
      return Answer::error(403, "account '" + e.who->name + "' calls to window " + e.who->window + " only");
    window = e.who->window;
  }
  if (field(*body, "ticket").empty() || window.empty()) return Answer::error(400, "give the ticket and the window");
  return change(e, *zone, Called{field(*body, "ticket"), window, field(*body, "service"), field(*body, "text")});
}

// recall, finish, cancel {ticket, zone?}: an operator tied to a window acts on its calls only.
template <class C>
Answer ticket_change(Exchange& e) {
  const auto body = e.request.json_body();
  if (!body || field(*body, "ticket").empty()) return Answer::error(400, "send {\"ticket\": \"А025\"}");
  Answer refusal;
  const auto zone = zone_of(e, &*body, refusal);
  if (!zone) return refusal;
  const std::string ticket = field(*body, "ticket");
  if (!e.who->window.empty()) {
    const auto now = e.console.boards.board(*zone);
    const Call* on_board = now ? find_call(now->snapshot.board, ticket) : nullptr;
    if (on_board && on_board->window != e.who->window)
      return Answer::error(403, "ticket " + ticket + " was called to window " + on_board->window + ", not to " + e.who->window);
  }
  return change(e, *zone, C{ticket});
}

Answer announce(Exchange& e) {
  const auto body = e.request.json_body();
  if (!body || field(*body, "text").empty()) return Answer::error(400, "send {\"text\": \"…\", \"seconds\": 15}");
  Answer refusal;
  const auto zone = zone_of(e, &*body, refusal);
  if (!zone) return refusal;
  const int seconds = body->value("seconds", 15);
  if (seconds < 1 || seconds > limits::announcement_seconds)
    return Answer::error(400, "seconds must be 1–" + std::to_string(limits::announcement_seconds));
  return change(e, *zone, Announced{field(*body, "text"), seconds});
}

Answer ticker(Exchange& e) {
  const auto body = e.request.json_body();
  if (!body || !body->contains("text")) return Answer::error(400, "send {\"text\": \"…\"} (\"\" clears the ticker)");
  Answer refusal;
  const auto zone = zone_of(e, &*body, refusal);
  if (!zone) return refusal;
  return change(e, *zone, TickerSet{field(*body, "text")});
}

Answer playlist(Exchange& e) {
  const auto body = e.request.json_body();
  if (!body || !body->contains("text")) return Answer::error(400, "send {\"text\": \"TOML\"} (\"\" withdraws the pushed playlist)");
  Answer refusal;
  const auto zone = zone_of(e, &*body, refusal);
  if (!zone) return refusal;
  const std::string text = field(*body, "text");
  if (text.size() > limits::playlist)
    return Answer::error(413, "the playlist is " + std::to_string(text.size()) + " bytes; the hub takes up to " + std::to_string(limits::playlist));
  if (!text.empty()) {
    // The screens' own reader, so that the console refuses what a screen would, in its words.
    try {
      media::parse_playlist(text, "the playlist for zone " + *zone, "/");
    } catch (const media::PlaylistError& error) {
      e.console.audit(e, "zone " + *zone + ": playlist", error.what());
      return Answer::error(422, error.what());
    }
  }
  return change(e, *zone, PlaylistSet{text});
}

}  // namespace

void add_board_routes(Console& c) {
  c.routes.push_back({"GET", "/api/board", false, Permission::board, board, "the zone's board now (?zone=): calls, ticker, announcement, playlist"});
  c.routes.push_back({"GET", "/api/events", false, Permission::board, events, "server-sent events: the board, again at every change (?zone=)"});
  c.routes.push_back({"GET", "/api/templates", false, Permission::announce,
                      [](Exchange& e) { return Answer::of(json{{"templates", e.console.settings.web.announcement_templates}}); },
                      "the announcement templates (web.announcement_templates)"});
  c.routes.push_back({"POST", "/api/call", false, Permission::call, call, "call {ticket, window, service?, text?, zone?}"});
  c.routes.push_back({"POST", "/api/recall", false, Permission::call, ticket_change<Recalled>, "call again {ticket, zone?}"});
  c.routes.push_back({"POST", "/api/finish", false, Permission::call, ticket_change<Finished>, "served: off the board {ticket, zone?}"});
  c.routes.push_back({"POST", "/api/cancel", false, Permission::call, ticket_change<Cancelled>, "did not come: off the board {ticket, zone?}"});
  c.routes.push_back({"POST", "/api/announce", false, Permission::announce, announce, "an announcement {text, seconds?, zone?}"});
  c.routes.push_back({"POST", "/api/ticker", false, Permission::media, ticker, "the running text {text, zone?}; \"\" clears it"});
  c.routes.push_back({"POST", "/api/playlist", false, Permission::media, playlist,
                      "push a playlist {text: TOML, zone?}, checked as the screens check it; \"\" withdraws it"});
}

}  // namespace tablo::web
