// One call on the server's in-process gRPC channel, by method path and raw
// message bytes (grpc::GenericStub), driven synchronously through its own
// completion queue with one operation outstanding at a time. It knows no
// HTTP protocol: the bridge (http_bridge.cpp) turns requests into bytes and
// the call's messages and status back into its protocol's wire form.
//
// While an operation waits, `alive` and the `stopping` flag are checked every
// 100 ms; either going false / true cancels the call (TryCancel).
#pragma once

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace simcore::server {

class InProcessCall {
 public:
  // `method`: "/package.Service/Method".
  InProcessCall(::grpc::GenericStub& stub, std::string method, std::function<bool()> alive,
                const std::atomic<bool>& stopping)
      : stub_(stub), method_(std::move(method)), alive_(std::move(alive)), stopping_(stopping) {}
  InProcessCall(const InProcessCall&) = delete;
  InProcessCall& operator=(const InProcessCall&) = delete;
  // Cancels an unfinished call and drains the queue.
  ~InProcessCall();

  // For metadata and the deadline, before start().
  ::grpc::ClientContext& context() { return ctx_; }

  // Starts the call and sends the single request message (then half-closes).
  // False when the call already failed (finish() gives the status).
  bool start(const std::string& request);
  // The next response message; false at the end of the stream (or on error).
  bool read(std::string& out);
  // The call's status (waits for it; the same status on later calls).
  ::grpc::Status finish();

 private:
  bool wait();

  ::grpc::GenericStub& stub_;
  std::string method_;
  std::function<bool()> alive_;
  const std::atomic<bool>& stopping_;
  ::grpc::ClientContext ctx_;
  ::grpc::CompletionQueue cq_;
  std::unique_ptr<::grpc::GenericClientAsyncReaderWriter> rw_;
  ::grpc::Status status_;
  bool finished_ = false;
  bool cancelled_ = false;
};

}  // namespace simcore::server
