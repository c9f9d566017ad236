// tablo-hub: the single writer of the boards. Reads its settings, listens, serves until
// SIGINT or SIGTERM.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <optional>

#include "config/load.hpp"
#include "hub/hub.hpp"
#include "hub/server.hpp"
#include "hub/stop_signal.hpp"
#include "tablo/version.hpp"

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "tablo-hub: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tablo-hub: holds the boards of the zones, takes commands and publishes every change"};
  std::string config_file, commands, events;
  app.add_option("--config", config_file, "settings file (TOML)");
  app.add_option("--commands", commands, "where to take commands, overrides hub.commands (tcp://127.0.0.1:5555)");
  app.add_option("--events", events, "where to publish changes, overrides hub.events (tcp://127.0.0.1:5556)");
  app.set_version_flag("--version", std::string("tablo-hub ") + tablo::version);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // --help and --version: 0; usage errors: 2, as tabloctl
  }

  tablo::config::Settings settings;
  if (!config_file.empty()) {
    try {
      settings = tablo::config::load_file(config_file);
    } catch (const tablo::config::ConfigError& e) {
      return fail(e.what());
    }
  }
  if (!commands.empty()) settings.hub.commands = commands;
  if (!events.empty()) settings.hub.events = events;

  spdlog::set_default_logger(spdlog::stderr_color_mt("tablo-hub"));
  spdlog::set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  auto level = spdlog::level::from_str(settings.log_level);
  if (level == spdlog::level::off && settings.log_level != "off") {
    spdlog::warn("log_level '{}' is not one of trace, debug, info, warn, error; using info", settings.log_level);
    level = spdlog::level::info;
  }
  spdlog::set_level(level);

  const auto epoch = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                    std::chrono::system_clock::now().time_since_epoch())
                                                    .count());
  try {
    tablo::hub::StopSignal stop;
    zmq::context_t context;
    tablo::hub::Hub hub(epoch);
    std::optional<tablo::hub::Server> server;
    try {
      server.emplace(context, hub, settings.hub);
    } catch (const tablo::hub::BindError& e) {
      return fail(e.what());
    }
    spdlog::info("hub {} started: commands on {}, events on {}, epoch {}", tablo::version,
                 server->commands_endpoint(), server->events_endpoint(), epoch);
    server->run(stop.fd());
    spdlog::info("hub stopping: asked to by a signal");
  } catch (const std::exception& e) {
    spdlog::critical("hub stopped on an error: {}", e.what());
    return 1;
  }
  return 0;
}
