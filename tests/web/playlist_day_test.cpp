#include <catch2/catch.hpp>

#include <map>

#include "web/playlist_day.hpp"

using tablo::media::LocalTime;
using tablo::media::parse_playlist;
using tablo::media::PlaylistItem;
using tablo::web::DayPart;
using tablo::web::item_at;
using tablo::web::plan_day;

namespace {

constexpr LocalTime wednesday{20261202, 2, 0}, thursday{20261203, 3, 0}, sunday{20261206, 6, 0};

// Lengths as the library would give them: welcome.mp4 is 12 s, pictures their duration.
std::optional<double> length(const PlaylistItem& item) {
  static const std::map<std::string, double> videos = {{"welcome.mp4", 12.0}};
  if (auto v = videos.find(item.file.string()); v != videos.end()) return v->second;
  if (item.file.string().ends_with(".png")) return item.duration.value_or(10.0);
  return std::nullopt;
}

std::vector<std::tuple<int, int, std::vector<std::size_t>>> cuts(const std::vector<DayPart>& parts) {
  std::vector<std::tuple<int, int, std::vector<std::size_t>>> out;
  for (const auto& p : parts) out.emplace_back(p.from, p.until, p.items);
  return out;
}

}  // namespace

TEST_CASE("a weekday lunch picture joins the round from 12:30 until 13:30, and not on a Sunday") {
  const auto playlist = parse_playlist(
      "[[item]]\nfile = \"welcome.mp4\"\n[[item]]\nfile = \"lunch.png\"\nduration = 20\n"
      "days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\nfrom = \"12:30\"\nuntil = \"13:30\"\n",
      "test", "");
  const auto parts = plan_day(playlist, wednesday, length);
  using Cut = std::tuple<int, int, std::vector<std::size_t>>;
  CHECK(cuts(parts) == std::vector<Cut>{{0, 45000, {0}}, {45000, 48600, {0, 1}}, {48600, 86400, {0}}});
  CHECK(parts[1].round_seconds == 32.0);
  const std::vector<double> lengths = {12.0, 20.0};
  CHECK(item_at(parts[1], 45000 + 5, lengths) == 0u);   // 12:30:05: the video
  CHECK(item_at(parts[1], 45000 + 20, lengths) == 1u);  // 20 s in: the picture
  CHECK(item_at(parts[1], 45000 + 40, lengths) == 0u);  // 8 s into the second round: the video again
  CHECK(cuts(plan_day(playlist, sunday, length)) == std::vector<Cut>{{0, 86400, {0}}});
}

TEST_CASE("hours across midnight belong to the day they start on") {
  const auto playlist = parse_playlist(
      "[[item]]\nfile = \"night.png\"\ndays = [\"wed\"]\nfrom = \"22:00\"\nuntil = \"02:00\"\n", "test", "");
  using Cut = std::tuple<int, int, std::vector<std::size_t>>;
  CHECK(cuts(plan_day(playlist, wednesday, length)) == std::vector<Cut>{{0, 79200, {}}, {79200, 86400, {0}}});
  CHECK(cuts(plan_day(playlist, thursday, length)) == std::vector<Cut>{{0, 7200, {0}}, {7200, 86400, {}}});
}

TEST_CASE("a date range outside the day leaves the slide, and a file the library does not know leaves the round's length open") {
  const auto playlist = parse_playlist(
      "[[item]]\nfile = \"april.png\"\nfirst_date = 2026-04-01\nlast_date = 2026-04-30\n"
      "[[item]]\nfile = \"unknown.mp4\"\ndays = [\"sun\"]\n",
      "test", "");
  const auto weekday = plan_day(playlist, wednesday, length);
  REQUIRE(weekday.size() == 1);
  CHECK(weekday[0].items.empty());  // the slide with the branch's name and the time
  CHECK(item_at(weekday[0], 600, {10.0, 0.0}) == std::nullopt);
  const auto sunday_parts = plan_day(playlist, sunday, length);
  REQUIRE(sunday_parts.size() == 1);
  CHECK(sunday_parts[0].items == std::vector<std::size_t>{1});
  CHECK_FALSE(sunday_parts[0].round_seconds.has_value());
}
