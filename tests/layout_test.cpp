#include <catch2/catch.hpp>

#include "display/layout.hpp"

using namespace tablo;
using namespace tablo::display;

namespace {

bool inside(Rect inner, Rect outer) {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w &&
         inner.y + inner.h <= outer.y + outer.h;
}

}  // namespace

TEST_CASE("a turned screen has an upright canvas with width and height swapped") {
  CHECK(canvas_for(1920, 1080, 0) == Rect{0, 0, 1920, 1080});
  CHECK(canvas_for(1920, 1080, 90) == Rect{0, 0, 1080, 1920});
  CHECK(canvas_for(1920, 1080, 180) == Rect{0, 0, 1920, 1080});
  CHECK(canvas_for(1920, 1080, 270) == Rect{0, 0, 1080, 1920});
}

TEST_CASE("the hall board stacks header, rows and ticker without overlap at any size") {
  config::DisplaySettings d;
  for (Rect canvas : {Rect{0, 0, 1920, 1080}, Rect{0, 0, 1080, 1920}, Rect{0, 0, 1280, 720}, Rect{0, 0, 3840, 2160}}) {
    for (int rows : {1, 6, 20}) {
      d.rows = rows;
      auto l = hall_layout(canvas, d);
      REQUIRE(l.rows.size() == static_cast<std::size_t>(rows));
      CHECK(l.header.y == 0);
      CHECK(l.columns.y == l.header.h);
      CHECK(l.rows.front().y == l.columns.y + l.columns.h);
      for (std::size_t i = 1; i < l.rows.size(); ++i) CHECK(l.rows[i].y == l.rows[i - 1].y + l.rows[i - 1].h);
      CHECK(l.rows.back().y + l.rows.back().h == l.ticker.y);
      CHECK(l.ticker.y + l.ticker.h == canvas.h);
      CHECK(inside(l.popup, canvas));
      CHECK(inside(l.announcement, canvas));
      CHECK(l.announcement.y + l.announcement.h == l.ticker.y);
    }
  }
}

TEST_CASE("the hall layout follows the configured header and ticker heights") {
  config::DisplaySettings d;
  d.header_height = 0.2;
  d.ticker_height = 0.1;
  auto l = hall_layout(Rect{0, 0, 1000, 1000}, d);
  CHECK(l.header.h == 200);
  CHECK(l.ticker.h == 100);
}

TEST_CASE("the window screen gives most of its height to the ticket") {
  config::DisplaySettings d;
  auto l = window_layout(Rect{0, 0, 800, 480}, d);
  CHECK(l.ticket.y == l.title.h);
  CHECK(l.ticket.y + l.ticket.h == l.ticker.y);
  CHECK(l.ticket.h > 480 / 2);
}
