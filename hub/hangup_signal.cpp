#include "hub/hangup_signal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <stdexcept>

namespace tablo::hub {
namespace {

int pipe_fds[2] = {-1, -1};
struct sigaction previous_hup {};

extern "C" void on_hangup(int) {
  const int saved = errno;
  const char byte = 'h';
  [[maybe_unused]] auto n = ::write(pipe_fds[1], &byte, 1);
  errno = saved;
}

}  // namespace

HangupSignal::HangupSignal() {
  if (pipe_fds[0] >= 0) throw std::logic_error("only one HangupSignal at a time");
  if (::pipe2(pipe_fds, O_NONBLOCK | O_CLOEXEC) != 0) throw std::runtime_error("cannot create the reload pipe");
  struct sigaction action {};
  action.sa_handler = on_hangup;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  ::sigaction(SIGHUP, &action, &previous_hup);
}

HangupSignal::~HangupSignal() {
  ::sigaction(SIGHUP, &previous_hup, nullptr);
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
  pipe_fds[0] = pipe_fds[1] = -1;
}

int HangupSignal::fd() const { return pipe_fds[0]; }

void HangupSignal::drain(int fd) {
  char bytes[64];
  while (::read(fd, bytes, sizeof bytes) > 0) {
  }
}

}  // namespace tablo::hub
