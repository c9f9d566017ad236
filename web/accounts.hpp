#pragma once
// The console's people and integrations in the database: accounts with argon2id passwords,
// sessions (a cookie's hash, sliding expiry), API tokens (a hash, a role, revocable) and the
// audit log of who did what, when and from where.
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "web/database.hpp"
#include "web/roles.hpp"

namespace tablo::web {

// A name, password or role that cannot be used; the message says which and why.
struct AccountError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Account {
  std::string name;
  Role role = Role::operator_;
  std::string window, zone;  // what an operator is tied to; "" when not
};

struct OpenedSession {
  std::string cookie;  // the secret in the browser's cookie
  std::string csrf;    // what every state-changing request must carry in X-CSRF-Token
};

struct Token {
  std::int64_t id = 0;
  std::string name;  // the integration, e.g. "queue-system"
  Role role = Role::operator_;
  std::int64_t created = 0;
  std::string created_by;
  bool revoked = false;
};

struct AuditEntry {
  std::int64_t at = 0;  // unix ms
  std::string who, address, what, result;
};

class Accounts {
 public:
  Accounts(Database& db, std::chrono::seconds session_life);

  // Throws AccountError for a bad name (1–64 of letters, digits . _ -), a password under 8
  // characters, a window/zone on a role other than operator, or a name taken.
  void add(const Account& account, const std::string& password);
  void set_password(const std::string& name, const std::string& password);
  bool remove(const std::string& name);
  std::vector<Account> list();
  std::size_t count();

  // The account when the password is right. Takes as long for an unknown name.
  std::optional<Account> check_password(const std::string& name, const std::string& password);

  OpenedSession open_session(const std::string& name);
  // The session's account (and CSRF token); extends its life. nullopt: unknown or expired.
  std::optional<Who> session(const std::string& cookie);
  void close_session(const std::string& cookie);

  // A new token's secret, shown once.
  std::string add_token(const std::string& name, Role role, const std::string& created_by, std::int64_t& id);
  std::optional<Who> token(const std::string& secret);
  bool revoke_token(std::int64_t id);
  std::vector<Token> tokens();

  void audit(const std::string& who, const std::string& address, const std::string& what, const std::string& result);
  std::vector<AuditEntry> audit_log(int limit);

 private:
  Database& db_;
  std::chrono::seconds session_life_;
};

}  // namespace tablo::web
