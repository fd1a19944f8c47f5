// FileSink (csv, json, raw) to memory and to files, and writeAnalysis.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "simcore/io/writers.hpp"
#include "../common/temp_dir.hpp"
#include "sink_test_util.hpp"

using namespace simcore;
using namespace simcore::io;
using simcore::io::test::header;
using simcore::testutil::TempDir;

namespace {

// Feeds rows [r0, r0 + n): x = r, signal k = k + 0.25 r (im = -(k + 1)).
void feed(SampleSink& s, std::size_t nsig, std::size_t r0, std::size_t n, bool cx, bool hasX = true) {
  std::vector<double> x(n);
  std::vector<std::vector<double>> re(nsig, std::vector<double>(n)), im(nsig, std::vector<double>(n));
  for (std::size_t r = 0; r < n; ++r) {
    x[r] = double(r0 + r);
    for (std::size_t k = 0; k < nsig; ++k) {
      re[k][r] = double(k) + 0.25 * double(r0 + r);
      im[k][r] = -double(k + 1);
    }
  }
  Chunk c;
  c.rows = n;
  if (hasX) c.x = x;
  for (auto& v : re) c.re.emplace_back(v);
  if (cx)
    for (auto& v : im) c.im.emplace_back(v);
  s.chunk(c);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(FileSink, CsvInMemory) {
  FileSink s = FileSink::inMemory("rc", Format::Csv, "title");
  s.begin(header(AnalysisType::Tran, "time", false, {{"v(out)", SignalKind::Voltage}, {"i(v1)", SignalKind::Current}}));
  feed(s, 2, 0, 3, false);
  feed(s, 2, 3, 1, false);
  s.end({AnalysisType::Tran, 4});
  ASSERT_EQ(s.files().size(), 1u);
  const WrittenFile& f = s.files()[0];
  EXPECT_EQ(f.path, "rc.tran.csv");
  EXPECT_EQ(f.analysis, "tran");
  EXPECT_EQ(f.rows, 4u);
  EXPECT_FALSE(f.partial);
  EXPECT_EQ(f.bytes, "time,v(out),i(v1)\n0,0,1\n1,0.25,1.25\n2,0.5,1.5\n3,0.75,1.75\n");
  EXPECT_EQ(s.error(), "");
}

TEST(FileSink, AcCsvHasDbAndPhaseColumns) {
  FileSink s = FileSink::inMemory("f", Format::Csv, "");
  s.begin(header(AnalysisType::Ac, "frequency", true, {{"v(out)", SignalKind::Voltage}, {"i(v1)", SignalKind::Current}}));
  Chunk c;
  std::vector<double> x = {10.0}, re0 = {0.0}, im0 = {1.0}, re1 = {-1.0}, im1 = {0.0};
  c.rows = 1;
  c.x = x;
  c.re = {re0, re1};
  c.im = {im0, im1};
  s.chunk(c);
  s.end({AnalysisType::Ac, 1});
  // |j| = 1 -> 0 dB at 90 degrees; -1 -> 0 dB at 180 degrees (never -180)
  EXPECT_EQ(s.files()[0].bytes, "frequency,vdb(out),vp(out),db(i(v1)),ph(i(v1))\n10,0,90,0,180\n");
}

TEST(FileSink, PzWritesRealAndImaginaryParts) {
  // .pz: one complex row without x; text formats keep the s-plane coordinates, raw is ngspice's plot
  for (Format fmt : {Format::Csv, Format::Json, Format::Raw}) {
    FileSink s = FileSink::inMemory("p", fmt, "t");
    s.begin(header(AnalysisType::Pz, "", true, {{"pole(1)", SignalKind::Voltage}, {"zero(1)", SignalKind::Voltage}}));
    Chunk c;
    std::vector<double> re0 = {-5000.0}, im0 = {31250.0}, re1 = {0.0}, im1 = {0.0};
    c.rows = 1;
    c.re = {re0, re1};
    c.im = {im0, im1};
    s.chunk(c);
    s.end({AnalysisType::Pz, 1});
    const std::string& b = s.files()[0].bytes;
    EXPECT_EQ(s.files()[0].analysis, "pz");
    if (fmt == Format::Csv) EXPECT_EQ(b, "real(pole(1)),imag(pole(1)),real(zero(1)),imag(zero(1))\n-5000,31250,0,0\n");
    if (fmt == Format::Json) {
      auto j = nlohmann::json::parse(b);
      EXPECT_EQ(j["analysis"], "pz");
      EXPECT_EQ(j["rows"][0][1], 31250.0);
    }
    if (fmt == Format::Raw) {
      EXPECT_NE(b.find("Plotname: Pole-Zero Analysis\nFlags: complex\nNo. Variables: 2\n"), std::string::npos);
      EXPECT_NE(b.find("\t0\tpole(1)\tvoltage\n\t1\tzero(1)\tvoltage\n"), std::string::npos);
    }
  }
}

TEST(FileSink, FilesOnDiskEqualTheBytesInMemory) {
  const TempDir tmp("simcore-io-test-");
  const std::string dir = tmp.str();
  for (Format fmt : {Format::Csv, Format::Json, Format::Raw}) {
    FileSink disk(dir, "c", fmt, "t");
    FileSink mem = FileSink::inMemory("c", fmt, "t");
    for (SampleSink* s : {static_cast<SampleSink*>(&disk), static_cast<SampleSink*>(&mem)}) {
      s->begin(header(AnalysisType::Op, "", false, {{"v(a)", SignalKind::Voltage}}));
      feed(*s, 1, 0, 1, false, false);
      s->end({AnalysisType::Op, 1});
      s->begin(header(AnalysisType::Dc, "v1", false, {{"v(a)", SignalKind::Voltage}, {"v(b)", SignalKind::Voltage}}));
      feed(*s, 2, 0, 5000, false);
      s->end({AnalysisType::Dc, 5000});
    }
    ASSERT_EQ(disk.files().size(), 2u);
    ASSERT_EQ(mem.files().size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
      EXPECT_EQ(disk.files()[i].path, dir + "/" + mem.files()[i].path);
      EXPECT_TRUE(disk.files()[i].bytes.empty());
      std::string onDisk = slurp(disk.files()[i].path);
      if (fmt == Format::Raw) {  // the Date: line may differ by a second
        auto cut = [](std::string s) { return s.erase(s.find("Date:"), s.find('\n', s.find("Date:")) - s.find("Date:")); };
        EXPECT_EQ(cut(onDisk), cut(mem.files()[i].bytes)) << formatName(fmt);
      } else {
        EXPECT_EQ(onDisk, mem.files()[i].bytes) << formatName(fmt);
      }
    }
  }
}

TEST(FileSink, RawInMemoryHasThePointCountAndTheDoubles) {
  FileSink s = FileSink::inMemory("r", Format::Raw, "my title");
  s.begin(header(AnalysisType::Tran, "time", false, {{"v(out)", SignalKind::Voltage}}));
  feed(s, 1, 0, 3, false);
  s.end({AnalysisType::Tran, 3});
  const std::string& b = s.files()[0].bytes;
  EXPECT_EQ(b.rfind("Title: my title\n", 0), 0u);
  EXPECT_NE(b.find("No. Points: 3 "), std::string::npos);
  EXPECT_NE(b.find("\t0\ttime\ttime\n\t1\tv(out)\tvoltage\nBinary:\n"), std::string::npos);
  const std::size_t data = b.find("Binary:\n") + 8;
  ASSERT_EQ(b.size() - data, 3 * 2 * sizeof(double));
  double v[6];
  std::memcpy(v, b.data() + data, sizeof v);
  EXPECT_EQ(v[0], 0.0);
  EXPECT_EQ(v[2], 1.0);
  EXPECT_EQ(v[5], 0.5);
}

TEST(FileSink, FinishPartialKeepsTheRowsAndMarksTheFile) {
  FileSink s = FileSink::inMemory("p", Format::Csv, "");
  s.begin(header(AnalysisType::Tran, "time", false, {{"v(a)", SignalKind::Voltage}}));
  feed(s, 1, 0, 2, false);
  s.finishPartial();
  ASSERT_EQ(s.files().size(), 1u);
  EXPECT_TRUE(s.files()[0].partial);
  EXPECT_EQ(s.files()[0].rows, 2u);
  EXPECT_EQ(s.files()[0].bytes, "time,v(a)\n0,0\n1,0.25\n");
}

TEST(FileSink, SecondAnalysisOfAKindIsNumbered) {
  FileSink s = FileSink::inMemory("x", Format::Json, "");
  for (int i = 0; i < 2; ++i) {
    s.begin(header(AnalysisType::Tran, "time", false, {{"v(a)", SignalKind::Voltage}}));
    s.end({AnalysisType::Tran, 0});
  }
  ASSERT_EQ(s.files().size(), 2u);
  EXPECT_EQ(s.files()[0].path, "x.tran.json");
  EXPECT_EQ(s.files()[1].path, "x.tran2.json");
}

TEST(FileSink, UnwritableDirectoryIsAnError) {
  FileSink s("/nonexistent-simcore-dir", "x", Format::Csv, "");
  s.begin(header(AnalysisType::Op, "", false, {{"v(a)", SignalKind::Voltage}}));
  feed(s, 1, 0, 1, false, false);
  s.end({AnalysisType::Op, 1});
  EXPECT_NE(s.error().find("cannot open '/nonexistent-simcore-dir/x.op.csv' for writing"), std::string::npos)
      << s.error();
  EXPECT_TRUE(s.files().empty());
}

// Names a netlist can produce (node `a\q` from `V1 a\q 0 1`), quotes, control
// characters, non-ASCII and invalid UTF-8: the JSON file stays valid and
// keeps every valid name as it is.
TEST(FileSink, JsonIsValidForNastyNames) {
  const std::vector<std::string> names = {"v(a\\q)", "v(\"q\")", "v(tab\there)", std::string("v(nul\x01x)"),
                                          "v(\xc2\xb5out)", "v(\xe6\x97\xa5)", "i(v\\1)"};
  std::vector<SignalInfo> sigs;
  for (const auto& n : names) sigs.push_back({n, n[0] == 'i' ? SignalKind::Current : SignalKind::Voltage});
  const std::string title = "title \"quoted\" \\ back\nslash \xff bad utf-8";
  for (bool cx : {false, true}) {
    FileSink s = FileSink::inMemory("n", Format::Json, title);
    s.begin(header(cx ? AnalysisType::Ac : AnalysisType::Dc, "v\\in", cx, sigs));
    feed(s, sigs.size(), 0, 2, cx);
    s.end({AnalysisType::Dc, 2});
    const std::string& text = s.files()[0].bytes;
    nlohmann::json j;
    ASSERT_NO_THROW(j = nlohmann::json::parse(text)) << text;
    EXPECT_EQ(j["x"], "v\\in");
    EXPECT_EQ(j["title"], "title \"quoted\" \\ back\nslash \xef\xbf\xbd bad utf-8");
    ASSERT_EQ(j["columns"].size(), 1 + names.size() * (cx ? 2 : 1));
    if (!cx) {
      for (std::size_t k = 0; k < names.size(); ++k) EXPECT_EQ(j["columns"][k + 1], names[k]);
    } else {
      EXPECT_EQ(j["columns"][1], "vdb(a\\q)");
      EXPECT_EQ(j["columns"][2], "vp(a\\q)");
      EXPECT_EQ(j["columns"][13], "db(i(v\\1))");
    }
    ASSERT_EQ(j["rows"].size(), 2u);
    EXPECT_EQ(j["rows"][1][0], 1.0);
  }
}

TEST(FileSink, JsonWritesNonFiniteNumbersAsNull) {
  FileSink s = FileSink::inMemory("n", Format::Json, "");
  s.begin(header(AnalysisType::Op, "", false, {{"v(a)", SignalKind::Voltage}, {"v(b)", SignalKind::Voltage}}));
  std::vector<double> a = {NAN}, b = {-INFINITY};
  Chunk c;
  c.rows = 1;
  c.re = {a, b};
  s.chunk(c);
  s.end({AnalysisType::Op, 1});
  EXPECT_EQ(s.files()[0].bytes,
            "{\"analysis\":\"op\",\"title\":\"\",\"x\":\"\",\"columns\":[\"v(a)\",\"v(b)\"],\"rows\":[[null,null]]}\n");
}

TEST(WriteAnalysis, MatchesTheStreamingWriter) {
  std::vector<double> x = {0, 1, 2}, a = {1, 2, 3}, b = {0.5, 0.25, 0.125};
  AnalysisColumns cols;
  cols.header = header(AnalysisType::Dc, "v1", false, {{"v(a)", SignalKind::Voltage}, {"i(v1)", SignalKind::Current}});
  cols.rows = 3;
  cols.x = x;
  cols.re = {a, b};
  auto r = writeAnalysis(Format::Csv, cols, "t");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r.value(), "v1,v(a),i(v1)\n0,1,0.5\n1,2,0.25\n2,3,0.125\n");
  cols.rows = 4;
  EXPECT_FALSE(writeAnalysis(Format::Csv, cols, "t"));
  cols.rows = 3;
  EXPECT_FALSE(writeAnalysis(Format::Hdf5, cols, "t"));
  cols.re.pop_back();
  EXPECT_FALSE(writeAnalysis(Format::Csv, cols, "t"));
}

TEST(Formats, NamesAndExtensions) {
  EXPECT_EQ(parseFormat("csv"), Format::Csv);
  EXPECT_EQ(parseFormat("json"), Format::Json);
  EXPECT_EQ(parseFormat("raw"), Format::Raw);
  EXPECT_EQ(parseFormat("hdf5"), Format::Hdf5);
  EXPECT_EQ(parseFormat("h5"), std::nullopt);
  EXPECT_STREQ(formatExtension(Format::Hdf5), "h5");
  EXPECT_EQ(resultFileName("s", AnalysisType::Ac, 3, Format::Raw), "s.ac3.raw");
}

TEST(OpenResultSink, TextFormatsOnlyHdf5IsItsOwnLibrary) {
  auto r = openResultSink(Format::Hdf5, "/tmp", "x", "t");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("Hdf5Sink"), std::string::npos);
  auto c = openResultSink(Format::Csv, "/tmp", "x", "t");
  ASSERT_TRUE(c);
  EXPECT_EQ(c.value()->error(), "");
}

}  // namespace

