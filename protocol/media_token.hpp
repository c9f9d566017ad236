#pragma once
// A screen asks the hub for a token for its media endpoint (docs/PROTOCOL.md, "media_token").
// Kept apart from the codec's command and reply types: the screen sends it on its report
// line and reads the reply by id.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tablo::protocol {

struct MediaTokenGrant {
  std::string token;       // url-safe, goes into ?t=
  std::int64_t expires = 0;  // unix seconds
  int port = 0;            // the hub's media HTTP port
  std::string url;         // the hub's public base URL ("http://host:port/media/"); empty: none given
  bool operator==(const MediaTokenGrant&) const = default;
};

std::string encode_media_token_request(std::string_view id, std::string_view zone);

// The reply's id, if `body` is a reply at all.
std::optional<std::string> reply_id(std::string_view body);

// A grant, or the reason there is none (the hub refused, or the reply is not one).
struct MediaTokenReply {
  std::optional<MediaTokenGrant> grant;
  std::string error;
};
MediaTokenReply decode_media_token_reply(std::string_view body);

}  // namespace tablo::protocol
