#pragma once
// Prometheus text exposition format 0.0.4: families of samples with their # HELP and # TYPE
// lines, label values escaped. Pure: the hub and the screens build their pages with it.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tablo::metrics {

enum class Kind { counter, gauge, histogram };

using Labels = std::vector<std::pair<std::string, std::string>>;

// Observations counted into buckets by upper bound, as Prometheus histograms are.
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
  // Starts a family: `name` is the full metric name (counters end in _total).
  Exposition& family(std::string_view name, Kind kind, std::string_view help);
  // A sample of the current family.
  Exposition& sample(double value, const Labels& labels = {});
  // The current family's _bucket, _sum and _count samples.
  Exposition& sample(const Histogram& histogram, const Labels& labels = {});

  const std::string& text() const { return text_; }

 private:
  void line(std::string_view name, const Labels& labels, double value);

  std::string text_;
  std::string name_;
};

// Backslash, double quote and line feed escaped as the format asks.
std::string escape_label_value(std::string_view value);
// Backslash and line feed escaped (HELP text).
std::string escape_help(std::string_view help);

}  // namespace tablo::metrics
