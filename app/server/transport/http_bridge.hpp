// gRPC-Web and Connect on the HTTP/1.1 port, bridged to the gRPC service in
// the same process.
//
// A POST /simcore.v1.Simulator/<Method> is decoded according to its
// Content-Type into the request message's protobuf bytes, then sent as an
// InProcessCall (in_process_call.hpp) on the server's in-process channel: the
// call reaches the same SimulatorService as the gRPC port (authentication,
// status codes, rich error details), and the bridge only converts between the
// HTTP protocol and bytes. Message types come from the service descriptor
// (JSON <-> binary for Connect), so there is no per-method code.
//
// Only what clients use is served: binary gRPC-Web (the web app's
// RemoteEngine) and Connect unary JSON (curl, scripts).
//
//   content type                           methods     response
//   application/grpc-web[+proto]           all         frames + trailer frame (0x80), HTTP 200
//   application/json                       unary       Connect unary: the message, or an error
//                                                      JSON body with the code's HTTP status
//   anything else (also a streaming method as JSON)    415
//
// Server-streaming responses are written chunk by chunk as the call produces
// them (chunked transfer encoding). Headers other than hop-by-hop / protocol
// ones (notably `authorization`) become call metadata; grpc-timeout and
// connect-timeout-ms become the call's deadline. The call is cancelled when
// the client goes away (`alive` returns false) or the bridge stops.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "observability/metrics.hpp"

namespace grpc {
class Channel;
}
namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace simcore::server {

class RpcBridge {
 public:
  // `maxMessageBytes`: the largest request message (envelope payload) accepted.
  RpcBridge(std::shared_ptr<::grpc::Channel> inProcess, Metrics& metrics, std::size_t maxMessageBytes);
  ~RpcBridge();

  // Paths of the form /<package.Service>/<Method>.
  static bool isRpcPath(const std::string& path);
  // Which protocol a Content-Type selects (for the route metrics).
  static HttpRoute routeOf(const std::string& contentType);

  // Serves one RPC request. `alive` is polled (about every 100 ms) while the
  // call waits; false cancels the call.
  void handle(const httplib::Request& req, httplib::Response& res, std::function<bool()> alive);

  // Cancels the calls in flight and every later one (server shutdown); the
  // streams end with UNAVAILABLE in their trailers.
  void stop() { stopping_.store(true); }
  // Streaming responses not finished yet.
  int openStreams() const { return openStreams_.load(); }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  Metrics& metrics_;
  std::size_t maxMessage_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> openStreams_{0};
};

}  // namespace simcore::server
