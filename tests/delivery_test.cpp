// Delivery end to end, with real processes: kill -9 of the hub in the middle of a burst of
// calls, a screen restarted, a screen frozen with SIGSTOP, a command retried after its
// reply was lost, a journal with a torn last line. The screens' own logs say what they
// took and showed ("board taken … (epoch E, seq S)", "call А001 → window 3 shown (zone
// main, seq S)"), and a screen's board is the hub's exactly when it stands at the same
// epoch and seq, since it applies the same changes in the same order (Clone pattern).
#include <catch2/catch.hpp>
#include <zmq_addon.hpp>

#include <signal.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <thread>

#include "protocol/codec.hpp"
#include "protocol/command_client.hpp"
#include "tests/support/process.hpp"

using namespace tablo;
using namespace tablo::protocol;
using namespace std::chrono_literals;
using test::Process;
using Clock = std::chrono::steady_clock;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A program whose output (the hub logs to stderr, the screen to stdout) goes to `log`.
std::unique_ptr<Process> logged(const std::string& log, std::vector<std::string> argv) {
  argv.insert(argv.begin(), {"/bin/sh", "-c", "exec \"$@\" >>'" + log + "' 2>&1", "sh"});
  return std::make_unique<Process>(argv);
}

bool eventually(const std::function<bool()>& ok, std::chrono::milliseconds within) {
  for (auto deadline = Clock::now() + within; Clock::now() < deadline; std::this_thread::sleep_for(10ms)) {
    if (ok()) return true;
  }
  return ok();
}

// Where a screen's log says it stands with zone main.
struct ScreenView {
  std::uint64_t epoch = 0;
  std::uint64_t seq = 0;
  std::map<std::string, int> calls_shown;  // ticket → how often its call popped up
};

ScreenView screen_view(const std::string& log) {
  static const std::regex taken(R"(zone main: board taken from the hub, \d+ calls \(epoch (\d+), seq (\d+)\))");
  static const std::regex shown(R"((?:call (\S+) → window \S+|\S.*) shown \(zone main, seq (\d+)\))");
  ScreenView view;
  std::istringstream lines(read_text(log));
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_search(line, m, taken)) {
      view.epoch = std::stoull(m[1]);
      view.seq = std::stoull(m[2]);
    } else if (std::regex_search(line, m, shown)) {
      // "shown" is logged once drawn, after a snapshot that came in the same batch was
      // logged by the link: the higher number is where the screen stands.
      view.seq = std::max<std::uint64_t>(view.seq, std::stoull(m[2]));
      if (m[1].matched) ++view.calls_shown[m[1]];
    }
  }
  return view;
}

struct Branch {
  test::TempDir dir;
  std::string commands = test::free_endpoint();
  std::string events = test::free_endpoint();
  std::string journal = dir.path() + "/journal";
  std::string config = dir.path() + "/tablo.toml";
  std::unique_ptr<Process> hub;
  bool hub_reads_config = false;  // the hub takes its settings from `config` too
  std::map<std::string, std::unique_ptr<Process>> screens;
  zmq::context_t context;
  CommandClient client{context, commands};

  Branch() { std::ofstream(config) << "[display]\noffline_after_seconds = 1.5\n"; }

  std::string hub_log() const { return dir.path() + "/hub.log"; }
  std::string screen_log(const std::string& name) const { return dir.path() + "/" + name + ".log"; }
  std::string frame_log(const std::string& name) const { return dir.path() + "/" + name + ".frames"; }

