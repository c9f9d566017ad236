#include "web/console.hpp"

#include <algorithm>

#include "protocol/codec.hpp"
#include "web/secrets.hpp"

namespace tablo::web {

namespace {

bool changes_state(const std::string& method) { return method != "GET" && method != "HEAD"; }

bool matches(const Route& r, const Request& q) {
  if (r.prefix ? !q.path.starts_with(r.path) || q.path.size() == r.path.size() : q.path != r.path) return false;
  return r.method == q.method || (r.method == "GET" && q.method == "HEAD");
}

}  // namespace

Console::Console(const config::Settings& s, Accounts& a, LoginThrottle& t, HubDesk& h, BoardWatch& b, bool tls)
    : settings(s), accounts(a), throttle(t), hub(h), boards(b), https(tls) {
  add_session_routes(*this);
  add_account_routes(*this);
  add_board_routes(*this);
  add_screen_routes(*this);
  add_media_routes(*this);
  add_publish_routes(*this);
}

std::optional<Who> Console::identify(const Request& request) {
  const std::string authorization = request.header("Authorization");
  if (authorization.starts_with("Bearer ")) return accounts.token(authorization.substr(7));
  return accounts.session(request.cookie(session_cookie));
}

Answer Console::answer(const Request& request) {
  const auto route = std::find_if(routes.begin(), routes.end(), [&](const Route& r) { return matches(r, request); });
  if (route == routes.end()) {
    const bool path_known = std::any_of(routes.begin(), routes.end(), [&](const Route& r) {
      return r.prefix ? request.path.starts_with(r.path) : request.path == r.path;
    });
    return path_known ? Answer::error(405, request.method + " is not used on " + request.path)
                      : Answer::error(404, "no such API path: " + request.path + " (see docs/HTTP-API.md)");
  }
  if (request.body_too_large) return Answer::error(413, "the request body is larger than " + std::to_string(largest_body / 1024) + " KiB");
  std::optional<Who> who;
  if (route->need) {
    who = identify(request);
    if (!who) return Answer::error(401, "log in first (the session is missing or has expired), or give an API token");
    // A cookie rides along with any request the browser makes, also one another site makes it
    // send: a change needs the session's CSRF token too, which only the console's pages know.
    if (changes_state(request.method) && !who->csrf.empty() && !same_secret(request.header("X-CSRF-Token"), who->csrf))
      return Answer::error(403, "the request lacks this session's X-CSRF-Token; reload the page");
    if (!may(who->role, *route->need))
      return Answer::error(403, "the " + std::string(role_name(who->role)) + " role may not use " + request.method + " " + request.path);
  }
  Exchange e{request, who, *this};
  return route->handle(e);
}

void Console::audit(const Exchange& e, const std::string& what, const std::string& result) {
  accounts.audit(e.who ? e.who->name : "-", e.request.address, what, result);
}

std::optional<std::string> Console::zone_for(const Exchange& e, const std::string& asked, std::string& error) const {
  const auto& zones = settings.web.zones;
  std::string zone = asked.empty() ? (e.who && !e.who->zone.empty() ? e.who->zone : zones.front()) : asked;
  if (std::find(zones.begin(), zones.end(), zone) == zones.end()) {
    error = "the console does not show zone '" + zone + "' (web.zones)";
    return std::nullopt;
  }
  if (e.who && !e.who->zone.empty() && zone != e.who->zone) {
    error = "account '" + e.who->name + "' works in zone " + e.who->zone + " only";
    return std::nullopt;
  }
  return zone;
}

Answer hub_answer(const std::optional<protocol::Reply>& reply, const std::string& endpoint) {
  if (!reply) return Answer::error(504, "no reply from the hub at " + endpoint + "; is tablo-hub running? The change may or may not have been made");
  if (const auto* no = std::get_if<protocol::Refused>(&reply->answer)) return Answer::error(409, no->error);
  // Every other answer as the protocol has it (docs/PROTOCOL.md), less its envelope.
  json body = json::parse(protocol::encode(*reply));
  body.erase("v");
  body.erase("id");
  return Answer::of(body);
}

}  // namespace tablo::web
