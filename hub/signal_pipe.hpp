#pragma once
// Signals as a readable file descriptor (the self-pipe trick): the socket loop wakes at once
// from zmq::poll and acts on its own thread, where a handler could not. The hub has two:
// SIGINT/SIGTERM (stop) and SIGHUP (reload the settings).
#include <csignal>
#include <initializer_list>
#include <vector>

namespace tablo::hub {

class SignalPipe {
 public:
  // Installs the handlers; a signal can belong to one SignalPipe at a time.
  explicit SignalPipe(std::initializer_list<int> signals);
  ~SignalPipe();  // puts the previous handlers back
  SignalPipe(const SignalPipe&) = delete;
  SignalPipe& operator=(const SignalPipe&) = delete;

  // Becomes readable when one of the signals arrived.
  int fd() const { return read_; }
  // Empties the pipe `fd`: several signals before the loop looked count as one.
  static void drain(int fd);

 private:
  std::vector<int> signals_;
  std::vector<struct sigaction> previous_;
  int read_ = -1, write_ = -1;
};

}  // namespace tablo::hub
