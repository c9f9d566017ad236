#pragma once
// The console's JSON API: the table of routes, who may use each, and the checks every request
// passes before its handler runs (docs/HTTP-API.md): a session cookie (with its CSRF token on
// every change) or an integration's API token, and the role's permission.
#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/settings.hpp"
#include "web/accounts.hpp"
#include "web/board_watch.hpp"
#include "web/http.hpp"
#include "web/hub_desk.hpp"
#include "web/login_throttle.hpp"
#include "web/roles.hpp"

namespace tablo::web {

inline constexpr const char* session_cookie = "tablo_session";

struct Console;

// What a handler sees: the request, who asks (none for the open routes), the console.
struct Exchange {
  const Request& request;
  const std::optional<Who>& who;
  Console& console;
};

struct Route {
  std::string method;
  std::string path;  // exact, or a prefix ending in '/' when `prefix`
  bool prefix = false;
  std::optional<Permission> need;  // nullopt: open (only login)
  std::function<Answer(Exchange&)> handle;
  std::string about;  // one line for docs/HTTP-API.md and the route walk
};

struct Console {
  const config::Settings& settings;
  Accounts& accounts;
  LoginThrottle& throttle;
  HubDesk& hub;
  BoardWatch& boards;
  bool https = false;
  std::vector<Route> routes;
  std::atomic<bool> stopping{false};  // live streams end at their next beat
  std::atomic<int> live_streams{0};    // open now (web/http.hpp, live_streams_at_most)

  Console(const config::Settings& s, Accounts& a, LoginThrottle& t, HubDesk& h, BoardWatch& b, bool tls);

  // Who the request acts as: a valid session cookie or "Authorization: Bearer TOKEN".
  std::optional<Who> identify(const Request& request);
  // Runs the route for `request` with every check; the answer to send.
  Answer answer(const Request& request);
  // Records an action in the audit log (docs: "Audit log").
  void audit(const Exchange& e, const std::string& what, const std::string& result);
  // The zone a request acts on: ?zone= / "zone" in the body / the account's zone / the first;
  // nullopt (with `error`) when the console does not show it or the account may not use it.
  std::optional<std::string> zone_for(const Exchange& e, const std::string& asked, std::string& error) const;
};

// The routes of each part of the API, appended to the console's table.
void add_session_routes(Console& console);   // login, logout, me       (web/api_session.cpp)
void add_account_routes(Console& console);   // accounts, tokens, audit (web/api_accounts.cpp)
void add_board_routes(Console& console);     // board, live events, calls, announcements, ticker, playlist
void add_screen_routes(Console& console);    // screens, screenshots, proof of play, counters, reload
void add_media_routes(Console& console);     // the media library: files, uploads, removal (web/api_media.cpp)
void add_publish_routes(Console& console);   // publishing progress, what plays when      (web/api_publish.cpp)

// The hub's reply as the API answers it: 200 with `ok` when accepted, 409 with the hub's
// words when refused, 504 when the hub did not answer.
Answer hub_answer(const std::optional<protocol::Reply>& reply, const std::string& endpoint);

}  // namespace tablo::web
