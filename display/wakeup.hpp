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
  // For a poll of its own (zmq::poll takes it beside sockets); wait(0ms) then clears it.
  int fd() const { return fd_; }

 private:
  int fd_;
};

}  // namespace tablo::display
