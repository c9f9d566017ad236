#include "media/playlist.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>

namespace tablo::media {
namespace {

constexpr std::array<std::string_view, 7> day_names{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

class ItemReader {
 public:
  ItemReader(const toml::table& table, std::string name, std::string_view source)
      : table_(table), name_(std::move(name)), source_(source) {}

  [[noreturn]] void fail(const toml::node& node, std::string_view key, const std::string& message) const {
    const auto& at = node.source().begin;
    throw PlaylistError(std::string(source_) + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": " +
                        name_ + "." + std::string(key) + ": " + message);
  }

  const toml::node* take(std::string_view key) {
    known_.emplace_back(key);
    return table_.get(key);
  }

  std::optional<double> number(std::string_view key, double low, double high) {
    const toml::node* node = take(key);
    if (!node) return std::nullopt;
    std::optional<double> v;
    if (auto f = node->as_floating_point()) v = f->get();
    if (auto i = node->as_integer()) v = static_cast<double>(i->get());
    if (!v || !(*v >= low && *v <= high))
      fail(*node, key, "expected a number " + fmt(low) + "–" + fmt(high));
    return v;
  }

  std::optional<bool> flag(std::string_view key) {
    const toml::node* node = take(key);
    if (!node) return std::nullopt;
    if (auto b = node->as_boolean()) return b->get();
    fail(*node, key, "expected true or false");
  }

  // "HH:MM", "HH:MM:SS" or a TOML time: seconds of the day.
  std::optional<int> time_of_day(std::string_view key) {
    const toml::node* node = take(key);
    if (!node) return std::nullopt;
    if (auto t = node->as_time()) return t->get().hour * 3600 + t->get().minute * 60 + t->get().second;
    if (auto s = node->as_string()) {
      int h = 0, m = 0, sec = 0;
      char tail = 0;
      const int n = std::sscanf(s->get().c_str(), "%d:%d:%d%c", &h, &m, &sec, &tail);
      if ((n == 2 || n == 3) && h >= 0 && (h < 24 || (h == 24 && m == 0 && sec == 0)) && m >= 0 && m < 60 &&
          sec >= 0 && sec < 60)
        return h * 3600 + m * 60 + sec;
    }
    fail(*node, key, "expected a time of day \"HH:MM\" (00:00–24:00)");
  }

  // A TOML date (2024-05-01) or the same as a string: yyyymmdd.
  std::optional<int> date(std::string_view key) {
    const toml::node* node = take(key);
    if (!node) return std::nullopt;
    if (auto d = node->as_date()) return d->get().year * 10000 + d->get().month * 100 + d->get().day;
    if (auto s = node->as_string()) {
      int y = 0, m = 0, d = 0;
      char tail = 0;
      if (std::sscanf(s->get().c_str(), "%d-%d-%d%c", &y, &m, &d, &tail) == 3 && m >= 1 && m <= 12 && d >= 1 && d <= 31)
        return y * 10000 + m * 100 + d;
    }
    fail(*node, key, "expected a date YYYY-MM-DD");
  }

  std::uint8_t days(std::string_view key) {
    const toml::node* node = take(key);
    if (!node) return 0x7f;
    auto array = node->as_array();
    if (!array || array->empty()) fail(*node, key, "expected a non-empty array of days (\"mon\" … \"sun\")");
    std::uint8_t mask = 0;
    for (const auto& day : *array) {
      auto name = day.as_string();
      auto it = name ? std::find(day_names.begin(), day_names.end(), name->get()) : day_names.end();
      if (it == day_names.end()) fail(day, key, "expected days \"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"");
      mask = static_cast<std::uint8_t>(mask | 1 << (it - day_names.begin()));
    }
    return mask;
  }

  void finish() const {
    for (const auto& [key, node] : table_) {
      if (std::find(known_.begin(), known_.end(), key.str()) != known_.end()) continue;
      std::string known;
      for (const auto& k : known_) known += (known.empty() ? "" : ", ") + k;
      const auto& at = key.source().begin;
      throw PlaylistError(std::string(source_) + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": " +
                          name_ + "." + std::string(key.str()) + ": unknown key (known keys: " + known + ")");
    }
  }

 private:
  static std::string fmt(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
  }

  const toml::table& table_;
  std::string name_;
  std::string_view source_;
  std::vector<std::string> known_;
};

PlaylistItem read_item(const toml::table& table, std::size_t index, std::string_view source,
                       const std::filesystem::path& base_dir) {
  ItemReader in(table, "item[" + std::to_string(index + 1) + "]", source);
  PlaylistItem item;
  const toml::node* file = in.take("file");
  if (!file) {
    const auto& at = table.source().begin;
    throw PlaylistError(std::string(source) + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
                        ": item[" + std::to_string(index + 1) + "]: has no file (file = \"intro.mp4\")");
  }
  if (!file->as_string() || file->as_string()->get().empty()) in.fail(*file, "file", "expected a non-empty file name");
  item.file = file->as_string()->get();
  if (item.file.is_relative()) item.file = base_dir / item.file;
  item.duration = in.number("duration", 0.5, 7 * 86400.0);
  item.volume = in.number("volume", 0, 1).value_or(1.0);
  item.muted = in.flag("muted").value_or(true);
  item.schedule.days = in.days("days");
  item.schedule.from = in.time_of_day("from");
  item.schedule.until = in.time_of_day("until");
  item.schedule.first_date = in.date("first_date");
  item.schedule.last_date = in.date("last_date");
  if (item.schedule.first_date && item.schedule.last_date && *item.schedule.first_date > *item.schedule.last_date)
    in.fail(*table.get("last_date"), "last_date", "comes before first_date");
  in.finish();
  return item;
}

}  // namespace

Playlist parse_playlist(std::string_view text, std::string_view source, const std::filesystem::path& base_dir) {
  toml::table document;
  try {
    document = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    throw PlaylistError(std::string(source) + ":" + std::to_string(e.source().begin.line) + ":" +
                        std::to_string(e.source().begin.column) + ": TOML syntax error: " + std::string(e.description()));
  }
  Playlist playlist;
  playlist.source = source;
  for (const auto& [key, node] : document) {
    if (key.str() == "item") continue;
    const auto& at = key.source().begin;
    throw PlaylistError(std::string(source) + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
                        ": unknown key '" + std::string(key.str()) + "' (a playlist is a list of [[item]] tables)");
  }
  if (const toml::node* items = document.get("item")) {
    const toml::array* array = items->as_array();
    if (!array || !array->is_array_of_tables())
      throw PlaylistError(std::string(source) + ":" + std::to_string(items->source().begin.line) +
                          ": 'item' must be written as [[item]] tables");
    for (std::size_t i = 0; i < array->size(); ++i)
      playlist.items.push_back(read_item(*array->get(i)->as_table(), i, source, base_dir));
  }
  return playlist;
}

Playlist load_playlist(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw PlaylistError("cannot read playlist " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) throw PlaylistError("cannot read playlist " + path.string());
  return parse_playlist(text.str(), path.string(), path.parent_path());
}

}  // namespace tablo::media
