// bench_fanout: one tablo-hub, up to thousands of light subscribers on loopback, a steady rate
// of calls. The subscribers live in several worker processes (descriptor limit raised to the
// hard one, sockets watched with epoll, each SUB a ZMTP subscriber of its own:
// bench/zmtp_subscriber.hpp), so the benchmark is not what runs out first. Prints: every event delivered (counted per
// subscriber), call sent → event at a subscriber, the hub's memory and CPU, how fast the hub
// answers every subscriber asking for a snapshot at once, and how long after a kill -9 and
// restart of the hub (same journal) every subscriber is back on the new epoch's board. The
// journal's cost per change (write + fdatasync) first. Prints figures; never judges them by
// its exit code.
#include <CLI/CLI.hpp>
#include <zmq_addon.hpp>

#include <signal.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <thread>

#include "bench/cpu_use.hpp"
#include "bench/zmtp_subscriber.hpp"
#include "hub/journal.hpp"
#include "protocol/codec.hpp"
#include "protocol/command_client.hpp"
#include "tests/support/process.hpp"

namespace {

using namespace std::chrono_literals;
using namespace tablo::protocol;
using Clock = std::chrono::steady_clock;

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }
std::int64_t now_ns() { return Clock::now().time_since_epoch() / 1ns; }

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

