// A region on loopback: a regional hub with keys and three branch hubs that follow its zone
// "region" ([hub.upstream]), each with a headless screen — all real processes. The region's
// ticker reaches every hall; a branch cut off plays on and catches up; no region change is
// copied twice across restarts or lost in a kill -9 mid-burst; the region never calls.
#include <catch2/catch.hpp>

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "config/load.hpp"
#include "display/layout.hpp"
#include "media/image.hpp"
#include "protocol/command_client.hpp"
#include "protocol/curve_keys.hpp"
#include "tests/support/pixels.hpp"
#include "tests/support/process.hpp"

using namespace tablo;
using namespace std::chrono_literals;
using test::Process;
namespace fs = std::filesystem;

namespace {

constexpr int W = 640, H = 360;
constexpr auto patience = 30s;  // a loaded two-core box: generous, waiting on conditions only

void wait_until(const std::string& what, const std::function<bool()>& ok, std::chrono::seconds limit = patience) {
  for (auto deadline = std::chrono::steady_clock::now() + limit; std::chrono::steady_clock::now() < deadline;) {
    if (ok()) return;
    std::this_thread::sleep_for(50ms);
  }
  FAIL("never happened within " << limit.count() << " s: " << what);
}

test::Ran keygen(const fs::path& dir, const std::string& name, const std::string& role) {
  std::vector<std::string> argv{TABLOCTL_BIN, "keygen", name, "--dir", dir.string()};
  if (!role.empty()) argv.insert(argv.end(), {"--role", role});
  auto ran = test::run(argv);
  REQUIRE(ran.exit_code == 0);
  return ran;
}

// A hub process and a command client of it; `keys` for a hub that uses them.
struct Hub {
  std::string name;
  fs::path dir;
  std::string config;
  std::string commands = test::free_endpoint();
  std::string events = test::free_endpoint();
  std::optional<protocol::ClientKeys> keys;
  std::unique_ptr<Process> process;
  zmq::context_t context;

  void start() {
    const std::string log = (dir / "hub.log").string();
    process = std::make_unique<Process>(std::vector<std::string>{
        "/bin/sh", "-c", "log=$1; shift; exec \"$@\" >>\"$log\" 2>&1", "sh", log, TABLO_HUB_BIN, "--config", config,
        "--commands", commands, "--events", events, "--journal", (dir / "journal").string()});
    wait_until(name + " answers", [&] { return ask(protocol::StatusRequest{}, "main", 300ms).has_value(); });
  }

  std::optional<protocol::Reply> ask(protocol::Action action, const std::string& zone = "main",
                                     std::chrono::milliseconds timeout = 2000ms) {
    protocol::CommandClient client(context, commands, keys);
    return client.request(protocol::Command{"", zone, std::move(action)}, timeout);
  }
  // A hub that is up, on a loaded box: asked again (with the same id: a change is made once)
  // before the test gives up on it.
  protocol::Reply ask_patiently(protocol::Action action, const std::string& zone = "main") {
    protocol::CommandClient client(context, commands, keys);
    const protocol::Command command{client.next_id(), zone, std::move(action)};
    for (int tries = 0; tries < 4; ++tries) {
      if (auto reply = client.request(command, 5000ms)) return *reply;
    }
    FAIL(name << " did not answer in 20 s");
    return {};
  }
  protocol::Board board(const std::string& zone = "main") {
    return std::get<protocol::Snapshot>(ask_patiently(protocol::SnapshotRequest{}, zone).answer).board;
  }
  protocol::Status status() { return std::get<protocol::Status>(ask_patiently(protocol::StatusRequest{}).answer); }
  std::uint64_t accepted(protocol::Change change, const std::string& zone) {
    const auto reply = ask_patiently(protocol::Change{std::move(change)}, zone);
    const auto* ok = std::get_if<protocol::Accepted>(&reply.answer);
    REQUIRE(ok);
    return ok->seq;
  }
  std::string log() const {
    std::ifstream in(dir / "hub.log");
    return {std::istreambuf_iterator<char>(in), {}};
  }
  // Every change in the journal's changes.jsonl that came from the regional hub.
  std::vector<nlohmann::json> copies() const {
    std::vector<nlohmann::json> out;
    std::ifstream in(dir / "journal" / "changes.jsonl");
    for (std::string line; std::getline(in, line);) {
      auto j = nlohmann::json::parse(line.substr(0, line.rfind('\t')));
      if (j.contains("from")) out.push_back(j);
    }
    return out;
  }
};

// A headless screen of a branch's zone "main", taking screenshots of itself.
struct Screen {
  fs::path dir;
  config::Settings settings;
  std::unique_ptr<Process> process;

