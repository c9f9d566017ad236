#include <catch2/catch.hpp>

#include <limits>
#include <string>
#include <vector>

#include "protocol/base64.hpp"
#include "protocol/board.hpp"
#include "protocol/codec.hpp"

using namespace tablo::protocol;
using Catch::Matchers::Contains;

namespace {

constexpr std::uint64_t epoch = 1718000000123;
constexpr std::int64_t at = 1718000421532;

std::vector<Change> every_change() {
  return {Called{"A042", "3", "Кредиты", "Пройдите, пожалуйста"},
          Called{"Б007", "12", "", ""},
          Recalled{"A042"},
          Finished{"A042"},
          Cancelled{"Б007"},
          Cleared{},
          Announced{"Уважаемые клиенты! Отделение закрывается через 15 минут.", 20},
          Announced{"", 15},
          Announced{"Отделение закрывается через 15 минут", 30, "closing"},
          TickerSet{"Часы работы: пн–пт 9:00–18:00"},
          TickerSet{""},
          PlaylistSet{"[[item]]\nfile = \"ролик.mp4\"\n\n[[item]]\nfile = \"/srv/media/slide.png\"\nduration = 8\n"},
          PlaylistSet{""}};
}

Board full_board() {
  Board board;
  board.calls = {Call{"Б007", "12", "", "Пройдите, пожалуйста, к окну", at, 0},
                 Call{"A042", "3", "Кредиты", "", at - 20'000, 2}};
  board.ticker = "Часы работы: пн–пт 9:00–18:00";
  board.announcement = Announcement{"Отделение закрывается через 15 минут", at + 20'000};
  board.playlist = "[[item]]\nfile = \"ролик.mp4\"\n";
  return board;
}

std::string command_body(const std::string& fields) { return R"({"v":1,"id":"c1",)" + fields + "}"; }
std::string call_body(const std::string& fields) { return command_body(R"("cmd":"call",)" + fields); }
std::string event_body(const std::string& fields) {
  return R"({"v":1,"zone":"main","epoch":1,"seq":2,"at":3,)" + fields + "}";
}

template <class T>
Rejection rejected(const Decoded<T>& decoded) {
  REQUIRE_FALSE(decoded);
  return decoded.rejection();
}

void check_command_refused(const std::string& body, const std::string& kind, const std::string& names) {
  INFO(body);
  const Rejection r = rejected(decode_command(body));
  CHECK(r.kind == kind);
  CHECK_THAT(r.reason, Contains(names));
}

void check_event_refused(std::string_view topic, const std::string& body, const std::string& kind,
                         const std::string& names) {
  INFO(topic << "  " << body);
  const Rejection r = rejected(decode_published(topic, body));
  CHECK(r.kind == kind);
  CHECK_THAT(r.reason, Contains(names));
}

void check_reply_refused(const std::string& body, const std::string& kind, const std::string& names) {
  INFO(body);
  const Rejection r = rejected(decode_reply(body));
  CHECK(r.kind == kind);
  CHECK_THAT(r.reason, Contains(names));
}

std::string snapshot_body(const std::string& board) {
  return R"({"v":1,"id":"s1","ok":true,"zone":"main","epoch":1,"seq":5,"board":)" + board + "}";
}
std::string board_with_call(const std::string& call) {
  return R"({"calls":[)" + call + R"(],"ticker":"","announcement":null})";
}

}  // namespace

// --- round trips -------------------------------------------------------------------------

TEST_CASE("every change survives a round trip as an event on its zone's topic") {
  std::uint64_t seq = 1;
  for (const auto& change : every_change()) {
    for (const std::string zone : {"main", "hall-2", "z_9"}) {
      const Event event{zone, epoch, seq++, at, change};
      INFO(encode(event));
      auto decoded = decode_published(zone_topic(zone), encode(event));
      REQUIRE(decoded);
      REQUIRE(std::holds_alternative<Event>(*decoded));
      CHECK(std::get<Event>(*decoded) == event);
    }
  }
}

TEST_CASE("an event names its type as type_name says") {
  for (const auto& change : every_change()) {
    const std::string body = encode(Event{"main", epoch, 1, at, change});
    CHECK_THAT(body, Contains(R"("type":")" + std::string(type_name(change)) + '"'));
  }
}

TEST_CASE("every command action survives a round trip") {
  std::vector<Action> actions{SnapshotRequest{}, StatusRequest{}};
  for (const auto& change : every_change()) actions.emplace_back(change);
  for (const auto& action : actions) {
    const Command command{"op3-17", "hall-2", action};
    INFO(encode(command));
    auto decoded = decode_command(encode(command));
    REQUIRE(decoded);
    CHECK(*decoded == command);
  }
}

TEST_CASE("a command without zone is for the main zone and one without id has an empty id") {
  auto decoded = decode_command(R"({"v":1,"cmd":"recall","ticket":"A1"})");
  REQUIRE(decoded);
  CHECK(decoded->zone == "main");
  CHECK(decoded->id.empty());
  CHECK(decoded->action == Action{Change{Recalled{"A1"}}});
}

TEST_CASE("an announce without seconds lasts 15 seconds") {
  auto decoded = decode_command(command_body(R"("cmd":"announce","text":"Внимание")"));
  REQUIRE(decoded);
  CHECK(decoded->action == Action{Change{Announced{"Внимание", 15}}});
}

TEST_CASE("fields a message does not know are ignored, so that later versions can add them") {
  auto decoded = decode_command(call_body(R"("ticket":"A1","window":"2","priority":5,"extra":{"a":[1]})"));
  REQUIRE(decoded);
  CHECK(decoded->action == Action{Change{Called{"A1", "2", "", ""}}});
}

TEST_CASE("every reply answer survives a round trip") {
  const std::vector<Reply> replies{
      Reply{"op3-17", Accepted{epoch, 17}},
      Reply{"op3-17", Refused{"field 'ticket' must not be empty"}},
      Reply{"screen-1", Snapshot{"main", epoch, 18, full_board()}},
      Reply{"screen-1", Snapshot{"hall-2", epoch, 0, Board{}}},
      Reply{"ctl-1", Status{"0.1.0", epoch, 3600, {{"main", {18, 2}}, {"hall-2", {0, 0}}},
                            {{"commands", 40}, {"rejected", 2}, {"rejected.invalid-field", 2}}, {}}},
      Reply{"ctl-1", Status{"0.1.0", epoch, 0, {}, {}, {}}},
      Reply{"ctl-1", Status{"0.1.0", epoch, 5, {{"main", {9, 1}}}, {},
                            {{"main", 7, "call Л7 → 2", "changes.jsonl line 7: the checksum does not match"},
                             {"", 0, "\u0000garbage", "changes.jsonl line 9: not a JSON object"}}}},
      Reply{"ctl-1", Status{"0.1.0", epoch, 5, {}, {}, {}, {}, 0,
                            UpstreamStatus{"tcp://region:5555", false, 12,
                                           {{"region", {{"main", "hall-2"}, epoch - 7, 41, 43, {"new-year.mp4"}}}}}}},
  };
  for (const auto& reply : replies) {
    INFO(encode(reply));
    auto decoded = decode_reply(encode(reply));
    REQUIRE(decoded);
    CHECK(*decoded == reply);
  }
}

TEST_CASE("a snapshot carries Cyrillic text byte for byte") {
  const std::string body = encode(Reply{"s", Snapshot{"main", epoch, 18, full_board()}});
  CHECK_THAT(body, Contains("Пройдите, пожалуйста, к окну"));  // not \u-escaped
  auto decoded = decode_reply(body);
  REQUIRE(decoded);
  CHECK(std::get<Snapshot>(decoded->answer).board.calls.front().ticket == "Б007");
}

TEST_CASE("a heartbeat survives a round trip on the heartbeat topic") {
  const Heartbeat heartbeat = GENERATE(Heartbeat{epoch, at, {}}, Heartbeat{epoch, at, {{"main", 18}, {"hall-2", 0}}});
  auto decoded = decode_published(heartbeat_topic, encode(heartbeat));
  REQUIRE(decoded);
  REQUIRE(std::holds_alternative<Heartbeat>(*decoded));
  CHECK(std::get<Heartbeat>(*decoded) == heartbeat);
}

TEST_CASE("a heartbeat with bad zone sequence numbers is refused") {
  check_event_refused("hb/", R"({"v":1,"type":"heartbeat","epoch":1,"at":1,"seqs":[1]})", "invalid-field",
                      "field 'seqs' must be an object");
  check_event_refused("hb/", R"({"v":1,"type":"heartbeat","epoch":1,"at":1,"seqs":{"Main":1}})", "invalid-field",
                      "not a zone name");
  check_event_refused("hb/", R"({"v":1,"type":"heartbeat","epoch":1,"at":1,"seqs":{"main":-1}})", "invalid-field",
                      "non-negative integer");
}

TEST_CASE("the snapshot of a full board at every limit fits in one message") {
  // Quotes and backslashes take two bytes each on the wire: the most a string can grow.
  auto worst = [](std::size_t bytes) { return std::string(bytes, '"'); };
  Board board;
  for (std::size_t i = 0; i < max_board_calls; ++i) {
    std::string ticket = std::to_string(i) + worst(limits::ticket);
    ticket.resize(limits::ticket);
    board.calls.push_back(Call{ticket, worst(limits::window), worst(limits::service), worst(limits::call_text),
                               std::numeric_limits<std::int64_t>::max(), std::numeric_limits<int>::max()});
  }
  board.ticker = worst(limits::ticker);
  board.announcement = Announcement{worst(limits::announcement), std::numeric_limits<std::int64_t>::max()};
  board.playlist = worst(limits::playlist);
  const Reply reply{std::string(limits::id, 'i'),
                    Snapshot{std::string(limits::zone, 'z'), std::numeric_limits<std::uint64_t>::max(),
                             std::numeric_limits<std::uint64_t>::max(), board}};

  const std::string body = encode(reply);
  CHECK(body.size() <= limits::message);
  auto decoded = decode_reply(body);
  REQUIRE(decoded);
  CHECK(*decoded == reply);
}

TEST_CASE("a message of exactly the size limit is read, one byte more is oversized") {
  std::string body = R"({"v":1,"cmd":"status"})";
  body.append(limits::message - body.size(), ' ');
  CHECK(decode_command(body));

  body += ' ';
  check_command_refused(body, "oversized", std::to_string(limits::message));
}

// --- bad input ---------------------------------------------------------------------------

TEST_CASE("a body that is not JSON is malformed") {
  for (const std::string body : {"", "call A1 3", "{", R"({"v":1,"cmd":"status"} trailing)", "{'v':1}"}) {
    check_command_refused(body, "malformed", "not valid UTF-8 JSON");
    check_reply_refused(body, "malformed", "not valid UTF-8 JSON");
    check_event_refused("z/main/", body, "malformed", "not valid UTF-8 JSON");
  }
}

TEST_CASE("JSON that is not an object is malformed") {
  for (const std::string body : {"[1,2]", R"("call")", "42", "null", "true"}) {
    check_command_refused(body, "malformed", "not an object");
    check_reply_refused(body, "malformed", "not an object");
    check_event_refused("hb/", body, "malformed", "not an object");
  }
}

TEST_CASE("invalid UTF-8 is malformed, even inside a string") {
  const std::vector<std::string> bad_strings{
      "\xff",          // never valid in UTF-8
      "\xc0\xaf",      // overlong '/'
      "\xd0",          // a lead byte with no continuation
      "\xed\xa0\x80",  // an encoded surrogate
      "\xf4\x90\x80\x80",  // above U+10FFFF
      "\\ud800",       // a lone surrogate escape
  };
  for (const auto& bad : bad_strings) {
    check_command_refused(call_body(R"("ticket":"A)" + bad + R"(","window":"1")"), "malformed", "UTF-8");
    check_reply_refused(R"({"v":1,"id":"1","ok":false,"error":")" + bad + R"("})", "malformed", "UTF-8");
  }
}

TEST_CASE("a message without the version field is malformed") {
  check_command_refused(R"({"cmd":"status"})", "malformed", "'v'");
  check_reply_refused(R"({"id":"1","ok":true,"epoch":1,"seq":1})", "malformed", "'v'");
  check_event_refused("hb/", R"({"type":"heartbeat","epoch":1,"at":1})", "malformed", "'v'");
}

TEST_CASE("a version that is not an integer is malformed") {
  check_command_refused(R"({"v":"1","cmd":"status"})", "malformed", "'v' must be an integer");
  check_command_refused(R"({"v":1.0,"cmd":"status"})", "malformed", "'v' must be an integer");
}

TEST_CASE("any version but 1 is refused as a version mismatch") {
  check_command_refused(R"({"v":2,"cmd":"status"})", "version", "protocol version 2");
  check_command_refused(R"({"v":0,"cmd":"status"})", "version", "protocol version 0");
  check_command_refused(R"({"v":-1,"cmd":"status"})", "version", "protocol version -1");
  check_command_refused(R"({"v":18446744073709551617,"cmd":"status"})", "malformed", "'v'");
  check_reply_refused(R"({"v":2,"id":"1","ok":true,"epoch":1,"seq":1})", "version", "speaks 1");
  check_event_refused("hb/", R"({"v":2,"type":"heartbeat","epoch":1,"at":1})", "version", "version 2");
}

TEST_CASE("a message over the size limit is oversized, before it is parsed") {
  const std::string huge(limits::message + 1, '{');
  check_command_refused(huge, "oversized", "exceeds the limit");
  check_reply_refused(huge, "oversized", "exceeds the limit");
  check_event_refused("z/main/", huge, "oversized", "exceeds the limit");
}

TEST_CASE("an unknown command or event type is refused as unknown-type") {
  check_command_refused(command_body(R"("cmd":"reboot")"), "unknown-type", "'reboot'");
  check_command_refused(command_body(R"("cmd":"heartbeat")"), "unknown-type", "'heartbeat'");
  check_event_refused("z/main/", event_body(R"("type":"snapshot")"), "unknown-type", "'snapshot'");
}

TEST_CASE("a reason quotes a long or hostile value shortened and without control characters") {
  const Rejection unknown =
      rejected(decode_command(command_body(R"("cmd":"bad\nname)" + std::string(10'000, 'y') + "\"")));
  CHECK(unknown.kind == "unknown-type");
  CHECK_THAT(unknown.reason, Contains("'bad?name"));
  CHECK(unknown.reason.size() < 100);
  CHECK(unknown.reason.find('\n') == std::string::npos);

  const Rejection topic = rejected(decode_published(std::string(5000, 't'), encode(Heartbeat{1, 2, {}})));
  CHECK(topic.reason.size() < 150);
}

TEST_CASE("a missing type or cmd is malformed") {
  check_command_refused(R"({"v":1,"id":"1","ticket":"A1"})", "malformed", "missing field 'cmd'");
  check_command_refused(R"({"v":1,"cmd":7})", "malformed", "'cmd' must be a string");
  check_event_refused("z/main/", event_body(R"("ticket":"A1")"), "malformed", "missing field 'type'");
  check_reply_refused(R"({"v":1,"id":"1","epoch":1,"seq":1})", "malformed", "missing field 'ok'");
  check_reply_refused(R"({"v":1,"id":"1","ok":"yes","epoch":1,"seq":1})", "malformed", "'ok' must be");
}

TEST_CASE("a missing required field is refused and named") {
  check_command_refused(call_body(R"("ticket":"A1")"), "invalid-field", "missing field 'window'");
  check_command_refused(call_body(R"("window":"1")"), "invalid-field", "missing field 'ticket'");
  check_command_refused(call_body(R"("ticket":null,"window":"1")"), "invalid-field", "missing field 'ticket'");
  check_command_refused(command_body(R"("cmd":"recall")"), "invalid-field", "missing field 'ticket'");
  check_command_refused(command_body(R"("cmd":"finish")"), "invalid-field", "missing field 'ticket'");
  check_command_refused(command_body(R"("cmd":"cancel")"), "invalid-field", "missing field 'ticket'");
  check_command_refused(command_body(R"("cmd":"announce")"), "invalid-field", "missing field 'text'");
  check_command_refused(command_body(R"("cmd":"ticker")"), "invalid-field", "missing field 'text'");
  check_event_refused("z/main/", R"({"v":1,"zone":"main","epoch":1,"at":3,"type":"clear"})", "invalid-field",
                      "missing field 'seq'");
  check_event_refused("z/main/", R"({"v":1,"zone":"main","seq":1,"at":3,"type":"clear"})", "invalid-field",
                      "missing field 'epoch'");
  check_event_refused("z/main/", R"({"v":1,"zone":"main","epoch":1,"seq":3,"type":"clear"})", "invalid-field",
                      "missing field 'at'");
  check_event_refused("hb/", R"({"v":1,"type":"heartbeat","at":1})", "invalid-field", "missing field 'epoch'");
  check_reply_refused(R"({"v":1,"id":"1","ok":true,"epoch":1})", "invalid-field", "missing field 'seq'");
  check_reply_refused(R"({"v":1,"id":"1","ok":false})", "invalid-field", "missing field 'error'");
}

TEST_CASE("a field of the wrong type is refused and named") {
  check_command_refused(call_body(R"("ticket":42,"window":"1")"), "invalid-field", "'ticket' must be a string");
  check_command_refused(call_body(R"("ticket":"A1","window":3)"), "invalid-field", "'window' must be a string");
  check_command_refused(call_body(R"("ticket":"A1","window":"3","service":["x"])"), "invalid-field",
                        "'service' must be a string");
  check_command_refused(R"({"v":1,"id":17,"cmd":"status"})", "invalid-field", "'id' must be a string");
  check_command_refused(command_body(R"("cmd":"status","zone":{"name":"main"})"), "invalid-field",
                        "'zone' must be a string");
  check_command_refused(command_body(R"("cmd":"announce","text":"x","seconds":"15")"), "invalid-field",
                        "'seconds' must be an integer");
  check_command_refused(command_body(R"("cmd":"announce","text":"x","seconds":15.5)"), "invalid-field",
                        "'seconds' must be an integer");
  check_event_refused("z/main/", R"({"v":1,"zone":"main","epoch":1,"seq":"2","at":3,"type":"clear"})",
                      "invalid-field", "'seq' must be a non-negative integer");
  check_reply_refused(R"({"v":1,"id":"1","ok":true,"epoch":1,"seq":1,"status":[]})", "invalid-field",
                      "'status' must be an object");
  check_reply_refused(R"({"v":1,"id":"1","ok":true,"epoch":1,"seq":1,"board":"full"})", "invalid-field",
                      "'board' must be an object");
}

TEST_CASE("a field longer than its limit is refused with its length and limit") {
  check_command_refused(call_body(R"("ticket":")" + std::string(33, 'A') + R"(","window":"1")"), "invalid-field",
                        "'ticket' is 33 bytes, longer than 32");
  // Limits count bytes of UTF-8: 17 Cyrillic letters are 34 bytes.
  std::string cyrillic;
  for (int i = 0; i < 17; ++i) cyrillic += "Б";
  check_command_refused(call_body(R"("ticket":")" + cyrillic + R"(","window":"1")"), "invalid-field",
                        "'ticket' is 34 bytes");
  check_command_refused(call_body(R"("ticket":"A1","window":")" + std::string(33, '9') + "\""), "invalid-field",
                        "'window' is 33 bytes");
  check_command_refused(call_body(R"("ticket":"A1","window":"1","service":")" + std::string(129, 's') + "\""),
                        "invalid-field", "'service' is 129 bytes");
  check_command_refused(call_body(R"("ticket":"A1","window":"1","text":")" + std::string(513, 't') + "\""),
                        "invalid-field", "'text' is 513 bytes, longer than 512");
  check_command_refused(command_body(R"("cmd":"announce","text":")" + std::string(2049, 'a') + "\""),
                        "invalid-field", "longer than 2048");
  check_command_refused(command_body(R"("cmd":"ticker","text":")" + std::string(4097, 'a') + "\""),
                        "invalid-field", "longer than 4096");
  check_command_refused(R"({"v":1,"cmd":"status","id":")" + std::string(65, 'i') + "\"}", "invalid-field",
                        "'id' is 65 bytes");
  check_command_refused(command_body(R"("cmd":"status","zone":")" + std::string(33, 'z') + "\""), "invalid-field",
                        "'zone' is 33 bytes");
}

