// Video playback cost, as the issue asks: under Xvfb at 1920×1080 with a 1080p30 H.264 loop,
// CPU seconds per minute of tablo-display (board + video, and video alone full screen), of
// `mpv --vo=x11 --hwdec=no` playing the same file, each with the X server's CPU counted, and
// of `ffmpeg -f null` decoding it. Then many switches between short clips, headless: late
// switches, frames without a picture, and resident memory along the way.
// Prints figures; never passes or fails on time. Needs Xvfb and mpv (installs them when
// run as root on Debian, otherwise says how).
#include <CLI/CLI.hpp>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "tests/support/process.hpp"

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using tablo::test::Process;

namespace {

// utime + stime of a running process, in seconds.
double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  const auto close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(text.substr(close + 2));
  std::string f;
  double utime = 0, stime = 0;
  for (int i = 3; fields >> f; ++i) {
    if (i == 14) utime = std::stod(f);
    if (i == 15) {
      stime = std::stod(f);
      break;
    }
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

long rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  return 0;
}

double children_cpu() {
  rusage ru{};
  getrusage(RUSAGE_CHILDREN, &ru);
  auto s = [](timeval t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return s(ru.ru_utime) + s(ru.ru_stime);
}

bool have(const char* path) { return access(path, X_OK) == 0; }

void need_tools() {
  if (have("/usr/bin/Xvfb") && have("/usr/bin/mpv")) return;
  if (geteuid() == 0) {
    std::cout << "installing xvfb and mpv for this benchmark…\n";
    tablo::test::run({"/usr/bin/apt-get", "install", "-y", "-qq", "--no-install-recommends", "xvfb", "mpv"}, 600s);
  }
  if (!have("/usr/bin/Xvfb") || !have("/usr/bin/mpv"))
    throw std::runtime_error("this benchmark needs Xvfb and mpv: sudo apt-get install xvfb mpv");
}

void ffmpeg(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y"};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto r = tablo::test::run(argv, 600s);
  if (r.exit_code != 0) throw std::runtime_error("ffmpeg failed: " + r.output);
}

struct Figure {
  double player = 0, x = 0, seconds = 0;
  double per_minute() const { return (player + x) / seconds * 60; }
};

// Runs `argv` on the X display for `seconds` after `warmup`, counting it and the X server.
Figure measure(const std::vector<std::string>& argv, const std::string& display, pid_t xvfb, double seconds) {
  Process p(argv, {"DISPLAY=" + display, "SDL_AUDIODRIVER=dummy"});
  std::this_thread::sleep_for(3s);  // started, first frames out
  const double p0 = cpu_seconds(p.pid()), x0 = cpu_seconds(xvfb);
  const auto t0 = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  Figure f{cpu_seconds(p.pid()) - p0, cpu_seconds(xvfb) - x0,
           std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()};
  if (!p.running()) throw std::runtime_error(argv[0] + " ended early");
  return f;
}

std::string config(const fs::path& dir, const std::string& playlist, const std::string& region) {
  const auto path = dir / ("tablo-" + region + ".toml");
  std::ofstream(path) << "[display]\nrenderer = \"software\"\n[display.media]\nplaylist = \"" << playlist
                      << "\"\nregion = \"" << region << "\"\n";
  return path.string();
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"CPU of video playback: tablo-display vs mpv vs ffmpeg decode, under Xvfb; switches and memory"};
  double seconds = 30;
  int switches = 1000;
  app.add_option("--seconds", seconds, "measured seconds per player")->check(CLI::PositiveNumber);
  app.add_option("--switches", switches, "item switches for the memory run")->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);
  need_tools();

  tablo::test::TempDir tmp;
  const fs::path dir = tmp.path();
  std::cout << "making a 10 s 1080p30 H.264 clip…" << std::endl;
  const auto clip = (dir / "loop1080.mp4").string();
  ffmpeg({"-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30", "-t", "10", "-c:v", "libx264", "-preset", "veryfast",
          "-pix_fmt", "yuv420p", "-g", "60", clip});
  std::ofstream(dir / "loop.toml") << "[[item]]\nfile = \"loop1080.mp4\"\n";

  // Decode only: CPU per minute of video.
  const double before = children_cpu();
  ffmpeg({"-stream_loop", "2", "-i", clip, "-f", "null", "-"});
  const double decode = (children_cpu() - before) / 30 * 60;

