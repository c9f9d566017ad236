#include "hub/hub.hpp"

#include <algorithm>

#include "hub/ticket_letters.hpp"
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

Hub::Hub(std::uint64_t epoch, config::TicketLetters letters)
    : epoch_(epoch), started_(epoch), letters_(std::move(letters)) {
  // Always listed, so `tabloctl status` shows a zero rather than nothing.
  for (const char* name : {"commands", "accepted", "refused", "rejected"}) counters_[name] = 0;
}

Handled Hub::handle(const Command& typed, std::int64_t now_unix_ms) {
  count("commands");
  // From here on, and in the journal and the events, the ticket is the one the hall reads.
  Command command = typed;
  if (auto* change = std::get_if<Change>(&command.action)) write_in(letters_.of(command.zone), *change);
  Handled handled{Reply{command.id, Refused{}}, std::nullopt};
  std::visit(
      [&](const auto& action) {
        using A = std::decay_t<decltype(action)>;
        if constexpr (std::is_same_v<A, Change>) {
          if (auto earlier = recent_.find(command, now_unix_ms)) {
            // Sent again after its reply was lost: the first answer, nothing applied twice.
            handled.reply.answer = *earlier;
            count("repeated");
            return;
          }
          handled.reply.answer = change(command, action, now_unix_ms, handled.event);
          const bool accepted = std::holds_alternative<Accepted>(handled.reply.answer);
          count(accepted ? "accepted" : "refused");
          if (accepted) count("accepted." + std::string(type_name(action)));  // calls, recalls… on their own
        } else if constexpr (std::is_same_v<A, SnapshotRequest>) {
          handled.reply.answer = snapshot(command.zone);
        } else if constexpr (std::is_same_v<A, StatusRequest>) {
          handled.reply.answer = status(now_unix_ms);
        } else if constexpr (std::is_same_v<A, ZoneRemoval>) {
          handled.reply.answer = remove_zone(command.zone, now_unix_ms);
        } else {
          // Screens' reports, relayed requests and reloads are the server's (hub/relay.cpp,
          // server.cpp): they need connections and settings, which this pure part knows nothing of.
          handled.reply.answer = Refused{"this command is answered by the hub's server, not its boards"};
        }
      },
      command.action);
  return handled;
}

void Hub::count_rejected(std::string_view kind) {
  count("rejected");
  count("rejected." + std::string(kind));
}

Handled Hub::copy_from_upstream(const std::string& zone, const Change& change, const Origin& from, std::int64_t now) {
  const Command command{"", zone, change};
  Handled handled{Reply{"", Refused{}}, std::nullopt};
  handled.reply.answer = this->change(command, change, now, handled.event, &from);
  const bool accepted = std::holds_alternative<Accepted>(handled.reply.answer);
  count(accepted ? "upstream.copied" : "upstream.refused");
  return handled;
}

void Hub::followed_to(const std::string& upstream_zone, std::uint64_t epoch, std::uint64_t seq) {
  Followed& f = followed_[upstream_zone];
  f.epoch = epoch;
  f.seq = seq;
}

