// Device evaluation on several threads (SimulationOptions::parallel,
// LinearisedGroup::loadInSlices): every result must be bit-identical to the
// run without it, whatever the number of slices, and the slices must really
// be used. Also the front ends' pool (app/common/thread_pool).
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/thread_pool.hpp"
#include "test_kernel_support.cpp"

using namespace simcore;

namespace {

// Runs every task on its own std::thread and counts the calls.
struct CountingParallel {
  std::atomic<int> calls{0};
  ParallelFor fn() {
    return [this](std::size_t tasks, const std::function<void(std::size_t)>& f) {
      ++calls;
      std::vector<std::thread> th;
      for (std::size_t t = 1; t < tasks; ++t) th.emplace_back([&f, t] { f(t); });
      f(0);
      for (auto& x : th) x.join();
    };
  }
};

bool sameBits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

void expectIdentical(const simcore::testing::RunOutput& one, const simcore::testing::RunOutput& many) {
  ASSERT_EQ(one.analyses.size(), many.analyses.size());
  for (std::size_t k = 0; k < one.analyses.size(); ++k) {
    const auto& a = one.analyses[k];
    const auto& b = many.analyses[k];
    ASSERT_EQ(a.rows, b.rows) << analysisName(a.header.type);
    EXPECT_TRUE(sameBits(a.x, b.x)) << analysisName(a.header.type) << ": x differs";
    for (const auto& [name, col] : a.re) EXPECT_TRUE(sameBits(col, b.col(name))) << name << " differs";
    for (const auto& [name, col] : a.im) EXPECT_TRUE(sameBits(col, b.im.at(name))) << name << " (imag) differs";
  }
  EXPECT_EQ(one.stats.newtonIterations, many.stats.newtonIterations);
  EXPECT_EQ(one.stats.acceptedPoints, many.stats.acceptedPoints);
}

// A ring oscillator of MOSFETs with Meyer and junction charges, plus idle
// gates that bypass; MOSFETs, diodes and BJTs each in one group.
std::string mixedCircuit() {
  std::string s =
      "mixed\n"
      ".model NM NMOS(LEVEL=1 VTO=0.7 KP=110u LAMBDA=0.04 GAMMA=0.45 PHI=0.7 TOX=20n CGSO=0.3n CGDO=0.3n CBD=5f "
      "CBS=5f RD=20 RS=20)\n"
      ".model PM PMOS(LEVEL=1 VTO=-0.8 KP=40u LAMBDA=0.05 GAMMA=0.5 PHI=0.7 CGSO=0.3n CGDO=0.3n CBD=5f CBS=5f)\n"
      ".model DM D(IS=1e-14 RS=2 CJO=2p TT=1n)\n"
      ".model QN NPN(BF=100 IS=1e-15 CJE=1p CJC=1p TF=0.3n RB=50)\n"
      ".subckt inv in out vdd\n"
      "MN out in 0 0 NM W=2u L=1u\n"
      "MP out in vdd vdd PM W=5u L=1u\n"
      "CL out 0 50f\n"
      ".ends inv\n"
      "VDD vdd 0 DC 3.3\n";
  for (int k = 1; k <= 9; ++k)
    s += "X" + std::to_string(k) + " n" + std::to_string(k) + " n" + std::to_string(k % 9 + 1) + " vdd inv\n";
  for (int k = 1; k <= 6; ++k)
    s += "XI" + std::to_string(k) + " " + (k == 1 ? std::string("0") : "i" + std::to_string(k - 1)) + " i" +
         std::to_string(k) + " vdd inv\n";
  s += "VS s 0 SIN(0 2 200meg)\n";
  for (int k = 1; k <= 8; ++k) s += "D" + std::to_string(k) + " s d" + std::to_string(k) + " DM\nRD" +
                                    std::to_string(k) + " d" + std::to_string(k) + " 0 " + std::to_string(k) + "k\n";
  for (int k = 1; k <= 5; ++k)
    s += "Q" + std::to_string(k) + " c" + std::to_string(k) + " s e" + std::to_string(k) + " QN\nRC" +
         std::to_string(k) + " vdd c" + std::to_string(k) + " 2k\nRE" + std::to_string(k) + " e" + std::to_string(k) +
         " 0 500\n";
  s += ".ic v(n1)=0\n.op\n.dc VDD 2 3.3 0.1\n.ac dec 5 1meg 1g\n.tran 20p 10n\n";
  return s;
}

TEST(ParallelLoads, BitIdenticalToOneThreadForEverySliceCount) {
  const std::string net = mixedCircuit();
  const simcore::testing::RunOutput one = simcore::testing::runOk(net);
  ASSERT_EQ(one.analyses.size(), 4u);
  ASSERT_GT(one.analyses[3].rows, 100u);
  for (std::size_t tasks : {2u, 3u, 7u}) {
    CountingParallel par;
    SimulationOptions o;
    o.parallel = par.fn();
    o.parallelTasks = tasks;
    o.parallelMinInstances = 2;
    const simcore::testing::RunOutput many = simcore::testing::runOk(net, o);
    EXPECT_GT(par.calls.load(), 100) << "the slices were not used (" << tasks << " tasks)";
    expectIdentical(one, many);
  }
}

TEST(ParallelLoads, SmallGroupsStayOnTheCallingThread) {
  CountingParallel par;
  SimulationOptions o;
  o.parallel = par.fn();
  o.parallelTasks = 2;
  o.parallelMinInstances = 1000;  // every group here is smaller
  const simcore::testing::RunOutput r = simcore::testing::runOk(mixedCircuit(), o);
  EXPECT_EQ(par.calls.load(), 0);
  EXPECT_EQ(r.analyses.size(), 4u);
}

// The threshold counts level-1 MOSFET evaluations: 16 BSIM4 instances weigh
// 16 x 20 = 320 and split at 256, 16 level-1 ones weigh 16 and do not.
std::string nmosLoads(const std::string& model) {
  std::string s = "resistor-loaded nmos\n.model NX nmos " + model + "\nVDD vdd 0 DC 1.2\nVG g 0 PULSE(0 1.2 0 1n 1n 4n 10n)\n";
  for (int k = 1; k <= 16; ++k) {
    const std::string n = std::to_string(k);
    s += "M" + n + " d" + n + " g 0 0 NX W=" + std::to_string(k) + "u L=0.1u\nR" + n + " vdd d" + n + " 10k\nC" + n +
         " d" + n + " 0 2f\n";
  }
  return s + ".op\n.tran 0.1n 20n\n";
}

TEST(ParallelLoads, CostlyModelsSplitSmallerGroups) {
  for (const char* model : {"level=54", "level=1 vto=0.4 kp=200u"}) {
    const std::string net = nmosLoads(model);
    const simcore::testing::RunOutput one = simcore::testing::runOk(net);
    CountingParallel par;
    SimulationOptions o;
    o.parallel = par.fn();
    o.parallelTasks = 2;
    o.parallelMinInstances = 256;
    const simcore::testing::RunOutput many = simcore::testing::runOk(net, o);
    if (std::string(model) == "level=54")
      EXPECT_GT(par.calls.load(), 100) << "16 BSIM4 instances (weight 320) did not split";
    else
      EXPECT_EQ(par.calls.load(), 0) << "16 level-1 instances (weight 16) split";
    expectIdentical(one, many);
  }
}

TEST(ThreadPool, RunsEveryTaskOnceOnItsThreads) {
  app::ThreadPool pool(3);
  EXPECT_EQ(pool.threads(), 3u);
  for (std::size_t tasks : {1u, 2u, 3u, 5u, 64u}) {
    std::vector<std::atomic<int>> hits(tasks);
    std::mutex m;
    std::set<std::thread::id> ids;
    pool.run(tasks, [&](std::size_t t) {
      hits[t]++;
      std::lock_guard<std::mutex> lock(m);
      ids.insert(std::this_thread::get_id());
    });
    for (std::size_t t = 0; t < tasks; ++t) EXPECT_EQ(hits[t].load(), 1) << "task " << t << " of " << tasks;
    EXPECT_LE(ids.size(), 3u) << tasks << " tasks";  // whichever thread is free claims the next task
  }
}

TEST(ThreadPool, ManyShortRunsInARow) {
  app::ThreadPool pool(2);
  ParallelFor pf = pool.parallelFor();
  std::atomic<long> sum{0};
  for (int k = 0; k < 20000; ++k) pf(2, [&](std::size_t t) { sum += long(t) + 1; });
  EXPECT_EQ(sum.load(), 20000L * 3);
}

TEST(ParallelLoads, CliPoolGivesTheSameBits) {
  app::ThreadPool pool(2);
  SimulationOptions o;
  o.parallel = pool.parallelFor();
  o.parallelTasks = 2;
  o.parallelMinInstances = 2;
  const std::string net = mixedCircuit();
  expectIdentical(simcore::testing::runOk(net), simcore::testing::runOk(net, o));
}

// A power grid (R mesh, node capacitors, supply pads through R-L, pulsed
// loads): no semiconductor, but its LU refactorizations (one per new step)
// are split across the threads; every value is the one-thread value.
std::string gridCircuit(int side) {
  std::string s = "grid\nVDD vdd 0 DC 1\n";
  auto n = [](int r, int c) { return "n" + std::to_string(r) + "_" + std::to_string(c); };
  for (int r = 0; r < side; ++r)
    for (int c = 0; c < side; ++c) {
      const std::string a = n(r, c), id = std::to_string(r) + "_" + std::to_string(c);
      if (c + 1 < side) s += "RH" + id + " " + a + " " + n(r, c + 1) + " 0.05\n";
      if (r + 1 < side) s += "RV" + id + " " + a + " " + n(r + 1, c) + " 0.05\n";
      s += "C" + id + " " + a + " 0 1p\n";
      if (r % 6 == 0 && c % 6 == 0) s += "RP" + id + " vdd p" + id + " 0.05\nLP" + id + " p" + id + " " + a + " 0.5n\n";
      if (r % 5 == 2 && c % 5 == 2)
        s += "I" + id + " " + a + " 0 PULSE(0 10m " + std::to_string(r % 3) + "00p 50p 70p 0.3n 1n)\n";
    }
  s += ".tran 10p 3n\n";
  return s;
}

TEST(ParallelLu, GridRefactorizationsAreThreadedAndBitIdentical) {
  const std::string net = gridCircuit(24);
  const simcore::testing::RunOutput one = simcore::testing::runOk(net);
  ASSERT_EQ(one.analyses.size(), 1u);
  ASSERT_GT(one.analyses[0].rows, 50u);
  EXPECT_GT(one.stats.refactorizations, 5);
  EXPECT_EQ(one.stats.parallelRefactorizations, 0);
  for (std::size_t threads : {2u, 3u}) {
    CountingParallel par;
    SimulationOptions o;
    o.parallel = par.fn();
    o.parallelTasks = threads * 4;
    o.parallelThreads = threads;
    o.parallelMinLuWork = -1;
    const simcore::testing::RunOutput many = simcore::testing::runOk(net, o);
    EXPECT_EQ(many.stats.parallelLoads, 0);
    EXPECT_EQ(many.stats.refactorizations, one.stats.refactorizations);
    EXPECT_EQ(many.stats.parallelRefactorizations, many.stats.refactorizations) << threads << " threads";
    EXPECT_GT(par.calls.load(), 5) << threads << " threads";
    expectIdentical(one, many);
  }
}

// The MOSFET circuit with the LU threaded too (its matrix is small: the
// threshold is lowered so that its refactorizations split).
TEST(ParallelLu, SemiconductorRefactorizationsAreBitIdentical) {
  const std::string net = mixedCircuit();
  const simcore::testing::RunOutput one = simcore::testing::runOk(net);
  app::ThreadPool pool(2);
  SimulationOptions o;
  o.parallel = pool.parallelFor();
  o.parallelTasks = 8;
  o.parallelThreads = 2;
  o.parallelMinInstances = 2;
  o.parallelMinLuWork = -1;
  const simcore::testing::RunOutput many = simcore::testing::runOk(net, o);
  EXPECT_GT(many.stats.parallelRefactorizations, 100);
  EXPECT_GT(many.stats.parallelLoads, 100);
  expectIdentical(one, many);
}

}  // namespace
