#include "protocol/codec.hpp"
#include "protocol/base64.hpp"
#include "protocol/board.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <optional>

namespace tablo::protocol {
namespace {

using json = nlohmann::json;

// Thrown inside this file only; every public decode turns it into a Rejection.
struct Reject {
  std::string kind;
  std::string reason;
};

[[noreturn]] void invalid(std::string reason) { throw Reject{"invalid-field", std::move(reason)}; }

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// A value from the wire, quoted inside a reason: at most 40 bytes, cut on a UTF-8 character
// boundary, with control characters shown as '?'. Reasons travel back in replies and land in
// logs, so a hostile value must neither bloat them nor break a line.
std::string shown(std::string_view s) {
  constexpr std::size_t max = 40;
  bool cut = false;
  if (s.size() > max) {
    std::size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
    s = s.substr(0, end);
    cut = true;
  }
  std::string out = "'";
  for (char c : s) out += static_cast<unsigned char>(c) < 0x20 || c == 0x7F ? '?' : c;
  out += cut ? "…'" : "'";
  return out;
}

json parse_object(std::string_view body, std::size_t max_bytes = limits::message) {
  if (body.size() > max_bytes) {
    throw Reject{"oversized", "message of " + std::to_string(body.size()) + " bytes exceeds the limit of " +
                                  std::to_string(max_bytes)};
  }
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) throw Reject{"malformed", "body is not valid UTF-8 JSON"};
  if (!j.is_object()) throw Reject{"malformed", "body is JSON but not an object"};
  auto v = j.find("v");
  if (v == j.end()) throw Reject{"malformed", "missing protocol version field 'v'"};
  if (!v->is_number_integer()) throw Reject{"malformed", "protocol version field 'v' must be an integer"};
  if (!v->is_number_unsigned() || v->get<std::uint64_t>() != static_cast<std::uint64_t>(version)) {
    throw Reject{"version", "protocol version " + v->dump() + " is not supported (this build speaks " +
                                std::to_string(version) + ")"};
  }
  return j;
}

// Control characters: C0, DEL and C1 (U+0080–U+009F, in UTF-8 0xC2 0x80–0x9F). Free text may
// keep tab and line breaks; names keep none. The input is valid UTF-8 (the parser checked).
bool has_control_chars(std::string_view s, bool allow_line_breaks) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20) {
      if (allow_line_breaks && (c == '\t' || c == '\n' || c == '\r')) continue;
      return true;
    }
    if (c == 0x7F) return true;
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x9F) return true;
  }
  return false;
}

// A string field: present (unless optional), a string, within `max` bytes and free of control
// characters. Names (tickets, windows, services, ids) take no line breaks; required names are
// also non-empty. Text may be empty and may hold tabs and line breaks.
enum class Shape { name, optional_name, text, optional_text };

std::string string_field(const json& j, const char* key, std::size_t max, Shape shape) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (shape == Shape::name || shape == Shape::text) invalid(std::string("missing field '") + key + "'");
    return {};
  }
  if (!it->is_string()) invalid(std::string("field '") + key + "' must be a string");
  auto s = it->get<std::string>();
  if (s.size() > max) {
    invalid(std::string("field '") + key + "' is " + std::to_string(s.size()) + " bytes, longer than " +
            std::to_string(max));
  }
  const bool is_name = shape == Shape::name || shape == Shape::optional_name;
  if (shape == Shape::name && s.empty()) {
    invalid(std::string("field '") + key + "' must not be empty");
  }
  if (has_control_chars(s, !is_name)) {
    invalid(std::string("field '") + key + "' must not contain control characters" +
            (is_name ? "" : " other than tab and line breaks"));
  }
  return s;
}

const json& field(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) invalid(std::string("missing field '") + key + "'");
  return *it;
}

// Counters and sequence numbers: 0 … 2^64-1.
std::uint64_t count_field(const json& j, const char* key) {
  const json& v = field(j, key);
  if (!v.is_number_unsigned()) invalid(std::string("field '") + key + "' must be a non-negative integer");
  return v.get<std::uint64_t>();
}

