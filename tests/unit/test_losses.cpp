// The loss engine and thermal networks (issue 16): table interpolation, the
// loss meter against the analytic losses of a buck at constant load current,
// reverse recovery with the blocking voltage after the instant, exact thermal
// steps (Foster and Cauer against their closed forms), junction-temperature
// feedback, the thermal step's splitting error, and the .thermal front end.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "losses/table.hpp"
#include "losses/thermal_network.hpp"
#include "test_kernel_support.cpp"

using namespace simcore;
using simcore::testing::Collected;
using simcore::testing::runErr;
using simcore::testing::runOk;
using simcore::testing::RunOutput;

namespace {

ir::LossTable table3() {
  // E = 1e-6 * (2 i + 3 v + 5 T + i v) on i {0, 10, 20}, v {100, 200}, T {25, 125}
  ir::LossTable t;
  t.current = {0, 10, 20};
  t.voltage = {100, 200};
  t.temperature = {25, 125};
  for (double T : t.temperature)
    for (double v : t.voltage)
      for (double i : t.current) t.values.push_back(1e-6 * (2 * i + 3 * v + 5 * T + i * v));
  return t;
}
double f3(double i, double v, double T) { return 1e-6 * (2 * i + 3 * v + 5 * T + i * v); }

}  // namespace

TEST(LossTable, MultilinearInsideExactForBilinearData) {
  const ir::LossTable t = table3();
  EXPECT_EQ(losses::checkTable(t), "");
  for (double i : {0.0, 3.0, 10.0, 17.5, 20.0})
    for (double v : {100.0, 150.0, 200.0})
      for (double T : {25.0, 60.0, 125.0}) EXPECT_NEAR(losses::evaluate(t, i, v, T), f3(i, v, T), 1e-15);
}

TEST(LossTable, CurrentAndVoltageExtrapolateTemperatureClamps) {
  const ir::LossTable t = table3();
  // linear data extrapolates exactly along i and v
  EXPECT_NEAR(losses::evaluate(t, 30, 100, 25), f3(30, 100, 25), 1e-15);
  EXPECT_NEAR(losses::evaluate(t, 10, 300, 25), f3(10, 300, 25), 1e-15);
  EXPECT_NEAR(losses::evaluate(t, -5, 50, 25), f3(-5, 50, 25), 1e-15);
  // temperature is held at the ends of its axis
  EXPECT_NEAR(losses::evaluate(t, 10, 100, 200), f3(10, 100, 125), 1e-15);
  EXPECT_NEAR(losses::evaluate(t, 10, 100, -40), f3(10, 100, 25), 1e-15);
}

TEST(LossTable, OneAndTwoDimensionalTablesAndShapeErrors) {
  ir::LossTable v;  // conduction drop v(i): 0.7 V + 10 mOhm, one voltage and temperature point
  v.current = {0, 100};
  v.voltage = {0};
  v.temperature = {25};
  v.values = {0.7, 1.7};
  EXPECT_NEAR(losses::evaluate(v, 40, 123, 80), 1.1, 1e-15);
  EXPECT_NEAR(losses::evaluate(v, 200, 0, 25), 2.7, 1e-15);
  ir::LossTable two = v;  // v(i, T)
  two.temperature = {25, 125};
  two.values = {0.7, 1.7, 0.6, 2.1};
  EXPECT_NEAR(losses::evaluate(two, 50, 0, 75), 0.5 * (1.2 + 1.35), 1e-15);
  EXPECT_EQ(losses::evaluate(ir::LossTable{}, 1, 2, 3), 0.0);
  ir::LossTable bad = v;
  bad.values.pop_back();
  EXPECT_NE(losses::checkTable(bad).find("need 2"), std::string::npos);
  bad = v;
  bad.current = {100, 0};
  EXPECT_NE(losses::checkTable(bad).find("ascending"), std::string::npos);
  bad = v;
  bad.voltage.clear();
  EXPECT_NE(losses::checkTable(bad).find("empty"), std::string::npos);
}

namespace {

ir::ThermalElement chainElement(const std::string& a, const std::string& b, ir::ThermalChain::Kind k,
                                std::vector<double> r, std::vector<double> tau) {
  ir::ThermalElement e;
  e.kind = ir::ThermalElement::Kind::Chain;
  e.name = "z1";
  e.a = a;
  e.b = b;
  e.chain.kind = k;
  e.chain.r = std::move(r);
  e.chain.tau = std::move(tau);
  return e;
}

}  // namespace

