// Device quantities as output signals (@r1[i], i(c1), @q1[ic], ...): their
// values in op, dc, tran and ac against the circuit's own laws.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <string>
#include <vector>

#include "test_kernel_support.cpp"

using namespace simcore;
using simcore::testing::Collected;
using simcore::testing::runOk;

namespace {

TEST(DeviceQuantities, AcCurrentsAndPowersOfRCL) {
  auto out = runOk(
      "rcl\n"
      "V1 in 0 DC 0 AC 1\n"
      "R1 in out 1k\n"
      "C1 out 0 100n\n"
      "L1 out 0 10m\n"
      ".save v(in) v(out) @r1[i] i(c1) @c1[i] @l1[i] i(l1) @r1[p] @c1[p]\n"
      ".ac dec 5 100 10k\n");
  const Collected& ac = out.get(AnalysisType::Ac);
  ASSERT_GT(ac.rows, 5u);
  for (std::size_t k = 0; k < ac.rows; ++k) {
    const double w = 2 * std::numbers::pi * ac.x[k];
    const auto vin = ac.phasor("v(in)", k), vout = ac.phasor("v(out)", k);
    const auto ir = ac.phasor("@r1[i]", k), ic = ac.phasor("@c1[i]", k), il = ac.phasor("@l1[i]", k);
    EXPECT_NEAR(std::abs(ir - (vin - vout) / 1e3), 0.0, 1e-12 * (1 + std::abs(ir)));
    EXPECT_NEAR(std::abs(ic - std::complex<double>(0, w * 100e-9) * vout), 0.0, 1e-12 * (1 + std::abs(ic)));
    EXPECT_EQ(ac.phasor("i(c1)", k), ic);
    EXPECT_EQ(il, ac.phasor("i(l1)", k));
    EXPECT_NEAR(std::abs(ir - ic - il), 0.0, 1e-9 * std::abs(ir));  // KCL at out
    const auto pr = ac.phasor("@r1[p]", k);
    EXPECT_NEAR(pr.real(), std::norm(ir) * 1e3, 1e-9 * std::norm(ir) * 1e3);  // |i|^2 R, real
    EXPECT_NEAR(pr.imag(), 0.0, 1e-12);
    EXPECT_NEAR(ac.phasor("@c1[p]", k).real(), 0.0, 1e-12);  // a capacitor takes no real power
  }
}

TEST(DeviceQuantities, TransientCapacitorCurrentIsTheResistorCurrent) {
  auto out = runOk(
      "rc\n"
      "V1 in 0 PULSE(0 1 0 1u 1u 1 2)\n"
      "R1 in out 1k\n"
      "C1 out 0 1u\n"
      ".save v(out) @r1[i] i(c1) @r1[p]\n"
      ".tran 10u 5m\n");
  const Collected& tr = out.get(AnalysisType::Tran);
  const auto &ir = tr.col("@r1[i]"), &ic = tr.col("i(c1)"), &v = tr.col("v(out)"), &p = tr.col("@r1[p]");
  ASSERT_GT(tr.rows, 100u);
  EXPECT_EQ(ic.front(), 0.0);  // the DC initial point
  int checked = 0;
  for (std::size_t k = 1; k < tr.rows; ++k) {
    if (tr.x[k] < 20e-6) continue;
    EXPECT_NEAR(ic[k], ir[k], 1e-6 * std::fabs(ir[k]) + 1e-12) << "t = " << tr.x[k];  // KCL at out
    EXPECT_NEAR(ir[k], (1.0 - v[k]) / 1e3, 1e-9);
    EXPECT_NEAR(p[k], ir[k] * ir[k] * 1e3, 1e-12);
    ++checked;
  }
  EXPECT_GT(checked, 50);
  // the current decays as the capacitor charges: 1 mA e^{-t/tau}
  const double t = tr.x[tr.rows / 2];
  EXPECT_NEAR(ic[tr.rows / 2], 1e-3 * std::exp(-t / 1e-3), 2e-3 * 1e-3);
}

TEST(DeviceQuantities, SemiconductorTerminalCurrentsSumToZero) {
  auto out = runOk(
      "semis\n"
      ".options savecurrents\n"
      "VCC vcc 0 5\n"
      "VB b0 0 0.75\n"
      "RB b0 b 1k\n"
      "RC vcc c 1k\n"
      "Q1 c b 0 qm\n"
      "D1 vcc d dm\n"
      "RD d 0 1k\n"
      "M1 md g 0 0 nm w=10u l=1u\n"
      "VG g 0 2\n"
      "RM vcc md 2k\n"
      "J1 jd 0 0 jm\n"
      "RJ vcc jd 1k\n"
      ".model qm npn bf=100 rb=20 rc=5 re=1\n"
      ".model dm d rs=10\n"
      ".model nm nmos vto=0.7 kp=100u rd=10 rs=10\n"
      ".model jm njf vto=-2 beta=1m\n"
      ".op\n"
      ".dc VB 0.6 0.8 0.05\n");
  for (AnalysisType t : {AnalysisType::Op, AnalysisType::Dc}) {
    const Collected& a = out.get(t);
    for (std::size_t k = 0; k < std::max<std::size_t>(a.rows, 1); ++k) {
      const double ic = a.col("@q1[ic]")[k], ib = a.col("@q1[ib]")[k], ie = a.col("@q1[ie]")[k],
                   is = a.col("@q1[is]")[k];
      EXPECT_NEAR(ic + ib + ie + is, 0.0, 1e-12);
      EXPECT_NEAR(ic, a.col("@rc[i]")[k], 1e-9 * std::fabs(ic) + 1e-15);
      EXPECT_NEAR(ib, a.col("@rb[i]")[k], 1e-9 * std::fabs(ib) + 1e-15);
      EXPECT_NEAR(a.col("@d1[id]")[k], a.col("@rd[i]")[k], 1e-12);
      const double id = a.col("@m1[id]")[k], ms = a.col("@m1[is]")[k], mg = a.col("@m1[ig]")[k],
                   mb = a.col("@m1[ib]")[k];
      EXPECT_GT(id, 1e-5);
      EXPECT_NEAR(id, a.col("@rm[i]")[k], 1e-12);
      EXPECT_NEAR(id + ms + mg + mb, 0.0, 1e-15);
      EXPECT_EQ(mg, 0.0);
      EXPECT_NEAR(a.col("@j1[id]")[k], a.col("@rj[i]")[k], 1e-12);
      EXPECT_NEAR(a.col("@j1[id]")[k] + a.col("@j1[is]")[k] + a.col("@j1[ig]")[k], 0.0, 1e-15);
    }
  }
}

TEST(DeviceQuantities, MosfetChannelQuantitiesInSaturation) {
  // level 1 in saturation: gm = beta*vgst*(1 + lambda*vds), gds = lambda*beta/2*vgst^2
  auto out = runOk(
      "m\nVD d 0 4\nVG g 0 2\nM1 d g 0 0 nm w=20u l=2u\n.model nm nmos vto=1 kp=50u lambda=0.02\n"
      ".save @m1[gm] @m1[gds] @m1[von] @m1[vdsat] @m1[id]\n.op\n");
  const Collected& op = out.get(AnalysisType::Op);
  const double beta = 50e-6 * 10;
  EXPECT_NEAR(op.col("@m1[gm]")[0], beta * 1.0 * (1 + 0.02 * 4), 1e-12);
  EXPECT_NEAR(op.col("@m1[gds]")[0], 0.02 * beta / 2, 1e-12);
  EXPECT_NEAR(op.col("@m1[von]")[0], 1.0, 1e-12);
  EXPECT_NEAR(op.col("@m1[vdsat]")[0], 1.0, 1e-12);
  EXPECT_NEAR(op.col("@m1[id]")[0], beta / 2 * (1 + 0.02 * 4) + 1e-12 * 4, 1e-12);
}

TEST(DeviceQuantities, JfetQuantitiesInTheNChannelFrame) {
  // square law (B = 1) in saturation: id = beta*vgst^2*(1 + lambda*vds), gm = 2*beta*vgst*(1 +
  // lambda*vds), gds = lambda*beta*vgst^2 (beta includes area and m); a PJF's in its n-frame:
  // vgs, vgd and gm as an NJF biased the other way. In a transient, ggs adds ag0*cgs.
  auto out = runOk(
      "j\nVD d 0 5\nVG g 0 -1\nJ1 d g 0 nj 2 m=3\nVDP dp 0 -5\nVGP gp 0 1\nJ2 dp gp 0 pj\n"
      ".model nj njf vto=-2 beta=1m lambda=0.01\n.model pj pjf vto=-2 beta=1m lambda=0.01\n"
      ".save @j1[vgs] @j1[vgd] @j1[gm] @j1[gds] @j1[ggs] @j1[igd] @j1[id] @j1[p] @j2[vgs] @j2[vgd] @j2[gm] @j2[gds]\n"
      ".op\n");
  const Collected& op = out.get(AnalysisType::Op);
  const double beta = 1e-3 * 6, vgst = 1.0, lm = 1 + 0.01 * 5;
  EXPECT_NEAR(op.col("@j1[vgs]")[0], -1.0, 1e-12);
  EXPECT_NEAR(op.col("@j1[vgd]")[0], -6.0, 1e-12);
  EXPECT_NEAR(op.col("@j1[gm]")[0], 2 * beta * vgst * lm, 1e-12);
  EXPECT_NEAR(op.col("@j1[gds]")[0], 0.01 * beta * vgst * vgst, 1e-12);
  // reverse junctions: IS*area*m*(e^(v/vt) - 1)/vt ~ 0 plus gmin*m
  EXPECT_NEAR(op.col("@j1[ggs]")[0], 3e-12, 1e-15);
  EXPECT_NEAR(op.col("@j1[igd]")[0], -1e-14 * 6 + 3e-12 * -6.0, 1e-17);
  const double id = op.col("@j1[id]")[0];
  EXPECT_NEAR(id, beta * vgst * vgst * lm + 1e-14 * 6 + 3e-12 * 6, 1e-12);
  EXPECT_NEAR(op.col("@j1[p]")[0], id * 5, 1e-9);  // (the gate's picoamperes at -1 V aside)
  EXPECT_NEAR(op.col("@j2[vgs]")[0], -1.0, 1e-12);
  EXPECT_NEAR(op.col("@j2[vgd]")[0], -6.0, 1e-12);
  EXPECT_NEAR(op.col("@j2[gm]")[0], 2e-3 * vgst * lm, 1e-12);
  EXPECT_NEAR(op.col("@j2[gds]")[0], 0.01e-3, 1e-12);
  // the transient: while VG ramps, the gate charge's current flows (cqgs) and ggs carries ag0*cgs
  auto tr = runOk(
      "jt\nVD d 0 5\nVG g 0 PULSE(-1 0 10n 10n 10n 10n 100n)\nJ1 d g 0 nj\n"
      ".model nj njf vto=-2 beta=1m cgs=5p cgd=1p pb=1 fc=0.5\n"
      ".save @j1[cqgs] @j1[ggs] @j1[vgs]\n.tran 0.1n 40n\n");
  const Collected& t = tr.get(AnalysisType::Tran);
  bool rising = false;
  for (std::size_t k = 1; k < t.rows; ++k) {
    if (t.x[k] < 12e-9 || t.x[k] > 18e-9) continue;
    rising = true;
    const double vgs = t.col("@j1[vgs]")[k];
    const double cgs = 5e-12 / std::sqrt(1 - vgs / 1.0);  // below FC*PB: depletion
    // dv/dt = 0.1 V/ns: cqgs = cgs * dv/dt (trapezoidal on a ramp: to rounding of the charge)
    EXPECT_NEAR(t.col("@j1[cqgs]")[k], cgs * 1e8, 0.02 * cgs * 1e8) << t.x[k];
    EXPECT_GT(t.col("@j1[ggs]")[k], 1e-3 * cgs / 1e-9);  // ag0 >= 1/h with h <= 1 ns
  }
  EXPECT_TRUE(rising);
}

TEST(DeviceQuantities, AnUnknownQuantityIsAnErrorOfTheOutputList) {
  // through the engine's own list (the netlist reader warns and drops such requests)
  SimulationOptions o;
  o.save = {"@r1[q]"};
  const Error e = simcore::testing::runErr("t\nV1 a 0 1\nR1 a 0 1k\n.op\n", o);
  EXPECT_NE(e.message.find("has no quantity 'q'"), std::string::npos) << e.message;
}

}  // namespace

