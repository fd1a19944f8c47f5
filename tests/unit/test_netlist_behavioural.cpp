// Behavioural expressions and sources: the run-time expression form (values
// and gradients), B sources, E/G VALUE= and TABLE, POLY(n) on E F G H, .func,
// random functions, and their located errors.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <string>
#include <vector>

#include "devices/expr_eval.hpp"
#include "netlist_test_util.hpp"
#include "simcore/ir.hpp"
#include "test_kernel_support.cpp"

using namespace simcore;
using testutil::contains;
using testutil::err;
using testutil::ok;
using simcore::testing::runOk;

namespace {

// The behaviour of the device named `name`.
const ir::Behaviour& behaviourOf(const ir::Circuit& c, const std::string& name) {
  static const ir::Behaviour kNone;
  for (const ir::Device& d : c.devices)
    if (d.name == name) {
      EXPECT_TRUE(d.behaviour.has_value()) << name;
      return d.behaviour ? *d.behaviour : kNone;
    }
  ADD_FAILURE() << "no device " << name;
  return kNone;
}

// Value of expression `e` (of B1 in a small circuit with nodes a, b, c) at
// v(a)=va, v(b)=vb, v(c)=vc; grad[k] by variable order a, b, c.
struct Eval {
  double value;
  std::vector<double> grad;
};
const char* kNodes = "V1 a 0 1\nV2 b 0 1\nV3 c 0 1\n";

Eval evalAt(const std::string& expr, double va, double vb, double vc, dev::ExprEnv env = {},
            const std::string& extra = "") {
  ir::Circuit c = ok("t\n" + std::string(kNodes) + extra + "B1 o 0 V={" + expr + "}\n");
  const ir::Behaviour& b = behaviourOf(c, "b1");
  std::vector<double> vars;
  for (const ir::ExprVar& v : b.expr.vars) vars.push_back(v.name == "a" ? va : v.name == "b" ? vb : vc);
  dev::ExprProgram p(b.expr);
  std::vector<double> g(vars.size());
  double value = p.eval(vars.data(), env, g.data());
  std::vector<double> full(3, 0.0);
  for (std::size_t k = 0; k < vars.size(); ++k)
    full[b.expr.vars[k].name == "a" ? 0 : b.expr.vars[k].name == "b" ? 1 : 2] = g[k];
  return Eval{value, full};
}

// The gradient agrees with central differences at (va, vb, vc).
void gradientMatches(const std::string& expr, double va, double vb, double vc) {
  Eval e = evalAt(expr, va, vb, vc);
  const double x[3] = {va, vb, vc};
  for (int k = 0; k < 3; ++k) {
    double h = 1e-6 * std::max(1.0, std::fabs(x[k]));
    double xp[3] = {va, vb, vc}, xm[3] = {va, vb, vc};
    xp[k] += h;
    xm[k] -= h;
    double fd = (evalAt(expr, xp[0], xp[1], xp[2]).value - evalAt(expr, xm[0], xm[1], xm[2]).value) / (2 * h);
    EXPECT_NEAR(e.grad[k], fd, 1e-5 * std::max(1.0, std::fabs(fd))) << expr << " d/dx" << k;
  }
}

}  // namespace

// PSpice's PWR(x, y) is |x|^y: in PSpice's forms (E/G VALUE= and TABLE) as ngspice 39 reads them
// in its PSpice mode (.func pwr(x, a) {pow(x, a)}); B sources and VOL= keep ngspice's sgn(x)|x|^y
TEST(BehaviouralExpr, PwrInPspiceFormsIsTheMagnitudesPower) {
  auto out = runOk("t\nV1 a 0 -2\n.func cube(x) {pwr(x, 3)}\nE1 e1 0 VALUE={PWR(V(a), 3)}\nG1 0 g1 VALUE={pwr(v(a),2)}\n"
                   "R1 g1 0 1\nE2 e2 0 VALUE={cube(v(a))}\nE3 e3 0 VALUE={pwr(-2, 3) + 0*v(a)}\n"
                   "E4 e4 0 TABLE {pwr(v(a), 1)} = (-5, -5) (5, 5)\n"
                   "B1 b1 0 V=pwr(v(a), 3)\nE5 e5 0 VOL='pwr(v(a), 3)'\nE6 e6 0 VALUE={pwrs(v(a), 3)}\n.op\n.end\n");
  const auto& op = out.get(AnalysisType::Op);
  EXPECT_DOUBLE_EQ(op.col("v(e1)")[0], 8);
  EXPECT_DOUBLE_EQ(op.col("v(g1)")[0], 4);
  EXPECT_DOUBLE_EQ(op.col("v(e2)")[0], 8);  // a .func body's pwr too
  EXPECT_DOUBLE_EQ(op.col("v(e3)")[0], 8);  // folded constant
  EXPECT_NEAR(op.col("v(e4)")[0], 2, 1e-12);
  EXPECT_DOUBLE_EQ(op.col("v(b1)")[0], -8);
  EXPECT_DOUBLE_EQ(op.col("v(e5)")[0], -8);
  EXPECT_DOUBLE_EQ(op.col("v(e6)")[0], -8);  // pwrs keeps the sign
}

