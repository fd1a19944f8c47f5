#include "transport/http_codec.hpp"

#include <cstdio>

namespace simcore::server::http {

std::string envelope(std::uint8_t flags, std::string_view payload) {
  std::string out;
  out.reserve(5 + payload.size());
  auto n = static_cast<std::uint32_t>(payload.size());
  out.push_back(static_cast<char>(flags));
  out.push_back(static_cast<char>((n >> 24) & 0xff));
  out.push_back(static_cast<char>((n >> 16) & 0xff));
  out.push_back(static_cast<char>((n >> 8) & 0xff));
  out.push_back(static_cast<char>(n & 0xff));
  out.append(payload.data(), payload.size());
  return out;
}

EnvelopeStatus EnvelopeReader::next(Envelope& out) {
  if (buf_.size() - pos_ < 5) return EnvelopeStatus::NeedMore;
  const auto* p = reinterpret_cast<const unsigned char*>(buf_.data() + pos_);
  declared_ = (std::uint64_t(p[1]) << 24) | (std::uint64_t(p[2]) << 16) | (std::uint64_t(p[3]) << 8) | p[4];
  if (declared_ > max_) return EnvelopeStatus::TooLarge;
  if (buf_.size() - pos_ - 5 < declared_) return EnvelopeStatus::NeedMore;
  out.flags = p[0];
  out.payload.assign(buf_, pos_ + 5, static_cast<std::size_t>(declared_));
  pos_ += 5 + static_cast<std::size_t>(declared_);
  if (pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  }
  return EnvelopeStatus::Envelope;
}

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int b64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

}  // namespace

