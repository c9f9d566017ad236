#include "hub/refusal_log.hpp"

#include <iterator>

namespace tablo::hub {
namespace {

constexpr std::size_t addresses_named = 3;

}  // namespace

bool RefusalLog::refused(const std::string& kind, const std::string& address, Clock::time_point now) {
  auto [it, fresh] = kinds_.try_emplace(kind);
  Kind& k = it->second;
  if (fresh || (k.since == 0 && now - k.logged >= interval_)) {
    k.logged = now;
    return true;
  }
  ++k.since;
  if (!address.empty() && k.addresses.size() <= addresses_named) k.addresses.insert(address);
  return false;
}

void RefusalLog::summarise(Clock::time_point now, const std::function<void(const std::string&)>& log) {
  for (auto& [kind, k] : kinds_) {
    if (k.since == 0 || now - k.logged < interval_) continue;
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - k.logged).count();
    std::string from;
    std::size_t n = 0;
    for (auto a = k.addresses.begin(); a != k.addresses.end() && n < addresses_named; ++a, ++n) {
      from += (n ? ", " : "") + *a;
    }
    if (k.addresses.size() > addresses_named) from += " and others";
    log("refused " + std::to_string(k.since) + " more " + (k.since == 1 ? "client" : "clients") + " with " + kind +
        " in the last " + std::to_string(seconds) + " s" + (from.empty() ? "" : ", from " + from) +
        " (each one is counted)");
    k.logged = now;
    k.since = 0;
    k.addresses.clear();
  }
}

std::optional<RefusalLog::Clock::time_point> RefusalLog::next_due() const {
  std::optional<Clock::time_point> due;
  for (const auto& [kind, k] : kinds_) {
    if (k.since > 0 && (!due || k.logged + interval_ < *due)) due = k.logged + interval_;
  }
  return due;
}

}  // namespace tablo::hub
