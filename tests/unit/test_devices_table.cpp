// XSPICE's table2d and table3d: the interpolation (multilinear values, ENO
// derivatives, the ramp outside the table), the file reader's located
// errors, and the models in circuits (operating point, DC sweep, AC gains).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "devices/table_interp.hpp"
#include "test_kernel_support.cpp"

namespace simcore::testing {
namespace {

namespace tb = simcore::dev::table;

// ---------------------------------------------------------------- interpolation

TEST(TableInterp, EnoReproducesPolynomialsOfLowerDegree) {
  // order k reproduces polynomials of degree k-1 exactly (value and slope)
  std::vector<double> c;
  for (int i = 0; i < 10; ++i) c.push_back(1 - 2 * i + 0.5 * i * i - 0.1 * i * i * i);
  for (int i = 0; i < 10; ++i)
    for (double t : {0.0, 0.3, 0.75}) {
      if (i == 9 && t > 0) continue;
      double f = 0, df = 0;
      tb::eno1(c.data(), 10, 4, i, t, f, df);
      const double y = i + t;
      EXPECT_NEAR(f, 1 - 2 * y + 0.5 * y * y - 0.1 * y * y * y, 1e-12) << i << " " << t;
      EXPECT_NEAR(df, -2 + y - 0.3 * y * y, 1e-12) << i << " " << t;
    }
}

TEST(TableInterp, EnoPicksTheSmoothStencil) {
  // a step between points 4 and 5: in cell 2, order 3 chooses between the
  // stencils [1,3] and [2,4], both smooth (a tie, averaged): the slope is exact
  const std::vector<double> c = {0, 1, 2, 3, 4, 100, 101, 102};
  double f = 0, df = 0;
  tb::eno1(c.data(), 8, 3, 2, 0.5, f, df);
  EXPECT_NEAR(f, 2.5, 1e-12);
  EXPECT_NEAR(df, 1.0, 1e-12);
  // next to the step, order 3 avoids it: cell 3 (points 3, 4) with [2..4], not [3..5]
  tb::eno1(c.data(), 8, 3, 3, 0.5, f, df);
  EXPECT_NEAR(df, 1.0, 1e-12);
}

tb::Grid grid2(const std::vector<double>& x, const std::vector<double>& y, double (*fn)(double, double)) {
  tb::Grid g;
  g.dims = 2;
  g.x = x;
  g.y = y;
  g.z = {0};
  for (double yy : y)
    for (double xx : x) g.data.push_back(fn(xx, yy));
  return g;
}

TEST(TableInterp, BilinearValuesAndEnoDerivatives) {
  auto fn = [](double x, double y) { return 1 + 2 * x - 3 * y + 0.5 * x * y; };
  // uneven axes: the value is exact (f is bilinear)
  const tb::Grid g = grid2({0, 1, 3, 4, 7}, {-1, 0, 0.5, 2, 3, 5}, fn);
  for (double x : {0.0, 0.4, 2.2, 4.0, 6.9, 7.0})
    for (double y : {-1.0, -0.3, 0.25, 1.9, 5.0}) {
      const double u[3] = {x, y, 0};
      EXPECT_NEAR(tb::evaluate(g, 3, u).value, fn(x, y), 1e-12) << x << " " << y;
    }
  // unit-spaced axes: the derivatives are exact too (linear along each axis)
  const tb::Grid h = grid2({-1, 0, 1, 2, 3}, {0, 1, 2, 3, 4, 5}, fn);
  for (int order : {2, 3})
    for (double x : {-1.0, 0.7, 1.25, 3.0})
      for (double y : {0.0, 2.5, 4.2, 5.0}) {
        const double u[3] = {x, y, 0};
        const tb::Eval e = tb::evaluate(h, order, u);
        EXPECT_NEAR(e.d[0], 2 + 0.5 * y, 1e-12) << order << " " << x << " " << y;
        EXPECT_NEAR(e.d[1], -3 + 0.5 * x, 1e-12) << order << " " << x << " " << y;
      }
}

TEST(TableInterp, EnoOffsetsAreInAxisUnitsAsNgspices) {
  // ngspice 39 hands ENO the offset from the grid point in the axis' units,
  // where ENO counts grid steps: with a spacing of 0.5 the derivative along y
  // at x = 0.7 (0.2 past x = 0.5) is the one at 0.5 + 0.2·0.5 = 0.6
  auto fn = [](double x, double y) { return x * y; };
  const tb::Grid g = grid2({0, 0.5, 1, 1.5, 2}, {0, 1, 2, 3}, fn);
  const double u[3] = {0.7, 1.5, 0};
  const tb::Eval e = tb::evaluate(g, 2, u);
  EXPECT_NEAR(e.value, 0.7 * 1.5, 1e-12);  // (the value is bilinear, exact)
  EXPECT_NEAR(e.d[1], 0.6, 1e-12);
  EXPECT_NEAR(e.d[0], 1.5, 1e-12);  // (along x: the slope of a linear row, then y at its grid step)
}

TEST(TableInterp, OutsideTheTableTheValueHoldsAndTheSlopeRampsToZero) {
  auto fn = [](double x, double y) { return 2 * x + y; };
  const tb::Grid g = grid2({0, 1, 2, 3}, {0, 1, 2, 3, 4}, fn);
  // x beyond 3 by 1/16 of the last spacing: half the slope; by 1/8 or more: none
  double u[3] = {3 + 1.0 / 16, 2, 0};
  tb::Eval e = tb::evaluate(g, 2, u);
  EXPECT_NEAR(e.value, fn(3, 2), 1e-12);
  EXPECT_NEAR(e.d[0], 1.0, 1e-12);
  EXPECT_NEAR(e.d[1], 1.0, 1e-12);
  u[0] = 5;
  u[1] = -0.05;  // below y's range by 0.4 of the ramp
  e = tb::evaluate(g, 2, u);
  EXPECT_NEAR(e.value, fn(3, 0), 1e-12);
  EXPECT_EQ(e.d[0], 0.0);
  EXPECT_NEAR(e.d[1], 0.6, 1e-12);
}

TEST(TableInterp, TrilinearValuesAndDerivatives) {
  auto fn = [](double x, double y, double z) { return 1 + x - 2 * y + 3 * z + x * y * z; };
  tb::Grid g;
  g.dims = 3;
  g.x = {0, 1, 2, 3};
  g.y = {0, 1, 2, 3};
  g.z = {-1, 0, 1, 2};
  for (double z : g.z)
    for (double y : g.y)
      for (double x : g.x) g.data.push_back(fn(x, y, z));
  for (int order : {2, 3})
    for (double x : {0.0, 1.5, 3.0})
      for (double y : {0.5, 2.0, 2.9})
        for (double z : {-1.0, 0.2, 1.7}) {
          const double u[3] = {x, y, z};
          const tb::Eval e = tb::evaluate(g, order, u);
          EXPECT_NEAR(e.value, fn(x, y, z), 1e-12);
          EXPECT_NEAR(e.d[0], 1 + y * z, 1e-12) << order << " " << x << " " << y << " " << z;
          EXPECT_NEAR(e.d[1], -2 + x * z, 1e-12) << order << " " << x << " " << y << " " << z;
          EXPECT_NEAR(e.d[2], 3 + x * y, 1e-12) << order << " " << x << " " << y << " " << z;
        }
}

TEST(TableInterp, PreparedDifferencesGiveTheSameResults) {
  tb::Grid g;
  g.dims = 3;
  g.x = {0, 0.5, 1.5, 2, 3, 4.5};
  g.y = {0, 1, 2, 3, 4, 5};
  g.z = {0, 1, 3, 4, 6, 7};
  for (double z : g.z)
    for (double y : g.y)
      for (double x : g.x) g.data.push_back(std::sin(x) * std::exp(0.1 * y) + z * z * 0.01 + std::fabs(x - 2));
  for (int order : {2, 3, 4}) {
    tb::Grid p = g;
    tb::prepare(p, order);
    tb::Grid p2 = g;  // 2-D: the first table alone
    p2.dims = 2;
    p2.z = {0};
    p2.data.resize(g.x.size() * g.y.size());
    tb::Grid q2 = p2;
    tb::prepare(q2, order);
    for (double x : {-0.5, 0.3, 1.9, 4.5})
      for (double y : {0.0, 2.2, 4.9})
        for (double z : {0.5, 3.3, 7.2}) {
          const double u[3] = {x, y, z};
          const tb::Eval a = tb::evaluate(g, order, u), b = tb::evaluate(p, order, u);
          EXPECT_EQ(a.value, b.value);
          for (int k = 0; k < 3; ++k) EXPECT_EQ(a.d[k], b.d[k]) << order << " " << k;
          const tb::Eval c = tb::evaluate(p2, order, u), e = tb::evaluate(q2, order, u);
          for (int k = 0; k < 2; ++k) EXPECT_EQ(c.d[k], e.d[k]) << order << " " << k;
        }
  }
}

TEST(TableInterp, OrderMustFitTheTable) {
  tb::Grid g = grid2({0, 1, 2}, {0, 1, 2, 3}, [](double x, double y) { return x + y; });
  EXPECT_EQ(tb::checkOrder(g, 3), "");
  EXPECT_NE(tb::checkOrder(g, 4).find("needs at least 4 x values; the table has 3"), std::string::npos);
  g.x = {0, 1, 2, 3, 4};
  EXPECT_NE(tb::checkOrder(g, 4).find("2*order-2 = 6 y values; the table has 4"), std::string::npos);
}

// ---------------------------------------------------------------- in circuits

using Files = std::map<std::string, std::string>;

Result<RunOutput> runTable(const std::string& netlist, const Files& files) {
  ir::ParseOptions po;
  po.fileName = "dir/test.cir";
  po.resolver = [files](std::string_view path, std::string_view) -> Result<ir::ResolvedFile> {
    auto it = files.find("dir/" + std::string(path));
    if (it == files.end()) return makeError(ErrorCode::Semantic, "no such file");
    return ir::ResolvedFile{it->first, it->second};
  };
  auto c = ir::parseNetlist(netlist, po);
  if (!c) return c.takeError();
  auto sim = Simulation::create(std::move(c.value()), SimulationOptions{});
  if (!sim) return sim.takeError();
  CollectingSink sink;
  for (;;) {
    auto r = sim.value()->advance(sink, std::size_t(1) << 20);
    if (!r) return r.takeError();
    if (r.value() == StepState::Done) break;
  }
  return RunOutput{std::move(sink.analyses), sim.value()->stats()};
}

// f(x, y) = x·y on x = 0..4, y = 0..3 (comments, blank lines and separators as ngspice reads them)
const char* const kXy =
    "* x times y\n"
    "5\n"
    "\n"
    "4\n"
    "* x\n"
    "0 1 2 3 4\n"
    "* y\n"
    "0, 1, 2, 3\n"
    "0 0 0 0 0\n"
    "0 1 2 3 4\n"
    "* a comment between rows\n"
    "0 2 4 6 8\n"
    "0 3 6 9 12\n";

TEST(TableModel, OperatingPointSweepAndAc) {
  const std::string net = R"(t
v1 1 0 dc 1.5 ac 1
v2 2 0 dc 2
a1 1 2 %id(0 o) tab
.model tab table2d(file="xy.table" gain=2m offset=1m order=2)
ro o 0 1k
.op
.dc v1 0 4 0.5
.ac lin 1 1k 1k
.end
)";
  auto r = runTable(net, {{"dir/xy.table", kXy}});
  ASSERT_TRUE(r.ok()) << r.error().format();
  // v(o) = 1k · (1m + 2m · x·y)
  EXPECT_NEAR(r.value().get(AnalysisType::Op).col("v(o)")[0], 1 + 2 * 1.5 * 2, 1e-9);
  const auto& dc = r.value().get(AnalysisType::Dc);
  for (std::size_t k = 0; k < dc.x.size(); ++k) EXPECT_NEAR(dc.col("v(o)")[k], 1 + 2 * dc.x[k] * 2, 1e-9) << dc.x[k];
  // AC: d v(o)/d v1 = 1k · 2m · y
  EXPECT_NEAR(std::abs(r.value().get(AnalysisType::Ac).phasor("v(o)", 0)), 2 * 2, 1e-9);
}

TEST(TableModel, ThreeDimensional) {
  const char* const kT3 =
      "*x\n2\n*y\n2\n*z\n2\n"
      "0 1\n0 1\n0 10\n"
      "*z=0\n0 1\n2 3\n"
      "*z=10\n10 11\n12 13\n";
  const std::string net = R"(t
v1 1 0 0.5
v2 2 0 0.25
v3 3 0 5
a1 1 2 3 %id(0 o) tab
.model tab table3d(file="t3.table" order=2)
ro o 0 1
* AC: one input at a time
vw1 x1 0 0.5 ac 1
a2 x1 2 3 %id(0 ox) tab
rox ox 0 1
vw2 y2 0 0.25 ac 1
a3 1 y2 3 %id(0 oy) tab
roy oy 0 1
vw3 z3 0 5 ac 1
a4 1 2 z3 %id(0 oz) tab
roz oz 0 1
.op
.ac lin 1 1k 1k
.end
)";
  auto r = runTable(net, {{"dir/t3.table", kT3}});
  ASSERT_TRUE(r.ok()) << r.error().format();
  // f = x + 2y + z
  EXPECT_NEAR(r.value().get(AnalysisType::Op).col("v(o)")[0], 0.5 + 0.5 + 5, 1e-9);
  // each input's own gain (ngspice 39 writes the z gain over the y gain and leaves z's at 0)
  const auto& ac = r.value().get(AnalysisType::Ac);
  EXPECT_NEAR(std::abs(ac.phasor("v(ox)", 0)), 1.0, 1e-9);
  EXPECT_NEAR(std::abs(ac.phasor("v(oy)", 0)), 2.0, 1e-9);
  EXPECT_NEAR(std::abs(ac.phasor("v(oz)", 0)), 1.0, 1e-9);
}