  const std::string display = ":" + std::to_string(90 + getpid() % 9);
  Process xvfb({"/usr/bin/Xvfb", display, "-screen", "0", "1920x1080x24", "-nolisten", "tcp"});
  std::this_thread::sleep_for(1s);

  const std::string tablo = TABLO_DISPLAY_BIN;
  const auto hub = std::vector<std::string>{"--hub-commands", "tcp://127.0.0.1:1", "--hub-events", "tcp://127.0.0.1:2"};
  auto with = [&](std::vector<std::string> a) { a.insert(a.end(), hub.begin(), hub.end()); return a; };
  std::cout << "measuring " << seconds << " s each…" << std::endl;
  const Figure board = measure(with({tablo, "--config", config(dir, "loop.toml", "right")}), display, xvfb.pid(), seconds);
  const Figure full = measure(with({tablo, "--config", config(dir, "loop.toml", "full")}), display, xvfb.pid(), seconds);
  const Figure mpv = measure({"/usr/bin/mpv", "--really-quiet", "--vo=x11", "--hwdec=no", "--fs", "--no-audio",
                              "--loop-file=inf", "--no-osc", "--no-input-terminal", clip},
                             display, xvfb.pid(), seconds);

  std::printf("\nCPU seconds per minute (player + X server):\n");
  std::printf("  ffmpeg -f null (decode only)       %6.1f\n", decode);
  std::printf("  mpv --vo=x11 --hwdec=no            %6.1f  (%.1f + X %.1f)\n", mpv.per_minute(),
              mpv.player / mpv.seconds * 60, mpv.x / mpv.seconds * 60);
  std::printf("  tablo-display, board + video       %6.1f  (%.1f + X %.1f)  %.2f× mpv, %.2f× decode\n",
              board.per_minute(), board.player / board.seconds * 60, board.x / board.seconds * 60,
              board.per_minute() / mpv.per_minute(), board.per_minute() / decode);
  std::printf("  tablo-display, video full screen   %6.1f  (%.1f + X %.1f)  %.2f× mpv, %.2f× decode\n",
              full.per_minute(), full.player / full.seconds * 60, full.x / full.seconds * 60,
              full.per_minute() / mpv.per_minute(), full.per_minute() / decode);

  // Switches: two short clips, headless, the log says how each switch went.
  std::cout << "\n" << switches << " switches between 0.1 s clips, headless…" << std::endl;
  for (const char* c : {"red", "blue"})
    ffmpeg({"-f", "lavfi", "-i", std::string("testsrc2=size=640x360:rate=30"), "-vf", std::string("drawbox=c=") + c + ":t=fill:w=100:h=100",
            "-t", "0.1", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", (dir / (std::string(c) + ".mp4")).string()});
  std::ofstream(dir / "short.toml") << "[[item]]\nfile = \"red.mp4\"\n[[item]]\nfile = \"blue.mp4\"\n";
  const auto log = dir / "switches.log";
  {
    const std::string command = "exec " + tablo + " --headless --size 1280x720 --config " +
                                config(dir, "short.toml", "right") +
                                " --hub-commands tcp://127.0.0.1:1 --hub-events tcp://127.0.0.1:2 > " + log.string() +
                                " 2>&1";
    Process screen({"/bin/sh", "-c", command});
    const double period = 0.1;
    std::vector<std::pair<int, long>> rss;
    for (int done = 0; done <= switches; done += switches / 10) {
      std::this_thread::sleep_for(std::chrono::duration<double>(period * (done == 0 ? 20 : switches / 10)));
      rss.emplace_back(done, rss_kib(screen.pid()));
    }
    screen.signal(SIGTERM);
    screen.wait(5s);
    std::printf("  resident memory (KiB) after about N switches:");
    for (auto [n, kib] : rss) std::printf(" %d:%ld", n, kib);
    const double growth =
        rss.size() > 2 ? 100.0 * static_cast<double>(rss.back().second - rss[1].second) / static_cast<double>(rss[1].second) : 0;
    std::printf("\n  growth from the first tenth to the end: %+.1f %%\n", growth);
  }
  const auto text = read_file(log);
  const auto at = text.find("playlist stopped:");
  std::printf("  %s\n", at == std::string::npos ? "(no summary in the log)" : text.substr(at, text.find('\n', at) - at).c_str());
  return 0;
}