  void start_hub() {
    std::vector<std::string> argv{TABLO_HUB_BIN, "--commands", commands, "--events", events, "--journal", journal};
    if (hub_reads_config) argv.insert(argv.end(), {"--config", config});
    hub = logged(hub_log(), argv);
    REQUIRE(eventually([&] { return snapshot().has_value(); }, 5s));
  }
  void start_screen(const std::string& name) {
    screens[name] = logged(screen_log(name), {TABLO_DISPLAY_BIN, "--headless", "--config", config, "--size", "640x360",
                                              "--hub-commands", commands, "--hub-events", events, "--frame-log",
                                              frame_log(name)});
  }
  std::optional<Snapshot> snapshot() {
    auto reply = client.request(Command{"", "main", SnapshotRequest{}}, 300ms);
    if (!reply || !std::holds_alternative<Snapshot>(reply->answer)) return std::nullopt;
    return std::get<Snapshot>(reply->answer);
  }
  // Sends the call until the hub answers, with the same id each time; its seq, or nothing when
  // it was refused or no hub answered. Asserts nothing: a desk thread may use it (Catch2's
  // checks are for the test's own thread).
  static std::optional<std::uint64_t> try_call(CommandClient& sender, const std::string& ticket,
                                               std::chrono::milliseconds give_up_after = 15s) {
    const Command command{sender.next_id(), "main", Change{Called{ticket, "3", "", ""}}};
    for (auto deadline = Clock::now() + give_up_after; Clock::now() < deadline;) {
      if (auto reply = sender.request(command, 300ms)) {
        if (!std::holds_alternative<Accepted>(reply->answer)) return std::nullopt;
        return std::get<Accepted>(reply->answer).seq;
      }
    }
    return std::nullopt;
  }
  std::uint64_t call(CommandClient& sender, const std::string& ticket) {
    const auto seq = try_call(sender, ticket);
    if (!seq) FAIL("no hub took the call of " << ticket);
    return *seq;
  }
  bool screen_matches_hub(const std::string& name) {
    auto snap = snapshot();
    auto view = screen_view(screen_log(name));
    return snap && view.epoch == snap->epoch && view.seq == snap->seq;
  }
};

std::string ticket(int i) {
  std::string digits = std::to_string(i);
  return "К" + std::string(3 - std::min<std::size_t>(3, digits.size()), '0') + digits;
}

}  // namespace

TEST_CASE("kill -9 of the hub in the middle of a burst: no call lost, none applied or shown twice") {
  Branch branch;
  branch.start_hub();
  branch.start_screen("hall");
  REQUIRE(eventually([&] { return branch.screen_matches_hub("hall"); }, 10s));

  constexpr int calls = 80;
  std::map<std::string, std::uint64_t> promised;  // ticket → the seq its reply promised
  std::atomic<int> accepted{0};
  std::string not_taken;  // the desk's first call that no hub took
  std::thread operator_desk([&] {
    zmq::context_t context;
    CommandClient sender(context, branch.commands);
    for (int i = 1; i <= calls; ++i) {
      const auto seq = Branch::try_call(sender, ticket(i));
      if (!seq) {
        not_taken = ticket(i);
        break;
      }
      promised[ticket(i)] = *seq;
      ++accepted;
      std::this_thread::sleep_for(10ms);
    }
  });
  REQUIRE(eventually([&] { return accepted >= 30; }, 20s));
  branch.hub->signal(SIGKILL);
  branch.hub->wait(2s);
  branch.start_hub();
  operator_desk.join();
  INFO("no hub took the call of " << not_taken);
  REQUIRE(not_taken.empty());

  // The hub: every promise kept, each call applied exactly once, in the order of the replies.
  auto board = branch.snapshot();
  REQUIRE(board);
  CHECK(board->seq == calls);
  REQUIRE(board->board.calls.size() == calls);
  for (const auto& call : board->board.calls) {
    INFO(call.ticket);
    CHECK(promised.at(call.ticket) == calls - static_cast<std::uint64_t>(&call - board->board.calls.data()));
  }
  CHECK_THAT(read_text(branch.hub_log()), Catch::Contains("carrying on from seq"));

  // The screen: the hub's board, and no call popped up twice.
  CHECK(eventually([&] { return branch.screen_matches_hub("hall"); }, 10s));
  const auto view = screen_view(branch.screen_log("hall"));
  for (const auto& [name, times] : view.calls_shown) {
    INFO(name);
    CHECK(times == 1);
  }
}

TEST_CASE("a restarted screen shows the full board within 500 ms of the hub answering") {
  Branch branch;
  branch.start_hub();
  for (int i = 1; i <= 60; ++i) branch.call(branch.client, ticket(i));

  const auto started = Clock::now();
  branch.start_screen("hall");
  REQUIRE(eventually([&] { return branch.screen_matches_hub("hall"); }, 10s));
  const auto took = Clock::now() - started;

  // From the screen being up (its first log line) to the whole board taken, by its own clock.
  static const std::regex stamp(R"(^\d{4}-\d\d-\d\d (\d\d):(\d\d):(\d\d)\.(\d{3}) )");
  auto ms_of = [](const std::string& line) {
    std::smatch m;
    REQUIRE(std::regex_search(line, m, stamp));
    return ((std::stoi(m[1]) * 60 + std::stoi(m[2])) * 60 + std::stoi(m[3])) * 1000 + std::stoi(m[4]);
  };
  std::string up, board;
  std::istringstream lines(read_text(branch.screen_log("hall")));
  for (std::string line; std::getline(lines, line);) {
    if (up.empty() && line.find("started") != std::string::npos) up = line;
    if (board.empty() && line.find("board taken from the hub, 60 calls") != std::string::npos) board = line;
  }
  REQUIRE(!up.empty());
  REQUIRE(!board.empty());
  const int from_up = ms_of(board) - ms_of(up);
  WARN("screen process start to full board: " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                                              << " ms; screen up to full board: " << from_up << " ms");
  CHECK(from_up < 500);
}

