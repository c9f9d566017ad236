#include "hub/upstream_link.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <zmq_addon.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

#include "protocol/codec.hpp"
#include "protocol/command_client.hpp"
#include "protocol/tcp_keepalive.hpp"
#include "protocol/zone_sync.hpp"

namespace tablo::hub {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto snapshot_timeout = 1000ms;
constexpr auto first_retry = 250ms;
constexpr auto longest_retry = 5000ms;
constexpr auto unanswered_warning = 60s;  // and again as often, while the region stays silent

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::vector<std::string> zones_of(const config::UpstreamSettings& settings) {
  std::vector<std::string> zones;
  for (const auto& [zone, into] : settings.zones) zones.push_back(zone);
  return zones;
}

}  // namespace

UpstreamLink::UpstreamLink(const config::UpstreamSettings& settings) : settings_(settings), context_(1) {
  if (!settings_.secret_key.empty()) keys_ = protocol::read_client_keys(settings_.secret_key, settings_.hub_public_key);
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) throw std::runtime_error(std::string("cannot make an eventfd for the region link: ") + std::strerror(errno));
  thread_ = std::thread([this] {
    try {
      run();
    } catch (const zmq::error_t& e) {
      if (e.num() != ETERM) spdlog::error("region link stopped: {}; the branch plays on with what it has", e.what());
    }
  });
}

UpstreamLink::~UpstreamLink() {
  stopping_ = true;
  context_.shutdown();  // wakes the thread out of any blocking ZeroMQ call
  thread_.join();
  ::close(wake_fd_);
}

std::vector<UpstreamNews> UpstreamLink::take() {
  std::uint64_t ignored = 0;
  [[maybe_unused]] auto n = ::read(wake_fd_, &ignored, sizeof ignored);
  std::lock_guard lock(mutex_);
  std::vector<UpstreamNews> out(std::make_move_iterator(inbox_.begin()), std::make_move_iterator(inbox_.end()));
  inbox_.clear();
  return out;
}

