// Runs the tests/bad_netlists corpus through the parser. Each file's line 2 is
// "* expect: LINE:COL: SUBSTRING"; files that parse fine are left to the
// analysis-layer test.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "simcore/ir.hpp"

using namespace simcore;

namespace {

struct Expect {
  int line = 0;
  int col = 0;
  std::string substring;
  bool valid = false;
};

std::string readFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string lowered(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

Expect parseExpect(const std::string& text) {
  Expect e;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  if (!std::getline(in, line)) return e;
  const std::string tag = "* expect: ";
  if (line.rfind(tag, 0) != 0) return e;
  std::string rest = line.substr(tag.size());
  std::size_t c1 = rest.find(':');
  std::size_t c2 = rest.find(':', c1 + 1);
  if (c1 == std::string::npos || c2 == std::string::npos) return e;
  e.line = std::stoi(rest.substr(0, c1));
  e.col = std::stoi(rest.substr(c1 + 1, c2 - c1 - 1));
  e.substring = rest.substr(c2 + 1);
  while (!e.substring.empty() && (e.substring.front() == ' ')) e.substring.erase(0, 1);
  while (!e.substring.empty() && (e.substring.back() == ' ' || e.substring.back() == '\r')) e.substring.pop_back();
  e.valid = !e.substring.empty();
  return e;
}

std::vector<std::filesystem::path> corpus() {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(SIMCORE_BAD_NETLISTS_DIR, ec))
    if (e.path().extension() == ".cir") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST(NetlistBadCorpus, EveryFileHasAnExpectLine) {
  auto files = corpus();
  ASSERT_GE(files.size(), 35u) << SIMCORE_BAD_NETLISTS_DIR;
  for (const auto& f : files) EXPECT_TRUE(parseExpect(readFile(f)).valid) << f;
}

TEST(NetlistBadCorpus, ParseErrorsPointAtTheMistake) {
  int parseFailures = 0;
  for (const auto& f : corpus()) {
    std::string text = readFile(f);
    Expect ex = parseExpect(text);
    if (!ex.valid) continue;
    ir::ParseOptions o;
    o.fileName = f.filename().string();
    auto r = ir::parseNetlist(text, o);
    if (r.ok()) continue;  // detected later by the analysis layer
    ++parseFailures;
    const Error& e = r.error();
    SCOPED_TRACE(f.filename().string() + ": " + e.format());
    EXPECT_EQ(e.loc.file, o.fileName);
    EXPECT_EQ(e.loc.line, ex.line);
    if (ex.col != 0) EXPECT_EQ(e.loc.col, ex.col);
    EXPECT_NE(lowered(e.message).find(lowered(ex.substring)), std::string::npos)
        << "message lacks '" << ex.substring << "'";
    EXPECT_TRUE(e.code == ErrorCode::Parse || e.code == ErrorCode::Semantic || e.code == ErrorCode::Limit);
  }
  EXPECT_GE(parseFailures, 30);
}