// A MOSFET group whose instances all have the bulk on the source node runs
// in the 3-terminal layout (mos_frame.hpp TiedLayout), where the bulk's
// current is kept apart from the source's. The same transistors with the
// bulk on a node of its own held at the source's voltage (the 4-terminal
// layout) give the same terminal currents in op, tran (with junction, Meyer
// and overlap charges moving) and ac.
TEST(DeviceQuantities, MosfetBulkOnSourceGivesTheCurrentsOfASeparateBulk) {
  auto deck = [](bool tied) {
    const std::string b1 = tied ? "s1" : "b1", b2 = tied ? "vdd" : "b2";
    std::string n =
        "bulk on source\n"
        "VDD vdd 0 3.3\n"
        "VS s1 0 0.2\n"
        "VG g 0 DC 1.5 AC 1 PULSE(0.2 3 1n 2n 2n 5n 20n)\n"
        "M1 d g s1 " + b1 + " nm w=10u l=1u\n"
        "M2 d g vdd " + b2 + " pm w=20u l=1u\n"
        "RL d 0 50k\n"
        ".model nm nmos level=1 vto=0.7 kp=110u lambda=0.04 gamma=0.45 phi=0.7 tox=20n cgso=0.3n cgdo=0.3n "
        "cgbo=0.2n cbd=5f cbs=5f\n"
        ".model pm pmos level=1 vto=-0.8 kp=40u lambda=0.05 gamma=0.5 phi=0.7 tox=20n cgso=0.3n cgdo=0.3n "
        "cgbo=0.2n cbd=5f cbs=5f\n"
        ".save v(d) @m1[id] @m1[is] @m1[ig] @m1[ib] @m2[id] @m2[is] @m2[ig] @m2[ib]\n"
        ".op\n.tran 50p 12n\n.ac dec 3 1meg 10g\n";
    if (!tied) n += "VB1 b1 0 0.2\nVB2 b2 0 3.3\n";
    return runOk(n);
  };
  auto tied = deck(true), sep = deck(false);
  const char* names[] = {"@m1[id]", "@m1[is]", "@m1[ig]", "@m1[ib]", "@m2[id]", "@m2[is]", "@m2[ig]", "@m2[ib]"};
  const Collected &opT = tied.get(AnalysisType::Op), &opS = sep.get(AnalysisType::Op);
  for (const char* q : names) EXPECT_NEAR(opT.col(q)[0], opS.col(q)[0], 1e-12) << q;
  EXPECT_GT(std::fabs(opT.col("@m1[id]")[0]), 1e-5);
  const Collected &trT = tied.get(AnalysisType::Tran), &trS = sep.get(AnalysisType::Tran);
  ASSERT_GT(trT.rows, 50u);
  ASSERT_GT(trS.rows, 50u);
  // The two runs converge each point to Newton's tolerances along different
  // paths (another matrix, other bypass decisions), so the transient currents
  // agree to a small fraction of each one's peak, not to rounding; a wrong
  // split between s and b (a charge current on the wrong side) would be a
  // large fraction. Compared at the tied run's points that the other run
  // also has (most of them).
  std::size_t shared = 0;
  double bulkPeak = 0;
  for (std::size_t k = 0, j = 0; k < trT.rows; ++k) {
    while (j < trS.rows && trS.x[j] < trT.x[k]) ++j;
    if (j == trS.rows || trS.x[j] != trT.x[k]) continue;
    ++shared;
    for (const char* q : names) {
      double peak = 0;
      for (double v : trS.col(q)) peak = std::max(peak, std::fabs(v));
      EXPECT_NEAR(trT.col(q)[k], trS.col(q)[j], 5e-3 * peak + 1e-12) << q << " at t = " << trT.x[k];
    }
    bulkPeak = std::max(bulkPeak, std::fabs(trT.col("@m1[ib]")[k]));
  }
  EXPECT_GT(shared, trT.rows / 2);
  EXPECT_GT(bulkPeak, 1e-6) << "the bulk's charge currents should show in ib";
  const Collected &acT = tied.get(AnalysisType::Ac), &acS = sep.get(AnalysisType::Ac);
  ASSERT_EQ(acT.rows, acS.rows);
  for (std::size_t k = 0; k < acT.rows; ++k)
    for (const char* q : names) {
      const auto a = acT.phasor(q, k), b = acS.phasor(q, k);
      EXPECT_NEAR(std::abs(a - b), 0.0, 1e-9 * (1e-6 + std::abs(b))) << q << " at f = " << acT.x[k];
    }
}

