#include "config/load.hpp"
#include "config/read_fetch_settings.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <toml++/toml.h>
#include <vector>

#include "config/web_load.hpp"
#include "letters/letters.hpp"

namespace tablo::config {
namespace {

std::string kind_of(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::array: return "an array";
    default: return "a table";
  }
}

std::string shown(double value) {
  char text[32];
  return {text, std::to_chars(text, text + sizeof text, value).ptr};
}

// The value as written, for "got …" once the type is known to be the right one.
std::string shown(const toml::node& node) {
  if (auto s = node.as_string()) return '"' + s->get() + '"';
  if (auto i = node.as_integer()) return std::to_string(i->get());
  if (auto f = node.as_floating_point()) {
    std::string text = shown(f->get());
    bool integral = text.find_first_not_of("-0123456789") == std::string::npos;
    return integral ? text + ".0" : text;  // as TOML writes it: 6.0, not 6
  }
  if (auto b = node.as_boolean()) return b->get() ? "true" : "false";
  if (auto a = node.as_array()) return a->empty() ? "[]" : "an array";
  return kind_of(node);
}

// The type and the value as written, for "got …" when the type is wrong.
std::string typed(const toml::node& node) {
  if (node.is_array() || node.is_table() || node.is_date() || node.is_time() || node.is_date_time())
    return kind_of(node);
  return kind_of(node) + ' ' + shown(node);
}

std::string listed(const std::vector<std::string>& items, std::string_view quote = "") {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + std::string(quote) + item + std::string(quote);
  return out;
}

bool is_zone_name(std::string_view name) {
  return !name.empty() && name.size() <= 32 && std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
         });
}

bool is_endpoint(std::string_view text) {
  for (std::string_view scheme : {"tcp://", "ipc://", "inproc://"})
    if (text.starts_with(scheme) && text.size() > scheme.size()) return true;
  return false;
}

// "HOST:PORT" for an HTTP listener: 127.0.0.1:9750, [::1]:9750, 0.0.0.0:9750; port 1–65535.
bool is_listen_address(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const auto host = text.substr(0, colon), port = text.substr(colon + 1);
  if (host.find(':') != std::string_view::npos && !(host.front() == '[' && host.back() == ']')) return false;
  int number = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
  return ec == std::errc() && end == port.data() + port.size() && number >= 1 && number <= 65535;
}

std::optional<Color> parse_colour(std::string_view text) {
  std::uint32_t rgba = 0;
  if ((text.size() != 7 && text.size() != 9) || text[0] != '#' ||
      !std::all_of(text.begin() + 1, text.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); }))
    return std::nullopt;
  std::from_chars(text.data() + 1, text.data() + text.size(), rgba, 16);
  if (text.size() == 7) rgba = rgba << 8 | 0xff;
  auto channel = [&](int shift) { return static_cast<std::uint8_t>(rgba >> shift & 0xff); };
  return Color{channel(24), channel(16), channel(8), channel(0)};
}

// "HH:MM-HH:MM" → minutes after midnight; "" → no span.
std::optional<TimeSpan> parse_span(std::string_view text) {
  if (text.empty()) return TimeSpan{};
  int h1 = 0, m1 = 0, h2 = 0, m2 = 0;
  char tail = 0;
  const std::string copy(text);
  if (std::sscanf(copy.c_str(), "%2d:%2d-%2d:%2d%c", &h1, &m1, &h2, &m2, &tail) != 4) return std::nullopt;
  if (h1 > 24 || h2 > 24 || m1 > 59 || m2 > 59 || h1 < 0 || h2 < 0 || m1 < 0 || m2 < 0) return std::nullopt;
  return TimeSpan{h1 * 60 + m1, h2 * 60 + m2};
}

const std::vector<std::string> alphabet_names{"cyrillic", "latin", "as-typed"};  // in the order of Alphabet