std::string base64Encode(std::string_view bytes, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
  for (; i + 3 <= bytes.size(); i += 3) {
    std::uint32_t v = (std::uint32_t(b[i]) << 16) | (std::uint32_t(b[i + 1]) << 8) | b[i + 2];
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  std::size_t rest = bytes.size() - i;
  if (rest) {
    std::uint32_t v = std::uint32_t(b[i]) << 16;
    if (rest == 2) v |= std::uint32_t(b[i + 1]) << 8;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    if (rest == 2) out.push_back(kAlphabet[(v >> 6) & 63]);
    if (pad) out.append(rest == 1 ? "==" : "=");
  }
  return out;
}

// Decodes the held group. A group of four may end in "=" or "=="; with
// `final` an unpadded group of 2 or 3 characters is accepted too.
bool Base64Decoder::flushGroup(std::string& out, bool final) {
  int data = 0;
  while (data < n_ && group_[data] != '=') ++data;
  for (int k = data; k < n_; ++k)
    if (group_[k] != '=') return false;  // data after padding inside a group
  if (n_ == 4 && data < 2) return false;
  if (n_ < 4 && !(final && data == n_ && data >= 2)) return false;
  std::uint32_t v = 0;
  for (int k = 0; k < 4; ++k) v = (v << 6) | std::uint32_t(k < data ? b64Value(group_[k]) : 0);
  out.push_back(static_cast<char>((v >> 16) & 0xff));
  if (data >= 3) out.push_back(static_cast<char>((v >> 8) & 0xff));
  if (data == 4) out.push_back(static_cast<char>(v & 0xff));
  n_ = 0;
  return true;
}

bool Base64Decoder::feed(std::string_view text, std::string& out) {
  for (char c : text) {
    if (c == '\r' || c == '\n' || c == ' ' || c == '\t') continue;
    if (c != '=' && b64Value(c) < 0) return false;
    group_[n_++] = c;
    if (n_ == 4 && !flushGroup(out, false)) return false;
  }
  return true;
}

bool Base64Decoder::finish(std::string& out) {
  if (n_ == 0) return true;
  return flushGroup(out, true);
}

std::optional<std::string> base64Decode(std::string_view text) {
  Base64Decoder d;
  std::string out;
  if (!d.feed(text, out) || !d.finish(out)) return std::nullopt;
  return out;
}

std::string percentEncode(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c > 0x7e || c == '%') {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

std::string percentDecode(std::string_view text) {
  auto hexVal = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hexVal(text[i + 1]) >= 0 && hexVal(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hexVal(text[i + 1]) * 16 + hexVal(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);  // a stray '%' is kept as it is
    }
  }
  return out;
}

std::string grpcWebTrailers(int code, std::string_view message, std::string_view detailsBin) {
  std::string t = "grpc-status:" + std::to_string(code) + "\r\n";
  t += "grpc-message:" + percentEncode(message) + "\r\n";
  if (!detailsBin.empty()) t += "grpc-status-details-bin:" + base64Encode(detailsBin, false) + "\r\n";
  return t;
}

namespace {

struct CodeInfo {
  const char* grpc;
  const char* connect;
  int http;
};

// Index = gRPC status code. HTTP statuses as in the Connect protocol
// (after its 2024 amendment: canceled 499, deadline 504, unimplemented 501).
constexpr CodeInfo kCodes[] = {
    {"OK", "ok", 200},
    {"CANCELLED", "canceled", 499},
    {"UNKNOWN", "unknown", 500},
    {"INVALID_ARGUMENT", "invalid_argument", 400},
    {"DEADLINE_EXCEEDED", "deadline_exceeded", 504},
    {"NOT_FOUND", "not_found", 404},
    {"ALREADY_EXISTS", "already_exists", 409},
    {"PERMISSION_DENIED", "permission_denied", 403},
    {"RESOURCE_EXHAUSTED", "resource_exhausted", 429},
    {"FAILED_PRECONDITION", "failed_precondition", 400},
    {"ABORTED", "aborted", 409},
    {"OUT_OF_RANGE", "out_of_range", 400},
    {"UNIMPLEMENTED", "unimplemented", 501},
    {"INTERNAL", "internal", 500},
    {"UNAVAILABLE", "unavailable", 503},
    {"DATA_LOSS", "data_loss", 500},
    {"UNAUTHENTICATED", "unauthenticated", 401},
};

const CodeInfo& info(int code) { return (code >= 0 && code <= 16) ? kCodes[code] : kCodes[2]; }

}  // namespace

const char* grpcCodeName(int code) { return info(code).grpc; }
const char* connectCodeName(int code) { return info(code).connect; }
int connectHttpStatus(int code) { return info(code).http; }

std::optional<std::chrono::nanoseconds> parseGrpcTimeout(std::string_view v) {
  if (v.size() < 2 || v.size() > 9) return std::nullopt;
  std::int64_t n = 0;
  for (std::size_t i = 0; i + 1 < v.size(); ++i) {
    if (v[i] < '0' || v[i] > '9') return std::nullopt;
    n = n * 10 + (v[i] - '0');
  }
  using namespace std::chrono;
  // 99999999H does not fit in int64 nanoseconds: longer than kMaxTimeout is kMaxTimeout.
  auto clamp = [](auto d) -> nanoseconds {
    return d > duration_cast<decltype(d)>(kMaxTimeout) ? kMaxTimeout : duration_cast<nanoseconds>(d);
  };
  switch (v.back()) {
    case 'H': return clamp(hours(n));
    case 'M': return clamp(minutes(n));
    case 'S': return clamp(seconds(n));
    case 'm': return clamp(milliseconds(n));
    case 'u': return clamp(microseconds(n));
    case 'n': return nanoseconds(n);
    default: return std::nullopt;
  }
}

std::optional<std::chrono::nanoseconds> parseConnectTimeoutMs(std::string_view v) {
  if (v.empty() || v.size() > 10) return std::nullopt;
  std::int64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  auto d = std::chrono::milliseconds(n);
  return d > std::chrono::duration_cast<std::chrono::milliseconds>(kMaxTimeout) ? kMaxTimeout
                                                                               : std::chrono::nanoseconds(d);
}

}  // namespace simcore::server::http
