// .step, several .temp values, .dc TEMP / .dc of a resistor, .if/.elseif/
// .else/.endif, and running analyses on circuit variants.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "netlist_test_util.hpp"
#include "simcore/params.hpp"
#include "simcore/simulate.hpp"

using namespace simcore;
using simcore::testutil::contains;
using simcore::testutil::err;
using simcore::testutil::ok;

namespace {

// Every analysis's header and its rows (x and the real columns).
struct Run {
  AnalysisHeader header;
  std::vector<double> x;
  std::vector<std::vector<double>> cols;
  double at(const std::string& sig, std::size_t row = 0) const {
    for (std::size_t k = 0; k < header.signals.size(); ++k)
      if (header.signals[k].name == sig) return cols[k].at(row);
    ADD_FAILURE() << "no signal " << sig;
    return NAN;
  }
};

class Collect final : public SampleSink {
 public:
  std::vector<Run> runs;
  void begin(const AnalysisHeader& h) override {
    runs.push_back(Run{h, {}, std::vector<std::vector<double>>(h.signals.size())});
  }
  void chunk(const Chunk& c) override {
    Run& r = runs.back();
    r.x.insert(r.x.end(), c.x.begin(), c.x.end());
    for (std::size_t k = 0; k < c.re.size(); ++k) r.cols[k].insert(r.cols[k].end(), c.re[k].begin(), c.re[k].end());
  }
  void end(const AnalysisSummary&) override {}
};

struct Outcome {
  std::vector<Run> runs;
  RunStats stats;
};

Outcome simulateText(const std::string& text) {
  Collect sink;
  ir::ParseOptions o;
  o.fileName = "t.cir";
  auto r = simulate(text, o, sink);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().format());
  return Outcome{std::move(sink.runs), r.ok() ? r.value() : RunStats{}};
}

Error simulateError(const std::string& text) {
  Collect sink;
  ir::ParseOptions o;
  o.fileName = "t.cir";
  auto r = simulate(text, o, sink);
  EXPECT_FALSE(r.ok()) << "expected a failure for:\n" << text;
  return r.ok() ? Error{} : r.error();
}

// A diode's forward drop at 1 mA-ish: falls with temperature.
const char* kDiode =
    "diode\n"
    "v1 a 0 5\n"
    "r1 a k 4.3k\n"
    "d1 k 0 dm\n"
    ".model dm d is=1e-14 n=1\n";

}  // namespace

TEST(NetlistStep, ParamListMakesAVariantPerValueAndRepeatsEveryAnalysis) {
  ir::Circuit c = ok(
      "t\nv1 in 0 1\nr1 in out {rx}\nr2 out 0 1k\n.param rx=1k\n"
      ".step param rx list 3k 1k\n.op\n.tran 1u 2u\n");
  ASSERT_EQ(c.variants.size(), 2u);
  // the first .step's values are sorted (LTspice)
  EXPECT_EQ(c.variants[0].label, "rx=1000");
  EXPECT_EQ(c.variants[1].label, "rx=3000");
  ASSERT_EQ(c.analyses.size(), 4u);
  EXPECT_EQ(c.analyses[0].kind, ir::AnalysisKind::Op);
  EXPECT_EQ(c.analyses[0].variant, 0);
  EXPECT_EQ(c.analyses[1].kind, ir::AnalysisKind::Tran);
  EXPECT_EQ(c.analyses[1].variant, 0);
  EXPECT_EQ(c.analyses[2].variant, 1);
  EXPECT_EQ(c.analyses[3].variant, 1);
  EXPECT_DOUBLE_EQ(*c.variants[1].devices[1].value, 3000.0);
}

