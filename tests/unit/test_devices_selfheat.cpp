// Unit tests of the self-heating forms of the VDMOS and the diode (ngspice
// 39's `thermal` flag, issue 12): the Jacobian with the temperature column
// against finite differences (n and p channel, the diode), the dc junction
// temperature against ambient + P (RTHJC + RTHCA) with P from the circuit's
// own currents, the current at that temperature against the temperature
// laws written out here, the heating step of the thermal node against its
// single-pole response, and the netlist forms (nodes given or internal; no
// self-heating without RTHJC / RTH0, as ngspice 39).
// Agreement with ngspice 39: tests/compat/vdmos_selfheat*.cir, diode_selfheat.cir.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "device_bench.hpp"
#include "test_kernel_support.cpp"
#include "netlist_test_util.hpp"

using namespace simcore;
using namespace simcore::devbench;
using simcore::testing::Collected;
using simcore::testing::runOk;
using simcore::testutil::contains;

namespace {

using Params = std::vector<std::pair<std::string, double>>;

Bench thermalVdmos(Params mp, std::vector<std::string> nodes = {"d", "g", "s", "tj", "tc"}) {
  Bench b;
  b.setup.circ.models.push_back(model("vm", "vdmos", std::move(mp)));
  b.setup.circ.devices.push_back(device("m1", std::move(nodes), 0, {{"thermal", 1}}));
  b.status = b.build();
  return b;
}

// every temperature law of the VDMOS active, and the thermal network
const Params kHot = {{"vto", 3.0},      {"kp", 20},          {"lambda", 0.01},   {"theta", 0.05},   {"mtriode", 1.3},
                     {"ksubthres", 0.12}, {"rd", 0.02},      {"rs", 0.01},       {"rg", 2.0},       {"rb", 0.01},
                     {"cgs", 1.5e-9},   {"cgdmax", 1.2e-9},  {"cgdmin", 5e-11},  {"a", 0.5},        {"is", 1e-12},
                     {"n", 1.1},        {"bv", 100},         {"ibv", 2.5e-4},    {"mu", -1.7},      {"tcvth", 4e-3},
                     {"trd1", 5e-3},    {"trd2", 1e-5},      {"trs1", 3e-3},     {"trb1", 2e-3},
                     {"tksubthres1", 1e-3}, {"rq", 0.05},    {"vq", 20},         {"texp1", 0.4},
                     {"rthjc", 0.8},    {"rthca", 40},       {"cthj", 2e-3}};

void vdmosFd(bool pchan, Params mp, bool tran) {
  if (pchan) mp.push_back({"pchan", 1});
  Bench b = thermalVdmos(std::move(mp));
  ASSERT_TRUE(b.status.ok()) << b.status.error().message;
  const double s = pchan ? -1 : 1;
  struct Bias {
    double vgs, vds, tj, tc;
  };
  for (const Bias& p : std::vector<Bias>{{5.0, 10.0, 60.0, 45.0},
                                        {4.0, 0.3, 35.0, 30.0},
                                        {6.0, 2.0, 120.0, 80.0},
                                        {3.1, 20.0, 27.0, 27.0},
                                        {0.0, -0.7, 50.0, 40.0},
                                        {5.0, -0.2, 90.0, 60.0}}) {
    // the temperatures (degC) carry the polarity as every other local value
    std::map<int, double> v{{b.node("d"), s * (p.vds + 0.01)},       {b.node("m1#d"), s * p.vds},
                            {b.node("g"), s * (p.vgs + 0.002)},      {b.node("m1#g"), s * p.vgs},
                            {b.node("s"), s * -0.003},               {b.node("m1#s"), 0.0},
                            {b.node("m1#b"), s * -0.001},            {b.node("tj"), s * p.tj},
                            {b.node("tc"), s * p.tc}};
    auto x = vec(b.n(), v);
    const std::string what = std::string(pchan ? "p" : "n") + " vgs=" + std::to_string(p.vgs) +
                             " vds=" + std::to_string(p.vds) + " tj=" + std::to_string(p.tj);
    // (x[0] is ground, also the thermal ground)
    EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::DcOp, 0, what), 1.0);
    if (tran) EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::Tran, 1e6, what + " tran"), 1.0);
  }
}

