#include "protocol/codec.hpp"
#include "protocol/board.hpp"
#include "protocol/json_fields.hpp"
#include "protocol/media_codec.hpp"
#include "protocol/media_report_codec.hpp"
#include "protocol/screen_codec.hpp"

#include <algorithm>
#include <limits>
#include <optional>

namespace tablo::protocol {
namespace {

using namespace wire;

// --- changes -------------------------------------------------------------------------

struct ChangeWriter {
  json& j;
  void operator()(const Called& c) const {
    j["type"] = "call";
    j["ticket"] = c.ticket;
    j["window"] = c.window;
    if (!c.service.empty()) j["service"] = c.service;
    if (!c.text.empty()) j["text"] = c.text;
  }
  void operator()(const Recalled& c) const { ticket_only("recall", c.ticket); }
  void operator()(const Finished& c) const { ticket_only("finish", c.ticket); }
  void operator()(const Cancelled& c) const { ticket_only("cancel", c.ticket); }
  void operator()(const Cleared&) const { j["type"] = "clear"; }
  void operator()(const Announced& a) const {
    j["type"] = "announce";
    j["text"] = a.text;
    j["seconds"] = a.seconds;
    if (!a.recording.empty()) j["recording"] = a.recording;
  }
  void operator()(const TickerSet& t) const {
    j["type"] = "ticker";
    j["text"] = t.text;
  }
  void operator()(const PlaylistSet& p) const {
    j["type"] = "playlist";
    j["text"] = p.text;
    if (!p.media.empty()) j["media"] = media_json(p.media);
  }
  void ticket_only(const char* type, const std::string& ticket) const {
    j["type"] = type;
    j["ticket"] = ticket;
  }
};

std::string ticket(const json& j) { return string_field(j, "ticket", limits::ticket, Shape::name); }

std::optional<Change> read_change(const json& j, std::string_view type) {
  if (type == "call") {
    return Called{ticket(j), string_field(j, "window", limits::window, Shape::name),
                  string_field(j, "service", limits::service, Shape::optional_name),
                  string_field(j, "text", limits::call_text, Shape::optional_text)};
  }
  if (type == "recall") return Recalled{ticket(j)};
  if (type == "finish") return Finished{ticket(j)};
  if (type == "cancel") return Cancelled{ticket(j)};
  if (type == "clear") return Cleared{};
  if (type == "announce") {
    Announced a{string_field(j, "text", limits::announcement, Shape::text), 15};
    if (j.contains("seconds")) a.seconds = static_cast<int>(integer_field(j, "seconds", 1, limits::announcement_seconds));
    a.recording = string_field(j, "recording", limits::recording, Shape::optional_name);
    // A file name in the screens' recordings folder, never a path out of it.
    if (a.recording.find('/') != std::string::npos || a.recording.starts_with('.'))
      invalid("field 'recording' must be a file name in the screens' recordings folder, without '/' or a leading '.'");
    // What is heard is shown too: a recording comes with its words.
    if (!a.recording.empty() && a.text.empty()) invalid("field 'recording' needs the words it says in 'text'");
    return a;
  }
  if (type == "ticker") return TickerSet{string_field(j, "text", limits::ticker, Shape::text)};
  if (type == "playlist") return PlaylistSet{string_field(j, "text", limits::playlist, Shape::text), read_playlist_media(j)};
  return std::nullopt;
}

// --- board ---------------------------------------------------------------------------

json board_json(const Board& b) {
  json calls = json::array();
  for (const auto& c : b.calls) {
    calls.push_back({{"ticket", c.ticket},
                     {"window", c.window},
                     {"service", c.service},
                     {"text", c.text},
                     {"at", c.called_at},
                     {"recalls", c.recalls}});
  }
  json j = {{"calls", calls}, {"ticker", b.ticker}, {"announcement", nullptr}};
  if (b.announcement) j["announcement"] = {{"text", b.announcement->text}, {"until", b.announcement->until}};
  if (!b.playlist.empty()) j["playlist"] = b.playlist;
  if (!b.playlist_media.empty()) j["media"] = media_json(b.playlist_media);
  return j;
}

Call read_call(const json& c) {
  if (!c.is_object()) invalid("must be an object");
  return Call{ticket(c),
              string_field(c, "window", limits::window, Shape::name),
              string_field(c, "service", limits::service, Shape::optional_name),
              string_field(c, "text", limits::call_text, Shape::optional_text),
              time_field(c, "at"),
              static_cast<int>(integer_field(c, "recalls", 0, std::numeric_limits<int>::max()))};
}

Board read_board(const json& j) {
  if (!j.is_object()) invalid("field 'board' must be an object");
  Board b;
  auto calls = j.find("calls");
  if (calls == j.end() || !calls->is_array()) invalid("field 'board.calls' must be an array");
  if (calls->size() > max_board_calls) {
    invalid("field 'board.calls' holds " + std::to_string(calls->size()) + " calls, more than " +
            std::to_string(max_board_calls));
  }
  for (std::size_t i = 0; i < calls->size(); ++i) {
    const std::string where = "board.calls[" + std::to_string(i) + "]";
    try {
      b.calls.push_back(read_call((*calls)[i]));
    } catch (const Reject& r) {
      throw Reject{r.kind, where + ": " + r.reason};
    }
    // The reducer keeps one call per ticket; a board that breaks this would make
    // recall and finish act on one copy and leave the other on screen.
    const std::string& last = b.calls.back().ticket;
    if (std::any_of(b.calls.begin(), b.calls.end() - 1, [&](const Call& c) { return c.ticket == last; })) {
      invalid(where + ": ticket " + shown(last) + " is already on the board");
    }
  }
  b.ticker = string_field(j, "ticker", limits::ticker, Shape::optional_text);
  auto a = j.find("announcement");
  if (a != j.end() && !a->is_null()) {
    if (!a->is_object()) invalid("field 'board.announcement' must be an object or null");
    b.announcement = Announcement{string_field(*a, "text", limits::announcement, Shape::text), time_field(*a, "until")};
  }
  b.playlist = string_field(j, "playlist", limits::playlist, Shape::optional_text);
  b.playlist_media = read_playlist_media(j);
  return b;
}

std::vector<std::string> read_zone_names(const json& j, const char* key) {
  std::vector<std::string> names;
  auto list = j.find(key);
  if (list == j.end()) return names;
  if (!list->is_array() || list->size() > limits::zones_of_screen) invalid(std::string("field '") + key + "' must be a list of zones");
  for (const auto& n : *list) {
    if (!n.is_string() || !valid_zone_name(n.get<std::string>())) invalid(std::string("field '") + key + "' must hold zone names");
    names.push_back(n.get<std::string>());
  }
  return names;
}

UpstreamStatus read_upstream_status(const json& u) {
  if (!u.is_object()) invalid("field 'status.upstream' must be an object");
  UpstreamStatus st;
  st.commands = string_field(u, "commands", limits::file_name, Shape::name);
  auto connected = u.find("connected");
  if (connected == u.end() || !connected->is_boolean()) invalid("field 'status.upstream.connected' must be true or false");
  st.connected = connected->get<bool>();
  st.changed_s_ago = time_field(u, "changed_s_ago");
  auto zones = u.find("zones");
  if (zones == u.end() || !zones->is_object() || zones->size() > limits::zones_of_screen)
    invalid("field 'status.upstream.zones' must be an object of zones");
  for (const auto& [name, z] : zones->items()) {
    if (!valid_zone_name(name) || !z.is_object()) invalid("status of upstream zone " + shown(name) + ": not a zone");
    UpstreamZoneStatus zone{read_zone_names(z, "into"), count_field(z, "epoch"), count_field(z, "seq"),
                            count_field(z, "latest"), {}};
    if (auto missing = z.find("missing_media"); missing != z.end()) {
      if (!missing->is_array() || missing->size() > limits::lost_changes_listed)
        invalid("field 'missing_media' of upstream zone '" + name + "' must be a list of names");
      for (const auto& m : *missing) {
        if (!m.is_string() || m.get<std::string>().size() > limits::file_name)
          invalid("field 'missing_media' of upstream zone '" + name + "' must hold names");
        zone.missing_media.push_back(m.get<std::string>());
      }
    }
    st.zones[name] = std::move(zone);
  }
  return st;
}

Status read_status(const json& s) {
  if (!s.is_object()) invalid("field 'status' must be an object");
  Status st;
  st.hub_version = string_field(s, "hub_version", 64, Shape::optional_name);
  st.epoch = count_field(s, "epoch");
  st.uptime_s = time_field(s, "uptime_s");
  if (auto zones = s.find("zones"); zones != s.end()) {
    if (!zones->is_object()) invalid("field 'status.zones' must be an object");
    for (const auto& [name, z] : zones->items()) {
      if (!valid_zone_name(name)) invalid("status of zone " + shown(name) + ": not a zone name");
      if (!z.is_object()) invalid("status of zone '" + name + "' must be an object");
      st.zones[name] = ZoneStatus{count_field(z, "seq"), count_field(z, "calls")};
    }
  }
  if (auto counters = s.find("counters"); counters != s.end()) {
    if (!counters->is_object()) invalid("field 'status.counters' must be an object");
    for (const auto& [name, n] : counters->items()) {
      if (!n.is_number_unsigned()) invalid("counter " + shown(name) + " must be a non-negative integer");
      st.counters[name] = n.get<std::uint64_t>();
    }
  }
  if (auto connections = s.find("connections"); connections != s.end()) {
    if (!connections->is_object()) invalid("field 'status.connections' must be an object");
    for (const auto& [name, n] : connections->items()) {
      if (!n.is_number_unsigned() || name.size() > limits::zone) invalid("field 'status.connections' must count peers by socket");
      st.connections[name] = n.get<std::uint64_t>();
    }
  }
  if (s.contains("max_connections")) st.max_connections = count_field(s, "max_connections");
  if (auto upstream = s.find("upstream"); upstream != s.end()) st.upstream = read_upstream_status(*upstream);
  if (auto lost = s.find("journal_lost"); lost != s.end()) {
    if (!lost->is_array()) invalid("field 'status.journal_lost' must be an array");
    for (const auto& l : *lost) {
      if (!l.is_object()) invalid("field 'status.journal_lost' must hold objects");
      if (st.journal_lost.size() == limits::lost_changes_listed) invalid("field 'status.journal_lost' is too long");
      st.journal_lost.push_back(LostChange{string_field(l, "zone", limits::zone, Shape::optional_name),
                                           count_field(l, "seq"),
                                           string_field(l, "change", limits::lost_change_text, Shape::optional_text),
                                           string_field(l, "problem", limits::lost_change_text, Shape::optional_text)});
    }
  }
  return st;
}

template <class T, class F>
Decoded<T> guarded(F&& f) {
  try {
    return f();
  } catch (const Reject& r) {
    return Rejection{r.kind, r.reason};
  } catch (const json::exception& e) {
    return Rejection{"malformed", e.what()};
  }
}

}  // namespace

std::string_view type_name(const Change& change) {
  static constexpr std::string_view names[] = {"call",     "recall", "finish", "cancel",
                                                "clear",    "announce", "ticker", "playlist"};
  return names[change.index()];
}

std::string zone_topic(std::string_view zone) { return "z/" + std::string(zone) + "/"; }

bool valid_day(std::string_view day) {
  constexpr std::string_view shape = "dddd-dd-dd";
  if (day.size() != shape.size()) return false;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == '-' ? day[i] != '-' : (day[i] < '0' || day[i] > '9')) return false;
  }
  return true;
}