// The same in reverse mode, through the limiting: the drain swept below the
// source and bulk, so the bulk-drain junction conducts forward (the tied
// layout limits it through vds). The sweep converges at every point and
// gives the currents of the 4-terminal layout (ngspice 39 gives 1.365834 mA
// at vd = -2 V and -0.374882 mA at 2 V).
TEST(DeviceQuantities, MosfetBulkOnSourceInReverseModeWithTheJunctionForward) {
  auto deck = [](bool tied) {
    return runOk(std::string("reverse\nVD d0 0 0\nRS d0 d 1k\nVG g 0 1.5\nM1 d g 0 ") + (tied ? "0" : "b") +
                 " nm w=10u l=1u\n" + (tied ? "" : "VB b 0 0\n") +
                 ".model nm nmos level=1 vto=0.7 kp=110u lambda=0.04 gamma=0.45 phi=0.7 cbd=5f cbs=5f is=1e-14\n"
                 ".save i(vd) @m1[id] @m1[ib]\n.dc VD -2 2 0.05\n");
  };
  auto tied = deck(true), sep = deck(false);
  const Collected &t = tied.get(AnalysisType::Dc), &s = sep.get(AnalysisType::Dc);
  ASSERT_EQ(t.rows, 81u);
  ASSERT_EQ(s.rows, 81u);
  for (std::size_t k = 0; k < t.rows; ++k)
    for (const char* q : {"i(vd)", "@m1[id]", "@m1[ib]"}) EXPECT_NEAR(t.col(q)[k], s.col(q)[k], 1e-7) << q << " at " << t.x[k];
  EXPECT_NEAR(t.col("i(vd)")[0], 1.365834e-3, 1e-8);
  EXPECT_NEAR(t.col("i(vd)")[80], -0.374882e-3, 1e-8);
  EXPECT_GT(std::fabs(t.col("@m1[ib]")[0]), 1e-4) << "the bulk-drain junction carries part of the current at -2 V";
}

