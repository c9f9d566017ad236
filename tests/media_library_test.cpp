// The hub's media library with the real tablo-hub, the real tabloctl and curl over loopback,
// on files made with the ffmpeg tool: uploads (whole, twice, cut off and resumed, unplayable),
// playlists that name library files, removal, and the HTTP endpoint's tokens, ranges and limit.
#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "hub/media_token.hpp"
#include "protocol/codec.hpp"
#include "protocol/command_client.hpp"
#include "tests/support/process.hpp"

using namespace std::chrono_literals;
using tablo::test::Process;
using tablo::test::Ran;
using tablo::test::run;
namespace fs = std::filesystem;

namespace {

std::string port_of(const std::string& endpoint) { return endpoint.substr(endpoint.rfind(':') + 1); }

void make_clip(const std::string& path, const std::string& args) {
  std::vector<std::string> argv{"/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y"};
  std::istringstream words(args);
  for (std::string w; words >> w;) argv.push_back(w);
  argv.push_back(path);
  const auto ran = run(argv, 60s);
  INFO(ran.output);
  REQUIRE(ran.exit_code == 0);
}

// A short H.264 clip (tens of KB) and a large raw-video one (about 28 MB, quick to make).
std::string small_clip(const std::string& dir) {
  const auto path = dir + "/welcome.mp4";
  make_clip(path, "-f lavfi -i testsrc=size=320x240:rate=25 -t 2 -c:v libx264 -preset ultrafast -pix_fmt yuv420p");
  return path;
}
std::string large_clip(const std::string& dir) {
  const auto path = dir + "/large.mkv";
  make_clip(path, "-f lavfi -i testsrc=size=640x480:rate=25 -frames:v 60 -c:v rawvideo -pix_fmt yuv420p");
  return path;
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

struct MediaHub {
  tablo::test::TempDir dir;
  std::string commands = tablo::test::free_endpoint();
  std::string events = tablo::test::free_endpoint();
  std::string http_port = port_of(tablo::test::free_endpoint());
  std::string config = dir.path() + "/hub.toml";
  std::string media = dir.path() + "/media";
  std::optional<Process> process;

  explicit MediaHub(int transfers = 4) {
    std::ofstream(config) << "[hub]\ncommands = \"" << commands << "\"\nevents = \"" << events
                          << "\"\njournal = \"journal\"\n[hub.metrics]\nlisten = \"\"\n[hub.media]\nfolder = \"media\"\n"
                          << "listen = \"127.0.0.1:" << http_port << "\"\ntransfers = " << transfers << "\n";
    start();
  }
  void start() {
    process.emplace(std::vector<std::string>{TABLO_HUB_BIN, "--config", config});
    // Serving once tabloctl status answers.
    for (int i = 0; i < 100 && ctl({"status"}).exit_code != 0; ++i) std::this_thread::sleep_for(50ms);
  }
  Ran ctl(std::vector<std::string> args, std::chrono::milliseconds timeout = 20s) const {
    std::vector<std::string> argv{TABLOCTL_BIN, "--hub", commands, "--retries", "0"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, timeout);
  }
  std::string token_from_hub() const;
  std::string url(const std::string& sha) const { return "http://127.0.0.1:" + http_port + "/media/" + sha; }
};

// The media_token reply's token, asked as a screen asks: a command on the hub's socket.
std::string MediaHub::token_from_hub() const {
  zmq::context_t context;
  tablo::protocol::CommandClient client(context, commands);
  auto reply = client.request(tablo::protocol::Command{"", "main", tablo::protocol::MediaAction{tablo::protocol::MediaTokenRequest{}}}, 5s);
  REQUIRE(reply);
  const auto* token = std::get_if<tablo::protocol::MediaToken>(&reply->answer);
  REQUIRE(token);
  CHECK(token->port == std::stoi(http_port));
  CHECK(token->expires > std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() + 3000);
  return token->token;
}

std::string sha_of(const MediaHub& hub, const std::string& name) {
  const auto info = hub.ctl({"media", "info", name, "--json"});
  REQUIRE(info.exit_code == 0);
  std::smatch m;
  REQUIRE(std::regex_search(info.output, m, std::regex("\"sha256\":\"([0-9a-f]{64})\"")));
  return m[1];
}

std::size_t files_stored(const MediaHub& hub) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(hub.media + "/files")) ++n;
  return n;
}

// curl's status line and headers (-D -) and the body into `out`.
Ran curl(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"/usr/bin/curl", "-sS", "-D", "-"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, 60s);
}

}  // namespace

