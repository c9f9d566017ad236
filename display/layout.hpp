#pragma once
// Where things go on the screen, in pixels of the upright canvas, derived from fractions
// of its size so any resolution and orientation works. Pure: tested without SDL.
#include <vector>

#include "config/settings.hpp"

namespace tablo::display {

struct Rect {
  int x = 0, y = 0, w = 0, h = 0;
  bool operator==(const Rect&) const = default;
  bool contains(int px, int py) const { return px >= x && px < x + w && py >= y && py < y + h; }
};

struct HallLayout {
  Rect header, branch, clock;
  Rect offline;  // the "no connection" strip, drawn over the column headings
  Rect columns, ticket_column, window_column;
  std::vector<Rect> rows;  // newest call first
  Rect announcement;       // banner above the ticker
  Rect ticker;
  Rect popup;
  Rect media;  // videos and pictures of the playlist; empty (w = 0) when there is none
  bool media_only = false;  // region "full": the media cover the screen, the board is not drawn
};

struct WindowLayout {
  Rect title;  // "Окно 3"
  Rect offline;
  Rect ticket;  // the current ticket, as large as fits
  Rect ticker;
  Rect announcement;
};

// The size of the upright canvas for a screen of `width`×`height` turned by `rotation`.
Rect canvas_for(int width, int height, int rotation);

// `pushed_media`: a media region for a playlist pushed through the hub, where the settings
// name no playlist of the screen's own.
HallLayout hall_layout(Rect canvas, const config::DisplaySettings& settings, bool pushed_media = false);
WindowLayout window_layout(Rect canvas, const config::DisplaySettings& settings);

// Where a picture of `width`×`height` (pixels `sample_aspect` wide per unit of height,
// to be turned `rotation` degrees clockwise) goes in `region`, upright and undistorted:
// inside it (`fill` false; bars where the shapes differ) or covering it (`fill` true; the
// parts outside are cut). The result is the upright picture's rectangle.
Rect place_picture(Rect region, int width, int height, double sample_aspect, int rotation, bool fill);

// `r` shrunk by `fraction` of its height on every side.
Rect inset(Rect r, double fraction);

}  // namespace tablo::display
