#pragma once
// The only way a decoder thread hands pictures to the screen: a small bounded queue.
// The decoder waits when it is full (it never runs more than a few frames ahead); the
// screen never waits — it looks, takes, or finds nothing yet.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

#include "media/ffmpeg_handles.hpp"

namespace tablo::media {

// One decoded picture, in the decoder's own pixel format (YUV420P, NV12, RGBA…).
struct Frame {
  FramePtr picture;
  double pts = 0;       // seconds from the item's first picture
  double duration = 0;  // seconds until the next picture (for the last: one frame interval)
};

class FrameQueue {
 public:
  explicit FrameQueue(std::size_t capacity) : capacity_(capacity) {}

  // Decoder side. Waits for room. `closed`: nobody will show it; `first`: it went into an
  // empty queue, where the screen may be waiting for a frame (judged as it goes in: the screen
  // may have emptied a full queue while the decoder waited for room).
  enum class Pushed { closed, first, queued };
  Pushed push(Frame frame);
  // Decoder side: no more frames will come; `error` empty at a normal end of the file.
  void finish(std::string error = {});

  // Screen side; never waits.
  std::optional<double> front_pts() const;
  std::optional<Frame> pop();
  std::size_t size() const;
  bool finished() const;      // finish() was called (frames may still be queued)
  std::string error() const;  // why the decoder stopped early; empty when it did not
  // The screen is done with this item: wakes and stops the decoder.
  void close();
  bool closed() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable room_;
  std::deque<Frame> frames_;
  std::size_t capacity_;
  bool finished_ = false;
  bool closed_ = false;
  std::string error_;
};

}  // namespace tablo::media
