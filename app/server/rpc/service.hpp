// The gRPC service: a thin adapter. Each method authenticates the caller,
// checks visibility, calls the store / job manager / netlist front end, and
// turns every error into a gRPC status (with a simcore.v1.ErrorDetail in the
// rich-status trailer). No exception leaves a method.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>

#include "auth/auth.hpp"
#include "jobs/job_manager.hpp"
#include "observability/metrics.hpp"
#include "simcore/v1/simulator.grpc.pb.h"
#include "storage/store.hpp"

namespace simcore::server {

namespace pb = ::simcore::v1;

// CreateSession and UploadModel take their request raw (a callback method)
// so that text which is not UTF-8 gets INVALID_ARGUMENT naming the field and
// the place instead of gRPC's INTERNAL without a message (utf8_check.hpp).
using SimulatorServiceBase = pb::Simulator::WithRawCallbackMethod_CreateSession<
    pb::Simulator::WithRawCallbackMethod_UploadModel<pb::Simulator::Service>>;

class SimulatorService final : public SimulatorServiceBase {
 public:
  // auth == nullptr: --insecure-no-auth (every caller is user "local", role admin).
  // `metrics` counts errors by code, active streams and rows streamed.
  SimulatorService(Store& store, JobManager& jobs, const TokenAuthority* auth, Metrics& metrics)
      : store_(store), jobs_(jobs), auth_(auth), metrics_(metrics) {}
  // Waits for raw calls still running on threads of their own.
  ~SimulatorService() override;

  using Ctx = ::grpc::ServerContext;
  ::grpc::ServerUnaryReactor* CreateSession(::grpc::CallbackServerContext*, const ::grpc::ByteBuffer*,
                                            ::grpc::ByteBuffer*) override;
  ::grpc::Status GetSession(Ctx*, const pb::GetSessionRequest*, pb::Session*) override;
  ::grpc::Status ListSessions(Ctx*, const pb::ListSessionsRequest*, pb::ListSessionsResponse*) override;
  ::grpc::Status StartSimulation(Ctx*, const pb::StartSimulationRequest*, pb::Job*) override;
  ::grpc::Status StreamWaveforms(Ctx*, const pb::StreamWaveformsRequest*,
                                 ::grpc::ServerWriter<pb::WaveformChunk>*) override;
  ::grpc::Status GetResult(Ctx*, const pb::GetResultRequest*, ::grpc::ServerWriter<pb::ResultChunk>*) override;
  ::grpc::Status StopSimulation(Ctx*, const pb::StopSimulationRequest*, pb::Job*) override;
  ::grpc::Status GetJob(Ctx*, const pb::GetJobRequest*, pb::Job*) override;
  ::grpc::Status ListJobs(Ctx*, const pb::ListJobsRequest*, pb::ListJobsResponse*) override;
  ::grpc::ServerUnaryReactor* UploadModel(::grpc::CallbackServerContext*, const ::grpc::ByteBuffer*,
                                          ::grpc::ByteBuffer*) override;
  ::grpc::Status ListModels(Ctx*, const pb::ListModelsRequest*, pb::ListModelsResponse*) override;
  ::grpc::Status DeleteJob(Ctx*, const pb::DeleteJobRequest*, pb::DeleteJobResponse*) override;
  ::grpc::Status DeleteSession(Ctx*, const pb::DeleteSessionRequest*, pb::DeleteSessionResponse*) override;

 private:
  // Authenticates, then runs `body` with the caller; exceptions become INTERNAL.
  // Non-OK results are counted in the metrics by code.
  ::grpc::Status call(::grpc::ServerContextBase* ctx, const char* method,
                      const std::function<::grpc::Status(const Identity&)>& body);
  ::grpc::Status callBody(::grpc::ServerContextBase* ctx, const char* method,
                          const std::function<::grpc::Status(const Identity&)>& body);
  ::grpc::Status createSession(::grpc::ServerContextBase*, const pb::CreateSessionRequest*, pb::Session*);
  ::grpc::Status uploadModel(::grpc::ServerContextBase*, const pb::UploadModelRequest*, pb::Model*);
  // A raw unary call: parses the request (refusing bytes that are not UTF-8
  // with INVALID_ARGUMENT), runs `body` on a thread of its own (it may wait
  // for a parse process) and finishes the reactor with its status and answer.
  template <class Req, class Resp>
  ::grpc::ServerUnaryReactor* rawUnary(::grpc::CallbackServerContext* ctx, const ::grpc::ByteBuffer* in,
                                       ::grpc::ByteBuffer* out, const char* method,
                                       ::grpc::Status (SimulatorService::*body)(::grpc::ServerContextBase*,
                                                                                const Req*, Resp*));
  ::grpc::Status loadSession(const Identity& who, const std::string& id, pb::Session& out, std::string* netlist);
  ::grpc::Status loadJob(const Identity& who, const std::string& id, pb::Job& out,
                         std::shared_ptr<JobRuntime>* rt);

  std::mutex rawMu_;
  std::condition_variable rawCv_;
  int rawRunning_ = 0;
  Store& store_;
  JobManager& jobs_;
  const TokenAuthority* auth_;
  Metrics& metrics_;
};

// A status with a simcore.v1.ErrorDetail packed in google.rpc.Status details.
::grpc::Status errorStatus(::grpc::StatusCode code, const pb::ErrorDetail& detail);
::grpc::Status errorStatus(::grpc::StatusCode code, pb::ErrorCode errorCode, const std::string& message);

}  // namespace simcore::server