TEST(DeviceSelfHeating, VdmosJacobianWithTheTemperatureColumnMatchesFiniteDifferences) {
  vdmosFd(false, kHot, true);
  vdmosFd(true, kHot, true);
  // with the body diode's charges the dc Jacobian is still exact (their
  // temperature derivative is left out of the transient Jacobian, as ngspice)
  Params withCharge = kHot;
  withCharge.insert(withCharge.end(), {{"cjo", 8e-10}, {"tt", 5e-8}, {"texp0", 1.3}});
  vdmosFd(false, withCharge, false);
}

// The junction is at ambient + P (RTHJC + RTHCA), the case at ambient + P RTHCA,
// with P the power the circuit delivers to the device (Vds Id: no gate current
// at dc); and the drain current is the square law at that temperature:
// KP (T/TNOM)^MU with |VTO| - TCVTH (T - TNOM) (the softplus overdrive of KSUBTHRES).
TEST(DeviceSelfHeating, VdmosJunctionIsAmbientPlusPowerTimesThermalResistance) {
  for (const char* pol : {"", "pchan"}) {
    const bool p = pol[0] != 0;
    const double s = p ? -1 : 1;
    const std::string net = std::string("vdmos self-heating\n") + ".model mx vdmos " + pol + " vto=" + (p ? "-3" : "3") +
                            " kp=0.6 mu=-1.5 tcvth=2m" +
                            " ksubthres=0.05 rthjc=1.5 rthca=12 cthj=1m\n"
                            "vd d 0 " + (p ? "-8" : "8") + "\nvg g 0 " + (p ? "-5" : "5") +
                            "\nm1 d g 0 tj tc mx thermal\n.temp 40\n.op\n.end\n";
    auto out = runOk(net);
    const Collected& op = out.get(AnalysisType::Op);
    const double tj = op.col("v(tj)")[0], tc = op.col("v(tc)")[0], id = -op.col("i(vd)")[0];
    const double P = s * 8.0 * id;
    EXPECT_GT(P, 1.0);
    EXPECT_NEAR(tj, 40.0 + P * 13.5, 1e-6 * tj) << pol;
    EXPECT_NEAR(tc, 40.0 + P * 12.0, 1e-6 * tc) << pol;
    const double T = tj + 273.15, Tnom = 300.15;
    const double vth = 3.0 - 2e-3 * (T - Tnom);  // |VTO| - TCVTH dT for either polarity
    const double vgst = 0.05 * std::log1p(std::exp((5.0 - vth) / 0.05));
    const double idEq = 0.5 * 0.6 * std::pow(T / Tnom, -1.5) * vgst * vgst;
    EXPECT_NEAR(s * id, idEq, 1e-6 * idEq) << pol;
  }
}