TEST(BehaviouralExpr, FunctionsFollowNgspice) {
  EXPECT_DOUBLE_EQ(evalAt("v(a)^3", -2, 0, 0).value, 8);       // B sources: |x|^y
  EXPECT_DOUBLE_EQ(evalAt("pow(v(a),2)", -3, 0, 0).value, 9);
  EXPECT_DOUBLE_EQ(evalAt("pwr(v(a),3)", -2, 0, 0).value, -8);  // sgn(x)|x|^y
  EXPECT_DOUBLE_EQ(evalAt("pwrs(v(a),2)", -2, 0, 0).value, -4);
  EXPECT_DOUBLE_EQ(evalAt("nint(v(a))", 2.5, 0, 0).value, 2);    // half to even
  EXPECT_DOUBLE_EQ(evalAt("nint(v(a))", -3.5, 0, 0).value, -4);
  EXPECT_DOUBLE_EQ(evalAt("int(v(a))", -2.7, 0, 0).value, -2);
  EXPECT_DOUBLE_EQ(evalAt("u(v(a))", 0, 0, 0).value, 0.5);
  EXPECT_DOUBLE_EQ(evalAt("uramp(v(a))", -2, 0, 0).value, 0);
  EXPECT_DOUBLE_EQ(evalAt("u2(v(a))", -0.5, 0, 0).value, 0);  // ngspice's clipped ramp
  EXPECT_DOUBLE_EQ(evalAt("u2(v(a))", 0.25, 0, 0).value, 0.25);
  EXPECT_DOUBLE_EQ(evalAt("u2(v(a))", 3, 0, 0).value, 1);
  EXPECT_DOUBLE_EQ(evalAt("eq0(v(a)) + 2*ne0(v(a)) + 4*gt0(v(a)) + 8*lt0(v(a)) + 16*ge0(v(a)) + 32*le0(v(a))", 0, 0, 0).value,
                   1 + 16 + 32);
  EXPECT_DOUBLE_EQ(evalAt("eq0(v(a)) + 2*ne0(v(a)) + 4*gt0(v(a)) + 8*lt0(v(a)) + 16*ge0(v(a)) + 32*le0(v(a))", -1, 0, 0).value,
                   2 + 8 + 32);
  EXPECT_DOUBLE_EQ(evalAt("limit(v(a), 0, 1)", 2.5, 0, 0).value, 1);
  EXPECT_DOUBLE_EQ(evalAt("limit(v(a), 1, 0)", -2, 0, 0).value, 0);
  EXPECT_DOUBLE_EQ(evalAt("v(a) > 1 ? 5 : 6", 2.5, 0, 0).value, 5);
  EXPECT_DOUBLE_EQ(evalAt("if(v(a) > 1, 7, 8)", 0.5, 0, 0).value, 8);
  EXPECT_DOUBLE_EQ(evalAt("!v(a) + (v(a) || 1)*10 + (1 && v(a))*100", 0, 0, 0).value, 11);
  EXPECT_DOUBLE_EQ(evalAt("pwl(v(a), 0,0, 1,10, 3,20)", 2.5, 0, 0).value, 17.5);
  EXPECT_DOUBLE_EQ(evalAt("pwl(v(a), 0,0, 1,10)", 2, 0, 0).value, 20);  // pwl: extrapolates
  EXPECT_DOUBLE_EQ(evalAt("table(v(a), 0,0, 1,10)", 2, 0, 0).value, 10);  // table: held
  EXPECT_DOUBLE_EQ(evalAt("table(v(a), 0,0, 1,10)", -1, 0, 0).value, 0);
  EXPECT_DOUBLE_EQ(evalAt("v(a,b)", 3, 1, 0).value, 2);
  EXPECT_NEAR(evalAt("asinh(1)+acosh(2)*10+atanh(0.5)*100", 0, 0, 0).value,
              std::asinh(1.0) + std::acosh(2.0) * 10 + std::atanh(0.5) * 100, 1e-12);
  // run time: the divisor moves off zero by 1e-32, as ngspice's B sources (PTdivide)
  EXPECT_DOUBLE_EQ(evalAt("1/v(a)", 0, 0, 0).value, 1e32);
  EXPECT_DOUBLE_EQ(evalAt("-1/v(a)", 0, 0, 0).value, -1e32);
  EXPECT_DOUBLE_EQ(evalAt("v(b)/v(a)", 0, 0, 0).value, 0);
  EXPECT_DOUBLE_EQ(evalAt("1/v(a)", 4, 0, 0).value, 0.25);
}

TEST(BehaviouralExpr, TimeTemperHertz) {
  dev::ExprEnv env;
  env.time = 2e-3;
  env.temper = 50;
  env.hertz = 1e3;
  EXPECT_DOUBLE_EQ(evalAt("time*1000 + temper + hertz", 0, 0, 0, env).value, 2 + 50 + 1000);
}

TEST(BehaviouralExpr, GradientMatchesFiniteDifferences) {
  for (const char* e : {"v(a)*v(b)", "v(a)/v(b)", "v(a)^2.5", "pow(v(a), v(b))", "pwr(v(a), 3)", "exp(v(a))*sin(v(b))",
                        "sqrt(v(a)) + ln(v(b)) + log10(v(c))", "tanh(v(a)-v(b))", "atan2(v(a), v(b))",
                        "v(a) > v(b) ? v(a)*v(c) : v(b)", "max(v(a), v(b)) - min(v(b), v(c))",
                        "limit(v(a)*3, 0, 5)", "pwl(v(a), 0,0, 1,10, 3,20)", "table(v(b), 0,1, 2,5)",
                        "asinh(v(a)) + atanh(v(c)/4) + cosh(v(b))", "uramp(v(a)-v(b)) + abs(v(c)-2)",
                        "u2(v(a)-v(b)) * v(c)"})
    gradientMatches(e, 1.3, 0.7, 2.1);
  gradientMatches("pwr(v(a), 3)", -1.3, 0.7, 2.1);
  gradientMatches("v(a)^3", -1.3, 0.7, 2.1);
}

TEST(BehaviouralExpr, ParametersAndConstantsFoldAway) {
  ir::Circuit c = ok("t\n.param k=2 off=0.5\n" + std::string(kNodes) + "B1 o 0 V={k*v(a) + off*(1+1)}\n");
  const ir::Expression& e = behaviourOf(c, "b1").expr;
  for (const ir::ExprNode& n : e.nodes) EXPECT_NE(n.op, ir::ExprOp::Param);
  ASSERT_EQ(e.vars.size(), 1u);
  EXPECT_EQ(e.nodes.size(), 5u);  // const 2, var a, mul, const 1, add
  // a constant condition keeps only the branch it takes
  ir::Circuit c2 = ok("t\n.param on=0\n" + std::string(kNodes) + "B1 o 0 V={on ? v(b)*v(c)/0 : v(a)}\n");
  const ir::Expression& e2 = behaviourOf(c2, "b1").expr;
  ASSERT_EQ(e2.vars.size(), 1u);
  EXPECT_EQ(e2.vars[0].name, "a");
  EXPECT_EQ(e2.nodes.size(), 1u);
}

TEST(BehaviouralSource, CardForms) {
  ir::Circuit c = ok("t\n" + std::string(kNodes) +
                     "B1 o1 0 V={v(a)*2}\nB2 o2 0 I=v(a)*v(b)\nB3 o3 0 v = 'v(c)+1'\nB4 o4 0 V=pwl(v(a), 0, 0,\n+ 1, 2)\n"
                     "Ro1 o1 0 1\nRo2 o2 0 1\nRo3 o3 0 1\nRo4 o4 0 1\n");
  EXPECT_EQ(behaviourOf(c, "b1").output, ir::Behaviour::Output::Voltage);
  EXPECT_EQ(behaviourOf(c, "b2").output, ir::Behaviour::Output::Current);
  EXPECT_EQ(behaviourOf(c, "b2").expr.vars.size(), 2u);
  EXPECT_EQ(behaviourOf(c, "b3").expr.vars.size(), 1u);
  EXPECT_EQ(behaviourOf(c, "b4").expr.nodes.back().op, ir::ExprOp::Pwl);
}

TEST(BehaviouralSource, OperatingPointOfAMultiplierAndCurrentSource) {
  auto out = runOk(
      "t\nV1 a 0 3\nV2 b 0 -2\nB1 m 0 V={v(a)*v(b)}\nRm m 0 1k\nB2 0 s I={v(a)^2/1k}\nRs s 0 1k\n"
      "B3 q 0 V={i(V1)*1k}\nR1 a 0 3k\n.save all i(b1)\n.op\n");
  const auto& op = out.get(AnalysisType::Op);
  EXPECT_NEAR(op.col("v(m)")[0], -6, 1e-9);
  EXPECT_NEAR(op.col("v(s)")[0], 9, 1e-9);        // 9 mA into s through 1k
  EXPECT_NEAR(op.col("v(q)")[0], -1, 1e-9);       // i(V1) = -1 mA (R1 draws 1 mA out of V1's + node)
  EXPECT_NEAR(op.col("i(b1)")[0], 6e-3, 1e-12);  // into B1's + node through it, as a V source's
}

TEST(BehaviouralSource, NonlinearFeedbackConverges) {
  // v(o) = 1 - v(o)^2 / 4 with a resistor load: Newton on the expression's gradient
  auto out = runOk("t\nB1 o 0 V={2 - v(o)*v(o)/4}\nR1 o 0 1k\n.op\n");
  const double v = out.get(AnalysisType::Op).col("v(o)")[0];
  EXPECT_NEAR(v, -2 + std::sqrt(4 + 8), 1e-6);  // Newton's tolerance
}

