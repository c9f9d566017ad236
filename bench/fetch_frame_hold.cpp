// bench_fetch_frame_hold: does fetching and verifying a large file hold the screen's frames?
// A real hub and headless screen with a running ticker (a frame due every 16.7 ms); a playlist
// naming a 1 GB library file is pushed, nginx on loopback serves it, and the frame log shows
// the longest interval between presented frames while the screen fetches, hashes, fsyncs and
// renames it, beside the same interval before. Peers in the same run: curl fetching the same
// URL to /dev/null and sha256sum hashing the file (the work the screen does, done alone).
// Prints figures; never passes or fails on time.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "bench/hall.hpp"
#include "tests/support/process.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;
using tablo::bench::BenchError;

std::int64_t now_ns() { return Clock::now().time_since_epoch().count(); }

struct Intervals {
  double longest_ms = 0, p99_ms = 0;
  std::size_t frames = 0;
};

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
  if (ms.empty()) throw BenchError("no frames presented in the measured window");
  return {*std::max_element(ms.begin(), ms.end()), tablo::bench::percentile(ms, 99), count};
}

double timed(const std::vector<std::string>& argv) {
  const auto t0 = Clock::now();
  const auto ran = tablo::test::run(argv, 600s);
  if (ran.exit_code != 0) throw BenchError(argv[0] + " failed: " + ran.output);
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_fetch_frame_hold: longest frame interval while a screen fetches and verifies a large file"};
  int megabytes = 1000;
  app.add_option("--megabytes", megabytes, "size of the library file")->check(CLI::Range(10, 20000));
  CLI11_PARSE(app, argc, argv);

  try {
    tablo::bench::stop_on_signals();
    tablo::test::TempDir dir;
    const fs::path root = dir.path(), library = root / "library", cache = root / "cache";
    fs::create_directories(library);
    // Raw 1080p pictures in Matroska: a file FFmpeg plays (the hub's library takes nothing else)
    // of about the size asked for, made in seconds. 3 110 400 bytes a picture, 25 a second.
    std::printf("making a playable file of about %d MB...\n", megabytes);
    std::fflush(stdout);
    const auto raw = root / "big.mkv";
    const double seconds = megabytes * 1e6 / (1920.0 * 1080 * 1.5 * 25);
    timed({"/usr/bin/ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=1920x1080:rate=25", "-t", std::to_string(seconds),
           "-c:v", "rawvideo", "-pix_fmt", "yuv420p", raw.string()});
    const auto sum = tablo::test::run({"/usr/bin/sha256sum", raw.string()}, 600s);
    const std::string sha = sum.output.substr(0, 64);
    const auto size = fs::file_size(raw);
    fs::copy_file(raw, library / sha);  // the mirror's copy, by its hash

    const int port = std::stoi(tablo::test::free_endpoint().substr(16));
    std::ofstream(root / "nginx.conf") << "error_log " << (root / "nginx-error.log").string() << ";\npid "
                                       << (root / "nginx.pid").string() << ";\nevents {}\nhttp {\n  access_log off;\n"
                                       << "  client_body_temp_path " << root.string() << ";\n  proxy_temp_path " << root.string()
                                       << ";\n  fastcgi_temp_path " << root.string() << ";\n  uwsgi_temp_path " << root.string()
                                       << ";\n  scgi_temp_path " << root.string() << ";\n  server {\n    listen 127.0.0.1:" << port
                                       << ";\n    location /media/ { alias " << library.string() << "/; }\n  }\n}\n";
    tablo::test::Process nginx({"/usr/sbin/nginx", "-c", (root / "nginx.conf").string(), "-p", root.string(), "-g",
                                "daemon off; master_process off;"});
    const std::string base = "http://127.0.0.1:" + std::to_string(port) + "/media/";
    std::ofstream(root / "own.toml") << "";

    tablo::bench::Hall hall("blink_seconds = 0\npopup_seconds = 0\n[display.media]\nplaylist = \"" + (root / "own.toml").string() +
                            "\"\nregion = \"right\"\n[display.fetch]\ncache_dir = \"" + cache.string() + "\"\nmirrors = [\"" +
                            base + "\"]\nrate_limit_mbit = 0\n");
    std::printf("starting tablo-hub, nginx and a headless tablo-display (1920x1080, software renderer)...\n");
    std::fflush(stdout);
    hall.wait_until_ready();
    hall.send(tablo::protocol::TickerSet{"Режим работы: пн–сб 8:00–20:00"});
    const auto added = tablo::test::run({TABLOCTL_BIN, "--hub", hall.commands(), "--timeout", "10", "media", "add", raw.string(),
                                         "--name", "big.mp4"}, 600s);
    if (added.exit_code != 0) throw std::runtime_error("tabloctl media add: " + added.output);
    hall.sleep_for(3s);

    const auto quiet_from = now_ns();
    hall.sleep_for(10s);
    const auto pushed = now_ns();
    hall.send(tablo::protocol::PlaylistSet{"[[item]]\nfile = \"big.mp4\"\n", {}});  // the hub names its hash and size
    while (!fs::exists(cache / sha)) hall.sleep_for(20ms);
    const auto verified = now_ns();
    hall.send(tablo::protocol::Called{"Ф1", "1", "", ""});  // the screen flushes its frame log
    hall.sleep_for(500ms);
    const auto frames = hall.frames();
    const auto before = intervals(frames, quiet_from, pushed), during = intervals(frames, pushed, verified);
    const double screen_s = static_cast<double>(verified - pushed) / 1e9;

    const double curl_s = timed({"/usr/bin/curl", "-sS", "-o", "/dev/null", base + sha});
    const double hash_s = timed({"/usr/bin/sha256sum", (library / sha).string()});

    std::printf("\nframes of a screen with a running ticker (due every 16.7 ms):\n");
    std::printf("  10 s before the push:           %4zu frames, longest interval %6.1f ms, p99 %5.1f ms\n", before.frames,
                before.longest_ms, before.p99_ms);
    std::printf("  while fetching %4d MB (%.1f s): %4zu frames, longest interval %6.1f ms, p99 %5.1f ms\n", megabytes,
                screen_s, during.frames, during.longest_ms, during.p99_ms);
    std::printf("the screen's fetch, verify, fsync and rename: %.1f s (%.0f MB/s); peers in this run: curl to /dev/null "
                "%.1f s, sha256sum %.1f s (ratio screen / (curl + sha256sum) %.2f)\n",
                screen_s, static_cast<double>(size) / 1e6 / screen_s, curl_s, hash_s, screen_s / (curl_s + hash_s));
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_fetch_frame_hold: %s\n", e.what());
    return 1;
  }
}