// Without the body diode and with parameters that do not follow the
// temperature, the power is constant after the gate steps on, and the
// junction rises as the single pole of CTHJ with RTHJC + RTHCA:
// tj(t) = ambient + P R (1 - exp(-t/(CTHJ R))).
TEST(DeviceSelfHeating, VdmosHeatingStepIsTheSinglePoleResponse) {
  const std::string net = R"(vdmos heating step
.model mx vdmos vto=3 kp=0.5 mu=0 is=1e-30 rthjc=2 rthca=8 cthj=1m
vd d 0 10
vg g 0 pulse(0 4 0 1u 1u 1 2)
m1 d g 0 tj tc mx thermal
.temp 25
.tran 0.2m 40m
.end
)";
  auto out = runOk(net);
  const Collected& tr = out.get(AnalysisType::Tran);
  const auto& t = tr.x;
  const auto& tj = tr.col("v(tj)");
  const auto& id = tr.col("i(vd)");
  const double P = 10.0 * -id.back(), R = 10.0, tau = 1e-3 * R;
  EXPECT_NEAR(P, 10.0 * 0.25 * std::pow(0.1 * std::log1p(std::exp(10.0)), 2), 1e-6);
  int checked = 0;
  for (std::size_t k = 0; k < t.size(); ++k) {
    if (t[k] < 1e-4) continue;
    const double want = 25.0 + P * R * (1.0 - std::exp(-(t[k] - 1.5e-6) / tau));
    EXPECT_NEAR(tj[k], want, 2e-3 * P * R) << t[k];
    ++checked;
  }
  EXPECT_GT(checked, 20);
  EXPECT_NEAR(tj.back(), 25.0 + P * R * (1.0 - std::exp(-40e-3 / tau)), 1e-3 * P * R);
}

// AC sees the electrothermal linearisation: at a low frequency (CTHJ open) the
// small-signal tj and drain voltage equal the dc sensitivities d/dVg of two
// operating points (with the threshold's temperature law feeding the current
// back); at a high frequency (CTHJ a short) tj falls as 1/(omega CTHJ) times
// the power's sensitivity and the drain voltage has the isothermal gain.
TEST(DeviceSelfHeating, VdmosAcIsTheDcSensitivityAtLowFrequency) {
  auto deck = [](double vg, const char* analysis) {
    return std::string("vdmos electrothermal ac\n.model VN VDMOS(Vto=3.2 Kp=2 Lambda=3m tcvth=4m mu=-1.2 rthjc=0.8 "
                       "rthca=6 cthj=1m)\nVD d 0 12\nRL dd d 1\nVG g 0 dc ") +
           std::to_string(vg) + " ac 1\nM1 dd g 0 tj tc VN thermal\n" + analysis + "\n.end\n";
  };
  const double dv = 1e-4;
  auto hi = runOk(deck(3.8 + dv, ".op")), lo = runOk(deck(3.8 - dv, ".op"));
  const Collected &oh = hi.get(AnalysisType::Op), &ol = lo.get(AnalysisType::Op);
  const double dTj = (oh.col("v(tj)")[0] - ol.col("v(tj)")[0]) / (2 * dv);
  const double dVd = (oh.col("v(dd)")[0] - ol.col("v(dd)")[0]) / (2 * dv);
  auto ac = runOk(deck(3.8, ".ac dec 2 1e-4 1e6"));
  const Collected& a = ac.get(AnalysisType::Ac);
  const auto tj0 = a.phasor("v(tj)", 0), vd0 = a.phasor("v(dd)", 0);
  EXPECT_NEAR(tj0.real(), dTj, 1e-4 * std::fabs(dTj));
  EXPECT_NEAR(vd0.real(), dVd, 1e-4 * std::fabs(dVd));
  EXPECT_LT(std::fabs(tj0.imag()), 1e-3 * std::fabs(dTj));
  EXPECT_GT(dTj, 1.0);  // more gate drive, more power, a hotter junction
  const std::size_t last = a.x.size() - 1;
  ASSERT_NEAR(a.x[last], 1e6, 1.0);
  // at 1 MHz: tj = -j dP/(omega CTHJ) with dP the isothermal power sensitivity vds*gm' (gm' through RL)
  const auto vdh = a.phasor("v(dd)", last), tjh = a.phasor("v(tj)", last);
  const double id = -runOk(deck(3.8, ".op")).get(AnalysisType::Op).col("i(vd)")[0];
  const double vds = 12.0 - id;
  const double dP = std::fabs(vdh.real()) * (vds - id);  // d(vds id) with vds = 12 - id: (vds - id) did, did = -dvdd
  EXPECT_NEAR(std::abs(tjh), dP / (2 * M_PI * 1e6 * 1e-3), 2e-3 * std::abs(tjh));
  EXPECT_NEAR(std::arg(tjh), -M_PI / 2, 1e-2);
}

