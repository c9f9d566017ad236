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
#include "hub/journal_link.hpp"
#include "hub/server.hpp"
#include "hub/stop_signal.hpp"
#include "protocol/curve_keys.hpp"
#include "tablo/version.hpp"

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "tablo-hub: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tablo-hub: holds the boards of the zones, takes commands and publishes every change"};
  std::string config_file, commands, events, journal_dir;
  app.add_option("--config", config_file, "settings file (TOML)");
  app.add_option("--commands", commands, "where to take commands, overrides hub.commands (tcp://127.0.0.1:5555)");
  app.add_option("--events", events, "where to publish changes, overrides hub.events (tcp://127.0.0.1:5556)");
  app.add_option("--journal", journal_dir, "folder of the journal, overrides hub.journal (default: /var/lib/tablo/journal "
                 "when writable, else ~/.local/state/tablo/journal)");
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
  if (!journal_dir.empty()) settings.hub.journal = journal_dir;

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
    std::unique_ptr<tablo::hub::Journal> journal;  // before serving: the boards come back first
    try {
      journal = tablo::hub::attach_journal(
          hub, settings.hub.journal.empty() ? tablo::hub::default_journal_dir() : std::filesystem::path(settings.hub.journal),
          static_cast<std::int64_t>(epoch));
    } catch (const tablo::hub::JournalError& e) {
      return fail(e.what());
    }
    std::optional<tablo::hub::Guard> guard;  // before the server: its ZAP handler must outlive the sockets
    std::optional<tablo::hub::Server> server;
    try {
      guard.emplace(context, settings.hub);
      server.emplace(context, hub, settings.hub, *guard);
    } catch (const tablo::hub::BindError& e) {
      return fail(e.what());
    } catch (const tablo::protocol::KeyError& e) {
      return fail(e.what());
    }
    spdlog::info("hub {} started: commands on {}, events on {}, epoch {}", tablo::version,
                 server->commands_endpoint(), server->events_endpoint(), epoch);
    server->run(stop.fd());
    if (guard->failed()) return 1;  // the key check stopped the hub, and said why
    spdlog::info("hub stopping: asked to by a signal");
  } catch (const std::exception& e) {
    spdlog::critical("hub stopped on an error: {}", e.what());
    return 1;
  }
  return 0;
}
