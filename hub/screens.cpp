#include "hub/screens.hpp"

#include <algorithm>

namespace tablo::hub {

bool Screens::heard(const protocol::ScreenReport& report, const std::string& connection, const std::string& key,
                    SteadyClock::time_point now) {
  const bool is_new = !seen_.contains(report.name);
  if (is_new && seen_.size() >= max_screens) {
    seen_.erase(std::min_element(seen_.begin(), seen_.end(),
                                 [](const auto& a, const auto& b) { return a.second.heard < b.second.heard; }));
  }
  seen_[report.name] = Seen{report, connection, key, now};
  return is_new;
}

const Screens::Seen* Screens::find(const std::string& name) const {
  auto it = seen_.find(name);
  return it == seen_.end() ? nullptr : &it->second;
}

protocol::ScreenList Screens::list(SteadyClock::time_point now) const {
  protocol::ScreenList list;
  for (const auto& [name, seen] : seen_) {
    const auto ago = std::chrono::duration_cast<std::chrono::milliseconds>(now - seen.heard).count();
    list.screens.push_back(protocol::SeenScreen{seen.report, std::max<std::int64_t>(0, ago)});
  }
  return list;
}

std::optional<std::string> Screens::wait_for(Waiting waiting) {
  if (waiting_.size() >= max_waiting) return std::nullopt;
  std::string id = "relay-" + std::to_string(next_relay_++);
  waiting_.emplace(id, std::move(waiting));
  return id;
}

std::optional<Screens::Waiting> Screens::answered(const std::string& relay_id, const std::string& connection) {
  auto it = waiting_.find(relay_id);
  // Only the connection it went to may answer it: another screen cannot slip in a picture.
  if (it == waiting_.end() || it->second.connection != connection) return std::nullopt;
  Waiting w = std::move(it->second);
  waiting_.erase(it);
  return w;
}

std::vector<Screens::Waiting> Screens::overdue(SteadyClock::time_point now) {
  std::vector<Waiting> out;
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    if (it->second.deadline <= now) {
      out.push_back(std::move(it->second));
      it = waiting_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

std::optional<SteadyClock::time_point> Screens::next_deadline() const {
  std::optional<SteadyClock::time_point> next;
  for (const auto& [id, w] : waiting_) next = next ? std::min(*next, w.deadline) : w.deadline;
  return next;
}

bool Screens::expects_answer_from(const std::string& connection) const {
  return std::any_of(waiting_.begin(), waiting_.end(), [&](const auto& w) { return w.second.connection == connection; });
}

}  // namespace tablo::hub