TEST(BehaviouralSource, TransientFollowsTimeAndPwlBreakpoints) {
  auto out = runOk("t\nB1 o 0 V={pwl(time, 0,0, 1m,1, 2m,1, 3m,0)}\nR1 o 0 1k\nB2 s 0 V={sin(2*pi*1k*time)}\nR2 s 0 1k\n"
                   ".tran 10u 3m\n");
  const auto& tr = out.get(AnalysisType::Tran);
  bool hit1 = false, hit2 = false;
  for (std::size_t k = 0; k < tr.x.size(); ++k) {
    const double t = tr.x[k];
    if (std::fabs(t - 1e-3) < 1e-12) hit1 = true;
    if (std::fabs(t - 2e-3) < 1e-12) hit2 = true;
    double want = t < 1e-3 ? t / 1e-3 : t < 2e-3 ? 1.0 : 1.0 - (t - 2e-3) / 1e-3;
    EXPECT_NEAR(tr.col("v(o)")[k], want, 1e-9) << "t=" << t;
    EXPECT_NEAR(tr.col("v(s)")[k], std::sin(2 * M_PI * 1e3 * t), 1e-9) << "t=" << t;
  }
  EXPECT_TRUE(hit1 && hit2) << "pwl(time, ...) corners are breakpoints";
}

TEST(BehaviouralSource, AcLinearisesAtTheOperatingPointWithHertz) {
  // v(o) = v(in)^2 around v(in) = 3: small-signal gain 6; v(h) = hertz/1k * v(in): gain f/1k
  auto out = runOk("t\nVin in 0 dc 3 ac 1\nB1 o 0 V={v(in)*v(in)}\nR1 o 0 1k\nB2 h 0 V={hertz/1k*v(in)}\nR2 h 0 1k\n"
                   ".ac lin 3 1k 3k\n");
  const auto& ac = out.get(AnalysisType::Ac);
  for (std::size_t k = 0; k < ac.x.size(); ++k) {
    EXPECT_NEAR(std::abs(ac.phasor("v(o)", k)), 6.0, 1e-9);
    EXPECT_NEAR(std::abs(ac.phasor("v(h)", k)), ac.x[k] / 1e3, 1e-9);
  }
}

TEST(BehaviouralControlled, ValueTableAndCurrentForms) {
  auto out = runOk(
      "t\nV1 a 0 0.5\nE1 o1 0 VALUE={2*v(a)+1}\nR1 o1 0 1k\nG1 0 o2 value={v(a)*1m}\nR2 o2 0 1k\n"
      "E2 o3 0 TABLE {v(a)*4} = (0,0) (1,1) (3,2)\nR3 o3 0 1k\nE3 o4 0 TABLE {v(a)*10} = (0,0) (1,1)\nR4 o4 0 1k\n"
      "G2 0 o5 cur='v(a)*2m'\nR5 o5 0 1k\nE4 o6 0 vol={v(a)}\nR6 o6 0 1\n.save all i(e4)\n.op\n");
  const auto& op = out.get(AnalysisType::Op);
  EXPECT_NEAR(op.col("v(o1)")[0], 2.0, 1e-9);
  EXPECT_NEAR(op.col("v(o2)")[0], 0.5, 1e-9);
  EXPECT_NEAR(op.col("v(o3)")[0], 1.5, 1e-9);  // x = 2: between (1,1) and (3,2)
  EXPECT_NEAR(op.col("v(o4)")[0], 1.0, 1e-9);  // x = 5: beyond the table, held at its last value
  EXPECT_NEAR(op.col("v(o5)")[0], 1.0, 1e-9);
  EXPECT_NEAR(op.col("i(e4)")[0], -0.5, 1e-9);  // E keeps its branch current: 0.5 A out of its + node
}

TEST(BehaviouralControlled, TableFormsOfVendorLibrariesAndRoundedCorners) {
  // ngspice 39 reads TABLE {expr} without '=', pairs without parentheses,
  // TABLE = {expr}, and a single pair (a constant); the table is XSPICE's pwl
  // with input_domain=0.1 fraction=true limit=true: corners rounded by a
  // parabola over a tenth of the shorter segment beside them, the ends too
  auto out = runOk(
      "t\nV1 a 0 0.95\n"
      "E1 o1 0 TABLE {v(a)} (0,0) (1,1) (3,2)\nR1 o1 0 1k\n"
      "E2 o2 0 TABLE {v(a)}\n+ 0 0\n+ 1 1\n+ 3 2\nR2 o2 0 1k\n"
      "E3 o3 0 TABLE = {v(a)} = (0,0) (1,1) (3,2)\nR3 o3 0 1k\n"
      "G1 0 o4 TABLE {v(a)} = (0, 0) (1, 1m) (3, 2m)\nR4 o4 0 1k\n"
      "E4 o5 0 TABLE {v(a)} = (-1, 7)\nR5 o5 0 1k\n"
      "E5 o6 0 TABLE {v(a)-0.98} = (0,0) (1,1) (3,2)\nR6 o6 0 1k\n"
      "E6 o7 0 TABLE {v(a)+0.5} = (0,0) (1,1) (3,2)\nR7 o7 0 1k\n.op\n");
  const auto& op = out.get(AnalysisType::Op);
  // the corner at x = 1 between slopes 1 and 1/2, rounded over 1 ± 0.1:
  // y = a x^2 + b x + c with a = (1/2 - 1) / (4 * 0.1), through (1.1, 1.05) with slope 1/2
  auto corner = [](double x) {
    const double a = (0.5 - 1.0) / 4.0 / 0.1, b = 0.5 - 2 * a * 1.1, c = 1.05 - a * 1.1 * 1.1 - b * 1.1;
    return a * x * x + b * x + c;
  };
  EXPECT_NEAR(op.col("v(o1)")[0], corner(0.95), 1e-12);
  EXPECT_LT(op.col("v(o1)")[0], 0.95);  // below the sharp corner's 0.95
  EXPECT_NEAR(op.col("v(o2)")[0], corner(0.95), 1e-12);
  EXPECT_NEAR(op.col("v(o3)")[0], corner(0.95), 1e-12);
  EXPECT_NEAR(op.col("v(o4)")[0], corner(0.95), 1e-12);
  EXPECT_NEAR(op.col("v(o5)")[0], 7.0, 1e-12);
  // the first corner (x = 0, slope 0 before it): rounded over 0 ± 0.1 too
  const double x0 = -0.03, a0 = 1.0 / 4.0 / 0.1, b0 = 1.0 - 2 * a0 * 0.1, c0 = 0.1 - a0 * 0.01 - b0 * 0.1;
  EXPECT_NEAR(op.col("v(o6)")[0], a0 * x0 * x0 + b0 * x0 + c0, 1e-12);
  EXPECT_NEAR(op.col("v(o7)")[0], 1.225, 1e-12);  // x = 1.45: on the straight segment
}