TEST_CASE("a file is added, listed, described and removed; the same bytes twice are stored once") {
  MediaHub hub;
  const auto clip = small_clip(hub.dir.path());
  auto added = hub.ctl({"media", "add", clip});
  INFO(added.output);
  REQUIRE(added.exit_code == 0);
  CHECK(added.output.find("added: welcome.mp4") != std::string::npos);
  CHECK(added.output.find("h264 320x240") != std::string::npos);
  REQUIRE(hub.ctl({"media", "add", clip, "--name", "again.mp4"}).exit_code == 0);
  CHECK(files_stored(hub) == 1);
  const auto list = hub.ctl({"media", "list"});
  CHECK(list.output.find("again.mp4") != std::string::npos);
  CHECK(list.output.find("welcome.mp4") != std::string::npos);
  const auto info = hub.ctl({"media", "info", "welcome.mp4", "--json"});
  CHECK(info.output.find("\"container\":\"mov,mp4,m4a,3gp,3g2,mj2\"") != std::string::npos);
  CHECK(info.output.find("\"duration\":2.0") != std::string::npos);
  CHECK(read(hub.media + "/files/" + sha_of(hub, "welcome.mp4")) == read(clip));
  REQUIRE(hub.ctl({"media", "rm", "again.mp4"}).exit_code == 0);
  CHECK(files_stored(hub) == 1);  // welcome.mp4 still has it
  REQUIRE(hub.ctl({"media", "rm", "welcome.mp4"}).exit_code == 0);
  CHECK(files_stored(hub) == 0);
  const auto gone = hub.ctl({"media", "info", "welcome.mp4"});
  CHECK(gone.exit_code == 1);
  CHECK(gone.output.find("no file named 'welcome.mp4'") != std::string::npos);
}

TEST_CASE("a file FFmpeg cannot play is refused at upload with the reason, and leaves nothing behind") {
  MediaHub hub;
  const auto junk = hub.dir.path() + "/notes.mp4";
  std::ofstream(junk) << std::string(200000, 'x');
  auto refused = hub.ctl({"media", "add", junk});
  CHECK(refused.exit_code == 1);
  CHECK(refused.output.find("'notes.mp4' cannot play on the screens: FFmpeg does not recognise it") != std::string::npos);
  // Refused once, not sent again: the bytes of a 2.5 MiB file that is no video reach the hub once.
  auto received = [&] {
    std::smatch m;
    const auto status = hub.ctl({"status"}).output;
    REQUIRE(std::regex_search(status, m, std::regex("media.received_bytes +([0-9]+)")));
    return std::stoll(m[1]);
  };
  std::ofstream(hub.dir.path() + "/big-notes.mp4") << std::string(2'600'000, 'x');
  const auto before = received();
  auto big = hub.ctl({"media", "add", hub.dir.path() + "/big-notes.mp4"});
  CHECK(big.exit_code == 1);
  CHECK(big.output.find("'big-notes.mp4' cannot play on the screens") != std::string::npos);
  CHECK(received() - before == 2'600'000);
  // The same bytes under another name: refused at once, nothing sent.
  auto again = hub.ctl({"media", "add", hub.dir.path() + "/big-notes.mp4", "--name", "other.mp4"});
  CHECK(again.exit_code == 1);
  CHECK(again.output.find("'other.mp4' cannot play on the screens: FFmpeg does not recognise it") != std::string::npos);
  CHECK(received() - before == 2'600'000);
  // An MP4 cut in half: FFmpeg opens it, but the picture is not there.
  const auto clip = small_clip(hub.dir.path());
  const auto whole = read(clip);
  std::ofstream(hub.dir.path() + "/cut.mp4", std::ios::binary) << whole.substr(0, 600);
  auto cut = hub.ctl({"media", "add", hub.dir.path() + "/cut.mp4"});
  CHECK(cut.exit_code == 1);
  CHECK(cut.output.find("'cut.mp4' cannot play on the screens") != std::string::npos);
  CHECK(files_stored(hub) == 0);
  CHECK(fs::is_empty(hub.media + "/parts"));
}

