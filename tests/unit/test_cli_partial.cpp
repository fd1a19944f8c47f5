// A run that fails part-way keeps what it computed: the result file holds
// every row up to the failure and stderr says so.
#include <gtest/gtest.h>

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

}  // namespace
