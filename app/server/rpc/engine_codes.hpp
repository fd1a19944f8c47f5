// The one map from error codes to the wire, shared by the service, the job
// manager and the worker:
//   engine code (simcore::ErrorCode) -> simcore.v1.ErrorCode, value = position in
//     simcore::kErrorCodes + 1 (checked at compile time below);
//   simcore.v1.ErrorCode -> its name in ErrorDetail.engine_code (the enum name,
//     lower case, without ERROR_CODE_: derived from the proto, not listed here);
//   simcore.v1.ErrorCode -> the gRPC status a failed job or netlist ends with.
#pragma once

#include <grpcpp/support/status.h>

#include <cctype>
#include <cstddef>
#include <iterator>
#include <string>

#include "simcore/error_codes.hpp"
#include "simcore/v1/simulator.pb.h"

namespace simcore::server {

constexpr ::simcore::v1::ErrorCode wireCode(ErrorCode c) {
  return static_cast<::simcore::v1::ErrorCode>(static_cast<int>(c) + 1);
}

namespace detail {
constexpr bool engineCodesMatchProto() {
  namespace v1 = ::simcore::v1;
  return std::size(kErrorCodes) == 9 && wireCode(ErrorCode::Parse) == v1::ERROR_CODE_PARSE &&
         wireCode(ErrorCode::Semantic) == v1::ERROR_CODE_SEMANTIC &&
         wireCode(ErrorCode::Topology) == v1::ERROR_CODE_TOPOLOGY &&
         wireCode(ErrorCode::Singular) == v1::ERROR_CODE_SINGULAR &&
         wireCode(ErrorCode::Convergence) == v1::ERROR_CODE_CONVERGENCE &&
         wireCode(ErrorCode::TimestepTooSmall) == v1::ERROR_CODE_TIMESTEP_TOO_SMALL &&
         wireCode(ErrorCode::Cancelled) == v1::ERROR_CODE_CANCELLED &&
         wireCode(ErrorCode::Limit) == v1::ERROR_CODE_LIMIT &&
         wireCode(ErrorCode::Internal) == v1::ERROR_CODE_INTERNAL;
}
}  // namespace detail

// A new engine code needs its value in proto/simcore/v1/simulator.proto (and a
// line above); py/tests/test_error_codes.py checks that the names agree.
static_assert(detail::engineCodesMatchProto(),
              "simcore::kErrorCodes and simcore.v1.ErrorCode 1..9 must list the same codes in the same order");

// "timestep_too_small" for ERROR_CODE_TIMESTEP_TOO_SMALL; "" for UNSPECIFIED.
inline std::string wireName(::simcore::v1::ErrorCode c) {
  if (c == ::simcore::v1::ERROR_CODE_UNSPECIFIED) return {};
  static constexpr std::size_t kPrefix = sizeof("ERROR_CODE_") - 1;
  std::string name = ::simcore::v1::ErrorCode_Name(c);
  name.erase(0, kPrefix);
  for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return name;
}

// The value whose wireName is `name` (UNSPECIFIED when none is).
inline ::simcore::v1::ErrorCode namedCode(const std::string& name) {
  std::string full = "ERROR_CODE_" + name;
  for (char& ch : full) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  ::simcore::v1::ErrorCode c = ::simcore::v1::ERROR_CODE_UNSPECIFIED;
  return ::simcore::v1::ErrorCode_Parse(full, &c) ? c : ::simcore::v1::ERROR_CODE_UNSPECIFIED;
}

// The code of a detail; for one stored by a server older than ErrorDetail.code,
// the value named by engine_code.
inline ::simcore::v1::ErrorCode codeOf(const ::simcore::v1::ErrorDetail& d) {
  return d.code() != ::simcore::v1::ERROR_CODE_UNSPECIFIED ? d.code() : namedCode(d.engine_code());
}

// Sets code and engine_code together.
inline void setCode(::simcore::v1::ErrorDetail& d, ::simcore::v1::ErrorCode c) {
  d.set_code(c);
  d.set_engine_code(wireName(c));
}

// The detail of an engine error (code, message, netlist location).
inline ::simcore::v1::ErrorDetail detailOf(const Error& e) {
  ::simcore::v1::ErrorDetail d;
  setCode(d, wireCode(e.code));
  d.set_message(e.message);
  d.set_file(e.loc.file);
  d.set_line(e.loc.line);
  d.set_column(e.loc.col);
  return d;
}

// The gRPC status of a netlist refused before a job, or of a job that ended
// (failed, cancelled or interrupted) with this code: the netlist's own errors
// are INVALID_ARGUMENT, limits RESOURCE_EXHAUSTED, a stop CANCELLED, and every
// other failure of a run (convergence, a crashed worker, ...) ABORTED.
inline ::grpc::StatusCode failureStatus(::simcore::v1::ErrorCode c) {
  namespace v1 = ::simcore::v1;
  switch (c) {
    case v1::ERROR_CODE_PARSE:
    case v1::ERROR_CODE_SEMANTIC:
    case v1::ERROR_CODE_TOPOLOGY:
    case v1::ERROR_CODE_BAD_REQUEST: return ::grpc::StatusCode::INVALID_ARGUMENT;
    case v1::ERROR_CODE_LIMIT:
    case v1::ERROR_CODE_QUOTA: return ::grpc::StatusCode::RESOURCE_EXHAUSTED;
    case v1::ERROR_CODE_CANCELLED: return ::grpc::StatusCode::CANCELLED;
    default: return ::grpc::StatusCode::ABORTED;
  }
}

}  // namespace simcore::server