TEST_CASE("fields at their limits are accepted") {
  auto decoded = decode_command(R"({"v":1,"id":")" + std::string(64, 'i') + R"(","zone":")" + std::string(32, 'z') +
                                R"(","cmd":"call","ticket":")" + std::string(32, 'A') + R"(","window":")" +
                                std::string(32, '9') + R"(","service":")" + std::string(128, 's') +
                                R"(","text":")" + std::string(512, 't') + "\"}");
  CHECK(decoded);
  CHECK(decode_command(command_body(R"("cmd":"ticker","text":")" + std::string(4096, 'a') + "\"")));
  CHECK(decode_command(command_body(R"("cmd":"announce","seconds":600,"text":")" + std::string(2048, 'a') + "\"")));
}

TEST_CASE("an empty ticket or window is refused") {
  check_command_refused(call_body(R"("ticket":"","window":"1")"), "invalid-field", "'ticket' must not be empty");
  check_command_refused(call_body(R"("ticket":"A1","window":"")"), "invalid-field", "'window' must not be empty");
  check_command_refused(command_body(R"("cmd":"recall","ticket":"")"), "invalid-field", "'ticket'");
}

TEST_CASE("control characters in a ticket, window, service or id are refused") {
  for (const std::string bad : {"\\u0000", "\\t", "\\n", "\\u001b[31m", "\\u007f", "\\u0085", "\xc2\x9b"}) {
    check_command_refused(call_body(R"("ticket":"A)" + bad + R"(1","window":"1")"), "invalid-field",
                          "'ticket' must not contain control characters");
    check_command_refused(call_body(R"("ticket":"A1","window":"1)" + bad + "\""), "invalid-field", "'window'");
    check_command_refused(call_body(R"("ticket":"A1","window":"1","service":"x)" + bad + "\""), "invalid-field",
                          "'service'");
    check_command_refused(R"({"v":1,"cmd":"status","id":")" + bad + "\"}", "invalid-field", "'id'");
  }
}

