// Force-included into every C++ file of the wasm build (see wasm/options.cmake).
// The libc++ that ships with Debian's emscripten 3.1.6 (LLVM 14) has no
// floating-point std::from_chars, which engine/src/netlist/number.cpp uses.
// This adds the one overload the engine calls, on top of strtod (the wasm libc
// always runs in the "C" locale, and musl's strtod rounds correctly). Remove
// it once the engine reads numbers through its platform header or the
// toolchain's libc++ has the overload (LLVM >= 20).
#pragma once

#ifdef __cplusplus
#include <charconv>
#if defined(_LIBCPP_VERSION) && _LIBCPP_VERSION < 200000
#include <cerrno>
#include <cstdlib>
#include <string>
#include <system_error>

namespace std {
inline from_chars_result from_chars(const char* first, const char* last, double& value,
                                    chars_format fmt = chars_format::general) {
  (void)fmt;  // the engine only asks for general
  // Same grammar as from_chars: no leading blanks, no '+', no hex, no inf/nan spellings.
  if (first == last || *first == ' ' || *first == '+' || *first == '\t') return {first, errc::invalid_argument};
  const std::string tmp(first, last);
  for (char c : tmp)
    if (c == 'x' || c == 'X' || c == 'n' || c == 'N' || c == 'i' || c == 'I') return {first, errc::invalid_argument};
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(tmp.c_str(), &end);
  if (end == tmp.c_str()) return {first, errc::invalid_argument};
  const char* ptr = first + (end - tmp.c_str());
  if (errno == ERANGE) return {ptr, errc::result_out_of_range};
  value = v;
  return {ptr, errc{}};
}
}  // namespace std
#endif
#endif
