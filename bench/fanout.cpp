// bench_fanout: one tablo-hub, hundreds of light subscribers on loopback, a steady rate of
// calls. Prints delivery latency (call sent → event received, over every subscriber), the
// hub's memory, the journal's cost per change (write + fdatasync), and how long after a
// kill -9 and restart of the hub every subscriber is back on the new epoch's board.
// Prints figures; never judges them by its exit code.
#include <CLI/CLI.hpp>
#include <zmq_addon.hpp>

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <thread>

#include "hub/journal.hpp"
#include "protocol/codec.hpp"
#include "protocol/command_client.hpp"
#include "tests/support/process.hpp"

namespace {

using namespace std::chrono_literals;
using namespace tablo::protocol;
using Clock = std::chrono::steady_clock;

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size())))];
}

long rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// A subscriber as light as can be: SUB for the zone and heartbeats, DEALER for snapshots.
struct Subscriber {
  zmq::socket_t sub;
  zmq::socket_t dealer;
  std::uint64_t epoch = 0;
  bool asked = false;
};

// Events carry the ticket "F<n>": the n-th call of the run.
long call_number(std::string_view body) {
  const auto at = body.find("\"ticket\":\"F");
  if (at == std::string_view::npos) return -1;
  return std::strtol(body.data() + at + 11, nullptr, 10);
}

std::uint64_t epoch_of(std::string_view body) {
  const auto at = body.find("\"epoch\":");
  return at == std::string_view::npos ? 0 : std::strtoull(body.data() + at + 8, nullptr, 10);
}

