#include "protocol/command_client.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include "protocol/codec.hpp"
#include "protocol/tcp_keepalive.hpp"

namespace tablo::protocol {

CommandClient::CommandClient(zmq::context_t& context, std::string endpoint, std::optional<ClientKeys> keys,
                             std::size_t largest_reply)
    : context_(context),
      endpoint_(std::move(endpoint)),
      keys_(std::move(keys)),
      largest_reply_(std::max(largest_reply, limits::message)) {
  // The hub remembers ids for ten minutes to answer retries; a pid alone comes round again.
  std::random_device random;
  char tag[16];
  std::snprintf(tag, sizeof tag, "%08x", static_cast<unsigned>(random()));
  id_prefix_ = std::to_string(::getpid()) + "-" + tag + "-";
  connect();
}

std::string CommandClient::next_id() { return id_prefix_ + std::to_string(next_id_++); }

void CommandClient::connect() {
  socket_ = std::make_unique<zmq::socket_t>(context_, zmq::socket_type::dealer);
  socket_->set(zmq::sockopt::linger, 0);
  socket_->set(zmq::sockopt::maxmsgsize, static_cast<std::int64_t>(largest_reply_ + limits::message));
  keep_alive(*socket_);
  if (keys_) use_curve(*socket_, *keys_);
  socket_->connect(endpoint_);
}

std::optional<Reply> CommandClient::request(Command command, std::chrono::milliseconds timeout) {
  if (command.id.empty()) command.id = next_id();
  const std::string body = encode(command);
  socket_->send(zmq::buffer(body), zmq::send_flags::dontwait);

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    zmq::pollitem_t item{socket_->handle(), 0, ZMQ_POLLIN, 0};
    try {
      zmq::poll(&item, 1, left);
    } catch (const zmq::error_t& e) {
      if (e.num() == EINTR) continue;
      throw;
    }
    if (!(item.revents & ZMQ_POLLIN)) continue;
    zmq::message_t msg;
    if (!socket_->recv(msg, zmq::recv_flags::dontwait)) continue;
    auto reply = decode_reply(msg.to_string_view(), largest_reply_);
    if (reply && reply->id == command.id) return *reply;
    // A stale or garbled reply: keep waiting for ours.
  }
  connect();
  return std::nullopt;
}

}  // namespace tablo::protocol
