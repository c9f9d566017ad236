// The region office's nginx cache (packaging/nginx/tablo-media-region.conf, quoted in
// docs/OPERATIONS.md "A region's media cache") in front of a real tablo-hub's media endpoint:
// the screens' fetchers of two branches fetch the same file through it, the hub sends the
// bytes once, Range requests are answered from the cache, and every token is checked by the hub.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <thread>

#include <zmq.hpp>

#include "fetch/fetcher.hpp"
#include "hub/media_token.hpp"
#include "protocol/command_client.hpp"
#include "tests/fetch/sources.hpp"

using namespace tablo;
using namespace std::chrono_literals;
using test::Process;
namespace fs = std::filesystem;

namespace {

const fs::path shipped_config = fs::path(TABLO_SOURCE_DIR) / "packaging/nginx/tablo-media-region.conf";

bool eventually(const std::function<bool()>& ok, std::chrono::milliseconds within = 30s) {
  for (auto deadline = std::chrono::steady_clock::now() + within; std::chrono::steady_clock::now() < deadline;) {
    if (ok()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return ok();
}

std::string listen_address() { return test::free_endpoint().substr(std::string("tcp://").size()); }

test::Ran curl(std::vector<std::string> args) {
  args.insert(args.begin(), {"/usr/bin/curl", "-sS", "-D", "-"});
  return test::run(args, 60s);
}

// `text` with `from` replaced by `to`, which must be there exactly once: the test runs the shipped
// configuration, changed only where a test must differ from a region office.
std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  INFO("the shipped configuration has lost: " << from);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(from, at + 1) == std::string::npos);
  return text.replace(at, from.size(), to);
}

// A hub serving its media library on a port of its own, with its metrics.
struct MediaHub {
  test::TempDir dir;
  fs::path root{dir.path()};
  std::string commands = test::free_endpoint(), events = test::free_endpoint();
  std::string media = listen_address(), metrics = listen_address();
  std::unique_ptr<Process> process;

  MediaHub() {
    std::ofstream(root / "hub.toml") << "[hub.metrics]\nlisten = \"" << metrics << "\"\n[hub.media]\nfolder = \""
                                     << (root / "media").string() << "\"\nlisten = \"" << media << "\"\n";
    process = std::make_unique<Process>(std::vector<std::string>{TABLO_HUB_BIN, "--config", (root / "hub.toml").string(),
                                                                 "--commands", commands, "--events", events, "--journal",
                                                                 (root / "journal").string()});
    REQUIRE(eventually([&] { return ctl({"status"}).exit_code == 0; }));
  }
  test::Ran ctl(std::vector<std::string> args) const {
    args.insert(args.begin(), {TABLOCTL_BIN, "--hub", commands, "--retries", "0"});
    return test::run(args, 60s);
  }
  // A token as a screen asks for one: the media_token command on the hub's socket.
  std::string token() const {
    zmq::context_t context;
    protocol::CommandClient client(context, commands);
    auto reply = client.request(protocol::Command{"", "main", protocol::MediaAction{protocol::MediaTokenRequest{}}}, 5s);
    REQUIRE(reply);
    const auto* token = std::get_if<protocol::MediaToken>(&reply->answer);
    REQUIRE(token);
    return token->token;
  }
  // One of the hub's counters as `tabloctl status` gives it, up to date: e.g. media.transfers.
  std::uint64_t counter(const std::string& name) const {
    const auto status = ctl({"status"});
    std::smatch m;
    INFO(status.output);
    REQUIRE(std::regex_search(status.output, m, std::regex(name + " +([0-9]+)")));
    return std::stoull(m[1]);
  }
  // The hub's metrics page, once it has `sample` (the page is published after the hub's next round).
  std::string metrics_page_with(const std::string& sample) const {
    std::string page;
    eventually([&] {
      page = test::run({"/usr/bin/curl", "-sS", "http://" + metrics + "/metrics"}).output;
      return page.find("\n" + sample + "\n") != std::string::npos;
    });
    return page;
  }
};

// nginx as the region office runs it: the shipped site, in a main configuration of the test's
// own (paths, and an access log that says whether each request was a cache hit).
struct RegionCache {
  fs::path dir;
  int port = test::free_port();
  std::unique_ptr<Process> process;

