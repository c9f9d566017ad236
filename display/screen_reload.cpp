#include "display/screen_reload.hpp"

#include <spdlog/spdlog.h>

#include "config/load.hpp"
#include "config/logging.hpp"
#include "config/restart.hpp"

namespace tablo::display {

std::unique_ptr<PlaylistView> playlist_for(const config::DisplaySettings& d, VideoOutput& output,
                                           std::function<void()> wake, sound::HallSound& sound, bool for_pushed) {
  if (d.media.playlist.empty() && !for_pushed) return nullptr;
  if (d.layout != config::Layout::hall) {
    spdlog::warn("display.media.playlist is set but a window screen shows no playlist; use layout = \"hall\"");
    return nullptr;
  }
  sound.expect_soundtracks();
  media::SoundtrackOut out{
      [&sound](media::SoundtrackOut::Source source, std::uint64_t id) { sound.play_soundtrack(std::move(source), id); },
      [&sound](std::uint64_t id, media::Clock::time_point now) { return sound.mixer().soundtrack_heard(id, now); }};
  return std::make_unique<PlaylistView>(output, d.media, std::move(wake), std::move(out));
}

bool reload_screen(const ScreenOptions& options, config::Settings& running, const ScreenParts& parts) {
  if (!options.read_settings) {
    spdlog::info("reload asked for, but the screen was started without --config: nothing to reload");
    return false;
  }
  config::Settings next;
  try {
    next = options.read_settings();
  } catch (const config::ConfigError& e) {
    spdlog::error("config not reloaded, the screen keeps its settings: {}", e.what());
    return false;
  }
  const auto waiting = config::hold_display_restart_keys(running, next);
  try {
    parts.painter.reconfigure(next);
  } catch (const std::runtime_error& e) {
    spdlog::error("config not reloaded, the screen keeps its settings: {}", e.what());
    return false;
  }
  if (next.announcements != running.announcements) {
    try {
      parts.sound.reconfigure(next.announcements);
    } catch (const std::runtime_error& e) {
      spdlog::error("{}; the announcements keep their settings", e.what());
      next.announcements = running.announcements;
    }
  }
  if (next.display.media != running.display.media || next.display.layout != running.display.layout) {
    parts.media.reset();  // its decoders stop before the new playlist's start
    parts.media = playlist_for(next.display, parts.output, parts.wake, parts.sound);
  }
  config::set_log_level(options.log_level.value_or(next.log_level));
  running = std::move(next);
  std::string restart;
  for (const auto& key : waiting) restart += (restart.empty() ? "; " : ", ") + key;
  if (!waiting.empty()) restart += waiting.size() == 1 ? " changed and needs a restart" : " changed and need a restart";
  spdlog::info("config reloaded: «{}», {} layout, playlist {}, log level {}{}", running.branch_name,
               running.display.layout == config::Layout::hall ? "hall" : "window " + running.display.window,
               running.display.media.playlist.empty() ? "none" : running.display.media.playlist,
               options.log_level.value_or(running.log_level), restart);
  return true;
}

}  // namespace tablo::display