TEST_CASE("playlists name library files: an unknown one is refused by name, one in force cannot be removed") {
  MediaHub hub;
  REQUIRE(hub.ctl({"media", "add", small_clip(hub.dir.path())}).exit_code == 0);
  const auto unknown = hub.dir.path() + "/unknown.toml", known = hub.dir.path() + "/known.toml";
  std::ofstream(unknown) << "[[item]]\nfile = \"welcome.mp4\"\n\n[[item]]\nfile = \"tax-deadline.mp4\"\n";
  std::ofstream(known) << "[[item]]\nfile = \"welcome.mp4\"\nduration = 5\n";
  auto refused = hub.ctl({"--zone", "hall-2", "playlist", "set", unknown});
  CHECK(refused.exit_code == 1);
  CHECK(refused.output.find("zone 'hall-2': the playlist names 'tax-deadline.mp4', which is not in the media library") !=
        std::string::npos);
  REQUIRE(hub.ctl({"--zone", "hall-2", "playlist", "set", known}).exit_code == 0);
  auto in_use = hub.ctl({"media", "rm", "welcome.mp4"});
  CHECK(in_use.exit_code == 1);
  CHECK(in_use.output.find("in the playlist in force in zone 'hall-2'") != std::string::npos);
  // The snapshot carries the files, as the journal does across a restart.
  const auto sha = sha_of(hub, "welcome.mp4");
  hub.process->signal(SIGKILL);
  hub.process->wait(5s);
  hub.start();
  zmq::context_t context;
  tablo::protocol::CommandClient client(context, hub.commands);
  auto reply = client.request(tablo::protocol::Command{"", "hall-2", tablo::protocol::SnapshotRequest{}}, 5s);
  REQUIRE(reply);
  const auto& board = std::get<tablo::protocol::Snapshot>(reply->answer).board;
  REQUIRE(board.playlist_media.count("welcome.mp4") == 1);
  CHECK(board.playlist_media.at("welcome.mp4").sha256 == sha);
  CHECK(hub.ctl({"media", "rm", "welcome.mp4"}).exit_code == 1);
  REQUIRE(hub.ctl({"--zone", "hall-2", "playlist", "clear"}).exit_code == 0);
  CHECK(hub.ctl({"media", "rm", "welcome.mp4"}).exit_code == 0);
}

TEST_CASE("an upload cut off by killing the client goes on from what the hub has") {
  MediaHub hub;
  const auto clip = large_clip(hub.dir.path());
  const auto size = fs::file_size(clip);
  std::uint64_t part_bytes = 0;
  {
    Process upload({TABLOCTL_BIN, "--hub", hub.commands, "media", "add", clip});
    for (int i = 0; i < 400 && part_bytes < size / 4; ++i) {
      std::this_thread::sleep_for(10ms);
      for (const auto& e : fs::directory_iterator(hub.media + "/parts")) part_bytes = e.file_size();
    }
    upload.signal(SIGKILL);
    upload.wait(5s);
  }
  for (const auto& e : fs::directory_iterator(hub.media + "/parts")) part_bytes = e.file_size();
  INFO("part file of " << part_bytes << " of " << size << " bytes");
  REQUIRE(part_bytes > 0);
  REQUIRE(part_bytes < size);
  auto again = hub.ctl({"media", "add", clip});
  INFO(again.output);
  REQUIRE(again.exit_code == 0);
  CHECK(again.output.find("of it already; going on") != std::string::npos);
  CHECK(read(hub.media + "/files/" + sha_of(hub, "large.mkv")) == read(clip));
  CHECK(fs::is_empty(hub.media + "/parts"));
}

