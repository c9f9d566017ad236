#include "hub/journal_format.hpp"

#include <zlib.h>

#include <cstdio>

#include <nlohmann/json.hpp>

namespace tablo::hub {
namespace {

using json = nlohmann::json;
using namespace tablo::protocol;

Rejection damaged(std::string reason) { return Rejection{"invalid-field", std::move(reason)}; }

json origin_json(const Origin& from) {
  return json{{"upstream", from.zone}, {"epoch", from.epoch}, {"seq", from.seq}, {"at", from.at}};
}

std::optional<Origin> read_origin(const json& j) {
  if (!j.is_object()) return std::nullopt;
  auto zone = j.find("upstream"), epoch = j.find("epoch"), seq = j.find("seq"), at = j.find("at");
  if (zone == j.end() || !zone->is_string() || !valid_zone_name(zone->get<std::string>())) return std::nullopt;
  if (epoch == j.end() || !epoch->is_number_unsigned() || seq == j.end() || !seq->is_number_unsigned()) return std::nullopt;
  if (at == j.end() || !at->is_number_integer()) return std::nullopt;
  return Origin{zone->get<std::string>(), epoch->get<std::uint64_t>(), seq->get<std::uint64_t>(), at->get<std::int64_t>()};
}

}  // namespace

std::string change_line(const Recorded& change) {
  // The event's JSON with the id (and where it came from) put in front: `{"id":"…",` + the rest.
  std::string front;
  if (!change.id.empty()) front += "\"id\":" + json(change.id).dump() + ",";
  if (change.from) front += "\"from\":" + origin_json(*change.from).dump() + ",";
  const std::string event = encode(change.event);
  if (front.empty()) return event;
  return "{" + front + event.substr(1);
}

Decoded<Recorded> read_change_line(std::string_view line) {
  json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return damaged("not a JSON object");
  std::string zone(default_zone);
  if (auto z = j.find("zone"); z != j.end() && z->is_string()) zone = z->get<std::string>();
  auto published = decode_published(zone_topic(zone), line);
  if (!published) return published.rejection();
  const auto* event = std::get_if<Event>(&*published);
  if (!event) return damaged("a heartbeat, not a change");
  Recorded recorded{"", *event};
  if (auto id = j.find("id"); id != j.end()) {
    if (!id->is_string() || id->get<std::string>().size() > limits::id) return damaged("field 'id' is not an id");
    recorded.id = id->get<std::string>();
  }
  if (auto from = j.find("from"); from != j.end()) {
    recorded.from = read_origin(*from);
    if (!recorded.from) return damaged("field 'from' is not an upstream's zone, epoch, seq and at");
  }
  return recorded;
}

namespace {

std::string crc_of(std::string_view bytes) {
  const auto crc = ::crc32(::crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(bytes.data()),
                           static_cast<uInt>(bytes.size()));
  char text[9];
  std::snprintf(text, sizeof text, "%08lx", crc);
  return text;
}

}  // namespace

std::string journal_line(const Recorded& change) {
  const std::string body = change_line(change);
  return body + '\t' + crc_of(body);
}

Decoded<Recorded> read_journal_line(std::string_view line) {
  const auto tab = line.rfind('\t');
  if (tab == std::string_view::npos) return read_change_line(line);
  const std::string_view body = line.substr(0, tab);
  if (line.substr(tab + 1) != crc_of(body)) return damaged("the checksum does not match: the line was changed or damaged on disk");
  return read_change_line(body);
}

std::string removal_line(const ZoneRemoved& removal) {
  const std::string body = json{{"v", 1}, {"zone_removed", removal.zone}, {"at", removal.at}}.dump();
  return body + '\t' + crc_of(body);
}

std::optional<ZoneRemoved> read_removal_line(std::string_view line) {
  const auto tab = line.rfind('\t');
  if (tab == std::string_view::npos || line.find("\"zone_removed\"") == std::string_view::npos) return std::nullopt;
  const std::string_view body = line.substr(0, tab);
  if (line.substr(tab + 1) != crc_of(body)) return std::nullopt;
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  auto zone = j.find("zone_removed");
  auto at = j.find("at");
  if (zone == j.end() || !zone->is_string() || !valid_zone_name(zone->get<std::string>())) return std::nullopt;
  if (at == j.end() || !at->is_number_integer()) return std::nullopt;
  return ZoneRemoved{zone->get<std::string>(), at->get<std::int64_t>()};
}

std::string boards_file(const SavedState& state) {
  std::string text = "{\"v\":1,\"zones\":[";
  bool first = true;
  for (const auto& [name, zone] : state.zones) {
    text += (first ? "\n" : ",\n") + encode(Reply{"", Snapshot{name, 0, zone.seq, zone.board}});
    first = false;
  }
  text += "],\"recent\":[";
  first = true;
  for (const auto& r : state.recent) {
    text += (first ? "\n" : ",\n") + change_line(r);
    first = false;
  }
  if (state.upstream.empty()) return text + "]}\n";
  text += "],\"upstream\":[";
  first = true;
  for (const auto& [zone, followed] : state.upstream) {
    text += (first ? "\n" : ",\n") + encode(Reply{"", Snapshot{zone, followed.epoch, followed.seq, followed.board}});
    first = false;
  }
  return text + "]}\n";
}

Decoded<SavedState> read_boards_file(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return damaged("not a JSON object");
  if (j.value("v", 0) != 1) return damaged("not version 1 of the journal");
  auto zones = j.find("zones");
  auto recent = j.find("recent");
  if (zones == j.end() || !zones->is_array()) return damaged("field 'zones' must be an array");
  if (recent == j.end() || !recent->is_array()) return damaged("field 'recent' must be an array");
  SavedState state;
  for (std::size_t i = 0; i < zones->size(); ++i) {
    auto reply = decode_reply((*zones)[i].dump());
    const auto* snapshot = reply ? std::get_if<Snapshot>(&reply->answer) : nullptr;
    if (!snapshot) return damaged("zones[" + std::to_string(i) + "]: " + (reply ? "not a board" : reply.rejection().reason));
    state.zones[snapshot->zone] = SavedZone{snapshot->board, snapshot->seq};
  }
  for (std::size_t i = 0; i < recent->size(); ++i) {
    auto change = read_change_line((*recent)[i].dump());
    if (!change) return damaged("recent[" + std::to_string(i) + "]: " + change.rejection().reason);
    state.recent.push_back(*change);
  }
  if (auto upstream = j.find("upstream"); upstream != j.end()) {  // only on a hub that follows a region
    if (!upstream->is_array()) return damaged("field 'upstream' must be an array");
    for (std::size_t i = 0; i < upstream->size(); ++i) {
      auto reply = decode_reply((*upstream)[i].dump());
      const auto* followed = reply ? std::get_if<Snapshot>(&reply->answer) : nullptr;
      if (!followed)
        return damaged("upstream[" + std::to_string(i) + "]: " + (reply ? "not a board" : reply.rejection().reason));
      state.upstream[followed->zone] = Followed{followed->epoch, followed->seq, followed->board};
    }
  }
  return state;
}

}  // namespace tablo::hub
