#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <toml++/toml.h>
#include <unistd.h>

#include "config/load.hpp"
#include "config/restart.hpp"

using namespace tablo::config;
using Catch::Contains;
using Catch::StartsWith;

namespace {

const std::filesystem::path example = std::filesystem::path(TABLO_SOURCE_DIR) / "config/tablo.example.toml";

// The message of the ConfigError that loading `toml` throws.
std::string error_from(std::string_view toml) {
  try {
    load_string(toml, "tablo.toml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  FAIL("loaded without an error:\n" << toml);
  return {};
}

// A config file in the temp folder, removed again when the test ends.
class ConfigFile {
 public:
  explicit ConfigFile(std::string_view text)
      : path_(std::filesystem::temp_directory_path() /
              ("tablo-config-test-" + std::to_string(::getpid()) + ".toml")) {
    std::ofstream(path_) << text;
  }
  ~ConfigFile() { std::filesystem::remove(path_); }
  ConfigFile(const ConfigFile&) = delete;
  ConfigFile& operator=(const ConfigFile&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Every key, each set to something other than its default.
const char* const every_key = R"(
[branch]
name = "Branch 7"
[log]
level = "debug"
[hub]
commands = "tcp://*:6000"
events = "ipc:///run/tablo/events"
heartbeat_seconds = 0.5
journal = "/srv/tablo/journal"
secret_key = "/etc/tablo/keys/hub.secret"
authorized_keys = "/etc/tablo/authorized_keys"
allow_insecure = true
commands_per_second = 5.0
commands_burst = 10
max_connections = 5000
ticket_letters = "latin"
zone_ticket_letters = { lobby = "as-typed" }
[hub.metrics]
listen = "0.0.0.0:9100"
[hub.media]
folder = "/srv/tablo/media"
listen = "0.0.0.0:8090"
url = "http://10.0.0.2:8090/media/"
transfers = 8
token_seconds = 600
max_item_mb = 2000
library_mb = 50000
reserve_mb = 512.5
[hub.upstream]
commands = "tcp://region.example.org:5555"
events = "tcp://region.example.org:5556"
zones = { region = ["main", "hall-2"], north = ["main"] }
secret_key = "/etc/tablo/keys/branch-7.secret"
hub_public_key = "/etc/tablo/keys/region-hub.key"
offline_after_seconds = 10
[display]
name = "window-3"
zones = ["main", "second_floor"]
hub_commands = "tcp://10.0.0.2:6000"
hub_events = "tcp://10.0.0.2:6001"
secret_key = "/etc/tablo/keys/window-3.secret"
hub_public_key = "/etc/tablo/keys/hub.key"
layout = "window"
window = "3"
rotation = 90
fullscreen = false
width = 800
height = 600
renderer = "software"
font = "/opt/fonts/Regular.ttf"
font_bold = "/opt/fonts/Bold.ttf"
rows = 8
blink_seconds = 4
blink_period_seconds = 0.5
popup_seconds = 7.5
ticker_speed = 0.2
clock_format = "%H:%M:%S"
header_height = 0.1
ticker_height = 0.06
offline_after_seconds = 10
late_after_seconds = 45
[display.colors]
background = "#000001"
header_background = "#000002"
header_text = "#000003"
row_background = "#000004"
row_alt_background = "#000005"
row_text = "#000006"
highlight_background = "#000007"
highlight_text = "#000008"
popup_background = "#000009"
popup_text = "#00000A"
ticker_background = "#00000B"
ticker_text = "#00000C"
announcement_background = "#00000D"
announcement_text = "#00000E"
offline_background = "#00000F"
offline_text = "#10203040"
[display.labels]
ticket = "Ticket"
window = "Desk"
window_word = "desk"
idle = "Please wait"
no_connection = "No connection"
[display.media]
playlist = "/srv/tablo/loop.toml"
region = "full"
size = 0.4
fit = "fill"
retry_seconds = 5
preroll_seconds = 1.5
still_max_side = 2048
[display.reports]
every_seconds = 2.5
proof_of_play_dir = "/srv/tablo/proof"
proof_of_play_days = 30
[display.metrics]
listen = ""
[announcements]
mode = "chime-then-voice"
language = "en"
voice_pack = "/srv/tablo/voice/en"
recordings = "/srv/tablo/recordings"
template = "{chime} Number {ticket}, {destination} {window}"
short_template = "{ticket} {window}"
destination = "desk"
zone_destinations = { upstairs = "room" }
repeat = 2
max_wait_seconds = 30
quiet_hours = "22:00-07:30"
volume = 0.8
volume_schedule = ["18:00-20:00 0.5", "07:30-09:00 0.6"]
soundtrack_duck = 0.1
[announcements.destination_words]
"касса" = { ru = "к кассе", en = "cash desk" }
[tabloctl]
secret_key = "/home/op/desk-3.secret"
hub_public_key = "/home/op/hub.key"

[web]
listen = "0.0.0.0:8443"
certificate = "/etc/tablo/web.pem"
private_key = "/etc/tablo/web.key"
allow_insecure = true
database = "/srv/tablo/web.sqlite"
pages = "/srv/tablo/pages"
secret_key = "/etc/tablo/web.secret"
hub_public_key = "/etc/tablo/hub.key"
zones = ["main", "upstairs"]
session_hours = 8.0
screenshot_seconds = 10.0
announcement_templates = ["Перерыв"]
)";

Settings every_key_settings() {
  Settings s;
  s.web = {"0.0.0.0:8443", "/etc/tablo/web.pem", "/etc/tablo/web.key", true, "/srv/tablo/web.sqlite", "/srv/tablo/pages",
           "/etc/tablo/web.secret", "/etc/tablo/hub.key", {"main", "upstairs"}, 8.0, 10.0, {"Перерыв"}};
  s.branch_name = "Branch 7";
  s.log_level = "debug";
  s.hub.commands = "tcp://*:6000";
  s.hub.events = "ipc:///run/tablo/events";
  s.hub.heartbeat_seconds = 0.5;
  s.hub.journal = "/srv/tablo/journal";
  s.hub.secret_key = "/etc/tablo/keys/hub.secret";
  s.hub.authorized_keys = "/etc/tablo/authorized_keys";
  s.hub.allow_insecure = true;
  s.hub.commands_per_second = 5.0;
  s.hub.commands_burst = 10;
  s.hub.max_connections = 5000;
  s.hub.metrics.listen = "0.0.0.0:9100";
  s.hub.media = {"/srv/tablo/media", "0.0.0.0:8090", "http://10.0.0.2:8090/media/", 8, 600, 2000, 50000, 512.5};
  s.hub.ticket_letters = {Alphabet::latin, {{"lobby", Alphabet::as_typed}}};
  s.hub.upstream = {"tcp://region.example.org:5555", "tcp://region.example.org:5556",
                    {{"region", {"main", "hall-2"}}, {"north", {"main"}}}, "/etc/tablo/keys/branch-7.secret",
                    "/etc/tablo/keys/region-hub.key", 10};
  s.tabloctl = {"/home/op/desk-3.secret", "/home/op/hub.key"};
  DisplaySettings& d = s.display;
  d.name = "window-3";
  d.secret_key = "/etc/tablo/keys/window-3.secret";
  d.hub_public_key = "/etc/tablo/keys/hub.key";
  d.zones = {"main", "second_floor"};
  d.hub_commands = "tcp://10.0.0.2:6000";
  d.hub_events = "tcp://10.0.0.2:6001";
  d.layout = Layout::window;
  d.window = "3";
  d.rotation = 90;
  d.fullscreen = false;
  d.width = 800;
  d.height = 600;
  d.renderer = "software";
  d.font = "/opt/fonts/Regular.ttf";
  d.font_bold = "/opt/fonts/Bold.ttf";
  d.rows = 8;
  d.blink_seconds = 4.0;
  d.blink_period_seconds = 0.5;
  d.popup_seconds = 7.5;
  d.ticker_speed = 0.2;
  d.clock_format = "%H:%M:%S";
  d.header_height = 0.1;
  d.ticker_height = 0.06;
  d.offline_after_seconds = 10.0;
  d.late_after_seconds = 45.0;
  d.colors = {{0, 0, 1}, {0, 0, 2}, {0, 0, 3}, {0, 0, 4}, {0, 0, 5},  {0, 0, 6},  {0, 0, 7},  {0, 0, 8},
              {0, 0, 9}, {0, 0, 10}, {0, 0, 11}, {0, 0, 12}, {0, 0, 13}, {0, 0, 14}, {0, 0, 15},
              {0x10, 0x20, 0x30, 0x40}};
  d.labels = {"Ticket", "Desk", "desk", "Please wait", "No connection"};
  d.media = {"/srv/tablo/loop.toml", "full", 0.4, "fill", 5.0, 1.5, 2048};
  d.reports = {2.5, "/srv/tablo/proof", 30};
  d.metrics.listen = "";
  AnnouncementSettings& a = s.announcements;
  a.mode = AnnounceMode::chime_then_voice;
  a.language = "en";
  a.voice_pack = "/srv/tablo/voice/en";
  a.recordings = "/srv/tablo/recordings";
  a.call_template = "{chime} Number {ticket}, {destination} {window}";
  a.short_template = "{ticket} {window}";
  a.destination = "desk";
  a.zone_destinations = {{"upstairs", "room"}};
  a.repeat = 2;
  a.max_wait_seconds = 30;
  a.quiet_hours = {22 * 60, 7 * 60 + 30};
  a.volume = 0.8;
  a.volume_schedule = {{{18 * 60, 20 * 60}, 0.5}, {{7 * 60 + 30, 9 * 60}, 0.6}};
  a.soundtrack_duck = 0.1;
  a.destination_words["касса"] = {{"ru", "к кассе"}, {"en", "cash desk"}};
  return s;
}

// Dotted names of every value in a TOML document: "display.colors.background", …
std::set<std::string> keys_of(const toml::table& table, const std::string& prefix = "") {
  std::set<std::string> keys;
  for (const auto& [key, node] : table) {
    std::string name = prefix + std::string(key.str());
    // The keys of these tables are zones and destinations, not settings.
    const bool named = key.str() == "zone_destinations" || key.str() == "zone_ticket_letters" ||
                       key.str() == "destination_words" || key.str() == "zones";
    if (auto inner = node.as_table(); inner && !named)
      keys.merge(keys_of(*inner, name + "."));
    else
      keys.insert(name);
  }
  return keys;
}

}  // namespace

TEST_CASE("an empty config gives the built-in defaults") {
  REQUIRE(load_string("", "tablo.toml") == Settings{});
  REQUIRE(load_string("# nothing but a comment\n[display]\n", "tablo.toml") == Settings{});
}

TEST_CASE("announcement hours and volumes are checked where they are written") {
  CHECK_THROWS_WITH(load_string("[announcements]\nquiet_hours = \"22-07\"\n", "tablo.toml"),
                    "tablo.toml:2:15: announcements.quiet_hours: expected hours \"HH:MM-HH:MM\" or \"\", got \"22-07\"");
  CHECK_THROWS_WITH(load_string("[announcements]\nvolume_schedule = [\"20:00-22:00 1.5\"]\n", "tablo.toml"),
                    Catch::Contains("tablo.toml:2:20: announcements.volume_schedule[0]: expected \"HH:MM-HH:MM VOLUME\""));
  CHECK_THROWS_WITH(load_string("[announcements]\nmode = \"loud\"\n", "tablo.toml"),
                    Catch::Contains("announcements.mode: expected one of \"off\", \"chime\""));
}

TEST_CASE("the example config loads and equals the built-in defaults") {
  REQUIRE(load_file(example) == Settings{});
}

TEST_CASE("the example config sets every key there is") {
  REQUIRE(keys_of(toml::parse_file(example.string())) == keys_of(toml::parse(every_key)));
}

TEST_CASE("every key of every section overrides its default") {
  REQUIRE(load_string(every_key, "tablo.toml") == every_key_settings());
}

TEST_CASE("a config file on disk loads like the same text") {
  ConfigFile file(every_key);
  REQUIRE(load_file(file.path()) == every_key_settings());
}

TEST_CASE("an integer is accepted where a number of seconds is expected") {
  REQUIRE(load_string("[display]\npopup_seconds = 5\n", "tablo.toml").display.popup_seconds == 5.0);
  REQUIRE(load_string("[hub]\nheartbeat_seconds = 2\n", "tablo.toml").hub.heartbeat_seconds == 2.0);
}

TEST_CASE("a value out of range names the key, its position and the range") {
  REQUIRE(error_from("[display]\nrows = 40\n") == "tablo.toml:2:8: display.rows: expected an integer 1–20, got 40");
  REQUIRE(error_from("[display]\nwidth = 10\n") ==
          "tablo.toml:2:9: display.width: expected an integer 64–7680, got 10");
  REQUIRE(error_from("[display]\nticker_speed = 2.5\n") ==
          "tablo.toml:2:16: display.ticker_speed: expected a number 0.02–1, got 2.5");
  REQUIRE(error_from("[hub]\nheartbeat_seconds = 0\n") ==
          "tablo.toml:2:21: hub.heartbeat_seconds: expected a number 0.1–10, got 0");
  REQUIRE_THAT(error_from("[display]\nblink_seconds = nan\n"), StartsWith("tablo.toml:2:17: display.blink_seconds: "));
}

TEST_CASE("a wrong type names the type it got") {
  REQUIRE(error_from("[display]\nrows = \"six\"\n") ==
          "tablo.toml:2:8: display.rows: expected an integer 1–20, got a string \"six\"");
  REQUIRE(error_from("[display]\nrows = 6.0\n") ==
          "tablo.toml:2:8: display.rows: expected an integer 1–20, got a float 6.0");
  REQUIRE(error_from("[display]\nfullscreen = \"yes\"\n") ==
          "tablo.toml:2:14: display.fullscreen: expected true or false, got a string \"yes\"");
  REQUIRE(error_from("[display]\nzones = \"main\"\n") ==
          "tablo.toml:2:9: display.zones: expected a non-empty array of zone names, got a string \"main\"");
  REQUIRE(error_from("[display]\nwindow = 3\n") ==
          "tablo.toml:2:10: display.window: expected a string, got an integer 3");
  REQUIRE(error_from("hub = \"tcp://127.0.0.1:5555\"\n") ==
          "tablo.toml:1:7: hub: expected a table, got a string \"tcp://127.0.0.1:5555\"");
}

TEST_CASE("an unknown key is an error listing the keys its section knows") {
  std::string error = error_from("[display]\nrows = 6\nrowz = 8\n");
  REQUIRE_THAT(error, StartsWith("tablo.toml:3:1: unknown key 'display.rowz' (known keys in [display]: name, zones, "));
  REQUIRE_THAT(error, Contains(" rows, ") && Contains(", colors, labels, media"));
  REQUIRE_THAT(error_from("[display.labels]\nticket = \"Talon\"\nwindows = \"Okno\"\n"),
               StartsWith("tablo.toml:3:1: unknown key 'display.labels.windows' (known keys in [display.labels]: "));
}

TEST_CASE("an unknown table is an error, at the top and inside a section") {
  REQUIRE(error_from("[dispaly]\nrows = 6\n") ==
          "tablo.toml:1:2: unknown table [dispaly] (known tables: branch, log, hub, display, announcements, tabloctl)");
  REQUIRE_THAT(error_from("[display]\nrows = 6\n[display.colours]\nbackground = \"#000000\"\n"),
               StartsWith("tablo.toml:3:10: unknown table [display.colours] (known keys in [display]: "));
}

TEST_CASE("a colour must be written #RRGGBB or #RRGGBBAA") {
  REQUIRE(error_from("[display.colors]\nbackground = \"blue\"\n") ==
          "tablo.toml:2:14: display.colors.background: expected a colour \"#RRGGBB\" or \"#RRGGBBAA\", got \"blue\"");
  REQUIRE_THAT(error_from("[display.colors]\nrow_text = \"#12345G\"\n"), Contains("got \"#12345G\""));
  REQUIRE_THAT(error_from("[display.colors]\nrow_text = \"#1234\"\n"), Contains("got \"#1234\""));
  Settings s = load_string("[display.colors]\nrow_text = \"#a0b1c2\"\npopup_text = \"#A0B1C280\"\n", "tablo.toml");
  REQUIRE(s.display.colors.row_text == Color{0xa0, 0xb1, 0xc2, 0xff});
  REQUIRE(s.display.colors.popup_text == Color{0xa0, 0xb1, 0xc2, 0x80});
}

TEST_CASE("a window screen without its window is an error") {
  REQUIRE(error_from("[display]\nlayout = \"window\"\n") ==
          "tablo.toml:2:10: display.layout: \"window\" needs display.window, the window this screen hangs above "
          "(e.g. window = \"3\")");
  Settings s = load_string("[display]\nlayout = \"window\"\nwindow = \"12\"\n", "tablo.toml");
  REQUIRE(s.display.layout == Layout::window);
  REQUIRE(s.display.window == "12");
}

TEST_CASE("zone names are 1–32 characters of a-z 0-9 _ - and there is at least one") {
  REQUIRE(error_from("[display]\nzones = [\"main\", \"Second Floor\"]\n") ==
          "tablo.toml:2:18: display.zones[1]: expected a zone name of 1–32 characters a-z 0-9 _ -, "
          "got \"Second Floor\"");
  REQUIRE_THAT(error_from("[display]\nzones = [\"\"]\n"), Contains("display.zones[0]: "));
  REQUIRE_THAT(error_from("[display]\nzones = [\"" + std::string(33, 'a') + "\"]\n"), Contains("display.zones[0]: "));
  REQUIRE_THAT(error_from("[display]\nzones = [1]\n"), Contains("got an integer 1"));
  REQUIRE(error_from("[display]\nzones = []\n") ==
          "tablo.toml:2:9: display.zones: expected a non-empty array of zone names, got []");
  REQUIRE(load_string("[display]\nzones = [\"a\", \"floor-2_b\"]\n", "tablo.toml").display.zones ==
          std::vector<std::string>{"a", "floor-2_b"});
}

TEST_CASE("an endpoint must start with its transport") {
  REQUIRE(error_from("[hub]\ncommands = \"127.0.0.1:5555\"\n") ==
          "tablo.toml:2:12: hub.commands: expected an endpoint \"tcp://HOST:PORT\", \"ipc://PATH\" or "
          "\"inproc://NAME\", got \"127.0.0.1:5555\"");
  REQUIRE_THAT(error_from("[display]\nhub_events = \"tcp://\"\n"), Contains("display.hub_events: "));
}

TEST_CASE("a choice must be one of the names listed") {
  REQUIRE(error_from("[display]\nrotation = 45\n") ==
          "tablo.toml:2:12: display.rotation: expected one of 0, 90, 180, 270, got 45");
  REQUIRE(error_from("[display]\nrenderer = \"vulkan\"\n") ==
          "tablo.toml:2:12: display.renderer: expected one of \"auto\", \"software\", \"opengl\", \"opengles2\", "
          "got \"vulkan\"");
  REQUIRE_THAT(error_from("[log]\nlevel = \"verbose\"\n"), StartsWith("tablo.toml:2:9: log.level: expected one of"));
  REQUIRE_THAT(error_from("[display]\nlayout = \"board\"\n"), Contains("expected one of \"hall\", \"window\""));
}

TEST_CASE("names, labels and font paths may not be empty") {
  REQUIRE(error_from("[display.labels]\nidle = \"\"\n") ==
          "tablo.toml:2:8: display.labels.idle: expected a non-empty string, got \"\"");
  REQUIRE_THAT(error_from("[branch]\nname = \"\"\n"), StartsWith("tablo.toml:2:8: branch.name: "));
  REQUIRE_THAT(error_from("[display]\nclock_format = \"\"\n"), Contains("display.clock_format: "));
}

TEST_CASE("a TOML syntax error gives toml++'s position and description") {
  std::string error = error_from("[display]\nrows = \n");
  REQUIRE_THAT(error, StartsWith("tablo.toml:2:") && Contains(": TOML syntax error: "));
  REQUIRE_THAT(error_from("[display]\nrows = 6\nrows = 7\n"), StartsWith("tablo.toml:3:"));
}

TEST_CASE("an error in a config file names the file") {
  ConfigFile file("[display]\nrows = 0\n");
  REQUIRE_THROWS_AS(load_file(file.path()), ConfigError);
  REQUIRE_THROWS_WITH(load_file(file.path()), file.path().string() + ":2:8: display.rows: expected an integer 1–20, got 0");
}

TEST_CASE("a missing config file says so") {
  REQUIRE_THROWS_WITH(load_file("/nonexistent/tablo.toml"),
                      "cannot read config file /nonexistent/tablo.toml: No such file or directory");
  REQUIRE_THROWS_WITH(load_file(std::filesystem::temp_directory_path()), Contains("Is a directory"));
}

TEST_CASE("the media region, fit and sizes are checked like every other key") {
  REQUIRE(error_from("[display.media]\nregion = \"middle\"\n") ==
          "tablo.toml:2:10: display.media.region: expected one of \"full\", \"left\", \"right\", \"top\", "
          "\"bottom\", got \"middle\"");
  REQUIRE(error_from("[display.media]\nsize = 0.9\n") ==
          "tablo.toml:2:8: display.media.size: expected a number 0.2–0.8, got 0.9");
  REQUIRE(error_from("[display.media]\nfit = \"stretch\"\n") ==
          "tablo.toml:2:7: display.media.fit: expected one of \"fit\", \"fill\", got \"stretch\"");
}

TEST_CASE("a playlist named relative to the config file is found beside it") {
  ConfigFile file("[display.media]\nplaylist = \"loop.toml\"\n");
  REQUIRE(load_file(file.path()).display.media.playlist == (file.path().parent_path() / "loop.toml").string());
}

TEST_CASE("a voice pack and a recordings folder named relative to the config file are found beside it") {
  ConfigFile file("[announcements]\nvoice_pack = \"voice/anna\"\nrecordings = \"/srv/recordings\"\n");
  const auto a = load_file(file.path()).announcements;
  REQUIRE(a.voice_pack == (file.path().parent_path() / "voice/anna").string());
  REQUIRE(a.recordings == "/srv/recordings");
}

TEST_CASE("a secret key needs its partner key, and key paths are found beside the config file") {
  REQUIRE(error_from("[hub]\nsecret_key = \"hub.secret\"\n") ==
          "tablo.toml:2:14: hub.secret_key: needs hub.authorized_keys too (both or neither; see docs/CONFIG.md, "
          "\"Client keys\")");
  REQUIRE(error_from("[display]\nhub_public_key = \"hub.key\"\n") ==
          "tablo.toml:2:18: display.hub_public_key: needs display.secret_key too (both or neither; see "
          "docs/CONFIG.md, \"Client keys\")");
  ConfigFile file("[hub]\nsecret_key = \"keys/hub.secret\"\nauthorized_keys = \"/etc/tablo/authorized\"\n");
  const auto settings = load_file(file.path());
  REQUIRE(settings.hub.secret_key == (file.path().parent_path() / "keys/hub.secret").string());
  REQUIRE(settings.hub.authorized_keys == "/etc/tablo/authorized");
}

TEST_CASE("a regional hub to follow needs its zones, each a list of local zones") {
  REQUIRE(error_from("[hub.upstream]\ncommands = \"tcp://10.0.0.1:5555\"\nevents = \"tcp://10.0.0.1:5556\"\n") ==
          "tablo.toml:2:12: hub.upstream.commands: needs zones too: the upstream zones to follow, each with the "
          "local zones it shows in (zones = { region = [\"main\"] })");
  REQUIRE(error_from("[hub.upstream]\ncommands = \"tcp://10.0.0.1:5555\"\nzones = { region = [\"main\"] }\n") ==
          "tablo.toml:2:12: hub.upstream.commands: needs events too: both endpoints of the regional hub (its "
          "hub.commands and hub.events)");
  REQUIRE_THAT(error_from("[hub.upstream]\ncommands = \"tcp://a:1\"\nevents = \"tcp://a:2\"\nzones = { region = \"main\" }\n"),
               StartsWith("tablo.toml:4:20: hub.upstream.zones.region: expected a non-empty array of zone names"));
  REQUIRE_THAT(error_from("[hub.upstream]\nzones = { region = [\"main\"] }\n"),
               Contains("hub.upstream.zones: needs commands and events too"));
  CHECK_FALSE(load_string("", "t").hub.upstream.enabled());
}

TEST_CASE("the media library's settings have their ranges, and its folder is beside the config file") {
  CHECK(load_string("[hub.media]\nlisten = \"\"\n", "t").hub.media.listen.empty());
  CHECK(load_string("", "t").hub.media.transfers == 4);
  REQUIRE_THAT(error_from("[hub.media]\ntransfers = 0\n"), StartsWith("tablo.toml:2:13: hub.media.transfers: expected an integer 1–1000"));
  REQUIRE_THAT(error_from("[hub.media]\nspeed = 1\n"), Contains("hub.media.speed"));
}

TEST_CASE("a metrics address is HOST:PORT, or empty for none") {
  CHECK(load_string("[hub.metrics]\nlisten = \"0.0.0.0:9100\"\n", "t").hub.metrics.listen == "0.0.0.0:9100");
  CHECK(load_string("[display.metrics]\nlisten = \"[::1]:9751\"\n", "t").display.metrics.listen == "[::1]:9751");
  CHECK(load_string("[display.metrics]\nlisten = \"\"\n", "t").display.metrics.listen.empty());
  for (const char* wrong : {"9750", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000", "::1:9750", "host:97x"}) {
    INFO(wrong);
    REQUIRE_THAT(error_from(std::string("[hub.metrics]\nlisten = \"") + wrong + "\"\n"),
                 StartsWith("tablo.toml:2:10: hub.metrics.listen: expected \"HOST:PORT\""));
  }
}

TEST_CASE("a reload keeps what only a restart changes, and names it") {
  Settings running;
  Settings next = running;
  next.hub.commands = "tcp://0.0.0.0:5555";
  next.hub.commands_per_second = 5;
  next.display.zones = {"hall-2"};
  next.display.rows = 4;
  next.hub.ticket_letters.alphabet = Alphabet::as_typed;
  CHECK(hold_hub_restart_keys(running, next) == std::vector<std::string>{"hub.commands", "hub.ticket_letters"});
  CHECK(next.hub.ticket_letters == running.hub.ticket_letters);
  CHECK(hold_display_restart_keys(running, next) == std::vector<std::string>{"display.zones"});
  CHECK(next.hub.commands == running.hub.commands);
  CHECK(next.display.zones == running.display.zones);
  CHECK(next.hub.commands_per_second == 5);  // these change live
  CHECK(next.display.rows == 4);
}

TEST_CASE("a destination without words in the screen's language is an error naming the key and where it is") {
  CHECK(error_from("[announcements]\nlanguage = \"en\"\ndestination = \"касса\"\n"
                   "[announcements.destination_words]\n\"касса\" = { ru = \"к кассе\" }\n") ==
        "tablo.toml:3:15: announcements.destination: \"касса\" has no words in English (announcements.language = "
        "\"en\"): add them in [announcements.destination_words], e.g. \"касса\" = { en = \"cash desk\" }");
  CHECK_THAT(error_from("[announcements]\nlanguage = \"en\"\nzone_destinations = { upstairs = \"касса\" }\n"
                        "[announcements.destination_words]\n\"касса\" = { ru = \"к кассе\" }\n"),
             StartsWith("tablo.toml:3:34: announcements.zone_destinations.upstairs: \"касса\" has no words in English"));
  CHECK_THAT(error_from("[announcements]\ndestination = \"касса\"\n"),
             StartsWith("tablo.toml:2:15: announcements.destination: \"касса\" is not a destination tablo knows (") &&
                 Contains("окно") && Contains("window") && Contains("[announcements.destination_words]"));
}

TEST_CASE("the built-in destinations have words in both languages, under either name") {
  const auto a = load_string("[announcements]\nlanguage = \"en\"\nzone_destinations = { upstairs = \"Кабинет\" }\n",
                             "tablo.toml").announcements;
  CHECK(a.destination == "окно");
  CHECK(a.destination_words.at("окно").at("en") == "window");
  CHECK(a.destination_words.at("кабинет").at("en") == "room");
  CHECK(a.destination_words.at("desk").at("ru") == "к столу");
}

TEST_CASE("a branch adds a destination, or changes one language of a built-in one") {
  const auto a = load_string("[announcements]\ndestination = \"касса\"\n[announcements.destination_words]\n"
                             "\"Касса\" = { ru = \"к кассе\" }\n\"окно\" = { ru = \"к окошку\" }\n",
                             "tablo.toml").announcements;
  CHECK(a.destination_words.at("касса") == DestinationWords{{"ru", "к кассе"}});
  CHECK(a.destination_words.at("окно") == DestinationWords{{"ru", "к окошку"}, {"en", "window"}});
}

TEST_CASE("destination words are checked where they are written, and English ones are in Latin letters") {
  CHECK(error_from("[announcements.destination_words]\n\"касса\" = { en = \"касса\" }\n") ==
        "tablo.toml:2:18: announcements.destination_words.касса.en: expected English words in Latin letters (an "
        "English voice cannot say Cyrillic), got \"касса\"");
  CHECK(error_from("[announcements.destination_words]\n\"касса\" = { de = \"Kasse\" }\n") ==
        "tablo.toml:2:13: unknown language 'announcements.destination_words.касса.de' (known: ru, en)");
  CHECK_THAT(error_from("[announcements.destination_words]\n\"касса\" = { ru = \"\" }\n"),
             StartsWith("tablo.toml:2:18: announcements.destination_words.касса.ru: expected the words said after the verb"));
  CHECK_THAT(error_from("[announcements.destination_words]\n\"касса\" = \"к кассе\"\n"),
             StartsWith("tablo.toml:2:11: announcements.destination_words.касса: expected a table of language = \"words\""));
}

TEST_CASE("an English screen's templates must be English") {
  CHECK_THAT(error_from("[announcements]\nlanguage = \"en\"\ntemplate = \"Талон {ticket}, {destination} {window}\"\n"),
             StartsWith("tablo.toml:3:12: announcements.template: an English template must be in Latin letters"));
}

TEST_CASE("the alphabet of tickets is one of three, for the hub and for each zone") {
  const auto hub = load_string("[hub]\nticket_letters = \"as-typed\"\nzone_ticket_letters = { lobby = \"latin\" }\n",
                               "tablo.toml").hub;
  CHECK(hub.ticket_letters.of("main") == Alphabet::as_typed);
  CHECK(hub.ticket_letters.of("lobby") == Alphabet::latin);
  CHECK(error_from("[hub]\nticket_letters = \"greek\"\n") ==
        "tablo.toml:2:18: hub.ticket_letters: expected one of \"cyrillic\", \"latin\", \"as-typed\", got \"greek\"");
  CHECK(error_from("[hub]\nzone_ticket_letters = { Lobby = \"latin\" }\n") ==
        "tablo.toml:2:33: hub.zone_ticket_letters.Lobby: expected a zone name = one of \"cyrillic\", \"latin\", "
        "\"as-typed\", got \"latin\"");
}

TEST_CASE("[display.fetch] takes a cache, limits and mirrors, and says where a bad one is") {
  const auto s = load_string("[display.fetch]\ncache_dir = \"/srv/cache\"\ncache_max_gb = 5\ndisk_reserve_gb = 0.5\n"
                                     "mirrors = [\"http://cache.local:8080/media/\"]\nrate_limit_mbit = 20\n",
                                     "tablo.toml");
  CHECK(s.display.fetch.cache_dir == "/srv/cache");
  CHECK(s.display.fetch.cache_max_gb == 5);
  CHECK(s.display.fetch.disk_reserve_gb == 0.5);
  CHECK(s.display.fetch.mirrors == std::vector<std::string>{"http://cache.local:8080/media/"});
  CHECK(s.display.fetch.rate_limit_mbit == 20);
  CHECK(load_string("", "tablo.toml").display.fetch.rate_limit_mbit == 50);
  auto error = [](const std::string& toml) {
    try {
      load_string(toml, "tablo.toml");
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(error("[display.fetch]\nmirrors = [\"http://cache.local/media\"]\n"),
             Catch::StartsWith("tablo.toml:2:12: display.fetch.mirrors[0]: expected a base URL"));
  CHECK_THAT(error("[display.fetch]\ncache_max_gb = 0\n"), Catch::StartsWith("tablo.toml:2:16: display.fetch.cache_max_gb"));
  CHECK_THAT(error("[display.fetch]\nmirror = []\n"), Catch::Contains("mirror: unknown key (known keys in [display.fetch]:"));
}