// One TOML table being read. It remembers which keys were asked for, so whatever is
// left over (a typo, a key from another version) is reported rather than silently ignored.
class Section {
 public:
  Section(const toml::table& table, std::string name, std::string_view source)
      : table_(table), name_(std::move(name)), source_(source) {}

  // Reads the sub-table `key` (absent means all defaults), then rejects its leftovers.
  void section(std::string_view key, const std::function<void(Section&)>& read) {
    static const toml::table empty;
    const toml::node* node = take(key);
    if (node && !node->is_table()) fail(*node, key, "expected a table", typed(*node));
    Section inner(node ? *node->as_table() : empty, path(key), source_);
    read(inner);
    inner.finish();
  }

  // A sub-table read by a reader of its own (`read` gets the table and the file's name).
  void own_section(std::string_view key, const std::function<void(const toml::table&, std::string_view)>& read) {
    const toml::node* node = take(key);
    if (node && !node->is_table()) fail(*node, key, "expected a table", typed(*node));
    if (node) read(*node->as_table(), source_);
  }

  void text(std::string_view key, std::string& out, bool may_be_empty = false) {
    const toml::node* node = take(key);
    if (!node) return;
    auto value = node->as_string();
    if (!value || (value->get().empty() && !may_be_empty))
      fail(*node, key, may_be_empty ? "expected a string" : "expected a non-empty string",
           value ? "\"\"" : typed(*node));
    out = value->get();
  }

  void choice(std::string_view key, std::string& out, std::vector<std::string> choices) {
    const toml::node* node = take(key);
    if (!node) return;
    auto value = node->as_string();
    if (!value || std::find(choices.begin(), choices.end(), value->get()) == choices.end())
      fail(*node, key, "expected one of " + listed(choices, "\""), value ? shown(*node) : typed(*node));
    out = value->get();
  }

  void endpoint(std::string_view key, std::string& out, bool may_be_empty = false) {
    const toml::node* node = take(key);
    if (!node) return;
    auto value = node->as_string();
    if (!value || !(is_endpoint(value->get()) || (may_be_empty && value->get().empty())))
      fail(*node, key, "expected an endpoint \"tcp://HOST:PORT\", \"ipc://PATH\" or \"inproc://NAME\"",
           value ? shown(*node) : typed(*node));
    out = value->get();
  }

  // "HOST:PORT", or "" for none.
  void listen_address(std::string_view key, std::string& out) {
    const toml::node* node = take(key);
    if (!node) return;
    auto value = node->as_string();
    if (!value || !(value->get().empty() || is_listen_address(value->get())))
      fail(*node, key, "expected \"HOST:PORT\" (e.g. \"127.0.0.1:9750\") or \"\" for none",
           value ? shown(*node) : typed(*node));
    out = value->get();
  }

  void integer(std::string_view key, int& out, int low, int high) {
    const toml::node* node = take(key);
    if (!node) return;
    auto value = node->as_integer();
    if (!value || value->get() < low || value->get() > high)
      fail(*node, key, "expected an integer " + std::to_string(low) + "–" + std::to_string(high),
           value ? shown(*node) : typed(*node));
    out = static_cast<int>(value->get());
  }

  void integer_of(std::string_view key, int& out, const std::vector<int>& allowed) {
    const toml::node* node = take(key);
    if (!node) return;
    auto value = node->as_integer();
    if (!value || std::find(allowed.begin(), allowed.end(), value->get()) == allowed.end()) {
      std::vector<std::string> names;
      for (int a : allowed) names.push_back(std::to_string(a));
      fail(*node, key, "expected one of " + listed(names), value ? shown(*node) : typed(*node));
    }
    out = static_cast<int>(value->get());
  }

