// Device plugins (docs/plugins.md): the example plugins against analytic
// results and the built-in event engine, the descriptor checks, parameter
// validation and describe() for plugin kinds, and the loader's error paths.
// The examples are linked in at build time here (cmake/static_plugins.cmake,
// as the WebAssembly build links them) and loaded from their shared libraries.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "plugin_loader.hpp"
#include "simcore/describe.hpp"
#include "simcore/simulate.hpp"
#include "static_plugins.hpp"

namespace simcore {
namespace {

struct Table {
  AnalysisType type;
  std::vector<std::string> names;
  std::vector<double> x;
  std::vector<std::vector<double>> re, im;
  const std::vector<double>& col(const std::string& name) const {
    for (std::size_t k = 0; k < names.size(); ++k)
      if (names[k] == name) return re[k];
    ADD_FAILURE() << "no signal " << name;
    static const std::vector<double> none;
    return none;
  }
  const std::vector<double>& imag(const std::string& name) const {
    for (std::size_t k = 0; k < names.size(); ++k)
      if (names[k] == name) return im[k];
    static const std::vector<double> none;
    return none;
  }
};

class Collect final : public SampleSink {
 public:
  std::vector<Table> tables;
  void begin(const AnalysisHeader& h) override {
    Table t;
    t.type = h.type;
    for (const auto& s : h.signals) t.names.push_back(s.name);
    t.re.resize(h.signals.size());
    t.im.resize(h.signals.size());
    tables.push_back(std::move(t));
  }
  void chunk(const Chunk& ch) override {
    Table& t = tables.back();
    t.x.insert(t.x.end(), ch.x.begin(), ch.x.end());
    for (std::size_t k = 0; k < ch.re.size(); ++k) {
      t.re[k].insert(t.re[k].end(), ch.re[k].begin(), ch.re[k].end());
      if (k < ch.im.size()) t.im[k].insert(t.im[k].end(), ch.im[k].begin(), ch.im[k].end());
    }
  }
  void end(const AnalysisSummary&) override {}
};

const simcore_plugin* linkedIn(const char* name) {
  for (const plugins::StaticPlugin& p : plugins::staticPluginTable())
    if (std::string(p.name) == name) return p.entry();
  ADD_FAILURE() << "no linked-in plugin " << name;
  return nullptr;
}
const simcore_plugin* simcore_example_memristor() { return linkedIn("memristor"); }
const simcore_plugin* simcore_example_comparator_switch() { return linkedIn("comparator_switch"); }
LoadedPlugin memristor() { return LoadedPlugin{"<memristor>", simcore_example_memristor(), nullptr}; }
LoadedPlugin comparatorSwitch() { return LoadedPlugin{"<comparator_switch>", simcore_example_comparator_switch(), nullptr}; }

ir::ParseOptions withPlugins(std::vector<LoadedPlugin> plugins) {
  ir::ParseOptions po;
  po.plugins = std::move(plugins);
  return po;
}

struct RunResult {
  std::vector<Table> tables;
  RunStats stats;
};

RunResult runNet(const std::string& netlist, const ir::ParseOptions& po, bool interpolate = false) {
  auto c = ir::parseNetlist(netlist, po);
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().format());
  if (!c.ok()) return {};
  SimulationOptions so;
  so.interpolate = interpolate;
  auto sim = Simulation::create(std::move(c.value()), so);
  EXPECT_TRUE(sim.ok()) << (sim.ok() ? "" : sim.error().format());
  if (!sim.ok()) return {};
  Collect sink;
  for (;;) {
    auto st = sim.value()->advance(sink, 100000);
    EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().format());
    if (!st.ok() || st.value() == StepState::Done) break;
  }
  return RunResult{std::move(sink.tables), sim.value()->stats()};
}

Error parseError(const std::string& netlist, const ir::ParseOptions& po) {
  auto c = ir::parseNetlist(netlist, po);
  if (!c.ok()) return c.error();
  auto sim = Simulation::create(std::move(c.value()));
  EXPECT_FALSE(sim.ok()) << "expected an error";
  return sim.ok() ? Error{} : sim.error();
}