// An integer in [lo, hi]. JSON parsing gives non-negative integers the unsigned type, so
// read them as such: get<int64_t>() of a value above 2^63-1 would wrap to a negative one.
std::int64_t integer_field(const json& j, const char* key, std::int64_t lo, std::int64_t hi) {
  const json& v = field(j, key);
  if (!v.is_number_integer()) invalid(std::string("field '") + key + "' must be an integer");
  bool in_range = false;
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    in_range = hi >= 0 && u <= static_cast<std::uint64_t>(hi) && (lo <= 0 || u >= static_cast<std::uint64_t>(lo));
  } else {
    in_range = v.get<std::int64_t>() >= lo && v.get<std::int64_t>() <= hi;
  }
  if (!in_range) {
    invalid(std::string("field '") + key + "' must be " + std::to_string(lo) + "–" + std::to_string(hi) +
            ", not " + v.dump());
  }
  return v.is_number_unsigned() ? static_cast<std::int64_t>(v.get<std::uint64_t>()) : v.get<std::int64_t>();
}

// Hub clock readings (unix ms) and durations: 0 … 2^63-1.
std::int64_t time_field(const json& j, const char* key) {
  return integer_field(j, key, 0, std::numeric_limits<std::int64_t>::max());
}

std::string zone_field(const json& j) {
  auto zone = string_field(j, "zone", limits::zone, Shape::optional_name);
  if (zone.empty()) return std::string(default_zone);
  if (!valid_zone_name(zone)) invalid("zone " + shown(zone) + " must be 1–32 characters of a-z 0-9 _ -");
  return zone;
}

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
  if (type == "playlist") return PlaylistSet{string_field(j, "text", limits::playlist, Shape::text)};
  return std::nullopt;
}

// "type" of an event, "cmd" of a command: what the rest of the message means.
std::string type_field(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) throw Reject{"malformed", std::string("missing field '") + key + "'"};
  if (!it->is_string()) throw Reject{"malformed", std::string("field '") + key + "' must be a string"};
  return it->get<std::string>();
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
  return b;
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
  return st;
}

// A heartbeat's "seqs": zone name → latest sequence number; absent means none.
std::map<std::string, std::uint64_t> read_seqs(const json& j) {
  std::map<std::string, std::uint64_t> seqs;
  auto it = j.find("seqs");
  if (it == j.end() || it->is_null()) return seqs;
  if (!it->is_object()) invalid("field 'seqs' must be an object");
  for (const auto& [name, seq] : it->items()) {
    if (!valid_zone_name(name)) invalid("seqs of zone " + shown(name) + ": not a zone name");
    if (!seq.is_number_unsigned()) invalid("seqs of zone '" + name + "' must be a non-negative integer");
    seqs[name] = seq.get<std::uint64_t>();
  }
  return seqs;
}

// --- screens -------------------------------------------------------------------------

std::string screen_name(const json& j) { return string_field(j, "screen", limits::screen_name, Shape::name); }

json report_json(const ScreenReport& r) {
  return {{"name", r.name}, {"zones", r.zones}, {"version", r.version}, {"uptime_s", r.uptime_s},
          {"playing", r.playing}, {"dropped_frames", r.dropped_frames}, {"pictureless_draws", r.pictureless_draws},
          {"audio", r.audio}, {"seqs", r.seqs}};
}

ScreenReport read_report(const json& j) {
  if (!j.is_object()) invalid("field 'report' must be an object");
  ScreenReport r;
  r.name = string_field(j, "name", limits::screen_name, Shape::name);
  const json& zones = field(j, "zones");
  if (!zones.is_array() || zones.size() > limits::zones_of_screen) invalid("field 'zones' must be an array of at most 64 zones");
  for (const auto& z : zones) {
    if (!z.is_string() || !valid_zone_name(z.get<std::string>())) invalid("field 'zones' holds a value that is not a zone name");
    r.zones.push_back(z.get<std::string>());
  }
  r.version = string_field(j, "version", limits::version_text, Shape::optional_name);
  r.uptime_s = time_field(j, "uptime_s");
  r.playing = string_field(j, "playing", limits::file_name, Shape::optional_name);
  r.dropped_frames = count_field(j, "dropped_frames");
  r.pictureless_draws = count_field(j, "pictureless_draws");
  r.audio = string_field(j, "audio", limits::audio, Shape::optional_name);
  r.seqs = read_seqs(j);
  return r;
}