  Screen(fs::path folder, const Hub& hub) : dir(std::move(folder)) {
    const auto config = dir / "screen.toml";
    std::ofstream(config) << "[display]\nname = \"" << dir.filename().string()
                          << "\"\npopup_seconds = 0\nblink_seconds = 0\noffline_after_seconds = 3\n";
    settings = config::load_file(config);
    const std::string log = (dir / "screen.log").string();
    process = std::make_unique<Process>(std::vector<std::string>{
        "/bin/sh", "-c", "log=$1; shift; exec \"$@\" >>\"$log\" 2>&1", "sh", log, TABLO_DISPLAY_BIN, "--headless",
        "--config", config.string(), "--size", std::to_string(W) + "x" + std::to_string(H), "--hub-commands",
        hub.commands, "--hub-events", hub.events, "--screenshot-dir", dir.string(), "--screenshot-every", "0.3"});
  }

  // Whether the latest screenshot shows running text, and the board without "no connection".
  std::optional<bool> shows_ticker() const {
    const auto l = display::hall_layout(display::Rect{0, 0, W, H}, settings.display);
    const auto& c = settings.display.colors;
    try {
      const auto img = media::load_image((dir / "latest.png").string());
      if (test::share(img, l.offline, c.offline_background, 24) > 0.5) return std::nullopt;
      return test::share(img, l.ticker, c.ticker_text, 24) > 0.005;
    } catch (const media::MediaError&) {
      return std::nullopt;  // not written yet, or being replaced
    }
  }
};

struct Region {
  test::TempDir temp;
  fs::path root = temp.path();
  fs::path keys = root / "keys";
  Hub upstream;
  std::vector<std::unique_ptr<Hub>> branches;
  std::vector<std::unique_ptr<Screen>> screens;

  Region() {
    fs::create_directories(root / "authorised");
    keygen(keys, "region-hub", "");
    keygen(keys, "office", "admin");
    fs::copy_file(keys / "office.key", root / "authorised/office.key");
    upstream.name = "the regional hub";
    upstream.dir = root / "region";
    fs::create_directories(upstream.dir);
    upstream.config = (upstream.dir / "hub.toml").string();
    std::ofstream(upstream.config) << "[hub]\nsecret_key = \"" << (keys / "region-hub.secret").string()
                                   << "\"\nauthorized_keys = \"" << (root / "authorised").string()
                                   << "\"\nheartbeat_seconds = 0.5\n[hub.media]\nlisten = \"\"\n";
    upstream.keys = protocol::read_client_keys(keys / "office.secret", keys / "region-hub.key");
    for (int i = 1; i <= 3; ++i) {
      const std::string name = "branch-" + std::to_string(i);
      keygen(keys, name, "display");  // at the regional hub a branch only follows the boards
      fs::copy_file(keys / (name + ".key"), root / "authorised" / (name + ".key"));
      auto branch = std::make_unique<Hub>();
      branch->name = name;
      branch->dir = root / name;
      fs::create_directories(branch->dir);
      branch->config = (branch->dir / "hub.toml").string();
      std::ofstream(branch->config) << "[hub]\nheartbeat_seconds = 0.5\n[hub.media]\nlisten = \"\"\n"
                                    << "[hub.upstream]\ncommands = \"" << upstream.commands << "\"\nevents = \""
                                    << upstream.events << "\"\nsecret_key = \""
                                    << (keys / (name + ".secret")).string() << "\"\nhub_public_key = \""
                                    << (keys / "region-hub.key").string()
                                    << "\"\noffline_after_seconds = 2\nzones = { region = [\"main\"] }\n";
      branches.push_back(std::move(branch));
    }
  }

  void start() {
    upstream.start();
    for (auto& b : branches) b->start();
    for (auto& b : branches) {
      fs::create_directories(b->dir / "screen");
      screens.push_back(std::make_unique<Screen>(b->dir / "screen", *b));
    }
  }

  bool connected(Hub& branch) {
    const auto s = branch.status();
    return s.upstream && s.upstream->connected;
  }
  void wait_ticker_everywhere(const std::string& text) {
    for (auto& b : branches) {
      wait_until(b->name + " has the ticker \"" + text + "\"", [&] { return b->board().ticker == text; });
    }
  }
};

}  // namespace