TEST(ThermalNetwork, FosterStepResponseIsExactAtAnyStep) {
  const std::vector<double> R = {0.1, 0.25, 0.4}, tau = {1e-3, 2e-2, 0.5};
  auto net = losses::ThermalNetwork::build({chainElement("j", "0", ir::ThermalChain::Kind::Foster, R, tau)},
                                           {{"d1", "j", {}, {}}}, 40.0);
  ASSERT_TRUE(net.ok()) << net.error().format();
  losses::ThermalNetwork& n = net.value();
  EXPECT_NEAR(n.junction(0), 40.0, 1e-12);
  const double P = 50;
  double t = 0;
  // uneven steps, from much shorter to much longer than the time constants
  for (double h : {1e-5, 3e-4, 1e-3, 7e-3, 0.05, 0.2, 1.0, 3.0}) {
    n.step(h, {P});
    t += h;
    double rise = 0;
    for (std::size_t k = 0; k < R.size(); ++k) rise += P * R[k] * (1 - std::exp(-t / tau[k]));
    EXPECT_NEAR(n.junction(0) - 40.0, rise, 1e-6 * rise) << "t = " << t;
  }
  EXPECT_NEAR(n.slowest(), 0.5, 1e-9);
  EXPECT_NEAR(n.fastest(), 1e-3, 1e-12);
}

TEST(ThermalNetwork, CauerLadderMatchesItsClosedForm) {
  // j -R1- m -R2- ambient, C1 = tau1/R1 at j, C2 = tau2/R2 at m
  const double R1 = 0.2, R2 = 0.5, t1 = 2e-3, t2 = 5e-2, C1 = t1 / R1, C2 = t2 / R2, P = 10;
  auto net = losses::ThermalNetwork::build({chainElement("j", "0", ir::ThermalChain::Kind::Cauer, {R1, R2}, {t1, t2})},
                                           {{"d1", "j", {}, {}}}, 25.0);
  ASSERT_TRUE(net.ok()) << net.error().format();
  // closed form: x' = A x + b, A = [[-1/(R1 C1), 1/(R1 C1)], [1/(R1 C2), -(1/R1 + 1/R2)/C2]], b = [P/C1, 0]
  const double a = -1 / (R1 * C1), b = 1 / (R1 * C1), c = 1 / (R1 * C2), d = -(1 / R1 + 1 / R2) / C2;
  const double tr = a + d, det = a * d - b * c, disc = std::sqrt(tr * tr / 4 - det);
  const double l1 = tr / 2 + disc, l2 = tr / 2 - disc;
  const double xs1 = P * (R1 + R2);  // steady state at j
  // x1(t) = xs1 + k1 e^{l1 t} + k2 e^{l2 t}, x1(0) = 0, x1'(0) = P/C1
  const double k2 = (P / C1 + l1 * xs1) / (l2 - l1), k1 = -xs1 - k2;
  double t = 0;
  for (double h : {1e-4, 1e-3, 4e-3, 2e-2, 0.1, 0.5}) {
    net.value().step(h, {P});
    t += h;
    const double want = xs1 + k1 * std::exp(l1 * t) + k2 * std::exp(l2 * t);
    EXPECT_NEAR(net.value().junction(0) - 25.0, want, 1e-6 * xs1) << "t = " << t;
  }
  // the Foster equivalent of one cell is the same one-rung Cauer ladder
  auto f = losses::ThermalNetwork::build({chainElement("j", "0", ir::ThermalChain::Kind::Foster, {R1}, {t1})},
                                         {{"d1", "j", {}, {}}}, 25.0);
  auto k = losses::ThermalNetwork::build({chainElement("j", "0", ir::ThermalChain::Kind::Cauer, {R1}, {t1})},
                                         {{"d1", "j", {}, {}}}, 25.0);
  for (int s = 0; s < 5; ++s) {
    f.value().step(7e-4, {P});
    k.value().step(7e-4, {P});
    EXPECT_NEAR(f.value().junction(0), k.value().junction(0), 1e-10);
  }
}