namespace {

TEST(FileSink, TakeFinishedLeavesTheOpenFile) {
  FileSink s = FileSink::inMemory("t", Format::Csv, "");
  s.begin(header(AnalysisType::Op, "", false, {{"v(a)", SignalKind::Voltage}}));
  feed(s, 1, 0, 1, false, false);
  s.end({AnalysisType::Op, 1});
  s.begin(header(AnalysisType::Tran, "time", false, {{"v(a)", SignalKind::Voltage}}));
  feed(s, 1, 0, 1, false);
  auto done = s.takeFinished();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].path, "t.op.csv");
  EXPECT_EQ(done[0].bytes, "v(a)\n0\n");
  EXPECT_TRUE(s.takeFinished().empty());
  feed(s, 1, 1, 1, false);
  s.end({AnalysisType::Tran, 2});
  done = s.takeFinished();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].bytes, "time,v(a)\n0,0\n1,0.25\n");
  EXPECT_TRUE(s.files().empty());
}

}  // namespace

TEST(FileSink, AVariantIsLabelledInEveryFormat) {
  auto h = header(AnalysisType::Tran, "time", false, {{"v(out)", SignalKind::Voltage}});
  h.variant = "rload=2000 temp=50";
  FileSink csv = FileSink::inMemory("rc", Format::Csv, "title");
  csv.begin(h);
  feed(csv, 1, 0, 1, false);
  csv.end({AnalysisType::Tran, 1});
  EXPECT_EQ(csv.files()[0].bytes, "# variant: rload=2000 temp=50\ntime,v(out)\n0,0\n");
  EXPECT_EQ(csv.files()[0].variant, "rload=2000 temp=50");
  FileSink json = FileSink::inMemory("rc", Format::Json, "title");
  json.begin(h);
  feed(json, 1, 0, 1, false);
  json.end({AnalysisType::Tran, 1});
  EXPECT_EQ(nlohmann::json::parse(json.files()[0].bytes)["variant"], "rload=2000 temp=50");
  FileSink raw = FileSink::inMemory("rc", Format::Raw, "title");
  raw.begin(h);
  feed(raw, 1, 0, 1, false);
  raw.end({AnalysisType::Tran, 1});
  EXPECT_NE(raw.files()[0].bytes.find("Plotname: Transient Analysis (rload=2000 temp=50)\n"), std::string::npos);
  // without a variant nothing changes
  FileSink plain = FileSink::inMemory("rc", Format::Json, "title");
  plain.begin(header(AnalysisType::Tran, "time", false, {{"v(out)", SignalKind::Voltage}}));
  plain.end({AnalysisType::Tran, 0});
  EXPECT_FALSE(nlohmann::json::parse(plain.files()[0].bytes).contains("variant"));
}

