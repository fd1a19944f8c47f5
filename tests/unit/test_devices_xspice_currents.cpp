// XSPICE current ports on code models (A cards): %i and %id inputs (the
// current through a zero-volt source between the nodes), %vnam inputs (the
// current through a named voltage source), %i and %id outputs (a current
// drawn from plus and returned to minus), against closed forms in .op, .ac
// and .tran (in the event engine and in SPICE mode), and the located errors
// of a type a model's port does not take. Values from ngspice 39 where
// noted (the same decks by hand).
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <string>
#include <vector>

#include "devices/port_types.hpp"
#include "test_kernel_support.cpp"

namespace simcore::testing {
namespace {

using PT = ir::Device::PortType;

ir::Circuit parsed(const std::string& text) {
  auto c = ir::parseNetlist(text);
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().format());
  return c.ok() ? std::move(c).value() : ir::Circuit{};
}

std::string withMode(const std::string& netlist, const char* mode) {
  return netlist + ".options switching=" + mode + "\n.end\n";
}

// ---------------------------------------------------------------- card reader

TEST(XspiceCurrentPorts, CardFormsBecomeTypedElements) {
  const ir::Circuit c = parsed(R"(ports
v1 a 0 1
a1 %i a %i(o) g
a2 %id(a b) %id o p g
a3 %vnam v1 o3 g
a4 [%i a %vnam(v1) %v b] o4 s
a5 %vnam [v1 v1] o5 s
.model g gain
.model s summer
.end
)");
  ASSERT_EQ(c.devices.size(), 6u);
  using V = std::vector<std::string>;
  EXPECT_EQ(c.devices[1].nodes, (V{"a", "0", "o", "0"}));
  EXPECT_EQ(c.devices[1].portTypes, (std::vector<PT>{PT::I, PT::I}));
  EXPECT_EQ(c.devices[2].nodes, (V{"a", "b", "o", "p"}));
  EXPECT_EQ(c.devices[2].portTypes, (std::vector<PT>{PT::Id, PT::Id}));
  EXPECT_EQ(c.devices[3].nodes, (V{"0", "0", "o3", "0"}));
  EXPECT_EQ(c.devices[3].portTypes, (std::vector<PT>{PT::Vnam, PT::Plain}));
  EXPECT_EQ(c.devices[3].refs, (V{"v1"}));
  EXPECT_EQ(c.devices[4].portTypes, (std::vector<PT>{PT::I, PT::Vnam, PT::V, PT::Plain}));
  EXPECT_EQ(c.devices[4].ports, (std::vector<int>{3, 1}));
  EXPECT_EQ(c.devices[4].refs, (V{"v1"}));
  EXPECT_EQ(c.devices[5].refs, (V{"v1", "v1"}));
  // a type inside a vector holds for the bare elements after it (XSPICE)
  const ir::Circuit s = parsed("t\nv1 a 0 1\na1 [x %i a b %vd c d e f] o s\n.model s summer\n.end\n");
  EXPECT_EQ(s.devices[1].portTypes, (std::vector<PT>{PT::Plain, PT::I, PT::I, PT::Vd, PT::Vd, PT::Plain}));
  EXPECT_EQ(s.devices[1].nodes, (V{"x", "0", "a", "0", "b", "0", "c", "d", "e", "f", "o", "0"}));
  // each element's place on the card
  ASSERT_EQ(c.devices[2].portAt.size(), 2u);
  EXPECT_EQ(c.devices[2].portAt[0].line, 4);
  EXPECT_EQ(c.devices[2].portAt[0].col, 4);
  EXPECT_EQ(c.devices[2].portAt[1].col, 13);
}

TEST(XspiceCurrentPorts, VnamInsideASubcircuitNamesItsSource) {
  const ir::Circuit c = parsed(R"(sub
x1 in o s1
.subckt s1 in o
vs in m 0
r1 m 0 1k
a1 %vnam vs o g
.ends
.model g gain
.end
)");
  for (const ir::Device& d : c.devices)
    if (d.letter == 'a') EXPECT_EQ(d.refs, (std::vector<std::string>{"x1.vs"}));
}

TEST(XspiceCurrentPorts, ReaderErrorsAreLocated) {
  // a %vnam source that does not exist, or has no branch current: at its name
  auto e = ir::parseNetlist("t\nr1 a 0 1\na1 %vnam vx o g\n.model g gain\n.end\n");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().loc.line, 3);
  EXPECT_EQ(e.error().loc.col, 10);
  EXPECT_NE(e.error().message.find("'vx', which does not exist"), std::string::npos) << e.error().message;
  e = ir::parseNetlist("t\nr1 a 0 1\na1 %vnam(r1) o g\n.model g gain\n.end\n");
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("'r1', which carries no branch current"), std::string::npos) << e.error().message;
  EXPECT_EQ(e.error().loc.col, 10);
  // any device with a branch current, as ngspice's CKTfndBranch: L, E, H, a B voltage source
  for (const char* src : {"l1 a 0 1m", "e1 a 0 b 0 2", "h1 a 0 v9 3", "b1 a 0 V=v(b)"}) {
    auto ok = ir::parseNetlist(std::string("t\nv9 b 0 1\nr1 a 0 1\n") + src + "\na1 %vnam " +
                               std::string(src).substr(0, 2) + " o g\nr2 o 0 1\n.model g gain\n.end\n");
    EXPECT_TRUE(ok.ok()) << src << ": " << (ok.ok() ? "" : ok.error().format());
  }
  e = ir::parseNetlist("t\nv9 b 0 1\nb1 a 0 I=v(b)\na1 %vnam b1 o g\nr2 o 0 1\n.model g gain\n.end\n");
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("'b1', which carries no branch current"), std::string::npos) << e.error().message;
  // %vnam with nothing after it; %id with one node
  e = ir::parseNetlist("t\na1 o %vnam\n.model g gain\n.end\n");
  ASSERT_FALSE(e.ok());
  e = ir::parseNetlist("t\na1 %id(a) o g\n.model g gain\n.end\n");
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("two node names for a differential (%id) port"), std::string::npos)
      << e.error().message;
  // the list of types comes from the one table
  e = ir::parseNetlist("t\na1 %q(a) o g\n.model g gain\n.end\n");
  ASSERT_FALSE(e.ok());
  for (const auto& t : dev::block::kPortTypes)
    EXPECT_NE(e.error().message.find(t.spelling), std::string::npos) << e.error().message;
}

