// Lexer (cards, comments, continuation lines) and SPICE numbers.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "netlist/lexer.hpp"
#include "netlist/number.hpp"
#include "netlist_test_util.hpp"
#include "simcore/ir.hpp"

using namespace simcore;
using namespace simcore::testutil;
using namespace simcore::netlist;

namespace {

double num(std::string_view s) {
  double v = 0;
  std::string why;
  EXPECT_TRUE(parseNumber(s, v, why)) << s << ": " << why;
  return v;
}

bool badNum(std::string_view s) {
  double v = 0;
  std::string why;
  return !parseNumber(s, v, why);
}

}  // namespace

TEST(NetlistLexer, TitleIsAlwaysFirstLine) {
  auto c = ok(".tran 1 2\nR1 a 0 1\n");
  EXPECT_EQ(c.title, ".tran 1 2");
  EXPECT_TRUE(c.analyses.empty());
  auto c2 = ok("* starred title\nR1 a 0 1\n");
  EXPECT_EQ(c2.title, "* starred title");
  EXPECT_EQ(c2.devices.size(), 1u);
}

TEST(NetlistLexer, CommentsAndBlankLines) {
  auto c = ok("t\n\n* comment\n   * indented comment\nR1 a 0 1k ; trailing\nR2 a 0 2k $ dollar comment\n"
              "R3 a$b 0 3k\n\t\nR4 a 0\t4k\n");
  ASSERT_EQ(c.devices.size(), 4u);
  EXPECT_EQ(c.devices[0].value, 1000.0);
  EXPECT_EQ(c.devices[1].value, 2000.0);
  EXPECT_EQ(c.devices[2].nodes[0], "a$b");
  EXPECT_EQ(c.devices[3].value, 4000.0);
}

TEST(NetlistLexer, ContinuationLinesKeepTheirLocation) {
  auto c = ok("t\nV1 in 0\n* comment between\n+ DC 1\n+ AC 1\nR1 in 0 1\n");
  ASSERT_EQ(c.devices.size(), 2u);
  EXPECT_TRUE(c.devices[0].source.hasAc);
  EXPECT_EQ(c.devices[0].source.dc, 1.0);
  Error e = err("t\nR1 a 0\n+   1x2\n");
  EXPECT_EQ(e.loc.line, 3);
  EXPECT_EQ(e.loc.col, 5);
}

TEST(NetlistLexer, ContinuationWithoutCardIsAnError) {
  Error e = err("t\n+ R1 a 0 1\n");
  EXPECT_EQ(e.code, ErrorCode::Parse);
  EXPECT_EQ(e.loc.line, 2);
  EXPECT_EQ(e.loc.col, 1);
  EXPECT_NE(e.message.find("continuation"), std::string::npos);
}

TEST(NetlistLexer, EndStopsParsing) {
  auto c = ok("t\nR1 a 0 1\n.end\nthis is garbage @@@\n");
  EXPECT_EQ(c.devices.size(), 1u);
  auto c2 = ok("t\nR1 a 0 1\n.END\n");
  EXPECT_EQ(c2.devices.size(), 1u);
}

TEST(NetlistLexer, ControlBlockSkippedWithWarning) {
  auto c = ok("t\nR1 a 0 1\n.control\nrun\nplot v(a)\n.endc\n.op\n");
  EXPECT_EQ(c.analyses.size(), 1u);
  ASSERT_FALSE(c.warnings.empty());
  EXPECT_NE(c.warnings[0].message.find(".control"), std::string::npos);
  // a block left open runs to the end of the deck, as in ngspice 39, with a warning at its .control
  auto open = ok("t\n.control\nrun\n");
  bool warned = false;
  for (const auto& w : open.warnings)
    if (w.message.find("never closed") != std::string::npos) warned = w.loc.line == 2;
  EXPECT_TRUE(warned);
}

