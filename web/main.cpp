// tablo-web: the branch's console in a browser (docs/HTTP-API.md, docs/OPERATIONS.md).
//   tablo-web [--config FILE]                       serve the console
//   tablo-web adduser NAME --role admin [--config]  add an account (the first admin at install)
#include <CLI/CLI.hpp>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <termios.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "config/load.hpp"
#include "config/logging.hpp"
#include "tablo/version.hpp"
#include "web/server.hpp"

namespace {

namespace fs = std::filesystem;
using namespace tablo;

fs::path default_database() {
  const fs::path system = "/var/lib/tablo";
  if (::access(system.c_str(), W_OK) == 0) return system / "web.sqlite";
  const char* state = std::getenv("XDG_STATE_HOME");
  const char* home = std::getenv("HOME");
  const fs::path base = state && *state ? fs::path(state) : fs::path(home ? home : "/tmp") / ".local/state";
  return base / "tablo/web.sqlite";
}

// Installed beside the program (PREFIX/bin/tablo-web: PREFIX/share/tablo/web), else the
// source tree's, for a program run from its build folder.
fs::path default_pages() {
  std::error_code ignored;
  const fs::path installed = fs::read_symlink("/proc/self/exe", ignored).parent_path().parent_path() / "share/tablo/web";
  if (fs::exists(installed / "login.html")) return installed;
  return TABLO_WEB_PAGES_SOURCE;
}

// A password from the terminal (asked twice, not echoed), or the first line of standard input.
std::string read_password() {
  if (!::isatty(STDIN_FILENO)) {
    std::string line;
    std::getline(std::cin, line);
    return line;
  }
  termios old{};
  ::tcgetattr(STDIN_FILENO, &old);
  termios quiet = old;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::string first, second;
  std::cerr << "password: " << std::flush;
  std::getline(std::cin, first);
  std::cerr << "\nagain: " << std::flush;
  std::getline(std::cin, second);
  std::cerr << "\n";
  ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
  if (first != second) throw web::AccountError("the two passwords differ");
  return first;
}

volatile std::sig_atomic_t stop_requested = 0;

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tablo-web: the branch's console in a browser for operators, staff and IT"};
  app.set_version_flag("--version", std::string("tablo-web ") + version);
  std::string config_file, listen, database, pages, commands, events;
  app.add_option("--config", config_file, "settings file (TOML): [web], and [hub] for where the hub is");
  app.add_option("--listen", listen, "HOST:PORT, overrides web.listen (127.0.0.1:8080)");
  app.add_option("--database", database, "the accounts' SQLite file, overrides web.database");
  app.add_option("--pages", pages, "the console's pages, overrides web.pages");
  app.add_option("--hub-commands", commands, "the hub's command endpoint, overrides hub.commands");
  app.add_option("--hub-events", events, "the hub's event endpoint, overrides hub.events");
  std::string name, role = "operator", window, zone;
  auto* adduser = app.add_subcommand("adduser", "add an account; the password is asked (or read from standard input)");
  adduser->add_option("name", name, "the account's name, e.g. ivanova")->required();
  adduser->add_option("--role", role, "operator, staff or admin")->check(CLI::IsMember({"operator", "staff", "admin"}))->capture_default_str();
  adduser->add_option("--window", window, "an operator's window: calls go there only");
  adduser->add_option("--zone", zone, "an operator's zone: works there only");
  CLI11_PARSE(app, argc, argv);

  config::Settings settings;
  try {
    if (!config_file.empty()) settings = config::load_file(config_file);
  } catch (const config::ConfigError& e) {
    std::cerr << "tablo-web: " << e.what() << "\n";
    return 2;
  }
  auto& w = settings.web;
  if (!listen.empty()) w.listen = listen;
  if (!database.empty()) w.database = database;
  if (!pages.empty()) w.pages = pages;
  if (!commands.empty()) settings.hub.commands = commands;
  if (!events.empty()) settings.hub.events = events;
  if (w.database.empty()) w.database = default_database().string();
  if (w.pages.empty()) w.pages = default_pages().string();
  if (sodium_init() < 0) {
    std::cerr << "tablo-web: libsodium could not start\n";
    return 1;
  }
  try {
    web::Database db(w.database);
    web::Accounts accounts(db, std::chrono::seconds(static_cast<long>(w.session_hours * 3600)));
    if (adduser->parsed()) {
      accounts.add({name, *web::parse_role(role), window, zone}, read_password());
      std::cout << "account " << name << " (" << role << ") added to " << w.database << "\n";
      return 0;
    }
    config::start_logging("tablo-web");
    config::set_log_level(settings.log_level);
    std::optional<protocol::ClientKeys> keys;
    if (!w.secret_key.empty()) keys = protocol::read_client_keys(w.secret_key, w.hub_public_key);
    zmq::context_t context;
    web::LoginThrottle throttle;
    web::HubDesk hub(context, settings.hub.commands, keys, std::chrono::seconds(static_cast<long>(w.screenshot_seconds)));
    web::BoardWatch boards(context, settings.hub.commands, settings.hub.events, w.zones, keys);
    web::Console console(settings, accounts, throttle, hub, boards, !w.certificate.empty());
    std::signal(SIGTERM, [](int) { stop_requested = 1; });
    std::signal(SIGINT, [](int) { stop_requested = 1; });
    {
      web::Server server(console, w, w.pages);
      spdlog::info("tablo-web {}: the console on {}://{}:{} for zones {}, hub {}; accounts in {}", version,
                   console.https ? "https" : "http", w.listen.substr(0, w.listen.rfind(':')), server.port(),
                   fmt::join(w.zones, ", "), settings.hub.commands, w.database);
      if (accounts.count() == 0)
        spdlog::warn("no account yet: add the first admin with `tablo-web adduser NAME --role admin`");
      while (!stop_requested) ::pause();
      spdlog::info("stopping: the console closes its pages");
    }
    return 0;
  } catch (const web::AccountError& e) {
    std::cerr << "tablo-web: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    std::cerr << "tablo-web: " << e.what() << "\n";
    return 1;
  }
}
