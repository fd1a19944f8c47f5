// The engine's error codes as they appear on the wire (ErrorDetail.engine_code)
// and in logs: lower-case, stable names shared by the service and the worker.
#pragma once

#include "simcore/result.hpp"

namespace simcore::server {

inline const char* engineCodeName(ErrorCode c) {
  switch (c) {
    case ErrorCode::Parse: return "parse";
    case ErrorCode::Semantic: return "semantic";
    case ErrorCode::Topology: return "topology";
    case ErrorCode::Singular: return "singular";
    case ErrorCode::Convergence: return "convergence";
    case ErrorCode::TimestepTooSmall: return "timestep_too_small";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::Limit: return "limit";
    case ErrorCode::Internal: return "internal";
  }
  return "internal";
}

}  // namespace simcore::server
