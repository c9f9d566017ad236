#pragma once
// The hub on the network: commands in and replies out on a ROUTER, numbered changes and
// heartbeats out on a PUB (an XPUB, which greets each new subscriber). One thread; the Hub
// does the thinking.
#include <chrono>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <zmq.hpp>

#include "config/settings.hpp"
#include "hub/connections.hpp"
#include "hub/guard.hpp"
#include "hub/hub.hpp"
#include "hub/refusal_log.hpp"
#include "hub/screens.hpp"

namespace tablo::hub {

// An endpoint the hub could not listen on; the message names it and what to check.
struct BindError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class MediaCommands;
class Upstream;

class Server {
 public:
  // Binds both sockets, as `guard` says (keys, or loopback only); throws BindError.
  Server(zmq::context_t& context, Hub& hub, const config::HubSettings& settings, Guard& guard);

  // Serves until `stop_fd` becomes readable (SIGINT/SIGTERM, see SignalPipe); `reload_fd` readable
  // (SIGHUP) reloads as the `reload` command does.
  void run(int stop_fd, int reload_fd = -1);

  // What `reload` does: re-reads the settings and applies them (apply() among others);
  // answers Reloaded, or Refused with the reason. Without one, `reload` is refused.
  using Reloader = std::function<protocol::Answer()>;
  void reload_with(Reloader reloader) { reloader_ = std::move(reloader); }
  // The settings a running server can take: the heartbeat period and the rate limit.
  void apply(const config::HubSettings& settings);
  // Called after every round of the loop (commands served, a heartbeat sent): the metrics
  // take their copy of the figures there.
  void after_each_round(std::function<void()> observer) { observer_ = std::move(observer); }
  // The media library's commands and playlists' files (hub/media_commands.hpp); without it
  // media commands are refused and playlists pass as sent.
  void media_with(MediaCommands* media) { media_ = media; }
  // The regional hub this hub follows (hub/upstream.hpp): the loop takes what its link brings
  // and `status` shows the link.
  void upstream_with(Upstream* upstream) { upstream_ = upstream; }

  // The endpoints as bound (a wildcard port shows the port it got).
  std::string commands_endpoint() const;
  std::string events_endpoint() const;
  // The screens that report to the hub (the metrics count them).
  const Screens& screens() const { return screens_; }
  // Peers of each socket, and the cap (status and metrics show them).
  const Connections& connections() const { return connections_; }

 private:
  void serve_waiting_commands();
  void serve(std::vector<zmq::message_t>& frames, std::size_t count);
  void reply(std::vector<zmq::message_t>& envelope, const protocol::Reply& reply);
  void reply(const std::vector<std::string>& envelope, const protocol::Reply& reply);
  // Screens' reports, the list of screens, and requests relayed to one screen (relay.cpp).
  void serve_screen(std::vector<zmq::message_t>& frames, const protocol::Command& command,
                    const protocol::ScreenAction& action, const Guard::Caller& caller);
  void relay(std::vector<zmq::message_t>& frames, const protocol::Command& command, const std::string& screen,
             protocol::ScreenAction request);
  void give_up_on_silent_screens();
  // The events socket made and bound anew: ZeroMQ cannot drop one subscriber, so when a key
  // leaves the authorised keys every subscriber is let go; the screens reconnect at once (the
  // removed key is refused at its handshake) and take a fresh board.
  void make_events_socket(const std::string& endpoint);
  void rebind_events();
  void publish(const protocol::Event& event);
  // Subscriptions handed up by the events socket: a new subscriber to heartbeats is greeted
  // with one at once (at most one greeting each 20 ms), so a screen that joins, or comes back
  // after a restart, learns the epoch and seqs without waiting for the next beat.
  void take_subscriptions();
  void heartbeat();
  protocol::Answer reload();

  zmq::context_t& context_;
  Hub& hub_;
  Guard& guard_;
  Connections connections_;
  zmq::socket_t commands_;
  zmq::socket_t events_;
  std::chrono::milliseconds heartbeat_every_;
  std::chrono::steady_clock::time_point last_heartbeat_{};
  std::optional<std::chrono::steady_clock::time_point> greeting_;  // when the next greeting is due
  Reloader reloader_;
  std::function<void()> observer_;
  Screens screens_;
  RefusalLog screen_refusals_;  // reports under another key's screen name
  MediaCommands* media_ = nullptr;
  Upstream* upstream_ = nullptr;
};

}  // namespace tablo::hub
