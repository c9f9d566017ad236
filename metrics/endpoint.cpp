#include "metrics/endpoint.hpp"

#include <prometheus/collectable.h>
#include <prometheus/exposer.h>
#include <spdlog/spdlog.h>

namespace tablo::metrics {

// What the Exposer collects on each scrape: the families the callback builds from its snapshot.
class MetricsEndpoint::Page : public prometheus::Collectable {
 public:
  explicit Page(std::function<Families()> build) : build_(std::move(build)) {}
  std::vector<prometheus::MetricFamily> Collect() const override { return build_(); }

 private:
  std::function<Families()> build_;
};

MetricsEndpoint::MetricsEndpoint(const std::string& listen, std::function<Families()> page)
    : page_(std::make_shared<Page>(std::move(page))) {
  // Two threads: a scrape is a copy and a few kilobytes of text; more would only cost memory.
  try {
    exposer_ = std::make_unique<prometheus::Exposer>(
        std::vector<std::string>{"listening_ports", listen, "num_threads", "2", "request_timeout_ms", "5000"});
  } catch (const std::exception& e) {  // civetweb's CivetException: it could not listen
    throw EndpointError("cannot serve metrics on " + listen + ": " + e.what() +
                        " (is another program on that port? set metrics.listen, or \"\" for none)");
  }
  exposer_->RegisterCollectable(page_);
}

// The Exposer stops its threads first: the callback is not called after this.
MetricsEndpoint::~MetricsEndpoint() = default;

std::unique_ptr<MetricsEndpoint> serve_metrics(const std::string& listen, std::function<Families()> page) {
  if (listen.empty()) return nullptr;
  try {
    auto endpoint = std::make_unique<MetricsEndpoint>(listen, std::move(page));
    spdlog::info("metrics on http://{}/metrics", listen);
    return endpoint;
  } catch (const EndpointError& e) {
    spdlog::error("{}; running on without metrics", e.what());
    return nullptr;
  }
}

int MetricsEndpoint::port() const {
  const auto ports = exposer_->GetListeningPorts();
  return ports.empty() ? 0 : ports.front();
}

}  // namespace tablo::metrics
