// Announcements (issue 4): from a call reaching the screen's sound (HallSound::say_call, what
// the screen does right after applying the change) to the first audio buffer of its chime leaving
// the mixer on SDL's audio thread, with an empty queue; then a burst of 20 calls in one
// second: all announced, in order, none over another.
// The real HallSound, voice pack and mixer on a real SDL audio device (the `dummy` driver
// unless SDL_AUDIODRIVER says otherwise, which plays at the pace of real time).
// Prints figures; never passes or fails on time.
#include <CLI/CLI.hpp>
#include <SDL.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "sound/hall_sound.hpp"

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace config = tablo::config;
namespace sound = tablo::sound;

namespace {

// When the mixer's sound last started and ended, as the audio thread saw it: HallSound calls
// its on_change right after the mixer rendered the buffer in which a clip started or ended.
class Changes {
 public:
  void note(bool playing) {
    std::lock_guard lock(mutex_);
    (playing ? started_ : ended_) = Clock::now();
    changed_.notify_all();
  }
  // The time the mixer started (or ended) playing at or after `since`; nothing after 30 s.
  std::optional<Clock::time_point> wait(bool playing, Clock::time_point since) {
    std::unique_lock lock(mutex_);
    const auto& when = playing ? started_ : ended_;
    if (!changed_.wait_for(lock, 30s, [&] { return when >= since; })) return std::nullopt;
    return when;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  Clock::time_point started_{}, ended_{};
};

// A screen's sound with `mode`, telling `changes` what its mixer does.
struct Sound {
  Sound(config::AnnounceMode mode, const std::filesystem::path& program_dir)
      : hall(settings(mode), {}, program_dir, [this] { changes.note(hall.mixer().playing().has_value()); }) {}
  static config::AnnouncementSettings settings(config::AnnounceMode mode) {
    config::AnnouncementSettings s;  // the defaults: a call waiting over 20 s is said short
    s.mode = mode;
    return s;
  }
  Changes changes;
  sound::HallSound hall;
};

struct Call {
  std::string ticket, window;
};
Call call_number(int n) { return {"А" + std::to_string(100 + n % 900), std::to_string(1 + n % 9)}; }

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p / 100 * static_cast<double>(v.size())))];
}

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// Calls one at a time, each after the last has ended: the queue is empty at every call.
void latency(config::AnnounceMode mode, const char* name, int calls, const std::filesystem::path& program_dir) {
  Sound sound(mode, program_dir);
  std::vector<double> ms, clip_s;
  for (int i = 0; i < calls; ++i) {
    const auto call = call_number(i);
    const auto t0 = Clock::now();
    sound.hall.say_call("main", call.ticket, call.window, false);
    const auto started = sound.changes.wait(true, t0);
    if (!started) throw std::runtime_error("call " + std::to_string(i + 1) + " was never announced");
    ms.push_back(ms_between(t0, *started));
    const auto ended = sound.changes.wait(false, *started);
    if (!ended) throw std::runtime_error("call " + std::to_string(i + 1) + " never finished playing");
    clip_s.push_back(ms_between(*started, *ended) / 1000);
    sound.hall.mixer().take_events();  // not needed here; the mixer keeps them until taken
    std::this_thread::sleep_for(600ms);  // past the mixer's silence after each announcement
  }
  std::printf("  %-15s %4d calls  p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms   (each %.1f s long)\n", name, calls,
              percentile(ms, 50), percentile(ms, 99), *std::max_element(ms.begin(), ms.end()), percentile(clip_s, 50));
}

// 20 calls within one second, then the mixer's own record of what started and finished when.
void burst(int calls, const std::filesystem::path& program_dir) {
  Sound sound(config::AnnounceMode::chime_and_voice, program_dir);
  std::vector<std::string> sent;
  const auto t0 = Clock::now();
  for (int i = 0; i < calls; ++i) {
    const auto call = call_number(i);
    sent.push_back(call.ticket);
    sound.hall.say_call("main", call.ticket, call.window, false);
    std::this_thread::sleep_until(t0 + std::chrono::milliseconds(1000 * (i + 1) / calls));
  }
  std::vector<sound::MixerEvent> events;
  while (events.size() < 2 * sent.size() && Clock::now() - t0 < std::chrono::seconds(10 * calls)) {
    std::this_thread::sleep_for(200ms);
    for (auto& e : sound.hall.mixer().take_events()) events.push_back(std::move(e));
  }
  int announced = 0, in_order = 0, overlaps = 0;
  std::uint64_t first_start = 0, last_end = 0;
  for (const auto& e : events) {
    if (announced == 0 && e.kind == sound::MixerEvent::Kind::started) first_start = e.frame;
    if (e.kind == sound::MixerEvent::Kind::finished) {
      last_end = e.frame;
      continue;
    }
    if (announced > 0 && e.frame < last_end) ++overlaps;
    if (static_cast<std::size_t>(announced) < sent.size() && e.label.starts_with(sent[announced] + " →")) ++in_order;
    ++announced;
  }
  const double rate = sound.hall.mixer().format().rate;
  std::printf("  burst: %d calls in 1 s → %d announced, %d in the order called, %d overlapping, played "
              "one after another over %.1f s\n",
              calls, announced, in_order, overlaps, static_cast<double>(last_end - first_start) / rate);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Call → first sample of its chime leaving the mixer; a burst of 20 calls"};
  int chime_calls = 200, voice_calls = 30, burst_calls = 20;
  app.add_option("--chime-calls", chime_calls, "calls in chime-only mode")->check(CLI::PositiveNumber);
  app.add_option("--voice-calls", voice_calls, "calls with chime and voice")->check(CLI::PositiveNumber);
  app.add_option("--burst", burst_calls, "calls in the one-second burst")->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);
  setenv("SDL_AUDIODRIVER", "dummy", /*overwrite=*/0);
  if (SDL_Init(SDL_INIT_AUDIO) != 0) {
    std::fprintf(stderr, "SDL audio: %s\n", SDL_GetError());
    return 1;
  }
  const auto program_dir = std::filesystem::canonical("/proc/self/exe").parent_path();
  try {
    std::printf("call → first audio buffer of its chime leaving the mixer (%s audio driver), queue empty:\n",
                SDL_GetCurrentAudioDriver());
    latency(config::AnnounceMode::chime, "chime only", chime_calls, program_dir);
    latency(config::AnnounceMode::chime_and_voice, "chime and voice", voice_calls, program_dir);
    burst(burst_calls, program_dir);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_announce_latency: %s\n", e.what());
    return 1;
  }
  SDL_Quit();
  return 0;
}
