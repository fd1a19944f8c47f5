// Error messages quote netlist text; they must stay valid UTF-8 whatever the
// bytes of the netlist (gRPC status messages, JSON and Python strings need it).
#include <gtest/gtest.h>

#include <string>

#include "simcore/ir.hpp"
#include "simcore/result.hpp"

using namespace simcore;

namespace {

bool isValidUtf8(const std::string& s) { return validUtf8(s) == s; }

ir::ParseOptions opts() {
  ir::ParseOptions po;
  po.fileName = "t.cir";
  return po;
}

}  // namespace

TEST(Utf8Messages, ValidTextIsKept) {
  EXPECT_EQ(validUtf8("plain ascii"), "plain ascii");
  EXPECT_EQ(validUtf8("R\xCE\xA9 \xC2\xB5" "F \xE2\x82\xAC \xF0\x9F\x94\x8C"), "R\xCE\xA9 \xC2\xB5" "F \xE2\x82\xAC \xF0\x9F\x94\x8C");
}

TEST(Utf8Messages, EveryBadSequenceBecomesOneReplacementCharacterPerByte) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(validUtf8("a\xFFz"), "a" + fffd + "z");                  // never a lead byte
  EXPECT_EQ(validUtf8("a\x80z"), "a" + fffd + "z");                  // stray continuation
  EXPECT_EQ(validUtf8("a\xC3"), "a" + fffd);                          // cut short at the end
  EXPECT_EQ(validUtf8("\xC0\xAF"), fffd + fffd);                      // overlong '/'
  EXPECT_EQ(validUtf8("\xED\xA0\x80"), fffd + fffd + fffd);           // UTF-16 surrogate
  EXPECT_EQ(validUtf8("\xF4\x90\x80\x80"), fffd + fffd + fffd + fffd);  // above U+10FFFF
  EXPECT_EQ(validUtf8("\xE2\x82z"), fffd + fffd + "z");               // three-byte form cut short
  EXPECT_EQ(validUtf8(std::string("a\0b", 3)), std::string("a\0b", 3));
}

TEST(Utf8Messages, UnknownDeviceLetterQuotesTheWholeCharacter) {
  auto r = ir::parseNetlist("title\n\xC3\xA9" "1 a 0 1k\n.op\n.end\n", opts());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().loc.line, 2);
  EXPECT_EQ(r.error().loc.col, 1);
  EXPECT_NE(r.error().message.find("unknown device type '\xC3\xA9'"), std::string::npos) << r.error().message;
  EXPECT_TRUE(isValidUtf8(r.error().message));
}

TEST(Utf8Messages, LatinOneBytesInANetlistGiveAValidMessage) {
  // A file saved as Latin-1: 0xB5 (micro) is not UTF-8.
  auto r = ir::parseNetlist("title\n\xB5" "1 a 0 1k\n.op\n.end\n", opts());
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(isValidUtf8(r.error().message)) << r.error().message;
  EXPECT_NE(r.error().message.find("\xEF\xBF\xBD"), std::string::npos) << r.error().message;
}

TEST(Utf8Messages, LongTokensAreCutOnACharacterBoundary) {
  // 39 ASCII bytes then a two-byte character: a cut at 40 bytes would split it.
  std::string tok = std::string(39, 'x') + "\xC3\xA9" + std::string(10, 'y');
  auto r = ir::parseNetlist("title\nR1 a 0 1k\n.ac " + tok + " 10 1 1meg\n.end\n", opts());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("found '" + std::string(39, 'x') + "...'"), std::string::npos)
      << r.error().message;
  EXPECT_TRUE(isValidUtf8(r.error().message)) << r.error().message;
}
