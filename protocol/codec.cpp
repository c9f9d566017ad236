#include "protocol/codec.hpp"
#include "protocol/board.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
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

json parse_object(std::string_view body) {
  if (body.size() > limits::message) {
    throw Reject{"oversized", "message of " + std::to_string(body.size()) + " bytes exceeds the limit of " +
                                  std::to_string(limits::message)};
  }
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) throw Reject{"malformed", "body is not valid UTF-8 JSON"};
  if (!j.is_object()) throw Reject{"malformed", "body is JSON but not an object"};
  auto v = j.find("v");
  if (v == j.end() || !v->is_number_integer()) throw Reject{"malformed", "missing protocol version field 'v'"};
  if (v->get<std::int64_t>() != version) {
    throw Reject{"version", "protocol version " + v->dump() + " is not supported (this build speaks " +
                                std::to_string(version) + ")"};
  }
  return j;
}

bool has_control_chars(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

// A string field: present (unless optional), a string, within `max` bytes; names, such as
// tickets and windows, also non-empty and free of control characters.
enum class Shape { name, text, optional_text };

std::string string_field(const json& j, const char* key, std::size_t max, Shape shape) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (shape == Shape::name) invalid(std::string("missing field '") + key + "'");
    if (shape == Shape::text) invalid(std::string("missing field '") + key + "'");
    return {};
  }
  if (!it->is_string()) invalid(std::string("field '") + key + "' must be a string");
  auto s = it->get<std::string>();
  if (s.size() > max) {
    invalid(std::string("field '") + key + "' is " + std::to_string(s.size()) + " bytes, longer than " +
            std::to_string(max));
  }
  if (shape == Shape::name && (s.empty() || has_control_chars(s))) {
    invalid(std::string("field '") + key + "' must be 1–" + std::to_string(max) +
            " bytes without control characters");
  }
  return s;
}

template <class Int>
Int integer_field(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) invalid(std::string("missing field '") + key + "'");
  if constexpr (std::is_unsigned_v<Int>) {
    if (!it->is_number_unsigned()) invalid(std::string("field '") + key + "' must be a non-negative integer");
  } else {
    if (!it->is_number_integer()) invalid(std::string("field '") + key + "' must be an integer");
  }
  return it->get<Int>();
}

std::string zone_field(const json& j) {
  auto zone = string_field(j, "zone", limits::zone, Shape::optional_text);
  if (zone.empty()) return std::string(default_zone);
  if (!valid_zone_name(zone)) invalid("zone '" + zone + "' must be 1–32 characters of a-z 0-9 _ -");
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
  }
  void operator()(const TickerSet& t) const {
    j["type"] = "ticker";
    j["text"] = t.text;
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
                  string_field(j, "service", limits::service, Shape::optional_text),
                  string_field(j, "text", limits::call_text, Shape::optional_text)};
  }
  if (type == "recall") return Recalled{ticket(j)};
  if (type == "finish") return Finished{ticket(j)};
  if (type == "cancel") return Cancelled{ticket(j)};
  if (type == "clear") return Cleared{};
  if (type == "announce") {
    Announced a{string_field(j, "text", limits::announcement, Shape::text), 15};
    if (j.contains("seconds")) {
      auto s = integer_field<std::int64_t>(j, "seconds");
      if (s < 1 || s > limits::announcement_seconds) invalid("field 'seconds' must be 1–600");
      a.seconds = static_cast<int>(s);
    }
    return a;
  }
  if (type == "ticker") return TickerSet{string_field(j, "text", limits::ticker, Shape::text)};
  return std::nullopt;
}

std::string type_field(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) throw Reject{"malformed", std::string("missing field '") + key + "'"};
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
  return j;
}

