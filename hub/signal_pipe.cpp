#include "hub/signal_pipe.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <string>

namespace tablo::hub {
namespace {

// The write end of each signal's pipe, read by the handler: a non-blocking pipe, so the
// handler never blocks (a full pipe already says "arrived").
int write_end[NSIG];
bool taken[NSIG];

extern "C" void on_signal(int number) {
  const int saved = errno;
  const char byte = 1;
  [[maybe_unused]] auto n = ::write(write_end[number], &byte, 1);
  errno = saved;
}

}  // namespace

SignalPipe::SignalPipe(std::initializer_list<int> signals) : signals_(signals), previous_(signals.size()) {
  for (int s : signals_)
    if (taken[s]) throw std::logic_error("signal " + std::to_string(s) + " already has a SignalPipe");
  int fds[2];
  if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) throw std::runtime_error("cannot create a pipe for signals");
  read_ = fds[0];
  write_ = fds[1];
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (std::size_t i = 0; i < signals_.size(); ++i) {
    write_end[signals_[i]] = write_;
    taken[signals_[i]] = true;
    ::sigaction(signals_[i], &action, &previous_[i]);
  }
}

SignalPipe::~SignalPipe() {
  for (std::size_t i = 0; i < signals_.size(); ++i) {
    ::sigaction(signals_[i], &previous_[i], nullptr);
    taken[signals_[i]] = false;
  }
  ::close(read_);
  ::close(write_);
}

void SignalPipe::drain(int fd) {
  char bytes[64];
  while (::read(fd, bytes, sizeof bytes) > 0) {
  }
}

}  // namespace tablo::hub
