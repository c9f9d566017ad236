#pragma once
// Commands per second per client: a token bucket for each (the client's key, or its
// connection when the hub has no keys). A client may send `burst` commands at once and
// then `per_second` a second; what is over is refused, not queued.
#include <chrono>
#include <string>
#include <unordered_map>

namespace tablo::hub {

class RateLimit {
 public:
  using Clock = std::chrono::steady_clock;

  // `per_second` 0: no limit.
  RateLimit(double per_second, int burst);

  struct Verdict {
    bool allowed = true;
    bool started_refusing = false;  // the first refusal since this client was last allowed: worth a log line
  };
  Verdict take(const std::string& client, Clock::time_point now);

  double per_second() const { return per_second_; }
  int burst() const { return burst_; }

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point last;
    bool refusing = false;
  };
  void forget_idle(Clock::time_point now);

  double per_second_;
  int burst_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::size_t forget_at_ = 1024;  // buckets kept before the full (idle) ones are dropped
};

}  // namespace tablo::hub
