#pragma once
// How tablo-hub and tablo-display log: one line per event on stderr, which systemd's journal
// picks up. Under systemd (stderr is the journal) the line has no timestamp, since journald
// adds its own, and starts with the syslog priority ("<4>") so `journalctl -p warning` works.
#include <string_view>

namespace tablo::config {

// Makes `program`'s logger the default, at level info until set_log_level.
void start_logging(std::string_view program);

// "trace", "debug", "info", "warn", "error" (log.level, --log-level).
void set_log_level(std::string_view level);

}  // namespace tablo::config
