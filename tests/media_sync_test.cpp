// Sound and picture in step: a Player plays a real file into a real Mixer on a test clock,
// the test renders the mixer as an audio device would (10 ms at a time, heard 80 ms
// later), and measures, for each beep of the file's sound, when it was heard against when
// its picture was shown. Also: a file too slow to decode keeps its time by leaving pictures
// out before decoding them, instead of playing in slow motion.
#include <catch2/catch.hpp>

#include <cmath>
#include <thread>

#include "media/player.hpp"
#include "sound/mixer.hpp"
#include "tests/media_clips.hpp"

using namespace tablo;
using namespace std::chrono_literals;
using media::Clock;

namespace {

constexpr int rate = 48000;
constexpr std::size_t chunk = rate / 100;  // what the "device" asks for every 10 ms step
// What is handed over is heard this much later (buffers of the sound server and the card):
// enough that pictures timed by the clock alone, not by the sound, would be seen too early.
constexpr std::size_t latency = 8 * chunk;
constexpr auto step = 10ms;

// 5 s of 25 frames/s pictures with a 50 ms beep at every whole second, H.264 + AAC in MP4;
// `mux` are the muxer's options (how the sound is interleaved).
std::filesystem::path beeping_clip(const std::string& dir, const std::string& name, const std::string& mux) {
  return test::make_clip(dir, name,
                         "-f lavfi -i testsrc2=size=160x120:rate=25 -f lavfi -i "
                         "aevalsrc=0.3*sin(2*PI*1000*t)*lt(mod(t\\,1)\\,0.05):s=48000 -t 5 "
                         "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac " + mux);
}

struct Hall {
  sound::Mixer mixer{sound::PcmFormat{rate, 2}, 0.2f, 0.0};
  media::Player player;
  Clock::time_point t0 = Clock::now(), now = t0;
  media::LocalTime local{20240506, 0, 10 * 3600};
  std::vector<float> heard;                        // everything the "device" played
  std::vector<std::pair<double, double>> shown;    // (test time, pts of the picture on screen)

  explicit Hall(const std::filesystem::path& file)
      : player(media::PlayerOptions{2.0, 30, media::DecoderOptions{3, 0, {}, rate},
                                    media::SoundtrackOut{[this](media::SoundtrackOut::Source s, std::uint64_t id) {
                                                           mixer.play_soundtrack(std::move(s), id);
                                                         },
                                                         [this](std::uint64_t id, Clock::time_point at) {
                                                           return mixer.soundtrack_heard(id, at);
                                                         }}}) {
    mixer.set_latency(latency);
    media::PlaylistItem item;
    item.file = file;
    item.muted = false;
    player.set_playlist(media::Playlist{{item}, "test"});
  }
  double t() const { return std::chrono::duration<double>(now - t0).count(); }
  // The test clock waits for the first picture, as a screen holds its previous one.
  void until_first_frame() {
    for (int i = 0; i < 3000 && !player.advance(now, local).frame; ++i) std::this_thread::sleep_for(1ms);
    REQUIRE(player.advance(now, local).frame);
    t0 = now;
  }
  // `seconds` of test time; the screen's thread makes no frame in [stall_from, stall_to).
  void play(double seconds, double stall_from = -1, double stall_to = -1) {
    while (t() < seconds) {
      std::vector<float> out(2 * chunk);
      mixer.render(out.data(), chunk, now);  // the audio thread never stalls
      heard.insert(heard.end(), out.begin(), out.end());
      if (t() < stall_from || t() >= stall_to) {
        const auto s = player.advance(now, local);
        shown.emplace_back(t(), s.frame ? s.frame->pts : -1);
      }
      now += step;
      std::this_thread::sleep_for(3ms);
    }
  }
  // When the beep of second `k` of the file was heard: sample n of `heard` was handed over
  // at the step n / chunk and heard the latency less one chunk after that.
  double beep_heard(int k) const {
    const auto from = static_cast<std::size_t>((k - 0.5) * rate);
    for (std::size_t n = from; n < heard.size() / 2; ++n)
      if (std::abs(heard[2 * n]) > 0.05) return (static_cast<double>(n) + static_cast<double>(latency - chunk)) / rate;
    return -1;
  }
  double picture_shown(double pts) const {
    for (auto [t, p] : shown)
      if (p >= pts - 0.001) return t;
    return -1;
  }
};

// Heard and seen: each beep against its picture, and against the clip's own time.
void check_in_step(const Hall& hall, std::initializer_list<int> beeps) {
  for (int k : beeps) {
    const double heard = hall.beep_heard(k), seen = hall.picture_shown(k);
    INFO("beep of second " << k << ": heard at " << heard << " s, its picture shown at " << seen << " s");
    REQUIRE(heard > 0);
    REQUIRE(seen > 0);
    CHECK(std::abs(seen - heard) <= 0.040);
    // The sound itself keeps the file's time from the first picture on, but for the output's
    // latency: nothing ran dry, nothing waited for pictures.
    CHECK(heard - k >= -0.040);
    CHECK(heard - k <= static_cast<double>(latency) / rate + 0.040);
  }
}

}  // namespace

