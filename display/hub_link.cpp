#include "display/hub_link.hpp"
#include "protocol/zone_sync.hpp"

#include <spdlog/spdlog.h>
#include <zmq_addon.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include "protocol/codec.hpp"
#include "protocol/command_client.hpp"
#include "protocol/tcp_keepalive.hpp"

namespace tablo::display {

using protocol::Verdict;  // the Clone pattern's reckoning, shared with the hub's upstream link
using protocol::ZoneSync;

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto snapshot_timeout = 1000ms;
constexpr auto first_retry = 250ms;
constexpr auto longest_retry = 5000ms;

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// This screen's clock against the hub's: logged when it is a second or more off, and again
// whenever it moved a second or more since the last line, so not on every heartbeat.
void log_clock_offset(std::int64_t offset_ms, std::int64_t& logged_ms, const std::string& hub) {
  if (!moved_materially(offset_ms, logged_ms)) return;
  logged_ms = offset_ms;
  const double off = std::fabs(static_cast<double>(offset_ms)) / 1000.0;
  if (off < material_offset_ms / 1000.0) {
    spdlog::info("this screen's clock agrees with the hub's ({}) again, within {:.1f} s", hub, off);
    return;
  }
  spdlog::warn("this screen's clock is {:.1f} s {} the hub's ({}): calls and banners go by the hub's clock, but the "
               "clock on screen and the times in this screen's logs and proof of play are off from the hub's by as "
               "much; give both machines the same NTP server (timedatectl set-ntp true)",
               off, offset_ms > 0 ? "ahead of" : "behind", hub);
}

}  // namespace

HubLink::HubLink(LinkOptions options, std::function<void()> wake)
    : options_(std::move(options)), wake_(std::move(wake)), context_(1) {
  thread_ = std::thread([this] {
    try {
      run();
    } catch (const zmq::error_t& e) {
      if (e.num() != ETERM) spdlog::error("hub link stopped: {}", e.what());
    }
  });
}

HubLink::~HubLink() {
  stopping_ = true;
  context_.shutdown();  // wakes the thread out of any blocking ZeroMQ call
  thread_.join();
}

std::vector<News> HubLink::take() {
  std::lock_guard lock(mutex_);
  std::vector<News> out(std::make_move_iterator(inbox_.begin()), std::make_move_iterator(inbox_.end()));
  inbox_.clear();
  return out;
}

std::optional<HubTime> HubLink::hub_time() const {
  const auto lead = hub_lead_ms_.load();
  if (lead == no_hub_time) return std::nullopt;
  return HubTime{lead};
}

void HubLink::post(News news) {
  {
    std::lock_guard lock(mutex_);
    inbox_.push_back(std::move(news));
  }
  wake_();
}