// ---------------------------------------------------------------- semantics

TEST(XspiceCurrentPorts, OperatingPointAsNgspice) {
  // ngspice 39 on this deck: v(out)=1 v(o2)=-500 v(o3)=-500 v(o3b)=1500 v(o4)=-2
  const auto r = runOk(R"(currents
v1 1 0 dc 1
r1 1 2 1k
a1 %i 2 out g
rl out 0 1k
r2 1 22 2k
a2 %i(22) %i(o2) g
ro2 o2 0 1k
a3 %id(1 3) %id(o3 o3b) g
r3 3 0 2k
ro3 o3 0 1k
ro3b o3b 0 3k
a4 %vnam v1 o4 g
.model g gain(gain=1000)
.op
.end
)");
  const auto& op = r.get(AnalysisType::Op);
  EXPECT_NEAR(op.col("v(out)")[0], 1.0, 1e-9);
  EXPECT_NEAR(op.col("v(o2)")[0], -500.0, 1e-7);
  EXPECT_NEAR(op.col("v(o3)")[0], -500.0, 1e-7);
  EXPECT_NEAR(op.col("v(o3b)")[0], 1500.0, 1e-7);
  EXPECT_NEAR(op.col("v(o4)")[0], -2.0, 1e-9);
  EXPECT_NEAR(op.col("v(2)")[0], 0.0, 1e-12);   // the zero-volt source holds the node
  EXPECT_NEAR(op.col("v(3)")[0], 1.0, 1e-12);   // %id: v(1) - v(3) = 0
  EXPECT_NEAR(op.col("i(v1)")[0], -2e-3, 1e-12);  // the reading changes nothing
}

