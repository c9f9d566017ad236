#pragma once
// The hub's ZAP handler (ZeroMQ RFC 27). libzmq asks it about every CURVE handshake on the
// hub's sockets; it lets in the keys of the authorised-keys folder and nobody else, and
// names the key as the connection's User-Id. libzmq lets *every* key in when no handler
// is bound, so this one is bound before the hub binds anything, its socket stays open
// until the hub's sockets are closed, and if its thread fails the hub is stopped.
//
// Its thread also watches the folder (re-read on change) and the sockets' handshake
// failures (clients without CURVE), and counts what it refused.
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

  // Counts (and logs) failed handshakes on `socket`, named `what` ("commands"); call
  // from the socket's thread, before it binds.
  void watch_handshakes(zmq::socket_t& socket, const std::string& what);

  // Connections refused since the last call, by kind: "key" (a key not in the folder),
  // "handshake" (no CURVE, or a broken handshake).
  std::map<std::string, std::uint64_t> take_refused();

  bool failed() const { return failed_; }

 private:
  struct Watched {
    std::string what;
    zmq::socket_t monitor;
  };
  void run();
  void answer();
  void on_handshake_failure(Watched& watched);
  void refused(const std::string& kind);

  zmq::context_t& context_;
  AuthorizedKeys& keys_;
  std::function<void()> on_failure_;
  zmq::socket_t socket_;
  int wake_fd_ = -1;  // eventfd: stop, or new monitors waiting
  std::atomic<bool> stopping_{false};
  std::atomic<bool> failed_{false};
  std::mutex mutex_;
  std::vector<Watched> arriving_;  // monitors handed over from the socket's thread
  std::map<std::string, std::uint64_t> refused_;
  std::vector<Watched> watched_;                                 // the thread's own
  RefusalLog refusals_;                                          // the thread's own
  std::thread thread_;
};

}  // namespace tablo::hub