namespace {

// @v1[dc] and @i1[dc]: the sources' DC values along a .dc sweep (the swept one's
// are the sweep's points), in op and ac their card values; a voltage source's is a voltage.
TEST(DeviceQuantities, SourceDcValuesFollowTheSweep) {
  auto out = runOk(
      "sources\n"
      "V1 1 0 DC 0 AC 1\n"
      "R1 1 2 1k\n"
      "I1 0 2 DC 2m\n"
      "R2 2 0 1k\n"
      ".save v(2) @v1[dc] @i1[dc]\n"
      ".dc V1 0 1 0.25\n"
      ".ac lin 2 1k 2k\n");
  const Collected& dc = out.get(AnalysisType::Dc);
  ASSERT_EQ(dc.rows, 5u);
  for (std::size_t k = 0; k < dc.rows; ++k) {
    EXPECT_DOUBLE_EQ(dc.col("@v1[dc]")[k], 0.25 * double(k));
    EXPECT_DOUBLE_EQ(dc.col("@i1[dc]")[k], 2e-3);
  }
  auto kindOf = [&](const std::string& name) {
    for (const auto& sgn : dc.header.signals)
      if (sgn.name == name) return sgn.kind;
    ADD_FAILURE() << "no signal " << name;
    return SignalKind::Current;
  };
  EXPECT_EQ(kindOf("@v1[dc]"), SignalKind::Voltage);
  EXPECT_EQ(kindOf("@i1[dc]"), SignalKind::Current);
  const Collected& ac = out.get(AnalysisType::Ac);
  EXPECT_EQ(ac.phasor("@i1[dc]", 0), std::complex<double>(2e-3, 0));
}

}  // namespace