// Zeroed memory that the workers forked later share with this process.
template <class T>
T* shared(std::size_t n) {
  void* p = ::mmap(nullptr, std::max<std::size_t>(1, n) * sizeof(T), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::runtime_error("mmap failed");
  return static_cast<T*>(p);
}
template <class T>
std::atomic_ref<T> at(T& value) {
  return std::atomic_ref<T>(value);
}

// Latencies in 10 µs steps up to 2 s (later ones in the last step), one histogram per worker.
constexpr std::int64_t step_ns = 10'000;
constexpr std::size_t steps = 200'000;

enum Phase : int { joining, delivering, asking, restarting, finished };

// What the operator's side and the workers share.
struct Run {
  int subscribers = 0, workers = 0, calls = 0;
  // Control, written by the operator's side.
  int* phase = nullptr;
  std::uint64_t* old_epoch = nullptr;
  std::int64_t* ask_at_ns = nullptr;  // when every subscriber asks for a snapshot at once
  std::int64_t* sent_ns = nullptr;    // [calls + 1]: when call n was sent
  // Written by the workers.
  int* heard = nullptr;       // subscribers that heard the hub
  int* counted = nullptr;     // workers done counting deliveries
  int* resynced = nullptr;    // subscribers on the new epoch's board
  std::uint32_t* delivered = nullptr;  // [subscribers]
  std::int64_t* answered_ns = nullptr;  // [subscribers]: when the snapshot asked for at ask_at_ns came
  std::int64_t* resync_ns = nullptr;    // [subscribers]: when the new epoch's board came
  std::uint64_t* latency = nullptr;     // [workers][steps]
  double* cpu_seconds = nullptr;        // [workers]
};

Run make_run(int subscribers, int workers, int calls) {
  Run r{subscribers, workers, calls};
  r.phase = shared<int>(1);
  r.old_epoch = shared<std::uint64_t>(1);
  r.ask_at_ns = shared<std::int64_t>(1);
  r.sent_ns = shared<std::int64_t>(static_cast<std::size_t>(calls) + 1);
  r.heard = shared<int>(1);
  r.counted = shared<int>(1);
  r.resynced = shared<int>(1);
  r.delivered = shared<std::uint32_t>(static_cast<std::size_t>(subscribers));
  r.answered_ns = shared<std::int64_t>(static_cast<std::size_t>(subscribers));
  r.resync_ns = shared<std::int64_t>(static_cast<std::size_t>(subscribers));
  r.latency = shared<std::uint64_t>(static_cast<std::size_t>(workers) * steps);
  r.cpu_seconds = shared<double>(static_cast<std::size_t>(workers));
  return r;
}

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

// A subscriber as light as can be: a ZMTP SUB of its own for the zone and heartbeats, a
// DEALER for snapshots; both reconnect as tablo-display's do (100 ms, no backoff).
struct Subscriber {
  tablo::bench::ZmtpSubscriber sub;
  zmq::socket_t dealer;
  bool heard = false, asked_new_epoch = false;
};

// One worker process: subscribers [first, first + count) until the run is finished.
void work(const Run& run, int worker, int first, int count, const std::string& commands, const std::string& events) {
  zmq::context_t context(1);
  context.set(zmq::ctxopt::max_sockets, count + 64);
  std::vector<Subscriber> subs;
  const int poller = ::epoll_create1(0);
  // epoll's data: 2 i for subscriber i's SUB, 2 i + 1 for its DEALER, whose ZMQ_FD says "look
  // at me" (level-triggered, and every look reads to the end).
  auto watch = [&](int fd, std::uint64_t what) {
    epoll_event e{EPOLLIN, {.u64 = what}};
    ::epoll_ctl(poller, EPOLL_CTL_ADD, fd, &e);
  };
  for (int i = 0; i < count; ++i) {
    Subscriber s{tablo::bench::ZmtpSubscriber(events, {zone_topic("main"), std::string(heartbeat_topic)}),
                 zmq::socket_t(context, zmq::socket_type::dealer)};
    s.dealer.set(zmq::sockopt::linger, 0);
    s.dealer.connect(commands);
    watch(s.dealer.get(zmq::sockopt::fd), 2 * static_cast<std::uint64_t>(i) + 1);
    subs.push_back(std::move(s));
  }
  std::uint64_t* latency = run.latency + static_cast<std::size_t>(worker) * steps;
  const std::string ask = encode(Command{"bench", "main", SnapshotRequest{}});
  bool counted = false, asked = false;

  auto read_sub = [&](int i) {
    auto& s = subs[static_cast<std::size_t>(i)];
    const std::int64_t now = now_ns();
    s.sub.read(now, [&](std::string_view body) {
      if (!s.heard) s.heard = true, at(*run.heard).fetch_add(1);
      const int phase = at(*run.phase).load();
      if (phase == delivering) {
        const long n = call_number(body);
        if (n > 0 && n <= run.calls) {
          const std::int64_t sent = at(run.sent_ns[n]).load();
          latency[std::min<std::size_t>(steps - 1, static_cast<std::size_t>(std::max<std::int64_t>(0, now - sent) / step_ns))]++;
          at(run.delivered[first + i]).fetch_add(1, std::memory_order_relaxed);
        }
      }
      if (phase == restarting && !s.asked_new_epoch) {  // a new epoch, from a heartbeat or an event: take its board
        const auto epoch = epoch_of(body);
        if (epoch != 0 && epoch != at(*run.old_epoch).load()) {
          s.dealer.send(zmq::buffer(ask), zmq::send_flags::dontwait);
          s.asked_new_epoch = true;
        }
      }
    });
  };
  auto read_dealer = [&](int i) {
    auto& s = subs[static_cast<std::size_t>(i)];
    zmq::message_t reply;
    while (s.dealer.recv(reply, zmq::recv_flags::dontwait)) {
      const std::int64_t now = now_ns();
      auto decoded = decode_reply(reply.to_string_view());
      const auto* snap = decoded ? std::get_if<Snapshot>(&decoded->answer) : nullptr;
      if (!snap) continue;
      if (snap->epoch == at(*run.old_epoch).load() || at(*run.phase).load() < restarting) {
        at(run.answered_ns[first + i]).store(now);
      } else if (at(run.resync_ns[first + i]).load() == 0) {
        at(run.resync_ns[first + i]).store(now);
        at(*run.resynced).fetch_add(1);
      }
    }
  };
  auto read_dealers = [&] {
    for (int i = 0; i < count; ++i) read_dealer(i);
  };

  auto last_sweep = Clock::now();
  std::vector<epoll_event> ready(256);
  while (at(*run.phase).load() != finished) {
    for (int i = 0; i < count; ++i) {
      auto& sub = subs[static_cast<std::size_t>(i)].sub;
      if (sub.connect_if_due(now_ns())) watch(sub.fd(), 2 * static_cast<std::uint64_t>(i));
    }
    const int n = ::epoll_wait(poller, ready.data(), static_cast<int>(ready.size()), 20);
    for (int k = 0; k < n; ++k) {
      const int i = static_cast<int>(ready[static_cast<std::size_t>(k)].data.u64 / 2);
      if (ready[static_cast<std::size_t>(k)].data.u64 % 2 == 0) read_sub(i);
      else read_dealer(i);
    }
    // A send can take in what made a DEALER readable: now and then, look at every one.
    if (Clock::now() - last_sweep > 100ms) read_dealers(), last_sweep = Clock::now();
    const int phase = at(*run.phase).load();
    if (phase >= asking && !counted) counted = true, at(*run.counted).fetch_add(1);
    if (phase == asking && !asked && now_ns() >= at(*run.ask_at_ns).load()) {
      asked = true;
      for (auto& s : subs) s.dealer.send(zmq::buffer(ask), zmq::send_flags::dontwait);
      read_dealers();
    }
  }
  rusage use{};
  ::getrusage(RUSAGE_SELF, &use);
  run.cpu_seconds[worker] = static_cast<double>(use.ru_utime.tv_sec + use.ru_stime.tv_sec) +
                            static_cast<double>(use.ru_utime.tv_usec + use.ru_stime.tv_usec) / 1e6;
  ::close(poller);
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

// Raises this process's open-file limit (and so its children's: the workers', the hub's) to the hard one.
rlim_t raise_descriptor_limit() {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
  return limit.rlim_cur;
}

// Waits until `done` or `within` passed, sampling the hub's RSS; false on time out.
template <class Done>
bool wait_for(Done done, Clock::duration within, pid_t hub, long& rss_peak) {
  for (const auto until = Clock::now() + within; !done(); std::this_thread::sleep_for(5ms)) {
    if (Clock::now() > until) return false;
    rss_peak = std::max(rss_peak, rss_kib(hub));
  }
  return true;
}

// The first, p50, p99 and the largest of `ns` (0 = never) counted from `from_ns`, and how many came.
std::string spread(const std::int64_t* ns, int n, std::int64_t from_ns) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) {
    if (ns[i] != 0) v.push_back(static_cast<double>(ns[i] - from_ns) / 1e6);
  }
  char out[160];
  std::snprintf(out, sizeof out, "%zu of %d: first %.0f ms  p50 %.0f ms  p99 %.0f ms  max %.0f ms", v.size(), n,
                percentile(v, 0), percentile(v, 50), percentile(v, 99), percentile(v, 100));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_fanout: delivery to many subscribers, hub memory and CPU, snapshots, restart resync"};
  int subscribers = 200, workers = 0, rate = 100, seconds = 60, journal_changes = 1000;
  app.add_option("--subscribers", subscribers, "light SUB subscribers")->check(CLI::Range(1, 20000));
  app.add_option("--workers", workers, "processes holding the subscribers (default: one per 250)")->check(CLI::Range(0, 64));
  app.add_option("--rate", rate, "calls per second")->check(CLI::Range(1, 2000));
  app.add_option("--seconds", seconds, "how long to send calls")->check(CLI::Range(1, 3600));
  app.add_option("--journal-changes", journal_changes, "changes for the journal cost figure")->check(CLI::Range(1, 100000));
  CLI11_PARSE(app, argc, argv);
  if (workers == 0) workers = (subscribers + 249) / 250;
  workers = std::min(workers, subscribers);

  const rlim_t descriptors = raise_descriptor_limit();
  journal_cost(journal_changes);

  tablo::test::TempDir dir;
  const std::string commands = tablo::test::free_endpoint(), events = tablo::test::free_endpoint();
  // One queue system sending for the whole branch: no per-client rate limit.
  std::ofstream(dir.path() + "/tablo.toml")
      << "[hub]\ncommands_per_second = 0\n[hub.media]\nlisten = \"\"\n[hub.metrics]\nlisten = \"\"\n";
  const std::vector<std::string> hub_argv{"/bin/sh", "-c", "exec \"$@\" 2>>'" + dir.path() + "/hub.log'", "sh",
                                          TABLO_HUB_BIN, "--config", dir.path() + "/tablo.toml", "--commands", commands,
                                          "--events", events, "--journal", dir.path() + "/journal"};
  auto hub = std::make_unique<tablo::test::Process>(hub_argv);
  std::this_thread::sleep_for(300ms);
  const long rss_start = rss_kib(hub->pid());

  // The workers, forked before this process makes a ZeroMQ context of its own.
  const int calls = rate * seconds;
  const Run run = make_run(subscribers, workers, calls);
  std::vector<pid_t> worker_pids;
  for (int w = 0, first = 0; w < workers; ++w) {
    const int count = subscribers / workers + (w < subscribers % workers ? 1 : 0);
    const pid_t pid = ::fork();
    if (pid == 0) {
      work(run, w, first, count, commands, events);
      std::_Exit(0);
    }
    worker_pids.push_back(pid);
    first += count;
  }
  std::printf("subscribers %d in %d worker processes, open-file limit %llu; %d calls at %d/s for %d s\n", subscribers,
              workers, static_cast<unsigned long long>(descriptors), calls, rate, seconds);
  std::fflush(stdout);

  long rss_peak = rss_start;
  // Every subscriber must hear the hub before the clock starts.
  if (!wait_for([&] { return at(*run.heard).load() == subscribers; }, 60s + 20ms * subscribers, hub->pid(), rss_peak)) {
    std::printf("only %d of %d subscribers heard the hub within the time allowed\n", at(*run.heard).load(), subscribers);
  }

  // The operator's desk: calls at a steady rate from this process, each sent on time whether or
  // not the replies to earlier ones came (a DEALER may have many in flight).
  std::vector<double> replies;
  const auto hub_cpu_before = tablo::bench::CpuUse::of(hub->pid());
  const auto machine_before = tablo::bench::MachineUse::now();
  const auto started = Clock::now();
  double sending_s = 0;
  tablo::bench::CpuUse hub_cpu;
  tablo::bench::MachineUse machine;
  {
    zmq::context_t own;
    zmq::socket_t desk(own, zmq::socket_type::dealer);
    desk.set(zmq::sockopt::linger, 0);
    desk.connect(commands);
    at(*run.phase).store(delivering);
    auto take_replies = [&](Clock::time_point until) {
      for (;;) {
        zmq::pollitem_t item{desk.handle(), 0, ZMQ_POLLIN, 0};
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now());
        if (zmq::poll(&item, 1, std::max(0ms, left)) == 0) return;
        zmq::message_t body;
        while (desk.recv(body, zmq::recv_flags::dontwait)) {
          auto reply = decode_reply(body.to_string_view());
          if (!reply || !std::holds_alternative<Accepted>(reply->answer)) continue;
          const long n = std::strtol(reply->id.c_str() + 1, nullptr, 10);  // "c<n>"
          if (n > 0 && n <= calls) replies.push_back(static_cast<double>(now_ns() - at(run.sent_ns[n]).load()) / 1e6);
        }
      }
    };
    auto last_rss = Clock::now();
    for (int n = 1; n <= calls; ++n) {
      take_replies(started + std::chrono::microseconds(1'000'000LL * n / rate));
      at(run.sent_ns[n]).store(now_ns());
      desk.send(zmq::buffer(encode(Command{"c" + std::to_string(n), "main", Change{Called{"F" + std::to_string(n), "3", "", ""}}})),
                zmq::send_flags::dontwait);
      if (Clock::now() - last_rss > 1s) rss_peak = std::max(rss_peak, rss_kib(hub->pid())), last_rss = Clock::now();
    }
    sending_s = std::chrono::duration<double>(Clock::now() - started).count();
    hub_cpu = tablo::bench::CpuUse::of(hub->pid()) - hub_cpu_before;
    machine = tablo::bench::MachineUse::now() - machine_before;
    take_replies(Clock::now() + 2s);
  }
  // The last events on their way, then the workers stop counting.
  const std::uint64_t expected = static_cast<std::uint64_t>(calls);
  wait_for([&] {
    for (int i = 0; i < subscribers; ++i) if (at(run.delivered[i]).load() < expected) return false;
    return true;
  }, 5s, hub->pid(), rss_peak);
  at(*run.ask_at_ns).store(now_ns() + (200ms / 1ns));
  at(*run.phase).store(asking);
  wait_for([&] { return at(*run.counted).load() == workers; }, 10s, hub->pid(), rss_peak);

  std::uint64_t delivered = 0, fewest = UINT64_MAX, most = 0;
  int complete = 0;
  for (int i = 0; i < subscribers; ++i) {
    const std::uint64_t d = at(run.delivered[i]).load();
    delivered += d, fewest = std::min(fewest, d), most = std::max(most, d);
    complete += d == expected ? 1 : 0;
  }
  std::vector<std::uint64_t> histogram(steps, 0);
  for (int w = 0; w < workers; ++w) {
    for (std::size_t s = 0; s < steps; ++s) histogram[s] += run.latency[static_cast<std::size_t>(w) * steps + s];
  }
  auto latency_at = [&](double p) {  // the upper edge of the step holding the p-th percentile, in ms
    const auto wanted = static_cast<std::uint64_t>(p / 100.0 * static_cast<double>(delivered));
    std::uint64_t seen = 0;
    for (std::size_t s = 0; s < steps; ++s) {
      seen += histogram[s];
      if (seen > wanted || (p >= 100 && seen == delivered)) return static_cast<double>((s + 1) * step_ns) / 1e6;
    }
    return 0.0;
  };

  // Everyone asks for the board at once.
  const std::int64_t ask_at = at(*run.ask_at_ns).load();
  wait_for([&] {
    for (int i = 0; i < subscribers; ++i) if (at(run.answered_ns[i]).load() == 0) return false;
    return true;
  }, 20s, hub->pid(), rss_peak);
  const std::string answered = spread(run.answered_ns, subscribers, ask_at);

  // kill -9, and the same hub started again on the same journal.
  {
    zmq::context_t own;
    CommandClient client(own, commands);
    auto reply = client.request(Command{"", "main", SnapshotRequest{}}, 2s);
    if (reply && std::holds_alternative<Snapshot>(reply->answer)) *run.old_epoch = std::get<Snapshot>(reply->answer).epoch;
  }
  at(*run.phase).store(restarting);
  hub->signal(SIGKILL);
  hub->wait(2s);
  const std::int64_t killed = now_ns();
  hub = std::make_unique<tablo::test::Process>(hub_argv);
  const std::int64_t restarted = now_ns();
  wait_for([&] { return at(*run.resynced).load() == subscribers; }, 30s, hub->pid(), rss_peak);
  const std::string resync = spread(run.resync_ns, subscribers, restarted);
  const long rss_after_restart = rss_kib(hub->pid());

  at(*run.phase).store(finished);
  for (pid_t pid : worker_pids) ::waitpid(pid, nullptr, 0);
  double workers_cpu = 0;
  for (int w = 0; w < workers; ++w) workers_cpu += run.cpu_seconds[w];

  const double cores = static_cast<double>(std::thread::hardware_concurrency());
  std::printf("machine during the calls: busy %.0f %% of %.0f cores (hub %.0f %%, the rest this benchmark and other "
              "processes); steal %.1f %%\n",
              100.0 * machine.busy_seconds / (cores * sending_s), cores, 100.0 * hub_cpu.stat_seconds / (cores * sending_s),
              100.0 * machine.steal_seconds / (cores * sending_s));
  std::printf("call sent -> hub reply (journal included): p50 %.2f ms  p99 %.2f ms  max %.2f ms  (%zu of %d accepted)\n",
              percentile(replies, 50), percentile(replies, 99), percentile(replies, 100), replies.size(), calls);
  std::printf("events delivered: %llu of %llu; per subscriber fewest %llu, most %llu; %d of %d subscribers got every one\n",
              static_cast<unsigned long long>(delivered), static_cast<unsigned long long>(expected) * subscribers,
              static_cast<unsigned long long>(fewest), static_cast<unsigned long long>(most), complete, subscribers);
  std::printf("call sent -> event at a subscriber: p50 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  max %.2f ms (10 us steps)\n",
              latency_at(50), latency_at(99), latency_at(99.9), latency_at(100));
  std::printf("hub CPU during the calls: %.1f %% of one core (%.1f s in %.1f s); RSS %ld KiB at start, %ld KiB at most, "
              "%ld KiB after the restart\n",
              100.0 * hub_cpu.stat_seconds / sending_s, hub_cpu.stat_seconds, sending_s, rss_start, rss_peak,
              rss_after_restart);
  std::printf("benchmark's workers: %.1f s of CPU in all\n", workers_cpu);
  std::printf("every subscriber asks for a snapshot at once: answered %s\n", answered.c_str());
  std::printf("hub kill -9 and restart (same journal, %d calls on it; restarted %.0f ms after the kill): back on the new "
              "epoch's board %s from the restart\n",
              calls, static_cast<double>(restarted - killed) / 1e6, resync.c_str());
  return 0;
}
