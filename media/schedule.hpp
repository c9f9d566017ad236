#pragma once
// When a playlist item may play: days of the week, a time-of-day window and a date range,
// all in the screen's local time. Pure: the time is passed in, so tests choose it.
#include <cstdint>
#include <ctime>
#include <optional>

namespace tablo::media {

// A local calendar instant, as a schedule looks at it.
struct LocalTime {
  int date = 0;     // yyyymmdd, e.g. 20240501
  int weekday = 0;  // 0 Monday … 6 Sunday
  int second = 0;   // of the day, 0–86399
  static LocalTime at(std::time_t t);  // in the process's time zone
  static LocalTime now();
};

struct Schedule {
  std::uint8_t days = 0x7f;        // bit 0 Monday … bit 6 Sunday
  std::optional<int> from, until;  // seconds of the day; until is exclusive; from > until wraps midnight
  std::optional<int> first_date, last_date;  // yyyymmdd, inclusive
  bool operator==(const Schedule&) const = default;

  bool always() const { return *this == Schedule{}; }
  bool allows(const LocalTime& t) const;
};

}  // namespace tablo::media
