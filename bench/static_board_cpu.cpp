// bench_static_board_cpu: what a hall screen costs while nothing happens but the clock,
// then with a running ticker, and what the idle hub costs meanwhile. Prints figures;
// never judges them by its exit code.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cstdio>

#include "bench/cpu_use.hpp"
#include "bench/hall.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using tablo::bench::CpuUse;
using tablo::bench::HallCpu;

constexpr double target_percent = 0.5;
constexpr double ticker_target_percent = 3.0;
constexpr const char* running_text =
    "Уважаемые посетители! Приём документов по вопросам регистрации ведётся в окнах 1–4. "
    "Пожалуйста, держите талон при себе и следите за табло.";

double percent(double cpu_seconds, double seconds) { return 100.0 * cpu_seconds / seconds; }

void print_use(const char* who, const CpuUse& use, double seconds, bool show_sleeps) {
  std::printf("  %-14s %7.3f s CPU (utime+stime)  = %6.2f %% of one core   [on-CPU by schedstat %8.4f s = %6.3f %%]",
              who, use.stat_seconds, percent(use.stat_seconds, seconds), use.on_cpu_seconds,
              percent(use.on_cpu_seconds, seconds));
  if (show_sleeps) std::printf("   main thread slept %ld times (about once per frame)", use.main_thread_sleeps);
  std::printf("\n");
}

HallCpu measure(tablo::bench::Hall& hall, std::chrono::milliseconds span) {
  const tablo::bench::CpuMeter meter(hall.display_pid(), hall.hub_pid());
  hall.sleep_for(span);
  return meter.read();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_static_board_cpu: CPU of tablo-display on a static board with a ticking clock"};
  double seconds = 10;
  app.add_option("--seconds", seconds, "length of each measurement")->check(CLI::Range(1.0, 3600.0));
  CLI11_PARSE(app, argc, argv);
  const auto span = std::chrono::milliseconds(static_cast<long>(seconds * 1000));

  try {
    tablo::bench::stop_on_signals();
    // Short blink and pop-up, so the board is static soon after the calls.
    tablo::bench::Hall hall("clock_format = \"%H:%M:%S\"\nblink_seconds = 1.0\npopup_seconds = 1.0\n");
    std::printf("starting tablo-hub and a headless tablo-display (1920x1080, software renderer)...\n");
    std::fflush(stdout);
    hall.wait_until_ready();

    hall.send(tablo::protocol::Cleared{});
    std::uint64_t last = 0;
    for (int i = 1; i <= 6; ++i) {
      last = hall.send(tablo::protocol::Called{"А00" + std::to_string(i), std::to_string(i), "", ""}).seq;
    }
    if (!hall.wait_shown(last, 3s)) throw tablo::bench::BenchError("the six calls did not reach the screen in 3 s");
    hall.sleep_for(2500ms);  // blink and pop-up (1 s each) are over

    std::printf("measuring a static board for %.1f s...\n", seconds);
    std::fflush(stdout);
    const auto still = measure(hall, span);

    const auto ticker_seq = hall.send(tablo::protocol::TickerSet{running_text}).seq;
    if (!hall.wait_shown(ticker_seq, 3s)) throw tablo::bench::BenchError("the ticker did not reach the screen in 3 s");
    hall.sleep_for(500ms);
    std::printf("measuring the same board with a running ticker for %.1f s...\n", seconds);
    std::fflush(stdout);
    const auto moving = measure(hall, span);

    std::printf("\nCPU of a hall screen (tablo-display --headless, 1920x1080, software renderer), 6 calls on the board\n");
    std::printf("static board, clock ticking every second (clock_format %%H:%%M:%%S), %.1f s:\n", still.seconds);
    print_use("tablo-display", still.display, still.seconds, true);
    std::printf("  machine: %s\n", still.describe_machine().c_str());
    std::printf("running ticker on the same board, %.1f s (it moves every frame):\n", moving.seconds);
    print_use("tablo-display", moving.display, moving.seconds, true);
    std::printf("  machine: %s\n", moving.describe_machine().c_str());
    std::printf("idle hub with heartbeats, the same %.1f s as the static board:\n", still.seconds);
    print_use("tablo-hub", still.hub, still.seconds, false);

    const double tick_percent = percent(still.display.stat_seconds, still.seconds);
    const double on_cpu_percent = percent(still.display.on_cpu_seconds, still.seconds);
    std::printf("target: a static board with a ticking clock under %.1f %% of one core: it uses %.2f %% by utime+stime "
                "(+-%.2f %%: 10 ms ticks), %.3f %% by schedstat: %s\n",
                target_percent, tick_percent, percent(2.0 / static_cast<double>(::sysconf(_SC_CLK_TCK)), still.seconds),
                on_cpu_percent, on_cpu_percent < target_percent ? "under" : "OVER");
    const double ticker_percent = percent(moving.display.on_cpu_seconds, moving.seconds);
    std::printf("target: a running ticker at most %.1f %% of one core (only its strip is drawn and presented): it uses "
                "%.3f %% by schedstat: %s\n",
                ticker_target_percent, ticker_percent, ticker_percent <= ticker_target_percent ? "within" : "OVER");
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_static_board_cpu: %s\n", e.what());
    return 1;
  }
}