TEST(NetlistStep, EveryForm) {
  const std::string base = "t\nv1 in 0 1\ni1 0 in 1m\nr1 in out {rx}\nc1 out 0 1n\nd1 out 0 dm\n.model dm d is=1e-14\n.param rx=1k\n.op\n";
  auto labels = [](const ir::Circuit& c) {
    std::vector<std::string> out;
    for (const auto& v : c.variants) out.push_back(v.label);
    return out;
  };
  EXPECT_EQ(labels(ok(base + ".step param rx 1k 3k 1k\n")), (std::vector<std::string>{"rx=1000", "rx=2000", "rx=3000"}));
  EXPECT_EQ(labels(ok(base + ".step lin param rx 1k 2k 1k\n")), (std::vector<std::string>{"rx=1000", "rx=2000"}));
  EXPECT_EQ(labels(ok(base + ".step dec param rx 1 100 1\n")), (std::vector<std::string>{"rx=1", "rx=10", "rx=100"}));
  EXPECT_EQ(labels(ok(base + ".step param rx dec 1 100 1\n")), (std::vector<std::string>{"rx=1", "rx=10", "rx=100"}));
  EXPECT_EQ(labels(ok(base + ".step oct param rx 1 4 1\n")), (std::vector<std::string>{"rx=1", "rx=2", "rx=4"}));
  EXPECT_EQ(labels(ok(base + ".step v1 1 3 1\n")), (std::vector<std::string>{"v1=1", "v1=2", "v1=3"}));
  EXPECT_EQ(labels(ok(base + ".step I1 list 1m 2m\n")), (std::vector<std::string>{"i1=0.001", "i1=0.002"}));
  EXPECT_EQ(labels(ok(base + ".step c1 list 1n 2n\n")), (std::vector<std::string>{"c1=1e-09", "c1=2e-09"}));
  EXPECT_EQ(labels(ok(base + ".step temp -40 85 62.5\n")), (std::vector<std::string>{"temp=-40", "temp=22.5", "temp=85"}));
  EXPECT_EQ(labels(ok(base + ".step D dm(is) list 1e-14 1e-13\n")), (std::vector<std::string>{"dm(is)=1e-14", "dm(is)=1e-13"}));

  ir::Circuit src = ok(base + ".step v1 1 2 1\n");
  EXPECT_DOUBLE_EQ(src.variants[1].devices[0].source.dc, 2.0);
  ir::Circuit temp = ok(base + ".step temp list 0 50\n");
  EXPECT_DOUBLE_EQ(temp.variants[1].options.temp, 50.0);
  ir::Circuit model = ok(base + ".step D dm(n) list 1 2\n");
  bool found = false;
  for (const auto& p : model.variants[1].models[0].params)
    if (p.name == "n") found = p.value == 2.0;
  EXPECT_TRUE(found);
}

TEST(NetlistStep, SeveralCardsNestTheFirstInnermost) {
  ir::Circuit c = ok(
      "t\nv1 in 0 1\nr1 in out {a}\nr2 out 0 {b}\n.param a=1 b=1\n"
      ".step param a list 1 2\n.step param b list 10 20 30\n.op\n");
  ASSERT_EQ(c.variants.size(), 6u);
  EXPECT_EQ(c.variants[0].label, "a=1 b=10");
  EXPECT_EQ(c.variants[1].label, "a=2 b=10");
  EXPECT_EQ(c.variants[2].label, "a=1 b=20");
  EXPECT_EQ(c.variants[5].label, "a=2 b=30");
  EXPECT_DOUBLE_EQ(*c.variants[5].devices[2].value, 30.0);
}

TEST(NetlistStep, AParameterOnlyStepDefines) {
  // LTspice: .step param X needs no .param X; the circuit itself has the first value
  ir::Circuit c = ok("t\nv1 in 0 1\nr1 in 0 {rx}\n.step param rx list 5 7\n.op\n");
  EXPECT_DOUBLE_EQ(*c.devices[1].value, 5.0);
  EXPECT_DOUBLE_EQ(*c.variants[1].devices[1].value, 7.0);
}

