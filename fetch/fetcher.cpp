#include "fetch/fetcher.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>

namespace tablo::fetch {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// A source whose bytes did not match is asked last for this long.
constexpr auto distrust_for = std::chrono::hours(1);
// Without a token, the hub is asked again at most this often.
constexpr auto token_retry = 30s;
// A token is renewed this long before it expires.
constexpr std::int64_t renew_before_s = 300;

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The wait before round `failures` (1, 2, …): doubling from `first`, capped, ±25 % so that the
// screens of a branch that failed together do not all come back together.
std::chrono::milliseconds backoff(int failures, std::chrono::milliseconds first, std::chrono::milliseconds most) {
  static thread_local std::mt19937 random{std::random_device{}()};
  double wait = static_cast<double>(first.count());
  for (int i = 1; i < failures && wait < static_cast<double>(most.count()); ++i) wait *= 2;
  wait = std::min(wait, static_cast<double>(most.count()));
  return std::chrono::milliseconds(static_cast<std::int64_t>(wait * std::uniform_real_distribution<double>(0.75, 1.25)(random)));
}

}  // namespace

MediaFetcher::MediaFetcher(FetcherOptions options, TokenSource& tokens, std::function<void()> wake)
    : options_(std::move(options)), tokens_(tokens), wake_(std::move(wake)), cache_(options_.cache_dir, options_.limits) {
  thread_ = std::thread([this] {
    // Background work: the frame loop and the decoders come first for the CPU and the disk
    // (nice 10; best-effort I/O at its lowest level, 7).
    const auto tid = static_cast<id_t>(::gettid());
    ::setpriority(PRIO_PROCESS, tid, 10);
    constexpr int io_who_thread = 1, io_best_effort = 2;
    ::syscall(SYS_ioprio_set, io_who_thread, static_cast<int>(tid), io_best_effort << 13 | 7);
    run();
  });
}

MediaFetcher::~MediaFetcher() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  tokens_.cancel();
  thread_.join();
}

std::uint64_t MediaFetcher::want(Wanted wanted) {
  std::uint64_t serial;
  {
    std::lock_guard lock(mutex_);
    waiting_ = std::move(wanted);
    serial = ++serial_;
    interrupted_ = true;
    // Not in step until this thread has looked at the cache for it: a report sent meanwhile
    // must not say the new playlist is in force.
    if (progress_.state == FetchProgress::State::in_step) progress_.state = FetchProgress::State::fetching;
  }
  changed_.notify_all();
  return serial;
}

std::optional<std::uint64_t> MediaFetcher::take_complete() {
  std::lock_guard lock(mutex_);
  if (complete_ != serial_ || taken_ == complete_) return std::nullopt;
  taken_ = complete_;
  return taken_;
}

FetchProgress MediaFetcher::progress() const {
  std::lock_guard lock(mutex_);
  return progress_;
}

bool MediaFetcher::still_needed(const std::string& sha256) {
  if (stop_) return false;
  if (!interrupted_) return true;
  std::lock_guard lock(mutex_);
  return waiting_.files.contains(sha256) || in_force_.contains(sha256);
}

void MediaFetcher::set_error(std::string error) {
  std::lock_guard lock(mutex_);
  progress_.error = std::move(error);
  progress_.state = progress_.error.empty() ? FetchProgress::State::fetching : FetchProgress::State::error;
  progress_.rate = 0;
}

void MediaFetcher::wait_for(std::chrono::milliseconds pause, std::uint64_t serial) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, pause, [&] { return stop_ || serial_ != serial; });
}

void MediaFetcher::ensure_token(bool renew) {
  const auto now = Clock::now();
  if (!renew && token_ && (token_->expires == 0 || unix_now() + renew_before_s < token_->expires)) return;
  if (!renew && !token_ && token_asked_ != Clock::time_point{} && now - token_asked_ < token_retry) return;
  token_asked_ = now;
  std::string why;
  token_ = tokens_.ask(why);
  if (!token_ && why != token_problem_) {
    spdlog::warn("media: no token from the hub ({}); asking the mirrors without one", why);
  }
  token_problem_ = token_ ? "" : why;
}

