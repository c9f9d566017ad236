// Watching the hall from a desk: a real tablo-hub and headless tablo-displays on loopback,
// driven with the real tabloctl. A playlist pushed through the hub plays on the zone's screens
// (also one started later); screens report themselves, and a desk fetches a screen's picture
// and its proof of play through the hub.
#include <catch2/catch.hpp>

#include <signal.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "config/load.hpp"
#include "display/layout.hpp"
#include "media/image.hpp"
#include "tests/support/pixels.hpp"
#include "tests/media_clips.hpp"

using namespace tablo;
using namespace std::chrono_literals;
using display::Rect;
using test::Process;
using test::share;

namespace {

constexpr int W = 1280, H = 720;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Share of the pixels of `r` that are the same in both pictures.
double same(const media::Image& a, const media::Image& b, Rect r) {
  long hits = 0;
  for (int y = r.y; y < r.y + r.h; ++y)
    for (int x = r.x; x < r.x + r.w; ++x) hits += std::equal(a.pixel(x, y), a.pixel(x, y) + 3, b.pixel(x, y));
  return static_cast<double>(hits) / (static_cast<double>(r.w) * r.h);
}

Rect centre_of(Rect r) { return Rect{r.x + r.w / 4, r.y + r.h / 4, r.w / 2, r.h / 2}; }

const config::Color red{255, 0, 0}, blue{0, 0, 255};

std::string today() {
  const std::time_t t = std::time(nullptr);
  std::tm local{};
  ::localtime_r(&t, &local);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &local);
  return text;
}

