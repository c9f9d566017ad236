// Issue 11: N screens fetching one large file from one hub's media endpoint at once, over
// loopback. libcurl fetchers (as the screens use it) against as many `curl` processes on the
// same URL, with the hub's CPU, its peak resident memory (it must stream from disk) and the
// most transfers it ran at once (hub.media.transfers must hold). Prints figures only.
#include <curl/curl.h>

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <thread>
#include <vector>

#include "bench/cpu_use.hpp"
#include "protocol/codec.hpp"
#include "protocol/command_client.hpp"
#include "tests/support/process.hpp"

using namespace std::chrono_literals;
using tablo::test::Process;
using tablo::test::run;

namespace {

std::size_t discard(char*, std::size_t size, std::size_t n, void* got) {
  *static_cast<std::uint64_t*>(got) += size * n;
  return size * n;
}

// One fetcher: whole file, again after Retry-After when the hub is full. Bytes received.
std::uint64_t fetch(const std::string& url, int& refusals) {
  std::uint64_t got = 0;
  for (;;) {
    got = 0;
    CURL* curl = curl_easy_init();
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &discard);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &got);
    curl_easy_perform(curl);
    long status = 0;
    curl_off_t retry_after = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(curl, CURLINFO_RETRY_AFTER, &retry_after);
    curl_easy_cleanup(curl);
    if (status != 503) return got;
    ++refusals;
    std::this_thread::sleep_for(std::chrono::seconds(std::max<curl_off_t>(1, retry_after)));
  }
}

long peak_rss_kb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.starts_with("VmHWM:")) return std::stol(line.substr(6));
  return 0;
}

std::string counter(const std::string& status, const std::string& name) {
  std::smatch m;
  return std::regex_search(status, m, std::regex(name + " +([0-9]+)")) ? m[1].str() : "?";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_media_fetch: many screens fetch one file from the hub's media endpoint"};
  int fetchers = 30, transfers = 30, size_mb = 200;
  app.add_option("--fetchers", fetchers, "fetchers at once")->capture_default_str();
  app.add_option("--transfers", transfers, "hub.media.transfers")->capture_default_str();
  app.add_option("--size-mb", size_mb, "the file's size, MB")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  tablo::test::TempDir dir;
  const auto commands = tablo::test::free_endpoint(), events = tablo::test::free_endpoint();
  const auto http = tablo::test::free_endpoint();
  const auto port = http.substr(http.rfind(':') + 1);
  const auto config = dir.path() + "/hub.toml";
  std::ofstream(config) << "[hub]\ncommands = \"" << commands << "\"\nevents = \"" << events
                        << "\"\njournal = \"journal\"\n[hub.metrics]\nlisten = \"\"\n[hub.media]\nfolder = \"media\"\n"
                        << "listen = \"127.0.0.1:" << port << "\"\ntransfers = " << transfers << "\nreserve_mb = 0\n";
  // A playable file of about size_mb: raw 1280x720 video, 1.38 MB a frame.
  const auto clip = dir.path() + "/big.mkv";
  const int frames = static_cast<int>(size_mb / 1.3824);
  run({"/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
       "testsrc=size=1280x720:rate=25", "-frames:v", std::to_string(frames), "-c:v", "rawvideo", "-pix_fmt", "yuv420p", clip},
      120s);
  const auto bytes = std::filesystem::file_size(clip);
  Process hub({TABLO_HUB_BIN, "--config", config, "--log-level", "warn"});
  std::this_thread::sleep_for(1s);
  const auto upload_start = std::chrono::steady_clock::now();
  const auto added = run({TABLOCTL_BIN, "--hub", commands, "media", "add", clip}, 600s);
  const double upload_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - upload_start).count();
  if (added.exit_code != 0) {
    std::cerr << added.output;
    return 1;
  }
  std::string full_sha;
  for (const auto& e : std::filesystem::directory_iterator(dir.path() + "/media/files")) full_sha = e.path().filename();
  zmq::context_t context;
  tablo::protocol::CommandClient client(context, commands);
  auto reply = client.request({"", "main", tablo::protocol::MediaAction{tablo::protocol::MediaTokenRequest{}}}, 5s);
  const auto url = "http://127.0.0.1:" + port + "/media/" + full_sha + "?t=" + std::get<tablo::protocol::MediaToken>(reply->answer).token;
  std::printf("file %.1f MB; upload by tabloctl media add %.1f s (%.0f MB/s, hashing included); hub peak RSS after upload %ld MB\n",
              static_cast<double>(bytes) / 1e6, upload_s, static_cast<double>(bytes) / 1e6 / upload_s,
              peak_rss_kb(hub.pid()) / 1024);

  curl_global_init(CURL_GLOBAL_DEFAULT);
  auto phase = [&](const char* name, auto body) {
    const auto cpu0 = tablo::bench::CpuUse::of(hub.pid());
    const auto machine0 = tablo::bench::MachineUse::now();
    const auto t0 = std::chrono::steady_clock::now();
    body();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto cpu = tablo::bench::CpuUse::of(hub.pid()) - cpu0;
    const auto machine = tablo::bench::MachineUse::now() - machine0;
    std::printf("%-22s %6.2f s  %7.0f MB/s  hub CPU %5.2f s (%3.0f %% of a core)  machine busy %.0f %% of %u cores\n", name, s,
                static_cast<double>(bytes) * fetchers / 1e6 / s, cpu.on_cpu_seconds, 100 * cpu.on_cpu_seconds / s,
                100 * machine.busy_seconds / s / std::thread::hardware_concurrency(), std::thread::hardware_concurrency());
    return s;
  };
  int refusals = 0;
  std::uint64_t short_fetches = 0;
  const double ours = phase("libcurl fetchers", [&] {
    std::vector<std::thread> threads;
    std::vector<int> refused(static_cast<std::size_t>(fetchers));
    std::vector<std::uint64_t> got(static_cast<std::size_t>(fetchers));
    for (int i = 0; i < fetchers; ++i) threads.emplace_back([&, i] { got[i] = fetch(url, refused[i]); });
    for (auto& t : threads) t.join();
    for (int i = 0; i < fetchers; ++i) {
      refusals += refused[i];
      short_fetches += got[i] != bytes;
    }
  });
  const double theirs = phase("curl CLI processes", [&] {
    std::vector<std::unique_ptr<Process>> curls;
    for (int i = 0; i < fetchers; ++i)
      curls.push_back(std::make_unique<Process>(std::vector<std::string>{"/usr/bin/curl", "-s", "-o", "/dev/null", "--retry", "1000", url}));
    for (auto& c : curls) c->wait(600s);
  });
  const auto status = run({TABLOCTL_BIN, "--hub", commands, "status"}).output;
  std::printf("ratio libcurl fetchers / curl CLI: %.2f\n", ours / theirs);
  std::printf("%d fetchers, hub.media.transfers = %d: most at once %s, 503s %s (libcurl fetchers: %d), incomplete fetches %llu\n",
              fetchers, transfers, counter(status, "media.most_at_once").c_str(), counter(status, "media.refused.busy").c_str(),
              refusals, static_cast<unsigned long long>(short_fetches));
  std::printf("hub peak RSS %ld MB (the file: %.0f MB)\n", peak_rss_kb(hub.pid()) / 1024, static_cast<double>(bytes) / 1e6);
  curl_global_cleanup();
  return 0;
}
