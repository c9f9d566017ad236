// The playlist on a real screen: a headless tablo-display plays test clips in the region its
// layout gives them; the checks read its screenshots where the layout puts the media, and its
// log. Also the pure part: where a picture goes in its region.
#include <catch2/catch.hpp>

#include <signal.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <thread>

#include "config/load.hpp"
#include "display/layout.hpp"
#include "media/image.hpp"
#include "tests/support/pixels.hpp"
#include "sound/pcm.hpp"
#include "tests/media_clips.hpp"

using namespace tablo;
using namespace std::chrono_literals;
using display::Rect;
using test::share;

namespace {

constexpr int W = 1280, H = 720;

struct Screen {
  test::TempDir dir;
  std::string config_path = dir.path() + "/tablo.toml";
  std::string playlist_path = dir.path() + "/loop.toml";
  std::string log_path = dir.path() + "/display.log";
  config::Settings settings;
  std::unique_ptr<test::Process> process;

  explicit Screen(const std::string& media_config) {
    std::ofstream(config_path) << "[display.media]\nplaylist = \"loop.toml\"\n" << media_config;
    settings = config::load_file(config_path);
  }
  // As staff's editors and scripts do: a new file renamed over the old one.
  void write_playlist(const std::string& text) {
    const auto tmp = playlist_path + ".tmp";
    std::ofstream(tmp) << text;
    std::filesystem::rename(tmp, playlist_path);
  }
  void start(const std::string& more_arguments = "") {
    const std::string command = std::string("exec ") + TABLO_DISPLAY_BIN + " --headless --config " + config_path +
                                " --size " + std::to_string(W) + "x" + std::to_string(H) +
                                " --hub-commands tcp://127.0.0.1:1 --hub-events tcp://127.0.0.1:2" +
                                " --screenshot-dir " + dir.path() + " --screenshot-every 0.1 " + more_arguments + " > " + log_path +
                                " 2>&1";
    process = std::make_unique<test::Process>(std::vector<std::string>{"/bin/sh", "-c", command});
  }
  std::string log() const {
    std::ifstream in(log_path);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  display::HallLayout layout() const { return display::hall_layout(Rect{0, 0, W, H}, settings.display); }

  media::Image screen_where(const std::string& what, const std::function<bool(const media::Image&)>& ok) {
    media::Image last;
    for (auto deadline = std::chrono::steady_clock::now() + 10s; std::chrono::steady_clock::now() < deadline;) {
      try {
        last = media::load_image(dir.path() + "/latest.png");
        if (ok(last)) return last;
      } catch (const media::MediaError&) {
      }
      std::this_thread::sleep_for(50ms);
    }
    FAIL("the screen never showed: " << what << "\nlog:\n" << log());
    return last;
  }
};


const config::Color red{255, 0, 0}, blue{0, 0, 255};

Rect centre_of(Rect r) { return Rect{r.x + r.w / 4, r.y + r.h / 4, r.w / 2, r.h / 2}; }

}  // namespace

TEST_CASE("a picture is fitted or fills its region, never stretched, and turned pictures swap sides") {
  const Rect region{100, 50, 800, 400};
  CHECK(display::place_picture(region, 1920, 1080, 1.0, 0, false) == Rect{144, 50, 711, 400});
  CHECK(display::place_picture(region, 1920, 1080, 1.0, 0, true) == Rect{100, 25, 800, 450});
  CHECK(display::place_picture(region, 1080, 1920, 1.0, 0, false) == Rect{387, 50, 225, 400});
  // A phone video stored 1920×1080 and turned 90°: upright it is tall.
  CHECK(display::place_picture(region, 1920, 1080, 1.0, 90, false) == Rect{387, 50, 225, 400});
  // Anamorphic DVD: 720×576 pixels shown 16:9.
  CHECK(display::place_picture(region, 720, 576, 64.0 / 45, 0, false) == Rect{144, 50, 711, 400});
}

TEST_CASE("with no playlist the hall layout gives no media region; with one, the table moves aside") {
  config::DisplaySettings d;
  const auto plain = display::hall_layout(Rect{0, 0, W, H}, d);
  CHECK(plain.media.w == 0);
  d.media.playlist = "loop.toml";
  d.media.region = "left";
  d.media.size = 0.4;
  const auto left = display::hall_layout(Rect{0, 0, W, H}, d);
  CHECK(left.media == Rect{0, plain.header.h, 512, plain.ticker.y - plain.header.h});
  CHECK(left.rows[0].x == 512);
  CHECK(left.rows[0].w == W - 512);
  CHECK(left.header == plain.header);
  CHECK(left.ticker == plain.ticker);
  d.media.region = "full";
  CHECK(display::hall_layout(Rect{0, 0, W, H}, d).media == Rect{0, 0, W, H});
}

TEST_CASE("the screen plays its playlist beside the board and follows a playlist renamed over the old one") {
  Screen screen("region = \"right\"\n");
  test::solid_clip(screen.dir.path(), "red.mp4", "red", 1.5);
  test::solid_clip(screen.dir.path(), "blue.mp4", "blue", 1.5);
  screen.write_playlist("[[item]]\nfile = \"red.mp4\"\n");
  screen.start();
  const auto l = screen.layout();
  REQUIRE(l.media.w > 0);
  auto shot = screen.screen_where("red video in the media region",
                                  [&](const auto& img) { return share(img, centre_of(l.media), red) > 0.95; });
  // The board beside it is as always.
  CHECK(share(shot, l.header, screen.settings.display.colors.header_background) > 0.5);
  CHECK(share(shot, l.rows[1], screen.settings.display.colors.row_alt_background) > 0.9);

  screen.write_playlist("[[item]]\nfile = \"blue.mp4\"\n");
  screen.screen_where("blue video after the playlist changed",
                      [&](const auto& img) { return share(img, centre_of(l.media), blue) > 0.95; });
  const auto log = screen.log();
  CHECK_THAT(log, Catch::Contains("playing red.mp4 (1.5 s"));
  CHECK_THAT(log, Catch::Contains("playing blue.mp4 (1.5 s"));

  // A broken playlist keeps the one that plays, and the log says where it is broken.
  screen.write_playlist("[[item]]\nfile = \"red.mp4\"\nvolume = \"loud\"\n");
  std::this_thread::sleep_for(2s);  // more than one loop of the clip
  shot = screen.screen_where("blue still", [&](const auto& img) { return share(img, centre_of(l.media), blue) > 0.95; });
  CHECK_THAT(screen.log(), Catch::Contains(screen.playlist_path + ":3:10: item[1].volume: expected a number 0–1; "
                                           "the previous playlist plays on"));
}

TEST_CASE("a screen whose playlist has nothing playable shows the fallback slide, not black") {
  Screen screen("region = \"full\"\n");
  screen.write_playlist("[[item]]\nfile = \"missing.mp4\"\n");
  screen.start();
  const auto l = screen.layout();
  const auto fallback = screen.settings.display.colors.header_background;
  screen.screen_where("the fallback slide over the whole screen",
                      [&](const auto& img) { return share(img, Rect{0, H * 3 / 4, W / 10, H / 4}, fallback) > 0.95; });
  CHECK_THAT(screen.log(), Catch::Contains("skipped " + screen.dir.path() + "/missing.mp4: cannot open: No such file"));
  CHECK(l.media_only);
}

TEST_CASE("a full-screen playlist covers the screen, fitted without distortion") {
  Screen screen("region = \"full\"\n");
  test::solid_clip(screen.dir.path(), "wide.mp4", "red", 1, "640x180");  // 32:9 in a 16:9 screen
  screen.write_playlist("[[item]]\nfile = \"wide.mp4\"\n");
  screen.start();
  const auto shot = screen.screen_where("the wide clip across the middle", [&](const auto& img) {
    return share(img, Rect{0, H / 2 - 80, W, 160}, red) > 0.95;
  });
  // Bars above and below, in the board's background colour (under the "no connection" strip).
  CHECK(share(shot, Rect{0, H / 10, W, H / 10}, screen.settings.display.colors.background) > 0.95);
  CHECK(share(shot, Rect{0, H - H / 5, W, H / 5}, screen.settings.display.colors.background) > 0.95);
}

TEST_CASE("a video that is not muted is heard at its volume; a hall loop is silent by default") {
  // The loudest sample the screen played in about two seconds of `playlist`.
  auto loudest_heard = [](const std::string& item_options) {
    Screen screen("[announcements]\nmode = \"off\"\n");
    test::make_clip(screen.dir.path(), "tone.mp4",
                    "-f lavfi -i color=c=red:size=160x120:rate=25 -f lavfi -i sine=frequency=440 -t 3 "
                    "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac");
    screen.write_playlist("[[item]]\nfile = \"tone.mp4\"\n" + item_options);
    const auto wav = screen.dir.path() + "/heard.wav";
    screen.start("--audio-out " + wav);
    const Rect m = screen.layout().media;
    const Rect middle{m.x + m.w / 2 - 20, m.y + m.h / 2 - 20, 40, 40};
    screen.screen_where("the clip", [&](const auto& img) { return share(img, middle, red) > 0.9; });
    std::this_thread::sleep_for(2s);
    screen.process->signal(SIGTERM);
    screen.process->wait(10s);
    const auto pcm = tablo::sound::load_audio(wav, tablo::sound::PcmFormat{48000, 2});
    INFO(screen.log());
    CHECK(pcm.seconds() > 1.5);
    float peak = 0;
    for (float s : pcm.samples) peak = std::max(peak, std::abs(s));
    return peak;
  };
  // The tone is 1/8 of full scale, the same in both channels of the stereo mix.
  CHECK(loudest_heard("muted = false\nvolume = 0.5\n") == Approx(0.5 * 0.125 / std::sqrt(2.0)).epsilon(0.2));
  CHECK(loudest_heard("") < 0.001f);
}

TEST_CASE("a screen with a playlist opens its sound device at start, not when the first video with sound plays") {
  // Announcements off and a muted clip: nothing is heard yet, but a playlist (or a pushed one)
  // may bring sound, and opening the device later would hold a frame.
  Screen screen("[announcements]\nmode = \"off\"\n");
  test::solid_clip(screen.dir.path(), "red.mp4", "red", 1.5);
  screen.write_playlist("[[item]]\nfile = \"red.mp4\"\n");
  screen.start();
  const Rect m = screen.layout().media;
  screen.screen_where("the clip", [&](const auto& img) { return share(img, centre_of(m), red) > 0.9; });
  const auto log = screen.log();
  const auto opened = log.find("sound on the sound device");
  REQUIRE(opened != std::string::npos);
  CHECK(opened < log.find("playing red.mp4"));
}
