#include "tools/tabloctl_output.hpp"

#include "protocol/byte_count.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>
#include <iomanip>
#include <limits>
#include <ostream>
#include <sstream>
#include <vector>

namespace tablo::tools {
namespace {

using namespace tablo::protocol;

std::string quoted(const std::string& text) { return "«" + text + "»"; }

// Hub time (unix ms) as the local wall clock, "14:03:22".
std::string clock_time(std::int64_t unix_ms) {
  const std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm local{};
  ::localtime_r(&t, &local);
  char text[16];
  std::strftime(text, sizeof text, "%H:%M:%S", &local);
  return text;
}

std::string uptime_text(std::int64_t seconds) {
  const auto d = seconds / 86400, h = seconds / 3600 % 24, m = seconds / 60 % 60, s = seconds % 60;
  std::string text;
  if (d > 0) text += std::to_string(d) + " d ";
  if (d > 0 || h > 0) text += std::to_string(h) + " h ";
  if (d > 0 || h > 0 || m > 0) text += std::to_string(m) + " min ";
  return text + std::to_string(s) + " s";
}

// Characters, not bytes: Cyrillic names take two bytes a letter.
std::size_t display_width(const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// "+61.2 s": how far a screen's clock is ahead of the hub's; "-61.2 s" behind.
std::string offset_text(std::optional<std::int64_t> offset_ms) {
  if (!offset_ms) return "unknown";
  const std::int64_t ms = *offset_ms;
  const std::int64_t size = ms >= 0 ? ms : -std::max(ms, -std::numeric_limits<std::int64_t>::max());
  std::ostringstream text;
  text << (ms < 0 ? '-' : '+');
  if (size < 1000) {
    text << size << " ms";
  } else {
    text << std::fixed << std::setprecision(1) << static_cast<double>(size) / 1000.0 << " s";
  }
  return text.str();
}

}  // namespace


std::string seconds_text(std::chrono::milliseconds duration) {
  const auto ms = duration.count();
  if (ms < 1000) return std::to_string(ms) + " ms";
  return std::to_string(ms / 1000) + "." + std::to_string(ms % 1000 / 100) + " s";
}

void print_status(std::ostream& out, const Status& status) {
  out << "hub " << status.hub_version << ", epoch " << status.epoch << ", up " << uptime_text(status.uptime_s)
      << "\n";
  if (status.zones.empty()) {
    out << "zones: none yet (a zone appears with its first change)\n";
  } else {
    out << "zones:\n";
    for (const auto& [name, zone] : status.zones) {
      out << "  " << name << ": seq " << zone.seq << ", " << plural(zone.calls, "call", "calls")
          << " on the board\n";
    }
  }
  if (!status.journal_lost.empty()) {
    out << "journal: " << plural(status.journal_lost.size(), "acknowledged change", "acknowledged changes")
        << " could not be read back at the hub's start and are not on the boards; redo them:\n";
    for (const auto& l : status.journal_lost) {
      out << "  " << (l.zone.empty() ? "zone unknown" : "zone " + l.zone);
      if (l.seq) out << ", seq " << l.seq;
      out << ": " << (l.change.empty() ? "(unreadable)" : l.change) << "  [" << l.problem << "]\n";
    }
  }
  if (!status.connections.empty()) {
    out << "connections:";
    for (const auto& [socket, n] : status.connections) out << " " << socket << " " << n << ",";
    out << " at most " << status.max_connections << " before subscribers are refused\n";
  }
  if (const auto& u = status.upstream) {
    out << "region: " << (u->connected ? "connected to " : "link lost to ") << u->commands << " (for "
        << uptime_text(u->changed_s_ago) << (u->connected ? "" : "; playing on with what it has") << ")\n";
    for (const auto& [name, z] : u->zones) {
      std::string into;
      for (const auto& local : z.into) into += (into.empty() ? "" : ", ") + local;
      out << "  " << name << " → " << into << ": applied up to seq " << z.seq << " (epoch " << z.epoch << ")";
      if (z.latest > z.seq) out << ", behind by " << z.latest - z.seq;
      out << "\n";
      if (!z.missing_media.empty()) {
        std::string names;
        for (const auto& m : z.missing_media) names += (names.empty() ? "" : ", ") + m;
        out << "    its playlist names files this hub's media library lacks: " << names << "\n";
      }
    }
  }
  std::size_t width = 0;
  for (const auto& [name, n] : status.counters) width = std::max(width, name.size());
  out << "counters:\n";
  for (const auto& [name, n] : status.counters) {
    out << "  " << std::left << std::setw(static_cast<int>(width)) << name << "  " << n << "\n";
  }
}

void print_snapshot(std::ostream& out, const Snapshot& snapshot) {
  const Board& board = snapshot.board;
  out << "zone " << snapshot.zone << ", seq " << snapshot.seq << ", epoch " << snapshot.epoch << "\n";
  if (board.calls.empty()) {
    out << "no calls on the board\n";
  } else {
    out << "calls, newest first:\n";
    for (const auto& call : board.calls) {
      out << "  " << call.ticket << " → window " << call.window;
      if (!call.service.empty()) out << " (" << call.service << ")";
      out << ", called " << clock_time(call.called_at);
      if (call.recalls > 0) out << ", recalled " << plural(static_cast<std::size_t>(call.recalls), "time", "times");
      if (!call.text.empty()) out << ", " << quoted(call.text);
      out << "\n";
    }
  }
  out << "ticker: " << (board.ticker.empty() ? std::string("none") : quoted(board.ticker)) << "\n";
  out << "announcement: ";
  if (board.announcement) {
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
    out << quoted(board.announcement->text) << (board.announcement->until < now ? " ended " : " until ")
        << clock_time(board.announcement->until) << "\n";
  } else {
    out << "none\n";
  }
  out << "playlist: "
      << (board.playlist.empty() ? std::string("each screen's own file")
                                 : "pushed, " + plural(board.playlist.size(), "byte", "bytes"))
      << "\n";
}

namespace {

// "in step", "fetching 3 of 5 files, 120 MB to go, 4 MB/s", or what stops it.
std::string media_text(const std::optional<MediaReport>& m) {
  if (!m) return "-";
  if (m->state == "in step") return "in step";
  std::string text = m->state == "error" ? m->error : "fetching " + std::to_string(m->files - std::min(m->have, m->files)) +
                                                          " of " + plural(m->files, "file", "files") + ", " +
                                                          bytes_text(m->bytes_left) + " to go";
  if (m->state == "fetching" && m->rate > 0) text += ", " + bytes_text(m->rate) + "/s";
  if (m->corrupt > 0) text += " (" + plural(m->corrupt, "corrupt download", "corrupt downloads") + " fetched again)";
  return text;
}

}  // namespace

void print_screens(std::ostream& out, const ScreenList& list, bool json) {
  if (json) {
    for (const auto& s : list.screens) {
      const auto& r = s.report;
      nlohmann::json one{{"name", r.name}, {"zones", r.zones}, {"version", r.version}, {"uptime_s", r.uptime_s},
                         {"playing", r.playing}, {"dropped_frames", r.dropped_frames},
                         {"pictureless_draws", r.pictureless_draws}, {"audio", r.audio}, {"seqs", r.seqs},
                         {"heard_ms_ago", s.heard_ms_ago}};
      if (r.clock_offset_ms) one["clock_offset_ms"] = *r.clock_offset_ms;
      if (r.media) {
        one["media"] = {{"state", r.media->state}, {"files", r.media->files}, {"have", r.media->have},
                        {"bytes_left", r.media->bytes_left}, {"rate", r.media->rate}, {"corrupt", r.media->corrupt}};
        if (!r.media->error.empty()) one["media"]["error"] = r.media->error;
      }
      out << one.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }
    return;
  }
  if (list.screens.empty()) {
    out << "no screen has reported to the hub since it started\n";
    return;
  }
  // Columns as wide as their widest cell; what plays last, as file names run long.
  std::vector<std::vector<std::string>> rows{
      {"screen", "zones", "version", "heard", "up", "clock", "dropped", "audio", "media", "playing"}};
  for (const auto& s : list.screens) {
    const auto& r = s.report;
    std::string zones;
    for (const auto& z : r.zones) zones += (zones.empty() ? "" : ",") + z;
    rows.push_back({r.name, zones, r.version, seconds_text(std::chrono::milliseconds(s.heard_ms_ago)) + " ago",
                    uptime_text(r.uptime_s), offset_text(r.clock_offset_ms),
                    std::to_string(r.dropped_frames) + "/" + std::to_string(r.pictureless_draws), r.audio,
                    media_text(r.media), r.playing.empty() ? "-" : r.playing});
  }
  std::vector<std::size_t> widths(rows[0].size(), 0);
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], display_width(row[i]));
  for (const auto& row : rows) {
    for (std::size_t i = 0; i + 1 < row.size(); ++i) out << row[i] << std::string(widths[i] - display_width(row[i]) + 2, ' ');
    out << row.back() << "\n";
  }
  out << "(clock: how far the screen's clock is ahead of the hub's, - behind; dropped: video frames dropped / frames "
         "drawn without a picture)\n";
}

}  // namespace tablo::tools
