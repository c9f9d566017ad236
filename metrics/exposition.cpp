#include "metrics/exposition.hpp"

#include <prometheus/text_serializer.h>

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace tablo::metrics {

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds(std::move(upper_bounds)), buckets(bounds.size() + 1, 0) {}

void Histogram::observe(double value) {
  const auto at = std::lower_bound(bounds.begin(), bounds.end(), value) - bounds.begin();
  ++buckets[static_cast<std::size_t>(at)];
  sum += value;
  ++count;
}

Exposition& Exposition::family(std::string_view name, Kind kind, std::string_view help) {
  // A counter without _total would be read as another metric by every Prometheus client.
  if (kind == Kind::counter && !name.ends_with("_total"))
    throw std::logic_error("counter " + std::string(name) + " must end in _total");
  if (help.find_first_of("\\\n") != std::string_view::npos)
    throw std::logic_error("the HELP text of " + std::string(name) + " has a backslash or a line break");
  static constexpr prometheus::MetricType types[] = {prometheus::MetricType::Counter, prometheus::MetricType::Gauge,
                                                     prometheus::MetricType::Histogram};
  families_.push_back({std::string(name), std::string(help), types[static_cast<int>(kind)], {}});
  return *this;
}

prometheus::ClientMetric& Exposition::add(const Labels& labels) {
  if (families_.empty()) throw std::logic_error("a sample before its family");
  auto& metric = families_.back().metric.emplace_back();
  for (const auto& [name, value] : labels) metric.label.push_back({name, value});
  return metric;
}

Exposition& Exposition::sample(double value, const Labels& labels) {
  auto& metric = add(labels);
  if (families_.back().type == prometheus::MetricType::Counter) metric.counter.value = value;
  else metric.gauge.value = value;
  return *this;
}

Exposition& Exposition::sample(const Histogram& histogram, const Labels& labels) {
  auto& h = add(labels).histogram;
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < histogram.buckets.size(); ++i) {
    cumulative += histogram.buckets[i];
    h.bucket.push_back({cumulative, i < histogram.bounds.size() ? histogram.bounds[i]
                                                                 : std::numeric_limits<double>::infinity()});
  }
  h.sample_sum = histogram.sum;
  h.sample_count = histogram.count;
  return *this;
}

std::string Exposition::text() const { return prometheus::TextSerializer().Serialize(families_); }

}  // namespace tablo::metrics
