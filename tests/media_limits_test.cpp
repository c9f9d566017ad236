// What a screen's media may cost it, on a real headless tablo-display: FFmpeg's own complaints
// about a broken file reach its log once, in its format, not raw at every retry; a huge still
// is scaled down as it is decoded and the screen's memory stays under a stated bound.
#include <catch2/catch.hpp>

#include <fstream>
#include <thread>

#include "media/image.hpp"
#include "tests/media_clips.hpp"
#include "tests/support/pixels.hpp"

using namespace tablo;
using namespace std::chrono_literals;

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// A headless screen showing `playlist` full screen, its stderr (its log) in `log`.
std::unique_ptr<test::Process> start_screen(const std::string& dir, const std::string& playlist,
                                            const std::string& media_settings = "") {
  std::ofstream(dir + "/loop.toml") << playlist;
  std::ofstream(dir + "/tablo.toml") << "[display.media]\nplaylist = \"loop.toml\"\nregion = \"full\"\n"
                                     << media_settings << "[display.metrics]\nlisten = \"\"\n";
  const std::string command = std::string("exec ") + TABLO_DISPLAY_BIN + " --headless --config " + dir +
                              "/tablo.toml --size 1280x720 --hub-commands " + test::free_endpoint() +
                              " --hub-events " + test::free_endpoint() + " --screenshot-dir " + dir +
                              " --screenshot-every 0.2 > " + dir + "/out.txt 2> " + dir + "/log.txt";
  return std::make_unique<test::Process>(std::vector<std::string>{"/bin/sh", "-c", command});
}

long status_kib(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.starts_with(field + ":")) return std::stol(line.substr(field.size() + 1));
  return 0;
}

}  // namespace

TEST_CASE("FFmpeg's complaint about a truncated file is in the screen's log once, not raw at every retry") {
  test::TempDir dir;
  const auto whole = test::make_clip(dir.path(), "whole.mp4", "-f lavfi -i testsrc=size=640x360:rate=25 -t 2 -c:v libx264 -preset ultrafast");
  {
    // Cut before the index (MP4 writes it at the end): "moov atom not found".
    std::ifstream in(whole, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    std::ofstream(dir.path() + "/broken.mp4", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  }
  test::solid_clip(dir.path(), "good.mp4", "green", 1);
  auto screen = start_screen(dir.path(),
                             "[[item]]\nfile = \"broken.mp4\"\n[[item]]\nfile = \"good.mp4\"\nduration = 0.5\n",
                             "retry_seconds = 1\n");
  // Each time the file is written anew the screen tries it again at once; FFmpeg says the
  // same thing each time, the log only the first.
  const std::string broken = dir.path() + "/broken.mp4";
  const std::string bytes = read(broken);
  std::string log;
  for (auto deadline = std::chrono::steady_clock::now() + 30s; std::chrono::steady_clock::now() < deadline;) {
    log = read(dir.path() + "/log.txt");
    const auto tries = 1 + count(log, "broken.mp4 changed: trying it again");
    if (tries >= 3) break;
    if (count(log, "skipped " + broken) >= 1) {
      std::this_thread::sleep_for(1s);
      std::ofstream(broken, std::ios::binary) << bytes;
      for (auto wait = std::chrono::steady_clock::now() + 10s;
           std::chrono::steady_clock::now() < wait && 1 + count(read(dir.path() + "/log.txt"), "broken.mp4 changed") == tries;)
        std::this_thread::sleep_for(50ms);
    }
    std::this_thread::sleep_for(100ms);
  }
  std::this_thread::sleep_for(1s);
  screen.reset();
  log = read(dir.path() + "/log.txt");
  INFO(log);
  REQUIRE(count(log, "broken.mp4 changed: trying it again") >= 2);  // opened three times
  CHECK(count(log, "moov atom not found") == 1);
  CHECK_THAT(log, Catch::Contains("FFmpeg mov,mp4,m4a,3gp,3g2,mj2 (" + dir.path() + "/broken.mp4): moov atom not found"));
  CHECK(log.find(" @ 0x") == std::string::npos);  // FFmpeg's own "[mov,mp4,… @ 0x55…]" lines
  CHECK(read(dir.path() + "/out.txt").empty());
}

TEST_CASE("a 12000×12000 PNG is scaled down as it is decoded: shown, with the screen under 750 MiB at its peak") {
  test::TempDir dir;
  const config::Color colour{48, 96, 192};
  test::make_clip(dir.path(), "huge.png", "-f lavfi -i color=c=0x3060c0:size=12000x12000 -frames:v 1 -pix_fmt rgb24");
  auto screen = start_screen(dir.path(), "[[item]]\nfile = \"huge.png\"\nduration = 600\n");
  bool shown = false;
  for (auto deadline = std::chrono::steady_clock::now() + 90s; !shown && std::chrono::steady_clock::now() < deadline;) {
    try {
      const auto shot = media::load_image(dir.path() + "/latest.png");
      shown = test::share(shot, display::Rect{320, 180, 640, 360}, colour, 8) > 0.95;
    } catch (const media::MediaError&) {
    }
    std::this_thread::sleep_for(200ms);
  }
  // The item's next round is opened ahead too (a one-item loop), so a second full-size decode
  // follows; then only the scaled pictures stay.
  long now_kib = 0;
  for (auto deadline = std::chrono::steady_clock::now() + 60s; std::chrono::steady_clock::now() < deadline;) {
    now_kib = status_kib(screen->pid(), "VmRSS");
    if (now_kib < 300 * 1024) break;
    std::this_thread::sleep_for(200ms);
  }
  const long peak_kib = status_kib(screen->pid(), "VmHWM");
  screen.reset();
  const std::string log = read(dir.path() + "/log.txt");
  INFO("peak " << peak_kib / 1024 << " MiB, now " << now_kib / 1024 << " MiB\n" << log);
  REQUIRE(shown);
  // One decoded 12000² RGB picture is 412 MiB, beside the screen's own ~180 MiB; before the
  // scaling it was kept in the queue and in a texture at full size too: 1.07 GiB at the peak.
  CHECK(peak_kib < 750 * 1024);
  // Once shown, what stays is 3840² pictures and a texture (211 MiB measured).
  CHECK(now_kib < 300 * 1024);
  CHECK_THAT(log, Catch::Contains("12000×12000 png"));
}
