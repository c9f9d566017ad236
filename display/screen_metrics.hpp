#pragma once
// A screen's Prometheus page (docs/OPERATIONS.md, "Metrics"): what it showed, said and drew,
// how its video kept up, and whether it hears the hub. The screen's loop counts into its own
// ScreenFigures and publishes a copy; the metrics endpoint renders the copy on its threads.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "metrics/exposition.hpp"

namespace tablo::sound {
class HallSound;
}

namespace tablo::display {

struct ScreenFigures {
  std::string name;                         // display.name
  std::uint64_t calls_shown = 0;            // calls and recalls drawn on the board
  std::uint64_t announcements_played = 0;   // played to their end
  std::uint64_t frames_drawn = 0;
  metrics::Histogram frame_seconds{{0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25}};  // drawing one frame
  // From one frame to the next while something moves (a ticker, a video): what the hall sees.
  metrics::Histogram frame_interval_seconds{{0.010, 0.017, 0.020, 0.025, 0.034, 0.050, 0.067, 0.1, 0.25, 0.5, 1}};
  // How long after it was due each frame was presented (drawing included): a stall of the loop.
  metrics::Histogram frame_stall_seconds{{0.001, 0.002, 0.005, 0.010, 0.017, 0.034, 0.050, 0.1, 0.25, 1}};
  double longest_stall_seconds = 0;
  std::uint64_t late_frames = 0;            // drawn more than a 60 Hz frame after they were due
  std::uint64_t dropped_frames = 0;         // video frames due but never drawn
  std::uint64_t frames_not_decoded = 0;     // video frames left out before decoding, far behind
  std::uint64_t late_switches = 0;          // playlist switches that held the last frame too long
  std::uint64_t pictureless_draws = 0;      // frames drawn with the fallback slide after a picture had shown
  std::uint64_t media_skips = 0;            // playlist items that would not play
  std::string playing;                      // the playlist item on screen; empty: none
  bool hub_connected = false;
  std::uint64_t rejected_frames = 0;        // messages from the hub that could not be decoded
  std::optional<double> clock_offset_seconds;  // the screen's clock ahead of the hub's; none before a heartbeat
  double started_unix_s = 0;
};

metrics::Families metrics_page(const ScreenFigures& figures, std::uint64_t resident_bytes);

// Counts a presented frame into the interval and stall figures. `previous`: when the frame
// before it was presented; `planned`: when this one was planned then (an interval counts when
// it was planned within 0.1 s: something moved); `due`: when it was due, planned or woken by news.
void count_frame(ScreenFigures& figures, std::optional<std::chrono::steady_clock::time_point> previous,
                 std::chrono::steady_clock::time_point planned, std::chrono::steady_clock::time_point due,
                 std::chrono::steady_clock::time_point presented);

class PlaylistView;
class HubLink;
// Takes the figures the screen's parts count themselves (the loop counts the rest).
void take_counts(ScreenFigures& figures, const PlaylistView* media, const sound::HallSound& sound, const HubLink& link,
                 bool hub_connected);

}  // namespace tablo::display
