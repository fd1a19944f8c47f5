// XSPICE code models that read data files (d_source's vector file,
// filesource's table; the netlist reader reads them through the include
// resolver) and the frequency divider d_fdiv: file syntax and its located
// errors, the timing of the rows, interpolation, scaling and the divider's
// count, in the event engine and in SPICE mode.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "test_kernel_support.cpp"

namespace simcore::testing {
namespace {

const char* const kModes[] = {"event", "spice"};

using Files = std::map<std::string, std::string>;

ir::ParseOptions withFiles(const Files& files) {
  ir::ParseOptions po;
  po.fileName = "dir/test.cir";
  po.resolver = [files](std::string_view path, std::string_view from) -> Result<ir::ResolvedFile> {
    // names relative to the including file's folder
    std::string dir(from.substr(0, from.rfind('/') == std::string_view::npos ? 0 : from.rfind('/') + 1));
    auto it = files.find(dir + std::string(path));
    if (it == files.end()) return makeError(ErrorCode::Semantic, "no such file");
    return ir::ResolvedFile{it->first, it->second};
  };
  return po;
}

Result<RunOutput> runFiles(const std::string& netlist, const Files& files) {
  auto c = ir::parseNetlist(netlist, withFiles(files));
  if (!c) return c.takeError();
  SimulationOptions opts;
  opts.maxTimePoints = 2000000;
  auto sim = Simulation::create(std::move(c.value()), opts);
  if (!sim) return sim.takeError();
  CollectingSink sink;
  for (;;) {
    auto r = sim.value()->advance(sink, std::size_t(1) << 20);
    if (!r) return r.takeError();
    if (r.value() == StepState::Done) break;
  }
  return RunOutput{std::move(sink.analyses), sim.value()->stats()};
}

RunOutput okFiles(const std::string& netlist, const Files& files) {
  auto r = runFiles(netlist, files);
  EXPECT_TRUE(r.ok()) << (r.ok() ? std::string() : r.error().format()) << "\nnetlist:\n" << netlist;
  return r.ok() ? std::move(r).value() : RunOutput{};
}

Error errFiles(const std::string& netlist, const Files& files) {
  auto r = runFiles(netlist, files);
  EXPECT_FALSE(r.ok()) << "expected the run to fail:\n" << netlist;
  return r.ok() ? Error{} : r.error();
}

// The value of column `name` at the last row at or before t.
double at(const Collected& c, const std::string& name, double t) {
  const auto& y = c.col(name);
  double v = NAN;
  for (std::size_t k = 0; k < c.x.size() && c.x[k] <= t; ++k) v = y[k];
  return v;
}

// Linear interpolation of column `name` at t.
double interp(const Collected& c, const std::string& name, double t) {
  const auto& y = c.col(name);
  for (std::size_t k = 1; k < c.x.size(); ++k)
    if (c.x[k] >= t) {
      if (c.x[k] == c.x[k - 1]) return y[k];
      return y[k - 1] + (y[k] - y[k - 1]) * (t - c.x[k - 1]) / (c.x[k] - c.x[k - 1]);
    }
  return y.empty() ? NAN : y.back();
}

// ---------------------------------------------------------------- d_source

const char* const kVectors =
    "* time a b c\n"
    "0    0s 1s Us\n"
    "\n"
    "10n  1s 0r Uz\n"
    "25n, 0z (1u) 1s\n"
    "40n  Ur 1r 0u\n";

TEST(XspiceDSource, RowsTakeEffectAtTheirTimes) {
  for (const char* mode : kModes) {
    const std::string net = std::string(R"(t
a1 [a b c] src
.model src d_source(input_file="vec.txt")
.tran 1n 60n
.options switching=)") + mode + "\n.end\n";
    const auto r = okFiles(net, {{"dir/vec.txt", kVectors}});
    const auto& tr = r.get(AnalysisType::Tran);
    // the operating point: the row at time 0
    EXPECT_EQ(tr.col("v(a)")[0], 0.0) << mode;
    EXPECT_EQ(tr.col("v(b)")[0], 1.0) << mode;
    EXPECT_EQ(tr.col("v(c)")[0], 0.5) << mode;
    // each row from its time on (strengths dropped: 0r is 0, Uz is U)
    const double eps = 1e-13;
    const struct {
      double t;
      double a, b, c;
    } rows[] = {{10e-9, 1, 0, 0.5}, {25e-9, 0, 1, 1}, {40e-9, 0.5, 1, 0}};
    double prevA = 0, prevB = 1, prevC = 0.5;
    for (const auto& row : rows) {
      EXPECT_EQ(at(tr, "v(a)", row.t - 1e-11), prevA) << mode << " before " << row.t;
      EXPECT_EQ(at(tr, "v(b)", row.t - 1e-11), prevB) << mode << " before " << row.t;
      EXPECT_EQ(at(tr, "v(c)", row.t - 1e-11), prevC) << mode << " before " << row.t;
      EXPECT_EQ(at(tr, "v(a)", row.t + eps), row.a) << mode << " at " << row.t;
      EXPECT_EQ(at(tr, "v(b)", row.t + eps), row.b) << mode << " at " << row.t;
      EXPECT_EQ(at(tr, "v(c)", row.t + eps), row.c) << mode << " at " << row.t;
      prevA = row.a;
      prevB = row.b;
      prevC = row.c;
    }
    // a time point lands on each row time (the change is not smeared over a step)
    for (const auto& row : rows) {
      bool hit = false;
      for (double x : tr.x) hit = hit || std::fabs(x - row.t) < 1e-15;
      EXPECT_TRUE(hit) << mode << " no time point at " << row.t;
    }
    EXPECT_EQ(tr.col("v(a)").back(), 0.5) << mode;  // the last row holds
  }
}

TEST(XspiceDSource, UnknownUntilAFirstRowAfterZero) {
  const auto r = okFiles("t\na1 [d] src\n.model src d_source(input_file=\"v.txt\")\n.tran 1n 30n\n.end\n",
                         {{"dir/v.txt", "5n 1s\n20n 0s\n"}});
  const auto& tr = r.get(AnalysisType::Tran);
  EXPECT_EQ(tr.col("v(d)")[0], 0.5);
  EXPECT_EQ(at(tr, "v(d)", 4.9e-9), 0.5);
  EXPECT_EQ(at(tr, "v(d)", 5.01e-9), 1.0);
  EXPECT_EQ(at(tr, "v(d)", 20.01e-9), 0.0);
}

// A dac_bridge's ramp starts when its input changes: at the d_source's row time, not
// after the short step across the switching instant (a billionth of the run: 50 ps
// in 50 ms, where the ramps last 1 ns; ngspice's examples/xspice/d_source/PWMexample.net).
TEST(XspiceDSource, DacRampsStartAtTheRowTimeInALongRun) {
  for (const char* mode : kModes) {
    const auto r = okFiles(std::string("t\na1 [d] src\n.model src d_source(input_file=\"v.txt\")\n"
                                       "a2 [d] [out] dac\n.model dac dac_bridge(out_low=0 out_high=2 t_rise=1n t_fall=1n)\n"
                                       "r1 out 0 1k\n.tran 1u 50m\n.options switching=") + mode + "\n.end\n",
                           {{"dir/v.txt", "0 1s\n150n 0s\n10350n 1s\n"}});
    const auto& tr = r.get(AnalysisType::Tran);
    // the falling ramp: 2 V to 0 from 150 ns over 1 ns; the rising one from 10.35 us
    EXPECT_NEAR(interp(tr, "v(out)", 150.5e-9), 1.0, 1e-6) << mode;
    EXPECT_NEAR(interp(tr, "v(out)", 150.25e-9), 1.5, 1e-6) << mode;
    EXPECT_NEAR(interp(tr, "v(out)", 10350.75e-9), 1.5, 1e-6) << mode;
    EXPECT_NEAR(at(tr, "v(out)", 151.01e-9), 0.0, 1e-12) << mode;
  }
}

TEST(XspiceDSource, FileErrorsAreLocated) {
  const std::string net = "t\na1 [a b] src\n.model src d_source(input_file=\"v.txt\")\n.tran 1n 30n\n.end\n";
  // an unknown value: at its line of the file
  Error e = errFiles(net, {{"dir/v.txt", "* vectors\n0 0s 1s\n5n 1s 1x\n"}});
  EXPECT_EQ(e.loc.file, "dir/v.txt");
  EXPECT_EQ(e.loc.line, 3);
  EXPECT_NE(e.message.find("unknown digital value '1x'"), std::string::npos) << e.message;
  // times must increase
  e = errFiles(net, {{"dir/v.txt", "0 0s 1s\n5n 1s 1s\n5n 0s 0s\n"}});
  EXPECT_EQ(e.loc.line, 3);
  EXPECT_NE(e.message.find("times must increase"), std::string::npos) << e.message;
  // a row's width against the output vector: names the line and the device
  e = errFiles(net, {{"dir/v.txt", "0 0s 1s\n5n 1s\n"}});
  EXPECT_NE(e.message.find("line 2 of its input_file has 1 values; the output vector has 2"), std::string::npos)
      << e.message;
  // a missing file: at the value on the .model card
  e = errFiles(net, {});
  EXPECT_EQ(e.loc.line, 3);
  EXPECT_NE(e.message.find("cannot read 'v.txt'"), std::string::npos) << e.message;
  // a model without the file
  e = errFiles("t\na1 [a] src\n.model src d_source\n.tran 1n 30n\n.end\n", {});
  EXPECT_NE(e.message.find("needs input_file="), std::string::npos) << e.message;
}

// ---------------------------------------------------------------- d_fdiv

TEST(XspiceFdiv, CountsRisingEdges) {
  for (const char* mode : kModes) {
    // clock edges (to 1) at 10n 30n 50n 70n 90n 110n
    const std::string clock = "0 0s\n10n 1s\n20n 0s\n30n 1s\n40n 0s\n50n 1s\n60n 0s\n70n 1s\n80n 0s\n90n 1s\n"
                              "100n 0s\n110n 1s\n120n 0s\n";
    const std::string net = std::string(R"(t
a1 [clk] src
.model src d_source(input_file="clk.txt")
a2 clk q fd
.model fd d_fdiv(div_factor=3 high_cycles=2 i_count=1 rise_delay=2n fall_delay=3n)
a3 clk q2 fd2
.model fd2 d_fdiv
.tran 1n 130n
.options switching=)") + mode + "\n.end\n";
    const auto r = okFiles(net, {{"dir/clk.txt", clock}});
    const auto& tr = r.get(AnalysisType::Tran);
    // i_count=1 (within high_cycles): 1 at the operating point; the count
    // runs 2 (10n), 3 = high_cycles + 1 (30n: 0 after 3n), 4 = div_factor + 1
    // -> 1 (50n: 1 after 2n), 2 (70n), 3 (90n: 0), 1 (110n: 1)
    EXPECT_EQ(tr.col("v(q)")[0], 1.0) << mode;
    const struct {
      double t, v;
    } want[] = {{32.9e-9, 1}, {33.01e-9, 0}, {51.9e-9, 0}, {52.01e-9, 1}, {92.9e-9, 1}, {93.01e-9, 0},
                {111.9e-9, 0}, {112.01e-9, 1}};
    for (const auto& w : want) EXPECT_EQ(at(tr, "v(q)", w.t), w.v) << mode << " at " << w.t;
    // the defaults (divide by 2, one high cycle, count 0): 0 at first, 1 after
    // the 1st, 3rd, 5th edges, 0 after the 2nd, 4th, 6th (1 ns delays)
    EXPECT_EQ(tr.col("v(q2)")[0], 0.0) << mode;
    const double edges[] = {10e-9, 30e-9, 50e-9, 70e-9, 90e-9, 110e-9};
    for (int k = 0; k < 6; ++k) {
      EXPECT_EQ(at(tr, "v(q2)", edges[k] + 0.99e-9), k == 0 ? 0.0 : k % 2 == 1 ? 1.0 : 0.0) << mode << " edge " << k;
      EXPECT_EQ(at(tr, "v(q2)", edges[k] + 1.01e-9), k % 2 == 0 ? 1.0 : 0.0) << mode << " edge " << k;
    }
  }
}

TEST(XspiceFdiv, ParametersAreChecked) {
  Error e = runErr("t\na0 c hi\n.model hi d_pullup\na1 c q fd\n.model fd d_fdiv(div_factor=2.5)\n.tran 1n 10n\n.end\n");
  EXPECT_NE(e.message.find("div_factor must be a whole number"), std::string::npos) << e.message;
  e = runErr("t\na0 c hi\n.model hi d_pullup\na1 c q fd\n.model fd d_fdiv(rise_delay=0)\n.tran 1n 10n\n.end\n");
  EXPECT_NE(e.message.find("at least 1e-12"), std::string::npos) << e.message;
}

// ---------------------------------------------------------------- filesource

const char* const kTable =
    "# t v1 v2\n"
    "; comment\n"
    "header line without numbers\n"
    "0 0 1\n"
    "  1e-6 1 -1\n"
    "2e-6, 0.5, 2\n"
    "2e-6 0.2 0.0\n"
    "4e-6 0.6 0.6 99\n";

TEST(XspiceFilesource, InterpolatesScalesAndSteps) {
  for (const char* mode : kModes) {
    const std::string net = std::string(R"(t
a1 %vd([f1 0 f2 0]) fs
.model fs filesource(file="tab.txt" amploffset=[0.1 0.2] amplscale=[2 3] timescale=2 timeoffset=1u)
a2 [g1 g2] fs2
.model fs2 filesource(file="tab.txt" amploffset=[0] amplscale=[1] amplstep=true timerelative=true timeoffset=5u timescale=2)
r1 f1 0 1k
r2 f2 0 1k
r3 g1 0 1k
r4 g2 0 1k
.tran 0.1u 12u
.options switching=)") + mode + "\n.end\n";
    const auto r = okFiles(net, {{"dir/tab.txt", kTable}});
    const auto& tr = r.get(AnalysisType::Tran);
    // fs: rows at 1u 3u 5u 5u 9u; v1 = 2 v + 0.1, v2 = 3 v + 0.2
    auto f1 = [](double v) { return 2 * v + 0.1; };
    auto f2 = [](double v) { return 3 * v + 0.2; };
    EXPECT_NEAR(interp(tr, "v(f1)", 2e-6), f1(0.5), 1e-9) << mode;                 // halfway 0 -> 1
    EXPECT_NEAR(interp(tr, "v(f2)", 2e-6), f2(0.0), 1e-9) << mode;                 // halfway 1 -> -1
    EXPECT_NEAR(interp(tr, "v(f1)", 4.5e-6), f1(1 - 0.5 * 0.75), 1e-9) << mode;    // 3/4 of 1 -> 0.5
    EXPECT_NEAR(interp(tr, "v(f1)", 7e-6), f1(0.4), 1e-9) << mode;                 // halfway 0.2 -> 0.6 (after the jump)
    EXPECT_NEAR(interp(tr, "v(f2)", 7e-6), f2(0.3), 1e-9) << mode;
    // before the first row (1u): from 0 at t = 0; after the last (9u): 0
    EXPECT_NEAR(interp(tr, "v(f1)", 0.5e-6), 0.5 * f1(0), 1e-9) << mode;
    EXPECT_NEAR(tr.col("v(f1)")[0], 0.0, 1e-12) << mode;
    EXPECT_NEAR(at(tr, "v(f1)", 10e-6), 0.0, 1e-12) << mode;
    // fs2: a staircase at rows 0 2u 4u 4u 8u (timerelative: no offset); the
    // second output has no amplscale/amploffset element: as read
    EXPECT_NEAR(at(tr, "v(g1)", 1.9e-6), 0.0, 1e-12) << mode;
    EXPECT_NEAR(at(tr, "v(g1)", 2.5e-6), 1.0, 1e-12) << mode;
    EXPECT_NEAR(at(tr, "v(g2)", 3.9e-6), -1.0, 1e-12) << mode;
    EXPECT_NEAR(at(tr, "v(g1)", 4.5e-6), 0.2, 1e-12) << mode;
    EXPECT_NEAR(at(tr, "v(g1)", 7.9e-6), 0.2, 1e-12) << mode;
    // the row times are time points
    for (double t : {1e-6, 3e-6, 5e-6, 9e-6, 2e-6, 4e-6, 8e-6}) {
      bool hit = false;
      for (double x : tr.x) hit = hit || std::fabs(x - t) < 1e-15;
      EXPECT_TRUE(hit) << mode << " no time point at " << t;
    }
  }
}

TEST(XspiceFilesource, OperatingPointAndAc) {
  const Files files = {{"dir/tab.txt", "0 2.5\n1 3\n"}};
  const auto r = okFiles("t\na1 [o] fs\n.model fs filesource(file=\"tab.txt\" amploffset=[0] amplscale=[1])\n"
                         "r1 o 0 1k\n.op\n.ac lin 1 1k 1k\n.end\n",
                         files);
  EXPECT_NEAR(r.get(AnalysisType::Op).col("v(o)")[0], 2.5, 1e-12);
  EXPECT_NEAR(std::abs(r.get(AnalysisType::Ac).phasor("v(o)", 0)), 0.0, 1e-15);
}

TEST(XspiceFilesource, ErrorsAreLocated) {
  const std::string net = "t\na1 [a b] fs\n.model fs filesource(file=\"t.txt\" amploffset=[0 0] amplscale=[1 1])\n"
                          "r1 a 0 1\nr2 b 0 1\n.tran 1n 10n\n.end\n";
  Error e = errFiles(net, {{"dir/t.txt", "0 1 2\n1e-9 3\n"}});
  EXPECT_NE(e.message.find("line 2 of its file has 1 values after the time; it drives 2 outputs"), std::string::npos)
      << e.message;
  e = errFiles(net, {{"dir/t.txt", "# nothing\n"}});
  EXPECT_EQ(e.loc.line, 3);
  EXPECT_NE(e.message.find("holds no data rows"), std::string::npos) << e.message;
  // ngspice 39 has no defaults for amplscale and amploffset
  e = errFiles("t\na1 [a] fs\n.model fs filesource(file=\"t.txt\")\nr1 a 0 1\n.tran 1n 10n\n.end\n",
               {{"dir/t.txt", "0 1\n"}});
  EXPECT_NE(e.message.find("needs amplscale= and amploffset="), std::string::npos) << e.message;
}

// ---------------------------------------------------------------- d_state

const char* const kCounter =
    "* state msb lsb  up hold -> next\n"
    "0  0s 0s  0 0 -> 3\n"
    "          1 0 -> 1\n"
    "          x 1 -> 0\n"
    "1  0s 1s  0 0 -> 0\n"
    "          1 0 -> 2\n"
    "          x 1 -> 1\n"
    "2  1s 0z  x x -> 3\n"
    "3  1r 1s  0 x -> 2\n"
    "3  1r 1s  1 x -> 0\n";

TEST(XspiceDState, CountsHoldsAndResets) {
  for (const char* mode : kModes) {
    // clock edges (to 1) at 10n 30n 50n 70n 90n 110n; up = 1 until 60n, then 0;
    // hold at 20n..40n; reset at 100n..105n
    const std::string stim = "0 0s 1s 0s 0s\n10n 1s 1s 0s 0s\n20n 0s 1s 1s 0s\n30n 1s 1s 1s 0s\n40n 0s 1s 0s 0s\n"
                             "50n 1s 1s 0s 0s\n60n 0s 0s 0s 0s\n70n 1s 0s 0s 0s\n80n 0s 0s 0s 0s\n90n 1s 0s 0s 0s\n"
                             "100n 0s 0s 0s 1s\n105n 0s 0s 0s 0s\n110n 1s 0s 0s 0s\n120n 0s 0s 0s 0s\n";
    const std::string net = std::string(R"(t
a1 [clk up hold reset] src
.model src d_source(input_file="stim.txt")
a2 [up hold] clk reset [msb lsb] sm
.model sm d_state(clk_delay=2n reset_delay=3n state_file="sm.txt" reset_state=1)
a3 lsb down
.model down d_pulldown
.tran 1n 130n
.options switching=)") + mode + "\n.end\n";
    const auto r = okFiles(net, {{"dir/stim.txt", stim}, {"dir/sm.txt", kCounter}});
    const auto& tr = r.get(AnalysisType::Tran);
    // state 1 at the operating point: msb 0, lsb 1
    EXPECT_EQ(tr.col("v(msb)")[0], 0.0) << mode;
    EXPECT_NEAR(tr.col("v(lsb)")[0], 1.0, 1e-3) << mode;
    // 10n: up -> 2 (msb 1, lsb a hi-impedance 0: the pull-down's 0) at 12n; 30n: hold, but state 2
    // goes to 3 on any input (x x) at 32n; 50n: up -> 0 at 52n; 70n: up = 0 -> 3 at 72n; 90n: -> 2
    // at 92n; 100n: reset -> 1 at 103n; 110n (reset 0 again): up = 0, hold 0 in state 1 -> 0 at 112n
    const struct {
      double t, msb, lsb;
    } want[] = {{11.9e-9, 0, 1},  {12.1e-9, 1, 0},  {32.1e-9, 1, 1},   {52.1e-9, 0, 0}, {72.1e-9, 1, 1},
                {92.1e-9, 1, 0},  {103.1e-9, 0, 1}, {112.1e-9, 0, 0}};
    for (const auto& w : want) {
      EXPECT_NEAR(at(tr, "v(msb)", w.t), w.msb, 1e-3) << mode << " msb at " << w.t;
      EXPECT_NEAR(at(tr, "v(lsb)", w.t), w.lsb, 1e-3) << mode << " lsb at " << w.t;
    }
  }
}

TEST(XspiceDState, StateFileErrorsAreLocated) {
  const std::string net = "t\na0 c hi\n.model hi d_pullup\na1 [c] c NULL [q] sm\n"
                          ".model sm d_state(state_file=\"s.txt\")\n.tran 1n 10n\n.end\n";
  Error e = errFiles(net, {{"dir/s.txt", "0 0s 1 -> 1\n1 1s 0 -> 0\n  1 -> 1 extra\n"}});
  EXPECT_NE(e.message.find("line 3 of its state_file: 4 fields"), std::string::npos) << e.message;
  e = errFiles(net, {{"dir/s.txt", "0 0s 1 -> 1\n1 1s 0 -> 0\n0 0s 0 -> 0\n"}});
  EXPECT_NE(e.message.find("the lines of state 0 must be together"), std::string::npos) << e.message;
  e = errFiles(net, {{"dir/s.txt", "0 0s 2 -> 1\n"}});
  EXPECT_NE(e.message.find("expected an input value (0, 1 or x)"), std::string::npos) << e.message;
  e = errFiles(net, {{"dir/s.txt", "0 0q 1 -> 1\n"}});
  EXPECT_NE(e.message.find("expected an output value"), std::string::npos) << e.message;
}

// ---------------------------------------------------------------- d_ram

TEST(XspiceDRam, WritesReadsAndDeselects) {
  for (const char* mode : kModes) {
    // time a d0 d1 we sel
    const std::string stim = "0   0s 0s 0s 0s 1s\n"    // selected, reading: ic (1) on both
                             "10n 0s 1s 0s 1s 1s\n"    // write 10 at 0
                             "20n 1s 0s 1s 1s 1s\n"    // write 01 at 1
                             "30n 0s 0s 0s 0s 1s\n"    // read 0 -> d0=1 d1=0
                             "40n 1s 0s 0s 0s 1s\n"    // read 1 -> 0 1
                             "50n 1s 0s 0s 0s 0s\n"    // de-selected, reading: U, hi-impedance
                             "60n Us 1s 1s 1s 1s\n"    // selected, writing at an unknown address
                             "70n 0s 1s 1s 0s 1s\n";   // read 0: U
    const std::string net = std::string(R"(t
a1 [a d0 d1 we sel] src
.model src d_source(input_file="stim.txt")
a2 [d0 d1] [o0 o1] [a] we [sel] ram
.model ram d_ram(ic=1 read_delay=2n)
a3 o1 down
.model down d_pulldown
.tran 0.5n 80n
.options switching=)") + mode + "\n.end\n";
    const auto r = okFiles(net, {{"dir/stim.txt", stim}});
    const auto& tr = r.get(AnalysisType::Tran);
    auto st = [&](const char* n, double t) {
      const double v = at(tr, n, t);
      return v > 0.75 ? 1.0 : v < 0.25 ? 0.0 : 0.5;
    };
    EXPECT_EQ(st("v(o0)", 0), 1.0) << mode;
    EXPECT_EQ(st("v(o1)", 0), 1.0) << mode;
    // writing: data_in on data_out at hi-impedance (o1's pull-down wins there)
    EXPECT_EQ(st("v(o0)", 12.1e-9), 1.0) << mode;
    EXPECT_EQ(st("v(o1)", 12.1e-9), 0.0) << mode;
    EXPECT_EQ(st("v(o0)", 22.1e-9), 0.0) << mode;
    EXPECT_EQ(st("v(o1)", 22.1e-9), 0.0) << mode;  // a hi-impedance 1 against the pull-down
    // reading back (strong)
    EXPECT_EQ(st("v(o0)", 31.9e-9), 0.0) << mode;
    EXPECT_EQ(st("v(o0)", 32.1e-9), 1.0) << mode;
    EXPECT_EQ(st("v(o1)", 32.1e-9), 0.0) << mode;
    EXPECT_EQ(st("v(o0)", 42.1e-9), 0.0) << mode;
    EXPECT_EQ(st("v(o1)", 42.1e-9), 1.0) << mode;
    // de-selected: U at hi-impedance (the pull-down wins on o1)
    EXPECT_EQ(st("v(o0)", 52.1e-9), 0.5) << mode;
    EXPECT_EQ(st("v(o1)", 52.1e-9), 0.0) << mode;
    // a write at an unknown address makes every word U
    EXPECT_EQ(st("v(o0)", 72.1e-9), 0.5) << mode;
  }
}

// ---------------------------------------------------------------- d_srlatch

TEST(XspiceSrLatch, PrioritiesAndDelays) {
  for (const char* mode : kModes) {
    // time s r enable set reset
    const std::string stim = "0   0s 0s 0s 0s 0s\n"   // ic = 0
                             "10n 1s 0s 0s 0s 0s\n"   // not enabled: no change
                             "20n 1s 0s 1s 0s 0s\n"   // enable rises: 1 after 3n + rise 1n (nout: + fall 2n)
                             "30n 0s 1s 1s 0s 0s\n"   // r: 0 after 2n + fall 2n (nout: 2n + 1n)
                             "40n 1s 1s 1s 0s 0s\n"   // s = r = 1: U after 2n + rise (from 0) 1n
                             "50n 0s 0s 1s 0s 1s\n"   // reset: 0 after 4n + fall 2n
                             "60n 0s 0s 1s 1s 1s\n"   // set while reset: U after 1n + rise 1n
                             "70n 0s 0s 1s 1s 0s\n";  // reset released while set: 1 after 4n + rise 1n
    const std::string net = std::string(R"(t
a1 [s r en set rst] src
.model src d_source(input_file="stim.txt")
a2 s r en set rst q qn lat
.model lat d_srlatch(sr_delay=2n enable_delay=3n set_delay=1n reset_delay=4n rise_delay=1n fall_delay=2n)
.tran 0.5n 80n
.options switching=)") + mode + "\n.end\n";
    const auto r = okFiles(net, {{"dir/stim.txt", stim}});
    const auto& tr = r.get(AnalysisType::Tran);
    const struct {
      double t, q, qn;
    } want[] = {{0, 0, 1},          {15e-9, 0, 1},      {23.9e-9, 0, 1},   {24.1e-9, 1, 1},  {25.1e-9, 1, 0},
                {33.1e-9, 1, 1},    {34.1e-9, 0, 1},    {43.1e-9, 0.5, 1}, {44.1e-9, 0.5, 0.5}, {55.1e-9, 0.5, 1},
                {56.1e-9, 0, 1},    {62.1e-9, 0.5, 1},  {63.1e-9, 0.5, 0.5}, {75.1e-9, 1, 0.5}, {76.1e-9, 1, 0}};
    for (const auto& w : want) {
      EXPECT_EQ(at(tr, "v(q)", w.t), w.q) << mode << " q at " << w.t;
      EXPECT_EQ(at(tr, "v(qn)", w.t), w.qn) << mode << " qn at " << w.t;
    }
  }
}

// ---------------------------------------------------------------- .model without ')'

TEST(XspiceNetlist, ModelParenNeverClosedIsWarned) {
  auto c = ir::parseNetlist("t\nv1 a 0 1\nd1 a 0 dm\n.model dm d (is=2e-14 n=1.5\n+ rs=3\n.op\n.end\n");
  ASSERT_TRUE(c.ok()) << c.error().format();
  ASSERT_EQ(c.value().warnings.size(), 1u);
  EXPECT_EQ(c.value().warnings[0].loc.line, 4);
  EXPECT_EQ(c.value().warnings[0].loc.col, 13);
  EXPECT_NE(c.value().warnings[0].message.find("never closed"), std::string::npos);
  ASSERT_EQ(c.value().models.size(), 1u);
  std::map<std::string, double> got;
  for (const ir::Param& p : c.value().models[0].params) got[p.name] = p.value;
  EXPECT_EQ(got["is"], 2e-14);
  EXPECT_EQ(got["n"], 1.5);
  EXPECT_EQ(got["rs"], 3);
  // a port vector in parentheses: %vd([a 0 b 0]) is %vd [a 0 b 0]; its ')' is required
  auto v = ir::parseNetlist("t\na1 %vd([a 0 b c]) fs\n.model fs filesource\n.end\n");
  ASSERT_TRUE(v.ok()) << v.error().format();
  EXPECT_EQ(v.value().devices[0].ports, (std::vector<int>{2}));
  EXPECT_EQ(v.value().devices[0].nodes, (std::vector<std::string>{"a", "0", "b", "c"}));
  auto open = ir::parseNetlist("t\na1 %vd([a 0 b c] x) fs\n.model fs filesource\n.end\n");
  ASSERT_FALSE(open.ok());
  EXPECT_NE(open.error().message.find("expected ')' after the port vector"), std::string::npos) << open.error().message;
  // elsewhere an unclosed '(' stays an error
  auto bad = ir::parseNetlist("t\nv1 a 0 pulse(0 1 0\nr1 a 0 1\n.op\n.end\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("'(' is never closed"), std::string::npos) << bad.error().message;
}

}  // namespace
}  // namespace simcore::testing