// Polls `ok` for up to `within`; true once it held.
bool eventually(const std::function<bool()>& ok, std::chrono::milliseconds within = 8s) {
  for (auto deadline = std::chrono::steady_clock::now() + within; std::chrono::steady_clock::now() < deadline;) {
    if (ok()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return ok();
}

// One headless screen in its own folder: config, own playlist, screenshots, log, proof of play.
struct Screen {
  std::string name, dir;
  config::Settings settings;
  std::unique_ptr<Process> process;

  std::string log() const { return read_file(dir + "/display.log"); }
  display::HallLayout layout() const { return display::hall_layout(Rect{0, 0, W, H}, settings.display); }

  media::Image shown_where(const std::string& what, const std::function<bool(const media::Image&)>& ok) {
    media::Image last;
    for (auto deadline = std::chrono::steady_clock::now() + 10s; std::chrono::steady_clock::now() < deadline;) {
      try {
        last = media::load_image(dir + "/latest.png");
        if (ok(last)) return last;
      } catch (const media::MediaError&) {
      }
      std::this_thread::sleep_for(50ms);
    }
    FAIL("screen " << name << " never showed: " << what << "\nlog:\n" << log());
    return last;
  }
};

struct Branch {
  test::TempDir dir;
  std::string commands = test::free_endpoint();
  std::string events = test::free_endpoint();
  std::unique_ptr<Process> hub;

  Branch() {
    hub = std::make_unique<Process>(std::vector<std::string>{TABLO_HUB_BIN, "--commands", commands, "--events", events,
                                                             "--journal", dir.path() + "/journal"});
    for (int i = 0; i < 100 && ctl({"status"}).exit_code != 0; ++i) std::this_thread::sleep_for(20ms);
  }

  test::Ran ctl(std::vector<std::string> args, std::chrono::milliseconds timeout = 10s) {
    args.insert(args.begin(), {TABLOCTL_BIN, "--hub", commands, "--timeout", "2"});
    return test::run(args, timeout);
  }

  // A screen named `name`; `playlist` is its own playlist file's text ("" for a screen
  // without media), `extra` more settings of [display].
  std::unique_ptr<Screen> screen(const std::string& name, const std::string& playlist, const std::string& extra = "") {
    auto s = std::make_unique<Screen>();
    s->name = name;
    s->dir = dir.path() + "/" + name;
    std::filesystem::create_directories(s->dir);
    std::ofstream config(s->dir + "/tablo.toml");
    config << "[display]\nname = \"" << name << "\"\noffline_after_seconds = 1.5\npopup_seconds = 0\nblink_seconds = 0\n"
           << extra << "\n[display.reports]\nevery_seconds = 1\nproof_of_play_dir = \"" << s->dir << "/proof\"\n";
    if (!playlist.empty()) {
      std::ofstream(s->dir + "/own.toml") << playlist;
      config << "[display.media]\nplaylist = \"" << s->dir << "/own.toml\"\nregion = \"right\"\n";
    }
    config.close();
    s->settings = config::load_file(s->dir + "/tablo.toml");
    const std::string command = std::string("exec ") + TABLO_DISPLAY_BIN + " --headless --config " + s->dir +
                                "/tablo.toml --size " + std::to_string(W) + "x" + std::to_string(H) +
                                " --hub-commands " + commands + " --hub-events " + events + " --screenshot-dir " +
                                s->dir + " --screenshot-every 0.1 > " + s->dir + "/display.log 2>&1";
    s->process = std::make_unique<Process>(std::vector<std::string>{"/bin/sh", "-c", command});
    return s;
  }
};

}  // namespace

TEST_CASE("a playlist pushed through the hub plays on the zone's screens, also on one started later, until withdrawn") {
  Branch branch;
  const std::string own = "[[item]]\nfile = \"red.mp4\"\n";
  auto first_dir = branch.dir.path() + "/first";
  std::filesystem::create_directories(first_dir);
  test::solid_clip(first_dir, "red.mp4", "red", 1.5);
  test::solid_clip(first_dir, "blue.mp4", "blue", 1.5);
  auto first = branch.screen("first", own);
  const auto l = first->layout();
  REQUIRE(l.media.w > 0);
  first->shown_where("its own red clip", [&](const auto& img) { return share(img, centre_of(l.media), red) > 0.95; });

  // A pushed playlist names files of the hub's media library (the hub refuses one it lacks).
  REQUIRE(branch.ctl({"media", "add", first_dir + "/blue.mp4"}).exit_code == 0);
  REQUIRE(branch.ctl({"media", "add", first_dir + "/red.mp4"}).exit_code == 0);
  std::ofstream(branch.dir.path() + "/push.toml") << "[[item]]\nfile = \"blue.mp4\"\n";
  auto pushed = branch.ctl({"playlist", "set", branch.dir.path() + "/push.toml"});
  INFO(pushed.output);
  REQUIRE(pushed.exit_code == 0);
  CHECK_THAT(pushed.output, Catch::Contains("accepted (zone main, seq 1)"));
  first->shown_where("the pushed blue clip", [&](const auto& img) { return share(img, centre_of(l.media), blue) > 0.95; });

  // The push is part of the zone's board: a screen that joins later plays it at once.
  auto later_dir = branch.dir.path() + "/later";
  std::filesystem::create_directories(later_dir);
  test::solid_clip(later_dir, "red.mp4", "red", 1.5);
  test::solid_clip(later_dir, "blue.mp4", "blue", 1.5);
  auto later = branch.screen("later", own);
  later->shown_where("the pushed blue clip", [&](const auto& img) { return share(img, centre_of(l.media), blue) > 0.95; });
  CHECK_THAT(branch.ctl({"snapshot"}).output, Catch::Contains("playlist: pushed"));

  // A pushed playlist the screens cannot read: the hub takes it, each screen keeps what
  // plays and says where the text is wrong.
  std::ofstream(branch.dir.path() + "/bad.toml") << "[[item]]\nfile = \"red.mp4\"\nvolume = \"loud\"\n";
  REQUIRE(branch.ctl({"playlist", "set", branch.dir.path() + "/bad.toml"}).exit_code == 0);
  CHECK(eventually([&] { return first->log().find("the playlist pushed to zone main:3:10: item[1].volume") != std::string::npos; }));
  std::this_thread::sleep_for(2s);  // more than one loop of the clip
  first->shown_where("blue still", [&](const auto& img) { return share(img, centre_of(l.media), blue) > 0.95; });

  // Withdrawn: each screen plays its own file again.
  REQUIRE(branch.ctl({"playlist", "clear"}).exit_code == 0);
  first->shown_where("its own red clip again", [&](const auto& img) { return share(img, centre_of(l.media), red) > 0.95; });
  later->shown_where("its own red clip again", [&](const auto& img) { return share(img, centre_of(l.media), red) > 0.95; });
}

TEST_CASE("screens report to the hub; a desk lists them and fetches a screenshot and a day of proof of play") {
  Branch branch;
  auto dir = branch.dir.path() + "/hall-left";
  std::filesystem::create_directories(dir);
  test::solid_clip(dir, "red.mp4", "red", 1);
  test::solid_clip(dir, "blue.mp4", "blue", 1);
  auto screen = branch.screen("hall-left", "[[item]]\nfile = \"red.mp4\"\n[[item]]\nfile = \"blue.mp4\"\n");

  // Listed within a few seconds of its start, with its zone and what it plays.
  test::Ran listed;
  CHECK(eventually([&] {
    listed = branch.ctl({"screens"});
    return listed.exit_code == 0 && listed.output.find("hall-left") != std::string::npos &&
           listed.output.find(".mp4") != std::string::npos;
  }));
  INFO(listed.output);
  CHECK_THAT(listed.output, Catch::Contains("main"));
  const auto json = branch.ctl({"screens", "--json"});
  CHECK_THAT(json.output, Catch::Contains(R"("name":"hall-left")"));
  CHECK_THAT(json.output, Catch::Contains(R"("zones":["main"])"));

  // A call: proof of play records its announcement, and the clips of the playlist as they played.
  REQUIRE(branch.ctl({"call", "А025", "--window", "3"}).exit_code == 0);
  const auto proof_path = branch.dir.path() + "/proof.jsonl";
  std::string proof;
  CHECK(eventually([&] {
    if (branch.ctl({"proof-of-play", "hall-left", "--day", today(), "-o", proof_path}).exit_code != 0) return false;
    proof = read_file(proof_path);
    return proof.find(R"("type":"announcement")") != std::string::npos &&
           proof.find(R"("type":"media")") != std::string::npos;
  }, 20s));
  INFO(proof);
  CHECK_THAT(proof, Catch::Contains(R"("ticket":"А025")"));
  CHECK_THAT(proof, Catch::Contains(R"("window":"3")"));
  CHECK_THAT(proof, Catch::Contains(dir + "/red.mp4"));
  CHECK(proof == read_file(dir + "/proof/" + today() + ".jsonl").substr(0, proof.size()));

  // The announcement is over, so the pop-up it kept up is gone and the rows stay as they are:
  // the screen's picture through the hub shows the same rows as it saves itself.
  const auto& c = screen->settings.display.colors;
  const auto l = screen->layout();
  const auto local = screen->shown_where("the call in the first row, no pop-up", [&](const auto& img) {
    return share(img, Rect{l.rows[0].x, l.rows[0].y, l.rows[0].w * 2 / 5, l.rows[0].h}, c.row_text) > 0.01 &&
           share(img, l.popup, c.popup_background) < 0.01;
  });
  const auto shot_path = branch.dir.path() + "/shot.png";
  const auto shot = branch.ctl({"screenshot", "hall-left", "-o", shot_path});
  INFO(shot.output);
  REQUIRE(shot.exit_code == 0);
  const auto remote = media::load_image(shot_path);
  REQUIRE(remote.width == W);
  REQUIRE(remote.height == H);
  for (int i = 0; i < 3; ++i) CHECK(same(remote, local, l.rows[i]) > 0.99);
  CHECK(same(remote, local, l.header) > 0.9);  // all but a clock that may have turned
  CHECK(share(remote, Rect{l.rows[0].x, l.rows[0].y, l.rows[0].w * 2 / 5, l.rows[0].h}, c.row_text) > 0.01);

  const auto none = branch.ctl({"proof-of-play", "hall-left", "--day", "2001-01-01"});
  CHECK(none.exit_code == 1);
  CHECK_THAT(none.output, Catch::Contains("no proof of play for 2001-01-01"));

  // A screen the hub never heard of.
  const auto unknown = branch.ctl({"screenshot", "nobody", "-o", branch.dir.path() + "/x.png"});
  CHECK(unknown.exit_code == 1);
  CHECK_THAT(unknown.output, Catch::Contains("no screen named 'nobody' has reported to this hub"));
  CHECK_FALSE(std::filesystem::exists(branch.dir.path() + "/x.png"));

  // A screen that stopped answering: the asker hears so after 5 s, and the hub serves
  // everyone else meanwhile.
  screen->process->signal(SIGSTOP);
  std::optional<test::Ran> frozen;
  std::thread asker([&] { frozen = branch.ctl({"screenshot", "hall-left", "-o", branch.dir.path() + "/y.png", "--retries", "0"}, 20s); });
  std::this_thread::sleep_for(500ms);
  const auto t0 = std::chrono::steady_clock::now();
  CHECK(branch.ctl({"status"}).exit_code == 0);
  CHECK(std::chrono::steady_clock::now() - t0 < 1s);
  asker.join();
  screen->process->signal(SIGCONT);
  REQUIRE(frozen);
  CHECK(frozen->exit_code == 1);
  CHECK_THAT(frozen->output, Catch::Contains("screen 'hall-left' did not answer in 5 s"));
}
