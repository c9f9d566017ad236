#pragma once
// TCP-level liveness for every hub connection. A peer that vanished without closing (a
// screen unplugged, a switch rebooted) leaves a half-open connection that ZeroMQ would
// keep forever: keepalive probes find it when the line is idle, and a bound on
// unacknowledged retransmits finds it while data is still being sent to it.
#include <zmq.hpp>

namespace tablo::protocol {

// Idle 10 s, then 3 probes 2 s apart: a silent dead peer is dropped within about 16 s.
// Unacknowledged data for 30 s: a dead subscriber is dropped, with its send queue.
inline void keep_alive(zmq::socket_t& socket) {
  socket.set(zmq::sockopt::tcp_keepalive, 1);
  socket.set(zmq::sockopt::tcp_keepalive_idle, 10);
  socket.set(zmq::sockopt::tcp_keepalive_intvl, 2);
  socket.set(zmq::sockopt::tcp_keepalive_cnt, 3);
  socket.set(zmq::sockopt::tcp_maxrt, 30'000);
}

}  // namespace tablo::protocol
