// ParquetSink: files written in row groups, read back with the Parquet C++
// reader; the layout (parquet_layout.hpp) without Arrow.
#include <gtest/gtest.h>
#include <arrow/util/key_value_metadata.h>
#include <parquet/api/reader.h>
#include <sys/stat.h>

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "simcore/io/parquet_sink.hpp"
#include "simcore/io/sha256.hpp"
#include "../common/temp_dir.hpp"
#include "sink_test_util.hpp"

using namespace simcore;
using namespace simcore::io;
using simcore::io::test::feed;
using simcore::io::test::header;
using simcore::io::test::valueOf;
using simcore::testutil::TempDir;

namespace {

RunInfo info() {
  RunInfo i;
  i.title = "test circuit";
  i.netlistSha256 = sha256Hex("* net\n.end\n");
  i.parametersJson = R"({"rload":10})";
  i.seed = "42";
  i.jobId = "j-1";
  return i;
}

struct Read {
  std::vector<std::string> names;
  std::vector<std::vector<double>> columns;
  std::map<std::string, std::string> meta;
  int rowGroups = 0;
};

Read readAll(const std::string& path) {
  Read out;
  auto r = parquet::ParquetFileReader::OpenFile(path);
  auto md = r->metadata();
  out.rowGroups = md->num_row_groups();
  const int ncol = md->num_columns();
  out.columns.resize(ncol);
  for (int c = 0; c < ncol; ++c) {
    out.names.push_back(md->schema()->Column(c)->name());
    EXPECT_EQ(md->schema()->Column(c)->physical_type(), parquet::Type::DOUBLE);
  }
  for (int g = 0; g < out.rowGroups; ++g) {
    auto rg = r->RowGroup(g);
    for (int c = 0; c < ncol; ++c) {
      auto col = std::static_pointer_cast<parquet::DoubleReader>(rg->Column(c));
      std::vector<double> buf(4096);
      while (col->HasNext()) {
        int64_t got = 0;
        col->ReadBatch(int64_t(buf.size()), nullptr, nullptr, buf.data(), &got);
        out.columns[c].insert(out.columns[c].end(), buf.begin(), buf.begin() + got);
      }
    }
  }
  if (auto kv = md->key_value_metadata())
    for (int64_t i = 0; i < kv->size(); ++i) out.meta[kv->key(i)] = kv->value(i);
  return out;
}

}  // namespace

TEST(ParquetLayout, TransientColumnsAndMetadata) {
  auto h = header(AnalysisType::Tran, "time", false, {{"v(out)", SignalKind::Voltage}, {"i(v1)", SignalKind::Current}});
  auto cols = parquetColumns(h);
  ASSERT_EQ(cols.size(), 3u);
  EXPECT_EQ(cols[0].name, "time");
  EXPECT_STREQ(cols[0].quantity.unit, "s");
  EXPECT_EQ(cols[2].name, "i(v1)");
  EXPECT_STREQ(cols[2].quantity.kind, "current");
  std::map<std::string, std::string> m;
  for (auto& [k, v] : parquetMetadata(h, info(), "t0", "t1", 7, false)) m[k] = v;
  EXPECT_EQ(m["simcore.analysis"], "tran");
  EXPECT_EQ(m["simcore.rows"], "7");
  EXPECT_EQ(m["simcore.partial"], "false");
  EXPECT_EQ(m["simcore.seed"], "42");
  EXPECT_EQ(m["simcore.parameters"], R"({"rload":10})");
  EXPECT_EQ(m["simcore.version"], SIMCORE_VERSION);
  auto sig = nlohmann::json::parse(m["simcore.signals"]);
  ASSERT_EQ(sig.size(), 2u);
  EXPECT_EQ(sig[1]["unit"], "A");
  EXPECT_EQ(m.count("simcore.variant"), 0u);
  // a run on a circuit variant (.step point) has its label
  h.variant = "rload=2000";
  std::map<std::string, std::string> mv;
  for (auto& [k, v] : parquetMetadata(h, info(), "t0", "t1", 7, false)) mv[k] = v;
  EXPECT_EQ(mv["simcore.variant"], "rload=2000");
}

TEST(ParquetLayout, AcHasRealAndImaginaryColumnsOpHasNoX) {
  auto ac = parquetColumns(header(AnalysisType::Ac, "frequency", true, {{"v(out)", SignalKind::Voltage}}));
  ASSERT_EQ(ac.size(), 3u);
  EXPECT_EQ(ac[1].name, "v(out).re");
  EXPECT_EQ(ac[2].name, "v(out).im");
  EXPECT_STREQ(ac[0].quantity.unit, "Hz");
  auto op = parquetColumns(header(AnalysisType::Op, "", false, {{"v(a)", SignalKind::Voltage}}));
  ASSERT_EQ(op.size(), 1u);
  EXPECT_EQ(op[0].name, "v(a)");
}

