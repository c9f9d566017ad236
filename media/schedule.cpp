#include "media/schedule.hpp"

namespace tablo::media {

LocalTime LocalTime::at(std::time_t t) {
  std::tm tm{};
  localtime_r(&t, &tm);
  return LocalTime{(tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday, (tm.tm_wday + 6) % 7,
                   tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec};
}

LocalTime LocalTime::now() { return at(std::time(nullptr)); }

bool Schedule::allows(const LocalTime& t) const {
  if (first_date && t.date < *first_date) return false;
  if (last_date && t.date > *last_date) return false;
  if (from || until) {
    const int start = from.value_or(0), end = until.value_or(86400);
    if (start <= end) {
      if (t.second < start || t.second >= end) return false;
      return days >> t.weekday & 1;
    }
    // Across midnight: the part after midnight belongs to the previous day's window.
    if (t.second >= start) return days >> t.weekday & 1;
    if (t.second < end) return days >> ((t.weekday + 6) % 7) & 1;
    return false;
  }
  return days >> t.weekday & 1;
}

}  // namespace tablo::media
