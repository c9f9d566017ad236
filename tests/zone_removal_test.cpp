// Removing a zone: a real tablo-hub and tabloctl; the removal is journaled, so it holds after
// the hub is killed and started again, and the zone's events start afresh in a new epoch.
#include <catch2/catch.hpp>

#include <csignal>

#include "tests/support/process.hpp"

using namespace std::chrono_literals;

namespace {

struct Branch {
  tablo::test::TempDir journal;
  std::string commands = tablo::test::free_endpoint(), events = tablo::test::free_endpoint();
  std::unique_ptr<tablo::test::Process> hub;

  void start() {
    hub = std::make_unique<tablo::test::Process>(std::vector<std::string>{
        TABLO_HUB_BIN, "--commands", commands, "--events", events, "--journal", journal.path()});
    for (auto deadline = std::chrono::steady_clock::now() + 5s; std::chrono::steady_clock::now() < deadline;) {
      REQUIRE(hub->running());
      if (ctl({"status"}).exit_code == 0) return;
    }
    FAIL("tablo-hub did not answer within 5 s");
  }
  tablo::test::Ran ctl(std::vector<std::string> args) {
    args.insert(args.begin(), {TABLOCTL_BIN, "--hub", commands, "--timeout", "1", "--retries", "0"});
    return tablo::test::run(args, 10s);
  }
};

}  // namespace

TEST_CASE("a removed zone leaves the hub, stays removed after a kill -9, and starts again at seq 1 in a new epoch") {
  Branch branch;
  branch.start();
  REQUIRE(branch.ctl({"--zone", "lobby", "call", "А001", "--window", "1"}).exit_code == 0);
  REQUIRE(branch.ctl({"--zone", "lobby", "call", "А002", "--window", "2"}).exit_code == 0);
  REQUIRE(branch.ctl({"--zone", "main", "call", "Б001", "--window", "3"}).exit_code == 0);
  const auto before = branch.ctl({"status"});
  REQUIRE_THAT(before.output, Catch::Contains("lobby: seq 2"));

  const auto removed = branch.ctl({"zone", "rm", "lobby"});
  INFO(removed.output);
  CHECK(removed.exit_code == 0);
  CHECK_THAT(removed.output, Catch::Contains("zone lobby removed; the hub's epoch is now"));
  CHECK(branch.ctl({"zone", "remove", "lobby"}).exit_code == 1);  // nothing left to remove
  CHECK_THAT(branch.ctl({"zone", "remove", "nowhere"}).output, Catch::Contains("zone 'nowhere' has no board"));
  auto after = branch.ctl({"status"});
  CHECK_THAT(after.output, !Catch::Contains("lobby") && Catch::Contains("main: seq 1"));

  branch.hub->signal(SIGKILL);
  branch.hub->wait(5s);
  branch.start();
  after = branch.ctl({"status"});
  CHECK_THAT(after.output, !Catch::Contains("lobby") && Catch::Contains("main: seq 1, 1 call"));
  const auto again = branch.ctl({"--zone", "lobby", "call", "А003", "--window", "1"});
  CHECK_THAT(again.output, Catch::Contains("(zone lobby, seq 1)"));
  CHECK_THAT(branch.ctl({"--zone", "lobby", "snapshot"}).output, Catch::Contains("А003") && !Catch::Contains("А001"));
}
