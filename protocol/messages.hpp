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
  bool operator==(const Announced&) const = default;
};
struct TickerSet {
  std::string text;  // empty clears the ticker
  bool operator==(const TickerSet&) const = default;
};
using Change = std::variant<Called, Recalled, Finished, Cancelled, Cleared, Announced, TickerSet>;

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
  bool operator==(const Heartbeat&) const = default;
};

// Commands: a change to apply, or a question.
struct SnapshotRequest {
  bool operator==(const SnapshotRequest&) const = default;
};
struct StatusRequest {
  bool operator==(const StatusRequest&) const = default;
};
using Action = std::variant<Change, SnapshotRequest, StatusRequest>;

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
struct Status {
  std::string hub_version;
  std::uint64_t epoch = 0;
  std::int64_t uptime_s = 0;
  std::map<std::string, ZoneStatus> zones;
  std::map<std::string, std::uint64_t> counters;  // commands, rejected, rejected.<reason>…
  bool operator==(const Status&) const = default;
};
using Answer = std::variant<Accepted, Refused, Snapshot, Status>;

struct Reply {
  std::string id;
  Answer answer;
  bool operator==(const Reply&) const = default;
};

// The name of a change on the wire ("call", "recall", …).
std::string_view type_name(const Change& change);

}  // namespace tablo::protocol
