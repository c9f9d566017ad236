#include "hub/zap_handler.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <zmq_addon.hpp>

#include <array>
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
      zmq::pollitem_t items[]{{socket_.handle(), 0, ZMQ_POLLIN, 0},
                                         {nullptr, wake_fd_, ZMQ_POLLIN, 0},
                                         {nullptr, keys_.watch_fd(), ZMQ_POLLIN, 0}};
      auto deadline = keys_.next_look();
      if (auto summary = refusals_.next_due()) deadline = std::min(deadline, *summary);
      const auto wait = std::max(0ms, std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()));
      try {
        zmq::poll(items, 3, wait);
      } catch (const zmq::error_t& e) {
        if (e.num() == EINTR) continue;
        throw;
      }
      if (items[0].revents & ZMQ_POLLIN) answer();
      if (items[2].revents & ZMQ_POLLIN) keys_.on_watch_event();
      if (Clock::now() >= keys_.next_look()) look_at_keys();
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

void ZapHandler::look_at_keys() {
  const auto before = keys_.current();
  if (!keys_.look()) return;
  const auto after = keys_.current();
  for (const auto& [key, client] : before->by_public_key) {
    if (!after->find(key)) {
      spdlog::info("key '{}' ({}) left the authorised keys: its connections are closed", client.name,
                   name_of(client.role));
      keys_left_ = true;
    }
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

}  // namespace tablo::hub
