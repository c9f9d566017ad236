// End to end: a real tablo-hub and a headless tablo-display on loopback, driven with the
// real tabloctl; the checks read the display's own screenshots and look at the pixels
// where the layout puts each thing.
#include <catch2/catch.hpp>

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <cmath>
#include <functional>
#include <optional>
#include <iterator>
#include <regex>
#include <thread>

#include "config/load.hpp"
#include "display/layout.hpp"
#include "media/image.hpp"
#include "tests/support/pixels.hpp"
#include "sound/pcm.hpp"
#include "tests/support/process.hpp"

using namespace tablo;
using namespace std::chrono_literals;
using display::Rect;
using test::Process;

namespace {

constexpr int W = 1280, H = 720;

// Per-test settings: short offline detection, and blink/pop-up timings chosen by the test.
std::string config_text(const std::string& extra) {
  return "[display]\noffline_after_seconds = 1.5\n" + extra;
}

struct Hall {
  test::TempDir dir;
  std::string commands = test::free_endpoint();
  std::string events = test::free_endpoint();
  std::string config_path = dir.path() + "/tablo.toml";
  config::Settings settings;
  std::unique_ptr<Process> hub;
  std::unique_ptr<Process> screen;

  explicit Hall(const std::string& display_config) {
    std::ofstream(config_path) << config_text(display_config);
    settings = config::load_file(config_path);
  }

