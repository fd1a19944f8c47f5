// errorCodeName and Error::format (declared in simcore/result.hpp).
#include "simcore/result.hpp"

namespace simcore {

const char* errorCodeName(ErrorCode c) {
  switch (c) {
    case ErrorCode::Parse: return "parse";
    case ErrorCode::Semantic: return "semantic";
    case ErrorCode::Topology: return "topology";
    case ErrorCode::Singular: return "singular";
    case ErrorCode::Convergence: return "convergence";
    case ErrorCode::TimestepTooSmall: return "timestep-too-small";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::Limit: return "limit";
    case ErrorCode::Internal: return "internal";
  }
  return "unknown";
}

std::string Error::format() const {
  std::string out;
  if (!loc.file.empty()) out += loc.file;
  if (loc.line > 0) {
    if (!out.empty()) out += ':';
    out += std::to_string(loc.line);
    if (loc.col > 0) {
      out += ':';
      out += std::to_string(loc.col);
    }
  }
  if (!out.empty()) out += ": ";
  out += "error: ";
  out += message;
  return out;
}

}  // namespace simcore
