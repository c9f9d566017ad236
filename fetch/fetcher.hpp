#pragma once
// The screen's media fetcher: on a thread of its own, it brings into the cache every file the
// newest pushed playlist needs, from the mirrors in order and then the hub, each checked
// against its SHA-256, and says when that playlist is complete. The screen's thread only calls
// want(), take_complete() and progress(); nothing here waits on it.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "fetch/media_cache.hpp"
#include "fetch/tokens.hpp"
#include "fetch/transfer.hpp"

namespace tablo::fetch {

struct FetcherOptions {
  std::filesystem::path cache_dir;
  CacheLimits limits;
  std::vector<std::string> mirrors;  // base URLs ending in '/', asked before the hub
  std::uint64_t max_bytes_per_second = 0;
  std::chrono::milliseconds retry_first{1000};  // the first wait after a failed round, doubled each time
  std::chrono::milliseconds retry_max{300'000};
  std::chrono::seconds stalled_after{30};
};

// What a playlist needs.
struct Wanted {
  std::string what;                             // "playlist for zone hall", for the log
  std::map<std::string, std::uint64_t> files;   // sha256 → size
  std::map<std::string, std::string> names;     // sha256 → the playlist's name for it, for the log
};

struct FetchProgress {
  enum class State { in_step, fetching, error };
  State state = State::in_step;
  std::uint64_t files = 0, have = 0, bytes_left = 0, rate = 0, corrupt = 0;
  std::string error;
};

class MediaFetcher {
 public:
  // `tokens` must outlive the fetcher; `wake` is called from its thread when a want is complete.
  // Throws std::runtime_error when the cache folder cannot be made.
  MediaFetcher(FetcherOptions options, TokenSource& tokens, std::function<void()> wake);
  ~MediaFetcher();
  MediaFetcher(const MediaFetcher&) = delete;
  MediaFetcher& operator=(const MediaFetcher&) = delete;

  // The newest playlist's files; returns its serial. The files of the last complete want stay
  // in force (never removed to make room) until this one is complete.
  std::uint64_t want(Wanted wanted);
  // The serial of the newest want once all its files are present and verified; once each.
  std::optional<std::uint64_t> take_complete();
  FetchProgress progress() const;
  std::filesystem::path file_of(const std::string& sha256) const { return options_.cache_dir / sha256; }

 private:
  enum class Got { file, stopped, failed, no_room };
  void run();
  // `left`: the bytes the playlist still lacks, this file's among them.
  Got fetch_file(const std::string& sha256, std::uint64_t size, const std::string& name, std::uint64_t left);
  bool still_needed(const std::string& sha256);
  void ensure_token(bool renew);
  std::vector<std::pair<std::string, bool>> sources();  // base URL, whether it is the hub
  void set_error(std::string error);
  void wait_for(std::chrono::milliseconds pause, std::uint64_t serial);

  FetcherOptions options_;
  TokenSource& tokens_;
  std::function<void()> wake_;
  MediaCache cache_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  Wanted waiting_;
  std::uint64_t serial_ = 0;     // of waiting_
  std::uint64_t complete_ = 0;   // the newest serial found complete
  std::uint64_t taken_ = 0;      // the newest serial take_complete() gave
  std::map<std::string, std::uint64_t> in_force_;
  FetchProgress progress_;

  std::atomic<bool> stop_{false};
  std::atomic<bool> interrupted_{false};  // a new want arrived: a long hash or transfer looks again

  // The fetcher thread's own.
  std::optional<MediaToken> token_;
  std::chrono::steady_clock::time_point token_asked_{};
  std::string token_problem_;
  std::chrono::seconds retry_after_{0};  // the longest Retry-After of the last round
  std::map<std::string, std::chrono::steady_clock::time_point> distrusted_;  // sources that served bad bytes

  std::thread thread_;
};

}  // namespace tablo::fetch
