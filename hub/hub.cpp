#include "hub/hub.hpp"

#include <algorithm>

#include "protocol/board.hpp"
#include "tablo/version.hpp"

namespace tablo::hub {
namespace {

using namespace tablo::protocol;

// The ticket a change needs on the board: one cannot recall, finish or cancel a call
// that is not up.
std::optional<std::string> ticket_it_needs(const Change& change) {
  if (auto* r = std::get_if<Recalled>(&change)) return r->ticket;
  if (auto* f = std::get_if<Finished>(&change)) return f->ticket;
  if (auto* c = std::get_if<Cancelled>(&change)) return c->ticket;
  return std::nullopt;
}

}  // namespace

Hub::Hub(std::uint64_t epoch) : epoch_(epoch) {
  // Always listed, so `tabloctl status` shows a zero rather than nothing.
  for (const char* name : {"commands", "accepted", "refused", "rejected"}) counters_[name] = 0;
}

Handled Hub::handle(const Command& command, std::int64_t now_unix_ms) {
  count("commands");
  Handled handled{Reply{command.id, Refused{}}, std::nullopt};
  std::visit(
      [&](const auto& action) {
        using A = std::decay_t<decltype(action)>;
        if constexpr (std::is_same_v<A, Change>) {
          handled.reply.answer = change(command.zone, action, now_unix_ms, handled.event);
          count(std::holds_alternative<Accepted>(handled.reply.answer) ? "accepted" : "refused");
        } else if constexpr (std::is_same_v<A, SnapshotRequest>) {
          handled.reply.answer = snapshot(command.zone);
        } else {
          handled.reply.answer = status(now_unix_ms);
        }
      },
      command.action);
  return handled;
}

void Hub::count_rejected(std::string_view kind) {
  count("rejected");
  count("rejected." + std::string(kind));
}

Answer Hub::change(const std::string& zone_name, const Change& change, std::int64_t now,
                   std::optional<Event>& event) {
  auto zone = zones_.find(zone_name);
  if (zone == zones_.end() && zones_.size() >= max_zones) {
    return Refused{"zone '" + zone_name + "' would be one too many: the hub keeps at most " +
                   std::to_string(max_zones) + " zones (check the zone name the sender uses)"};
  }
  if (auto ticket = ticket_it_needs(change)) {
    if (zone == zones_.end() || !find_call(zone->second.board, *ticket)) {
      return Refused{"ticket " + *ticket + " is not on the board of zone '" + zone_name + "'"};
    }
  }
  if (zone == zones_.end()) zone = zones_.emplace(zone_name, Zone{}).first;
  Zone& z = zone->second;
  z.board = apply(std::move(z.board), change, now);
  ++z.seq;
  event = Event{zone_name, epoch_, z.seq, now, change};
  return Accepted{epoch_, z.seq};
}

Snapshot Hub::snapshot(const std::string& zone_name) const {
  // A zone nobody has changed yet is an empty board at seq 0; asking does not create it,
  // so displays of a mistyped zone cannot use up the zone limit.
  auto zone = zones_.find(zone_name);
  if (zone == zones_.end()) return Snapshot{zone_name, epoch_, 0, Board{}};
  return Snapshot{zone_name, epoch_, zone->second.seq, zone->second.board};
}

Status Hub::status(std::int64_t now) const {
  Status s;
  s.hub_version = tablo::version;
  s.epoch = epoch_;
  s.uptime_s = std::max<std::int64_t>(0, (now - static_cast<std::int64_t>(epoch_)) / 1000);
  for (const auto& [name, zone] : zones_) s.zones[name] = ZoneStatus{zone.seq, zone.board.calls.size()};
  s.counters = counters_;
  return s;
}

}  // namespace tablo::hub
