#include "config/web_load.hpp"

#include <algorithm>
#include <charconv>
#include <string>

#include "config/load.hpp"

namespace tablo::config {
namespace {

class WebTable {
 public:
  WebTable(const toml::table& table, std::string_view source) : table_(table), source_(source) {}

  const toml::node* take(std::string_view key) {
    known_.emplace_back(key);
    return table_.get(key);
  }

  void text(std::string_view key, std::string& out) {
    const toml::node* node = take(key);
    if (!node) return;
    if (!node->is_string()) fail(*node, key, "expected a string");
    out = node->as_string()->get();
  }

  void flag(std::string_view key, bool& out) {
    const toml::node* node = take(key);
    if (!node) return;
    if (!node->is_boolean()) fail(*node, key, "expected true or false");
    out = node->as_boolean()->get();
  }

  void number(std::string_view key, double& out, double low, double high) {
    const toml::node* node = take(key);
    if (!node) return;
    const auto value = node->value<double>();
    if (!value || *value < low || *value > high)
      fail(*node, key, "expected a number from " + shown(low) + " to " + shown(high));
    out = *value;
  }

  // A list of non-empty strings, each passing `ok` (described by `what` when one does not).
  template <class Ok>
  void texts(std::string_view key, std::vector<std::string>& out, std::string_view what, Ok ok) {
    const toml::node* node = take(key);
    if (!node) return;
    const toml::array* list = node->as_array();
    if (!list) fail(*node, key, "expected a list of " + std::string(what));
    std::vector<std::string> items;
    for (const auto& item : *list) {
      if (!item.is_string() || !ok(item.as_string()->get())) fail(item, key, "expected " + std::string(what));
      items.push_back(item.as_string()->get());
    }
    out = std::move(items);
  }

  void finish() const {
    for (const auto& [key, node] : table_) {
      if (std::find(known_.begin(), known_.end(), key.str()) != known_.end()) continue;
      std::string known;
      for (const auto& k : known_) known += (known.empty() ? "" : ", ") + k;
      throw ConfigError(at(key.source()) + "unknown key 'web." + std::string(key.str()) + "' (known keys in [web]: " +
                        known + ")");
    }
  }

  [[noreturn]] void fail(std::string_view key, std::string_view message) const {
    const toml::node* node = table_.get(key);
    throw ConfigError(at(node ? node->source() : table_.source()) + "web." + std::string(key) + ": " +
                      std::string(message));
  }

 private:
  static std::string shown(double value) {
    std::string text = std::to_string(value);
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
    return text;
  }

  std::string at(const toml::source_region& region) const {
    return std::string(source_) + ":" + std::to_string(region.begin.line) + ":" +
           std::to_string(region.begin.column) + ": ";
  }

  [[noreturn]] void fail(const toml::node& node, std::string_view key, const std::string& expected) const {
    throw ConfigError(at(node.source()) + "web." + std::string(key) + ": " + expected);
  }

  const toml::table& table_;
  std::string_view source_;
  std::vector<std::string> known_;
};

// "HOST:PORT" with an IPv4 address or name: civetweb on Debian 12 has no IPv6.
bool is_web_listen(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const auto host = text.substr(0, colon), port = text.substr(colon + 1);
  if (host.find_first_of(":[]") != std::string_view::npos) return false;
  int number = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
  return ec == std::errc() && end == port.data() + port.size() && number >= 1 && number <= 65535;
}

bool is_zone(std::string_view name) {
  return !name.empty() && name.size() <= 32 && std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
         });
}

}  // namespace

WebSettings read_web_settings(const toml::table& document, std::string_view source) {
  WebSettings w;
  const toml::node* node = document.get("web");
  if (!node) return w;
  if (!node->is_table())
    throw ConfigError(std::string(source) + ":" + std::to_string(node->source().begin.line) + ":" +
                      std::to_string(node->source().begin.column) + ": web: expected a table [web]");
  WebTable in(*node->as_table(), source);
  in.text("listen", w.listen);
  if (!is_web_listen(w.listen))
    in.fail("listen", "expected \"HOST:PORT\" with an IPv4 address, e.g. \"127.0.0.1:8080\" or \"0.0.0.0:443\" "
                      "(this civetweb cannot listen on IPv6), got \"" + w.listen + "\"");
  in.text("certificate", w.certificate);
  in.text("private_key", w.private_key);
  if (w.certificate.empty() != w.private_key.empty())
    in.fail(w.certificate.empty() ? "private_key" : "certificate",
            "needs web." + std::string(w.certificate.empty() ? "certificate" : "private_key") +
                " too (both or neither: with them the console serves HTTPS)");
  in.flag("allow_insecure", w.allow_insecure);
  in.text("database", w.database);
  in.text("pages", w.pages);
  in.text("secret_key", w.secret_key);
  in.text("hub_public_key", w.hub_public_key);
  if (w.secret_key.empty() != w.hub_public_key.empty())
    in.fail(w.secret_key.empty() ? "hub_public_key" : "secret_key",
            "needs web." + std::string(w.secret_key.empty() ? "secret_key" : "hub_public_key") +
                " too (both or neither; see docs/CONFIG.md, \"Client keys\")");
  in.texts("zones", w.zones, "zone names (1–32 of a-z 0-9 _ -)", is_zone);
  if (w.zones.empty()) in.fail("zones", "expected at least one zone");
  in.number("session_hours", w.session_hours, 0.1, 168);
  in.number("screenshot_seconds", w.screenshot_seconds, 1, 600);
  in.texts("announcement_templates", w.announcement_templates, "announcement texts of 1–2048 bytes",
           [](const std::string& t) { return !t.empty() && t.size() <= 2048; });
  in.finish();
  return w;
}

}  // namespace tablo::config
