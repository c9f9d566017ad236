#pragma once
// A real tablo-hub with keys for the security tests: the hub's pair, and clients desk-3
// (operator), screen-1 (display), boss (admin) in the authorised-keys folder, and a stranger
// who is not; with sockets and tabloctl runs of each.
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <zmq.hpp>
#include <zmq_addon.hpp>

#include "protocol/codec.hpp"
#include "protocol/curve_keys.hpp"
#include "tests/support/process.hpp"

namespace tablo::test::keyed {

using namespace tablo::protocol;
using namespace std::chrono_literals;
using test::Process;
namespace fs = std::filesystem;

constexpr auto patience = 5s;

inline std::optional<std::vector<std::string>> receive(zmq::socket_t& socket, std::chrono::milliseconds timeout) {
  zmq::pollitem_t item{socket.handle(), 0, ZMQ_POLLIN, 0};
  if (zmq::poll(&item, 1, timeout) == 0) return std::nullopt;
  std::vector<zmq::message_t> parts;
  if (!zmq::recv_multipart(socket, std::back_inserter(parts))) return std::nullopt;
  std::vector<std::string> frames;
  for (auto& p : parts) frames.push_back(p.to_string());
  return frames;
}

inline Reply ask(zmq::socket_t& dealer, const Command& command) {
  dealer.send(zmq::buffer(encode(command)), zmq::send_flags::none);
  auto frames = receive(dealer, patience);
  REQUIRE(frames);
  auto reply = decode_reply(frames->back());
  REQUIRE(reply);
  return *reply;
}

inline std::uint64_t counter(const Reply& reply, const std::string& name) {
  REQUIRE(std::holds_alternative<Status>(reply.answer));
  const auto& counters = std::get<Status>(reply.answer).counters;
  auto it = counters.find(name);
  return it == counters.end() ? 0 : it->second;
}

// A branch whose hub uses keys: the hub's pair, and clients desk-3 (operator), screen-1
// (display), boss (admin) in the authorised-keys folder, and a stranger who is not.
struct KeyedHub {
  test::TempDir dir;
  fs::path keys = fs::path(dir.path()) / "keys";
  fs::path authorised = fs::path(dir.path()) / "authorised";
  std::string commands = test::free_endpoint();
  std::string events = test::free_endpoint();
  std::unique_ptr<Process> hub;
  zmq::context_t context;

  KeyedHub() {
    fs::create_directories(authorised);
    keygen("hub", "");
    for (auto [name, role] : {std::pair{"desk-3", "operator"}, {"screen-1", "display"}, {"boss", "admin"}}) {
      keygen(name, role);
      fs::copy_file(keys / (std::string(name) + ".key"), authorised / (std::string(name) + ".key"));
    }
    keygen("stranger", "operator");
    std::ofstream(fs::path(dir.path()) / "hub.toml") << "[hub]\nsecret_key = \"keys/hub.secret\"\n"
                                                        "authorized_keys = \"authorised\"\n";
  }

  // `screens`: the screens the key may report as (keygen --screen).
  test::Ran keygen(const std::string& name, const std::string& role, const std::vector<std::string>& screens = {}) {
    std::vector<std::string> argv{TABLOCTL_BIN, "keygen", name, "--dir", keys.string()};
    if (!role.empty()) argv.insert(argv.end(), {"--role", role});
    for (const auto& screen : screens) argv.insert(argv.end(), {"--screen", screen});
    auto ran = test::run(argv);
    REQUIRE(ran.exit_code == 0);
    return ran;
  }

  std::vector<std::string> hub_argv() const {
    return {TABLO_HUB_BIN, "--config", dir.path() + "/hub.toml", "--commands", commands, "--events", events,
            "--journal", dir.path() + "/journal"};
  }

  // A key made and let in.
  void authorise(const std::string& name, const std::string& role, const std::vector<std::string>& screens = {}) {
    keygen(name, role, screens);
    fs::copy_file(keys / (name + ".key"), authorised / (name + ".key"));
  }

  // `log`: a file for the hub's output; empty: the test's own.
  void start(const std::string& log = "") {
    auto argv = hub_argv();
    if (!log.empty()) argv.insert(argv.begin(), {"/bin/sh", "-c", "log=$1; shift; exec \"$@\" >\"$log\" 2>&1", "sh", log});
    hub = std::make_unique<Process>(argv);
    for (auto deadline = std::chrono::steady_clock::now() + patience; std::chrono::steady_clock::now() < deadline;) {
      REQUIRE(hub->running());
      if (ctl("boss", {"status"}, "0.2").exit_code == 0) return;
    }
    FAIL("tablo-hub with keys did not answer within 5 s");
  }

  // tabloctl with NAME's keys ("" for none).
  test::Ran ctl(const std::string& name, std::vector<std::string> args, const std::string& timeout = "1") {
    std::vector<std::string> argv{TABLOCTL_BIN, "--hub", commands, "--timeout", timeout, "--retries", "0"};
    if (!name.empty()) {
      argv.insert(argv.end(), {"--key", (keys / (name + ".secret")).string(), "--hub-key", (keys / "hub.key").string()});
    }
    argv.insert(argv.end(), args.begin(), args.end());
    return test::run(argv, patience * 2);
  }

  ClientKeys keys_of(const std::string& name) const {
    return read_client_keys(keys / (name + ".secret"), keys / "hub.key");
  }

  // A socket of NAME's keys (none for ""), connected to the hub.
  zmq::socket_t client(zmq::socket_type type, const std::string& name) {
    zmq::socket_t socket(context, type);
    socket.set(zmq::sockopt::linger, 0);
    if (!name.empty()) use_curve(socket, keys_of(name));
    if (type == zmq::socket_type::sub) {
      socket.set(zmq::sockopt::subscribe, "");
      socket.connect(events);
    } else {
      socket.connect(commands);
    }
    return socket;
  }

  Reply status() {
    auto dealer = client(zmq::socket_type::dealer, "boss");
    return ask(dealer, Command{"s", "main", StatusRequest{}});
  }
};


}  // namespace tablo::test::keyed
