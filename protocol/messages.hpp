#pragma once
// The words of protocol version 1: what a zone's board holds, the changes the hub
// publishes, the commands clients send and the replies they get. docs/PROTOCOL.md
// describes the same things on the wire.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "protocol/media_messages.hpp"

namespace tablo::protocol {

inline constexpr int version = 1;
inline constexpr std::string_view default_zone = "main";

struct Call {
  std::string ticket;
  std::string window;
  std::string service;         // empty when the operator gave none
  std::string text;            // extra words for the screen, may be empty
  std::int64_t called_at = 0;  // hub clock, unix ms, of the latest call or recall
  int recalls = 0;
  bool operator==(const Call&) const = default;
};

struct Announcement {
  std::string text;
  std::int64_t until = 0;  // hub clock, unix ms
  bool operator==(const Announcement&) const = default;
};

// One zone's board: what every screen of the zone shows.
struct Board {
  std::vector<Call> calls;  // newest first
  std::string ticker;       // empty: no running text
  std::optional<Announcement> announcement;
  // A playlist (TOML, docs/PLAYLISTS.md) an admin pushed to the zone's screens; empty: each
  // screen plays its own playlist file.
  std::string playlist;
  PlaylistMedia playlist_media;  // its files in the hub's media library, by name
  bool operator==(const Board&) const = default;
};

// Changes to a zone's board.
struct Called {
  std::string ticket, window, service, text;
  bool operator==(const Called&) const = default;
};
struct Recalled {
  std::string ticket;
  bool operator==(const Recalled&) const = default;
};
struct Finished {
  std::string ticket;
  bool operator==(const Finished&) const = default;
};
struct Cancelled {
  std::string ticket;
  bool operator==(const Cancelled&) const = default;
};
struct Cleared {
  bool operator==(const Cleared&) const = default;
};
struct Announced {
  std::string text;
  int seconds = 15;
  // A prerecorded message the screens play instead of speaking the text (a file name in their
  // recordings folder, docs/ANNOUNCEMENTS.md); empty: the text is spoken. The text is shown
  // either way.
  std::string recording = {};
  bool operator==(const Announced&) const = default;
};
struct TickerSet {
  std::string text;  // empty clears the ticker
  bool operator==(const TickerSet&) const = default;
};
struct PlaylistSet {
  std::string text;  // the playlist's TOML; empty: back to each screen's own playlist file
  // The library items its `file = "NAME"` lines name, as the hub resolved them (a sender's are
  // replaced); none for an empty text.
  PlaylistMedia media = {};
  bool operator==(const PlaylistSet&) const = default;
};
using Change = std::variant<Called, Recalled, Finished, Cancelled, Cleared, Announced, TickerSet, PlaylistSet>;

// A change as the hub publishes it: numbered within its zone and hub epoch.
struct Event {
  std::string zone;
  std::uint64_t epoch = 0;
  std::uint64_t seq = 0;
  std::int64_t at = 0;  // hub clock, unix ms
  Change change;
  bool operator==(const Event&) const = default;
};

struct Heartbeat {
  std::uint64_t epoch = 0;
  std::int64_t at = 0;
  // Each zone's latest sequence number: a screen that lost the last change (a dropped
  // message) sees the gap here, without waiting for the next change.
  std::map<std::string, std::uint64_t> seqs;
  // Settings reloads of the hub in this epoch (tabloctl reload, SIGHUP): when it grows, each
  // screen reads its own config file again.
  std::uint64_t reloads = 0;
  bool operator==(const Heartbeat&) const = default;
};

// Commands: a change to apply, or a question.
struct SnapshotRequest {
  bool operator==(const SnapshotRequest&) const = default;
};
struct StatusRequest {
  bool operator==(const StatusRequest&) const = default;
};

// Screens: what each display tells the hub about itself every few seconds, and what a desk
// asks of one screen through the hub (docs/PROTOCOL.md, "Screens").
// Where a screen stands with the files of the playlist pushed to it (docs/PROTOCOL.md, "report").
struct MediaReport {
  std::string state;  // "in step", "fetching", "error"
  std::uint64_t files = 0;       // files the newest pushed playlist needs
  std::uint64_t have = 0;        // of them, present and verified
  std::uint64_t bytes_left = 0;  // still to fetch
  std::uint64_t rate = 0;        // bytes a second, lately
  std::uint64_t corrupt = 0;     // downloads whose bytes did not match their sha256 since start
  std::string error;             // "disk full: 2.1 GB free, 3.0 GB needed"; empty: none
  bool operator==(const MediaReport&) const = default;
};

struct ScreenReport {
  std::string name;  // display.name
  std::vector<std::string> zones;
  std::string version;
  std::int64_t uptime_s = 0;
  std::string playing;  // the file of the playlist item on screen; empty: none
  std::uint64_t dropped_frames = 0;     // video frames that were due but never drawn (the screen was late)
  std::uint64_t pictureless_draws = 0;  // frames drawn with the fallback slide after a picture had shown
  std::string audio;  // "device pulseaudio", "file /tmp/said.wav", "off", "quiet hours", "none"
  std::map<std::string, std::uint64_t> seqs;  // the last board seq of each zone it shows
  // How far the screen's clock is ahead of the hub's (negative: behind), in ms; none before its
  // first heartbeat, and from screens older than this field.
  std::optional<std::int64_t> clock_offset_ms;
  std::optional<MediaReport> media;  // none from screens without a media region, and older ones
  bool operator==(const ScreenReport&) const = default;
};
struct Report {
  ScreenReport screen;
  bool operator==(const Report&) const = default;
};
struct ScreensRequest {
  bool operator==(const ScreensRequest&) const = default;
};
// Relayed by the hub to the screen named `screen`, and its answer relayed back.
struct ScreenshotRequest {
  std::string screen;
  bool operator==(const ScreenshotRequest&) const = default;
};
struct ProofOfPlayRequest {
  std::string screen;
  std::string day;  // YYYY-MM-DD, the screen's local day
  bool operator==(const ProofOfPlayRequest&) const = default;
};
// A file a screen sends back: a PNG screenshot, or a day of proof of play (JSON lines).
struct ScreenFile {
  std::string type;  // "image/png", "application/x-ndjson"
  std::string data;  // the bytes (base64 on the wire)
  bool operator==(const ScreenFile&) const = default;
};
// A screen's answer to a relayed request; its command id is the hub's relay id.
struct ScreenAnswer {
  std::optional<ScreenFile> file;
  std::string error;  // why there is no file
  bool operator==(const ScreenAnswer&) const = default;
};
using ScreenAction = std::variant<Report, ScreensRequest, ScreenshotRequest, ProofOfPlayRequest, ScreenAnswer>;

// Re-read the hub's config file and apply what can change while running (docs/PROTOCOL.md, "reload").
struct ReloadRequest {
  bool operator==(const ReloadRequest&) const = default;
};

// Take the command's zone off the hub: its board and numbering go, so it no longer counts
// against the zone limit; the hub starts a new epoch, so every screen takes a fresh board.
struct ZoneRemoval {
  bool operator==(const ZoneRemoval&) const = default;
};

using Action = std::variant<Change, SnapshotRequest, StatusRequest, ScreenAction, ReloadRequest, ZoneRemoval, MediaAction>;

struct Command {
  std::string id;  // chosen by the client, echoed in the reply
  std::string zone{default_zone};
  Action action;
  bool operator==(const Command&) const = default;
};

// Replies.
struct Accepted {
  std::uint64_t epoch = 0;
  std::uint64_t seq = 0;
  bool operator==(const Accepted&) const = default;
};
struct Refused {
  std::string error;
  bool operator==(const Refused&) const = default;
};
struct Snapshot {
  std::string zone;
  std::uint64_t epoch = 0;
  std::uint64_t seq = 0;  // the board includes every change up to this one
  Board board;
  bool operator==(const Snapshot&) const = default;
};
struct ZoneStatus {
  std::uint64_t seq = 0;
  std::size_t calls = 0;
  bool operator==(const ZoneStatus&) const = default;
};
// A change the journal had acknowledged but could not give back at the hub's last start (a
// damaged line): what an operator must redo.
struct LostChange {
  std::string zone;     // "" when the line was too damaged to tell
  std::uint64_t seq = 0;  // 0 when unknown
  std::string change;   // what it was, where the damaged line can still be read ("call Л5 → 2")
  std::string problem;  // "changes.jsonl line 7: the checksum does not match"
  bool operator==(const LostChange&) const = default;
};
// A branch hub's link to the regional hub it follows (docs/PROTOCOL.md, "A region").
struct UpstreamZoneStatus {
  std::vector<std::string> into;  // the local zones its content shows in
  std::uint64_t epoch = 0;        // the upstream's epoch and seq this hub is up to
  std::uint64_t seq = 0;
  std::uint64_t latest = 0;  // the upstream's latest seq, from its heartbeats: behind by latest − seq
  std::vector<std::string> missing_media;  // files of the region's playlist this hub's library lacks
  bool operator==(const UpstreamZoneStatus&) const = default;
};
struct UpstreamStatus {
  std::string commands;  // the regional hub's command endpoint
  bool connected = false;
  std::int64_t changed_s_ago = 0;  // since the link came up or was lost
  std::map<std::string, UpstreamZoneStatus> zones;
  bool operator==(const UpstreamStatus&) const = default;
};
struct Status {
  std::string hub_version;
  std::uint64_t epoch = 0;
  std::int64_t uptime_s = 0;
  std::map<std::string, ZoneStatus> zones;
  std::map<std::string, std::uint64_t> counters;  // commands, rejected, rejected.<reason>…
  std::vector<LostChange> journal_lost;            // since this hub started; usually none
  std::map<std::string, std::uint64_t> connections;  // peers of each socket: "commands", "events"
  std::uint64_t max_connections = 0;                 // the cap past which subscribers are refused
  std::optional<UpstreamStatus> upstream;            // none: this hub follows no regional hub
  bool operator==(const Status&) const = default;
};
// The screens the hub has heard from, with how long ago.
struct SeenScreen {
  ScreenReport report;
  std::int64_t heard_ms_ago = 0;
  bool operator==(const SeenScreen&) const = default;
};
struct ScreenList {
  std::vector<SeenScreen> screens;  // by name
  bool operator==(const ScreenList&) const = default;
};
// A reload that took: what changed, and what waits for a restart, in words.
struct Reloaded {
  std::string summary;
  bool operator==(const Reloaded&) const = default;
};
using Answer = std::variant<Accepted, Refused, Snapshot, Status, ScreenList, ScreenFile, Reloaded, MediaProgress,
                            MediaItems, MediaToken>;

struct Reply {
  std::string id;
  Answer answer;
  bool operator==(const Reply&) const = default;
};

// The name of a change on the wire ("call", "recall", …, "playlist").
std::string_view type_name(const Change& change);

}  // namespace tablo::protocol
