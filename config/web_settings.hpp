#pragma once
// tablo-web's settings: the [web] section of tablo.toml (docs/CONFIG.md, "[web]"), read by
// config/web_load.cpp.
#include <string>
#include <vector>

namespace tablo::config {

struct WebSettings {
  std::string listen = "127.0.0.1:8080";  // "HOST:PORT"; civetweb on Debian 12 has no IPv6
  // HTTPS: a PEM certificate (chain) and its private key, both or neither. Without them the
  // console listens on this machine only unless allow_insecure is set (the hub's rule).
  std::string certificate;
  std::string private_key;
  bool allow_insecure = false;
  // Accounts, sessions, API tokens and the audit log (SQLite); empty:
  // /var/lib/tablo/web.sqlite when writable, else ~/.local/state/tablo/web.sqlite
  std::string database;
  std::string pages;  // the console's pages; empty: the folder installed beside the program
  // Its own key for a hub that uses keys (role admin: the console enforces its own roles).
  std::string secret_key;
  std::string hub_public_key;
  std::vector<std::string> zones = {"main"};  // the zones the console shows and acts on
  double session_hours = 12;                  // a session ends this long after its last use, 0.1–168
  double screenshot_seconds = 5;              // the newest screenshot of a screen is reused this long, 1–600
  // Announcement texts an operator picks with one key; free text is always possible too.
  std::vector<std::string> announcement_templates = {
      "Уважаемые посетители! Центр закрывается через 15 минут.",
      "Уважаемые посетители! Технический перерыв 10 минут.",
      "Просим посетителей с талонами на получение документов подойти к окну информации."};
  bool operator==(const WebSettings&) const = default;
};

}  // namespace tablo::config
