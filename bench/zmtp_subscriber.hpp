#pragma once
// A subscriber that speaks ZMTP 3.0 itself over a plain TCP socket (RFC 23, NULL mechanism,
// socket type SUB): for the benchmarks that need a thousand of them beside the hub on two
// cores. libzmq's SUB spends some five system calls in two threads on each message (the I/O
// thread's read, the mailbox's eventfd, the poll, the recv); this is one read for whatever came.
// It reconnects as libzmq does by default: 100 ms plus up to 100 ms of jitter after a loss.
#include <netinet/in.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace tablo::bench {

class ZmtpSubscriber {
 public:
  // `endpoint`: "tcp://127.0.0.1:PORT"; `topics`: what to subscribe to, in order.
  ZmtpSubscriber(const std::string& endpoint, std::vector<std::string> topics);
  ~ZmtpSubscriber();
  ZmtpSubscriber(ZmtpSubscriber&& other) noexcept;
  ZmtpSubscriber(const ZmtpSubscriber&) = delete;
  ZmtpSubscriber& operator=(const ZmtpSubscriber&) = delete;
  ZmtpSubscriber& operator=(ZmtpSubscriber&&) = delete;

  // Connects when not connected and its reconnect time `now_ns` (steady clock) has come; true
  // when it has a new descriptor to watch (fd()).
  bool connect_if_due(std::int64_t now_ns);
  // -1 while not connected.
  int fd() const { return fd_; }
  // Reads what came: `message` gets each message's last frame (the body). A lost connection is
  // closed, and a reconnect planned.
  void read(std::int64_t now_ns, const std::function<void(std::string_view body)>& message);

 private:
  void lost(std::int64_t now_ns);

  sockaddr_in address_{};
  std::string hello_;  // the greeting
  std::string ready_;  // READY and the subscriptions
  int fd_ = -1;
  std::string in_;
  bool greeted_ = false;
  std::int64_t reconnect_at_ns_ = 0;
};

}  // namespace tablo::bench
