#include "protocol/media_codec.hpp"

#include <algorithm>

#include "protocol/base64.hpp"

namespace tablo::protocol {

bool valid_media_name(std::string_view name) {
  return !name.empty() && name.size() <= limits::media_name && name.find('/') == std::string_view::npos &&
         !name.starts_with('.') && !wire::has_control_chars(name, false);
}

bool valid_sha256(std::string_view hex) {
  return hex.size() == 64 &&
         std::all_of(hex.begin(), hex.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

namespace wire {
namespace {

std::string media_name(const json& j) {
  auto name = string_field(j, "name", limits::media_name, Shape::name);
  if (!valid_media_name(name))
    invalid("field 'name' must be a file name without '/' and not starting with '.', not " + shown(name));
  return name;
}

std::string sha256(const json& j) {
  auto hex = string_field(j, "sha256", 64, Shape::name);
  if (!valid_sha256(hex)) invalid("field 'sha256' must be 64 lowercase hex digits, not " + shown(hex));
  return hex;
}

json item_json(const MediaItem& i) {
  return {{"name", i.name},   {"sha256", i.file.sha256}, {"size", i.file.size},   {"container", i.container},
          {"video", i.video}, {"audio", i.audio},        {"width", i.width},      {"height", i.height},
          {"duration", i.duration_s}, {"rotation", i.rotation}, {"added_at", i.added_at}};
}

double seconds_field(const json& j, const char* key) {
  const json& v = field(j, key);
  if (!v.is_number() || v.get<double>() < 0) invalid(std::string("field '") + key + "' must be a number of seconds");
  return v.get<double>();
}

MediaItem read_item(const json& j) {
  if (!j.is_object()) invalid("a media item must be an object");
  MediaItem i;
  i.name = media_name(j);
  i.file = MediaFile{sha256(j), count_field(j, "size")};
  i.container = string_field(j, "container", 128, Shape::optional_name);
  i.video = string_field(j, "video", 64, Shape::optional_name);
  i.audio = string_field(j, "audio", 64, Shape::optional_name);
  i.width = static_cast<int>(integer_field(j, "width", 0, 1 << 16));
  i.height = static_cast<int>(integer_field(j, "height", 0, 1 << 16));
  i.duration_s = seconds_field(j, "duration");
  i.rotation = static_cast<int>(integer_field(j, "rotation", 0, 359));
  i.added_at = time_field(j, "added_at");
  return i;
}

struct MediaActionWriter {
  json& j;
  void operator()(const MediaAdd& a) const {
    j["cmd"] = "media_add";
    j["name"] = a.name;
    j["sha256"] = a.file.sha256;
    j["size"] = a.file.size;
  }
  void operator()(const MediaChunk& c) const {
    j["cmd"] = "media_chunk";
    j["sha256"] = c.sha256;
    j["offset"] = c.offset;
    j["data"] = to_base64(c.data);
  }
  void operator()(const MediaListRequest&) const { j["cmd"] = "media_list"; }
  void operator()(const MediaInfoRequest& r) const {
    j["cmd"] = "media_info";
    j["name"] = r.name;
  }
  void operator()(const MediaRemove& r) const {
    j["cmd"] = "media_rm";
    j["name"] = r.name;
  }
  void operator()(const MediaTokenRequest&) const { j["cmd"] = "media_token"; }
};

}  // namespace

json media_json(const PlaylistMedia& media) {
  json j = json::object();
  for (const auto& [name, file] : media) j[name] = {{"sha256", file.sha256}, {"size", file.size}};
  return j;
}

PlaylistMedia read_playlist_media(const json& j) {
  PlaylistMedia media;
  auto it = j.find("media");
  if (it == j.end() || it->is_null()) return media;
  if (!it->is_object()) invalid("field 'media' must be an object of name: {sha256, size}");
  if (it->size() > limits::playlist_files)
    invalid("field 'media' names " + std::to_string(it->size()) + " files, more than " +
            std::to_string(limits::playlist_files));
  for (const auto& [name, file] : it->items()) {
    if (!valid_media_name(name)) invalid("field 'media' names " + shown(name) + ", which is not a library name");
    if (!file.is_object()) invalid("field 'media." + name + "' must be an object");
    try {
      media[name] = MediaFile{sha256(file), count_field(file, "size")};
    } catch (const Reject& r) {
      throw Reject{r.kind, "media." + name + ": " + r.reason};
    }
  }
  return media;
}

void write_media_action(json& j, const MediaAction& action) { std::visit(MediaActionWriter{j}, action); }

std::optional<MediaAction> read_media_action(const json& j, std::string_view cmd) {
  if (cmd == "media_add") return MediaAdd{media_name(j), MediaFile{sha256(j), count_field(j, "size")}};
  if (cmd == "media_chunk") {
    MediaChunk c{sha256(j), count_field(j, "offset"), {}};
    auto data = from_base64(string_field(j, "data", limits::media_message, Shape::name));
    if (!data) invalid("field 'data' must be padded base64");
    if (data->size() > limits::media_chunk)
      invalid("field 'data' holds " + std::to_string(data->size()) + " bytes, more than a chunk's " +
              std::to_string(limits::media_chunk));
    c.data = std::move(*data);
    return c;
  }
  if (cmd == "media_list") return MediaListRequest{};
  if (cmd == "media_info") return MediaInfoRequest{media_name(j)};
  if (cmd == "media_rm") return MediaRemove{media_name(j)};
  if (cmd == "media_token") return MediaTokenRequest{};
  return std::nullopt;
}

void write_media_answer(json& j, const MediaProgress& p) {
  j["have"] = p.have;
  j["size"] = p.size;
  if (p.item) j["item"] = item_json(*p.item);
}

void write_media_answer(json& j, const MediaItems& items) {
  j["media"] = json::array();
  for (const auto& i : items.items) j["media"].push_back(item_json(i));
}

void write_media_answer(json& j, const MediaToken& t) {
  j["token"] = t.token;
  j["expires"] = t.expires;
  j["port"] = t.port;
  if (!t.url.empty()) j["url"] = t.url;
}

std::optional<Answer> read_media_answer(const json& j) {
  if (j.contains("have")) {
    MediaProgress p{count_field(j, "have"), count_field(j, "size"), std::nullopt};
    if (auto item = j.find("item"); item != j.end()) p.item = read_item(*item);
    return p;
  }
  if (auto media = j.find("media"); media != j.end()) {
    if (!media->is_array()) invalid("field 'media' must be an array");
    MediaItems items;
    for (const auto& i : *media) items.items.push_back(read_item(i));
    return items;
  }
  if (j.contains("token")) {
    return MediaToken{string_field(j, "token", 512, Shape::name), time_field(j, "expires"),
                      static_cast<int>(integer_field(j, "port", 1, 65535)),
                      string_field(j, "url", 1024, Shape::optional_name)};
  }
  return std::nullopt;
}

}  // namespace wire
}  // namespace tablo::protocol
