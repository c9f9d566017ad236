#pragma once
// The screen's connection to the hub, on its own thread: subscribes to its zones' events,
// takes snapshots when it joins, when it missed something (a gap in the sequence) and when
// the hub restarted (a new epoch), and notices when the hub falls silent. What it learns
// arrives at the screen as News, in order, already checked.
#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include <zmq.hpp>

#include "display/hub_clock.hpp"
#include "protocol/curve_keys.hpp"
#include "protocol/messages.hpp"

namespace tablo::display {

struct LinkState {
  bool connected = false;
};
using News = std::variant<protocol::Event, protocol::Snapshot, LinkState>;

struct LinkOptions {
  std::string commands;  // the hub's command endpoint (snapshots)
  std::string events;    // the hub's event endpoint
  std::vector<std::string> zones;
  std::chrono::milliseconds offline_after{3500};  // about three missed heartbeats of 1 s
  std::chrono::milliseconds late_after{30000};    // a change older than this on arrival pops nothing up
  std::optional<protocol::ClientKeys> keys{};     // CURVE on both sockets, when the hub uses keys
  std::function<void()> on_hub_reload{};          // the hub reloaded its settings (from the link's thread)
};

class HubLink {
 public:
  // `wake` is called from the link's thread whenever news is waiting.
  HubLink(LinkOptions options, std::function<void()> wake);
  ~HubLink();
  HubLink(const HubLink&) = delete;
  HubLink& operator=(const HubLink&) = delete;

  // Everything that arrived since the last call, oldest first.
  std::vector<News> take();

  // Frames from the hub that could not be decoded and were dropped.
  std::uint64_t rejected() const { return rejected_; }

  // The hub's clock as reckoned from its heartbeats (display/hub_clock.hpp); nothing before the first.
  std::optional<HubTime> hub_time() const;

 private:
  // No lead is this far: hub times are ≥ 0, and the steady clock counts from the machine's start.
  static constexpr std::int64_t no_hub_time = std::numeric_limits<std::int64_t>::min();

  void run();
  void post(News news);

  LinkOptions options_;
  std::function<void()> wake_;
  zmq::context_t context_;
  std::mutex mutex_;
  std::deque<News> inbox_;
  std::atomic<std::uint64_t> rejected_{0};
  std::atomic<std::int64_t> hub_lead_ms_{no_hub_time};  // HubTime::lead_ms, shared with the screen's thread
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace tablo::display
