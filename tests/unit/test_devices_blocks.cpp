// Control blocks (A cards): the card and model readers (ports, vectors,
// keywords), each block against closed forms in .op/.dc/.ac/.tran, in the
// event engine and in SPICE mode, and a closed-loop buck converter.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "devices/descriptor.hpp"
#include "simcore/describe.hpp"
#include "test_kernel_support.cpp"

namespace simcore::testing {
namespace {

const char* const kModes[] = {"event", "spice"};

std::string withMode(const std::string& netlist, const char* mode) {
  return netlist + ".options switching=" + mode + "\n.end\n";
}

ir::Circuit parseOk(const std::string& text) {
  auto c = ir::parseNetlist(text);
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().format());
  return c.ok() ? std::move(c).value() : ir::Circuit{};
}

Error parseErr(const std::string& text) {
  auto c = ir::parseNetlist(text);
  EXPECT_FALSE(c.ok()) << "expected a parse error:\n" << text;
  return c.ok() ? Error{} : c.error();
}

// Linear interpolation of column y over x at xq.
double at(const std::vector<double>& x, const std::vector<double>& y, double xq) {
  auto it = std::lower_bound(x.begin(), x.end(), xq);
  if (it == x.begin()) return y.front();
  if (it == x.end()) return y.back();
  const std::size_t k = std::size_t(it - x.begin());
  if (x[k] == x[k - 1]) return y[k];
  const double f = (xq - x[k - 1]) / (x[k] - x[k - 1]);
  return y[k - 1] + f * (y[k] - y[k - 1]);
}

// Times where column y crosses `level` (upwards when up, else downwards):
// the last row before and the first row after each crossing.
struct Edge {
  double before, after;
};
std::vector<Edge> edges(const Collected& c, const std::string& name, double level, bool up) {
  std::vector<Edge> out;
  const auto& t = c.x;
  const auto& y = c.col(name);
  for (std::size_t k = 1; k < y.size(); ++k)
    if (up ? (y[k - 1] < level && y[k] >= level) : (y[k - 1] > level && y[k] <= level))
      out.push_back({t[k - 1], t[k]});
  return out;
}

// ---------------------------------------------------------------- card reader

TEST(BlockCard, PortFormsBecomeNodePairs) {
  const ir::Circuit c = parseOk(R"(ports
a1 %v(in) %v(out) g
a2 in out2 g
a3 %vd(in x) out3 g
a4 %vd in x out4 g
a5 [in x %vd(p q)] out5 s
a6 %vd [in x p q] out6 s
a7 %vd ( in x ) %v ( out7 ) g
.model g gain(gain=2)
.model s summer
.end
)");
  ASSERT_EQ(c.devices.size(), 7u);
  auto nodes = [&](int i) { return c.devices[std::size_t(i)].nodes; };
  using V = std::vector<std::string>;
  EXPECT_EQ(nodes(0), (V{"in", "0", "out", "0"}));
  EXPECT_EQ(c.devices[0].ports, (std::vector<int>{1, 1}));
  EXPECT_EQ(nodes(1), (V{"in", "0", "out2", "0"}));
  EXPECT_EQ(nodes(2), (V{"in", "x", "out3", "0"}));
  EXPECT_EQ(nodes(3), (V{"in", "x", "out4", "0"}));
  EXPECT_EQ(nodes(4), (V{"in", "0", "x", "0", "p", "q", "out5", "0"}));
  EXPECT_EQ(c.devices[4].ports, (std::vector<int>{3, 1}));
  EXPECT_EQ(nodes(5), (V{"in", "x", "p", "q", "out6", "0"}));
  EXPECT_EQ(c.devices[5].ports, (std::vector<int>{2, 1}));
  EXPECT_EQ(nodes(6), (V{"in", "x", "out7", "0"}));
}

TEST(BlockCard, PortsInsideSubcircuitsAreMapped) {
  const ir::Circuit c = parseOk(R"(sub
.subckt amp a b
a1 %v(a) %v(b) g
.model g gain(gain=3)
.ends
x1 in out amp
v1 in 0 1
r1 out 0 1k
.op
.end
)");
  ASSERT_EQ(c.devices.size(), 3u);
  EXPECT_EQ(c.devices[0].nodes, (std::vector<std::string>{"in", "0", "out", "0"}));
}

TEST(BlockCard, VectorModelParameters) {
  const ir::Circuit c = parseOk(R"(vectors
.param k=3
a1 [a b] out s
.model s summer(in_gain=[1 -1] in_offset=[ 0.5 {k} ] out_gain=2)
.model t s_xfer(num_coeff=[1] den_coeff=[1, 2, 1])
.end
)");
  ASSERT_EQ(c.models.size(), 2u);
  const auto& p = c.models[0].params;
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].values, (std::vector<double>{1, -1}));
  EXPECT_EQ(p[1].values, (std::vector<double>{0.5, 3}));
  EXPECT_TRUE(p[2].values.empty());
  EXPECT_EQ(p[2].value, 2);
  EXPECT_EQ(c.models[1].params[0].values, (std::vector<double>{1}));
  EXPECT_EQ(c.models[1].params[1].values, (std::vector<double>{1, 2, 1}));
}

