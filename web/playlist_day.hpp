#pragma once
// What a playlist plays on a given day, worked out with the screens' own schedule code
// (media::Schedule::allows): the day is cut wherever an item's hours begin or end, and each part
// has its round — the items a screen passes through, in order, from the top again. Pure: the
// day and every item's length come in as arguments.
#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

#include "media/playlist.hpp"
#include "media/schedule.hpp"

namespace tablo::web {

struct DayPart {
  int from = 0, until = 86400;          // seconds of the day; until is exclusive
  std::vector<std::size_t> items;       // the round: indexes into the playlist, in playing order; none: the fallback slide
  std::optional<double> round_seconds;  // one pass; nullopt when an item's length is unknown
};

// How long an item plays: a picture its duration (10 s without), a video to its end or cut at
// its duration; nullopt when the file is not known.
using ItemLength = std::function<std::optional<double>(const media::PlaylistItem&)>;

// `day`: any moment of the day (its date and weekday are used). Parts in order, next to each
// other from 0 to 86400, neighbours with the same round merged.
std::vector<DayPart> plan_day(const media::Playlist& playlist, const media::LocalTime& day, const ItemLength& length);

// The item on screen `second` into the day if the part's round began with the part; nullopt
// when the part has no items or an unknown length.
std::optional<std::size_t> item_at(const DayPart& part, int second, const std::vector<double>& lengths);

}  // namespace tablo::web