  // Integers count as numbers: `popup_seconds = 5` means 5.0.
  void number(std::string_view key, double& out, double low, double high) {
    const toml::node* node = take(key);
    if (!node) return;
    std::optional<double> value;
    if (auto f = node->as_floating_point()) value = f->get();
    if (auto i = node->as_integer()) value = static_cast<double>(i->get());
    if (!value || !(*value >= low && *value <= high))  // written so that nan fails too
      fail(*node, key, "expected a number " + shown(low) + "–" + shown(high),
           value ? shown(*node) : typed(*node));
    out = *value;
  }

  void flag(std::string_view key, bool& out) {
    const toml::node* node = take(key);
    if (!node) return;
    auto value = node->as_boolean();
    if (!value) fail(*node, key, "expected true or false", typed(*node));
    out = value->get();
  }

  void colour(std::string_view key, Color& out) {
    const toml::node* node = take(key);
    if (!node) return;
    auto value = node->as_string();
    auto parsed = value ? parse_colour(value->get()) : std::nullopt;
    if (!parsed)
      fail(*node, key, "expected a colour \"#RRGGBB\" or \"#RRGGBBAA\"", value ? shown(*node) : typed(*node));
    out = *parsed;
  }

  void zones(std::string_view key, std::vector<std::string>& out) {
    const toml::node* node = take(key);
    if (!node) return;
    auto array = node->as_array();
    if (!array || array->empty())
      fail(*node, key, "expected a non-empty array of zone names", array ? "[]" : typed(*node));
    std::vector<std::string> names;
    for (std::size_t i = 0; i < array->size(); ++i) {
      const toml::node& item = *array->get(i);
      auto name = item.as_string();
      if (!name || !is_zone_name(name->get()))
        fail(item, std::string(key) + "[" + std::to_string(i) + "]",
             "expected a zone name of 1–32 characters a-z 0-9 _ -", name ? shown(item) : typed(item));
      names.push_back(name->get());
    }
    out = std::move(names);
  }

  // A table of upstream zone = [local zones…].
  void zones_by_zone(std::string_view key, std::map<std::string, std::vector<std::string>>& out) {
    const toml::node* node = take(key);
    if (!node) return;
    auto table = node->as_table();
    if (!table) fail(*node, key, "expected a table of upstream zone = [\"local zone\", …]", typed(*node));
    for (const auto& [zone, value] : *table) {
      const std::string entry = std::string(key) + "." + std::string(zone.str());
      if (!is_zone_name(zone.str()))
        fail(value, entry, "expected an upstream zone name of 1–32 characters a-z 0-9 _ -", "\"" + std::string(zone.str()) + "\"");
      Section inner(*table, path(key), source_);
      inner.zones(zone.str(), out[std::string(zone.str())]);
    }
  }

  // "HH:MM-HH:MM", or "" for none.
  void time_span(std::string_view key, TimeSpan& out) {
    const toml::node* node = take(key);
    if (!node) return;
    auto value = node->as_string();
    auto span = value ? parse_span(value->get()) : std::nullopt;
    if (!span) fail(*node, key, "expected hours \"HH:MM-HH:MM\" or \"\"", value ? shown(*node) : typed(*node));
    out = *span;
  }

  // An array of "HH:MM-HH:MM VOLUME" strings.
  void volume_steps(std::string_view key, std::vector<VolumeStep>& out) {
    const toml::node* node = take(key);
    if (!node) return;
    auto array = node->as_array();
    if (!array) fail(*node, key, "expected an array of \"HH:MM-HH:MM VOLUME\"", typed(*node));
    out.clear();
    for (std::size_t i = 0; i < array->size(); ++i) {
      const toml::node& item = *array->get(i);
      auto text = item.as_string();
      std::optional<VolumeStep> step;
      if (text) {
        const auto& t = text->get();
        const auto space = t.find(' ');
        auto span = parse_span(t.substr(0, space));
        double volume = -1;
        if (space != std::string::npos) std::from_chars(t.data() + space + 1, t.data() + t.size(), volume);
        if (span && !span->empty() && volume >= 0 && volume <= 1) step = VolumeStep{*span, volume};
      }
      if (!step)
        fail(item, std::string(key) + "[" + std::to_string(i) + "]",
             "expected \"HH:MM-HH:MM VOLUME\" with a volume 0–1, e.g. \"20:00-08:00 0.5\"",
             text ? shown(item) : typed(item));
      out.push_back(*step);
    }
  }

