#include "metrics/exposition.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace tablo::metrics {
namespace {

std::string number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char text[32];
  return {text, std::to_chars(text, text + sizeof text, value).ptr};
}

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::counter: return "counter";
    case Kind::gauge: return "gauge";
    case Kind::histogram: return "histogram";
  }
  return "untyped";
}

}  // namespace

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds(std::move(upper_bounds)), buckets(bounds.size() + 1, 0) {}

void Histogram::observe(double value) {
  const auto at = std::lower_bound(bounds.begin(), bounds.end(), value) - bounds.begin();
  ++buckets[static_cast<std::size_t>(at)];
  sum += value;
  ++count;
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string escape_help(std::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

Exposition& Exposition::family(std::string_view name, Kind kind, std::string_view help) {
  // A counter without _total would be read as another metric by every Prometheus client.
  if (kind == Kind::counter && !name.ends_with("_total"))
    throw std::logic_error("counter " + std::string(name) + " must end in _total");
  name_ = name;
  text_ += "# HELP " + name_ + ' ' + escape_help(help) + '\n';
  text_ += "# TYPE " + name_ + ' ' + std::string(kind_name(kind)) + '\n';
  return *this;
}

Exposition& Exposition::sample(double value, const Labels& labels) {
  line(name_, labels, value);
  return *this;
}

Exposition& Exposition::sample(const Histogram& histogram, const Labels& labels) {
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < histogram.buckets.size(); ++i) {
    cumulative += histogram.buckets[i];
    Labels with_le = labels;
    with_le.emplace_back("le", i < histogram.bounds.size() ? number(histogram.bounds[i]) : "+Inf");
    line(name_ + "_bucket", with_le, static_cast<double>(cumulative));
  }
  line(name_ + "_sum", labels, histogram.sum);
  line(name_ + "_count", labels, static_cast<double>(histogram.count));
  return *this;
}

void Exposition::line(std::string_view name, const Labels& labels, double value) {
  text_ += name;
  if (!labels.empty()) {
    text_ += '{';
    for (std::size_t i = 0; i < labels.size(); ++i) {
      text_ += (i ? "," : "") + labels[i].first + "=\"" + escape_label_value(labels[i].second) + '"';
    }
    text_ += '}';
  }
  text_ += ' ' + number(value) + '\n';
}

}  // namespace tablo::metrics
