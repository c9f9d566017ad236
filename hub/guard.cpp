#include "hub/guard.hpp"

#include <arpa/inet.h>
#include <signal.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "hub/authorized_keys.hpp"
#include "hub/server.hpp"
#include "hub/zap_handler.hpp"
#include "protocol/curve_keys.hpp"

namespace tablo::hub {
namespace {

std::string number_text(double value) {
  std::string text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  if (text.ends_with('.')) text.pop_back();
  return text;
}

std::string peer_of(zmq::message_t& frame) {
  try {
    return frame.gets("Peer-Address");
  } catch (const zmq::error_t&) {
    return "";
  }
}

}  // namespace

bool loopback_only(std::string_view endpoint) {
  if (endpoint.starts_with("ipc://") || endpoint.starts_with("inproc://")) return true;
  if (!endpoint.starts_with("tcp://")) return false;
  std::string_view address = endpoint.substr(6);
  const auto colon = address.rfind(':');
  if (colon == std::string_view::npos) return false;
  std::string host(address.substr(0, colon));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host == "localhost" || host == "lo" || host == "::1") return true;
  in_addr ipv4{};
  return ::inet_pton(AF_INET, host.c_str(), &ipv4) == 1 && (ntohl(ipv4.s_addr) >> 24) == 127;
}

Guard::Guard(zmq::context_t& context, const config::HubSettings& settings)
    : settings_(settings), rate_(settings.commands_per_second, settings.commands_burst) {
  if (settings.secret_key.empty()) {
    if (settings.allow_insecure) {
      spdlog::warn("hub.allow_insecure = true and the hub has no keys: commands and events are neither encrypted "
                   "nor authenticated. Give it keys (hub.secret_key, hub.authorized_keys; docs/CONFIG.md, \"Client keys\")");
    }
    return;
  }
  const auto own = protocol::read_secret_key(settings.secret_key);
  secret_key_ = own.secret_key;
  keys_ = std::make_unique<AuthorizedKeys>(settings.authorized_keys);
  // Bound before the sockets are: without a handler libzmq would let every key in.
  zap_ = std::make_unique<ZapHandler>(context, *keys_, [] { ::kill(::getpid(), SIGTERM); });
  spdlog::info("hub key {} ({}); authorised keys in {}: {}", own.public_key, settings.secret_key,
               settings.authorized_keys, keys_summary());
  if (keys_->current()->by_public_key.empty()) {
    spdlog::warn("no client key is authorised yet: every client is refused until {} holds NAME.key files "
                 "(tabloctl keygen NAME --role display|operator|admin)",
                 settings.authorized_keys);
  }
}

Guard::~Guard() = default;

std::string Guard::keys_summary() const { return keys_ ? keys_->current()->summary() : std::string(); }

void Guard::prepare(zmq::socket_t& socket, const std::string& what, const std::string& endpoint) {
  if (zap_) {
    socket.set(zmq::sockopt::curve_server, true);
    socket.set(zmq::sockopt::curve_secretkey, secret_key_);
    socket.set(zmq::sockopt::zap_domain, what);
    return;
  }
  if (loopback_only(endpoint)) return;
  if (!settings_.allow_insecure) {
    throw BindError("refusing to listen for " + what + " on " + endpoint +
                    ": without keys the hub listens on this machine only (tcp://127.0.0.1, tcp://[::1], ipc://, "
                    "inproc://), since anyone who reaches it could put their text on the screens. Give the hub "
                    "keys (hub.secret_key and hub.authorized_keys; docs/CONFIG.md, \"Client keys\"), or set "
                    "hub.allow_insecure = true on a network you trust");
  }
  spdlog::warn("listening for {} on {} without keys (hub.allow_insecure): anyone who reaches it can {}", what,
               endpoint, what == "commands" ? "call, clear and announce" : "read every change");
}

Guard::Caller Guard::identify(const zmq::message_t& routing_id, zmq::message_t& body) const {
  Caller caller;
  if (!zap_) {
    caller.bucket = routing_id.to_string();
    const std::string peer = peer_of(body);
    caller.name = peer.empty() ? "a client" : "the client at " + peer;
    return caller;
  }
  std::string key;
  try {
    key = body.gets("User-Id");
  } catch (const zmq::error_t&) {
  }
  caller.bucket = key;
  // The table is held while it is read: the folder's watcher may replace it meanwhile.
  const auto table = keys_->current();
  if (const Client* client = table->find(key)) {
    caller.client = *client;
    caller.name = "key '" + client->name + "' (" + std::string(name_of(client->role)) + ")";
  } else {
    caller.key_gone = true;
    caller.name = "key " + key.substr(0, 8) + "… (no longer authorised)";
  }
  return caller;
}

std::optional<Guard::Refusal> Guard::throttle(const Caller& caller, std::chrono::steady_clock::time_point now) {
  const auto verdict = rate_.take(caller.bucket, now);
  if (verdict.allowed) return std::nullopt;
  const std::string limit = number_text(rate_.per_second()) + " a second (in bursts of up to " +
                            std::to_string(rate_.burst()) + ")";
  if (verdict.started_refusing) {
    spdlog::warn("{} sends more commands than {}: refusing what is over (counted as rejected.rate)", caller.name,
                 limit);
  }
  return Refusal{"rate", "too many commands: this hub takes at most " + limit + " from a client; slow down"};
}

std::optional<Guard::Refusal> Guard::permit(const Caller& caller, const protocol::Action& action) const {
  if (!zap_) return std::nullopt;
  if (caller.key_gone || !caller.client) {
    return Refusal{"key", "this client's key was removed from the hub's authorised keys; reconnect with an "
                          "authorised key"};
  }
  if (auto why = forbidden(*caller.client, action)) return Refusal{"role", *why};
  return std::nullopt;
}

std::optional<Guard::Refusal> Guard::may_report_as(const Caller& caller, const std::string& screen) const {
  if (!zap_ || !caller.client || caller.client->may_be_screen(screen)) return std::nullopt;
  const Client& client = *caller.client;
  std::string named;
  for (const auto& s : client.screens) named += (named.empty() ? "'" : ", '") + s + "'";
  return Refusal{"screen", "key '" + client.name + "' may not report as screen '" + screen + "': it may be " +
                               (named.empty() ? "'" + client.name + "' only (its key file names no screens)" : named) +
                               "; to let it be '" + screen + "', add it to screens = [...] in " + client.name +
                               ".key in the hub's authorised-keys folder, or set display.name on that screen"};
}

bool Guard::owns_screen(const std::string& key, const std::string& screen) const {
  if (!zap_) return true;
  const auto table = keys_->current();
  const Client* client = table->find(key);
  return client && client->may_be_screen(screen);
}

std::map<std::string, std::uint64_t> Guard::take_refused_connections() {
  return zap_ ? zap_->take_refused() : std::map<std::string, std::uint64_t>{};
}

bool Guard::take_keys_left() { return zap_ && zap_->take_keys_left(); }

bool Guard::failed() const { return zap_ && zap_->failed(); }

}  // namespace tablo::hub
