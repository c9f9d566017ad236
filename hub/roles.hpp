#pragma once
// Who may do what, by the role written in a client's key file:
//   display   follow the board: subscribe, snapshot, status
//   operator  and change it: call, recall, finish, cancel, announce, ticker; add and remove media
//   admin     and everything else: clear, playlists, screenshots and proof of play, reload,
//             removing a zone
//   region    the regional office (docs/OPERATIONS.md, "A region"): what a display may, and the
//             region's content — ticker, announcements, playlists — never calls or the board
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/messages.hpp"

namespace tablo::hub {

enum class Role { display, operator_, admin, region };

std::optional<Role> role_named(std::string_view name);
std::string_view name_of(Role role);

// A client that came in with a key: its name (the key file's name), role, and the screens
// its key file names (screens = […]).
struct Client {
  std::string name;
  Role role = Role::display;
  std::vector<std::string> screens = {};
  // Whether it may report as the screen `screen` (display.name): one its key file names, or,
  // when the file names none, the key's own name.
  bool may_be_screen(std::string_view screen) const;
  bool operator==(const Client&) const = default;
};

// Why `client` may not do `action` ("key 'desk-3' (operator) may not clear the board");
// nullopt when it may.
std::optional<std::string> forbidden(const Client& client, const protocol::Action& action);

}  // namespace tablo::hub
