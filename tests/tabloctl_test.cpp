// The real tablo-hub and the real tabloctl over loopback sockets, plus raw ZeroMQ
// clients that speak the protocol badly on purpose.
#include <catch2/catch.hpp>

#include <signal.h>

#include <fstream>
#include <optional>
#include <regex>
#include <thread>

#include <zmq.hpp>
#include <zmq_addon.hpp>

#include "protocol/codec.hpp"
#include "tests/support/process.hpp"
#include "tablo/version.hpp"

using namespace tablo::protocol;
using namespace std::chrono_literals;
using tablo::test::Process;
using tablo::test::Ran;

namespace {

constexpr auto patience = 20s;  // the longest any single wait in this file may take (a loaded CI box)

// Received frames of one message, or nullopt when none came in time.
std::optional<std::vector<std::string>> receive(zmq::socket_t& socket, std::chrono::milliseconds timeout) {
  zmq::pollitem_t item{socket.handle(), 0, ZMQ_POLLIN, 0};
  if (zmq::poll(&item, 1, timeout) == 0) return std::nullopt;
  std::vector<zmq::message_t> parts;
  if (!zmq::recv_multipart(socket, std::back_inserter(parts))) return std::nullopt;
  std::vector<std::string> frames;
  for (auto& p : parts) frames.push_back(p.to_string());
  return frames;
}

void send(zmq::socket_t& socket, const std::vector<std::string>& frames) {
  for (std::size_t i = 0; i < frames.size(); ++i) {
    socket.send(zmq::buffer(frames[i]), i + 1 < frames.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
  }
}

std::string status_command(const std::string& id = "s") { return encode(Command{id, "main", StatusRequest{}}); }

// A client socket of the given type, connected to `endpoint`.
zmq::socket_t client(zmq::context_t& context, zmq::socket_type type, const std::string& endpoint) {
  zmq::socket_t socket(context, type);
  socket.set(zmq::sockopt::linger, 0);
  socket.connect(endpoint);
  return socket;
}

// A tablo-hub of this test's own, serving once the constructor returns.
struct RunningHub {
  std::string commands = tablo::test::free_endpoint();
  std::string events = tablo::test::free_endpoint();
  tablo::test::TempDir journal;
  Process process{{TABLO_HUB_BIN, "--commands", commands, "--events", events, "--journal", journal.path()}};

  RunningHub() {
    zmq::context_t context;
    const auto deadline = std::chrono::steady_clock::now() + patience;
    while (std::chrono::steady_clock::now() < deadline) {
      REQUIRE(process.running());
      auto dealer = client(context, zmq::socket_type::dealer, commands);
      send(dealer, {status_command()});
      if (receive(dealer, 200ms)) return;
    }
    FAIL("tablo-hub did not answer within 20 s");
  }
};

Ran tabloctl(const RunningHub& hub, std::vector<std::string> args) {
  args.insert(args.begin(), {TABLOCTL_BIN, "--hub", hub.commands});
  return tablo::test::run(args, patience * 2);
}

// A counter from `tabloctl status` output ("  rejected.version  1"); -1 when absent.
long counter(const std::string& status_output, const std::string& name) {
  std::smatch m;
  const std::regex line("\\n  " + std::regex_replace(name, std::regex("\\."), "\\.") + " +([0-9]+)\\n");
  return std::regex_search(status_output, m, line) ? std::stol(m[1]) : -1;
}

// The hub's reply to one raw body sent by a DEALER.
Reply ask_raw(zmq::context_t& context, const RunningHub& hub, const std::string& body) {
  auto dealer = client(context, zmq::socket_type::dealer, hub.commands);
  send(dealer, {body});
  auto frames = receive(dealer, patience);
  REQUIRE(frames);
  REQUIRE(frames->size() == 1);
  auto reply = decode_reply(frames->front());
  REQUIRE(reply);
  return *reply;
}

std::string refusal(const Reply& reply) {
  REQUIRE(std::holds_alternative<Refused>(reply.answer));
  return std::get<Refused>(reply.answer).error;
}

}  // namespace

TEST_CASE("a call from tabloctl is accepted and says its seq") {
  RunningHub hub;
  auto ran = tabloctl(hub, {"call", "А025", "--window", "3"});
  CHECK(ran.exit_code == 0);
  CHECK_THAT(ran.output, Catch::Contains("call А025 → window 3: accepted (zone main, seq 1)"));

  ran = tabloctl(hub, {"--zone", "hall2", "call", "Б001", "-w", "7", "--service", "Паспорт"});
  CHECK(ran.exit_code == 0);
  CHECK_THAT(ran.output, Catch::Contains("(zone hall2, seq 1)"));
}

TEST_CASE("a recall of a ticket that is not on the board exits 1 with the hub's reason") {
  RunningHub hub;
  auto ran = tabloctl(hub, {"recall", "А099"});
  CHECK(ran.exit_code == 1);
  CHECK_THAT(ran.output, Catch::Contains("ticket А099 is not on the board of zone 'main'"));
}

TEST_CASE("every change a person can make is accepted and the snapshot shows the result") {
  RunningHub hub;
  const std::vector<std::vector<std::string>> commands = {
      {"call", "А001", "-w", "1"},   {"call", "А002", "-w", "2", "--text", "с документами"},
      {"recall", "А001"},            {"finish", "А002"},
      {"call", "А003", "-w", "3"},   {"cancel", "А003"},
      {"ticker", "Добро", "пожаловать"}, {"announce", "Перерыв до 14:00", "--seconds", "60"},
  };
  for (const auto& args : commands) {
    INFO(args.front());
    CHECK(tabloctl(hub, args).exit_code == 0);
  }
  auto ran = tabloctl(hub, {"snapshot"});
  CHECK(ran.exit_code == 0);
  CHECK_THAT(ran.output, Catch::Contains("zone main, seq 8"));
  CHECK_THAT(ran.output, Catch::Contains("А001 → window 1") && Catch::Contains("recalled 1 time"));
  CHECK_THAT(ran.output, !Catch::Contains("А002") && !Catch::Contains("А003"));
  CHECK_THAT(ran.output, Catch::Contains("ticker: «Добро пожаловать»"));
  CHECK_THAT(ran.output, Catch::Contains("announcement: «Перерыв до 14:00» until"));

  CHECK(tabloctl(hub, {"ticker", "--clear"}).exit_code == 0);
  CHECK(tabloctl(hub, {"clear"}).exit_code == 0);
  ran = tabloctl(hub, {"snapshot"});
  CHECK_THAT(ran.output, Catch::Contains("no calls on the board") && Catch::Contains("ticker: none") &&
                             Catch::Contains("announcement: none"));
}

TEST_CASE("with no hub tabloctl gives up within its timeout and exits 3") {
  const auto nowhere = tablo::test::free_endpoint();
  const auto started = std::chrono::steady_clock::now();
  auto ran = tablo::test::run({TABLOCTL_BIN, "--hub", nowhere, "--timeout", "500ms", "status"}, patience);
  CHECK(std::chrono::steady_clock::now() - started < 3s);
  CHECK(ran.exit_code == 3);
  CHECK_THAT(ran.output, Catch::Contains("no reply from the hub at " + nowhere + " within 500 ms") &&
                             Catch::Contains("is tablo-hub running?"));
}

TEST_CASE("wrong usage exits 2 and says what is wrong") {
  const std::vector<std::vector<std::string>> wrong = {
      {},                                      // no command
      {"call", "А025"},                        // no window
      {"dance"},                               // no such command
      {"ticker"},                              // neither text nor --clear
      {"announce", "hi", "--seconds", "0"},    // out of range
      {"--timeout", "soon", "status"},         // not a duration
      {"--zone", "Main Hall", "status"},       // not a zone name
      {"--hub", "localhost:5555", "status"},   // not an endpoint
  };
  for (auto args : wrong) {
    args.insert(args.begin(), TABLOCTL_BIN);
    auto ran = tablo::test::run(args, patience);
    INFO(ran.output);
    CHECK(ran.exit_code == 2);
    CHECK_FALSE(ran.output.empty());
  }
}

TEST_CASE("tabloctl and tablo-hub tell their version") {
  auto ran = tablo::test::run({TABLOCTL_BIN, "--version"}, patience);
  CHECK(ran.exit_code == 0);
  CHECK_THAT(ran.output, Catch::Contains(tablo::version));
  ran = tablo::test::run({TABLO_HUB_BIN, "--version"}, patience);
  CHECK(ran.exit_code == 0);
  CHECK_THAT(ran.output, Catch::Contains(tablo::version));
}

TEST_CASE("status shows the zones and the counters") {
  RunningHub hub;
  tabloctl(hub, {"call", "А025", "-w", "3"});
  tabloctl(hub, {"recall", "А099"});

  auto ran = tabloctl(hub, {"status"});

  CHECK(ran.exit_code == 0);
  CHECK_THAT(ran.output, Catch::Contains(std::string("hub ") + tablo::version));
  CHECK_THAT(ran.output, Catch::Contains("main: seq 1, 1 call on the board"));
  CHECK(counter(ran.output, "accepted") == 1);
  CHECK(counter(ran.output, "refused") == 1);
  CHECK(counter(ran.output, "rejected") == 0);
}

TEST_CASE("a subscriber gets heartbeats and each call as [zone topic][event]") {
  RunningHub hub;
  zmq::context_t context;
  auto sub = client(context, zmq::socket_type::sub, hub.events);
  sub.set(zmq::sockopt::subscribe, "z/main/");
  sub.set(zmq::sockopt::subscribe, heartbeat_topic);

  // A heartbeat proves the subscription has reached the hub, so the call cannot be missed.
  auto beat = receive(sub, patience);
  REQUIRE(beat);
  REQUIRE(beat->size() == 2);
  CHECK(beat->at(0) == heartbeat_topic);
  REQUIRE(decode_published(beat->at(0), beat->at(1)));

  REQUIRE(tabloctl(hub, {"call", "А025", "-w", "3"}).exit_code == 0);

  std::optional<Event> event;
  const auto deadline = std::chrono::steady_clock::now() + patience;
  while (!event && std::chrono::steady_clock::now() < deadline) {
    auto frames = receive(sub, 500ms);
    if (!frames || frames->at(0) == heartbeat_topic) continue;
    REQUIRE(frames->size() == 2);
    CHECK(frames->at(0) == "z/main/");
    auto published = decode_published(frames->at(0), frames->at(1));
    REQUIRE(published);
    event = std::get<Event>(*published);
  }
  REQUIRE(event);
  CHECK(event->zone == "main");
  CHECK(event->seq == 1);
  CHECK(event->change == Change{Called{"А025", "3", "", ""}});
  CHECK(event->epoch == std::get<Heartbeat>(*decode_published(beat->at(0), beat->at(1))).epoch);
}

TEST_CASE("malformed commands each get a refusal with the reason, and the hub counts them and serves on") {
  RunningHub hub;
  zmq::context_t context;

  CHECK_THAT(refusal(ask_raw(context, hub, "not json at all")), Catch::Contains("not valid UTF-8 JSON"));
  CHECK_THAT(refusal(ask_raw(context, hub, R"({"v":2,"id":"a","cmd":"status"})")),
             Catch::Contains("protocol version 2 is not supported"));
  CHECK_THAT(refusal(ask_raw(context, hub, std::string(limits::message + 100, ' '))),
             Catch::Contains("exceeds the limit"));
  auto unknown = ask_raw(context, hub, R"({"v":1,"id":"x-7","cmd":"dance"})");
  CHECK(unknown.id == "x-7");  // so that the sender can match the refusal to its request
  CHECK_THAT(refusal(unknown), Catch::Contains("unknown command 'dance'"));

  CHECK(tabloctl(hub, {"call", "А025", "-w", "3"}).exit_code == 0);
  auto status = tabloctl(hub, {"status"}).output;
  CHECK(counter(status, "rejected") == 4);
  CHECK(counter(status, "rejected.malformed") == 1);
  CHECK(counter(status, "rejected.version") == 1);
  CHECK(counter(status, "rejected.oversized") == 1);
  CHECK(counter(status, "rejected.unknown-type") == 1);
  CHECK(counter(status, "accepted") == 1);
}

TEST_CASE("a message of the wrong frame count is counted and dropped without a reply") {
  RunningHub hub;
  zmq::context_t context;
  auto dealer = client(context, zmq::socket_type::dealer, hub.commands);

  send(dealer, {status_command(), "and a stray frame"});
  CHECK_FALSE(receive(dealer, 300ms));

  send(dealer, {status_command()});  // the same connection still works
  CHECK(receive(dealer, patience));
  CHECK(counter(tabloctl(hub, {"status"}).output, "rejected.frames") == 1);
}

TEST_CASE("a REQ client, as Python integrations use, gets its reply") {
  RunningHub hub;
  zmq::context_t context;
  auto req = client(context, zmq::socket_type::req, hub.commands);

  send(req, {encode(Command{"py-1", "main", Change{Called{"А025", "3", "", ""}}})});
  auto frames = receive(req, patience);
  REQUIRE(frames);
  REQUIRE(frames->size() == 1);
  auto reply = decode_reply(frames->front());
  REQUIRE(reply);
  CHECK(reply->id == "py-1");
  CHECK(std::holds_alternative<Accepted>(reply->answer));

  send(req, {status_command("py-2")});  // REQ's strict send/receive turn is kept
  frames = receive(req, patience);
  REQUIRE(frames);
  CHECK(decode_reply(frames->front())->id == "py-2");
}

TEST_CASE("a second hub on the same endpoint exits 1 naming the endpoint") {
  RunningHub hub;
  tablo::test::TempDir journal;
  auto ran = tablo::test::run({TABLO_HUB_BIN, "--commands", hub.commands, "--events", tablo::test::free_endpoint(),
                               "--journal", journal.path()},
                              patience);
  CHECK(ran.exit_code == 1);
  CHECK_THAT(ran.output, Catch::Contains("cannot listen for commands on " + hub.commands) &&
                             Catch::Contains("Address already in use"));
}

TEST_CASE("the hub stops cleanly on SIGTERM and on SIGINT") {
  for (int sig : {SIGTERM, SIGINT}) {
    RunningHub hub;
    hub.process.signal(sig);
    CHECK(hub.process.wait(patience) == 0);
  }
}

TEST_CASE("the Python client printed in docs/PROTOCOL.md calls a ticket and follows the board") {
  // Debian's python with its pyzmq (python3-zmq, which scripts/install-deps installs).
  const std::string python = "/usr/bin/python3";
  if (tablo::test::run({python, "-c", "import zmq"}).exit_code != 0) {
    WARN("python3-zmq is not installed: the documented client is not tried");
    return;
  }
  std::ifstream doc(std::string(TABLO_SOURCE_DIR) + "/docs/PROTOCOL.md");
  std::string line, code;
  bool in_section = false, in_code = false;
  while (std::getline(doc, line)) {
    if (line.starts_with("## ")) in_section = line == "## A complete Python client";
    if (in_section && line == "```python") in_code = true;
    else if (in_code && line == "```") break;
    else if (in_code) code += line + "\n";
  }
  REQUIRE_FALSE(code.empty());
  tablo::test::TempDir dir;
  const std::string client = dir.path() + "/tablo_client.py";
  std::ofstream(client) << code;

  RunningHub hub;
  const std::vector<std::string> with_hub{"/usr/bin/env", "TABLO_COMMANDS=" + hub.commands,
                                          "TABLO_EVENTS=" + hub.events, python, client};
  auto client_run = [&](std::vector<std::string> args, std::chrono::milliseconds timeout) {
    args.insert(args.begin(), with_hub.begin(), with_hub.end());
    return tablo::test::run(args, timeout);
  };
  const Ran called = client_run({"call", "A042", "3"}, patience);
  INFO(called.output);
  CHECK(called.exit_code == 0);
  CHECK_THAT(called.output, Catch::Contains("called A042 to window 3 (seq 1)"));

  // `watch` prints the board it joins, then each change, until it is stopped.
  std::thread later([&] {
    std::this_thread::sleep_for(1500ms);
    client_run({"call", "Б007", "12"}, patience);
  });
  const Ran watched = client_run({"watch"}, 3500ms);
  later.join();
  INFO(watched.output);
  // The client typed a Latin A: the board has the Cyrillic А the hall reads (PROTOCOL.md, "Tickets' letters").
  CHECK_THAT(watched.output, Catch::Contains("board of main at seq 1") && Catch::Contains("А042 -> window 3") &&
                                 Catch::Contains("Б007"));
}