TEST(NetlistStep, Errors) {
  const std::string base = "t\nv1 in 0 1\nr1 in 0 {rx}\nb1 in 0 i=v(in)\n.param rx=1k\n.op\n";
  EXPECT_TRUE(contains(err(base + ".step\n").message, "expected .step"));
  EXPECT_TRUE(contains(err(base + ".step param rx 1 2\n").message, "expected START STOP INCR"));
  EXPECT_TRUE(contains(err(base + ".step param rx 1 2 0\n").message, "INCR of .step is zero"));
  EXPECT_TRUE(contains(err(base + ".step param rx 1 2 -1\n").message, "goes away from STOP"));
  EXPECT_TRUE(contains(err(base + ".step param rx list\n").message, "expected values after 'list'"));
  EXPECT_TRUE(contains(err(base + ".step dec param rx 0 10 1\n").message, "must be > 0"));
  EXPECT_TRUE(contains(err(base + ".step dec param rx 1 10 0.5\n").message, "whole number"));
  EXPECT_TRUE(contains(err(base + ".step q1 1 2 1\n").message, "cannot .step"));
  EXPECT_TRUE(contains(err(base + ".step v9 1 2 1\n").message, "unknown device 'v9'"));
  EXPECT_TRUE(contains(err(base + ".step NPN qx(bf) 1 2 1\n").message, "unknown model 'qx'"));
  EXPECT_TRUE(contains(err(base + ".step b1 1 2 1\n").message, "cannot .step"));
  EXPECT_TRUE(contains(err(base + ".step param rx list 1 2\n.step param rx list 3 4\n").message, "stepped twice"));
  Error limit = err(base + ".step param rx 1 100000 1\n");
  EXPECT_EQ(limit.code, ErrorCode::Limit);
  Error product = err(base + ".step param rx 1 200 1\n.step v1 1 200 1\n");
  EXPECT_EQ(product.code, ErrorCode::Limit);
  EXPECT_TRUE(contains(product.message, "circuit variants"));
  // a point whose elaboration fails names the point
  Error bad = err("t\nv1 in 0 1\nr1 in 0 {1/(rx-2)}\n.param rx=1\n.step param rx list 1 2\n.op\n");
  EXPECT_TRUE(contains(bad.message, "rx=2")) << bad.message;
  // a point that changes the devices
  Error changes = err(
      "t\nv1 in 0 1\nr1 in 0 1k\n.param m=1\n.if (m > 1)\nr2 in 0 1k\n.endif\n.step param m list 1 2\n.op\n");
  EXPECT_TRUE(contains(changes.message, "changes which devices")) << changes.message;
  EXPECT_TRUE(contains(err("t\nv1 in 0 1\nr1 in 0 1k\n.subckt s a\n.step param x list 1 2\n.ends\n.op\n").message,
                       "not allowed inside .subckt"));
}

TEST(NetlistStep, RunsEveryAnalysisOnEveryPoint) {
  Outcome o = simulateText(
      "t\nv1 in 0 1\nr1 in out {rx}\nr2 out 0 1k\n.param rx=1k\n"
      ".step param rx list 1k 3k\n.op\n.dc v1 1 2 1\n");
  ASSERT_EQ(o.runs.size(), 4u);
  EXPECT_EQ(o.runs[0].header.variant, "rx=1000");
  EXPECT_EQ(o.runs[1].header.variant, "rx=1000");
  EXPECT_EQ(o.runs[2].header.variant, "rx=3000");
  EXPECT_EQ(o.runs[3].header.type, AnalysisType::Dc);
  EXPECT_NEAR(o.runs[0].at("v(out)"), 0.5, 1e-9);
  EXPECT_NEAR(o.runs[2].at("v(out)"), 0.25, 1e-9);
  EXPECT_NEAR(o.runs[3].at("v(out)", 1), 0.5, 1e-9);
  // sources and temperatures too
  Outcome s = simulateText("t\nv1 in 0 1\nr1 in out 1k\nr2 out 0 1k\n.step v1 list 2 4\n.op\n");
  ASSERT_EQ(s.runs.size(), 2u);
  EXPECT_NEAR(s.runs[0].at("v(out)"), 1.0, 1e-9);
  EXPECT_NEAR(s.runs[1].at("v(out)"), 2.0, 1e-9);
  // a plain netlist's headers carry no variant
  Outcome plain = simulateText("t\nv1 in 0 1\nr1 in 0 1k\n.op\n");
  EXPECT_EQ(plain.runs.at(0).header.variant, "");
}

TEST(NetlistStep, MeasuresOncePerPointNamedWithTheLabel) {
  Outcome o = simulateText(
      "t\nv1 in 0 1\nr1 in out {rx}\nr2 out 0 1k\n.param rx=1k\n"
      ".step param rx list 1k 3k\n.dc v1 0 2 1\n.meas dc vo find v(out) at=2\n");
  ASSERT_EQ(o.stats.measures.size(), 2u);
  EXPECT_EQ(o.stats.measures[0].name, "vo[rx=1000]");
  EXPECT_TRUE(o.stats.measures[0].ok);
  EXPECT_NEAR(o.stats.measures[0].value, 1.0, 1e-9);
  EXPECT_EQ(o.stats.measures[1].name, "vo[rx=3000]");
  EXPECT_NEAR(o.stats.measures[1].value, 0.5, 1e-9);
}

