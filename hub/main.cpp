// tablo-hub: the single writer of the boards. Reads its settings, listens, serves until
// SIGINT or SIGTERM; SIGHUP (or tabloctl reload) reads the settings again.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

#include "config/load.hpp"
#include "config/logging.hpp"
#include "hub/descriptors.hpp"
#include "hub/hub.hpp"
#include "hub/journal_link.hpp"
#include "hub/media_start.hpp"
#include "hub/metrics_page.hpp"
#include "hub/reload.hpp"
#include "hub/server.hpp"
#include "hub/signal_pipe.hpp"
#include "hub/upstream.hpp"
#include "media/ffmpeg_log.hpp"
#include "metrics/endpoint.hpp"
#include "metrics/process_memory.hpp"
#include "metrics/published.hpp"
#include "protocol/curve_keys.hpp"
#include "tablo/version.hpp"

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "tablo-hub: %s\n", message.c_str());
  return 1;
}

std::int64_t now_unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::uint64_t journal_bytes(const std::filesystem::path& dir) {
  std::uint64_t bytes = 0;
  for (const char* name : {"boards.json", "changes.jsonl"}) {
    std::error_code ignored;
    const auto size = std::filesystem::file_size(dir / name, ignored);
    if (!ignored) bytes += size;
  }
  return bytes;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tablo-hub: holds the boards of the zones, takes commands and publishes every change"};
  std::string config_file, commands, events, journal_dir;
  std::optional<std::string> log_level;
  app.add_option("--config", config_file, "settings file (TOML)");
  app.add_option("--commands", commands, "where to take commands, overrides hub.commands (tcp://127.0.0.1:5555)");
  app.add_option("--events", events, "where to publish changes, overrides hub.events (tcp://127.0.0.1:5556)");
  app.add_option("--journal", journal_dir, "folder of the journal, overrides hub.journal (default: /var/lib/tablo/journal "
                 "when writable, else ~/.local/state/tablo/journal)");
  app.add_option("--log-level", log_level, "trace, debug, info, warn or error; overrides log.level")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  app.set_version_flag("--version", std::string("tablo-hub ") + tablo::version);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // --help and --version: 0; usage errors: 2, as tabloctl
  }

  // The file with the command line's overrides: at the start, and again at each reload.
  auto read_settings = [&] {
    auto s = config_file.empty() ? tablo::config::Settings{} : tablo::config::load_file(config_file);
    if (!commands.empty()) s.hub.commands = commands;
    if (!events.empty()) s.hub.events = events;
    if (!journal_dir.empty()) s.hub.journal = journal_dir;
    return s;
  };
  tablo::config::Settings settings;
  try {
    settings = read_settings();
  } catch (const tablo::config::ConfigError& e) {
    return fail(e.what());
  }

  tablo::config::start_logging("tablo-hub");
  tablo::media::route_ffmpeg_log();  // probing uploads: FFmpeg's complaints in the hub's log, once per file
  tablo::config::set_log_level(log_level.value_or(settings.log_level));

  // Before any socket: every connection is a descriptor (hub/descriptors.hpp).
  tablo::hub::raise_descriptor_limit();
  const auto epoch = static_cast<std::uint64_t>(now_unix_ms());
  try {
    tablo::hub::SignalPipe stop({SIGINT, SIGTERM});
    tablo::hub::SignalPipe hangup({SIGHUP});
    zmq::context_t context;
    tablo::hub::Hub hub(epoch, settings.hub.ticket_letters);
    std::unique_ptr<tablo::hub::Journal> journal;  // before serving: the boards come back first
    const auto journal_dir_used =
        settings.hub.journal.empty() ? tablo::hub::default_journal_dir() : std::filesystem::path(settings.hub.journal);
    try {
      journal = tablo::hub::attach_journal(hub, journal_dir_used, static_cast<std::int64_t>(epoch));
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
    std::unique_ptr<tablo::hub::MediaService> media;
    try {
      media = tablo::hub::start_media(settings.hub, journal_dir_used, guard->uses_keys());
    } catch (const std::runtime_error& e) {
      return fail(e.what());
    }
    server->media_with(&media->commands);
    std::unique_ptr<tablo::hub::Upstream> upstream;  // a branch hub following its regional hub
    if (settings.hub.upstream.enabled()) {
      try {
        upstream = std::make_unique<tablo::hub::Upstream>(settings.hub.upstream, hub, &media->commands);
      } catch (const tablo::protocol::KeyError& e) {
        return fail(std::string("hub.upstream: ") + e.what());
      }
      server->upstream_with(upstream.get());
    }
    server->reload_with([&] {
      return tablo::hub::reload({config_file, read_settings, log_level}, settings, *server);
    });
    // The loop publishes a copy of its figures after every round; scrapes read only that copy.
    tablo::metrics::Published<tablo::hub::HubFigures> figures;
    auto publish_figures = [&] {
      tablo::protocol::Answer status = hub.status(now_unix_ms());
      media->commands.add_figures(status);
      figures.publish({std::get<tablo::protocol::Status>(status), server->screens().list(std::chrono::steady_clock::now())});
    };
    server->after_each_round(publish_figures);
    publish_figures();
    const auto journal_folder = journal->dir();
    auto metrics_endpoint = tablo::metrics::serve_metrics(settings.hub.metrics.listen, [&figures, journal_folder] {
      auto f = figures.read();
      f.journal_bytes = journal_bytes(journal_folder);
      f.resident_bytes = tablo::metrics::resident_memory_bytes();
      return tablo::hub::metrics_page(f);
    });
    spdlog::info("hub {} started: commands on {}, events on {}, epoch {}", tablo::version,
                 server->commands_endpoint(), server->events_endpoint(), epoch);
    server->run(stop.fd(), hangup.fd());
    if (guard->failed()) return 1;  // the key check stopped the hub, and said why
    spdlog::info("hub stopping: asked to by a signal");
  } catch (const std::exception& e) {
    spdlog::critical("hub stopped on an error: {}", e.what());
    return 1;
  }
  return 0;
}