TEST(BlockCard, MalformedVectorsAreErrorsAtTheirColumn) {
  Error e = parseErr("t\n.model s summer(in_gain=[1 -1 out_gain=2)\n.end\n");
  EXPECT_EQ(e.code, ErrorCode::Parse);
  EXPECT_EQ(e.loc.line, 2);
  EXPECT_NE(e.message.find("unexpected"), std::string::npos) << e.message;
  e = parseErr("t\n.model s summer in_gain=[1 -1\n.end\n");
  EXPECT_EQ(e.code, ErrorCode::Parse);
  EXPECT_EQ(e.loc.line, 2);
  EXPECT_EQ(e.loc.col, 25);
  EXPECT_NE(e.message.find("closing ']'"), std::string::npos) << e.message;
  e = parseErr("t\n.model s summer(in_gain=[])\n.end\n");
  EXPECT_NE(e.message.find("empty vector"), std::string::npos) << e.message;
  e = parseErr("t\n.model s summer(in_gain=[1 [2]])\n.end\n");
  EXPECT_NE(e.message.find("nested"), std::string::npos) << e.message;
  e = parseErr("t\n.model s summer(in_gain=[1 x2])\n.end\n");
  EXPECT_NE(e.message.find("x2"), std::string::npos) << e.message;
}

TEST(BlockCard, VectorForAScalarParameterIsAnError) {
  const Error e = runErr("t\nv1 a 0 1\na1 a b g\nr1 b 0 1\n.model g gain(gain=[1 2])\n.op\n.end\n");
  EXPECT_EQ(e.code, ErrorCode::Semantic);
  EXPECT_EQ(e.loc.line, 5);
  EXPECT_NE(e.message.find("takes one value"), std::string::npos) << e.message;
}

TEST(BlockCard, KeywordValues) {
  const ir::Circuit c = parseOk("t\n.model p pwm(freq=1k carrier=SawTooth)\n.model q pwm(freq=1k carrier=triangle)\n.end\n");
  EXPECT_EQ(c.models[0].params[1].value, 1.0);
  EXPECT_EQ(c.models[1].params[1].value, 0.0);
  const Error e = parseErr("t\n.model p pwm(freq=1k carrier=square)\n.end\n");
  EXPECT_EQ(e.loc.line, 2);
  EXPECT_NE(e.message.find("triangle|sawtooth"), std::string::npos) << e.message;
}

TEST(BlockCard, BadPortsAreErrors) {
  Error e = parseErr("t\na1 %q(a) b g\n.model g gain\n.end\n");
  EXPECT_NE(e.message.find("not supported"), std::string::npos) << e.message;
  e = parseErr("t\na1 [a b out g\n.model g gain\n.end\n");
  EXPECT_NE(e.message.find("closing ']'"), std::string::npos) << e.message;
  e = parseErr("t\na1 a b\n.model g gain\n.end\n");
  EXPECT_NE(e.message.find("unknown model 'b'"), std::string::npos) << e.message;
  e = parseErr("t\na1 a b r\n.model r r\n.end\n");
  EXPECT_NE(e.message.find("needs gain or summer"), std::string::npos) << e.message;
  e = runErr("t\nv1 a 0 1\na1 a b c g\nr1 b 0 1\nr2 c 0 1\n.model g gain\n.op\n.end\n");
  EXPECT_NE(e.message.find("takes the ports in out"), std::string::npos) << e.message;
  e = runErr("t\nv1 a 0 1\na1 [a a] b g\nr1 b 0 1\n.model g gain\n.op\n.end\n");
  EXPECT_NE(e.message.find("not a vector of 2"), std::string::npos) << e.message;
}

TEST(BlockCard, EveryPrefixParsesOrFailsWithAMessage) {
  // the card and model readers on every truncation of a card (unclosed
  // brackets and parentheses, dangling modifiers, half a vector)
  const std::string cards[] = {
      "a1 %vd [a b %v(c) %vd ( d e )] %vd(o p) g\n",
      "a2 [ %v [a] b ] o s\n",
      "a3 [%i a %vnam(v1) %id ( b c )] %id(o p) s\n",
      "a4 %vnam [v1 v2] %i o g\n",
      ".model s summer(in_gain=[1 -1 {2}] in_offset=[ 0.5 , 1 ] out_gain=2)\n",
      ".model p pwm(freq=1k carrier=sawtooth fraction=true)\n",
  };
  for (const std::string& card : cards)
    for (std::size_t n = 0; n <= card.size(); ++n) {
      const std::string text = "t\n" + card.substr(0, n) + "\n.end\n";
      auto r = ir::parseNetlist(text);
      if (!r.ok()) EXPECT_FALSE(r.error().message.empty()) << text;
    }
}