// A hub that beats only every 5 s, and screens that wait 20 s before they call it lost: what
// brings a screen back quickly is the hub's greeting of each new subscriber (PROTOCOL.md,
// "Heartbeat"), not the next beat nor the screen's silence rule.
void beat_slowly(Branch& branch) {
  std::ofstream(branch.config) << "[hub]\nheartbeat_seconds = 5\n[hub.media]\nlisten = \"\"\n[hub.metrics]\nlisten = \"\"\n"
                                  "[display]\noffline_after_seconds = 20\n[display.metrics]\nlisten = \"\"\n";
  branch.hub_reads_config = true;
}

TEST_CASE("a new subscriber hears a heartbeat at once, not at the hub's next beat") {
  Branch branch;
  beat_slowly(branch);
  branch.start_hub();  // its first beat went out before anyone subscribed; the next is 5 s on

  zmq::socket_t sub(branch.context, zmq::socket_type::sub);
  sub.set(zmq::sockopt::linger, 0);
  sub.set(zmq::sockopt::subscribe, heartbeat_topic);
  const auto subscribed = Clock::now();
  sub.connect(branch.events);
  zmq::pollitem_t item{sub.handle(), 0, ZMQ_POLLIN, 0};
  REQUIRE(zmq::poll(&item, 1, 10s) == 1);
  const auto took = Clock::now() - subscribed;
  std::vector<zmq::message_t> parts;
  REQUIRE(zmq::recv_multipart(sub, std::back_inserter(parts)));
  REQUIRE(parts.size() == 2);
  auto heard = decode_published(parts[0].to_string_view(), parts[1].to_string_view());
  REQUIRE(heard);
  CHECK(std::holds_alternative<Heartbeat>(*heard));
  WARN("first heartbeat " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                          << " ms after subscribing (the hub beats every 5 s)");
  CHECK(took < 1500ms);
}

TEST_CASE("after a kill -9 of the hub a screen is back on the new epoch's board within 1.5 s, not at the next beat") {
  Branch branch;
  beat_slowly(branch);
  branch.start_hub();
  branch.start_screen("hall");
  branch.call(branch.client, ticket(1));
  REQUIRE(eventually([&] { return branch.screen_matches_hub("hall"); }, 15s));
  const auto old_epoch = branch.snapshot()->epoch;

  branch.hub->signal(SIGKILL);
  branch.hub->wait(2s);
  const auto restarted = Clock::now();
  branch.start_hub();
  const auto answering = Clock::now();
  const auto new_epoch = branch.snapshot()->epoch;
  REQUIRE(new_epoch != old_epoch);
  REQUIRE(eventually([&] { return screen_view(branch.screen_log("hall")).epoch == new_epoch; }, 15s));
  const auto back = Clock::now();
  auto ms = [](Clock::duration d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); };
  WARN("screen on the new epoch's board " << ms(back - restarted) << " ms after the restart, " << ms(back - answering)
                                          << " ms after the new hub answered (the hub beats every 5 s)");
  CHECK(back - answering < 1500ms);
  CHECK(branch.screen_matches_hub("hall"));
}