TEST_CASE("the HTTP endpoint serves a file whole or by range to a good token only") {
  MediaHub hub;
  const auto clip = small_clip(hub.dir.path());
  REQUIRE(hub.ctl({"media", "add", clip}).exit_code == 0);
  const auto sha = sha_of(hub, "welcome.mp4");
  const auto token = hub.token_from_hub();
  const auto out = hub.dir.path() + "/got";
  auto whole = curl({"-o", out, hub.url(sha) + "?t=" + token});
  CHECK(whole.output.find("HTTP/1.1 200") != std::string::npos);
  CHECK(whole.output.find("ETag: \"" + sha + "\"") != std::string::npos);
  CHECK(whole.output.find("Cache-Control: public, max-age=31536000, immutable") != std::string::npos);
  CHECK(read(out) == read(clip));
  auto part = curl({"-o", out, "-r", "100-199", hub.url(sha) + "?t=" + token});
  CHECK(part.output.find("HTTP/1.1 206") != std::string::npos);
  CHECK(part.output.find("Content-Range: bytes 100-199/" + std::to_string(fs::file_size(clip))) != std::string::npos);
  CHECK(read(out) == read(clip).substr(100, 100));
  auto tail = curl({"-o", out, "-r", "1000-", hub.url(sha) + "?t=" + token});
  CHECK(read(out) == read(clip).substr(1000));
  auto head = curl({"-I", hub.url(sha) + "?t=" + token});
  CHECK(head.output.find("Content-Length: " + std::to_string(fs::file_size(clip))) != std::string::npos);
  auto beyond = curl({"-o", out, "-r", "99999999-", hub.url(sha) + "?t=" + token});
  CHECK(beyond.output.find("HTTP/1.1 416") != std::string::npos);
  auto unknown = curl({hub.url(std::string(64, 'a')) + "?t=" + token});
  CHECK(unknown.output.find("HTTP/1.1 404") != std::string::npos);

  auto missing = curl({hub.url(sha)});
  CHECK(missing.output.find("HTTP/1.1 403") != std::string::npos);
  CHECK(missing.output.find("no token") != std::string::npos);
  std::string forged = token;
  forged[0] = forged[0] == '9' ? '8' : '9';  // a later expiry, same signature
  auto forgery = curl({hub.url(sha) + "?t=" + forged});
  CHECK(forgery.output.find("HTTP/1.1 403") != std::string::npos);
  CHECK(forgery.output.find("not one this hub signed") != std::string::npos);
  // Signed with this hub's own secret, but an hour ago's expiry.
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const auto expired = tablo::hub::MediaTokens(hub.media + "/token.secret").issue("desk-3", now - 3600);
  auto late = curl({hub.url(sha) + "?t=" + expired});
  CHECK(late.output.find("HTTP/1.1 403") != std::string::npos);
  CHECK(late.output.find("the token expired at") != std::string::npos);
  // Another hub's token.
  MediaHub other;
  auto foreign = curl({hub.url(sha) + "?t=" + other.token_from_hub()});
  CHECK(foreign.output.find("HTTP/1.1 403") != std::string::npos);
  const auto status = hub.ctl({"status"});
  CHECK(std::regex_search(status.output, std::regex("media.refused.token +4")));
  CHECK(std::regex_search(status.output, std::regex("media.refused.unknown +1")));
}

TEST_CASE("past the transfer limit the endpoint answers 503 with Retry-After") {
  MediaHub hub(2);
  const auto clip = large_clip(hub.dir.path());
  REQUIRE(hub.ctl({"media", "add", clip}, 60s).exit_code == 0);
  const auto url = hub.url(sha_of(hub, "large.mkv")) + "?t=" + hub.token_from_hub();
  // Two slow fetchers hold both places (28 MB at 1 MB/s) while a third asks.
  Process a({"/usr/bin/curl", "-s", "-o", "/dev/null", "--limit-rate", "1M", url});
  Process b({"/usr/bin/curl", "-s", "-o", "/dev/null", "--limit-rate", "1M", url});
  std::this_thread::sleep_for(1500ms);
  auto third = curl({"-o", "/dev/null", url});
  CHECK(third.output.find("HTTP/1.1 503") != std::string::npos);
  CHECK(third.output.find("Retry-After: 5") != std::string::npos);
  const auto status = hub.ctl({"status"});
  CHECK(std::regex_search(status.output, std::regex("media.transfers_now +2")));
  CHECK(std::regex_search(status.output, std::regex("media.most_at_once +2")));
  CHECK(std::regex_search(status.output, std::regex("media.refused.busy +1")));
}

TEST_CASE("a fetch cut off by a hub restart goes on with Range from where it stopped") {
  MediaHub hub;
  const auto clip = large_clip(hub.dir.path());
  REQUIRE(hub.ctl({"media", "add", clip}, 60s).exit_code == 0);
  const auto url = hub.url(sha_of(hub, "large.mkv")) + "?t=" + hub.token_from_hub();
  const auto out = hub.dir.path() + "/fetched";
  {
    Process fetch({"/usr/bin/curl", "-s", "-o", out, "--limit-rate", "4M", url});
    std::this_thread::sleep_for(1500ms);
    hub.process->signal(SIGKILL);
    hub.process->wait(5s);
    fetch.wait(10s);
  }
  const auto had = fs::file_size(out);
  INFO("had " << had << " of " << fs::file_size(clip));
  REQUIRE(had > 0);
  REQUIRE(had < fs::file_size(clip));
  hub.start();
  // The token outlives the restart: the hub's secret is on disk.
  auto resumed = curl({"-C", "-", "-o", out, url});
  CHECK(resumed.output.find("HTTP/1.1 206") != std::string::npos);
  CHECK(resumed.output.find("Content-Range: bytes " + std::to_string(had) + "-") != std::string::npos);
  CHECK(read(out) == read(clip));
  const auto status = hub.ctl({"status"});
  std::smatch served;
  REQUIRE(std::regex_search(status.output, served, std::regex("media.served_bytes +([0-9]+)")));
  CHECK(std::stoull(served[1]) == fs::file_size(clip) - had);  // no byte sent twice
}
