// errorCodeName and Error::format (declared in simcore/result.hpp). The names
// are the error-code table's (simcore/error_codes.hpp): lower case, words joined
// by '_', the proto enum's names without ERROR_CODE_.
#include "simcore/result.hpp"

namespace simcore {

const char* errorCodeName(ErrorCode c) {
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
  return "unknown";
}

namespace {

// Length of the UTF-8 sequence at s[i] (1..4), or 0 when it is not one
// (stray continuation byte, overlong form, surrogate, above U+10FFFF, cut short).
std::size_t utf8Length(const std::string& s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  std::size_t n;
  unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c >= 0xE0 && c <= 0xEF) { n = 3; if (c == 0xE0) lo = 0xA0; if (c == 0xED) hi = 0x9F; }
  else if (c >= 0xF0 && c <= 0xF4) { n = 4; if (c == 0xF0) lo = 0x90; if (c == 0xF4) hi = 0x8F; }
  else return 0;
  if (i + n > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if ((b(i + k) & 0xC0) != 0x80) return 0;
  return n;
}

}  // namespace

std::string validUtf8(std::string s) {
  std::size_t i = 0;
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  if (i == s.size()) return s;  // ASCII: the usual case, no copy
  std::string out = s.substr(0, i);
  while (i < s.size()) {
    if (std::size_t n = utf8Length(s, i)) {
      out.append(s, i, n);
      i += n;
    } else {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    }
  }
  return out;
}

Error makeError(ErrorCode c, std::string msg, SourceLoc loc) {
  return Error{c, validUtf8(std::move(msg)), std::move(loc)};
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
