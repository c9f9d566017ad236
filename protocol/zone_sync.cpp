#include "protocol/zone_sync.hpp"

#include <spdlog/spdlog.h>

#include "protocol/board.hpp"

namespace tablo::protocol {

ZoneSync::ZoneSync(const std::vector<std::string>& zones, std::chrono::milliseconds late_after)
    : late_after_(late_after) {
  for (const auto& zone : zones) zones_[zone] = {};
}

std::vector<std::string> ZoneSync::unsynced() const {
  std::vector<std::string> out;
  for (const auto& [name, zone] : zones_) {
    if (!zone.synced) out.push_back(name);
  }
  return out;
}

bool ZoneSync::synced(const std::string& zone) const {
  auto it = zones_.find(zone);
  return it != zones_.end() && it->second.synced;
}

void ZoneSync::unsync_all() {
  for (auto& [name, zone] : zones_) zone.synced = false;
}

void ZoneSync::took(const Snapshot& snapshot) {
  auto it = zones_.find(snapshot.zone);
  if (it == zones_.end()) return;
  it->second = Zone{snapshot.epoch, snapshot.seq, snapshot.board, true};
}

Verdict ZoneSync::on_event(const Event& event, std::optional<std::int64_t> hub_now_ms) {
  auto it = zones_.find(event.zone);
  if (it == zones_.end() || !it->second.synced) return Verdict::skip;  // the coming snapshot covers it
  Zone& zone = it->second;
  if (event.epoch != zone.epoch) {
    spdlog::info("zone {}: the hub restarted (epoch {} → {}), taking a fresh board", event.zone, zone.epoch,
                 event.epoch);
    zone.synced = false;
    return Verdict::resync;
  }
  if (event.seq <= zone.seq) return Verdict::skip;
  if (event.seq > zone.seq + 1) {
    spdlog::warn("zone {}: missed changes {}–{}, taking a fresh board", event.zone, zone.seq + 1, event.seq - 1);
    zone.synced = false;
    return Verdict::resync;
  }
  zone.seq = event.seq;
  zone.board = apply(std::move(zone.board), event.change, event.at);
  // Compared before subtracting: `at` is whatever the hub sent, up to 2^63−1.
  if (!hub_now_ms || *hub_now_ms <= event.at || *hub_now_ms - event.at <= late_after_.count()) return Verdict::show;
  spdlog::info("zone {}: change {} arrived {:.1f} s after the hub made it, by the hub's clock: shown on the board "
               "without a pop-up",
               event.zone, event.seq, static_cast<double>(*hub_now_ms - event.at) / 1000.0);
  return Verdict::show_quietly;
}

void ZoneSync::on_heartbeat(const Heartbeat& heartbeat) {
  for (auto& [name, zone] : zones_) {
    if (!zone.synced) continue;
    if (zone.epoch != heartbeat.epoch) {
      spdlog::info("zone {}: the hub restarted (epoch {} → {}), taking a fresh board", name, zone.epoch,
                   heartbeat.epoch);
      zone.synced = false;
      continue;
    }
    auto latest = heartbeat.seqs.find(name);
    if (latest != heartbeat.seqs.end() && latest->second > zone.seq) {
      spdlog::warn("zone {}: the hub is at change {} but only up to {} arrived here, taking a fresh board", name,
                   latest->second, zone.seq);
      zone.synced = false;
    }
  }
}

Snapshot ZoneSync::board_of(const std::string& zone) const {
  auto it = zones_.find(zone);
  if (it == zones_.end()) return Snapshot{zone, 0, 0, {}};
  return Snapshot{zone, it->second.epoch, it->second.seq, it->second.board};
}

}  // namespace tablo::protocol