TEST(ThermalNetwork, FloatingNodeIsALocatedError) {
  ir::ThermalElement c;
  c.kind = ir::ThermalElement::Kind::Capacitance;
  c.name = "chs";
  c.a = "hs";
  c.b = "0";
  c.value = 10;
  c.loc = SourceLoc{"x.cir", 7, 1};
  auto net = losses::ThermalNetwork::build({c}, {}, 25.0);
  ASSERT_FALSE(net.ok());
  EXPECT_NE(net.error().message.find("thermal node 'hs' has no path"), std::string::npos) << net.error().message;
  EXPECT_EQ(net.error().loc.line, 7);
}

namespace {

// A switch and a diode at a constant 10 A load (a current source): the
// switch conducts for D = 3.001u / 10u of each 100 kHz period.
std::string buck(const std::string& swExtra, const std::string& dExtra, const std::string& tail) {
  return "buck at constant load current\n"
         ".model SWM PWLMOS(ron=10m vt=0.5 diode=0 eon=100u eoff=200u vref=100 iref=10" + swExtra + ")\n"
         ".model DM PWLDIODE(von=0.8 ron=5m err=50u vref=100 iref=10" + dExtra + ")\n"
         "VIN vin 0 DC 100\n"
         "VG g 0 PULSE(0 1 0 1n 1n 3u 10u)\n"
         "S1 vin sw g 0 SWM\n"
         "D1 0 sw DM\n"
         "IL sw 0 DC 10\n" + tail;
}

constexpr double kD = 3.001e-6 / 10e-6;

}  // namespace

TEST(LossMeter, BuckConductionAndSwitchingLossesMatchTheAnalyticValues) {
  auto out = runOk(buck("", "", ".options lossperiod=10u\n.tran 0.1u 100u\n"));
  ASSERT_EQ(out.stats.losses.size(), 2u);
  const DeviceLossStats* s = nullptr;
  const DeviceLossStats* d = nullptr;
  for (const auto& l : out.stats.losses) (l.device == "s1" ? s : d) = &l;
  ASSERT_TRUE(s && d);
  EXPECT_NEAR(out.stats.lossFrom, 90e-6, 1e-12);
  EXPECT_NEAR(out.stats.lossTo, 100e-6, 1e-12);
  const double I = 10, f = 1e5;
  // switch: I^2 r D; diode: (von + ron I) I (1 - D)
  EXPECT_NEAR(s->conductionLoss, I * I * 10e-3 * kD, 1e-3 * I * I * 10e-3 * kD);
  EXPECT_NEAR(d->conductionLoss, (0.8 + 5e-3 * I) * I * (1 - kD), 1e-3 * 8.5 * (1 - kD));
  // switching: blocking voltage of the off switch = Vin + the diode's drop; E scales with v and i
  const double vOff = 100 + 0.8 + 5e-3 * I, vDiode = 100 - 10e-3 * I;
  const double psw = (100e-6 + 200e-6) * (vOff / 100) * f;
  EXPECT_NEAR(s->switchingLoss, psw, 1e-3 * psw);
  // reverse recovery at the diode's blocking voltage AFTER the instant (~99.9 V), not the ~0 V at it
  const double prr = 50e-6 * (vDiode / 100) * f;
  EXPECT_NEAR(d->switchingLoss, prr, 1e-3 * prr);
  EXPECT_EQ(s->switchingEvents, 20);
  EXPECT_EQ(d->switchingEvents, 20);
  // the table: one row per thermal step (the loss period), per-device columns
  const Collected& L = out.get(AnalysisType::Losses);
  EXPECT_EQ(L.rows, 10u);
  EXPECT_NEAR(L.x.back(), 100e-6, 1e-15);
  EXPECT_NEAR(L.col("p_sw(s1)").back(), psw, 1e-3 * psw);
  EXPECT_NEAR(L.col("p_sw(d1)").back(), prr, 1e-3 * prr);
  EXPECT_NEAR(L.col("e_sw(s1)").back(), s->switchingEnergy, 1e-15);
  EXPECT_NEAR(L.col("e_cond(d1)").back(), d->conductionEnergy, 1e-15);
  EXPECT_NEAR(L.col("tj(s1)").back(), 27.0, 1e-12);  // no thermal network: the ambient
  // efficiency: output = input - the semiconductors' electrical dissipation
  const double pin = 100 * I * kD;
  EXPECT_NEAR(out.stats.inputPower, pin, 2e-3 * pin);
  const double loss = s->conductionLoss + s->switchingLoss + d->conductionLoss + d->switchingLoss;
  EXPECT_NEAR(out.stats.lossPower, loss, 1e-9 * loss);
  EXPECT_NEAR(out.stats.efficiency, out.stats.outputPower / (out.stats.outputPower + loss), 1e-12);
  EXPECT_GT(out.stats.efficiency, 0);
  EXPECT_LT(out.stats.efficiency, 1);
}

