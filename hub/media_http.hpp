#pragma once
// The hub's media over HTTP (docs/PROTOCOL.md, "Media over HTTP"): GET and HEAD of
// /media/<sha256>?t=<token>, whole or by Range, streamed from the library's files on civetweb's
// threads, at most `transfers` at once (503 with Retry-After past it).
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "hub/media_token.hpp"

struct mg_context;
struct mg_connection;

namespace tablo::hub {

class MediaEndpoint {
 public:
  // `listen`: "HOST:PORT" (hub.media.listen). Throws MediaError when it cannot listen there.
  MediaEndpoint(const std::string& listen, std::filesystem::path files, const MediaTokens& tokens, int transfers);
  ~MediaEndpoint();
  MediaEndpoint(const MediaEndpoint&) = delete;
  MediaEndpoint& operator=(const MediaEndpoint&) = delete;

  int port() const;

  // Counters for status and the metrics: "served_bytes", "transfers", "transfers_now",
  // "most_at_once", "refused.<reason>" (token, unknown, busy, range, method).
  std::map<std::string, std::uint64_t> figures() const;

 private:
  static int serve(mg_connection* connection, void* self);
  int serve(mg_connection* connection);
  int refuse(mg_connection* connection, int status, const char* reason, const std::string& body);

  std::filesystem::path files_;
  const MediaTokens& tokens_;
  const int limit_;
  std::atomic<int> active_{0};
  std::atomic<std::uint64_t> most_at_once_{0}, served_bytes_{0}, transfers_{0};
  std::atomic<std::uint64_t> refused_token_{0}, refused_unknown_{0}, refused_busy_{0}, refused_range_{0},
      refused_method_{0};
  mg_context* context_ = nullptr;
};

}  // namespace tablo::hub
