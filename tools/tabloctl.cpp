// tabloctl: calls, recalls and the rest from a terminal or a script, through the hub's
// command socket. Exit status: 0 accepted, 1 refused by the hub, 2 usage, 3 no hub.
#include <CLI/CLI.hpp>

#include <charconv>
#include <iostream>
#include <optional>

#include "config/load.hpp"
#include "protocol/codec.hpp"
#include "protocol/command_client.hpp"
#include "tablo/version.hpp"
#include "protocol/describe.hpp"
#include "tools/tabloctl_keys.hpp"
#include "tools/tabloctl_output.hpp"

namespace {

using namespace tablo::protocol;
using std::chrono::milliseconds;

enum Exit { accepted = 0, refused = 1, usage = 2, unreachable = 3 };

int usage_error(const std::string& message) {
  std::cerr << "tabloctl: " << message << "\n";
  return usage;
}

// "2s", "500ms", "1.5" (seconds); nullopt when it is none of these or not positive.
std::optional<milliseconds> parse_timeout(const std::string& text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || value <= 0) return std::nullopt;
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  double ms;
  if (unit == "ms") {
    ms = value;
  } else if (unit.empty() || unit == "s") {
    ms = value * 1000;
  } else {
    return std::nullopt;
  }
  if (ms < 1 || ms > 3'600'000) return std::nullopt;
  return milliseconds(static_cast<std::int64_t>(ms));
}

std::string joined(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& w : words) text += (text.empty() ? "" : " ") + w;
  return text;
}

