#pragma once
// One hall screen: the hub link feeds the state, the painter draws it when something
// changed or a deadline arrived, and between frames the thread sleeps.
#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "config/settings.hpp"

namespace tablo::display {

struct ScreenOptions {
  bool headless = false;
  std::filesystem::path screenshot_dir;  // where screenshots go; empty: none
  double screenshot_every = 0;           // seconds; 0: only on SIGUSR1
  // "zone seq presented_ns" per change shown, "frame presented_ns [pts_ms file]" per frame (the
  // playlist's picture on it), "audio-out start_ns rate" (where --audio-out's time lies); empty: none
  std::filesystem::path frame_log;
  std::filesystem::path audio_out;       // a WAV of everything said, instead of the sound device
  std::filesystem::path program_dir;     // where the programs are: the default voice pack is beside them
  // The config file read again, with the command line's overrides (throws config::ConfigError);
  // empty when the screen runs on the built-in defaults: a reload then has nothing to read.
  std::function<config::Settings()> read_settings;
  std::optional<std::string> log_level;  // --log-level, which wins over log.level
};

// Set from signal handlers: stop the screen, or save a screenshot now.
struct ScreenSignals {
  std::atomic<bool> stop{false};
  std::atomic<bool> screenshot{false};
  std::atomic<bool> reload{false};  // SIGHUP: read the config file again
};

// Runs until a stop signal, the window is closed, or Esc in a window. Returns the exit
// code. Throws std::runtime_error when the screen cannot start (no video, bad font).
int run_screen(const config::Settings& settings, const ScreenOptions& options, ScreenSignals& signals);

// Wakes a running screen so it looks at ScreenSignals; async-signal-safe.
void wake_screen();

}  // namespace tablo::display
