// The bad-netlist corpus (tests/bad_netlists/) seen by the simulator: every
// file that parses must fail in Simulation::create or advance() with the
// error its second line announces:
//   * expect: LINE:COL: SUBSTRING      (COL 0 = any column)
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "simcore/ir.hpp"
#include "simcore/simulate.hpp"

namespace fs = std::filesystem;
using namespace simcore;

namespace {

struct Expectation {
  int line = 0, col = 0;
  std::string substring;
};

bool parseExpectation(const std::string& text, Expectation& e) {
  std::istringstream in(text);
  std::string l1, l2;
  if (!std::getline(in, l1) || !std::getline(in, l2)) return false;
  if (!l2.empty() && l2.back() == '\r') l2.pop_back();
  const std::string key = "* expect:";
  auto p = l2.find(key);
  if (p != 0) return false;
  std::string rest = l2.substr(key.size());
  // LINE:COL: SUBSTRING
  std::size_t i = rest.find_first_not_of(' ');
  if (i == std::string::npos) return false;
  std::size_t c1 = rest.find(':', i);
  if (c1 == std::string::npos) return false;
  std::size_t c2 = rest.find(':', c1 + 1);
  if (c2 == std::string::npos) return false;
  try {
    e.line = std::stoi(rest.substr(i, c1 - i));
    e.col = std::stoi(rest.substr(c1 + 1, c2 - c1 - 1));
  } catch (...) {
    return false;
  }
  e.substring = rest.substr(c2 + 1);
  auto b = e.substring.find_first_not_of(' ');
  e.substring = b == std::string::npos ? "" : e.substring.substr(b);
  while (!e.substring.empty() && std::isspace(static_cast<unsigned char>(e.substring.back()))) e.substring.pop_back();
  return true;
}

std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class NullSink final : public SampleSink {
 public:
  void begin(const AnalysisHeader&) override {}
  void chunk(const Chunk&) override {}
  void end(const AnalysisSummary&) override {}
};

// Runs a parsed circuit to the end; returns the error, or nothing.
std::optional<Error> simulateToEnd(ir::Circuit c) {
  SimulationOptions o;
  o.maxTimePoints = 2000000;  // a bad file must not hang the suite
  auto sim = Simulation::create(std::move(c), o);
  if (!sim) return sim.error();
  NullSink sink;
  for (;;) {
    auto r = sim.value()->advance(sink, 1 << 16);
    if (!r) return r.error();
    if (r.value() == StepState::Done) return std::nullopt;
  }
}

struct CorpusFile {
  fs::path path;
  std::string text;
  Expectation want;
};

// Corpus files with an expectation line that parse successfully (parse errors
// are test_bad_netlists_parse.cpp's business).
std::vector<CorpusFile> simulatableFiles() {
  std::vector<CorpusFile> out;
  const fs::path dir = SIMCORE_BAD_NETLISTS_DIR;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    CorpusFile cf{f, ss.str(), {}};
    if (!parseExpectation(cf.text, cf.want)) continue;  // not a corpus file (README, ...)
    ir::ParseOptions po;
    po.fileName = f.filename().string();
    if (!ir::parseNetlist(cf.text, po).ok()) continue;
    out.push_back(std::move(cf));
  }
  return out;
}

const std::vector<CorpusFile>& corpus() {
  static const std::vector<CorpusFile> files = simulatableFiles();
  return files;
}

class BadNetlistSimFile : public ::testing::TestWithParam<std::size_t> {};

TEST_P(BadNetlistSimFile, FailsWhereLineTwoSays) {
  const CorpusFile& cf = corpus()[GetParam()];
  const Expectation& want = cf.want;
  const std::string name = cf.path.filename().string();
  ir::ParseOptions po;
  po.fileName = name;
  auto c = ir::parseNetlist(cf.text, po);
  ASSERT_TRUE(c.ok()) << c.error().format();
  auto err = simulateToEnd(std::move(c.value()));
  ASSERT_TRUE(err.has_value()) << name << " parses and simulates without an error, but line 2 expects " << want.line
                               << ":" << want.col << ": " << want.substring;
  EXPECT_EQ(err->loc.line, want.line) << err->format();
  if (want.col != 0) EXPECT_EQ(err->loc.col, want.col) << err->format();
  EXPECT_NE(lower(err->message).find(lower(want.substring)), std::string::npos)
      << "message: " << err->message << "\nexpected to contain: " << want.substring;
  EXPECT_NE(err->code, ErrorCode::Internal) << err->format();
}

std::vector<std::size_t> corpusIndices() {
  std::vector<std::size_t> idx(corpus().size());
  for (std::size_t k = 0; k < idx.size(); ++k) idx[k] = k;
  return idx;
}

std::string corpusName(const ::testing::TestParamInfo<std::size_t>& info) {
  std::string n = corpus()[info.param].path.stem().string();
  for (char& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(BadNetlistSim, BadNetlistSimFile, ::testing::ValuesIn(corpusIndices()), corpusName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(BadNetlistSimFile);

TEST(BadNetlistSim, CorpusHasAtLeastThreeSimulationErrors) {
  const fs::path dir = SIMCORE_BAD_NETLISTS_DIR;
  ASSERT_TRUE(fs::is_directory(dir)) << dir;
  EXPECT_GE(corpus().size(), 3u) << "the corpus should hold at least three netlists that parse but cannot be "
                                    "simulated (floating node, voltage-source loop, ...) in "
                                 << dir;
  bool floating = false, loop = false;
  for (const auto& cf : corpus()) {
    floating = floating || lower(cf.want.substring).find("no dc path") != std::string::npos;
    loop = loop || lower(cf.want.substring).find("voltage-source loop") != std::string::npos;
  }
  EXPECT_TRUE(floating) << "no floating-node case in the corpus";
  EXPECT_TRUE(loop) << "no voltage-source-loop case in the corpus";
}

TEST(BadNetlistSim, ExpectationLineParser) {
  Expectation e;
  ASSERT_TRUE(parseExpectation("title\n* expect: 4:0: no DC path to ground\nR1 a 0 1\n", e));
  EXPECT_EQ(e.line, 4);
  EXPECT_EQ(e.col, 0);
  EXPECT_EQ(e.substring, "no DC path to ground");
  ASSERT_TRUE(parseExpectation("t\r\n* expect: 12:7: voltage-source loop\r\n", e));
  EXPECT_EQ(e.line, 12);
  EXPECT_EQ(e.col, 7);
  EXPECT_EQ(e.substring, "voltage-source loop");
  EXPECT_FALSE(parseExpectation("title\nR1 a 0 1\n", e));
  EXPECT_FALSE(parseExpectation("title\n* expect: x:1: y\n", e));
}

}  // namespace
