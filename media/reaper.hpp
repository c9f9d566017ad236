#pragma once
// Decoders the screen is done with are stopped at once and joined on a thread of their own:
// joining one that is still inside a 4K frame takes tens of milliseconds, which the screen's
// thread must not spend between two frames.
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "media/video_decoder.hpp"

namespace tablo::media {

class Reaper {
 public:
  Reaper();
  ~Reaper();  // joins what is left
  Reaper(const Reaper&) = delete;
  Reaper& operator=(const Reaper&) = delete;

  // Wakes and stops its threads now (cheap) and joins them later, elsewhere.
  void take(std::unique_ptr<VideoDecoder> decoder);

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<VideoDecoder>> done_;
  bool stopping_ = false;
  std::thread thread_;  // last
};

}  // namespace tablo::media