// What the hub answered, printed; the exit status.
int report(const Command& command, const Reply& reply, const std::string& zone) {
  const auto* change = std::get_if<Change>(&command.action);
  const std::string what = change ? tablo::protocol::describe(*change) : "the request";
  if (const auto* no = std::get_if<Refused>(&reply.answer)) {
    std::cerr << "tabloctl: the hub refused " << what << ": " << no->error << "\n";
    return refused;
  }
  if (const auto* ok = std::get_if<Accepted>(&reply.answer); ok && change) {
    std::cout << what << ": accepted (zone " << zone << ", seq " << ok->seq << ")\n";
    return accepted;
  }
  if (const auto* status = std::get_if<Status>(&reply.answer)) {
    tablo::tools::print_status(std::cout, *status);
    return accepted;
  }
  if (const auto* snapshot = std::get_if<Snapshot>(&reply.answer)) {
    tablo::tools::print_snapshot(std::cout, *snapshot);
    return accepted;
  }
  std::cerr << "tabloctl: the hub answered " << what << " with a reply of the wrong kind\n";
  return refused;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tabloctl: tell the tablo hub to call, recall, finish… and ask how it is"};
  app.fallthrough();  // --zone and the rest also after the command
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("tabloctl ") + tablo::version);
  std::string hub, zone(default_zone), timeout_text = "2s", config_file;
  int retries = 2;
  app.add_option("--hub", hub, "the hub's command endpoint (default: hub.commands of --config, else tcp://127.0.0.1:5555)");
  app.add_option("--zone", zone, "the zone (hall) to act on")->capture_default_str();
  app.add_option("--timeout", timeout_text, "how long to wait for the hub: 2s, 500ms, 1.5 (seconds)")->capture_default_str();
  app.add_option("--config", config_file, "settings file (TOML) to take hub.commands (and [tabloctl] keys) from");
  std::string key_file, hub_key_file;
  app.add_option("--key", key_file, "this client's secret key file (NAME.secret), for a hub that uses keys");
  app.add_option("--hub-key", hub_key_file, "the hub's public key file (hub.key), with --key");
  app.add_option("--retries", retries, "tries after the first when no reply comes; the hub applies a change once "
                 "however often it is sent")->capture_default_str()->check(CLI::Range(0, 100));

  Action action;
  std::string ticket, window, service, text;
  std::vector<std::string> words;
  int seconds = 15;
  bool clear_ticker = false;

  auto* call = app.add_subcommand("call", "call a ticket to a window");
  call->add_option("ticket", ticket, "ticket, e.g. А025")->required();
  call->add_option("-w,--window", window, "window number or name")->required();
  call->add_option("--service", service, "service name shown with the call");
  call->add_option("--text", text, "extra words for the screen");
  call->callback([&] { action = Change{Called{ticket, window, service, text}}; });
  auto ticket_command = [&](const char* name, const char* help, auto make) {
    auto* sub = app.add_subcommand(name, help);
    sub->add_option("ticket", ticket, "ticket, e.g. А025")->required();
    sub->callback([&, make] { action = Change{make(ticket)}; });
  };
  ticket_command("recall", "call a ticket that is on the board again", [](auto t) { return Recalled{t}; });
  ticket_command("finish", "take a ticket off the board: served", [](auto t) { return Finished{t}; });
  ticket_command("cancel", "take a ticket off the board: did not come", [](auto t) { return Cancelled{t}; });
  app.add_subcommand("clear", "take every call and the announcement off the board")->callback([&] {
    action = Change{Cleared{}};
  });
  auto* announce = app.add_subcommand("announce", "show (and speak) an announcement");
  announce->add_option("text", words, "what to announce")->required();
  announce->add_option("--seconds", seconds, "how long it stays")->capture_default_str()
      ->check(CLI::Range(1, limits::announcement_seconds));
  announce->callback([&] { action = Change{Announced{joined(words), seconds}}; });
  auto* ticker = app.add_subcommand("ticker", "set the running text at the bottom of the screens");
  auto* ticker_text = ticker->add_option("text", words, "the running text");
  ticker->add_flag("--clear", clear_ticker, "remove the running text")->excludes(ticker_text);
  ticker->callback([&] {
    if (!clear_ticker && words.empty()) throw CLI::ValidationError("ticker", "give the text, or --clear");
    action = Change{TickerSet{joined(words)}};
  });
  app.add_subcommand("status", "the hub's version, uptime, zones and counters")->callback([&] {
    action = StatusRequest{};
  });
  app.add_subcommand("snapshot", "what the board of the zone shows now")->callback([&] {
    action = SnapshotRequest{};
  });
  std::string key_name, key_dir = ".", key_role;
  auto* keygen = app.add_subcommand("keygen", "make a key pair: NAME.key (public) and NAME.secret (mode 0600)");
  keygen->add_option("name", key_name, "the client (screen-1, desk-3) or hub the keys are for")->required();
  keygen->add_option("--dir", key_dir, "where to write the two files")->capture_default_str();
  keygen->add_option("--role", key_role, "display, operator or admin; none for the hub's own key")
      ->check(CLI::IsMember({"display", "operator", "admin"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? accepted : usage;
  }
  if (keygen->parsed()) {
    if (!tablo::tools::valid_key_name(key_name))
      return usage_error("key name '" + key_name + "' must be 1–64 characters of A-Z a-z 0-9 . _ -, not starting with a dot");
    try {
      tablo::tools::keygen(key_name, key_dir, key_role, std::cout);
    } catch (const KeyError& e) {
      return usage_error(e.what());
    }
    return accepted;
  }

  const auto timeout = parse_timeout(timeout_text);
  if (!timeout) return usage_error("--timeout " + timeout_text + " is not a duration such as 2s, 500ms or 1.5");
  if (!valid_zone_name(zone)) return usage_error("zone '" + zone + "' must be 1–32 characters of a-z 0-9 _ -");
  tablo::config::Settings settings;
  if (!config_file.empty()) {
    try {
      settings = tablo::config::load_file(config_file);
    } catch (const tablo::config::ConfigError& e) {
      return usage_error(e.what());
    }
  }
  if (hub.empty()) hub = settings.hub.commands;
  std::optional<ClientKeys> keys;
  try {
    keys = tablo::tools::client_keys(key_file, hub_key_file, settings.tabloctl.secret_key,
                                     settings.tabloctl.hub_public_key);
  } catch (const KeyError& e) {
    return usage_error(e.what());
  }

  zmq::context_t context;
  std::optional<CommandClient> client;
  try {
    client.emplace(context, hub, keys);
  } catch (const zmq::error_t& e) {
    return usage_error("cannot use hub endpoint " + hub + " (" + e.what() +
                       "): expected an endpoint such as tcp://127.0.0.1:5555");
  }
  // One id for every try: a change whose reply was lost is answered, not made again.
  const Command command{client->next_id(), zone, action};
  std::optional<Reply> reply;
  for (int attempt = 0; attempt <= retries && !reply; ++attempt) {
    if (attempt > 0) std::cerr << "tabloctl: no reply yet, trying again (" << attempt << " of " << retries << ")\n";
    reply = client->request(command, *timeout);
  }
  if (!reply) {
    std::cerr << "tabloctl: no reply from the hub at " << hub << " within " << tablo::tools::seconds_text(*timeout)
              << (retries > 0 ? ", " + std::to_string(retries + 1) + " tries" : std::string())
              << " — the hub is gone or unreachable; is tablo-hub running? (check with: systemctl status tablo-hub)"
              << (std::holds_alternative<Change>(action) ? "; the change may or may not have been made, see tabloctl snapshot once the hub is back" : "")
              << "\n";
    if (keys) {
      std::cerr << "tabloctl: a hub with keys also stays silent to a key it does not know: is this client's "
                << "NAME.key (public key " << keys->own.public_key.substr(0, 8) << "…) in its authorised-keys folder?\n";
    }
    return unreachable;
  }
  return report(command, *reply, zone);
}