// ---- the memristor: nonlinear, an internal node, a charge through the integrator

constexpr double kRon = 100, kRoff = 16e3, kD = 10e-9, kMu = 1e-14;
double resistance(double w) { return kRoff + (kRon - kRoff) * w / kD; }

TEST(PluginMemristor, OperatingPointIsTheResistanceAtTheInitialState) {
  const std::string net =
      "memristor dc\n"
      "v1 p 0 2\n"
      "n1 p 0 mem w0=3n\n"
      ".model mem hpmemristor(ron=100 roff=16k d=10n mu=1e-14)\n"
      ".op\n.end\n";
  RunResult r = runNet(net, withPlugins({memristor()}));
  ASSERT_EQ(r.tables.size(), 1u);
  EXPECT_NEAR(r.tables[0].col("i(v1)")[0], -2.0 / resistance(3e-9), 1e-12);
}

TEST(PluginMemristor, SineCurrentDriveFollowsTheAnalyticState) {
  // i = I0 sin(wt) through the memristor: w(t) = w0 + k I0 (1 - cos wt)/w with
  // k = mu ron / d, and v = i M(w).
  const double I0 = 1e-4, f = 1.0, w0 = 5e-9, k = kMu * kRon / kD, om = 2 * M_PI * f;
  const std::string net =
      "memristor sine\n"
      "i1 0 p sin(0 1e-4 1)\n"
      "n1 p 0 mem w0=5n\n"
      ".model mem hpmemristor(ron=100 roff=16k d=10n mu=1e-14)\n"
      ".options reltol=1e-6\n"
      ".tran 1m 2\n.end\n";
  RunResult r = runNet(net, withPlugins({memristor()}), true);
  ASSERT_EQ(r.tables.size(), 1u);
  const Table& t = r.tables[0];
  const auto& v = t.col("v(p)");
  ASSERT_GT(t.x.size(), 1000u);
  double vErr = 0, vMax = 0, rPos = 0, rNeg = 0;
  for (std::size_t j = 0; j < t.x.size(); ++j) {
    const double tt = t.x[j];
    const double wa = w0 + k * I0 * (1 - std::cos(om * tt)) / om;
    const double va = I0 * std::sin(om * tt) * resistance(wa);
    if (std::abs(tt - 0.25) < 1e-9) rPos = v[j] / I0;  // i = +I0
    if (std::abs(tt - 0.75) < 1e-9) rNeg = -v[j] / I0;  // i = -I0, the same state
    vErr = std::max(vErr, std::abs(v[j] - va));
    vMax = std::max(vMax, std::abs(va));
  }
  EXPECT_LT(vErr, 1e-4 * vMax) << "voltage error " << vErr << " of " << vMax;
  // at a quarter and three quarters of the period the state is w0 + k I0/w, a
  // resistance far from the initial one
  EXPECT_NEAR(rPos, resistance(w0 + k * I0 / om), 1e-3 * rPos);
  EXPECT_NEAR(rNeg, resistance(w0 + k * I0 / om), 1e-3 * rNeg);
  EXPECT_GT(std::abs(resistance(w0 + k * I0 / om) - resistance(w0)), 0.1 * resistance(w0));
}

TEST(PluginMemristor, AcImpedanceIsTheResistanceAtTheOperatingPoint) {
  // At 1 MHz the state barely moves: |Z| = M(w0); at DC the state follows.
  const std::string net =
      "memristor ac\n"
      "i1 0 p dc 0 ac 1\n"
      "n1 p 0 mem w0=2n\n"
      ".model mem hpmemristor(ron=100 roff=16k d=10n mu=1e-14)\n"
      ".ac dec 1 1meg 10meg\n.end\n";
  RunResult r = runNet(net, withPlugins({memristor()}));
  ASSERT_EQ(r.tables.size(), 1u);
  const double re = r.tables[0].col("v(p)")[0], im = r.tables[0].imag("v(p)")[0];
  EXPECT_NEAR(std::hypot(re, im), resistance(2e-9), 1e-6 * resistance(2e-9));
}