  RegionCache(const fs::path& scratch, const std::string& hub_media) : dir(scratch / "region-cache") {
    fs::create_directories(dir / "temp");
    std::string site = test::read_text(shipped_config);
    site = replace_once(site, "server 127.0.0.1:5557;", "server " + hub_media + ";");
    site = replace_once(site, "/var/cache/nginx/tablo-media", (dir / "cache").string());
    site = replace_once(site, "listen 8080;", "listen 127.0.0.1:" + std::to_string(port) + ";");
    std::ofstream(dir / "site.conf") << site;
    const std::string temp = (dir / "temp").string();
    std::ofstream(dir / "nginx.conf")
        << "error_log " << (dir / "error.log").string() << ";\npid " << (dir / "nginx.pid").string() << ";\n"
        << "events { worker_connections 64; }\nhttp {\n"
        << "  client_body_temp_path " << temp << ";\n  proxy_temp_path " << temp << ";\n  fastcgi_temp_path " << temp
        << ";\n  uwsgi_temp_path " << temp << ";\n  scgi_temp_path " << temp << ";\n"
        << "  log_format cache '$uri $status $upstream_cache_status \"$http_range\" $body_bytes_sent';\n"
        << "  access_log " << (dir / "access.log").string() << " cache;\n"
        << "  include " << (dir / "site.conf").string() << ";\n}\n";
    process = std::make_unique<Process>(std::vector<std::string>{"/usr/sbin/nginx", "-c", (dir / "nginx.conf").string(),
                                                                 "-p", dir.string(), "-g", "daemon off; master_process off;"});
    eventually([&] { return test::accepts(port); }, 10s);
    INFO(test::read_text(dir / "error.log"));
    REQUIRE(test::accepts(port));
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port) + "/media/"; }
  std::string log() const { return test::read_text(dir / "access.log"); }
};

// A branch screen's fetcher, its token the one its hub gave, its hub's media URL the region's cache.
struct BranchScreen {
  fetch::FixedToken token;
  fetch::MediaFetcher fetcher;

  BranchScreen(const fs::path& cache, const std::string& token_text, const std::string& region_base)
      : token(fetch::MediaToken{token_text, region_base, 0}), fetcher(options(cache), token, [] {}) {}
  static fetch::FetcherOptions options(const fs::path& cache) {
    fetch::FetcherOptions o;
    o.cache_dir = cache;
    o.limits = {1'000'000'000, 0};
    o.retry_first = 200ms;
    o.retry_max = 2s;
    return o;
  }
  // Fetches the playlist's one file; true once it is in the cache, verified.
  bool fetched(const std::string& sha, std::uint64_t size) {
    const auto serial = fetcher.want(fetch::Wanted{"playlist for zone hall", {{sha, size}}, {{sha, "clip.mkv"}}});
    return eventually([&] { return fetcher.take_complete() == serial; });
  }
};

}  // namespace