TEST(NetlistStep, ProgressCountsEveryRun) {
  ir::ParseOptions po;
  auto c = ir::parseNetlist("t\nv1 in 0 1\nr1 in 0 {rx}\n.param rx=1\n.step param rx list 1 2 3 4\n.op\n", po);
  ASSERT_TRUE(c.ok());
  auto sim = Simulation::create(std::move(c.value()));
  ASSERT_TRUE(sim.ok());
  Collect sink;
  std::vector<double> seen;
  while (true) {
    auto r = sim.value()->advance(sink, 1);
    ASSERT_TRUE(r.ok());
    seen.push_back(sim.value()->progress());
    if (r.value() == StepState::Done) break;
  }
  EXPECT_EQ(sink.runs.size(), 4u);
  EXPECT_NEAR(seen.front(), 0.25, 1e-12);
  EXPECT_DOUBLE_EQ(seen.back(), 1.0);
}

TEST(CircuitVariants, ChecksTheVariantKeepsTheCircuitsNodes) {
  ir::Circuit c = ok("t\nv1 in 0 1\nr1 in out 1k\nr2 out 0 1k\n.op\n");
  ir::Variant v;
  v.label = "moved";
  v.devices = c.devices;
  v.models = c.models;
  v.options = c.options;
  v.devices[2].nodes[0] = "in";
  c.variants.push_back(v);
  c.analyses[0].variant = 0;
  auto sim = Simulation::create(c);
  ASSERT_FALSE(sim.ok());
  EXPECT_TRUE(contains(sim.error().message, "changes device 'r2'")) << sim.error().message;

  // a variant of values only runs, with its label, and the session is reused
  ir::Circuit d = ok("t\nv1 in 0 1\nr1 in out 1k\nr2 out 0 1k\n.op\n.op\n");
  ir::Variant w;
  w.label = "r2=3k";
  w.devices = d.devices;
  w.models = d.models;
  w.options = d.options;
  w.devices[2].value = 3000.0;
  d.variants.push_back(w);
  d.analyses[1].variant = 0;
  auto s2 = Simulation::create(d);
  ASSERT_TRUE(s2.ok());
  Collect sink;
  while (true) {
    auto r = s2.value()->advance(sink, 100);
    ASSERT_TRUE(r.ok()) << r.error().format();
    if (r.value() == StepState::Done) break;
  }
  ASSERT_EQ(sink.runs.size(), 2u);
  EXPECT_EQ(sink.runs[0].header.variant, "");
  EXPECT_NEAR(sink.runs[0].at("v(out)"), 0.5, 1e-9);
  EXPECT_EQ(sink.runs[1].header.variant, "r2=3k");
  EXPECT_NEAR(sink.runs[1].at("v(out)"), 0.75, 1e-9);
}

TEST(NetlistTemp, SeveralValuesRunEveryAnalysisPerTemperature) {
  ir::Circuit one = ok(std::string(kDiode) + ".temp 50\n.op\n");
  EXPECT_TRUE(one.variants.empty());
  EXPECT_DOUBLE_EQ(one.options.temp, 50.0);
  ir::Circuit c = ok(std::string(kDiode) + ".temp 0 50 100\n.op\n.dc v1 4 5 1\n");
  ASSERT_EQ(c.variants.size(), 3u);
  EXPECT_EQ(c.variants[2].label, "temp=100");
  EXPECT_DOUBLE_EQ(c.variants[2].options.temp, 100.0);
  EXPECT_EQ(c.analyses.size(), 6u);
  Outcome o = simulateText(std::string(kDiode) + ".temp 0 50 100\n.op\n");
  ASSERT_EQ(o.runs.size(), 3u);
  // the forward drop falls as the temperature rises
  EXPECT_GT(o.runs[0].at("v(k)"), o.runs[1].at("v(k)") + 0.05);
  EXPECT_GT(o.runs[1].at("v(k)"), o.runs[2].at("v(k)") + 0.05);
  // each equals a run at that one temperature
  Outcome at50 = simulateText(std::string(kDiode) + ".temp 50\n.op\n");
  EXPECT_DOUBLE_EQ(o.runs[1].at("v(k)"), at50.runs[0].at("v(k)"));
  // .options temp= sets it too
  Outcome opt50 = simulateText(std::string(kDiode) + ".options temp=50\n.op\n");
  EXPECT_DOUBLE_EQ(opt50.runs[0].at("v(k)"), at50.runs[0].at("v(k)"));
  // with .step: the temperatures are the outer loop
  ir::Circuit both = ok(std::string(kDiode) + ".temp 0 50\n.step v1 list 4 5\n.op\n");
  ASSERT_EQ(both.variants.size(), 4u);
  EXPECT_EQ(both.variants[1].label, "v1=5 temp=0");
  EXPECT_TRUE(contains(err(std::string(kDiode) + ".temp 0 50\n.step temp list 1 2\n.op\n").message, "together"));
}