TEST(PluginMemristor, DescribeCountsThePluginKindAndItsInternalNode) {
  const std::string net =
      "describe\n"
      "v1 p 0 1\n"
      "n1 p 0 mem\nn2 p 0 mem\n"
      ".model mem hpmemristor\n"
      ".op\n.end\n";
  auto d = describe(net, withPlugins({memristor()}));
  ASSERT_TRUE(d.ok()) << d.error().format();
  bool found = false;
  for (const DeviceCount& c : d.value().devices)
    if (c.letter == 'n') {
      EXPECT_EQ(c.kind, "memristor");
      EXPECT_EQ(c.count, 2);
      found = true;
    }
  EXPECT_TRUE(found);
}

TEST(PluginMemristor, ParametersAreValidatedLikeBuiltInOnes) {
  const auto po = withPlugins({memristor()});
  Error e = parseError("t\nv1 p 0 1\nn1 p 0 mem foo=1\n.model mem hpmemristor\n.op\n.end\n", po);
  EXPECT_NE(e.message.find("unknown parameter 'foo' for memristor 'n1'; expected one of: w0"), std::string::npos)
      << e.message;
  EXPECT_EQ(e.loc.line, 3);
  e = parseError("t\nv1 p 0 1\nn1 p 0 mem\n.model mem hpmemristor(rof=1)\n.op\n.end\n", po);
  EXPECT_NE(e.message.find("unknown parameter 'rof' in memristor model 'mem'; expected one of: ron, roff, d, mu"),
            std::string::npos)
      << e.message;
  // the plugin's own check, reported at the card
  e = parseError("t\nv1 p 0 1\nn1 p 0 mem\n.model mem hpmemristor(roff=-5)\n.op\n.end\n", po);
  EXPECT_NE(e.message.find("memristor 'n1': ron, roff and d must be positive"), std::string::npos) << e.message;
  EXPECT_EQ(e.loc.line, 3);
  e = parseError("t\nv1 p 0 1\nn1 p mem\n.model mem hpmemristor\n.op\n.end\n", po);
  EXPECT_NE(e.message.find("memristor 'n1' needs 2 nodes, got 1"), std::string::npos) << e.message;
  e = parseError("t\nv1 p 0 1\nn1 p 0 nomodel\n.op\n.end\n", po);
  EXPECT_NE(e.message.find("nodes and the name of a model"), std::string::npos) << e.message;
  // without the plugin, N is not a device letter
  e = parseError("t\nv1 p 0 1\nn1 p 0 mem\n.model mem hpmemristor\n.op\n.end\n", {});
  EXPECT_NE(e.message.find("unknown device type 'n'"), std::string::npos) << e.message;
}

// ---- the comparator switch: events, against the built-in S switch

std::string switchCircuit(const std::string& element, const std::string& model, const std::string& options) {
  return "switch\n"
         "vc c 0 sin(0 1 1k)\n"
         "vs s 0 10\n"
         "r1 s a 100\n" +
         element +
         " a 0 c 0 sm\n"
         "c1 a 0 1u\n" +
         model + options + ".tran 1u 3m\n.end\n";
}

void expectSameWaveforms(const std::string& options) {
  RunResult plugin = runNet(switchCircuit("n1", ".model sm cmpswitch(vt=0.2 vh=0.1 ron=1 roff=1meg)\n", options),
                   withPlugins({comparatorSwitch()}), true);
  RunResult builtin = runNet(switchCircuit("s1", ".model sm sw(vt=0.2 vh=0.1 ron=1 roff=1meg)\n", options), {}, true);
  ASSERT_EQ(plugin.tables.size(), 1u);
  ASSERT_EQ(builtin.tables.size(), 1u);
  const auto& a = plugin.tables[0].col("v(a)");
  const auto& b = builtin.tables[0].col("v(a)");
  ASSERT_EQ(a.size(), b.size());
  double err = 0, lo = 1e9, hi = -1e9;
  for (std::size_t j = 0; j < a.size(); ++j) {
    err = std::max(err, std::abs(a[j] - b[j]));
    lo = std::min(lo, a[j]);
    hi = std::max(hi, a[j]);
  }
  EXPECT_LT(err, 1e-9) << "plugin and built-in switch differ by " << err;
  EXPECT_LT(lo, 0.1);  // the switch did close and open
  EXPECT_GT(hi, 9.0);
  EXPECT_EQ(plugin.stats.events, builtin.stats.events);
  EXPECT_GE(plugin.stats.events, 6);  // three periods, on and off each
}