std::vector<std::pair<std::string, bool>> MediaFetcher::sources() {
  std::vector<std::pair<std::string, bool>> out;
  for (const auto& m : options_.mirrors) out.emplace_back(m, false);
  if (token_ && !token_->hub_base.empty()) out.emplace_back(token_->hub_base, true);
  // Sources that lately served bytes that did not match go last.
  const auto now = Clock::now();
  std::stable_partition(out.begin(), out.end(), [&](const auto& s) {
    auto d = distrusted_.find(s.first);
    return d == distrusted_.end() || now - d->second > distrust_for;
  });
  return out;
}

MediaFetcher::Got MediaFetcher::fetch_file(const std::string& sha256, std::uint64_t size, const std::string& name,
                                           std::uint64_t left) {
  retry_after_ = std::chrono::seconds(0);
  const auto part = cache_.part_of(sha256);
  std::uint64_t have = cache_.part_size(sha256);
  if (have > size) {
    cache_.drop_part(sha256);
    have = 0;
  }
  const int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    set_error("cannot write " + part.string() + ": " + std::strerror(errno));
    return Got::failed;
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  Sha256 hash;
  if (have > 0) {
    // What an earlier run or source left: read back into the hash, then asked for the rest.
    if (!hash_file(part, have, hash, stop_)) {
      if (stop_) return Got::stopped;
      if (::ftruncate(fd, 0) != 0) return Got::failed;
      have = 0;
      hash = Sha256{};
    } else {
      spdlog::info("media: {} resumes at byte {} of {}", name, have, size);
    }
  }

  ensure_token(false);
  auto list = sources();
  if (list.empty()) {
    set_error("no source for " + name + ": the hub gave no token (" + token_problem_ +
              ") and display.fetch.mirrors is empty");
    return Got::failed;
  }
  const auto started = Clock::now();
  auto sample_at = started;
  std::uint64_t sample_bytes = 0, total = 0;
  TransferOptions transfer_options{options_.max_bytes_per_second, options_.stalled_after, 10s};
  std::string errors;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& [base, is_hub] = list[i];
    bool renewed = false;
    for (;;) {
      const std::string token = token_ ? token_->token : "";
      const std::string url = base + sha256 + (token.empty() ? "" : "?t=" + token);
      Transferred got;
      if (have < size) {
        const std::uint64_t before = total;
        got = transfer(url, fd, &have, size, hash, transfer_options, [&](std::uint64_t received) {
          total = before + received;
          const auto now = Clock::now();
          if (now - sample_at >= 1s) {
            const double seconds = std::chrono::duration<double>(now - sample_at).count();
            std::lock_guard lock(mutex_);
            progress_.rate = static_cast<std::uint64_t>(static_cast<double>(total - sample_bytes) / seconds);
            progress_.bytes_left = left > total ? left - total : 0;
            sample_at = now;
            sample_bytes = total;
          }
          return still_needed(sha256);
        });
      } else {
        got.outcome = Transferred::Outcome::complete;
      }
      if (got.outcome == Transferred::Outcome::stopped) return Got::stopped;
      if (got.outcome == Transferred::Outcome::disk_full) {
        set_error("disk full while writing " + name + " (" + got.error + ")");
        return Got::no_room;
      }
      if (got.http_status == 403 && is_hub && !renewed) {
        renewed = true;  // expired or refused: a fresh token, once
        ensure_token(true);
        if (token_) continue;
      }
      if (got.outcome == Transferred::Outcome::complete) {
        if (hash.hex() == sha256) {
          try {
            cache_.commit(sha256);
          } catch (const std::exception& e) {
            set_error(e.what());
            return Got::failed;
          }
          const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
          spdlog::info("media: {} fetched from {} and verified ({} in {:.1f} s)", name, base, bytes_text(size), seconds);
          return Got::file;
        }
        {
          std::lock_guard lock(mutex_);
          ++progress_.corrupt;
        }
        distrusted_[base] = Clock::now();
        spdlog::warn("media: the bytes of {} from {} do not match its sha256 {}: deleted, fetched again from {}", name, base,
                     sha256, i + 1 < list.size() ? list[i + 1].first : "the first source after a pause");
        errors = base + ": the bytes did not match the file's sha256";
        if (::ftruncate(fd, 0) != 0) return Got::failed;
        have = 0;
        hash = Sha256{};
      } else {
        spdlog::info("media: {}: {}", name, got.error);
        errors = got.error;
        retry_after_ = std::max(retry_after_, got.retry_after);
      }
      break;
    }
  }
  set_error("cannot fetch " + name + ": " + errors);
  return Got::failed;
}