bool valid_zone_name(std::string_view zone) {
  return !zone.empty() && zone.size() <= limits::zone && std::all_of(zone.begin(), zone.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::string encode(const Event& e) {
  json j = {{"v", version}, {"zone", e.zone}, {"epoch", e.epoch}, {"seq", e.seq}, {"at", e.at}};
  std::visit(ChangeWriter{j}, e.change);
  return dump(j);
}

std::string encode(const Heartbeat& h) {
  json j = {{"v", version}, {"type", "heartbeat"}, {"epoch", h.epoch}, {"at", h.at}};
  if (!h.seqs.empty()) j["seqs"] = h.seqs;
  if (h.reloads > 0) j["reloads"] = h.reloads;
  return dump(j);
}

std::string encode(const Command& c) {
  json j = {{"v", version}, {"id", c.id}, {"zone", c.zone}};
  std::visit([&](const auto& a) {
    using A = std::decay_t<decltype(a)>;
    if constexpr (std::is_same_v<A, Change>) {
      std::visit(ChangeWriter{j}, a);
      j["cmd"] = j["type"];
      j.erase("type");
    } else if constexpr (std::is_same_v<A, SnapshotRequest>) {
      j["cmd"] = "snapshot";
    } else if constexpr (std::is_same_v<A, StatusRequest>) {
      j["cmd"] = "status";
    } else if constexpr (std::is_same_v<A, ReloadRequest>) {
      j["cmd"] = "reload";
    } else if constexpr (std::is_same_v<A, ZoneRemoval>) {
      j["cmd"] = "zone_remove";
    } else if constexpr (std::is_same_v<A, MediaAction>) {
      write_media_action(j, a);
    } else {
      write_screen_action(j, a);
    }
  }, c.action);
  return dump(j);
}

std::string encode(const Reply& r) {
  json j = {{"v", version}, {"id", r.id}};
  std::visit([&](const auto& a) {
    using A = std::decay_t<decltype(a)>;
    if constexpr (std::is_same_v<A, Accepted>) {
      j["ok"] = true;
      j["epoch"] = a.epoch;
      j["seq"] = a.seq;
    } else if constexpr (std::is_same_v<A, Refused>) {
      j["ok"] = false;
      j["error"] = a.error;
    } else if constexpr (std::is_same_v<A, Snapshot>) {
      j["ok"] = true;
      j["zone"] = a.zone;
      j["epoch"] = a.epoch;
      j["seq"] = a.seq;
      j["board"] = board_json(a.board);
    } else if constexpr (std::is_same_v<A, ScreenList>) {
      j["ok"] = true;
      j["screens"] = json::array();
      for (const auto& s : a.screens) {
        json one = report_json(s.report);
        one["heard_ms_ago"] = s.heard_ms_ago;
        j["screens"].push_back(std::move(one));
      }
    } else if constexpr (std::is_same_v<A, ScreenFile>) {
      j["ok"] = true;
      j["file"] = file_json(a);
    } else if constexpr (std::is_same_v<A, Reloaded>) {
      j["ok"] = true;
      j["reloaded"] = a.summary;
    } else if constexpr (std::is_same_v<A, MediaProgress> || std::is_same_v<A, MediaItems> ||
                         std::is_same_v<A, MediaToken>) {
      j["ok"] = true;
      write_media_answer(j, a);
    } else {
      json zones = json::object();
      for (const auto& [name, z] : a.zones) zones[name] = {{"seq", z.seq}, {"calls", z.calls}};
      j["ok"] = true;
      j["status"] = {{"hub_version", a.hub_version}, {"epoch", a.epoch}, {"uptime_s", a.uptime_s},
                     {"zones", zones}, {"counters", a.counters}};
      if (!a.connections.empty()) {
        j["status"]["connections"] = a.connections;
        j["status"]["max_connections"] = a.max_connections;
      }
      if (!a.journal_lost.empty()) {
        json lost = json::array();
        for (const auto& l : a.journal_lost) {
          lost.push_back({{"zone", l.zone}, {"seq", l.seq}, {"change", l.change}, {"problem", l.problem}});
        }
        j["status"]["journal_lost"] = lost;
      }
      if (const auto& u = a.upstream) {
        json followed = json::object();
        for (const auto& [name, z] : u->zones) {
          followed[name] = {{"into", z.into}, {"epoch", z.epoch}, {"seq", z.seq}, {"latest", z.latest},
                         {"missing_media", z.missing_media}};
        }
        j["status"]["upstream"] = {{"commands", u->commands}, {"connected", u->connected},
                                   {"changed_s_ago", u->changed_s_ago}, {"zones", followed}};
      }
    }
  }, r.answer);
  return dump(j);
}

Decoded<Published> decode_published(std::string_view topic, std::string_view body) {
  return guarded<Published>([&]() -> Published {
    json j = parse_object(body);
    auto type = type_field(j, "type");
    if (type == "heartbeat") {
      if (topic != heartbeat_topic) invalid("heartbeat arrived on topic " + shown(topic) + ", not 'hb/'");
      return Heartbeat{count_field(j, "epoch"), time_field(j, "at"), read_seqs(j),
                       j.contains("reloads") ? count_field(j, "reloads") : 0};
    }
    auto change = read_change(j, type);
    if (!change) throw Reject{"unknown-type", "unknown event type " + shown(type)};
    Event e{zone_field(j), count_field(j, "epoch"), count_field(j, "seq"), time_field(j, "at"), std::move(*change)};
    if (topic != zone_topic(e.zone)) {
      invalid("event of zone '" + e.zone + "' arrived on topic " + shown(topic) + ", not '" + zone_topic(e.zone) +
              "'");
    }
    return e;
  });
}

Decoded<Command> decode_command(std::string_view body, std::size_t max_bytes) {
  return guarded<Command>([&]() -> Command {
    // An upload's chunk is the one command allowed past `max_bytes`, up to limits::media_message;
    // a body that does not say it is one is refused unparsed, as every oversized one.
    const bool chunk_sized = body.size() > max_bytes && body.size() <= limits::media_message &&
                             body.find("\"cmd\":\"media_chunk\"") != std::string_view::npos;
    json j = parse_object(body, chunk_sized ? limits::media_message : max_bytes);
    auto cmd = type_field(j, "cmd");
    if (body.size() > max_bytes && cmd != "media_chunk") {
      throw Reject{"oversized", "message of " + std::to_string(body.size()) + " bytes exceeds the limit of " +
                                    std::to_string(max_bytes)};
    }
    Command c;
    c.id = string_field(j, "id", limits::id, Shape::optional_name);
    c.zone = zone_field(j);
    if (cmd == "snapshot") {
      c.action = SnapshotRequest{};
    } else if (cmd == "status") {
      c.action = StatusRequest{};
    } else if (cmd == "reload") {
      c.action = ReloadRequest{};
    } else if (cmd == "zone_remove") {
      c.action = ZoneRemoval{};
    } else if (auto change = read_change(j, cmd)) {
      c.action = std::move(*change);
    } else if (auto screen = read_screen_action(j, cmd)) {
      c.action = std::move(*screen);
    } else if (auto media = read_media_action(j, cmd)) {
      c.action = std::move(*media);
    } else {
      throw Reject{"unknown-type", "unknown command " + shown(cmd)};
    }
    return c;
  });
}

Decoded<Reply> decode_reply(std::string_view body, std::size_t max_bytes) {
  return guarded<Reply>([&]() -> Reply {
    json j = parse_object(body, max_bytes);
    Reply r;
    r.id = string_field(j, "id", limits::id, Shape::optional_name);
    auto ok = j.find("ok");
    if (ok == j.end()) throw Reject{"malformed", "missing field 'ok'"};
    if (!ok->is_boolean()) throw Reject{"malformed", "field 'ok' must be true or false"};
    if (!ok->get<bool>()) {
      r.answer = Refused{string_field(j, "error", limits::announcement, Shape::text)};
    } else if (auto board = j.find("board"); board != j.end()) {
      r.answer = Snapshot{zone_field(j), count_field(j, "epoch"), count_field(j, "seq"), read_board(*board)};
    } else if (auto status = j.find("status"); status != j.end()) {
      r.answer = read_status(*status);
    } else if (auto screens = j.find("screens"); screens != j.end()) {
      r.answer = read_screen_list(*screens);
    } else if (auto file = j.find("file"); file != j.end()) {
      r.answer = read_file(*file);
    } else if (j.contains("reloaded")) {
      r.answer = Reloaded{string_field(j, "reloaded", limits::announcement, Shape::text)};
    } else if (auto media = read_media_answer(j)) {
      r.answer = std::move(*media);
    } else {
      r.answer = Accepted{count_field(j, "epoch"), count_field(j, "seq")};
    }
    return r;
  });
}

}  // namespace tablo::protocol