TEST(PluginComparatorSwitch, MatchesTheBuiltInSwitchInSpiceMode) { expectSameWaveforms(".options switching=spice\n"); }
TEST(PluginComparatorSwitch, MatchesTheBuiltInSwitchInEventMode) { expectSameWaveforms(".options switching=event\n"); }

TEST(PluginComparatorSwitch, InitialStateFromTheInstance) {
  const std::string net =
      "sw dc\n"
      "vc c 0 0.2\n"
      "vs s 0 10\n"
      "r1 s a 1\n"
      "n1 a 0 c 0 sm on=1\n"
      ".model sm cmpswitch(vt=0.2 vh=0.1 ron=1 roff=1meg)\n"
      ".op\n.end\n";
  RunResult r = runNet(net, withPlugins({comparatorSwitch()}));
  ASSERT_EQ(r.tables.size(), 1u);
  EXPECT_NEAR(r.tables[0].col("v(a)")[0], 5.0, 1e-9);  // inside the hysteresis band: stays on
}

// ---- both plugins in one netlist; kinds of one letter with different node counts

TEST(PluginKinds, TwoPluginsShareTheLetterN) {
  const std::string net =
      "both\n"
      "v1 p 0 1\n"
      "n1 p 0 mem\n"
      "n2 p 0 p 0 sm\n"
      ".model mem hpmemristor\n"
      ".model sm cmpswitch(vt=0.5)\n"
      ".op\n.end\n";
  RunResult r = runNet(net, withPlugins({memristor(), comparatorSwitch()}));
  ASSERT_EQ(r.tables.size(), 1u);
  EXPECT_NEAR(r.tables[0].col("i(v1)")[0], -(1.0 / resistance(5e-9) + 1.0), 1e-9);
}

// ---- descriptor checks

simcore_device_kind kindLike(const simcore_plugin* p) { return *p->kinds[0]; }

TEST(PluginChecks, ConflictsWithBuiltInKindsAndOtherPlugins) {
  simcore_device_kind k = kindLike(simcore_example_memristor());
  k.letter = 'r';
  const simcore_device_kind* kinds[] = {&k};
  simcore_plugin p = *simcore_example_memristor();
  p.kinds = kinds;
  Error e = parseError("t\n.op\n.end\n", withPlugins({LoadedPlugin{"letter.so", &p, nullptr}}));
  EXPECT_NE(e.message.find("device plugin 'letter.so': device kind 'memristor' uses the letter R"), std::string::npos)
      << e.message;
  k.letter = 'n';
  k.model_type = "sw";
  e = parseError("t\n.op\n.end\n", withPlugins({LoadedPlugin{"type.so", &p, nullptr}}));
  EXPECT_NE(e.message.find("uses the model type 'sw' of the built-in"), std::string::npos) << e.message;
  // another plugin declaring the same model type
  const simcore_plugin other = *simcore_example_memristor();
  e = parseError("t\n.op\n.end\n", withPlugins({memristor(), LoadedPlugin{"other.so", &other, nullptr}}));
  EXPECT_NE(e.message.find("device plugin 'other.so': device kind 'memristor' uses the model type 'hpmemristor', which "
                           "device plugin '<memristor>' already declares"),
            std::string::npos)
      << e.message;
  // the same plugin twice (--plugin and a .plugin card) counts once
  RunResult r = runNet("t\nv1 p 0 1\nn1 p 0 mem\n.model mem hpmemristor\n.op\n.end\n",
                       withPlugins({memristor(), LoadedPlugin{"again.so", simcore_example_memristor(), nullptr}}));
  EXPECT_EQ(r.tables.size(), 1u);
}

