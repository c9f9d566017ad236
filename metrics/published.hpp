#pragma once
// A value one thread publishes and others read as a whole: the loop that owns the figures
// publishes a copy now and then, the metrics endpoint's threads read the latest copy. The
// lock is held only for the copy, so the publishing loop never waits on a slow reader.
#include <mutex>

namespace tablo::metrics {

template <typename T>
class Published {
 public:
  void publish(T value) {
    std::lock_guard lock(mutex_);
    value_ = std::move(value);
  }
  T read() const {
    std::lock_guard lock(mutex_);
    return value_;
  }

 private:
  mutable std::mutex mutex_;
  T value_{};
};

}  // namespace tablo::metrics