TEST(NetlistLexer, SeparatorsCommasParensEquals) {
  auto c = ok("t\nV1 a 0 PULSE(0 1 1n)\nV2 b 0 PULSE 0 1 1n\nV3 c 0 sin(0, 1, 1k)\nR1 a 0 1\nR2 b 0 1\nR3 c 0 1\n"
              ".model d1 d is=1e-14 n=1\n.model d2 d(is=1e-14, n=1)\n");
  ASSERT_EQ(c.devices.size(), 6u);
  EXPECT_EQ(c.devices[0].source.wave.args, (std::vector<double>{0, 1, 1e-9}));
  EXPECT_EQ(c.devices[1].source.wave.args, (std::vector<double>{0, 1, 1e-9}));
  EXPECT_EQ(c.devices[2].source.wave.args, (std::vector<double>{0, 1, 1e3}));
  ASSERT_EQ(c.models.size(), 2u);
  EXPECT_EQ(c.models[0].params.size(), 2u);
  EXPECT_EQ(c.models[1].params.size(), 2u);
  EXPECT_EQ(c.models[1].params[1].name, "n");
}

TEST(NetlistLexer, UnbalancedBracesAndParens) {
  Error e = err("t\nR1 a 0 {1+2\n");
  EXPECT_EQ(e.loc.line, 2);
  EXPECT_EQ(e.loc.col, 8);
  EXPECT_NE(e.message.find("brace"), std::string::npos);
  e = err("t\nR1 a 0 1+2}\n");
  EXPECT_EQ(e.loc.col, 11);
  e = err("t\nV1 a 0 PULSE(0 1 2\n");
  EXPECT_EQ(e.loc.col, 13);
  EXPECT_NE(e.message.find("parenthes"), std::string::npos);
  // a ')' that closes nothing is dropped with a warning (ngspice tolerates it)
  auto c = ok("t\nV1 a 0 PULSE 0 1 2)\n.op\n");
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_EQ(c.warnings[0].loc.col, 19);
  EXPECT_NE(c.warnings[0].message.find("stray ')'"), std::string::npos);
}

TEST(NetlistLexer, EmptyInputIsAnErrorTitleOnlyIsNot) {
  Error e = err("");
  EXPECT_NE(e.message.find("empty"), std::string::npos);
  EXPECT_GT(e.loc.line, 0);
  err("  \n\n");
  auto c = ok("just a title");
  EXPECT_EQ(c.title, "just a title");
  EXPECT_TRUE(c.devices.empty());
}

TEST(NetlistLexer, CrLfAndTabs) {
  auto c = ok("title\r\nR1\ta\t0\t1k\r\n.op\r\n");
  ASSERT_EQ(c.devices.size(), 1u);
  EXPECT_EQ(c.title, "title");
  EXPECT_EQ(c.devices[0].nodes[1], "0");
}

TEST(NetlistLexer, LexFileTokens) {
  LexedFile f;
  f.name = "x";
  f.text = "t\nR1 a b {x + 1} 'y*2' \"s p\"\n+ c=(1)\n";
  lexFile(f, true);
  ASSERT_EQ(f.cards.size(), 1u);
  const Card& c = f.cards[0];
  ASSERT_EQ(c.size(), 11u);
  EXPECT_EQ(c[3].kind, TokKind::Expr);
  EXPECT_EQ(c[3].text, "{x + 1}");
  EXPECT_EQ(c[4].kind, TokKind::Expr);
  EXPECT_EQ(c[5].kind, TokKind::Str);
  EXPECT_EQ(c[6].line, 3u);
  EXPECT_EQ(c[6].col, 3u);
  EXPECT_EQ(c[7].kind, TokKind::Eq);
  EXPECT_EQ(c[8].kind, TokKind::LParen);
}

TEST(NetlistNumbers, PlainForms) {
  EXPECT_DOUBLE_EQ(num("1e-3"), 1e-3);
  EXPECT_DOUBLE_EQ(num(".5"), 0.5);
  EXPECT_DOUBLE_EQ(num("5."), 5.0);
  EXPECT_DOUBLE_EQ(num("-2.5"), -2.5);
  EXPECT_DOUBLE_EQ(num("+3"), 3.0);
  EXPECT_DOUBLE_EQ(num("1E3"), 1e3);
  EXPECT_DOUBLE_EQ(num("2.5e+2"), 250.0);
}

