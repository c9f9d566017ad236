// A hub under the open-file limit systemd gives a service (1024) with 1500 subscribers
// connecting: it refuses those past its cap instead of spinning on accept(), and an operator's
// command still gets its answer.
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include <zmq.hpp>

#include "protocol/codec.hpp"
#include "tests/support/process.hpp"

using namespace tablo;
using namespace std::chrono_literals;

namespace {

// CPU seconds (user + system) the process has used so far.
double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);
    if (i == 15) break;
  }
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

}  // namespace

TEST_CASE("1500 subscribers on a hub limited to 1024 open files: the hub stays quiet and answers its operators") {
  constexpr int subscribers = 1500;
  // Each of this test's sockets is two descriptors (the connection and its mailbox).
  rlimit own{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &own) == 0);
  if (own.rlim_max != RLIM_INFINITY && own.rlim_max < 2 * subscribers + 200) {
    WARN("this machine's hard limit of open files (" << own.rlim_max << ") is too low for the test's own sockets");
    return;
  }
  own.rlim_cur = own.rlim_max;
  REQUIRE(::setrlimit(RLIMIT_NOFILE, &own) == 0);

  test::TempDir dir;
  const std::string commands = test::free_endpoint(), events = test::free_endpoint();
  const std::string log = dir.path() + "/hub.log";
  test::Process hub({"/bin/sh", "-c", "ulimit -n 1024; exec \"$@\" >\"" + log + "\" 2>&1", "sh", TABLO_HUB_BIN,
                     "--commands", commands, "--events", events, "--journal", dir.path() + "/journal"});
  auto status = [&](const char* timeout) {
    return test::run({TABLOCTL_BIN, "--hub", commands, "--timeout", timeout, "--retries", "0", "status"}, 10s);
  };
  bool up = false;
  for (auto deadline = std::chrono::steady_clock::now() + 5s; !up && std::chrono::steady_clock::now() < deadline;) {
    up = status("0.2").exit_code == 0;
  }
  REQUIRE(up);

  zmq::context_t context;
  context.set(zmq::ctxopt::max_sockets, subscribers + 100);
  std::vector<zmq::socket_t> subs;
  for (int i = 0; i < subscribers; ++i) {
    auto& sub = subs.emplace_back(context, zmq::socket_type::sub);
    sub.set(zmq::sockopt::linger, 0);
    sub.set(zmq::sockopt::subscribe, "hb/");
    sub.connect(events);
  }
  std::this_thread::sleep_for(3s);  // every connection tried, the cap reached

  const double before = cpu_seconds(hub.pid());
  std::this_thread::sleep_for(3s);
  const double used = (cpu_seconds(hub.pid()) - before) / 3.0;
  INFO("the hub used " << used * 100 << " % of a core with " << subscribers << " subscribers knocking");
  CHECK(used < 0.25);  // it spun at 100 % before; 1–5 % is usual

  const auto answered = status("2");
  INFO(answered.output);
  REQUIRE(answered.exit_code == 0);
  CHECK_THAT(answered.output, Catch::Contains("at most 896 before subscribers are refused"));

  std::ifstream in(log);
  const std::string logged((std::istreambuf_iterator<char>(in)), {});
  INFO(logged);
  CHECK_THAT(logged, Catch::Contains("open files: limit 1024"));
  CHECK_THAT(logged, Catch::Contains("the events socket takes no new connection until some leave"));
  CHECK(hub.running());
}
