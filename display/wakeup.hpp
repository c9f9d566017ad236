#pragma once
// What the screen's main thread sleeps on between frames: news from the hub link or a
// signal wakes it at once (eventfd; notify() is async-signal-safe), otherwise the timeout.
#include <chrono>

namespace tablo::display {

class Wakeup {
 public:
  Wakeup();
  ~Wakeup();
  Wakeup(const Wakeup&) = delete;
  Wakeup& operator=(const Wakeup&) = delete;

  void notify() const;
  // Returns true when woken by notify(), false on timeout.
  bool wait(std::chrono::milliseconds timeout) const;

 private:
  int fd_;
};

}  // namespace tablo::display