TEST_CASE("free text keeps tabs and line breaks but refuses other control characters") {
  auto decoded = decode_command(command_body(R"("cmd":"announce","text":"Строка 1\r\nСтрока\t2")"));
  REQUIRE(decoded);
  CHECK(decoded->action == Action{Change{Announced{"Строка 1\r\nСтрока\t2", 15}}});

  check_command_refused(command_body(R"("cmd":"ticker","text":"a\u0000b")"), "invalid-field",
                        "'text' must not contain control characters");
  check_command_refused(command_body(R"("cmd":"announce","text":"\u001b[2J")"), "invalid-field", "'text'");
  check_command_refused(call_body(R"("ticket":"A1","window":"1","text":"x\u0007")"), "invalid-field", "'text'");
}

TEST_CASE("Unicode that is not a control character is welcome in names") {
  auto decoded = decode_command(call_body(R"("ticket":"Ж-12 ✓","window":"Окно №3","service":"Пенсии 👵")"));
  REQUIRE(decoded);
  CHECK(decoded->action == Action{Change{Called{"Ж-12 ✓", "Окно №3", "Пенсии 👵", ""}}});
}

TEST_CASE("a bad zone name is refused") {
  for (const std::string zone : {"Main", "зал", "a/b", "a b", "hall.2", "z/main/"}) {
    check_command_refused(command_body(R"("cmd":"status","zone":")" + zone + "\""), "invalid-field",
                          "must be 1–32 characters of a-z 0-9 _ -");
  }
  CHECK_FALSE(valid_zone_name(""));
  CHECK_FALSE(valid_zone_name(std::string(33, 'a')));
  CHECK(valid_zone_name(std::string(32, 'a')));
  CHECK(valid_zone_name("hall_2-b"));
}