  // A table of zone = word.
  void words_by_zone(std::string_view key, std::map<std::string, std::string>& out) {
    const toml::node* node = take(key);
    if (!node) return;
    auto table = node->as_table();
    if (!table) fail(*node, key, "expected a table of zone = \"word\"", typed(*node));
    for (const auto& [zone, word] : *table) {
      auto value = word.as_string();
      if (!is_zone_name(zone.str()) || !value || value->get().empty())
        fail(word, std::string(key) + "." + std::string(zone.str()), "expected a zone name = a non-empty word",
             value ? shown(word) : typed(word));
      out[std::string(zone.str())] = value->get();
    }
  }

  // "cyrillic", "latin" or "as-typed".
  void alphabet(std::string_view key, Alphabet& out) {
    std::string name = alphabet_names[static_cast<std::size_t>(out)];
    choice(key, name, alphabet_names);
    out = static_cast<Alphabet>(std::find(alphabet_names.begin(), alphabet_names.end(), name) - alphabet_names.begin());
  }

  // A table of zone = alphabet.
  void alphabets_by_zone(std::string_view key, std::map<std::string, Alphabet>& out) {
    const toml::node* node = take(key);
    if (!node) return;
    auto table = node->as_table();
    if (!table) fail(*node, key, "expected a table of zone = \"cyrillic\", \"latin\" or \"as-typed\"", typed(*node));
    for (const auto& [zone, value] : *table) {
      auto name = value.as_string();
      const auto known = name ? std::find(alphabet_names.begin(), alphabet_names.end(), name->get()) : alphabet_names.end();
      if (!is_zone_name(zone.str()) || known == alphabet_names.end())
        fail(value, std::string(key) + "." + std::string(zone.str()),
             "expected a zone name = one of " + listed(alphabet_names, "\""), name ? shown(value) : typed(value));
      out[std::string(zone.str())] = static_cast<Alphabet>(known - alphabet_names.begin());
    }
  }

  // A table of destination = { ru = "words", en = "words" }, merged into `out` language by
  // language, so that a branch can add a destination or change one language of a built-in one.
  void destination_words(std::string_view key, std::map<std::string, DestinationWords>& out) {
    static const std::vector<std::string> languages{"ru", "en"};
    const toml::node* node = take(key);
    if (!node) return;
    auto table = node->as_table();
    if (!table) fail(*node, key, "expected a table of destination = { ru = \"к кассе\", en = \"cash desk\" }", typed(*node));
    for (const auto& [name, entry] : *table) {
      const std::string entry_key = std::string(key) + "." + std::string(name.str());
      auto words = entry.as_table();
      if (!words || words->empty())
        fail(entry, entry_key, "expected a table of language = \"words\" (ru, en)", words ? "{}" : typed(entry));
      for (const auto& [language, phrase] : *words) {
        const std::string phrase_key = entry_key + "." + std::string(language.str());
        if (std::find(languages.begin(), languages.end(), language.str()) == languages.end())
          throw ConfigError(at(language.source()) + "unknown language '" + path(phrase_key) + "' (known: ru, en)");
        auto value = phrase.as_string();
        if (!value || value->get().empty())
          fail(phrase, phrase_key, "expected the words said after the verb, e.g. \"к кассе\" or \"cash desk\"",
               value ? "\"\"" : typed(phrase));
        if (language.str() == "en" && letters::has_cyrillic(value->get()))
          fail(phrase, phrase_key, "expected English words in Latin letters (an English voice cannot say Cyrillic)",
               shown(phrase));
        out[letters::lower(name.str())][std::string(language.str())] = value->get();
      }
    }
  }

