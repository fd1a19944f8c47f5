#include "transport/in_process_call.hpp"

#include <chrono>
#include <vector>

namespace simcore::server {

namespace {

std::string byteBufferToString(const ::grpc::ByteBuffer& bb) {
  std::vector<::grpc::Slice> slices;
  std::string out;
  if (!bb.Dump(&slices).ok()) return out;
  out.reserve(bb.Length());
  for (const auto& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

}  // namespace

InProcessCall::~InProcessCall() {
  if (rw_ && !finished_) {
    ctx_.TryCancel();
    finish();
  }
  cq_.Shutdown();
  void* tag;
  bool ok;
  while (cq_.Next(&tag, &ok)) {
  }
}

bool InProcessCall::start(const std::string& request) {
  rw_ = stub_.PrepareCall(&ctx_, method_, &cq_);
  if (!rw_) return false;
  rw_->StartCall(this);
  if (!wait()) return false;
  ::grpc::Slice slice(request.data(), request.size());
  ::grpc::ByteBuffer bb(&slice, 1);
  rw_->WriteLast(bb, ::grpc::WriteOptions(), this);
  return wait();
}

bool InProcessCall::read(std::string& out) {
  if (!rw_) return false;
  ::grpc::ByteBuffer bb;
  rw_->Read(&bb, this);
  if (!wait()) return false;
  out = byteBufferToString(bb);
  return true;
}

::grpc::Status InProcessCall::finish() {
  if (finished_) return status_;
  finished_ = true;
  if (!rw_) {
    status_ = ::grpc::Status(::grpc::StatusCode::INTERNAL, "cannot start the in-process call");
    return status_;
  }
  rw_->Finish(&status_, this);
  wait();
  return status_;
}

bool InProcessCall::wait() {
  if (!cancelled_ && stopping_.load()) {  // a stream that never waits still sees the stop
    cancelled_ = true;
    ctx_.TryCancel();
  }
  while (true) {
    void* tag = nullptr;
    bool ok = false;
    auto r = cq_.AsyncNext(&tag, &ok, std::chrono::system_clock::now() + std::chrono::milliseconds(100));
    if (r == ::grpc::CompletionQueue::GOT_EVENT) return ok;
    if (r == ::grpc::CompletionQueue::SHUTDOWN) return false;
    if (!cancelled_ && (stopping_.load() || (alive_ && !alive_()))) {
      cancelled_ = true;
      ctx_.TryCancel();
    }
  }
}

}  // namespace simcore::server
