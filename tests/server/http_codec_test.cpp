// The HTTP port's wire codec (http_codec.hpp): gRPC-Web / Connect envelopes,
// base64 text mode, grpc-message percent-encoding, the Connect code table.
#include <gtest/gtest.h>

#include <string>

#include "transport/http_codec.hpp"

namespace h = simcore::server::http;

namespace {

std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int v : b) s.push_back(static_cast<char>(v));
  return s;
}

}  // namespace

TEST(HttpCodec, EnvelopeHeaderIsFlagAndBigEndianLength) {
  std::string payload(300, 'x');
  std::string e = h::envelope(0x80, payload);
  ASSERT_EQ(e.size(), 305u);
  EXPECT_EQ(e.substr(0, 5), bytes({0x80, 0, 0, 0x01, 0x2c}));
  EXPECT_EQ(h::envelope(0, ""), bytes({0, 0, 0, 0, 0}));
}

TEST(HttpCodec, EnvelopesReassembleFromSingleBytes) {
  std::string wire = h::envelope(0, "hello") + h::envelope(0, "") + h::envelope(2, std::string(70000, 'z'));
  h::EnvelopeReader r(1 << 20);
  std::vector<h::Envelope> got;
  h::Envelope e;
  for (char c : wire) {
    r.feed(std::string_view(&c, 1));
    while (r.next(e) == h::EnvelopeStatus::Envelope) got.push_back(e);
  }
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].payload, "hello");
  EXPECT_EQ(got[1].payload, "");
  EXPECT_EQ(got[2].flags, 2);
  EXPECT_EQ(got[2].payload.size(), 70000u);
  EXPECT_EQ(r.pending(), 0u);
}

TEST(HttpCodec, TruncatedEnvelopeLeavesPendingBytes) {
  std::string wire = h::envelope(0, "abcdef");
  h::EnvelopeReader r(1024);
  r.feed(wire.substr(0, wire.size() - 2));
  h::Envelope e;
  EXPECT_EQ(r.next(e), h::EnvelopeStatus::NeedMore);
  EXPECT_EQ(r.pending(), wire.size() - 2);
  h::EnvelopeReader r2(1024);
  r2.feed(wire.substr(0, 3));  // inside the header
  EXPECT_EQ(r2.next(e), h::EnvelopeStatus::NeedMore);
}

TEST(HttpCodec, HugeDeclaredLengthIsTooLargeWithoutWaitingForIt) {
  h::EnvelopeReader r(1 << 20);
  r.feed(bytes({0, 0x7f, 0xff, 0xff, 0xff}));
  h::Envelope e;
  EXPECT_EQ(r.next(e), h::EnvelopeStatus::TooLarge);
  EXPECT_EQ(r.declaredLength(), 0x7fffffffu);
}

