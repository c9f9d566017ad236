#include "web/board_watch.hpp"

#include <spdlog/spdlog.h>

#include <functional>
#include <set>

#include "protocol/board.hpp"
#include "protocol/codec.hpp"
#include "protocol/command_client.hpp"
#include "protocol/tcp_keepalive.hpp"

namespace tablo::web {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {
// Three missed heartbeats (about a second each): the hub is gone, as a screen reckons it.
constexpr auto silence = 3500ms;
}  // namespace

BoardWatch::BoardWatch(zmq::context_t& context, std::string commands, std::string events, std::vector<std::string> zones,
                       std::optional<protocol::ClientKeys> keys)
    : context_(context), commands_(std::move(commands)), events_(std::move(events)), zone_names_(std::move(zones)),
      keys_(std::move(keys)) {
  for (const auto& zone : zone_names_) zones_[zone].snapshot.zone = zone;
  thread_ = std::thread([this] { run(); });
}

BoardWatch::~BoardWatch() {
  stop_ = true;
  changed_.notify_all();
  thread_.join();
}

std::optional<ZoneBoard> BoardWatch::board(const std::string& zone) const {
  std::lock_guard lock(mutex_);
  const auto it = zones_.find(zone);
  if (it == zones_.end()) return std::nullopt;
  return it->second;
}

std::optional<ZoneBoard> BoardWatch::wait_newer(const std::string& zone, std::uint64_t seen,
                                                std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  const auto it = zones_.find(zone);
  if (it == zones_.end()) return std::nullopt;
  if (!changed_.wait_for(lock, timeout, [&] { return stop_ || it->second.version > seen; }) || stop_) return std::nullopt;
  return it->second;
}

void BoardWatch::set(const std::string& zone, const std::function<void(ZoneBoard&)>& change) {
  {
    std::lock_guard lock(mutex_);
    auto& z = zones_[zone];
    change(z);
    ++z.version;
  }
  changed_.notify_all();
}

void BoardWatch::run() {
  protocol::CommandClient client(context_, commands_, keys_);
  zmq::socket_t sub(context_, zmq::socket_type::sub);
  sub.set(zmq::sockopt::linger, 0);
  sub.set(zmq::sockopt::maxmsgsize, static_cast<std::int64_t>(2 * protocol::limits::message));
  protocol::keep_alive(sub);
  if (keys_) protocol::use_curve(sub, *keys_);
  for (const auto& zone : zone_names_) sub.set(zmq::sockopt::subscribe, protocol::zone_topic(zone));
  sub.set(zmq::sockopt::subscribe, protocol::heartbeat_topic);
  sub.connect(events_);

  std::set<std::string> unsynced(zone_names_.begin(), zone_names_.end());
  auto heard = Clock::now();
  bool live = false;
  while (!stop_) {
    for (auto it = unsynced.begin(); it != unsynced.end() && !stop_;) {
      const auto reply = client.request(protocol::Command{"", *it, protocol::SnapshotRequest{}}, 1000ms);
      const auto* snapshot = reply ? std::get_if<protocol::Snapshot>(&reply->answer) : nullptr;
      if (!snapshot) break;  // the hub is not answering: try again after the next poll
      set(*it, [&](ZoneBoard& z) {
        z.snapshot = *snapshot;
        z.live = true;
      });
      heard = Clock::now();
      live = true;
      it = unsynced.erase(it);
    }
    zmq::pollitem_t item{sub.handle(), 0, ZMQ_POLLIN, 0};
    try {
      zmq::poll(&item, 1, unsynced.empty() ? 250ms : 100ms);
    } catch (const zmq::error_t& e) {
      if (e.num() != EINTR) throw;
    }
    if (live && Clock::now() - heard > silence) {
      spdlog::warn("no word from the hub at {} for {} s: the console shows the last board it had",
                   events_, std::chrono::duration_cast<std::chrono::seconds>(silence).count());
      live = false;
      for (const auto& zone : zone_names_) set(zone, [](ZoneBoard& z) { z.live = false; });
      unsynced.insert(zone_names_.begin(), zone_names_.end());
    }
    while (!stop_) {
      zmq::message_t topic, body;
      if (!sub.recv(topic, zmq::recv_flags::dontwait)) break;
      if (!topic.more() || !sub.recv(body, zmq::recv_flags::dontwait)) continue;
      const auto published = protocol::decode_published(topic.to_string_view(), body.to_string_view());
      if (!published) continue;
      heard = Clock::now();
      if (const auto* hb = std::get_if<protocol::Heartbeat>(&*published)) {
        std::lock_guard lock(mutex_);
        for (auto& [name, z] : zones_) {
          const auto seq = hb->seqs.find(name);
          if (z.snapshot.epoch != hb->epoch || (seq != hb->seqs.end() && seq->second > z.snapshot.seq)) unsynced.insert(name);
        }
        continue;
      }
      const auto& event = std::get<protocol::Event>(*published);
      if (unsynced.count(event.zone)) continue;
      const auto current = board(event.zone);
      if (!current) continue;
      if (event.epoch != current->snapshot.epoch || event.seq > current->snapshot.seq + 1) {
        unsynced.insert(event.zone);
      } else if (event.seq == current->snapshot.seq + 1) {
        set(event.zone, [&](ZoneBoard& z) {
          z.snapshot.board = protocol::apply(std::move(z.snapshot.board), event.change, event.at);
          z.snapshot.seq = event.seq;
          z.live = true;
        });
      }
    }
  }
}

}  // namespace tablo::web
