// bench_call_latency: how long from an operator's call leaving the client to the frame
// that shows it on a hall screen. Prints figures; never judges them by its exit code.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <thread>

#include "bench/cpu_use.hpp"
#include "bench/hall.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using tablo::bench::percentile;

constexpr double frame_ms = 1000.0 / 60.0;
constexpr double target_ms = frame_ms + 2.0;

struct Sent {
  std::uint64_t seq = 0;
  std::int64_t sent_ns = 0;     // steady_clock, just before the request left
  std::int64_t replied_ns = 0;  // steady_clock, once the hub's reply was in
};

std::int64_t ns_now() { return Clock::now().time_since_epoch().count(); }
double ms(std::int64_t ns) { return static_cast<double>(ns) / 1e6; }

void print_spread(const char* label, const std::vector<double>& v, const char* note) {
  std::printf("%-24s p50 %7.2f ms   p90 %7.2f ms   p99 %7.2f ms   max %7.2f ms   %s\n", label, percentile(v, 50),
              percentile(v, 90), percentile(v, 99), percentile(v, 100), note);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_call_latency: time from sending a call to the hub until tablo-display presents it"};
  int calls = 1000;
  int interval_ms = 40;
  app.add_option("--calls", calls, "calls to send, each a new ticket")->check(CLI::Range(1, 1000000));
  app.add_option("--interval-ms", interval_ms, "milliseconds between calls")->check(CLI::Range(1, 60000));
  CLI11_PARSE(app, argc, argv);

  try {
    tablo::bench::stop_on_signals();
    tablo::bench::Hall hall;
    std::printf("starting tablo-hub and a headless tablo-display (1920x1080, software renderer)...\n");
    std::fflush(stdout);
    hall.wait_until_ready();

    std::printf("sending %d calls, one every %d ms...\n", calls, interval_ms);
    std::fflush(stdout);
    std::vector<Sent> sent;
    sent.reserve(static_cast<std::size_t>(calls));
    const tablo::bench::CpuMeter meter(hall.display_pid(), hall.hub_pid());
    const auto start = Clock::now();
    for (int i = 0; i < calls; ++i) {
      // A fixed schedule, so a slow reply does not shift every later call.
      std::this_thread::sleep_until(start + i * std::chrono::milliseconds(interval_ms));
      hall.check();
      const auto ticket = "Б" + std::to_string(1000000 + i).substr(1);
      const auto window = std::to_string(1 + i % 9);
      Sent s;
      s.sent_ns = ns_now();
      s.seq = hall.send(tablo::protocol::Called{ticket, window, "", ""}).seq;
      s.replied_ns = ns_now();
      sent.push_back(s);
    }
    hall.wait_shown(sent.back().seq, 3s);  // then count what is missing
    const auto used = meter.read();

    const auto shown = hall.shown();
    std::vector<double> to_screen, to_reply, reply_to_screen;
    for (const auto& s : sent) {
      to_reply.push_back(ms(s.replied_ns - s.sent_ns));
      auto it = shown.find(s.seq);
      if (it == shown.end()) continue;
      to_screen.push_back(ms(it->second - s.sent_ns));
      reply_to_screen.push_back(ms(it->second - s.replied_ns));
    }
    const std::size_t missing = sent.size() - to_screen.size();

    std::printf("\ncall latency: send -> frame presented (tablo-display --headless, 1920x1080, software renderer)\n");
    std::printf("%-24s %zu, one every %d ms, each a new ticket\n", "calls sent", sent.size(), interval_ms);
    std::printf("%-24s %zu\n", "shown", to_screen.size());
    std::printf("%-24s %zu   (accepted by the hub, never in the frame log)\n", "missing", missing);
    print_spread("send -> presented", to_screen, "(what the hall sees)");
    print_spread("send -> hub reply", to_reply, "(the hub's share: request, apply, journal, publish, reply)");
    print_spread("hub reply -> presented", reply_to_screen, "(roughly the display's share)");
    std::printf("%-24s tablo-display %.1f %%, tablo-hub %.1f %% of one core; %s\n", "CPU during the calls",
                100.0 * used.display.on_cpu_seconds / used.seconds, 100.0 * used.hub.on_cpu_seconds / used.seconds,
                used.describe_machine().c_str());
    std::printf("%-24s p99 under %.1f ms (one frame interval %.1f ms + 2 ms): p99 is %s it\n", "target", target_ms,
                frame_ms, percentile(to_screen, 99) < target_ms ? "under" : "OVER");
    if (to_screen.empty()) {
      std::fprintf(stderr, "bench_call_latency: no call reached the screen's frame log\n");
      return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_call_latency: %s\n", e.what());
    return 1;
  }
}
