#include "hub/roles.hpp"

#include <algorithm>

namespace tablo::hub {
namespace {

using namespace tablo::protocol;

// The least role that may do each thing, and the thing in words.
struct Need {
  Role role;
  std::string_view what;
};

struct NeedOf {
  Need operator()(const Called&) const { return {Role::operator_, "call tickets"}; }
  Need operator()(const Recalled&) const { return {Role::operator_, "recall tickets"}; }
  Need operator()(const Finished&) const { return {Role::operator_, "finish tickets"}; }
  Need operator()(const Cancelled&) const { return {Role::operator_, "cancel tickets"}; }
  Need operator()(const Announced&) const { return {Role::operator_, "make announcements"}; }
  Need operator()(const TickerSet&) const { return {Role::operator_, "set the ticker"}; }
  Need operator()(const Cleared&) const { return {Role::admin, "clear the board"}; }
  Need operator()(const PlaylistSet&) const { return {Role::admin, "push playlists"}; }
  Need operator()(const Change& change) const { return std::visit(*this, change); }
  Need operator()(const SnapshotRequest&) const { return {Role::display, "take snapshots"}; }
  Need operator()(const StatusRequest&) const { return {Role::display, "ask for the status"}; }
  Need operator()(const Report&) const { return {Role::display, "report as a screen"}; }
  Need operator()(const ScreensRequest&) const { return {Role::display, "list the screens"}; }
  Need operator()(const ScreenAnswer&) const { return {Role::display, "answer as a screen"}; }
  // What a screen shows and played is the branch's business, not every desk's.
  Need operator()(const ScreenshotRequest&) const { return {Role::admin, "take screenshots of screens"}; }
  Need operator()(const ProofOfPlayRequest&) const { return {Role::admin, "collect proof of play"}; }
  Need operator()(const ScreenAction& action) const { return std::visit(*this, action); }
  Need operator()(const ReloadRequest&) const { return {Role::admin, "reload the hub's settings"}; }
  Need operator()(const ZoneRemoval&) const { return {Role::admin, "remove zones"}; }
  // Staff at the desks keep the library; screens only read it and fetch from it.
  Need operator()(const MediaAdd&) const { return {Role::operator_, "add media to the library"}; }
  Need operator()(const MediaChunk&) const { return {Role::operator_, "add media to the library"}; }
  Need operator()(const MediaRemove&) const { return {Role::operator_, "remove media from the library"}; }
  Need operator()(const MediaListRequest&) const { return {Role::display, "list the media library"}; }
  Need operator()(const MediaInfoRequest&) const { return {Role::display, "read the media library"}; }
  Need operator()(const MediaTokenRequest&) const { return {Role::display, "fetch media"}; }
  Need operator()(const MediaAction& action) const { return std::visit(*this, action); }
};

int rank(Role role) { return static_cast<int>(role); }

// What the regional office may set at a branch: content for every hall, not the queue.
bool region_content(const Action& action) {
  const auto* change = std::get_if<Change>(&action);
  return change && (std::holds_alternative<TickerSet>(*change) || std::holds_alternative<Announced>(*change) ||
                    std::holds_alternative<PlaylistSet>(*change));
}

}  // namespace

bool Client::may_be_screen(std::string_view screen) const {
  if (screens.empty()) return screen == name;
  return std::find(screens.begin(), screens.end(), screen) != screens.end();
}

std::optional<Role> role_named(std::string_view name) {
  if (name == "display") return Role::display;
  if (name == "operator") return Role::operator_;
  if (name == "admin") return Role::admin;
  if (name == "region") return Role::region;
  return std::nullopt;
}

std::string_view name_of(Role role) {
  switch (role) {
    case Role::display: return "display";
    case Role::operator_: return "operator";
    case Role::admin: return "admin";
    case Role::region: return "region";
  }
  return "?";
}

std::optional<std::string> forbidden(const Client& client, const Action& action) {
  const Need need = std::visit(NeedOf{}, action);
  if (client.role == Role::region) {
    if (need.role == Role::display || region_content(action)) return std::nullopt;
  } else if (rank(client.role) >= rank(need.role)) {
    return std::nullopt;
  }
  return "key '" + client.name + "' (" + std::string(name_of(client.role)) + ") may not " + std::string(need.what);
}

}  // namespace tablo::hub