void journal_cost(int changes) {
  tablo::test::TempDir dir;
  tablo::hub::Journal journal(dir.path());
  journal.recover();
  std::vector<double> took;
  for (int i = 0; i < changes; ++i) {
    const tablo::hub::Recorded change{"bench-" + std::to_string(i),
                                      Event{"main", 1, static_cast<std::uint64_t>(i + 1), 1'700'000'000'000,
                                            Change{Called{"F" + std::to_string(i), "3", "Кредиты", ""}}}};
    const auto start = Clock::now();
    journal.append(change);
    took.push_back(ms(Clock::now() - start));
  }
  std::printf("journal append (write + fdatasync), %d changes in %s: p50 %.2f ms  p99 %.2f ms  max %.2f ms\n", changes,
              dir.path().c_str(), percentile(took, 50), percentile(took, 99), percentile(took, 100));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_fanout: delivery to many subscribers, hub memory, journal cost, restart resync"};
  int subscribers = 200, rate = 100, seconds = 60, journal_changes = 1000;
  app.add_option("--subscribers", subscribers, "light SUB subscribers")->check(CLI::Range(1, 480));
  app.add_option("--rate", rate, "calls per second")->check(CLI::Range(1, 2000));
  app.add_option("--seconds", seconds, "how long to send calls")->check(CLI::Range(1, 3600));
  app.add_option("--journal-changes", journal_changes, "changes for the journal cost figure")->check(CLI::Range(1, 100000));
  CLI11_PARSE(app, argc, argv);

  journal_cost(journal_changes);

  tablo::test::TempDir dir;
  const std::string commands = tablo::test::free_endpoint(), events = tablo::test::free_endpoint();
  // One queue system sending for the whole branch: no per-client rate limit.
  std::ofstream(dir.path() + "/tablo.toml") << "[hub]\ncommands_per_second = 0\n";
  const std::vector<std::string> hub_argv{"/bin/sh", "-c", "exec \"$@\" 2>>'" + dir.path() + "/hub.log'", "sh",
                                          TABLO_HUB_BIN, "--config", dir.path() + "/tablo.toml", "--commands", commands,
                                          "--events", events, "--journal", dir.path() + "/journal"};
  auto hub = std::make_unique<tablo::test::Process>(hub_argv);
  std::this_thread::sleep_for(300ms);
  const long rss_start = rss_kib(hub->pid());

  zmq::context_t context(1);
  context.set(zmq::ctxopt::max_sockets, 1024);
  std::vector<Subscriber> subs;
  for (int i = 0; i < subscribers; ++i) {
    Subscriber s{zmq::socket_t(context, zmq::socket_type::sub), zmq::socket_t(context, zmq::socket_type::dealer)};
    for (auto* socket : {&s.sub, &s.dealer}) {
      socket->set(zmq::sockopt::linger, 0);
      socket->set(zmq::sockopt::reconnect_ivl, 250);  // as tablo-display
      socket->set(zmq::sockopt::reconnect_ivl_max, 5000);
    }
    s.sub.set(zmq::sockopt::subscribe, zone_topic("main"));
    s.sub.set(zmq::sockopt::subscribe, heartbeat_topic);
    s.sub.connect(events);
    s.dealer.connect(commands);
    subs.push_back(std::move(s));
  }

  const int calls = rate * seconds;
  std::vector<Clock::time_point> sent(static_cast<std::size_t>(calls) + 1);
  std::vector<double> latencies, replies;
  latencies.reserve(static_cast<std::size_t>(calls) * static_cast<std::size_t>(subscribers));
  std::atomic<bool> sending{false}, done{false};
  std::atomic<int> joined{0};
  long rss_peak = rss_start;

  // Every subscriber must hear the hub before the clock starts.
  std::thread operator_desk([&] {
    while (joined < subscribers) std::this_thread::sleep_for(10ms);
    zmq::context_t own;
    CommandClient client(own, commands);
    sending = true;
    const auto start = Clock::now();
    for (int n = 1; n <= calls; ++n) {
      std::this_thread::sleep_until(start + std::chrono::microseconds(1'000'000LL * n / rate));
      sent[static_cast<std::size_t>(n)] = Clock::now();
      auto reply = client.request(Command{"", "main", Change{Called{"F" + std::to_string(n), "3", "", ""}}}, 2s);
      if (reply && std::holds_alternative<Accepted>(reply->answer)) {
        replies.push_back(ms(Clock::now() - sent[static_cast<std::size_t>(n)]));
      }
    }
    std::this_thread::sleep_for(500ms);
    done = true;
  });

  // Phase 1: delivery. Phase 2 (after the kill): resynchronisation.
  std::vector<zmq::pollitem_t> items;
  for (auto& s : subs) items.push_back({s.sub.handle(), 0, ZMQ_POLLIN, 0});
  for (auto& s : subs) items.push_back({s.dealer.handle(), 0, ZMQ_POLLIN, 0});
  std::vector<bool> heard(static_cast<std::size_t>(subscribers), false);
  std::uint64_t old_epoch = 0;
  bool restarting = false;
  Clock::time_point killed, restarted;
  int resynced = 0;
  double first_resync_ms = 0, last_resync_ms = 0;
  auto last_rss = Clock::now();

  while (true) {
    zmq::poll(items.data(), items.size(), 100ms);
    const auto now = Clock::now();
    for (std::size_t i = 0; i < subs.size(); ++i) {
      auto& s = subs[i];
      if (items[i].revents & ZMQ_POLLIN) {
        std::vector<zmq::message_t> parts;
        while (zmq::recv_multipart(s.sub, std::back_inserter(parts), zmq::recv_flags::dontwait)) {
          const auto body = parts.back().to_string_view();
          if (!heard[i]) heard[i] = true, ++joined;
          const auto epoch = epoch_of(body);
          if (s.epoch == 0) s.epoch = epoch;
          if (restarting && epoch != old_epoch && !s.asked) {  // a new epoch: take its board
            s.dealer.send(zmq::buffer(encode(Command{"r", "main", SnapshotRequest{}})), zmq::send_flags::dontwait);
            s.asked = true;
          }
          if (sending && !restarting) {
            const long n = call_number(body);
            if (n > 0 && n <= calls) latencies.push_back(ms(now - sent[static_cast<std::size_t>(n)]));
          }
          parts.clear();
        }
      }
      if (items[subs.size() + i].revents & ZMQ_POLLIN) {
        zmq::message_t reply;
        while (s.dealer.recv(reply, zmq::recv_flags::dontwait)) {
          auto decoded = decode_reply(reply.to_string_view());
          const auto* snap = decoded ? std::get_if<Snapshot>(&decoded->answer) : nullptr;
          if (restarting && snap && snap->epoch != old_epoch && s.epoch == old_epoch) {
            s.epoch = snap->epoch;
            last_resync_ms = ms(now - restarted);
            if (++resynced == 1) first_resync_ms = last_resync_ms;
          }
        }
      }
    }
    if (now - last_rss > 1s) {
      rss_peak = std::max(rss_peak, rss_kib(hub->pid()));
      last_rss = now;
    }
    if (!restarting && done) {
      operator_desk.join();
      rss_peak = std::max(rss_peak, rss_kib(hub->pid()));
      old_epoch = subs.front().epoch;
      for (auto& s : subs) s.epoch = old_epoch;
      restarting = true;
      hub->signal(SIGKILL);
      hub->wait(2s);
      killed = Clock::now();
      hub = std::make_unique<tablo::test::Process>(hub_argv);
      restarted = Clock::now();
    }
    if (restarting && (resynced == subscribers || now - restarted > 30s)) break;
  }

  std::printf("subscribers %d, %d calls at %d/s for %d s\n", subscribers, calls, rate, seconds);
  std::printf("call sent -> hub reply (journal included):      p50 %.2f ms  p99 %.2f ms  max %.2f ms  (%zu accepted)\n",
              percentile(replies, 50), percentile(replies, 99), percentile(replies, 100), replies.size());
  std::printf("call sent -> event at a subscriber (%zu of %lld): p50 %.2f ms  p99 %.2f ms  max %.2f ms\n",
              latencies.size(), static_cast<long long>(calls) * subscribers, percentile(latencies, 50),
              percentile(latencies, 99), percentile(latencies, 100));
  std::printf("hub RSS: %ld KiB at start, %ld KiB at most\n", rss_start, rss_peak);
  std::printf("hub kill -9 and restart (same journal, %d calls on it): %d of %d subscribers on the new epoch's board, "
              "first after %.0f ms, last after %.0f ms from the restart\n",
              calls, resynced, subscribers, first_resync_ms, last_resync_ms);
  return 0;
}
