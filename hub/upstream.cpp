#include "hub/upstream.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "hub/hub.hpp"
#include "hub/media_commands.hpp"
#include "protocol/codec.hpp"
#include "protocol/describe.hpp"

namespace tablo::hub {
namespace {

using namespace tablo::protocol;

constexpr auto retry_after = std::chrono::seconds(10);

// What a branch takes from its region: content for every hall, never the queue.
bool region_content(const Change& change) {
  return std::holds_alternative<TickerSet>(change) || std::holds_alternative<Announced>(change) ||
         std::holds_alternative<PlaylistSet>(change);
}

Board region_of(Board board) {
  board.calls.clear();
  return board;
}

bool running(const std::optional<Announcement>& a, std::int64_t now) { return a && a->until > now; }

// A change to make, and the upstream's clock it is made at (so that Followed ends up as the
// upstream's board).
struct Difference {
  Change change;
  std::int64_t at;
};

// What turns `had` (as last taken) into `has` (the region's board now).
std::vector<Difference> differences(const Board& had, const Board& has, std::int64_t now) {
  std::vector<Difference> out;
  if (has.ticker != had.ticker) out.push_back({TickerSet{has.ticker}, now});
  if (has.announcement != had.announcement) {
    if (running(has.announcement, now)) {
      // The time it has left there, in whole seconds, and made as long ago as makes it end there.
      const std::int64_t left_ms = has.announcement->until - now;
      const int seconds = static_cast<int>(std::min<std::int64_t>((left_ms + 999) / 1000, limits::announcement_seconds));
      out.push_back({Announced{has.announcement->text, seconds}, has.announcement->until - std::int64_t{seconds} * 1000});
    } else if (running(had.announcement, now)) {
      out.push_back({Announced{""}, now});  // taken down there while this branch was away
    }
  }
  if (has.playlist != had.playlist || has.playlist_media != had.playlist_media) {
    out.push_back({PlaylistSet{has.playlist, has.playlist_media}, now});
  }
  return out;
}

std::string listed(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

Upstream::Upstream(const config::UpstreamSettings& settings, Hub& hub, const MediaCommands* media)
    : settings_(settings), hub_(hub), media_(media), link_(settings) {
  for (const auto& [zone, into] : settings_.zones) {
    spdlog::info("region: following zone {} of the regional hub at {}, shown in zone(s) {}", zone, settings_.commands,
                 listed(into));
  }
}

std::vector<Event> Upstream::take(std::int64_t now) {
  std::vector<Event> out;
  for (auto& news : link_.take()) {
    if (const auto* snapshot = std::get_if<Snapshot>(&news)) {
      took(*snapshot, now, out);
    } else if (const auto* event = std::get_if<Event>(&news)) {
      on_event(*event, now, out);
    } else if (const auto* heard = std::get_if<UpstreamHeard>(&news)) {
      latest_ = heard->seqs;
    } else {
      const bool up = std::get<UpstreamState>(news).connected;
      if (up != connected_) changed_ = Clock::now();
      connected_ = up;
      if (up) spdlog::info("region link up: the regional hub at {} answers", settings_.commands);
    }
  }
  // Heartbeats come every second or so: a copy that could not be saved is tried again soon,
  // not in a loop that fills the log while the disk stays full.
  if (retry_at_ && Clock::now() >= *retry_at_) {
    retry_at_.reset();
    link_.resync();
  }
  return out;
}

void Upstream::took(const Snapshot& snapshot, std::int64_t now, std::vector<Event>& out) {
  const auto followed = hub_.followed().find(snapshot.zone);
  const Followed before = followed == hub_.followed().end() ? Followed{} : followed->second;
  Board region = region_of(snapshot.board);
  const auto changes = differences(before.board, region, now);
  bool saved = true;
  std::string what;
  for (const auto& d : changes) {
    saved = copy(snapshot.zone, d.change, Origin{snapshot.zone, snapshot.epoch, snapshot.seq, d.at}, now, out) && saved;
    what += (what.empty() ? "" : ", ") + std::string(type_name(d.change));
  }
  if (!saved) {
    hub_.follow(snapshot.zone, before);  // what did not take is copied at the next snapshot
    retry_at_ = Clock::now() + retry_after;
    return;
  }
  hub_.follow(snapshot.zone, Followed{snapshot.epoch, snapshot.seq, std::move(region)});
  if (changes.empty()) {
    // The link's first boards after joining or a loss come before it says it is up: worth a line.
    spdlog::log(connected_ ? spdlog::level::debug : spdlog::level::info,
                "region: caught up with zone {} (epoch {}, seq {}): nothing new", snapshot.zone, snapshot.epoch,
                snapshot.seq);
  } else {
    spdlog::info("region: caught up with zone {} (epoch {}, seq {}): copied {}", snapshot.zone, snapshot.epoch,
                 snapshot.seq, what);
  }
}

void Upstream::on_event(const Event& event, std::int64_t now, std::vector<Event>& out) {
  if (!region_content(event.change)) {
    // Calls are the regional office's own hall's business, never a branch's.
    spdlog::debug("region: zone {} seq {} is a {}, not region content: not taken", event.zone, event.seq,
                  type_name(event.change));
    hub_.followed_to(event.zone, event.epoch, event.seq);
    return;
  }
  const auto followed = hub_.followed().find(event.zone);
  const Followed before = followed == hub_.followed().end() ? Followed{} : followed->second;
  if (!copy(event.zone, event.change, Origin{event.zone, event.epoch, event.seq, event.at}, now, out)) {
    hub_.follow(event.zone, before);  // so that the next snapshot finds the difference and copies it
    retry_at_ = Clock::now() + retry_after;
  }
}

bool Upstream::copy(const std::string& zone, const Change& change, const Origin& from, std::int64_t now,
                    std::vector<Event>& out) {
  if (const auto* playlist = std::get_if<PlaylistSet>(&change)) check_media(zone, playlist->media);
  auto into = settings_.zones.find(zone);
  if (into == settings_.zones.end()) return true;
  bool saved = true;
  for (const auto& local : into->second) {
    auto handled = hub_.copy_from_upstream(local, change, from, now);
    if (const auto* refused = std::get_if<Refused>(&handled.reply.answer)) {
      spdlog::error("region: could not copy {} from zone {} (seq {}) into zone {}: {}; it is taken again at the "
                    "link's next snapshot, in 10 s",
                    describe(change), zone, from.seq, local, refused->error);
      saved = false;
      continue;
    }
    spdlog::info("region: {} from zone {} (epoch {}, seq {}) → zone {}, seq {}", describe(change), zone, from.epoch,
                 from.seq, local, handled.event->seq);
    out.push_back(std::move(*handled.event));
  }
  return saved;
}

void Upstream::check_media(const std::string& zone, const PlaylistMedia& media) const {
  if (!media_) return;
  const auto missing = media_->lacking(media);
  if (missing.empty()) return;
  spdlog::warn("region: the playlist of zone {} names {} file(s) this branch's media library lacks: {}. Its screens "
               "keep their playlist until the files are here: add the same files to this hub (tabloctl media add), "
               "or ask the regional office for them",
               zone, missing.size(), listed(missing));
}

void Upstream::add_status(Answer& answer) const {
  auto* status = std::get_if<Status>(&answer);
  if (!status) return;
  UpstreamStatus u{settings_.commands, connected_,
                   std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - changed_).count(), {}};
  for (const auto& [zone, into] : settings_.zones) {
    UpstreamZoneStatus z{into, 0, 0, 0, {}};
    if (auto f = hub_.followed().find(zone); f != hub_.followed().end()) {
      z.epoch = f->second.epoch;
      z.seq = f->second.seq;
      if (media_) z.missing_media = media_->lacking(f->second.board.playlist_media);
    }
    if (auto latest = latest_.find(zone); latest != latest_.end()) z.latest = latest->second;
    u.zones[zone] = std::move(z);
  }
  status->upstream = std::move(u);
}

}  // namespace tablo::hub