TEST(FileSink, DcOfTemperatureAndResistanceHaveTheirRawTypes) {
  FileSink t = FileSink::inMemory("d", Format::Raw, "title");
  t.begin(header(AnalysisType::Dc, "temp", false, {{"v(out)", SignalKind::Voltage}}));
  t.end({AnalysisType::Dc, 0});
  EXPECT_NE(t.files()[0].bytes.find("\t0\ttemp\ttemp-sweep\n"), std::string::npos);
  FileSink r = FileSink::inMemory("d", Format::Raw, "title");
  r.begin(header(AnalysisType::Dc, "x1.r2", false, {{"v(out)", SignalKind::Voltage}}));
  r.end({AnalysisType::Dc, 0});
  EXPECT_NE(r.files()[0].bytes.find("\t0\tx1.r2\tres-sweep\n"), std::string::npos);
  EXPECT_STREQ(sweepQuantity(AnalysisType::Dc, "temp").unit, "degC");
  EXPECT_STREQ(sweepQuantity(AnalysisType::Dc, "r1").kind, "resistance");
  EXPECT_STREQ(sweepQuantity(AnalysisType::Dc, "v1").kind, "voltage");
  EXPECT_STREQ(sweepQuantity(AnalysisType::Dc, "iin").kind, "current");
}

