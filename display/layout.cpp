#include "display/layout.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace tablo::display {
namespace {

int px(double fraction, int length) { return static_cast<int>(std::lround(fraction * length)); }

}  // namespace

Rect canvas_for(int width, int height, int rotation) {
  return rotation % 180 == 0 ? Rect{0, 0, width, height} : Rect{0, 0, height, width};
}

Rect inset(Rect r, double fraction) {
  int d = px(fraction, r.h);
  return Rect{r.x + d, r.y + d, r.w - 2 * d, r.h - 2 * d};
}

HallLayout hall_layout(Rect canvas, const config::DisplaySettings& s, bool pushed_media) {
  const int W = canvas.w, H = canvas.h;
  const bool portrait = H > W;
  HallLayout l;
  l.header = Rect{0, 0, W, px(s.header_height, H)};
  l.branch = Rect{px(0.02, W), 0, px(portrait ? 0.62 : 0.72, W), l.header.h};
  l.clock = Rect{l.branch.x + l.branch.w, 0, W - l.branch.w - 2 * px(0.02, W), l.header.h};

  const int ticker_h = px(s.ticker_height, H);
  l.ticker = Rect{0, H - ticker_h, W, ticker_h};

  // The list of calls takes the body between header and ticker, less what the media take.
  Rect table{0, l.header.h, W, l.ticker.y - l.header.h};
  if (!s.media.playlist.empty() || pushed_media) {
    const auto& m = s.media;
    const int across = px(m.size, table.w), down = px(m.size, table.h);
    if (m.region == "full") {
      l.media = canvas;
      l.media_only = true;
    } else if (m.region == "left") {
      l.media = Rect{table.x, table.y, across, table.h};
      table = Rect{table.x + across, table.y, table.w - across, table.h};
    } else if (m.region == "right") {
      l.media = Rect{table.x + table.w - across, table.y, across, table.h};
      table.w -= across;
    } else if (m.region == "top") {
      l.media = Rect{table.x, table.y, table.w, down};
      table = Rect{table.x, table.y + down, table.w, table.h - down};
    } else {
      l.media = Rect{table.x, table.y + table.h - down, table.w, down};
      table.h -= down;
    }
  }

  const int columns_h = px(portrait ? 0.045 : 0.07, H);
  l.columns = Rect{table.x, table.y, table.w, columns_h};
  l.ticket_column = Rect{table.x, l.columns.y, table.w / 2, columns_h};
  l.window_column = Rect{table.x + table.w / 2, l.columns.y, table.w - table.w / 2, columns_h};
  l.offline = l.columns;

  const int rows_top = l.columns.y + columns_h;
  const int rows_h = table.y + table.h - rows_top;
  for (int i = 0; i < s.rows; ++i) {
    int y0 = rows_top + rows_h * i / s.rows;
    int y1 = rows_top + rows_h * (i + 1) / s.rows;
    l.rows.push_back(Rect{table.x, y0, table.w, y1 - y0});
  }
  if (l.media_only) l.offline = Rect{0, 0, W, px(portrait ? 0.045 : 0.07, H)};
  const int banner_h = px(portrait ? 0.1 : 0.16, H);
  l.announcement = Rect{0, l.ticker.y - banner_h, W, banner_h};

  const int popup_w = px(portrait ? 0.9 : 0.7, W);
  const int popup_h = px(portrait ? 0.3 : 0.5, H);
  const int body_top = l.header.h + columns_h, body_h = l.ticker.y - body_top;
  l.popup = Rect{(W - popup_w) / 2, body_top + (body_h - popup_h) / 2, popup_w, popup_h};
  return l;
}

Rect place_picture(Rect region, int width, int height, double sample_aspect, int rotation, bool fill) {
  if (width <= 0 || height <= 0 || region.w <= 0 || region.h <= 0) return Rect{region.x, region.y, 0, 0};
  double w = width * (sample_aspect > 0 ? sample_aspect : 1.0), h = height;
  if (rotation % 180 != 0) std::swap(w, h);
  const double by_width = region.w / w, by_height = region.h / h;
  const double scale = fill ? std::max(by_width, by_height) : std::min(by_width, by_height);
  const int out_w = std::max(1, static_cast<int>(std::lround(w * scale)));
  const int out_h = std::max(1, static_cast<int>(std::lround(h * scale)));
  return Rect{region.x + (region.w - out_w) / 2, region.y + (region.h - out_h) / 2, out_w, out_h};
}

WindowLayout window_layout(Rect canvas, const config::DisplaySettings& s) {
  const int W = canvas.w, H = canvas.h;
  WindowLayout l;
  l.title = Rect{0, 0, W, px(0.28, H)};
  l.offline = Rect{0, l.title.h, W, px(0.1, H)};
  const int ticker_h = px(s.ticker_height, H);
  l.ticker = Rect{0, H - ticker_h, W, ticker_h};
  l.ticket = Rect{0, l.title.h, W, l.ticker.y - l.title.h};
  l.announcement = l.ticket;
  return l;
}

}  // namespace tablo::display
