// What IT watches: the screens, their screenshots, a day of proof of play, the hub's counters,
// and reloading the settings.
#include <sstream>

#include "protocol/codec.hpp"
#include "web/console.hpp"

namespace tablo::web {
namespace {

using namespace tablo::protocol;

// The screen named in /api/screens/NAME/WHAT.
std::string screen_in(const std::string& path, const std::string& what) {
  const std::string under = "/api/screens/";
  if (!path.ends_with("/" + what) || path.size() <= under.size() + what.size() + 1) return "";
  return path.substr(under.size(), path.size() - under.size() - what.size() - 1);
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

// A day of proof of play (JSON lines) as CSV: when, how long, what (a file, or the words said).
std::string proof_csv(const std::string& lines) {
  std::string csv = "start,seconds,type,file,ticket,window,zone,words\r\n";
  std::istringstream in(lines);
  for (std::string line; std::getline(in, line);) {
    const json j = json::parse(line, nullptr, false);
    if (!j.is_object()) continue;
    auto text = [&](const char* key) {
      const auto it = j.find(key);
      return it == j.end() ? std::string() : it->is_string() ? it->get<std::string>() : it->dump();
    };
    csv += csv_field(text("start")) + "," + text("seconds") + "," + csv_field(text("type")) + "," + csv_field(text("file")) + "," +
           csv_field(text("ticket")) + "," + csv_field(text("window")) + "," + csv_field(text("zone")) + "," +
           csv_field(text("words")) + "\r\n";
  }
  return csv;
}

Answer screenshot(Exchange& e) {
  const std::string name = screen_in(e.request.path, "screenshot");
  if (name.empty()) return Answer::error(404, "ask /api/screens/NAME/screenshot or /api/screens/NAME/proof-of-play?day=YYYY-MM-DD");
  std::string error;
  const auto png = e.console.hub.screenshot(name, error);
  if (!png) return Answer::error(502, error);
  Answer a;
  a.type = "image/png";
  a.body = *png;
  return a;
}

Answer proof_of_play(Exchange& e) {
  const std::string name = screen_in(e.request.path, "proof-of-play");
  if (name.empty()) return screenshot(e);
  const std::string day = e.request.param("day");
  if (!valid_day(day)) return Answer::error(400, "give ?day=YYYY-MM-DD, e.g. ?day=2026-11-26");
  const auto reply = e.console.hub.ask(std::string(default_zone), ScreenAction{ProofOfPlayRequest{name, day}});
  if (!reply) return Answer::error(504, "no reply from the hub at " + e.console.hub.endpoint());
  if (const auto* no = std::get_if<Refused>(&reply->answer)) return Answer::error(502, no->error);
  const auto* file = std::get_if<ScreenFile>(&reply->answer);
  if (!file) return Answer::error(502, "the hub answered with a reply of the wrong kind");
  if (e.request.param("format") == "csv") {
    Answer a;
    a.type = "text/csv; charset=utf-8";
    a.body = proof_csv(file->data);
    a.headers.emplace_back("Content-Disposition", "attachment; filename=\"proof-of-play-" + name + "-" + day + ".csv\"");
    return a;
  }
  json rows = json::array();
  std::istringstream in(file->data);
  for (std::string line; std::getline(in, line);) {
    json row = json::parse(line, nullptr, false);
    if (row.is_object()) rows.push_back(std::move(row));
  }
  return Answer::of(json{{"screen", name}, {"day", day}, {"rows", rows}});
}

Answer relayed(Exchange& e) {
  return e.request.path.ends_with("/screenshot") ? screenshot(e) : proof_of_play(e);
}

Answer reload(Exchange& e) {
  auto a = hub_answer(e.console.hub.ask(std::string(default_zone), ReloadRequest{}), e.console.hub.endpoint());
  e.console.audit(e, "reload", a.status == 200 ? "ok" : json::parse(a.body).value("error", "refused"));
  return a;
}

}  // namespace

void add_screen_routes(Console& c) {
  c.routes.push_back({"GET", "/api/screens", false, Permission::screens,
                      [](Exchange& e) { return hub_answer(e.console.hub.ask(std::string(default_zone), ScreenAction{ScreensRequest{}}), e.console.hub.endpoint()); },
                      "every screen that reports to the hub: zones, version, what plays, sound, dropped frames, seqs"});
  c.routes.push_back({"GET", "/api/screens/", true, Permission::screens, relayed,
                      "/api/screens/NAME/screenshot (PNG, reused for web.screenshot_seconds) and "
                      "/api/screens/NAME/proof-of-play?day=YYYY-MM-DD[&format=csv]"});
  c.routes.push_back({"GET", "/api/status", false, Permission::screens,
                      [](Exchange& e) { return hub_answer(e.console.hub.ask(std::string(default_zone), StatusRequest{}), e.console.hub.endpoint()); },
                      "the hub's version, uptime, zones and counters"});
  c.routes.push_back({"POST", "/api/reload", false, Permission::accounts, reload, "the hub and the screens read their settings again"});
}

}  // namespace tablo::web
