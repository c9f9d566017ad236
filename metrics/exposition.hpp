#pragma once
// A metrics page as prometheus-cpp's families (Debian: prometheus-cpp-dev): the hub and the
// screens build theirs from the figures their loop published, family by family, and
// prometheus-cpp's serializer writes the text format. Pure.
#include <prometheus/metric_family.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tablo::metrics {

enum class Kind { counter, gauge, histogram };

using Labels = std::vector<std::pair<std::string, std::string>>;
using Families = std::vector<prometheus::MetricFamily>;

// Observations counted into buckets by upper bound, as Prometheus histograms are. Plain
// numbers (not prometheus::Histogram's atomics), so the loop's figures copy as a whole.
struct Histogram {
  std::vector<double> bounds;          // ascending upper bounds; +Inf is implied
  std::vector<std::uint64_t> buckets;  // per bound plus one for +Inf, not cumulative
  double sum = 0;
  std::uint64_t count = 0;

  explicit Histogram(std::vector<double> upper_bounds = {});
  void observe(double value);
};

class Exposition {
 public:
  // Starts a family: `name` is the full metric name (counters end in _total). Throws
  // std::logic_error on a counter without _total, and on HELP text with a backslash or a line
  // break, which prometheus-cpp 1.0.1 writes unescaped.
  Exposition& family(std::string_view name, Kind kind, std::string_view help);
  // A sample of the current family.
  Exposition& sample(double value, const Labels& labels = {});
  // The current family's histogram: its _bucket, _sum and _count samples.
  Exposition& sample(const Histogram& histogram, const Labels& labels = {});

  Families families() && { return std::move(families_); }
  // The page in the text format, as a scrape gets it.
  std::string text() const;

 private:
  prometheus::ClientMetric& add(const Labels& labels);

  Families families_;
};

}  // namespace tablo::metrics
