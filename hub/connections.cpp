#include "hub/connections.hpp"

#include <dirent.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <zmq_addon.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "hub/descriptors.hpp"

namespace tablo::hub {
namespace {

using namespace std::chrono_literals;

constexpr int monitored = ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_DISCONNECTED | ZMQ_EVENT_ACCEPT_FAILED |
                          ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL;
// After accept() failed for want of descriptors, the socket takes no connection for this long
// (libzmq would otherwise retry at once, for ever).
constexpr auto pause_after_emfile = 1s;
constexpr auto summarise_every = 10s;

std::string hex(std::uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", value);
  return text;
}

// The port of "tcp://host:port"; 0 for other transports.
int port_of(const std::string& endpoint) {
  if (!endpoint.starts_with("tcp://")) return 0;
  const auto colon = endpoint.rfind(':');
  return colon == std::string::npos ? 0 : std::atoi(endpoint.c_str() + colon + 1);
}

// This process's listening TCP sockets on `port` (libzmq does not hand out its descriptors).
std::vector<int> listening_on(int port) {
  std::vector<int> fds;
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) return fds;
  while (const dirent* entry = ::readdir(dir)) {
    const int fd = std::atoi(entry->d_name);
    if (fd <= 2 || fd == ::dirfd(dir)) continue;
    int accepts = 0;
    socklen_t size = sizeof accepts;
    if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepts, &size) != 0 || !accepts) continue;
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) continue;
    int bound = 0;
    if (address.ss_family == AF_INET) bound = ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
    if (address.ss_family == AF_INET6) bound = ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
    if (bound == port) fds.push_back(fd);
  }
  ::closedir(dir);
  return fds;
}

// A classic BPF program that keeps nothing: on a listening socket the kernel drops every new
// connection attempt (SYN) before it is queued, so accept() has nothing to do.
bool drop_new_connections(int fd, bool drop) {
  static sock_filter keep_nothing[] = {BPF_STMT(BPF_RET | BPF_K, 0)};
  static const sock_fprog program{1, keep_nothing};
  if (drop) return ::setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof program) == 0;
  int unused = 0;
  return ::setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, &unused, sizeof unused) == 0 || errno == ENOENT;
}

}  // namespace

Connections::Connections(zmq::context_t& context, std::uint64_t cap, std::function<void(std::string_view)> count_rejected)
    : context_(context), cap_(cap), count_rejected_(std::move(count_rejected)), log_(summarise_every) {}

void Connections::watch(zmq::socket_t& socket, const std::string& what, bool refused_at_cap) {
  const std::string endpoint = "inproc://tablo-peers-" + what + "-" + std::to_string(++generation_);
  if (zmq_socket_monitor(socket.handle(), endpoint.c_str(), monitored) != 0) throw zmq::error_t();
  zmq::socket_t monitor(context_, zmq::socket_type::pair);
  monitor.set(zmq::sockopt::linger, 0);
  monitor.connect(endpoint);
  std::erase_if(watched_, [&](const Watched& w) { return w.what == what; });
  watched_.push_back(Watched{what, refused_at_cap, std::move(monitor), 0, {}, false, std::nullopt});
}

void Connections::listening(const std::string& what, const std::string& endpoint) {
  for (auto& w : watched_) {
    if (w.what != what) continue;
    w.listeners = listening_on(port_of(endpoint));
    if (w.listeners.empty() && port_of(endpoint) != 0) {
      spdlog::warn("cannot find the listening socket of the {} socket ({}): past hub.max_connections its new "
                   "connections are cut rather than refused",
                   what, endpoint);
    }
  }
  apply_cap();
}

void Connections::add_poll_items(std::vector<zmq::pollitem_t>& items) {
  for (auto& w : watched_) items.push_back({w.monitor.handle(), 0, ZMQ_POLLIN, 0});
}

void Connections::on_monitor() {
  for (auto& w : watched_) {
    for (int i = 0; i < 1024; ++i) {  // a burst of connections is read in one go, within reason
      std::vector<zmq::message_t> frames;
      if (!zmq::recv_multipart(w.monitor, std::back_inserter(frames), zmq::recv_flags::dontwait)) break;
      if (frames.empty() || frames[0].size() < 6) continue;
      std::uint16_t id = 0;
      std::uint32_t value = 0;
      std::memcpy(&id, frames[0].data<char>(), sizeof id);
      std::memcpy(&value, frames[0].data<char>() + 2, sizeof value);
      event(w, id, value);
    }
  }
  apply_cap();
}

