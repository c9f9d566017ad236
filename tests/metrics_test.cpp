// Metrics: the exposition format, and both endpoints scraped over real HTTP from a real
// tablo-hub and a headless tablo-display on loopback.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

#include <prometheus/text_serializer.h>

#include "hub/metrics_page.hpp"
#include "metrics/exposition.hpp"
#include "tests/support/process.hpp"

using namespace tablo;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

// "127.0.0.1:PORT" that was free a moment ago.
std::string free_listen_address() { return test::free_endpoint().substr(std::string("tcp://").size()); }

int port_of(const std::string& listen) { return std::stoi(listen.substr(listen.rfind(':') + 1)); }

// GET /metrics as any scraper does; the body, or "" when nothing answers.
std::string scrape(const std::string& listen) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port_of(listen)));
  std::string response;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const std::string request = "GET /metrics HTTP/1.0\r\nHost: " + listen + "\r\n\r\n";
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
      char buffer[4096];
      for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) response.append(buffer, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  const auto body = response.find("\r\n\r\n");
  if (response.rfind("HTTP/1.", 0) != 0 || body == std::string::npos) return {};
  // prometheus-cpp says "text/plain; charset=utf-8": Prometheus reads that as the text format 0.0.4.
  REQUIRE_THAT(response.substr(0, body), Contains(" 200 ") && Contains("Content-Type: text/plain"));
  return response.substr(body + 4);
}

// Every line a comment or `name{labels} value`; the samples by "name{labels}". Fails the test
// on a line that Prometheus would not read.
std::map<std::string, double> parse(const std::string& page) {
  static const std::regex sample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*"(,[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*")*\})?) ([-+0-9.eEInfNa]+))");
  static const std::regex type(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped))");
  std::map<std::string, double> samples;
  std::istringstream lines(page);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (line.rfind("# HELP ", 0) == 0) continue;
    if (std::regex_match(line, m, type)) {
      if (m[2] == "counter") CHECK_THAT(m[1].str(), Catch::EndsWith("_total"));
      continue;
    }
    INFO("line: " << line);
    REQUIRE(std::regex_match(line, m, sample));
    samples[m[1]] = std::stod(m[6]);
  }
  return samples;
}

// The page once `ok` holds for it; fails the test after a few seconds.
std::map<std::string, double> metrics_where(const std::string& listen, const std::string& what,
                                            const std::function<bool(std::map<std::string, double>&)>& ok) {
  std::map<std::string, double> last;
  for (auto deadline = std::chrono::steady_clock::now() + 10s; std::chrono::steady_clock::now() < deadline;) {
    if (auto page = scrape(listen); !page.empty()) {
      last = parse(page);
      if (ok(last)) return last;
    }
    std::this_thread::sleep_for(50ms);
  }
  FAIL("the metrics never showed: " << what);
  return last;
}

struct Branch {
  test::TempDir dir;
  std::string commands = test::free_endpoint();
  std::string events = test::free_endpoint();
  std::string hub_metrics = free_listen_address();
  std::string screen_metrics = free_listen_address();
  std::string config = dir.path() + "/tablo.toml";
  std::unique_ptr<test::Process> hub, screen;

  Branch() {
    std::ofstream(config) << "[hub.metrics]\nlisten = \"" << hub_metrics << "\"\n"
                          << "[display]\noffline_after_seconds = 1.5\n"
                          << "[display.metrics]\nlisten = \"" << screen_metrics << "\"\n";
  }
  void start_hub() {
    hub = std::make_unique<test::Process>(std::vector<std::string>{TABLO_HUB_BIN, "--config", config, "--commands",
                                                                   commands, "--events", events, "--journal",
                                                                   dir.path() + "/journal"});
  }
  void start_screen(std::vector<std::string> extra = {}) {
    std::vector<std::string> argv{TABLO_DISPLAY_BIN, "--headless", "--config", config, "--size", "640x360",
                                  "--hub-commands", commands, "--hub-events", events};
    argv.insert(argv.end(), extra.begin(), extra.end());
    screen = std::make_unique<test::Process>(argv);
  }
  test::Ran ctl(std::vector<std::string> args) {
    args.insert(args.begin(), {TABLOCTL_BIN, "--hub", commands, "--timeout", "2"});
    return test::run(args);
  }
};

// The screen has the hub's board and a heartbeat came on its subscription (the clock offset is
// there once one did): a call made now reaches it as an event, not only in the next snapshot.
void heard_on_events(Branch& branch) {
  metrics_where(branch.screen_metrics, "the hub heard, a heartbeat too", [](auto& m) {
    return m["tablo_display_hub_connected"] == 1 && m.count("tablo_display_clock_offset_seconds") > 0;
  });
}

}  // namespace

