#include "display/layout.hpp"

#include <cmath>

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

HallLayout hall_layout(Rect canvas, const config::DisplaySettings& s) {
  const int W = canvas.w, H = canvas.h;
  const bool portrait = H > W;
  HallLayout l;
  l.header = Rect{0, 0, W, px(s.header_height, H)};
  l.branch = Rect{px(0.02, W), 0, px(portrait ? 0.62 : 0.72, W), l.header.h};
  l.clock = Rect{l.branch.x + l.branch.w, 0, W - l.branch.w - 2 * px(0.02, W), l.header.h};

  const int ticker_h = px(s.ticker_height, H);
  l.ticker = Rect{0, H - ticker_h, W, ticker_h};

  const int columns_h = px(portrait ? 0.045 : 0.07, H);
  l.columns = Rect{0, l.header.h, W, columns_h};
  l.ticket_column = Rect{0, l.columns.y, W / 2, columns_h};
  l.window_column = Rect{W / 2, l.columns.y, W - W / 2, columns_h};
  l.offline = l.columns;

  const int rows_top = l.columns.y + columns_h;
  const int rows_h = l.ticker.y - rows_top;
  for (int i = 0; i < s.rows; ++i) {
    int y0 = rows_top + rows_h * i / s.rows;
    int y1 = rows_top + rows_h * (i + 1) / s.rows;
    l.rows.push_back(Rect{0, y0, W, y1 - y0});
  }
  const int banner_h = px(portrait ? 0.1 : 0.16, H);
  l.announcement = Rect{0, l.ticker.y - banner_h, W, banner_h};

  const int popup_w = px(portrait ? 0.9 : 0.7, W);
  const int popup_h = px(portrait ? 0.3 : 0.5, H);
  l.popup = Rect{(W - popup_w) / 2, rows_top + (rows_h - popup_h) / 2, popup_w, popup_h};
  return l;
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