TEST(LossMeter, SpiceModeMetersTheSameLosses) {
  auto ev = runOk(buck("", "", ".options lossperiod=10u\n.tran 0.1u 50u\n"));
  auto sp = runOk(buck("", "", ".options lossperiod=10u switching=spice\n.tran 0.1u 50u\n"));
  ASSERT_EQ(ev.stats.losses.size(), sp.stats.losses.size());
  for (std::size_t k = 0; k < ev.stats.losses.size(); ++k) {
    EXPECT_NEAR(sp.stats.losses[k].conductionLoss, ev.stats.losses[k].conductionLoss, 2e-3 * ev.stats.losses[k].conductionLoss);
    EXPECT_NEAR(sp.stats.losses[k].switchingLoss, ev.stats.losses[k].switchingLoss, 2e-3 * ev.stats.losses[k].switchingLoss);
  }
}

TEST(LossMeter, NoLossDataNoLossesAnalysis) {
  auto out = runOk("plain\n.model DM PWLDIODE(von=0.7)\nV1 a 0 SIN(0 10 1k)\nD1 a b DM\nR1 b 0 10\n.tran 10u 2m\n");
  for (const auto& a : out.analyses) EXPECT_NE(a.header.type, AnalysisType::Losses);
  EXPECT_TRUE(out.stats.losses.empty());
}

TEST(LossMeter, JunctionTemperatureFeedsBackIntoTheConductionLoss) {
  // Rth 2 K/W to a 40 degC ambient and no capacitance: each thermal step's
  // Tj is the previous step's losses times Rth; rloss grows with tcr.
  const std::string net = buck(" tcr=4m tref=25", "",
                               ".options lossperiod=10u\n.thermal\nJs1 s1 hs\nRhs hs 0 2\nTa amb 0 40\nRamb amb 0 1\n"
                               "Jd1 d1 0\n.endthermal\n.temp 40\n.tran 0.1u 100u\n");
  auto out = runOk(net);
  const Collected& L = out.get(AnalysisType::Losses);
  ASSERT_GE(L.rows, 5u);
  const auto& p = L.col("p_cond(s1)");
  const auto& psw = L.col("p_sw(s1)");
  const auto& tj = L.col("tj(s1)");
  for (std::size_t k = 2; k < L.rows; ++k) {
    // the loss of window k uses Tj at the end of window k-1 (the table's rule: r(1 + tcr (Tj - tref)))
    const double want = 100 * 10e-3 * (1 + 4e-3 * (tj[k - 1] - 25)) * kD;
    EXPECT_NEAR(p[k], want, 1e-3 * want) << "row " << k;
    // and Tj is the ambient plus that window's loss times Rth
    EXPECT_NEAR(tj[k], 40 + 2 * (p[k] + psw[k]), 1e-9 * tj[k]) << "row " << k;
  }
  EXPECT_GT(tj.back(), 100.0);  // ~ 40 + 2 * 30 W
  EXPECT_NEAR(L.col("tj(d1)").back(), 40.0, 1e-12);  // junction on the ambient
  EXPECT_NEAR(L.col("t(amb)").back(), 40.0, 1e-12);
}

TEST(LossMeter, EnergiesFollowTheirTemperatureCoefficient) {
  const std::string th = ".options lossperiod=10u\n.thermal\nJs1 s1 0\n.endthermal\n.temp 125\n.tran 0.1u 50u\n";
  auto hot = runOk(buck(" tce=2m tref=25", "", th));
  auto ref = runOk(buck("", "", th));
  auto sw = [](const RunOutput& r) {
    for (const auto& l : r.stats.losses)
      if (l.device == "s1") return l.switchingLoss;
    return 0.0;
  };
  EXPECT_NEAR(sw(hot) / sw(ref), 1 + 2e-3 * (125 - 25), 1e-9);
}