TEST(BehaviouralControlled, PolyTermsInSpice2Order) {
  // POLY(2): p0 + p1 x1 + p2 x2 + p3 x1^2 + p4 x1 x2 + p5 x2^2 + p6 x1^3 + p7 x1^2 x2
  const double x1 = 0.5, x2 = -1.5;
  const double p[] = {1, 2, 3, 4, 5, 6, 7, 8};
  const double want = p[0] + p[1] * x1 + p[2] * x2 + p[3] * x1 * x1 + p[4] * x1 * x2 + p[5] * x2 * x2 +
                      p[6] * x1 * x1 * x1 + p[7] * x1 * x1 * x2;
  auto out = runOk("t\nV1 a 0 0.5\nV2 b 0 -1.5\nE1 o 0 POLY(2) a 0 (b,0) 1 2 3 4 5 6 7 8\nR1 o 0 1k\n"
                   "G1 0 g POLY(2) a 0 0 b 1 2 3 4 5 6 7 8\nRg g 0 1\n"
                   "H1 h 0 POLY(2) V1 V2 0 1k 2k\nRh h 0 1k\nRa a 0 1k\nRb b 0 1k\n"
                   "F1 0 f POLY(1) V1 3\nRf f 0 1k\n.op\n");
  const auto& op = out.get(AnalysisType::Op);
  EXPECT_NEAR(op.col("v(o)")[0], want, 1e-9);
  const double x2g = 1.5;  // v(0) - v(b)
  EXPECT_NEAR(op.col("v(g)")[0], p[0] + p[1] * x1 + p[2] * x2g + p[3] * x1 * x1 + p[4] * x1 * x2g + p[5] * x2g * x2g +
                                     p[6] * x1 * x1 * x1 + p[7] * x1 * x1 * x2g,
              1e-9);
  // i(V1) = -0.5 mA, i(V2) = +1.5 mA: 1k * (-0.5m) + 2k * 1.5m = 2.5
  EXPECT_NEAR(op.col("v(h)")[0], 2.5, 1e-9);
  // POLY(1) with one coefficient is the linear term: 3 * i(V1) into f
  EXPECT_NEAR(op.col("v(f)")[0], 3 * -0.5e-3 * 1e3, 1e-9);
}

TEST(BehaviouralControlled, SeveralValuesAfterTheControlAreAPoly1) {
  // E1 o 0 a 0 -1.8 1: -1.8 + v(a); F1 with 0.5 1 2: 0.5 + i + 2 i^2 (ngspice 39)
  auto out = runOk(
      "t\nV1 a 0 2\nRa a 0 1k\nE1 o 0 a 0 -1.8 1\nRo o 0 1k\nG1 0 g a 0 0.5 1 2\nRg g 0 1\n"
      "VS s 0 0\nR2 a s 1k\nH1 h 0 VS 0.5 1k 1e6\nRh h 0 1k\n.op\n");
  const auto& op = out.get(AnalysisType::Op);
  EXPECT_NEAR(op.col("v(o)")[0], -1.8 + 2.0, 1e-9);
  EXPECT_NEAR(op.col("v(g)")[0], 0.5 + 2.0 + 2.0 * 4.0, 1e-9);
  const double i = 2e-3;  // through VS, from a to s
  EXPECT_NEAR(op.col("v(h)")[0], 0.5 + 1e3 * i + 1e6 * i * i, 1e-9);
  // one warning for the file
  auto c = ok("t\nV1 a 0 2\nE1 o 0 a 0 -1.8 1\nE2 p 0 a 0 1 2\nRo o 0 1k\nRp p 0 1k\n.op\n");
  int warned = 0;
  for (const auto& w : c.warnings) warned += contains(w.message, "read as POLY(1) with these coefficients");
  EXPECT_EQ(warned, 1);
  // a gain followed by something that is not a value stays an error
  Error e = err("t\nV1 a 0 2\nE1 o 0 a 0 2 foo\nRo o 0 1k\n.op\n");
  EXPECT_TRUE(contains(e.message, "unexpected 'foo' after the gain")) << e.message;
}

TEST(BehaviouralControlled, OpAmpMacromodelInClosedLoop) {
  // A two-stage POLY macromodel (input stage G POLY(1), gain node, output E POLY(1))
  // as a non-inverting amplifier with gain 1 + 9k/1k = 10.
  const std::string deck =
      "t\n.subckt opamp inp inn out\nG1 0 n1 POLY(1) inp inn 0 1m\nR1 n1 0 100meg\nC1 n1 0 15.9n\n"
      "E1 out 0 POLY(1) n1 0 0 1\n.ends\nVin in 0 dc 0.1 ac 1\nX1 in fb out opamp\nRf out fb 9k\nRg fb 0 1k\n"
      ".op\n.ac dec 5 1 1meg\n.tran 1u 100u\n";
  auto out = runOk(deck);
  EXPECT_NEAR(out.get(AnalysisType::Op).col("v(out)")[0], 1.0, 1e-4);
  const auto& ac = out.get(AnalysisType::Ac);
  EXPECT_NEAR(std::abs(ac.phasor("v(out)", 0)), 10.0, 0.02);
  EXPECT_LT(std::abs(ac.phasor("v(out)", ac.x.size() - 1)), 5.0);  // open-loop roll-off above ~10 kHz
}

TEST(BehaviouralSource, ResistorOfVoltageAndTime) {
  // R = 1k + 500 v(a,b)^2 in series with 1k from 2 V: v(b) solves (2 - vb) / R = vb / 1k
  auto out = runOk("t\nV1 a 0 2\nR1 a b R={1k + 500*v(a,b)*v(a,b)}\nR2 b 0 1k\nR3 a c {2k*(1+time*100)}\nR4 c 0 1k\n"
                   ".op\n.tran 0.1m 1m\n");
  const double vb = out.get(AnalysisType::Op).col("v(b)")[0];
  EXPECT_NEAR((2 - vb) / (1e3 + 500 * (2 - vb) * (2 - vb)), vb / 1e3, 1e-9);
  EXPECT_NEAR(vb, 0.7044022603, 1e-6);  // ngspice 39
  const auto& tr = out.get(AnalysisType::Tran);
  for (std::size_t k = 0; k < tr.x.size(); ++k)
    EXPECT_NEAR(tr.col("v(c)")[k], 2 * 1e3 / (1e3 + 2e3 * (1 + tr.x[k] * 100)), 1e-9);
  ir::Circuit c = ok("t\nV1 a 0 2\nR1 a 0 {1k}\nR2 a 0 r={2k}\n");
  EXPECT_FALSE(c.devices[1].behaviour.has_value());  // a constant value stays a resistor
  EXPECT_DOUBLE_EQ(*c.devices[2].value, 2000);
}

