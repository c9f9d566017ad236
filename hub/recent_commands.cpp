#include "hub/recent_commands.hpp"

#include "protocol/codec.hpp"

namespace tablo::hub {
namespace {

using namespace tablo::protocol;

bool rememberable(const Command& command) {
  return !command.id.empty() && std::holds_alternative<Change>(command.action);
}

// The codec writes sorted keys and normalised fields, so equal commands encode equally:
// an absent zone and "main" are the same command.
std::string key_of(const Command& command) { return encode(command); }

}  // namespace

// The key and the command hold the text each; the map, the answer and the rest about 256.
constexpr std::size_t entry_overhead = 256;

RecentCommands::RecentCommands(std::chrono::milliseconds window, std::size_t capacity, std::size_t capacity_bytes)
    : window_(window), capacity_(capacity), capacity_bytes_(capacity_bytes) {}

void RecentCommands::forget_oldest() {
  bytes_ -= oldest_.front()->second.bytes;
  by_key_.erase(oldest_.front());
  oldest_.pop_front();
}

std::optional<Answer> RecentCommands::find(const Command& command, std::int64_t now) {
  forget_old(now);
  if (!rememberable(command)) return std::nullopt;
  auto it = by_key_.find(key_of(command));
  if (it == by_key_.end()) return std::nullopt;
  return it->second.answer;
}

void RecentCommands::remember(const Command& command, const Answer& answer, std::int64_t at) {
  if (!rememberable(command)) return;
  auto [it, added] = by_key_.try_emplace(key_of(command));
  if (!added) return;  // already known: the first answer stands
  it->second.command = command;
  it->second.answer = answer;
  it->second.at = at;
  it->second.bytes = 2 * it->first.size() + entry_overhead;
  bytes_ += it->second.bytes;
  oldest_.push_back(it);
  while (oldest_.size() > 1 && (by_key_.size() > capacity_ || bytes_ > capacity_bytes_)) forget_oldest();
}

void RecentCommands::forget_old(std::int64_t now) {
  while (!oldest_.empty() && oldest_.front()->second.at + window_.count() <= now) forget_oldest();
}

std::vector<Recorded> RecentCommands::accepted() const {
  std::vector<Recorded> out;
  for (const auto& it : oldest_) {
    const Entry& e = it->second;
    const auto* ok = std::get_if<Accepted>(&e.answer);
    if (!ok) continue;
    out.push_back(Recorded{e.command.id, Event{e.command.zone, ok->epoch, ok->seq, e.at, std::get<Change>(e.command.action)}});
  }
  return out;
}

}  // namespace tablo::hub
