#pragma once
// Every setting of tablo with its built-in default. A config file only overrides;
// docs/CONFIG.md and config/tablo.example.toml describe each key.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "config/media_settings.hpp"
#include "config/fetch_settings.hpp"
#include "config/web_settings.hpp"

namespace tablo::config {

struct Color {
  std::uint8_t r = 0, g = 0, b = 0, a = 255;
  bool operator==(const Color&) const = default;
};

// Prometheus metrics over HTTP ("HOST:PORT", GET /metrics); empty: none. Loopback by default:
// the figures are for the branch's own monitoring, not for the hall's network.
struct MetricsSettings {
  std::string listen;
  bool operator==(const MetricsSettings&) const = default;
};

// What the letters of tickets and windows are. Operators type Latin H for the Н printed on a
// ticket; the hub writes such letters in the zone's alphabet, so that what is shown, said,
// matched and journaled is one ticket (docs/PROTOCOL.md, "Tickets' letters").
enum class Alphabet { cyrillic, latin, as_typed };

struct TicketLetters {
  Alphabet alphabet = Alphabet::cyrillic;
  std::map<std::string, Alphabet> zones;  // zone → its own alphabet
  Alphabet of(const std::string& zone) const {
    const auto it = zones.find(zone);
    return it == zones.end() ? alphabet : it->second;
  }
  bool operator==(const TicketLetters&) const = default;
};

// A regional hub this branch's hub follows (docs/CONFIG.md, "[hub.upstream]"): its tickers,
// announcements and pushed playlists show in the branch's zones; never its calls.
struct UpstreamSettings {
  std::string commands;  // the regional hub's command endpoint; empty: this hub follows none
  std::string events;    // its event endpoint
  // The upstream zones followed, each with the local zones its content shows in.
  std::map<std::string, std::vector<std::string>> zones;
  // Keys, when the regional hub uses them: this hub's own NAME.secret (a client there, with
  // role display) and the regional hub's public key. Both or neither.
  std::string secret_key;
  std::string hub_public_key;
  double offline_after_seconds = 3.5;  // no word from the regional hub this long: the link is lost, 1–60
  bool enabled() const { return !commands.empty(); }
  bool operator==(const UpstreamSettings&) const = default;
};

struct HubSettings {
  std::string commands = "tcp://127.0.0.1:5555";  // ROUTER: commands in, replies out
  std::string events = "tcp://127.0.0.1:5556";    // PUB: numbered changes and heartbeats
  double heartbeat_seconds = 1.0;                 // 0.1–10
  std::string journal;  // folder of the journal; empty: /var/lib/tablo/journal or ~/.local/state/tablo/journal
  // Keys (docs/CONFIG.md, "Client keys"): both or neither. With them every socket is CURVE and
  // only the clients in the folder get in; without them the hub listens on loopback only.
  std::string secret_key;       // the hub's NAME.secret (its public key is derived from it)
  std::string authorized_keys;  // folder of clients' NAME.key files, role inside; re-read when it changes
  bool allow_insecure = false;  // without keys, listen on any address anyway (warned at every start)
  double commands_per_second = 50.0;  // per client (key, or connection without keys); 0: no limit
  int commands_burst = 100;           // commands a client may send at once before the rate applies
  // Connections (commands and events together) past which new subscribers are refused; command
  // connections get 64 more. 0: the descriptor limit less 128 (docs/OPERATIONS.md, "Descriptors").
  int max_connections = 0;
  MetricsSettings metrics{"127.0.0.1:9750"};
  TicketLetters ticket_letters;
  HubMediaSettings media;
  UpstreamSettings upstream;
  bool operator==(const HubSettings&) const = default;
};

enum class Layout { hall, window };

struct Colors {
  Color background{0x0b, 0x1f, 0x3a};
  Color header_background{0x12, 0x3a, 0x6b};
  Color header_text{0xff, 0xff, 0xff};
  Color row_background{0x10, 0x2a, 0x4c};
  Color row_alt_background{0x0d, 0x24, 0x42};
  Color row_text{0xff, 0xff, 0xff};
  Color highlight_background{0xff, 0xc1, 0x07};
  Color highlight_text{0x10, 0x10, 0x10};
  Color popup_background{0xff, 0xff, 0xff};
  Color popup_text{0x0b, 0x1f, 0x3a};
  Color ticker_background{0x00, 0x00, 0x00};
  Color ticker_text{0xff, 0xd5, 0x4f};
  Color announcement_background{0xc6, 0x28, 0x28};
  Color announcement_text{0xff, 0xff, 0xff};
  Color offline_background{0xb7, 0x1c, 0x1c};
  Color offline_text{0xff, 0xff, 0xff};
  bool operator==(const Colors&) const = default;
};

// What the screen writes, so a branch can switch language or wording.
struct Labels {
  std::string ticket = "Талон";             // column heading
  std::string window = "Окно";              // column heading and the window screen's title
  std::string window_word = "окно";         // in the pop-up: "А025 → окно 3"
  std::string idle = "Ожидайте вызова";     // window screen with no current call
  std::string no_connection = "Нет связи с сервером";
  bool operator==(const Labels&) const = default;
};

// Videos and pictures from a playlist, in a region of the hall board or on the whole screen.
struct MediaSettings {
  std::string playlist;          // the playlist's TOML file; empty: no media, the board as always
  std::string region = "right";  // full, left, right, top, bottom
  double size = 0.5;             // share of the board's width (left, right) or height (top, bottom), 0.2–0.8
  std::string fit = "fit";       // fit: whole picture, bars around; fill: region covered, edges cut
  double retry_seconds = 30.0;   // a file that would not play is tried again after this, 1–3600
  double preroll_seconds = 2.0;  // the next item is opened this long before the playing one ends, 0.5–10
  int still_max_side = 3840;     // longer stills are scaled down to this on decoding, 256–16384 (at start)
  bool operator==(const MediaSettings&) const = default;
};

// What a screen tells the hub about itself, and its record of what it played and said.
struct ReportSettings {
  double every_seconds = 5.0;  // a report to the hub this often, 1–60
  // One JSON-lines file per day of what played and what was announced; empty:
  // /var/lib/tablo/proof-of-play/<display.name> when writable, else ~/.local/state/tablo/proof-of-play/<display.name>
  std::string proof_of_play_dir;
  int proof_of_play_days = 90;  // days of files kept, 1–3650
  bool operator==(const ReportSettings&) const = default;
};

struct DisplaySettings {
  std::string name = "screen-1";  // how this screen is named in logs
  std::vector<std::string> zones = {"main"};
  std::string hub_commands = "tcp://127.0.0.1:5555";
  std::string hub_events = "tcp://127.0.0.1:5556";
  std::string secret_key;      // this screen's NAME.secret, when the hub uses keys
  std::string hub_public_key;  // the hub's NAME.key; both or neither
  Layout layout = Layout::hall;
  std::string window;  // required when layout = "window": the window this screen hangs above
  int rotation = 0;    // 0, 90, 180, 270 (clockwise)
  bool fullscreen = true;
  int width = 1920;    // window size when not fullscreen, and the headless canvas
  int height = 1080;
  std::string renderer = "auto";  // auto, software, opengl, opengles2
  std::string font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  std::string font_bold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
  int rows = 6;                    // calls listed on the hall board, 1–20
  double blink_seconds = 10.0;     // how long the newest call blinks, 0–120
  double blink_period_seconds = 1.0;  // one on+off cycle, 0.2–5
  double popup_seconds = 5.0;      // how long the big pop-up stays, 0–60
  double ticker_speed = 0.12;      // screen widths per second, 0.02–1
  std::string clock_format = "%H:%M";  // strftime; with %S the clock ticks every second
  double header_height = 0.12;     // fractions of the screen height, 0.05–0.3
  double ticker_height = 0.08;
  double offline_after_seconds = 3.5;  // silence from the hub before "no connection", 1–60
  double late_after_seconds = 30.0;    // a change this old on arrival updates the board without a pop-up, 1–3600
  Colors colors;
  Labels labels;
  MediaSettings media;
  FetchSettings fetch;  // the pushed playlists' files
  MetricsSettings metrics{"127.0.0.1:9751"};
  ReportSettings reports;
  bool operator==(const DisplaySettings&) const = default;
};

// tabloctl's keys, for a hub that uses them (--key and --hub-key override).
struct ToolSettings {
  std::string secret_key;
  std::string hub_public_key;
  bool operator==(const ToolSettings&) const = default;
};

// A span of the day, "22:00-07:00"; it may run across midnight. from == to: none.
struct TimeSpan {
  int from_minute = 0;
  int to_minute = 0;
  bool empty() const { return from_minute == to_minute; }
  bool contains(int minute) const {
    if (empty()) return false;
    return from_minute < to_minute ? minute >= from_minute && minute < to_minute
                                   : minute >= from_minute || minute < to_minute;
  }
  bool operator==(const TimeSpan&) const = default;
};

struct VolumeStep {
  TimeSpan hours;
  double volume = 1.0;
  bool operator==(const VolumeStep&) const = default;
};

enum class AnnounceMode { off, chime, chime_then_voice, chime_and_voice };

// A destination's words in each language ("ru", "en"): what is said after the verb.
using DestinationWords = std::map<std::string, std::string>;

// The destinations tablo knows, by their Russian and English names (lower case).
inline std::map<std::string, DestinationWords> built_in_destinations() {
  const DestinationWords window{{"ru", "к окну"}, {"en", "window"}}, room{{"ru", "в кабинет"}, {"en", "room"}},
      counter{{"ru", "к стойке"}, {"en", "counter"}}, desk{{"ru", "к столу"}, {"en", "desk"}};
  return {{"окно", window}, {"window", window}, {"кабинет", room},  {"room", room},
          {"стойка", counter}, {"counter", counter}, {"стол", desk}, {"desk", desk}};
}

// How a screen sounds its calls. Every call is shown as text whatever is set here.
struct AnnouncementSettings {
  AnnounceMode mode = AnnounceMode::chime_and_voice;
  std::string language = "ru";  // ru, en
  std::string voice_pack;       // folder; empty: the pack installed beside the programs
  std::string recordings = "/var/lib/tablo/recordings";  // prerecorded messages, by file name
  std::string call_template;    // empty: the language's own (see docs/CONFIG.md)
  std::string short_template;   // said instead when a call would wait too long
  std::string destination = "окно";                      // a name in destination_words
  std::map<std::string, std::string> zone_destinations;  // zone → destination name
  // destination name → its words in each language; a config file adds to these or changes them
  std::map<std::string, DestinationWords> destination_words = built_in_destinations();
  int repeat = 1;                   // times the words are said, 1–3
  double max_wait_seconds = 20;     // 0–600
  TimeSpan quiet_hours;             // no sound at all in these hours
  double volume = 1.0;              // 0–1
  std::vector<VolumeStep> volume_schedule;
  double soundtrack_duck = 0.2;     // video sound level while an announcement plays, 0–1
  bool operator==(const AnnouncementSettings&) const = default;
};

struct Settings {
  std::string branch_name = "МФЦ «Мои Документы»";
  std::string log_level = "info";  // trace, debug, info, warn, error
  HubSettings hub;
  DisplaySettings display;
  AnnouncementSettings announcements;
  ToolSettings tabloctl;
  WebSettings web;  // tablo-web's [web]
  bool operator==(const Settings&) const = default;
};

}  // namespace tablo::config