// GF180's poly resistors and MOS capacitors: the value that reads v() beside a model,
// l=, w= or dtemp= is a B source of that expression alone (its tc1, tc2, m kept), the
// rest warned; ngspice 39 takes the first braced value of the card, and numparam has
// braced l=lp (a parameter) by then: its resistance is lp, not r= (docs/netlist.md)
TEST(BehaviouralSource, ValueExpressionBesideModelAndGeometry) {
  auto out = runOk("t\n.param lp=7 w0=2u\n.model rm r\nV1 a 0 2\nR1 a b rm l=lp w=w0 r='1k*(1+0.1*abs(v(a,b)))' tc1=0\n"
                   "R2 b 0 1k\n.op\n");
  const double vb = out.get(AnalysisType::Op).col("v(b)")[0];
  EXPECT_NEAR((2 - vb) / (1e3 * (1 + 0.1 * (2 - vb))), vb / 1e3, 1e-9);
  ir::Circuit c = ok("t\n.model rm r\nV1 a 0 2\nR1 a 0 rm l=2u w=1u r='1k+v(a)' m=2\nC1 a 0 c='1p*(1+v(a))' dtemp=3\n");
  ASSERT_TRUE(c.devices[1].behaviour.has_value());
  std::erase_if(c.warnings, [](const ir::Diagnostic& w) { return !contains(w.message, "B source"); });
  ASSERT_EQ(c.warnings.size(), 2u);
  EXPECT_TRUE(contains(c.warnings[0].message, "resistor 'r1': its value r= reads v(), i() or time, so it is a B source of "
                                              "that expression and 'rm', l=, w= are not used"))
      << c.warnings[0].message;
  EXPECT_TRUE(contains(c.warnings[1].message, "and dtemp= is not used")) << c.warnings[1].message;
  // m= is kept: two copies of 1k + 2 in parallel
  auto two = runOk("t\n.model rm r\nV1 a 0 2\nR1 a 0 rm l=2u w=1u r='1k+v(a)' m=2\n.op\n");
  EXPECT_NEAR(two.get(AnalysisType::Op).col("i(v1)")[0], -2.0 * 2 / 1002.0, 1e-12);
}

// HSPICE's expression outputs in .save/.print/.probe: NAME=par('expr') is a B source on
// node NAME, par('expr') one on pa_NN (numbered with the .meas cards'), as ngspice 39
TEST(BehaviouralSource, ExpressionOutputsOfSavePrintProbe) {
  ir::Circuit c = ok("t\nV1 a 0 2\nR1 a 0 1k\n.save v(a) out=par('v(a)*i(v1)') par('v(a)+1')\n"
                     ".print dc Rs=par('v(a)/2')\n.op\n");
  auto has = [&](const std::string& n) {
    for (const ir::Device& d : c.devices)
      if (d.name == n) return d.behaviour.has_value();
    return false;
  };
  EXPECT_TRUE(has("bout") && has("bpa_00") && has("brs"));
  auto saved = [&](const std::string& s) {
    for (const ir::SaveRequest& r : c.saves)
      if (r.signal == s) return true;
    return false;
  };
  EXPECT_TRUE(saved("v(out)") && saved("v(pa_00)") && saved("v(a)"));
  auto out = runOk("t\nV1 a 0 2\nR1 a 0 1k\n.save v(a) out=par('v(a)*i(v1)')\n.op\n");
  EXPECT_NEAR(out.get(AnalysisType::Op).col("v(out)")[0], -4e-3, 1e-15);
  EXPECT_TRUE(contains(err("t\nV1 a 0 2\n.save x=par()\n.op\n").message, "par() needs an expression"));
}

// C and L values that read v(), i() or time: ngspice's rewrite (E, C and a
// current for C; F, L and a voltage for L), the same auxiliary names
TEST(BehaviouralSource, CapacitorAndInductorOfVoltageCurrentAndTime) {
  ir::Circuit c = ok("t\n.subckt vc a\nC1 a 0 C={1n*(1+0*v(a))}\n.ends\nX1 n vc\nV1 n 0 1\nL1 n m L={1m+0*i(V1)}\nR1 m 0 1\n");
  auto find = [&](const std::string& n) -> const ir::Device* {
    for (const ir::Device& d : c.devices)
      if (d.name == n) return &d;
    return nullptr;
  };
  ASSERT_TRUE(find("x1.c1") && find("x1.ec1") && find("x1.cc1"));
  EXPECT_TRUE(find("x1.c1")->behaviour.has_value());
  EXPECT_EQ(find("x1.ec1")->nodes, (std::vector<std::string>{"x1.c1_int1", "0", "0", "n"}));
  ASSERT_TRUE(find("l1") && find("fl1") && find("ll1"));
  EXPECT_EQ(find("fl1")->refs, std::vector<std::string>{"l1"});
  EXPECT_EQ(find("l1")->behaviour->output, ir::Behaviour::Output::Voltage);
  // a constant-valued expression of v() behaves as the fixed part: RC and RL step responses
  auto out = runOk("t\nV1 in 0 PULSE(0 1 0 1n 1n 1 2)\nR1 in a 1k\nC1 a 0 C={1n + 0*v(a)}\n"
                   "R2 in b 1k\nL1 b 0 L={1m*(1 + 0*i(V1))}\n.tran 10n 5u\n.options reltol=1e-6\n");
  const auto& tr = out.get(AnalysisType::Tran);
  for (std::size_t k = 0; k < tr.x.size(); ++k) {
    const double t = tr.x[k];
    if (t < 20e-9) continue;
    EXPECT_NEAR(tr.col("v(a)")[k], 1 - std::exp(-(t - 1e-9) / 1e-6), 2e-3) << t;
    EXPECT_NEAR(tr.col("v(b)")[k], std::exp(-(t - 1e-9) / 1e-6), 2e-3) << t;
  }
  // a capacitance that doubles at 2 us: the current is C(t) dv/dt, as ngspice (no charge kept)
  auto sw = runOk("t\nV1 in 0 PWL(0 0 1u 1 2u 1 3u 2)\nVT t 0 PWL(0 0 1.9u 0 2u 1)\nC1 in 0 C={1n*(1+v(t))}\n.tran 10n 3u\n");
  const auto& s2 = sw.get(AnalysisType::Tran);
  for (std::size_t k = 0; k < s2.x.size(); ++k) {
    const double t = s2.x[k];
    if (t > 0.1e-6 && t < 0.9e-6) EXPECT_NEAR(-s2.col("i(v1)")[k], 1e-9 * 1e6, 1e-6) << t;
    if (t > 2.1e-6 && t < 2.9e-6) EXPECT_NEAR(-s2.col("i(v1)")[k], 2e-9 * 1e6, 1e-6) << t;
  }
  // the value unquoted (a KiCad transformer block's `c = (v(n1,n2) < {5}) ? {C} : {...}`): the
  // rest of the card is the expression, warned (ngspice 39 reads only the first group "(...)")
  const std::string unquoted = "t\n.param cc=1n\nV1 in 0 PWL(0 0 1u 1 2u 1 3u 2)\nVT t 0 PWL(0 0 1.9u 0 2u 1)\n"
                               "C1 in 0 c = (v(t) < {0.5}) ? {cc} : {2*cc}\n.tran 10n 3u\n";
  ir::Circuit uc = ok(unquoted);
  int warned = 0;
  for (const auto& w : uc.warnings) warned += contains(w.message, "unquoted expression after 'c='");
  EXPECT_EQ(warned, 1);
  auto un = runOk(unquoted);
  const auto& s3 = un.get(AnalysisType::Tran);
  for (std::size_t k = 0; k < s3.x.size(); ++k) {
    const double t = s3.x[k];
    if (t > 0.1e-6 && t < 0.9e-6) EXPECT_NEAR(-s3.col("i(v1)")[k], 1e-9 * 1e6, 1e-6) << t;
    if (t > 2.1e-6 && t < 2.9e-6) EXPECT_NEAR(-s3.col("i(v1)")[k], 2e-9 * 1e6, 1e-6) << t;
  }
}