TEST(XspiceCurrentPorts, SummerMixesVoltageAndCurrentInputs) {
  const auto r = runOk(R"(mix
v1 a 0 2
r1 a b 500
a1 [a %i(b) %vnam(v1)] o s
.model s summer(in_gain=[1 100 1000])
.op
.end
)");
  // i(b) = 4 mA into the port, i(v1) = -4 mA
  EXPECT_NEAR(r.get(AnalysisType::Op).col("v(o)")[0], 2 + 100 * 4e-3 - 1000 * 4e-3, 1e-9);
}

TEST(XspiceCurrentPorts, CurrentInAndOutSmallSignal) {
  const auto r = runOk(R"(ac
v1 a 0 dc 0 ac 1
r1 a b 1k
a1 %i(b) %i(o) g
r2 o 0 1k
r3 a c 1k
r4 d 0 1k
a2 %id(c d) %id(p 0) lp
r5 p 0 1k
r6 a 0 1k
a3 %vnam v1 q integ
.model g gain(gain=2)
.model lp s_xfer(num_coeff=[1] den_coeff=[1e-3 1])
.model integ int(gain=1000)
.ac lin 1 1k 1k
.end
)");
  const auto& ac = r.get(AnalysisType::Ac);
  using C = std::complex<double>;
  const double w = 2 * M_PI * 1e3;
  auto val = [&](const char* n) { return C(ac.col(n)[0], ac.im.at(n)[0]); };
  EXPECT_NEAR(std::abs(val("v(o)") - C(-2.0, 0)), 0.0, 1e-9);
  // i = 1/2k through c-d; the output draws H·i from p
  const C h = 1.0 / C(1.0, w * 1e-3);
  EXPECT_NEAR(std::abs(val("v(p)") - (-1e3 * h * 0.5e-3)), 0.0, 1e-9);
  // i(v1) = -(1/1k + 1/2k + 1/1k) A per volt (r1, r3 + r4, r6 to ground, through the ports)
  const C iv1 = val("i(v1)");
  EXPECT_NEAR(iv1.real(), -2.5e-3, 1e-12);
  EXPECT_NEAR(std::abs(val("v(q)") - 1000.0 * iv1 / C(0, w)), 0.0, 1e-9);
}

