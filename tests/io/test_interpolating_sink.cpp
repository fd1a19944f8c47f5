// InterpolatingSink: transient rows resampled onto the .tran tstep grid.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "simcore/io/writers.hpp"

using namespace simcore;
using namespace simcore::io;

namespace {

TEST(InterpolatingSink, LinearOnTheGridAndOtherAnalysesPassThrough) {
  ir::Circuit c;
  ir::Analysis tran;
  tran.kind = ir::AnalysisKind::Tran;
  tran.tstep = 0.5;
  tran.tstop = 2.0;
  c.analyses.push_back(ir::Analysis{});  // op at index 0
  c.analyses.push_back(tran);
  FileSink out = FileSink::inMemory("i", Format::Csv, "");
  InterpolatingSink s(out, c);

  AnalysisHeader op;
  op.signals = {{"v(a)", SignalKind::Voltage}};
  s.begin(op);
  std::vector<double> one = {7.0};
  Chunk oc;
  oc.rows = 1;
  oc.re = {one};
  s.chunk(oc);
  s.end({AnalysisType::Op, 1});

  AnalysisHeader h;
  h.type = AnalysisType::Tran;
  h.index = 1;
  h.xName = "time";
  h.signals = {{"v(a)", SignalKind::Voltage}};
  s.begin(h);
  // accepted points t = 0, 0.8, 2 with v = 2 t: the grid 0, 0.5, ..., 2 in two chunks
  std::vector<double> t1 = {0.0, 0.8}, v1 = {0.0, 1.6}, t2 = {2.0}, v2 = {4.0};
  Chunk a;
  a.rows = 2;
  a.x = t1;
  a.re = {v1};
  s.chunk(a);
  Chunk b;
  b.rows = 1;
  b.x = t2;
  b.re = {v2};
  s.chunk(b);
  s.end({AnalysisType::Tran, 3});
  ASSERT_EQ(out.files().size(), 2u);
  EXPECT_EQ(out.files()[0].bytes, "v(a)\n7\n");
  EXPECT_EQ(out.files()[1].bytes, "time,v(a)\n0,0\n0.5,1\n1,2\n1.5,3\n2,4\n");
  EXPECT_EQ(out.files()[1].rows, 5u);
}

}  // namespace
