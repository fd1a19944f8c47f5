// A run that fails part-way keeps what it computed: the result file holds
// every row up to the failure and stderr says so. The same for a run stopped
// by --max-output (the bound on its result files' bytes).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

namespace {

std::string binary() {
  std::error_code ec;
  return (fs::read_symlink("/proc/self/exe", ec).parent_path() / "simcore").string();
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(CliPartial, FailedTransientKeepsRowsComputedSoFar) {
  fs::path dir = fs::temp_directory_path() / ("simcore_partial_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    std::ofstream(dir / "late.cir") << "stops late\nV1 a 0 PULSE(0 1 1m 1u 1u 1 2)\nR1 a b 1k\nC1 b 0 1u\n.tran 10u 5m\n.end\n";
  }
  std::string cmd = "timeout 60 " + binary() + " run " + (dir / "late.cir").string() + " --out " + (dir / "out").string() +
                    " --max-points 40 2> " + (dir / "err.txt").string();
  int rc = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(rc));
  EXPECT_EQ(WEXITSTATUS(rc), 1);
  std::string err = slurp(dir / "err.txt");
  EXPECT_NE(err.find("late.cir:5:1: error: time-point limit of 40"), std::string::npos) << err;
  EXPECT_NE(err.find("the 40 rows computed before the failure"), std::string::npos) << err;
  std::string csv = slurp(dir / "out" / "late.tran.csv");
  std::size_t lines = 0;
  for (char c : csv) lines += c == '\n';
  EXPECT_EQ(lines, 41u);  // header + 40 rows, each complete
  EXPECT_EQ(csv.back(), '\n');
  fs::remove_all(dir);
}

// A sine through an RC on a 10 ns grid for 1 ms: 100001 rows, several MB of CSV.
constexpr const char* kLongDeck = "long output\nV1 a 0 SIN(0 1 10k)\nR1 a b 1k\nC1 b 0 10n\n.tran 10n 1m\n.end\n";

struct RunResult {
  int exitCode = -1;
  std::string out, err;
};

// `simcore run DIR/long.cir --interpolate --out DIR/out ARGS`.
RunResult runLong(const fs::path& dir, const std::string& args) {
  fs::create_directories(dir);
  { std::ofstream(dir / "long.cir") << kLongDeck; }
  std::string cmd = "timeout 120 " + binary() + " run " + (dir / "long.cir").string() + " --interpolate --out " +
                    (dir / "out").string() + " " + args + " > " + (dir / "out.txt").string() + " 2> " +
                    (dir / "err.txt").string();
  int rc = std::system(cmd.c_str());
  RunResult r;
  r.exitCode = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = slurp(dir / "out.txt");
  r.err = slurp(dir / "err.txt");
  return r;
}

std::size_t countLines(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

fs::path scratch(const char* name) {
  fs::path dir = fs::temp_directory_path() / (std::string("simcore_") + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

TEST(CliPartial, MaxOutputStopsTheRunAndKeepsAReadableBoundedFile) {
  const fs::path dir = scratch("maxout");
  RunResult r = runLong(dir, "--max-output 64k --stats");
  EXPECT_EQ(r.exitCode, 1) << r.err;
  EXPECT_NE(r.err.find("simcore run: error: the result files reached the output limit of 64 KiB ("), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(" in 1 file) at t = "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("; raise it with --max-output SIZE (0: no limit)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("statistics:"), std::string::npos) << r.err;  // --stats as after a failure
  const fs::path csvPath = dir / "out" / "long.tran.csv";
  const std::string csv = slurp(csvPath);
  ASSERT_FALSE(csv.empty());
  EXPECT_EQ(csv.back(), '\n');
  // every row complete: as many fields as the header
  const std::size_t lines = countLines(csv);
  std::size_t fields = 0, longest = 0, start = 0;
  for (std::size_t i = 0; i < lines; ++i) {
    const std::size_t end = csv.find('\n', start);
    const std::string line = csv.substr(start, end - start);
    const std::size_t commas = std::size_t(std::count(line.begin(), line.end(), ','));
    if (i == 0) fields = commas;
    EXPECT_EQ(commas, fields) << "line " << i + 1 << ": " << line;
    longest = std::max(longest, line.size() + 1);
    start = end + 1;
  }
  EXPECT_NE(r.err.find("note: the " + std::to_string(lines - 1) + " rows computed before the stop are in " +
                       csvPath.string()),
            std::string::npos)
      << r.err;
  // stopped early, and past the limit by at most one advance() (2000 rows) and
  // the writer's 64 KiB buffer
  EXPECT_LT(lines - 1, 100001u);
  const std::uintmax_t size = fs::file_size(csvPath);
  EXPECT_GT(size, 64u * 1024);
  EXPECT_LE(size, 64u * 1024 + 64u * 1024 + 2000 * longest) << "longest row " << longest;
  fs::remove_all(dir);
}

TEST(CliPartial, MaxOutputCountsBinaryFormatsToo) {
  const fs::path dir = scratch("maxout_raw");
  RunResult r = runLong(dir, "--format raw --max-output 100K");
  EXPECT_EQ(r.exitCode, 1) << r.err;
  EXPECT_NE(r.err.find("the result files reached the output limit of 100 KiB"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("rows computed before the stop are in " + (dir / "out" / "long.tran.raw").string()),
            std::string::npos)
      << r.err;
  fs::remove_all(dir);
}

TEST(CliPartial, MaxOutputZeroAndTheDefaultRunToTheEnd) {
  for (const char* args : {"--max-output 0", ""}) {
    const fs::path dir = scratch("maxout_none");
    RunResult r = runLong(dir, args);
    EXPECT_EQ(r.exitCode, 0) << args << ": " << r.err;
    EXPECT_EQ(r.err.find("output limit"), std::string::npos) << r.err;
    EXPECT_EQ(countLines(slurp(dir / "out" / "long.tran.csv")), 100002u) << args;  // header + 100001 rows
    fs::remove_all(dir);
  }
}

TEST(CliPartial, MaxOutputRejectsWhatIsNotASize) {
  for (const char* bad : {"-1", "4X", "''", "1.5", "'4 G'", "G"}) {
    const fs::path dir = scratch("maxout_bad");
    RunResult r = runLong(dir, std::string("--max-output ") + bad);
    EXPECT_EQ(r.exitCode, 2) << bad << ": " << r.err;
    EXPECT_NE(r.err.find("--max-output"), std::string::npos) << bad << ": " << r.err;
    EXPECT_NE(r.err.find("needs a byte count such as 500M, 4G or 0"), std::string::npos) << bad << ": " << r.err;
    EXPECT_FALSE(fs::exists(dir / "out" / "long.tran.csv")) << bad;
    fs::remove_all(dir);
  }
}

}  // namespace
