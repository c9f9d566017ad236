// After staff publish a playlist: where each screen of the zone stands with it (from the
// screens' reports), and what a playlist plays when on a day — worked out with the screens'
// own playlist reader and schedule code (media/), not a copy of them.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>

#include "media/playlist.hpp"
#include "protocol/codec.hpp"
#include "web/console.hpp"
#include "web/playlist_day.hpp"

namespace tablo::web {
namespace {

using namespace std::chrono_literals;
using namespace tablo::protocol;

// A screen that has not reported for this long is taken for gone (the hub's own rule).
constexpr std::int64_t silent_after_ms = 15000;

std::optional<std::string> zone_asked(Exchange& e, const std::string& asked, Answer& refusal) {
  std::string error;
  auto zone = e.console.zone_for(e, asked, error);
  if (!zone) refusal = Answer::error(403, error);
  return zone;
}

// One screen of the zone: `in step`, `fetching`, `error` as it reports, or `waiting` (it has
// not yet got board seq `seq`, the push), `silent` (no report for 15 s), `no media` (it shows
// no pushed playlists).
json screen_progress(const SeenScreen& seen, const std::string& zone, std::uint64_t seq) {
  const auto& r = seen.report;
  json s = {{"name", r.name}, {"heard_ms_ago", seen.heard_ms_ago}, {"playing", r.playing}};
  const auto shown = r.seqs.find(zone);
  if (seen.heard_ms_ago > silent_after_ms) s["state"] = "silent";
  else if (!r.media) s["state"] = "no media";
  else if (shown == r.seqs.end() || shown->second < seq) s["state"] = "waiting";
  else s["state"] = r.media->state;
  if (r.media) {
    s["files"] = r.media->files;
    s["have"] = r.media->have;
    s["bytes_left"] = r.media->bytes_left;
    s["rate"] = r.media->rate;
    s["error"] = r.media->error;
  }
  return s;
}

// ?zone=&seq=: the zone's screens and their progress with the playlist published as `seq`.
Answer publishing(Exchange& e) {
  Answer refusal;
  const auto zone = zone_asked(e, e.request.param("zone"), refusal);
  if (!zone) return refusal;
  std::uint64_t seq = 0;
  const std::string asked = e.request.param("seq");
  std::from_chars(asked.data(), asked.data() + asked.size(), seq);
  const auto reply = e.console.hub.ask(std::string(default_zone), ScreenAction{ScreensRequest{}});
  const auto* list = reply ? std::get_if<ScreenList>(&reply->answer) : nullptr;
  if (!list) return hub_answer(reply, e.console.hub.endpoint());
  json screens = json::array();
  bool all = true;
  for (const auto& seen : list->screens) {
    const auto& zones = seen.report.zones;
    if (std::find(zones.begin(), zones.end(), *zone) == zones.end()) continue;
    screens.push_back(screen_progress(seen, *zone, seq));
    const std::string state = screens.back()["state"];
    all = all && (state == "in step" || state == "no media");
  }
  return Answer::of(json{{"zone", *zone}, {"seq", seq}, {"screens", screens}, {"all_in_step", all && !screens.empty()}});
}

std::string clock_text(int second) {
  char text[16];
  std::snprintf(text, sizeof text, "%02d:%02d", second / 3600 % 100, second / 60 % 60);
  return text;
}

// "YYYY-MM-DD" (empty: today) as the screens' schedule sees a day; nullopt when it is no date.
std::optional<media::LocalTime> day_of(const std::string& date) {
  if (date.empty()) return media::LocalTime::now();
  std::tm tm{};
  if (date.size() != 10 || std::sscanf(date.c_str(), "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  tm.tm_hour = 12;  // noon: a clock change at night does not move it to another day
  tm.tm_isdst = -1;
  const int asked = (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
  const auto day = media::LocalTime::at(std::mktime(&tm));
  if (day.date != asked) return std::nullopt;  // 2026-02-30
  return day;
}

// "HH:MM" as seconds of the day.
std::optional<int> second_of(const std::string& at) {
  const auto digit = [&](std::size_t i) { return std::isdigit(static_cast<unsigned char>(at[i])) != 0; };
  if (at.size() != 5 || !digit(0) || !digit(1) || at[2] != ':' || !digit(3) || !digit(4)) return std::nullopt;
  const int h = (at[0] - '0') * 10 + (at[1] - '0'), m = (at[3] - '0') * 10 + (at[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return h * 3600 + m * 60;
}

// The day of `text` (a playlist's TOML) with the files' lengths from the hub's library.
Answer preview_of(Exchange& e, const std::string& zone, const std::string& text, const std::string& date,
                  const std::string& at, const std::string& source) {
  const auto day = day_of(date);
  if (!day) return Answer::error(400, "give the day as YYYY-MM-DD, e.g. 2026-12-02");
  const auto second = at.empty() ? std::optional<int>() : second_of(at);
  if (!at.empty() && !second) return Answer::error(400, "give the time as HH:MM, e.g. 12:30");
  media::Playlist playlist;
  try {
    playlist = media::parse_playlist(text, "the playlist for zone " + zone, "");
  } catch (const media::PlaylistError& error) {
    return Answer::error(422, error.what());
  }
  const auto reply = e.console.hub.ask_media(MediaListRequest{}, 5s);
  const auto* library = reply ? std::get_if<MediaItems>(&reply->answer) : nullptr;
  if (!library) return hub_answer(reply, e.console.hub.endpoint());
  auto length = [&](const media::PlaylistItem& item) -> std::optional<double> {
    const auto found = std::find_if(library->items.begin(), library->items.end(),
                                    [&](const MediaItem& i) { return i.name == item.file.string(); });
    if (found == library->items.end()) return std::nullopt;
    if (found->duration_s <= 0) return item.duration.value_or(media::default_picture_seconds);  // a picture
    return item.duration ? std::min(*item.duration, found->duration_s) : found->duration_s;
  };
  json items = json::array();
  std::vector<double> lengths;
  for (const auto& item : playlist.items) {
    const auto seconds = length(item);
    lengths.push_back(seconds.value_or(0));
    items.push_back({{"file", item.file.string()}, {"seconds", seconds ? json(*seconds) : json(nullptr)}, {"scheduled", !item.schedule.always()}});
  }
  const auto parts = plan_day(playlist, *day, length);
  json timeline = json::array();
  for (const auto& p : parts) {
    timeline.push_back({{"from", clock_text(p.from)}, {"until", p.until == 86400 ? "24:00" : clock_text(p.until)}, {"items", p.items},
                        {"round_seconds", p.round_seconds ? json(*p.round_seconds) : json(nullptr)}});
  }
  static constexpr const char* weekdays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  char day_text[16];
  std::snprintf(day_text, sizeof day_text, "%04d-%02d-%02d", day->date / 10000, day->date / 100 % 100, day->date % 100);
  json answer = {{"zone", zone}, {"source", source}, {"day", day_text}, {"weekday", weekdays[day->weekday]}, {"items", items}, {"parts", timeline}};
  if (second) {
    const auto part = std::find_if(parts.begin(), parts.end(), [&](const DayPart& p) { return *second < p.until; });
    const auto on = item_at(*part, *second, lengths);
    answer["at"] = {{"time", at}, {"part", part - parts.begin()}, {"item", on ? json(*on) : json(nullptr)}};
  }
  return Answer::of(answer);
}

// ?zone=&day=&at=: the zone's pushed playlist.
Answer pushed_preview(Exchange& e) {
  Answer refusal;
  const auto zone = zone_asked(e, e.request.param("zone"), refusal);
  if (!zone) return refusal;
  const auto board = e.console.boards.board(*zone);
  if (!board || board->snapshot.board.playlist.empty())
    return Answer::error(404, "zone " + *zone + " has no pushed playlist: each screen plays its own file (POST a draft to /api/preview)");
  return preview_of(e, *zone, board->snapshot.board.playlist, e.request.param("day"), e.request.param("at"), "pushed");
}

// {text, zone?, day?, at?}: a playlist not yet published (the editor's).
Answer draft_preview(Exchange& e) {
  const auto body = e.request.json_body();
  if (!body || !body->contains("text") || !body->at("text").is_string())
    return Answer::error(400, "send {\"text\": \"TOML\", \"day\": \"2026-12-02\", \"at\": \"12:30\"}");
  auto field = [&](const char* key) {
    const auto it = body->find(key);
    return it != body->end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  Answer refusal;
  const auto zone = zone_asked(e, field("zone"), refusal);
  if (!zone) return refusal;
  return preview_of(e, *zone, body->at("text").get<std::string>(), field("day"), field("at"), "draft");
}

}  // namespace

void add_publish_routes(Console& c) {
  c.routes.push_back({"GET", "/api/publishing", false, Permission::media, publishing,
                      "each screen of the zone and where it stands with the playlist published as ?seq= (?zone=)"});
  c.routes.push_back({"GET", "/api/preview", false, Permission::media, pushed_preview,
                      "what the zone's pushed playlist plays when on a day (?zone=&day=YYYY-MM-DD&at=HH:MM)"});
  c.routes.push_back({"POST", "/api/preview", false, Permission::media, draft_preview,
                      "what a playlist not yet published plays when {text, zone?, day?, at?}"});
}

}  // namespace tablo::web
