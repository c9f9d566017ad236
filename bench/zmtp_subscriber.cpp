#include "bench/zmtp_subscriber.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <stdexcept>

namespace tablo::bench {
namespace {

constexpr std::size_t greeting_bytes = 64;
constexpr std::uint8_t more_frames = 0x01, long_size = 0x02, command = 0x04;

std::string frame(std::uint8_t flags, std::string_view body) {
  std::string out(1, static_cast<char>(flags));
  out += static_cast<char>(body.size());  // short frames only: everything sent here is < 256 bytes
  out += body;
  return out;
}

std::int64_t jitter_ns() {
  static std::minstd_rand random(static_cast<unsigned>(::getpid()));
  return 100'000'000 + static_cast<std::int64_t>(random() % 100'000'000);
}

}  // namespace

ZmtpSubscriber::ZmtpSubscriber(const std::string& endpoint, std::vector<std::string> topics) {
  const auto colon = endpoint.rfind(':');
  if (!endpoint.starts_with("tcp://") || colon == std::string::npos) throw std::invalid_argument("not tcp://HOST:PORT: " + endpoint);
  address_.sin_family = AF_INET;
  address_.sin_port = htons(static_cast<std::uint16_t>(std::stoi(endpoint.substr(colon + 1))));
  if (::inet_pton(AF_INET, endpoint.substr(6, colon - 6).c_str(), &address_.sin_addr) != 1) {
    throw std::invalid_argument("not an IPv4 address: " + endpoint);
  }
  // Signature, version 3.0, mechanism NULL, as-server 0, filler.
  hello_.assign(greeting_bytes, '\0');
  hello_[0] = '\xff';
  hello_[9] = '\x7f';
  hello_[10] = 3;
  std::memcpy(&hello_[12], "NULL", 4);
  using namespace std::string_literals;
  // After the hub's greeting (libzmq takes nothing sent before it as the handshake's).
  ready_ = frame(command, "\x05READY\x0bSocket-Type\0\0\0\x03SUB"s);
  for (const auto& topic : topics) ready_ += frame(0, "\x01"s + topic);  // ZMTP 3.0: a subscription is a message
}

ZmtpSubscriber::ZmtpSubscriber(ZmtpSubscriber&& other) noexcept
    : address_(other.address_),
      hello_(std::move(other.hello_)),
      ready_(std::move(other.ready_)),
      fd_(other.fd_),
      in_(std::move(other.in_)),
      greeted_(other.greeted_),
      reconnect_at_ns_(other.reconnect_at_ns_) {
  other.fd_ = -1;
}

ZmtpSubscriber::~ZmtpSubscriber() {
  if (fd_ >= 0) ::close(fd_);
}

bool ZmtpSubscriber::connect_if_due(std::int64_t now_ns) {
  if (fd_ >= 0 || now_ns < reconnect_at_ns_) return false;
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  // On loopback a connect is answered at once: taken, or refused while no hub listens.
  if (fd_ < 0 || ::connect(fd_, reinterpret_cast<const sockaddr*>(&address_), sizeof address_) != 0 ||
      ::write(fd_, hello_.data(), hello_.size()) != static_cast<ssize_t>(hello_.size())) {
    lost(now_ns);
    return false;
  }
  ::fcntl(fd_, F_SETFL, O_NONBLOCK);
  return true;
}

void ZmtpSubscriber::lost(std::int64_t now_ns) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  in_.clear();
  greeted_ = false;
  reconnect_at_ns_ = now_ns + jitter_ns();
}

void ZmtpSubscriber::read(std::int64_t now_ns, const std::function<void(std::string_view)>& message) {
  if (fd_ < 0) return;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd_, buffer, sizeof buffer);
    if (n > 0) {
      in_.append(buffer, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EAGAIN) break;
    if (n < 0 && errno == EINTR) continue;
    lost(now_ns);  // the end, or an error: the hub went away
    return;
  }
  std::size_t at = 0;
  if (!greeted_) {
    if (in_.size() < greeting_bytes) return;
    greeted_ = true;
    at = greeting_bytes;
    if (::write(fd_, ready_.data(), ready_.size()) != static_cast<ssize_t>(ready_.size())) return lost(now_ns);
  }
  while (in_.size() - at >= 2) {
    const auto flags = static_cast<std::uint8_t>(in_[at]);
    std::size_t header = 2, size = static_cast<std::uint8_t>(in_[at + 1]);
    if (flags & long_size) {
      if (in_.size() - at < 9) break;
      header = 9, size = 0;
      for (int i = 1; i <= 8; ++i) size = size << 8 | static_cast<std::uint8_t>(in_[at + static_cast<std::size_t>(i)]);
    }
    if (in_.size() - at < header + size) break;
    const std::string_view body(in_.data() + at + header, size);
    at += header + size;
    if (!(flags & (command | more_frames))) message(body);  // the hub's READY, and topics, pass by
  }
  in_.erase(0, at);
}

}  // namespace tablo::bench
