#include "protocol/screen_codec.hpp"

#include <limits>

#include "protocol/base64.hpp"
#include "protocol/codec.hpp"
#include "protocol/json_fields.hpp"
#include "protocol/media_report_codec.hpp"

namespace tablo::protocol::wire {
namespace {

std::string screen_name(const json& j) { return string_field(j, "screen", limits::screen_name, Shape::name); }

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
  if (auto offset = j.find("clock_offset_ms"); offset != j.end() && !offset->is_null()) {
    r.clock_offset_ms = integer_field(j, "clock_offset_ms", std::numeric_limits<std::int64_t>::min(),
                                      std::numeric_limits<std::int64_t>::max());
  }
  if (auto media = j.find("media"); media != j.end() && !media->is_null()) r.media = read_media_report(*media);
  return r;
}

}  // namespace

json report_json(const ScreenReport& r) {
  json j = {{"name", r.name}, {"zones", r.zones}, {"version", r.version}, {"uptime_s", r.uptime_s},
            {"playing", r.playing}, {"dropped_frames", r.dropped_frames}, {"pictureless_draws", r.pictureless_draws},
            {"audio", r.audio}, {"seqs", r.seqs}};
  if (r.clock_offset_ms) j["clock_offset_ms"] = *r.clock_offset_ms;
  if (r.media) j["media"] = media_report_json(*r.media);
  return j;
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

namespace {

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

}  // namespace

void write_screen_action(json& j, const ScreenAction& action) { std::visit(ScreenActionWriter{j}, action); }

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

}  // namespace tablo::protocol::wire
