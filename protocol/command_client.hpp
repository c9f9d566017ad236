#pragma once
// A client of the hub's command socket (DEALER). One request at a time; a request that
// gets no reply in time drops the socket and makes a fresh one (the Guide's Lazy Pirate),
// so a late reply can never be taken for the next request's.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <zmq.hpp>

#include "protocol/curve_keys.hpp"
#include "protocol/messages.hpp"

namespace tablo::protocol {

class CommandClient {
 public:
  // With `keys`, the connection is CURVE-encrypted and authenticated (docs/PROTOCOL.md, "Security").
  // `largest_reply`: bodies above limits::message are refused unless raised here (to
  // limits::screen_answer by a client that asks screens for files).
  CommandClient(zmq::context_t& context, std::string endpoint, std::optional<ClientKeys> keys = std::nullopt,
                std::size_t largest_reply = 0);

  // The hub's reply, or nullopt when none came within `timeout`. A command without an id
  // gets a fresh one; to retry a change after a timeout, send it again with the same id,
  // and the hub applies it once.
  std::optional<Reply> request(Command command, std::chrono::milliseconds timeout);

  // An id no other request of any client is likely to have: pid, a random tag, a counter.
  std::string next_id();

  const std::string& endpoint() const { return endpoint_; }

 private:
  void connect();

  zmq::context_t& context_;
  std::string endpoint_;
  std::optional<ClientKeys> keys_;
  std::size_t largest_reply_;
  std::unique_ptr<zmq::socket_t> socket_;
  std::string id_prefix_;
  std::uint64_t next_id_ = 1;
};

}  // namespace tablo::protocol
