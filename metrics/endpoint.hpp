#pragma once
// The HTTP side of the metrics: GET /metrics on one address, served by prometheus-cpp's
// Exposer (on Debian's civetweb, its own threads), answered with the families a callback
// builds. The callback must only read a snapshot (see Published): it never runs on the hub's
// or the screen's loop.
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "metrics/exposition.hpp"

namespace prometheus {
class Exposer;
}

namespace tablo::metrics {

// The address could not be listened on; the message names it and the reason.
struct EndpointError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class MetricsEndpoint {
 public:
  // `listen`: "HOST:PORT" (config's metrics.listen). Throws EndpointError.
  MetricsEndpoint(const std::string& listen, std::function<Families()> page);
  ~MetricsEndpoint();
  MetricsEndpoint(const MetricsEndpoint&) = delete;
  MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;

  // The port listened on.
  int port() const;

 private:
  class Page;
  std::shared_ptr<Page> page_;  // the Exposer holds it weakly
  std::unique_ptr<prometheus::Exposer> exposer_;
};

// The endpoint for metrics.listen, or none when it is empty or cannot be listened on: a port
// that is taken costs the metrics (logged as an error), never the hall its screen or hub.
std::unique_ptr<MetricsEndpoint> serve_metrics(const std::string& listen, std::function<Families()> page);

}  // namespace tablo::metrics
