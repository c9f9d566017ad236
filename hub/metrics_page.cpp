#include "hub/metrics_page.hpp"

#include <algorithm>
#include <chrono>

#include "hub/screens.hpp"

namespace tablo::hub {
namespace {

using metrics::Kind;

std::uint64_t counter(const protocol::Status& status, const std::string& name) {
  auto it = status.counters.find(name);
  return it == status.counters.end() ? 0 : it->second;
}

// The counters "<prefix>.<label>", e.g. accepted.call, as samples labelled `label`.
void labelled(metrics::Exposition& page, const protocol::Status& status, const std::string& prefix,
              const std::string& label) {
  const std::string start = prefix + ".";
  for (auto it = status.counters.lower_bound(start); it != status.counters.end() && it->first.starts_with(start); ++it)
    page.sample(static_cast<double>(it->second), {{label, it->first.substr(start.size())}});
}

// The fetcher's errors begin "disk full: …", "cache full: …" (fetch/media_cache.cpp); the rest
// are the network's, the sources' or the token's.
std::string media_error_kind(const std::string& error) {
  for (const char* kind : {"disk full", "cache full"})
    if (error.starts_with(kind)) return kind;
  return "fetch";
}

}  // namespace

metrics::Families metrics_page(const HubFigures& f) {
  const protocol::Status& s = f.status;
  metrics::Exposition page;
  page.family("tablo_hub_info", Kind::gauge, "The hub's version (always 1).").sample(1, {{"version", s.hub_version}});
  page.family("tablo_hub_commands_total", Kind::counter, "Commands the hub read, of every kind.")
      .sample(static_cast<double>(counter(s, "commands")));
  page.family("tablo_hub_accepted_total", Kind::counter, "Changes accepted, by type (call, recall, finish…).");
  labelled(page, s, "accepted", "type");
  page.family("tablo_hub_refused_total", Kind::counter, "Changes refused (a recall of a ticket not on the board…).")
      .sample(static_cast<double>(counter(s, "refused")));
  page.family("tablo_hub_repeated_total", Kind::counter, "Changes sent again after a lost reply, answered from memory.")
      .sample(static_cast<double>(counter(s, "repeated")));
  page.family("tablo_hub_rejected_total", Kind::counter,
              "Messages refused before they became a command, by reason (malformed, rate, role, key, handshake…).");
  labelled(page, s, "rejected", "reason");
  page.family("tablo_hub_connections", Kind::gauge, "Peers connected to each of the hub's sockets.");
  for (const auto& [socket, n] : s.connections) page.sample(static_cast<double>(n), {{"socket", socket}});
  page.family("tablo_hub_max_connections", Kind::gauge,
              "Connections past which new subscribers are refused (hub.max_connections; commands get 64 more).")
      .sample(static_cast<double>(s.max_connections));
  page.family("tablo_hub_zone_seq", Kind::gauge, "The latest change number of each zone.");
  for (const auto& [zone, z] : s.zones) page.sample(static_cast<double>(z.seq), {{"zone", zone}});
  page.family("tablo_hub_zone_calls", Kind::gauge, "Calls on each zone's board.");
  for (const auto& [zone, z] : s.zones) page.sample(static_cast<double>(z.calls), {{"zone", zone}});
  const auto silent_ms = std::chrono::duration_cast<std::chrono::milliseconds>(screen_silent_after).count();
  page.family("tablo_hub_screens_reporting", Kind::gauge, "Screens that reported within the last 15 s.")
      .sample(static_cast<double>(std::count_if(f.screens.screens.begin(), f.screens.screens.end(),
                                                [&](const auto& seen) { return seen.heard_ms_ago < silent_ms; })));
  page.family("tablo_hub_screen_report_age_seconds", Kind::gauge,
              "Seconds since each screen's last report; a screen silent for 15 s is taken for gone.");
  for (const auto& seen : f.screens.screens)
    page.sample(static_cast<double>(seen.heard_ms_ago) / 1000.0, {{"screen", seen.report.name}});
  // Where each screen with a media region stands with its pushed playlist's files, as it reported.
  page.family("tablo_hub_screen_media_in_step", Kind::gauge,
              "1 while a screen has every file of its pushed playlist, 0 while it fetches them or cannot; "
              "absent for screens without a media region.");
  for (const auto& seen : f.screens.screens)
    if (seen.report.media) page.sample(seen.report.media->state == "in step" ? 1 : 0, {{"screen", seen.report.name}});
  page.family("tablo_hub_screen_media_bytes_left", Kind::gauge, "Bytes a screen still has to fetch for its pushed playlist.");
  for (const auto& seen : f.screens.screens)
    if (seen.report.media)
      page.sample(static_cast<double>(seen.report.media->bytes_left), {{"screen", seen.report.name}});
  page.family("tablo_hub_screen_media_error", Kind::gauge,
              "1 while a screen cannot fetch its playlist's files, by kind: disk full (its cache's disk), cache full "
              "(display.fetch's size limit), fetch (the network, the sources, its token); absent while it can.");
  for (const auto& seen : f.screens.screens)
    if (seen.report.media && !seen.report.media->error.empty())
      page.sample(1, {{"screen", seen.report.name}, {"kind", media_error_kind(seen.report.media->error)}});
  page.family("tablo_hub_screen_media_corrupt_total", Kind::counter,
              "Downloads a screen threw away because their bytes did not match their SHA-256, since it started.");
  for (const auto& seen : f.screens.screens)
    if (seen.report.media) page.sample(static_cast<double>(seen.report.media->corrupt), {{"screen", seen.report.name}});
  page.family("tablo_hub_journal_bytes", Kind::gauge, "Size of the journal folder's boards.json and changes.jsonl.")
      .sample(static_cast<double>(f.journal_bytes));
  page.family("tablo_hub_media_stored_bytes", Kind::gauge, "Bytes of the media library's files, each counted once.")
      .sample(static_cast<double>(counter(s, "media.stored_bytes")));
  page.family("tablo_hub_media_served_bytes_total", Kind::counter, "Bytes of media the hub sent to screens over HTTP.")
      .sample(static_cast<double>(counter(s, "media.served_bytes")));
  page.family("tablo_hub_media_transfers_total", Kind::counter, "Media fetches the hub began to send.")
      .sample(static_cast<double>(counter(s, "media.transfers")));
  page.family("tablo_hub_media_transfers", Kind::gauge, "Media fetches being sent now (at most hub.media.transfers).")
      .sample(static_cast<double>(counter(s, "media.transfers_now")));
  page.family("tablo_hub_media_refused_total", Kind::counter,
              "Media fetches refused, by reason (token, unknown, busy, range, method).");
  labelled(page, s, "media.refused", "reason");
  page.family("tablo_hub_epoch", Kind::gauge,
              "The hub's epoch: its start or its latest zone removal, unix ms; screens notice a new one.")
      .sample(static_cast<double>(s.epoch));
  page.family("tablo_hub_uptime_seconds", Kind::gauge, "Seconds since the hub started.")
      .sample(static_cast<double>(s.uptime_s));
  page.family("process_start_time_seconds", Kind::gauge, "Start time of the process since the unix epoch in seconds.")
      .sample(static_cast<double>(s.epoch) / 1000.0);
  page.family("process_resident_memory_bytes", Kind::gauge, "Resident memory size in bytes.")
      .sample(static_cast<double>(f.resident_bytes));
  return std::move(page).families();
}

}  // namespace tablo::hub
