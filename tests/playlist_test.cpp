// Playlists as staff write them, and schedules against a chosen clock.
#include <catch2/catch.hpp>

#include "media/playlist.hpp"

using namespace tablo::media;

namespace {

std::string error_of(std::string_view toml) {
  try {
    parse_playlist(toml, "loop.toml", "/srv/media");
  } catch (const PlaylistError& e) {
    return e.what();
  }
  FAIL("parsed without an error:\n" << toml);
  return {};
}

// 2024-05-06 was a Monday.
LocalTime at(int date, int weekday, int hour, int minute) { return LocalTime{date, weekday, hour * 3600 + minute * 60}; }

}  // namespace

TEST_CASE("a playlist lists its items in order, files relative to its folder") {
  const auto p = parse_playlist(R"(
[[item]]
file = "intro.mp4"
muted = false
volume = 0.5

[[item]]
file = "/opt/slides/menu.png"
duration = 12

[[item]]
file = "lunch.jpg"
days = ["mon", "tue", "wed", "thu", "fri"]
from = "12:00"
until = 14:30:00
first_date = 2024-05-01
last_date = "2024-05-31"
)",
                                "loop.toml", "/srv/media");
  REQUIRE(p.items.size() == 3);
  CHECK(p.items[0].file == "/srv/media/intro.mp4");
  CHECK_FALSE(p.items[0].muted);
  CHECK(p.items[0].volume == 0.5);
  CHECK(p.items[0].schedule.always());
  CHECK(p.items[1].file == "/opt/slides/menu.png");
  CHECK(p.items[1].duration == 12.0);
  CHECK(p.items[1].muted);  // silent unless said otherwise
  const auto& s = p.items[2].schedule;
  CHECK(s.days == 0b0011111);
  CHECK(s.from == 12 * 3600);
  CHECK(s.until == 14 * 3600 + 30 * 60);
  CHECK(s.first_date == 20240501);
  CHECK(s.last_date == 20240531);
}

TEST_CASE("an empty playlist is valid and has no items") {
  CHECK(parse_playlist("# nothing yet\n", "loop.toml", "/srv").items.empty());
}

TEST_CASE("a mistake in a playlist names the file, line and column and what is expected") {
  CHECK(error_of("[[item]]\nfile = \"a.mp4\"\nduration = -3\n") ==
        "loop.toml:3:12: item[1].duration: expected a number 0.5–604800");
  CHECK(error_of("[[item]]\nfile = \"a.mp4\"\n[[item]]\nfile = \"b.mp4\"\nvolume = 2\n") ==
        "loop.toml:5:10: item[2].volume: expected a number 0–1");
  CHECK(error_of("[[item]]\nfile = \"a.mp4\"\ndays = [\"monday\"]\n") ==
        "loop.toml:3:9: item[1].days: expected days \"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"");
  CHECK(error_of("[[item]]\nfile = \"a.mp4\"\nfrom = \"25:00\"\n") ==
        "loop.toml:3:8: item[1].from: expected a time of day \"HH:MM\" (00:00–24:00)");
  CHECK(error_of("[[item]]\nfile = \"a.mp4\"\nfirst_date = 2024-06-01\nlast_date = 2024-05-01\n") ==
        "loop.toml:4:13: item[1].last_date: comes before first_date");
  CHECK(error_of("[[item]]\nduration = 5\n") == "loop.toml:1:1: item[1]: has no file (file = \"intro.mp4\")");
  CHECK_THAT(error_of("[[item]]\nfile = \"a.mp4\"\nmute = true\n"),
             Catch::StartsWith("loop.toml:3:1: item[1].mute: unknown key (known keys: file, duration, volume, muted"));
  CHECK(error_of("title = \"x\"\n") == "loop.toml:1:1: unknown key 'title' (a playlist is a list of [[item]] tables)");
  CHECK_THAT(error_of("[[item]]\nfile = \"a.mp4\n"), Catch::StartsWith("loop.toml:2:"));  // half-written
}

TEST_CASE("a missing playlist file says which") {
  CHECK_THROWS_WITH(load_playlist("/nonexistent/loop.toml"), "cannot read playlist /nonexistent/loop.toml");
}

TEST_CASE("a schedule allows its days, its hours and its dates only") {
  Schedule weekdays_noon;
  weekdays_noon.days = 0b0011111;
  weekdays_noon.from = 12 * 3600;
  weekdays_noon.until = 14 * 3600;
  CHECK(weekdays_noon.allows(at(20240506, 0, 12, 0)));   // Monday noon
  CHECK(weekdays_noon.allows(at(20240506, 0, 13, 59)));
  CHECK_FALSE(weekdays_noon.allows(at(20240506, 0, 14, 0)));  // until is exclusive
  CHECK_FALSE(weekdays_noon.allows(at(20240506, 0, 11, 59)));
  CHECK_FALSE(weekdays_noon.allows(at(20240511, 5, 12, 30)));  // Saturday

  Schedule may;
  may.first_date = 20240501;
  may.last_date = 20240531;
  CHECK(may.allows(at(20240501, 2, 0, 0)));
  CHECK(may.allows(at(20240531, 4, 23, 59)));
  CHECK_FALSE(may.allows(at(20240601, 5, 0, 0)));
  CHECK_FALSE(may.allows(at(20240430, 1, 23, 59)));
}

TEST_CASE("a time window across midnight belongs to the day it starts on") {
  Schedule friday_night;
  friday_night.days = 1 << 4;  // Friday
  friday_night.from = 22 * 3600;
  friday_night.until = 2 * 3600;
  CHECK(friday_night.allows(at(20240510, 4, 23, 0)));       // Friday 23:00
  CHECK(friday_night.allows(at(20240511, 5, 1, 30)));       // Saturday 01:30: still Friday's night
  CHECK_FALSE(friday_night.allows(at(20240511, 5, 23, 0)));  // Saturday night
  CHECK_FALSE(friday_night.allows(at(20240510, 4, 1, 30)));  // Friday 01:30 is Thursday's night
  CHECK_FALSE(friday_night.allows(at(20240510, 4, 12, 0)));
}