TEST_CASE("sound and picture stay within 40 ms of each other after the screen stalls for 300 ms") {
  test::TempDir dir;
  Hall hall(beeping_clip(dir.path(), "beeps.mp4", ""));
  hall.until_first_frame();
  hall.play(4.5, 1.3, 1.6);
  check_in_step(hall, {1, 2, 3, 4});
}

TEST_CASE("a file whose sound is stored in 1 s chunks is heard in step with its pictures") {
  test::TempDir dir;
  const auto file = beeping_clip(dir.path(), "chunked.mp4", "-chunk_duration 1000000");
  // The file really is chunked: the sound of 1…2 s is stored after the pictures of 0…1 s.
  const auto probe = test::run({"/usr/bin/ffprobe", "-v", "error", "-show_entries", "packet=stream_index,pts_time", "-of",
                                "csv=p=0", file.string()},
                               30s);
  std::istringstream lines(probe.output);
  int runs = 0, last = -1;
  for (std::string line; std::getline(lines, line);) {
    const int stream = line.empty() ? -1 : line[0] - '0';
    if (stream >= 0 && stream != last) ++runs;
    last = stream;
  }
  INFO(probe.output.substr(0, 400));
  CHECK(runs <= 12);  // about one run of each stream per second, not one per packet
  Hall hall(file);
  hall.until_first_frame();
  hall.play(4.5);
  check_in_step(hall, {1, 2, 3, 4});
}

TEST_CASE("a video too slow to decode keeps its time by leaving pictures out before decoding them") {
  test::TempDir dir;
  // A keyframe every second; decoded on one thread, on a test clock 100 times faster than
  // real time, no machine decodes it in time.
  const auto file = test::make_clip(dir.path(), "heavy.mp4",
                                    "-f lavfi -i testsrc2=size=1280x720:rate=25 -t 8 -c:v libx264 -preset ultrafast "
                                    "-g 25 -pix_fmt yuv420p");
  media::PlaylistItem item;
  item.file = file;
  media::Player player(media::PlayerOptions{2.0, 30, media::DecoderOptions{3, 1, {}, 0}});
  player.set_playlist(media::Playlist{{item}, "test"});
  const media::LocalTime local{20240506, 0, 10 * 3600};
  auto now = Clock::now();
  for (int i = 0; i < 3000 && !player.advance(now, local).frame; ++i) std::this_thread::sleep_for(1ms);
  const auto start = now;
  double pts = 0;
  for (int i = 0; i < 60; ++i) {  // 6 s of test time in about 60 ms
    now += 100ms;
    const auto shown = player.advance(now, local);
    REQUIRE(shown.frame);
    pts = shown.frame->pts;
    std::this_thread::sleep_for(1ms);
  }
  const double t = std::chrono::duration<double>(now - start).count();
  INFO("after " << t << " s the picture shown is of " << pts << " s; " << player.counters().frames_not_decoded
                << " pictures were left out undecoded");
  // Within a couple of keyframe intervals of where it should be (one read-ahead): in slow
  // motion it would be a second or so into the file.
  CHECK(pts >= t - 2.5);
  CHECK(player.counters().frames_not_decoded > 25);
}