TEST_CASE("an empty or null zone means the main zone") {
  auto empty = decode_command(command_body(R"("cmd":"snapshot","zone":"")"));
  auto null = decode_command(command_body(R"("cmd":"snapshot","zone":null)"));
  REQUIRE(empty);
  REQUIRE(null);
  CHECK(empty->zone == "main");
  CHECK(null->zone == "main");
}

TEST_CASE("an event must arrive on its own zone's topic") {
  const std::string body = encode(Event{"hall", 1, 2, 3, Cleared{}});
  CHECK(decode_published("z/hall/", body));
  check_event_refused("z/main/", body, "invalid-field", "event of zone 'hall' arrived on topic 'z/main/'");
  check_event_refused("z/hall", body, "invalid-field", "not 'z/hall/'");
  check_event_refused("z/hall/x", body, "invalid-field", "arrived on topic");
  check_event_refused("hb/", body, "invalid-field", "arrived on topic 'hb/'");
  check_event_refused("", body, "invalid-field", "arrived on topic ''");
}

TEST_CASE("a heartbeat on a zone topic is refused") {
  const std::string body = encode(Heartbeat{1, 2, {}});
  check_event_refused("z/main/", body, "invalid-field", "heartbeat arrived on topic 'z/main/'");
  check_event_refused("hb", body, "invalid-field", "heartbeat arrived on topic 'hb'");
}

