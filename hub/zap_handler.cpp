#include "hub/zap_handler.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <zmq_addon.hpp>

#include <array>
#include <cstdio>
#include <cstring>

namespace tablo::hub {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr const char* zap_endpoint = "inproc://zeromq.zap.01";
// A client with a wrong key retries every few hundred ms, and a flood of fresh keys is one
// try each: every try is counted, but the log sums them up every 10 s.
constexpr auto summarise_every = 10s;

std::string shortened(const std::string& key) { return key.substr(0, 8) + "…"; }

std::string hex(std::uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", value);
  return text;
}

}  // namespace

ZapHandler::ZapHandler(zmq::context_t& context, AuthorizedKeys& keys, std::function<void()> on_failure)
    : context_(context),
      keys_(keys),
      on_failure_(std::move(on_failure)),
      socket_(context, zmq::socket_type::rep),
      refusals_(summarise_every) {
  socket_.set(zmq::sockopt::linger, 0);
  socket_.bind(zap_endpoint);  // before any CURVE socket binds: see the header
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) throw std::runtime_error(std::string("cannot create an eventfd: ") + std::strerror(errno));
  thread_ = std::thread([this] { run(); });
}

ZapHandler::~ZapHandler() {
  stopping_ = true;
  const std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
  thread_.join();
  ::close(wake_fd_);
}

void ZapHandler::watch_handshakes(zmq::socket_t& socket, const std::string& what) {
  const std::string endpoint = "inproc://tablo-handshakes-" + what;
  if (zmq_socket_monitor(socket.handle(), endpoint.c_str(),
                         ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL) != 0) {
    throw zmq::error_t();
  }
  zmq::socket_t monitor(context_, zmq::socket_type::pair);
  monitor.set(zmq::sockopt::linger, 0);
  monitor.connect(endpoint);
  {
    std::lock_guard lock(mutex_);
    arriving_.push_back(Watched{what, std::move(monitor)});
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
}

std::map<std::string, std::uint64_t> ZapHandler::take_refused() {
  std::lock_guard lock(mutex_);
  return std::exchange(refused_, {});
}

void ZapHandler::refused(const std::string& kind) {
  std::lock_guard lock(mutex_);
  ++refused_[kind];
}


void ZapHandler::run() {
  try {
    while (!stopping_) {
      std::vector<zmq::pollitem_t> items{{socket_.handle(), 0, ZMQ_POLLIN, 0},
                                         {nullptr, wake_fd_, ZMQ_POLLIN, 0},
                                         {nullptr, keys_.watch_fd(), ZMQ_POLLIN, 0}};
      for (auto& w : watched_) items.push_back({w.monitor.handle(), 0, ZMQ_POLLIN, 0});
      auto deadline = keys_.next_look();
      if (auto summary = refusals_.next_due()) deadline = std::min(deadline, *summary);
      const auto wait = std::max(0ms, std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()));
      try {
        zmq::poll(items.data(), items.size(), wait);
      } catch (const zmq::error_t& e) {
        if (e.num() == EINTR) continue;
        throw;
      }
      if (items[0].revents & ZMQ_POLLIN) answer();
      if (items[1].revents & ZMQ_POLLIN) {
        std::uint64_t count;
        [[maybe_unused]] auto n = ::read(wake_fd_, &count, sizeof count);
        std::lock_guard lock(mutex_);
        for (auto& w : arriving_) watched_.push_back(std::move(w));
        arriving_.clear();
      }
      if (items[2].revents & ZMQ_POLLIN) keys_.on_watch_event();
      for (std::size_t i = 3; i < items.size(); ++i) {
        if (items[i].revents & ZMQ_POLLIN) on_handshake_failure(watched_[i - 3]);
      }
      if (Clock::now() >= keys_.next_look()) keys_.look();
      refusals_.summarise(Clock::now(), [](const std::string& line) { spdlog::warn("{}", line); });
    }
  } catch (const std::exception& e) {
    // The socket stays bound, unanswered: handshakes wait rather than pass while the hub stops.
    failed_ = true;
    spdlog::critical("the key check (ZAP handler) stopped on an error: {}; stopping the hub, since without it "
                     "any key would get in",
                     e.what());
    on_failure_();
  }
}

void ZapHandler::answer() {
  std::vector<zmq::message_t> request;
  if (!zmq::recv_multipart(socket_, std::back_inserter(request), zmq::recv_flags::dontwait)) return;
  auto frame = [&](std::size_t i) { return i < request.size() ? request[i].to_string() : std::string(); };
  // version, request id, domain, address, routing id, mechanism, credentials…
  const std::string request_id = frame(1), domain = frame(2), address = frame(3), mechanism = frame(5);
  std::string status = "400", text = "key not authorised", user_id;
  if (frame(0) != "1.0" || request.size() < 6) {
    status = "500";
    text = "not a ZAP 1.0 request";
  } else if (mechanism != "CURVE" || request.size() != 7 || request[6].size() != 32) {
    text = "CURVE keys are required";  // the hub sets CURVE on every socket: should not happen
  } else {
    char z85[41] = {};
    zmq_z85_encode(z85, request[6].data<std::uint8_t>(), 32);
    const std::string key = z85;
    const auto table = keys_.current();
    if (const Client* client = table->find(key)) {
      status = "200";
      text = "OK";
      user_id = key;
      spdlog::debug("key '{}' ({}) came in on the {} socket from {}", client->name, name_of(client->role), domain,
                    address);
    } else {
      refused("key");
      if (refusals_.refused("an unknown key on the " + domain + " socket", address, Clock::now())) {
        spdlog::warn("refused a client with an unknown key {} from {} on the {} socket (every try is counted; "
                     "to let it in, put its NAME.key into {})",
                     shortened(key), address, domain, keys_.folder().string());
      }
    }
  }
  const std::array<std::string, 6> reply{"1.0", request_id, status, text, user_id, ""};
  for (std::size_t i = 0; i < reply.size(); ++i) {
    socket_.send(zmq::buffer(reply[i]), i + 1 < reply.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
  }
}

void ZapHandler::on_handshake_failure(Watched& watched) {
  std::vector<zmq::message_t> event;
  if (!zmq::recv_multipart(watched.monitor, std::back_inserter(event), zmq::recv_flags::dontwait)) return;
  if (event.empty() || event[0].size() < 6) return;
  std::uint16_t id = 0;
  std::uint32_t value = 0;
  std::memcpy(&id, event[0].data<char>(), sizeof id);
  std::memcpy(&value, event[0].data<char>() + 2, sizeof value);
  refused("handshake");
  const auto now = Clock::now();
  const std::string address;  // the monitor does not say who it was
  if (id == ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL) {
    if (refusals_.refused("a handshake that broke off on the " + watched.what + " socket", address, now)) {
      spdlog::warn("a handshake on the {} socket broke off ({}; every failure is counted)", watched.what,
                   std::strerror(static_cast<int>(value)));
    }
  } else if (value == ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH) {
    if (refusals_.refused("no keys on the " + watched.what + " socket", address, now)) {
      spdlog::warn("refused a client without keys on the {} socket: this hub takes CURVE clients only "
                   "(every try is counted)",
                   watched.what);
    }
  } else if (refusals_.refused("a failed handshake on the " + watched.what + " socket", address, now)) {
    spdlog::warn("a handshake on the {} socket failed (protocol error {}; every failure is counted)", watched.what,
                 hex(value));
  }
}

}  // namespace tablo::hub
