#include "web/server.hpp"

#include <civetweb.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <map>

#include "web/https.hpp"

namespace tablo::web {
namespace {

std::string file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  return {std::istreambuf_iterator<char>(in), {}};
}

// Each page and the permission it needs; assets (css, js) are open: they hold no data.
const std::map<std::string, std::optional<Permission>>& pages() {
  static const std::map<std::string, std::optional<Permission>> all = {
      {"/login.html", std::nullopt},
      {"/operator.html", Permission::call},
      {"/staff.html", Permission::media},
      {"/media.html", Permission::media},
      {"/screens.html", Permission::screens},
      {"/admin.html", Permission::accounts},
  };
  return all;
}

// The page a role lands on after logging in.
std::string home_of(Role role) {
  switch (role) {
    case Role::operator_: return "/operator.html";
    case Role::staff: return "/staff.html";
    case Role::admin: return "/screens.html";
  }
  return "/login.html";
}

std::optional<std::string> asset_type(const std::string& path) {
  const auto ok = path.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_./") == std::string::npos &&
                  path.find("..") == std::string::npos;
  if (!ok) return std::nullopt;
  if (path.ends_with(".css")) return "text/css; charset=utf-8";
  if (path.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (path.ends_with(".svg")) return "image/svg+xml";
  return std::nullopt;
}

Answer redirect(const std::string& to) {
  Answer a;
  a.status = 303;
  a.type = "text/plain; charset=utf-8";
  a.headers.emplace_back("Location", to);
  return a;
}

}  // namespace

bool loopback_listen(const std::string& listen) {
  const std::string host = listen.substr(0, listen.rfind(':'));
  return host == "localhost" || host.starts_with("127.");
}

Server::Server(Console& console, const config::WebSettings& settings, std::filesystem::path pages_dir)
    : console_(console), pages_(std::move(pages_dir)), certificate_(settings.certificate), private_key_(settings.private_key) {
  const bool https = !settings.certificate.empty();
  if (!https && !loopback_listen(settings.listen)) {
    if (!settings.allow_insecure)
      throw ServeError("refusing to serve the console on " + settings.listen +
                       " without HTTPS: passwords and sessions would cross the hall's network in the clear. Give "
                       "web.certificate and web.private_key, put it behind nginx with HTTPS, or set "
                       "web.allow_insecure = true on a network no visitor can reach");
    spdlog::warn("serving the console on {} without HTTPS (web.allow_insecure): anyone on that network can read "
                 "its passwords and sessions", settings.listen);
  }
  if (https) {
    if (const auto wrong = check_certificate(settings.certificate, settings.private_key); !wrong.empty())
      throw ServeError("cannot serve HTTPS on " + settings.listen + ": " + wrong);
    open_openssl_for_civetweb(civetweb_openssl_folder());
  }
  // With TLS asked for, civetweb opens OpenSSL here and says whether it could.
  const unsigned features = mg_init_library(https ? MG_FEATURES_TLS : 0);
  if (https && !(features & MG_FEATURES_TLS)) {
    mg_exit_library();
    throw ServeError("cannot serve HTTPS on " + settings.listen + ": civetweb " + mg_version() +
                     " could not load OpenSSL through " + civetweb_openssl_folder().string() +
                     " (is libssl3 installed? reinstall the tablo package)");
  }
  // civetweb takes "PORT" or "HOST:PORT", with "s" after it for HTTPS.
  const std::string ports = settings.listen + (https ? "s" : "");
  // Threads: one per connection being served (web/http.hpp, serving_threads).
  const std::string threads = std::to_string(serving_threads);
  const char* options[] = {"listening_ports", ports.c_str(), "num_threads", threads.c_str(), "request_timeout_ms", "10000",
                           nullptr};
  mg_callbacks callbacks{};
  if (https) callbacks.init_ssl = [](void* ssl_ctx, void* self) {
    const auto& server = *static_cast<Server*>(self);
    const std::string wrong = use_certificate(ssl_ctx, server.certificate_, server.private_key_);
    if (!wrong.empty()) spdlog::error("{}", wrong);
    return wrong.empty() ? 1 : -1;  // 1: the certificate is set up, civetweb loads none itself
  };
  mg_init_data init{&callbacks, this, options};
  char error_text[256] = "";
  unsigned error_code = 0;
  mg_error_data error{&error_code, error_text, sizeof error_text};
  context_ = mg_start2(&init, &error);
  if (!context_) {
    mg_exit_library();
    throw ServeError("cannot serve the console on " + settings.listen + ": " +
                     (error_text[0] ? std::string(error_text) : std::string("civetweb could not start")) +
                     " (is another program on that port? set web.listen)");
  }
  mg_set_request_handler(context_, "/", &Server::serve, this);
}

Server::~Server() {
  console_.stopping = true;
  mg_stop(context_);  // waits for the serving threads, live streams included (they end within a beat)
  mg_exit_library();
}

int Server::port() const {
  mg_server_port ports[4]{};
  const int n = mg_get_server_ports(context_, 4, ports);
  return n > 0 ? ports[0].port : 0;
}

Answer Server::page(const Request& request) {
  if (request.method != "GET" && request.method != "HEAD") return Answer::error(405, "pages are read with GET");
  if (request.path == "/") {
    const auto who = console_.identify(request);
    return redirect(who ? home_of(who->role) : "/login.html");
  }
  const auto page = pages().find(request.path);
  if (page == pages().end()) {
    const auto type = asset_type(request.path);
    const std::string text = type ? file_text(pages_ / request.path.substr(1)) : "";
    if (text.empty()) return Answer::error(404, "no such page: " + request.path);
    Answer a;
    a.type = *type;
    a.body = text;
    a.headers.emplace_back("Cache-Control", "no-cache");  // revalidated: an upgrade shows at once
    return a;
  }
  if (page->second) {
    const auto who = console_.identify(request);
    if (!who) return redirect("/login.html");
    if (!may(who->role, *page->second)) {
      Answer a = Answer::error(403, "the " + std::string(role_name(who->role)) + " role may not open " + request.path);
      a.type = "text/plain; charset=utf-8";
      a.body = "403: роль «" + std::string(role_name(who->role)) + "» не может открыть эту страницу / the " +
               std::string(role_name(who->role)) + " role may not open " + request.path + "\n";
      return a;
    }
  }
  Answer a;
  a.type = "text/html; charset=utf-8";
  a.body = file_text(pages_ / request.path.substr(1));
  if (a.body.empty()) return Answer::error(500, "the console's page " + (pages_ / request.path.substr(1)).string() + " is missing (web.pages)");
  return a;
}

int Server::serve(mg_connection* connection, void* self) {
  auto& server = *static_cast<Server*>(self);
  const Request request = Request::read(connection);
  const bool api = request.path.starts_with("/api/");
  Answer answer;
  try {
    answer = api ? server.console_.answer(request) : server.page(request);
  } catch (const std::exception& e) {
    spdlog::error("{} {}: {}", request.method, request.path, e.what());
    answer = Answer::error(500, std::string("the console failed: ") + e.what());
  }
  if (!answer.sent) send(connection, answer, server.console_.https, api || request.path.ends_with(".html"));
  return answer.status;
}

}  // namespace tablo::web