void MediaFetcher::run() {
  std::uint64_t looked_at = 0;  // the serial last tidied and logged for
  int failures = 0;
  while (!stop_) {
    Wanted wanted;
    std::uint64_t serial;
    std::map<std::string, std::uint64_t> in_force;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stop_ || complete_ != serial_; });
      if (stop_) break;
      wanted = waiting_;
      serial = serial_;
      in_force = in_force_;
      interrupted_ = false;
    }
    std::set<std::string> needed;
    for (const auto& [sha, size] : in_force) needed.insert(sha);
    for (const auto& [sha, size] : wanted.files) needed.insert(sha);
    if (serial != looked_at) {
      cache_.tidy(needed);
      failures = 0;
    }

    std::vector<std::pair<std::string, std::uint64_t>> missing;
    std::uint64_t left = 0;
    for (const auto& [sha, size] : wanted.files) {
      if (interrupted_ || stop_) break;
      if (cache_.has(sha, size, interrupted_)) continue;
      missing.emplace_back(sha, size);
      left += size - std::min(size, cache_.part_size(sha));
    }
    if (interrupted_) continue;
    {
      std::lock_guard lock(mutex_);
      progress_.files = wanted.files.size();
      progress_.have = wanted.files.size() - missing.size();
      progress_.bytes_left = left;
      if (missing.empty()) {
        progress_.state = FetchProgress::State::in_step;
        progress_.error.clear();
        progress_.rate = 0;
        in_force_ = wanted.files;
        complete_ = serial;
      } else if (progress_.state == FetchProgress::State::in_step) {
        progress_.state = FetchProgress::State::fetching;
      }
    }
    auto name_of = [&](const std::string& sha) {
      auto n = wanted.names.find(sha);
      return n == wanted.names.end() ? sha : n->second;
    };
    if (missing.empty()) {
      if (!wanted.files.empty())
        spdlog::info("media: {} has {}", wanted.what,
                     wanted.files.size() == 1 ? std::string("its file") : fmt::format("all its {} files", wanted.files.size()));
      looked_at = serial;
      wake_();
      continue;
    }
    if (serial != looked_at) {
      looked_at = serial;
      std::string names;
      for (const auto& [sha, size] : missing) names += (names.empty() ? "" : ", ") + name_of(sha);
      spdlog::info("media: {} waits for {} of {} files ({}): {}", wanted.what, missing.size(), wanted.files.size(),
                   bytes_text(left), names);
    }
    if (auto no_room = cache_.make_room(left, needed)) {
      set_error(*no_room);
      spdlog::warn("media: {} cannot be fetched: {}; the playlist playing now plays on", wanted.what, *no_room);
      wait_for(backoff(++failures, options_.retry_first, options_.retry_max), serial);
      continue;
    }
    const auto& [sha, size] = missing.front();
    switch (fetch_file(sha, size, name_of(sha), left)) {
      case Got::file:
        failures = 0;
        set_error("");
        break;
      case Got::stopped:
        break;
      case Got::failed:
      case Got::no_room: {
        // A busy hub's Retry-After is kept to, within the cap.
        const auto pause = std::max(backoff(++failures, options_.retry_first, options_.retry_max),
                                    std::min<std::chrono::milliseconds>(retry_after_, options_.retry_max));
        spdlog::warn("media: {}; again in {} s", progress().error, (pause.count() + 999) / 1000);
        wait_for(pause, serial);
        break;
      }
    }
  }
}

}  // namespace tablo::fetch
