#include "observability/metrics.hpp"

#include <cstdio>

#include "transport/http_codec.hpp"

namespace simcore::server {

const char* httpRouteName(HttpRoute r) {
  switch (r) {
    case HttpRoute::GrpcWeb: return "grpc_web";
    case HttpRoute::Connect: return "connect";
    case HttpRoute::Static: return "static";
    case HttpRoute::Healthz: return "healthz";
    case HttpRoute::Metrics: return "metrics";
    case HttpRoute::Preflight: return "preflight";
    default: return "other";
  }
}

std::int64_t Metrics::secondNow() const {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start_).count();
}

void Metrics::addRowsStreamed(std::int64_t rows) {
  rows_.fetch_add(rows);
  std::int64_t s = secondNow();
  std::lock_guard<std::mutex> l(windowMu_);
  auto i = static_cast<std::size_t>(s % (kWindowSeconds + 1));
  if (bucketSecond_[i] != s) {
    bucketSecond_[i] = s;
    bucketRows_[i] = 0;
  }
  bucketRows_[i] += rows;
}

double Metrics::rowsPerSecond() const {
  std::int64_t s = secondNow();
  std::int64_t sum = 0;
  std::lock_guard<std::mutex> l(windowMu_);
  // The current (partial) second and the kWindowSeconds - 1 before it.
  for (std::size_t i = 0; i < bucketRows_.size(); ++i)
    if (bucketSecond_[i] <= s && bucketSecond_[i] > s - kWindowSeconds) sum += bucketRows_[i];
  return double(sum) / kWindowSeconds;
}

void Metrics::addError(int grpcCode) {
  if (grpcCode > 0 && grpcCode <= 16) errors_[static_cast<std::size_t>(grpcCode)].fetch_add(1);
}

void Metrics::addHttpRequest(HttpRoute route) { http_[static_cast<std::size_t>(route)].fetch_add(1); }

std::string Metrics::render(const External& ext) const {
  std::string o;
  auto line = [&](const std::string& name, const std::string& labels, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    o += name;
    if (!labels.empty()) o += "{" + labels + "}";
    o += " ";
    o += buf;
    o += "\n";
  };
  auto head = [&](const char* name, const char* type, const char* help) {
    o += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
  };

  head("simcore_jobs", "gauge", "Jobs by state (queued and running from the job manager, the rest from the store).");
  for (const auto& [state, n] : ext.jobsByState) line("simcore_jobs", "state=\"" + state + "\"", double(n));

  head("simcore_worker_processes", "gauge", "Worker processes running simulations now.");
  line("simcore_worker_processes", "", double(ext.workersRunning));
  head("simcore_worker_processes_max", "gauge", "The --workers limit.");
  line("simcore_worker_processes_max", "", double(ext.workersMax));

  head("simcore_time_points_streamed_total", "counter",
       "Rows (time points, sweep points) written to StreamWaveforms clients on either port.");
  line("simcore_time_points_streamed_total", "", double(rows_.load()));
  head("simcore_time_points_per_second", "gauge", "Rows streamed per second over the last 10 s.");
  line("simcore_time_points_per_second", "", rowsPerSecond());

  head("simcore_active_streams", "gauge", "StreamWaveforms calls in progress (gRPC and HTTP port).");
  line("simcore_active_streams", "", double(activeStreams_.load()));

  head("simcore_rpc_errors_total", "counter", "Calls that ended with a non-OK gRPC status, by code.");
  for (int c = 1; c <= 16; ++c)
    line("simcore_rpc_errors_total", std::string("code=\"") + http::grpcCodeName(c) + "\"",
         double(errors_[static_cast<std::size_t>(c)].load()));

  head("simcore_http_requests_total", "counter", "Requests on the HTTP port by route class.");
  for (int r = 0; r < kHttpRouteCount; ++r)
    line("simcore_http_requests_total", std::string("route=\"") + httpRouteName(HttpRoute(r)) + "\"",
         double(http_[static_cast<std::size_t>(r)].load()));
  return o;
}

}  // namespace simcore::server
