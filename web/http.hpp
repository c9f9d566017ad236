#pragma once
// One HTTP exchange on a civetweb thread: what was asked (method, path, query, headers,
// cookies, body) and the answer, always with the console's security headers.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

struct mg_connection;

namespace tablo::web {

using nlohmann::json;

inline constexpr std::size_t largest_body = 64 * 1024;  // a playlist (32 KiB) with room; uploads go elsewhere

// civetweb serves each connection on one of its threads until the answer ends (no keep-alive),
// and an open live page (server-sent events) holds one for as long as it is open. Past
// live_streams_at_most open at once a page gets the board and comes back in 5 s, so that calls
// and pages always find a thread.
inline constexpr int serving_threads = 128;
inline constexpr int live_streams_at_most = serving_threads - 32;

struct Request {
  mg_connection* connection = nullptr;
  std::string method, path, query, address;
  std::string body;
  bool body_too_large = false;
  // An application/octet-stream body (an upload's chunk) is left unread here: its handler
  // reads it with bytes(), up to a bound of its own.
  bool binary = false;

  static Request read(mg_connection* connection);
  std::string header(const char* name) const;
  std::string cookie(const char* name) const;
  std::string param(const char* name) const;  // from the query string, URL-decoded
  // A binary body of at most `most` bytes, read whole; nullopt when it is larger (by its
  // Content-Length), has none, or the connection ended before all of it came.
  std::optional<std::string> bytes(std::size_t most) const;
  // The body as a JSON object; nullopt when it is not one.
  std::optional<json> json_body() const;
};

struct Answer {
  int status = 200;
  std::string type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool sent = false;  // the handler wrote the answer itself (a live stream)

  static Answer of(const json& value, int status = 200);
  // {"error": "..."}: what went wrong, in words a person can act on.
  static Answer error(int status, const std::string& message);
};

// The security headers every answer carries: a CSP without inline script, no framing, no
// sniffing; `no_store` for API answers and anything personal.
std::vector<std::pair<std::string, std::string>> security_headers(bool https, bool no_store);

void send(mg_connection* connection, const Answer& answer, bool https, bool no_store);

}  // namespace tablo::web