TEST(DeviceSelfHeating, VdmosNodesInternalOrGivenAndNoneWithoutRthjc) {
  // three nodes: internal m1#tj and m1#tc
  auto in = runOk("t\n.model mx vdmos vto=3 kp=0.5 rthjc=2 rthca=10\nvd d 0 10\nvg g 0 4\nm1 d g 0 mx thermal\n.op\n.end\n");
  const Collected& a = in.get(AnalysisType::Op);
  auto given = runOk("t\n.model mx vdmos vto=3 kp=0.5 rthjc=2 rthca=10\nvd d 0 10\nvg g 0 4\nm1 d g 0 tj tc mx thermal\n"
                     ".op\n.end\n");
  const Collected& b = given.get(AnalysisType::Op);
  EXPECT_NEAR(a.col("i(vd)")[0], b.col("i(vd)")[0], 1e-12);
  EXPECT_GT(b.col("v(tj)")[0], 27.0 + 10.0);
  // four nodes: tj given, tc internal
  auto four = runOk("t\n.model mx vdmos vto=3 kp=0.5 rthjc=2 rthca=10\nvd d 0 10\nvg g 0 4\nm1 d g 0 tj mx thermal\n"
                    ".op\n.end\n");
  EXPECT_NEAR(four.get(AnalysisType::Op).col("v(tj)")[0], b.col("v(tj)")[0], 1e-9);
  // the flag without RTHJC, or RTHJC without the flag: no self-heating (as ngspice 39)
  for (const char* card : {".model mx vdmos vto=3 kp=0.5\nm1 d g 0 mx thermal\n",
                           ".model mx vdmos vto=3 kp=0.5 rthjc=2\nm1 d g 0 mx\n"}) {
    auto cold = runOk("t\n" + std::string(card) + "vd d 0 10\nvg g 0 4\n.op\n.end\n");
    EXPECT_NEAR(-cold.get(AnalysisType::Op).col("i(vd)")[0], 0.25 * std::pow(0.1 * std::log1p(std::exp(10.0)), 2),
                1e-9);
  }
  // a thermal resistance of zero is an error that names the device
  Bench bad = thermalVdmos({{"vto", 3}, {"rthjc", 0}});
  ASSERT_FALSE(bad.status.ok());
  EXPECT_TRUE(contains(bad.status.error().message, "RTHJC and RTHCA must be positive"));
}

// ---------------------------------------------------------------- diode

Bench thermalDiode(Params mp) {
  Bench b;
  b.setup.circ.models.push_back(model("dm", "d", std::move(mp)));
  b.setup.circ.devices.push_back(device("d1", {"a", "k", "t"}, 0, {{"thermal", 1}}));
  b.status = b.build();
  return b;
}

TEST(DeviceSelfHeating, DiodeJacobianWithTheTemperatureColumnMatchesFiniteDifferences) {
  const Params base = {{"is", 1e-12}, {"n", 1.3},  {"rs", 0.4},   {"trs1", 4e-3}, {"trs2", 1e-5}, {"bv", 30},
                       {"ibv", 1e-4}, {"tcv", 0.02}, {"isr", 1e-10}, {"nr", 2},     {"ikf", 0.5},   {"xti", 3.5},
                       {"eg", 1.15},  {"rth0", 40}, {"cth0", 2e-4}};
  for (bool charges : {false, true}) {
    Params mp = base;
    if (charges) mp.insert(mp.end(), {{"cjo", 1e-10}, {"tt", 1e-8}, {"tm1", 1e-3}});
    Bench b = thermalDiode(mp);
    ASSERT_TRUE(b.status.ok()) << b.status.error().message;
    for (auto [va, vk, vap, dt] : std::vector<std::array<double, 4>>{
             {0.9, 0.0, 0.75, 20.0}, {0.6, 0.1, 0.45, 0.0}, {-10.0, 0.0, -10.0, 5.0}, {-31.0, 0.0, -30.5, 60.0},
             {1.2, -0.1, 0.8, 150.0}}) {
      auto x = vec(b.n(), {{b.node("a"), va}, {b.node("k"), vk}, {b.node("d1#a"), vap}, {b.node("t"), dt}});
      const std::string what = "va=" + std::to_string(va) + " dt=" + std::to_string(dt);
      EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::DcOp, 0, what), 1.0);
      if (!charges) EXPECT_LE(checkJacobian(b, x, dev::AnalysisMode::Tran, 1e5, what + " tran"), 1.0);
    }
  }
}

