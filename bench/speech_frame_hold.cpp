// bench_speech_frame_hold: does preparing an operator's long announcement hold the screen?
// A real hub and headless screen with a running ticker (a frame due every 16.7 ms) and
// announcements on; a free text of 40 words is announced, and the frame log shows the longest
// interval between presented frames while it is synthesised and queued, beside the same
// interval before it. The peer in the same run: espeak-ng synthesising the same words in
// this process — how long a frame waited when the screen's thread synthesised itself.
// Prints figures; never passes or fails on time.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>

#include "bench/hall.hpp"
#include "sound/speech.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// 40 words, as an operator types them.
constexpr const char* forty_words =
    "Уважаемые посетители! С понедельника отделение работает по новому графику: с восьми утра до восьми вечера "
    "без перерыва на обед, в субботу с девяти до пяти, воскресенье выходной. Документы на загранпаспорт "
    "принимаются в окнах с пятого по девятое, справки выдаются в первом окне. Спасибо за понимание.";

std::int64_t now_ns() { return Clock::now().time_since_epoch().count(); }

struct Intervals {
  double longest_ms = 0;
  double p99_ms = 0;
  std::size_t frames = 0;
};

// The intervals between frames presented in [from, to).
Intervals intervals(const std::vector<std::int64_t>& frames, std::int64_t from, std::int64_t to) {
  std::vector<double> ms;
  std::int64_t last = 0;
  std::size_t count = 0;
  for (auto ns : frames) {
    if (ns < from || ns >= to) continue;
    if (last) ms.push_back(static_cast<double>(ns - last) / 1e6);
    last = ns;
    ++count;
  }
  if (ms.empty()) throw tablo::bench::BenchError("no frames presented in the measured window");
  return {*std::max_element(ms.begin(), ms.end()), tablo::bench::percentile(ms, 99), count};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_speech_frame_hold: longest frame interval while a 40-word announcement is prepared"};
  int rounds = 5;
  app.add_option("--rounds", rounds, "announcements, one after another")->check(CLI::Range(1, 100));
  CLI11_PARSE(app, argc, argv);

  try {
    tablo::bench::stop_on_signals();
    tablo::bench::Hall hall("blink_seconds = 0\npopup_seconds = 0\n", "mode = \"chime-and-voice\"");
    std::printf("starting tablo-hub and a headless tablo-display (1920x1080, software renderer, announcements on)...\n");
    std::fflush(stdout);
    hall.wait_until_ready();
    hall.send(tablo::protocol::TickerSet{"Режим работы: пн–сб 8:00–20:00"});
    hall.sleep_for(15s);  // the warm-up calls' announcements play out

    std::vector<Intervals> before, during;
    for (int round = 0; round < rounds; ++round) {
      const auto quiet_from = now_ns();
      hall.sleep_for(2s);
      const auto asked = now_ns();
      hall.send(tablo::protocol::Announced{forty_words, 5, ""});
      hall.sleep_for(4s);  // synthesised and queued within this (the peer below says how long it takes)
      const auto until = now_ns();
      hall.send(tablo::protocol::Called{"Ф" + std::to_string(round + 1), "1", "", ""});  // the screen flushes its log
      hall.sleep_for(500ms);
      const auto frames = hall.frames();
      before.push_back(intervals(frames, quiet_from, asked));
      during.push_back(intervals(frames, asked, until));
      hall.sleep_for(25s);  // the words play out before the next round
    }

    tablo::sound::Speech speech;
    std::vector<double> synth_ms;
    for (int round = 0; round < rounds; ++round) {
      const auto t0 = Clock::now();
      speech.say(forty_words, tablo::sound::Language::ru, tablo::sound::PcmFormat{48000, 2});
      synth_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }

    std::printf("\nframes of a screen with a running ticker (due every 16.7 ms), %d announcements of 40 words:\n", rounds);
    for (int round = 0; round < rounds; ++round) {
      std::printf("  round %d: 2 s before: %3zu frames, longest interval %6.1f ms, p99 %5.1f ms   |   4 s after "
                  "the announcement: %3zu frames, longest %6.1f ms, p99 %5.1f ms\n",
                  round + 1, before[round].frames, before[round].longest_ms, before[round].p99_ms, during[round].frames,
                  during[round].longest_ms, during[round].p99_ms);
    }
    std::printf("peer, the same run: espeak-ng synthesising the same 40 words in this process: median %.0f ms, "
                "longest %.0f ms (what a frame waited when the screen's thread synthesised)\n",
                tablo::bench::percentile(synth_ms, 50), *std::max_element(synth_ms.begin(), synth_ms.end()));
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_speech_frame_hold: %s\n", e.what());
    return 1;
  }
}