TEST(LossMeter, ThermalStepSplittingErrorAgainstAFullyCoupledRun) {
  // a junction with a 20 us Foster cell on a 100 kHz buck, 15 periods:
  // the thermal step = the period vs the thermal step at every electrical step
  const std::string net = buck(" tcr=5m", "", "") + ".thermal\nJs1 s1 hs\nZjc hs 0 foster 1 20u 0.5 200u\n.endthermal\n";
  auto split = runOk(net + ".options thermalstep=10u\n.tran 0.1u 150u\n");
  auto coupled = runOk(net + ".options thermalstep=1f\n.tran 0.1u 150u\n");
  const Collected& a = split.get(AnalysisType::Losses);
  const Collected& b = coupled.get(AnalysisType::Losses);
  EXPECT_EQ(a.rows, 15u);
  EXPECT_GT(b.rows, 200u);
  // the coupled run's Tj over the last period: its mean, and its ripple
  const auto& tc = b.col("tj(s1)");
  double sum = 0, span = 0, lo = 1e300, hi = -1e300;
  for (std::size_t k = 1; k < b.rows; ++k) {
    if (b.x[k - 1] < 140e-6 - 1e-12) continue;
    sum += 0.5 * (tc[k] + tc[k - 1]) * (b.x[k] - b.x[k - 1]);
    span += b.x[k] - b.x[k - 1];
    lo = std::min(lo, tc[k]);
    hi = std::max(hi, tc[k]);
  }
  const double mean = sum / span;
  const auto& ts = a.col("tj(s1)");
  const double est = 0.5 * (ts[a.rows - 1] + ts[a.rows - 2]);  // (its Tj is exact at the step ends)
  const double rise = mean - 27;
  std::printf("thermal splitting: coupled mean Tj %.4f (ripple %.4f .. %.4f), split (thermal step = period) %.4f at the "
              "end, mean of the last two step ends %.4f; error %.3f %% of the rise %.3f K\n",
              mean, lo, hi, ts.back(), est, 100 * (est - mean) / rise, rise);
  EXPECT_GT(rise, 5);
  EXPECT_LT(std::fabs(est - mean), 0.01 * rise);
  // the energies agree closely (only Tj's effect on r differs)
  const double ea = a.col("e_cond(s1)").back(), eb = b.col("e_cond(s1)").back();
  EXPECT_NEAR(ea, eb, 5e-3 * eb);
}

TEST(ThermalNetlist, SubcircuitExposesAHeatSinkPin) {
  const std::string net =
      "pack on a heat sink\n"
      ".subckt leg vin sw g hs\n"
      ".model SWM PWLMOS(ron=10m vt=0.5 diode=0 rthjc=0.5)\n"
      ".model DM PWLDIODE(von=0.8 ron=5m rthjc=[0.2 0.3] tauthjc=[1u 10u])\n"
      "S1 vin sw g 0 SWM\n"
      "D1 0 sw DM\n"
      ".thermal\nJs1 s1 hs\nJd1 d1 hs\n.endthermal\n"
      ".ends\n"
      "VIN vin 0 DC 100\nVG g 0 PULSE(0 1 0 1n 1n 3u 10u)\nIL sw 0 DC 10\n"
      "X1 vin sw g sink leg\n"
      ".thermal\nRsa sink 0 0.5\nCsa sink 0 1m\n.endthermal\n"
      ".tran 0.1u 50u\n";
  auto out = runOk(net);
  const Collected& L = out.get(AnalysisType::Losses);
  ASSERT_TRUE(L.has("tj(x1.s1)"));
  ASSERT_TRUE(L.has("t(sink)"));
  EXPECT_FALSE(L.has("t(x1.hs)"));
  EXPECT_GT(L.col("t(sink)").back(), 27.0);
  // s1's chain is rthjc = 0.5 K/W without capacitance: Tj = T(sink) + 0.5 K/W times that thermal step's loss
  const auto& tj = L.col("tj(x1.s1)");
  const auto& ts = L.col("t(sink)");
  const auto& p = L.col("p_cond(x1.s1)");
  bool heated = false;
  for (std::size_t k = 0; k < L.rows; ++k) {
    EXPECT_NEAR(tj[k] - ts[k], 0.5 * p[k], 1e-9) << "row " << k;
    heated = heated || p[k] > 0.1;
  }
  EXPECT_TRUE(heated);
  EXPECT_GT(L.col("tj(x1.d1)").back(), L.col("t(sink)").back());
}

