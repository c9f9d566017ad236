// Reloading the settings of a running hub and screen: SIGHUP to either, or `tabloctl reload`
// to the hub, which passes it on to the screens. A broken file changes nothing and says where
// it is broken. And the log level each program takes from its settings.
#include <catch2/catch.hpp>

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "config/load.hpp"
#include "display/layout.hpp"
#include "media/image.hpp"
#include "tests/support/process.hpp"

using namespace tablo;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

constexpr int W = 640, H = 360;

std::string read(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

bool eventually(const std::function<bool()>& ok, std::chrono::milliseconds within = 10s) {
  for (auto deadline = std::chrono::steady_clock::now() + within; std::chrono::steady_clock::now() < deadline;) {
    if (ok()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return ok();
}

// Share of the header's pixels close to `c`.
double header_share(const media::Image& img, const config::Settings& settings, config::Color c) {
  const auto r = display::hall_layout(display::Rect{0, 0, W, H}, settings.display).header;
  long hits = 0;
  for (int y = r.y; y < r.y + r.h; ++y)
    for (int x = r.x; x < r.x + r.w; ++x) {
      const auto* p = img.pixel(x, y);
      hits += std::abs(p[0] - c.r) <= 24 && std::abs(p[1] - c.g) <= 24 && std::abs(p[2] - c.b) <= 24;
    }
  return static_cast<double>(hits) / (static_cast<double>(r.w) * r.h);
}

// A hub and a headless screen with their own config files and logs, as systemd runs them.
struct Branch {
  test::TempDir dir;
  std::string commands = test::free_endpoint();
  std::string events = test::free_endpoint();
  std::string hub_config = dir.path() + "/hub.toml";
  std::string screen_config = dir.path() + "/screen.toml";
  std::unique_ptr<test::Process> hub, screen;

  Branch() {
    write(hub_config, "[hub.metrics]\nlisten = \"\"\n");
    write(screen_config, screen_text("#0B1F3A"));
  }
  static void write(const std::string& path, const std::string& text) {
    std::ofstream(path + ".tmp") << text;
    std::filesystem::rename(path + ".tmp", path);
  }
  static std::string screen_text(const std::string& header) {
    return "[display]\noffline_after_seconds = 1.5\n[display.metrics]\nlisten = \"\"\n[display.colors]\n"
           "header_background = \"" + header + "\"\n";
  }
  std::string hub_log() const { return read(dir.path() + "/hub.log"); }
  std::string screen_log() const { return read(dir.path() + "/screen.log"); }

  std::unique_ptr<test::Process> logged(const std::string& log, const std::vector<std::string>& argv) {
    std::string command = "exec";
    for (const auto& a : argv) command += " '" + a + "'";
    command += " > " + dir.path() + "/" + log + " 2>&1";
    return std::make_unique<test::Process>(std::vector<std::string>{"/bin/sh", "-c", command});
  }
  void start_hub(std::vector<std::string> extra = {}) {
    std::vector<std::string> argv{TABLO_HUB_BIN, "--config", hub_config, "--commands", commands, "--events", events,
                                  "--journal", dir.path() + "/journal"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    hub = logged("hub.log", argv);
    REQUIRE(eventually([&] { return ctl({"status"}).exit_code == 0; }));
  }
  void start_screen() {
    screen = logged("screen.log", {TABLO_DISPLAY_BIN, "--headless", "--config", screen_config, "--size",
                                   std::to_string(W) + "x" + std::to_string(H), "--hub-commands", commands,
                                   "--hub-events", events, "--screenshot-dir", dir.path(), "--screenshot-every", "0.1"});
  }
  test::Ran ctl(std::vector<std::string> args) {
    args.insert(args.begin(), {TABLOCTL_BIN, "--hub", commands, "--timeout", "2"});
    return test::run(args);
  }
  // The screen's header shows `colour` within a few seconds.
  bool header_becomes(config::Color colour) {
    const auto settings = config::load_file(screen_config);
    return eventually([&] {
      try {
        return header_share(media::load_image(dir.path() + "/latest.png"), settings, colour) > 0.5;
      } catch (const media::MediaError&) {
        return false;  // not written yet
      }
    });
  }
};

constexpr config::Color navy{0x0b, 0x1f, 0x3a}, red{0xff, 0x00, 0x00}, green{0x00, 0x80, 0x00};

}  // namespace

TEST_CASE("SIGHUP gives a screen its new colours; a broken file is refused with its line and the screen stays") {
  Branch branch;
  branch.start_hub();
  branch.start_screen();
  REQUIRE(branch.header_becomes(navy));

  Branch::write(branch.screen_config, Branch::screen_text("#FF0000"));
  branch.screen->signal(SIGHUP);
  CHECK(branch.header_becomes(red));
  CHECK(eventually([&] { return branch.screen_log().find("config reloaded") != std::string::npos; }));

  Branch::write(branch.screen_config, "[display]\nrows = 40\n");
  branch.screen->signal(SIGHUP);
  CHECK(eventually([&] {
    return branch.screen_log().find("config not reloaded, the screen keeps its settings: " + branch.screen_config +
                                    ":2:8: display.rows") != std::string::npos;
  }));
  std::this_thread::sleep_for(300ms);
  Branch::write(branch.screen_config, Branch::screen_text("#FF0000"));  // only for header_becomes: no SIGHUP
  CHECK(branch.header_becomes(red));
  CHECK(branch.screen->running());
}

TEST_CASE("tabloctl reload reloads the hub, which has every screen read its own file again") {
  Branch branch;
  branch.start_hub();
  branch.start_screen();
  REQUIRE(branch.header_becomes(navy));
  // The screen has heard the hub (and its reload count) before the reload.
  REQUIRE(eventually([&] { return branch.screen_log().find("board taken from the hub") != std::string::npos; }));
  std::this_thread::sleep_for(1500ms);  // a heartbeat after it

  Branch::write(branch.screen_config, Branch::screen_text("#008000"));
  Branch::write(branch.hub_config, "[hub]\ncommands_per_second = 20\n[hub.metrics]\nlisten = \"\"\n");
  auto reloaded = branch.ctl({"reload"});
  CHECK(reloaded.exit_code == 0);
  CHECK_THAT(reloaded.output, Contains("reloaded") && Contains("20 commands/s"));
  CHECK(branch.header_becomes(green));

  Branch::write(branch.hub_config, "[hub]\nheartbeat_seconds = 99\n");
  auto refused = branch.ctl({"reload"});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.output, Contains(branch.hub_config + ":2:21: hub.heartbeat_seconds"));
  CHECK_THAT(branch.hub_log(), Contains("config not reloaded, the running settings stay"));
  CHECK(branch.ctl({"status"}).exit_code == 0);  // the hub serves on

  // A key that is only read at the start is named, not silently ignored.
  Branch::write(branch.hub_config, "[hub]\nallow_insecure = true\n[hub.metrics]\nlisten = \"\"\n");
  branch.hub->signal(SIGHUP);
  CHECK(eventually([&] {
    return branch.hub_log().find("hub.allow_insecure changed and needs a restart") != std::string::npos;
  }));
}

TEST_CASE("each program logs at the level of its settings, and --log-level overrides it") {
  Branch branch;
  Branch::write(branch.hub_config, "[log]\nlevel = \"warn\"\n[hub.metrics]\nlisten = \"\"\n");
  branch.start_hub();
  REQUIRE(branch.ctl({"call", "А025", "--window", "3"}).exit_code == 0);
  REQUIRE(branch.ctl({"recall", "Б999"}).exit_code == 1);
  CHECK(eventually([&] { return branch.hub_log().find("refused recall of Б999") != std::string::npos; }));
  CHECK(branch.hub_log().find("call А025") == std::string::npos);  // info: not logged at warn

  branch.hub.reset();
  branch.start_hub({"--log-level", "debug"});
  CHECK(eventually([&] { return branch.hub_log().find("status for") != std::string::npos; }));  // debug
}