  void start_hub() {
    hub = std::make_unique<Process>(std::vector<std::string>{TABLO_HUB_BIN, "--commands", commands, "--events", events,
                                                             "--journal", dir.path() + "/journal"});
    for (int i = 0; i < 100 && !ctl({"status"}).output.size(); ++i) std::this_thread::sleep_for(20ms);
  }
  // With a `log`, what the screen logs goes there.
  void start_screen(std::vector<std::string> extra = {}, const std::string& log = "") {
    std::vector<std::string> argv{TABLO_DISPLAY_BIN, "--headless", "--config", config_path, "--size",
                                  std::to_string(W) + "x" + std::to_string(H), "--hub-commands", commands,
                                  "--hub-events", events, "--screenshot-dir", dir.path(), "--screenshot-every", "0.1"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    if (!log.empty()) argv.insert(argv.begin(), {"/bin/sh", "-c", "exec \"$@\" >>'" + log + "' 2>&1", "sh"});
    screen = std::make_unique<Process>(argv);
  }
  test::Ran ctl(std::vector<std::string> args) {
    args.insert(args.begin(), {TABLOCTL_BIN, "--hub", commands, "--timeout", "2"});
    return test::run(args);
  }
  void call(const std::string& ticket, const std::string& window) {
    auto r = ctl({"call", ticket, "--window", window});
    REQUIRE(r.exit_code == 0);
  }

  display::HallLayout layout() const { return display::hall_layout(Rect{0, 0, W, H}, settings.display); }

  // The latest screenshot once `ok` holds for it; fails the test after a few seconds.
  media::Image screen_where(const std::string& what, const std::function<bool(const media::Image&)>& ok) {
    const auto path = dir.path() + "/latest.png";
    media::Image last;
    for (auto deadline = std::chrono::steady_clock::now() + 8s; std::chrono::steady_clock::now() < deadline;) {
      try {
        last = media::load_image(path);
        if (ok(last)) return last;
      } catch (const media::MediaError&) {
        // not written yet
      }
      std::this_thread::sleep_for(50ms);
    }
    if (!last.rgba.empty()) {
      auto kept = std::filesystem::current_path() / ("display_test-failed-" + std::to_string(::getpid()) + ".png");
      media::save_png(last, kept);
      WARN("last screenshot kept at " << kept.string());
    }
    FAIL("the screen never showed: " << what);
    return last;
  }
};

// This file's texts are small: a tighter tolerance than the media tests' keeps anti-aliased
// edges from counting as the colour.
double share(const media::Image& img, Rect r, config::Color c) { return test::share(img, r, c, 24); }

// The horizontal extent of pixels of colour `c` in `r`: how wide the drawn text is.
int ink_width(const media::Image& img, Rect r, config::Color c) {
  int left = r.x + r.w, right = r.x - 1;
  for (int y = r.y; y < r.y + r.h; ++y)
    for (int x = r.x; x < r.x + r.w; ++x)
      if (test::near(img.pixel(x, y), c, 60)) left = std::min(left, x), right = std::max(right, x);
  return right >= left ? right - left + 1 : 0;
}

// Runs of sound in an --audio-out file, separated by at least 0.4 s of silence: one per
// announcement. In seconds from the file's start, which is when the screen's sound started.
struct SoundRun {
  double start, end;
};
std::vector<SoundRun> sound_runs(const std::string& wav) {
  const int rate = 8000;
  const auto said = tablo::sound::load_audio(wav, tablo::sound::PcmFormat{rate, 1});
  std::vector<SoundRun> runs;
  const std::size_t hole = rate * 4 / 10;
  std::size_t quiet = hole, start = 0, end = 0;
  auto close_run = [&] {
    if (end > start) runs.push_back({static_cast<double>(start) / rate, static_cast<double>(end) / rate});
  };
  for (std::size_t i = 0; i < said.samples.size(); ++i) {
    if (std::abs(said.samples[i]) < 0.01f) {
      ++quiet;
      continue;
    }
    if (quiet >= hole) {
      close_run();
      start = i;
    }
    end = i + 1;
    quiet = 0;
  }
  close_run();
  return runs;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Where a row writes its ticket: the left half, short of the arrow in the middle.
Rect left_half(Rect r) { return Rect{r.x, r.y, r.w * 2 / 5, r.h}; }
Rect right_half(Rect r) { return Rect{r.x + r.w / 2, r.y, r.w - r.w / 2, r.h}; }

}  // namespace

TEST_CASE("a call appears in the first row, lit and blinking, with a pop-up over the board") {
  Hall hall("popup_seconds = 30\nblink_seconds = 30\nblink_period_seconds = 4\n");
  hall.start_hub();
  hall.start_screen();
  const auto& c = hall.settings.display.colors;
  const auto l = hall.layout();
  hall.screen_where("an empty, connected board", [&](const media::Image& img) {
    return share(img, l.rows[0], c.row_background) > 0.99 && share(img, l.offline, c.offline_background) < 0.01;
  });

  hall.call("А025", "3");
  auto img = hall.screen_where("the call lit in row 1 and the pop-up", [&](const media::Image& i) {
    return share(i, l.rows[0], c.highlight_background) > 0.5 && share(i, l.popup, c.popup_background) > 0.5;
  });
  // The ticket and the window are written in the lit row, and the pop-up holds large text.
  CHECK(share(img, left_half(l.rows[0]), c.highlight_text) > 0.02);
  CHECK(share(img, right_half(l.rows[0]), c.highlight_text) > 0.01);
  CHECK(share(img, l.popup, c.popup_text) > 0.05);

  // The blink's "off" half shows a plain row.
  hall.screen_where("the first row in its blink-off phase", [&](const media::Image& i) {
    return share(i, l.rows[0], c.highlight_background) < 0.05 && share(i, left_half(l.rows[0]), c.row_text) > 0.02;
  });
}

TEST_CASE("the board lists calls newest first, and finish and recall reorder it") {
  Hall hall("popup_seconds = 0\nblink_seconds = 0\n");
  hall.start_hub();
  hall.start_screen();
  const auto& c = hall.settings.display.colors;
  const auto l = hall.layout();

  hall.call("А1", "2");
  hall.call("Б12345", "14");
  auto rows_written = [&](const media::Image& img, int n) {
    for (int i = 0; i < static_cast<int>(l.rows.size()); ++i) {
      const bool text = share(img, left_half(l.rows[i]), c.row_text) > 0.01;
      if (text != (i < n)) return false;
    }
    return true;
  };
  auto img = hall.screen_where("two rows", [&](const media::Image& i) { return rows_written(i, 2); });
  // The newest ticket (the long one) is on top.
  CHECK(ink_width(img, left_half(l.rows[0]), c.row_text) > 2 * ink_width(img, left_half(l.rows[1]), c.row_text));

  REQUIRE(hall.ctl({"recall", "А1"}).exit_code == 0);
  hall.screen_where("the recalled short ticket on top", [&](const media::Image& i) {
    return rows_written(i, 2) &&
           ink_width(i, left_half(l.rows[1]), c.row_text) > 2 * ink_width(i, left_half(l.rows[0]), c.row_text);
  });

  REQUIRE(hall.ctl({"finish", "А1"}).exit_code == 0);
  hall.screen_where("one row left", [&](const media::Image& i) { return rows_written(i, 1); });
  REQUIRE(hall.ctl({"cancel", "Б12345"}).exit_code == 0);
  hall.screen_where("an empty board", [&](const media::Image& i) { return rows_written(i, 0); });
}

TEST_CASE("a screen started after the calls shows them") {
  Hall hall("popup_seconds = 0\nblink_seconds = 0\n");
  hall.start_hub();
  for (int i = 1; i <= 3; ++i) hall.call("В00" + std::to_string(i), std::to_string(i));
  REQUIRE(hall.ctl({"ticker", "Добро пожаловать!"}).exit_code == 0);
  hall.start_screen();
  const auto& c = hall.settings.display.colors;
  const auto l = hall.layout();
  hall.screen_where("three rows and a running text", [&](const media::Image& img) {
    return share(img, left_half(l.rows[2]), c.row_text) > 0.01 && share(img, left_half(l.rows[3]), c.row_text) == 0 &&
           share(img, l.ticker, c.ticker_text) > 0.005;
  });
}

TEST_CASE("an announcement is shown as a banner for its time") {
  Hall hall("popup_seconds = 0\nblink_seconds = 0\n");
  hall.start_hub();
  hall.start_screen();
  const auto& c = hall.settings.display.colors;
  const auto l = hall.layout();
  REQUIRE(hall.ctl({"announce", "Окна 5 и 6 закрыты на перерыв", "--seconds", "2"}).exit_code == 0);
  hall.screen_where("the banner with its words", [&](const media::Image& i) {
    return share(i, l.announcement, c.announcement_background) > 0.5 &&
           share(i, l.announcement, c.announcement_text) > 0.01;
  });
  hall.screen_where("the banner gone after 2 s", [&](const media::Image& i) {
    return share(i, l.announcement, c.announcement_background) < 0.01;
  });
}

TEST_CASE("without the hub the last board stays up marked 'no connection', and comes back with the hub") {
  Hall hall("popup_seconds = 0\nblink_seconds = 0\n");
  hall.start_hub();
  hall.start_screen();
  const auto& c = hall.settings.display.colors;
  const auto l = hall.layout();
  hall.call("Г042", "5");
  hall.screen_where("the call", [&](const media::Image& i) { return share(i, left_half(l.rows[0]), c.row_text) > 0.01; });

  hall.hub.reset();  // SIGTERM: the hub is gone
  hall.screen_where("the mark over the kept board", [&](const media::Image& i) {
    return share(i, l.offline, c.offline_background) > 0.5 && share(i, left_half(l.rows[0]), c.row_text) > 0.01;
  });

  hall.start_hub();  // the hub again, from its journal: the same board, a new epoch
  hall.call("Д777", "9");
  hall.screen_where("the board with the new call, connected", [&](const media::Image& i) {
    return share(i, l.offline, c.offline_background) < 0.01 && share(i, left_half(l.rows[0]), c.row_text) > 0.01 &&
           share(i, left_half(l.rows[1]), c.row_text) > 0.01 && share(i, left_half(l.rows[2]), c.row_text) == 0;
  });
}

TEST_CASE("a call made as the hub comes back is said, though the screen finds it on the hub's new board") {
  Hall hall("popup_seconds = 0\nblink_seconds = 0\n");
  hall.start_hub();
  const std::string wav = hall.dir.path() + "/said.wav", log = hall.dir.path() + "/screen.log";
  hall.start_screen({"--audio-out", wav}, log);
  const auto& c = hall.settings.display.colors;
  const auto l = hall.layout();
  hall.screen_where("a connected board", [&](const media::Image& i) { return share(i, l.offline, c.offline_background) < 0.01; });
  hall.call("А1", "1");
  hall.screen_where("the first call", [&](const media::Image& i) { return share(i, left_half(l.rows[0]), c.row_text) > 0.01; });

  hall.hub.reset();
  hall.start_hub();
  hall.call("Б1999", "1777");  // before the screen's subscription reaches the new hub: it comes with the board
  hall.screen_where("both calls", [&](const media::Image& i) {
    return share(i, left_half(l.rows[0]), c.row_text) > 0.01 && share(i, left_half(l.rows[1]), c.row_text) > 0.01;
  });
  std::this_thread::sleep_for(9s);  // two announcements of about 4–6 s each
  hall.screen.reset();
  const auto runs = sound_runs(wav);
  INFO(read_text(log));
  REQUIRE(runs.size() == 2);
  CHECK(runs[1].end - runs[1].start > runs[0].end - runs[0].start + 1.0);  // the long one, Б1999 → 1777
}

TEST_CASE("a screen turned by 90 degrees draws the header along the right edge") {
  Hall hall("popup_seconds = 0\nblink_seconds = 0\n");
  hall.start_hub();
  hall.start_screen({"--rotation", "90"});
  const auto& c = hall.settings.display.colors;
  // The upright canvas is 720×1280; its top edge (the header) lands on the output's right.
  hall.screen_where("header on the right, ticker on the left", [&](const media::Image& i) {
    return share(i, Rect{W - 40, 200, 40, 300}, c.header_background) > 0.9 &&
           share(i, Rect{0, 200, 30, 300}, c.ticker_background) > 0.9;
  });
}

// Where a part `r` of the upright canvas (`cw`×`ch`) lands on the W×H output turned by `rotation`.
Rect turned(Rect r, int cw, int ch, int rotation) {
  switch (rotation) {
    case 90: return Rect{ch - r.y - r.h, r.x, r.h, r.w};
    case 180: return Rect{cw - r.x - r.w, ch - r.y - r.h, r.w, r.h};
    case 270: return Rect{r.y, cw - r.x - r.w, r.h, r.w};
    default: return r;
  }
}

TEST_CASE("a running ticker redrawn alone stays in its strip, whole and moving, at every rotation") {
  for (int rotation : {0, 90, 180, 270}) {
    INFO("rotation " << rotation);
    Hall hall("popup_seconds = 0\nblink_seconds = 0\nticker_speed = 0.3\n");
    hall.start_hub();
    hall.start_screen({"--rotation", std::to_string(rotation)});
    REQUIRE(hall.ctl({"ticker", "Бегущая строка: приём ведётся во всех окнах, пожалуйста, ожидайте вызова"}).exit_code == 0);
    const auto& c = hall.settings.display.colors;
    const Rect canvas = display::canvas_for(W, H, rotation);
    const auto l = display::hall_layout(canvas, hall.settings.display);
    const Rect strip = turned(l.ticker, canvas.w, canvas.h, rotation);
    const Rect header = turned(l.header, canvas.w, canvas.h, rotation);
    // A band of 3 pixels inside the strip along each of its long edges, and one just outside
    // its inner edge (towards the board): a strip drawn a pixel off shows in one of them.
    const bool across = strip.w > strip.h;
    const Rect inner_a = across ? Rect{strip.x, strip.y, strip.w, 3} : Rect{strip.x, strip.y, 3, strip.h};
    const Rect inner_b = across ? Rect{strip.x, strip.y + strip.h - 3, strip.w, 3}
                                : Rect{strip.x + strip.w - 3, strip.y, 3, strip.h};
    const bool board_before = across ? strip.y > 0 : strip.x > 0;
    const Rect outside = across ? Rect{strip.x, board_before ? strip.y - 3 : strip.y + strip.h, strip.w, 3}
                                : Rect{board_before ? strip.x - 3 : strip.x + strip.w, strip.y, 3, strip.h};
    auto whole = [&](const media::Image& i) {
      return share(i, strip, c.ticker_text) > 0.01 && share(i, inner_a, c.ticker_background) > 0.95 &&
             share(i, inner_b, c.ticker_background) > 0.95 && share(i, outside, c.ticker_background) < 0.05 &&
             share(i, header, c.header_background) > 0.5;
    };
    const auto first = hall.screen_where("the ticker in its strip", whole);
    // The header's clock shows minutes: what follows are frames where only the strip was drawn.
    std::this_thread::sleep_for(400ms);
    hall.screen_where("the ticker moved on, still in its strip, the board as it was", [&](const media::Image& i) {
      if (!whole(i)) return false;
      long moved = 0;
      for (int y = strip.y; y < strip.y + strip.h; ++y)
        for (int x = strip.x; x < strip.x + strip.w; ++x) moved += first.pixel(x, y)[0] != i.pixel(x, y)[0];
      return moved > 100;
    });
  }
}

TEST_CASE("the screen above a window shows that window's current ticket") {
  Hall hall("popup_seconds = 0\nblink_seconds = 0\nlayout = \"window\"\nwindow = \"3\"\n");
  hall.start_hub();
  hall.start_screen();
  const auto& c = hall.settings.display.colors;
  const auto l = display::window_layout(Rect{0, 0, W, H}, hall.settings.display);
  hall.call("Е001", "7");  // another window's call: this screen keeps waiting
  auto idle = hall.screen_where("the idle words", [&](const media::Image& i) {
    return share(i, l.offline, c.offline_background) < 0.01 && share(i, l.ticket, c.row_text) > 0.001;
  });
  const double idle_ink = share(idle, l.ticket, c.row_text);
  hall.call("Е002", "3");
  hall.screen_where("the large ticket", [&](const media::Image& i) {
    return share(i, l.ticket, c.row_text) > 3 * idle_ink;
  });
}

TEST_CASE("calls through the hub are announced one after another into --audio-out, in order") {
  Hall hall("popup_seconds = 0\nblink_seconds = 0\n");
  hall.start_hub();
  const std::string wav = hall.dir.path() + "/said.wav";
  hall.start_screen({"--audio-out", wav});
  const auto& c = hall.settings.display.colors;
  const auto l = hall.layout();
  hall.screen_where("a connected board", [&](const media::Image& i) { return share(i, l.offline, c.offline_background) < 0.01; });
  // A short ticket, a long one, a short one: the announcements' lengths show their order.
  hall.call("А1", "1");
  hall.call("Б1999", "1777");
  hall.call("В2", "2");
  std::this_thread::sleep_for(17s);  // three announcements of about 4–6 s each
  hall.screen.reset();               // SIGTERM: the WAV is written on the way out
  std::vector<double> lengths;
  for (const auto& run : sound_runs(wav)) lengths.push_back(run.end - run.start);
  REQUIRE(lengths.size() == 3);
  CHECK(lengths[1] > lengths[0] + 1.0);
  CHECK(lengths[1] > lengths[2] + 1.0);
}

// The screen's resident memory, in MiB.
double rss_mib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024;
  return 0;
}

TEST_CASE("a burst of 100 calls waits as words, not as prepared sound: the screen's memory stays put") {
  Hall hall("popup_seconds = 0\nblink_seconds = 0\n");
  hall.start_hub();
  hall.start_screen({"--audio-out", hall.dir.path() + "/said.wav"});
  const auto& c = hall.settings.display.colors;
  const auto l = hall.layout();
  hall.screen_where("a connected board", [&](const media::Image& i) { return share(i, l.offline, c.offline_background) < 0.01; });
  hall.call("А100", "1");
  std::this_thread::sleep_for(1s);  // the first announcement under way: the voice and its buffers are in
  const double before = rss_mib(hall.screen->pid());
  for (int i = 101; i < 200; ++i) hall.call("А" + std::to_string(i), "3");
  std::this_thread::sleep_for(2s);
  const double after = rss_mib(hall.screen->pid());
  INFO("resident " << before << " MiB before the burst, " << after << " MiB after");
  // Each call made into sound at once held about 1.3 MiB until its turn: 130 MiB for these.
  CHECK(after - before < 40);
}

TEST_CASE("a free text queued behind 20 calls is on screen while it is spoken, not only when it arrived") {
  test::TempDir pack;  // a chime of 0.15 s keeps 20 calls' chimes short; the text is spoken by espeak-ng
  REQUIRE(test::run({"/usr/bin/ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=880:duration=0.15", "-y",
                     pack.path() + "/chime.wav"}).exit_code == 0);
  std::ofstream(pack.path() + "/manifest.toml") << "language = \"ru\"\nchime = \"chime.wav\"\n";
  Hall hall("popup_seconds = 0\nblink_seconds = 0\n[announcements]\nmode = \"chime\"\nvoice_pack = \"" +
            pack.path() + "\"\n");
  hall.start_hub();
  const std::string wav = hall.dir.path() + "/said.wav";
  const auto screen_started = std::chrono::steady_clock::now();
  hall.start_screen({"--audio-out", wav});
  const auto& c = hall.settings.display.colors;
  const auto l = hall.layout();
  hall.screen_where("a connected board", [&](const media::Image& i) { return share(i, l.offline, c.offline_background) < 0.01; });
  for (int i = 1; i <= 20; ++i) hall.call("А" + std::to_string(100 + i), std::to_string(i % 9 + 1));
  REQUIRE(hall.ctl({"announce", "Уважаемые посетители, окно пять закрыто на обед до четырнадцати часов", "--seconds", "2"})
              .exit_code == 0);

  // When the banner is up, from the screen's screenshots: at once for its 2 s, then again
  // while its words play, about 13 s later behind the chimes.
  auto banner_up = [&](const media::Image& i) {
    return share(i, l.announcement, c.announcement_background) > 0.5 && share(i, l.announcement, c.announcement_text) > 0.01;
  };
  auto seconds_since_start = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - screen_started).count();
  };
  hall.screen_where("the banner on arrival", banner_up);
  hall.screen_where("the banner gone after its 2 s", [&](const media::Image& i) { return !banner_up(i); });
  std::optional<double> back, gone;
  for (auto deadline = std::chrono::steady_clock::now() + 40s; std::chrono::steady_clock::now() < deadline && !gone;) {
    std::this_thread::sleep_for(50ms);
    media::Image shot;
    try {
      shot = media::load_image(hall.dir.path() + "/latest.png");
    } catch (const media::MediaError&) {
      continue;  // being written
    }
    if (!back && banner_up(shot)) back = seconds_since_start();
    if (back && !banner_up(shot)) gone = seconds_since_start();
  }
  REQUIRE(back);
  REQUIRE(gone);
  hall.screen.reset();  // SIGTERM: the WAV is written on the way out

  // The spoken words are the one long run of sound after the 20 short chimes.
  const auto runs = sound_runs(wav);
  REQUIRE(!runs.empty());
  const auto& words = runs.back();
  INFO("words heard " << words.start << "–" << words.end << " s, banner back " << *back << "–" << *gone << " s");
  CHECK(words.end - words.start > 2.0);
  // The screen's sound starts a moment after the process: the banner's times are a little late.
  CHECK(*back < words.start + 1.0);
  CHECK(*back > words.start - 1.5);
  CHECK(*gone > words.end - 0.5);
}