TEST_CASE("the exposition names each family once, escapes label values and ends counters in _total") {
  metrics::Exposition page;
  page.family("tablo_test_total", metrics::Kind::counter, "Things said.").sample(3, {{"item", "say \"hi\"\\\n"}});
  metrics::Histogram h({0.01, 0.1});
  h.observe(0.005);
  h.observe(0.05);
  h.observe(1);
  page.family("tablo_test_seconds", metrics::Kind::histogram, "Times.").sample(h);

  // prometheus-cpp's serializer: a histogram's _count and _sum come before its buckets.
  CHECK(page.text() ==
        "# HELP tablo_test_total Things said.\n"
        "# TYPE tablo_test_total counter\n"
        "tablo_test_total{item=\"say \\\"hi\\\"\\\\\\n\"} 3\n"
        "# HELP tablo_test_seconds Times.\n"
        "# TYPE tablo_test_seconds histogram\n"
        "tablo_test_seconds_count 3\n"
        "tablo_test_seconds_sum 1.055\n"
        "tablo_test_seconds_bucket{le=\"0.01\"} 1\n"
        "tablo_test_seconds_bucket{le=\"0.1\"} 2\n"
        "tablo_test_seconds_bucket{le=\"+Inf\"} 3\n");
  CHECK_THROWS(page.family("tablo_test_calls", metrics::Kind::counter, "no _total"));
  // prometheus-cpp 1.0.1 writes HELP as it is: a line break there would break the page.
  CHECK_THROWS(page.family("tablo_test_lines", metrics::Kind::gauge, "two\nlines"));
}

TEST_CASE("the hub's page says where each screen stands with its pushed playlist's files") {
  hub::HubFigures figures;
  auto screen = [](std::string name, std::optional<protocol::MediaReport> media) {
    protocol::ScreenReport report;
    report.name = std::move(name);
    report.media = std::move(media);
    return protocol::SeenScreen{report, 2000};
  };
  figures.screens.screens = {
      screen("hall-left", protocol::MediaReport{"in step", 3, 3, 0, 0, 0, ""}),
      screen("hall-right", protocol::MediaReport{"error", 3, 1, 400'000'000, 0, 2,
                                                 "disk full: 2.1 GB free, 3.0 GB needed (1.0 GB kept spare)"}),
      screen("desk", std::nullopt)};
  const std::string text = prometheus::TextSerializer().Serialize(hub::metrics_page(figures));
  CHECK_THAT(text, Contains("tablo_hub_screen_media_in_step{screen=\"hall-left\"} 1\n") &&
                       Contains("tablo_hub_screen_media_in_step{screen=\"hall-right\"} 0\n") &&
                       Contains("tablo_hub_screen_media_bytes_left{screen=\"hall-right\"} 400000000\n") &&
                       Contains("tablo_hub_screen_media_error{screen=\"hall-right\",kind=\"disk full\"} 1\n") &&
                       Contains("tablo_hub_screen_media_corrupt_total{screen=\"hall-right\"} 2\n"));
  CHECK_THAT(text, !Contains("media_in_step{screen=\"desk\"}") && !Contains("tablo_hub_screen_media_error{screen=\"hall-left\""));
  CHECK_THAT(text, Contains("tablo_hub_screen_report_age_seconds{screen=\"desk\"} 2\n"));
}

TEST_CASE("the hub's metrics count accepted changes by type and rejections by reason") {
  Branch branch;
  branch.start_hub();
  auto before = metrics_where(branch.hub_metrics, "the hub's page", [](auto& m) { return m.count("tablo_hub_epoch"); });
  CHECK(before["tablo_hub_commands_total"] == 0);
  CHECK(before["process_resident_memory_bytes"] > 0);

  REQUIRE(branch.ctl({"call", "А025", "--window", "3"}).exit_code == 0);
  REQUIRE(branch.ctl({"recall", "Б999"}).exit_code == 1);

  auto after = metrics_where(branch.hub_metrics, "the call counted", [](auto& m) {
    return m["tablo_hub_accepted_total{type=\"call\"}"] == 1;
  });
  CHECK(after["tablo_hub_refused_total"] == 1);
  CHECK(after["tablo_hub_zone_calls{zone=\"main\"}"] == 1);
  CHECK(after["tablo_hub_zone_seq{zone=\"main\"}"] == 1);
  CHECK(after["tablo_hub_journal_bytes"] > 0);
  CHECK(after["tablo_hub_epoch"] == before["tablo_hub_epoch"]);
}