// ngspice's two forms of a p-type device's terminal currents: its @dev[...] vectors (savecurrents)
// are in the device's n-type frame for MOS levels 1-6, VDMOS and JFET (positive for a conducting
// pmos) and a bipolar's substrate; its .probe vectors i(dev:term) are the real currents into the
// terminals (the current a resistor in series carries), for every kind (BSIM3 too)
TEST(DeviceQuantities, PTypeVectorsInNgspicesFrameAndProbesInTheRealOne) {
  auto out = runOk(
      "p\nV1 vdd 0 5\nVg g 0 2\nVn vn 0 -3\nVb b 0 -0.65\nVsub sub 0 -1\n"
      "R1 d1 0 1k\nM1 d1 g vdd vdd pm1 w=10u l=1u\n.model pm1 pmos level=1 vto=-1 kp=50u\n"
      "R3 d3 0 1k\nM3 d3 g vdd vdd pm3 w=10u l=1u\n.model pm3 pmos level=3 vto=-1 kp=50u\n"
      "R8 d8 0 1k\nM8 d8 g vdd vdd pm8 w=10u l=1u\n.model pm8 pmos level=8 version=3.3.0\n"
      "Rv dv 0 10\nMv dv g vdd pv\n.model pv vdmos pchan vto=-1 kp=1\n"
      "Rj dj vn 1k\nJ1 dj 0 0 pj\n.model pj pjf vto=-2 beta=1m\n"
      "Rq c vn 1k\nQ1 c b 0 sub qp\n.model qp pnp bf=100 iss=1e-15\n"
      "Rd a 0 1k\nD1 vdd a dd\n.model dd d\n"
      ".options savecurrents\n.probe alli\n.op\n");
  const Collected& op = out.get(AnalysisType::Op);
  auto v = [&](const char* name) { return op.col(name)[0]; };
  for (const char* m : {"m1", "m3", "mv"}) {
    const std::string r = std::string(m) == "mv" ? "i(rv)" : std::string("i(r") + (m + 1) + ")";
    const double drain = -v(r.c_str());  // the drain's real current: out of it, into the resistor
    ASSERT_LT(drain, -1e-4) << m;
    EXPECT_NEAR(v(("i(" + std::string(m) + ":d)").c_str()), drain, 1e-12) << m;
    EXPECT_NEAR(v(("@" + std::string(m) + "[id]").c_str()), -drain, 1e-12) << m;  // n-frame: positive
    EXPECT_NEAR(v(("i(" + std::string(m) + ":s)").c_str()), -v(("@" + std::string(m) + "[is]").c_str()), 1e-15) << m;
  }
  // BSIM3: @m8[id] is ngspice's channel current (positive for a conducting pmos), the probe the real one
  EXPECT_NEAR(v("i(m8:d)"), -v("i(r8)"), 1e-12);
  EXPECT_GT(v("@m8[id]"), 0.0);
  // JFET (the channel current flows out of the drain into the resistor to -3 V)
  ASSERT_GT(v("i(rj)"), 1e-4);
  EXPECT_NEAR(v("i(j1:d)"), -v("i(rj)"), 1e-12);
  EXPECT_NEAR(v("@j1[id]"), v("i(rj)"), 1e-12);
  EXPECT_NEAR(v("@j1[ig]"), -v("i(j1:g)"), 1e-18);
  // the PNP: collector, base, emitter real in both forms; the substrate's @q1[is] in the n-frame
  EXPECT_NEAR(v("@q1[ic]"), v("i(q1:c)"), 1e-15);
  EXPECT_NEAR(v("@q1[ic]"), -v("i(rq)"), 1e-12);  // (out of the collector into the resistor)
  EXPECT_NEAR(v("@q1[ib]"), v("i(q1:b)"), 1e-18);
  EXPECT_NEAR(v("@q1[is]"), -v("i(q1:s)"), 1e-20);
  EXPECT_LT(v("i(q1:s)"), 0.0);  // the substrate junction at -1 V reverse biased: its leakage out of the pin
  // a diode's probe i(d1): its current, as its @d1[id]
  EXPECT_NEAR(v("i(d1)"), v("i(rd)"), 1e-12);
  EXPECT_NEAR(v("@d1[id]"), v("i(d1)"), 1e-15);
}