TEST_CASE("a screen whose clock is a minute off the hub's pops up and says each call, and ends banners on time") {
  // The screen reads its own clock a minute ahead, or behind; the hub's is this machine's.
  const std::string shift = GENERATE(as<std::string>{}, "60", "-60");
  const bool ahead = shift[0] != '-';
  INFO("the screen's clock " << (ahead ? "ahead" : "behind"));
  Hall hall("popup_seconds = 2\nblink_seconds = 0\n[display.reports]\nevery_seconds = 1\n");
  hall.start_hub();
  const std::string wav = hall.dir.path() + "/said.wav", log = hall.dir.path() + "/screen.log";
  hall.start_screen({"--audio-out", wav, "--clock-shift-seconds", shift}, log);
  const auto& c = hall.settings.display.colors;
  const auto l = hall.layout();
  hall.screen_where("a connected board",
                    [&](const media::Image& i) { return share(i, l.offline, c.offline_background) < 0.01; });

  // The call is news: it pops up, and stays up while it is said.
  hall.call("А025", "3");
  hall.screen_where("the call's pop-up",
                    [&](const media::Image& i) { return share(i, l.popup, c.popup_background) > 0.5; });
  hall.screen_where("the pop-up gone once the call was said", [&](const media::Image& i) {
    return share(i, l.popup, c.popup_background) < 0.01;
  });

  // A banner of 2 s shows, and is gone 2 s later by the hub's clock.
  REQUIRE(hall.ctl({"announce", "Перерыв", "--seconds", "2"}).exit_code == 0);
  hall.screen_where("the banner",
                    [&](const media::Image& i) { return share(i, l.announcement, c.announcement_background) > 0.5; });
  hall.screen_where("the banner gone after 2 s", [&](const media::Image& i) {
    return share(i, l.announcement, c.announcement_background) < 0.01;
  });

  // The desk sees how far off the screen's clock is.
  test::Ran listed;
  const std::string expected = ahead ? "+60.0 s" : "-60.0 s";
  for (int i = 0; i < 50 && listed.output.find(expected) == std::string::npos; ++i) {
    std::this_thread::sleep_for(100ms);
    listed = hall.ctl({"screens"});
  }
  INFO(listed.output);
  CHECK_THAT(listed.output, Catch::Contains("clock") && Catch::Contains(expected));
  const auto json = hall.ctl({"screens", "--json"});
  std::smatch offset;
  REQUIRE(std::regex_search(json.output, offset, std::regex(R"("clock_offset_ms":(-?\d+))")));
  CHECK(std::abs(std::stoll(offset[1]) - (ahead ? 60'000 : -60'000)) < 1000);

  std::this_thread::sleep_for(3s);  // the banner's word said to its end
  hall.screen.reset();              // SIGTERM: the WAV is written on the way out
  CHECK(sound_runs(wav).size() == 2);  // the call, then the banner's word

  // Logged once, not at every heartbeat.
  const std::string said_off = ahead ? "60.0 s ahead of the hub's" : "60.0 s behind the hub's";
  const auto text = read_text(log);
  INFO(text);
  CHECK(text.find(said_off) != std::string::npos);
  CHECK(text.find(said_off) == text.rfind(said_off));
}

