#pragma once
// Child processes for integration tests: the real tablo-hub, tablo-display and tabloctl.
#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace tablo::test {

// A program running in the background; stopped (SIGTERM, then SIGKILL) when destroyed.
class Process {
 public:
  explicit Process(std::vector<std::string> argv, std::vector<std::string> extra_env = {});
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int sig) const;
  // Exit status once it ended within `timeout`, -1 when it is still running.
  int wait(std::chrono::milliseconds timeout);
  bool running();

 private:
  pid_t pid_ = -1;
  int status_ = -1;
};

struct Ran {
  int exit_code = -1;  // -1: killed after the timeout
  std::string output;  // stdout and stderr together
};

// Runs a program to its end (or kills it after `timeout`) and collects what it printed.
Ran run(const std::vector<std::string>& argv, std::chrono::milliseconds timeout = std::chrono::seconds(10));

// A loopback TCP endpoint with a port that was free a moment ago.
std::string free_endpoint();

// A fresh empty directory under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace tablo::test
