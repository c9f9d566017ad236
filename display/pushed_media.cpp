#include "display/pushed_media.hpp"

#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdlib>
#include <utility>

namespace tablo::display {
namespace {

using namespace std::chrono_literals;

// The hub's media endpoint and a token for it, asked over the screen's report line
// (docs/PROTOCOL.md, "media_token").
class HubTokens : public fetch::TokenSource {
 public:
  HubTokens(ReportLine& line, std::string commands) : line_(line), commands_(std::move(commands)) {}

  std::optional<fetch::MediaToken> ask(std::string& why) override {
    const auto reply = line_.ask_media_token(10s);
    if (!reply.grant) {
      why = reply.error;
      return std::nullopt;
    }
    fetch::MediaToken token{reply.grant->token, reply.grant->url, reply.grant->expires};
    if (token.hub_base.empty()) {
      // Without a public URL: the host of the commands endpoint, "tcp://HOST:PORT".
      const auto host_start = commands_.find("://");
      const auto host_end = commands_.rfind(':');
      if (!commands_.starts_with("tcp://") || host_end == std::string::npos || host_end <= host_start + 3) {
        why = "the hub gave no url and display.hub_commands (" + commands_ + ") names no host";
        return std::nullopt;
      }
      std::string host = commands_.substr(host_start + 3, host_end - host_start - 3);
      if (host == "*" || host == "0.0.0.0") host = "127.0.0.1";
      token.hub_base = "http://" + host + ":" + std::to_string(reply.grant->port) + "/media/";
    }
    return token;
  }
  void cancel() override { line_.cancel_media_token(); }

 private:
  ReportLine& line_;
  std::string commands_;
};

std::uint64_t gigabytes(double gb) { return static_cast<std::uint64_t>(std::llround(gb * 1e9)); }

}  // namespace

std::filesystem::path default_cache_dir(std::string_view screen) {
  const std::filesystem::path system = std::filesystem::path("/var/lib/tablo/media-cache") / std::string(screen);
  if (::access("/var/lib/tablo", W_OK) == 0) return system;
  if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state)
    return std::filesystem::path(state) / "tablo/media-cache" / std::string(screen);
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::filesystem::path(home) / ".local/state/tablo/media-cache" / std::string(screen);
  return system;
}

PushedMedia::PushedMedia(const config::DisplaySettings& d, ReportLine& line, std::function<void()> wake)
    : tokens_(std::make_unique<HubTokens>(line, d.hub_commands)) {
  const auto& f = d.fetch;
  fetch::FetcherOptions options;
  options.cache_dir = f.cache_dir.empty() ? default_cache_dir(d.name) : std::filesystem::path(f.cache_dir);
  options.limits = {gigabytes(f.cache_max_gb), gigabytes(f.disk_reserve_gb)};
  options.mirrors = f.mirrors;
  options.max_bytes_per_second = static_cast<std::uint64_t>(f.rate_limit_mbit * 1e6 / 8);
  options.retry_max = std::chrono::milliseconds(static_cast<std::int64_t>(f.retry_max_seconds * 1000));
  spdlog::info("media cache {}: up to {}, {} kept free on its disk; {}{}", options.cache_dir.string(),
               fetch::bytes_text(options.limits.max_bytes), fetch::bytes_text(options.limits.reserve_bytes),
               f.mirrors.empty() ? std::string("fetched from the hub") : "fetched from " + fmt::format("{}", fmt::join(f.mirrors, ", ")) + ", then the hub",
               f.rate_limit_mbit > 0 ? fmt::format(" at up to {:g} Mbit/s", f.rate_limit_mbit) : std::string());
  try {
    fetcher_ = std::make_unique<fetch::MediaFetcher>(std::move(options), *tokens_, std::move(wake));
  } catch (const std::exception& e) {
    broken_ = e.what();
    spdlog::error("{}: playlists naming the hub's library files cannot play here (set display.fetch.cache_dir)", broken_);
  }
}

PushedMedia::~PushedMedia() = default;  // the fetcher stops before the token source goes

void PushedMedia::want(const PushedPlaylist& pushed) {
  fetch::Wanted wanted;
  wanted.what = "playlist for zone " + pushed.zone;
  if (!pushed.text.empty()) {
    for (const auto& [name, file] : pushed.media) {
      wanted.files[file.sha256] = file.size;
      wanted.names[file.sha256] = name;
    }
  }
  if (!fetcher_) {
    local_ = wanted.files.empty() ? std::optional(pushed) : std::nullopt;
    return;
  }
  asked_[fetcher_->want(std::move(wanted))] = pushed;
}

std::optional<PushedPlaylist> PushedMedia::take_ready() {
  if (!fetcher_) return std::exchange(local_, std::nullopt);
  const auto serial = fetcher_->take_complete();
  if (!serial) return std::nullopt;
  auto it = asked_.find(*serial);
  if (it == asked_.end()) return std::nullopt;
  PushedPlaylist ready = std::move(it->second);
  asked_.erase(asked_.begin(), std::next(it));  // older ones will never be
  return ready;
}

std::map<std::string, std::filesystem::path> PushedMedia::files_of(const PushedPlaylist& pushed) const {
  std::map<std::string, std::filesystem::path> files;
  if (!fetcher_) return files;
  for (const auto& [name, file] : pushed.media) files[name] = fetcher_->file_of(file.sha256);
  return files;
}

protocol::MediaReport PushedMedia::report() const {
  if (!fetcher_) return protocol::MediaReport{"error", 0, 0, 0, 0, 0, broken_.substr(0, 400)};
  const auto p = fetcher_->progress();
  static constexpr const char* states[] = {"in step", "fetching", "error"};
  std::string error = p.error;
  if (error.size() > 500) {
    std::size_t cut = 500;
    while (cut > 0 && (static_cast<unsigned char>(error[cut]) & 0xC0) == 0x80) --cut;  // not inside a letter
    error.resize(cut);
  }
  return protocol::MediaReport{states[static_cast<int>(p.state)], p.files, p.have, p.bytes_left, p.rate, p.corrupt, error};
}

}  // namespace tablo::display
