#include "config/restart.hpp"

namespace tablo::config {
namespace {

// Collects the names of the keys whose values differ, keeping the running values.
class Held {
 public:
  template <typename T>
  Held& key(const char* name, const T& running, T& next) {
    if (running == next) return *this;
    names_.emplace_back(name);
    next = running;
    return *this;
  }
  std::vector<std::string> names() const { return names_; }

 private:
  std::vector<std::string> names_;
};

}  // namespace

std::vector<std::string> hold_hub_restart_keys(const Settings& running, Settings& next) {
  const HubSettings& a = running.hub;
  HubSettings& b = next.hub;
  return Held{}
      .key("hub.commands", a.commands, b.commands)
      .key("hub.events", a.events, b.events)
      .key("hub.journal", a.journal, b.journal)
      .key("hub.secret_key", a.secret_key, b.secret_key)
      .key("hub.authorized_keys", a.authorized_keys, b.authorized_keys)
      .key("hub.allow_insecure", a.allow_insecure, b.allow_insecure)
      .key("hub.metrics.listen", a.metrics.listen, b.metrics.listen)
      // The boards hold their tickets in the old alphabet; a restart writes them in the new one.
      .key("hub.ticket_letters", a.ticket_letters.alphabet, b.ticket_letters.alphabet)
      .key("hub.zone_ticket_letters", a.ticket_letters.zones, b.ticket_letters.zones)
      // The link to the regional hub is made once, at the start.
      .key("hub.upstream", a.upstream, b.upstream)
      .names();
}

std::vector<std::string> hold_display_restart_keys(const Settings& running, Settings& next) {
  const DisplaySettings& a = running.display;
  DisplaySettings& b = next.display;
  return Held{}
      .key("display.name", a.name, b.name)
      .key("display.zones", a.zones, b.zones)
      .key("display.hub_commands", a.hub_commands, b.hub_commands)
      .key("display.hub_events", a.hub_events, b.hub_events)
      .key("display.secret_key", a.secret_key, b.secret_key)
      .key("display.hub_public_key", a.hub_public_key, b.hub_public_key)
      .key("display.rotation", a.rotation, b.rotation)
      .key("display.fullscreen", a.fullscreen, b.fullscreen)
      .key("display.width", a.width, b.width)
      .key("display.height", a.height, b.height)
      .key("display.renderer", a.renderer, b.renderer)
      .key("display.offline_after_seconds", a.offline_after_seconds, b.offline_after_seconds)
      .key("display.late_after_seconds", a.late_after_seconds, b.late_after_seconds)
      .key("display.metrics.listen", a.metrics.listen, b.metrics.listen)
      .key("display.media.still_max_side", a.media.still_max_side, b.media.still_max_side)
      .key("display.reports", a.reports, b.reports)
      .key("announcements.soundtrack_duck", running.announcements.soundtrack_duck, next.announcements.soundtrack_duck)
      .names();
}

}  // namespace tablo::config