Board read_board(const json& j) {
  if (!j.is_object()) invalid("field 'board' must be an object");
  Board b;
  auto calls = j.find("calls");
  if (calls == j.end() || !calls->is_array()) invalid("field 'board.calls' must be an array");
  if (calls->size() > max_board_calls) invalid("board has more than 100 calls");
  for (const auto& c : *calls) {
    if (!c.is_object()) invalid("each of 'board.calls' must be an object");
    Call call{ticket(c), string_field(c, "window", limits::window, Shape::name),
              string_field(c, "service", limits::service, Shape::optional_text),
              string_field(c, "text", limits::call_text, Shape::optional_text),
              integer_field<std::int64_t>(c, "at"), static_cast<int>(integer_field<std::int64_t>(c, "recalls"))};
    b.calls.push_back(std::move(call));
  }
  b.ticker = string_field(j, "ticker", limits::ticker, Shape::optional_text);
  auto a = j.find("announcement");
  if (a != j.end() && !a->is_null()) {
    if (!a->is_object()) invalid("field 'board.announcement' must be an object or null");
    b.announcement = Announcement{string_field(*a, "text", limits::announcement, Shape::text),
                                  integer_field<std::int64_t>(*a, "until")};
  }
  return b;
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
  static constexpr std::string_view names[] = {"call", "recall", "finish", "cancel", "clear", "announce", "ticker"};
  return names[change.index()];
}

std::string zone_topic(std::string_view zone) { return "z/" + std::string(zone) + "/"; }

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
  return dump({{"v", version}, {"type", "heartbeat"}, {"epoch", h.epoch}, {"at", h.at}});
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
    } else {
      j["cmd"] = "status";
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
      if (topic != heartbeat_topic) invalid("heartbeat on topic '" + std::string(topic) + "'");
      return Heartbeat{integer_field<std::uint64_t>(j, "epoch"), integer_field<std::int64_t>(j, "at")};
    }
    auto change = read_change(j, type);
    if (!change) throw Reject{"unknown-type", "unknown event type '" + type + "'"};
    Event e{zone_field(j), integer_field<std::uint64_t>(j, "epoch"), integer_field<std::uint64_t>(j, "seq"),
            integer_field<std::int64_t>(j, "at"), std::move(*change)};
    if (topic != zone_topic(e.zone)) {
      invalid("event of zone '" + e.zone + "' arrived on topic '" + std::string(topic) + "'");
    }
    return e;
  });
}

Decoded<Command> decode_command(std::string_view body) {
  return guarded<Command>([&]() -> Command {
    json j = parse_object(body);
    auto cmd = type_field(j, "cmd");
    Command c;
    c.id = string_field(j, "id", limits::id, Shape::optional_text);
    c.zone = zone_field(j);
    if (cmd == "snapshot") {
      c.action = SnapshotRequest{};
    } else if (cmd == "status") {
      c.action = StatusRequest{};
    } else if (auto change = read_change(j, cmd)) {
      c.action = std::move(*change);
    } else {
      throw Reject{"unknown-type", "unknown command '" + cmd + "'"};
    }
    return c;
  });
}

Decoded<Reply> decode_reply(std::string_view body) {
  return guarded<Reply>([&]() -> Reply {
    json j = parse_object(body);
    Reply r;
    r.id = string_field(j, "id", limits::id, Shape::optional_text);
    auto ok = j.find("ok");
    if (ok == j.end() || !ok->is_boolean()) throw Reject{"malformed", "missing field 'ok'"};
    if (!ok->get<bool>()) {
      r.answer = Refused{string_field(j, "error", limits::announcement, Shape::text)};
    } else if (j.contains("board")) {
      r.answer = Snapshot{zone_field(j), integer_field<std::uint64_t>(j, "epoch"),
                          integer_field<std::uint64_t>(j, "seq"), read_board(j["board"])};
    } else if (j.contains("status")) {
      const json& s = j["status"];
      if (!s.is_object()) invalid("field 'status' must be an object");
      Status st;
      st.hub_version = string_field(s, "hub_version", 64, Shape::optional_text);
      st.epoch = integer_field<std::uint64_t>(s, "epoch");
      st.uptime_s = integer_field<std::int64_t>(s, "uptime_s");
      for (const auto& [name, z] : s.value("zones", json::object()).items()) {
        st.zones[name] = ZoneStatus{integer_field<std::uint64_t>(z, "seq"), integer_field<std::uint64_t>(z, "calls")};
      }
      for (const auto& [name, n] : s.value("counters", json::object()).items()) {
        if (!n.is_number_unsigned()) invalid("counter '" + name + "' must be a non-negative integer");
        st.counters[name] = n.get<std::uint64_t>();
      }
      r.answer = std::move(st);
    } else {
      r.answer = Accepted{integer_field<std::uint64_t>(j, "epoch"), integer_field<std::uint64_t>(j, "seq")};
    }
    return r;
  });
}

}  // namespace tablo::protocol
