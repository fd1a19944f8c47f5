// `simcore run` end to end: runs the built binary (next to simcore_unit) on
// temporary netlists and checks exit codes, messages and the result files.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

std::string simcoreBinary() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  return (self.parent_path() / "simcore").string();
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

struct CliResult {
  int exitCode = -1;
  std::string out, err;
};

class CliRun : public ::testing::Test {
 protected:
  void SetUp() override {
    bin_ = simcoreBinary();
    ASSERT_TRUE(fs::exists(bin_)) << "simcore binary not found at '" << bin_ << "'";
    std::string tmpl = (fs::temp_directory_path() / "simcore_cli_XXXXXX").string();
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    ASSERT_NE(::mkdtemp(buf.data()), nullptr);
    dir_ = buf.data();
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  fs::path write(const std::string& name, const std::string& text) {
    fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

  // simcore run NETLIST --out DIR/out ARGS (killed after 60 s so that a
  // runaway simulation fails the test instead of hanging the suite)
  CliResult run(const fs::path& netlist, const std::string& args = "") {
    const fs::path so = dir_ / "stdout.txt", se = dir_ / "stderr.txt";
    std::string cmd = "timeout 60 '" + bin_ + "' run '" + netlist.string() + "' --out '" + (dir_ / "out").string() + "' " + args +
                      " >'" + so.string() + "' 2>'" + se.string() + "'";
    int st = std::system(cmd.c_str());
    CliResult r;
    r.exitCode = (st != -1 && WIFEXITED(st)) ? WEXITSTATUS(st) : -1;
    r.out = slurp(so);
    r.err = slurp(se);
    return r;
  }
  fs::path out(const std::string& file) const { return dir_ / "out" / file; }

  std::string bin_;
  fs::path dir_;
};

const char* kRc =
    "rc filter\n"
    "V1 in 0 DC 0 AC 1 PULSE(0 1 0 1n 1n 1 2)\n"
    "R1 in out 1k\n"
    "C1 out 0 1u\n"
    ".tran 100u 2m\n";

TEST_F(CliRun, GoodNetlistWritesCsv) {
  auto r = run(write("rc.cir", kRc));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto ls = lines(slurp(out("rc.tran.csv")));
  ASSERT_GE(ls.size(), 21u) << "at least tstop / tstep + 1 rows";
  EXPECT_EQ(ls[0], "time,v(in),v(out),i(v1)");
  EXPECT_EQ(split(ls[1], ',')[0], "0");
  // every data row has four numbers, time increases, the last row is tstop
  double prev = -1;
  for (std::size_t k = 1; k < ls.size(); ++k) {
    auto f = split(ls[k], ',');
    ASSERT_EQ(f.size(), 4u) << ls[k];
    double t = std::stod(f[0]);
    EXPECT_GT(t, prev);
    prev = t;
  }
  EXPECT_NEAR(prev, 2e-3, 1e-15);
  EXPECT_NE(r.out.find("rc.tran.csv"), std::string::npos) << "the summary names the written file:\n" << r.out;
}

TEST_F(CliRun, InterpolateGivesTheTstepGrid) {
  auto r = run(write("rc.cir", kRc), "--interpolate");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto ls = lines(slurp(out("rc.tran.csv")));
  ASSERT_EQ(ls.size(), 1u + 21u) << "header + 0, 100u, ..., 2m";
  for (std::size_t k = 1; k < ls.size(); ++k) {
    auto f = split(ls[k], ',');
    ASSERT_EQ(f.size(), 4u);
    const double t = double(k - 1) * 100e-6;
    EXPECT_NEAR(std::stod(f[0]), t, 1e-12 * std::max(t, 1e-3)) << "row " << k;
    // linear interpolation of the RC response is within 0.5 % of 1 - e^{-t/tau}
    if (t >= 0.2e-3) {
      const double want = 1 - std::exp(-t / 1e-3);
      EXPECT_NEAR(std::stod(f[2]), want, 5e-3 * want) << "t = " << t;
    }
  }
}

TEST_F(CliRun, ParseErrorExitsTwoWithLocation) {
  fs::path p = write("bad.cir",
                     "bad\n"
                     "R1 a 0 1k\n"
                     ".tran 1u -1\n");
  auto r = run(p);
  EXPECT_EQ(r.exitCode, 2);
  std::regex re("(^|\n)" + std::regex_replace(p.string(), std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") +
                ":3:[0-9]+: error: ");
  EXPECT_TRUE(std::regex_search(r.err, re)) << "stderr:\n" << r.err;
  EXPECT_FALSE(fs::exists(out("bad.tran.csv")));
}

TEST_F(CliRun, TopologyErrorExitsTwo) {
  auto r = run(write("float.cir",
                     "float\n"
                     "V1 a 0 1\n"
                     "V2 p m 1 AC 1\n"
                     "R1 p m 1k\n"
                     ".ac dec 2 1 10\n"));
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("float.cir:3:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no DC path to ground"), std::string::npos) << r.err;
}

// A floating node runs (tied to ground through gmin): one warning on stderr, at its card.
TEST_F(CliRun, FloatingNodeWarnsOnceAndRuns) {
  auto r = run(write("float.cir",
                     "float\n"
                     "V1 a 0 1\n"
                     "C1 a b 1n\n"
                     ".op\n"));
  EXPECT_EQ(r.exitCode, 0) << r.err;
  const std::string want = "float.cir:3:1: warning: node 'b' has no DC path to ground";
  const std::size_t at = r.err.find(want);
  EXPECT_NE(at, std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(want, at + 1), std::string::npos) << r.err;
}

// A transient that runs on with a junction a source forces forward: the
// warning the run raised is printed once, at the source's card, when it ends.
TEST_F(CliRun, WarningRaisedDuringTheRunIsPrintedOnce) {
  auto r = run(write("forced.cir",
                     "forced\n"
                     "V1 a 0 PWL(0 0 1n 0 2n 15)\n"
                     "D1 a 0 DX\n"
                     ".model DX D(IS=1e-14)\n"
                     ".tran 0.01n 3n\n"));
  EXPECT_EQ(r.exitCode, 0) << r.err;
  const std::string want = "forced.cir:2:1: warning: the branch current of 'v1' reached ";
  const std::size_t at = r.err.find(want);
  EXPECT_NE(at, std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("warning:", at + want.size()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("the currents are not physical", at), std::string::npos) << r.err;
}

TEST_F(CliRun, BadOptionsExitTwo) {
  fs::path p = write("rc.cir", kRc);
  auto a = run(p, "--bogus");
  EXPECT_EQ(a.exitCode, 2);
  EXPECT_NE(a.err.find("unknown option '--bogus'"), std::string::npos) << a.err;
  auto b = run(p, "--format xml");
  EXPECT_EQ(b.exitCode, 2);
  EXPECT_NE(b.err.find("unknown format"), std::string::npos) << b.err;
  auto c = run(dir_ / "missing.cir");
  EXPECT_EQ(c.exitCode, 2);
}

TEST_F(CliRun, SaveRestrictsColumns) {
  auto r = run(write("rc.cir", kRc), "--save 'v(out)'");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto ls = lines(slurp(out("rc.tran.csv")));
  ASSERT_GE(ls.size(), 2u);
  EXPECT_EQ(ls[0], "time,v(out)");
  EXPECT_EQ(split(ls[1], ',').size(), 2u);
  auto r2 = run(write("rc.cir", kRc), "'--save=v(in),i(v1)'");
  ASSERT_EQ(r2.exitCode, 0) << r2.err;
  EXPECT_EQ(lines(slurp(out("rc.tran.csv")))[0], "time,v(in),i(v1)");
  auto r3 = run(write("rc.cir", kRc), "--save 'v(nosuch)'");
  EXPECT_EQ(r3.exitCode, 2) << "an unknown signal is a semantic error";
  EXPECT_NE(r3.err.find("nosuch"), std::string::npos) << r3.err;
}

TEST_F(CliRun, OpCsvHasOneRowAndNoSweepColumn) {
  auto r = run(write("div.cir",
                     "divider\n"
                     "V1 in 0 DC 10\n"
                     "R1 in out 1k\n"
                     "R2 out 0 3k\n"
                     ".op\n"));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto ls = lines(slurp(out("div.op.csv")));
  ASSERT_EQ(ls.size(), 2u);
  EXPECT_EQ(ls[0], "v(in),v(out),i(v1)");
  auto f = split(ls[1], ',');
  ASSERT_EQ(f.size(), 3u);
  EXPECT_NEAR(std::stod(f[1]), 7.5, 1e-9);
}

TEST_F(CliRun, AcCsvHasDbAndPhaseColumns) {
  auto r = run(write("ac.cir",
                     "ac\n"
                     "V1 in 0 AC 1\n"
                     "R1 in out 1k\n"
                     "C1 out 0 1u\n"
                     ".ac dec 10 1 10k\n"));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto ls = lines(slurp(out("ac.ac.csv")));
  ASSERT_EQ(ls.size(), 1u + 41u);
  EXPECT_EQ(ls[0], "frequency,vdb(in),vp(in),vdb(out),vp(out),db(i(v1)),ph(i(v1))");
  // the last point (10 kHz): |H| = 1/sqrt(1 + (f/fc)^2), phase -atan(f/fc)
  auto f = split(ls.back(), ',');
  ASSERT_EQ(f.size(), 7u);
  const double x = 1e4 * 2 * M_PI * 1e-3;
  EXPECT_NEAR(std::stod(f[0]), 1e4, 1e-6);
  EXPECT_NEAR(std::stod(f[3]), -10 * std::log10(1 + x * x), 1e-6);
  EXPECT_NEAR(std::stod(f[4]), -std::atan(x) * 180 / M_PI, 1e-6);
}

TEST_F(CliRun, JsonFormat) {
  auto r = run(write("rc.cir", kRc), "--format json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  std::string j = slurp(out("rc.tran.json"));
  EXPECT_EQ(j.rfind("{\"analysis\":\"tran\"", 0), 0u) << j.substr(0, 80);
  EXPECT_NE(j.find("\"columns\":[\"time\",\"v(in)\",\"v(out)\",\"i(v1)\"]"), std::string::npos) << j.substr(0, 200);
  EXPECT_NE(j.find("\"rows\":[[0,"), std::string::npos);
  ASSERT_GE(j.size(), 3u);
  EXPECT_EQ(j.substr(j.size() - 3), "]}\n");
  int depth = 0, minDepth = 0;
  bool inString = false;
  for (char c : j) {
    if (c == '"') inString = !inString;
    if (inString) continue;
    if (c == '[' || c == '{') ++depth;
    if (c == ']' || c == '}') minDepth = std::min(minDepth, --depth);
  }
  EXPECT_EQ(depth, 0);
  EXPECT_EQ(minDepth, 0);
  // same number of rows as the csv
  auto csv = run(write("rc.cir", kRc));
  ASSERT_EQ(csv.exitCode, 0);
  std::size_t rows = lines(slurp(out("rc.tran.csv"))).size() - 1;
  std::size_t jsonRows = 0;
  const std::size_t rowsAt = j.find("\"rows\":[");
  ASSERT_NE(rowsAt, std::string::npos);
  for (std::size_t p = rowsAt + 7; (p = j.find('[', p + 1)) != std::string::npos;) ++jsonRows;
  EXPECT_EQ(jsonRows, rows);
}

TEST_F(CliRun, RawFormatHeaderAndSize) {
  auto r = run(write("rc.cir", kRc), "--format raw");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  std::string raw = slurp(out("rc.tran.raw"));
  const std::string marker = "Binary:\n";
  auto bpos = raw.find(marker);
  ASSERT_NE(bpos, std::string::npos);
  const std::size_t headerSize = bpos + marker.size();
  auto hl = lines(raw.substr(0, headerSize));
  ASSERT_GE(hl.size(), 12u);
  EXPECT_EQ(hl[0], "Title: rc filter");
  EXPECT_EQ(hl[1].rfind("Date: ", 0), 0u);
  EXPECT_EQ(hl[2], "Plotname: Transient Analysis");
  EXPECT_EQ(hl[3], "Flags: real");
  EXPECT_EQ(hl[4], "No. Variables: 4");
  ASSERT_EQ(hl[5].rfind("No. Points: ", 0), 0u);
  const long points = std::strtol(hl[5].c_str() + 12, nullptr, 10);
  EXPECT_EQ(hl[6], "Variables:");
  EXPECT_EQ(hl[7], "\t0\ttime\ttime");
  EXPECT_EQ(hl[8], "\t1\tv(in)\tvoltage");
  EXPECT_EQ(hl[9], "\t2\tv(out)\tvoltage");
  EXPECT_EQ(hl[10], "\t3\ti(v1)\tcurrent");
  EXPECT_EQ(hl[11], "Binary:");
  // the point count matches the csv of the same run and the file size
  auto csv = run(write("rc.cir", kRc));
  ASSERT_EQ(csv.exitCode, 0);
  const long rows = long(lines(slurp(out("rc.tran.csv"))).size()) - 1;
  EXPECT_EQ(points, rows);
  EXPECT_EQ(raw.size(), headerSize + std::size_t(points) * 4 * 8);
  // the first point is t = 0 and the last t = tstop
  double t0 = 1, tEnd = 0;
  std::memcpy(&t0, raw.data() + headerSize, 8);
  std::memcpy(&tEnd, raw.data() + raw.size() - 4 * 8, 8);
  EXPECT_EQ(t0, 0.0);
  EXPECT_NEAR(tEnd, 2e-3, 1e-15);
}

TEST_F(CliRun, RawAcIsComplex) {
  auto r = run(write("ac.cir",
                     "ac\n"
                     "V1 in 0 AC 1\n"
                     "R1 in out 1k\n"
                     "C1 out 0 1u\n"
                     ".ac dec 10 1 10k\n"),
               "--format raw");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  std::string raw = slurp(out("ac.ac.raw"));
  auto bpos = raw.find("Binary:\n");
  ASSERT_NE(bpos, std::string::npos);
  EXPECT_NE(raw.find("Flags: complex\n"), std::string::npos);
  EXPECT_NE(raw.find("No. Points: 41"), std::string::npos);
  // frequency (complex, 16 bytes) + v(in), v(out), i(v1) (16 bytes each)
  EXPECT_EQ(raw.size(), bpos + 8 + 41u * 4 * 16);
}


TEST_F(CliRun, InterpolateStartsAtTstart) {
  auto r = run(write("late.cir",
                     "late\n"
                     "V1 in 0 PULSE(0 1 0 1n 1n 1 2)\n"
                     "R1 in out 1k\n"
                     "C1 out 0 1u\n"
                     ".tran 100u 2m 0.5m\n"),
               "--interpolate --save 'v(out)'");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto ls = lines(slurp(out("late.tran.csv")));
  ASSERT_EQ(ls.size(), 1u + 16u) << "header + 0.5m, 0.6m, ..., 2m";
  EXPECT_EQ(ls[0], "time,v(out)");
  for (std::size_t k = 1; k < ls.size(); ++k) {
    auto f = split(ls[k], ',');
    ASSERT_EQ(f.size(), 2u);
    const double t = 0.5e-3 + double(k - 1) * 100e-6;
    EXPECT_NEAR(std::stod(f[0]), t, 1e-12 * t) << "row " << k;
    const double want = 1 - std::exp(-t / 1e-3);
    EXPECT_NEAR(std::stod(f[1]), want, 5e-3 * want) << "t = " << t;
  }
}

TEST_F(CliRun, RawOpHasOnePoint) {
  auto r = run(write("div.cir",
                     "divider\n"
                     "V1 in 0 DC 10\n"
                     "R1 in out 1k\n"
                     "R2 out 0 3k\n"
                     ".op\n"),
               "--format raw");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  std::string raw = slurp(out("div.op.raw"));
  auto bpos = raw.find("Binary:\n");
  ASSERT_NE(bpos, std::string::npos);
  EXPECT_NE(raw.find("Plotname: Operating Point\n"), std::string::npos);
  // like ngspice, no sweep variable: just v(in), v(out), i(v1)
  EXPECT_NE(raw.find("No. Variables: 3\n"), std::string::npos);
  EXPECT_EQ(raw.find("index"), std::string::npos);
  EXPECT_NE(raw.find("No. Points: 1 "), std::string::npos);
  ASSERT_EQ(raw.size(), bpos + 8 + 3u * 8);
  double v[3];
  std::memcpy(v, raw.data() + bpos + 8, sizeof v);
  EXPECT_NEAR(v[1], 7.5, 1e-9) << "v(out) after v(in)";
}

TEST_F(CliRun, TwoAnalysesOfOneKindGetNumberedFiles) {
  auto r = run(write("two.cir",
                     "two\n"
                     "V1 in 0 DC 1\n"
                     "R1 in out 1k\n"
                     "R2 out 0 1k\n"
                     ".op\n"
                     ".dc v1 0 1 0.5\n"
                     ".op\n"));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(fs::exists(out("two.op.csv")));
  EXPECT_TRUE(fs::exists(out("two.dc.csv")));
  EXPECT_TRUE(fs::exists(out("two.op2.csv")));
  auto dc = lines(slurp(out("two.dc.csv")));
  ASSERT_EQ(dc.size(), 4u);
  EXPECT_EQ(dc[0], "v1,v(in),v(out),i(v1)");
}


TEST_F(CliRun, InterpolateAcrossManyChunks) {
  // 5001 grid rows: several 1024-row chunks in and out of the interpolator
  auto r = run(write("long.cir",
                     "long\n"
                     "V1 in 0 SIN(0 1 1k)\n"
                     "R1 in out 1k\n"
                     "C1 out 0 10n\n"
                     ".tran 1u 5m\n"),
               "--interpolate --save 'v(in)'");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto ls = lines(slurp(out("long.tran.csv")));
  ASSERT_EQ(ls.size(), 1u + 5001u);
  for (std::size_t k = 1; k < ls.size(); ++k) {
    auto f = split(ls[k], ',');
    ASSERT_EQ(f.size(), 2u) << "row " << k;
    const double t = double(k - 1) * 1e-6;
    ASSERT_NEAR(std::stod(f[0]), t, 1e-12 * std::max(t, 1e-6)) << "row " << k;
    ASSERT_NEAR(std::stod(f[1]), std::sin(2 * M_PI * 1e3 * t), 2e-4) << "t = " << t;
  }
}

}  // namespace

namespace {

TEST_F(CliRun, Hdf5FormatWritesAnH5File) {
  auto r = run(write("rc.cir", kRc), "--format hdf5");
  if (r.exitCode == 2 && r.err.find("without HDF5") != std::string::npos) GTEST_SKIP() << "built without libhdf5";
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const std::string h5 = slurp(out("rc.tran.h5"));
  ASSERT_GE(h5.size(), 8u);
  EXPECT_EQ(h5.substr(0, 8), std::string("\x89HDF\r\n\x1a\n", 8)) << "the HDF5 signature";
  EXPECT_NE(h5.find("v(out)"), std::string::npos);
  EXPECT_NE(r.out.find("rc.tran.h5"), std::string::npos) << r.out;
}

// `V1 a\q 0 1`: a backslash in a node name (and a quote in the title) must be
// escaped in the JSON file.
TEST_F(CliRun, JsonEscapesABackslashInANodeName) {
  auto r = run(write("bs.cir", "title with \"quotes\"\nV1 a\\q 0 1\nR1 a\\q 0 1k\n.op\n"), "--format json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const std::string j = slurp(out("bs.op.json"));
  EXPECT_NE(j.find(R"x("columns":["v(a\\q)","i(v1)"])x"), std::string::npos) << j;
  EXPECT_NE(j.find(R"x("title":"title with \"quotes\"")x"), std::string::npos) << j;
}

}  // namespace

// --threads N: the semiconductor models of groups of 512 or more level-1
// evaluations are evaluated on N threads; the results are bit-identical to one thread.
TEST_F(CliRun, ThreadsGiveTheSameResultFiles) {
  std::string net =
      "inverter chain, 600 MOSFETs\n"
      ".model NM NMOS(LEVEL=1 VTO=0.7 KP=110u LAMBDA=0.04 GAMMA=0.45 PHI=0.7 CGSO=0.3n CGDO=0.3n CBD=5f CBS=5f)\n"
      ".model PM PMOS(LEVEL=1 VTO=-0.8 KP=40u LAMBDA=0.05 GAMMA=0.5 PHI=0.7 CGSO=0.3n CGDO=0.3n CBD=5f CBS=5f)\n"
      ".subckt inv in out vdd\nMN out in 0 0 NM W=2u L=1u\nMP out in vdd vdd PM W=5u L=1u\nCL out 0 10f\n.ends\n"
      "VDD vdd 0 3.3\nVIN n0 0 PULSE(0 3.3 0.1n 0.1n 0.1n 2n 4n)\n";
  for (int k = 1; k <= 300; ++k)
    net += "X" + std::to_string(k) + " n" + std::to_string(k - 1) + " n" + std::to_string(k) + " vdd inv\n";
  net += ".tran 20p 3n\n";
  const fs::path p = write("chain.cir", net);
  auto one = run(p, "--save 'v(n1),v(n75),v(n150)'");
  ASSERT_EQ(one.exitCode, 0) << one.err;
  const std::string a = slurp(out("chain.tran.csv"));
  auto two = run(p, "--save 'v(n1),v(n75),v(n150)' --threads 2 --stats");
  ASSERT_EQ(two.exitCode, 0) << two.err;
  EXPECT_NE(two.err.find("threaded loads"), std::string::npos) << "the two threads were not used: " << two.err;
  const std::string b = slurp(out("chain.tran.csv"));
  EXPECT_GT(lines(a).size(), 100u);
  EXPECT_EQ(a, b) << "--threads 2 changed the results";
  auto bad = run(p, "--threads 0");
  EXPECT_EQ(bad.exitCode, 2);
  EXPECT_NE(bad.err.find("--threads"), std::string::npos) << bad.err;
}

TEST_F(CliRun, StepWritesAFilePerPointWithItsLabel) {
  auto r = run(write("step2.cir",
                "divider\n"
                "V1 in 0 DC 1\n"
                "R1 in out {rx}\n"
                "R2 out 0 1k\n"
                ".param rx=1k\n"
                ".step param rx list 1k 3k\n"
                ".dc v1 0 1 1\n"
                ".meas dc vo find v(out) at=1\n"));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("vo[rx=1000]         =  5.000000e-01"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("vo[rx=3000]         =  2.500000e-01"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("step2.dc2.csv  (rx=3000)"), std::string::npos) << r.out;
  auto ls = lines(slurp(out("step2.dc2.csv")));
  ASSERT_EQ(ls.size(), 4u);
  EXPECT_EQ(ls[0], "# variant: rx=3000");
  EXPECT_EQ(ls[1], "v1,v(in),v(out),i(v1)");
  EXPECT_EQ(split(ls[3], ',')[2], "0.25");
}

// A .control script: its text on stdout before the summary, its files below --script-dir, the
// commands that failed on stderr; a file that cannot be written fails the run.
TEST_F(CliRun, ControlScriptPrintsAndWritesItsFiles) {
  fs::path net = write("script.cir",
                       "script\nV1 in 0 DC 1\nR1 in out 1k\nR2 out 0 1k\n.control\nop\nprint v(out)\n"
                       "echo half of $&v(in)\nwrdata half.txt v(out)\nprint nosuch\n.endc\n.end\n");
  fs::create_directories(dir_ / "files");
  CliResult r = run(net, "--script-dir '" + (dir_ / "files").string() + "'");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, 32), "v(out) = 5.000000e-01\nhalf of 1\n") << r.out;
  // (an op plot's scale is its first vector, v(in), as ngspice's: 1.0 in the first column)
  EXPECT_EQ(slurp(dir_ / "files" / "half.txt"), " 1.00000000e+00  5.00000000e-01 \n");
  EXPECT_NE(r.err.find("script.cir:10:1: error: 'print': no such vector 'nosuch'"), std::string::npos) << r.err;
  // a --script-dir that does not exist is made (as --out's folder); one that cannot be (a
  // file's name) fails the run, which says which file was lost
  CliResult missing = run(net, "--script-dir '" + (dir_ / "missing" / "deeper").string() + "'");
  ASSERT_EQ(missing.exitCode, 0) << missing.err;
  EXPECT_EQ(slurp(dir_ / "missing" / "deeper" / "half.txt"), " 1.00000000e+00  5.00000000e-01 \n");
  write("plain.txt", "not a folder\n");
  CliResult bad = run(net, "--script-dir '" + (dir_ / "plain.txt").string() + "'");
  EXPECT_EQ(bad.exitCode, 1);
  EXPECT_NE(bad.err.find("cannot write the script's file"), std::string::npos) << bad.err;
  // a folder in the file's name is made inside the script's folder (ngspice loses the file)
  fs::path sub = write("sub.cir", "sub\nV1 in 0 DC 1\nR1 in 0 1k\n.control\nop\nwrdata res/dc/v.txt v(in)\n.endc\n.end\n");
  CliResult made = run(sub, "--script-dir '" + (dir_ / "files").string() + "'");
  ASSERT_EQ(made.exitCode, 0) << made.err;
  EXPECT_EQ(slurp(dir_ / "files" / "res" / "dc" / "v.txt"), " 1.00000000e+00  1.00000000e+00 \n");
}

namespace {

// .noise and .tf (issue 12): the files of the new analysis kinds, in every text format.
TEST_F(CliRun, NoiseAndTfWriteTheirOwnFiles) {
  const fs::path nl = write("nt.cir",
                            "noise\nv1 in 0 dc 1 ac 1\nr1 in out 1k\nr2 out 0 1k\n.noise v(out) v1 dec 2 1k 10k\n"
                            ".tf v(out) v1\n.end\n");
  auto r = run(nl);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto noise = lines(slurp(out("nt.noise.csv")));
  ASSERT_EQ(noise.size(), 4u);  // header, 1k, 3.16k, 10k
  EXPECT_EQ(noise[0], "frequency,onoise_spectrum,inoise_spectrum");
  // r1 || r2 = 500 Ohm: sqrt(4 k T 500) = 2.878e-9 V/sqrt(Hz)
  EXPECT_NEAR(std::stod(split(noise[1], ',')[1]), 2.8785e-9, 1e-12);
  auto total = lines(slurp(out("nt.noise_total.csv")));
  ASSERT_EQ(total.size(), 2u);
  EXPECT_EQ(total[0], "onoise_total,inoise_total");
  auto tf = lines(slurp(out("nt.tf.csv")));
  ASSERT_EQ(tf.size(), 2u);
  EXPECT_EQ(tf[0], "transfer_function,v1#input_impedance,output_impedance_at_v(out)");
  EXPECT_EQ(tf[1], "0.5,2000,500");
  ASSERT_EQ(run(nl, "--format raw").exitCode, 0);
  const std::string raw = slurp(out("nt.noise.raw"));
  EXPECT_NE(raw.find("Plotname: Noise Spectral Density Curves"), std::string::npos);
  EXPECT_NE(raw.find("\tonoise_spectrum\tvoltage-density"), std::string::npos);
  EXPECT_NE(slurp(out("nt.tf.raw")).find("Plotname: Transfer Function"), std::string::npos);
  ASSERT_EQ(run(nl, "--format json").exitCode, 0);
  EXPECT_NE(slurp(out("nt.noise_total.json")).find("\"analysis\":\"noise_total\""), std::string::npos);
}

}  // namespace
