// Keys without sockets: key files and their permissions, the authorised-keys folder,
// roles, the rate limit and the loopback rule.
#include <catch2/catch.hpp>

#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "hub/authorized_keys.hpp"
#include "hub/guard.hpp"
#include "hub/rate_limit.hpp"
#include "hub/refusal_log.hpp"
#include "hub/roles.hpp"
#include "protocol/curve_keys.hpp"
#include "tests/support/process.hpp"

using namespace tablo;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

mode_t mode_of(const fs::path& file) {
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

// A client's NAME.key in `dir`, as keygen writes it; returns its public key.
std::string authorise(const fs::path& dir, const std::string& name, const std::string& role) {
  const auto keys = protocol::generate_key_pair();
  std::ofstream(dir / (name + ".key")) << protocol::public_key_text(name, keys.public_key, role);
  return keys.public_key;
}

// Watches the folder as the hub's ZAP thread does, until it was read again (or 5 s passed).
bool reloaded(hub::AuthorizedKeys& keys) {
  for (auto deadline = std::chrono::steady_clock::now() + 5s; std::chrono::steady_clock::now() < deadline;) {
    pollfd p{keys.watch_fd(), POLLIN, 0};
    ::poll(&p, 1, 50);
    if (p.revents & POLLIN) keys.on_watch_event();
    if (std::chrono::steady_clock::now() >= keys.next_look() && keys.look()) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("keygen writes a public key anyone may read and a secret only its owner may") {
  test::TempDir dir;
  const auto keys = protocol::generate_key_pair();
  CHECK(protocol::valid_z85_key(keys.public_key));
  const auto written = protocol::write_key_pair(keys, dir.path() + "/keys", "desk-3", "operator");
  CHECK(written.public_file == fs::path(dir.path()) / "keys/desk-3.key");
  CHECK(mode_of(written.secret_file) == 0600);
  CHECK((mode_of(written.public_file) & 0600) == 0600);

  const auto public_file = protocol::read_public_key(written.public_file);
  CHECK(public_file.public_key == keys.public_key);
  CHECK(public_file.role == "operator");
  const auto secret = protocol::read_secret_key(written.secret_file);
  CHECK(secret.secret_key == keys.secret_key);
  CHECK(secret.public_key == keys.public_key);  // derived from the secret
}

TEST_CASE("keygen never overwrites a key") {
  test::TempDir dir;
  protocol::write_key_pair(protocol::generate_key_pair(), dir.path(), "hub", "");
  CHECK_THROWS_WITH(protocol::write_key_pair(protocol::generate_key_pair(), dir.path(), "hub", ""),
                    Catch::Contains("hub.key already exists; keygen never overwrites a key"));
}

TEST_CASE("a secret key that others may read or change is refused with the command that fixes it") {
  test::TempDir dir;
  const auto written = protocol::write_key_pair(protocol::generate_key_pair(), dir.path(), "screen-1", "display");
  const std::string file = written.secret_file.string();
  ::chmod(file.c_str(), 0644);
  CHECK_THROWS_WITH(protocol::read_secret_key(file),
                    Catch::Contains("secret key " + file + " is readable by others (mode 0644); run chmod 600 " + file));
  ::chmod(file.c_str(), 0620);
  CHECK_THROWS_WITH(protocol::read_secret_key(file), Catch::Contains("can be changed by others (mode 0620)"));
  ::chmod(file.c_str(), 0600);
  CHECK_NOTHROW(protocol::read_secret_key(file));
}

TEST_CASE("a key file with a broken key names the file, line and column") {
  CHECK_THROWS_WITH(protocol::parse_public_key("role = \"display\"\npublic_key = \"abc\"\n", "x.key"),
                    Catch::StartsWith("x.key:2:14: public_key: expected 40 characters of Z85"));
  CHECK_THROWS_WITH(protocol::parse_public_key("role = \"display\"\n", "x.key"),
                    Catch::StartsWith("x.key: no public_key"));
  CHECK_THROWS_WITH(protocol::parse_public_key("public_key = [", "x.key"), Catch::Contains("TOML syntax error"));
}

TEST_CASE("the authorised-keys folder gives each key its role and skips what it cannot use") {
  test::TempDir dir;
  const auto desk = authorise(dir.path(), "desk-3", "operator");
  authorise(dir.path(), "screen-1", "display");
  authorise(dir.path(), "screen-2", "display");
  authorise(dir.path(), "boss", "admin");
  authorise(dir.path(), "nobody", "");        // no role
  authorise(dir.path(), "king", "superuser");  // no such role
  std::ofstream(fs::path(dir.path()) / "desk-4.secret") << "secret_key = \"x\"\n";
  std::ofstream(fs::path(dir.path()) / "README") << "keys\n";
  std::ofstream(fs::path(dir.path()) / ".desk-3.key.swp") << "editor junk\n";  // hidden: not even mentioned

  const auto table = hub::read_authorized_keys(dir.path());
  CHECK(table.summary() == "1 operator, 2 displays, 1 admin");
  REQUIRE(table.find(desk));
  CHECK(*table.find(desk) == hub::Client{"desk-3", hub::Role::operator_});
  CHECK(table.find("not a key") == nullptr);
  REQUIRE(table.problems.size() == 4);
  CHECK_THAT(table.problems[0], Catch::Contains("README is ignored"));
  CHECK_THAT(table.problems[1], Catch::Contains("desk-4.secret is a secret key: it has no place on the hub"));
  CHECK_THAT(table.problems[2], Catch::Contains("king.key: role \"superuser\" is not one"));
  CHECK_THAT(table.problems[3], Catch::Contains("nobody.key: no role"));
}

TEST_CASE("a key file that group or others may change is not used, as sshd's StrictModes says") {
  test::TempDir dir;
  const auto desk = authorise(dir.path(), "desk-3", "operator");
  const auto boss = authorise(dir.path(), "boss", "operator");
  fs::permissions(fs::path(dir.path()) / "boss.key", fs::perms(0666));  // anyone could make it an admin's
  const auto table = hub::read_authorized_keys(dir.path());
  CHECK(table.find(desk));
  CHECK(table.find(boss) == nullptr);
  REQUIRE(table.problems.size() == 1);
  CHECK_THAT(table.problems[0], Catch::Contains("boss.key is not used") && Catch::Contains("can be changed by anyone") &&
                                    Catch::Contains("mode 0666") && Catch::Contains("chmod go-w"));
  fs::permissions(fs::path(dir.path()) / "boss.key", fs::perms(0664));
  CHECK_THAT(hub::read_authorized_keys(dir.path()).problems[0], Catch::Contains("can be changed by its group"));
}

TEST_CASE("an authorised-keys folder that others may write to lets nobody in, naming its path and mode") {
  test::TempDir dir;
  const fs::path folder = fs::path(dir.path()) / "authorized";
  fs::create_directory(folder);
  authorise(folder, "desk-3", "operator");
  fs::permissions(folder, fs::perms(0777));
  CHECK_THROWS_WITH(hub::read_authorized_keys(folder),
                    Catch::Contains(folder.string()) && Catch::Contains("mode 0777") && Catch::Contains("anyone"));
  fs::permissions(folder, fs::perms(0755));
  // A folder above it that others may change is no safer; a sticky one (/tmp) is.
  fs::permissions(dir.path(), fs::perms(0777));
  CHECK_THROWS_WITH(hub::read_authorized_keys(folder), Catch::Contains(dir.path()) && Catch::Contains("mode 0777"));
  fs::permissions(dir.path(), fs::perms(01777));
  CHECK(hub::read_authorized_keys(folder).by_public_key.size() == 1);
  fs::permissions(dir.path(), fs::perms(0700));
}

TEST_CASE("a key file owned by another user is not used") {
  if (::geteuid() != 0) {
    WARN("not root: cannot give a file to another user, so the owner check is not tested here");
    return;
  }
  test::TempDir dir;
  const auto desk = authorise(dir.path(), "desk-3", "operator");
  REQUIRE(::chown((fs::path(dir.path()) / "desk-3.key").c_str(), 12345, 12345) == 0);
  const auto table = hub::read_authorized_keys(dir.path());
  CHECK(table.find(desk) == nullptr);
  REQUIRE(table.problems.size() == 1);
  CHECK_THAT(table.problems[0], Catch::Contains("belongs to user 12345"));
}

TEST_CASE("a key added to the watched folder is let in, a removed one is not") {
  test::TempDir dir;
  authorise(dir.path(), "screen-1", "display");
  hub::AuthorizedKeys keys(dir.path());
  CHECK(keys.current()->summary() == "0 operators, 1 display, 0 admins");

  auto wait_for_reload = [&] { return reloaded(keys); };
  const auto desk = authorise(dir.path(), "desk-3", "operator");
  REQUIRE(wait_for_reload());
  REQUIRE(keys.current()->find(desk));
  CHECK(keys.current()->find(desk)->name == "desk-3");

  fs::remove(fs::path(dir.path()) / "desk-3.key");
  REQUIRE(wait_for_reload());
  CHECK(keys.current()->find(desk) == nullptr);
}

TEST_CASE("a display follows the board, an operator changes it, only an admin clears it") {
  using namespace tablo::protocol;
  const hub::Client screen{"screen-1", hub::Role::display}, desk{"desk-3", hub::Role::operator_},
      boss{"boss", hub::Role::admin};
  for (const auto& client : {screen, desk, boss}) {
    CHECK_FALSE(hub::forbidden(client, SnapshotRequest{}));
    CHECK_FALSE(hub::forbidden(client, StatusRequest{}));
  }
  CHECK(hub::forbidden(screen, Change{Called{"A1", "3", "", ""}}) == "key 'screen-1' (display) may not call tickets");
  CHECK(hub::forbidden(screen, Change{TickerSet{"x"}}) == "key 'screen-1' (display) may not set the ticker");
  for (const Change& change : {Change{Called{"A1", "3", "", ""}}, Change{Recalled{"A1"}}, Change{Finished{"A1"}},
                               Change{Cancelled{"A1"}}, Change{Announced{"x", 5}}, Change{TickerSet{"x"}}}) {
    CHECK_FALSE(hub::forbidden(desk, change));
    CHECK_FALSE(hub::forbidden(boss, change));
  }
  CHECK(hub::forbidden(desk, Change{Cleared{}}) == "key 'desk-3' (operator) may not clear the board");
  CHECK_FALSE(hub::forbidden(boss, Change{Cleared{}}));
  CHECK(hub::forbidden(desk, ReloadRequest{}) == "key 'desk-3' (operator) may not reload the hub's settings");
  CHECK_FALSE(hub::forbidden(boss, ReloadRequest{}));
  CHECK(hub::forbidden(desk, ZoneRemoval{}) == "key 'desk-3' (operator) may not remove zones");
  CHECK_FALSE(hub::forbidden(boss, ZoneRemoval{}));
  CHECK(hub::role_named("operator") == hub::Role::operator_);
  CHECK_FALSE(hub::role_named("root"));
}

TEST_CASE("a regional office's key sets the region's content and follows the board, never calls or clears") {
  using namespace tablo::protocol;
  const hub::Client office{"office", hub::Role::region};
  for (const Action& may : {Action{SnapshotRequest{}}, Action{StatusRequest{}}, Action{Change{TickerSet{"x"}}},
                            Action{Change{Announced{"x", 5}}}, Action{Change{PlaylistSet{"", {}}}}}) {
    CHECK_FALSE(hub::forbidden(office, may));
  }
  CHECK(hub::forbidden(office, Change{Called{"A1", "3", "", ""}}) == "key 'office' (region) may not call tickets");
  CHECK(hub::forbidden(office, Change{Recalled{"A1"}}) == "key 'office' (region) may not recall tickets");
  CHECK(hub::forbidden(office, Change{Cleared{}}) == "key 'office' (region) may not clear the board");
  CHECK(hub::forbidden(office, MediaAction{MediaAdd{"a.mp4", {}}}) == "key 'office' (region) may not add media to the library");
  CHECK(hub::forbidden(office, ReloadRequest{}) == "key 'office' (region) may not reload the hub's settings");
  CHECK(hub::role_named("region") == hub::Role::region);
}

TEST_CASE("staff add and remove media; every key may list it and take a token to fetch it") {
  using namespace tablo::protocol;
  const hub::Client screen{"screen-1", hub::Role::display}, desk{"desk-3", hub::Role::operator_},
      boss{"boss", hub::Role::admin};
  CHECK(hub::forbidden(screen, MediaAction{MediaAdd{"a.mp4", {}}}) == "key 'screen-1' (display) may not add media to the library");
  CHECK(hub::forbidden(screen, MediaAction{MediaChunk{}}) == "key 'screen-1' (display) may not add media to the library");
  CHECK(hub::forbidden(screen, MediaAction{MediaRemove{"a.mp4"}}) == "key 'screen-1' (display) may not remove media from the library");
  for (const auto& staff : {desk, boss}) {
    CHECK_FALSE(hub::forbidden(staff, MediaAction{MediaAdd{"a.mp4", {}}}));
    CHECK_FALSE(hub::forbidden(staff, MediaAction{MediaRemove{"a.mp4"}}));
  }
  for (const auto& client : {screen, desk, boss}) {
    CHECK_FALSE(hub::forbidden(client, MediaAction{MediaListRequest{}}));
    CHECK_FALSE(hub::forbidden(client, MediaAction{MediaInfoRequest{"a.mp4"}}));
    CHECK_FALSE(hub::forbidden(client, MediaAction{MediaTokenRequest{}}));
  }
}

TEST_CASE("only an admin pushes playlists and asks screens for screenshots and proof of play") {
  using namespace tablo::protocol;
  const hub::Client screen{"screen-1", hub::Role::display}, desk{"desk-3", hub::Role::operator_},
      boss{"boss", hub::Role::admin};
  CHECK(hub::forbidden(desk, Change{PlaylistSet{"[[item]]"}}) == "key 'desk-3' (operator) may not push playlists");
  CHECK(hub::forbidden(desk, Change{PlaylistSet{""}}) == "key 'desk-3' (operator) may not push playlists");
  CHECK(hub::forbidden(desk, ScreenAction{ScreenshotRequest{"screen-1"}}) ==
        "key 'desk-3' (operator) may not take screenshots of screens");
  CHECK(hub::forbidden(screen, ScreenAction{ProofOfPlayRequest{"screen-1", "2026-11-26"}}) ==
        "key 'screen-1' (display) may not collect proof of play");
  for (const Action& action : {Action{Change{PlaylistSet{"x"}}}, Action{ScreenAction{ScreenshotRequest{"s"}}},
                               Action{ScreenAction{ProofOfPlayRequest{"s", "2026-11-26"}}}}) {
    CHECK_FALSE(hub::forbidden(boss, action));
  }
  // A screen reports and answers with its display key; anyone may list the screens.
  for (const auto& client : {screen, desk, boss}) {
    CHECK_FALSE(hub::forbidden(client, ScreenAction{Report{}}));
    CHECK_FALSE(hub::forbidden(client, ScreenAction{ScreenAnswer{}}));
    CHECK_FALSE(hub::forbidden(client, ScreenAction{ScreensRequest{}}));
  }
}

TEST_CASE("a client may send a burst, then the rate; what is over is refused") {
  using Clock = hub::RateLimit::Clock;
  hub::RateLimit limit(2.0, 3);
  const auto t0 = Clock::now();
  for (int i = 0; i < 3; ++i) CHECK(limit.take("desk-3", t0).allowed);
  auto over = limit.take("desk-3", t0);
  CHECK_FALSE(over.allowed);
  CHECK(over.started_refusing);
  CHECK_FALSE(limit.take("desk-3", t0).started_refusing);  // said once, not at every refusal
  CHECK(limit.take("desk-4", t0).allowed);                   // each client has its own
  CHECK(limit.take("desk-3", t0 + 500ms).allowed);           // 2 a second: one more after half a second
  CHECK_FALSE(limit.take("desk-3", t0 + 500ms).allowed);

  hub::RateLimit none(0, 1);
  for (int i = 0; i < 1000; ++i) REQUIRE(none.take("flood", t0).allowed);
}

TEST_CASE("without keys only endpoints of this machine count as safe") {
  for (const char* safe : {"tcp://127.0.0.1:5555", "tcp://127.1.2.3:5555", "tcp://localhost:5555", "tcp://[::1]:5555",
                           "tcp://lo:5555", "tcp://127.0.0.1:*", "ipc:///run/tablo/commands", "inproc://hub"}) {
    INFO(safe);
    CHECK(hub::loopback_only(safe));
  }
  for (const char* open : {"tcp://*:5555", "tcp://0.0.0.0:5555", "tcp://[::]:5555", "tcp://192.168.1.10:5555",
                           "tcp://eth0:5555", "tcp://hub.branch.local:5555", "tcp://128.0.0.1:5555", "pgm://x"}) {
    INFO(open);
    CHECK_FALSE(hub::loopback_only(open));
  }
}

TEST_CASE("an authorised-keys folder deleted or opened to others while the hub runs lets nobody in until mended") {
  test::TempDir dir;
  const fs::path folder = fs::path(dir.path()) / "authorized";
  fs::create_directory(folder);
  const auto desk = authorise(folder, "desk-3", "operator");
  hub::AuthorizedKeys keys(folder);
  REQUIRE(keys.current()->find(desk));
  auto wait_for_reload = [&] { return reloaded(keys); };

  fs::permissions(folder, fs::perms(0777));
  REQUIRE(wait_for_reload());
  CHECK(keys.current()->find(desk) == nullptr);
  CHECK_THAT(keys.current()->problems.at(0), Catch::Contains("mode 0777"));
  fs::permissions(folder, fs::perms(0755));
  REQUIRE(wait_for_reload());
  CHECK(keys.current()->find(desk));

  fs::remove_all(folder);
  REQUIRE(wait_for_reload());
  CHECK(keys.current()->by_public_key.empty());
  CHECK_THAT(keys.current()->problems.at(0), Catch::Contains("cannot read the authorised-keys folder"));
  fs::create_directory(folder);
  const auto again = authorise(folder, "desk-3", "operator");
  REQUIRE(wait_for_reload());
  CHECK(keys.current()->find(again));
}

TEST_CASE("a flood of refusals is logged once in full, then summed up once per interval") {
  hub::RefusalLog log(10s);
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::string> lines;
  auto keep = [&](const std::string& line) { lines.push_back(line); };
  CHECK(log.refused("an unknown key on the commands socket", "10.0.0.5", t0));
  for (int i = 1; i < 300; ++i) {
    CHECK_FALSE(log.refused("an unknown key on the commands socket", "10.0.0." + std::to_string(i % 7), t0 + i * 1ms));
  }
  CHECK(log.refused("no keys on the events socket", "", t0 + 1s));  // another kind: in full too
  REQUIRE(log.next_due() == t0 + 10s);
  log.summarise(t0 + 9s, keep);
  CHECK(lines.empty());
  log.summarise(t0 + 10s, keep);
  REQUIRE(lines.size() == 1);
  CHECK_THAT(lines[0], Catch::Contains("refused 299 more clients with an unknown key on the commands socket in the last "
                                       "10 s, from 10.0.0.1, 10.0.0.2, 10.0.0.3 and others"));
  CHECK_FALSE(log.next_due());
  // Quiet for an interval: the next refusal is news again, in full.
  CHECK(log.refused("an unknown key on the commands socket", "10.0.0.9", t0 + 21s));
}

TEST_CASE("a key file names the screens its key may be; without them, only the key's own name") {
  const auto named = protocol::parse_public_key(
      "role = \"display\"\nscreens = [\"hall-left\", \"зал-2\"]\npublic_key = \"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\"\n", "hall.key");
  CHECK(named.screens == std::vector<std::string>{"hall-left", "зал-2"});
  const hub::Client hall{"hall", hub::Role::display, named.screens}, lone{"screen-1", hub::Role::display};
  CHECK(hall.may_be_screen("hall-left"));
  CHECK(hall.may_be_screen("зал-2"));
  CHECK_FALSE(hall.may_be_screen("hall"));
  CHECK(lone.may_be_screen("screen-1"));
  CHECK_FALSE(lone.may_be_screen("hall-left"));
  CHECK_THROWS_WITH(protocol::parse_public_key("screens = \"hall-left\"\npublic_key = \"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\"\n", "x.key"),
                    Catch::Contains("x.key:1:11: screens: expected a list"));
}