TEST(HttpCodec, Base64RoundTripAllLengths) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (std::size_t n = 0; n < 20; ++n) {
    std::string in = all.substr(n * 7 % 200, n);
    for (bool pad : {true, false}) {
      auto out = h::base64Decode(h::base64Encode(in, pad));
      ASSERT_TRUE(out) << n;
      EXPECT_EQ(*out, in);
    }
  }
  EXPECT_EQ(h::base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(h::base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(h::base64Encode("foob", false), "Zm9vYg");
}

TEST(HttpCodec, Base64TextBodySplitAcrossReadsAndConcatenatedRuns) {
  // Two separately padded runs, as a grpc-web-text client or server writes
  // them frame by frame, fed in pieces that cut groups apart.
  std::string a = h::envelope(0, "first message!"), b = h::envelope(0x80, "grpc-status:0\r\n");
  std::string text = h::base64Encode(a) + h::base64Encode(b);
  ASSERT_LT(text.find("=="), text.size() - 2);  // padding in the middle
  for (std::size_t step : {1u, 2u, 3u, 5u, 7u}) {
    h::Base64Decoder d;
    std::string out;
    for (std::size_t i = 0; i < text.size(); i += step) ASSERT_TRUE(d.feed(text.substr(i, step), out));
    ASSERT_TRUE(d.finish(out));
    EXPECT_EQ(out, a + b) << step;
  }
}

TEST(HttpCodec, Base64RejectsGarbage) {
  EXPECT_FALSE(h::base64Decode("ab$d"));
  EXPECT_FALSE(h::base64Decode("a==="));   // padding too early
  EXPECT_FALSE(h::base64Decode("ab=c"));   // data after padding
  EXPECT_FALSE(h::base64Decode("abcde"));  // one character left over
  EXPECT_TRUE(h::base64Decode("Zm9v\r\nYmFy"));
  EXPECT_EQ(*h::base64Decode("-_8"), bytes({0xfb, 0xff}));  // URL-safe alphabet
}

TEST(HttpCodec, GrpcMessageIsPercentEncoded) {
  EXPECT_EQ(h::percentEncode("plain text: ok"), "plain text: ok");
  EXPECT_EQ(h::percentEncode("100% \n"), "100%25 %0A");
  EXPECT_EQ(h::percentEncode("caf\xc3\xa9"), "caf%C3%A9");
  std::string s = "line 3:7: unknown device 'Q9' \xe2\x80\x94 50%";
  EXPECT_EQ(h::percentDecode(h::percentEncode(s)), s);
}

TEST(HttpCodec, TrailerBlock) {
  std::string t = h::grpcWebTrailers(3, "bad\nnetlist", bytes({1, 2, 3, 4}));
  EXPECT_EQ(t, "grpc-status:3\r\ngrpc-message:bad%0Anetlist\r\ngrpc-status-details-bin:AQIDBA\r\n");
  EXPECT_EQ(h::grpcWebTrailers(0, "", ""), "grpc-status:0\r\ngrpc-message:\r\n");
}

TEST(HttpCodec, ConnectCodesAndHttpStatuses) {
  struct Row {
    int code;
    const char* name;
    int http;
  };
  const Row rows[] = {{1, "canceled", 499},         {2, "unknown", 500},          {3, "invalid_argument", 400},
                      {4, "deadline_exceeded", 504}, {5, "not_found", 404},        {6, "already_exists", 409},
                      {7, "permission_denied", 403}, {8, "resource_exhausted", 429}, {9, "failed_precondition", 400},
                      {10, "aborted", 409},          {11, "out_of_range", 400},    {12, "unimplemented", 501},
                      {13, "internal", 500},         {14, "unavailable", 503},     {15, "data_loss", 500},
                      {16, "unauthenticated", 401}};
  for (const auto& r : rows) {
    EXPECT_STREQ(h::connectCodeName(r.code), r.name);
    EXPECT_EQ(h::connectHttpStatus(r.code), r.http) << r.name;
  }
  EXPECT_STREQ(h::connectCodeName(99), "unknown");
  EXPECT_STREQ(h::grpcCodeName(8), "RESOURCE_EXHAUSTED");
}

TEST(HttpCodec, Timeouts) {
  using namespace std::chrono;
  EXPECT_EQ(*h::parseGrpcTimeout("100m"), milliseconds(100));
  EXPECT_EQ(*h::parseGrpcTimeout("2S"), seconds(2));
  EXPECT_EQ(*h::parseGrpcTimeout("1H"), hours(1));
  EXPECT_EQ(*h::parseGrpcTimeout("5n"), nanoseconds(5));
  EXPECT_FALSE(h::parseGrpcTimeout("123456789S"));  // more than 8 digits
  EXPECT_FALSE(h::parseGrpcTimeout("10x"));
  EXPECT_FALSE(h::parseGrpcTimeout("S"));
  EXPECT_EQ(*h::parseConnectTimeoutMs("2500"), milliseconds(2500));
  EXPECT_FALSE(h::parseConnectTimeoutMs("-1"));
  EXPECT_FALSE(h::parseConnectTimeoutMs("12345678901"));
  // Huge values saturate instead of overflowing int64 nanoseconds.
  EXPECT_EQ(*h::parseGrpcTimeout("99999999H"), h::kMaxTimeout);
  EXPECT_EQ(*h::parseGrpcTimeout("99999999M"), h::kMaxTimeout);
  EXPECT_EQ(*h::parseGrpcTimeout("99999999S"), h::kMaxTimeout);
  EXPECT_EQ(*h::parseGrpcTimeout("999999S"), seconds(999999));
  EXPECT_EQ(*h::parseConnectTimeoutMs("9999999999"), h::kMaxTimeout);
}

