#include <gtest/gtest.h>

#include <string>

#include "rpc/utf8_check.hpp"
#include "simcore/v1/simulator.pb.h"

using namespace simcore::server;

TEST(Utf8Check, FirstInvalidByte) {
  const auto npos = std::string_view::npos;
  EXPECT_EQ(firstInvalidUtf8(""), npos);
  EXPECT_EQ(firstInvalidUtf8("plain ascii\n"), npos);
  EXPECT_EQ(firstInvalidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), npos);  // é € 😀
  EXPECT_EQ(firstInvalidUtf8("ab\xff"), 2u);
  EXPECT_EQ(firstInvalidUtf8("a\xc3"), 1u);              // truncated sequence
  EXPECT_EQ(firstInvalidUtf8("\xc0\xaf"), 0u);           // overlong '/'
  EXPECT_EQ(firstInvalidUtf8("\xe0\x80\xaf"), 0u);       // overlong, 3 bytes
  EXPECT_EQ(firstInvalidUtf8("x\xed\xa0\x80"), 1u);      // a surrogate
  EXPECT_EQ(firstInvalidUtf8("\xf4\x90\x80\x80"), 0u);   // past U+10FFFF
  EXPECT_EQ(firstInvalidUtf8("\xe2\x82"), 0u);
  EXPECT_EQ(firstInvalidUtf8("\xe9t\xe9"), 0u);          // Latin-1 "été"
}

namespace {

// A CreateSessionRequest on the wire with arbitrary bytes in its string fields
// (protobuf itself refuses to serialize invalid UTF-8).
std::string field(int number, const std::string& value) {
  std::string out(1, char((number << 3) | 2));
  std::size_t n = value.size();
  while (n >= 0x80) {
    out += char((n & 0x7f) | 0x80);
    n >>= 7;
  }
  out += char(n);
  return out + value;
}

}  // namespace

TEST(Utf8Check, NamesTheFieldAndThePlace) {
  const auto* type = ::simcore::v1::CreateSessionRequest::descriptor();
  std::string wire = field(3, "name") + field(1, "title\nR1 a 0 1k\nR2 b \xff 1k\n");
  ::simcore::v1::CreateSessionRequest r;
  EXPECT_FALSE(r.ParseFromString(wire));  // what gRPC would answer INTERNAL for
  auto bad = findInvalidUtf8(type, wire);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->field, "netlist");
  EXPECT_EQ(bad->byte, 0xff);
  EXPECT_EQ(bad->line, 3);
  EXPECT_EQ(bad->column, 6);
  EXPECT_EQ(bad->offset, 21u);

  // A map key (params: entry field 1 is the key).
  std::string entry = field(1, "r\xe9") + std::string("\x11") + std::string(8, '\0');
  auto inMap = findInvalidUtf8(type, field(1, "ok\n") + field(4, entry));
  ASSERT_TRUE(inMap);
  EXPECT_EQ(inMap->field, "params");

  EXPECT_FALSE(findInvalidUtf8(type, field(1, "t\nR1 a 0 1k\n")));  // all valid
  EXPECT_FALSE(findInvalidUtf8(type, "\x0a\x7f"));                  // not a message at all
}
