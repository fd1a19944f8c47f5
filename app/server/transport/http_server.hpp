// The HTTP/1.1 port of `simcore serve` (cpp-httplib):
//
//   POST /simcore.v1.Simulator/<Method>   gRPC-Web and Connect (http_bridge.hpp)
//   OPTIONS *                             CORS preflight
//   GET  /healthz                         {"status":"ok","version":...,"auth":"jwt"|"none","workers":N,...}
//   GET  /metrics                         Prometheus text 0.0.4 (metrics.hpp)
//   GET  anything else                    the web app (web/dist): files, SPA fallback to index.html
//
// Connections are served by a pool that grows on demand (an open stream holds
// its thread), up to HttpOptions::maxThreads.
#pragma once

#include <memory>
#include <string>

#include "jobs/job_manager.hpp"
#include "observability/metrics.hpp"
#include "storage/store.hpp"

namespace grpc {
class Channel;
}

namespace simcore::server {

// The listening socket's backlog (as the gRPC port's; the kernel caps it at
// net.core.somaxconn).
inline constexpr int kHttpListenBacklog = 4096;

struct HttpOptions {
  std::string bind = "127.0.0.1";   // address as given to --bind (no brackets)
  int port = 8080;                  // 0: any free port
  std::string webDir;               // empty: no web app
  std::string corsOrigin;           // empty: any origin (none with noAuth)
  // --insecure-no-auth: every caller is an admin, so only requests addressed
  // to this machine by name (Host: localhost / 127.0.0.1 / [::1]) are
  // answered (no DNS rebinding), and no other origin gets CORS grants (no
  // drive-by calls from pages the user visits).
  bool noAuth = false;
  std::size_t maxMessageBytes = 16u << 20;
  int maxThreads = 1024;
};

class HttpServer {
 public:
  HttpServer(HttpOptions options, Store& store, JobManager& jobs, Metrics& metrics);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds the listening socket; false with `err` naming the address and port.
  bool bind(std::string& err);
  int port() const;
  // Serves on a thread of its own; RPCs go to `inProcess` (the gRPC server's
  // in-process channel).
  void start(std::shared_ptr<::grpc::Channel> inProcess);
  // Stops accepting, cancels calls in flight, waits for the connections' threads.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace simcore::server