TEST(NetlistNumbers, EverySuffix) {
  EXPECT_DOUBLE_EQ(num("1t"), 1e12);
  EXPECT_DOUBLE_EQ(num("1g"), 1e9);
  EXPECT_DOUBLE_EQ(num("1meg"), 1e6);
  EXPECT_DOUBLE_EQ(num("1MEG"), 1e6);
  EXPECT_DOUBLE_EQ(num("1Meg"), 1e6);
  EXPECT_DOUBLE_EQ(num("1k"), 1e3);
  EXPECT_DOUBLE_EQ(num("1K"), 1e3);
  EXPECT_DOUBLE_EQ(num("1m"), 1e-3);
  EXPECT_DOUBLE_EQ(num("1M"), 1e-3);
  EXPECT_DOUBLE_EQ(num("1u"), 1e-6);
  EXPECT_DOUBLE_EQ(num("1n"), 1e-9);
  EXPECT_DOUBLE_EQ(num("1p"), 1e-12);
  EXPECT_DOUBLE_EQ(num("1f"), 1e-15);
  EXPECT_DOUBLE_EQ(num("1mil"), 25.4e-6);
  EXPECT_DOUBLE_EQ(num("2.5e-3k"), 2.5);
}

TEST(NetlistNumbers, UnitLettersIgnored) {
  EXPECT_DOUBLE_EQ(num("10uF"), 10e-6);
  EXPECT_DOUBLE_EQ(num("1kOhm"), 1e3);
  EXPECT_DOUBLE_EQ(num("3V"), 3.0);
  EXPECT_DOUBLE_EQ(num("1.5meg"), 1.5e6);
  EXPECT_DOUBLE_EQ(num("2.2uH"), 2.2e-6);
  EXPECT_DOUBLE_EQ(num("1F"), 1e-15);  // femto, as in SPICE
  EXPECT_DOUBLE_EQ(num("5ns"), 5e-9);
  EXPECT_DOUBLE_EQ(num("1megohm"), 1e6);
}

TEST(NetlistNumbers, NonAsciiUnitLetters) {
  // ngspice 39: the micro sign is micro, other non-ASCII letters after a number are units
  EXPECT_DOUBLE_EQ(num("10\xC2\xB5" "F"), 10e-6);  // 10µF in UTF-8
  EXPECT_DOUBLE_EQ(num("10\xB5" "F"), 10e-6);      // in Latin-1
  EXPECT_DOUBLE_EQ(num("25\xC2\xB0" "C"), 25.0);  // 25°C (a deck printed by PySpice)
  EXPECT_DOUBLE_EQ(num("2k\xCE\xA9"), 2e3);       // 2kΩ
  EXPECT_TRUE(badNum("4k\xCE\xA9" "7"));
  auto c = ok("t\nR1 a 0 2k\xCE\xA9\nV1 a 0 1\n.options TEMP = 25\xC2\xB0" "C\n.op\n");
  EXPECT_EQ(c.devices[0].value, 2e3);
  EXPECT_DOUBLE_EQ(c.options.temp, 25.0);
}

TEST(NetlistNumbers, NoAttoSuffix) {
  // ngspice 39 has no atto: `a` is a unit letter (PySpice writes a current source's 1 A as `1.0A`)
  EXPECT_DOUBLE_EQ(num("1.0A"), 1.0);
  EXPECT_DOUBLE_EQ(num("1a"), 1.0);
  EXPECT_DOUBLE_EQ(num("2.5mA"), 2.5e-3);
  EXPECT_DOUBLE_EQ(num("3uA"), 3e-6);
  auto c = ok("t\nI1 0 a 1.0A\nR1 a 0 10Ohm\n.param p=2a\nI2 0 b {p}\nR2 b 0 1\n.op\n");
  ASSERT_EQ(c.devices.size(), 4u);
  EXPECT_DOUBLE_EQ(c.devices[0].source.dc, 1.0);
  EXPECT_DOUBLE_EQ(c.devices[2].source.dc, 2.0);
}