// a linear G's and F's current (ngspice's savecurrents @g1[i] @f1[i]; .probe alli's i(g1) i(f1)):
// from out+ through the source to out-, times m, in op and ac
TEST(DeviceQuantities, ControlledCurrentSourcesGiveTheirCurrent) {
  auto out = runOk(
      "g\nV1 a 0 DC 2 AC 1\nR1 a 0 1k\nG1 b 0 a 0 1m m=2\nRb b 0 1k\nF1 f 0 V1 3\nRf f 0 1k\nE1 e 0 a 0 2\nRe e 0 1k\n"
      ".options savecurrents\n.probe alli\n.op\n.ac lin 1 1k 1k\n");
  const Collected& op = out.get(AnalysisType::Op);
  EXPECT_NEAR(op.col("@g1[i]")[0], 4e-3, 1e-15);
  EXPECT_NEAR(op.col("i(g1)")[0], 4e-3, 1e-15);
  EXPECT_NEAR(op.col("@f1[i]")[0], 3 * op.col("i(v1)")[0], 1e-15);
  EXPECT_NEAR(op.col("i(f1)")[0], -op.col("i(rf)")[0], 1e-15);  // (the resistor carries it back into f)
  EXPECT_FALSE(op.has("@e1[i]"));  // E has its branch current, i(e1)
  const Collected& ac = out.get(AnalysisType::Ac);
  EXPECT_NEAR(std::abs(ac.phasor("@g1[i]", 0) - std::complex<double>(2e-3, 0)), 0.0, 1e-15);  // 2 * 1m * 1 V
  EXPECT_NEAR(std::abs(ac.phasor("@f1[i]", 0) - 3.0 * ac.phasor("i(v1)", 0)), 0.0, 1e-15);
}

// a behavioural current source's @b1[i] (the expression at the solution, its linearisation in
// .ac) and an I source's @i1[current] (its waveform at the time, its AC value in .ac), with
// .probe alli's i(b1) i(i1)
TEST(DeviceQuantities, BehaviouralAndIndependentCurrentSourcesGiveTheirCurrent) {
  auto out = runOk(
      "b\nV1 a 0 DC 2 AC 1\nR1 a 0 1k\nB1 b 0 I=1m*v(a)*v(a) + 1m*time\nRb b 0 1k\n"
      "I1 0 c DC 1m AC 2m PULSE(1m 3m 1u 1u 1u 5u 20u) m=2\nRc c 0 1k\n"
      ".options savecurrents\n.probe alli\n.op\n.ac lin 1 1k 1k\n.tran 0.1u 4u\n");
  const Collected& op = out.get(AnalysisType::Op);
  EXPECT_NEAR(op.col("@b1[i]")[0], 4e-3, 1e-15);
  EXPECT_NEAR(op.col("i(b1)")[0], 4e-3, 1e-15);
  EXPECT_NEAR(op.col("@i1[current]")[0], 2e-3, 1e-15);
  EXPECT_NEAR(op.col("i(i1)")[0], 2e-3, 1e-15);
  const Collected& ac = out.get(AnalysisType::Ac);
  EXPECT_NEAR(std::abs(ac.phasor("@b1[i]", 0) - std::complex<double>(4e-3, 0)), 0.0, 1e-15);  // 2 * 1m * v(a) * 1 V
  EXPECT_NEAR(std::abs(ac.phasor("@i1[current]", 0) - std::complex<double>(4e-3, 0)), 0.0, 1e-15);
  const Collected& tr = out.get(AnalysisType::Tran);
  for (std::size_t k = 0; k < tr.rows; ++k) {
    const double t = tr.x[k];
    EXPECT_NEAR(tr.col("@b1[i]")[k], 4e-3 + 1e-3 * t, 1e-12) << t;
    EXPECT_NEAR(tr.col("@b1[i]")[k], -tr.col("i(rb)")[k], 1e-12) << t;  // (into b through the source)
    EXPECT_NEAR(tr.col("@i1[current]")[k], tr.col("i(rc)")[k], 1e-12) << t;
    const double pulse = t <= 1e-6 ? 1e-3 : t >= 2e-6 ? 3e-3 : 1e-3 + 2e-3 * (t - 1e-6) / 1e-6;
    EXPECT_NEAR(tr.col("@i1[current]")[k], 2 * pulse, 1e-12) << t;
  }
}

