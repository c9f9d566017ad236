// Memory over many switches with big items (issue 10): a headless tablo-display plays a loop of
// 4K and 1080p clips (8-bit and 10-bit, 4:2:0 and 4:2:2), each cut short by `duration`, for N
// switches, and prints its resident memory along the way; then mpv (--vo=null) plays the same
// files for as many switches, for comparison. Prints figures; never passes or fails.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "tests/support/process.hpp"

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using tablo::test::Process;

namespace {

long rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  return 0;
}

void ffmpeg(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y"};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto r = tablo::test::run(argv, 600s);
  if (r.exit_code != 0) throw std::runtime_error("ffmpeg failed: " + r.output);
}

struct Clip {
  const char* name;
  const char* size;
  const char* pix_fmt;
};
constexpr Clip clips[] = {{"4k-420.mp4", "3840x2160", "yuv420p"},
                          {"1080-420.mp4", "1920x1080", "yuv420p"},
                          {"4k-420-10bit.mp4", "3840x2160", "yuv420p10le"},
                          {"1080-422.mp4", "1920x1080", "yuv422p"}};

// Memory in one stretch of the run: its lowest (what stays between items) and highest (two
// 4K decoders and their frames alive at once) resident size, sampled twice a second.
struct Window {
  long low = 0, high = 0;  // MiB
};

// `windows` stretches over `seconds`; prints each as "low–high" in MiB.
std::vector<Window> sample(pid_t pid, double seconds, int windows) {
  std::vector<Window> out;
  const auto step = 500ms;
  const auto per_window = std::chrono::duration<double>(seconds / windows);
  for (int i = 0; i < windows; ++i) {
    Window w{1L << 40, 0};
    for (auto end = std::chrono::steady_clock::now() + per_window; std::chrono::steady_clock::now() < end;) {
      std::this_thread::sleep_for(step);
      const long mib = rss_kib(pid) / 1024;
      if (mib == 0) continue;
      w.low = std::min(w.low, mib);
      w.high = std::max(w.high, mib);
    }
    out.push_back(w);
    std::printf(" %ld–%ld", w.low, w.high);
    std::fflush(stdout);
  }
  std::printf(" MiB\n");
  return out;
}

// The second stretch (every item open at least once) against the last: a ratchet raises both.
void summary(const char* who, const std::vector<Window>& w) {
  if (w.size() < 3) return;
  const Window first = w[1], last = w.back();
  auto percent = [](long from, long to) { return 100.0 * static_cast<double>(to - from) / static_cast<double>(from); };
  std::printf("  %s: lowest %ld → %ld MiB (%+.1f %%), highest %ld → %ld MiB (%+.1f %%), second stretch to last\n", who,
              first.low, last.low, percent(first.low, last.low), first.high, last.high, percent(first.high, last.high));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Resident memory of tablo-display over many switches between 4K and 1080p items, beside mpv"};
  int switches = 1000;
  double item_seconds = 0.5;  // the shortest `duration` a playlist takes
  int samples = 10;
  std::string display_bin = TABLO_DISPLAY_BIN;
  bool with_mpv = true;
  app.add_option("--switches", switches, "item switches")->check(CLI::PositiveNumber);
  app.add_option("--item-seconds", item_seconds, "each item's duration")->check(CLI::PositiveNumber);
  app.add_option("--samples", samples, "stretches of the run, each with its lowest and highest memory")->check(CLI::PositiveNumber);
  app.add_option("--display-bin", display_bin, "the tablo-display to measure (e.g. an older build)");
  app.add_flag("!--no-mpv", with_mpv, "skip the mpv run");
  CLI11_PARSE(app, argc, argv);

  tablo::test::TempDir tmp;
  const fs::path dir = tmp.path();
  std::cout << "making 1 s clips: 4K and 1080p H.264, 8-bit 4:2:0, 10-bit 4:2:0, 4:2:2…" << std::endl;
  std::ofstream playlist(dir / "loop.toml");
  std::ofstream mpv_list(dir / "mpv.txt");
  for (const Clip& c : clips) {
    ffmpeg({"-f", "lavfi", "-i", std::string("testsrc2=size=") + c.size + ":rate=25", "-t", "1", "-c:v", "libx264",
            "-preset", "ultrafast", "-pix_fmt", c.pix_fmt, (dir / c.name).string()});
    playlist << "[[item]]\nfile = \"" << c.name << "\"\nduration = " << item_seconds << "\n";
    mpv_list << (dir / c.name).string() << "\n";
  }
  playlist.close();
  mpv_list.close();
  std::ofstream(dir / "tablo.toml") << "[display.media]\nplaylist = \"loop.toml\"\nregion = \"full\"\n"
                                    << "[display.metrics]\nlisten = \"\"\n";
  const double seconds = switches * item_seconds;
  std::printf("\n%d switches of %.2f s items (%.0f s); lowest–highest resident memory in %d even stretches:\n", switches, item_seconds,
              seconds, samples);

  std::printf("  tablo-display (%s):", display_bin.c_str());
  std::vector<Window> tablo;
  const fs::path log = dir / "display.log";
  {
    Process p({"/bin/sh", "-c",
               "exec " + display_bin + " --headless --config " + (dir / "tablo.toml").string() +
                   " --size 1920x1080 --hub-commands tcp://127.0.0.1:1 --hub-events tcp://127.0.0.1:2 2> " + log.string()},
              {"SDL_AUDIODRIVER=dummy", "SDL_VIDEODRIVER=offscreen"});
    tablo = sample(p.pid(), seconds, samples);
  }
  {
    // Its own count, as it stopped: "playlist stopped: N switches, M late, …".
    std::ifstream in(log);
    for (std::string line; std::getline(in, line);)
      if (line.find("playlist stopped") != std::string::npos || line.find("error") != std::string::npos ||
          line.find("warn") != std::string::npos)
        std::printf("  %s\n", line.c_str());
  }
  if (with_mpv && access("/usr/bin/mpv", X_OK) == 0) {
    std::printf("  mpv --vo=null:");
    const int loops = std::max(1, switches / static_cast<int>(std::size(clips)));
    Process p({"/usr/bin/mpv", "--no-config", "--really-quiet", "--vo=null", "--ao=null", "--hwdec=no",
               "--length=" + std::to_string(item_seconds), "--loop-playlist=" + std::to_string(loops),
               "--playlist=" + (dir / "mpv.txt").string()});
    const auto mpv = sample(p.pid(), seconds, samples);
    summary("tablo-display", tablo);
    summary("mpv", mpv);
  } else {
    summary("tablo-display", tablo);
  }
  std::printf("(the machine's load matters for the switch count reached in time, not for memory)\n");
}
