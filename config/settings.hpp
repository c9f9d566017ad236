#pragma once
// Every setting of tablo with its built-in default. A config file only overrides;
// docs/CONFIG.md and config/tablo.example.toml describe each key.
#include <cstdint>
#include <string>
#include <vector>

namespace tablo::config {

struct Color {
  std::uint8_t r = 0, g = 0, b = 0, a = 255;
  bool operator==(const Color&) const = default;
};

struct HubSettings {
  std::string commands = "tcp://127.0.0.1:5555";  // ROUTER: commands in, replies out
  std::string events = "tcp://127.0.0.1:5556";    // PUB: numbered changes and heartbeats
  double heartbeat_seconds = 1.0;                 // 0.1–10
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

struct DisplaySettings {
  std::string name = "screen-1";  // how this screen is named in logs
  std::vector<std::string> zones = {"main"};
  std::string hub_commands = "tcp://127.0.0.1:5555";
  std::string hub_events = "tcp://127.0.0.1:5556";
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
  Colors colors;
  Labels labels;
  bool operator==(const DisplaySettings&) const = default;
};

struct Settings {
  std::string branch_name = "МФЦ «Мои Документы»";
  std::string log_level = "info";  // trace, debug, info, warn, error
  HubSettings hub;
  DisplaySettings display;
  bool operator==(const Settings&) const = default;
};

}  // namespace tablo::config
