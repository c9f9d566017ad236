#pragma once
// A screen's settings read again (SIGHUP, or a reload of the hub): the branch name, layout,
// colours, labels, fonts, the playlist and the announcements change on the running screen;
// what it only reads at start (its name, zones, the hub, the window) is logged as waiting for
// a restart. A file with a mistake changes nothing: the error (file:line:col) is logged and
// the screen carries on as it was. Runs on the screen's thread.
#include <functional>
#include <memory>

#include "config/settings.hpp"
#include "display/painter.hpp"
#include "display/playlist_view.hpp"
#include "display/screen.hpp"
#include "display/video_output.hpp"
#include "sound/hall_sound.hpp"

namespace tablo::display {

// The screen's playlist for these settings; none without a playlist, or on a window screen.
// `for_pushed`: one for a playlist pushed through the hub even when the screen has none of its
// own. Videos that are not muted play their sound through `sound`.
std::unique_ptr<PlaylistView> playlist_for(const config::DisplaySettings& d, VideoOutput& output,
                                           std::function<void()> wake, sound::HallSound& sound, bool for_pushed = false);

// What a reload may replace.
struct ScreenParts {
  Painter& painter;
  std::unique_ptr<PlaylistView>& media;
  sound::HallSound& sound;
  VideoOutput& output;
  std::function<void()> wake;
};

// True when new settings were taken: the screen must be drawn again.
bool reload_screen(const ScreenOptions& options, config::Settings& running, const ScreenParts& parts);

}  // namespace tablo::display