TEST(ParquetSink, RowsAcrossSeveralRowGroupsReadBack) {
  const TempDir tmp("simcore-parquet-test-");
  const std::string dir = tmp.str();
  const std::size_t nsig = 3;
  {
    ParquetSink s(dir, "c", info());
    std::vector<SignalInfo> sigs;
    for (std::size_t k = 0; k < nsig; ++k) sigs.push_back({"v(n" + std::to_string(k) + ")", SignalKind::Voltage});
    s.begin(header(AnalysisType::Tran, "time", false, sigs));
    // kRowGroupBytes / (8 * 4 columns) rows per group: feed a bit over two groups in odd chunk sizes
    const std::size_t perGroup = ParquetSink::kRowGroupBytes / (8 * (nsig + 1));
    const std::size_t total = 2 * perGroup + 1234;
    for (std::size_t r = 0; r < total;) {
      std::size_t n = std::min<std::size_t>(total - r, 77777);
      feed(s, nsig, r, n, false);
      r += n;
    }
    s.end({AnalysisType::Tran, total});
    ASSERT_EQ(s.error(), "");
    ASSERT_EQ(s.files().size(), 1u);
    EXPECT_EQ(s.files()[0].rows, total);
    EXPECT_FALSE(s.files()[0].partial);
    Read r = readAll(dir + "/c.tran.parquet");
    EXPECT_EQ(r.rowGroups, 3);
    ASSERT_EQ(r.names, (std::vector<std::string>{"time", "v(n0)", "v(n1)", "v(n2)"}));
    ASSERT_EQ(r.columns[0].size(), total);
    for (std::size_t row : {std::size_t(0), perGroup - 1, perGroup, total - 1}) {
      EXPECT_EQ(r.columns[0][row], double(row) * 1e-6);
      for (std::size_t k = 0; k < nsig; ++k) EXPECT_EQ(r.columns[k + 1][row], valueOf(k, row));
    }
    EXPECT_EQ(r.meta["simcore.rows"], std::to_string(total));
    EXPECT_EQ(r.meta["simcore.partial"], "false");
    EXPECT_EQ(r.meta["simcore.title"], "test circuit");
    EXPECT_EQ(r.meta["simcore.netlist_sha256"], sha256Hex("* net\n.end\n"));
    EXPECT_FALSE(r.meta["simcore.end_time"].empty());
  }
}

TEST(ParquetSink, AcComplexAndSecondAnalysisOfAKind) {
  const TempDir tmp("simcore-parquet-test-");
  const std::string dir = tmp.str();
  ParquetSink s(dir, "c", info());
  s.begin(header(AnalysisType::Ac, "frequency", true, {{"v(out)", SignalKind::Voltage}}));
  feed(s, 1, 0, 10, true);
  s.end({AnalysisType::Ac, 10});
  s.begin(header(AnalysisType::Ac, "frequency", true, {{"v(out)", SignalKind::Voltage}}));
  feed(s, 1, 0, 5, true);
  s.end({AnalysisType::Ac, 5});
  ASSERT_EQ(s.files().size(), 2u);
  EXPECT_EQ(s.files()[1].path, dir + "/c.ac2.parquet");
  Read r = readAll(dir + "/c.ac.parquet");
  ASSERT_EQ(r.names, (std::vector<std::string>{"frequency", "v(out).re", "v(out).im"}));
  EXPECT_EQ(r.columns[1][9], valueOf(0, 9));
  EXPECT_EQ(r.columns[2][9], -valueOf(0, 9));
  EXPECT_EQ(r.meta["simcore.complex"], "true");
}

TEST(ParquetSink, AStoppedRunLeavesAReadablePartialFile) {
  const TempDir tmp("simcore-parquet-test-");
  const std::string dir = tmp.str();
  ParquetSink s(dir, "c", info());
  s.begin(header(AnalysisType::Tran, "time", false, {{"v(a)", SignalKind::Voltage}}));
  feed(s, 1, 0, 100, false);
  s.finishPartial();
  ASSERT_EQ(s.files().size(), 1u);
  EXPECT_TRUE(s.files()[0].partial);
  Read r = readAll(dir + "/c.tran.parquet");
  EXPECT_EQ(r.columns[0].size(), 100u);
  EXPECT_EQ(r.meta["simcore.partial"], "true");
}

TEST(ParquetSink, AnUnwritableDirectoryIsAnError) {
  ParquetSink s("/nonexistent/dir", "c", info());
  s.begin(header(AnalysisType::Op, "", false, {{"v(a)", SignalKind::Voltage}}));
  feed(s, 1, 0, 1, false, false);
  s.end({AnalysisType::Op, 1});
  EXPECT_NE(s.error().find("cannot create '/nonexistent/dir/c.op.parquet'"), std::string::npos) << s.error();
  EXPECT_TRUE(s.files().empty());
}
