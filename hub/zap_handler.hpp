#pragma once
// The hub's ZAP handler (ZeroMQ RFC 27). libzmq asks it about every CURVE handshake on the
// hub's sockets; it lets in the keys of the authorised-keys folder and nobody else, and
// names the key as the connection's User-Id. libzmq lets *every* key in when no handler
// is bound, so this one is bound before the hub binds anything, its socket stays open
// until the hub's sockets are closed, and if its thread fails the hub is stopped.
//
// Its thread also watches the folder (re-read on change) and counts what it refused. (Failed
// handshakes, clients without CURVE, are the socket monitor's: hub/connections.hpp.)
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <zmq.hpp>

#include "hub/authorized_keys.hpp"
#include "hub/refusal_log.hpp"

namespace tablo::hub {

class ZapHandler {
 public:
  // Binds inproc://zeromq.zap.01 and starts the thread. `on_failure` is called from the
  // thread if it ever has to stop on an error.
  ZapHandler(zmq::context_t& context, AuthorizedKeys& keys, std::function<void()> on_failure);
  ~ZapHandler();
  ZapHandler(const ZapHandler&) = delete;
  ZapHandler& operator=(const ZapHandler&) = delete;

  // Connections refused since the last call, by kind: "key" (a key not in the folder).
  std::map<std::string, std::uint64_t> take_refused();
  // Whether a key left the table since the last call (removed, or the folder gone): its
  // open connections must go (Server rebinds the events socket).
  bool take_keys_left() { return keys_left_.exchange(false); }

  bool failed() const { return failed_; }

 private:
  void run();
  void answer();
  void look_at_keys();
  void refused(const std::string& kind);

  zmq::context_t& context_;
  AuthorizedKeys& keys_;
  std::function<void()> on_failure_;
  zmq::socket_t socket_;
  int wake_fd_ = -1;  // eventfd: stop
  std::atomic<bool> stopping_{false};
  std::atomic<bool> failed_{false};
  std::atomic<bool> keys_left_{false};
  std::mutex mutex_;
  std::map<std::string, std::uint64_t> refused_;
  RefusalLog refusals_;  // the thread's own
  std::thread thread_;
};

}  // namespace tablo::hub