// M, TC1, TC2 after such a value, as ngspice 39's rewrite passes them on: the
// capacitance times M over the TC factor (M the gain of its E source), the
// inductance over M times the TC factor. RC and RL step responses with the
// resulting time constants.
TEST(BehaviouralSource, CapacitorAndInductorWithMultiplierAndTemperatureCoefficients) {
  const std::string net = "t\nV1 in 0 PULSE(0 1 0 1n 1n 1 2)\nR1 in a 1k\nC1 a 0 C={1n + 0*v(a)} m=2 tc1=0.01\n"
                          "R2 in b 1k\nL1 b 0 L={1m*(1 + 0*i(V1))} tc2=1e-4 m=4\n.temp 127\n.tran 10n 5u\n"
                          ".options reltol=1e-6\n";
  ir::Circuit c = ok(net);
  for (const ir::Device& d : c.devices)
    if (d.name == "ec1") EXPECT_EQ(d.value, 2.0);  // ngspice 39's gain: v(c1_int1) = M v(0,a)
  auto out = runOk(net);
  const double dT = 100;  // 127 degC - 27
  const double tauC = 1e3 * 1e-9 * 2 / (1 + 0.01 * dT), tauL = 1e-3 / 4 * (1 + 1e-4 * dT * dT) / 1e3;
  const auto& tr = out.get(AnalysisType::Tran);
  for (std::size_t k = 0; k < tr.x.size(); ++k) {
    const double t = tr.x[k];
    if (t < 20e-9) continue;
    EXPECT_NEAR(tr.col("v(a)")[k], 1 - std::exp(-(t - 1e-9) / tauC), 2e-3) << t;
    EXPECT_NEAR(tr.col("v(b)")[k], std::exp(-(t - 1e-9) / tauL), 2e-3) << t;
  }
  EXPECT_TRUE(contains(err("e\nV1 a 0 1\nC1 a 0 C={1n*(1+v(a))} m=0\n.tran 1n 10n\n").message, "m of capacitor"));
}

TEST(BehaviouralFunc, NestedFuncsInValuesAndSources) {
  ir::Circuit c = ok("t\n.func sq(x) = {x*x}\n.func hyp(a, b) {sqrt(sq(a) + sq(b))}\n.param r={hyp(3, 4)*1k}\n"
                     "R1 a 0 {r}\nV1 a 0 1\nB1 o 0 V={hyp(v(a), 1) + sq(2)}\nR2 o 0 1\n");
  EXPECT_DOUBLE_EQ(*c.devices[0].value, 5000);
  const ir::Expression& e = behaviourOf(c, "b1").expr;
  dev::ExprProgram p(e);
  double va = 3, g = 0;
  EXPECT_NEAR(p.eval(&va, {}, &g), std::sqrt(10.0) + 4, 1e-12);
  EXPECT_NEAR(g, 3 / std::sqrt(10.0), 1e-12);
}

// A .func of a built-in's name replaces the built-in in every expression, as
// ngspice 39 (which expands .func calls in the text first): the compatibility
// header pasted above PSpice models (.func LIMIT(x,a,b) {min(max(x,a),b)},
// PWR, PWRS, stp), Qucs-S's `.func stp(x) {u(x)}`, a body calling another
// replaced built-in, and a call of an arity only the .func takes.
TEST(BehaviouralFunc, ReplacesBuiltInsOfItsName) {
  ir::Circuit c = ok(
      "t\n.func LIMIT(x,a,b) {min(max(x, a), b)}\n.func PWR(x,a) {abs(x) ** a}\n.func PWRS(x,a) {sgn(x) * PWR(x,a)}\n"
      ".func stp(x) {u(x)}\n.func max(a,b) {a+b}\n.func sin(x) {2*x}\n"
      ".param p1={limit(5,1,3)} p2={pwrs(-2,2)} p3={max(3,4)} p4={sin(1)}\n"
      "R1 a 0 {p1}\nR2 a 0 {p2}\nR3 a 0 {p3}\nR4 a 0 {p4}\nV1 a 0 1\n"
      "B1 o 0 V={limit(v(a)*2, 0, 5) + stp(v(a)) + max(v(a), 2)}\nR5 o 0 1\n");
  EXPECT_DOUBLE_EQ(*c.devices[0].value, 3);   // min(max(5, 1), 3); the built-in clamps the same
  EXPECT_DOUBLE_EQ(*c.devices[1].value, -4);  // sgn(-2) |-2|^2, where ngspice's built-in pwrs gives -4 too
  EXPECT_DOUBLE_EQ(*c.devices[2].value, 7);   // the .func: 3 + 4, not the built-in's 4
  EXPECT_DOUBLE_EQ(*c.devices[3].value, 2);
  dev::ExprProgram p(behaviourOf(c, "b1").expr);
  double va = 3, g = 0;
  EXPECT_DOUBLE_EQ(p.eval(&va, {}, &g), 5 + 1 + 5);  // limit(6,0,5) + u(3) + (3 + 2)
  // a .func of a built-in's name and another arity takes the calls of its arity
  c = ok("t\n.func limit(x,a) {x+a}\n.param q={limit(1,2)}\nR1 a 0 {q}\nV1 a 0 1\n");
  EXPECT_DOUBLE_EQ(*c.devices[0].value, 3);  // not numparam's random limit(nom, avar)
  // ... and a call of the built-in's own arity keeps the built-in (numparam's random limit too)
  c = ok("t\n.func limit(a) {a*10}\n.param q={limit(5,1,3) + limit(3)}\nR1 a 0 {q}\nV1 a 0 1\n");
  EXPECT_DOUBLE_EQ(*c.devices[0].value, 33);
  // the random functions too (a deck's way to a nominal run)
  c = ok("t\n.func agauss(nom, avar, sig) {nom}\nR1 a 0 {agauss(1k, 0.1, 3)}\nV1 a 0 1\n");
  EXPECT_DOUBLE_EQ(*c.devices[0].value, 1000);
  // a body calling the built-in it replaces calls itself
  Error e = err("t\n.func max(a,b) {max(a,b)+1}\nR1 a 0 {max(1,2)}\n");
  EXPECT_TRUE(contains(e.message, "calls itself")) << e.message;
}