TEST(BlockCard, DescribeCountsEachKindOfTheLetter) {
  auto d = describe(R"(t
v1 a 0 1
a1 a b g
a2 a c p
r1 b 0 1
r2 c 0 1
.model g gain
.model p pwm(freq=1k)
.op
.end
)");
  ASSERT_TRUE(d.ok());
  std::vector<std::string> kinds;
  for (const auto& k : d.value().devices) kinds.push_back(k.kind);
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "gain block"), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "PWM generator"), kinds.end());
}

TEST(BlockCard, DefaultsAreXspices) {
  // the parameters ngspice's XSPICE models share with ours, with its defaults
  struct D {
    const char* type;
    const char* name;
    double def;
  };
  const D all[] = {
      {"gain", "in_offset", 0},     {"gain", "gain", 1},           {"gain", "out_offset", 0},
      {"summer", "in_offset", 0},   {"summer", "in_gain", 1},      {"summer", "out_gain", 1},
      {"summer", "out_offset", 0},  {"int", "in_offset", 0},       {"int", "gain", 1},
      {"int", "limit_range", 1e-6}, {"int", "out_ic", 0},          {"limit", "in_offset", 0},
      {"limit", "gain", 1},         {"limit", "limit_range", 1e-6}, {"limit", "fraction", 0},
      {"hyst", "in_low", 0},        {"hyst", "in_high", 1},        {"hyst", "hyst", 0.1},
      {"hyst", "out_lower_limit", 0}, {"hyst", "out_upper_limit", 1}, {"hyst", "input_domain", 0.01},
      {"hyst", "fraction", 1},      {"s_xfer", "in_offset", 0},    {"s_xfer", "gain", 1},
      {"s_xfer", "denormalized_freq", 1},
  };
  for (const D& d : all) {
    const dev::DeviceKind* k = dev::findKind('a', d.type);
    ASSERT_NE(k, nullptr) << d.type;
    const dev::ParamSpec* p = k->find(dev::ParamScope::Model, d.name);
    ASSERT_NE(p, nullptr) << d.type << " " << d.name;
    EXPECT_EQ(p->def, d.def) << d.type << " " << d.name;
  }
  EXPECT_TRUE(dev::findKind('a', "summer")->find(dev::ParamScope::Model, "in_gain")->vector);
  EXPECT_TRUE(dev::findKind('a', "s_xfer")->find(dev::ParamScope::Model, "den_coeff")->vector);
  EXPECT_FALSE(dev::findKind('a', "gain")->find(dev::ParamScope::Model, "gain")->vector);
  EXPECT_EQ(dev::findKind('a', "zoh"), dev::findKind('a', "sample_hold"));
}

// ---------------------------------------------------------------- linear blocks

TEST(Blocks, GainAndSummerOperatingPointExact) {
  const auto r = runOk(R"(linear
v1 a 0 1.5
v2 b 0 -0.25
a1 a g gg
a2 [a b %vd(a b)] s ss
a3 %vd(a b) d gg
.model gg gain(in_offset=0.5 gain=-3 out_offset=0.25)
.model ss summer(in_gain=[2 4 1] in_offset=[0 1 0] out_gain=0.5 out_offset=-1)
.op
.end
)");
  const auto& op = r.get(AnalysisType::Op);
  EXPECT_DOUBLE_EQ(op.col("v(g)")[0], 0.25 - 3 * (1.5 + 0.5));
  EXPECT_DOUBLE_EQ(op.col("v(s)")[0], -1 + 0.5 * (2 * 1.5 + 4 * (-0.25 + 1) + (1.5 + 0.25)));
  EXPECT_DOUBLE_EQ(op.col("v(d)")[0], 0.25 - 3 * (1.75 + 0.5));
}

TEST(Blocks, DifferentialOutput) {
  // out between p and n: v(p) − v(n) = 2·v(a), n held at 1 V by a divider
  const auto r = runOk(R"(vd out
v1 a 0 0.75
vs s 0 2
a1 a %vd(p n) g
r1 s n 1k
r2 n 0 1k
.model g gain(gain=2)
.op
.end
)");
  const auto& op = r.get(AnalysisType::Op);
  EXPECT_NEAR(op.col("v(p)")[0] - op.col("v(n)")[0], 1.5, 1e-12);
  EXPECT_NEAR(op.col("v(n)")[0], 1.0, 1e-12);  // the output draws no current through the divider
}

TEST(Blocks, PiSmallSignal) {
  // PI(jω) = kp + ki/(jω) away from its limits
  const auto r = runOk(R"(pi ac
v1 a 0 dc 0 ac 1
a1 a o c
.model c pi(kp=2 ki=1000 out_lower_limit=-1 out_upper_limit=1)
.ac lin 1 1k 1k
.end
)");
  const auto& ac = r.get(AnalysisType::Ac);
  EXPECT_NEAR(ac.col("v(o)")[0], 2.0, 1e-9);
  EXPECT_NEAR(ac.im.at("v(o)")[0], -1000 / (2 * M_PI * 1e3), 1e-9);
}

