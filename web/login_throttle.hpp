#pragma once
// Login attempts, limited per account and per address: after `per_account` failures within
// `window` an account takes no password (whoever sends it) until the oldest failure ages out;
// after `per_address` failures an address is refused likewise. A right password clears the
// account's count. Thread-safe; kept in memory (a restart forgives).
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace tablo::web {

class LoginThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  LoginThrottle(int per_account = 5, int per_address = 20, std::chrono::seconds window = std::chrono::minutes(15));

  // Zero when the attempt may go ahead, else how long until it may.
  std::chrono::seconds wait(const std::string& account, const std::string& address, Clock::time_point now = Clock::now());
  void failed(const std::string& account, const std::string& address, Clock::time_point now = Clock::now());
  void succeeded(const std::string& account);

 private:
  using Failures = std::deque<Clock::time_point>;
  std::chrono::seconds wait_for(Failures& failures, int limit, Clock::time_point now);

  int per_account_, per_address_;
  std::chrono::seconds window_;
  std::map<std::string, Failures> accounts_, addresses_;
  std::mutex mutex_;
};

}  // namespace tablo::web
