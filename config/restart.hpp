#pragma once
// A reloaded config file (SIGHUP, tabloctl reload) is applied while the programs run, except
// for the settings they only read at start: sockets, keys, the journal, the window. These
// say which of those differ, so the log can tell a person that they wait for a restart, and
// put the running values back into `next`, so that the settings kept say what really runs.
#include <string>
#include <vector>

#include "config/settings.hpp"

namespace tablo::config {

// Keys as written in the file ("hub.commands"), in the file's order.
std::vector<std::string> hold_hub_restart_keys(const Settings& running, Settings& next);
std::vector<std::string> hold_display_restart_keys(const Settings& running, Settings& next);

}  // namespace tablo::config
