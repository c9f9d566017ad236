// The protocol's words for the media library's files: a pushed playlist's `media`, the board's
// `playlist_media`, a screen report's `media`, and the media_token reply.
#include <catch2/catch.hpp>

#include "protocol/codec.hpp"
#include "protocol/media_token.hpp"

using namespace tablo::protocol;

namespace {

const std::string sha(64, 'a');

}  // namespace

TEST_CASE("a pushed playlist's files travel with its event and its board, and a withdrawal forgets them") {
  const PlaylistMedia media{{"welcome.mp4", {sha, 12'345'678}}, {"часы.png", {std::string(64, '0'), 1}}};
  const Event event{"hall", 3, 7, 1000, PlaylistSet{"[[item]]\nfile = \"welcome.mp4\"\n", media}};
  const auto body = encode(event);
  CHECK_THAT(body, Catch::Contains(R"("media":{"welcome.mp4":{"sha256":")" + sha + R"(","size":12345678})"));
  const auto decoded = decode_published("z/hall/", body);
  REQUIRE(decoded);
  CHECK(std::get<Event>(*decoded) == event);

  Board board;
  board.playlist = "[[item]]\nfile = \"welcome.mp4\"\n";
  board.playlist_media = media;
  const auto reply = decode_reply(encode(Reply{"s1", Snapshot{"hall", 3, 7, board}}));
  REQUIRE(reply);
  CHECK(std::get<Snapshot>(reply->answer).board == board);
}

TEST_CASE("a playlist's media with a bad hash, a path or a negative size is refused, naming the field") {
  auto refused = [](const std::string& media) {
    const auto c = decode_command(R"({"v":1,"id":"x","cmd":"playlist","text":"a","media":)" + media + "}");
    REQUIRE_FALSE(c);
    return c.rejection().reason;
  };
  CHECK_THAT(refused(R"({"a.mp4":{"sha256":"ABC","size":1}})"), Catch::Contains("media.a.mp4: field 'sha256'"));
  CHECK_THAT(refused(R"({"a.mp4":{"sha256":")" + std::string(64, 'A') + R"(","size":1}})"), Catch::Contains("lowercase hex"));
  CHECK_THAT(refused(R"({"../a.mp4":{"sha256":")" + sha + R"(","size":1}})"), Catch::Contains("not a library name"));
  CHECK_THAT(refused(R"({"a.mp4":{"sha256":")" + sha + R"(","size":-1}})"), Catch::Contains("size"));
  CHECK_THAT(refused(R"(["a.mp4"])"), Catch::Contains("must be an object"));
}

TEST_CASE("the media_token reply gives a token, its expiry and the hub's media port, or the hub's refusal") {
  CHECK_THAT(encode_media_token_request("media-token-1", "hall"), Catch::Contains(R"("cmd":"media_token")"));
  const auto granted =
      decode_media_token_reply(R"({"v":1,"id":"media-token-1","ok":true,"token":"abc-_.DEF","expires":1796172595,"port":8787})");
  REQUIRE(granted.grant);
  CHECK(*granted.grant == MediaTokenGrant{"abc-_.DEF", 1796172595, 8787, ""});
  CHECK(reply_id(R"({"v":1,"id":"media-token-1","ok":true})") == "media-token-1");
  const auto refused = decode_media_token_reply(R"({"v":1,"id":"media-token-2","ok":false,"error":"unknown command 'media_token'"})");
  CHECK_FALSE(refused.grant);
  CHECK(refused.error == "unknown command 'media_token'");
  CHECK_THAT(decode_media_token_reply(R"({"v":1,"id":"m","ok":true,"token":"a b","expires":1,"port":1})").error,
             Catch::Contains("url-safe"));
}
