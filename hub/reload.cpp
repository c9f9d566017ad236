#include "hub/reload.hpp"

#include <spdlog/spdlog.h>

#include "config/load.hpp"
#include "config/logging.hpp"
#include "config/restart.hpp"

namespace tablo::hub {
namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string number_text(double value) {
  std::string text = fmt::format("{:.2f}", value);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

}  // namespace

protocol::Answer reload(const ReloadSource& source, config::Settings& running, Server& server) {
  if (source.config_file.empty()) {
    spdlog::warn("reload asked for, but the hub was started without --config: nothing to reload");
    return protocol::Refused{"the hub was started without --config, so there is no file to reload"};
  }
  config::Settings next;
  try {
    next = source.read();
  } catch (const config::ConfigError& e) {
    spdlog::error("config not reloaded, the running settings stay: {}", e.what());
    return protocol::Refused{std::string("config not reloaded, the running settings stay: ") + e.what()};
  }
  const auto waiting = config::hold_hub_restart_keys(running, next);
  server.apply(next.hub);
  config::set_log_level(source.fixed_log_level.value_or(next.log_level));
  std::string summary = fmt::format("config {} reloaded: log level {}, heartbeat every {} s, {} commands/s per client "
                                    "(bursts of {})",
                                    source.config_file, source.fixed_log_level.value_or(next.log_level),
                                    number_text(next.hub.heartbeat_seconds), number_text(next.hub.commands_per_second),
                                    next.hub.commands_burst);
  if (!waiting.empty()) summary += "; " + joined(waiting) + " changed and need" + (waiting.size() == 1 ? "s" : "") +
                                   " a restart of tablo-hub";
  summary += "; the screens read their own config files again";
  spdlog::info("{}", summary);
  running = std::move(next);
  return protocol::Reloaded{summary};
}

}  // namespace tablo::hub
