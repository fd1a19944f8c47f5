#include "devices/common.hpp"

namespace simcore::dev {

Error deviceError(const ir::Device& d, std::string message, ErrorCode code) {
  return makeError(code, std::move(message), d.loc);
}

}  // namespace simcore::dev
