// Logging in and out, and who the page's session is.
#include "web/console.hpp"

namespace tablo::web {
namespace {

json who_json(const Who& who) {
  return {{"name", who.name}, {"role", role_name(who.role)}, {"window", who.window}, {"zone", who.zone}, {"csrf", who.csrf}};
}

std::string cookie(const Console& c, const std::string& value, bool ending) {
  return std::string(session_cookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict" + (c.https ? "; Secure" : "") +
         (ending ? "; Max-Age=0" : "");
}

Answer login(Exchange& e) {
  const auto body = e.request.json_body();
  if (!body || !(*body)["name"].is_string() || !(*body)["password"].is_string())
    return Answer::error(400, "send {\"name\": \"…\", \"password\": \"…\"}");
  const std::string name = (*body)["name"], password = (*body)["password"];
  const std::string address = e.request.address;
  if (const auto wait = e.console.throttle.wait(name, address); wait.count() > 0) {
    e.console.accounts.audit(name, address, "login", "throttled");
    auto a = Answer::error(429, "too many wrong passwords; try again in " + std::to_string(wait.count()) + " s");
    a.headers.emplace_back("Retry-After", std::to_string(wait.count()));
    return a;
  }
  const auto account = e.console.accounts.check_password(name, password);
  if (!account) {
    e.console.throttle.failed(name, address);
    e.console.accounts.audit(name, address, "login", "wrong name or password");
    return Answer::error(401, "wrong name or password");
  }
  e.console.throttle.succeeded(name);
  const auto session = e.console.accounts.open_session(account->name);
  e.console.accounts.audit(account->name, address, "login", "ok");
  Who who{account->name, account->role, account->window, account->zone, session.csrf};
  auto a = Answer::of(who_json(who));
  a.headers.emplace_back("Set-Cookie", cookie(e.console, session.cookie, false));
  return a;
}

Answer logout(Exchange& e) {
  e.console.accounts.close_session(e.request.cookie(session_cookie));
  e.console.audit(e, "logout", "ok");
  auto a = Answer::of(json{{"ok", true}});
  a.headers.emplace_back("Set-Cookie", cookie(e.console, "", true));
  return a;
}

}  // namespace

void add_session_routes(Console& c) {
  c.routes.push_back({"POST", "/api/login", false, std::nullopt, login, "log in: {name, password} → the session cookie and its CSRF token"});
  c.routes.push_back({"POST", "/api/logout", false, Permission::board, logout, "end this session"});
  c.routes.push_back({"GET", "/api/me", false, Permission::board,
                      [](Exchange& e) {
                        json me = who_json(*e.who);
                        me["zones"] = e.console.settings.web.zones;
                        return Answer::of(me);
                      },
                      "who this session or token is: name, role, window, zone, CSRF token, the console's zones"});
  c.routes.push_back({"GET", "/api/routes", false, Permission::board,
                      [](Exchange& e) {
                        json list = json::array();
                        for (const auto& r : e.console.routes)
                          list.push_back({{"method", r.method}, {"path", r.path + (r.prefix ? "…" : "")}, {"about", r.about}});
                        return Answer::of(json{{"routes", list}});
                      },
                      "every endpoint with a line on what it does (the list tests/web/api_test.py checks this document against)"});
}

}  // namespace tablo::web