// Device quantities are typed as ngspice 39 guesses them from the parameter's first letter.
TEST(FileSink, DeviceQuantitiesHaveNgspicesRawTypes) {
  FileSink t = FileSink::inMemory("d", Format::Raw, "title");
  t.begin(header(AnalysisType::Dc, "v1", false,
                 {{"v(out)", SignalKind::Voltage}, {"@q1[gm]", SignalKind::Current}, {"@q1[cpi]", SignalKind::Current},
                  {"@q1[ic]", SignalKind::Current}, {"@d1[qd]", SignalKind::Current}, {"@r1[p]", SignalKind::Current},
                  {"@m1[vth]", SignalKind::Voltage}, {"i(v1)", SignalKind::Current}, {"@i1[c]", SignalKind::Current}}));
  t.end({AnalysisType::Dc, 0});
  const std::string& b = t.files()[0].bytes;
  for (const char* line : {"\t1\tv(out)\tvoltage\n", "\t2\t@q1[gm]\tadmittance\n", "\t3\t@q1[cpi]\tcapacitance\n",
                           "\t4\t@q1[ic]\tcurrent\n", "\t5\t@d1[qd]\tcharge\n", "\t6\t@r1[p]\tpower\n",
                           "\t7\t@m1[vth]\tvoltage\n", "\t8\ti(v1)\tcurrent\n", "\t9\t@i1[c]\tcurrent\n"})
    EXPECT_NE(b.find(line), std::string::npos) << line;
}
