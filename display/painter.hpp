#pragma once
// Draws a screen's state at an instant: the hall board or the screen above one window.
// Everything drawn is a function of (state, settings, time); the painter keeps only caches.
#include <optional>
#include <string>
#include <vector>

#include "config/settings.hpp"
#include "display/layout.hpp"
#include "display/playlist_view.hpp"
#include "display/screen_state.hpp"
#include "display/text_cache.hpp"
#include "display/timing.hpp"
#include "display/video_output.hpp"

namespace tablo::display {

class Painter {
 public:
  Painter(VideoOutput& output, config::Settings settings);

  // Draws the canvas into the output's frame: all of it, or with `ticker_only` the
  // running text's strip alone (see changed()). `ticker_since` is when the running text last
  // changed: its scroll position counts from there. `media`, when the screen has a playlist,
  // draws into the region the layout gives it.
  void paint(const ScreenState& state, Now now, Clock::time_point ticker_since, Rect canvas,
             PlaylistView* media = nullptr, bool ticker_only = false);

  // What a frame at `now` must redraw when the state is the one painted last (no news, no new
  // picture): the running text's strip when nothing else changed with time alone (the clock,
  // a blink, the pop-up, a banner), or the whole canvas.
  Rect changed(const ScreenState& state, Now now, Rect canvas) const;

  // Reloaded settings: branch name, layout, colours, labels, fonts. Throws
  // std::runtime_error naming a font that cannot be opened; the running ones then stay.
  void reconfigure(config::Settings settings);

 private:
  enum class Align { left, center, right };
  // What the canvas shows besides the running text that changes with time alone.
  struct Look {
    std::string clock;
    bool lit = false;
    std::optional<protocol::Call> popup;
    std::vector<std::string> announcements;
    Rect canvas;
    bool operator==(const Look&) const = default;
  };
  Look look(const ScreenState& state, Now now, Rect canvas) const;
  Rect ticker_strip(Rect canvas) const;

  void paint_hall(const ScreenState& state, Now now, Clock::time_point ticker_since, Rect canvas,
                  PlaylistView* media);
  void paint_media(PlaylistView* media, Rect region, Now now);
  void paint_overlays(const ScreenState& state, const HallLayout& l, Now now, Clock::time_point ticker_since,
                      Rect canvas);
  void paint_window(const ScreenState& state, Now now, Clock::time_point ticker_since, Rect canvas);
  void paint_popup(const protocol::Call& call, Rect box);
  void paint_ticker(const std::string& text, Rect box, Clock::time_point now, Clock::time_point since, int canvas_w);
  void paint_announcement(const std::vector<std::string>& texts, Rect box);
  void paint_offline(Rect box);
  void paint_clock(std::int64_t unix_ms, Rect box, Align align = Align::right);
  std::string clock_text(std::int64_t unix_ms) const;

  void fill(Rect r, config::Color c);
  void text(const std::string& s, Rect box, config::Color c, bool bold, Align align = Align::center,
            double height_fraction = 0.7);

  VideoOutput& output_;
  std::string branch_name_;
  config::DisplaySettings d_;
  TextCache texts_;
  std::optional<Look> painted_;  // of the last whole frame; none before it, or after a reconfigure
};

}  // namespace tablo::display