TEST(NetlistDcTemp, SweepsTheTemperature) {
  ir::Circuit c = ok(std::string(kDiode) + ".dc temp 0 100 50\n");
  ASSERT_EQ(c.analyses.size(), 1u);
  EXPECT_EQ(c.analyses[0].sweeps[0].source, "temp");
  Outcome o = simulateText(std::string(kDiode) + ".dc temp 0 100 50\n");
  ASSERT_EQ(o.runs.size(), 1u);
  EXPECT_EQ(o.runs[0].header.xName, "temp");
  ASSERT_EQ(o.runs[0].x, (std::vector<double>{0, 50, 100}));
  // each point equals an operating point at that temperature
  for (int k = 0; k < 3; ++k) {
    Outcome op = simulateText(std::string(kDiode) + ".temp " + std::to_string(50 * k) + "\n.op\n");
    EXPECT_NEAR(o.runs[0].at("v(k)", std::size_t(k)), op.runs[0].at("v(k)"), 1e-9);
  }
  // TEMP as the outer sweep of a source sweep, and as the inner one
  Outcome outer = simulateText(std::string(kDiode) + ".dc v1 4 5 1 temp 0 100 100\n");
  ASSERT_EQ(outer.runs[0].x, (std::vector<double>{4, 5, 4, 5}));
  Outcome inner = simulateText(std::string(kDiode) + ".dc temp 0 100 100 v1 4 5 1\n");
  ASSERT_EQ(inner.runs[0].x, (std::vector<double>{0, 100, 0, 100}));
  EXPECT_NEAR(outer.runs[0].at("v(k)", 2), inner.runs[0].at("v(k)", 1), 1e-9);  // v1=4, temp=100
  EXPECT_NEAR(outer.runs[0].at("v(k)", 1), inner.runs[0].at("v(k)", 2), 1e-9);  // v1=5, temp=0
  EXPECT_TRUE(contains(err(std::string(kDiode) + ".dc temp 0 1 1 temp 0 1 1\n").message, "TEMP is swept twice"));
}