TEST_CASE("announcement seconds outside 1–600 are refused") {
  for (const std::string seconds : {"0", "601", "-5", "18446744073709551615", "9223372036854775808", "100000"}) {
    check_command_refused(command_body(R"("cmd":"announce","text":"x","seconds":)" + seconds), "invalid-field",
                          "'seconds' must be 1–600");
    check_event_refused("z/main/", event_body(R"("type":"announce","text":"x","seconds":)" + seconds),
                        "invalid-field", "'seconds' must be 1–600");
  }
  CHECK(decode_command(command_body(R"("cmd":"announce","text":"x","seconds":1)")));
}

TEST_CASE("a recording is a file name in the screens' folder and comes with its words") {
  for (const std::string name : {"../etc/passwd", "sub/closing", ".hidden"})
    check_command_refused(command_body(R"("cmd":"announce","text":"x","recording":")" + name + R"(")"), "invalid-field",
                          "'recording' must be a file name");
  check_command_refused(command_body(R"("cmd":"announce","text":"","recording":"closing")"), "invalid-field",
                        "'recording' needs the words");
  check_command_refused(command_body(R"("cmd":"announce","text":"x","recording":")" + std::string(65, 'a') + R"(")"),
                        "invalid-field", "longer than 64");
  check_event_refused("z/main/", event_body(R"("type":"announce","text":"","recording":"closing")"), "invalid-field",
                      "'recording' needs the words");
  CHECK(decode_command(command_body(R"("cmd":"announce","text":"x","recording":"closing.wav")")));
}

TEST_CASE("a negative sequence number or epoch is refused") {
  check_event_refused("z/main/", R"({"v":1,"zone":"main","epoch":1,"seq":-1,"at":3,"type":"clear"})",
                      "invalid-field", "'seq' must be a non-negative integer");
  check_event_refused("z/main/", R"({"v":1,"zone":"main","epoch":-1,"seq":1,"at":3,"type":"clear"})",
                      "invalid-field", "'epoch' must be a non-negative integer");
  check_reply_refused(R"({"v":1,"id":"1","ok":true,"epoch":1,"seq":-7})", "invalid-field", "'seq'");
  check_event_refused("z/main/", R"({"v":1,"zone":"main","epoch":1,"seq":1e3,"at":3,"type":"clear"})",
                      "invalid-field", "'seq' must be a non-negative integer");
}

TEST_CASE("the largest sequence number is read exactly") {
  auto decoded = decode_reply(R"({"v":1,"id":"1","ok":true,"epoch":1,"seq":18446744073709551615})");
  REQUIRE(decoded);
  CHECK(std::get<Accepted>(decoded->answer).seq == std::numeric_limits<std::uint64_t>::max());
  check_reply_refused(R"({"v":1,"id":"1","ok":true,"epoch":1,"seq":18446744073709551616})", "invalid-field",
                      "'seq' must be a non-negative integer");
}

TEST_CASE("a hub time that is negative or beyond int64 is refused, not wrapped") {
  check_event_refused("z/main/", R"({"v":1,"zone":"main","epoch":1,"seq":1,"at":-1,"type":"clear"})",
                      "invalid-field", "'at' must be 0–9223372036854775807, not -1");
  check_event_refused("z/main/",
                      R"({"v":1,"zone":"main","epoch":1,"seq":1,"at":18446744073709551615,"type":"clear"})",
                      "invalid-field", "'at' must be 0–9223372036854775807");
  check_event_refused("hb/", R"({"v":1,"type":"heartbeat","epoch":1,"at":9223372036854775808})", "invalid-field",
                      "'at'");
  auto largest =
      decode_published("hb/", R"({"v":1,"type":"heartbeat","epoch":1,"at":9223372036854775807})");
  REQUIRE(largest);
  CHECK(std::get<Heartbeat>(*largest).at == std::numeric_limits<std::int64_t>::max());
}

TEST_CASE("a snapshot call with a huge or negative recall count is refused, not wrapped") {
  const auto call = [](const std::string& recalls) {
    return board_with_call(R"({"ticket":"A1","window":"1","service":"","text":"","at":1,"recalls":)" + recalls +
                           "}");
  };
  check_reply_refused(snapshot_body(call("4294967297")), "invalid-field", "'recalls' must be 0–2147483647");
  check_reply_refused(snapshot_body(call("-1")), "invalid-field", "'recalls' must be 0–2147483647");
  check_reply_refused(snapshot_body(call("1.5")), "invalid-field", "'recalls' must be an integer");
  auto most = decode_reply(snapshot_body(call("2147483647")));
  REQUIRE(most);
  CHECK(std::get<Snapshot>(most->answer).board.calls.front().recalls == std::numeric_limits<int>::max());
}

