#include "metrics/endpoint.hpp"

#include <civetweb.h>
#include <spdlog/spdlog.h>

#include <cstring>

namespace tablo::metrics {

MetricsEndpoint::MetricsEndpoint(const std::string& listen, std::function<std::string()> page)
    : page_(std::move(page)) {
  mg_init_library(0);
  // Two threads: a scrape is a copy and a few kilobytes of text; more would only cost memory.
  const char* options[] = {"listening_ports", listen.c_str(), "num_threads", "2", "request_timeout_ms", "5000",
                           nullptr};
  mg_callbacks callbacks{};
  mg_init_data init{&callbacks, this, options};
  char error_text[256] = "";
  unsigned error_code = 0;
  mg_error_data error{&error_code, error_text, sizeof error_text};
  context_ = mg_start2(&init, &error);
  if (!context_) {
    mg_exit_library();
    throw EndpointError("cannot serve metrics on " + listen + ": " +
                        (error_text[0] ? std::string(error_text) : std::string("civetweb could not start")) +
                        " (is another program on that port? set metrics.listen, or \"\" for none)");
  }
  mg_set_request_handler(context_, "/metrics$", &MetricsEndpoint::serve, this);
}

MetricsEndpoint::~MetricsEndpoint() {
  mg_stop(context_);  // waits for the serving threads: page_ is not called after this
  mg_exit_library();
}

std::unique_ptr<MetricsEndpoint> serve_metrics(const std::string& listen, std::function<std::string()> page) {
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
  mg_server_port ports[4]{};
  const int n = mg_get_server_ports(context_, 4, ports);
  return n > 0 ? ports[0].port : 0;
}

int MetricsEndpoint::serve(mg_connection* connection, void* self) {
  const mg_request_info* request = mg_get_request_info(connection);
  if (std::strcmp(request->request_method, "GET") != 0 && std::strcmp(request->request_method, "HEAD") != 0) {
    mg_send_http_error(connection, 405, "GET /metrics only\n");
    return 405;
  }
  const std::string body = static_cast<MetricsEndpoint*>(self)->page_();
  mg_send_http_ok(connection, "text/plain; version=0.0.4; charset=utf-8", static_cast<long long>(body.size()));
  if (std::strcmp(request->request_method, "GET") == 0) mg_write(connection, body.data(), body.size());
  return 200;
}

}  // namespace tablo::metrics
