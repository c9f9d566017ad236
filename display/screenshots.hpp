#pragma once
// The screen's screenshots: on demand (SIGUSR1) into a new file, at an interval into
// latest.png (rewritten only when the picture changed), and for desks through the hub. The
// screen's thread only copies the frame it drew (VideoOutput::read_back); turning the copy into
// a PNG — 36 ms at 1080p, 140 ms at 4K — and writing or sending it happen on a thread of their
// own, so a screenshot never holds a frame.
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "display/report_line.hpp"
#include "display/screen.hpp"
#include "display/screen_state.hpp"
#include "display/video_output.hpp"

namespace tablo::display {

// What a frame's screenshot is for; several at once share one copy of the frame.
struct ShotOrders {
  std::filesystem::path on_demand;     // SIGUSR1's new file; empty: none
  bool latest = false;                 // the interval's latest.png
  std::vector<std::string> relay_ids;  // desks' screenshots through the hub, answered on `line`
  bool any() const { return !on_demand.empty() || latest || !relay_ids.empty(); }
};

class Screenshots {
 public:
  // Answers to desks go to `line`, which must outlive this.
  Screenshots(const ScreenOptions& options, ReportLine& line);
  ~Screenshots();  // the screenshot being made is finished first
  Screenshots(const Screenshots&) = delete;
  Screenshots& operator=(const Screenshots&) = delete;

  // The orders for the frame being drawn at `now`: the signal's, the interval's when due, and
  // the desks'.
  ShotOrders orders(bool on_demand, std::vector<std::string> relay_ids, Clock::time_point now) const;
  bool interval_due(Clock::time_point now) const { return interval() && changed_ && now >= last_ + every_; }
  std::optional<Clock::time_point> next_due() const;
  void frame_drawn() { changed_ = true; }

  // Copies the frame just drawn (before it is presented) and hands it to the encoding thread. If
  // that thread is still busy with an older frame, a frame that waits for it is replaced by this
  // one, and its orders are taken over: screenshots come late rather than pile up.
  void take(const VideoOutput& output, ShotOrders orders, Clock::time_point now);

 private:
  struct Job {
    ReadBack frame;
    ShotOrders orders;
  };
  bool interval() const { return !dir_.empty() && every_.count() > 0; }
  void encode_jobs();
  void make(const Job& job);

  std::filesystem::path dir_;
  Clock::duration every_;
  Clock::time_point last_{};
  bool changed_ = false;
  ReportLine& line_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<Job> waiting_;
  std::vector<std::uint8_t> spare_;  // a finished job's pixels, reused for the next copy
  bool stopping_ = false;
  std::thread encoder_;  // last: it starts once everything above is ready
};

}  // namespace tablo::display
