// What a screen's media may cost it, on a real headless tablo-display: FFmpeg's own complaints
// about a broken file reach its log once, in its format, not raw at every retry; a big still
// is scaled down as it is decoded and the screen's memory stays under a stated bound; a still
// too big to decode at all is refused before it is.
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

namespace {

// The screen's memory while it shows `playlist` for a while: (peak, once settled) in KiB, and
// whether a screenshot showed `colour` in the middle of the picture.
struct Held {
  long peak_kib = 0, now_kib = 0;
  bool shown = false;
  std::string log;
};
Held hold_still(const std::string& dir, const std::string& playlist, const std::string& media_settings,
                std::optional<config::Color> colour, const std::string& until_logged = "") {
  auto screen = start_screen(dir, playlist, media_settings);
  Held held;
  for (auto deadline = std::chrono::steady_clock::now() + 90s; std::chrono::steady_clock::now() < deadline;) {
    if (colour) {
      try {
        const auto shot = media::load_image(dir + "/latest.png");
        held.shown = test::share(shot, display::Rect{320, 180, 640, 360}, *colour, 8) > 0.95;
      } catch (const media::MediaError&) {
      }
      if (held.shown) break;
    } else if (read(dir + "/log.txt").find(until_logged) != std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(200ms);
  }
  for (auto deadline = std::chrono::steady_clock::now() + 60s; std::chrono::steady_clock::now() < deadline;) {
    held.now_kib = status_kib(screen->pid(), "VmRSS");
    if (held.now_kib < 300 * 1024) break;
    std::this_thread::sleep_for(200ms);
  }
  held.peak_kib = status_kib(screen->pid(), "VmHWM");
  screen.reset();
  held.log = read(dir + "/log.txt");
  return held;
}

}  // namespace

TEST_CASE("a 9000×9000 PNG is scaled down as it is decoded: shown, with the screen under 600 MiB at its peak") {
  test::TempDir dir;
  const config::Color colour{48, 96, 192};
  test::make_clip(dir.path(), "big.png", "-f lavfi -i color=c=0x3060c0:size=9000x9000 -frames:v 1 -pix_fmt rgb24");
  const auto held = hold_still(dir.path(), "[[item]]\nfile = \"big.png\"\nduration = 600\n", "", colour);
  INFO("peak " << held.peak_kib / 1024 << " MiB, now " << held.now_kib / 1024 << " MiB\n" << held.log);
  REQUIRE(held.shown);
  // One decoded 9000² RGB picture is 232 MiB, beside the screen's own ~180 MiB; FFmpeg's look at
  // the file decodes it once too, before the picture thread does, one after the other.
  CHECK(held.peak_kib < 600 * 1024);
  // Once shown, what stays is a 3840² picture and a texture.
  CHECK(held.now_kib < 300 * 1024);
  CHECK_THAT(held.log, Catch::Contains("9000×9000 png"));
}

TEST_CASE("a 12000×12000 PNG is refused before it is decoded, with a skip line naming it, its size and the limit") {
  test::TempDir dir;
  test::make_clip(dir.path(), "huge.png", "-f lavfi -i color=c=0x3060c0:size=12000x12000 -frames:v 1 -pix_fmt rgb24");
  const auto held = hold_still(dir.path(), "[[item]]\nfile = \"huge.png\"\nduration = 600\n", "", std::nullopt,
                               "skipped " + dir.path() + "/huge.png");
  INFO("peak " << held.peak_kib / 1024 << " MiB, now " << held.now_kib / 1024 << " MiB\n" << held.log);
  CHECK_THAT(held.log, Catch::Contains("skipped " + dir.path() + "/huge.png: a still of 12000×12000 pixels is too big "
                                       "to decode (the most is 11520×11520: three times display.media.still_max_side = "
                                       "3840 each way)"));
  // Decoded, it was 412 MiB for the picture alone (1.07 GiB at the peak before the scaling).
  CHECK(held.peak_kib < 300 * 1024);
}