TEST(ThermalNetlist, MistakesAreLocatedErrors) {
  const std::string base = buck("", "", "");
  struct Case {
    std::string block;
    const char* message;
    int line;
  };
  const int first = 10;  // the first line after .thermal
  const Case cases[] = {
      {"Jx nosuch hs\nRh hs 0 1\n", "no device named 'nosuch'", first},
      {"Jv vin hs\nRh hs 0 1\n", "has no losses", first},
      {"Rh hs 0 -1\n", "must be > 0", first},
      {"Zh hs 0 foster 1\n", "expected Zname", first},
      {"Zh hs 0 warm 1 1m\n", "expected foster or cauer", first},
      {"Ch hs 0 1\nJs1 s1 hs\n", "thermal node 'hs' has no path", first},
      {"Th hs 1 30\n", "referred to node 0", first},
      {"Js1 s1 0\nJs2 s1 0\n", "two junction elements", first + 1},
      {"Rh hs 0 1\nRh hs 0 2\n", "duplicate thermal element 'rh'", first + 1},
      {"Q1 a b 1\n", "unknown thermal element", first},
  };
  for (const Case& c : cases) {
    const Error e = runErr(base + ".thermal\n" + c.block + ".endthermal\n.tran 0.1u 20u\n");
    EXPECT_NE(e.message.find(c.message), std::string::npos) << c.block << " -> " << e.message;
    EXPECT_EQ(e.loc.line, c.line) << c.block << " -> " << e.message;
  }
  EXPECT_NE(runErr(base + ".thermal\nRh hs 0 1\n.tran 0.1u 20u\n").message.find("no matching '.endthermal'"), std::string::npos);
  EXPECT_NE(runErr(base + ".endthermal\n.tran 0.1u 20u\n").message.find("without a matching"), std::string::npos);
  EXPECT_NE(runErr("x\n.model DM PWLDIODE(err=1u vref=0 iref=1)\nV1 a 0 1\nD1 a 0 DM\n.tran 1u 10u\n").message.find("vref and iref must be > 0"),
            std::string::npos);
  EXPECT_NE(runErr("x\n.model DM PWLDIODE(err=1u)\nV1 a 0 1\nD1 a 0 DM\n.tran 1u 10u\n").message.find("reference point"),
            std::string::npos);
}

TEST(LossMeter, FileDataTablesAndChainTakePrecedenceOverInlineValues) {
  // the model's inline eon/eoff/ron are overridden by SemiconductorData (as a
  // losses= file would give it): E_on = 1e-7 i v (2-D), E_off(i) (1-D),
  // v_on(i, Tj) = (0.02 + 2e-4 (Tj - 25)) i (2-D), junction-case 0.5 K/W
  ir::ParseOptions po;
  auto c = ir::parseNetlist(buck("", "", ".options lossperiod=10u\n.thermal\nJs1 s1 0\n.endthermal\n.temp 25\n.tran 0.1u 60u\n"), po);
  ASSERT_TRUE(c.ok()) << c.error().format();
  ir::SemiconductorData sd;
  sd.name = "TEST-FET";
  sd.deviceClass = "mosfet";
  sd.turnOn = {{0, 20}, {0, 200}, {25}, {0, 0, 0, 1e-7 * 20 * 200}};
  sd.turnOff = {{0, 10, 20}, {100}, {25}, {0, 300e-6, 600e-6}};
  sd.conduction = {{0, 100}, {0}, {25, 125}, {0, 2.0, 0, 4.0}};
  sd.thermal.r = {0.5};
  sd.thermal.tau = {0};
  c.value().semiconductors.push_back(sd);
  for (auto& m : c.value().models)
    if (m.name == "swm") m.semiconductor = 0;
  auto sim = Simulation::create(std::move(c.value()));
  ASSERT_TRUE(sim.ok()) << sim.error().format();
  simcore::testing::CollectingSink sink;
  while (true) {
    auto r = sim.value()->advance(sink, 1 << 20);
    ASSERT_TRUE(r.ok()) << r.error().format();
    if (r.value() == StepState::Done) break;
  }
  const RunStats& st = sim.value()->stats();
  const DeviceLossStats* s = nullptr;
  for (const auto& l : st.losses)
    if (l.device == "s1") s = &l;
  ASSERT_TRUE(s);
  const double vOff = 100 + 0.8 + 5e-3 * 10;
  const double psw = (1e-7 * 10 * vOff + 300e-6) * 1e5;
  EXPECT_NEAR(s->switchingLoss, psw, 1e-3 * psw);
  const Collected* L = nullptr;
  for (const auto& a : sink.analyses)
    if (a.header.type == AnalysisType::Losses) L = &a;
  ASSERT_TRUE(L);
  const auto& tj = L->col("tj(s1)");
  const auto& p = L->col("p_cond(s1)");
  const auto& ps = L->col("p_sw(s1)");
  ASSERT_GE(L->rows, 5u);
  for (std::size_t k = 1; k < L->rows; ++k) {
    EXPECT_NEAR(tj[k] - 25, 0.5 * (p[k] + ps[k]), 1e-9) << "row " << k;  // the file's junction-case chain
    const double want = (0.02 + 2e-4 * (tj[k - 1] - 25)) * 100 * kD;     // the table at the previous step's Tj
    EXPECT_NEAR(p[k], want, 1e-3 * want) << "row " << k;
  }
}

