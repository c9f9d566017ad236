#pragma once
// How refused connections reach the log: the first of a kind at once, in full; the rest of
// that kind counted and summed up in one line per interval ("… and 299 more in the last
// 10 s, from 127.0.0.1 and 2 other addresses"). A flood of handshakes with fresh random keys
// thus writes a few lines, not one per try; the counters stay exact elsewhere.
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace tablo::hub {

class RefusalLog {
 public:
  using Clock = std::chrono::steady_clock;
  explicit RefusalLog(Clock::duration interval) : interval_(interval) {}

  // A refusal of `kind` ("an unknown key on the commands socket") from `address`: true when
  // the caller should log it in full now; otherwise it is counted for the next summary.
  bool refused(const std::string& kind, const std::string& address, Clock::time_point now);

  // The summaries due at `now`, one line each, through `log`.
  void summarise(Clock::time_point now, const std::function<void(const std::string&)>& log);
  // When the next summary is due, if one is pending.
  std::optional<Clock::time_point> next_due() const;

 private:
  struct Kind {
    Clock::time_point logged;            // when its last line (in full or summed up) was written
    std::uint64_t since = 0;             // refusals counted since then
    std::set<std::string> addresses;     // where they came from (the first few)
  };
  Clock::duration interval_;
  std::map<std::string, Kind> kinds_;
};

}  // namespace tablo::hub
