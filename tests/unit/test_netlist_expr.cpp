// Expressions and .param scoping.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>

#include "simcore/ir.hpp"

using namespace simcore;

namespace {

Result<ir::Circuit> parse(const std::string& text, ir::ParseOptions o = {}) {
  o.fileName = "t.cir";
  return ir::parseNetlist(text, o);
}

// Value of R1 when its value is the given expression text.
double value(const std::string& expr, const std::string& params = "") {
  auto r = parse("t\n" + params + "R1 a 0 " + expr + "\n");
  EXPECT_TRUE(r.ok()) << expr << ": " << (r.ok() ? "" : r.error().format());
  if (!r.ok() || r->devices.empty() || !r->devices[0].value) return NAN;
  return *r->devices[0].value;
}

Error err(const std::string& text) {
  auto r = parse(text);
  EXPECT_FALSE(r.ok()) << "expected an error for:\n" << text;
  return r.ok() ? Error{} : r.error();
}

bool contains(const std::string& s, const std::string& sub) { return s.find(sub) != std::string::npos; }

}  // namespace

TEST(NetlistExpr, Precedence) {
  EXPECT_DOUBLE_EQ(value("{1+2*3}"), 7);
  EXPECT_DOUBLE_EQ(value("{(1+2)*3}"), 9);
  EXPECT_DOUBLE_EQ(value("{10-4-3}"), 3);
  EXPECT_DOUBLE_EQ(value("{8/4/2}"), 1);
  EXPECT_DOUBLE_EQ(value("{-2+5}"), 3);
  EXPECT_DOUBLE_EQ(value("{+2*-3 + 10}"), 4);
}

TEST(NetlistExpr, PowerIsRightAssociative) {
  EXPECT_DOUBLE_EQ(value("{2^3^2}"), 512);
  EXPECT_DOUBLE_EQ(value("{2**3**2}"), 512);
  EXPECT_DOUBLE_EQ(value("{-2^2 + 10}"), 6);  // -(2^2)
  EXPECT_DOUBLE_EQ(value("{2^-1}"), 0.5);
  EXPECT_DOUBLE_EQ(value("{3*2^2}"), 12);
}

TEST(NetlistExpr, NumbersWithSuffixes) {
  EXPECT_DOUBLE_EQ(value("{2k*3}"), 6000);
  EXPECT_DOUBLE_EQ(value("{1meg/1k}"), 1000);
  EXPECT_DOUBLE_EQ(value("{10uF*1e6}"), 10);
  EXPECT_DOUBLE_EQ(value("{1e-3*1e3}"), 1);
}

TEST(NetlistExpr, Functions) {
  EXPECT_DOUBLE_EQ(value("{sqrt(16)}"), 4);
  EXPECT_DOUBLE_EQ(value("{exp(0)+1}"), 2);
  EXPECT_DOUBLE_EQ(value("{log(exp(2))}"), 2);
  EXPECT_DOUBLE_EQ(value("{ln(exp(3))}"), 3);
  EXPECT_DOUBLE_EQ(value("{log10(1000)}"), 3);
  EXPECT_DOUBLE_EQ(value("{1+sin(0)+cos(0)}"), 2);
  EXPECT_DOUBLE_EQ(value("{1+tan(0)+atan(0)}"), 1);
  EXPECT_DOUBLE_EQ(value("{abs(-3)}"), 3);
  EXPECT_DOUBLE_EQ(value("{min(2, 5)+max(2,5)}"), 7);
  EXPECT_DOUBLE_EQ(value("{pow(2, 10)}"), 1024);
  EXPECT_DOUBLE_EQ(value("{1+sinh(0)+tanh(0)}"), 1);
  EXPECT_DOUBLE_EQ(value("{cosh(0)}"), 1);
  EXPECT_DOUBLE_EQ(value("{floor(2.7)+ceil(2.2)+int(-1.5)}"), 4);
  EXPECT_DOUBLE_EQ(value("{2*pi}"), 2 * std::numbers::pi);
  EXPECT_DOUBLE_EQ(value("{SQRT(4)*PI/pi}"), 2);
}

