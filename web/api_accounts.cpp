// Accounts, integrations' API tokens and the audit log: the admin's.
#include <charconv>

#include "web/console.hpp"

namespace tablo::web {
namespace {

std::string field(const json& body, const char* key) {
  const auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>() : "";
}

// The last part of a path such as /api/accounts/NAME.
std::string last_part(const std::string& path, const std::string& under) { return path.substr(under.size()); }

Answer list_accounts(Exchange& e) {
  json list = json::array();
  for (const auto& a : e.console.accounts.list())
    list.push_back({{"name", a.name}, {"role", role_name(a.role)}, {"window", a.window}, {"zone", a.zone}});
  return Answer::of(json{{"accounts", list}});
}

Answer add_account(Exchange& e) {
  const auto body = e.request.json_body();
  if (!body) return Answer::error(400, "send {\"name\", \"password\", \"role\", \"window\"?, \"zone\"?}");
  const auto role = parse_role(field(*body, "role"));
  if (!role) return Answer::error(400, "role must be operator, staff or admin");
  Account a{field(*body, "name"), *role, field(*body, "window"), field(*body, "zone")};
  try {
    e.console.accounts.add(a, field(*body, "password"));
  } catch (const AccountError& error) {
    return Answer::error(400, error.what());
  }
  e.console.audit(e, "add account " + a.name + " (" + std::string(role_name(a.role)) + ")", "ok");
  return Answer::of(json{{"ok", true}}, 201);
}

Answer change_account(Exchange& e) {
  const std::string name = last_part(e.request.path, "/api/accounts/");
  if (e.request.method == "DELETE") {
    if (e.who && name == e.who->name) return Answer::error(409, "an admin cannot remove their own account");
    if (!e.console.accounts.remove(name)) return Answer::error(404, "there is no account '" + name + "'");
    e.console.audit(e, "remove account " + name, "ok");
    return Answer::of(json{{"ok", true}});
  }
  const auto body = e.request.json_body();
  if (!body) return Answer::error(400, "send {\"password\": \"…\"}");
  try {
    e.console.accounts.set_password(name, field(*body, "password"));
  } catch (const AccountError& error) {
    return Answer::error(400, error.what());
  }
  e.console.audit(e, "new password for " + name, "ok");
  return Answer::of(json{{"ok", true}});
}

Answer list_tokens(Exchange& e) {
  json list = json::array();
  for (const auto& t : e.console.accounts.tokens())
    list.push_back({{"id", t.id}, {"name", t.name}, {"role", role_name(t.role)}, {"created", t.created},
                    {"created_by", t.created_by}, {"revoked", t.revoked}});
  return Answer::of(json{{"tokens", list}});
}

Answer add_token(Exchange& e) {
  const auto body = e.request.json_body();
  if (!body) return Answer::error(400, "send {\"name\": \"queue-system\", \"role\": \"operator\"}");
  const auto role = parse_role(field(*body, "role"));
  if (!role) return Answer::error(400, "role must be operator, staff or admin");
  std::int64_t id = 0;
  std::string secret;
  try {
    secret = e.console.accounts.add_token(field(*body, "name"), *role, e.who->name, id);
  } catch (const AccountError& error) {
    return Answer::error(400, error.what());
  }
  e.console.audit(e, "add API token " + field(*body, "name") + " (" + std::string(role_name(*role)) + ")", "ok");
  return Answer::of(json{{"id", id}, {"token", secret}}, 201);
}

Answer revoke_token(Exchange& e) {
  const std::string text = last_part(e.request.path, "/api/tokens/");
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size()) return Answer::error(400, "'" + text + "' is not a token id");
  if (!e.console.accounts.revoke_token(id)) return Answer::error(404, "no live token " + text);
  e.console.audit(e, "revoke API token " + text, "ok");
  return Answer::of(json{{"ok", true}});
}

Answer audit_log(Exchange& e) {
  int limit = 200;
  const std::string asked = e.request.param("limit");
  if (!asked.empty()) std::from_chars(asked.data(), asked.data() + asked.size(), limit);
  json list = json::array();
  for (const auto& a : e.console.accounts.audit_log(std::clamp(limit, 1, 5000)))
    list.push_back({{"at", a.at}, {"who", a.who}, {"address", a.address}, {"what", a.what}, {"result", a.result}});
  return Answer::of(json{{"audit", list}});
}

}  // namespace

void add_account_routes(Console& c) {
  const auto admin = Permission::accounts;
  c.routes.push_back({"GET", "/api/accounts", false, admin, list_accounts, "the accounts: name, role, window, zone"});
  c.routes.push_back({"POST", "/api/accounts", false, admin, add_account, "add an account {name, password, role, window?, zone?}"});
  c.routes.push_back({"POST", "/api/accounts/", true, admin, change_account, "/api/accounts/NAME: a new password {password}"});
  c.routes.push_back({"DELETE", "/api/accounts/", true, admin, change_account, "/api/accounts/NAME: remove the account"});
  c.routes.push_back({"GET", "/api/tokens", false, admin, list_tokens, "the integrations' API tokens (never their secrets)"});
  c.routes.push_back({"POST", "/api/tokens", false, admin, add_token, "a new API token {name, role}; its secret is shown once"});
  c.routes.push_back({"DELETE", "/api/tokens/", true, admin, revoke_token, "/api/tokens/ID: revoke the token"});
  c.routes.push_back({"GET", "/api/audit", false, admin, audit_log, "the audit log, newest first (?limit=200)"});
}

}  // namespace tablo::web