// .probe alli's sub-circuit pins (ngspice's i(x1:PIN), i(x2) of a two-pin instance): the
// currents into them, which the caller's devices see leave their nodes
TEST(DeviceQuantities, ProbeAlliGivesTheCurrentsIntoSubcircuitPins) {
  auto out = runOk(
      "x\n.subckt amp in out vdd\nR1 in out 1k\nR2 out vdd 2k\n.ends\n.subckt two a b\nR1 a b 1k\n.ends\n"
      "V1 in 0 1\nV2 vdd 0 5\nX1 in o vdd amp\nX2 o 0 two\n.probe alli\n.op\n");
  const Collected& op = out.get(AnalysisType::Op);
  const double vo = op.col("v(o)")[0];
  // node o: (1 - vo)/1k + (5 - vo)/2k = vo/1k
  EXPECT_NEAR(vo, 3.5 / 2.5, 1e-9);
  EXPECT_NEAR(op.col("i(x1:in)")[0], (1 - vo) / 1e3, 1e-12);
  EXPECT_NEAR(op.col("i(x1:vdd)")[0], (5 - vo) / 2e3, 1e-12);
  EXPECT_NEAR(op.col("i(x1:out)")[0], -vo / 1e3, 1e-12);  // out of the pin into X2
  EXPECT_NEAR(op.col("i(x2)")[0], vo / 1e3, 1e-12);
  EXPECT_NEAR(op.col("i(x1:in)")[0], -op.col("i(v1)")[0], 1e-12);
}

// a switch's current (ngspice's savecurrents @s1[i], .probe alli's i(s1)): the series resistor's
// at every row of a transient through its edges, for SW/CSW (at the state the solution was found
// with, not the one accepting the row flipped it to), PSpice's VSWITCH and LTspice's SW
TEST(DeviceQuantities, SwitchCurrentsAreTheCurrentsThroughThem) {
  auto out = runOk(
      "s\nV1 a 0 5\nVC c 0 PULSE(0 2 1u 0.1u 0.1u 2u 5u)\nS1 a b c 0 sw\nR1 b 0 1k\n"
      ".model sw sw vt=1 vh=0.2 ron=10 roff=1meg\nVW w 0 PULSE(0 -3 0.5u 0.1u 0.1u 1u 4u)\nRW w 0 1k\n"
      "W1 a e VW csw\nRE e 0 2k\n.model csw csw it=1m ih=0.2m ron=5 roff=10meg\n"
      "S2 a f c 0 vsw\nRF f 0 500\n.model vsw vswitch von=1.5 voff=0.5 ron=2 roff=1meg\n"
      ".options savecurrents\n.probe alli\n.op\n.tran 10n 10u\n");
  for (AnalysisType t : {AnalysisType::Op, AnalysisType::Tran}) {
    const Collected& r = out.get(t);
    bool on = false;
    for (std::size_t k = 0; k < r.rows; ++k) {
      EXPECT_NEAR(r.col("@s1[i]")[k], r.col("i(r1)")[k], 1e-15) << k;
      EXPECT_NEAR(r.col("i(s1)")[k], r.col("i(r1)")[k], 1e-15) << k;
      EXPECT_NEAR(r.col("@w1[i]")[k], r.col("i(re)")[k], 1e-15) << k;
      EXPECT_NEAR(r.col("@s2[i]")[k], r.col("i(rf)")[k], 1e-15) << k;
      on = on || r.col("@w1[i]")[k] > 1e-3;
    }
    if (t == AnalysisType::Tran) EXPECT_TRUE(on);
  }
}