TEST(LossMeter, SwitchesSAndWMeterTheirConductionLoss) {
  // an S switch at 10 A for D of each period: RON i^2 D, no switching energy
  const std::string net =
      "S switch at constant current\n"
      ".model SWM SW(RON=20m ROFF=1meg VT=0.5 VH=0)\n"
      ".model DM PWLDIODE(von=0.8 ron=5m)\n"
      "VIN vin 0 DC 100\nVG g 0 PULSE(0 1 0 1n 1n 3u 10u)\n"
      "S1 vin sw g 0 SWM\nD1 0 sw DM\nIL sw 0 DC 10\n"
      ".thermal\nJs1 s1 0\n.endthermal\n.options lossperiod=10u\n.tran 0.1u 50u\n";
  auto out = runOk(net);
  const DeviceLossStats* s = nullptr;
  for (const auto& l : out.stats.losses)
    if (l.device == "s1") s = &l;
  ASSERT_TRUE(s);
  EXPECT_NEAR(s->conductionLoss, 100 * 20e-3 * kD, 1e-3 * 100 * 20e-3 * kD);
  EXPECT_EQ(s->switchingLoss, 0.0);
  EXPECT_EQ(s->switchingEvents, 10);
}

TEST(LossMeter, PeriodicSteadyStateMetersItsPeriodWithTheThermalNetworkSettled) {
  // .pss: the steady-state period's losses, with the heat sink (2 K/W, 1 J/K:
  // a 2 s time constant no transient of this length reaches) at the thermal
  // steady state of those losses, Tj-dependent through tcr
  const std::string net = buck(" tcr=4m tref=25", "",
                               ".thermal\nJs1 s1 hs\nRhs hs 0 2\nChs hs 0 1\n.endthermal\n.pss 10u 50u\n");
  auto out = runOk(net);
  const Collected& L = out.get(AnalysisType::Losses);
  ASSERT_EQ(L.rows, 1u);
  const double tj = L.col("tj(s1)").back();
  const double pc = L.col("p_cond(s1)").back(), ps = L.col("p_sw(s1)").back();
  EXPECT_NEAR(tj, 27 + 2 * (pc + ps), 2e-3);
  const double want = 100 * 10e-3 * (1 + 4e-3 * (tj - 25)) * kD;
  EXPECT_NEAR(pc, want, 1e-3 * want);
  EXPECT_NEAR(ps, (100e-6 + 200e-6) * (100.85 / 100) * 1e5, 1e-3 * 30.255);
  ASSERT_EQ(out.stats.losses.size(), 2u);
  EXPECT_NEAR(out.stats.lossTo - out.stats.lossFrom, 10e-6, 1e-12);
  EXPECT_GT(tj, 80);
}
