#pragma once
// tablo-web's side of the hub's command socket: a desk like tabloctl, with a key of its own.
// civetweb serves on many threads and a CommandClient takes one request at a time, so there
// are three lanes: one for the board (calls must never wait behind a screenshot or an upload),
// one for what is relayed to screens (screenshots, proof of play: up to the hub's 5 s wait) and
// one for the media library (uploads' 1 MiB chunks).
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include <zmq.hpp>

#include "protocol/command_client.hpp"

namespace tablo::web {

class HubDesk {
 public:
  HubDesk(zmq::context_t& context, const std::string& endpoint, const std::optional<protocol::ClientKeys>& keys,
          std::chrono::seconds screenshot_reuse);

  // The hub's reply, or nullopt when it gave none (after one retry with the same id: the hub
  // applies a change once however often it comes).
  std::optional<protocol::Reply> ask(const std::string& zone, protocol::Action action);

  // A media library command on its own lane, waiting up to `wait` (the last chunk of an upload
  // is checked and probed by the hub before it answers). Chunks go at most 25 a second, so that
  // an upload leaves tablo-web's share of the hub's rate limit (hub.commands_per_second) to calls.
  std::optional<protocol::Reply> ask_media(protocol::MediaAction action, std::chrono::milliseconds wait);

  // A screen's latest screenshot (PNG), taken at most once per `screenshot_reuse` however many
  // thumbnail walls are open, so that the console never adds load to a screen beyond that.
  // nullopt with `error` set when there is none.
  std::optional<std::string> screenshot(const std::string& screen, std::string& error);

  const std::string& endpoint() const { return endpoint_; }

 private:
  struct Lane {
    std::mutex mutex;
    protocol::CommandClient client;
  };
  struct Shot {
    std::chrono::steady_clock::time_point at;
    std::string png, error;
  };

  std::string endpoint_;
  Lane board_, screens_, media_;
  std::chrono::steady_clock::time_point next_chunk_;  // under media_.mutex
  std::chrono::seconds screenshot_reuse_;
  std::mutex shots_mutex_;
  std::map<std::string, Shot> shots_;
};

}  // namespace tablo::web
