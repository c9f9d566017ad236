#include "display/screen_metrics.hpp"

#include <algorithm>

#include "display/hub_link.hpp"
#include "display/playlist_view.hpp"
#include "sound/hall_sound.hpp"

namespace tablo::display {

void take_counts(ScreenFigures& f, const PlaylistView* media, const sound::HallSound& sound, const HubLink& link,
                 bool hub_connected) {
  f.announcements_played = sound.played();
  f.hub_connected = hub_connected;
  f.rejected_frames = link.rejected();
  const auto offset = clock_offset_ms(link.hub_time());
  f.clock_offset_seconds = offset ? std::optional(static_cast<double>(*offset) / 1000.0) : std::nullopt;
  f.playing.clear();
  if (!media) return;
  // A reload that replaces the playlist starts these from 0 again (Prometheus reads a counter reset).
  const auto& counters = media->player().counters();
  f.dropped_frames = counters.dropped_frames;
  f.frames_not_decoded = counters.frames_not_decoded;
  f.late_switches = counters.late_switches;
  f.media_skips = counters.skipped;
  f.pictureless_draws = media->pictureless_draws();
  if (const auto* item = media->playing()) f.playing = item->file.filename().string();
}

void count_frame(ScreenFigures& f, std::optional<std::chrono::steady_clock::time_point> previous,
                 std::chrono::steady_clock::time_point planned, std::chrono::steady_clock::time_point due,
                 std::chrono::steady_clock::time_point presented) {
  using seconds = std::chrono::duration<double>;
  if (previous && planned - *previous <= std::chrono::milliseconds(100)) {
    f.frame_interval_seconds.observe(seconds(presented - *previous).count());
  }
  const double stall = std::max(0.0, seconds(presented - due).count());
  f.frame_stall_seconds.observe(stall);
  f.longest_stall_seconds = std::max(f.longest_stall_seconds, stall);
}

metrics::Families metrics_page(const ScreenFigures& f, std::uint64_t resident_bytes) {
  using metrics::Kind;
  auto n = [](std::uint64_t value) { return static_cast<double>(value); };
  metrics::Exposition page;
  page.family("tablo_display_info", Kind::gauge, "The screen's name (always 1).").sample(1, {{"screen", f.name}});
  page.family("tablo_display_calls_shown_total", Kind::counter, "Calls and recalls drawn on the board.")
      .sample(n(f.calls_shown));
  page.family("tablo_display_announcements_played_total", Kind::counter, "Announcements played to their end.")
      .sample(n(f.announcements_played));
  page.family("tablo_display_frames_drawn_total", Kind::counter, "Frames drawn.").sample(n(f.frames_drawn));
  page.family("tablo_display_frame_seconds", Kind::histogram, "Time to draw and present one frame.")
      .sample(f.frame_seconds);
  page.family("tablo_display_frame_interval_seconds", Kind::histogram,
              "Time from one frame to the next while something moves (a ticker, a video): 1/60 s is smooth.")
      .sample(f.frame_interval_seconds);
  page.family("tablo_display_frame_stall_seconds", Kind::histogram,
              "How long after it was due each frame was presented, its drawing included.")
      .sample(f.frame_stall_seconds);
  page.family("tablo_display_longest_stall_seconds", Kind::gauge,
              "The longest a frame came after it was due since the screen started.")
      .sample(f.longest_stall_seconds);
  page.family("tablo_display_late_frames_total", Kind::counter,
              "Frames drawn more than 1/60 s after they were due (the screen was busy or starved of CPU).")
      .sample(n(f.late_frames));
  page.family("tablo_display_dropped_video_frames_total", Kind::counter,
              "Video frames that were due but never drawn, because a newer one was due too.")
      .sample(n(f.dropped_frames));
  page.family("tablo_display_frames_not_decoded_total", Kind::counter,
              "Video frames left out before they were decoded, because the screen was far ahead of them "
              "(a file too slow to decode here, or after a stall).")
      .sample(n(f.frames_not_decoded));
  page.family("tablo_display_late_switches_total", Kind::counter,
              "Playlist switches that held the last frame because the next item was not ready.")
      .sample(n(f.late_switches));
  page.family("tablo_display_pictureless_draws_total", Kind::counter,
              "Frames drawn with the fallback slide after a picture had shown.")
      .sample(n(f.pictureless_draws));
  page.family("tablo_display_media_skips_total", Kind::counter,
              "Playlist items skipped because they would not play (missing, truncated, undecodable).")
      .sample(n(f.media_skips));
  page.family("tablo_display_playing", Kind::gauge, "The playlist item on screen (1); absent when none.");
  if (!f.playing.empty()) page.sample(1, {{"item", f.playing}});
  page.family("tablo_display_hub_connected", Kind::gauge, "1 while the hub is heard, 0 while 'no connection' shows.")
      .sample(f.hub_connected ? 1 : 0);
  page.family("tablo_display_rejected_messages_total", Kind::counter,
              "Messages from the hub that could not be decoded and were dropped.")
      .sample(n(f.rejected_frames));
  page.family("tablo_display_clock_offset_seconds", Kind::gauge,
              "How far this screen's clock is ahead of the hub's (negative: behind); absent before the first "
              "heartbeat.");
  if (f.clock_offset_seconds) page.sample(*f.clock_offset_seconds);
  page.family("process_start_time_seconds", Kind::gauge, "Start time of the process since the unix epoch in seconds.")
      .sample(f.started_unix_s);
  page.family("process_resident_memory_bytes", Kind::gauge, "Resident memory size in bytes.")
      .sample(n(resident_bytes));
  return std::move(page).families();
}

}  // namespace tablo::display