TEST(PluginChecks, MalformedDescriptors) {
  simcore_plugin p = *simcore_example_comparator_switch();
  auto message = [&](const simcore_plugin* plugin) {
    Status s = checkPlugin(LoadedPlugin{"x.so", plugin, nullptr});
    return s.ok() ? std::string() : s.error().message;
  };
  EXPECT_EQ(message(&p), "");
  EXPECT_NE(message(nullptr).find("device plugin 'x.so': simcore_plugin_entry() returned null"), std::string::npos);
  p.abi_version = 7;
  EXPECT_NE(message(&p).find("built for device plugin ABI version 7, this simcore loads version 1"), std::string::npos);
  p = *simcore_example_comparator_switch();
  simcore_device_kind k = kindLike(&p);
  const simcore_device_kind* kinds[] = {&k};
  p.kinds = kinds;
  k.next_state = nullptr;
  EXPECT_NE(message(&p).find("a SWITCHING kind needs next_state and event_function"), std::string::npos);
  k = kindLike(simcore_example_comparator_switch());
  k.model_type = "Bad Type";
  EXPECT_NE(message(&p).find("model_type must be lower-case"), std::string::npos);
  k = kindLike(simcore_example_comparator_switch());
  k.struct_size = 16;
  EXPECT_NE(message(&p).find("smaller than ABI version 1's simcore_device_kind"), std::string::npos);
  k = kindLike(simcore_example_comparator_switch());
  const simcore_matrix_entry twice[] = {{0, 0}, {0, 0}};
  k.entries = twice;
  k.num_entries = 2;
  EXPECT_NE(message(&p).find("matrix entry (0, 0) listed twice"), std::string::npos);
  k = kindLike(simcore_example_comparator_switch());
  k.branches = 2;
  EXPECT_NE(message(&p).find("branches must be 0 or 1"), std::string::npos);
}

// ---- .plugin cards and the loader (shared libraries built by CMake)

const std::string kPluginDir = SIMCORE_PLUGIN_BUILD_DIR;

TEST(PluginLoader, LoadsTheExampleLibraries) {
  auto p = plugins::loadPlugin(kPluginDir + "/memristor.so");
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_STREQ(p.value().plugin->name, "simcore-example-memristor");
  EXPECT_TRUE(p.value().library);
}

TEST(PluginLoader, ErrorsNameTheFileAndTheProblem) {
  auto msg = [](const std::string& path) {
    auto p = plugins::loadPlugin(path);
    return p.ok() ? std::string() : p.error().message;
  };
  EXPECT_EQ(msg(kPluginDir + "/missing.so"), "device plugin '" + kPluginDir + "/missing.so': no such file");
  EXPECT_NE(msg(kPluginDir + "/test/not_a_plugin.so").find("no simcore_plugin_entry function"), std::string::npos);
  EXPECT_NE(msg(kPluginDir + "/test/bad_abi.so").find("built for device plugin ABI version 42, this simcore loads version 1"),
            std::string::npos);
  EXPECT_NE(msg(kPluginDir + "/test/bad_descriptor.so")
                .find("bad descriptor: device kind 'broken': matrix entry 1 (0, 5) is outside the 2 local unknowns"),
            std::string::npos);
  EXPECT_NE(msg(std::string(SIMCORE_SOURCE_DIR) + "/README.md").find("not a loadable shared library"), std::string::npos);
}

