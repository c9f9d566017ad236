#include "hub/rate_limit.hpp"

#include <algorithm>

namespace tablo::hub {

RateLimit::RateLimit(double per_second, int burst) : per_second_(per_second), burst_(std::max(1, burst)) {}

RateLimit::Verdict RateLimit::take(const std::string& client, Clock::time_point now) {
  if (per_second_ <= 0) return {};
  if (buckets_.size() >= forget_at_) forget_idle(now);
  auto [it, fresh] = buckets_.try_emplace(client, Bucket{static_cast<double>(burst_), now, false});
  Bucket& bucket = it->second;
  if (!fresh) {
    const std::chrono::duration<double> elapsed = now - bucket.last;
    bucket.tokens = std::min<double>(burst_, bucket.tokens + elapsed.count() * per_second_);
    bucket.last = now;
  }
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    bucket.refusing = false;
    return {};
  }
  const bool started = !bucket.refusing;
  bucket.refusing = true;
  return {false, started};
}

void RateLimit::forget_idle(Clock::time_point now) {
  // A bucket that has filled up again is the same as no bucket: drop it. Connections come
  // and go (a tabloctl per command), so without this the map would only grow.
  std::erase_if(buckets_, [&](const auto& entry) {
    const std::chrono::duration<double> elapsed = now - entry.second.last;
    return entry.second.tokens + elapsed.count() * per_second_ >= burst_;
  });
  forget_at_ = std::max<std::size_t>(1024, buckets_.size() * 2);
}

}  // namespace tablo::hub
