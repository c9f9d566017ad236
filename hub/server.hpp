#pragma once
// The hub on the network: commands in and replies out on a ROUTER, numbered changes and
// heartbeats out on a PUB. One thread; the Hub does the thinking.
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include <zmq.hpp>

#include "config/settings.hpp"
#include "hub/guard.hpp"
#include "hub/hub.hpp"

namespace tablo::hub {

// An endpoint the hub could not listen on; the message names it and what to check.
struct BindError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Server {
 public:
  // Binds both sockets, as `guard` says (keys, or loopback only); throws BindError.
  Server(zmq::context_t& context, Hub& hub, const config::HubSettings& settings, Guard& guard);

  // Serves until `stop_fd` becomes readable (see StopSignal).
  void run(int stop_fd);

  // The endpoints as bound (a wildcard port shows the port it got).
  std::string commands_endpoint() const;
  std::string events_endpoint() const;

 private:
  void serve_waiting_commands();
  void serve(std::vector<zmq::message_t>& frames, std::size_t count);
  void reply(std::vector<zmq::message_t>& envelope, const protocol::Reply& reply);
  void publish(const protocol::Event& event);
  void heartbeat();

  Hub& hub_;
  Guard& guard_;
  zmq::socket_t commands_;
  zmq::socket_t events_;
  std::chrono::milliseconds heartbeat_every_;
};

}  // namespace tablo::hub