TEST_CASE("a snapshot whose calls are not all well-formed objects is refused, naming the call") {
  check_reply_refused(snapshot_body(board_with_call("\"A1\"")), "invalid-field", "board.calls[0]: must be an object");
  check_reply_refused(snapshot_body(board_with_call(
                          R"({"ticket":"A1","window":"1","at":1,"recalls":0},[1])")),
                      "invalid-field", "board.calls[1]: must be an object");
  check_reply_refused(snapshot_body(board_with_call(R"({"ticket":"A1","at":1,"recalls":0})")), "invalid-field",
                      "board.calls[0]: missing field 'window'");
  check_reply_refused(snapshot_body(board_with_call(R"({"ticket":"A\n","window":"1","at":1,"recalls":0})")),
                      "invalid-field", "board.calls[0]: field 'ticket' must not contain control characters");
  check_reply_refused(snapshot_body(board_with_call(R"({"ticket":"A\u0001","window":"1","at":1,"recalls":0})")),
                      "invalid-field", "board.calls[0]: field 'ticket' must not contain control characters");
  check_reply_refused(snapshot_body(R"({"calls":{"A1":{}}})"), "invalid-field", "'board.calls' must be an array");
  check_reply_refused(snapshot_body(R"({"ticker":""})"), "invalid-field", "'board.calls' must be an array");
  check_reply_refused(snapshot_body(R"({"calls":[],"announcement":"hi"})"), "invalid-field",
                      "'board.announcement' must be an object or null");
  check_reply_refused(snapshot_body(R"({"calls":[],"announcement":{"text":"hi","until":-1}})"), "invalid-field",
                      "'until'");
}

TEST_CASE("a snapshot with the same ticket twice is refused") {
  const std::string call = R"({"ticket":"A1","window":"1","at":1,"recalls":0})";
  check_reply_refused(snapshot_body(board_with_call(call + "," + call)), "invalid-field",
                      "board.calls[1]: ticket 'A1' is already on the board");
}

TEST_CASE("a snapshot with more calls than a board keeps is refused") {
  std::string calls;
  for (std::size_t i = 0; i <= max_board_calls; ++i) {
    if (i) calls += ",";
    calls += R"({"ticket":"T)" + std::to_string(i) + R"(","window":"1","at":1,"recalls":0})";
  }
  check_reply_refused(snapshot_body(board_with_call(calls)), "invalid-field", "holds 101 calls, more than 100");
}

TEST_CASE("a status with malformed zones or counters is refused") {
  const auto status = [](const std::string& inner) {
    return R"({"v":1,"id":"1","ok":true,"status":{"hub_version":"0.1","epoch":1,"uptime_s":5,)" + inner + "}}";
  };
  CHECK(decode_reply(status(R"("zones":{},"counters":{})")));
  check_reply_refused(status(R"("zones":[{"seq":1,"calls":0}])"), "invalid-field", "'status.zones' must be an object");
  check_reply_refused(status(R"("zones":"main")"), "invalid-field", "'status.zones' must be an object");
  check_reply_refused(status(R"("zones":{"main":5})"), "invalid-field", "status of zone 'main' must be an object");
  check_reply_refused(status(R"("zones":{"Main":{"seq":1,"calls":0}})"), "invalid-field", "'Main': not a zone name");
  check_reply_refused(status(R"("zones":{"main":{"seq":-1,"calls":0}})"), "invalid-field", "'seq'");
  check_reply_refused(status(R"("counters":[1])"), "invalid-field", "'status.counters' must be an object");
  check_reply_refused(status(R"("counters":{"commands":-3})"), "invalid-field",
                      "counter 'commands' must be a non-negative integer");
  check_reply_refused(status(R"("uptime_s":-3)"), "invalid-field", "'uptime_s'");
}

// --- generated sweeps ----------------------------------------------------------------------

namespace {

std::vector<std::pair<std::string, std::string>> valid_published() {
  std::vector<std::pair<std::string, std::string>> out;
  std::uint64_t seq = 1;
  for (const auto& change : every_change()) out.emplace_back("z/main/", encode(Event{"main", epoch, seq++, at, change}));
  out.emplace_back(std::string(heartbeat_topic), encode(Heartbeat{epoch, at, {}}));
  return out;
}

std::vector<std::string> valid_commands() {
  std::vector<std::string> out{encode(Command{"c", "main", SnapshotRequest{}}),
                               encode(Command{"c", "main", StatusRequest{}})};
  for (const auto& change : every_change()) out.push_back(encode(Command{"c", "hall-2", change}));
  return out;
}

std::vector<std::string> valid_replies() {
  return {encode(Reply{"r", Accepted{epoch, 3}}), encode(Reply{"r", Refused{"нет такого окна"}}),
          encode(Reply{"r", Snapshot{"main", epoch, 4, full_board()}}),
          encode(Reply{"r", Status{"0.1.0", epoch, 9, {{"main", {4, 2}}}, {{"commands", 4}}, {}}})};
}

// Decoding `body` must not throw; when it is accepted, what it says must survive another
// round trip unchanged (no value is half-read).
void check_decodes_safely(std::string_view topic, std::string_view body) {
  Decoded<Published> decoded = Rejection{};
  REQUIRE_NOTHROW(decoded = decode_published(topic, body));
  if (decoded) {
    const std::string again = std::visit([](const auto& p) { return encode(p); }, *decoded);
    auto twice = decode_published(topic, again);
    REQUIRE(twice);
    CHECK(*twice == *decoded);
  } else {
    CHECK_FALSE(decoded.rejection().kind.empty());
    CHECK_FALSE(decoded.rejection().reason.empty());
  }
}

void check_command_decodes_safely(std::string_view body) {
  Decoded<Command> decoded = Rejection{};
  REQUIRE_NOTHROW(decoded = decode_command(body));
  if (decoded) {
    auto twice = decode_command(encode(*decoded));
    REQUIRE(twice);
    CHECK(*twice == *decoded);
  } else {
    CHECK_FALSE(decoded.rejection().reason.empty());
  }
}

void check_reply_decodes_safely(std::string_view body) {
  Decoded<Reply> decoded = Rejection{};
  REQUIRE_NOTHROW(decoded = decode_reply(body));
  if (decoded) {
    auto twice = decode_reply(encode(*decoded));
    REQUIRE(twice);
    CHECK(*twice == *decoded);
  } else {
    CHECK_FALSE(decoded.rejection().reason.empty());
  }
}

}  // namespace