Answer Hub::change(const Command& command, const Change& change, std::int64_t now, std::optional<Event>& event,
                   const Origin* from) {
  const std::string& zone_name = command.zone;
  auto zone = zones_.find(zone_name);
  auto refuse = [&](std::string why) {
    Answer answer = Refused{std::move(why)};
    recent_.remember(command, answer, now);
    return answer;
  };
  if (zone == zones_.end() && zones_.size() >= max_zones) {
    return refuse("zone '" + zone_name + "' would be one too many: the hub keeps at most " +
                  std::to_string(max_zones) + " zones (check the zone name the sender uses)");
  }
  if (auto ticket = ticket_it_needs(change)) {
    if (zone == zones_.end() || !find_call(zone->second.board, *ticket)) {
      return refuse("ticket " + *ticket + " is not on the board of zone '" + zone_name + "'");
    }
  }
  Zone next{apply(zone == zones_.end() ? Board{} : zone->second.board, change, now),
            zone == zones_.end() ? 1 : zone->second.seq + 1};
  Event made{zone_name, epoch_, next.seq, now, change};
  if (recorder_) {
    try {
      recorder_(Recorded{command.id, made, from ? std::optional(*from) : std::nullopt});
    } catch (const std::exception& e) {
      // Not remembered: a retry should try to save it again.
      return Refused{std::string("the hub could not save the change, so it did not make it: ") + e.what()};
    }
  }
  zones_[zone_name] = std::move(next);
  if (from) {
    // As the upstream has it: its clock, so that its announcement ends here when it ends there.
    Followed& f = followed_[from->zone];
    f = Followed{from->epoch, from->seq, apply(std::move(f.board), change, from->at)};
  }
  event = std::move(made);
  Answer answer = Accepted{epoch_, event->seq};
  recent_.remember(command, answer, now);
  return answer;
}

Answer Hub::remove_zone(const std::string& zone_name, std::int64_t now) {
  if (!zones_.contains(zone_name)) {
    return Refused{"zone '" + zone_name + "' has no board on this hub, so there is nothing to remove (tabloctl status "
                   "lists the zones)"};
  }
  if (remover_) {
    try {
      remover_(ZoneRemoved{zone_name, now});
    } catch (const std::exception& e) {
      return Refused{std::string("the hub could not save the removal, so zone '") + zone_name + "' stays: " + e.what()};
    }
  }
  zones_.erase(zone_name);
  // Its numbers may start again at 1: a new epoch tells every screen to take a fresh board.
  epoch_ = std::max(epoch_ + 1, static_cast<std::uint64_t>(std::max<std::int64_t>(now, 0)));
  count("zones_removed");
  return Accepted{epoch_, 0};
}

Snapshot Hub::snapshot(const std::string& zone_name) const {
  // A zone nobody has changed yet is an empty board at seq 0; asking does not create it,
  // so displays of a mistyped zone cannot use up the zone limit.
  auto zone = zones_.find(zone_name);
  if (zone == zones_.end()) return Snapshot{zone_name, epoch_, 0, Board{}};
  return Snapshot{zone_name, epoch_, zone->second.seq, zone->second.board};
}

void Hub::restore(const SavedState& saved, std::int64_t now_unix_ms) {
  for (const auto& [name, zone] : saved.zones) zones_[name] = Zone{in_alphabet(zone.board, letters_.of(name)), zone.seq};
  lost_ = saved.lost;
  followed_ = saved.upstream;
  for (const auto& r : saved.recent) {
    Change change = r.event.change;
    write_in(letters_.of(r.event.zone), change);
    recent_.remember(Command{r.id, r.event.zone, change}, Accepted{r.event.epoch, r.event.seq}, r.event.at);
  }
  recent_.forget_old(now_unix_ms);
}

SavedState Hub::saved() const {
  SavedState s;
  for (const auto& [name, zone] : zones_) s.zones[name] = SavedZone{zone.board, zone.seq};
  s.recent = recent_.accepted();
  s.upstream = followed_;
  return s;
}

Heartbeat Hub::heartbeat(std::int64_t now_unix_ms) const {
  Heartbeat beat{epoch_, now_unix_ms, {}, reloads_};
  for (const auto& [name, zone] : zones_) beat.seqs[name] = zone.seq;
  return beat;
}

Status Hub::status(std::int64_t now) const {
  Status s;
  s.hub_version = tablo::version;
  s.epoch = epoch_;
  s.uptime_s = std::max<std::int64_t>(0, (now - static_cast<std::int64_t>(started_)) / 1000);
  for (const auto& [name, zone] : zones_) s.zones[name] = ZoneStatus{zone.seq, zone.board.calls.size()};
  s.journal_lost = lost_;
  s.counters = counters_;
  s.connections = peers_;
  s.max_connections = max_connections_;
  return s;
}

}  // namespace tablo::hub
