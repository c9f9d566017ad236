#pragma once
// The HTTP side of the metrics: GET /metrics on one address, answered with the page a
// callback renders, on civetweb's own threads. The callback must only read a snapshot
// (see Published): it never runs on the hub's or the screen's loop.
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

struct mg_context;
struct mg_connection;

namespace tablo::metrics {

// The address could not be listened on; the message names it and the reason.
struct EndpointError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class MetricsEndpoint {
 public:
  // `listen`: "HOST:PORT" (config's metrics.listen). Throws EndpointError.
  MetricsEndpoint(const std::string& listen, std::function<std::string()> page);
  ~MetricsEndpoint();
  MetricsEndpoint(const MetricsEndpoint&) = delete;
  MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;

  // The port listened on.
  int port() const;

 private:
  static int serve(mg_connection* connection, void* self);

  std::function<std::string()> page_;
  mg_context* context_ = nullptr;
};

// The endpoint for metrics.listen, or none when it is empty or cannot be listened on: a port
// that is taken costs the metrics (logged as an error), never the hall its screen or hub.
std::unique_ptr<MetricsEndpoint> serve_metrics(const std::string& listen, std::function<std::string()> page);

}  // namespace tablo::metrics