TEST(PluginLoader, PluginCardIsRelativeToItsNetlist) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(::testing::TempDir()) / "plugin_card";
  fs::create_directories(dir / "lib");
  fs::copy_file(kPluginDir + "/memristor.so", dir / "lib" / "memristor.so", fs::copy_options::overwrite_existing);
  ir::ParseOptions po;
  po.fileName = (dir / "circuit.cir").string();
  po.pluginResolver = plugins::fileResolver();
  RunResult r = runNet("t\n.plugin lib/memristor.so\nv1 p 0 1\nn1 p 0 mem w0=0\n.model mem hpmemristor\n.op\n.end\n", po);
  ASSERT_EQ(r.tables.size(), 1u);
  EXPECT_NEAR(r.tables[0].col("i(v1)")[0], -1.0 / kRoff, 1e-12);
  // missing file: the error is at the card's file name
  Error e = parseError("t\n.plugin lib/nothing.so\n.op\n.end\n", po);
  EXPECT_NE(e.message.find("nothing.so': no such file"), std::string::npos) << e.message;
  EXPECT_EQ(e.loc.line, 2);
  EXPECT_EQ(e.loc.col, 9);
  // without a resolver (a front end that loads no plugins)
  e = parseError("t\n.plugin lib/memristor.so\n.op\n.end\n", {});
  EXPECT_NE(e.message.find("'.plugin' is not available here"), std::string::npos) << e.message;
  // ngspice's `pre_osdi FILE` in a .control block loads through the same resolver (an OSDI
  // library or a plugin) before the circuit is read; the script itself skips the command
  r = runNet("t\nv1 p 0 1\nn1 p 0 mem w0=0\n.model mem hpmemristor\n.op\n.control\npre_osdi lib/memristor.so\n.endc\n.end\n", po);
  ASSERT_EQ(r.tables.size(), 1u);
  EXPECT_NEAR(r.tables[0].col("i(v1)")[0], -1.0 / kRoff, 1e-12);
  e = parseError("t\n.op\n.control\n  pre_osdi 'lib/nothing.osdi'\n.endc\n.end\n", po);
  EXPECT_EQ(e.message.rfind("OSDI library '", 0), 0u) << e.message;
  EXPECT_NE(e.message.find("/lib/nothing.osdi': no such file"), std::string::npos) << e.message;
  EXPECT_EQ(e.loc.line, 4);
  EXPECT_EQ(e.loc.col, 3);
  e = parseError("t\n.op\n.control\npre_osdi lib/memristor.so\n.endc\n.end\n", {});
  EXPECT_NE(e.message.find("'pre_osdi' is not available here"), std::string::npos) << e.message;
  std::error_code ec;
  if (!HasFailure()) fs::remove_all(dir, ec);  // (kept for a look when the test failed)
}

TEST(PluginStatic, LinkedInPluginsAndTheirResolver) {
  const std::vector<LoadedPlugin> all = plugins::staticPlugins();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].file, "<built-in memristor>");
  // a netlist written for the native build (.plugin lib/memristor.so) runs unchanged
  ir::ParseOptions po;
  po.pluginResolver = plugins::staticResolver();
  RunResult r = runNet("t\n.plugin lib/memristor.so\nv1 p 0 1\nn1 p 0 mem w0=0\n.model mem hpmemristor\n.op\n.end\n", po);
  ASSERT_EQ(r.tables.size(), 1u);
  EXPECT_NEAR(r.tables[0].col("i(v1)")[0], -1.0 / kRoff, 1e-12);
  Error e = parseError("t\n.plugin thyristor.so\n.op\n.end\n", po);
  EXPECT_NE(e.message.find("device plugin 'thyristor.so': not built into this program (plugins are linked in at build "
                           "time here; built in: memristor, comparator_switch)"),
            std::string::npos)
      << e.message;
}

TEST(PluginLoader, ServerDirectoryOnly) {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(::testing::TempDir()) / "plugin_server";
  fs::create_directories(root / "allowed");
  fs::copy_file(kPluginDir + "/memristor.so", root / "allowed" / "memristor.so", fs::copy_options::overwrite_existing);
  fs::copy_file(kPluginDir + "/memristor.so", root / "elsewhere.so", fs::copy_options::overwrite_existing);
  std::error_code ec;
  fs::remove(root / "allowed" / "link.so", ec);
  fs::create_symlink(root / "elsewhere.so", root / "allowed" / "link.so");
  const PluginResolver resolve = plugins::directoryResolver((root / "allowed").string());
  EXPECT_TRUE(resolve("memristor.so", "<netlist>").ok());
  for (const std::string& name : std::vector<std::string>{"../elsewhere.so", (root / "elsewhere.so").string(), "link.so"}) {
    auto r = resolve(name, "<netlist>");
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_NE(r.error().message.find("is outside the server's plugin directory"), std::string::npos)
        << r.error().message;
  }
  auto none = plugins::directoryResolver("")("memristor.so", "<netlist>");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("this server loads no device plugins"), std::string::npos);
  if (!HasFailure()) fs::remove_all(root, ec);  // (kept for a look when the test failed)
}

}  // namespace
}  // namespace simcore