// E and G cards with a Laplace transfer function (LTspice's Laplace=, PSpice's LAPLACE {in} = {H}):
// the s_xfer block of the rational function, coefficients in descending powers of s/wd
TEST(BehaviouralLaplace, RationalFunctionsBecomeSXferBlocks) {
  ir::Circuit c = ok("t\n.param RL=13k L2=47u C6=470p\nV1 in 0 1\n"
                     "E1 al 0 in 0 laplace=(RL+s*L2)/(1+s**2*L2*C6+s*RL*C6)\nR1 al 0 1k\n"
                     "G1 0 o2 in 0 Laplace={1m/(1+s*1m)} window=1\nR2 o2 0 1k\n"
                     "E2 o3 0 LAPLACE {V(in)*2} = {1/(1+.001*s)}\nR3 o3 0 1k\n");
  const ir::Device& e1 = testutil::device(c, "e1");
  ASSERT_EQ(e1.letter, 'a');
  const ir::Model& m = c.models.at(std::size_t(e1.model));
  EXPECT_EQ(m.type, "s_xfer");
  auto vec = [&](const char* name) {
    for (const ir::Param& q : m.params)
      if (q.name == name) return q.values.empty() ? std::vector<double>{q.value} : q.values;
    ADD_FAILURE() << name;
    return std::vector<double>{};
  };
  const std::vector<double> num = vec("num_coeff"), den = vec("den_coeff");
  const double wd = vec("denormalized_freq")[0];
  EXPECT_NEAR(wd, 1 / std::sqrt(47e-6 * 470e-12), 1e-6 * wd);  // the poles' geometric mean
  // H(s) from the block's coefficients against the formula, at a few frequencies
  for (double f : {1e3, 1e6, 3e6, 1e8}) {
    const std::complex<double> sn(0, 2 * std::numbers::pi * f / wd);
    auto poly = [&](const std::vector<double>& p) {
      std::complex<double> r = 0;
      for (double k : p) r = r * sn + k;
      return r;
    };
    const std::complex<double> s(0, 2 * std::numbers::pi * f);
    const std::complex<double> want = (13e3 + s * 47e-6) / (1.0 + s * s * 47e-6 * 470e-12 + s * 13e3 * 470e-12);
    EXPECT_LT(std::abs(poly(num) / poly(den) - want), 1e-9 * std::abs(want)) << f;
  }
  EXPECT_EQ(testutil::device(c, "g1").letter, 'a');
  EXPECT_EQ(testutil::device(c, "e2").letter, 'a');
  EXPECT_EQ(testutil::countWarnings(c, "'window=' of a Laplace source ignored"), 1);
  Error e = err("t\nV1 in 0 1\nE1 o 0 in 0 laplace=exp(-s*1m)/(1+s)\nR1 o 0 1\n");
  EXPECT_TRUE(contains(e.message, "is no rational function of s")) << e.message;
  EXPECT_EQ(e.loc.line, 3);
  e = err("t\nV1 in 0 1\nE1 o 0 in 0 laplace=s*1m\nR1 o 0 1\n");
  EXPECT_TRUE(contains(e.message, "the numerator's degree exceeds the denominator's")) << e.message;
  e = err("t\nV1 in 0 1\nE1 o 0 in 0 laplace=1/(1+s**0.5)\nR1 o 0 1\n");
  EXPECT_TRUE(contains(e.message, "only whole powers")) << e.message;
}

TEST(BehaviouralFunc, LocalToItsSubcircuit) {
  ir::Circuit c = ok("t\n.subckt s a\n.func k(x) {x*3}\nR1 a 0 {k(1k)}\n.ends\nX1 n s\nV1 n 0 1\n");
  EXPECT_DOUBLE_EQ(*c.devices[0].value, 3000);
  Error e = err("t\n.subckt s a\n.func k(x) {x*3}\n.ends\nR1 a 0 {k(1k)}\n");
  EXPECT_TRUE(contains(e.message, "unknown function 'k'")) << e.message;
}

TEST(BehaviouralRandom, DeterministicWithTheSeed) {
  auto values = [](const std::string& seed) {
    ir::Circuit c = ok("t\n" + seed + "R1 a 0 {agauss(1k, 100, 1)}\nR2 a 0 {gauss(1k, 0.1, 3)}\nR3 a 0 {unif(1k, 0.1)}\n"
                       "R4 a 0 {aunif(1k, 50)}\nR5 a 0 {limit(1k, 10)}\nV1 a 0 1\n");
    std::vector<double> v;
    for (int k = 0; k < 5; ++k) v.push_back(*c.devices[k].value);
    return v;
  };
  auto a = values(".options seed=7\n"), b = values(".options seed=7\n"), d = values(".options seed=8\n");
  EXPECT_EQ(a, b);
  EXPECT_NE(a, d);
  EXPECT_EQ(values(""), values(""));  // a fixed seed without the option
  EXPECT_NEAR(a[2], 1000, 100.0 + 1e-9);
  EXPECT_NEAR(a[3], 1000, 50.0 + 1e-9);
  EXPECT_TRUE(a[4] == 1010 || a[4] == 990) << a[4];
}

// Vendor Monte-Carlo models write the random functions unbraced: tox=AGAUSS(9n, 0.9n, 3)
TEST(BehaviouralRandom, UnbracedCallsAsModelValues) {
  ir::Circuit c = ok("t\n.options seed=5\n.param nom=20n\n.model nm nmos level=1 tox=AGAUSS(nom, 2n, 1) vto=AGAUSS(0.7, 0, 3)\n"
                     "+ kp=max(100u, 120u) lambda=0.01\nM1 d g 0 0 nm\nV1 d 0 1\nV2 g 0 1\n");
  ASSERT_EQ(c.models.size(), 1u);
  auto param = [&](const std::string& n) -> double {
    for (const ir::Param& p : c.models[0].params)
      if (p.name == n) return p.value;
    return NAN;
  };
  EXPECT_NEAR(param("tox"), 20e-9, 10 * 2e-9);  // one sigma is 2n
  EXPECT_NE(param("tox"), 20e-9);  // drawn
  EXPECT_DOUBLE_EQ(param("vto"), 0.7);
  EXPECT_DOUBLE_EQ(param("kp"), 120e-6);
  EXPECT_DOUBLE_EQ(param("lambda"), 0.01);
  Error e = err("t\n.model nm nmos tox=AGAUSS(20n, 2n, 1\nM1 d g 0 0 nm\n");
  EXPECT_FALSE(e.message.empty());
}

TEST(BehaviouralRandom, AgaussHasTheRequestedSpread) {
  std::string deck = "t\n.options seed=3\nV1 a 0 1\n";
  for (int k = 0; k < 2000; ++k) deck += "R" + std::to_string(k) + " a 0 {agauss(100, 6, 3)}\n";
  ir::Circuit c = ok(deck);
  double s = 0, s2 = 0;
  int n = 0;
  for (const ir::Device& d : c.devices)
    if (d.letter == 'r') {
      s += *d.value;
      s2 += *d.value * *d.value;
      ++n;
    }
  const double mean = s / n, sd = std::sqrt(s2 / n - mean * mean);
  EXPECT_NEAR(mean, 100, 0.3);  // sigma 2: standard error 0.045
  EXPECT_NEAR(sd, 2, 0.15);
}

