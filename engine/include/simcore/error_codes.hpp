// The one error-code table: every simcore::ErrorCode (result.hpp) in declaration
// order, with its name from errorCodeName ("parse", "timestep_too_small", ...).
// proto/simcore/v1 (enum ErrorCode: value = position + 1, name = ERROR_CODE_ + the
// upper-cased name), the server, the wasm binding and the Python exceptions are
// derived from it or checked against it.
#pragma once

#include <cstddef>
#include <iterator>

#include "simcore/result.hpp"

namespace simcore {

inline constexpr ErrorCode kErrorCodes[] = {
    ErrorCode::Parse,     ErrorCode::Semantic,    ErrorCode::Topology,
    ErrorCode::Singular,  ErrorCode::Convergence, ErrorCode::TimestepTooSmall,
    ErrorCode::Cancelled, ErrorCode::Limit,       ErrorCode::Internal,
};

namespace detail {
constexpr bool listsEveryCodeInOrder() {
  for (std::size_t i = 0; i < std::size(kErrorCodes); ++i)
    if (static_cast<std::size_t>(kErrorCodes[i]) != i) return false;
  return std::size(kErrorCodes) == static_cast<std::size_t>(ErrorCode::Internal) + 1;
}
}  // namespace detail
static_assert(detail::listsEveryCodeInOrder(), "kErrorCodes lists every ErrorCode in declaration order");

}  // namespace simcore