// ngspice's temper in instance and model parameters: the value keeps its
// expression and is evaluated again at every temperature the circuit is set up at.
TEST(NetlistTemper, ValuesFollowTheCircuitTemperature) {
  const std::string divider = "t\nv1 a 0 1\nr1 a b 1k\nr2 b 0 r={1k + 10*temper}\n";
  auto expected = [](double t) { return (1000 + 10 * t) / (2000 + 10 * t); };
  // the reader's value: the first .temp, else 27
  ir::Circuit c = ok(divider + ".op\n");
  EXPECT_DOUBLE_EQ(*c.devices[2].value, 1270.0);  // (r= is the resistor's value)
  ASSERT_NE(c.devices[2].valueTemper, nullptr);
  EXPECT_EQ(c.devices[1].valueTemper, nullptr);
  // a .dc TEMP sweep: every point at its temperature
  Outcome o = simulateText(divider + ".dc temp -50 100 50\n");
  ASSERT_EQ(o.runs[0].x.size(), 4u);
  for (std::size_t k = 0; k < 4; ++k) EXPECT_NEAR(o.runs[0].at("v(b)", k), expected(-50.0 + 50.0 * double(k)), 1e-9);
  // a .temp list: one run per temperature
  Outcome list = simulateText(divider + ".temp 0 80\n.op\n");
  ASSERT_EQ(list.runs.size(), 2u);
  EXPECT_NEAR(list.runs[0].at("v(b)"), expected(0), 1e-9);
  EXPECT_NEAR(list.runs[1].at("v(b)"), expected(80), 1e-9);
  // .options temp: the reader's value and the run's
  ir::Circuit at50 = ok(divider + ".options temp=50\n.op\n");
  EXPECT_DOUBLE_EQ(*at50.devices[2].value, 1500.0);
  // a positional value through a .param that reads temper (a function of it, as ngspice
  // 39 makes such a .param), and a conditional model parameter
  const std::string viaParam =
      "t\n.param k = 10\n.param rt = 1k + k*temper\nv1 a 0 1\nr1 a b 1k\nr2 b 0 {rt}\n"
      "v2 c 0 0.3\nd1 c 0 dm\n.model dm d is={temper >= 25 ? 1e-20 : 1e-21}\n";
  ir::Circuit p = ok(viaParam + ".op\n");
  ASSERT_NE(p.devices[2].valueTemper, nullptr);
  ASSERT_NE(p.models[0].params[0].temper, nullptr);
  EXPECT_DOUBLE_EQ(p.models[0].params[0].value, 1e-20);
  Outcome po = simulateText(viaParam + ".dc temp 0 100 100\n");
  EXPECT_NEAR(po.runs[0].at("v(b)", 0), expected(0), 1e-9);
  EXPECT_NEAR(po.runs[0].at("v(b)", 1), expected(100), 1e-9);
  // .control: set temp = T and option temp = T (the same option in ngspice) for the analyses
  // after it, until a reset reads the deck's options again (ngspice 39 prints TEMP = 27 there)
  ir::Circuit sc = ok("t\nv1 a 0 1\nr1 a 0 r={1k + 10*temper}\n.control\nset temp = -40\ndc v1 1 1 1\nreset\n"
                      "dc v1 1 1 1\noption temp = 50\ndc v1 1 1 1\nreset\ndc v1 1 1 1\n.endc\n.end\n");
  ASSERT_EQ(sc.analyses.size(), 4u);
  ASSERT_GE(sc.analyses[0].variant, 0);
  EXPECT_DOUBLE_EQ(sc.variants[std::size_t(sc.analyses[0].variant)].options.temp, -40.0);
  EXPECT_EQ(sc.analyses[1].variant, -1);  // the deck's circuit at 27 C
  ASSERT_GE(sc.analyses[2].variant, 0);
  EXPECT_DOUBLE_EQ(sc.variants[std::size_t(sc.analyses[2].variant)].options.temp, 50.0);
  EXPECT_EQ(sc.analyses[3].variant, -1);
  // located errors: a genuinely undefined name, temper where ngspice 39 does not re-evaluate it
  Error u = err("t\nv1 a 0 1\nr1 a 0 {1k + 10*temper + nosuch}\n.op\n");
  EXPECT_TRUE(contains(u.message, "undefined parameter 'nosuch'")) << u.message;
  EXPECT_EQ(u.loc.line, 3);
  Error v = err("t\nv1 a 0 {temper}\nr1 a 0 1k\n.op\n");
  EXPECT_TRUE(contains(v.message, "temper")) << v.message;
  EXPECT_EQ(v.loc.line, 2);
}

TEST(NetlistDcResistor, SweepsAResistance) {
  Outcome o = simulateText("t\nv1 in 0 1\nr1 in out 1k\nr2 out 0 1k\n.dc r2 1k 3k 1k\n");
  ASSERT_EQ(o.runs[0].x, (std::vector<double>{1000, 2000, 3000}));
  EXPECT_NEAR(o.runs[0].at("v(out)", 0), 0.5, 1e-9);
  EXPECT_NEAR(o.runs[0].at("v(out)", 2), 0.75, 1e-9);
  EXPECT_TRUE(contains(err("t\nv1 in 0 1\nc1 in 0 1n\nr1 in 0 1\n.dc c1 1 2 1\n").message, "resistor or TEMP"));
}

