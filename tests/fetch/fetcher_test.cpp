// The screen's media fetcher against real HTTP servers on loopback: nginx as a good mirror,
// tests/fetch/media_server.py as one that drops, corrupts, is busy or wants a fresh token.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <functional>
#include <thread>

#include "fetch/fetcher.hpp"
#include "tests/fetch/sources.hpp"

using namespace tablo;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

bool eventually(const std::function<bool()>& ok, std::chrono::milliseconds within = 20s) {
  for (auto deadline = std::chrono::steady_clock::now() + within; std::chrono::steady_clock::now() < deadline;) {
    if (ok()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return ok();
}

fetch::FetcherOptions options_for(const fs::path& cache, std::vector<std::string> mirrors) {
  fetch::FetcherOptions o;
  o.cache_dir = cache;
  o.limits = {1'000'000'000, 0};
  o.mirrors = std::move(mirrors);
  o.retry_first = 200ms;
  o.retry_max = 2s;
  return o;
}

fetch::Wanted wanted(const std::string& sha, std::uint64_t size, const std::string& name = "welcome.mp4") {
  return fetch::Wanted{"playlist for zone hall", {{sha, size}}, {{sha, name}}};
}

std::string file_sha(const fs::path& path) {
  fetch::Sha256 h;
  std::atomic<bool> stop{false};
  REQUIRE(fetch::hash_file(path, fs::file_size(path), h, stop));
  return h.hex();
}

// A token source that hands out tok-1, then tok-2, …: a hub whose tokens expire.
struct Renewing : fetch::TokenSource {
  std::string hub_base;
  std::atomic<int> asked{0};
  std::optional<fetch::MediaToken> ask(std::string&) override {
    return fetch::MediaToken{"tok-" + std::to_string(++asked), hub_base, 0};
  }
};

fetch::FixedToken no_token{fetch::MediaToken{}};

}  // namespace

TEST_CASE("a file comes from nginx into the cache, verified, and a want that has it all is complete at once") {
  test::TempDir dir;
  const fs::path library = fs::path(dir.path()) / "library", cache = fs::path(dir.path()) / "cache";
  const auto sha = test::library_file(library, 20'000'000, 1);  // past a few write-out stretches
  test::Nginx nginx(dir.path(), library);
  std::atomic<int> woken{0};
  fetch::MediaFetcher fetcher(options_for(cache, {nginx.base()}), no_token, [&] { ++woken; });

  const auto serial = fetcher.want(wanted(sha, 20'000'000));
  REQUIRE(eventually([&] { return fetcher.take_complete() == serial; }));
  CHECK(woken > 0);
  CHECK(file_sha(cache / sha) == sha);
  CHECK_FALSE(fs::exists(cache / (sha + ".part")));
  CHECK(fetcher.progress().state == fetch::FetchProgress::State::in_step);
  CHECK(fetcher.progress().have == 1);
  CHECK_THAT(nginx.log(), Catch::Contains("/media/" + sha + " 200"));

  // Asked again (a reload, another zone's push): nothing fetched, complete at once.
  const auto again = fetcher.want(wanted(sha, 20'000'000));
  REQUIRE(eventually([&] { return fetcher.take_complete() == again; }, 5s));
  std::istringstream lines(nginx.log());
  int requests = 0;
  for (std::string line; std::getline(lines, line);) ++requests;
  CHECK(requests == 1);
}

TEST_CASE("a transfer the server drops part way resumes with Range where it stopped, no byte fetched twice") {
  test::TempDir dir;
  const fs::path library = fs::path(dir.path()) / "library", cache = fs::path(dir.path()) / "cache";
  const std::uint64_t size = 2'500'000;
  const auto sha = test::library_file(library, size, 2);
  test::MediaServer dropping(dir.path(), library, "dropping", "--drop-after 700000");
  fetch::MediaFetcher fetcher(options_for(cache, {dropping.base()}), no_token, [] {});

  const auto serial = fetcher.want(wanted(sha, size));
  REQUIRE(eventually([&] { return fetcher.take_complete() == serial; }, 30s));
  CHECK(file_sha(cache / sha) == sha);
  const auto requests = dropping.requests();
  INFO(dropping.log());
  REQUIRE(requests.size() == 4);  // 700 000 × 3 + 400 000
  std::uint64_t next = 0, sent = 0;
  for (const auto& r : requests) {
    CHECK(r.start == next);  // each asks from where the last one ended
    CHECK(r.status == (r.start == 0 ? 200 : 206));
    next += r.sent;
    sent += r.sent;
  }
  CHECK(sent == size);
}

TEST_CASE("a mirror serving corrupted bytes is caught by the sha256, counted, and the file comes from the next source") {
  test::TempDir dir;
  const fs::path library = fs::path(dir.path()) / "library", cache = fs::path(dir.path()) / "cache";
  const std::uint64_t size = 1'200'000;
  const auto sha = test::library_file(library, size, 3);
  test::MediaServer corrupt(dir.path(), library, "corrupt", "--corrupt");
  test::Nginx nginx(dir.path(), library);
  fetch::MediaFetcher fetcher(options_for(cache, {corrupt.base(), nginx.base()}), no_token, [] {});

  const auto serial = fetcher.want(wanted(sha, size));
  REQUIRE(eventually([&] { return fetcher.take_complete() == serial; }));
  CHECK(file_sha(cache / sha) == sha);
  CHECK(fetcher.progress().corrupt == 1);
  CHECK(corrupt.requests().size() == 1);
  CHECK_THAT(nginx.log(), Catch::Contains("/media/" + sha + " 200 \"-\" " + std::to_string(size)));

  // The mirror that lied is asked last for a while: the next file comes straight from nginx.
  const auto second = test::library_file(library, 500'000, 4);
  const auto next = fetcher.want(wanted(second, 500'000, "hours.png"));
  REQUIRE(eventually([&] { return fetcher.take_complete() == next; }));
  CHECK(corrupt.requests().size() == 1);
  CHECK(fetcher.progress().corrupt == 1);
}

TEST_CASE("a busy hub's 503 is retried after its Retry-After, and a refused token is renewed") {
  test::TempDir dir;
  const fs::path library = fs::path(dir.path()) / "library", cache = fs::path(dir.path()) / "cache";
  const auto sha = test::library_file(library, 400'000, 5);

  SECTION("503, Retry-After: 1") {
    test::MediaServer busy(dir.path(), library, "busy", "--busy 2");
    fetch::MediaFetcher fetcher(options_for(cache, {busy.base()}), no_token, [] {});
    const auto started = std::chrono::steady_clock::now();
    const auto serial = fetcher.want(wanted(sha, 400'000));
    CHECK(eventually([&] { return fetcher.progress().state == fetch::FetchProgress::State::error; }, 5s));
    CHECK_THAT(fetcher.progress().error, Catch::Contains("HTTP 503"));
    REQUIRE(eventually([&] { return fetcher.take_complete() == serial; }));
    CHECK(std::chrono::steady_clock::now() - started >= 1900ms);  // two 503s, a second each at least
    CHECK(busy.requests().size() == 3);
    CHECK(fetcher.progress().error.empty());
  }
  SECTION("403: a fresh token from the hub, then the file") {
    test::MediaServer hub(dir.path(), library, "hub", "--token tok-2");
    Renewing tokens;
    tokens.hub_base = hub.base();
    fetch::MediaFetcher fetcher(options_for(cache, {}), tokens, [] {});
    const auto serial = fetcher.want(wanted(sha, 400'000));
    REQUIRE(eventually([&] { return fetcher.take_complete() == serial; }));
    CHECK(tokens.asked == 2);
    const auto requests = hub.requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].status == 403);
    CHECK(requests[1].status == 200);
  }
}

TEST_CASE("a full disk or cache is an error in the progress, the playlist is not complete, and nothing crashes") {
  test::TempDir dir;
  const fs::path library = fs::path(dir.path()) / "library", cache = fs::path(dir.path()) / "cache";
  const auto sha = test::library_file(library, 2'000'000, 6);
  test::Nginx nginx(dir.path(), library);

  SECTION("the disk reserve cannot be kept") {
    auto o = options_for(cache, {nginx.base()});
    o.limits.reserve_bytes = 1'000'000'000'000'000;  // a petabyte spare: no disk has it
    fetch::MediaFetcher fetcher(o, no_token, [] {});
    fetcher.want(wanted(sha, 2'000'000));
    REQUIRE(eventually([&] { return fetcher.progress().state == fetch::FetchProgress::State::error; }, 5s));
    CHECK_THAT(fetcher.progress().error, Catch::StartsWith("disk full: ") && Catch::Contains("free, 2 MB needed"));
    std::this_thread::sleep_for(500ms);
    CHECK_FALSE(fetcher.take_complete());
    CHECK(nginx.log().empty());  // not even asked: no endless downloads onto a full disk
  }
  SECTION("the cache's limit: what no playlist in force needs goes first, oldest first") {
    auto o = options_for(cache, {nginx.base()});
    o.limits.max_bytes = 4'500'000;
    const auto b = test::library_file(library, 2'000'000, 7), c = test::library_file(library, 2'000'000, 8);
    fetch::MediaFetcher fetcher(o, no_token, [] {});
    auto serial = fetcher.want(wanted(sha, 2'000'000, "a.mp4"));
    REQUIRE(eventually([&] { return fetcher.take_complete() == serial; }));
    std::this_thread::sleep_for(20ms);  // a later mtime
    serial = fetcher.want(wanted(b, 2'000'000, "b.mp4"));
    REQUIRE(eventually([&] { return fetcher.take_complete() == serial; }));
    // b is in force, c waits: a goes to make room.
    serial = fetcher.want(wanted(c, 2'000'000, "c.mp4"));
    REQUIRE(eventually([&] { return fetcher.take_complete() == serial; }));
    CHECK_FALSE(fs::exists(cache / sha));
    CHECK(fs::exists(cache / b));
    CHECK(fs::exists(cache / c));
    // A file bigger than the whole cache: an error that says so.
    const auto big = test::library_file(library, 5'000'000, 9);
    fetcher.want(wanted(big, 5'000'000, "big.mp4"));
    REQUIRE(eventually([&] { return fetcher.progress().state == fetch::FetchProgress::State::error; }, 5s));
    CHECK_THAT(fetcher.progress().error, Catch::StartsWith("cache full: "));
    CHECK(fs::exists(cache / c));  // in force: never removed
  }
}

TEST_CASE("a download no playlist needs any more is stopped and its part file removed") {
  test::TempDir dir;
  const fs::path library = fs::path(dir.path()) / "library", cache = fs::path(dir.path()) / "cache";
  const auto sha = test::library_file(library, 3'000'000, 10);
  test::MediaServer slow(dir.path(), library, "slow", "--rate 200000");
  fetch::MediaFetcher fetcher(options_for(cache, {slow.base()}), no_token, [] {});
  fetcher.want(wanted(sha, 3'000'000));
  REQUIRE(eventually([&] { return fs::exists(cache / (sha + ".part")) && fs::file_size(cache / (sha + ".part")) > 0; }));
  const auto back = fetcher.want(fetch::Wanted{"playlist for zone hall", {}, {}});  // withdrawn
  REQUIRE(eventually([&] { return fetcher.take_complete() == back; }, 5s));
  CHECK(eventually([&] { return !fs::exists(cache / (sha + ".part")); }, 5s));
}

TEST_CASE("a file in the cache whose bytes rotted is found out when a playlist needs it, deleted and fetched again") {
  test::TempDir dir;
  const fs::path library = fs::path(dir.path()) / "library", cache = fs::path(dir.path()) / "cache";
  const auto sha = test::library_file(library, 1'000'000, 11);
  fs::create_directories(cache);
  fs::copy_file(library / sha, cache / sha);
  {
    std::fstream rot(cache / sha, std::ios::in | std::ios::out | std::ios::binary);
    rot.seekp(1234);
    rot.put('\x55');
  }
  test::Nginx nginx(dir.path(), library);
  fetch::MediaFetcher fetcher(options_for(cache, {nginx.base()}), no_token, [] {});
  const auto serial = fetcher.want(wanted(sha, 1'000'000));
  REQUIRE(eventually([&] { return fetcher.take_complete() == serial; }));
  CHECK(file_sha(cache / sha) == sha);
  CHECK_THAT(nginx.log(), Catch::Contains("/media/" + sha + " 200"));
}
