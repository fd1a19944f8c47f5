// The transient time loop must not allocate: allocations during advance()
// may not grow with the number of time points. Counted with a replacement
// global operator new (for this test binary).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "simcore/simulate.hpp"

namespace {
std::atomic<long> gAllocs{0};
std::atomic<bool> gCounting{false};
}  // namespace

void* operator new(std::size_t n) {
  if (gCounting.load(std::memory_order_relaxed)) gAllocs.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace {

class NullSink : public simcore::SampleSink {
 public:
  std::size_t rows = 0;
  void begin(const simcore::AnalysisHeader&) override {}
  void chunk(const simcore::Chunk& c) override { rows += c.rows; }
  void end(const simcore::AnalysisSummary&) override {}
};

// Allocations while running the whole transient of `netlist`, after creation.
long allocationsDuringRun(const std::string& netlist, std::size_t& rows, const simcore::SimulationOptions& o = {}) {
  auto c = simcore::ir::parseNetlist(netlist);
  EXPECT_TRUE(c.ok());
  auto sim = simcore::Simulation::create(std::move(c.value()), o);
  EXPECT_TRUE(sim.ok());
  NullSink sink;
  gAllocs = 0;
  gCounting = true;
  while (true) {
    auto r = sim.value()->advance(sink, 1 << 20);
    if (!r.ok() || r.value() == simcore::StepState::Done) break;
  }
  gCounting = false;
  rows = sink.rows;
  return gAllocs.load();
}

std::string rcNetlist(const char* tstop) {
  return std::string("rc driven by a sine and a pulse train\n"
                     "V1 in 0 SIN(0 1 10k)\n"
                     "V2 p 0 PULSE(0 1 0 1u 1u 20u 50u)\n"
                     "R1 in out 1k\nC1 out 0 10n\nR2 p out 2k\n"
                     ".model dd d(is=1e-14 cjo=1p tt=1n)\nD1 out q dd\nR3 q 0 10k\nC3 q 0 1n\n"
                     ".tran 1u ") + tstop + "\n";
}

TEST(KernelAllocations, TransientLoopDoesNotAllocatePerStep) {
  std::size_t shortRows = 0, longRows = 0;
  long shortRun = allocationsDuringRun(rcNetlist("1m"), shortRows);
  long longRun = allocationsDuringRun(rcNetlist("10m"), longRows);
  ASSERT_GT(longRows, 5 * shortRows);  // the long run really has many more points
  // set-up allocations (operating point, first chunk) are the same for both
  EXPECT_LE(longRun - shortRun, 8) << "short: " << shortRun << " allocations for " << shortRows
                                   << " rows, long: " << longRun << " for " << longRows;
}

TEST(KernelAllocations, GridOutputFromDenseOutputDoesNotAllocatePerStep) {
  simcore::SimulationOptions o;
  o.interpolate = true;
  std::size_t shortRows = 0, longRows = 0;
  long shortRun = allocationsDuringRun(rcNetlist("1m"), shortRows, o);
  long longRun = allocationsDuringRun(rcNetlist("10m"), longRows, o);
  ASSERT_EQ(shortRows, 1001u);
  ASSERT_EQ(longRows, 10001u);
  EXPECT_LE(longRun - shortRun, 8) << "short: " << shortRun << " allocations for " << shortRows
                                   << " rows, long: " << longRun << " for " << longRows;
}

// Control blocks in a loop (SPICE mode: the event engine's switching
// instants keep their own bookkeeping): PI, PWM, sample-and-hold, s_xfer.
std::string blockNetlist(const char* tstop) {
  return std::string("pwm loop\n"
                     "vset set 0 0.5\n"
                     "a1 %vd(set y) u ctl\n"
                     "a2 u g pw\n"
                     "a3 g y lp\n"
                     "a4 y h zz\n"
                     "rh h 0 1k\n"
                     ".model ctl pi(kp=0.1 ki=100 out_lower_limit=0 out_upper_limit=1)\n"
                     ".model pw pwm(freq=10k deadtime=1u)\n"
                     ".model lp s_xfer(num_coeff=[1] den_coeff=[1 1] denormalized_freq=1000)\n"
                     ".model zz zoh(period=33u)\n"
                     ".options switching=spice\n"
                     ".tran 1u ") + tstop + "\n";
}

TEST(KernelAllocations, ControlBlocksDoNotAllocatePerStep) {
  std::size_t shortRows = 0, longRows = 0;
  long shortRun = allocationsDuringRun(blockNetlist("1m"), shortRows);
  long longRun = allocationsDuringRun(blockNetlist("10m"), longRows);
  ASSERT_GT(longRows, 5 * shortRows);
  EXPECT_LE(longRun - shortRun, 8) << "short: " << shortRun << " allocations for " << shortRows
                                   << " rows, long: " << longRun << " for " << longRows;
}

}  // namespace