  // Two settings that only work together, such as a secret key and the public key it pairs with.
  void both_or_neither(std::string_view key_a, const std::string& a, std::string_view key_b, const std::string& b) {
    if (a.empty() == b.empty()) return;
    const auto given = a.empty() ? key_b : key_a;
    const auto missing = a.empty() ? key_a : key_b;
    fail(given, "needs " + path(missing) + " too (both or neither; see docs/CONFIG.md, \"Client keys\")");
  }

  // For checks across keys: the error points at `key` (it may be dotted: "zone_destinations.upstairs"),
  // or at the table when the key is not in the file.
  [[noreturn]] void fail(std::string_view key, std::string_view message) const {
    const toml::node* node = table_.at_path(key).node();
    throw ConfigError(at(node ? node->source() : table_.source()) + path(key) + ": " + std::string(message));
  }

  void finish() const {
    for (const auto& [key, node] : table_) {
      if (std::find(known_.begin(), known_.end(), key.str()) != known_.end()) continue;
      std::string what = node.is_table() ? "unknown table [" + path(key.str()) + "]"
                                         : "unknown key '" + path(key.str()) + "'";
      std::string where = name_.empty() ? "known tables" : "known keys in [" + name_ + "]";
      throw ConfigError(at(key.source()) + what + " (" + where + ": " + listed(known_) + ")");
    }
  }

 private:
  const toml::node* take(std::string_view key) {
    known_.emplace_back(key);
    return table_.get(key);
  }

  std::string path(std::string_view key) const {
    return name_.empty() ? std::string(key) : name_ + "." + std::string(key);
  }

  std::string at(const toml::source_region& region) const {
    return std::string(source_) + ":" + std::to_string(region.begin.line) + ":" +
           std::to_string(region.begin.column) + ": ";
  }

  [[noreturn]] void fail(const toml::node& node, std::string_view key, std::string_view expected,
                         std::string_view got) const {
    throw ConfigError(at(node.source()) + path(key) + ": " + std::string(expected) + ", got " +
                      std::string(got));
  }

  const toml::table& table_;
  std::string name_;  // dotted, as in messages: "display.colors"; empty at the top
  std::string_view source_;
  std::vector<std::string> known_;
};

void read_upstream(Section& in, UpstreamSettings& u) {
  in.endpoint("commands", u.commands, /*may_be_empty=*/true);
  in.endpoint("events", u.events, /*may_be_empty=*/true);
  if (u.commands.empty() != u.events.empty())
    in.fail(u.commands.empty() ? "events" : "commands",
            "needs " + std::string(u.commands.empty() ? "commands" : "events") +
                " too: both endpoints of the regional hub (its hub.commands and hub.events)");
  in.zones_by_zone("zones", u.zones);
  if (u.enabled() && u.zones.empty())
    in.fail("commands", "needs zones too: the upstream zones to follow, each with the local zones it shows in "
                        "(zones = { region = [\"main\"] })");
  if (!u.enabled() && !u.zones.empty()) in.fail("zones", "needs commands and events too: the regional hub's endpoints");
  in.text("secret_key", u.secret_key, /*may_be_empty=*/true);
  in.text("hub_public_key", u.hub_public_key, /*may_be_empty=*/true);
  in.both_or_neither("secret_key", u.secret_key, "hub_public_key", u.hub_public_key);
  in.number("offline_after_seconds", u.offline_after_seconds, 1, 60);
}

