// A screen's key names the screen it may be, and a key that leaves the authorised keys loses
// its subscription: a real tablo-hub with keys, and clients of each key on real sockets.
#include <catch2/catch.hpp>

#include "tests/support/keyed_hub.hpp"

using namespace tablo;
using namespace tablo::test::keyed;

namespace {

ScreenReport report_as(const std::string& name) { return ScreenReport{name, {"main"}, "test", 1, "", 0, 0, "off", {}, {}}; }

Reply report(zmq::socket_t& dealer, const std::string& name) {
  return ask(dealer, Command{"r-" + name, "main", ScreenAction{Report{report_as(name)}}});
}

std::string refusal(const Reply& reply) {
  const auto* refused = std::get_if<Refused>(&reply.answer);
  return refused ? refused->error : "(accepted)";
}

// The events a subscriber hears within `within`: zone events only, heartbeats counted apart.
struct Heard {
  std::vector<Event> events;
  int heartbeats = 0;
};
Heard listen(zmq::socket_t& sub, std::chrono::milliseconds within) {
  Heard heard;
  for (auto deadline = std::chrono::steady_clock::now() + within; std::chrono::steady_clock::now() < deadline;) {
    auto frames = receive(sub, 100ms);
    if (!frames || frames->size() != 2) continue;
    auto published = decode_published(frames->front(), frames->back());
    REQUIRE(published);
    if (auto* event = std::get_if<Event>(&*published)) {
      heard.events.push_back(*event);
    } else {
      ++heard.heartbeats;
    }
  }
  return heard;
}

}  // namespace

TEST_CASE("a screen's key reports only as the screens its key file names, and is counted when it tries another") {
  KeyedHub branch;
  branch.authorise("disp2", "display");  // names no screens: it is "disp2" only
  branch.authorise("hall", "display", {"hall-left", "hall-right"});
  branch.start();
  auto disp2 = branch.client(zmq::socket_type::dealer, "disp2");
  auto hall = branch.client(zmq::socket_type::dealer, "hall");

  CHECK_THAT(refusal(report(disp2, "hall-left")),
             Catch::Contains("key 'disp2' may not report as screen 'hall-left'") &&
                 Catch::Contains("'disp2' only") && Catch::Contains("screens = [...] in disp2.key"));
  CHECK(std::holds_alternative<Accepted>(report(disp2, "disp2").answer));
  CHECK(std::holds_alternative<Accepted>(report(hall, "hall-left").answer));
  CHECK(std::holds_alternative<Accepted>(report(hall, "hall-right").answer));
  CHECK_THAT(refusal(report(hall, "hall-middle")), Catch::Contains("it may be 'hall-left', 'hall-right'"));
  // The one named before keeps its name: the impostor's report changed nothing.
  CHECK(std::holds_alternative<Accepted>(report(hall, "hall-left").answer));
  CHECK_THAT(refusal(report(disp2, "hall-left")), Catch::Contains("may not report as screen 'hall-left'"));

  const auto status = branch.status();
  CHECK(counter(status, "rejected.screen") == 3);
  // Removing a zone is an admin's.
  CHECK_THAT(branch.ctl("desk-3", {"zone", "rm", "main"}).output, Catch::Contains("key 'desk-3' (operator) may not remove zones"));
  const auto listed = branch.ctl("boss", {"screens"});
  CHECK_THAT(listed.output, Catch::Contains("hall-left") && Catch::Contains("disp2") && !Catch::Contains("hall-middle"));
}

TEST_CASE("a screenshot asked of a screen goes to the key that owns its name, never to one that claimed it") {
  KeyedHub branch;
  branch.authorise("disp2", "display");
  branch.authorise("hall", "display", {"hall-left"});
  branch.start();
  auto disp2 = branch.client(zmq::socket_type::dealer, "disp2");
  auto hall = branch.client(zmq::socket_type::dealer, "hall");
  REQUIRE(std::holds_alternative<Accepted>(report(hall, "hall-left").answer));
  (void)report(disp2, "hall-left");  // refused, as the test above shows

  auto boss = branch.client(zmq::socket_type::dealer, "boss");
  boss.send(zmq::buffer(encode(Command{"shot-1", "main", ScreenAction{ScreenshotRequest{"hall-left"}}})),
            zmq::send_flags::none);
  const auto asked = receive(hall, patience);
  REQUIRE(asked);
  auto request = decode_command(asked->back());
  REQUIRE(request);
  REQUIRE(std::holds_alternative<ScreenAction>(request->action));
  CHECK(std::holds_alternative<ScreenshotRequest>(std::get<ScreenAction>(request->action)));
  CHECK_FALSE(receive(disp2, 300ms));

  // Only the owner's answer comes back to the admin.
  const ScreenFile png{"image/png", "\x89PNG of hall-left"};
  disp2.send(zmq::buffer(encode(Command{request->id, "main", ScreenAction{ScreenAnswer{ScreenFile{"image/png", "forged"}, ""}}})),
             zmq::send_flags::none);
  CHECK_THAT(refusal(*decode_reply(receive(disp2, patience)->back())), Catch::Contains("no request waits"));
  hall.send(zmq::buffer(encode(Command{request->id, "main", ScreenAction{ScreenAnswer{png, ""}}})), zmq::send_flags::none);
  const auto answer = receive(boss, patience);
  REQUIRE(answer);
  auto reply = decode_reply(answer->back(), limits::screen_answer);
  REQUIRE(reply);
  REQUIRE(std::holds_alternative<ScreenFile>(reply->answer));
  CHECK(std::get<ScreenFile>(reply->answer) == png);
}

TEST_CASE("a subscriber whose key is removed hears nothing within seconds; the others hear every change after") {
  KeyedHub branch;
  branch.authorise("screen-2", "display");
  branch.start();
  auto kept = branch.client(zmq::socket_type::sub, "screen-1");
  auto removed = branch.client(zmq::socket_type::sub, "screen-2");
  REQUIRE(listen(kept, 1500ms).heartbeats > 0);
  REQUIRE(listen(removed, 1500ms).heartbeats > 0);
  const auto refused_before = counter(branch.status(), "rejected.key");

  fs::remove(branch.authorised / "screen-2.key");
  // The folder is re-read within a second; the events socket is bound anew.
  (void)listen(removed, 3s);
  (void)listen(kept, 100ms);
  auto desk = branch.client(zmq::socket_type::dealer, "desk-3");
  std::vector<std::uint64_t> accepted;
  for (int i = 0; i < 5; ++i) {
    const auto reply = ask(desk, Command{"c" + std::to_string(i), "main", Change{Called{"А10" + std::to_string(i), "1", "", ""}}});
    REQUIRE(std::holds_alternative<Accepted>(reply.answer));
    accepted.push_back(std::get<Accepted>(reply.answer).seq);
  }
  const auto heard_kept = listen(kept, 2s);
  const auto heard_removed = listen(removed, 2s);
  std::vector<std::uint64_t> seqs;
  for (const auto& e : heard_kept.events) seqs.push_back(e.seq);
  CHECK(seqs == accepted);
  CHECK(heard_kept.heartbeats > 0);
  CHECK(heard_removed.events.empty());
  CHECK(heard_removed.heartbeats == 0);
  // Its reconnections are refused at the handshake, and counted.
  CHECK(counter(branch.status(), "rejected.key") > refused_before);
}
