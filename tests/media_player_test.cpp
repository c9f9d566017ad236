// Playback of a playlist against a test clock: switches without a gap, loops, skipped files,
// schedules, and playlists changed while they play.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <thread>

#include "media/player.hpp"
#include "media/playlist_watch.hpp"
#include "tests/media_clips.hpp"

using namespace tablo;
using namespace std::chrono_literals;
using media::Clock;

namespace {

constexpr auto step = 10ms;  // the test screen's frame interval

struct Seen {
  double t;          // seconds on the test clock
  std::string file;  // empty: nothing shown (fallback)
  double pts;
};

// Drives a player the way the screen does, on a test clock that runs faster than real time
// (real time only passes so the decoders can work), and records what it shows at each step.
struct Run {
  media::Player player;
  Clock::time_point t0 = Clock::now();
  Clock::time_point now = t0;
  media::LocalTime local = media::LocalTime{20240506, 0, 10 * 3600};  // a Monday, 10:00
  std::vector<Seen> seen;

  explicit Run(media::Playlist playlist, double retry_seconds = 30) : Run(std::move(playlist), {2.0, retry_seconds, {}}) {}
  Run(media::Playlist playlist, media::PlayerOptions options) : player(std::move(options)) {
    player.set_playlist(std::move(playlist));
  }
  double t() const { return std::chrono::duration<double>(now - t0).count(); }
  // The first item opens on its own time: the test clock waits for it.
  void until_first_frame() {
    for (int i = 0; i < 2000 && !player.advance(now, local).frame; ++i) std::this_thread::sleep_for(1ms);
    REQUIRE(player.advance(now, local).frame);
  }
  void play(double seconds) {
    for (const auto end = now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
         now < end; now += step) {
      const auto shown = player.advance(now, local);
      seen.push_back(Seen{t(), shown.item ? shown.item->file.filename().string() : "", shown.frame ? shown.frame->pts : -1});
      std::this_thread::sleep_for(2ms);
    }
  }
  // The test-clock times at which a different file came on screen, with the file.
  std::vector<std::pair<double, std::string>> switches() const {
    std::vector<std::pair<double, std::string>> out;
    for (std::size_t i = 0; i < seen.size(); ++i)
      if (i == 0 || seen[i].file != seen[i - 1].file || seen[i].pts < seen[i - 1].pts) out.emplace_back(seen[i].t, seen[i].file);
    return out;
  }
  bool always_showing() const {
    return std::all_of(seen.begin(), seen.end(), [](const Seen& s) { return !s.file.empty(); });
  }
};

media::PlaylistItem item(const std::filesystem::path& file, std::optional<double> duration = {}) {
  media::PlaylistItem i;
  i.file = file;
  i.duration = duration;
  return i;
}

struct Clips {
  test::TempDir dir;
  std::filesystem::path red = test::solid_clip(dir.path(), "red.mp4", "red", 1);
  std::filesystem::path blue = test::solid_clip(dir.path(), "blue.mp4", "blue", 1);
  std::filesystem::path green = test::make_clip(dir.path(), "green.png", "-f lavfi -i color=c=green:size=64x48 -frames:v 1");
};

// Made once for all the tests of this file.
const Clips& clips() {
  static const Clips made;
  return made;
}

// A file name that does not exist (yet), in a folder of its own.
struct Missing {
  test::TempDir dir;
  std::filesystem::path file = std::filesystem::path(dir.path()) / "missing.mp4";
};

}  // namespace

TEST_CASE("switching items shows the last frame of one until the first frame of the next, with no gap") {
  const Clips& c = clips();
  Run run(media::Playlist{{item(c.red), item(c.green, 0.5), item(c.blue)}, "test"});
  run.until_first_frame();
  run.play(5.0);
  CHECK(run.always_showing());
  // 1 s of red, 0.5 s of green, 1 s of blue, and again: switches on the frame they are due.
  const auto sw = run.switches();
  REQUIRE(sw.size() >= 5);
  const std::vector<std::pair<double, std::string>> expected{
      {0.0, "red.mp4"}, {1.0, "green.png"}, {1.5, "blue.mp4"}, {2.5, "red.mp4"}, {3.5, "green.png"}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("switch " << i << " to " << sw[i].second << " at " << sw[i].first);
    CHECK(sw[i].second == expected[i].second);
    CHECK(sw[i].first == Approx(expected[i].first).margin(0.011));  // within one screen frame
  }
  // The step before each switch still showed the outgoing item's last frame.
  for (std::size_t i = 1; i < run.seen.size(); ++i) {
    if (run.seen[i].file != run.seen[i - 1].file && run.seen[i - 1].file != "green.png")
      CHECK(run.seen[i - 1].pts == Approx(0.96).margin(0.001));
    if (run.seen[i].file != run.seen[i - 1].file) CHECK(run.seen[i].pts == 0.0);
  }
  CHECK(run.player.counters().late_switches == 0);
}

