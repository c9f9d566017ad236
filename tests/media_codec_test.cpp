// The media library's words on the wire: commands, answers, and a pushed playlist's files in
// the event and the board.
#include <catch2/catch.hpp>

#include "protocol/codec.hpp"

using namespace tablo::protocol;

namespace {

const MediaFile welcome{std::string(64, 'a'), 51318};
const MediaItem item{"welcome.mp4", welcome, "mov,mp4,m4a,3gp,3g2,mj2", "h264", "aac", 1920, 1080, 12.5, 90, 1718000000000};

}  // namespace

TEST_CASE("every media command and answer survives a round trip") {
  for (const MediaAction& action :
       {MediaAction{MediaAdd{"welcome.mp4", welcome}}, MediaAction{MediaChunk{welcome.sha256, 1024, std::string("\0\1\2\xff", 4)}},
        MediaAction{MediaListRequest{}}, MediaAction{MediaInfoRequest{"ролик.mp4"}}, MediaAction{MediaRemove{"welcome.mp4"}},
        MediaAction{MediaTokenRequest{}}}) {
    const Command command{"d3-1", "main", action};
    auto decoded = decode_command(encode(command));
    INFO(encode(command));
    REQUIRE(decoded);
    CHECK(*decoded == command);
  }
  for (const Answer& answer : {Answer{MediaProgress{100, 51318, std::nullopt}}, Answer{MediaProgress{51318, 51318, item}},
                               Answer{MediaItems{{item, item}}}, Answer{MediaItems{}},
                               Answer{MediaToken{"1718003600.desk-3.abcdef", 1718003600, 5557, ""}},
                               Answer{MediaToken{"t", 1, 5557, "http://10.0.0.5:5557/media/"}}}) {
    const Reply reply{"d3-1", answer};
    auto decoded = decode_reply(encode(reply));
    INFO(encode(reply));
    REQUIRE(decoded);
    CHECK(*decoded == reply);
  }
}

TEST_CASE("a pushed playlist's files travel in its event and in the board") {
  const PlaylistSet pushed{"[[item]]\nfile = \"welcome.mp4\"\n", {{"welcome.mp4", welcome}}};
  const Event event{"main", 1, 2, 3, pushed};
  auto decoded = decode_published("z/main/", encode(event));
  REQUIRE(decoded);
  CHECK(std::get<Event>(*decoded) == event);
  CHECK(encode(event).find(R"("media":{"welcome.mp4":{"sha256":")" + welcome.sha256 + R"(","size":51318}})") !=
        std::string::npos);
  Board board;
  board.playlist = pushed.text;
  board.playlist_media = pushed.media;
  const Reply snapshot{"s", Snapshot{"main", 1, 2, board}};
  auto read = decode_reply(encode(snapshot));
  REQUIRE(read);
  CHECK(*read == snapshot);
  CHECK(encode(Event{"main", 1, 2, 3, PlaylistSet{""}}).find("media") == std::string::npos);
}

TEST_CASE("media fields are checked: names, hashes, chunk sizes") {
  auto rejected = [](const std::string& body) {
    auto d = decode_command(body);
    REQUIRE_FALSE(d);
    return d.rejection().reason;
  };
  const std::string sha = welcome.sha256;
  CHECK(rejected(R"({"v":1,"cmd":"media_add","name":"../etc/passwd","sha256":")" + sha + R"(","size":1})") ==
        "field 'name' must be a file name without '/' and not starting with '.', not '../etc/passwd'");
  CHECK(rejected(R"({"v":1,"cmd":"media_add","name":"a.mp4","sha256":"ABC","size":1})") ==
        "field 'sha256' must be 64 lowercase hex digits, not 'ABC'");
  CHECK(rejected(R"({"v":1,"cmd":"media_chunk","sha256":")" + sha + R"(","offset":0,"data":"!!"})") ==
        "field 'data' must be padded base64");
  CHECK(rejected(R"({"v":1,"type":"playlist","zone":"main","epoch":1,"seq":2,"at":3,"text":"x","media":{"a/b":{}}})").size() > 0);
}

TEST_CASE("a chunk may pass the message limit; no other command may, and a chunk no further than its own") {
  const std::string chunk = encode(Command{"d3-2", "main", MediaAction{MediaChunk{welcome.sha256, 0, std::string(limits::media_chunk, 'x')}}});
  REQUIRE(chunk.size() > limits::message);
  CHECK(decode_command(chunk));
  const std::string ticker = encode(Command{"d3-3", "main", Change{TickerSet{std::string(limits::message, 'x')}}});
  auto refused = decode_command(ticker);
  REQUIRE_FALSE(refused);
  CHECK(refused.rejection().kind == "oversized");
  // A ticker that says "media_chunk" inside its text is still a ticker: refused after parsing.
  const std::string disguised = encode(Command{"d3-4", "main", Change{TickerSet{"\"cmd\":\"media_chunk\"" + std::string(limits::message, 'x')}}});
  auto still = decode_command(disguised);
  REQUIRE_FALSE(still);
  CHECK(still.rejection().kind == "oversized");
  const std::string too_big = encode(Command{"d3-5", "main", MediaAction{MediaChunk{welcome.sha256, 0, std::string(limits::media_chunk + 1, 'x')}}});
  CHECK_FALSE(decode_command(too_big));
}