// ngspice numparam spellings: arctan, sqr, ternary_fcn, and single-quoted sub-expressions
TEST(NetlistExpr, NumparamSpellingsAndQuotedGroups) {
  EXPECT_DOUBLE_EQ(value("{arctan(1)*4}"), std::numbers::pi);
  EXPECT_DOUBLE_EQ(value("{sqr(3)+sqr(-2)}"), 13);
  EXPECT_DOUBLE_EQ(value("{ternary_fcn(1 > 2, 5, 7)}"), 7);
  EXPECT_DOUBLE_EQ(value("{'x'*2 + 1}", ".param x=3\n"), 7);
  EXPECT_DOUBLE_EQ(value("{('x'+1)*'x'}", ".param x=3\n"), 12);
  EXPECT_TRUE(contains(err("t\nR1 a 0 {sqr(1,2)}\n").message, "'sqr' takes 1 argument"));
  // one-argument max/min compare with 1, as ngspice's numparam (examples/measure/func_cap.sp)
  EXPECT_DOUBLE_EQ(value("{max(3)}"), 3);
  EXPECT_DOUBLE_EQ(value("{max(-3)}"), 1);
  EXPECT_DOUBLE_EQ(value("{min(7)}"), 1);
  EXPECT_DOUBLE_EQ(value("{min(0.25)}"), 0.25);
  EXPECT_TRUE(contains(err("t\n.param x=3\nR1 a 0 {'x*2}\n").message, "never closed"));
}

TEST(NetlistExpr, ComparisonAndTernary) {
  EXPECT_DOUBLE_EQ(value("{1 < 2 ? 5 : 7}"), 5);
  EXPECT_DOUBLE_EQ(value("{1 >= 2 ? 5 : 7}"), 7);
  EXPECT_DOUBLE_EQ(value("{(1==1 && 2!=3) + (0 || 1) + 1}"), 3);
  // the branch not taken may divide by zero
  EXPECT_DOUBLE_EQ(value("{a == 0 ? 1 : 1/a}", ".param a=0\n"), 1);
}

TEST(NetlistExpr, QuotedAndBareExpressions) {
  EXPECT_DOUBLE_EQ(value("'1+2'"), 3);
  EXPECT_DOUBLE_EQ(value("rv", ".param rv=5k\n"), 5000);
  EXPECT_DOUBLE_EQ(value("rv*2", ".param rv=5k\n"), 10000);
}

TEST(NetlistExpr, ErrorsPointAtTheColumn) {
  Error e = err("t\nR1 a 0 {1/0}\n");
  EXPECT_EQ(e.code, ErrorCode::Semantic);
  EXPECT_EQ(e.loc.col, 10);
  EXPECT_TRUE(contains(e.message, "division by zero"));
  e = err("t\nR1 a 0 {foo(1)}\n");
  EXPECT_EQ(e.loc.col, 9);
  EXPECT_TRUE(contains(e.message, "unknown function 'foo'"));
  e = err("t\nR1 a 0 {2 * foo}\n");
  EXPECT_EQ(e.loc.col, 13);
  EXPECT_TRUE(contains(e.message, "undefined parameter 'foo'"));
  e = err("t\nR1 a 0 {(1+2}\n");
  EXPECT_EQ(e.loc.col, 9);
  EXPECT_TRUE(contains(e.message, "parenthes"));
  e = err("t\nR1 a 0 {1+}\n");
  EXPECT_EQ(e.loc.line, 2);
  e = err("t\nR1 a 0 {}\n");
  EXPECT_TRUE(contains(e.message, "empty"));
  e = err("t\nR1 a 0 {sqrt(-1)}\n");
  EXPECT_TRUE(contains(e.message, "sqrt"));
  e = err("t\nR1 a 0 {min(1, 2, 3)}\n");
  EXPECT_TRUE(contains(e.message, "2 arguments"));
  e = err("t\nR1 a 0 {1 2}\n");
  EXPECT_EQ(e.loc.col, 11);
}

TEST(NetlistExpr, DeepNestingIsCapped) {
  std::string deep(5000, '(');
  deep = "t\nR1 a 0 {" + deep + "1" + std::string(5000, ')') + "}\n";
  Error e = err(deep);
  EXPECT_TRUE(contains(e.message, "nested too deeply"));
  std::string minus = "t\nR1 a 0 {" + std::string(100000, '-') + "1}\n";
  e = err(minus);
  EXPECT_TRUE(contains(e.message, "nested too deeply"));
}

