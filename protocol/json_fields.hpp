#pragma once
// The codec's field readers (inside protocol/ only): each checks one JSON field against the
// protocol's rules and throws Reject with a reason that names the field; the public decode
// functions of codec.hpp turn a Reject into a counted Rejection.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "protocol/codec.hpp"

namespace tablo::protocol::wire {

using json = nlohmann::json;

struct Reject {
  std::string kind;
  std::string reason;
};

[[noreturn]] void invalid(std::string reason);
std::string dump(const json& j);
// A value from the wire, quoted inside a reason: short, without control characters.
std::string shown(std::string_view s);
// The body as a JSON object of this protocol version, or Reject (oversized, malformed, version).
json parse_object(std::string_view body, std::size_t max_bytes = limits::message);
bool has_control_chars(std::string_view s, bool allow_line_breaks);

// A string field: present (unless optional), a string, within `max` bytes and free of control
// characters. Names (tickets, windows, services, ids) take no line breaks; required names are
// also non-empty. Text may be empty and may hold tabs and line breaks.
enum class Shape { name, optional_name, text, optional_text };
std::string string_field(const json& j, const char* key, std::size_t max, Shape shape);
const json& field(const json& j, const char* key);
std::uint64_t count_field(const json& j, const char* key);
std::int64_t integer_field(const json& j, const char* key, std::int64_t lo, std::int64_t hi);
std::int64_t time_field(const json& j, const char* key);
std::string zone_field(const json& j);
std::string type_field(const json& j, const char* key);
std::map<std::string, std::uint64_t> read_seqs(const json& j);

}  // namespace tablo::protocol::wire
