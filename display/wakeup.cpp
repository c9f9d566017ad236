#include "display/wakeup.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <stdexcept>

namespace tablo::display {

Wakeup::Wakeup() : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (fd_ < 0) throw std::runtime_error("eventfd failed");
}

Wakeup::~Wakeup() { ::close(fd_); }

void Wakeup::notify() const {
  const std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(fd_, &one, sizeof one);
}

bool Wakeup::wait(std::chrono::milliseconds timeout) const {
  pollfd p{fd_, POLLIN, 0};
  const int ms = static_cast<int>(std::max<std::int64_t>(0, timeout.count()));
  if (::poll(&p, 1, ms) <= 0) return false;
  std::uint64_t count = 0;
  [[maybe_unused]] auto n = ::read(fd_, &count, sizeof count);
  return true;
}

}  // namespace tablo::display