// The node t is the rise: RTH0 times the power V I the source delivers; the
// current is IS(T) (exp(vd/(N vt(T))) - 1) at T = ambient + rise with the
// junction voltage vd = V - I RS and IS(T) = IS (T/TNOM)^(XTI/N)
// exp((T/TNOM - 1) EG/(N vt(T))).
TEST(DeviceSelfHeating, DiodeRiseIsPowerTimesRth0AndTheCurrentFollowsIt) {
  const std::string net = R"(diode self-heating
.model dm d is=1e-12 n=1.2 rs=0.5 rth0=50 cth0=1e-4 xti=3 eg=1.11
v1 a 0 1.0
d1 a 0 t dm thermal
.temp 35
.op
.end
)";
  auto out = runOk(net);
  const Collected& op = out.get(AnalysisType::Op);
  const double rise = op.col("v(t)")[0], i = -op.col("i(v1)")[0];
  EXPECT_GT(rise, 5.0);
  EXPECT_NEAR(rise, 50.0 * 1.0 * i, 1e-6 * rise);
  const double T = 308.15 + rise, Tnom = 300.15, vt = 1.380649e-23 / 1.602176634e-19 * T;
  const double isT = 1e-12 * std::pow(T / Tnom, 3.0 / 1.2) * std::exp((T / Tnom - 1.0) * 1.11 / (1.2 * vt));
  const double vd = 1.0 - 0.5 * i;
  EXPECT_NEAR(i, isT * (std::exp(vd / (1.2 * vt)) - 1.0), 1e-5 * i);
}

TEST(DeviceSelfHeating, DiodeHotterThanWhereVjFallsToZeroHasTheCurrentOfItsTemperature) {
  // VJ(T) = 0 near 800 degC for VJ = 1: the junction's solution at 830 degC (ngspice's
  // examples/soa) takes the parameters of 830 degC, as one held at that temperature does,
  // not the last iterate's short of the zero (5.859 A at 800 degC against 5.905 A)
  const auto current = [](const std::string& cards) {
    return -runOk("t\n.model dm d rs=200m bv=21 rth0=1e6 tnom=25\nv1 1 0 1.2\n" + cards + ".op\n.end\n")
                .get(AnalysisType::Op)
                .col("i(v1)")[0];
  };
  auto out = runOk("t\n.temp 100\nvtamb tamb 0 27\nv1 1 0 1.2\nd1 1 0 tj dm thermal\nrtj tj tamb 100\n"
                   ".model dm d rs=200m bv=21 rth0=1e6 tnom=25\n.op\n.end\n");
  const Collected& op = out.get(AnalysisType::Op);
  const double rise = op.col("v(tj)")[0], i = -op.col("i(v1)")[0];
  EXPECT_GT(rise, 720.0);
  EXPECT_LT(rise, 750.0);
  char temp[64];
  std::snprintf(temp, sizeof temp, "d1 1 0 dm temp=%.9g\n", 100.0 + rise);
  EXPECT_NEAR(i, current(temp), 1e-6 * i);
  EXPECT_GT(i, current("d1 1 0 dm temp=810\n") + 0.02);
}

