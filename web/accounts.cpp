#include "web/accounts.hpp"

#include <algorithm>

#include "web/secrets.hpp"

namespace tablo::web {
namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

bool valid_name(const std::string& name) {
  return !name.empty() && name.size() <= 64 && name.front() != '.' && std::all_of(name.begin(), name.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '.' || c == '_' || c == '-';
         });
}

void check_password_text(const std::string& password) {
  if (password.size() < 8) throw AccountError("a password needs at least 8 characters");
  if (password.size() > 256) throw AccountError("a password may have at most 256 characters");
}

Role role_of(const Value& v) { return parse_role(text_of(v)).value_or(Role::operator_); }

// Someone's hash to check an unknown name against, so that it takes as long as a known one.
const std::string& decoy_hash() {
  static const std::string hash = password_hash("no such account, no such password");
  return hash;
}

}  // namespace

Accounts::Accounts(Database& db, std::chrono::seconds session_life) : db_(db), session_life_(session_life) {
  db_.change("DELETE FROM sessions WHERE expires < ?", {now_ms()});
}

void Accounts::add(const Account& a, const std::string& password) {
  if (!valid_name(a.name)) throw AccountError("account name '" + a.name + "' must be 1–64 of letters, digits . _ -, not starting with a dot");
  if (a.role != Role::operator_ && !(a.window.empty() && a.zone.empty()))
    throw AccountError("only an operator is tied to a window or a zone; '" + a.name + "' is " + std::string(role_name(a.role)));
  if (a.window.size() > 32 || a.zone.size() > 32) throw AccountError("a window or zone name has at most 32 characters");
  check_password_text(password);
  if (!db_.run("SELECT 1 FROM accounts WHERE name = ?", {a.name}).empty())
    throw AccountError("there is already an account '" + a.name + "'");
  db_.change("INSERT INTO accounts (name, role, window, zone, password, created) VALUES (?, ?, ?, ?, ?, ?)",
             {a.name, std::string(role_name(a.role)), a.window, a.zone, password_hash(password), now_ms()});
}

void Accounts::set_password(const std::string& name, const std::string& password) {
  check_password_text(password);
  if (db_.change("UPDATE accounts SET password = ? WHERE name = ?", {password_hash(password), name}) == 0)
    throw AccountError("there is no account '" + name + "'");
  db_.change("DELETE FROM sessions WHERE account = ?", {name});  // a new password ends every session
}

bool Accounts::remove(const std::string& name) {
  db_.change("DELETE FROM sessions WHERE account = ?", {name});
  return db_.change("DELETE FROM accounts WHERE name = ?", {name}) > 0;
}

std::vector<Account> Accounts::list() {
  std::vector<Account> out;
  for (const auto& row : db_.run("SELECT name, role, window, zone FROM accounts ORDER BY name"))
    out.push_back({text_of(row[0]), role_of(row[1]), text_of(row[2]), text_of(row[3])});
  return out;
}

std::size_t Accounts::count() { return static_cast<std::size_t>(number_of(db_.run("SELECT COUNT(*) FROM accounts")[0][0])); }

std::optional<Account> Accounts::check_password(const std::string& name, const std::string& password) {
  const auto rows = db_.run("SELECT name, role, window, zone, password FROM accounts WHERE name = ?", {name});
  if (rows.empty()) {
    password_matches(decoy_hash(), password);
    return std::nullopt;
  }
  if (!password_matches(text_of(rows[0][4]), password)) return std::nullopt;
  return Account{text_of(rows[0][0]), role_of(rows[0][1]), text_of(rows[0][2]), text_of(rows[0][3])};
}

OpenedSession Accounts::open_session(const std::string& name) {
  OpenedSession s{random_secret(), random_secret()};
  const auto life_ms = std::chrono::duration_cast<std::chrono::milliseconds>(session_life_).count();
  db_.change("DELETE FROM sessions WHERE expires < ?", {now_ms()});
  db_.change("INSERT INTO sessions (hash, account, csrf, expires) VALUES (?, ?, ?, ?)",
             {secret_hash(s.cookie), name, s.csrf, now_ms() + life_ms});
  return s;
}

std::optional<Who> Accounts::session(const std::string& cookie) {
  if (cookie.empty()) return std::nullopt;
  const auto hash = secret_hash(cookie);
  const auto rows = db_.run(
      "SELECT a.name, a.role, a.window, a.zone, s.csrf, s.expires FROM sessions s JOIN accounts a ON a.name = s.account "
      "WHERE s.hash = ?",
      {hash});
  const auto now = now_ms();
  if (rows.empty() || number_of(rows[0][5]) < now) return std::nullopt;
  const auto life_ms = std::chrono::duration_cast<std::chrono::milliseconds>(session_life_).count();
  // Extended at most once a minute: a busy operator's page does not write on every request.
  if (number_of(rows[0][5]) - now < life_ms - 60'000)
    db_.change("UPDATE sessions SET expires = ? WHERE hash = ?", {now + life_ms, hash});
  return Who{text_of(rows[0][0]), role_of(rows[0][1]), text_of(rows[0][2]), text_of(rows[0][3]), text_of(rows[0][4])};
}

void Accounts::close_session(const std::string& cookie) { db_.change("DELETE FROM sessions WHERE hash = ?", {secret_hash(cookie)}); }

std::string Accounts::add_token(const std::string& name, Role role, const std::string& created_by, std::int64_t& id) {
  if (!valid_name(name)) throw AccountError("token name '" + name + "' must be 1–64 of letters, digits . _ -");
  const std::string secret = random_secret();
  db_.change("INSERT INTO tokens (name, role, hash, created, created_by) VALUES (?, ?, ?, ?, ?)",
             {name, std::string(role_name(role)), secret_hash(secret), now_ms(), created_by});
  id = number_of(db_.run("SELECT id FROM tokens WHERE hash = ?", {secret_hash(secret)})[0][0]);
  return secret;
}

std::optional<Who> Accounts::token(const std::string& secret) {
  if (secret.empty()) return std::nullopt;
  const auto rows = db_.run("SELECT name, role FROM tokens WHERE hash = ? AND revoked IS NULL", {secret_hash(secret)});
  if (rows.empty()) return std::nullopt;
  return Who{"token:" + text_of(rows[0][0]), role_of(rows[0][1]), "", "", ""};
}

bool Accounts::revoke_token(std::int64_t id) {
  return db_.change("UPDATE tokens SET revoked = ? WHERE id = ? AND revoked IS NULL", {now_ms(), id}) > 0;
}

std::vector<Token> Accounts::tokens() {
  std::vector<Token> out;
  for (const auto& row : db_.run("SELECT id, name, role, created, created_by, revoked FROM tokens ORDER BY id"))
    out.push_back({number_of(row[0]), text_of(row[1]), role_of(row[2]), number_of(row[3]), text_of(row[4]),
                   !std::holds_alternative<std::nullptr_t>(row[5])});
  return out;
}

void Accounts::audit(const std::string& who, const std::string& address, const std::string& what, const std::string& result) {
  db_.change("INSERT INTO audit (at, who, address, what, result) VALUES (?, ?, ?, ?, ?)", {now_ms(), who, address, what, result});
}

std::vector<AuditEntry> Accounts::audit_log(int limit) {
  std::vector<AuditEntry> out;
  for (const auto& row : db_.run("SELECT at, who, address, what, result FROM audit ORDER BY id DESC LIMIT ?", {std::int64_t{limit}}))
    out.push_back({number_of(row[0]), text_of(row[1]), text_of(row[2]), text_of(row[3]), text_of(row[4])});
  return out;
}

}  // namespace tablo::web