TEST(NetlistIf, SelectsCardsByParameters) {
  const std::string deck =
      "t\nv1 in 0 1\n.param mode=2\n"
      ".if (mode == 1)\nr1 in 0 1k\n"
      ".elseif (mode == 2)\nr1 in 0 2k\n.param extra=5\n"
      "  .if (extra > 4)\nr2 in 0 5k\n  .else\nr2 in 0 4k\n  .endif\n"
      ".else\nr1 in 0 3k\n"
      ".endif\n.op\n";
  ir::Circuit c = ok(deck);
  ASSERT_EQ(c.devices.size(), 3u);
  EXPECT_DOUBLE_EQ(*c.devices[1].value, 2000.0);
  EXPECT_EQ(c.devices[2].name, "r2");
  EXPECT_DOUBLE_EQ(*c.devices[2].value, 5000.0);
  // no branch taken but the .else
  ir::Circuit e = ok("t\nv1 in 0 1\n.param mode=7\n.if (mode == 1)\nr1 in 0 1k\n.else\nr1 in 0 3k\n.endif\n.op\n");
  EXPECT_DOUBLE_EQ(*e.devices[1].value, 3000.0);
  // no branch at all
  ir::Circuit none = ok("t\nv1 in 0 1\nr0 in 0 1\n.if (0)\nr1 in 0 1k\n.endif\n.op\n");
  EXPECT_EQ(none.devices.size(), 2u);
  // models, parameters and control cards
  ir::Circuit m = ok(
      "t\n.param fast=1\nv1 a 0 1\nd1 a 0 dm\n.if (fast)\n.model dm d is=1e-12\n.param rr=1\n.tran 1n 1u\n"
      ".else\n.model dm d is=1e-14\n.op\n.endif\n");
  ASSERT_EQ(m.models.size(), 1u);
  EXPECT_DOUBLE_EQ(m.models[0].params[0].value, 1e-12);
  ASSERT_EQ(m.analyses.size(), 1u);
  EXPECT_EQ(m.analyses[0].kind, ir::AnalysisKind::Tran);
}

TEST(NetlistIf, InsideSubcircuitsReadsTheInstanceParameters) {
  ir::Circuit c = ok(
      "t\nv1 in 0 1\n"
      ".subckt load a params: big=0\n.if (big)\nr1 a 0 10k\n.else\nr1 a 0 1k\n.endif\n.ends\n"
      "x1 in load big=1\nx2 in load\n.op\n");
  ASSERT_EQ(c.devices.size(), 3u);
  EXPECT_EQ(c.devices[1].name, "x1.r1");
  EXPECT_DOUBLE_EQ(*c.devices[1].value, 10000.0);
  EXPECT_DOUBLE_EQ(*c.devices[2].value, 1000.0);
}

TEST(NetlistIf, OverridesAndSteppedParametersSelectBranches) {
  const std::string deck = "t\nv1 in 0 1\n.param hi=0\n.if (hi)\nr1 in 0 2k\n.else\nr1 in 0 1k\n.endif\n.op\n";
  ir::ParseOptions o;
  o.paramOverrides = {{"hi", 1}};
  auto c = ir::parseNetlist(deck, o);
  ASSERT_TRUE(c.ok());
  EXPECT_DOUBLE_EQ(*c.value().devices[1].value, 2000.0);
  ir::Circuit s = ok(deck + ".step param hi list 0 1\n");
  EXPECT_DOUBLE_EQ(*s.variants[0].devices[1].value, 1000.0);
  EXPECT_DOUBLE_EQ(*s.variants[1].devices[1].value, 2000.0);
}

TEST(NetlistIf, Errors) {
  EXPECT_TRUE(contains(err("t\nv1 in 0 1\n.if (1)\nr1 in 0 1\n.op\n").message, "no matching '.endif'"));
  EXPECT_TRUE(contains(err("t\nv1 in 0 1\nr1 in 0 1\n.endif\n.op\n").message, "without a matching '.if'"));
  EXPECT_TRUE(contains(err("t\nv1 in 0 1\nr1 in 0 1\n.else\n.op\n").message, "without a matching '.if'"));
  EXPECT_TRUE(contains(err("t\nv1 in 0 1\n.if (1)\n.else\n.else\n.endif\nr1 in 0 1\n.op\n").message, "after the '.else'"));
  EXPECT_TRUE(contains(err("t\nv1 in 0 1\n.if (1)\n.else\n.elseif (1)\n.endif\nr1 in 0 1\n.op\n").message, "after the '.else'"));
  EXPECT_TRUE(contains(err("t\nv1 in 0 1\n.if\nr1 in 0 1\n.endif\n.op\n").message, "expected .if (CONDITION)"));
  EXPECT_TRUE(contains(err("t\nv1 in 0 1\n.if (nope > 1)\nr1 in 0 1\n.endif\n.op\n").message, "undefined parameter 'nope'"));
  EXPECT_TRUE(contains(err("t\nv1 in 0 1\nr1 in 0 1\n.if (1)\n.subckt s a\n.ends\n.endif\n.op\n").message, "inside an .if block"));
  // an .if opened inside a .subckt closes inside it
  EXPECT_TRUE(contains(err("t\nv1 in 0 1\nr1 in 0 1\n.subckt s a\n.if (1)\n.ends\n.endif\n.op\n").message, "inside an .if block"));
  // a parameter defined only in an untaken branch does not exist
  EXPECT_TRUE(contains(err("t\nv1 in 0 1\n.if (0)\n.param rr=1\n.endif\nr1 in 0 {rr}\n.op\n").message, "undefined parameter 'rr'"));
}

