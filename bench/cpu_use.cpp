#include "bench/cpu_use.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace tablo::bench {
namespace {

double tick_seconds() { return 1.0 / static_cast<double>(::sysconf(_SC_CLK_TCK)); }

}  // namespace

CpuUse CpuUse::of(pid_t pid) {
  const std::string proc = "/proc/" + std::to_string(pid);
  CpuUse use;
  std::ifstream stat_file(proc + "/stat");
  const std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
  // Fields after the command name, which is in parentheses and may hold spaces: state is
  // field 3, utime 14, stime 15.
  std::istringstream fields(stat.substr(stat.rfind(')') + 1));
  std::string field;
  double ticks = 0;
  for (int n = 3; n <= 15 && fields >> field; ++n) {
    if (n == 14 || n == 15) ticks += std::stod(field);
  }
  use.stat_seconds = ticks * tick_seconds();

  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator(proc + "/task", ec)) {
    std::ifstream schedstat(task.path() / "schedstat");
    double ns = 0;
    if (schedstat >> ns) use.on_cpu_seconds += ns / 1e9;
  }
  std::ifstream status(proc + "/task/" + std::to_string(pid) + "/status");
  const std::string key = "voluntary_ctxt_switches:";
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(key, 0) == 0) use.main_thread_sleeps = std::stol(line.substr(key.size()));
  }
  return use;
}

MachineUse MachineUse::now() {
  std::ifstream stat("/proc/stat");
  std::string cpu;
  double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  stat >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
  return {(user + nice + system + irq + softirq) * tick_seconds(), steal * tick_seconds()};
}

CpuUse CpuUse::operator-(const CpuUse& o) const {
  return {stat_seconds - o.stat_seconds, on_cpu_seconds - o.on_cpu_seconds, main_thread_sleeps - o.main_thread_sleeps};
}

MachineUse MachineUse::operator-(const MachineUse& o) const {
  return {busy_seconds - o.busy_seconds, steal_seconds - o.steal_seconds};
}

std::string HallCpu::describe_machine() const {
  const double cores = static_cast<double>(std::thread::hardware_concurrency());
  const double per_percent = cores * seconds / 100.0;  // CPU seconds in one percent of the machine
  const double ours = display.stat_seconds + hub.stat_seconds + bench.stat_seconds;
  char out[160];
  std::snprintf(out, sizeof out, "busy %.1f %% of %.0f cores: %.1f %% ours, %.1f %% other processes; steal %.1f %%",
                machine.busy_seconds / per_percent, cores, ours / per_percent,
                std::max(0.0, machine.busy_seconds - ours) / per_percent, machine.steal_seconds / per_percent);
  return out;
}

CpuMeter::CpuMeter(pid_t display, pid_t hub)
    : display_pid_(display),
      hub_pid_(hub),
      start_(std::chrono::steady_clock::now()),
      display_(CpuUse::of(display)),
      hub_(CpuUse::of(hub)),
      bench_(CpuUse::of(::getpid())),
      machine_(MachineUse::now()) {}

HallCpu CpuMeter::read() const {
  return {std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(),
          CpuUse::of(display_pid_) - display_, CpuUse::of(hub_pid_) - hub_, CpuUse::of(::getpid()) - bench_,
          MachineUse::now() - machine_};
}

}  // namespace tablo::bench