TEST(BehaviouralErrors, AreLocated) {
  Error e = err("t\nV1 a 0 1\nB1 o 0 V={v(a)*}\n");
  EXPECT_EQ(e.loc.line, 3);
  EXPECT_EQ(e.loc.col, 16);
  e = err("t\nV1 a 0 1\nB1 o 0 V={foo(v(a))}\n");
  EXPECT_TRUE(contains(e.message, "unknown function 'foo'")) << e.message;
  EXPECT_EQ(e.loc.col, 11);
  e = err("t\nV1 a 0 1\nB1 o 0 V={v(a)+v(nowhere)}\n");
  EXPECT_TRUE(contains(e.message, "unknown node 'nowhere'")) << e.message;
  EXPECT_EQ(e.loc.col, 18);
  e = err("t\nV1 a 0 1\nR1 a 0 1k\nB1 o 0 V={i(vx)}\n");
  EXPECT_TRUE(contains(e.message, "unknown device 'vx' in i()")) << e.message;
  EXPECT_EQ(e.loc.line, 4);
  // (i(r1) reads a zero-volt source in series with r1, as ngspice 39; a coupling has no terminals)
  e = err("t\nL1 a 0 1m\nL2 b 0 1m\nK1 L1 L2 0.5\nV1 a 0 1\nB1 o 0 V={i(k1)}\n");
  EXPECT_TRUE(contains(e.message, "no branch current")) << e.message;
  e = err("t\nV1 a 0 1\nB1 o 0 V={v(a)/(1-1)}\n");
  EXPECT_TRUE(contains(e.message, "division by zero")) << e.message;
  EXPECT_EQ(e.loc.col, 15);
  e = err("t\nV1 a 0 1\nB1 o 0 X={v(a)}\n");
  EXPECT_TRUE(contains(e.message, "V=expression or I=expression")) << e.message;
  e = err("t\nV1 a 0 1\nB1 o 0 V={pwl(v(a), 0,0, 2,1, 1,3)}\n");
  EXPECT_TRUE(contains(e.message, "must not decrease")) << e.message;
  // a runtime C value with instance parameters other than M, TC1, TC2 is not ngspice's behavioural form
  e = err("t\nV1 a 0 1\nC1 a 0 {v(a)*1n} ic=2\n");
  EXPECT_TRUE(contains(e.message, "quantity of the running analysis")) << e.message;
  e = err("t\nV1 a 0 1\nC1 a 0 {1n*(1+time)} m=2 ic=1\n");
  EXPECT_TRUE(contains(e.message, "'time' is a quantity of the running analysis")) << e.message;
  EXPECT_EQ(e.loc.col, 15);
  // in a behavioural value `time` is the analysis time, even with a .param time (as for R)
  EXPECT_TRUE(ok("t\n.param time=2\nC1 a 0 {time*1n}\nV1 a 0 1\n").devices[0].behaviour.has_value());
  EXPECT_DOUBLE_EQ(*ok("t\n.param tm=2\nC1 a 0 {tm*1n}\nV1 a 0 1\n").devices[0].value, 2e-9);
  e = err("t\nV1 a 0 1\nE1 o 0 POLY(2) a 0\n");
  EXPECT_TRUE(contains(e.message, "needs 4 controlling nodes")) << e.message;
  e = err("t\nV1 a 0 1\nE1 o 0 TABLE {v(a)} = (0,0) (1)\n");
  EXPECT_TRUE(contains(e.message, "pairs")) << e.message;
  e = err("t\n.func f(x) {f(x)}\nR1 a 0 {f(1)}\n");
  EXPECT_TRUE(contains(e.message, "calls itself")) << e.message;
  e = err("t\n.func v(x) {x}\n");
  EXPECT_TRUE(contains(e.message, "would redefine v(), the circuit's voltages")) << e.message;
  e = err("t\nR1 a 0 {limit(1, 2, 3, 4)}\n");  // no .func takes the call
  EXPECT_TRUE(contains(e.message, "function 'limit' takes 3 arguments, got 4")) << e.message;
  EXPECT_EQ(e.loc.col, 9);  // the name
  e = err("t\n.func f(x) {x}\nR1 a 0 {f(1, 2)}\n");
  EXPECT_TRUE(contains(e.message, "takes 1 argument, got 2")) << e.message;
}

namespace {

// ngspice 39's B-source instance parameters: the value times 1 + TC1 dT + TC2 dT^2
// (dT from 300.15 K: TEMP on the card, else the circuit's, plus DTEMP), inverted with
// RECIPROCTC=1, times M (divided with RECIPROCM=1); a behavioural resistor's TC1, TC2, M
// scale its current as a resistance R (1 + TC1 dT + ...) in parallel M times.
TEST(BehaviouralSource, TemperatureCoefficientsAndMultiplier) {
  auto out = runOk(
      "tc\n"
      "v1 1 0 2\n"
      "b1 2 0 v=v(1) tc1=0.01 tc2=1e-4 m=3\n"
      "b2 3 0 v=v(1) tc1=0.01 reciproctc=1 m=4 reciprocm=1\n"
      "b3 4 0 v=v(1) temp=77 dtemp=30 tc1=0.01\n"
      "b4 5 0 v=v(1) dtemp=30 tc1=0.01\n"
      "r5 1 6 r={1k + 0*v(1)} tc1=0.01 m=2\n"
      "v6 6 0 0\n"
      ".temp 127\n.op\n");
  const auto& op = out.get(AnalysisType::Op);
  const double dT = 127 + 273.15 - 300.15;  // 100 K
  EXPECT_NEAR(op.col("v(2)")[0], 2 * (1 + 0.01 * dT + 1e-4 * dT * dT) * 3, 1e-9);
  EXPECT_NEAR(op.col("v(3)")[0], 2 / (1 + 0.01 * dT) / 4, 1e-12);
  EXPECT_NEAR(op.col("v(4)")[0], 2 * (1 + 0.01 * (77 + 273.15 - 300.15)), 1e-9);  // TEMP: DTEMP ignored
  EXPECT_NEAR(op.col("v(5)")[0], 2 * (1 + 0.01 * (dT + 30)), 1e-9);
  EXPECT_NEAR(op.col("i(v6)")[0], 2 * 2 / (1e3 * (1 + 0.01 * dT)), 1e-12);
  // a parameter name that is not one of them stays part of the expression: an error there
  EXPECT_FALSE(testutil::parse("e\nv1 1 0 1\nb1 2 0 v=v(1) tcx=1\nr1 2 0 1\n.op\n").ok());
  EXPECT_TRUE(contains(err("e\nv1 1 0 1\nb1 2 0 v=v(1) m=0\nr1 2 0 1\n.op\n").message, "m of"));
}

}  // namespace

// LTspice's rand(x) and random(x): rand a number in [0, 1) fixed by floor(x), the same in every run;
// random rand's values at the integers joined by a cosine, with its slope as the derivative
TEST(NetlistBehavioural, LtspiceRandAndRandomAreFixedByTheIntegerAndSmooth) {
  const auto* rand = simcore::dev::findExprFunction("rand");
  const auto* random = simcore::dev::findExprFunction("random");
  ASSERT_TRUE(rand && random);
  const auto at = [](const simcore::dev::ExprFunction* f, double x, double* slope = nullptr) {
    double p[1] = {0};
    const double v = simcore::dev::applyExprOp(f->op, &x, 1, p);
    if (slope) *slope = p[0];
    return v;
  };
  double sum = 0;
  int same = 0;
  for (int k = -500; k < 500; ++k) {
    const double r = at(rand, k);
    EXPECT_GE(r, 0.0);
    EXPECT_LT(r, 1.0);
    EXPECT_EQ(at(rand, k + 0.7), r);  // constant over [k, k + 1)
    EXPECT_EQ(at(random, k), r);      // random passes through rand's values
    if (at(rand, k + 1) == r) ++same;
    sum += r;
  }
  EXPECT_EQ(same, 0);
  EXPECT_NEAR(sum / 1000, 0.5, 3 * 0.289 / std::sqrt(1000.0));
  for (double x : {-3.3, 0.25, 7.5, 41.9}) {
    double slope = 0;
    const double h = 1e-6, v = at(random, x, &slope);
    EXPECT_NEAR(slope, (at(random, x + h) - at(random, x - h)) / (2 * h), 1e-5) << x;
    const double lo = std::min(at(rand, std::floor(x)), at(rand, std::floor(x) + 1));
    const double hi = std::max(at(rand, std::floor(x)), at(rand, std::floor(x) + 1));
    EXPECT_GE(v, lo);
    EXPECT_LE(v, hi);
  }
}
