// Every shared circuit parses; a deterministic mutation "smoke fuzz".
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "simcore/ir.hpp"

using namespace simcore;

namespace {

std::string circuitsDir() { return std::string(SIMCORE_SOURCE_DIR) + "/../shared/circuits/"; }

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> circuitFiles() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(circuitsDir(), ec))
    if (e.path().extension() == ".cir") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

Result<ir::Circuit> parseFile(const std::string& path) {
  ir::ParseOptions o;
  o.fileName = std::filesystem::path(path).filename().string();
  return ir::parseNetlist(readFile(path), o);
}

}  // namespace

TEST(NetlistCircuits, EverySharedCircuitParses) {
  auto files = circuitFiles();
  ASSERT_GE(files.size(), 20u) << "circuits not found in " << circuitsDir();
  for (const auto& f : files) {
    auto r = parseFile(f);
    EXPECT_TRUE(r.ok()) << f << ": " << (r.ok() ? "" : r.error().format());
    if (r.ok()) {
      EXPECT_FALSE(r->devices.empty()) << f;
      EXPECT_FALSE(r->analyses.empty()) << f;
      EXPECT_FALSE(r->title.empty()) << f;
    }
  }
}

TEST(NetlistCircuits, DeviceCounts) {
  std::map<std::string, std::size_t> expected = {
      {"rc_lowpass_step.cir", 3},  {"cmos_ring_osc5.cir", 16}, {"inverter_chain_50.cir", 152},
      {"rc_ladder_1k.cir", 2001},  {"transformer_k.cir", 7},   {"controlled_sources.cir", 16},
      {"opamp_inverting.cir", 9},  {"power_grid_100x100.cir", 30101}};
  for (const auto& [name, count] : expected) {
    auto r = parseFile(circuitsDir() + name);
    ASSERT_TRUE(r.ok()) << name << ": " << r.error().format();
    EXPECT_EQ(r->devices.size(), count) << name;
  }
  auto r = parseFile(circuitsDir() + "cmos_ring_osc5.cir");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->ic.size(), 1u);
  EXPECT_EQ(r->models.size(), 2u);
  bool found = false;
  for (const auto& d : r->devices)
    if (d.name == "x5.mn") {
      found = true;
      EXPECT_EQ(d.nodes, (std::vector<std::string>{"n1", "n5", "0", "0"}));
    }
  EXPECT_TRUE(found);
  auto lc = parseFile(circuitsDir() + "lc_ladder_filter.cir");
  ASSERT_TRUE(lc.ok());
  EXPECT_NEAR(*lc->devices[2].value, 0.618 / (6.283185307e6 * 50), 1e-18);
}

// Parse speed is measured by bench/ (no timing thresholds in unit tests);
// here the large generated netlist must parse completely.
TEST(NetlistCircuits, PowerGridParses) {
  std::string text = readFile(circuitsDir() + "power_grid_100x100.cir");
  ASSERT_FALSE(text.empty());
  auto r = ir::parseNetlist(text, {});
  ASSERT_TRUE(r.ok());
  std::size_t caps = 0;
  for (const auto& d : r.value().devices) caps += d.letter == 'c';
  EXPECT_EQ(caps, 100u * 100u);  // one decoupling capacitor per grid node
}

TEST(NetlistFuzzSmoke, RandomMutationsNeverCrash) {
  std::vector<std::string> seeds;
  for (const auto& f : circuitFiles()) {
    std::string t = readFile(f);
    if (t.size() < 4000) seeds.push_back(std::move(t));
  }
  ASSERT_FALSE(seeds.empty());
  std::mt19937 rng(12345);
  const char* inserts[] = {"{", "}", "(", ")", "'", "\"", "=", "\n+", "\n", ".subckt a b\n", ".ends\n", "X1 a b a\n",
                           "{a*", "1e999", ".param a={a}\n", " $ ", ";", "meg", ".include x\n", ".lib x y\n", ",", "\t"};
  int fails = 0;
  for (int iter = 0; iter < 2000; ++iter) {
    std::string t = seeds[rng() % seeds.size()];
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < edits && !t.empty(); ++k) {
      std::size_t pos = rng() % t.size();
      switch (rng() % 5) {
        case 0: t[pos] = static_cast<char>(t[pos] ^ (1 << (rng() % 8))); break;
        case 1: t.resize(pos); break;
        case 2: {
          std::size_t b = t.rfind('\n', pos);
          b = (b == std::string::npos) ? 0 : b + 1;
          std::size_t e = t.find('\n', pos);
          if (e == std::string::npos) e = t.size();
          t.insert(b, t.substr(b, e - b) + "\n");
          break;
        }
        case 3: t.insert(pos, inserts[rng() % (sizeof inserts / sizeof *inserts)]); break;
        default: t.erase(pos, 1 + rng() % 8); break;
      }
    }
    auto r = ir::parseNetlist(t, {});
    if (!r.ok()) {
      ++fails;
      EXPECT_GT(r.error().loc.line, 0) << r.error().format() << "\n--- input ---\n" << t;
      EXPECT_FALSE(r.error().message.empty());
    }
  }
  EXPECT_GT(fails, 100);
}
