#pragma once
// CPU time as the kernel counts it, read from /proc: of one process, and of the whole
// machine, to say how busy everything else kept the cores during a measurement.
#include <sys/types.h>

#include <chrono>
#include <string>

namespace tablo::bench {

struct CpuUse {
  double stat_seconds = 0;      // utime + stime of /proc/PID/stat: whole clock ticks (10 ms here)
  double on_cpu_seconds = 0;    // sum of its threads' /proc/PID/task/*/schedstat, in ns
  long main_thread_sleeps = 0;  // voluntary context switches of its main thread

  static CpuUse of(pid_t pid);
  CpuUse operator-(const CpuUse& o) const;
};

// The first line of /proc/stat, in seconds summed over all cores.
struct MachineUse {
  double busy_seconds = 0;   // user, nice, system, irq, softirq
  double steal_seconds = 0;  // taken by the hypervisor for other guests
  static MachineUse now();
  MachineUse operator-(const MachineUse& o) const;
};

// What the hall's two programs, this benchmark and the machine used over some seconds.
struct HallCpu {
  double seconds = 0;
  CpuUse display, hub, bench;
  MachineUse machine;
  // "busy 23.1 % of 2 cores: 14.0 % ours, 9.1 % other processes; steal 0.0 %"
  std::string describe_machine() const;
};

// Counts from its construction on.
class CpuMeter {
 public:
  CpuMeter(pid_t display, pid_t hub);
  HallCpu read() const;

 private:
  pid_t display_pid_, hub_pid_;
  std::chrono::steady_clock::time_point start_;
  CpuUse display_, hub_, bench_;
  MachineUse machine_;
};

}  // namespace tablo::bench
