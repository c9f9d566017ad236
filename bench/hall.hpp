#pragma once
// A hall for a benchmark: a real tablo-hub and one real headless tablo-display
// (1920×1080, software renderer) on free loopback ports, each logging into a temp folder,
// the screen writing its frame log there. Stopped (SIGTERM, then SIGKILL) when destroyed.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <zmq.hpp>

#include "protocol/command_client.hpp"
#include "protocol/messages.hpp"
#include "tests/support/process.hpp"

namespace tablo::bench {

// Something a benchmark cannot go on after: a program died, would not start, or the run
// was interrupted. The message says what, and quotes the end of the program's log.
struct BenchError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// SIGINT and SIGTERM end the benchmark through a BenchError, so the hall is stopped.
void stop_on_signals();

// When each change (by seq, zone "main") was first presented: steady_clock ns.
using Shown = std::map<std::uint64_t, std::int64_t>;

class Hall {
 public:
  // `display_settings`: TOML lines added to the [display] section of the shared config;
  // `announcement_settings`: the [announcements] section (by default none are made);
  // `display_arguments`: more of tablo-display's command line (--screenshot-every…);
  // `display_program`: another tablo-display to run (another tree's, for a comparison), or
  // empty for the one built with the benchmark.
  explicit Hall(const std::string& display_settings = "", const std::string& announcement_settings = "mode = \"off\"",
                const std::vector<std::string>& display_arguments = {}, const std::string& display_program = "");
  Hall(const Hall&) = delete;
  Hall& operator=(const Hall&) = delete;

  // Sends one change to zone "main"; the hub's Accepted, or a BenchError.
  protocol::Accepted send(protocol::Change change, std::chrono::milliseconds timeout = std::chrono::seconds(2));

  // Waits until the screen holds the hub's board and logs what it shows: calls are sent
  // until one shows up, and once more after the display's post-connect resnapshot (first
  // heartbeat), which would otherwise swallow a change. Their calls stay on the board.
  void wait_until_ready(std::chrono::seconds timeout = std::chrono::seconds(20));

  // The frame log as it stands.
  Shown shown() const;
  // When each frame was presented (steady_clock ns), as far as the frame log is written: the
  // screen flushes it when it shows a change.
  std::vector<std::int64_t> frames() const;
  // Waits until `seq` is in the frame log; its presented_ns, or nullopt after `timeout`.
  std::optional<std::int64_t> wait_shown(std::uint64_t seq, std::chrono::milliseconds timeout);

  // Throws a BenchError if a program has died or the run was interrupted.
  void check();
  void sleep_for(std::chrono::milliseconds d);

  pid_t hub_pid() const { return hub_.pid(); }
  pid_t display_pid() const { return display_.pid(); }
  // The temp folder the programs log into; removed with the hall.
  std::string dir() const { return dir_.path(); }
  const std::string& commands() const { return commands_; }  // the hub's command endpoint

 private:
  test::TempDir dir_;
  std::string config_, frame_log_, commands_, events_;
  test::Process hub_, display_;
  zmq::context_t context_;
  protocol::CommandClient client_;
  int warm_up_tickets_ = 0;
};

// Nearest-rank percentile, p in [0, 100], of an unsorted list; 0 when empty.
double percentile(std::vector<double> values, double p);

}  // namespace tablo::bench
