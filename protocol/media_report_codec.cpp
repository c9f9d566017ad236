#include "protocol/media_report_codec.hpp"

#include "protocol/media_token.hpp"

namespace tablo::protocol::wire {
namespace {

constexpr std::size_t media_error = 512;

}  // namespace

json media_report_json(const MediaReport& m) {
  json j = {{"state", m.state}, {"files", m.files},           {"have", m.have},
            {"bytes_left", m.bytes_left}, {"rate", m.rate}, {"corrupt", m.corrupt}};
  if (!m.error.empty()) j["error"] = m.error;
  return j;
}

MediaReport read_media_report(const json& j) {
  if (!j.is_object()) invalid("field 'media' must be an object");
  MediaReport m;
  m.state = string_field(j, "state", 16, Shape::name);
  if (m.state != "in step" && m.state != "fetching" && m.state != "error")
    invalid("field 'media.state' must be \"in step\", \"fetching\" or \"error\", not " + shown(m.state));
  m.files = count_field(j, "files");
  m.have = count_field(j, "have");
  m.bytes_left = count_field(j, "bytes_left");
  m.rate = count_field(j, "rate");
  if (j.contains("corrupt")) m.corrupt = count_field(j, "corrupt");
  m.error = string_field(j, "error", media_error, Shape::optional_name);
  return m;
}

}  // namespace tablo::protocol::wire

namespace tablo::protocol {

using namespace wire;

std::string encode_media_token_request(std::string_view id, std::string_view zone) {
  return dump(json{{"v", version}, {"id", id}, {"zone", zone}, {"cmd", "media_token"}});
}

std::optional<std::string> reply_id(std::string_view body) {
  try {
    json j = parse_object(body);
    if (!j.contains("ok")) return std::nullopt;
    return string_field(j, "id", limits::id, Shape::optional_name);
  } catch (const Reject&) {
    return std::nullopt;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

MediaTokenReply decode_media_token_reply(std::string_view body) {
  try {
    json j = parse_object(body);
    const json& ok = field(j, "ok");
    if (!ok.is_boolean()) invalid("field 'ok' must be true or false");
    if (!ok.get<bool>()) return {std::nullopt, string_field(j, "error", limits::announcement, Shape::text)};
    MediaTokenGrant g;
    g.token = string_field(j, "token", 512, Shape::name);
    if (!std::all_of(g.token.begin(), g.token.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                 c == '.' || c == '~';
        }))
      invalid("field 'token' must be url-safe (A-Z a-z 0-9 - _ . ~)");
    g.expires = time_field(j, "expires");
    g.port = static_cast<int>(integer_field(j, "port", 1, 65535));
    g.url = string_field(j, "url", 1024, Shape::optional_name);
    return {g, {}};
  } catch (const Reject& r) {
    return {std::nullopt, "the hub's reply to media_token is not one: " + r.reason};
  } catch (const json::exception& e) {
    return {std::nullopt, std::string("the hub's reply to media_token is not JSON: ") + e.what()};
  }
}

}  // namespace tablo::protocol