TEST_CASE("a metrics port another program holds costs the hub its metrics, never its calls") {
  Branch branch;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port_of(branch.hub_metrics)));
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(fd, 4) == 0);
  branch.start_hub();
  test::Ran called;
  for (auto deadline = std::chrono::steady_clock::now() + 20s; std::chrono::steady_clock::now() < deadline;) {
    if ((called = branch.ctl({"call", "А025", "--window", "3"})).exit_code == 0) break;
  }
  CHECK(called.exit_code == 0);
  CHECK(branch.hub->running());
  ::close(fd);
}

TEST_CASE("a screen's metrics count frames and calls shown, and say whether it hears the hub") {
  Branch branch;
  branch.start_hub();
  branch.start_screen();
  heard_on_events(branch);

  REQUIRE(branch.ctl({"call", "А025", "--window", "3"}).exit_code == 0);

  auto m = metrics_where(branch.screen_metrics, "the call shown",
                         [](auto& s) { return s["tablo_display_calls_shown_total"] == 1; });
  CHECK(m["tablo_display_frames_drawn_total"] >= 1);
  CHECK(m["tablo_display_frame_seconds_count"] == m["tablo_display_frames_drawn_total"]);
  CHECK(m["tablo_display_rejected_messages_total"] == 0);
  CHECK(m.count("tablo_display_frames_not_decoded_total"));  // no playlist here: 0
  CHECK(m.count("tablo_display_info{screen=\"screen-1\"}"));
  auto hub = metrics_where(branch.hub_metrics, "the screen reporting",
                           [](auto& h) { return h["tablo_hub_screens_reporting"] == 1; });
  CHECK(hub.count("tablo_hub_screen_report_age_seconds{screen=\"screen-1\"}"));

  branch.hub.reset();  // the hub goes away: the screen says so
  metrics_where(branch.screen_metrics, "the hub missed", [](auto& s) { return s["tablo_display_hub_connected"] == 0; });
}

TEST_CASE("a screen's metrics give its frame intervals while a ticker runs, and how late its frames came") {
  Branch branch;
  branch.start_hub();
  branch.start_screen();
  heard_on_events(branch);
  REQUIRE(branch.ctl({"call", "А026", "--window", "2"}).exit_code == 0);
  auto still = metrics_where(branch.screen_metrics, "the call shown",
                             [](auto& s) { return s["tablo_display_calls_shown_total"] == 1; });
  // A board that waits for its next minute has no intervals to count; each frame's lateness, yes.
  CHECK(still["tablo_display_frame_interval_seconds_count"] == 0);
  CHECK(still["tablo_display_frame_stall_seconds_count"] == still["tablo_display_frames_drawn_total"]);
  CHECK(still.count("tablo_display_longest_stall_seconds"));

  REQUIRE(branch.ctl({"ticker", "Приём документов ведётся в окнах 1–4"}).exit_code == 0);
  auto moving = metrics_where(branch.screen_metrics, "a second of the running ticker", [](auto& s) {
    return s["tablo_display_frame_interval_seconds_count"] >= 60;
  });
  const double count = moving["tablo_display_frame_interval_seconds_count"];
  // 60 frames a second: the intervals are about 1/60 s, on a loaded 2-core box too, mostly.
  CHECK(moving["tablo_display_frame_interval_seconds_bucket{le=\"0.1\"}"] >= 0.9 * count);
  CHECK(moving["tablo_display_frame_interval_seconds_sum"] / count == Approx(1.0 / 60).epsilon(0.5));
  CHECK(moving["tablo_display_frame_interval_seconds_bucket{le=\"+Inf\"}"] == count);
  CHECK(moving["tablo_display_frame_stall_seconds_count"] == moving["tablo_display_frames_drawn_total"]);
  CHECK(moving["tablo_display_longest_stall_seconds"] >= 0);
  CHECK(moving["tablo_display_longest_stall_seconds"] < 5);
}

TEST_CASE("a screen's metrics say how far its clock is off the hub's, once a heartbeat told it") {
  Branch branch;
  branch.start_screen({"--clock-shift-seconds", "-60"});  // a screen PC a minute behind
  auto before = metrics_where(branch.screen_metrics, "the screen's page",
                              [](auto& m) { return m.count("tablo_display_info{screen=\"screen-1\"}") > 0; });
  CHECK_FALSE(before.count("tablo_display_clock_offset_seconds"));

  branch.start_hub();
  auto m = metrics_where(branch.screen_metrics, "the offset",
                         [](auto& s) { return s.count("tablo_display_clock_offset_seconds") > 0; });
  CHECK(m["tablo_display_clock_offset_seconds"] == Approx(-60).margin(1));
}