TEST_CASE("in a real window, auto does not pick OpenGL on a CPU rasteriser: the software renderer, and the log says why") {
  if (!std::filesystem::exists("/usr/bin/xvfb-run")) {
    WARN("xvfb-run is not installed (scripts/install-deps installs it): the windowed renderer is not tested");
    return;
  }
  test::TempDir dir;
  // Xvfb has no GPU: its OpenGL is Mesa's llvmpipe, as on a mini-PC without its GPU driver.
  auto windowed = [&](const std::string& renderer) {
    const std::string config = dir.path() + "/" + renderer + ".toml";
    std::ofstream(config) << "[display]\nrenderer = \"" + renderer + "\"\n";
    return test::run({"/usr/bin/xvfb-run", "-a", "-s", "-screen 0 640x480x24", "/usr/bin/timeout", "3", "/usr/bin/env",
                      "SDL_VIDEODRIVER=x11", TABLO_DISPLAY_BIN, "--config", config, "--windowed", "--size", "640x480",
                      "--hub-commands", test::free_endpoint(), "--hub-events", test::free_endpoint()},
                     20s)
        .output;
  };
  const auto chosen = windowed("auto");
  INFO(chosen);
  CHECK_THAT(chosen, Catch::Contains("OpenGL here is ") && Catch::Contains("software renderer instead") &&
                         Catch::Contains("software renderer, x11 video"));
  // Asked for by name, OpenGL is kept, and the log says on which driver.
  CHECK_THAT(windowed("opengl"), Catch::Contains("opengl renderer on llvmpipe") && Catch::Contains(", x11 video"));
}

TEST_CASE("without a sound card, ALSA's own complaints stay out of the screen's output; the log says it is mute") {
  // SDL's ALSA driver, as a screen PC without a sound card starts it (CI machines have none).
  const auto ran = test::run({"/usr/bin/timeout", "3", "/usr/bin/env", "SDL_AUDIODRIVER=alsa", TABLO_DISPLAY_BIN,
                              "--headless", "--hub-commands", test::free_endpoint(), "--hub-events",
                              test::free_endpoint()},
                             20s);
  INFO(ran.output);
  CHECK(ran.output.find("ALSA lib") == std::string::npos);
  CHECK_THAT(ran.output, Catch::Contains("screen 'screen-1' started"));
}
