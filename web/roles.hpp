#pragma once
// Who may do what in the console (docs/HTTP-API.md, "Roles"). An operator calls and announces,
// staff run the screens' media, the ticker and announcements, an admin does everything.
#include <optional>
#include <string>
#include <string_view>

namespace tablo::web {

enum class Role { operator_, staff, admin };

enum class Permission {
  board,      // see the board, follow it live
  call,       // call, recall, finish, did-not-come
  announce,   // announcements
  media,      // ticker, playlists, the media library
  screens,    // screens, screenshots, proof of play, the hub's counters
  accounts,   // accounts, API tokens, the audit log, reload
};

inline bool may(Role role, Permission p) {
  switch (role) {
    case Role::admin: return true;
    case Role::staff: return p == Permission::board || p == Permission::announce || p == Permission::media;
    case Role::operator_: return p == Permission::board || p == Permission::call || p == Permission::announce;
  }
  return false;
}

inline std::string_view role_name(Role role) {
  switch (role) {
    case Role::operator_: return "operator";
    case Role::staff: return "staff";
    case Role::admin: return "admin";
  }
  return "";
}

inline std::optional<Role> parse_role(std::string_view name) {
  if (name == "operator") return Role::operator_;
  if (name == "staff") return Role::staff;
  if (name == "admin") return Role::admin;
  return std::nullopt;
}

// Who a request acts as: an account through its session, or an integration through its token.
struct Who {
  std::string name;  // the account, or "token:NAME"
  Role role = Role::operator_;
  std::string window;  // an operator tied to one window: calls go there only; "" when not tied
  std::string zone;    // tied to one zone; "" when not tied
  std::string csrf;    // the session's CSRF token; "" for an API token (no cookie, no CSRF)
};

}  // namespace tablo::web