TEST(DeviceSelfHeating, TwoSelfHeatingVdmosFindTheirOperatingPointWithTemperaturesHeldFirst) {
  // ngspice's examples/vdmos/100W.sp (its input at 0 V): with both output transistors
  // self-heating, plain Newton and every fallback went to thousands of degrees and failed
  // ("singular matrix ... node 'tp'"); held at their instance temperatures first, then released
  const std::string deck = R"(100W VDMOS power amplifier
VTamb tamb 0 25
MQ1 +V N010 N012 tn tcn IRFP240 thermal
X1 tcn tamb case-ambient
MQ2 -V N020 N017 tp tcp IRFP9240 thermal
X2 tcp tamb case-ambient
R1 OUT N017 .33
R2 N012 OUT .33
C1 OUT N016 100n
R3 N016 0 10
R4 N010 N009 470
R5 N020 N019 470
V1 +V 0 50
V2 0 -V 50
Q3 N009 N006 N005 0 MJE350
Q4 N006 N006 N004 0 MJE350
R6 +V N005 100
R7 N009 N019 820
Q5 N019 N023 N024 0 MJE340
R8 +V N004 100
R9 N024 -V 100
Q6 N022 N021 N024 0 MJE340
C2 N023 N019 18p
C3 N022 N021 18p
R10 N006 N022 10K
Q7 N023 N015 N008 0 MJE350
Q8 N021 N011 N008 0 MJE350
R13 N023 -V 3.9K
R14 N021 -V 3.9K
Q9 N008 N003 N001 0 MJE350
R15 +V N001 470
R16 N002 N001 1K
Q10 N003 N002 +V 0 MJE350
R17 N003 N007 10K
R18 N007 0 10K
C4 +V N007 47u
R19 OUT1 N011 27K
R20 N011 N018 1K
C5 N018 0 100u
C6 N015 0 330p
R21 N015 N014 2.2K
R22 N014 0 47K
C7 N014 N013 2.2u
Vin N013 0 ac 0 dc 0 SINE(0 {V} 1K)
RLOAD OUT 0 8
R24 +V N011 3.7Meg
R25 N011 -V 6.1Meg
V3 OUT OUT1 dc 0 ac 1
C8 OUT1 N011 3p
.param V=0
.model IRFP240 VDMOS nchan
+ Vto=4 Kp=5.9 Lambda=.001 Theta=0.015 ksubthres=.27
+ Rd=61m Rs=18m Rg=3 Rds=1e7
+ Cgdmax=2.45n Cgdmin=10p a=0.3 Cgs=1.2n
+ Is=60p N=1.1 Rb=14m XTI=3
+ Cjo=1.5n Vj=0.8 m=0.5
+ tcvth=0.0065 MU=-1.27 texp0=1.5
+ Rthjc=0.4 Cthj=5e-3
+ mtriode=0.8
.model IRFP9240 VDMOS pchan
+ Vto=-4 Kp=8.8 Lambda=.003 Theta=0.08 ksubthres=.35
+ Rd=180m Rs=50m Rg=3 Rds=1e7
+ Cgdmax=1.25n Cgdmin=50p a=0.23 Cgs=1.15n
+ Is=150p N=1.3 Rb=16m XTI=2
+ Cjo=1.3n Vj=0.8 m=0.5
+ tcvth=0.004 MU=-1.27 texp0=1.5
+ Rthjc=0.4 Cthj=5e-3
+ mtriode=0.6
.model MJE340 NPN(Is=1.03431e-13 BF=172.974 NF=.939811 VAF=27.3487 IKF=0.0260146 ISE=4.48447e-11 Ne=1.61605 Br=16.6725
+ Nr=0.796984 VAR=6.11596 IKR=0.10004 Isc=9.99914e-14 Nc=1.99995 RB=1.47761 IRB=0.2 RBM=1.47761 Re=0.0001 RC=1.42228
+ XTB=2.70726 XTI=1 Eg=1.206 CJE=1e-11 VJE=0.75 Mje=.33 TF=1e-09 XTF=1 VTF=10 ITF=0.01 CJC=1e-11 VJC=.75 MJC=0.33 XCJC=.9
+ Fc=0.5 CJS=0 VJS=0.75 MJS=0.5 TR=1e-07 PTF=0 KF=1e-15 AF=1)
.model MJE350 PNP(Is=6.01619e-15 BF=157.387 NF=.910131 VAF=23.273 IKF=0.0564808 Ise=4.48479e-12 Ne=1.58557 BR=0.1
+ NR=1.03823 VAR=4.14543 IKR=.0999978 ISC=1.00199e-13 Nc=1.98851 RB=.1 IRB=0.202965 RBM=0.1 Re=.0710678 Rc=.355339
+ XTB=1.03638 XTI=3.8424 Eg=1.206 Cje=1e-11 Vje=0.75 Mje=0.33 TF=1e-09 XTF=1 VTF=10 ITF=0.01 Cjc=1e-11 Vjc=0.75
+ Mjc=0.33 XCJC=0.9 Fc=0.5 Cjs=0 Vjs=0.75 Mjs=0.5 TR=1e-07 PTF=0 KF=1e-15 AF=1)
.subckt case-ambient case amb
rcs case 1 0.1
csa 1 0 30m
rsa 1 amb 1.3
.ends
)";
  auto out = runOk(deck + ".op\n.end\n");
  ASSERT_FALSE(out.stats.opStrategies.empty());
  EXPECT_EQ(out.stats.opStrategies[0], "held temperatures");
  const Collected& op = out.get(AnalysisType::Op);
  const double tn = op.col("v(tn)")[0], tcn = op.col("v(tcn)")[0], tp = op.col("v(tp)")[0];
  // about 1 W each: RTHJC 0.4, then 0.1 + 1.3 K/W to the 25 degC ambient (and the model's own
  // RTHCA, 1000 K/W to 27 degC, in parallel: 0.1 %)
  EXPECT_GT(tn, 26.0);
  EXPECT_LT(tn, 28.0);
  EXPECT_NEAR((tcn - 25.0) / (tn - tcn), 1.4 / 0.4, 0.01);
  EXPECT_NEAR(tp, tn, 0.01);
  // a solution: a transient from it stays there
  auto tr = runOk(deck + ".tran 10u 2m\n.end\n");
  const Collected& t = tr.get(AnalysisType::Tran);
  for (const char* n : {"v(tn)", "v(tp)", "v(tcn)", "v(n010)", "v(n020)"}) {
    const auto& v = t.col(n);
    EXPECT_NEAR(v.back(), op.col(n)[0], 1e-6) << n;
  }
}

