// Quoting client input in error messages: never more than a few dozen bytes
// of it, so that an error cannot echo an unbounded request back.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "simcore/result.hpp"

namespace simcore::server {

inline constexpr std::size_t kQuotedBytes = 64;

// 's' quoted: 'abc', or 'abc...' (N bytes) when longer than `max` bytes; always
// valid UTF-8 (a sequence cut at the limit becomes U+FFFD).
inline std::string quoteInput(std::string_view s, std::size_t max = kQuotedBytes) {
  if (s.size() <= max) return validUtf8("'" + std::string(s) + "'");
  return validUtf8("'" + std::string(s.substr(0, max)) + "...' (" + std::to_string(s.size()) + " bytes)");
}

// At most `max` bytes of a message built from client input (its head), valid UTF-8.
inline std::string clipInput(std::string_view s, std::size_t max = 256) {
  if (s.size() <= max) return validUtf8(std::string(s));
  return validUtf8(std::string(s.substr(0, max)) + "...");
}

}  // namespace simcore::server
