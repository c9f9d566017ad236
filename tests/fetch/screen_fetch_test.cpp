// A real tablo-hub and a headless tablo-display on loopback: a playlist pushed with the files
// of the media library plays only once the screen has them all, fetched from a mirror and
// verified; until then the old playlist plays on. A screen killed mid-transfer resumes from
// its part file when it starts again.
#include <catch2/catch.hpp>

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <thread>

#include <zmq.hpp>

#include "config/load.hpp"
#include "display/layout.hpp"
#include "media/image.hpp"
#include "protocol/command_client.hpp"
#include "tests/fetch/sources.hpp"
#include "tests/media_clips.hpp"
#include "tests/support/pixels.hpp"

using namespace tablo;
using namespace std::chrono_literals;
using display::Rect;
using test::Process;
namespace fs = std::filesystem;

namespace {

constexpr int W = 640, H = 360;
const config::Color red{255, 0, 0}, blue{0, 0, 255};

bool eventually(const std::function<bool()>& ok, std::chrono::milliseconds within = 20s) {
  for (auto deadline = std::chrono::steady_clock::now() + within; std::chrono::steady_clock::now() < deadline;) {
    if (ok()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return ok();
}

std::string sha_of(const fs::path& file) {
  fetch::Sha256 h;
  std::atomic<bool> stop{false};
  REQUIRE(fetch::hash_file(file, fs::file_size(file), h, stop));
  return h.hex();
}

struct Hall {
  test::TempDir dir;
  fs::path root{dir.path()};
  std::string commands = test::free_endpoint(), events = test::free_endpoint();
  std::unique_ptr<Process> hub, screen;
  zmq::context_t context{1};
  config::Settings settings;

  // The hub serves its library on a port of this test's own (hub.media.listen), so hubs of
  // tests running side by side do not contend for the default one.
  Hall() {
    const std::string media = test::free_endpoint().substr(std::string("tcp://").size());
    std::ofstream(root / "hub.toml") << "[hub.media]\nlisten = \"" << media << "\"\n[hub.metrics]\nlisten = \"\"\n";
    hub = std::make_unique<Process>(std::vector<std::string>{TABLO_HUB_BIN, "--config", (root / "hub.toml").string(), "--commands",
                                                             commands, "--events", events, "--journal", (root / "journal").string()});
  }

  // The screen: its own playlist plays red.mp4 (or it has none: `own` empty); its cache is
  // root/cache; `fetch` more of [display.fetch].
  void start_screen(const std::string& fetch, bool own = true) {
    std::ofstream(root / "own.toml") << "[[item]]\nfile = \"red.mp4\"\n";
    std::ofstream(root / "tablo.toml") << "[display]\nname = \"hall-left\"\noffline_after_seconds = 1.5\n"
                                       << "[display.reports]\nevery_seconds = 1\nproof_of_play_dir = \"" << (root / "proof").string()
                                       << "\"\n[display.media]\nplaylist = \"" << (own ? (root / "own.toml").string() : "")
                                       << "\"\nregion = \"full\"\n[display.fetch]\ncache_dir = \"" << (root / "cache").string()
                                       << "\"\n" << fetch << "\n";
    settings = config::load_file(root / "tablo.toml");
    const std::string command = std::string("exec ") + TABLO_DISPLAY_BIN + " --headless --config " + (root / "tablo.toml").string() +
                                " --size " + std::to_string(W) + "x" + std::to_string(H) + " --hub-commands " + commands +
                                " --hub-events " + events + " --screenshot-dir " + root.string() +
                                " --screenshot-every 0.1 >> " + (root / "display.log").string() + " 2>&1";
    screen = std::make_unique<Process>(std::vector<std::string>{"/bin/sh", "-c", command});
  }
  std::string log() const { return test::read_text(root / "display.log"); }

  double share_of(config::Color colour) const {
    try {
      const auto shot = media::load_image(root / "latest.png");
      return test::share(shot, Rect{W / 4, H / 4, W / 2, H / 2}, colour);
    } catch (const media::MediaError&) {
      return 0;
    }
  }

  // Adds `clip` to the hub's library as `name` (tabloctl media add), and to the mirror's folder
  // under its hash; returns the hash.
  std::string add_to_library(const fs::path& clip, const std::string& name, const fs::path& mirror_dir) {
    const auto added = test::run({TABLOCTL_BIN, "--hub", commands, "--timeout", "10", "media", "add", clip.string(), "--name", name}, 30s);
    INFO(added.output);
    REQUIRE(added.exit_code == 0);
    const auto sha = sha_of(clip);
    fs::create_directories(mirror_dir);
    fs::copy_file(clip, mirror_dir / sha);
    return sha;
  }

  // Pushes a playlist naming library files: the hub resolves them into the event's `media`.
  void push(const std::string& toml) {
    protocol::CommandClient client(context, commands);
    const auto reply = client.request(protocol::Command{"", "main", protocol::Change{protocol::PlaylistSet{toml, {}}}}, 3s);
    REQUIRE(reply);
    INFO((std::holds_alternative<protocol::Refused>(reply->answer) ? std::get<protocol::Refused>(reply->answer).error : std::string()));
    REQUIRE(std::holds_alternative<protocol::Accepted>(reply->answer));
  }

  std::string screens() {
    return test::run({TABLOCTL_BIN, "--hub", commands, "--timeout", "2", "screens"}).output;
  }
};

}  // namespace

TEST_CASE("a pushed playlist plays only once its file is fetched and verified; the old one plays until then") {
  Hall hall;
  test::solid_clip(hall.dir.path(), "red.mp4", "red", 1.5);
  const fs::path library = hall.root / "library";
  const auto clip = test::solid_clip(hall.dir.path(), "blue.mp4", "blue", 1.5);
  const auto sha = hall.add_to_library(clip, "blue.mp4", library);
  const auto size = fs::file_size(clip);
  // Slow enough to watch: the file takes about four seconds to arrive.
  test::MediaServer mirror(hall.root, library, "mirror", "--rate " + std::to_string(std::max<std::uintmax_t>(2000, size / 4)));
  hall.start_screen("mirrors = [\"" + mirror.base() + "\"]");
  REQUIRE(eventually([&] { return hall.share_of(red) > 0.95; }));

  hall.push("[[item]]\nfile = \"blue.mp4\"\n");
  REQUIRE(eventually([&] { return fs::exists(hall.root / "cache" / (sha + ".part")); }, 10s));
  // While the file is on its way the screen goes on with red, and says what it waits for.
  int looks = 0;
  while (!fs::exists(hall.root / "cache" / sha) && looks < 100) {
    INFO(hall.log());
    const double r = hall.share_of(red);
    if (fs::exists(hall.root / "cache" / sha)) break;
    REQUIRE(r > 0.95);
    ++looks;
    std::this_thread::sleep_for(100ms);
  }
  CHECK(looks >= 10);
  CHECK_THAT(hall.log(), Catch::Contains("playlist for zone main waits for 1 of 1 files"));
  const bool listed = eventually([&] { return hall.screens().find("fetching 1 of 1 file") != std::string::npos; }, 3s);
  CHECK((listed || fs::exists(hall.root / "cache" / sha)));

  // Verified and in place: now the screen switches.
  REQUIRE(eventually([&] { return hall.share_of(blue) > 0.95; }, 15s));
  CHECK(sha_of(hall.root / "cache" / sha) == sha);
  CHECK(eventually([&] { return hall.screens().find("in step") != std::string::npos; }, 5s));
}

TEST_CASE("with no mirror, a screen fetches a pushed playlist's file from the hub itself, with the hub's token") {
  Hall hall;
  test::solid_clip(hall.dir.path(), "red.mp4", "red", 1.5);
  const auto clip = test::solid_clip(hall.dir.path(), "blue.mp4", "blue", 1.5);
  const auto sha = hall.add_to_library(clip, "blue.mp4", hall.root / "unused");
  hall.start_screen("");
  REQUIRE(eventually([&] { return hall.share_of(red) > 0.95; }));
  hall.push("[[item]]\nfile = \"blue.mp4\"\n");
  INFO(hall.log());
  REQUIRE(eventually([&] { return hall.share_of(blue) > 0.95; }, 20s));
  CHECK(sha_of(hall.root / "cache" / sha) == sha);
  // Every byte came from the hub, once.
  const auto status = test::run({TABLOCTL_BIN, "--hub", hall.commands, "--timeout", "2", "status"}).output;
  INFO(status);
  CHECK(std::regex_search(status, std::regex("media\\.served_bytes +" + std::to_string(fs::file_size(clip)) + "\n")));
}

TEST_CASE("a hall screen without a playlist of its own shows a pushed one in its media region, and the whole board again when it is withdrawn") {
  Hall hall;
  const auto clip = test::solid_clip(hall.dir.path(), "blue.mp4", "blue", 1.5);
  hall.add_to_library(clip, "blue.mp4", hall.root / "unused");
  hall.start_screen("", false);
  REQUIRE(eventually([&] { return fs::exists(hall.root / "latest.png"); }));
  CHECK(hall.share_of(blue) < 0.05);  // the board, no media
  hall.push("[[item]]\nfile = \"blue.mp4\"\n");
  if (!eventually([&] { return hall.share_of(blue) > 0.95; }, 20s)) FAIL(hall.log());
  hall.push("");
  CHECK(eventually([&] { return hall.share_of(blue) < 0.05; }, 10s));
  CHECK_THAT(hall.log(), Catch::Contains("the board fills the screen again"));
  CHECK(hall.screen->running());
}

TEST_CASE("a screen killed mid-transfer resumes from its part file when it starts again") {
  Hall hall;
  test::solid_clip(hall.dir.path(), "red.mp4", "red", 1.5);
  const fs::path library = hall.root / "library";
  // About 3 MB that FFmpeg plays (raw pictures), so the hub takes it into its library.
  const auto clip = test::make_clip(hall.dir.path(), "welcome.mkv",
                                    "-f lavfi -i color=c=green:size=640x360:rate=25 -t 0.36 -c:v rawvideo -pix_fmt yuv420p");
  const std::uint64_t size = fs::file_size(clip);
  REQUIRE(size > 2'500'000);
  const auto sha = hall.add_to_library(clip, "welcome.mp4", library);
  test::MediaServer mirror(hall.root, library, "mirror", "--rate 600000");
  hall.start_screen("mirrors = [\"" + mirror.base() + "\"]");
  hall.push("[[item]]\nfile = \"welcome.mp4\"\n");

  const fs::path part = hall.root / "cache" / (sha + ".part");
  REQUIRE(eventually([&] { return fs::exists(part) && fs::file_size(part) > 600'000; }));
  hall.screen->signal(SIGKILL);
  REQUIRE(hall.screen->wait(5s) != -1);
  REQUIRE(eventually([&] { return !mirror.requests().empty(); }, 5s));  // the server saw the line go
  const auto kept = fs::file_size(part);
  REQUIRE(kept < size);

  hall.start_screen("mirrors = [\"" + mirror.base() + "\"]");
  REQUIRE(eventually([&] { return fs::exists(hall.root / "cache" / sha); }, 30s));
  CHECK(sha_of(hall.root / "cache" / sha) == sha);
  // The server logs a request once it has sent its last byte: maybe after the screen has it.
  eventually([&] { return mirror.requests().size() >= 2; }, 10s);
  const auto requests = mirror.requests();
  INFO(mirror.log() << hall.log());
  REQUIRE(requests.size() == 2);
  CHECK(requests[1].start == kept);  // from the part file's end, not from the start
  CHECK(requests[1].status == 206);
  CHECK(requests[1].sent == size - kept);
  // What the killed screen had received but not yet written is all that came twice.
  CHECK(requests[0].sent - kept < 256 * 1024);
  CHECK_THAT(hall.log(), Catch::Contains("welcome.mp4 resumes at byte " + std::to_string(kept)));
}

TEST_CASE("a screen whose cache folder cannot be made plays on, and says why in its report") {
  Hall hall;
  test::solid_clip(hall.dir.path(), "red.mp4", "red", 1.5);
  std::ofstream(hall.root / "cache") << "a file where the cache folder should be";
  hall.start_screen("");
  REQUIRE(eventually([&] { return hall.share_of(red) > 0.95; }));
  std::string listed;
  CHECK(eventually([&] { return (listed = hall.screens()).find("cannot make the media cache folder") != std::string::npos; }, 10s));
  INFO(listed);
  CHECK(hall.screen->running());
}
