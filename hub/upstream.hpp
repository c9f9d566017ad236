#pragma once
// A branch hub following its regional hub ([hub.upstream], docs/OPERATIONS.md, "A region"), on
// the hub's loop: takes what the link (hub/upstream_link.hpp) brought and copies the region's
// content — ticker, announcement, pushed playlist — into the local zones that show it, as the
// hub's own journaled changes marked with where they came from. Calls are never taken.
//
// No change is copied twice: a change from there moves the upstream zone's Followed on (in the
// journal with the copy); a snapshot from there — after a restart of either hub, a gap, a lost
// link — is compared with Followed, and only what differs is copied.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/settings.hpp"
#include "hub/saved_state.hpp"
#include "hub/upstream_link.hpp"
#include "protocol/messages.hpp"

namespace tablo::hub {

class Hub;
class MediaCommands;

class Upstream {
 public:
  // Starts the link's thread. Throws protocol::KeyError. `media`: the library a region's
  // playlist is checked against; none: not checked.
  Upstream(const config::UpstreamSettings& settings, Hub& hub, const MediaCommands* media);

  // Readable when the link has news: then call take().
  int wake_fd() const { return link_.wake_fd(); }
  // Applies what the link brought; the local changes it made, to publish.
  std::vector<protocol::Event> take(std::int64_t now_unix_ms);
  // Adds the link to a `status` answer.
  void add_status(protocol::Answer& answer) const;

 private:
  using Clock = std::chrono::steady_clock;
  void took(const protocol::Snapshot& snapshot, std::int64_t now, std::vector<protocol::Event>& out);
  void on_event(const protocol::Event& event, std::int64_t now, std::vector<protocol::Event>& out);
  // Copies one change into every local zone of `zone`; false when one of them refused it.
  bool copy(const std::string& zone, const protocol::Change& change, const Origin& from, std::int64_t now,
            std::vector<protocol::Event>& out);
  void check_media(const std::string& zone, const protocol::PlaylistMedia& media) const;

  config::UpstreamSettings settings_;
  Hub& hub_;
  const MediaCommands* media_;
  UpstreamLink link_;
  bool connected_ = false;
  Clock::time_point changed_ = Clock::now();
  std::map<std::string, std::uint64_t> latest_;  // the regional hub's latest seq per zone, from its heartbeats
  std::optional<Clock::time_point> retry_at_;    // a copy failed: a fresh snapshot then
};

}  // namespace tablo::hub
