#pragma once
// The console on HTTP(S): civetweb's threads answer the JSON API (web/console.hpp) and the
// console's pages, each page for the roles that use it. Loopback unless configured; a
// non-loopback address without HTTPS only with web.allow_insecure (the hub's rule, docs/CONFIG.md
// "[web]"). HTTPS with web.certificate and web.private_key (web/https.hpp).
#include <filesystem>
#include <stdexcept>
#include <string>

#include "web/console.hpp"

struct mg_context;
struct mg_connection;

namespace tablo::web {

struct ServeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "127.0.0.1:8080", "localhost:8080": only this machine can reach it.
bool loopback_listen(const std::string& listen);

class Server {
 public:
  // Throws ServeError naming the address and what to do.
  Server(Console& console, const config::WebSettings& settings, std::filesystem::path pages);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const;

 private:
  static int serve(mg_connection* connection, void* self);
  Answer page(const Request& request);

  Console& console_;
  std::filesystem::path pages_;
  std::string certificate_, private_key_;
  mg_context* context_ = nullptr;
};

}  // namespace tablo::web
