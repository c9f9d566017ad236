#include "fetch/transfer.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <strings.h>

namespace tablo::fetch {
namespace {

struct Easy {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct Headers {
  void operator()(curl_slist* h) const { curl_slist_free_all(h); }
};

struct Job {
  CURL* curl = nullptr;
  int fd = -1;
  std::uint64_t* have = nullptr;
  std::uint64_t size = 0;
  Sha256* hash = nullptr;
  const std::function<bool(std::uint64_t)>* keep_going = nullptr;
  std::uint64_t received = 0;
  long status = 0;           // known at the first byte of the body
  bool writing = false;      // a 200 or 206 that fits: the body goes into the part
  std::string problem;       // why the body was refused
  bool disk_full = false;
  std::string error_body;    // the start of a refusal's body ("token expired")
  long retry_after = 0;
  std::uint64_t range_start = 0;
  std::uint64_t flushed = 0, settled = 0;  // writeback started up to, and finished up to
};

// Every this many bytes the part file's new stretch is sent to disk and the one before is
// waited for and dropped from the page cache: this download never holds more than about two
// stretches of unwritten pages, so the kernel never throttles the screen's other threads for
// dirty memory, and the fsync at the end is short.
constexpr std::uint64_t write_out_every = 8 << 20;

void write_out(Job& job) {
  const auto off = [](std::uint64_t v) { return static_cast<off64_t>(v); };
  ::sync_file_range(job.fd, off(job.flushed), off(*job.have - job.flushed), SYNC_FILE_RANGE_WRITE);
  if (job.flushed > job.settled) {
    ::sync_file_range(job.fd, off(job.settled), off(job.flushed - job.settled),
                      SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
    ::posix_fadvise(job.fd, off(job.settled), off(job.flushed - job.settled), POSIX_FADV_DONTNEED);
  }
  job.settled = job.flushed;
  job.flushed = *job.have;
}

// Reads Retry-After and where a 206 starts.
std::size_t on_header(char* data, std::size_t one, std::size_t n, void* user) {
  auto& job = *static_cast<Job*>(user);
  std::string_view line(data, one * n);
  auto value_of = [&](std::string_view name) -> std::optional<std::string_view> {
    if (line.size() <= name.size() || strncasecmp(line.data(), name.data(), name.size()) != 0) return std::nullopt;
    auto v = line.substr(name.size());
    while (!v.empty() && (v.front() == ' ')) v.remove_prefix(1);
    return v;
  };
  if (auto v = value_of("retry-after:")) job.retry_after = std::strtol(std::string(*v).c_str(), nullptr, 10);
  if (auto v = value_of("content-range:")) {
    // "bytes 1000-1999/2000"
    const std::string text(*v);
    unsigned long long start = 0;
    if (std::sscanf(text.c_str(), "bytes %llu-", &start) == 1) job.range_start = start;
  }
  return one * n;
}

std::size_t on_body(char* data, std::size_t one, std::size_t n, void* user) {
  auto& job = *static_cast<Job*>(user);
  const std::size_t bytes = one * n;
  if (job.status == 0) {
    curl_easy_getinfo(job.curl, CURLINFO_RESPONSE_CODE, &job.status);
    if (job.status == 200 && *job.have > 0) {
      // The whole file, not the rest: start the part over.
      if (::ftruncate(job.fd, 0) != 0 || ::lseek(job.fd, 0, SEEK_SET) != 0) {
        job.problem = std::string("cannot start the part file over: ") + std::strerror(errno);
        return 0;
      }
      *job.have = 0;
      *job.hash = Sha256{};
      job.flushed = job.settled = 0;
    }
    if (job.status == 206 && job.range_start != *job.have) {
      job.problem = "it sent bytes from " + std::to_string(job.range_start) + ", not from " + std::to_string(*job.have);
      return 0;
    }
    job.writing = job.status == 200 || job.status == 206;
  }
  if (!job.writing) {
    if (job.error_body.size() < 200) job.error_body.append(data, std::min<std::size_t>(bytes, 200 - job.error_body.size()));
    return bytes;
  }
  if (*job.have + bytes > job.size) {
    job.problem = "it sent more than the file's " + std::to_string(job.size) + " bytes";
    return 0;
  }
  for (std::size_t done = 0; done < bytes;) {
    const ssize_t w = ::write(job.fd, data + done, bytes - done);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) {
      job.disk_full = errno == ENOSPC || errno == EDQUOT;
      job.problem = std::string("cannot write the part file: ") + std::strerror(errno);
      return 0;
    }
    done += static_cast<std::size_t>(w);
  }
  job.hash->add(data, bytes);
  *job.have += bytes;
  job.received += bytes;
  if (*job.have >= job.flushed + write_out_every) write_out(job);
  return bytes;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto& job = *static_cast<Job*>(user);
  return (*job.keep_going)(job.received) ? 0 : 1;
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return text;
}

}  // namespace

Transferred transfer(const std::string& url, int part_fd, std::uint64_t* have, std::uint64_t size, Sha256& hash,
                     const TransferOptions& options, const std::function<bool(std::uint64_t)>& keep_going) {
  static std::once_flag started;
  std::call_once(started, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

  Transferred out;
  std::unique_ptr<CURL, Easy> curl(curl_easy_init());
  if (!curl) {
    out.error = "libcurl could not start a transfer";
    return out;
  }
  Job job;
  job.flushed = job.settled = *have;
  job.curl = curl.get();
  job.fd = part_fd;
  job.have = have;
  job.size = size;
  job.hash = &hash;
  job.keep_going = &keep_going;
  char error[CURL_ERROR_SIZE] = {};
  const std::string range = std::to_string(*have) + "-";
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);  // a CDN may redirect
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(options.connect_within.count()));
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options.stalled_after.count()));
  if (*have > 0) curl_easy_setopt(c, CURLOPT_RANGE, range.c_str());
  if (options.max_bytes_per_second > 0)
    curl_easy_setopt(c, CURLOPT_MAX_RECV_SPEED_LARGE, static_cast<curl_off_t>(options.max_bytes_per_second));
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &job);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &job);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &job);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "tablo-display");

  const CURLcode result = curl_easy_perform(c);
  if (job.status == 0) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &job.status);
  out.http_status = job.status;
  out.received = job.received;
  out.retry_after = std::chrono::seconds(std::max(0L, job.retry_after));
  // The token stays out of the log.
  const std::string where = url.substr(0, url.find('?'));
  if (result == CURLE_ABORTED_BY_CALLBACK && job.problem.empty()) {
    out.outcome = Transferred::Outcome::stopped;
  } else if (!job.problem.empty()) {
    out.outcome = job.disk_full ? Transferred::Outcome::disk_full : Transferred::Outcome::failed;
    out.error = where + ": " + job.problem;
  } else if (result != CURLE_OK) {
    out.error = where + ": " + (error[0] ? trimmed(error) : curl_easy_strerror(result));
  } else if (!job.writing) {
    out.error = where + ": HTTP " + std::to_string(job.status) + (job.error_body.empty() ? "" : " " + trimmed(job.error_body));
  } else if (*have != size) {
    out.error = where + ": the answer ended at byte " + std::to_string(*have) + " of " + std::to_string(size);
  } else {
    out.outcome = Transferred::Outcome::complete;
  }
  return out;
}

}  // namespace tablo::fetch