void UpstreamLink::post(UpstreamNews news) {
  {
    std::lock_guard lock(mutex_);
    inbox_.push_back(std::move(news));
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
}

void UpstreamLink::run() {
  const auto zone_names = zones_of(settings_);
  const auto offline_after = std::chrono::milliseconds(static_cast<std::int64_t>(settings_.offline_after_seconds * 1000));
  zmq::socket_t sub(context_, zmq::socket_type::sub);
  sub.set(zmq::sockopt::linger, 0);
  sub.set(zmq::sockopt::maxmsgsize, static_cast<std::int64_t>(protocol::limits::message));
  sub.set(zmq::sockopt::reconnect_ivl, 250);
  // Back within 2 s of the region's return: a branch is one peer of dozens, not of thousands.
  sub.set(zmq::sockopt::reconnect_ivl_max, 2000);
  protocol::keep_alive(sub);
  // Zones first, heartbeats last: once a heartbeat arrives the regional hub has every subscription.
  for (const auto& zone : zone_names) sub.set(zmq::sockopt::subscribe, protocol::zone_topic(zone));
  sub.set(zmq::sockopt::subscribe, protocol::heartbeat_topic);
  if (keys_) protocol::use_curve(sub, *keys_);
  sub.connect(settings_.events);
  protocol::CommandClient upstream(context_, settings_.commands, keys_);

  // Changes are never "late" here: whatever the region made is taken, however old.
  protocol::ZoneSync zones(zone_names, std::chrono::hours(24 * 365));
  bool connected = false;
  // As the screens do: a snapshot taken before the subscription reached the regional hub could
  // miss a change, so the first heartbeat (which proves the subscription) takes one more.
  bool retake_on_heartbeat = false;
  auto last_heard = Clock::now();
  auto next_sync = Clock::now();
  auto retry = std::chrono::milliseconds(first_retry);
  auto silent_since = Clock::now();  // since the start, or since the link was lost
  auto warned_at = Clock::now() - unanswered_warning;
  std::uint64_t rejected = 0, logged_rejections = 0;

  while (!stopping_) {
    if (resync_.exchange(false)) zones.unsync_all();
    auto now = Clock::now();
    const auto unsynced = zones.unsynced();
    if (!unsynced.empty() && now >= next_sync) {
      bool answered = true;
      for (const auto& name : unsynced) {
        auto reply = upstream.request(protocol::Command{"", name, protocol::SnapshotRequest{}}, snapshot_timeout);
        const auto* snapshot = reply ? std::get_if<protocol::Snapshot>(&reply->answer) : nullptr;
        if (!snapshot) {
          if (const auto* refused = reply ? std::get_if<protocol::Refused>(&reply->answer) : nullptr) {
            spdlog::error("region: the regional hub at {} refused a snapshot of zone '{}': {}", settings_.commands,
                          name, refused->error);
          }
          answered = false;
          break;
        }
        zones.took(*snapshot);
        last_heard = Clock::now();
        post(*snapshot);
      }
      now = Clock::now();
      if (answered) {
        retry = first_retry;
        next_sync = now + first_retry;  // at most one resynchronisation per zone this often
        if (!connected) {
          connected = true;
          retake_on_heartbeat = true;
          post(UpstreamState{true});
        }
      } else {
        spdlog::debug("region: no answer from the regional hub at {}; next try in {:.1f} s", settings_.commands,
                      seconds(retry));
        if (!connected && now - silent_since >= unanswered_warning && now - warned_at >= unanswered_warning) {
          warned_at = now;
          spdlog::warn("region: the regional hub at {} has not answered for {:.0f} s; the branch plays on with what "
                       "it has. Check that it runs and is reachable from here{}",
                       settings_.commands, seconds(now - silent_since),
                       keys_ ? ", and that this hub's public key is in its authorised keys (role display)" : "");
        }
        next_sync = now + retry;
        retry = std::min(retry * 2, std::chrono::milliseconds(longest_retry));
      }
    }

    auto deadline = Clock::now() + 1s;
    if (!zones.unsynced().empty()) deadline = std::min(deadline, next_sync);
    if (connected) deadline = std::min(deadline, last_heard + offline_after);
    const auto wait = std::max(0ms, std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()));
    zmq::pollitem_t item{sub.handle(), 0, ZMQ_POLLIN, 0};
    try {
      zmq::poll(&item, 1, wait);
    } catch (const zmq::error_t& e) {
      if (e.num() == EINTR) continue;
      throw;
    }
    for (;;) {
      std::vector<zmq::message_t> parts;
      if (!zmq::recv_multipart(sub, std::back_inserter(parts), zmq::recv_flags::dontwait)) break;
      auto decoded = parts.size() == 2
                         ? protocol::decode_published(parts[0].to_string_view(), parts[1].to_string_view())
                         : protocol::Decoded<protocol::Published>(
                               protocol::Rejection{"malformed", std::to_string(parts.size()) + " frames, expected 2"});
      if (!decoded) {
        if (++rejected >= logged_rejections * 2) {
          logged_rejections = rejected;
          spdlog::warn("region: dropped a message from the regional hub ({} so far): {}", rejected,
                       decoded.rejection().reason);
        }
        continue;
      }
      last_heard = Clock::now();
      if (!connected) next_sync = std::min(next_sync, last_heard);  // the region is back: resynchronise now
      if (const auto* beat = std::get_if<protocol::Heartbeat>(&*decoded)) {
        zones.on_heartbeat(*beat);
        post(UpstreamHeard{beat->epoch, beat->seqs});
        if (retake_on_heartbeat) {
          retake_on_heartbeat = false;
          zones.unsync_all();
        }
        continue;
      }
      const auto& event = std::get<protocol::Event>(*decoded);
      const auto verdict = zones.on_event(event, std::nullopt);
      if (verdict == protocol::Verdict::show || verdict == protocol::Verdict::show_quietly) post(event);
    }

    now = Clock::now();
    if (connected && now - last_heard > offline_after) {
      connected = false;
      silent_since = now;
      zones.unsync_all();
      spdlog::warn("region link lost: no word from the regional hub at {} for {:.1f} s; the branch plays on with "
                   "the region's content it has and catches up when the link returns",
                   settings_.commands, seconds(now - last_heard));
      post(UpstreamState{false});
    }
  }
}

}  // namespace tablo::hub
