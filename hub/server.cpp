#include "hub/server.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

#include "hub/descriptors.hpp"
#include "hub/media_commands.hpp"
#include "hub/signal_pipe.hpp"
#include "hub/upstream.hpp"
#include "protocol/describe.hpp"
#include "protocol/codec.hpp"
#include "protocol/tcp_keepalive.hpp"

namespace tablo::hub {
namespace {

using namespace tablo::protocol;
using std::chrono::milliseconds;

// A command is [identity][empty delimiter…][body]: DEALER clients send no delimiter,
// REQ clients one. Anything longer than this is junk.
constexpr std::size_t max_frames = 8;
// Commands served before the loop looks at the clock again, so a flood cannot delay
// heartbeats.
constexpr int batch = 256;
// Room above the largest body (a screen's answer carrying a screenshot), so an oversized body
// still reaches the codec and its sender hears why; past this libzmq drops the connection itself.
// Bodies over limits::message are refused unless a relayed request waits on that connection.
constexpr std::int64_t max_frame_bytes = static_cast<std::int64_t>(limits::screen_answer + limits::message);
// What a subscriber sends the PUB socket: subscriptions ("z/<zone>/", at most 36 bytes), and
// the handshake (a CURVE INITIATE is a few hundred bytes).
constexpr std::int64_t max_subscription_bytes = 4096;
constexpr int events_send_hwm = 10000;
// Connections waiting to be accepted, per socket (the kernel caps it at net.core.somaxconn, 4096
// on Debian 12). A thousand screens reconnect within 0.2 s of a restart; past libzmq's 100 the
// kernel drops their SYNs, which TCP sends again only after 1 s, and then 3 s.
constexpr int listen_backlog = 4096;
// A subscriber's subscription to heartbeats, as the events socket (XPUB) hands it up.
constexpr std::string_view heartbeats_wanted = "\x01hb/";
// Greetings of new subscribers come at most this often: a thousand screens reconnecting at once
// after a restart share a few heartbeats instead of each being sent one to all.
constexpr milliseconds greeting_gap(20);

milliseconds heartbeat_period(double seconds) {
  return std::max(milliseconds(10), milliseconds(static_cast<std::int64_t>(seconds * 1000.0)));
}

std::int64_t now_unix_ms() {
  return std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void bind(zmq::socket_t& socket, const std::string& endpoint, const char* what) {
  try {
    socket.bind(endpoint);
  } catch (const zmq::error_t& e) {
    std::string hint;
    if (e.num() == EADDRINUSE) {
      hint = " — another program holds it; is another tablo-hub running? (check with: ss -ltnp)";
    } else if (e.num() == EINVAL || e.num() == EPROTONOSUPPORT) {
      hint = " — expected an endpoint such as tcp://127.0.0.1:5555";
    } else if (e.num() == EADDRNOTAVAIL || e.num() == ENODEV) {
      hint = " — this machine has no such address";
    }
    throw BindError("cannot listen for " + std::string(what) + " on " + endpoint + ": " + e.what() + hint);
  }
}

// Who sent a frame, for the log: the TCP peer's address where there is one.
std::string peer_of(zmq::message_t& frame) {
  try {
    return frame.gets("Peer-Address");
  } catch (const zmq::error_t&) {
    return "a client";
  }
}

// The id of a command that failed to decode, when its JSON still has one, so that the
// sender can match the refusal to its request.
std::string id_of(std::string_view body) {
  if (body.size() > limits::message) return {};
  auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return {};
  auto id = j.find("id");
  if (id == j.end() || !id->is_string()) return {};
  auto s = id->get<std::string>();
  return s.size() <= limits::id ? s : std::string();
}

void log_handled(const Command& command, const Handled& handled, const std::string& peer) {
  if (const auto* change = std::get_if<Change>(&command.action)) {
    if (const auto* refused = std::get_if<Refused>(&handled.reply.answer)) {
      spdlog::warn("refused {} from {}: {}", protocol::describe(*change), peer, refused->error);
    } else if (handled.event) {
      spdlog::info("{} (zone {}, seq {})", protocol::describe(*change), handled.event->zone, handled.event->seq);
    }
  } else if (const auto* snapshot = std::get_if<Snapshot>(&handled.reply.answer)) {
    spdlog::debug("snapshot of zone {} (seq {}) for {}", snapshot->zone, snapshot->seq, peer);
  } else {
    spdlog::debug("status for {}", peer);
  }
}

}  // namespace

Server::Server(zmq::context_t& context, Hub& hub, const config::HubSettings& settings, Guard& guard)
    : context_(context),
      hub_(hub),
      guard_(guard),
      connections_(context, connection_cap(settings.max_connections, descriptor_limit()),
                   [&hub](std::string_view kind) { hub.count_rejected(kind); }),
      commands_(context, zmq::socket_type::router),
      events_(context, zmq::socket_type::xpub),
      heartbeat_every_(heartbeat_period(settings.heartbeat_seconds)),
      screen_refusals_(std::chrono::minutes(1)) {
  commands_.set(zmq::sockopt::linger, 0);
  commands_.set(zmq::sockopt::maxmsgsize, max_frame_bytes);
  commands_.set(zmq::sockopt::backlog, listen_backlog);
  protocol::keep_alive(commands_);
  guard_.prepare(commands_, "commands", settings.commands);
  connections_.watch(commands_, "commands", /*refused_at_cap=*/false);
  bind(commands_, settings.commands, "commands");
  connections_.listening("commands", commands_endpoint());
  make_events_socket(settings.events);
  spdlog::info("connections: at most {} (hub.max_connections{}), then subscribers are refused; commands {} more",
               connections_.cap(), settings.max_connections > 0 ? "" : ": the open-file limit less 128", command_room);
}

void Server::make_events_socket(const std::string& endpoint) {
  // An XPUB, to SUB clients a PUB like any other: it hands up every subscription (verbose),
  // so the hub greets a new subscriber with a heartbeat at once (take_subscriptions()).
  events_ = zmq::socket_t(context_, zmq::socket_type::xpub);
  events_.set(zmq::sockopt::xpub_verbose, 1);
  events_.set(zmq::sockopt::linger, 0);
  events_.set(zmq::sockopt::sndhwm, events_send_hwm);
  events_.set(zmq::sockopt::backlog, listen_backlog);
  protocol::keep_alive(events_);
  events_.set(zmq::sockopt::maxmsgsize, max_subscription_bytes);
  guard_.prepare(events_, "events", endpoint);
  connections_.watch(events_, "events", /*refused_at_cap=*/true);
  bind(events_, endpoint, "events");
  connections_.listening("events", events_endpoint());
}

void Server::rebind_events() {
  const std::string endpoint = events_endpoint();
  events_.close();
  // libzmq lets go of the port in its own thread: a moment later it is free again.
  for (int tries = 0;; ++tries) {
    try {
      make_events_socket(endpoint);
      break;
    } catch (const BindError& e) {
      if (tries >= 200) throw;
      std::this_thread::sleep_for(milliseconds(10));
    }
  }
  spdlog::info("events socket bound again on {}: every screen reconnects and takes a fresh board, a removed key "
               "is refused",
               endpoint);
  heartbeat();
}

std::string Server::commands_endpoint() const { return commands_.get(zmq::sockopt::last_endpoint); }
std::string Server::events_endpoint() const { return events_.get(zmq::sockopt::last_endpoint); }

void Server::apply(const config::HubSettings& settings) {
  heartbeat_every_ = heartbeat_period(settings.heartbeat_seconds);
  guard_.set_rate(settings.commands_per_second, settings.commands_burst);
}

Answer Server::reload() {
  if (!reloader_) return Refused{"this hub cannot reload its settings"};
  Answer answer = reloader_();
  if (std::holds_alternative<Reloaded>(answer)) {
    hub_.settings_reloaded();
    heartbeat();  // now: the screens read their own files at once
  }
  return answer;
}

void Server::run(int stop_fd, int reload_fd) {
  auto next_heartbeat = std::chrono::steady_clock::now();
  for (;;) {
    // A signal can interrupt any zmq call (EINTR); the stop pipe says whether it was ours.
    try {
      auto now = std::chrono::steady_clock::now();
      if (now >= next_heartbeat) {
        heartbeat();
        next_heartbeat += heartbeat_every_;
        if (next_heartbeat <= now) next_heartbeat = now + heartbeat_every_;  // after a stall: no burst
      } else if (greeting_ && now >= *greeting_) {
        heartbeat();
      }
      auto wake_at = next_heartbeat;
      if (greeting_) wake_at = std::min(wake_at, *greeting_);
      if (auto relay_due = screens_.next_deadline()) wake_at = std::min(wake_at, *relay_due);
      auto wait = std::max(milliseconds(0), std::chrono::ceil<milliseconds>(wake_at - now));
      std::vector<zmq::pollitem_t> items{{commands_.handle(), 0, ZMQ_POLLIN, 0},
                                         {nullptr, stop_fd, ZMQ_POLLIN, 0},
                                         {nullptr, reload_fd, ZMQ_POLLIN, 0},
                                         {nullptr, upstream_ ? upstream_->wake_fd() : -1, ZMQ_POLLIN, 0},
                                         {events_.handle(), 0, ZMQ_POLLIN, 0}};
      connections_.add_poll_items(items);
      if (reload_fd < 0) items[2].events = 0;
      if (!upstream_) items[3].events = 0;
      zmq::poll(items.data(), items.size(), wait);
      if (items[1].revents & ZMQ_POLLIN) return;
      if (items[4].revents & ZMQ_POLLIN) take_subscriptions();
      if (std::any_of(items.begin() + 5, items.end(), [](const auto& i) { return i.revents & ZMQ_POLLIN; })) {
        connections_.on_monitor();
      }
      if (items[3].revents & ZMQ_POLLIN) {
        for (const auto& event : upstream_->take(now_unix_ms())) publish(event);
      }
      if (items[2].revents & ZMQ_POLLIN) {
        SignalPipe::drain(reload_fd);
        spdlog::info("SIGHUP: reloading the settings");
        (void)reload();  // reload() logs how it went
      }
      if (items[0].revents & ZMQ_POLLIN) serve_waiting_commands();
      if (guard_.take_keys_left()) rebind_events();
      connections_.tick(std::chrono::steady_clock::now());
      hub_.connections(connections_.peers(), connections_.cap());
      if (observer_) observer_();
      give_up_on_silent_screens();
      screen_refusals_.summarise(std::chrono::steady_clock::now(), [](const std::string& line) { spdlog::warn("{}", line); });
    } catch (const zmq::error_t& e) {
      if (e.num() != EINTR) throw;
    }
  }
}

void Server::serve_waiting_commands() {
  for (const auto& [kind, n] : guard_.take_refused_connections()) {
    for (std::uint64_t i = 0; i < n; ++i) hub_.count_rejected(kind);
  }
  for (int i = 0; i < batch; ++i) {
    std::vector<zmq::message_t> frames;
    zmq::message_t part;
    if (!commands_.recv(part, zmq::recv_flags::dontwait)) return;
    bool more = part.more();
    frames.push_back(std::move(part));
    std::size_t count = 1;
    while (more) {  // the rest of a multipart message is already here
      zmq::message_t next;
      if (!commands_.recv(next, zmq::recv_flags::dontwait)) break;
      more = next.more();
      if (++count <= max_frames + 1) frames.push_back(std::move(next));  // past that it is junk anyway
    }
    serve(frames, count);
  }
}

void Server::serve(std::vector<zmq::message_t>& frames, std::size_t count) {
  // frames[0] is the identity ROUTER put in front; then delimiters, then one body.
  const bool well_framed = count >= 2 && count <= max_frames && frames.back().size() > 0 &&
                           std::all_of(frames.begin() + 1, frames.end() - 1,
                                       [](const zmq::message_t& f) { return f.size() == 0; });
  const std::string peer = peer_of(frames.back());
  if (!well_framed) {
    hub_.count_rejected("frames");
    spdlog::warn("dropped a message of {} frames from {}: a command is one JSON frame (after REQ's empty frame)",
                 count - 1, peer);
    return;
  }
  const std::string_view body = frames.back().to_string_view();
  const auto caller = guard_.identify(frames.front(), frames.back());
  auto refuse = [&](const Guard::Refusal& refusal) {
    hub_.count_rejected(refusal.kind);
    if (refusal.kind == "role") spdlog::warn("refused a command: {}", refusal.reason);  // the reason names the key
    if (refusal.kind == "key") spdlog::warn("refused a command from {}: {}", caller.name, refusal.reason);
    reply(frames, Reply{id_of(body), Refused{refusal.reason}});
  };
  if (auto refusal = guard_.throttle(caller, std::chrono::steady_clock::now())) return refuse(*refusal);
  // A screen's answer to a relayed request may carry a screenshot: larger than any command.
  const bool answer_due = screens_.expects_answer_from(std::string(frames.front().to_string_view()));
  auto command = decode_command(body, answer_due ? limits::screen_answer : limits::message);
  if (!command) {
    const auto& rejection = command.rejection();
    hub_.count_rejected(rejection.kind);
    spdlog::warn("rejected a command from {} ({}): {}", peer, rejection.kind, rejection.reason);
    reply(frames, Reply{id_of(body), Refused{rejection.reason}});
    return;
  }
  if (auto refusal = guard_.permit(caller, command->action)) return refuse(*refusal);
  if (std::holds_alternative<ReloadRequest>(command->action)) {
    spdlog::info("{} asks the hub to reload its settings", caller.name);
    return reply(frames, Reply{command->id, reload()});
  }
  if (const auto* screen = std::get_if<ScreenAction>(&command->action)) {
    return serve_screen(frames, *command, *screen, caller);
  }
  if (media_) {
    if (const auto* media = std::get_if<MediaAction>(&command->action))
      return reply(frames, Reply{command->id, media_->handle(*media, caller.client ? caller.client->name : "local", hub_, now_unix_ms())});
    if (auto refused = media_->resolve(*command)) return reply(frames, Reply{command->id, *refused});
  }
  auto handled = hub_.handle(*command, now_unix_ms());
  if (media_) media_->add_figures(handled.reply.answer);
  if (upstream_) upstream_->add_status(handled.reply.answer);
  log_handled(*command, handled, peer);
  if (std::holds_alternative<ZoneRemoval>(command->action) && std::holds_alternative<Accepted>(handled.reply.answer)) {
    spdlog::info("zone {} removed by {}: its board is gone; new epoch {}, so every screen takes a fresh board",
                 command->zone, caller.name, hub_.epoch());
    heartbeat();  // now: the screens resync at once
  }
  if (handled.event) publish(*handled.event);  // first: a sender that hears "accepted" can count on it
  reply(frames, handled.reply);
}

void Server::reply(std::vector<zmq::message_t>& envelope, const Reply& reply) {
  // Same identity and delimiters back; a peer that left or is not reading is skipped.
  for (std::size_t i = 0; i + 1 < envelope.size(); ++i) {
    if (!commands_.send(envelope[i], zmq::send_flags::sndmore | zmq::send_flags::dontwait)) return;
  }
  const std::string body = encode(reply);
  (void)commands_.send(zmq::buffer(body), zmq::send_flags::dontwait);
}

void Server::reply(const std::vector<std::string>& envelope, const Reply& reply) {
  for (const auto& frame : envelope) {
    if (!commands_.send(zmq::buffer(frame), zmq::send_flags::sndmore | zmq::send_flags::dontwait)) return;
  }
  const std::string body = encode(reply);
  (void)commands_.send(zmq::buffer(body), zmq::send_flags::dontwait);
}

void Server::publish(const Event& event) {
  const std::string topic = zone_topic(event.zone);
  const std::string body = encode(event);
  (void)events_.send(zmq::buffer(topic), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
  (void)events_.send(zmq::buffer(body), zmq::send_flags::dontwait);
}

void Server::take_subscriptions() {
  bool greet = false;
  zmq::message_t subscription;
  for (int i = 0; i < batch && events_.recv(subscription, zmq::recv_flags::dontwait); ++i) {
    greet = greet || subscription.to_string_view() == heartbeats_wanted;
  }
  if (greet && !greeting_) greeting_ = std::max(std::chrono::steady_clock::now(), last_heartbeat_ + greeting_gap);
}

void Server::heartbeat() {
  last_heartbeat_ = std::chrono::steady_clock::now();
  greeting_.reset();  // this one greets whoever subscribed since the last
  const std::string body = encode(hub_.heartbeat(now_unix_ms()));
  (void)events_.send(zmq::buffer(heartbeat_topic), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
  (void)events_.send(zmq::buffer(body), zmq::send_flags::dontwait);
}

}  // namespace tablo::hub
