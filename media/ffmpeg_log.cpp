#include "media/ffmpeg_log.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <string>

extern "C" {
#include <libavformat/avformat.h>
#include <libavutil/log.h>
}

namespace tablo::media {
namespace {

// Distinct messages logged about one file (or about no known file) before the rest are only
// counted: a badly damaged video can complain about every frame in new words.
constexpr std::size_t messages_per_file = 20;
constexpr std::size_t files_remembered = 2000;

spdlog::level::level_enum level_of(int av_level) {
  if (av_level <= AV_LOG_ERROR) return spdlog::level::warn;
  if (av_level <= AV_LOG_WARNING) return spdlog::level::info;
  if (av_level <= AV_LOG_INFO) return spdlog::level::debug;
  return spdlog::level::trace;
}

// The file a message is about: a demuxer's context knows its URL; decoders do not.
std::string file_of(void* context) {
  if (!context) return {};
  const AVClass* c = *static_cast<const AVClass**>(context);
  if (c && c->class_name && std::strcmp(c->class_name, "AVFormatContext") == 0) {
    const char* url = static_cast<const AVFormatContext*>(context)->url;
    return url ? url : "";
  }
  return {};
}

std::string name_of(void* context) {
  if (!context) return "FFmpeg";
  const AVClass* c = *static_cast<const AVClass**>(context);
  if (!c) return "FFmpeg";
  const char* name = c->item_name ? c->item_name(context) : c->class_name;
  return std::string("FFmpeg ") + (name ? name : "?");
}

// What was said is forgotten after an hour, so a file still broken tomorrow is named again.
constexpr auto remembered_for = std::chrono::hours(1);

struct Seen {
  std::mutex mutex;
  std::map<std::string, std::set<std::string>> messages;  // file ("": not known) → messages said
  std::chrono::steady_clock::time_point since = std::chrono::steady_clock::now();
};
Seen& seen() {
  static Seen s;
  return s;
}

// True when this message about this file is new and may be said.
bool first_time(const std::string& file, const std::string& message) {
  Seen& s = seen();
  std::lock_guard lock(s.mutex);
  const auto now = std::chrono::steady_clock::now();
  if (s.messages.size() >= files_remembered || now - s.since > remembered_for) {
    s.messages.clear();
    s.since = now;
  }
  auto& said = s.messages[file];
  if (said.size() >= messages_per_file) return false;
  return said.insert(message).second;
}

void to_log(void* context, int av_level, const char* format, va_list args) {
  if (av_level > av_log_get_level()) return;
  const auto level = level_of(av_level);
  if (!spdlog::should_log(level)) return;
  thread_local std::string pending;  // FFmpeg sends some lines in pieces; said at the newline
  char text[1024];
  std::vsnprintf(text, sizeof text, format, args);
  pending += text;
  if (pending.empty() || pending.back() != '\n') return;  // the rest of the line comes next
  std::string message = std::move(pending);
  pending.clear();
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.pop_back();
  if (message.empty()) return;
  const std::string file = file_of(context);
  const std::string who = name_of(context);
  if (!first_time(file, who + message)) return;
  if (file.empty()) spdlog::log(level, "{}: {}", who, message);
  else spdlog::log(level, "{} ({}): {}", who, file, message);
}

}  // namespace

void route_ffmpeg_log() { av_log_set_callback(to_log); }

}  // namespace tablo::media