TEST(NetlistParam, ParamForms) {
  auto r = parse("t\n.param a=1 b={a*2} c='a+1'\n.param d = a + b * 2  e=3\nR1 x 0 {a+b+c+d+e}\n");
  ASSERT_TRUE(r.ok()) << r.error().format();
  EXPECT_DOUBLE_EQ(*r->devices[0].value, 1 + 2 + 2 + 5 + 3);
}

TEST(NetlistParam, ForwardReferencesAndOverrides) {
  auto r = parse("t\n.param b={a*2}\n.param a=3\nR1 x 0 {b}\n");
  ASSERT_TRUE(r.ok()) << r.error().format();
  EXPECT_DOUBLE_EQ(*r->devices[0].value, 6);
  ir::ParseOptions o;
  o.paramOverrides = {{"A", 10.0}};
  r = parse("t\n.param b={a*2}\n.param a=3\nR1 x 0 {b}\n", o);
  ASSERT_TRUE(r.ok()) << r.error().format();
  EXPECT_DOUBLE_EQ(*r->devices[0].value, 20);
}

TEST(NetlistParam, CycleIsDetected) {
  Error e = err("t\n.param a={b+1}\n.param b={c}\n.param c={a}\nR1 x 0 1\n");
  EXPECT_EQ(e.code, ErrorCode::Semantic);
  EXPECT_TRUE(contains(e.message, "cycle"));
  EXPECT_TRUE(contains(e.message, "a -> b -> c -> a"));
  EXPECT_EQ(e.loc.line, 4);
  EXPECT_EQ(e.loc.col, 11);
  e = err("t\n.param a={a}\n");
  EXPECT_TRUE(contains(e.message, "cycle"));
}

TEST(NetlistParam, ErrorsInParams) {
  Error e = err("t\n.param a={1/0}\n");
  EXPECT_EQ(e.loc.col, 12);
  e = err("t\n.param a\n");
  EXPECT_TRUE(contains(e.message, "'='"));
  e = err("t\n.param a=\n");
  EXPECT_TRUE(contains(e.message, "missing value"));
  e = err("t\n.param a=undefinedthing\n");
  EXPECT_TRUE(contains(e.message, "undefined parameter 'undefinedthing'"));
  EXPECT_EQ(e.loc.col, 10);
}

TEST(NetlistParam, LongChainDoesNotOverflow) {
  std::string t = "t\n.param p0=1\n";
  for (int i = 1; i < 5000; ++i) t += ".param p" + std::to_string(i) + "={p" + std::to_string(i - 1) + "+1}\n";
  t += "R1 a 0 {p4999}\n";
  auto r = parse(t);  // defined in order: evaluated without deep recursion
  ASSERT_TRUE(r.ok()) << r.error().format();
  EXPECT_DOUBLE_EQ(*r->devices[0].value, 5000);
  std::string rev = "t\n";
  for (int i = 1; i < 5000; ++i) rev += ".param q" + std::to_string(i) + "={q" + std::to_string(i + 1) + "+1}\n";
  rev += ".param q5000=1\n";
  auto r2 = parse(rev);  // every lookup goes forward: capped, not a crash
  EXPECT_FALSE(r2.ok());
}

TEST(NetlistParam, ValuesInEveryPosition) {
  auto r = parse("t\n.param v=2 w=1u f=1k\nV1 a 0 DC {v} AC {v/2} SIN(0 {v} {f})\nR1 a 0 {v*1k}\n"
                 ".model nm nmos vto={v/4}\nM1 a a 0 0 nm w=w l={w/2}\n.tran {1/f/100} {10/f}\n"
                 ".options reltol={1e-3/2}\n");
  ASSERT_TRUE(r.ok()) << r.error().format();
  EXPECT_DOUBLE_EQ(r->devices[0].source.dc, 2);
  EXPECT_DOUBLE_EQ(r->devices[0].source.acMag, 1);
  EXPECT_DOUBLE_EQ(r->devices[0].source.wave.args[2], 1000);
  EXPECT_DOUBLE_EQ(r->models[0].params[0].value, 0.5);
  EXPECT_DOUBLE_EQ(r->devices[2].params[0].value, 1e-6);
  EXPECT_DOUBLE_EQ(r->devices[2].params[1].value, 0.5e-6);
  EXPECT_DOUBLE_EQ(r->analyses[0].tstop, 0.01);
  EXPECT_DOUBLE_EQ(r->options.reltol, 5e-4);
}
