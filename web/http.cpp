#include "web/http.hpp"

#include <civetweb.h>

#include <cstring>

namespace tablo::web {

Request Request::read(mg_connection* connection) {
  const mg_request_info* info = mg_get_request_info(connection);
  Request r;
  r.connection = connection;
  r.method = info->request_method ? info->request_method : "";
  r.path = info->local_uri ? info->local_uri : "/";
  r.query = info->query_string ? info->query_string : "";
  r.address = info->remote_addr;
  // Behind nginx on this machine every request comes from loopback: the visitor's address (for
  // the login throttle and the audit log) is the last one nginx added.
  if (r.address.starts_with("127.")) {
    const char* forwarded = mg_get_header(connection, "X-Forwarded-For");
    if (forwarded && *forwarded) {
      std::string list = forwarded;
      const auto comma = list.rfind(',');
      r.address = list.substr(comma == std::string::npos ? 0 : comma + 1);
      r.address.erase(0, r.address.find_first_not_of(' '));
    }
  }
  if (r.header("Content-Type").starts_with("application/octet-stream")) {
    r.binary = true;
    return r;
  }
  if (info->content_length > static_cast<long long>(largest_body)) {
    r.body_too_large = true;
    return r;
  }
  char buffer[8192];
  for (;;) {
    const int n = mg_read(connection, buffer, sizeof buffer);
    if (n <= 0) break;
    r.body.append(buffer, static_cast<std::size_t>(n));
    if (r.body.size() > largest_body) {
      r.body_too_large = true;
      r.body.clear();
      break;
    }
  }
  return r;
}

std::string Request::header(const char* name) const {
  const char* value = mg_get_header(connection, name);
  return value ? value : "";
}

std::string Request::cookie(const char* name) const {
  const std::string all = header("Cookie");
  if (all.empty()) return "";
  char value[256];
  const int n = mg_get_cookie(all.c_str(), name, value, sizeof value);
  return n > 0 ? std::string(value, static_cast<std::size_t>(n)) : "";
}

std::string Request::param(const char* name) const {
  if (query.empty()) return "";
  std::string value(query.size() + 1, '\0');
  const int n = mg_get_var(query.c_str(), query.size(), name, value.data(), value.size());
  return n > 0 ? value.substr(0, static_cast<std::size_t>(n)) : "";
}

std::optional<std::string> Request::bytes(std::size_t most) const {
  const long long length = mg_get_request_info(connection)->content_length;
  if (!binary || length <= 0 || length > static_cast<long long>(most)) return std::nullopt;
  std::string data(static_cast<std::size_t>(length), '\0');
  std::size_t got = 0;
  while (got < data.size()) {
    const int n = mg_read(connection, data.data() + got, data.size() - got);
    if (n <= 0) return std::nullopt;
    got += static_cast<std::size_t>(n);
  }
  return data;
}

std::optional<json> Request::json_body() const {
  auto value = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!value.is_object()) return std::nullopt;
  return value;
}

Answer Answer::of(const json& value, int status) {
  Answer a;
  a.status = status;
  a.body = value.dump(-1, ' ', false, json::error_handler_t::replace);
  return a;
}

Answer Answer::error(int status, const std::string& message) { return of(json{{"error", message}}, status); }

std::vector<std::pair<std::string, std::string>> security_headers(bool https, bool no_store) {
  std::vector<std::pair<std::string, std::string>> h = {
      {"Content-Security-Policy",
       "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; "
       "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"},
      {"X-Frame-Options", "DENY"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
  };
  if (no_store) h.emplace_back("Cache-Control", "no-store");
  if (https) h.emplace_back("Strict-Transport-Security", "max-age=31536000");
  return h;
}

void send(mg_connection* connection, const Answer& answer, bool https, bool no_store) {
  mg_response_header_start(connection, answer.status);
  mg_response_header_add(connection, "Content-Type", answer.type.c_str(), -1);
  const std::string length = std::to_string(answer.body.size());
  mg_response_header_add(connection, "Content-Length", length.c_str(), -1);
  for (const auto& [name, value] : security_headers(https, no_store))
    mg_response_header_add(connection, name.c_str(), value.c_str(), -1);
  for (const auto& [name, value] : answer.headers) mg_response_header_add(connection, name.c_str(), value.c_str(), -1);
  mg_response_header_send(connection);
  const mg_request_info* info = mg_get_request_info(connection);
  if (std::strcmp(info->request_method, "HEAD") != 0) mg_write(connection, answer.body.data(), answer.body.size());
}

}  // namespace tablo::web
