// tablo-display: one hall screen.
#include <CLI/CLI.hpp>
#include <malloc.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <optional>

#include "config/load.hpp"
#include "config/logging.hpp"
#include "display/hub_clock.hpp"
#include "display/hub_keys.hpp"
#include "display/screen.hpp"
#include "media/ffmpeg_log.hpp"
#include "media/picture_convert.hpp"
#include "tablo/version.hpp"

namespace {

tablo::display::ScreenSignals signals;

extern "C" void on_stop(int) {
  signals.stop = true;
  tablo::display::wake_screen();
}
extern "C" void on_screenshot(int) {
  signals.screenshot = true;
  tablo::display::wake_screen();
}
extern "C" void on_reload(int) {
  signals.reload = true;
  tablo::display::wake_screen();
}

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  sa.sa_handler = on_screenshot;
  sigaction(SIGUSR1, &sa, nullptr);
  sa.sa_handler = on_reload;
  sigaction(SIGHUP, &sa, nullptr);
}

}  // namespace

int main(int argc, char** argv) {
  // Picture buffers (12 MiB for a 4K frame) are made and freed at every switch, on many threads.
  // glibc's threshold for giving such blocks back to the kernel grows with the largest block
  // freed (up to 32 MiB), after which they stay in its arenas: the screen's memory ratcheted up
  // loop after loop (216 → 716 MiB in 7 loops of 4K and 1080p items). A fixed 1 MiB threshold
  // maps every picture buffer on its own and returns it when freed; FFmpeg's own buffer pools
  // keep reuse within an item cheap.
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  CLI::App app{"tablo-display: a queue board for one screen of a hall"};
  std::string config_path;
  tablo::display::ScreenOptions options;
  bool windowed = false;
  std::string size;
  std::optional<int> rotation;
  std::optional<std::string> layout, window, hub_commands, hub_events;
  std::vector<std::string> zones;
  app.add_option("-c,--config", config_path, "TOML settings (built-in defaults without it)")->check(CLI::ExistingFile);
  app.add_flag("--headless", options.headless, "draw offscreen, without a display (use with --screenshot-dir)");
  app.add_flag("--windowed", windowed, "a window instead of fullscreen");
  app.add_option("--size", size, "window or headless canvas size, WIDTHxHEIGHT");
  app.add_option("--rotation", rotation, "0, 90, 180 or 270 degrees clockwise")->check(CLI::IsMember({0, 90, 180, 270}));
  app.add_option("--layout", layout, "hall or window")->check(CLI::IsMember({"hall", "window"}));
  app.add_option("--window", window, "the window this screen hangs above (layout window)");
  app.add_option("--zone", zones, "zone to show (repeat for several)");
  app.add_option("--hub-commands", hub_commands, "the hub's command endpoint");
  app.add_option("--hub-events", hub_events, "the hub's event endpoint");
  app.add_option("--screenshot-dir", options.screenshot_dir, "folder for screenshots (SIGUSR1 saves one)");
  app.add_option("--screenshot-every", options.screenshot_every, "seconds between screenshots to latest.png")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--audio-out", options.audio_out, "write what the screen says to this WAV file instead of the sound device");
  app.add_option("--frame-log", options.frame_log,
                 "write 'zone seq presented_ns' for each change shown, 'frame presented_ns [pts_ms file]' for each "
                 "frame (the playlist's picture on it) and 'audio-out start_ns rate' (tests, benchmarks)");
  // Tests only: a screen PC whose clock is wrong, without setting this machine's clock.
  double clock_shift_seconds = 0;
  app.add_option("--clock-shift-seconds", clock_shift_seconds, "read this screen's clock this far ahead (tests)")
      ->check(CLI::Range(-366.0 * 86400, 366.0 * 86400))
      ->group("");
  app.add_option("--log-level", options.log_level, "trace, debug, info, warn or error; overrides log.level")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  app.set_version_flag("--version", std::string("tablo-display ") + tablo::version);
  CLI11_PARSE(app, argc, argv);

  int width = 0, height = 0;
  if (!size.empty() && (std::sscanf(size.c_str(), "%dx%d", &width, &height) != 2 || width < 64 || height < 64 ||
                        width > 7680 || height > 7680)) {
    std::cerr << "tablo-display: --size must be WIDTHxHEIGHT, each 64–7680, got '" << size << "'\n";
    return 2;
  }
  // The file with the command line's overrides: at the start, and again at each reload (SIGHUP).
  auto read_settings = [=] {
    auto s = config_path.empty() ? tablo::config::Settings{} : tablo::config::load_file(config_path);
    auto& d = s.display;
    if (windowed) d.fullscreen = false;
    if (!size.empty()) d.width = width, d.height = height;
    if (rotation) d.rotation = *rotation;
    if (layout) d.layout = *layout == "window" ? tablo::config::Layout::window : tablo::config::Layout::hall;
    if (window) d.window = *window;
    if (!zones.empty()) d.zones = zones;
    if (hub_commands) d.hub_commands = *hub_commands;
    if (hub_events) d.hub_events = *hub_events;
    return s;
  };
  tablo::config::Settings settings;
  try {
    settings = read_settings();
  } catch (const tablo::config::ConfigError& e) {
    std::cerr << "tablo-display: " << e.what() << '\n';
    return 1;
  }
  if (!config_path.empty()) options.read_settings = read_settings;
  const auto& d = settings.display;
  if (d.layout == tablo::config::Layout::window && d.window.empty()) {
    std::cerr << "tablo-display: the window layout needs the window it hangs above (--window N or display.window)\n";
    return 2;
  }
  try {
    (void)tablo::display::hub_keys(d);  // a key file that cannot be used stops the screen here, with the reason
  } catch (const tablo::protocol::KeyError& e) {
    std::cerr << "tablo-display: " << e.what() << '\n';
    return 1;
  }
  tablo::config::start_logging("tablo-display");
  tablo::config::set_log_level(options.log_level.value_or(settings.log_level));
  tablo::media::route_ffmpeg_log();
  tablo::media::set_still_max_side(d.media.still_max_side);

  if (clock_shift_seconds != 0) {
    tablo::display::shift_screen_clock(std::chrono::milliseconds(std::llround(clock_shift_seconds * 1000)));
    spdlog::warn("this screen's clock is read {:.1f} s off (--clock-shift-seconds, for tests)", clock_shift_seconds);
  }
  options.program_dir = std::filesystem::read_symlink("/proc/self/exe").parent_path();
  install_signal_handlers();
  try {
    return tablo::display::run_screen(settings, options, signals);
  } catch (const std::exception& e) {
    spdlog::critical("the screen cannot start: {}", e.what());
    return 1;
  }
}
