// tabloctl: calls, recalls and the rest from a terminal or a script, through the hub's
// command socket. Exit status: 0 accepted, 1 refused by the hub, 2 usage, 3 no hub.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "config/load.hpp"
#include "protocol/codec.hpp"
#include "protocol/command_client.hpp"
#include "tablo/version.hpp"
#include "protocol/describe.hpp"
#include "tools/tabloctl_keys.hpp"
#include "tools/tabloctl_media.hpp"
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

// A playlist file's text for `playlist set`; throws CLI::ValidationError saying what is wrong.
std::string playlist_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CLI::ValidationError("playlist set", "cannot read " + path);
  std::string text{std::istreambuf_iterator<char>(in), {}};
  if (text.empty()) throw CLI::ValidationError("playlist set", path + " is empty; to withdraw a pushed playlist use: tabloctl playlist clear");
  if (text.size() > limits::playlist) {
    throw CLI::ValidationError("playlist set", path + " is " + std::to_string(text.size()) + " bytes; the hub takes playlists of up to " +
                                                   std::to_string(limits::playlist));
  }
  return text;
}

// Where a screen's file goes: `out`, or standard output for "-".
int save(const ScreenFile& file, const std::string& out) {
  if (out == "-") {
    std::cout << file.data << std::flush;
    return accepted;
  }
  std::ofstream(out, std::ios::binary) << file.data;
  if (!std::ifstream(out) || std::filesystem::file_size(out) != file.data.size()) {
    std::cerr << "tabloctl: cannot write " << out << "\n";
    return usage;
  }
  std::cerr << "tabloctl: " << file.data.size() << " bytes (" << file.type << ") written to " << out << "\n";
  return accepted;
}

