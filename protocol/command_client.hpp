#pragma once
// A client of the hub's command socket (DEALER). One request at a time; a request that
// gets no reply in time drops the socket and makes a fresh one (the Guide's Lazy Pirate),
// so a late reply can never be taken for the next request's.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <zmq.hpp>

#include "protocol/messages.hpp"

namespace tablo::protocol {

class CommandClient {
 public:
  CommandClient(zmq::context_t& context, std::string endpoint);

  // The hub's reply, or nullopt when none came within `timeout`.
  std::optional<Reply> request(Command command, std::chrono::milliseconds timeout);

  const std::string& endpoint() const { return endpoint_; }

 private:
  void connect();

  zmq::context_t& context_;
  std::string endpoint_;
  std::unique_ptr<zmq::socket_t> socket_;
  std::uint64_t next_id_ = 1;
};

}  // namespace tablo::protocol