TEST_CASE("a region: its ticker reaches every branch's screen, a cut-off branch plays on and catches up, no change "
          "is copied twice or lost, and the region never calls") {
  Region region;
  region.start();
  for (auto& b : region.branches) wait_until(b->name + " follows the region", [&] { return region.connected(*b); });

  // The office sets the region's ticker: it reaches the three branches and their screens.
  region.upstream.accepted(protocol::TickerSet{"Закрыто 31 декабря с 16:00"}, "region");
  region.wait_ticker_everywhere("Закрыто 31 декабря с 16:00");
  for (auto& s : region.screens) {
    wait_until(s->dir.string() + " shows the region's ticker", [&] { return s->shows_ticker() == true; });
  }

  const auto shown = test::run({TABLOCTL_BIN, "--hub", region.branches[0]->commands, "status"});
  CHECK_THAT(shown.output, Catch::Contains("region: connected to " + region.upstream.commands));
  CHECK_THAT(shown.output, Catch::Contains("region → main: applied up to seq 1"));

  // A call in the regional office's own zone is never taken; the change after it is.
  region.upstream.accepted(protocol::Called{"Р1", "1", "", ""}, "region");
  region.upstream.accepted(protocol::TickerSet{"Приём до 16:00"}, "region");
  region.wait_ticker_everywhere("Приём до 16:00");
  for (auto& b : region.branches) CHECK(b->board().calls.empty());

  // The link is cut (the regional hub stops answering): each branch plays on with its board,
  // its screen keeps the ticker, and its own calls go on.
  Hub& first = *region.branches[0];
  region.upstream.process->signal(SIGSTOP);
  for (auto& b : region.branches) wait_until(b->name + " notices the link is lost", [&] { return !region.connected(*b); });
  first.accepted(protocol::Called{"А1", "2", "", ""}, "main");
  CHECK(first.board().ticker == "Приём до 16:00");
  CHECK(first.board().calls.size() == 1);
  for (auto& s : region.screens) {
    wait_until(s->dir.string() + " still shows the ticker", [&] { return s->shows_ticker() == true; });
  }
  CHECK(first.log().find("region link lost") != std::string::npos);
  CHECK_THAT(test::run({TABLOCTL_BIN, "--hub", first.commands, "status"}).output,
             Catch::Contains("region: link lost to " + region.upstream.commands));

  // The link returns: a change made while the branches were away is caught up, once.
  region.upstream.process->signal(SIGCONT);
  region.upstream.accepted(protocol::TickerSet{"Снова открыто"}, "region");
  region.wait_ticker_everywhere("Снова открыто");
  for (auto& b : region.branches) wait_until(b->name + " follows again", [&] { return region.connected(*b); });
  for (auto& b : region.branches) {
    std::map<std::string, int> copied;
    for (const auto& c : b->copies()) ++copied[c.value("text", "")];
    CHECK(copied["Снова открыто"] == 1);
    CHECK(copied["Закрыто 31 декабря с 16:00"] == 1);
    CHECK(b->log().find("region: caught up") != std::string::npos);
  }

  // The regional hub restarts (a new epoch): every branch takes its boards again and copies nothing.
  std::vector<std::size_t> before;
  for (auto& b : region.branches) before.push_back(b->copies().size());
  region.upstream.process->signal(SIGTERM);
  REQUIRE(region.upstream.process->wait(10s) == 0);
  region.upstream.start();
  const auto epoch = region.upstream.status().epoch;
  for (auto& b : region.branches) {
    wait_until(b->name + " follows the new epoch", [&] {
      auto s = b->status();
      return s.upstream && s.upstream->connected && s.upstream->zones["region"].epoch == epoch;
    });
  }
  for (std::size_t i = 0; i < region.branches.size(); ++i) CHECK(region.branches[i]->copies().size() == before[i]);

  // A branch hub restarts: it knows what it took (its journal), so it copies nothing again.
  Hub& second = *region.branches[1];
  second.process->signal(SIGTERM);
  REQUIRE(second.process->wait(10s) == 0);
  second.start();
  wait_until("branch-2 follows again after its restart", [&] { return region.connected(second); });
  std::this_thread::sleep_for(1s);  // its first heartbeat's second snapshot
  CHECK(second.board().ticker == "Снова открыто");
  CHECK(second.status().counters["upstream.copied"] == 0);

  // kill -9 of the regional hub in the middle of a burst of region changes: every branch ends
  // on the last change the regional hub accepted, and took none twice.
  for (std::size_t i = 0; i < region.branches.size(); ++i) before[i] = region.branches[i]->copies().size();
  std::string last_accepted;
  for (int i = 1; i <= 40; ++i) {
    const std::string text = "burst " + std::to_string(i);
    auto reply = region.upstream.ask(protocol::Change{protocol::TickerSet{text}}, "region", 1000ms);
    if (reply && std::holds_alternative<protocol::Accepted>(reply->answer)) last_accepted = text;
    if (i == 20) region.upstream.process->signal(SIGKILL);
    if (i > 20 && !reply) break;
  }
  REQUIRE(last_accepted == "burst 20");
  region.upstream.process->wait(10s);
  region.upstream.start();
  // Whatever it acknowledged is there; one more may be, had it taken the next before it died.
  const std::string last = region.upstream.board("region").ticker;
  CHECK((last == "burst 20" || last == "burst 21"));
  region.wait_ticker_everywhere(last);
  for (std::size_t i = 0; i < region.branches.size(); ++i) {
    auto& b = *region.branches[i];
    INFO(b.name);
    std::set<std::string> texts;
    int burst_copies = 0, previous = 0;
    const auto all = b.copies();
    for (std::size_t k = before[i]; k < all.size(); ++k) {
      const std::string text = all[k].value("text", "");
      if (!text.starts_with("burst ")) continue;
      ++burst_copies;
      CHECK(texts.insert(text).second);  // never twice
      const int n = std::stoi(text.substr(6));
      CHECK(n > previous);  // in the order the region made them
      previous = n;
    }
    // All of them, as a rule (20 of 20 here); a ticker the regional hub published just before it
    // died may never have left it, and then the branch takes the last one from its snapshot.
    CHECK(burst_copies >= 1);
  }
  for (auto& s : region.screens) {
    wait_until(s->dir.string() + " shows the ticker", [&] { return s->shows_ticker() == true; });
  }

  // A region's playlist names a file of the regional hub's library: a branch without it says so,
  // until the same file is added there.
  const auto slide = region.root / "slide.png";
  REQUIRE(test::run({"/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi", "-i",
                     "color=c=red:s=64x64", "-frames:v", "1", slide.string()}, 60s).exit_code == 0);
  const auto office = std::vector<std::string>{TABLOCTL_BIN, "--hub", region.upstream.commands, "--key",
                                               (region.keys / "office.secret").string(), "--hub-key",
                                               (region.keys / "region-hub.key").string(), "--timeout", "5"};
  auto as_office = [&](std::vector<std::string> args) {
    auto argv = office;
    argv.insert(argv.end(), args.begin(), args.end());
    return test::run(argv, patience);
  };
  REQUIRE(as_office({"media", "add", slide.string()}).exit_code == 0);
  std::ofstream(region.root / "new-year.toml") << "[[item]]\nfile = \"slide.png\"\n";
  REQUIRE(as_office({"--zone", "region", "playlist", "set", (region.root / "new-year.toml").string()}).exit_code == 0);
  auto missing = [&] {
    auto s = first.status();
    return s.upstream ? s.upstream->zones["region"].missing_media : std::vector<std::string>{"(no link)"};
  };
  wait_until("branch-1 says its library lacks the playlist's file",
             [&] { return missing() == std::vector<std::string>{"slide.png"}; });
  CHECK(first.board().playlist_media.contains("slide.png"));
  CHECK(first.log().find("this branch's media library lacks: slide.png") != std::string::npos);
  REQUIRE(test::run({TABLOCTL_BIN, "--hub", first.commands, "--timeout", "5", "media", "add", slide.string()}, patience)
              .exit_code == 0);
  wait_until("branch-1 has the file now", [&] { return missing().empty(); });
}