TEST(NetlistNumbers, Malformed) {
  EXPECT_TRUE(badNum("1.2.3"));
  EXPECT_TRUE(badNum("4k7"));
  EXPECT_TRUE(badNum("abc"));
  EXPECT_TRUE(badNum("1e999"));
  EXPECT_TRUE(badNum("1k_"));
  EXPECT_TRUE(badNum("-"));
  EXPECT_TRUE(badNum(""));
  Error e = err("t\nR1 a 0 4k7\n");
  EXPECT_EQ(e.code, ErrorCode::Parse);
  EXPECT_EQ(e.loc.line, 2);
  EXPECT_EQ(e.loc.col, 8);
  EXPECT_NE(e.message.find("4k7"), std::string::npos);
  e = err("t\nC1 a 0 1.0.0u\n");
  EXPECT_EQ(e.loc.col, 8);
  // eSim writes the exponent of its unit field after what was typed (100u becomes 100ue-00):
  // the message says which suffix and which exponent, and what to write
  e = err("t\nI1 0 a 1\nR1 a 0 1\n.dc i1 0 100ue-00 10ue-00\n");
  EXPECT_EQ(e.loc.line, 4);
  EXPECT_NE(e.message.find("a scale suffix then an exponent ('u' then 'e-00'): write 100u"), std::string::npos)
      << e.message;
}

TEST(NetlistModels, DecimalCommaKeepsTheFirstValue) {
  // eSim's uf4007 model has M=0,2: the comma separates values, so ngspice 39 reads M=0 and
  // skips the 2; simcore does the same and says so
  auto c = ok("t\n.model uf D(Is=2.495E-09 M=0,2 Vj=1)\nD1 a 0 uf\nV1 a 0 0.5\n.op\n");
  ASSERT_EQ(c.models.size(), 1u);
  double m = -1, vj = -1;
  for (const auto& p : c.models[0].params) {
    if (p.name == "m") m = p.value;
    if (p.name == "vj") vj = p.value;
  }
  EXPECT_DOUBLE_EQ(m, 0.0);
  EXPECT_DOUBLE_EQ(vj, 1.0);
  bool warned = false;
  for (const auto& w : c.warnings)
    if (w.message.find("m=0 then a stray '2'") != std::string::npos &&
        w.message.find("for a decimal write 0.2") != std::string::npos)
      warned = true;
  EXPECT_TRUE(warned);
  // a bare number where no value came before is still an error
  Error e = err("t\n.model uf D(2 Is=1e-14)\nD1 a 0 uf\nV1 a 0 0.5\n.op\n");
  EXPECT_EQ(e.code, ErrorCode::Parse);
}

TEST(NetlistResult, FormatAndNames) {
  Error e{ErrorCode::Parse, "boom", SourceLoc{"f.cir", 3, 7}};
  EXPECT_EQ(e.format(), "f.cir:3:7: error: boom");
  e.loc.col = 0;
  EXPECT_EQ(e.format(), "f.cir:3: error: boom");
  e.loc.line = 0;
  EXPECT_EQ(e.format(), "f.cir: error: boom");
  e.loc.file.clear();
  EXPECT_EQ(e.format(), "error: boom");
  EXPECT_STREQ(errorCodeName(ErrorCode::Semantic), "semantic");
  EXPECT_STREQ(errorCodeName(ErrorCode::Parse), "parse");
  EXPECT_STREQ(errorCodeName(ErrorCode::Limit), "limit");
}

TEST(NumberParse, NgspiceValueRoundsAsItsInpevaluate) {
  // digits times a power of ten: some decimals a unit in the last place off
  EXPECT_EQ(netlist::ngspiceValue("1.2"), 12 * std::pow(10.0, -1));
  EXPECT_NE(netlist::ngspiceValue("1.2"), 1.2);  // 1.2000000000000002
  EXPECT_EQ(netlist::ngspiceValue("3.3"), 33 * std::pow(10.0, -1));
  EXPECT_EQ(netlist::ngspiceValue("2"), 2.0);
  EXPECT_EQ(netlist::ngspiceValue("-0.05"), -5 * std::pow(10.0, -2));
  EXPECT_EQ(netlist::ngspiceValue("1e20"), 1 * std::pow(10.0, 20));
  EXPECT_EQ(netlist::ngspiceValue("2.5e16"), 25 * std::pow(10.0, 15));
  EXPECT_EQ(netlist::ngspiceValue("10um"), 10 * std::pow(10.0, -6));
  EXPECT_EQ(netlist::ngspiceValue("1meg"), 1e6);
  EXPECT_EQ(netlist::ngspiceValue("2mil"), 2 * 25.4 * std::pow(10.0, -6));
}
