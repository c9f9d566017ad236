#include "protocol/json_fields.hpp"

#include <limits>

#include "protocol/codec.hpp"

namespace tablo::protocol::wire {

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

json parse_object(std::string_view body, std::size_t max_bytes) {
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

// "type" of an event, "cmd" of a command: what the rest of the message means.
std::string type_field(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) throw Reject{"malformed", std::string("missing field '") + key + "'"};
  if (!it->is_string()) throw Reject{"malformed", std::string("field '") + key + "' must be a string"};
  return it->get<std::string>();
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

}  // namespace tablo::protocol::wire