TEST_CASE("a regional office's key may set the region's content at a branch, never call a ticket") {
  test::TempDir temp;
  const fs::path root = temp.path();
  fs::create_directories(root / "authorised");
  keygen(root / "keys", "branch-hub", "");
  keygen(root / "keys", "office", "region");
  fs::copy_file(root / "keys/office.key", root / "authorised/office.key");
  Hub branch;
  branch.name = "the branch hub";
  branch.dir = root;
  branch.config = (root / "hub.toml").string();
  std::ofstream(branch.config) << "[hub]\nsecret_key = \"keys/branch-hub.secret\"\nauthorized_keys = \"authorised\"\n"
                                  "[hub.media]\nlisten = \"\"\n";
  branch.keys = protocol::read_client_keys(root / "keys/office.secret", root / "keys/branch-hub.key");
  branch.start();

  auto call = branch.ask(protocol::Change{protocol::Called{"А1", "1", "", ""}});
  REQUIRE(call);
  const auto* refused = std::get_if<protocol::Refused>(&call->answer);
  REQUIRE(refused);
  CHECK(refused->error == "key 'office' (region) may not call tickets");
  CHECK(branch.board().calls.empty());
  CHECK(branch.status().counters["rejected.role"] == 1);
  CHECK(std::holds_alternative<protocol::Accepted>(branch.ask(protocol::Change{protocol::TickerSet{"Для всех"}})->answer));
}
