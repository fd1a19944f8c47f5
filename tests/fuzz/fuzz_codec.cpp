// libFuzzer target for the HTTP port's codecs (gRPC-Web framing, base64 in
// gRPC-Web text mode, grpc-message percent coding, timeout headers): bytes
// from a client, split anywhere, must never crash, over-read or grow beyond
// the payload limit; what decodes must re-encode to the same bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "transport/http_codec.hpp"

using namespace simcore::server::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  // first byte: where to split the input into two pieces
  const std::size_t cut = size > 1 ? data[0] % size : 0;
  const std::string_view body = all.substr(1);

  // gRPC-Web framing with a small payload limit, fed in two pieces
  constexpr std::size_t kMax = 1024;
  EnvelopeReader reader(kMax);
  reader.feed(body.substr(0, cut));
  reader.feed(body.substr(std::min(cut, body.size())));
  Envelope e;
  for (int i = 0; i < 1 << 12; ++i) {
    const EnvelopeStatus s = reader.next(e);
    if (s != EnvelopeStatus::Envelope) break;
    if (e.payload.size() > kMax) __builtin_trap();
    if (envelope(e.flags, e.payload).size() != e.payload.size() + 5) __builtin_trap();
  }

  // base64 (text mode): streaming in two pieces equals the whole-string decode
  Base64Decoder dec;
  std::string out;
  const bool ok = dec.feed(body.substr(0, cut), out) && dec.feed(body.substr(std::min(cut, body.size())), out) &&
                  dec.finish(out);
  auto whole = base64Decode(body);
  if (ok != whole.has_value()) __builtin_trap();
  if (ok && *whole != out) __builtin_trap();
  if (ok) {
    auto back = base64Decode(base64Encode(out));
    if (!back || *back != out) __builtin_trap();
  }

  // grpc-message percent coding round trip
  if (percentDecode(percentEncode(body)) != body) __builtin_trap();
  (void)percentDecode(body);
  (void)grpcWebTrailers(int(data[0]) - 8, body, body);

  // timeout headers
  if (auto t = parseGrpcTimeout(body); t && (t->count() < 0 || *t > kMaxTimeout)) __builtin_trap();
  if (auto t = parseConnectTimeoutMs(body); t && t->count() < 0) __builtin_trap();
  return 0;
}