Error tableError(const std::string& file, const std::string& type = "table2d", const std::string& extra = "") {
  const std::string ins = type == "table2d" ? "1 2" : "1 2 3";
  const std::string net = "t\nv1 1 0 1\nv2 2 0 1\nv3 3 0 1\na1 " + ins + " %id(0 o) tab\n.model tab " + type +
                          "(file=\"bad.table\"" + extra + ")\nro o 0 1\n.op\n.end\n";
  auto r = runTable(net, {{"dir/bad.table", file}});
  EXPECT_FALSE(r.ok()) << "expected an error for:\n" << file;
  return r.ok() ? Error{} : r.error();
}

TEST(TableModel, FileErrorsNameTheLineAndWhatWasExpected) {
  Error e = tableError("* t\n3\n2\n0 1 2\n0 1\n1 2 3\n4 5\n");
  EXPECT_EQ(e.loc.file, "dir/bad.table");
  EXPECT_EQ(e.loc.line, 7);
  EXPECT_NE(e.message.find("expected row 2 of 2 (y = 2): 3 values, one per x, found 2 values (table2d file)"),
            std::string::npos)
      << e.message;
  e = tableError("3\n2\n0 2 1\n0 1\n");
  EXPECT_EQ(e.loc.line, 3);
  EXPECT_NE(e.message.find("the x values must increase: 1 follows 2"), std::string::npos) << e.message;
  e = tableError("3\n1.5\n");
  EXPECT_EQ(e.loc.line, 2);
  EXPECT_NE(e.message.find("the number of y values (a whole number, at least 2)"), std::string::npos) << e.message;
  e = tableError("3 columns\n");
  EXPECT_EQ(e.loc.line, 1);
  EXPECT_NE(e.message.find("found also 'columns'"), std::string::npos) << e.message;
  e = tableError("2\n2\n0 1\n0 1\n1 2\n3 x4\n");
  EXPECT_EQ(e.loc.line, 6);
  EXPECT_NE(e.message.find("expected a table value, found 'x4'"), std::string::npos) << e.message;
  e = tableError("2\n2\n0 1\n0 1\n1 2\n3 4\n5 6\n");
  EXPECT_EQ(e.loc.line, 7);
  EXPECT_NE(e.message.find("expected the end of the file after the table"), std::string::npos) << e.message;
  e = tableError("2\n2\n2\n0 1\n0 1\n0 1\n1 2\n3 4\n* next\n", "table3d");
  EXPECT_EQ(e.loc.line, 9);
  EXPECT_NE(e.message.find("the file ends early: expected row 1 of 2 (y = 1) of table 2 of 2"), std::string::npos)
      << e.message;
  // the order against the table's size: at the device
  e = tableError("2\n2\n0 1\n0 1\n1 2\n3 4\n", "table2d", " order=3");
  EXPECT_NE(e.message.find("order=3 needs at least 3 x values"), std::string::npos) << e.message;
  // a missing file: at the model's value
  auto r = runTable("t\nv1 1 0 1\na1 1 1 %id(0 o) tab\n.model tab table2d(file=\"none.table\")\nro o 0 1\n.op\n.end\n",
                    {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().loc.line, 4);
  EXPECT_NE(r.error().message.find("cannot read 'none.table'"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace simcore::testing
