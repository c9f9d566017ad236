// bench_frame_interval: what the hall sees of a busy screen: a 1080p30 video beside the board,
// a running ticker, calls, and a screenshot every 200 ms (as the demo and a live view ask for
// them), on a real hub and a headless tablo-display. Prints the frame intervals (p50, p99,
// max) and call → frame latency of the same run, first without screenshots, then with them.
// Prints figures; never judges them by its exit code.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include "bench/cpu_use.hpp"
#include "bench/hall.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using tablo::bench::percentile;

constexpr double frame_ms = 1000.0 / 60.0;

struct Run {
  std::vector<double> intervals_ms, call_ms, reply_ms;
  std::size_t calls = 0, screenshots = 0;
  double display_cpu_percent = 0;
  std::string machine;
};

Run run(const std::string& clip, double seconds, bool screenshots, const std::string& program) {
  const std::string media = "[display.media]\nplaylist = \"" + clip + ".toml\"\nregion = \"right\"\n";
  {
    std::ofstream(clip + ".toml") << "[[item]]\nfile = \"" << clip << "\"\n";
  }
  tablo::test::TempDir shots;
  std::vector<std::string> arguments;
  if (screenshots) arguments = {"--screenshot-dir", shots.path(), "--screenshot-every", "0.2"};
  tablo::bench::Hall hall("clock_format = \"%H:%M:%S\"\nblink_seconds = 1.0\npopup_seconds = 1.0\n" + media,
                          "mode = \"off\"", arguments, program);
  hall.wait_until_ready();
  hall.send(tablo::protocol::TickerSet{"Режим работы: пн–сб 8:00–20:00. Записаться на приём можно на портале Госуслуг."});
  hall.sleep_for(1500ms);  // the video plays, the ticker runs

  const tablo::bench::CpuMeter meter(hall.display_pid(), hall.hub_pid());
  const auto start = Clock::now();
  const auto from_ns = start.time_since_epoch().count();
  std::vector<std::pair<std::uint64_t, std::int64_t>> sent;  // seq, sent_ns
  const auto latest = std::filesystem::path(shots.path()) / "latest.png";
  std::filesystem::file_time_type last_shot{};
  Run r;
  for (int i = 0; Clock::now() - start < std::chrono::duration<double>(seconds); ++i) {
    std::this_thread::sleep_until(start + i * 250ms);  // four calls a second, a busy hall
    const auto sent_ns = Clock::now().time_since_epoch().count();
    const auto ticket = "В" + std::to_string(1000 + i % 9000);
    sent.emplace_back(hall.send(tablo::protocol::Called{ticket, std::to_string(1 + i % 9), "", ""}).seq, sent_ns);
    r.reply_ms.push_back((Clock::now().time_since_epoch().count() - sent_ns) / 1e6);
    std::error_code ec;
    if (auto t = std::filesystem::last_write_time(latest, ec); !ec && t != last_shot) last_shot = t, ++r.screenshots;
  }
  hall.wait_shown(sent.back().first, 3s);
  const auto used = meter.read();
  const auto to_ns = Clock::now().time_since_epoch().count();

  const auto frames = hall.frames();
  for (std::size_t i = 1; i < frames.size(); ++i) {
    if (frames[i - 1] >= from_ns && frames[i] <= to_ns) r.intervals_ms.push_back((frames[i] - frames[i - 1]) / 1e6);
  }
  const auto shown = hall.shown();
  for (const auto& [seq, sent_ns] : sent) {
    if (auto it = shown.find(seq); it != shown.end()) r.call_ms.push_back((it->second - sent_ns) / 1e6);
  }
  r.calls = sent.size();
  r.display_cpu_percent = 100.0 * used.display.on_cpu_seconds / used.seconds;
  r.machine = used.describe_machine();
  return r;
}

void print(const char* label, const Run& r) {
  std::printf("%s\n", label);
  std::printf("  frame interval   %zu intervals   p50 %6.2f ms   p99 %6.2f ms   max %7.2f ms   (goal: max <= %.1f ms, 2 frames)\n",
              r.intervals_ms.size(), percentile(r.intervals_ms, 50), percentile(r.intervals_ms, 99),
              percentile(r.intervals_ms, 100), 2 * frame_ms);
  std::printf("  call -> frame    %zu of %zu shown   p50 %6.2f ms   p99 %6.2f ms   max %7.2f ms   (goal: p99 <= %.1f ms)\n",
              r.call_ms.size(), r.calls, percentile(r.call_ms, 50), percentile(r.call_ms, 99), percentile(r.call_ms, 100),
              frame_ms + 2.0);
  std::printf("  call -> hub reply                 p50 %6.2f ms   p99 %6.2f ms   max %7.2f ms   (the hub's share: its journal syncs)\n",
              percentile(r.reply_ms, 50), percentile(r.reply_ms, 99), percentile(r.reply_ms, 100));
  std::printf("  screenshots      %zu written to latest.png\n", r.screenshots);
  std::printf("  tablo-display    %.1f %% of one core; %s\n", r.display_cpu_percent, r.machine.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_frame_interval: frame intervals and call latency with a video, a ticker, calls and screenshots"};
  double seconds = 30;
  std::string before;
  app.add_option("--seconds", seconds, "length of each run")->check(CLI::Range(2.0, 3600.0));
  app.add_option("--compare", before, "another tablo-display (an older tree's): run with screenshots first")
      ->check(CLI::ExistingFile);
  CLI11_PARSE(app, argc, argv);
  try {
    tablo::bench::stop_on_signals();
    tablo::test::TempDir media;
    const std::string clip = media.path() + "/loop1080.mp4";
    const auto made = tablo::test::run({"/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f",
                                        "lavfi", "-i", "testsrc2=size=1920x1080:rate=30", "-t", "10", "-c:v", "libx264",
                                        "-preset", "veryfast", "-pix_fmt", "yuv420p", "-g", "60", clip},
                                       std::chrono::seconds(120));
    if (made.exit_code != 0) throw tablo::bench::BenchError("ffmpeg could not make the test clip: " + made.output);
    std::printf("tablo-hub and a headless tablo-display (1920x1080, software renderer): a 1080p30 H.264 loop beside "
                "the board, a running ticker, a call every 250 ms; %.0f s without screenshots, then %.0f s with one "
                "every 200 ms...\n", seconds, seconds);
    std::fflush(stdout);
    std::optional<Run> older;
    if (!before.empty()) older = run(clip, seconds, true, before);
    const auto plain = run(clip, seconds, false, "");
    const auto shot = run(clip, seconds, true, "");
    std::printf("\n");
    if (older) print(("with a screenshot every 200 ms, " + before + ":").c_str(), *older);
    print("without screenshots:", plain);
    print("with a screenshot every 200 ms (--screenshot-every 0.2):", shot);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_frame_interval: %s\n", e.what());
    return 1;
  }
}
