#include "bench/hall.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <deque>
#include <fstream>
#include <sstream>
#include <thread>

namespace tablo::bench {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::atomic<bool> interrupted{false};

extern "C" void on_signal(int) { interrupted = true; }

std::string write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out.flush()) throw BenchError("cannot write " + path);
  return path;
}

// No rate limit: the benchmark calls faster than any operator does. No announcements unless
// asked for: what is measured is the drawing, and a benchmark must not speak a thousand calls
// aloud.
std::string config_text(const std::string& display_settings, const std::string& announcement_settings) {
  return "[log]\nlevel = \"info\"\n\n[hub]\ncommands_per_second = 0\n\n[announcements]\n" + announcement_settings +
         "\n\n[display]\nrenderer = \"software\"\n" + display_settings + "\n";
}

// The frame log's whole lines: the display may be writing the last one.
std::vector<std::string> whole_lines(const std::string& path) {
  std::ifstream in(path);
  std::stringstream whole;
  whole << in.rdbuf();
  std::string text = whole.str();
  text.erase(text.rfind('\n') + 1);  // npos + 1 is 0
  std::istringstream stream(text);
  std::vector<std::string> lines;
  for (std::string line; std::getline(stream, line);) lines.push_back(std::move(line));
  return lines;
}

// The program runs with its stdout and stderr in `log`: `sh` redirects, then becomes it.
std::vector<std::string> logged(const std::string& log, const std::vector<std::string>& argv) {
  std::vector<std::string> out{"/bin/sh", "-c", "log=$1; shift; exec \"$@\" >\"$log\" 2>&1", "sh", log};
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

std::string tail(const std::string& path, std::size_t lines = 15) {
  std::ifstream in(path);
  std::deque<std::string> last;
  for (std::string line; std::getline(in, line);) {
    last.push_back(line);
    if (last.size() > lines) last.pop_front();
  }
  std::string out;
  for (const auto& l : last) out += "    " + l + "\n";
  return out.empty() ? "    (nothing)\n" : out;
}

std::vector<std::string> with(std::vector<std::string> argv, const std::vector<std::string>& more) {
  argv.insert(argv.end(), more.begin(), more.end());
  return argv;
}

}  // namespace

void stop_on_signals() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

Hall::Hall(const std::string& display_settings, const std::string& announcement_settings,
           const std::vector<std::string>& display_arguments, const std::string& display_program)
    : config_(write_file(dir_.path() + "/tablo.toml", config_text(display_settings, announcement_settings))),
      frame_log_(dir_.path() + "/frames.log"),
      commands_(test::free_endpoint()),
      events_(test::free_endpoint()),
      hub_(logged(dir_.path() + "/hub.log",
                  {TABLO_HUB_BIN, "--config", config_, "--commands", commands_, "--events", events_,
                   // in the temp folder, on the same disk as /var/lib here: its syncs count
                   "--journal", dir_.path() + "/journal"})),
      display_(logged(dir_.path() + "/display.log",
                      with({display_program.empty() ? TABLO_DISPLAY_BIN : display_program, "--config", config_, "--headless", "--size", "1920x1080", "--hub-commands",
                            commands_, "--hub-events", events_, "--frame-log", frame_log_},
                           display_arguments)),
               {"SDL_AUDIODRIVER=dummy"}),
      client_(context_, commands_) {}

void Hall::check() {
  if (interrupted) throw BenchError("interrupted");
  const auto died = [this](test::Process& process, const std::string& name) {
    if (process.running()) return;
    const auto log = dir_.path() + "/" + name + ".log";
    throw BenchError("tablo-" + name + " exited with status " + std::to_string(process.wait(0ms)) +
                     "; the end of its log (" + log + "):\n" + tail(log));
  };
  died(hub_, "hub");
  died(display_, "display");
}

void Hall::sleep_for(std::chrono::milliseconds d) {
  const auto until = Clock::now() + d;
  for (auto now = Clock::now(); now < until; now = Clock::now()) {
    check();
    std::this_thread::sleep_for(std::min<Clock::duration>(until - now, 50ms));
  }
  check();
}

protocol::Accepted Hall::send(protocol::Change change, std::chrono::milliseconds timeout) {
  auto reply = client_.request(protocol::Command{"", "main", std::move(change)}, timeout);
  if (!reply) {
    check();
    throw BenchError("no reply from tablo-hub at " + commands_ + " within " + std::to_string(timeout.count()) +
                     " ms; the end of its log:\n" + tail(dir_.path() + "/hub.log"));
  }
  if (const auto* accepted = std::get_if<protocol::Accepted>(&reply->answer)) return *accepted;
  const auto* refused = std::get_if<protocol::Refused>(&reply->answer);
  throw BenchError("tablo-hub refused a change: " + (refused ? refused->error : std::string("unexpected answer")));
}

void Hall::wait_until_ready(std::chrono::seconds timeout) {
  const auto deadline = Clock::now() + timeout;
  bool shown_once = false;
  while (Clock::now() < deadline) {
    const auto ticket = "Р" + std::to_string(++warm_up_tickets_);
    const auto seq = send(protocol::Called{ticket, "1", "", ""}).seq;
    if (wait_shown(seq, 1000ms)) {
      if (shown_once) return;
      shown_once = true;
      sleep_for(1500ms);  // past the display's first heartbeat and the snapshot it retakes then
    }
  }
  check();
  throw BenchError("tablo-display showed no call within " + std::to_string(timeout.count()) +
                   " s; the end of its log:\n" + tail(dir_.path() + "/display.log"));
}

Shown Hall::shown() const {
  Shown out;
  for (const auto& line : whole_lines(frame_log_)) {
    std::istringstream fields(line);
    std::string zone;
    std::uint64_t seq = 0;
    std::int64_t ns = 0;
    if (fields >> zone >> seq >> ns && zone == "main") out.emplace(seq, ns);
  }
  return out;
}

std::vector<std::int64_t> Hall::frames() const {
  std::vector<std::int64_t> out;
  for (const auto& line : whole_lines(frame_log_)) {
    std::istringstream fields(line);
    std::string word;
    std::int64_t ns = 0;
    if (fields >> word >> ns && word == "frame") out.push_back(ns);
  }
  return out;
}

std::optional<std::int64_t> Hall::wait_shown(std::uint64_t seq, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto log = shown();
    if (auto it = log.find(seq); it != log.end()) return it->second;
    if (Clock::now() >= deadline) return std::nullopt;
    sleep_for(10ms);
  }
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

}  // namespace tablo::bench