void read_display(Section& in, DisplaySettings& d) {
  in.text("name", d.name);
  in.zones("zones", d.zones);
  in.endpoint("hub_commands", d.hub_commands);
  in.endpoint("hub_events", d.hub_events);
  in.text("secret_key", d.secret_key, /*may_be_empty=*/true);
  in.text("hub_public_key", d.hub_public_key, /*may_be_empty=*/true);
  in.both_or_neither("secret_key", d.secret_key, "hub_public_key", d.hub_public_key);
  std::string layout = d.layout == Layout::window ? "window" : "hall";
  in.choice("layout", layout, {"hall", "window"});
  d.layout = layout == "window" ? Layout::window : Layout::hall;
  in.text("window", d.window, /*may_be_empty=*/true);
  if (d.layout == Layout::window && d.window.empty())
    in.fail("layout", "\"window\" needs display.window, the window this screen hangs above (e.g. window = \"3\")");
  in.integer_of("rotation", d.rotation, {0, 90, 180, 270});
  in.flag("fullscreen", d.fullscreen);
  in.integer("width", d.width, 64, 7680);
  in.integer("height", d.height, 64, 7680);
  in.choice("renderer", d.renderer, {"auto", "software", "opengl", "opengles2"});
  in.text("font", d.font);
  in.text("font_bold", d.font_bold);
  in.integer("rows", d.rows, 1, 20);
  in.number("blink_seconds", d.blink_seconds, 0, 120);
  in.number("blink_period_seconds", d.blink_period_seconds, 0.2, 5);
  in.number("popup_seconds", d.popup_seconds, 0, 60);
  in.number("ticker_speed", d.ticker_speed, 0.02, 1);
  in.text("clock_format", d.clock_format);
  in.number("header_height", d.header_height, 0.05, 0.3);
  in.number("ticker_height", d.ticker_height, 0.05, 0.3);
  in.number("offline_after_seconds", d.offline_after_seconds, 1, 60);
  in.number("late_after_seconds", d.late_after_seconds, 1, 3600);
  in.section("colors", [&](Section& c) {
    c.colour("background", d.colors.background);
    c.colour("header_background", d.colors.header_background);
    c.colour("header_text", d.colors.header_text);
    c.colour("row_background", d.colors.row_background);
    c.colour("row_alt_background", d.colors.row_alt_background);
    c.colour("row_text", d.colors.row_text);
    c.colour("highlight_background", d.colors.highlight_background);
    c.colour("highlight_text", d.colors.highlight_text);
    c.colour("popup_background", d.colors.popup_background);
    c.colour("popup_text", d.colors.popup_text);
    c.colour("ticker_background", d.colors.ticker_background);
    c.colour("ticker_text", d.colors.ticker_text);
    c.colour("announcement_background", d.colors.announcement_background);
    c.colour("announcement_text", d.colors.announcement_text);
    c.colour("offline_background", d.colors.offline_background);
    c.colour("offline_text", d.colors.offline_text);
  });
  in.section("labels", [&](Section& l) {
    l.text("ticket", d.labels.ticket);
    l.text("window", d.labels.window);
    l.text("window_word", d.labels.window_word);
    l.text("idle", d.labels.idle);
    l.text("no_connection", d.labels.no_connection);
  });
  in.section("media", [&](Section& m) {
    m.text("playlist", d.media.playlist, /*may_be_empty=*/true);
    m.choice("region", d.media.region, {"full", "left", "right", "top", "bottom"});
    m.number("size", d.media.size, 0.2, 0.8);
    m.choice("fit", d.media.fit, {"fit", "fill"});
    m.number("retry_seconds", d.media.retry_seconds, 1, 3600);
    m.number("preroll_seconds", d.media.preroll_seconds, 0.5, 10);
    m.integer("still_max_side", d.media.still_max_side, 256, 16384);
  });
  in.own_section("fetch", [&](const toml::table& t, std::string_view source) { read_fetch_settings(t, source, d.fetch); });
  in.section("metrics", [&](Section& m) { m.listen_address("listen", d.metrics.listen); });
  in.section("reports", [&](Section& r) {
    r.number("every_seconds", d.reports.every_seconds, 1, 60);
    r.text("proof_of_play_dir", d.reports.proof_of_play_dir, /*may_be_empty=*/true);
    r.integer("proof_of_play_days", d.reports.proof_of_play_days, 1, 3650);
  });
}

