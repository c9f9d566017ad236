#include "hub/media_http.hpp"

#include <civetweb.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <charconv>
#include <chrono>
#include <cstring>
#include <optional>
#include <vector>

#include "hub/media_library.hpp"
#include "protocol/media_messages.hpp"

namespace tablo::hub {
namespace {

// Seconds a refused screen waits before it asks again.
constexpr int retry_after_s = 5;
// Read from disk and written to the socket this much at a time: memory per transfer.
constexpr std::size_t buffer_bytes = 256 * 1024;

std::int64_t now_unix_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

struct Span {
  std::uint64_t first = 0, last = 0;  // both included
};

// "bytes=N-" or "bytes=N-M" (one range; a suffix "-N" too) of a file of `size` bytes; nullopt
// for anything else or a range outside the file.
std::optional<Span> range_of(std::string_view header, std::uint64_t size) {
  if (!header.starts_with("bytes=") || size == 0) return std::nullopt;
  header.remove_prefix(6);
  const auto dash = header.find('-');
  if (dash == std::string_view::npos || header.find(',') != std::string_view::npos) return std::nullopt;
  auto number = [](std::string_view text, std::uint64_t& out) {
    return !text.empty() && std::from_chars(text.data(), text.data() + text.size(), out).ptr == text.data() + text.size();
  };
  std::uint64_t a = 0, b = 0;
  const auto from = header.substr(0, dash), to = header.substr(dash + 1);
  if (from.empty()) {  // the last N bytes
    if (!number(to, b) || b == 0) return std::nullopt;
    return Span{b >= size ? 0 : size - b, size - 1};
  }
  if (!number(from, a) || a >= size) return std::nullopt;
  if (to.empty()) return Span{a, size - 1};
  if (!number(to, b) || b < a) return std::nullopt;
  return Span{a, std::min(b, size - 1)};
}

// A transfer's place among the `limit`: taken while it streams.
class Slot {
 public:
  Slot(std::atomic<int>& active, int limit) : active_(active) {
    taken_ = active_.fetch_add(1) < limit;
    if (!taken_) active_.fetch_sub(1);
  }
  ~Slot() {
    if (taken_) active_.fetch_sub(1);
  }
  explicit operator bool() const { return taken_; }