TEST(Blocks, SummerScalarGainAppliesToEveryInput) {
  const auto r = runOk("t\nv1 a 0 1\nv2 b 0 2\na1 [a b] o s\n.model s summer(in_gain=[3] in_offset=0.5)\n.op\n.end\n");
  EXPECT_DOUBLE_EQ(r.get(AnalysisType::Op).col("v(o)")[0], 3 * 1.5 + 3 * 2.5);
  const Error e = runErr("t\nv1 a 0 1\nv2 b 0 2\na1 [a b] o s\n.model s summer(in_gain=[1 2 3])\n.op\n.end\n");
  EXPECT_NE(e.message.find("one value per input (2)"), std::string::npos) << e.message;
}

TEST(Blocks, GainSmallSignal) {
  const auto r = runOk(R"(ac
v1 a 0 dc 0 ac 1
a1 a o g
.model g gain(gain=-4 out_offset=1)
.ac dec 2 1 100
.end
)");
  const auto& ac = r.get(AnalysisType::Ac);
  for (std::size_t k = 0; k < ac.rows; ++k) {
    EXPECT_NEAR(ac.col("v(o)")[k], -4.0, 1e-12);
    EXPECT_NEAR(ac.im.at("v(o)")[k], 0.0, 1e-12);
  }
}

TEST(Blocks, GainFollowsATransientInput) {
  for (const char* mode : kModes) {
    const auto r = runOk(withMode(R"(tran
v1 a 0 sin(0 1 1k)
a1 a o g
.model g gain(gain=2 out_offset=0.5)
.tran 10u 2m
)", mode));
    const auto& tr = r.get(AnalysisType::Tran);
    const auto& a = tr.col("v(a)");
    const auto& o = tr.col("v(o)");
    for (std::size_t k = 0; k < tr.rows; ++k) EXPECT_NEAR(o[k], 0.5 + 2 * a[k], 1e-9) << mode;
  }
}

// ---------------------------------------------------------------- piecewise-linear static blocks

TEST(Blocks, LimitTransferCurve) {
  const auto r = runOk(R"(limit
v1 a 0 0
a1 a o l
.model l limit(in_offset=0.1 gain=2 out_lower_limit=-1 out_upper_limit=1.5 limit_range=0.1 fraction=false)
.dc v1 -2 2 0.05
.end
)");
  const auto& dc = r.get(AnalysisType::Dc);
  for (std::size_t k = 0; k < dc.rows; ++k) {
    const double u = dc.x[k];
    EXPECT_NEAR(dc.col("v(o)")[k], std::clamp(2 * (u + 0.1), -1.0, 1.5), 1e-12) << u;
  }
}

TEST(Blocks, HysteresisTransferCurvesBothWays) {
  // rising ramp over [in_low + hyst, in_high + hyst], falling over [in_low − hyst, in_high − hyst]
  const std::string common = R"(hyst
v1 a 0 0
a1 a o h
.model h hyst(in_low=0 in_high=1 hyst=0.25 out_lower_limit=-2 out_upper_limit=2)
)";
  auto ramp = [](double u, double lo, double hi) { return -2 + 4 * std::clamp((u - lo) / (hi - lo), 0.0, 1.0); };
  {
    const auto r = runOk(common + ".dc v1 -1 2 0.05\n.end\n");
    const auto& dc = r.get(AnalysisType::Dc);
    for (std::size_t k = 0; k < dc.rows; ++k)
      EXPECT_NEAR(dc.col("v(o)")[k], ramp(dc.x[k], 0.25, 1.25), 1e-9) << "up " << dc.x[k];
  }
  {
    const auto r = runOk(common + ".dc v1 2 -1 -0.05\n.end\n");
    const auto& dc = r.get(AnalysisType::Dc);
    for (std::size_t k = 0; k < dc.rows; ++k)
      EXPECT_NEAR(dc.col("v(o)")[k], ramp(dc.x[k], -0.25, 0.75), 1e-9) << "down " << dc.x[k];
  }
}