json file_json(const ScreenFile& f) { return {{"type", f.type}, {"data", to_base64(f.data)}}; }

ScreenFile read_file(const json& j) {
  if (!j.is_object()) invalid("field 'file' must be an object");
  ScreenFile f{string_field(j, "type", 64, Shape::name), {}};
  const json& data = field(j, "data");
  if (!data.is_string()) invalid("field 'file.data' must be a string");
  auto bytes = from_base64(data.get_ref<const std::string&>());
  if (!bytes) invalid("field 'file.data' is not base64");
  f.data = std::move(*bytes);
  return f;
}

struct ScreenActionWriter {
  json& j;
  void operator()(const Report& r) const {
    j["cmd"] = "report";
    j["report"] = report_json(r.screen);
  }
  void operator()(const ScreensRequest&) const { j["cmd"] = "screens"; }
  void operator()(const ScreenshotRequest& s) const {
    j["cmd"] = "screenshot";
    j["screen"] = s.screen;
  }
  void operator()(const ProofOfPlayRequest& p) const {
    j["cmd"] = "proof-of-play";
    j["screen"] = p.screen;
    j["day"] = p.day;
  }
  void operator()(const ScreenAnswer& a) const {
    j["cmd"] = "answer";
    if (a.file) j["file"] = file_json(*a.file);
    if (!a.error.empty()) j["error"] = a.error;
  }
};

std::optional<ScreenAction> read_screen_action(const json& j, std::string_view cmd) {
  if (cmd == "report") return Report{read_report(field(j, "report"))};
  if (cmd == "screens") return ScreensRequest{};
  if (cmd == "screenshot") return ScreenshotRequest{screen_name(j)};
  if (cmd == "proof-of-play") {
    ProofOfPlayRequest p{screen_name(j), string_field(j, "day", 10, Shape::name)};
    if (!valid_day(p.day)) invalid("field 'day' must be a day such as 2026-11-26, not " + shown(p.day));
    return p;
  }
  if (cmd == "answer") {
    ScreenAnswer a;
    if (auto f = j.find("file"); f != j.end() && !f->is_null()) a.file = read_file(*f);
    a.error = string_field(j, "error", limits::announcement, Shape::optional_text);
    if (!a.file && a.error.empty()) invalid("an answer needs 'file' or 'error'");
    return a;
  }
  return std::nullopt;
}

ScreenList read_screen_list(const json& j) {
  if (!j.is_array()) invalid("field 'screens' must be an array");
  ScreenList list;
  for (const auto& s : j) list.screens.push_back(SeenScreen{read_report(s), time_field(s, "heard_ms_ago")});
  return list;
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
    } else {
      std::visit(ScreenActionWriter{j}, a);
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
    } else {
      json zones = json::object();
      for (const auto& [name, z] : a.zones) zones[name] = {{"seq", z.seq}, {"calls", z.calls}};
      j["ok"] = true;
      j["status"] = {{"hub_version", a.hub_version}, {"epoch", a.epoch}, {"uptime_s", a.uptime_s},
                     {"zones", zones}, {"counters", a.counters}};
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
    json j = parse_object(body, max_bytes);
    auto cmd = type_field(j, "cmd");
    Command c;
    c.id = string_field(j, "id", limits::id, Shape::optional_name);
    c.zone = zone_field(j);
    if (cmd == "snapshot") {
      c.action = SnapshotRequest{};
    } else if (cmd == "status") {
      c.action = StatusRequest{};
    } else if (cmd == "reload") {
      c.action = ReloadRequest{};
    } else if (auto change = read_change(j, cmd)) {
      c.action = std::move(*change);
    } else if (auto screen = read_screen_action(j, cmd)) {
      c.action = std::move(*screen);
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
    } else {
      r.answer = Accepted{count_field(j, "epoch"), count_field(j, "seq")};
    }
    return r;
  });
}

}  // namespace tablo::protocol
