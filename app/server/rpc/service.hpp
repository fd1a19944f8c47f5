// The gRPC service: a thin adapter. Each method authenticates the caller,
// checks visibility, calls the store / job manager / netlist front end, and
// turns every error into a gRPC status (with a simcore.v1.ErrorDetail in the
// rich-status trailer). No exception leaves a method.
#pragma once

#include <functional>
#include <string>

#include "auth/auth.hpp"
#include "jobs/job_manager.hpp"
#include "observability/metrics.hpp"
#include "simcore/v1/simulator.grpc.pb.h"
#include "storage/store.hpp"

namespace simcore::server {

namespace pb = ::simcore::v1;

class SimulatorService final : public pb::Simulator::Service {
 public:
  // auth == nullptr: --insecure-no-auth (every caller is user "local", role admin).
  // `metrics` counts errors by code, active streams and rows streamed.
  SimulatorService(Store& store, JobManager& jobs, const TokenAuthority* auth, Metrics& metrics)
      : store_(store), jobs_(jobs), auth_(auth), metrics_(metrics) {}

  using Ctx = ::grpc::ServerContext;
  ::grpc::Status CreateSession(Ctx*, const pb::CreateSessionRequest*, pb::Session*) override;
  ::grpc::Status GetSession(Ctx*, const pb::GetSessionRequest*, pb::Session*) override;
  ::grpc::Status ListSessions(Ctx*, const pb::ListSessionsRequest*, pb::ListSessionsResponse*) override;
  ::grpc::Status StartSimulation(Ctx*, const pb::StartSimulationRequest*, pb::Job*) override;
  ::grpc::Status StreamWaveforms(Ctx*, const pb::StreamWaveformsRequest*,
                                 ::grpc::ServerWriter<pb::WaveformChunk>*) override;
  ::grpc::Status GetResult(Ctx*, const pb::GetResultRequest*, ::grpc::ServerWriter<pb::ResultChunk>*) override;
  ::grpc::Status StopSimulation(Ctx*, const pb::StopSimulationRequest*, pb::Job*) override;
  ::grpc::Status GetJob(Ctx*, const pb::GetJobRequest*, pb::Job*) override;
  ::grpc::Status ListJobs(Ctx*, const pb::ListJobsRequest*, pb::ListJobsResponse*) override;
  ::grpc::Status UploadModel(Ctx*, const pb::UploadModelRequest*, pb::Model*) override;
  ::grpc::Status ListModels(Ctx*, const pb::ListModelsRequest*, pb::ListModelsResponse*) override;

 private:
  // Authenticates, then runs `body` with the caller; exceptions become INTERNAL.
  // Non-OK results are counted in the metrics by code.
  ::grpc::Status call(Ctx* ctx, const char* method, const std::function<::grpc::Status(const Identity&)>& body);
  ::grpc::Status callBody(Ctx* ctx, const char* method, const std::function<::grpc::Status(const Identity&)>& body);
  ::grpc::Status loadSession(const Identity& who, const std::string& id, pb::Session& out, std::string* netlist);
  ::grpc::Status loadJob(const Identity& who, const std::string& id, pb::Job& out,
                         std::shared_ptr<JobRuntime>* rt);

  Store& store_;
  JobManager& jobs_;
  const TokenAuthority* auth_;
  Metrics& metrics_;
};

// A status with a simcore.v1.ErrorDetail packed in google.rpc.Status details.
::grpc::Status errorStatus(::grpc::StatusCode code, const pb::ErrorDetail& detail);
::grpc::Status errorStatus(::grpc::StatusCode code, pb::ErrorCode errorCode, const std::string& message);

}  // namespace simcore::server
