#include "display/painter.hpp"

#include <cmath>
#include <ctime>

namespace tablo::display {
namespace {

// SDL_ttf refuses very wide lines, so the running text is drawn as word-aligned chunks.
std::vector<std::string> ticker_chunks(const std::string& text) {
  constexpr std::size_t chunk = 160;
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = std::min(text.size(), start + chunk);
    if (end < text.size()) {
      std::size_t space = text.rfind(' ', end);
      if (space != std::string::npos && space > start) end = space + 1;
      // Never split inside a UTF-8 sequence.
      while (end > start + 1 && end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    }
    out.push_back(text.substr(start, end - start));
    start = end;
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

}  // namespace

Painter::Painter(VideoOutput& output, config::Settings settings)
    : output_(output),
      branch_name_(std::move(settings.branch_name)),
      d_(std::move(settings.display)),
      texts_(output, d_.font, d_.font_bold) {}

void Painter::reconfigure(config::Settings settings) {
  TextCache texts(output_, settings.display.font, settings.display.font_bold);  // opens the fonts, or throws
  texts_ = std::move(texts);
  branch_name_ = std::move(settings.branch_name);
  d_ = std::move(settings.display);
  painted_.reset();
}

Rect Painter::ticker_strip(Rect canvas) const {
  return d_.layout == config::Layout::hall ? hall_layout(canvas, d_).ticker : window_layout(canvas, d_).ticker;
}

Painter::Look Painter::look(const ScreenState& state, Now now, Rect canvas) const {
  return Look{clock_text(now.unix_ms), highlight_on(state, d_, now.steady), popup_call(state, d_, now.steady),
              announcements_at(state, now.hub_unix_ms), canvas};
}

Rect Painter::changed(const ScreenState& state, Now now, Rect canvas) const {
  if (!painted_ || ticker_text(state).empty() || *painted_ != look(state, now, canvas)) return canvas;
  return ticker_strip(canvas);
}

void Painter::paint(const ScreenState& state, Now now, Clock::time_point ticker_since, Rect canvas,
                    PlaylistView* media, bool ticker_only) {
  if (ticker_only && painted_) {
    // Nothing overlaps the strip; a full-screen playlist lies under it, hidden by the strip.
    paint_ticker(ticker_text(state), ticker_strip(canvas), now.steady, ticker_since, canvas.w);
    return;
  }
  painted_ = look(state, now, canvas);
  fill(canvas, d_.colors.background);
  if (d_.layout == config::Layout::hall) {
    paint_hall(state, now, ticker_since, canvas, media);
  } else {
    paint_window(state, now, ticker_since, canvas);
  }
  texts_.evict_unused();
}

void Painter::paint_hall(const ScreenState& state, Now now, Clock::time_point ticker_since, Rect canvas,
                         PlaylistView* media) {
  const HallLayout l = hall_layout(canvas, d_, media != nullptr);
  const auto& c = d_.colors;
  if (l.media_only) {
    paint_media(media, l.media, now);
    paint_overlays(state, l, now, ticker_since, canvas);
    return;
  }

  fill(l.header, c.header_background);
  text(branch_name_, l.branch, c.header_text, true, Align::left, 0.5);
  paint_clock(now.unix_ms, l.clock);

  fill(l.columns, c.header_background);
  text(d_.labels.ticket, l.ticket_column, c.header_text, false, Align::center, 0.6);
  text(d_.labels.window, l.window_column, c.header_text, false, Align::center, 0.6);

  const auto calls = calls_newest_first(state);
  const bool blink_on = highlight_on(state, d_, now.steady);
  for (std::size_t i = 0; i < l.rows.size(); ++i) {
    const Rect row = l.rows[i];
    const bool lit = i == 0 && blink_on && i < calls.size() && calls[0].ticket == state.highlight->ticket;
    fill(row, lit ? c.highlight_background : (i % 2 ? c.row_alt_background : c.row_background));
    if (i >= calls.size()) continue;
    const auto fg = lit ? c.highlight_text : c.row_text;
    const int half = row.w / 2;
    text(calls[i].ticket, Rect{row.x, row.y, half, row.h}, fg, true);
    text("→", Rect{row.x + half - row.h / 2, row.y, row.h, row.h}, fg, false);
    text(calls[i].window, Rect{row.x + half, row.y, row.w - half, row.h}, fg, true);
  }
  if (l.media.w > 0) paint_media(media, l.media, now);
  paint_overlays(state, l, now, ticker_since, canvas);
}

// What shows over the board, and over a full-screen playlist too.
void Painter::paint_overlays(const ScreenState& state, const HallLayout& l, Now now, Clock::time_point ticker_since,
                             Rect canvas) {
  if (auto texts = announcements_at(state, now.hub_unix_ms); !texts.empty()) paint_announcement(texts, l.announcement);
  if (!state.connected) paint_offline(l.offline);
  const std::string running = ticker_text(state);
  if (!l.media_only || !running.empty()) paint_ticker(running, l.ticker, now.steady, ticker_since, canvas.w);

  const auto calls = calls_newest_first(state);
  if (auto call = popup_call(state, d_, now.steady)) paint_popup(*call, l.popup);
}

// The playlist's picture, or when it has none the fallback slide: the branch and the time,
// never a black hole in the board.
void Painter::paint_media(PlaylistView* media, Rect region, Now now) {
  if (media && media->draw(region)) return;
  const auto& c = d_.colors;
  fill(region, c.header_background);
  const Rect inner = inset(region, 0.06);
  text(branch_name_, Rect{inner.x, inner.y + inner.h / 5, inner.w, inner.h / 4}, c.header_text, true, Align::center,
       0.5);
  paint_clock(now.unix_ms, Rect{inner.x, inner.y + inner.h / 2, inner.w, inner.h / 3}, Align::center);
}

void Painter::paint_window(const ScreenState& state, Now now, Clock::time_point ticker_since, Rect canvas) {
  const WindowLayout l = window_layout(canvas, d_);
  const auto& c = d_.colors;
  fill(l.title, c.header_background);
  text(d_.labels.window + " " + d_.window, l.title, c.header_text, true, Align::center, 0.7);

  if (auto call = current_call_of_window(state, d_.window)) {
    const bool lit = state.highlight && state.highlight->ticket == call->ticket && highlight_on(state, d_, now.steady);
    fill(l.ticket, lit ? c.highlight_background : c.background);
    text(call->ticket, inset(l.ticket, 0.08), lit ? c.highlight_text : c.row_text, true, Align::center, 0.8);
  } else {
    text(d_.labels.idle, inset(l.ticket, 0.25), c.row_text, false, Align::center, 0.5);
  }
  if (auto texts = announcements_at(state, now.hub_unix_ms); !texts.empty()) paint_announcement(texts, l.announcement);
  if (!state.connected) paint_offline(l.offline);
  paint_ticker(ticker_text(state), l.ticker, now.steady, ticker_since, canvas.w);
}

void Painter::paint_popup(const protocol::Call& call, Rect box) {
  const auto& c = d_.colors;
  const int border = std::max(4, box.h / 40);
  fill(box, c.highlight_background);
  const Rect inner{box.x + border, box.y + border, box.w - 2 * border, box.h - 2 * border};
  fill(inner, c.popup_background);
  const bool has_text = !call.text.empty();
  const int line = inner.h / (has_text ? 5 : 4);
  text(call.ticket, Rect{inner.x, inner.y + line / 4, inner.w, line * 2}, c.popup_text, true, Align::center, 0.9);
  text("→ " + d_.labels.window_word + " " + call.window, Rect{inner.x, inner.y + line * 9 / 4, inner.w, line * 3 / 2},
       c.popup_text, true, Align::center, 0.75);
  if (has_text) text(call.text, Rect{inner.x, inner.y + line * 4, inner.w, line}, c.popup_text, false, Align::center, 0.6);
}

void Painter::paint_ticker(const std::string& message, Rect box, Clock::time_point now, Clock::time_point since,
                           int canvas_w) {
  fill(box, d_.colors.ticker_background);
  if (message.empty()) return;
  const int size = static_cast<int>(box.h * 0.65);
  std::vector<const TextImage*> parts;
  int total = 0;
  for (const auto& chunk : ticker_chunks(message)) {
    // Drawn once on the strip's colour, so that each frame copies them instead of blending.
    if (const auto* t = texts_.get(chunk, size, false, d_.colors.ticker_text, 0, d_.colors.ticker_background)) {
      parts.push_back(t);
      total += t->w;
    }
  }
  const double speed = d_.ticker_speed * canvas_w;  // pixels per second
  const double elapsed = std::chrono::duration<double>(now - since).count();
  const double offset = std::fmod(elapsed * speed, static_cast<double>(total + canvas_w));
  int x = box.x + canvas_w - static_cast<int>(offset);
  for (const auto* t : parts) {
    if (x + t->w > box.x && x < box.x + box.w) {
      output_.draw(*t->image, Rect{x, box.y + (box.h - t->h) / 2, t->w, t->h});
    }
    x += t->w;
  }
}

void Painter::paint_announcement(const std::vector<std::string>& texts, Rect box) {
  fill(box, d_.colors.announcement_background);
  const std::string message = join(texts, "  ·  ");
  const Rect inner = inset(box, 0.08);
  const int size = texts_.fit_wrapped(message, static_cast<int>(inner.h * 0.6), inner.w, inner.h, true);
  if (const auto* t = texts_.get(message, size, true, d_.colors.announcement_text, inner.w)) {
    output_.draw(*t->image, Rect{inner.x + (inner.w - t->w) / 2, inner.y + (inner.h - t->h) / 2, t->w, t->h});
  }
}

void Painter::paint_offline(Rect box) {
  fill(box, d_.colors.offline_background);
  text(d_.labels.no_connection, box, d_.colors.offline_text, true, Align::center, 0.6);
}

std::string Painter::clock_text(std::int64_t unix_ms) const {
  std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm local{};
  localtime_r(&t, &local);
  char buf[64];
  if (std::strftime(buf, sizeof buf, d_.clock_format.c_str(), &local) == 0) buf[0] = '\0';
  return buf;
}

void Painter::paint_clock(std::int64_t unix_ms, Rect box, Align align) {
  text(clock_text(unix_ms), box, d_.colors.header_text, true, align, 0.6);
}

void Painter::fill(Rect r, config::Color c) { output_.fill(r, c); }

void Painter::text(const std::string& s, Rect box, config::Color c, bool bold, Align align, double height_fraction) {
  if (s.empty() || box.w <= 0 || box.h <= 0) return;
  const int pad = box.h / 10;
  const int size = texts_.fit(s, static_cast<int>(box.h * height_fraction), box.w - 2 * pad, bold);
  const TextImage* t = texts_.get(s, size, bold, c);
  if (!t) return;
  int x = box.x + (box.w - t->w) / 2;
  if (align == Align::left) x = box.x + pad;
  if (align == Align::right) x = box.x + box.w - pad - t->w;
  output_.draw(*t->image, Rect{x, box.y + (box.h - t->h) / 2, t->w, t->h});
}

}  // namespace tablo::display