TEST_CASE("every truncation of a valid message is refused as malformed, never thrown") {
  for (const auto& [topic, body] : valid_published()) {
    for (std::size_t n = 0; n < body.size(); ++n) {
      INFO(body.substr(0, n));
      auto decoded = decode_published(topic, std::string_view(body).substr(0, n));
      REQUIRE_FALSE(decoded);
      CHECK(decoded.rejection().kind == "malformed");
    }
  }
  for (const auto& body : valid_commands()) {
    for (std::size_t n = 0; n < body.size(); ++n) {
      INFO(body.substr(0, n));
      auto decoded = decode_command(std::string_view(body).substr(0, n));
      REQUIRE_FALSE(decoded);
      CHECK(decoded.rejection().kind == "malformed");
    }
  }
  for (const auto& body : valid_replies()) {
    for (std::size_t n = 0; n < body.size(); ++n) {
      auto decoded = decode_reply(std::string_view(body).substr(0, n));
      REQUIRE_FALSE(decoded);
      CHECK(decoded.rejection().kind == "malformed");
    }
  }
}

TEST_CASE("every single-byte change of a valid message decodes without throwing") {
  // Bytes that matter to JSON and to the checks: quotes, brackets, digits, signs, a
  // control character, a UTF-8 lead byte and an invalid byte.
  const std::string replacements = std::string("\"{}[]:,-0 9.eA\\") + '\x01' + '\x7f' + "\xd0\xff";
  for (const auto& [topic, body] : valid_published()) {
    for (std::size_t i = 0; i < body.size(); ++i) {
      for (char r : replacements) {
        std::string mutated = body;
        mutated[i] = r;
        INFO(mutated);
        check_decodes_safely(topic, mutated);
      }
      std::string without = body;
      without.erase(i, 1);
      check_decodes_safely(topic, without);
    }
  }
  for (const auto& body : valid_commands()) {
    for (std::size_t i = 0; i < body.size(); ++i) {
      for (char r : replacements) {
        std::string mutated = body;
        mutated[i] = r;
        INFO(mutated);
        check_command_decodes_safely(mutated);
      }
    }
  }
  for (const auto& body : valid_replies()) {
    for (std::size_t i = 0; i < body.size(); ++i) {
      for (char r : replacements) {
        std::string mutated = body;
        mutated[i] = r;
        INFO(mutated);
        check_reply_decodes_safely(mutated);
      }
    }
  }
}

// --- screens: reports, the list, relayed requests and answers ----------------------------