// BSIM3's operating-point quantities as ngspice's BSIM3 reports them: in the n-type frame (a
// pmos biased as the mirror of an nmos gives the same values), m applied (m=2 doubles every
// current, charge and capacitance, not the voltages); the charges' transcapacitances obey
// charge conservation (a row of the gate's sums with cgb to zero: cgg = -(cgd + cgs + cgb) and
// the columns of one terminal over the rows g, d, b, s sum to zero).
TEST(DeviceQuantities, Bsim3QuantitiesInTheNTypeFrameWithM) {
  const std::string names[] = {"vbs", "vgs", "vds", "ibd", "ibs", "gbd", "gbs", "qb", "qg", "qd",
                               "cgg", "cgd", "cgs", "cdg", "cdd", "cds", "cbg", "cbd", "cbs", "capbd", "capbs"};
  std::string save = ".save";
  for (const char* dev : {"m1", "m2", "m3"})
    for (const std::string& n : names) save += std::string(" @") + dev + "[" + n + "]";
  auto out = runOk(
      "b3\nVD d 0 1.2\nVG g 0 1.0\nVB b 0 -0.3\nVDP dp 0 -1.2\nVGP gp 0 -1.0\nVBP bp 0 0.3\n"
      "M1 d g 0 b nm w=10u l=0.5u ad=4p as=4p pd=20u ps=20u\n"
      "M2 d g 0 b nm w=10u l=0.5u ad=4p as=4p pd=20u ps=20u m=2\n"
      "M3 dp gp 0 bp pm w=10u l=0.5u ad=4p as=4p pd=20u ps=20u\n"
      ".model nm nmos level=49 version=3.3.0 cj=1e-3 cjsw=2e-10 js=1e-6 vth0=0.7 u0=670\n"
      ".model pm pmos level=49 version=3.3.0 cj=1e-3 cjsw=2e-10 js=1e-6 vth0=-0.7 u0=670\n" + save + "\n.op\n");
  const Collected& op = out.get(AnalysisType::Op);
  auto q = [&](const char* dev, const std::string& n) { return op.col(std::string("@") + dev + "[" + n + "]")[0]; };
  for (const std::string& n : names) {
    const double one = q("m1", n), two = q("m2", n), mirror = q("m3", n);
    const bool voltage = n[0] == 'v';
    EXPECT_NEAR(two, voltage ? one : 2 * one, 1e-9 * std::fabs(one) + 1e-30) << n;
    EXPECT_NEAR(mirror, one, 1e-9 * std::fabs(one) + 1e-30) << n;  // the pm card is the nm card's mirror
  }
  EXPECT_NEAR(q("m1", "vgs"), 1.0, 1e-9);
  EXPECT_NEAR(q("m1", "vbs"), -0.3, 1e-9);
  EXPECT_GT(q("m1", "qg"), 0.0);      // an inverted n channel: the gate holds positive charge
  EXPECT_GT(q("m1", "cgg"), 0.0);
  EXPECT_GT(q("m1", "capbs"), 0.0);   // reverse-biased junctions
  EXPECT_LT(q("m1", "ibs"), 0.0);
}

// A device quantity of an .op or .dc point is the solution's: the devices are evaluated once
// more there (Newton's last evaluation is at the iterate before its last update, up to reltol
// of a voltage away: this subthreshold-ish pmos's @m[id] was 4 % below the current its own
// node voltages drive through RT)
TEST(DeviceQuantities, OperatingPointQuantitiesAreTheSolutions) {
  auto out = runOk(
      "mirror\n.model pmos pmos level=54\nVDD VDD 0 DC 1.1\nMBIAS PBIAS PBIAS VDD VDD pmos W=4u L=0.18u\n"
      "IBIAS PBIAS 0 DC 20u\nM5 TAIL PBIAS VDD VDD pmos W=4u L=0.18u\nRT TAIL 0 300k\n"
      ".save v(tail) @m5[id]\n.op\n.dc VDD 1.0 1.2 0.05\n");
  for (AnalysisType t : {AnalysisType::Op, AnalysisType::Dc}) {
    const Collected& r = out.get(t);
    ASSERT_GE(r.rows, 1u);
    for (std::size_t k = 0; k < r.rows; ++k) {
      const double through = r.col("v(tail)")[k] / 300e3;
      EXPECT_NEAR(r.col("@m5[id]")[k], through, 1e-3 * through) << int(t) << " " << k;
    }
  }
}

// ngspice's instance values saved as vectors: @r[r] (@r[resistance]) the resistance as given,
// before temperature, scale and m (RESresist); @c[c] (cap, capacitance) the capacitance in use,
// temperature, scale and m applied (CAPcapac times m); @l[inductance] one inductor's, with
// temperature and scale but not m (INDinduct)
TEST(DeviceQuantities, InstanceValuesAsNgspiceSavesThem) {
  auto out = runOk(
      "v\nV1 a 0 1\nR1 a b 1k tc1=0.01 m=2 scale=3\nR2 b 0 rm l=20u w=2u\n.model rm r rsh=100\n"
      "C1 b 0 1n m=3 tc1=0.02 scale=2\nL1 a c 1m m=2 scale=2 tc1=0.01\nRL c 0 1\n.temp 37\n"
      ".save @r1[r] @r1[resistance] @r2[r] @c1[c] @c1[cap] @c1[capacitance] @l1[inductance]\n.op\n");
  const Collected& op = out.get(AnalysisType::Op);
  auto v = [&](const char* n) { return op.col(n)[0]; };
  EXPECT_DOUBLE_EQ(v("@r1[r]"), 1e3);
  EXPECT_DOUBLE_EQ(v("@r1[resistance]"), 1e3);
  EXPECT_NEAR(v("@r2[r]"), 100 * 20e-6 / 2e-6, 1e-9);
  EXPECT_NEAR(v("@c1[c]"), 1e-9 * (1 + 0.02 * 10) * 2 * 3, 1e-21);
  EXPECT_EQ(v("@c1[cap]"), v("@c1[c]"));
  EXPECT_EQ(v("@c1[capacitance]"), v("@c1[c]"));
  EXPECT_NEAR(v("@l1[inductance]"), 1e-3 * (1 + 0.01 * 10) * 2, 1e-15);
}
