// A real tablo-hub with keys, and clients with the right key, a stranger's key, no key,
// and the wrong role; the hub without keys on a public address; the rate limit.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <thread>

#include <zmq.hpp>
#include <zmq_addon.hpp>

#include "display/hub_link.hpp"
#include "hub/authorized_keys.hpp"
#include "hub/zap_handler.hpp"
#include "protocol/codec.hpp"
#include "protocol/curve_keys.hpp"
#include "tests/support/keyed_hub.hpp"
#include "tests/support/process.hpp"

using namespace tablo;
using namespace tablo::protocol;
using namespace std::chrono_literals;
using test::Process;
using namespace tablo::test::keyed;
namespace fs = std::filesystem;


TEST_CASE("keygen writes the pair and prints what goes into the authorised-keys folder") {
  test::TempDir dir;
  auto ran = test::run({TABLOCTL_BIN, "keygen", "desk-3", "--dir", dir.path(), "--role", "operator"});
  REQUIRE(ran.exit_code == 0);
  const auto key = read_public_key(dir.path() + "/desk-3.key");
  CHECK_THAT(ran.output, Catch::Contains("copy desk-3.key into the hub's authorised-keys folder"));
  CHECK_THAT(ran.output, Catch::Contains("role = \"operator\"\npublic_key = \"" + key.public_key + "\"\n"));
  struct stat st {};
  REQUIRE(::stat((dir.path() + "/desk-3.secret").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  ran = test::run({TABLOCTL_BIN, "keygen", "desk-3", "--dir", dir.path(), "--role", "operator"});
  CHECK(ran.exit_code == 2);
  CHECK_THAT(ran.output, Catch::Contains("already exists; keygen never overwrites a key"));
  CHECK(test::run({TABLOCTL_BIN, "keygen", "../up", "--dir", dir.path()}).exit_code == 2);
  CHECK(test::run({TABLOCTL_BIN, "keygen", "x", "--dir", dir.path(), "--role", "root"}).exit_code == 2);
}

TEST_CASE("a stranger's key, a client without keys and an operator clearing are refused; the board stays") {
  KeyedHub branch;
  branch.start();
  REQUIRE(branch.ctl("desk-3", {"call", "А025", "--window", "3"}).exit_code == 0);
  const auto before = branch.ctl("screen-1", {"snapshot"});
  REQUIRE(before.exit_code == 0);
  CHECK_THAT(before.output, Catch::Contains("А025"));

  auto stranger = branch.ctl("stranger", {"call", "Х666", "--window", "1"});
  CHECK(stranger.exit_code == 3);
  CHECK_THAT(stranger.output, Catch::Contains("stays silent to a key it does not know"));
  CHECK(branch.ctl("", {"call", "Х667", "--window", "1"}).exit_code == 3);
  auto clear = branch.ctl("desk-3", {"clear"});
  CHECK(clear.exit_code == 1);
  CHECK_THAT(clear.output, Catch::Contains("key 'desk-3' (operator) may not clear the board"));
  auto call = branch.ctl("screen-1", {"call", "Х668", "--window", "1"});
  CHECK(call.exit_code == 1);
  CHECK_THAT(call.output, Catch::Contains("key 'screen-1' (display) may not call tickets"));

  CHECK(branch.ctl("screen-1", {"snapshot"}).output == before.output);
  const auto status = branch.status();
  CHECK(counter(status, "rejected.role") == 2);
  CHECK(counter(status, "rejected.key") >= 1);
  CHECK(counter(status, "rejected.handshake") >= 1);
  CHECK(counter(status, "accepted") == 1);

  auto shown = branch.ctl("boss", {"status"});
  CHECK_THAT(shown.output, Catch::Contains("rejected.role"));
}

TEST_CASE("only an admin's key pushes playlists and asks screens for their picture or proof of play") {
  KeyedHub branch;
  branch.start();
  const auto playlist = branch.dir.path() + "/winter.toml";
  std::ofstream(playlist) << "[[item]]\nfile = \"winter.mp4\"\n";
  for (const std::string key : {"desk-3", "screen-1"}) {
    auto pushed = branch.ctl(key, {"playlist", "set", playlist});
    CHECK(pushed.exit_code == 1);
    CHECK_THAT(pushed.output, Catch::Contains("may not push playlists"));
  }
  CHECK_THAT(branch.ctl("desk-3", {"screenshot", "screen-1"}).output,
             Catch::Contains("key 'desk-3' (operator) may not take screenshots of screens"));
  CHECK_THAT(branch.ctl("desk-3", {"proof-of-play", "screen-1", "--day", "2026-11-26"}).output,
             Catch::Contains("key 'desk-3' (operator) may not collect proof of play"));
  CHECK_THAT(branch.ctl("screen-1", {"snapshot"}).output, Catch::Contains("playlist: each screen's own file"));

  // The file is the library's; staff add it.
  const auto picture = branch.dir.path() + "/winter.mp4";
  REQUIRE(tablo::test::run({"/usr/bin/ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "color=c=blue:size=64x64",
                            "-frames:v", "1", "-c:v", "mjpeg", "-f", "mp4", picture}, 30s).exit_code == 0);
  CHECK(branch.ctl("screen-1", {"media", "add", picture}).exit_code == 1);
  REQUIRE(branch.ctl("desk-3", {"media", "add", picture}).exit_code == 0);
  CHECK(branch.ctl("boss", {"playlist", "set", playlist}).exit_code == 0);
  CHECK_THAT(branch.ctl("screen-1", {"snapshot"}).output, Catch::Contains("playlist: pushed"));
  // Anyone may see which screens report; the admin's request reaches the relay.
  CHECK(branch.ctl("desk-3", {"screens"}).exit_code == 0);
  CHECK_THAT(branch.ctl("boss", {"screenshot", "screen-1"}).output, Catch::Contains("no screen named 'screen-1'"));
}

TEST_CASE("a display's key hears the events; a stranger's key and no key hear nothing") {
  KeyedHub branch;
  branch.start();
  auto screen = branch.client(zmq::socket_type::sub, "screen-1");
  auto stranger = branch.client(zmq::socket_type::sub, "stranger");
  auto plain = branch.client(zmq::socket_type::sub, "");
  const auto heartbeat = receive(screen, patience);  // proves the subscription is in
  REQUIRE(heartbeat);
  CHECK(heartbeat->front() == "hb/");
  REQUIRE(branch.ctl("desk-3", {"call", "А026", "--window", "4"}).exit_code == 0);
  bool heard_call = false;
  for (auto deadline = std::chrono::steady_clock::now() + patience; !heard_call && std::chrono::steady_clock::now() < deadline;) {
    auto frames = receive(screen, 500ms);
    heard_call = frames && frames->front() == "z/main/" && frames->back().find("А026") != std::string::npos;
  }
  CHECK(heard_call);
  CHECK_FALSE(receive(stranger, 300ms));
  CHECK_FALSE(receive(plain, 300ms));
}

TEST_CASE("the authorised-keys folder is re-read: a new key gets in, a removed key's commands are refused") {
  KeyedHub branch;
  branch.start();
  CHECK(branch.ctl("stranger", {"status"}, "0.3").exit_code == 3);
  auto desk = branch.client(zmq::socket_type::dealer, "desk-3");  // stays connected while its key goes
  CHECK(std::holds_alternative<Status>(ask(desk, Command{"1", "main", StatusRequest{}}).answer));

  fs::copy_file(branch.keys / "stranger.key", branch.authorised / "stranger.key");
  fs::remove(branch.authorised / "desk-3.key");
  bool let_in = false;
  for (auto deadline = std::chrono::steady_clock::now() + patience; !let_in && std::chrono::steady_clock::now() < deadline;) {
    let_in = branch.ctl("stranger", {"status"}, "0.3").exit_code == 0;
  }
  CHECK(let_in);
  const auto refused = ask(desk, Command{"2", "main", Change{Called{"А027", "5", "", ""}}});
  REQUIRE(std::holds_alternative<Refused>(refused.answer));
  CHECK_THAT(std::get<Refused>(refused.answer).error, Catch::Contains("removed from the hub's authorised keys"));
  CHECK(counter(branch.status(), "rejected.key") >= 2);
}

TEST_CASE("the hub refuses a secret key that others can read") {
  KeyedHub branch;
  const std::string secret = (branch.keys / "hub.secret").string();
  ::chmod(secret.c_str(), 0644);
  auto ran = test::run(branch.hub_argv(), patience);
  CHECK(ran.exit_code == 1);
  CHECK_THAT(ran.output, Catch::Contains("secret key " + secret + " is readable by others (mode 0644); run chmod 600"));
}

TEST_CASE("without keys the hub listens on this machine only, unless allow_insecure says otherwise") {
  test::TempDir dir;
  const std::string open = std::regex_replace(test::free_endpoint(), std::regex("127\\.0\\.0\\.1"), "0.0.0.0");
  std::vector<std::string> argv{TABLO_HUB_BIN, "--commands", open, "--events", test::free_endpoint(),
                                "--journal", dir.path() + "/journal"};
  auto ran = test::run(argv, patience);
  CHECK(ran.exit_code == 1);
  CHECK_THAT(ran.output, Catch::Contains("refusing to listen for commands on " + open + ": without keys"));

  std::ofstream(dir.path() + "/hub.toml") << "[hub]\nallow_insecure = true\n";
  argv.insert(argv.end(), {"--config", dir.path() + "/hub.toml"});
  ran = test::run(argv, 1500ms);  // it serves, so it is stopped after the wait
  CHECK(ran.exit_code == -1);
  CHECK_THAT(ran.output, Catch::Contains("hub.allow_insecure = true and the hub has no keys"));
  CHECK_THAT(ran.output, Catch::Contains("listening for commands on " + open + " without keys"));
}

TEST_CASE("commands over a client's rate are refused and counted") {
  test::TempDir dir;
  const std::string commands = test::free_endpoint();
  std::ofstream(dir.path() + "/hub.toml") << "[hub]\ncommands_per_second = 1\ncommands_burst = 3\n";
  Process hub({TABLO_HUB_BIN, "--config", dir.path() + "/hub.toml", "--commands", commands, "--events",
               test::free_endpoint(), "--journal", dir.path() + "/journal"});
  zmq::context_t context;
  auto connect = [&] {
    zmq::socket_t dealer(context, zmq::socket_type::dealer);
    dealer.set(zmq::sockopt::linger, 0);
    dealer.connect(commands);
    return dealer;
  };
  auto flood = connect();
  for (int i = 0; i < 10; ++i) flood.send(zmq::buffer(encode(Command{std::to_string(i), "main", StatusRequest{}})));
  int answered = 0, refused = 0;
  for (int i = 0; i < 10; ++i) {
    auto frames = receive(flood, patience);
    REQUIRE(frames);
    auto reply = decode_reply(frames->back());
    REQUIRE(reply);
    if (auto* no = std::get_if<Refused>(&reply->answer)) {
      ++refused;
      CHECK_THAT(no->error, Catch::Contains("too many commands: this hub takes at most 1 a second (in bursts of up to 3)"));
    } else {
      ++answered;
    }
  }
  CHECK(answered == 3);
  CHECK(refused == 7);
  auto calm = connect();  // another client has its own allowance
  CHECK(counter(ask(calm, Command{"s", "main", StatusRequest{}}), "rejected.rate") == 7);
}

TEST_CASE("a screen's hub link with a display key takes the board; with a stranger's key it gets nothing") {
  KeyedHub branch;
  branch.start();
  REQUIRE(branch.ctl("desk-3", {"call", "А030", "--window", "2"}).exit_code == 0);
  // The board as the link delivers it, once it has one with a call; nullopt after `wait`.
  auto board_from = [&](const std::string& name, std::chrono::milliseconds wait) -> std::optional<Board> {
    display::HubLink link(display::LinkOptions{.commands = branch.commands, .events = branch.events,
                                               .zones = {"main"}, .keys = branch.keys_of(name)},
                          [] {});
    for (auto deadline = std::chrono::steady_clock::now() + wait; std::chrono::steady_clock::now() < deadline;) {
      for (auto& news : link.take()) {
        if (auto* snapshot = std::get_if<Snapshot>(&news); snapshot && !snapshot->board.calls.empty())
          return snapshot->board;
      }
      std::this_thread::sleep_for(20ms);
    }
    return std::nullopt;
  };
  const auto board = board_from("screen-1", patience);
  REQUIRE(board);
  CHECK(board->calls.front().ticket == "А030");
  CHECK_FALSE(board_from("stranger", 1500ms));
}

TEST_CASE("if the key check stops on an error, it says so and asks the hub to stop") {
  test::TempDir folder;
  hub::AuthorizedKeys keys(folder.path());
  zmq::context_t context;
  std::atomic<int> stops = 0;
  hub::ZapHandler zap(context, keys, [&] { ++stops; });
  CHECK_FALSE(zap.failed());
  // Shutting the context down makes the handler's poll fail (ETERM), as any ZeroMQ error would.
  context.shutdown();
  // failed() is set before the hub is asked to stop (so the hub, once stopped, knows why).
  for (auto deadline = std::chrono::steady_clock::now() + 5s; (!zap.failed() || stops == 0) && std::chrono::steady_clock::now() < deadline;)
    std::this_thread::sleep_for(10ms);
  CHECK(zap.failed());
  CHECK(stops == 1);
}

TEST_CASE("300 handshakes with fresh random keys write a line or two to the log, and every one is counted") {
  KeyedHub branch;
  const std::string log = branch.dir.path() + "/hub.log";
  branch.start(log);
  std::vector<zmq::socket_t> flood;
  for (int i = 0; i < 300; ++i) {
    const auto keys = generate_key_pair();
    zmq::socket_t socket(branch.context, zmq::socket_type::dealer);
    socket.set(zmq::sockopt::linger, 0);
    socket.set(zmq::sockopt::reconnect_ivl, -1);  // one try each, as an attacker's fresh key
    use_curve(socket, ClientKeys{keys, branch.keys_of("desk-3").hub_public_key});
    socket.connect(branch.commands);
    flood.push_back(std::move(socket));
  }
  std::uint64_t refused = 0;
  for (auto deadline = std::chrono::steady_clock::now() + 10s; std::chrono::steady_clock::now() < deadline;) {
    refused = counter(branch.status(), "rejected.key");
    if (refused >= 300) break;
    std::this_thread::sleep_for(100ms);
  }
  std::this_thread::sleep_for(300ms);  // none counted twice, nothing more after the last
  CHECK(counter(branch.status(), "rejected.key") == 300);
  int lines = 0;
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);) lines += line.find("unknown key") != std::string::npos;
  CHECK(lines >= 1);
  CHECK(lines <= 2);
}