namespace {

ScreenReport a_report() {
  return ScreenReport{"зал-1", {"main", "hall-2"}, "0.1.0", 3600, "/srv/media/ролик.mp4", 3, 1, "device pulseaudio",
                      {{"main", 18}, {"hall-2", 0}}, -61'234,
                      MediaReport{"error", 5, 2, 3'000'000'000, 0, 1, "disk full: 2.1 GB free, 3.0 GB needed (1.0 GB kept spare)"}};
}

// A screen that plays nothing, says nothing and has no board yet.
ScreenReport a_quiet_report() {
  ScreenReport r;
  r.name = "s2";
  r.zones = {"main"};
  return r;
}

}  // namespace

TEST_CASE("screen commands survive a round trip") {
  std::string png = "\x89PNG\r\n\x1a\n";
  for (int i = 0; i < 256; ++i) png += static_cast<char>(i);
  const std::vector<Action> actions{ScreenAction{Report{a_report()}},
                                    ScreenAction{ScreensRequest{}},
                                    ScreenAction{ScreenshotRequest{"зал-1"}},
                                    ScreenAction{ProofOfPlayRequest{"зал-1", "2026-11-26"}},
                                    ScreenAction{ScreenAnswer{ScreenFile{"image/png", png}, ""}},
                                    ScreenAction{ScreenAnswer{std::nullopt, "no proof of play for 2026-11-25"}}};
  for (const auto& action : actions) {
    const Command command{"relay-7", "main", action};
    INFO(encode(command));
    auto decoded = decode_command(encode(command));
    REQUIRE(decoded);
    CHECK(*decoded == command);
  }
}

TEST_CASE("the screen list and a screen's file survive a round trip as replies") {
  const std::vector<Reply> replies{
      Reply{"ctl", ScreenList{{SeenScreen{a_report(), 1250}, SeenScreen{a_quiet_report(), 0}}}},
      Reply{"ctl", ScreenList{}},
      Reply{"ctl", ScreenFile{"application/x-ndjson", "{\"type\":\"media\"}\n"}},
      Reply{"ctl", ScreenFile{"image/png", ""}},
  };
  for (const auto& reply : replies) {
    INFO(encode(reply));
    auto decoded = decode_reply(encode(reply));
    REQUIRE(decoded);
    CHECK(*decoded == reply);
  }
}

TEST_CASE("a pushed playlist over its limit is refused; the whole board with the largest one fits a message") {
  check_command_refused(command_body(R"("cmd":"playlist","text":")" + std::string(limits::playlist + 1, 'x') + "\""),
                        "invalid-field", "field 'text' is 32769 bytes, longer than 32768");
  check_command_refused(command_body(R"("cmd":"playlist")"), "invalid-field", "missing field 'text'");
  check_reply_refused(snapshot_body(R"({"calls":[],"ticker":"","playlist":7})"), "invalid-field",
                      "field 'playlist' must be a string");
}

TEST_CASE("screen requests with a bad screen, day or answer are refused, naming the field") {
  check_command_refused(command_body(R"("cmd":"screenshot")"), "invalid-field", "missing field 'screen'");
  check_command_refused(command_body(R"("cmd":"screenshot","screen":"")"), "invalid-field", "'screen' must not be empty");
  check_command_refused(command_body(R"("cmd":"proof-of-play","screen":"s","day":"26.11.2026")"), "invalid-field",
                        "field 'day' must be a day such as 2026-11-26");
  check_command_refused(command_body(R"("cmd":"proof-of-play","screen":"s","day":"../../etc")"), "invalid-field", "day");
  check_command_refused(command_body(R"("cmd":"answer")"), "invalid-field", "an answer needs 'file' or 'error'");
  check_command_refused(command_body(R"("cmd":"answer","file":{"type":"image/png","data":"AB$="})"), "invalid-field",
                        "field 'file.data' is not base64");
  check_command_refused(command_body(R"("cmd":"report","report":{"name":"s","zones":["Main"]})"), "invalid-field",
                        "not a zone name");
  check_command_refused(command_body(R"("cmd":"report","report":{"name":"s","zones":[],"uptime_s":1,"dropped_frames":-1})"),
                        "invalid-field", "dropped_frames");
  check_reply_refused(R"({"v":1,"id":"r","ok":true,"screens":{}})", "invalid-field", "field 'screens' must be an array");
}

TEST_CASE("a screen's clock offset is a signed number of ms, absent from older screens' reports") {
  const std::string old_fields =
      R"("name":"s","zones":["main"],"version":"0.1.0","uptime_s":10,"playing":"","dropped_frames":0,)"
      R"("pictureless_draws":0,"audio":"none","seqs":{"main":3})";
  auto report_in = [&](const std::string& fields) {
    auto decoded = decode_command(command_body(R"("cmd":"report","report":{)" + fields + "}"));
    REQUIRE(decoded);
    return std::get<Report>(std::get<ScreenAction>(decoded->action)).screen;
  };
  CHECK_FALSE(report_in(old_fields).clock_offset_ms);
  CHECK_FALSE(report_in(old_fields + R"(,"clock_offset_ms":null)").clock_offset_ms);
  CHECK(report_in(old_fields + R"(,"clock_offset_ms":-60012)").clock_offset_ms == -60'012);
  CHECK(report_in(old_fields + R"(,"clock_offset_ms":-9223372036854775808)").clock_offset_ms ==
        std::numeric_limits<std::int64_t>::min());
  check_command_refused(command_body(R"("cmd":"report","report":{)" + old_fields + R"(,"clock_offset_ms":1.5})"),
                        "invalid-field", "field 'clock_offset_ms' must be an integer");
  check_command_refused(
      command_body(R"("cmd":"report","report":{)" + old_fields + R"(,"clock_offset_ms":9223372036854775808})"),
      "invalid-field", "clock_offset_ms");
  CHECK_THAT(encode(Command{"r", "main", ScreenAction{Report{a_report()}}}),
             Catch::Contains(R"("clock_offset_ms":-61234)"));
  CHECK_THAT(encode(Command{"r", "main", ScreenAction{Report{a_quiet_report()}}}),
             !Catch::Contains("clock_offset_ms"));
}

TEST_CASE("a screen's answer may exceed the message limit only where the reader allows it") {
  const Command answer{"relay-1", "main", ScreenAction{ScreenAnswer{ScreenFile{"image/png", std::string(300'000, 'p')}, ""}}};
  const std::string body = encode(answer);
  REQUIRE(body.size() > limits::message);
  check_command_refused(body, "oversized", std::to_string(limits::message));
  auto decoded = decode_command(body, limits::screen_answer);
  REQUIRE(decoded);
  CHECK(*decoded == answer);
}

TEST_CASE("base64 is read back byte for byte, and anything else is refused") {
  for (const std::string& bytes : std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar",
                                                          std::string("\0\xff\x80", 3)}) {
    CHECK(from_base64(to_base64(bytes)) == bytes);
  }
  CHECK(to_base64("foobar") == "Zm9vYmFy");
  CHECK(to_base64("fo") == "Zm8=");
  CHECK_FALSE(from_base64("Zm8"));
  CHECK_FALSE(from_base64("Z=8="));
  CHECK_FALSE(from_base64("Zm8=Zm8="));
  CHECK_FALSE(from_base64("Zm 8"));
}

TEST_CASE("a reload command, its answer and a heartbeat's reload count survive the round trip") {
  const Command reload{"ctl-9", "main", ReloadRequest{}};
  CHECK(encode(reload) == R"({"cmd":"reload","id":"ctl-9","v":1,"zone":"main"})");
  REQUIRE(decode_command(encode(reload)));
  CHECK(*decode_command(encode(reload)) == reload);
  const Reply done{"ctl-9", Reloaded{"config /etc/tablo/tablo.toml reloaded"}};
  REQUIRE(decode_reply(encode(done)));
  CHECK(*decode_reply(encode(done)) == done);
  const Heartbeat beat{1, 2, {{"main", 3}}, 4};
  auto decoded = decode_published(heartbeat_topic, encode(beat));
  REQUIRE(decoded);
  CHECK(std::get<Heartbeat>(*decoded) == beat);
  CHECK(std::get<Heartbeat>(*decode_published(heartbeat_topic, encode(Heartbeat{1, 2, {}}))).reloads == 0);
}

TEST_CASE("a zone removal and a status with connections survive the round trip") {
  const Command removal{"adm-4", "lobby", ZoneRemoval{}};
  CHECK(encode(removal) == R"({"cmd":"zone_remove","id":"adm-4","v":1,"zone":"lobby"})");
  REQUIRE(decode_command(encode(removal)));
  CHECK(*decode_command(encode(removal)) == removal);
  Status status;
  status.hub_version = "0.1.0";
  status.counters = {{"commands", 3}};
  status.connections = {{"commands", 2}, {"events", 340}};
  status.max_connections = 896;
  const Reply reply{"s", status};
  REQUIRE(decode_reply(encode(reply)));
  CHECK(*decode_reply(encode(reply)) == reply);
}