TEST(Blocks, SchmittTriggerInATransient) {
  // in_low = in_high: a Schmitt trigger switching at ±0.3 on a 1 kHz sine of amplitude 1
  for (const char* mode : kModes) {
    const auto r = runOk(withMode(R"(schmitt
v1 a 0 sin(0 1 1k)
a1 a o h
.model h hyst(in_low=0 in_high=0 hyst=0.3 out_lower_limit=0 out_upper_limit=5)
.tran 1u 2m
)", mode));
    const auto& tr = r.get(AnalysisType::Tran);
    const double rise = std::asin(0.3) / (2 * M_PI * 1e3);
    const auto up = edges(tr, "v(o)", 2.5, true), down = edges(tr, "v(o)", 2.5, false);
    ASSERT_EQ(up.size(), 2u) << mode;
    ASSERT_EQ(down.size(), 2u) << mode;
    const double tDown = 0.5e-3 + std::asin(0.3) / (2 * M_PI * 1e3);  // sin = −0.3 falling
    EXPECT_NEAR(up[0].before, rise, 1e-8) << mode;
    EXPECT_NEAR(down[0].before, tDown, 1e-8) << mode;
    EXPECT_NEAR(up[1].before, 1e-3 + rise, 1e-8) << mode;
  }
}

TEST(Blocks, ComparatorTransferCurveAndEdges) {
  const auto r = runOk(R"(cmp
v1 a 0 0
v2 b 0 0.5
a1 a b o c
a2 %vd(a b) o2 c
.model c comparator(out_low=-1 out_high=3)
.dc v1 0 1 0.1
.end
)");
  const auto& dc = r.get(AnalysisType::Dc);
  for (std::size_t k = 0; k < dc.rows; ++k) {
    if (std::fabs(dc.x[k] - 0.5) < 1e-9) continue;
    EXPECT_EQ(dc.col("v(o)")[k], dc.x[k] > 0.5 ? 3.0 : -1.0) << dc.x[k];
    EXPECT_EQ(dc.col("v(o2)")[k], dc.x[k] > 0.5 ? 3.0 : -1.0) << dc.x[k];
  }
  for (const char* mode : kModes) {
    const auto t = runOk(withMode(R"(cmp tran
v1 a 0 pwl(0 0 1m 1 2m 0)
v2 b 0 0.25
a1 a b o c
.model c comparator(out_low=0 out_high=1 hyst=0.1)
.tran 1u 2m
)", mode));
    const auto& tr = t.get(AnalysisType::Tran);
    const auto up = edges(tr, "v(o)", 0.5, true), down = edges(tr, "v(o)", 0.5, false);
    ASSERT_EQ(up.size(), 1u);
    ASSERT_EQ(down.size(), 1u);
    EXPECT_NEAR(up[0].before, 0.3e-3, 4e-12) << mode;    // a − b = +0.05
    EXPECT_NEAR(down[0].before, 1.8e-3, 4e-12) << mode;  // a − b = −0.05
    if (std::string(mode) == "event") EXPECT_EQ(t.stats.switchingMode, "event");
  }
}

// ---------------------------------------------------------------- dynamic blocks

TEST(Blocks, IntegratorRampFromItsInitialCondition) {
  for (const char* mode : kModes) {
    const auto r = runOk(withMode(R"(int
v1 a 0 1
a1 a o i
.model i int(gain=2 in_offset=0.5 out_ic=0.25)
.tran 10u 1m
)", mode));
    const auto& tr = r.get(AnalysisType::Tran);
    for (std::size_t k = 0; k < tr.rows; ++k)
      EXPECT_NEAR(tr.col("v(o)")[k], 0.25 + 2 * 1.5 * tr.x[k], 1e-9) << mode << " t=" << tr.x[k];
  }
}

TEST(Blocks, IntegratorLimitWithAntiWindup) {
  // input +1 until 1 ms, then −1: the output ramps to the upper limit 0.5 at
  // 0.5 ms, holds (no windup) and leaves the limit as soon as the input turns
  for (const char* mode : kModes) {
    const auto r = runOk(withMode(R"(int limit
v1 a 0 pwl(0 1 1m 1 1.000001m -1)
a1 a o i
.model i int(gain=1000 out_lower_limit=-0.2 out_upper_limit=0.5)
.tran 1u 2m
)", mode));
    const auto& tr = r.get(AnalysisType::Tran);
    const auto& t = tr.x;
    const auto& o = tr.col("v(o)");
    for (std::size_t k = 0; k < tr.rows; ++k) EXPECT_LE(o[k], 0.5 + 1e-9) << mode;
    EXPECT_NEAR(at(t, o, 0.25e-3), 0.25, 1e-6) << mode;
    EXPECT_NEAR(at(t, o, 0.8e-3), 0.5, 1e-9) << mode;
    // after the turn: 0.5 − 1000·(t − 1 ms) (within the pwl's 1 ns edge), clamped at −0.2
    EXPECT_NEAR(at(t, o, 1.3e-3), 0.5 - 0.3, 1e-5) << mode;
    EXPECT_NEAR(at(t, o, 1.9e-3), -0.2, 1e-9) << mode;
  }
}

TEST(Blocks, PiStepResponse) {
  // u = 1 at t = 0: y = kp·u + out_ic + ki·u·t until the upper limit 3
  for (const char* mode : kModes) {
    const auto r = runOk(withMode(R"(pi
v1 a 0 1
a1 a o c
.model c pi(kp=0.5 ki=2000 out_ic=0.25 out_upper_limit=3)
.tran 10u 2m
)", mode));
    const auto& tr = r.get(AnalysisType::Tran);
    for (std::size_t k = 0; k < tr.rows; ++k)
      EXPECT_NEAR(tr.col("v(o)")[k], std::min(3.0, 0.75 + 2000 * tr.x[k]), 1e-8) << mode << " t=" << tr.x[k];
  }
}

TEST(Blocks, PiInAClosedLoopHasNoSteadyError) {
  // plant: first-order low-pass (s_xfer), loop error through a summer
  for (const char* mode : kModes) {
    const auto r = runOk(withMode(R"(pi loop
vset set 0 2
a1 [set y] e diff
a2 e u ctl
a3 u y plant
.model diff summer(in_gain=[1 -1])
.model ctl pi(kp=1 ki=1000 out_lower_limit=-10 out_upper_limit=10)
.model plant s_xfer(num_coeff=[1] den_coeff=[1 1] denormalized_freq=2000)
.tran 10u 20m
)", mode));
    const auto& tr = r.get(AnalysisType::Tran);
    EXPECT_NEAR(tr.col("v(y)").back(), 2.0, 1e-4) << mode;
  }
}

TEST(Blocks, LowPassExponentialAndFrequencyResponse) {
  // against the closed form at every row, and against an RC with the same
  // time constant integrated by the same method (identical up to rounding)
  const double wc = 2 * M_PI * 1e3, tau = 1 / wc;
  for (const char* mode : kModes) {
    const auto r = runOk(withMode(R"(lowpass
v1 a 0 pwl(0 0 1n 1)
a1 a o lp
r1 a b 1k
c1 b 0 159.15494309189535n
.model lp s_xfer(gain=3 num_coeff=[1] den_coeff=[1 1] denormalized_freq=6283.185307179586)
.tran 1u 2m
)", mode));
    const auto& tr = r.get(AnalysisType::Tran);
    for (std::size_t k = 0; k < tr.rows; ++k) {
      const double t = tr.x[k];
      EXPECT_NEAR(tr.col("v(o)")[k], 3 * tr.col("v(b)")[k], 1e-8) << mode << " t=" << t;
      EXPECT_NEAR(tr.col("v(o)")[k], 3 * (1 - std::exp(-t / tau)), 3 * 2e-3) << mode << " t=" << t;
    }
  }
  const auto r = runOk(R"(lowpass ac
v1 a 0 dc 1 ac 1
a1 a o lp
.model lp s_xfer(gain=3 num_coeff=[1] den_coeff=[1 1] denormalized_freq=6283.185307179586)
.op
.ac lin 1 1k 1k
.end
)");
  EXPECT_NEAR(r.get(AnalysisType::Op).col("v(o)")[0], 3.0, 1e-12);
  const auto& ac = r.get(AnalysisType::Ac);
  EXPECT_NEAR(ac.col("v(o)")[0], 1.5, 1e-9);              // 3/(1 + j)
  EXPECT_NEAR(ac.im.at("v(o)")[0], -1.5, 1e-9);
}

TEST(Blocks, SecondOrderTransferFunction) {
  // H(s) = (s + 2)/(s² + 3s + 2) = 1/(s + 1): DC gain 1, step response 1 − e^−t
  const auto r = runOk(R"(second order
v1 a 0 pwl(0 0 1n 1)
a1 a o h
.model h s_xfer(num_coeff=[1 2] den_coeff=[1 3 2])
.tran 1m 5
.end
)");
  const auto& tr = r.get(AnalysisType::Tran);
  for (double t : {0.5, 1.0, 3.0}) EXPECT_NEAR(at(tr.x, tr.col("v(o)"), t), 1 - std::exp(-t), 2e-3) << t;
  const auto dc = runOk("dc\nv1 a 0 2\na1 a o h\n.model h s_xfer(num_coeff=[1 2] den_coeff=[1 3 2])\n.op\n.end\n");
  EXPECT_NEAR(dc.get(AnalysisType::Op).col("v(o)")[0], 2.0, 1e-12);
}

TEST(Blocks, SampleHoldStaircase) {
  for (const char* mode : kModes) {
    const auto r = runOk(withMode(R"(zoh
v1 a 0 pwl(0 0 1m 1)
a1 a o z
.model z zoh(period=0.1m phase=0.05m)
.tran 1u 1m
)", mode));
    const auto& tr = r.get(AnalysisType::Tran);
    for (std::size_t k = 0; k < tr.rows; ++k) {
      const double t = tr.x[k];
      // the last sample instant at or before t (t = 0 holds the initial input)
      const double n = std::floor((t - 0.05e-3) / 0.1e-3 + 1e-6);
      const double held = n < 0 ? 0.0 : (0.05e-3 + n * 0.1e-3) * 1e3;
      const double frac = (t - 0.05e-3) / 0.1e-3 - n;
      if (frac < 1e-4 || frac > 1 - 1e-4) continue;  // rows at the instants themselves
      EXPECT_NEAR(tr.col("v(o)")[k], held, 1e-9) << mode << " t=" << t;
    }
  }
}

TEST(Blocks, SampleHoldOnAClockEdge) {
  const auto r = runOk(withMode(R"(zoh clock
v1 a 0 pwl(0 0 1m 1)
vc c 0 pulse(0 1 0.1m 1n 1n 0.1m 0.3m)
a1 a o c z
.model z sample_hold(clk_trig=0.5)
.tran 1u 1m
)", "event"));
  const auto& tr = r.get(AnalysisType::Tran);
  // rising edges at 0.1, 0.4, 0.7 ms
  EXPECT_NEAR(at(tr.x, tr.col("v(o)"), 0.05e-3), 0.0, 1e-9);
  EXPECT_NEAR(at(tr.x, tr.col("v(o)"), 0.3e-3), 0.1, 1e-5);
  EXPECT_NEAR(at(tr.x, tr.col("v(o)"), 0.6e-3), 0.4, 1e-5);
  EXPECT_NEAR(at(tr.x, tr.col("v(o)"), 0.9e-3), 0.7, 1e-5);
}

// ---------------------------------------------------------------- PWM

struct PwmCase {
  const char* carrier;
  double ref;
};

TEST(Pwm, EdgeTimesAndDutyAreExact) {
  // Edge times: the last row before each edge is the accepted time point the
  // state changed at; it lies on the exact crossing within 1e-9 of the run.
  // (In event mode the next row follows a switching instant later; in SPICE
  // mode one step later.)
  const double T = 1e-4, tstop = 4.5e-4, tol = 1e-9 * tstop;
  for (const char* mode : kModes)
    for (const PwmCase pc : {PwmCase{"triangle", 0.3}, PwmCase{"sawtooth", 0.3}, PwmCase{"triangle", 0.85}}) {
      const std::string what = std::string(mode) + " " + pc.carrier + " " + std::to_string(pc.ref);
      const std::string net = std::string("pwm\nvr r 0 ") + std::to_string(pc.ref) + R"(
a1 r o p
rl o 0 1k
.model p pwm(freq=10k carrier=)" + pc.carrier + R"( vhigh=5)
.tran 1u 0.45m
)";
      const auto r = runOk(withMode(net, mode));
      const auto& tr = r.get(AnalysisType::Tran);
      const double d = pc.ref;
      const bool tri = std::string(pc.carrier) == "triangle";
      std::vector<double> rise, fall;
      for (int k = 0; k < 6; ++k) {
        const double f = tri ? (k + d / 2) * T : (k + d) * T;
        const double u = tri ? (k + 1 - d / 2) * T : (k + 1) * T;
        if (f < tstop) fall.push_back(f);
        if (u < tstop) rise.push_back(u);
      }
      const auto up = edges(tr, "v(o)", 2.5, true), down = edges(tr, "v(o)", 2.5, false);
      ASSERT_EQ(up.size(), rise.size()) << what;
      ASSERT_EQ(down.size(), fall.size()) << what;
      for (std::size_t k = 0; k < up.size(); ++k) {
        EXPECT_GE(up[k].before, rise[k] * (1 - 1e-12)) << what;
        EXPECT_LE(up[k].before, rise[k] + tol) << what;
      }
      for (std::size_t k = 0; k < down.size(); ++k) {
        EXPECT_GE(down[k].before, fall[k] * (1 - 1e-12)) << what;
        EXPECT_LE(down[k].before, fall[k] + tol) << what;
      }
      // duty over the first four whole periods, from the edges (high at t = 0)
      double high = 0, from = 0;
      std::vector<std::pair<double, bool>> flips;
      for (const Edge& e : up) flips.push_back({e.before, true});
      for (const Edge& e : down) flips.push_back({e.before, false});
      std::sort(flips.begin(), flips.end());
      bool on = true;
      for (const auto& [t, level] : flips) {
        if (t > 4 * T) break;
        if (on) high += t - from;
        on = level;
        from = t;
      }
      if (on) high += 4 * T - from;
      EXPECT_NEAR(high / (4 * T), d, 1e-8) << what;
    }
}

TEST(Pwm, ComplementaryOutputsWithDeadTime) {
  const double T = 1e-4, dt = 2e-6, d = 0.4, tstop = 3e-4;
  for (const char* mode : kModes) {
    const auto r = runOk(withMode(R"(pwm dead time
vr r 0 0.4
a1 r o on p
rl o 0 1k
rn on 0 1k
.model p pwm(freq=10k deadtime=2u vlow=-1 vhigh=1 cmin=0 cmax=1)
.tran 1u 0.3m
)", mode));
    const auto& tr = r.get(AnalysisType::Tran);
    const auto& o = tr.col("v(o)");
    const auto& on = tr.col("v(on)");
    for (std::size_t k = 0; k < tr.rows; ++k) EXPECT_FALSE(o[k] > 0 && on[k] > 0) << mode << " t=" << tr.x[k];
    const auto oUp = edges(tr, "v(o)", 0, true), oDown = edges(tr, "v(o)", 0, false);
    const auto nUp = edges(tr, "v(on)", 0, true), nDown = edges(tr, "v(on)", 0, false);
    ASSERT_EQ(oDown.size(), 3u) << mode;
    ASSERT_EQ(nUp.size(), 3u) << mode;
    ASSERT_EQ(oUp.size(), 3u) << mode;
    ASSERT_EQ(nDown.size(), 3u) << mode;
    for (int k = 0; k < 3; ++k) {
      const double fallO = (k + d / 2) * T, riseN = fallO + dt;
      const double fallN = (k + 1 - d / 2) * T;
      EXPECT_NEAR(oDown[std::size_t(k)].before, fallO, 1e-9 * tstop) << mode;
      EXPECT_NEAR(nUp[std::size_t(k)].before, riseN, 1e-9 * tstop) << mode;
      EXPECT_NEAR(nDown[std::size_t(k)].before, fallN, 1e-9 * tstop) << mode;
      EXPECT_NEAR(oUp[std::size_t(k)].before, fallN + dt, 1e-9 * tstop) << mode;
    }
  }
}

TEST(Pwm, OperatingPointFollowsTheComparisonAtTimeZero) {
  const auto r = runOk(R"(pwm op
vr r 0 0.5
a1 r o on p
a2 r o2 q
rl o 0 1k
rn on 0 1k
r2 o2 0 1k
.model p pwm(freq=1k vhigh=3)
.model q pwm(freq=1k vhigh=3 phase=180)
.op
.end
)");
  const auto& op = r.get(AnalysisType::Op);
  EXPECT_EQ(op.col("v(o)")[0], 3.0);   // carrier at cmin
  EXPECT_EQ(op.col("v(on)")[0], 0.0);
  EXPECT_EQ(op.col("v(o2)")[0], 0.0);  // half a period later the carrier is at cmax
}

TEST(Pwm, PhaseAdvancesTheCarrier) {
  // sawtooth advanced by 90°: at t = 0 it is at 0.25, so with ref 0.5 the
  // output falls at T/4 and rises at the reset, 3T/4
  const double T = 1e-3;
  const auto r = runOk(R"(pwm phase
vr r 0 0.5
a1 r o p
rl o 0 1k
.model p pwm(freq=1k carrier=sawtooth phase=90)
.tran 1u 1.5m
.end
)");
  const auto& tr = r.get(AnalysisType::Tran);
  const auto up = edges(tr, "v(o)", 0.5, true), down = edges(tr, "v(o)", 0.5, false);
  ASSERT_EQ(down.size(), 2u);
  ASSERT_EQ(up.size(), 1u);
  EXPECT_NEAR(down[0].before, 0.25 * T, 1e-9 * 1.5e-3);
  EXPECT_NEAR(up[0].before, 0.75 * T, 1e-9 * 1.5e-3);
  EXPECT_NEAR(down[1].before, 1.25 * T, 1e-9 * 1.5e-3);
}

TEST(Pwm, BadParametersAreErrors) {
  Error e = runErr("t\nvr r 0 0.5\na1 r o p\nrl o 0 1\n.model p pwm\n.op\n.end\n");
  EXPECT_NE(e.message.find("freq"), std::string::npos) << e.message;
  e = runErr("t\nvr r 0 0.5\na1 r o p\nrl o 0 1\n.model p pwm(freq=1k cmin=1 cmax=0)\n.op\n.end\n");
  EXPECT_NE(e.message.find("cmax"), std::string::npos) << e.message;
  e = runErr("t\nvr r 0 0.5\na1 r o p\nrl o 0 1\n.model p pwm(freq=1k deadtime=2m)\n.op\n.end\n");
  EXPECT_NE(e.message.find("deadtime"), std::string::npos) << e.message;
  e = runErr("t\nvr r 0 0.5\na1 r o p\nrl o 0 1\n.model p pwm(freq=1k carrier=2)\n.op\n.end\n");
  EXPECT_NE(e.message.find("triangle or sawtooth"), std::string::npos) << e.message;
}

// ---------------------------------------------------------------- closed loop

// examples/buck_closed_loop.cir: a buck converter regulated by a PI voltage
// loop driving the PWM, with an ideal MOSFET and diode (event mode); for SPICE
// mode with a junction freewheeling diode instead (the loop regulates through
// its forward drop).
std::string closedLoopBuck(const char* diodeModel) {
  std::ifstream in(std::string(SIMCORE_SOURCE_DIR) + "/examples/buck_closed_loop.cir");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  EXPECT_FALSE(text.empty()) << "examples/buck_closed_loop.cir";
  const std::string diode = ".model DFW PWLDIODE(RON=10m)";
  const std::size_t at = text.find(diode);
  EXPECT_NE(at, std::string::npos);
  if (at != std::string::npos) text.replace(at, diode.size(), std::string(".model DFW ") + diodeModel);
  const std::size_t end = text.rfind(".end");
  if (end != std::string::npos) text.erase(end);
  return text;
}

TEST(ClosedLoop, BuckRegulatesToItsSetPoint) {
  struct Case {
    const char* mode;
    const char* diode;
  };
  for (const Case c : {Case{"event", "PWLDIODE(RON=10m)"}, Case{"spice", "D"}}) {
    const auto r = runOk(withMode(closedLoopBuck(c.diode), c.mode));
    const auto& tr = r.get(AnalysisType::Tran);
    // average over the last 50 switching periods (1 ms)
    const auto& t = tr.x;
    const auto& v = tr.col("v(out)");
    double area = 0;
    for (std::size_t k = 1; k < tr.rows; ++k)
      if (t[k - 1] >= 11e-3) area += 0.5 * (v[k] + v[k - 1]) * (t[k] - t[k - 1]);
    EXPECT_NEAR(area / 1e-3, 5.0, 0.005 * 5.0) << c.mode;
    EXPECT_EQ(r.stats.switchingMode, c.mode);
  }
}

}  // namespace
}  // namespace simcore::testing