std::string language_name(std::string_view language) { return language == "en" ? "English" : "Russian"; }

// Every destination a screen can say needs words in the screen's language, and an English
// screen's own words must be English: a Russian word in an English voice helps nobody, so
// the screen does not start with one.
void check_said_in_language(Section& in, const AnnouncementSettings& a) {
  auto check = [&](std::string_view key, const std::string& name) {
    const auto words = a.destination_words.find(letters::lower(name));
    if (words == a.destination_words.end()) {
      std::vector<std::string> known;
      for (const auto& [known_name, unused] : a.destination_words) known.push_back(known_name);
      in.fail(key, "\"" + name + "\" is not a destination tablo knows (" + listed(known) +
                       "): give its words in [announcements.destination_words], e.g. \"" + name +
                       "\" = { ru = \"к кассе\", en = \"cash desk\" }");
    }
    if (!words->second.contains(a.language))
      in.fail(key, "\"" + name + "\" has no words in " + language_name(a.language) + " (announcements.language = \"" +
                       a.language + "\"): add them in [announcements.destination_words], e.g. \"" + name + "\" = { " +
                       a.language + " = \"" + (a.language == "en" ? "cash desk" : "к кассе") + "\" }");
  };
  check("destination", a.destination);
  for (const auto& [zone, name] : a.zone_destinations) check("zone_destinations." + zone, name);
  if (a.language != "en") return;
  for (const auto& [key, text] : {std::pair{"template", &a.call_template}, std::pair{"short_template", &a.short_template}}) {
    if (letters::has_cyrillic(*text))
      in.fail(key, "an English template must be in Latin letters (an English voice cannot say Cyrillic), got \"" +
                       *text + "\"");
  }
}

}  // namespace

void read_announcements(Section& in, AnnouncementSettings& a) {
  static const std::vector<std::string> modes{"off", "chime", "chime-then-voice", "chime-and-voice"};
  std::string mode = modes[static_cast<std::size_t>(a.mode)];
  in.choice("mode", mode, modes);
  a.mode = static_cast<AnnounceMode>(std::find(modes.begin(), modes.end(), mode) - modes.begin());
  in.choice("language", a.language, {"ru", "en"});
  in.text("voice_pack", a.voice_pack, /*may_be_empty=*/true);
  in.text("recordings", a.recordings);
  in.text("template", a.call_template, /*may_be_empty=*/true);
  in.text("short_template", a.short_template, /*may_be_empty=*/true);
  in.text("destination", a.destination);
  in.words_by_zone("zone_destinations", a.zone_destinations);
  in.destination_words("destination_words", a.destination_words);
  in.integer("repeat", a.repeat, 1, 3);
  in.number("max_wait_seconds", a.max_wait_seconds, 0, 600);
  in.time_span("quiet_hours", a.quiet_hours);
  in.number("volume", a.volume, 0, 1);
  in.volume_steps("volume_schedule", a.volume_schedule);
  in.number("soundtrack_duck", a.soundtrack_duck, 0, 1);
  check_said_in_language(in, a);
}