 private:
  std::atomic<int>& active_;
  bool taken_ = false;
};

}  // namespace

MediaEndpoint::MediaEndpoint(const std::string& listen, std::filesystem::path files, const MediaTokens& tokens,
                             int transfers)
    : files_(std::move(files)), tokens_(tokens), limit_(transfers) {
  mg_init_library(0);
  // Threads past the limit answer 503s and HEADs at once instead of queueing the screens.
  const std::string threads = std::to_string(transfers + 8);
  const char* options[] = {"listening_ports", listen.c_str(), "num_threads", threads.c_str(),
                           "request_timeout_ms", "30000", nullptr};
  mg_callbacks callbacks{};
  mg_init_data init{&callbacks, this, options};
  char error_text[256] = "";
  unsigned error_code = 0;
  mg_error_data error{&error_code, error_text, sizeof error_text};
  context_ = mg_start2(&init, &error);
  if (!context_) {
    mg_exit_library();
    throw MediaError("cannot serve media on " + listen + ": " +
                     (error_text[0] ? std::string(error_text) : std::string("civetweb could not start")) +
                     " (is another program on that port? set hub.media.listen, or \"\" for none)");
  }
  mg_set_request_handler(context_, "/media/", &MediaEndpoint::serve, this);
}

MediaEndpoint::~MediaEndpoint() {
  mg_stop(context_);
  mg_exit_library();
}

int MediaEndpoint::port() const {
  mg_server_port ports[4]{};
  const int n = mg_get_server_ports(context_, 4, ports);
  return n > 0 ? ports[0].port : 0;
}

std::map<std::string, std::uint64_t> MediaEndpoint::figures() const {
  return {{"served_bytes", served_bytes_.load()},
          {"transfers", transfers_.load()},
          {"transfers_now", static_cast<std::uint64_t>(std::max(0, active_.load()))},
          {"most_at_once", most_at_once_.load()},
          {"refused.token", refused_token_.load()},
          {"refused.unknown", refused_unknown_.load()},
          {"refused.busy", refused_busy_.load()},
          {"refused.range", refused_range_.load()},
          {"refused.method", refused_method_.load()}};
}

int MediaEndpoint::serve(mg_connection* connection, void* self) {
  return static_cast<MediaEndpoint*>(self)->serve(connection);
}

int MediaEndpoint::refuse(mg_connection* connection, int status, const char* reason, const std::string& body) {
  mg_printf(connection,
            "HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n%sConnection: close\r\n\r\n",
            status, reason, body.size() + 1,
            status == 503 ? ("Retry-After: " + std::to_string(retry_after_s) + "\r\n").c_str() : "");
  mg_write(connection, body.data(), body.size());
  mg_write(connection, "\n", 1);
  return status;
}

int MediaEndpoint::serve(mg_connection* connection) {
  const mg_request_info* request = mg_get_request_info(connection);
  const bool head = std::strcmp(request->request_method, "HEAD") == 0;
  if (!head && std::strcmp(request->request_method, "GET") != 0) {
    ++refused_method_;
    return refuse(connection, 405, "Method Not Allowed", "GET or HEAD /media/<sha256>?t=<token> only");
  }
  char token[512] = "";
  const char* query = request->query_string ? request->query_string : "";
  if (mg_get_var(query, std::strlen(query), "t", token, sizeof token) < 0) token[0] = '\0';
  if (auto why = tokens_.refusal(token, now_unix_s())) {
    ++refused_token_;
    return refuse(connection, 403, "Forbidden", *why);
  }
  const std::string_view sha = std::string_view(request->local_uri).substr(std::strlen("/media/"));
  if (!protocol::valid_sha256(sha)) {
    ++refused_unknown_;
    return refuse(connection, 404, "Not Found", "not a file of the media library: /media/ takes a SHA-256 (64 hex digits)");
  }
  const int fd = ::open((files_ / std::string(sha)).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    ++refused_unknown_;
    return refuse(connection, 404, "Not Found", "the media library has no file " + std::string(sha));
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  ::fstat(fd, &st);
  const auto size = static_cast<std::uint64_t>(st.st_size);
  Span span{0, size == 0 ? 0 : size - 1};
  const char* range = mg_get_header(connection, "Range");
  if (range) {
    auto asked = range_of(range, size);
    if (!asked) {
      ++refused_range_;
      mg_printf(connection, "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */%llu\r\nContent-Length: 0\r\n"
                "Connection: close\r\n\r\n", static_cast<unsigned long long>(size));
      return 416;
    }
    span = *asked;
  }
  // HEAD sends no bytes: it takes no place among the transfers.
  std::optional<Slot> slot;
  if (!head) slot.emplace(active_, limit_);
  if (slot && !*slot) {
    ++refused_busy_;
    return refuse(connection, 503, "Service Unavailable",
                  "the hub is sending " + std::to_string(limit_) + " files already (hub.media.transfers); try again in " +
                      std::to_string(retry_after_s) + " s");
  }
  for (auto now = static_cast<std::uint64_t>(active_.load()), most = most_at_once_.load();
       now > most && !most_at_once_.compare_exchange_weak(most, now);) {
  }
  const std::uint64_t length = size == 0 ? 0 : span.last - span.first + 1;
  std::string headers = range ? "HTTP/1.1 206 Partial Content\r\n" : "HTTP/1.1 200 OK\r\n";
  headers += "Content-Type: application/octet-stream\r\nContent-Length: " + std::to_string(length) + "\r\n";
  if (range) headers += "Content-Range: bytes " + std::to_string(span.first) + "-" + std::to_string(span.last) + "/" +
                        std::to_string(size) + "\r\n";
  headers += "ETag: \"" + std::string(sha) + "\"\r\nAccept-Ranges: bytes\r\n"
             "Cache-Control: public, max-age=31536000, immutable\r\nConnection: close\r\n\r\n";
  mg_write(connection, headers.data(), headers.size());
  if (head) return range ? 206 : 200;
  ++transfers_;
  std::vector<char> buffer(buffer_bytes);
  for (std::uint64_t at = span.first; at < span.first + length;) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), span.first + length - at));
    const ssize_t n = ::pread(fd, buffer.data(), want, static_cast<off_t>(at));
    if (n <= 0) break;  // the file shrank under us: the screen's check will tell
    if (mg_write(connection, buffer.data(), static_cast<std::size_t>(n)) <= 0) break;  // the screen left
    at += static_cast<std::uint64_t>(n);
    served_bytes_ += static_cast<std::uint64_t>(n);
  }
  return range ? 206 : 200;
}

}  // namespace tablo::hub