TEST_CASE("an item that is not muted gives the mixer its sound at its volume; a muted one none") {
  test::TempDir dir;
  const auto file = test::make_clip(dir.path(), "tone.mp4",
                                    "-f lavfi -i color=c=red:size=160x120:rate=25 -f lavfi -i sine=frequency=440 -t 3 "
                                    "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac");
  // What the mixer would pull in the first second, as the test's "audio thread".
  auto played = [&](bool muted) {
    media::SoundtrackOut::Source source;
    media::SoundtrackOut out{[&](media::SoundtrackOut::Source s, std::uint64_t) { source = std::move(s); },
                             [](std::uint64_t, Clock::time_point) { return std::optional<double>(); }};
    auto tone = item(file);
    tone.muted = muted;
    tone.volume = 0.5;
    Run run(media::Playlist{{tone}, "test"}, {2.0, 30, media::DecoderOptions{3, 0, {}, 48000}, out});
    run.until_first_frame();
    std::vector<float> heard(2 * 48000);
    std::size_t frames = 0;
    for (int i = 0; source && i < 3000 && frames < 48000; ++i) {
      frames += source(heard.data() + 2 * frames, 48000 - frames);
      std::this_thread::sleep_for(1ms);
    }
    heard.resize(2 * frames);
    return heard;
  };
  const auto heard = played(false);
  CHECK(heard.size() == 2 * 48000);
  float peak = 0;
  for (float s : heard) peak = std::max(peak, std::abs(s));
  CHECK(peak == Approx(0.5 * 0.125 / std::sqrt(2.0)).epsilon(0.15));  // the tone at half its level
  CHECK(played(true).empty());
}

TEST_CASE("a switch's hold counts the time the switch itself keeps the screen's thread") {
  test::TempDir dir;
  const auto file = test::make_clip(dir.path(), "tone.mp4",
                                    "-f lavfi -i color=c=red:size=160x120:rate=25 -f lavfi -i sine=frequency=440 -t 1 "
                                    "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac");
  // Handing the sound over takes 60 ms, as opening a sound device can: the screen's frame
  // waits that long at the switch, and the hold says so.
  media::SoundtrackOut slow{[](media::SoundtrackOut::Source source, std::uint64_t) {
                              if (source) std::this_thread::sleep_for(60ms);
                            },
                            [](std::uint64_t, Clock::time_point) { return std::optional<double>(); }};
  auto tone = item(file);
  tone.muted = false;
  Run run(media::Playlist{{tone}, "test"}, {2.0, 30, media::DecoderOptions{3, 0, {}, 48000}, slow});
  run.until_first_frame();
  run.play(1.5);
  REQUIRE(run.player.counters().switches >= 1);
  CHECK(run.player.counters().longest_hold >= 0.06);
  CHECK(run.player.counters().late_switches >= 1);
}

TEST_CASE("a single file loops with its first frame right after its last") {
  const Clips& c = clips();
  Run run(media::Playlist{{item(c.red)}, "test"});
  run.until_first_frame();
  run.play(3.5);
  CHECK(run.always_showing());
  const auto sw = run.switches();
  REQUIRE(sw.size() == 4);
  for (std::size_t i = 0; i < sw.size(); ++i) CHECK(sw[i].first == Approx(static_cast<double>(i)).margin(0.011));
  CHECK(run.player.counters().switches == 3);
  CHECK(run.player.counters().late_switches == 0);
}

TEST_CASE("a still alone in its playlist stays up round after round, decoded once until its file changes") {
  const Clips& c = clips();
  Run run(media::Playlist{{item(c.green, 0.5)}, "test"});
  run.until_first_frame();
  const auto first = run.player.advance(run.now, run.local).serial;
  run.play(2.2);
  CHECK(run.always_showing());
  CHECK(run.player.counters().switches == 4);
  // A new decoder for each round would bring a new picture (a new serial) each round.
  CHECK(run.player.advance(run.now, run.local).serial == first);
  run.player.file_changed(c.green);  // written again: its next round is decoded anew
  run.play(0.6);
  CHECK(run.always_showing());
  CHECK(run.player.advance(run.now, run.local).serial != first);
}

