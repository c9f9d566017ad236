#pragma once
// Who may reach the hub and what each may do. With keys (hub.secret_key and
// hub.authorized_keys): CURVE on every socket, the ZAP handler letting in only the
// authorised keys, and each command checked against its key's role. Without keys: the hub
// listens on loopback only, unless hub.allow_insecure. Always: commands per second per client.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <zmq.hpp>

#include "config/settings.hpp"
#include "hub/rate_limit.hpp"
#include "hub/roles.hpp"
#include "protocol/messages.hpp"

namespace tablo::hub {

class AuthorizedKeys;
class ZapHandler;

// tcp://127.x.x.x, tcp://localhost, tcp://[::1], tcp://lo, ipc://, inproc://: reachable from
// this machine only.
bool loopback_only(std::string_view endpoint);

class Guard {
 public:
  // Reads the hub's secret key and the authorised-keys folder and starts the ZAP handler
  // when the settings name them; throws protocol::KeyError.
  Guard(zmq::context_t& context, const config::HubSettings& settings);
  ~Guard();
  Guard(const Guard&) = delete;
  Guard& operator=(const Guard&) = delete;

  bool uses_keys() const { return zap_ != nullptr; }
  // "3 operators, 12 displays, 1 admin"; "" without keys.
  std::string keys_summary() const;

  // Before `socket` binds to `endpoint` (`what`: "commands", "events"): makes it a CURVE
  // server in its own ZAP domain, or, without keys, throws BindError for an endpoint that
  // other machines could reach (unless allow_insecure).
  void prepare(zmq::socket_t& socket, const std::string& what, const std::string& endpoint);

  // Who sent a command: the client of its key, or (without keys) its connection.
  struct Caller {
    std::string bucket;  // what the rate limit counts by
    std::string name;    // for logs: "key 'desk-3' (operator)", "the client at 127.0.0.1"
    std::optional<Client> client;
    bool key_gone = false;  // came in with a key since removed from the folder
  };
  Caller identify(const zmq::message_t& routing_id, zmq::message_t& body) const;

  struct Refusal {
    std::string kind;  // counted as rejected.<kind>: "rate", "role", "key"
    std::string reason;
  };
  std::optional<Refusal> throttle(const Caller& caller, std::chrono::steady_clock::time_point now);
  std::optional<Refusal> permit(const Caller& caller, const protocol::Action& action) const;
  // Why `caller` may not report as the screen `screen` (its key file names other screens);
  // nullopt when it may. Without keys any client may be any screen (loopback only).
  std::optional<Refusal> may_report_as(const Caller& caller, const std::string& screen) const;
  // Whether the key `key` (a Caller's bucket) still names `screen`, by the table as it is now:
  // relayed requests go only to a screen's own key.
  bool owns_screen(const std::string& key, const std::string& screen) const;

  // A reloaded hub.commands_per_second and hub.commands_burst; every client starts afresh.
  void set_rate(double per_second, int burst) { rate_ = RateLimit(per_second, burst); }

  // Connections refused since the last call, by kind (see ZapHandler::take_refused).
  std::map<std::string, std::uint64_t> take_refused_connections();

  // Whether a key left the authorised keys since the last call: its connections must go.
  bool take_keys_left();

  // The ZAP handler failed (and asked the hub to stop).
  bool failed() const;

 private:
  config::HubSettings settings_;
  std::string secret_key_;
  std::unique_ptr<AuthorizedKeys> keys_;
  std::unique_ptr<ZapHandler> zap_;  // after keys_: stops before them
  RateLimit rate_;
};

}  // namespace tablo::hub
