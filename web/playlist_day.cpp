#include "web/playlist_day.hpp"

#include <cmath>
#include <set>

namespace tablo::web {

std::vector<DayPart> plan_day(const media::Playlist& playlist, const media::LocalTime& day, const ItemLength& length) {
  // Between two of these moments no item's schedule changes its answer.
  std::set<int> cuts = {0};
  for (const auto& item : playlist.items) {
    for (const auto& at : {item.schedule.from, item.schedule.until})
      if (at && *at > 0 && *at < 86400) cuts.insert(*at);
  }
  std::vector<DayPart> parts;
  for (auto cut = cuts.begin(); cut != cuts.end(); ++cut) {
    DayPart part;
    part.from = *cut;
    part.until = std::next(cut) == cuts.end() ? 86400 : *std::next(cut);
    const media::LocalTime at{day.date, day.weekday, part.from};
    double round = 0;
    bool known = true;
    for (std::size_t i = 0; i < playlist.items.size(); ++i) {
      if (!playlist.items[i].schedule.allows(at)) continue;
      part.items.push_back(i);
      const auto seconds = length(playlist.items[i]);
      if (seconds) round += *seconds;
      else known = false;
    }
    if (known && !part.items.empty()) part.round_seconds = round;
    if (!parts.empty() && parts.back().items == part.items) parts.back().until = part.until;
    else parts.push_back(std::move(part));
  }
  return parts;
}

std::optional<std::size_t> item_at(const DayPart& part, int second, const std::vector<double>& lengths) {
  if (part.items.empty() || !part.round_seconds || *part.round_seconds <= 0) return std::nullopt;
  double into = std::fmod(static_cast<double>(second - part.from), *part.round_seconds);
  for (const auto i : part.items) {
    if (into < lengths[i]) return i;
    into -= lengths[i];
  }
  return part.items.back();
}

}  // namespace tablo::web