TEST_CASE("a screen frozen for 10 s does not delay the others, and catches up when it wakes") {
  Branch branch;
  branch.start_hub();
  branch.start_screen("frozen");
  branch.start_screen("other");
  REQUIRE(eventually([&] { return branch.screen_matches_hub("frozen") && branch.screen_matches_hub("other"); }, 10s));

  branch.screens["frozen"]->signal(SIGSTOP);
  std::map<std::uint64_t, Clock::time_point> sent;
  const auto frozen_since = Clock::now();
  for (int i = 1; Clock::now() - frozen_since < 10s; ++i) {
    sent[branch.call(branch.client, ticket(i))] = Clock::now();
    std::this_thread::sleep_for(250ms);
  }
  const std::uint64_t last = sent.rbegin()->first;
  REQUIRE(eventually([&] { return branch.screen_matches_hub("other"); }, 5s));

  // "zone seq presented_ns" per change shown, on the same monotonic clock as ours (and
  // "frame presented_ns" per frame, not needed here).
  std::istringstream frames(read_text(branch.frame_log("other")));
  std::chrono::nanoseconds slowest{0};
  std::size_t seen = 0;
  for (std::string line; std::getline(frames, line);) {
    std::istringstream fields(line);
    std::string zone;
    std::uint64_t seq = 0;
    std::int64_t presented = 0;
    if (!(fields >> zone >> seq >> presented) || zone == "frame" || !sent.count(seq)) continue;
    ++seen;
    slowest = std::max(slowest, Clock::time_point(std::chrono::nanoseconds(presented)) - sent[seq]);
  }
  CHECK(seen == sent.size());
  WARN("slowest call on the other screen while one was frozen: "
       << std::chrono::duration_cast<std::chrono::milliseconds>(slowest).count() << " ms after its reply");
  CHECK(slowest < 1s);

  branch.screens["frozen"]->signal(SIGCONT);
  CHECK(eventually([&] { return screen_view(branch.screen_log("frozen")).seq == last; }, 5s));
  INFO(read_text(branch.screen_log("frozen")));
  CHECK(branch.screen_matches_hub("frozen"));
}

TEST_CASE("a command sent again after its reply was lost is applied once") {
  Branch branch;
  branch.start_hub();

  SECTION("the same body twice on a raw socket") {
    zmq::socket_t dealer(branch.context, zmq::socket_type::dealer);
    dealer.set(zmq::sockopt::linger, 0);
    dealer.connect(branch.commands);
    const std::string body = R"({"v":1,"id":"1","cmd":"call","ticket":"А042","window":"3"})";
    std::vector<std::string> replies;
    for (int i = 0; i < 2; ++i) {
      dealer.send(zmq::buffer(body));
      zmq::message_t reply;
      zmq::pollitem_t item{dealer.handle(), 0, ZMQ_POLLIN, 0};
      REQUIRE(zmq::poll(&item, 1, 2000ms) == 1);
      REQUIRE(dealer.recv(reply));
      replies.push_back(reply.to_string());
    }
    CHECK(replies[0] == replies[1]);
    CHECK(branch.snapshot()->seq == 1);
    auto status = branch.client.request(Command{"", "main", StatusRequest{}}, 1s);
    REQUIRE(status);
    CHECK(std::get<Status>(status->answer).counters["repeated"] == 1);
    // Same id, another call: made, not taken for the first.
    dealer.send(zmq::buffer(std::string(R"({"v":1,"id":"1","cmd":"call","ticket":"А043","window":"3"})")));
    zmq::message_t reply;
    REQUIRE(dealer.recv(reply));
    CHECK(branch.snapshot()->seq == 2);
  }

  SECTION("tabloctl retries while the hub is stalled, and the call is made once") {
    branch.hub->signal(SIGSTOP);
    std::thread wake([&] {
      std::this_thread::sleep_for(700ms);
      branch.hub->signal(SIGCONT);
    });
    auto ran = test::run({TABLOCTL_BIN, "--hub", branch.commands, "--timeout", "300ms", "--retries", "10", "call",
                          "А042", "--window", "3"});
    wake.join();
    CHECK(ran.exit_code == 0);
    CHECK_THAT(ran.output, Catch::Contains("trying again"));
    auto board = branch.snapshot();
    REQUIRE(board);
    CHECK(board->seq == 1);  // however many of the tries reached the hub
  }
}

TEST_CASE("a journal whose last line was torn by a crash: dropped with a log line, the hub serves") {
  Branch branch;
  branch.start_hub();
  for (int i = 1; i <= 3; ++i) branch.call(branch.client, ticket(i));
  branch.hub->signal(SIGKILL);
  branch.hub->wait(2s);
  std::ofstream(branch.journal + "/changes.jsonl", std::ios::app) << R"({"at":1,"epoch":1,"seq":4,"tick)";

  branch.start_hub();
  auto board = branch.snapshot();
  REQUIRE(board);
  CHECK(board->seq == 3);
  CHECK(board->board.calls.size() == 3);
  CHECK_THAT(read_text(branch.hub_log()), Catch::Contains("was cut short"));
  CHECK(branch.call(branch.client, ticket(4)) == 4);
}