TEST_CASE("a missing file is skipped, the others play, and it plays once it is there") {
  const Clips& c = clips();
  Missing m;
  Run run(media::Playlist{{item(c.red), item(m.file), item(c.blue)}, "test"}, /*retry_seconds=*/60);
  run.until_first_frame();
  run.play(2.5);
  CHECK(run.always_showing());
  auto sw = run.switches();
  REQUIRE(sw.size() >= 3);
  CHECK(sw[1].second == "blue.mp4");
  CHECK(sw[1].first == Approx(1.0).margin(0.011));

  std::filesystem::copy_file(c.blue, m.file);
  run.player.file_changed(m.file);  // the playlist's folder watch tells the player so
  run.play(3.0);
  bool played = false;
  for (const auto& s : run.seen) played = played || s.file == "missing.mp4";
  CHECK(played);
}

TEST_CASE("when nothing is playable there is no frame: the screen shows its fallback slide") {
  Missing m;
  Run run(media::Playlist{{item(m.file)}, "test"});
  for (int i = 0; i < 100; ++i) {
    run.play(0.01);
    std::this_thread::sleep_for(2ms);
  }
  CHECK(run.player.advance(run.now, run.local).frame == nullptr);
  Run empty(media::Playlist{{}, "test"});
  CHECK(empty.player.advance(empty.now, empty.local).frame == nullptr);
}

TEST_CASE("items play only when their schedule allows, by the clock given") {
  const Clips& c = clips();
  auto sunday_only = item(c.blue);
  sunday_only.schedule.days = 1 << 6;
  SECTION("on a Monday the Sunday item is left out") {
    Run run(media::Playlist{{item(c.red), sunday_only}, "test"});
    run.until_first_frame();
    run.play(2.5);
    for (const auto& s : run.seen) CHECK(s.file == "red.mp4");
  }
  SECTION("on a Sunday it plays in its turn") {
    Run run(media::Playlist{{item(c.red), sunday_only}, "test"});
    run.local = media::LocalTime{20240512, 6, 10 * 3600};
    run.until_first_frame();
    run.play(1.5);
    CHECK(run.seen.back().file == "blue.mp4");
  }
}

TEST_CASE("a new playlist takes over at the next item boundary, after the playing item's place in it") {
  const Clips& c = clips();
  Run run(media::Playlist{{item(c.red), item(c.blue)}, "test"});
  run.until_first_frame();
  run.play(0.3);
  // Red stays; what follows it is now the picture, then blue.
  run.player.set_playlist(media::Playlist{{item(c.blue), item(c.red), item(c.green, 0.5)}, "test"});
  run.play(1.5);
  const auto sw = run.switches();
  REQUIRE(sw.size() >= 2);
  CHECK(sw[0].second == "red.mp4");
  CHECK(sw[1].second == "green.png");
  CHECK(sw[1].first == Approx(1.0).margin(0.011));  // red was not interrupted
  CHECK(run.always_showing());
}

TEST_CASE("when the playing item leaves the playlist the next one starts at once") {
  const Clips& c = clips();
  Run run(media::Playlist{{item(c.red), item(c.blue)}, "test"});
  run.until_first_frame();
  run.play(0.2);
  run.player.set_playlist(media::Playlist{{item(c.blue), item(c.green, 5)}, "test"});
  // The test clock waits for the new item's decoder, as the screen would hold the frame.
  for (int i = 0; i < 200 && run.player.advance(run.now, run.local).item->file != c.blue; ++i)
    std::this_thread::sleep_for(2ms);
  run.play(0.1);
  CHECK(run.seen.back().file == "blue.mp4");
  CHECK(run.t() < 0.5);
  CHECK(run.always_showing());
}

TEST_CASE("the playlist's folder watch sees a playlist written in place or renamed over, and other files") {
  test::TempDir dir;
  const auto playlist = std::filesystem::path(dir.path()) / "loop.toml";
  std::ofstream(playlist) << "";
  std::atomic<int> wakes{0};
  media::PlaylistWatch watch(playlist, [&] { ++wakes; });
  auto wait_for = [&](auto ok) {
    for (int i = 0; i < 200; ++i) {
      auto changes = watch.take();
      if (ok(changes)) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  };
  std::ofstream(playlist) << "[[item]]\nfile = \"a.mp4\"\n";
  CHECK(wait_for([](const auto& ch) { return ch.playlist; }));

  const auto tmp = std::filesystem::path(dir.path()) / ".loop.toml.tmp";
  std::ofstream(tmp) << "[[item]]\nfile = \"b.mp4\"\n";
  CHECK(wait_for([&](const auto& ch) { return !ch.playlist && ch.files.count(tmp); }));
  std::filesystem::rename(tmp, playlist);
  CHECK(wait_for([](const auto& ch) { return ch.playlist; }));
  CHECK(wakes > 0);
}
