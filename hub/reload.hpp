#pragma once
// The hub's side of `tabloctl reload` and SIGHUP: the config file read again, what can change
// while running applied (log level, heartbeat, rate limit), the rest named as waiting for a
// restart. A file with a mistake changes nothing: the error (file:line:col) is logged and
// answered, and the running settings stay.
#include <functional>
#include <optional>
#include <string>

#include "config/settings.hpp"
#include "hub/server.hpp"
#include "protocol/messages.hpp"

namespace tablo::hub {

struct ReloadSource {
  std::string config_file;                     // empty: started without --config, nothing to reload
  std::function<config::Settings()> read;      // the file with the command line's overrides; throws ConfigError
  std::optional<std::string> fixed_log_level;  // --log-level wins over log.level
};

// Reloaded with a summary for the person who asked, or Refused with why.
protocol::Answer reload(const ReloadSource& source, config::Settings& running, Server& server);

}  // namespace tablo::hub
