#include "media/frame_queue.hpp"

namespace tablo::media {

FrameQueue::Pushed FrameQueue::push(Frame frame) {
  std::unique_lock lock(mutex_);
  room_.wait(lock, [&] { return closed_ || frames_.size() < capacity_; });
  if (closed_) return Pushed::closed;
  frames_.push_back(std::move(frame));
  return frames_.size() == 1 ? Pushed::first : Pushed::queued;
}

void FrameQueue::finish(std::string error) {
  std::lock_guard lock(mutex_);
  finished_ = true;
  error_ = std::move(error);
}

std::optional<double> FrameQueue::front_pts() const {
  std::lock_guard lock(mutex_);
  if (frames_.empty()) return std::nullopt;
  return frames_.front().pts;
}

std::optional<Frame> FrameQueue::pop() {
  std::optional<Frame> frame;
  {
    std::lock_guard lock(mutex_);
    if (frames_.empty()) return std::nullopt;
    frame = std::move(frames_.front());
    frames_.pop_front();
  }
  room_.notify_one();
  return frame;
}

std::size_t FrameQueue::size() const {
  std::lock_guard lock(mutex_);
  return frames_.size();
}

bool FrameQueue::finished() const {
  std::lock_guard lock(mutex_);
  return finished_;
}

std::string FrameQueue::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

void FrameQueue::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    frames_.clear();
  }
  room_.notify_all();
}

bool FrameQueue::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

}  // namespace tablo::media