// What the hub answered, printed; the exit status.
int report(const Command& command, const Reply& reply, const std::string& zone, bool json, const std::string& out) {
  const auto* change = std::get_if<Change>(&command.action);
  const auto* screen = std::get_if<ScreenAction>(&command.action);
  const std::string what = change ? tablo::protocol::describe(*change)
                           : screen && std::holds_alternative<ScreenshotRequest>(*screen)  ? "the screenshot"
                           : screen && std::holds_alternative<ProofOfPlayRequest>(*screen) ? "the proof of play"
                                                                                          : "the request";
  if (const auto* no = std::get_if<Refused>(&reply.answer)) {
    std::cerr << "tabloctl: the hub refused " << what << ": " << no->error << "\n";
    return refused;
  }
  if (const auto* ok = std::get_if<Accepted>(&reply.answer); ok && change) {
    std::cout << what << ": accepted (zone " << zone << ", seq " << ok->seq << ")\n";
    return accepted;
  }
  if (const auto* ok = std::get_if<Accepted>(&reply.answer); ok && std::holds_alternative<ZoneRemoval>(command.action)) {
    std::cout << "zone " << zone << " removed; the hub's epoch is now " << ok->epoch
              << ", so every screen takes a fresh board\n";
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
  if (const auto* screens = std::get_if<ScreenList>(&reply.answer)) {
    tablo::tools::print_screens(std::cout, *screens, json);
    return accepted;
  }
  if (const auto* file = std::get_if<ScreenFile>(&reply.answer)) return save(*file, out);
  if (const auto* media = std::get_if<MediaItems>(&reply.answer)) {
    if (std::holds_alternative<MediaAction>(command.action) &&
        std::holds_alternative<MediaRemove>(std::get<MediaAction>(command.action)))
      std::cout << "removed: ";
    tablo::tools::print_media(std::cout, *media, json);
    return accepted;
  }
  if (const auto* reloaded = std::get_if<Reloaded>(&reply.answer)) {
    std::cout << reloaded->summary << "\n";
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
  std::string recording;
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
  announce->add_option("--recording", recording,
                       "play this prerecorded message (a file in the screens' recordings folder) instead of "
                       "speaking the text; the text is still shown");
  announce->callback([&] { action = Change{Announced{joined(words), seconds, recording}}; });
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
  app.add_subcommand("reload", "the hub reads its config file again and asks the screens to read theirs (admin)")
      ->callback([&] { action = ReloadRequest{}; });
  auto* playlist = app.add_subcommand("playlist", "push a playlist to the zone's screens, or withdraw it");
  playlist->require_subcommand(1);
  std::string playlist_file;
  auto* playlist_set = playlist->add_subcommand("set", "the zone's screens play this playlist (TOML, docs/PLAYLISTS.md); "
                                                       "relative files are taken from each screen's own playlist folder");
  playlist_set->add_option("file", playlist_file, "the playlist file")->required();
  playlist_set->callback([&] { action = Change{PlaylistSet{playlist_text(playlist_file)}}; });
  playlist->add_subcommand("clear", "each screen plays its own playlist file again")->callback([&] {
    action = Change{PlaylistSet{""}};
  });
  auto* zone_command = app.add_subcommand("zone", "zones of the hub");
  zone_command->require_subcommand(1);
  std::string removed_zone;
  auto* zone_remove = zone_command->add_subcommand("remove", "take a zone and its board off the hub, so it no longer "
                                                             "counts against the 64 zones (admin)");
  zone_remove->alias("rm");
  zone_remove->add_option("name", removed_zone, "the zone")->required();
  zone_remove->callback([&] {
    zone = removed_zone;
    action = ZoneRemoval{};
  });
  bool json = false;
  auto* screens = app.add_subcommand("screens", "the screens that report to the hub: zones, version, what plays");
  screens->add_flag("--json", json, "one JSON object per screen, as the hub sends them");
  screens->callback([&] { action = ScreenAction{ScreensRequest{}}; });
  std::string screen_name, out, day;
  auto* screenshot = app.add_subcommand("screenshot", "what a screen shows right now, as PNG");
  screenshot->add_option("screen", screen_name, "the screen's name (display.name), see tabloctl screens")->required();
  screenshot->add_option("-o,--output", out, "the PNG file to write; - for standard output (default: SCREEN.png)");
  screenshot->callback([&] {
    if (out.empty()) {  // SCREEN.png here, whatever the name holds
      out = screen_name + ".png";
      std::replace(out.begin(), out.end(), '/', '_');
    }
    action = ScreenAction{ScreenshotRequest{screen_name}};
  });
  auto* proof = app.add_subcommand("proof-of-play", "a day of what a screen played and announced (JSON lines)");
  proof->add_option("screen", screen_name, "the screen's name (display.name)")->required();
  proof->add_option("--day", day, "the screen's local day, YYYY-MM-DD")->required();
  proof->add_option("-o,--output", out, "the file to write (default: standard output)");
  proof->callback([&] {
    if (!valid_day(day)) throw CLI::ValidationError("--day", "'" + day + "' is not a day such as 2026-11-26");
    if (out.empty()) out = "-";
    action = ScreenAction{ProofOfPlayRequest{screen_name, day}};
  });
  auto* media = app.add_subcommand("media", "the hub's media library: files that pushed playlists name");
  media->require_subcommand(1);
  std::string media_file, media_name;
  auto* media_add = media->add_subcommand("add", "upload a video or picture (staff); run again to go on after an interruption");
  media_add->add_option("file", media_file, "the file")->required();
  media_add->add_option("--name", media_name, "its name in playlists (default: the file's name)");
  auto* media_list = media->add_subcommand("list", "the files in the library");
  media_list->add_flag("--json", json, "one JSON object per file");
  media_list->callback([&] { action = MediaAction{MediaListRequest{}}; });
  auto* media_info = media->add_subcommand("info", "what the library knows of one file");
  media_info->add_option("name", media_name, "the file's name in the library")->required();
  media_info->add_flag("--json", json, "as a JSON object");
  media_info->callback([&] { action = MediaAction{MediaInfoRequest{media_name}}; });
  auto* media_rm = media->add_subcommand("rm", "take a file out of the library (refused while a playlist in force uses it)");
  media_rm->add_option("name", media_name, "the file's name in the library")->required();
  media_rm->callback([&] { action = MediaAction{MediaRemove{media_name}}; });
  std::string key_name, key_dir = ".", key_role;
  auto* keygen = app.add_subcommand("keygen", "make a key pair: NAME.key (public) and NAME.secret (mode 0600)");
  keygen->add_option("name", key_name, "the client (screen-1, desk-3) or hub the keys are for")->required();
  keygen->add_option("--dir", key_dir, "where to write the two files")->capture_default_str();
  keygen->add_option("--role", key_role,
                     "display, operator, admin or region (the regional office: ticker, announcements, playlists, never "
                     "calls); none for the hub's own key")
      ->check(CLI::IsMember({"display", "operator", "admin", "region"}));
  std::vector<std::string> key_screens;
  keygen->add_option("--screen", key_screens,
                     "a screen (display.name) this key may report as; repeat for several (default: NAME only)")
      ->needs("--role");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? accepted : usage;
  }
  if (keygen->parsed()) {
    if (!tablo::tools::valid_key_name(key_name))
      return usage_error("key name '" + key_name + "' must be 1–64 characters of A-Z a-z 0-9 . _ -, not starting with a dot");
    try {
      tablo::tools::keygen(key_name, key_dir, key_role, key_screens, std::cout);
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
    client.emplace(context, hub, keys, limits::screen_answer);
  } catch (const zmq::error_t& e) {
    return usage_error("cannot use hub endpoint " + hub + " (" + e.what() +
                       "): expected an endpoint such as tcp://127.0.0.1:5555");
  }
  if (media_add->parsed()) return tablo::tools::media_add(*client, media_file, media_name, *timeout, retries, std::cout, std::cerr);
  // One id for every try: a change whose reply was lost is answered, not made again.
  const Command command{client->next_id(), zone, action};
  // The hub waits up to 5 s for a screen's answer before it says the screen did not answer.
  const bool relayed = std::holds_alternative<ScreenAction>(action) && !std::holds_alternative<ScreensRequest>(std::get<ScreenAction>(action));
  const auto wait = *timeout + (relayed ? milliseconds(5000) : milliseconds(0));
  std::optional<Reply> reply;
  for (int attempt = 0; attempt <= retries && !reply; ++attempt) {
    if (attempt > 0) std::cerr << "tabloctl: no reply yet, trying again (" << attempt << " of " << retries << ")\n";
    reply = client->request(command, wait);
  }
  if (!reply) {
    std::cerr << "tabloctl: no reply from the hub at " << hub << " within " << tablo::tools::seconds_text(wait)
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
  return report(command, *reply, zone, json, out);
}