TEST(NetlistDiode, ThirdNodeIsTheTemperatureRiseOnlyWithThermalAndRth0) {
  // ngspice 39: the third node, `thermal` and RTH0 make self-heating; any of them missing, none
  const std::string tail = "v1 a 0 0.65\n.op\n.end\n";
  auto hot = runOk("t\n.model dm d is=1e-12 rth0=100\nd1 a 0 t dm thermal\n" + tail);
  EXPECT_GT(hot.get(AnalysisType::Op).col("v(t)")[0], 1.0);
  auto noNode = runOk("t\n.model dm d is=1e-12 rth0=100\nd1 a 0 dm thermal\n" + tail);
  auto cold = runOk("t\n.model dm d is=1e-12\nd1 a 0 dm\n" + tail);
  EXPECT_NEAR(noNode.get(AnalysisType::Op).col("i(v1)")[0], cold.get(AnalysisType::Op).col("i(v1)")[0], 1e-15);
  auto e = simcore::testing::runErr("t\n.model dm D(is=1n rth0=-10)\nV1 a 0 1\nD1 a 0 t dm thermal\n.op\n.end\n");
  EXPECT_TRUE(contains(e.message, "RTH0 must be positive")) << e.message;
  EXPECT_EQ(e.loc.line, 2);
}

}  // namespace
