#pragma once
// A branch hub's link to its regional hub, on a thread of its own: subscribes to the followed
// upstream zones, takes their snapshots and follows their changes after the Clone pattern the
// screens use (protocol/zone_sync.hpp: a gap, a new epoch or a heartbeat that is ahead means a
// fresh snapshot), and notices when the regional hub falls silent. What it learns waits for the
// hub's loop, in order and already checked; the loop is woken through `wake_fd()`.
#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include <zmq.hpp>

#include "config/settings.hpp"
#include "protocol/curve_keys.hpp"
#include "protocol/messages.hpp"

namespace tablo::hub {

// A heartbeat of the regional hub: how far each zone is there (status shows "behind by").
struct UpstreamHeard {
  std::uint64_t epoch = 0;
  std::map<std::string, std::uint64_t> seqs;
};
// The link came up (its first boards were taken) or was lost.
struct UpstreamState {
  bool connected = false;
};
using UpstreamNews = std::variant<protocol::Event, protocol::Snapshot, UpstreamHeard, UpstreamState>;

class UpstreamLink {
 public:
  // Starts the thread. Throws protocol::KeyError for key files that cannot be used.
  explicit UpstreamLink(const config::UpstreamSettings& settings);
  ~UpstreamLink();
  UpstreamLink(const UpstreamLink&) = delete;
  UpstreamLink& operator=(const UpstreamLink&) = delete;

  // Readable while news waits (an eventfd).
  int wake_fd() const { return wake_fd_; }
  // Everything that arrived since the last call, oldest first.
  std::vector<UpstreamNews> take();
  // Every zone takes a fresh snapshot (from the loop: a copy could not be saved).
  void resync() { resync_ = true; }

 private:
  void run();
  void post(UpstreamNews news);

  config::UpstreamSettings settings_;
  std::optional<protocol::ClientKeys> keys_;
  int wake_fd_ = -1;
  zmq::context_t context_;
  std::mutex mutex_;
  std::deque<UpstreamNews> inbox_;
  std::atomic<bool> resync_{false};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace tablo::hub
