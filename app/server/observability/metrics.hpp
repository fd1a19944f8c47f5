// Counters and gauges of one server process, rendered as Prometheus text
// exposition format 0.0.4 for GET /metrics. Owned by serveCommand and passed
// by reference to the gRPC service and the HTTP port; thread-safe.
//
// What the process itself counts lives here (rows streamed, active streams,
// errors by status code, HTTP requests by route class); what the store and
// the job manager know (jobs by state, worker processes) is handed to
// render() by the caller at scrape time.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace simcore::server {

// Route classes of the HTTP port, a label of simcore_http_requests_total.
enum class HttpRoute { GrpcWeb, Connect, Static, Healthz, Metrics, Preflight, Other };
inline constexpr int kHttpRouteCount = 7;
const char* httpRouteName(HttpRoute r);

class Metrics {
 public:
  // Rows (time points / sweep points) written to a StreamWaveforms client.
  void addRowsStreamed(std::int64_t rows);
  // Holds simcore_active_streams up while a StreamWaveforms call runs.
  class ActiveStream {
   public:
    explicit ActiveStream(Metrics& m) : m_(m) { m_.activeStreams_.fetch_add(1); }
    ~ActiveStream() { m_.activeStreams_.fetch_sub(1); }
    ActiveStream(const ActiveStream&) = delete;
    ActiveStream& operator=(const ActiveStream&) = delete;

   private:
    Metrics& m_;
  };
  // A call that ended with a non-OK gRPC status code (0..16).
  void addError(int grpcCode);
  void addHttpRequest(HttpRoute route);

  std::int64_t rowsStreamed() const { return rows_.load(); }
  std::int64_t activeStreams() const { return activeStreams_.load(); }
  // Rows streamed per second, averaged over the last kWindowSeconds seconds
  // (the current one included).
  double rowsPerSecond() const;

  // State of the world at scrape time that the metrics do not own.
  struct External {
    std::map<std::string, std::int64_t> jobsByState;  // "queued", "running", "succeeded", ...
    std::int64_t workersRunning = 0;
    std::int64_t workersMax = 0;
  };
  std::string render(const External& ext) const;

  static constexpr int kWindowSeconds = 10;

 private:
  std::atomic<std::int64_t> rows_{0};
  std::atomic<std::int64_t> activeStreams_{0};
  std::array<std::atomic<std::int64_t>, 17> errors_{};
  std::array<std::atomic<std::int64_t>, kHttpRouteCount> http_{};

  // Rows per whole second of steady-clock time, a ring of kWindowSeconds + 1.
  mutable std::mutex windowMu_;
  std::array<std::int64_t, kWindowSeconds + 1> bucketRows_{};
  std::array<std::int64_t, kWindowSeconds + 1> bucketSecond_{};
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::int64_t secondNow() const;
};

}  // namespace simcore::server