TEST(XspiceCurrentPorts, IntegratorOfACurrentInATransient) {
  for (const char* mode : {"event", "spice"}) {
    const auto r = runOk(withMode(R"(int
i1 0 a dc 1m
a1 %i(a) o integ
i2 0 b pulse(0 2m 0 1n 1n 1 2)
vb b 0 0
a2 %vnam vb q integ
.model integ int(gain=1000)
.tran 10u 1m
)", mode));
    const auto& tr = r.get(AnalysisType::Tran);
    const auto& t = tr.x;
    const auto& o = tr.col("v(o)");
    const auto& q = tr.col("v(q)");
    const auto& a = tr.col("v(a)");
    for (std::size_t k = 0; k < tr.rows; ++k) {
      EXPECT_NEAR(o[k], t[k], 1e-9) << mode << " t=" << t[k];
      EXPECT_NEAR(a[k], 0.0, 1e-12) << mode;
      // i(vb) = +2 mA (into its plus node from i2), after the 1 ns rise
      if (t[k] > 2e-9) EXPECT_NEAR(q[k], 2 * t[k], 2e-6) << mode << " t=" << t[k];
    }
  }
}

TEST(XspiceCurrentPorts, CurrentOutputDrivesACapacitor) {
  // a constant current of 1 mA drawn from c through %i: v(c) = -1mA·t/1uF
  for (const char* mode : {"event", "spice"}) {
    const auto r = runOk(withMode(R"(ramp
v1 a 0 1
a1 a %i(c) g
c1 c 0 1u
.model g gain(gain=1m)
.tran 10u 1m uic
)", mode));
    const auto& tr = r.get(AnalysisType::Tran);
    const auto& c = tr.col("v(c)");
    for (std::size_t k = 0; k < tr.rows; ++k) EXPECT_NEAR(c[k], -1e3 * tr.x[k], 1e-9) << mode;
  }
}

TEST(XspiceCurrentPorts, MeterDrivesItsReadingAsACurrent) {
  // ngspice 39: v(o) = -2, v(p) = -2, v(q) = 2 (2 nF read with gain 1e6 -> 2 mA)
  const auto r = runOk(R"(cmeter
v1 a 0 dc 1
c1 a 0 2n
a1 a %i(o) cm1
.model cm1 cmeter(gain=1e6)
r1 o 0 1k
a2 a %id(p q) cm1
r2 p 0 1k
r3 q 0 1k
.op
.end
)");
  const auto& op = r.get(AnalysisType::Op);
  EXPECT_NEAR(op.col("v(o)")[0], -2.0, 1e-9);
  EXPECT_NEAR(op.col("v(p)")[0], -2.0, 1e-9);
  EXPECT_NEAR(op.col("v(q)")[0], 2.0, 1e-9);
}

// ---------------------------------------------------------------- errors

TEST(XspiceCurrentPorts, ATypeTheModelsPortDoesNotTakeIsLocated) {
  // %vnam on an output: at the port, naming what the port takes
  Error e = runErr("t\nv1 a 0 1\na1 a %vnam v1 g\n.model g gain\n.op\n.end\n");
  EXPECT_EQ(e.code, ErrorCode::Semantic);
  EXPECT_EQ(e.loc.file, "test.cir");
  EXPECT_EQ(e.loc.line, 3);
  EXPECT_EQ(e.loc.col, 6);
  EXPECT_NE(e.message.find("port 'out' of gain block 'a1' (gain) takes a node, %v, %vd, %i or %id, not %vnam"),
            std::string::npos)
      << e.message;
  // delay's in takes %vnam but not %i (ngspice 39's ifspec)
  e = runErr("t\nv1 a 0 1\nr1 a b 1k\na1 %i(b) o NULL dl\n.model dl delay(delay=1u)\n.tran 1u 10u\n.end\n");
  EXPECT_EQ(e.loc.line, 4);
  EXPECT_EQ(e.loc.col, 4);
  EXPECT_NE(e.message.find("takes a node, %v, %vd or %vnam, not %i"), std::string::npos) << e.message;
  // a model that reads voltages only (comparator)
  e = runErr("t\nv1 a 0 1\nr1 a b 1k\na1 b %id(b 0) o c\n.model c comparator\n.op\n.end\n");
  EXPECT_EQ(e.loc.col, 6);
  EXPECT_NE(e.message.find("takes a node, %v or %vd, not %id"), std::string::npos) << e.message;
  // a digital port
  e = runErr("t\nv1 a 0 1\na1 [%i a b] y nd\n.model nd d_and\nr1 b 0 1\n.op\n.end\n");
  EXPECT_EQ(e.loc.col, 5);
  EXPECT_NE(e.message.find("is digital: a bare node or %d, not %i"), std::string::npos) << e.message;
  // a conductance port
  e = runErr("t\nv1 a 0 1\na1 a %i(o) sw\n.model sw aswitch\nr1 o 0 1\n.op\n.end\n");
  EXPECT_NE(e.message.find("not %i"), std::string::npos) << e.message;
}

TEST(XspiceCurrentPorts, ASenseAcrossAVoltageSourceIsATopologyError) {
  // the zero-volt source of %i in parallel with v1: a loop of voltage sources
  const Error e = runErr("t\nv1 a 0 1\na1 %i(a) o g\n.model g gain\n.op\n.end\n");
  EXPECT_FALSE(e.message.empty());
}

}  // namespace
}  // namespace simcore::testing

// ---------------------------------------------------------------- plot vectors

