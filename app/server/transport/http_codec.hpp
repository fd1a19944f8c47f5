// Wire pieces of the HTTP/1.1 port that need neither gRPC nor the HTTP
// library (unit-tested on their own in tests/server/http_codec_test.cpp):
//
//   gRPC-Web carries messages in envelopes
//     u8 flags | u32 big-endian length | payload
//   flags: 0x00 message, 0x01 compressed, 0x80 trailer block
//     ("grpc-status:0\r\ngrpc-message:...\r\n").
//   `-bin` metadata headers and grpc-status-details-bin are base64; decoding
//     works in groups of four characters and accepts '=' at the end of any
//     group (padded or not, several runs one after another).
//   grpc-message is percent-encoded (bytes outside 0x20..0x7E, and '%').
//   Connect maps each status code to a lower-case name and an HTTP status.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace simcore::server::http {

inline constexpr std::uint8_t kFlagCompressed = 0x01;
inline constexpr std::uint8_t kFlagGrpcWebTrailer = 0x80;

// One envelope: flags, big-endian length, payload.
std::string envelope(std::uint8_t flags, std::string_view payload);

struct Envelope {
  std::uint8_t flags = 0;
  std::string payload;
};

enum class EnvelopeStatus {
  Envelope,  // one complete envelope taken
  NeedMore,  // the buffered bytes end inside a header or payload
  TooLarge,  // the declared length exceeds the limit (the stream cannot continue)
};

// Reassembles envelopes from bytes arriving in arbitrary pieces.
class EnvelopeReader {
 public:
  explicit EnvelopeReader(std::size_t maxPayload) : max_(maxPayload) {}
  void feed(std::string_view bytes) { buf_.append(bytes.data(), bytes.size()); }
  EnvelopeStatus next(Envelope& out);
  // Bytes held that do not form a whole envelope yet (non-zero at the end of
  // a body means it was truncated).
  std::size_t pending() const { return buf_.size() - pos_; }
  // The declared payload length of the envelope that was too large / is pending.
  std::uint64_t declaredLength() const { return declared_; }

 private:
  std::size_t max_;
  std::string buf_;
  std::size_t pos_ = 0;
  std::uint64_t declared_ = 0;
};

// Standard base64 (RFC 4648 section 4); `pad` adds '=' to a multiple of 4.
std::string base64Encode(std::string_view bytes, bool pad = true);

// Streaming base64 decoder: input may be split
// anywhere, and may be several padded runs concatenated. Accepts the standard
// and the URL-safe alphabet; skips CR, LF, space and tab.
class Base64Decoder {
 public:
  // Appends the decoded bytes of the complete groups to `out`; false on a
  // character outside the alphabet or misplaced padding.
  bool feed(std::string_view text, std::string& out);
  // End of input: decodes an unpadded last group (2 or 3 characters); false
  // when a single character is left over.
  bool finish(std::string& out);

 private:
  char group_[4] = {};
  int n_ = 0;
  bool flushGroup(std::string& out, bool final);
};

// Decodes a whole base64 string (padded or not); nullopt when invalid.
std::optional<std::string> base64Decode(std::string_view text);

// grpc-message encoding: '%' and bytes outside 0x20..0x7E become %XX.
std::string percentEncode(std::string_view text);
std::string percentDecode(std::string_view text);

// The gRPC-Web trailer block (without its envelope): grpc-status,
// grpc-message (percent-encoded) and, when not empty, grpc-status-details-bin
// (the serialized google.rpc.Status, base64 without padding).
std::string grpcWebTrailers(int code, std::string_view message, std::string_view detailsBin);

// "INVALID_ARGUMENT" (gRPC, for metrics) and "invalid_argument" (Connect).
// Codes outside 0..16 are "UNKNOWN" / "unknown".
const char* grpcCodeName(int code);
const char* connectCodeName(int code);
// The HTTP status of a Connect unary error (and of errors found before a call).
int connectHttpStatus(int code);

// grpc-timeout ("100m", "5S", "1H": at most 8 digits and a unit of
// H M S m u n); nullopt when malformed.
// Timeouts longer than kMaxTimeout (100 days) are kMaxTimeout.
inline constexpr std::chrono::nanoseconds kMaxTimeout = std::chrono::hours(24 * 100);
std::optional<std::chrono::nanoseconds> parseGrpcTimeout(std::string_view v);
// connect-timeout-ms (at most 10 digits); nullopt when malformed.
std::optional<std::chrono::nanoseconds> parseConnectTimeoutMs(std::string_view v);

}  // namespace simcore::server::http