Settings load_string(std::string_view toml, std::string_view source) {
  toml::table document;
  try {
    document = toml::parse(toml, source);
  } catch (const toml::parse_error& e) {
    throw ConfigError(std::string(source) + ":" + std::to_string(e.source().begin.line) + ":" +
                      std::to_string(e.source().begin.column) + ": TOML syntax error: " +
                      std::string(e.description()));
  }
  Settings s;
  s.web = read_web_settings(document, source);  // [web]: tablo-web's, config/web_load.cpp
  document.erase("web");
  Section top(document, "", source);
  top.section("branch", [&](Section& b) { b.text("name", s.branch_name); });
  top.section("log", [&](Section& l) { l.choice("level", s.log_level, {"trace", "debug", "info", "warn", "error"}); });
  top.section("hub", [&](Section& h) {
    h.endpoint("commands", s.hub.commands);
    h.endpoint("events", s.hub.events);
    h.number("heartbeat_seconds", s.hub.heartbeat_seconds, 0.1, 10);
    h.text("journal", s.hub.journal, /*may_be_empty=*/true);
    h.text("secret_key", s.hub.secret_key, /*may_be_empty=*/true);
    h.text("authorized_keys", s.hub.authorized_keys, /*may_be_empty=*/true);
    h.both_or_neither("secret_key", s.hub.secret_key, "authorized_keys", s.hub.authorized_keys);
    h.flag("allow_insecure", s.hub.allow_insecure);
    h.number("commands_per_second", s.hub.commands_per_second, 0, 100000);
    h.integer("commands_burst", s.hub.commands_burst, 1, 100000);
    h.integer("max_connections", s.hub.max_connections, 0, 10000000);
    h.alphabet("ticket_letters", s.hub.ticket_letters.alphabet);
    h.alphabets_by_zone("zone_ticket_letters", s.hub.ticket_letters.zones);
    h.section("metrics", [&](Section& m) { m.listen_address("listen", s.hub.metrics.listen); });
    h.section("media", [&](Section& m) { read_hub_media(m, s.hub.media); });
    h.section("upstream", [&](Section& u) { read_upstream(u, s.hub.upstream); });
  });
  top.section("display", [&](Section& d) { read_display(d, s.display); });
  top.section("announcements", [&](Section& a) { read_announcements(a, s.announcements); });
  top.section("tabloctl", [&](Section& t) {
    t.text("secret_key", s.tabloctl.secret_key, /*may_be_empty=*/true);
    t.text("hub_public_key", s.tabloctl.hub_public_key, /*may_be_empty=*/true);
    t.both_or_neither("secret_key", s.tabloctl.secret_key, "hub_public_key", s.tabloctl.hub_public_key);
  });
  top.finish();
  return s;
}

Settings load_file(const std::filesystem::path& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  auto cannot_read = [&](int error) {
    return ConfigError("cannot read config file " + path.string() + ": " + std::strerror(error));
  };
  if (!file) throw cannot_read(errno);
  std::string text;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, file.get())) text.append(buffer, n);
  if (std::ferror(file.get())) throw cannot_read(errno);
  Settings settings = load_string(text, path.string());
  // A playlist named relative to the config file lives beside it, wherever the program starts.
  auto& playlist = settings.display.media.playlist;
  if (!playlist.empty() && std::filesystem::path(playlist).is_relative())
    playlist = (path.parent_path() / playlist).string();
  auto& journal = settings.hub.journal;
  if (!journal.empty() && std::filesystem::path(journal).is_relative())
    journal = (path.parent_path() / journal).string();
  if (auto& media = settings.hub.media.folder; !media.empty() && std::filesystem::path(media).is_relative())
    media = (path.parent_path() / media).string();
  auto& proof = settings.display.reports.proof_of_play_dir;
  if (!proof.empty() && std::filesystem::path(proof).is_relative()) proof = (path.parent_path() / proof).string();
  // So are key files, the authorised-keys folder and the announcements' folders.
  for (std::string* key_path : {&settings.announcements.voice_pack, &settings.announcements.recordings,
                                &settings.hub.secret_key, &settings.hub.authorized_keys, &settings.hub.upstream.secret_key,
                                &settings.hub.upstream.hub_public_key, &settings.display.secret_key,
                                &settings.display.hub_public_key, &settings.tabloctl.secret_key,
                                &settings.tabloctl.hub_public_key, &settings.web.database, &settings.web.pages,
                                &settings.web.certificate, &settings.web.private_key, &settings.web.secret_key,
                                &settings.web.hub_public_key, &settings.display.fetch.cache_dir}) {
    if (!key_path->empty() && std::filesystem::path(*key_path).is_relative())
      *key_path = (path.parent_path() / *key_path).string();
  }
  return settings;
}

}  // namespace tablo::config