TEST(NetlistStep, LimitsCoverTheWholeRun) {
  // the time-point limit counts every step point's transient together
  const std::string deck = "t\nv1 in 0 pulse(0 1 0 1u 1u 5u 10u)\nr1 in out {rx}\nc1 out 0 1n\n.param rx=1k\n.tran 0.1u 20u\n";
  ir::ParseOptions po;
  auto one = ir::parseNetlist(deck, po);
  ASSERT_TRUE(one.ok());
  Collect sink;
  auto single = simulate(deck, po, sink);
  ASSERT_TRUE(single.ok());
  SimulationOptions so;
  so.maxTimePoints = single.value().acceptedPoints + 10;
  Collect s1;
  EXPECT_TRUE(simulate(deck, po, s1, so).ok());
  Collect s2;
  auto stepped = simulate(deck + ".step param rx list 1k 2k\n", po, s2, so);
  ASSERT_FALSE(stepped.ok());
  EXPECT_EQ(stepped.error().code, ErrorCode::Limit);
  EXPECT_TRUE(contains(stepped.error().message, "rx=2000")) << stepped.error().message;
}

TEST(NetlistIf, SliderParametersFollowTheTakenBranch) {
  ir::ParseOptions po;
  auto params = topLevelParams("t\nv1 in 0 1\n.param mode=1\n.if (mode == 1)\n.param gain=2\n.else\n.param gain=3\n.endif\n"
                               "r1 in 0 {gain}\n.op\n",
                               po);
  ASSERT_TRUE(params.ok()) << params.error().format();
  std::map<std::string, double> byName;
  for (const auto& p : params.value()) byName[p.name] = p.value;
  EXPECT_DOUBLE_EQ(byName.at("gain"), 2.0);
  EXPECT_DOUBLE_EQ(byName.at("mode"), 1.0);
}

TEST(DcSweep, ValuesAreStepsAddedUpAsNgspiceDoes) {
  // ngspice 39 adds the step to the previous value: the sixth point of 0..
  // step 0.1 is 0.6 (not 6 * 0.1 = 0.6000000000000001) and the eleventh
  // 0.9999999999999999 (not 1): thresholds that sit on sweep points switch
  // where ngspice switches them
  auto out = simulateText("t\nVC c 0 0\nB1 o 0 V=(v(c) >= 1) + (v(c) > 0.6)\nR1 o 0 1k\n.dc VC 0 1.2 0.1\n");
  ASSERT_EQ(out.runs.size(), 1u);
  const auto& r = out.runs[0];
  ASSERT_EQ(r.x.size(), 13u);
  double v = 0.0;
  for (std::size_t k = 0; k < r.x.size(); ++k) {
    EXPECT_EQ(r.x[k], v) << k;  // bit for bit
    v += 0.1;
  }
  EXPECT_EQ(r.at("v(o)", 6), 0.0);   // 0.6 is not above 0.6
  EXPECT_EQ(r.at("v(o)", 7), 1.0);
  EXPECT_EQ(r.at("v(o)", 10), 1.0);  // 0.9999999999999999 is below 1
  EXPECT_EQ(r.at("v(o)", 11), 2.0);
  // the outer axis of a nested sweep too, and a resistor sweep
  out = simulateText("t\nV1 a 0 1\nV2 b 0 0\nR1 a b 1k\n.dc V1 0 0.3 0.1 V2 0 0.7 0.1\n");
  ASSERT_EQ(out.runs.size(), 1u);
  ASSERT_EQ(out.runs[0].x.size(), 32u);
  EXPECT_EQ(out.runs[0].at("v(b)", 31), 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1);
  out = simulateText("t\nV1 a 0 1\nR1 a 0 1\n.dc R1 0.1 1.1 0.1\n");
  ASSERT_EQ(out.runs[0].x.size(), 11u);
  EXPECT_EQ(out.runs[0].x[9], 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1);
}
