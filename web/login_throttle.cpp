#include "web/login_throttle.hpp"

namespace tablo::web {

LoginThrottle::LoginThrottle(int per_account, int per_address, std::chrono::seconds window)
    : per_account_(per_account), per_address_(per_address), window_(window) {}

std::chrono::seconds LoginThrottle::wait_for(Failures& failures, int limit, Clock::time_point now) {
  while (!failures.empty() && failures.front() + window_ <= now) failures.pop_front();
  if (static_cast<int>(failures.size()) < limit) return std::chrono::seconds(0);
  return std::chrono::ceil<std::chrono::seconds>(failures.front() + window_ - now);
}

std::chrono::seconds LoginThrottle::wait(const std::string& account, const std::string& address, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  return std::max(wait_for(accounts_[account], per_account_, now), wait_for(addresses_[address], per_address_, now));
}

void LoginThrottle::failed(const std::string& account, const std::string& address, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  accounts_[account].push_back(now);
  addresses_[address].push_back(now);
  // Names nobody has: forgotten once they age out, so that guessing names cannot grow the map.
  for (auto* failures : {&accounts_, &addresses_}) {
    if (failures->size() <= 10000) continue;
    for (auto it = failures->begin(); it != failures->end();)
      it = wait_for(it->second, 1, now).count() == 0 ? failures->erase(it) : std::next(it);
  }
}

void LoginThrottle::succeeded(const std::string& account) {
  std::lock_guard lock(mutex_);
  accounts_.erase(account);
}

}  // namespace tablo::web
