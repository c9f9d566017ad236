#include "config/read_fetch_settings.hpp"

#include <algorithm>
#include <functional>

#include "config/load.hpp"

namespace tablo::config {
namespace {

const std::vector<std::string> known_keys{"cache_dir", "cache_max_gb", "disk_reserve_gb", "mirrors", "rate_limit_mbit",
                                          "retry_max_seconds"};

std::string at(std::string_view source, const toml::source_region& region) {
  return std::string(source) + ":" + std::to_string(region.begin.line) + ":" + std::to_string(region.begin.column) +
         ": display.fetch.";
}

void number(const toml::table& t, std::string_view source, std::string_view key, double& out, double low, double high) {
  const toml::node* node = t.get(key);
  if (!node) return;
  std::optional<double> value;
  if (auto f = node->as_floating_point()) value = f->get();
  if (auto i = node->as_integer()) value = static_cast<double>(i->get());
  if (!value || !(*value >= low && *value <= high)) {
    char range[64];
    std::snprintf(range, sizeof range, "%g–%g", low, high);
    throw ConfigError(at(source, node->source()) + std::string(key) + ": expected a number " + range);
  }
  out = *value;
}

bool is_http_base(std::string_view url) {
  return (url.starts_with("http://") || url.starts_with("https://")) && url.ends_with("/") &&
         url.find_first_of(" \t\r\n?#") == std::string_view::npos && url.size() > std::string_view("http://x/").size() - 1;
}

}  // namespace

void read_fetch_settings(const toml::table& t, std::string_view source, FetchSettings& out) {
  for (const auto& [key, node] : t) {
    if (std::find(known_keys.begin(), known_keys.end(), key.str()) == known_keys.end()) {
      std::string known;
      for (const auto& k : known_keys) known += (known.empty() ? "" : ", ") + k;
      throw ConfigError(at(source, key.source()) + std::string(key.str()) + ": unknown key (known keys in [display.fetch]: " +
                        known + ")");
    }
  }
  if (const toml::node* dir = t.get("cache_dir")) {
    if (!dir->as_string()) throw ConfigError(at(source, dir->source()) + "cache_dir: expected a folder as a string");
    out.cache_dir = dir->as_string()->get();
  }
  number(t, source, "cache_max_gb", out.cache_max_gb, 0.01, 10000);
  number(t, source, "disk_reserve_gb", out.disk_reserve_gb, 0, 1000);
  number(t, source, "rate_limit_mbit", out.rate_limit_mbit, 0, 100000);
  number(t, source, "retry_max_seconds", out.retry_max_seconds, 5, 3600);
  if (const toml::node* node = t.get("mirrors")) {
    const toml::array* list = node->as_array();
    if (!list) throw ConfigError(at(source, node->source()) + "mirrors: expected an array of base URLs");
    out.mirrors.clear();
    for (std::size_t i = 0; i < list->size(); ++i) {
      const toml::node& item = *list->get(i);
      const auto* url = item.as_string();
      if (!url || !is_http_base(url->get()))
        throw ConfigError(at(source, item.source()) + "mirrors[" + std::to_string(i) +
                          "]: expected a base URL \"http://HOST[:PORT]/PATH/\" ending in '/' (the file's sha256 is added to it)");
      out.mirrors.push_back(url->get());
    }
  }
}

}  // namespace tablo::config
