#pragma once
// The peers of the hub's sockets, counted from libzmq's socket monitor (accepted, gone), and
// the cap that keeps them under the descriptor limit (hub/descriptors.hpp). Past the cap a
// socket stops taking connections: a socket filter on its listening descriptor drops new
// connection attempts in the kernel (they wait and retry on their own, costing the hub
// nothing), and one that got in before the filter took hold is cut and counted
// (rejected.connections). Subscribers are refused at the cap, command connections 64 past it,
// so an operator still gets in when every subscriber slot is taken. Failed handshakes (no
// CURVE, a broken one) are counted and logged here too: one monitor per socket.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <zmq.hpp>

#include "hub/refusal_log.hpp"

namespace tablo::hub {

class Connections {
 public:
  using Clock = std::chrono::steady_clock;
  // `cap`: connections of all sockets together past which subscribers are refused;
  // `count_rejected` counts a refusal by kind ("connections", "accept", "handshake").
  Connections(zmq::context_t& context, std::uint64_t cap, std::function<void(std::string_view)> count_rejected);

  // Starts counting the peers of `socket`, named `what` ("commands", "events"), before it
  // binds; `refused_at_cap`: whether it is the one refused at the cap (the events socket) or
  // 64 past it. Watching a socket of the same name again starts its count afresh.
  void watch(zmq::socket_t& socket, const std::string& what, bool refused_at_cap);
  // After `what` bound `endpoint` (as bound): the listening descriptor it can close.
  void listening(const std::string& what, const std::string& endpoint);

  // For the server's poll: the monitors, then on_monitor() when any is readable.
  void add_poll_items(std::vector<zmq::pollitem_t>& items);
  void on_monitor();
  // Reopens a socket paused after a failed accept; writes summaries due. Each round.
  void tick(Clock::time_point now);

  std::map<std::string, std::uint64_t> peers() const;
  std::uint64_t cap() const { return cap_; }

 private:
  struct Watched {
    std::string what;
    bool refused_at_cap = false;
    zmq::socket_t monitor;
    std::uint64_t peers = 0;
    std::vector<int> listeners;  // its listening descriptors (tcp)
    bool closed = false;         // new connections are dropped
    std::optional<Clock::time_point> paused_until;  // after accept() failed for want of descriptors
  };
  void event(Watched& w, std::uint16_t id, std::uint32_t value);
  void apply_cap();
  void close(Watched& w, bool closed);
  std::uint64_t total() const;
  std::uint64_t threshold(const Watched& w) const;

  zmq::context_t& context_;
  std::uint64_t cap_;
  std::function<void(std::string_view)> count_rejected_;
  std::vector<Watched> watched_;
  std::uint64_t generation_ = 0;  // monitor endpoints are never reused
  RefusalLog log_;
};

}  // namespace tablo::hub