void HubLink::run() {
  zmq::socket_t sub(context_, zmq::socket_type::sub);
  sub.set(zmq::sockopt::linger, 0);
  sub.set(zmq::sockopt::maxmsgsize, static_cast<std::int64_t>(protocol::limits::message));
  // Reconnect every 100–200 ms, no backoff (libzmq's default, as the command sockets do): a
  // restarted hub has every screen back within 0.2 s of listening, then greets it (PROTOCOL.md).
  sub.set(zmq::sockopt::reconnect_ivl, 100);
  protocol::keep_alive(sub);
  // Zones first, heartbeats last: once a heartbeat arrives the hub has every subscription.
  for (const auto& zone : options_.zones) sub.set(zmq::sockopt::subscribe, protocol::zone_topic(zone));
  sub.set(zmq::sockopt::subscribe, protocol::heartbeat_topic);
  if (options_.keys) protocol::use_curve(sub, *options_.keys);
  sub.connect(options_.events);
  protocol::CommandClient hub(context_, options_.commands, options_.keys);

  ZoneSync zones(options_.zones, options_.late_after);
  HubClock hub_clock;
  std::int64_t logged_offset_ms = 0;  // as if "agrees" had been logged: a small offset says nothing
  std::optional<std::pair<std::uint64_t, std::uint64_t>> reloads_seen;  // the last heartbeat's epoch and reloads
  bool connected = false;
  // A snapshot can be taken before the hub has our subscription, so an event published in
  // between would be missed; the first heartbeat proves the subscription, and a second
  // snapshot then closes that window.
  bool retake_on_heartbeat = false;
  auto last_heard = Clock::now();
  auto next_sync = Clock::now();
  auto retry = std::chrono::milliseconds(first_retry);
  std::uint64_t logged_rejections = 0;

  while (!stopping_) {
    auto now = Clock::now();
    const auto unsynced = zones.unsynced();
    if (!unsynced.empty() && now >= next_sync) {
      bool answered = true;
      for (const auto& name : unsynced) {
        protocol::Command ask{"", name, protocol::SnapshotRequest{}};
        auto reply = hub.request(ask, snapshot_timeout);
        const auto* snapshot = reply ? std::get_if<protocol::Snapshot>(&reply->answer) : nullptr;
        if (!snapshot) {
          if (reply) spdlog::error("the hub refused a snapshot of zone '{}'", name);
          answered = false;
          break;
        }
        zones.took(*snapshot);
        last_heard = Clock::now();
        spdlog::info("zone {}: board taken from the hub, {} calls (epoch {}, seq {})", name,
                     snapshot->board.calls.size(), snapshot->epoch, snapshot->seq);
        post(*snapshot);
      }
      now = Clock::now();
      if (answered) {
        retry = first_retry;
        next_sync = now + first_retry;  // at most one resynchronisation per zone this often
        if (!connected) {
          connected = true;
          retake_on_heartbeat = true;
          spdlog::info("connected to the hub at {}", options_.commands);
          post(LinkState{true});
        }
      } else {
        spdlog::debug("no answer from the hub at {}; next try in {:.1f} s", options_.commands, seconds(retry));
        next_sync = now + retry;
        retry = std::min(retry * 2, std::chrono::milliseconds(longest_retry));
      }
    }

    // Sleep until a message or the next thing to do: a snapshot to retry, or the moment
    // silence would mean the hub is gone. (Stopping interrupts the poll with ETERM.)
    auto deadline = Clock::now() + std::chrono::seconds(1);
    if (!zones.unsynced().empty()) deadline = std::min(deadline, next_sync);
    if (connected) deadline = std::min(deadline, last_heard + options_.offline_after);
    const auto wait = std::max(std::chrono::milliseconds(0), std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()));
    zmq::pollitem_t item{sub.handle(), 0, ZMQ_POLLIN, 0};
    try {
      zmq::poll(&item, 1, wait);
    } catch (const zmq::error_t& e) {
      if (e.num() == EINTR) continue;
      throw;
    }
    // What is queued is read before silence is judged: a screen that was frozen for a
    // while (SIGSTOP, a stalled machine) catches up from its queue, not from a snapshot.
    for (;;) {
      std::vector<zmq::message_t> parts;
      if (!zmq::recv_multipart(sub, std::back_inserter(parts), zmq::recv_flags::dontwait)) break;
      auto decoded = parts.size() == 2
                         ? protocol::decode_published(parts[0].to_string_view(), parts[1].to_string_view())
                         : protocol::Decoded<protocol::Published>(
                               protocol::Rejection{"malformed", std::to_string(parts.size()) + " frames, expected 2"});
      if (!decoded) {
        // Counted always, logged sparingly: a babbling publisher must not flood the journal.
        if (++rejected_ >= logged_rejections * 2) {
          logged_rejections = rejected_;
          spdlog::warn("dropped a message from the hub ({} so far): {}", logged_rejections, decoded.rejection().reason);
        }
        continue;
      }
      last_heard = Clock::now();
      if (!connected) next_sync = std::min(next_sync, last_heard);  // the hub is back: resynchronise now

      if (const auto* beat = std::get_if<protocol::Heartbeat>(&*decoded)) {
        hub_clock.heard(beat->epoch, beat->at, last_heard);
        const auto hub_time = hub_clock.time();
        hub_lead_ms_ = hub_time->lead_ms;
        log_clock_offset(*clock_offset_ms(hub_time), logged_offset_ms, options_.commands);
        zones.on_heartbeat(*beat);
        // Only a reload seen to happen counts: a screen that joins later already read its file.
        if (reloads_seen && reloads_seen->first == beat->epoch && beat->reloads > reloads_seen->second &&
            options_.on_hub_reload) {
          spdlog::info("the hub reloaded its settings: reading this screen's config file again");
          options_.on_hub_reload();
        }
        reloads_seen = std::pair(beat->epoch, beat->reloads);
        if (retake_on_heartbeat) {
          retake_on_heartbeat = false;
          zones.unsync_all();
          // At once, not 250 ms after the first snapshot: the hub greets a new subscriber within
          // 20 ms, and events are skipped until the second snapshot is in.
          next_sync = last_heard;
        }
        continue;
      }
      const auto& event = std::get<protocol::Event>(*decoded);
      const auto hub_time = hub_clock.time();
      switch (zones.on_event(event, hub_time ? std::optional(hub_time->unix_ms(last_heard)) : std::nullopt)) {
        case Verdict::show: post(event); break;
        case Verdict::show_quietly: post(zones.board_of(event.zone)); break;
        case Verdict::skip:
        case Verdict::resync: break;
      }
    }

    now = Clock::now();
    if (connected && now - last_heard > options_.offline_after) {
      connected = false;
      zones.unsync_all();
      spdlog::warn("no word from the hub for {:.1f} s: showing the last board marked 'no connection'",
                   seconds(now - last_heard));
      post(LinkState{false});
    }
  }
}

}  // namespace tablo::display