namespace simcore::testing {
namespace {

TEST(XspicePlotVectors, OutputsAndCurrentInputsAreListedAsNgspice) {
  // ngspice 39 on this deck (print all): a1#branch_1_0 = -6e-4, a1#ibranch_0_0 = 1e-3,
  // a3#ibranch_0_1 = 2.5e-4 (the %i element is element 1 of port 0), a4#branch_1_0 and
  // a4#branch_1_1 (a dac_bridge's outputs) 1e-3 and 0; no a2#branch_1_0 (an %i output),
  // nothing of the adc_bridge or the inverter (digital outputs)
  const auto r = runOk(R"(vectors
v1 in 0 dc 1
r1 in s1 1k
a1 %i s1 o1 g1
.model g1 gain(gain=500 out_offset=0.1)
r1o o1 0 1k
a2 in %i(o2) g1
r2o o2 0 1k
r6 in s4 4k
a3 [%v in %i(s4)] o3 sum1
.model sum1 summer(in_gain=[0.5 200])
r7 o3 0 1k
a5 [in] [d1] adc1
.model adc1 adc_bridge(in_low=0.2 in_high=0.3)
a6 d1 d2 inv
.model inv d_inverter
a4 [d1 d2] [v2 v3] dac1
.model dac1 dac_bridge(out_low=0 out_high=1)
r8 v2 0 1k
r9 v3 0 2k
.subckt amp a y
a1 a y g3
.model g3 gain(gain=2)
ry y 0 1k
.ends amp
x1 in o4 amp
.op
.end
)");
  const auto& op = r.get(AnalysisType::Op);
  EXPECT_NEAR(op.col("i(a1#branch_1_0)")[0], -6e-4, 1e-12);
  EXPECT_NEAR(op.col("v(a1#ibranch_0_0)")[0], 1e-3, 1e-12);
  EXPECT_NEAR(op.col("v(a3#ibranch_0_1)")[0], 2.5e-4, 1e-12);
  EXPECT_NEAR(op.col("i(a3#branch_1_0)")[0], -(0.5 + 200 * 2.5e-4) / 1e3, 1e-12);
  EXPECT_NEAR(op.col("i(a4#branch_1_0)")[0], -1e-3, 1e-12);
  EXPECT_NEAR(op.col("i(a4#branch_1_1)")[0], 0.0, 1e-12);
  EXPECT_NEAR(op.col("i(a.x1.a1#branch_1_0)")[0], -2e-3, 1e-12);
  for (const char* none : {"i(a2#branch_1_0)", "i(a5#branch_1_0)", "i(a6#branch_1_0)", "v(a2#ibranch_0_0)"})
    EXPECT_FALSE(op.has(none)) << none;
  std::size_t xspice = 0;
  for (const std::string& n : op.order) xspice += n.find("branch_") != std::string::npos;
  EXPECT_EQ(xspice, 7u);
}

// ngspice 39 makes gnd ground only where a blank, '(', ')' or ',' delimits it:
// eSim's `[gnd ]` is an ordinary (global) node named gnd that a dac_bridge drives.
TEST(XspicePlotVectors, GndAgainstABracketIsAnOrdinaryNode) {
  const auto r = runOk(R"(bracket gnd
v1 in gnd dc 5
a1 [in] [d] adc1
a2 [d ] [gnd ] dac1
a3 [gnd] [e] adc1
a4 [e] [out] dac1
r1 out gnd 1k
.subckt rd y
a1 [gnd ] [y] adc1
.ends rd
x1 dd rd
a5 [dd] [o2] dac1
r2 o2 0 1k
.model adc1 adc_bridge(in_low=1 in_high=2)
.model dac1 dac_bridge(out_low=0 out_high=3)
.op
.end
)");
  const auto& op = r.get(AnalysisType::Op);
  EXPECT_NEAR(op.col("v(in)")[0], 5.0, 1e-12);  // `in gnd`: ground
  EXPECT_NEAR(op.col("v(gnd)")[0], 3.0, 1e-12);
  EXPECT_NEAR(op.col("v(out)")[0], 3.0, 1e-12);
  EXPECT_NEAR(op.col("v(o2)")[0], 3.0, 1e-12);  // the sub-circuit reads the same node
  auto c = ir::parseNetlist("t\na1 [x] [gnd] dac1\nr1 x 0 1\n.model dac1 dac_bridge\n.end\n");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c.value().devices[0].nodes[2], "gnd");
  bool warned = false;
  for (const auto& w : c.value().warnings) warned = warned || w.message.find("ordinary node named gnd") != std::string::npos;
  EXPECT_TRUE(warned);
}

}  // namespace
}  // namespace simcore::testing
