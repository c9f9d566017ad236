#pragma once
// The boards of the console's zones as the screens have them, kept by a thread of its own
// after the ZeroMQ Guide's Clone pattern: subscribe to the hub's events, take a snapshot,
// apply the changes that follow; a gap, a new epoch or silence means a fresh snapshot. The
// live pages (server-sent events) wait here for the next version.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <zmq.hpp>

#include "protocol/curve_keys.hpp"
#include "protocol/messages.hpp"

namespace tablo::web {

struct ZoneBoard {
  protocol::Snapshot snapshot;  // board, epoch, seq
  bool live = false;            // false: the hub is silent; the board is the last one known
  std::uint64_t version = 0;    // grows with every change the page must redraw for
};

class BoardWatch {
 public:
  BoardWatch(zmq::context_t& context, std::string commands, std::string events, std::vector<std::string> zones,
             std::optional<protocol::ClientKeys> keys);
  ~BoardWatch();
  BoardWatch(const BoardWatch&) = delete;
  BoardWatch& operator=(const BoardWatch&) = delete;

  // The zone's board now; nullopt for a zone the console does not show.
  std::optional<ZoneBoard> board(const std::string& zone) const;
  // The zone's board once its version is above `seen`, or nullopt after `timeout` (or when
  // stopping): what a live page sends next.
  std::optional<ZoneBoard> wait_newer(const std::string& zone, std::uint64_t seen, std::chrono::milliseconds timeout) const;

 private:
  void run();
  bool take_snapshot(const std::string& zone);
  void set(const std::string& zone, const std::function<void(ZoneBoard&)>& change);

  zmq::context_t& context_;
  std::string commands_, events_;
  std::vector<std::string> zone_names_;
  std::optional<protocol::ClientKeys> keys_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::map<std::string, ZoneBoard> zones_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace tablo::web