void Connections::event(Watched& w, std::uint16_t id, std::uint32_t value) {
  const auto now = Clock::now();
  if (id == ZMQ_EVENT_ACCEPTED) {
    ++w.peers;
    if (total() > threshold(w)) {
      // In before the filter took hold: cut (libzmq sees the end, closes it and says so).
      ::shutdown(static_cast<int>(value), SHUT_RDWR);
      count_rejected_("connections");
    }
  } else if (id == ZMQ_EVENT_DISCONNECTED) {
    if (w.peers > 0) --w.peers;
  } else if (id == ZMQ_EVENT_ACCEPT_FAILED) {
    count_rejected_("accept");
    if (value == EMFILE || value == ENFILE) {
      w.paused_until = now + pause_after_emfile;
      close(w, true);
    }
    if (log_.refused("a failed accept on the " + w.what + " socket", "", now)) {
      spdlog::warn("the {} socket could not take a connection: {} ({} connections now); it takes none for {} s. "
                   "Raise LimitNOFILE= in the unit, or lower hub.max_connections (docs/OPERATIONS.md, \"Descriptors\")",
                   w.what, std::strerror(static_cast<int>(value)), total(),
                   std::chrono::duration_cast<std::chrono::seconds>(pause_after_emfile).count());
    }
  } else if (id == ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL || id == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL) {
    count_rejected_("handshake");
    if (id == ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL) {
      if (log_.refused("a handshake that broke off on the " + w.what + " socket", "", now)) {
        spdlog::warn("a handshake on the {} socket broke off ({}; every failure is counted)", w.what,
                     std::strerror(static_cast<int>(value)));
      }
    } else if (value == ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH) {
      if (log_.refused("no keys on the " + w.what + " socket", "", now)) {
        spdlog::warn("refused a client without keys on the {} socket: this hub takes CURVE clients only "
                     "(every try is counted)",
                     w.what);
      }
    } else if (log_.refused("a failed handshake on the " + w.what + " socket", "", now)) {
      spdlog::warn("a handshake on the {} socket failed (protocol error {}; every failure is counted)", w.what,
                   hex(value));
    }
  }
}

std::uint64_t Connections::total() const {
  std::uint64_t n = 0;
  for (const auto& w : watched_) n += w.peers;
  return n;
}

std::uint64_t Connections::threshold(const Watched& w) const { return w.refused_at_cap ? cap_ : cap_ + command_room; }

void Connections::apply_cap() {
  const std::uint64_t n = total();
  for (auto& w : watched_) {
    if (w.paused_until) continue;
    const std::uint64_t at = threshold(w);
    // Open again a little under the cap, so one subscriber coming and going does not flap it.
    const std::uint64_t reopen_at = at - std::min<std::uint64_t>(16, at / 4);
    if (!w.closed && n >= at) {
      spdlog::warn("{} connections, the cap (hub.max_connections {}{}): the {} socket takes no new connection until "
                   "some leave (docs/OPERATIONS.md, \"Descriptors\")",
                   n, cap_, w.refused_at_cap ? "" : " and 64 more for commands", w.what);
      close(w, true);
    } else if (w.closed && n < reopen_at) {
      spdlog::info("{} connections: the {} socket takes new connections again", n, w.what);
      close(w, false);
    }
  }
}

void Connections::close(Watched& w, bool closed) {
  for (int fd : w.listeners) {
    if (!drop_new_connections(fd, closed)) {
      spdlog::warn("cannot {} the {} socket to new connections: {}", closed ? "close" : "open", w.what,
                   std::strerror(errno));
    }
  }
  w.closed = closed;
}

void Connections::tick(Clock::time_point now) {
  for (auto& w : watched_) {
    if (w.paused_until && now >= *w.paused_until) {
      w.paused_until.reset();
      close(w, false);
    }
  }
  apply_cap();
  log_.summarise(now, [](const std::string& line) { spdlog::warn("{}", line); });
}

std::map<std::string, std::uint64_t> Connections::peers() const {
  std::map<std::string, std::uint64_t> out;
  for (const auto& w : watched_) out[w.what] = w.peers;
  return out;
}

}  // namespace tablo::hub
