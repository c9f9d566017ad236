#include "media/reaper.hpp"

namespace tablo::media {

Reaper::Reaper() : thread_([this] { run(); }) {}

Reaper::~Reaper() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void Reaper::take(std::unique_ptr<VideoDecoder> decoder) {
  if (!decoder) return;
  decoder->stop();
  {
    std::lock_guard lock(mutex_);
    done_.push_back(std::move(decoder));
  }
  changed_.notify_all();
}

void Reaper::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return stopping_ || !done_.empty(); });
    if (done_.empty()) return;  // stopping, and nothing left
    auto decoder = std::move(done_.front());
    done_.pop_front();
    lock.unlock();
    decoder.reset();  // joins its threads
    lock.lock();
  }
}

}  // namespace tablo::media
