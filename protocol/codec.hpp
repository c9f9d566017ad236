#pragma once
// Protocol version 1 on the wire: JSON bodies, topic-prefixed event frames.
// Decoding never throws: bad input comes back as a Rejection with a reason.
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "protocol/messages.hpp"

namespace tablo::protocol {

// Sizes, in bytes of UTF-8, beyond which a message is refused.
namespace limits {
// Large enough for the snapshot of a full board (max_board_calls calls with every field at
// its limit and every character escaped, about 165 KB); tests/codec_test.cpp checks this.
inline constexpr std::size_t message = 256 * 1024;
inline constexpr std::size_t id = 64;
inline constexpr std::size_t zone = 32;
inline constexpr std::size_t ticket = 32;
inline constexpr std::size_t window = 32;
inline constexpr std::size_t service = 128;
inline constexpr std::size_t call_text = 512;
inline constexpr std::size_t announcement = 2048;
inline constexpr std::size_t ticker = 4096;
inline constexpr int announcement_seconds = 600;
inline constexpr std::size_t recording = 64;
// A pushed playlist: room for hundreds of items, while a full board with it, every character
// escaped, still fits in `message`.
inline constexpr std::size_t playlist = 32 * 1024;
inline constexpr std::size_t screen_name = 64;
inline constexpr std::size_t file_name = 1024;  // a report's `playing`
inline constexpr std::size_t version_text = 64;
inline constexpr std::size_t audio = 128;
inline constexpr std::size_t zones_of_screen = 64;
// status.journal_lost: what each lost change was and why, and how many are listed.
inline constexpr std::size_t lost_change_text = 512;
inline constexpr std::size_t lost_changes_listed = 100;
// A screen's answer to a relayed request (a screenshot's PNG, a day of proof of play, in
// base64) and the hub's reply carrying it on. Only these may exceed `message`; a 1920×1080
// screenshot is 0.1–3 MB of PNG.
inline constexpr std::size_t screen_answer = 8 * 1024 * 1024;
}  // namespace limits

// Why a message was refused. `kind` is a short word used for counters
// ("malformed", "oversized", "version", "unknown-type", "invalid-field").
struct Rejection {
  std::string kind;
  std::string reason;
};

template <class T>
class Decoded {
 public:
  Decoded(T value) : v_(std::move(value)) {}
  Decoded(Rejection r) : v_(std::move(r)) {}
  explicit operator bool() const { return std::holds_alternative<T>(v_); }
  const T& operator*() const { return std::get<T>(v_); }
  T& operator*() { return std::get<T>(v_); }
  const T* operator->() const { return &std::get<T>(v_); }
  const Rejection& rejection() const { return std::get<Rejection>(v_); }

 private:
  std::variant<T, Rejection> v_;
};

// Topics: "z/<zone>/" for a zone's events, "hb/" for heartbeats. SUB filters by prefix;
// the trailing slash keeps zone "a" from matching zone "ab".
std::string zone_topic(std::string_view zone);
inline constexpr std::string_view heartbeat_topic = "hb/";

// A zone name: 1–32 of a-z 0-9 _ -.
bool valid_zone_name(std::string_view zone);

using Published = std::variant<Event, Heartbeat>;

std::string encode(const Event& event);
std::string encode(const Heartbeat& heartbeat);
std::string encode(const Command& command);
std::string encode(const Reply& reply);

// A frame pair from the event socket; the topic must agree with the body.
Decoded<Published> decode_published(std::string_view topic, std::string_view body);
// `max_bytes`: limits::message, or limits::screen_answer where a screen's file may come.
Decoded<Command> decode_command(std::string_view body, std::size_t max_bytes = limits::message);
Decoded<Reply> decode_reply(std::string_view body, std::size_t max_bytes = limits::message);

// A day as proof of play names it, "2026-11-26".
bool valid_day(std::string_view day);

}  // namespace tablo::protocol