TEST_CASE("the region's nginx cache takes each file from the hub once, serves ranges from its copy, and the hub checks "
          "every token") {
  MediaHub hub;
  const fs::path clip = hub.root / "clip.mkv";
  const auto made = test::run({"/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi", "-i",
                               "testsrc=size=320x240:rate=25", "-frames:v", "25", "-c:v", "rawvideo", "-pix_fmt", "yuv420p",
                               clip.string()},
                              60s);
  REQUIRE(made.exit_code == 0);
  const auto added = hub.ctl({"media", "add", clip.string()});
  INFO(added.output);
  REQUIRE(added.exit_code == 0);
  const std::string bytes = test::read_text(clip);
  fetch::Sha256 hash;
  hash.add(bytes.data(), bytes.size());
  const std::string sha = hash.hex();

  RegionCache region(hub.root, hub.media);
  // Screens of two branches, each with a token of its own (a screen of this hub, and one the
  // hub's secret signed for another key: the tokens differ, the file's address does not).
  const std::string token_1 = hub.token();
  const std::string token_2 = hub::MediaTokens(hub.root / "media/token.secret")
                                  .issue("branch-2-hall", std::time(nullptr) + 3600);
  REQUIRE(token_1 != token_2);

  BranchScreen first(hub.root / "branch-1-cache", token_1, region.base());
  REQUIRE(first.fetched(sha, bytes.size()));
  CHECK(test::read_text(hub.root / "branch-1-cache" / sha) == bytes);
  CHECK(hub.counter("media.transfers") == 1);
  CHECK(hub.counter("media.served_bytes") == bytes.size());

  BranchScreen second(hub.root / "branch-2-cache", token_2, region.base());
  REQUIRE(second.fetched(sha, bytes.size()));
  CHECK(test::read_text(hub.root / "branch-2-cache" / sha) == bytes);
  {
    INFO(region.log());
    CHECK_THAT(region.log(), Catch::Contains("/media/" + sha + " 200 MISS") && Catch::Contains("/media/" + sha + " 200 HIT"));
  }

  // A screen going on with a part file asks for a range: answered from the cache's copy.
  const fs::path part = hub.root / "part";
  const auto range = curl({"-o", part.string(), "-r", "1000-1999", region.base() + sha + "?t=" + token_2});
  INFO(range.output);
  CHECK(range.output.rfind("HTTP/1.1 206", 0) == 0);
  CHECK_THAT(range.output, Catch::Contains("X-Cache-Status: HIT"));
  CHECK(test::read_text(part) == bytes.substr(1000, 1000));

  // The hub sent the bytes once for all of it.
  CHECK(hub.counter("media.transfers") == 1);
  CHECK(hub.counter("media.served_bytes") == bytes.size());

  // A stranger with a forged token, or none, gets nothing, though the cache has the file.
  std::string forged = token_2;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  const auto refused = curl({"-o", part.string(), region.base() + sha + "?t=" + forged});
  CHECK(refused.output.rfind("HTTP/1.1 403", 0) == 0);
  const auto without = curl({"-o", part.string(), region.base() + sha});
  CHECK(without.output.rfind("HTTP/1.1 403", 0) == 0);
  // The hub was asked about each token, the cache's hits too; its metrics say so.
  const auto page = hub.metrics_page_with("tablo_hub_media_refused_total{reason=\"token\"} 2");
  INFO(page);
  CHECK_THAT(page, Catch::Contains("\ntablo_hub_media_refused_total{reason=\"token\"} 2\n") &&
                       Catch::Contains("\ntablo_hub_media_transfers_total 1\n") &&
                       Catch::Contains("\ntablo_hub_media_served_bytes_total " + std::to_string(bytes.size()) + "\n"));

  // Without the hub nobody's token can be checked: the cache answers 500, the screens retry.
  hub.process.reset();
  const auto alone = curl({"-o", part.string(), region.base() + sha + "?t=" + token_2});
  CHECK(alone.output.rfind("HTTP/1.1 500", 0) == 0);
}

TEST_CASE("screens of six branches asking the region's cache for a new file at once cost the hub one transfer") {
  MediaHub hub;
  const fs::path clip = hub.root / "clip.mkv";
  const auto made = test::run({"/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi", "-i",
                               "testsrc=size=640x480:rate=25", "-frames:v", "40", "-c:v", "rawvideo", "-pix_fmt", "yuv420p",
                               clip.string()},
                              60s);
  REQUIRE(made.exit_code == 0);
  REQUIRE(hub.ctl({"media", "add", clip.string()}).exit_code == 0);
  const std::string bytes = test::read_text(clip);
  fetch::Sha256 hash;
  hash.add(bytes.data(), bytes.size());
  const std::string sha = hash.hex();

  RegionCache region(hub.root, hub.media);
  const std::string token = hub.token();
  std::vector<std::unique_ptr<BranchScreen>> screens;
  std::vector<std::uint64_t> serials;
  for (int i = 0; i < 6; ++i) {
    screens.push_back(std::make_unique<BranchScreen>(hub.root / ("branch-" + std::to_string(i)), token, region.base()));
    serials.push_back(screens.back()->fetcher.want(fetch::Wanted{"playlist for zone hall", {{sha, bytes.size()}}, {{sha, "clip.mkv"}}}));
  }
  for (std::size_t i = 0; i < screens.size(); ++i) {
    INFO("branch " << i);
    CHECK(eventually([&] { return screens[i]->fetcher.take_complete() == serials[i]; }));
  }
  // proxy_cache_lock: one request fills the cache, the others wait for its copy.
  CHECK(hub.counter("media.transfers") == 1);
  CHECK(hub.counter("media.served_bytes") == bytes.size());
}

TEST_CASE("docs/OPERATIONS.md quotes the region's cache configuration as it is shipped") {
  const std::string doc = test::read_text(fs::path(TABLO_SOURCE_DIR) / "docs/OPERATIONS.md");
  const auto section = doc.find("\n## A region's media cache\n");
  REQUIRE(section != std::string::npos);
  const auto start = doc.find("```nginx\n", section);
  REQUIRE(start != std::string::npos);
  const auto end = doc.find("```\n", start + 9);
  REQUIRE(end != std::string::npos);
  CHECK(doc.substr(start + 9, end - start - 9) == test::read_text(shipped_config));
}
