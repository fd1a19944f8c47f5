// The ngspice dialect real decks use (issue 12): warnings instead of errors for
// options and cards ngspice accepts, KiCad's value forms, output requests, and
// .ac point placement.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "analysis/session.hpp"
#include "netlist_test_util.hpp"
#include "plot_sink.hpp"
#include "simcore/ir.hpp"

using namespace simcore;
using namespace simcore::testutil;

namespace {

double param(const ir::Device& d, const std::string& name) {
  for (const auto& p : d.params)
    if (p.name == name) return p.value;
  ADD_FAILURE() << "no param " << name << " on " << d.name;
  return 0;
}


// The netlist "t / .include vendor.lib / body" (main.cir) with `lib` as the
// text of vendor.lib: a vendor library beside the user's netlist.
Result<ir::Circuit> withLibrary(const std::string& lib, const std::string& body) {
  ir::ParseOptions po;
  po.fileName = "main.cir";
  po.resolver = [lib](std::string_view path, std::string_view) -> Result<ir::ResolvedFile> {
    if (path != "vendor.lib") return makeError(ErrorCode::Semantic, "no such file");
    return ir::ResolvedFile{"vendor.lib", lib};
  };
  return ir::parseNetlist("t\n.include vendor.lib\n" + body, po);
}

std::vector<std::string> saves(const ir::Circuit& c) {
  std::vector<std::string> out;
  for (const auto& s : c.saves) out.push_back(s.signal);
  return out;
}

}  // namespace

// ---- item 3: unknown options and harmless cards

TEST(NetlistCompat, UnknownOptionsWarnOnceWithLocation) {
  auto c = ok("t\n.options savecurrents acct rshunt=1e12 reltol=1e-4\n.options acct\nR1 a 0 1\n");
  EXPECT_DOUBLE_EQ(c.options.reltol, 1e-4);
  EXPECT_EQ(countWarnings(c, "option 'savecurrents'"), 0);  // supported: device currents (probes.cpp)
  EXPECT_EQ(countWarnings(c, "option 'acct'"), 1);  // given twice, warned once
  EXPECT_EQ(countWarnings(c, "option 'rshunt'"), 1);
  for (const auto& w : c.warnings)
    if (contains(w.message, "'acct'")) {
      EXPECT_EQ(w.loc.file, "t.cir");
      EXPECT_EQ(w.loc.line, 2);
      EXPECT_EQ(w.loc.col, 23);
      // an ngspice option simcore has no use for: what it does there, not the supported list
      EXPECT_TRUE(contains(w.message, "ngspice's option 'acct' (its run statistics")) << w.message;
      EXPECT_FALSE(contains(w.message, "supported:")) << w.message;
    }
  for (const auto& w : c.warnings)
    if (contains(w.message, "'rshunt'")) EXPECT_TRUE(contains(w.message, "supported:")) << w.message;
  // itl6 is ngspice's name of srcsteps
  auto s = ok("t\n.options itl6=0\nR1 a 0 1\n");
  EXPECT_EQ(s.options.optran.srcSteps, 0);
  EXPECT_EQ(countWarnings(s, "itl6"), 0);
  // a known option with a bad value is still an error
  Error e = err("t\n.options savecurrents reltol=-1\n");
  EXPECT_TRUE(contains(e.message, "bad value for option 'reltol'"));
}

TEST(NetlistCompat, HarmlessCardsWarn) {
  auto c = ok("t\nR1 a 0 1\nV1 a 0 1\n.plot tran v(a)\n.plot ac v(a)\n.width out=80\n.four 1k v(a)\n.op\n");
  EXPECT_EQ(countWarnings(c, "'.plot' ignored"), 1);
  EXPECT_EQ(countWarnings(c, "'.width' ignored"), 1);
  EXPECT_EQ(countWarnings(c, "'.four' ignored"), 1);
  EXPECT_EQ(c.analyses.size(), 1u);
  // inside a sub-circuit too
  c = ok("t\n.subckt s a\n.plot v(a)\nR1 a 0 1\n.ends\nX1 n s\n");
  EXPECT_EQ(countWarnings(c, "'.plot' ignored"), 1);
  // a card nobody knows is still an error
  Error e = err("t\n.frobnicate 1\n");
  EXPECT_TRUE(contains(e.message, "unknown control card '.frobnicate'"));
}

// PSpice's .TRAN/OP is a .tran (the /OP listing is not made: warned once);
// SKIPBP is PSpice's UIC
TEST(NetlistCompat, PspiceTranOpAndSkipbp) {
  auto c = ok("t\nR1 a 0 1\nV1 a 0 SIN(0 1 60)\n.TRAN/OP 10US 50MS 33.33MS 10US\n");
  ASSERT_EQ(c.analyses.size(), 1u);
  EXPECT_EQ(c.analyses[0].kind, ir::AnalysisKind::Tran);
  EXPECT_DOUBLE_EQ(c.analyses[0].tstop, 50e-3);
  EXPECT_DOUBLE_EQ(c.analyses[0].tstart, 33.33e-3);
  EXPECT_DOUBLE_EQ(c.analyses[0].tmax, 10e-6);
  EXPECT_FALSE(c.analyses[0].uic);
  EXPECT_EQ(countWarnings(c, "'.tran/op' read as '.tran'"), 1);
  c = ok("t\nR1 a 0 1\nC1 a 0 1u IC=2\n.tran 1u 1m SKIPBP\n");
  EXPECT_TRUE(c.analyses[0].uic);
  EXPECT_TRUE(c.warnings.empty());
  // inside a sub-circuit it is a control card like .tran
  Error e = err("t\n.subckt s a\n.tran/op 1u 1m\nR1 a 0 1\n.ends\nX1 n s\n");
  EXPECT_TRUE(contains(e.message, "'.tran/op' is not allowed inside .subckt 's'")) << e.message;
}

// NAME=fn(...) without braces on an element line is one expression, as ngspice
// evaluates it (r=agauss(1k, 0.1, 3) in Monte Carlo decks); spaces inside the call
TEST(NetlistCompat, UnbracedCallsInElementParameters) {
  auto c = ok("t\n.param rr=1k\nR1 a 0 r=max(rr, 2k)\nV1 a 0 1\nC1 a 0 c=min(1u,2u)\n"
              "M1 a a 0 0 nm w=pwr(2, 3)*1u l=1u\n.model nm nmos level=1\n");
  EXPECT_DOUBLE_EQ(*device(c, "r1").value, 2e3);
  EXPECT_DOUBLE_EQ(*device(c, "c1").value, 1e-6);
  EXPECT_DOUBLE_EQ(param(device(c, "m1"), "w"), 8e-6);
  // a call on the line's own (not after NAME=) stays what it was: an error at the name
  Error e = err("t\nR3 c 0 max(1k,2k)\nV3 c 0 1\n.op\n");
  EXPECT_EQ(e.loc.line, 2);
}

// ---- item 5: KiCad value forms

TEST(NetlistCompat, ParenthesisedSourceValueAndKeywordForms) {
  auto c = ok("t\nV1 a 0 ( 9 )\nV2 b 0 dc=2 ac=1\nV3 c 0 DC 1 AC=0.5 90\nI1 d 0 (1m)\nR1 a 0 1\n");
  EXPECT_DOUBLE_EQ(device(c, "v1").source.dc, 9.0);
  EXPECT_TRUE(device(c, "v1").source.hasDc);
  EXPECT_DOUBLE_EQ(device(c, "v2").source.dc, 2.0);
  EXPECT_TRUE(device(c, "v2").source.hasAc);
  EXPECT_DOUBLE_EQ(device(c, "v2").source.acMag, 1.0);
  EXPECT_DOUBLE_EQ(device(c, "v3").source.acMag, 0.5);
  EXPECT_DOUBLE_EQ(device(c, "v3").source.acPhaseDeg, 90.0);
  EXPECT_DOUBLE_EQ(device(c, "i1").source.dc, 1e-3);
  // ngspice's `sine` is `sin` (VBIC's regression decks write Sine(...))
  c = ok("t\nV1 a 0 AC 1 DC 0 Sine(0 10m 10Meg 0 0)\nR1 a 0 1\n");
  EXPECT_EQ(device(c, "v1").source.wave.kind, ir::WaveKind::Sin);
  EXPECT_EQ(device(c, "v1").source.wave.args.size(), 5u);
  EXPECT_TRUE(device(c, "v1").source.hasAc);
  // KiCad's `AC ( 5 )` (its DC supplies in AC-capable sources): the parentheses
  // separate, as in ngspice; the phase in a group of its own or in the same one
  c = ok("t\nV1 a 0 AC ( 5 )\nV2 b 0 AC ( 5 ) ( 30 ) SIN( 0 1 1k )\nV3 c 0 dc ( 2 ) ac ( 3 45 )\nI1 d 0 AC=( 2m )\nR1 a 0 1\n");
  EXPECT_FALSE(device(c, "v1").source.hasDc);
  EXPECT_DOUBLE_EQ(device(c, "v1").source.acMag, 5.0);
  EXPECT_DOUBLE_EQ(device(c, "v2").source.acMag, 5.0);
  EXPECT_DOUBLE_EQ(device(c, "v2").source.acPhaseDeg, 30.0);
  EXPECT_EQ(device(c, "v2").source.wave.kind, ir::WaveKind::Sin);
  EXPECT_DOUBLE_EQ(device(c, "v3").source.dc, 2.0);
  EXPECT_DOUBLE_EQ(device(c, "v3").source.acMag, 3.0);
  EXPECT_DOUBLE_EQ(device(c, "v3").source.acPhaseDeg, 45.0);
  EXPECT_DOUBLE_EQ(device(c, "i1").source.acMag, 2e-3);
  // ngspice's instance parameters ACMAG and ACPHASE (Qucs-S: `AC 1 ACPHASE 0` on every AC
  // source), alone (magnitude 1, phase 0 where not given), with '=', the last value kept
  c = ok("t\n.param ph=60\nV1 a 0 DC 0 SIN(0 1 1K 0 0 0) AC 2 ACPHASE 45\nI1 0 b AC 1M ACPHASE {ph}\n"
         "V2 c 0 ACMAG=3\nV3 d 0 ACPHASE 90\nV4 e 0 AC 1 90 ACPHASE 20\nV5 f 0 ACPHASE 20 AC 4\nR1 a 0 1\n");
  EXPECT_DOUBLE_EQ(device(c, "v1").source.acMag, 2.0);
  EXPECT_DOUBLE_EQ(device(c, "v1").source.acPhaseDeg, 45.0);
  EXPECT_EQ(device(c, "v1").source.wave.kind, ir::WaveKind::Sin);
  EXPECT_DOUBLE_EQ(device(c, "i1").source.acMag, 1e-3);
  EXPECT_DOUBLE_EQ(device(c, "i1").source.acPhaseDeg, 60.0);
  EXPECT_TRUE(device(c, "v2").source.hasAc);
  EXPECT_DOUBLE_EQ(device(c, "v2").source.acMag, 3.0);
  EXPECT_DOUBLE_EQ(device(c, "v2").source.acPhaseDeg, 0.0);
  EXPECT_DOUBLE_EQ(device(c, "v3").source.acMag, 1.0);
  EXPECT_DOUBLE_EQ(device(c, "v3").source.acPhaseDeg, 90.0);
  EXPECT_DOUBLE_EQ(device(c, "v4").source.acPhaseDeg, 20.0);
  EXPECT_DOUBLE_EQ(device(c, "v5").source.acMag, 4.0);  // AC's magnitude; ACPHASE's phase stays
  EXPECT_DOUBLE_EQ(device(c, "v5").source.acPhaseDeg, 20.0);
  EXPECT_TRUE(contains(err("t\nV1 a 0 AC 1 ACPHASE\nR1 a 0 1\n").message, "expected a value after acphase"));
  // a transient function in parentheses with its keyword inside (ngspice's tclspice example)
  c = ok("t\nV1 a 0 (PULSE 0 1 0 1e-09)\nV2 b 0 DC 2 (SIN(0 1 1k)) AC 1\nR1 a 0 1\nR2 b 0 1\n");
  EXPECT_EQ(device(c, "v1").source.wave.kind, ir::WaveKind::Pulse);
  EXPECT_EQ(device(c, "v1").source.wave.args, (std::vector<double>{0, 1, 0, 1e-9}));
  EXPECT_EQ(device(c, "v2").source.wave.kind, ir::WaveKind::Sin);
  EXPECT_DOUBLE_EQ(device(c, "v2").source.dc, 2.0);
  EXPECT_DOUBLE_EQ(device(c, "v2").source.acMag, 1.0);
  const Error open = err("t\nV1 a 0 (PULSE 0 1 0 1n\nR1 a 0 1\n");
  EXPECT_TRUE(contains(open.message, "'(' is never closed")) << open.message;
  EXPECT_EQ(open.loc.col, 8);
  // more values than the function takes: ignored as ngspice ignores them, with a
  // warning at the first extra one; KiCad's legacy SINE(0 1.5 1k 0 0 0 0) has LTspice's
  // Ncycles 0 (free-running) as its seventh, no warning
  c = ok("t\nV1 a 0 SINE(0 1.5 1k 0 0 0 0)\nV2 b 0 AM(1 0 1k 10k 0 0 0 7)\nV3 c 0 SIN(0 1 1k 0 0 0 0 9)\n"
         "V4 d 0 SIN(0 1 1k 0 0 0 2)\nR1 a 0 1\nR2 b 0 1\nR3 c 0 1\nR4 d 0 1\n.op\n");
  EXPECT_EQ(device(c, "v1").source.wave.args.size(), 7u);
  EXPECT_EQ(device(c, "v2").source.wave.args.size(), 7u);
  EXPECT_EQ(device(c, "v3").source.wave.args.size(), 7u);
  ASSERT_EQ(c.warnings.size(), 3u);
  EXPECT_TRUE(contains(c.warnings[0].message, "AM of voltage source 'v2' takes at most 7 values, got 8")) << c.warnings[0].message;
  EXPECT_TRUE(contains(c.warnings[1].message, "SIN of voltage source 'v3' takes at most 7 values, got 8")) << c.warnings[1].message;
  EXPECT_EQ(c.warnings[1].loc.line, 4);
  EXPECT_EQ(c.warnings[1].loc.col, 27);
  EXPECT_TRUE(contains(c.warnings[2].message, "LTspice's Ncycles: the sine stops after 2 cycles")) << c.warnings[2].message;
}

// DISTOF1/DISTOF2 (inputs of ngspice's .disto) are read with their values and ignored, once warned
TEST(NetlistCompat, DistortionInputsAreIgnoredWithAWarning) {
  auto c = ok("t\nV1 a 0 DC 0 AC 1 SIN 0 1 1K 0 0 DISTOF1 0.5 DISTOF2 0.2 90\nV2 b 0 DC 2 DISTOF1 1 AC 0.5\nR1 a b 1\n.op\n");
  EXPECT_EQ(device(c, "v1").source.wave.kind, ir::WaveKind::Sin);
  EXPECT_EQ(device(c, "v1").source.wave.args.size(), 5u);
  EXPECT_DOUBLE_EQ(device(c, "v1").source.acMag, 1.0);
  EXPECT_DOUBLE_EQ(device(c, "v2").source.dc, 2.0);
  EXPECT_DOUBLE_EQ(device(c, "v2").source.acMag, 0.5);
  EXPECT_EQ(countWarnings(c, "'distof1' ignored"), 1);
}

TEST(NetlistCompat, NodeGroupsOnControlledSources) {
  auto c = ok("t\nE1 (o 0) (a b) 2\nG1 (p q) (a 0) 1m\nE2 o2 0 (a b) 3\nF1 (x 0) V1 4\nV1 a 0 1\n");
  EXPECT_EQ(device(c, "e1").nodes, (std::vector<std::string>{"o", "0", "a", "b"}));
  EXPECT_DOUBLE_EQ(*device(c, "e1").value, 2.0);
  EXPECT_EQ(device(c, "g1").nodes, (std::vector<std::string>{"p", "q", "a", "0"}));
  EXPECT_EQ(device(c, "e2").nodes, (std::vector<std::string>{"o2", "0", "a", "b"}));
  EXPECT_EQ(device(c, "f1").nodes, (std::vector<std::string>{"x", "0"}));
  EXPECT_EQ(device(c, "f1").refs, (std::vector<std::string>{"v1"}));
  // POLY in the grouped form
  auto p = ok("t\nE1 (o 0) poly(1) a 0 0 1\nV1 a 0 1\n");
  ASSERT_TRUE(device(p, "e1").behaviour.has_value());
  EXPECT_EQ(device(p, "e1").nodes, (std::vector<std::string>{"o", "0"}));
  Error e = err("t\nE1 (o 0) laplace {v(a)} {1/s}\n");
  EXPECT_TRUE(contains(e.message, "'laplace' form"));
}

TEST(NetlistCompat, BraceExpressionContinuedOnPlusLines) {
  auto c = ok("t\n.param a=2 b=3\nR1 x 0 {a *\n* a comment in between\n+ b +\n+ 1} m=2\nR2 y 0 {a}\n");
  EXPECT_DOUBLE_EQ(*device(c, "r1").value, 7.0);
  ASSERT_EQ(device(c, "r1").params.size(), 1u);
  EXPECT_EQ(device(c, "r1").params[0].name, "m");
  EXPECT_EQ(device(c, "r1").params[0].loc.line, 6);  // after the brace, on the closing line
  EXPECT_DOUBLE_EQ(*device(c, "r2").value, 2.0);
  // an error inside it points into the first line of the expression
  Error e = err("t\nR1 x 0 {a *\n+ 2}\n");
  EXPECT_TRUE(contains(e.message, "undefined parameter 'a'"));
  EXPECT_EQ(e.loc.line, 2);
  // never closed
  e = err("t\nR1 x 0 {1 +\n+ 2\nR2 y 0 1\n");
  EXPECT_TRUE(contains(e.message, "'{' is not closed"));
  EXPECT_EQ(e.loc.line, 2);
  EXPECT_EQ(e.loc.col, 8);
}

TEST(NetlistCompat, DuplicateModelParameterKeepsTheLast) {
  auto c = ok("t\n.model dm d (is=1e-14 n=1 is=1e-12)\nD1 a 0 dm\n");
  ASSERT_EQ(c.models.size(), 1u);
  int seen = 0;
  for (const auto& p : c.models[0].params)
    if (p.name == "is") {
      ++seen;
      EXPECT_DOUBLE_EQ(p.value, 1e-12);
    }
  EXPECT_EQ(seen, 1);
}

TEST(NetlistCompat, DuplicateModelUsesTheFirstWithAWarning) {
  auto c = ok("t\n.model a d is=1e-14\n.model A d is=1e-9\nD1 x 0 a\n");
  ASSERT_EQ(c.models.size(), 1u);
  EXPECT_DOUBLE_EQ(c.models[0].params[0].value, 1e-14);
  ASSERT_EQ(countWarnings(c, "duplicate .model 'a'"), 1);
  EXPECT_EQ(c.warnings[0].loc.line, 3);
}

TEST(NetlistCompat, ALibraryModelThatCannotBeReadIsLeftOutUntilUsed) {
  // a vendor library's model with an undefined parameter and an unknown model type:
  // unused, they are left out without a warning, as ngspice reads only the models it uses
  const std::string lib = ".model good d is=1e-14\n.model d914 d (is=2.52n n={onsemi})\n.model qx xyz (r=1)\n";
  auto parse = [&](const std::string& body) { return withLibrary(lib, body); };
  auto c = parse("D1 a 0 good\nR1 a 0 1k\n");
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_EQ(c.value().models.size(), 1u);
  EXPECT_EQ(c.value().models[0].name, "good");
  EXPECT_EQ(countWarnings(c.value(), "d914"), 0);
  EXPECT_EQ(countWarnings(c.value(), "qx"), 0);
  // used: the reason, where the model says it, and who uses it
  c = parse("D1 a 0 d914\nR1 a 0 1k\n");
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(contains(c.error().message, "model 'd914' of diode 'd1' (main.cir:3)")) << c.error().message;
  EXPECT_TRUE(contains(c.error().message, "undefined parameter 'onsemi'")) << c.error().message;
  EXPECT_EQ(c.error().loc.file, "vendor.lib");
  EXPECT_EQ(c.error().loc.line, 2);
  c = parse("Q1 a b 0 qx\nR1 a 0 1k\n");
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(contains(c.error().message, "unknown model type 'xyz'")) << c.error().message;
  EXPECT_EQ(c.error().loc.line, 3);
  // the netlist's own model cards are read at once, used or not
  Error e = err("t\n.model dx d (is=2.52n n={onsemi})\nR1 a 0 1k\n");
  EXPECT_TRUE(contains(e.message, "undefined parameter 'onsemi'")) << e.message;
  EXPECT_EQ(e.loc.line, 2);
}

TEST(NetlistCompat, ASingleBarOrAmpersandIsPspicesLogicalOperator) {
  // PSpice's and LTspice's | and & (vendor thyristor and gate models; ngspice
  // 39 cannot read them): the same operators as || and &&
  auto c = ok("t\nV1 a 0 1\nE1 o 0 VALUE {IF( (V(a)>0.5) | (V(a)<0.1), 4, 0)}\nR1 o 0 1k\n"
              "E2 p 0 VALUE {IF( (V(a)>0.5) || (V(a)<0.1), 4, 0)}\nR2 p 0 1k\n");
  ASSERT_EQ(c.devices.size(), 5u);
  EXPECT_EQ(c.devices[1].behaviour->expr.nodes.size(), c.devices[3].behaviour->expr.nodes.size());
  EXPECT_EQ(c.devices[1].behaviour->expr.nodes[c.devices[1].behaviour->expr.nodes.size() - 4].op,
            c.devices[3].behaviour->expr.nodes[c.devices[3].behaviour->expr.nodes.size() - 4].op);
  auto found = [](const ir::Circuit& k, std::size_t dev, ir::ExprOp op) {
    for (const auto& n : k.devices[dev].behaviour->expr.nodes)
      if (n.op == op) return true;
    return false;
  };
  EXPECT_TRUE(found(c, 1, ir::ExprOp::Or));
  auto d = ok("t\nV1 a 0 1\nE1 o 0 VALUE {(V(a)>0.5 & V(a)<2)}\nR1 o 0 1k\n");
  EXPECT_TRUE(found(d, 1, ir::ExprOp::And));
  Error e = err("t\nV1 a 0 1\nE1 o 0 VALUE {(V(a)>0.5}\nR1 o 0 1k\n");
  EXPECT_TRUE(contains(e.message, "unbalanced")) << e.message;
}

TEST(NetlistCompat, LtspiceParasiticsAreTheirSeriesAndParallelElements) {
  // C a b val Rser Lser RLshunt Rpar Cpar; L a b val Rser Rpar Cpar; B ... Rpar Cpar
  auto c = ok("t\nV1 a 0 1\nC1 a b 1u Rser=0.1 Lser=2n RLshunt=5 Rpar=1meg Cpar=3p\nR1 b 0 1k\n"
              "L1 a c 10u Rser=22m Rpar=10k\nR2 c 0 1\nB1 0 d I=v(a) Rpar=1k tripdt=1n Cpar=1n tripdv=10m\nC2 a 0 1n Rser=1e-99\n");
  EXPECT_EQ(countWarnings(c, "LTspice's parasitics"), 1);
  std::map<std::string, const ir::Device*> by;
  for (const auto& d : c.devices) by[d.name] = &d;
  auto is = [&](const std::string& name, char letter, std::vector<std::string> nodes, double value) {
    auto it = by.find(name);
    ASSERT_NE(it, by.end()) << name;
    EXPECT_EQ(it->second->letter, letter) << name;
    EXPECT_EQ(it->second->nodes, nodes) << name;
    ASSERT_TRUE(it->second->value) << name;
    EXPECT_DOUBLE_EQ(*it->second->value, value) << name;
  };
  is("c1", 'c', {"a", "c1#1"}, 1e-6);
  is("rc1#ser", 'r', {"c1#1", "c1#2"}, 0.1);
  is("lc1#ser", 'l', {"c1#2", "b"}, 2e-9);
  is("rc1#shunt", 'r', {"c1#2", "b"}, 5);
  is("rc1#par", 'r', {"a", "b"}, 1e6);
  is("cc1#par", 'c', {"a", "b"}, 3e-12);
  is("l1", 'l', {"a", "l1#1"}, 1e-5);
  is("rl1#ser", 'r', {"l1#1", "c"}, 0.022);
  is("rl1#par", 'r', {"a", "c"}, 1e4);
  is("rb1#par", 'r', {"0", "d"}, 1e3);
  is("cb1#par", 'c', {"0", "d"}, 1e-9);
  is("c2", 'c', {"a", "0"}, 1e-9);  // Rser=1e-99: LTspice's "none"
  EXPECT_EQ(by.count("rc2#ser"), 0u);
  // inside a sub-circuit: names and nodes carry the instance's prefix
  auto x = ok("t\n.subckt cap p n\nC1 p n 1u Rser=0.1\n.ends\nV1 a 0 1\nX1 a 0 cap\n");
  by.clear();
  for (const auto& d : x.devices) by[d.name] = &d;
  is("x1.c1", 'c', {"a", "x1.c1#1"}, 1e-6);
  is("x1.rc1#ser", 'r', {"x1.c1#1", "0"}, 0.1);
}

TEST(NetlistCompat, LtspiceCouplingOfManyInductorsCouplesEveryPair) {
  auto c = ok("t\nV1 a 0 1\nL1 a 0 1m\nL2 b 0 1m\nL3 c 0 4m\nR2 b 0 1\nR3 c 0 1\nK1 L1 L2 L3 0.99\n");
  std::vector<std::pair<std::string, std::vector<std::string>>> ks;
  for (const auto& d : c.devices)
    if (d.letter == 'k') {
      ks.push_back({d.name, d.refs});
      EXPECT_DOUBLE_EQ(*d.value, 0.99);
    }
  ASSERT_EQ(ks.size(), 3u);
  EXPECT_EQ(ks[0], (std::pair<std::string, std::vector<std::string>>{"k1", {"l1", "l2"}}));
  EXPECT_EQ(ks[1], (std::pair<std::string, std::vector<std::string>>{"k1#2", {"l1", "l3"}}));
  EXPECT_EQ(ks[2], (std::pair<std::string, std::vector<std::string>>{"k1#3", {"l2", "l3"}}));
  Error e = err("t\nL1 a 0 1m\nL2 b 0 1m\nR1 a b 1\nK1 L1 L2 L9 0.99\n");
  EXPECT_TRUE(contains(e.message, "'l9'")) << e.message;
  EXPECT_EQ(e.loc.line, 5);
  EXPECT_EQ(e.loc.col, 10);
}

TEST(NetlistCompat, PspiceTempAndNgspiceConstantsInExpressions) {
  // vendor libraries' TEMP (PSpice's, LTspice's circuit temperature) and
  // boltz/echarge (ngspice's .control constants): defined when nothing else is
  auto c = ok("t\n.param vt={boltz*(TEMP+273.15)/echarge}\nV1 a 0 1\nB1 b 0 V=v(a)*TEMP\nR1 b 0 1k\n"
              "R2 a 0 {vt*1e3}\n.temp 50\n");
  EXPECT_EQ(countWarnings(c, "'temp'"), 1);
  EXPECT_EQ(countWarnings(c, "'boltz'"), 1);
  EXPECT_EQ(countWarnings(c, "'echarge'"), 1);
  ASSERT_EQ(c.devices.size(), 4u);
  EXPECT_NEAR(*c.devices[3].value, 1.38064852e-23 * 323.15 / 1.6021766208e-19 * 1e3, 1e-9);
  bool temper = false;
  for (const auto& n : c.devices[1].behaviour->expr.nodes) temper = temper || n.op == ir::ExprOp::Temper;
  EXPECT_TRUE(temper) << "TEMP in a B source is the running analysis's temperature";
  // a .param named temp is that parameter
  auto d = ok("t\n.param temp=5\nV1 a 0 1\nB1 b 0 V=v(a)*TEMP\nR1 b 0 1k\nR2 a 0 {temp}\n");
  EXPECT_EQ(countWarnings(d, "'temp'"), 0);
  EXPECT_DOUBLE_EQ(*d.devices[3].value, 5.0);
  for (const auto& n : d.devices[1].behaviour->expr.nodes) EXPECT_NE(n.op, ir::ExprOp::Temper);
  Error e = err("t\nR1 a 0 {tempx}\n");
  EXPECT_TRUE(contains(e.message, "undefined parameter 'tempx'")) << e.message;
}

TEST(NetlistCompat, ANumberThenAnUnderscoreLabelIsTheNumber) {
  // ngspice reads 2_k as 2 and gain=0.1_r as 0.1 (what follows the number is ignored);
  // so does simcore, with a warning that says 2k would be kilo
  auto c = ok("t\nV1 a 0 1\nR1 a 0 2_k\nR2 a 0 1k_\n.model g1 gain(gain=0.1_r)\nA1 a b g1\nR3 b 0 1\n.op\n");
  ASSERT_EQ(c.devices.size(), 5u);
  EXPECT_DOUBLE_EQ(*c.devices[1].value, 2.0);
  EXPECT_DOUBLE_EQ(*c.devices[2].value, 1000.0);
  EXPECT_EQ(countWarnings(c, "for its scale factor write 2k"), 1);
  EXPECT_EQ(countWarnings(c, "'0.1_r' read as ngspice reads it, 0.1 ('_r' is ignored)"), 1);
  // digits after a suffix stay an error (4k7), also with an underscore after them
  Error e = err("t\nR1 a 0 4k7_x\n");
  EXPECT_TRUE(contains(e.message, "bad number '4k7_x'")) << e.message;
}

TEST(NetlistCompat, ALibraryNumberIsReadAsNgspiceReadsIt) {
  // vendor libraries' TR=1m2 and RS=15.8m0: ngspice reads 1m and 15.8m (what
  // follows the suffix is ignored); so does simcore, with one warning per file;
  // in the netlist itself such a number is an error (4k7 is 4.7k only in LTspice)
  const std::string lib = ".model q1 npn (is=1e-15 tr=1m2 bf=100)\n.model dx d (is=1e-14 rs=15.8m0)\n";
  auto c = withLibrary(lib, "Q1 c b 0 q1\nD1 c 0 dx\nV1 b 0 0.7\nV2 c 0 1\n.op\n");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(countWarnings(c.value(), "read as ngspice reads it"), 1);
  for (const auto& m : c.value().models)
    for (const auto& p : m.params) {
      if (p.name == "tr") EXPECT_DOUBLE_EQ(p.value, 1e-3);
      if (p.name == "rs") EXPECT_DOUBLE_EQ(p.value, 15.8e-3);
    }
  Error e = err("t\n.model q1 npn (is=1e-15 tr=1m2)\nQ1 c b 0 q1\nV1 b 0 0.7\nV2 c 0 1\n.op\n");
  EXPECT_TRUE(contains(e.message, "bad number '1m2'")) << e.message;
}

TEST(NetlistCompat, ALibraryModelsForeignParametersAreIgnoredWithAWarning) {
  // PSpice's RG and RDS on a level-1 MOSFET of a vendor library: ngspice ignores
  // them ("unrecognized parameter - ignored"); so does simcore, with one warning
  // per file and name, and the model otherwise reads as written
  const std::string lib =
      ".model kp920 nmos (level=1 vto=0.5 kp=1e-4 rg=5 rds=1meg)\n.model kp921 nmos (level=1 vto=0.6 kp=1e-4 rg=7)\n";
  auto parse = [&](const std::string& body) { return withLibrary(lib, body); };
  auto c = parse("V1 g 0 1\nR1 g d 1k\nM1 d g 0 0 kp920\nM2 d g 0 0 kp921\n.op\n");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(countWarnings(c.value(), "model parameter 'rg'"), 1);
  EXPECT_EQ(countWarnings(c.value(), "model parameter 'rds'"), 1);
  for (const auto& m : c.value().models)
    for (const auto& p : m.params) EXPECT_TRUE(p.name != "rg" && p.name != "rds") << m.name << " " << p.name;
  for (const auto& w : c.value().warnings)
    if (contains(w.message, "'rg'")) {
      EXPECT_EQ(w.loc.file, "vendor.lib");
      EXPECT_EQ(w.loc.line, 1);
    }
  // the netlist's own model: an error naming the parameter
  auto own = simulateText("t\n.model kp920 nmos (level=1 vto=0.5 kp=1e-4 rg=5)\nV1 g 0 1\nR1 g d 1k\nM1 d g 0 0 kp920\n.op\n");
  ASSERT_FALSE(own.ok());
  EXPECT_TRUE(contains(own.error().message, "unknown parameter 'rg'")) << own.error().message;
}

TEST(NetlistCompat, ALibrarySubcircuitThatCannotBeReadIsLeftOutUntilUsed) {
  // vendor libraries: a card ngspice cannot read either (' N=1' where a '+' was
  // lost: a device of unknown type), a name with parentheses, an unknown dot
  // card; unused, ngspice never reads them, so they are left out with one
  // warning per file
  const std::string lib =
      ".subckt good a b\nR1 a b 1k\n.ends\n"
      ".subckt broken a b\nD1 a b dbs\n.model dbs d\n+ is=1e-14\n N=1\n.ends\n"
      ".subckt s861(c1)_5000 1 2 params: tol=0\nR1 1 2 1k\n.ends\n"
      ".subckt odd a b\n.machine\nR1 a b 1k\n.ends\n"
      ".subckt typo 99 98 22\nB4 97 22 V=(v(99,98)*2\nR1 97 22 1k\n.ends\n"
      ".subckt brace a b\n.param td1=1e-9*(400-40-10)*5.0/(vdd1}*{speed1}\nR1 a b 1k\n.ends\n";
  auto parse = [&](const std::string& body) { return withLibrary(lib, body); };
  auto c = parse("X1 in 0 good\nV1 in 0 1\n");
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_EQ(countWarnings(c.value(), ".subckt '"), 1);
  for (const auto& w : c.value().warnings)
    if (contains(w.message, ".subckt '")) {
      EXPECT_TRUE(contains(w.message, "'broken' left out")) << w.message;
      EXPECT_TRUE(contains(w.message, "unknown device type 'n'")) << w.message;
      EXPECT_EQ(w.loc.file, "vendor.lib");
      EXPECT_EQ(w.loc.line, 4);
    }
  // used: the reason, where it is, and who uses it
  c = parse("X1 in 0 broken\nV1 in 0 1\n");
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(contains(c.error().message, "subcircuit 'broken' of instance 'x1' (main.cir:3) cannot be read"))
      << c.error().message;
  EXPECT_TRUE(contains(c.error().message, "unknown device type 'n'")) << c.error().message;
  EXPECT_EQ(c.error().loc.file, "vendor.lib");
  EXPECT_EQ(c.error().loc.line, 8);
  c = parse("X1 in 0 s861\nV1 in 0 1\n");
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(contains(c.error().message, "expected a pin name")) << c.error().message;
  c = parse("X1 in 0 odd\nV1 in 0 1\n");
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(contains(c.error().message, "unknown control card '.machine'")) << c.error().message;
  EXPECT_EQ(c.error().loc.line, 14);
  // cards the lexer cannot read (unbalanced parentheses or braces) too
  c = parse("X1 a b c typo\nV1 a 0 1\n");
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(contains(c.error().message, "subcircuit 'typo' of instance 'x1' (main.cir:3) cannot be read: "
                                          "unbalanced parentheses: '(' is never closed"))
      << c.error().message;
  EXPECT_EQ(c.error().loc.line, 18);
  EXPECT_EQ(c.error().loc.col, 12);
  c = parse("X1 a 0 brace\nV1 a 0 1\n");
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(contains(c.error().message, "unbalanced braces: '}' without a matching '{'")) << c.error().message;
  EXPECT_EQ(c.error().loc.line, 22);
  // the netlist's own sub-circuits are read at once, used or not
  Error e = err("t\n.subckt mine a b\nB4 97 22 V=(v(a,b)*2\n.ends\nR1 a 0 1k\n");
  EXPECT_TRUE(contains(e.message, "unbalanced parentheses")) << e.message;
  EXPECT_EQ(e.loc.line, 3);
  e = err("t\n.subckt mine a b\n N=1\n.ends\nR1 a 0 1k\n");
  EXPECT_TRUE(contains(e.message, "unknown device type 'n'")) << e.message;
  EXPECT_EQ(e.loc.line, 3);
  e = err("t\n.subckt mine(x) a b\nR1 a b 1\n.ends\nR1 a 0 1k\n");
  EXPECT_TRUE(contains(e.message, "expected a pin name")) << e.message;
}

TEST(NetlistCompat, VendorLibraryHabitsAsNgspiceReadsThem) {
  // a .subckt defined twice: the first counts, with a warning (ngspice: "redefinition ... ignored")
  auto c = ok("t\n.subckt cell a\nR1 a 0 1k\n.ends\n.subckt cell a\nR1 a 0 2k\n.ends\nV1 n 0 1\nX1 n cell\n");
  EXPECT_DOUBLE_EQ(*device(c, "x1.r1").value, 1e3);
  ASSERT_EQ(countWarnings(c, "duplicate definition of .subckt 'cell' ignored"), 1);
  // a pin listed twice (TTL models' TTLIN): the first instance node is the body's, the other is not connected inside
  c = ok("t\n.subckt bar a a b\nR1 a b 1k\n.ends\nV2 2 0 1\nX2 2 3 0 bar\nR3 3 0 1k\n");
  EXPECT_EQ(device(c, "x2.r1").nodes, (std::vector<std::string>{"2", "0"}));
  EXPECT_EQ(countWarnings(c, "pin 'a' listed twice"), 1);
  // ".ENDS*/////": a comment glued to .ends (National's op-amp library)
  c = ok("t\n.subckt amp a\nR1 a 0 1k\n.ENDS*//////////\n.subckt amp2 a\nR1 a 0 2k\n.ends*amp2\nX1 n amp\nX2 n amp2\n");
  EXPECT_DOUBLE_EQ(*device(c, "x2.r1").value, 2e3);
  // ".ENDSVA1 36 19 0V": an element glued to .ends (National's LMC6681B) is a .ends, the rest ignored
  c = ok("t\n.subckt amp a\nR1 a 0 1k\n.ENDSVA1 36 19 0V\nX1 n amp\nR2 n 0 1k\n");
  EXPECT_DOUBLE_EQ(*device(c, "x1.r1").value, 1e3);
  EXPECT_EQ(countWarnings(c, "read as '.ends'"), 1);
  EXPECT_EQ(countWarnings(c, "closes the open"), 0);
  // ".params" is a .param, as ngspice's prefix test reads it (a signal-processing library)
  c = ok("t\n.subckt src p\n.params Vp=2 Rp=500\nV1 p1 0 {Vp}\nR1 p1 p {Rp}\n.ends\nX1 n src\nR2 n 0 1k\n");
  EXPECT_DOUBLE_EQ(*device(c, "x1.r1").value, 500);
  EXPECT_EQ(countWarnings(c, "'.params' read as '.param'"), 1);
  // sub-circuit parameters in braces, continued on a '+' line (a laser-diode library)
  c = ok("t\n.subckt div in out {RA=1k RB=3k\n+ RC=1G }\nR1 in out {RA}\nR2 out 0 {RB}\n.ends\n"
         "X1 a b div RB=2k\nX2 a c div\nV1 a 0 1\n");
  EXPECT_DOUBLE_EQ(*device(c, "x1.r2").value, 2e3);
  EXPECT_DOUBLE_EQ(*device(c, "x2.r2").value, 3e3);
  EXPECT_DOUBLE_EQ(*device(c, "x2.r1").value, 1e3);
  EXPECT_EQ(countWarnings(c, "are in braces"), 1);
  auto e = err("t\n.subckt div in out {RA=1k RB=}\nR1 in out {RA}\n.ends\nX1 a b div\nV1 a 0 1\n");
  EXPECT_TRUE(contains(e.message, "missing value after 'rb='")) << e.message;
  EXPECT_EQ(e.loc.line, 2);
  e = err("t\n.subckt div in out {RA=1k} extra\nR1 in out {RA}\n.ends\nX1 a b div\nV1 a 0 1\n");
  EXPECT_TRUE(contains(e.message, "unexpected 'extra' after the {name=value ...} parameters")) << e.message;
  // "Params:B0=..." without a space (EPCOS varistor library)
  c = ok("t\n.subckt mov 1 2 Params:B0=1k\nR1 1 2 {B0}\n.ends\nX1 a 0 mov Params:B0=2k\nX2 a 0 mov\n");
  EXPECT_DOUBLE_EQ(*device(c, "x1.r1").value, 2e3);
  EXPECT_DOUBLE_EQ(*device(c, "x2.r1").value, 1e3);
  // LTspice's part descriptions on .model cards: ignored with one warning per file
  c = ok("t\n.model d1 D(Is=2.52n Rs=.568 N=1.752 Iave=200m Vpk=75 mfg=OnSemi type=silicon)\n"
         ".model q1 NPN(Is=1e-14 bf=200 Vceo=45 Icrating=100m mfg=NXP)\nD1 a 0 d1\nQ1 a b 0 q1\n");
  EXPECT_EQ(countWarnings(c, "LTspice's part description"), 1);
  for (const auto& m : c.models)
    for (const auto& p : m.params)
      EXPECT_TRUE(p.name != "mfg" && p.name != "iave" && p.name != "vceo" && p.name != "type") << p.name;
  // PSpice's diode TBV1/TBV2/TIKF: ignored with a warning each, as ngspice 39
  c = ok("t\n.model dz D(Is=1n Bv=5.1 Ibv=1m Tbv1=-2e-4 Tbv2=1e-7 Tikf=-3e-3 Ikf=0.1)\nD1 a 0 dz\nV1 a 0 -1\n");
  EXPECT_EQ(countWarnings(c, "ignored, as by ngspice 39"), 3);
  // a UTF-8 byte-order mark before the title
  c = ok("\xEF\xBB\xBFt\nR1 a 0 1k\n");
  EXPECT_EQ(c.title, "t");
  // an empty .param, and DOS's end-of-file character: what follows it is not read
  c = ok("t\n.param\nR1 a 0 1k\n\x1a\nthis line is not a card\n");
  EXPECT_EQ(countWarnings(c, "'.param' without name=value ignored"), 1);
  EXPECT_EQ(c.devices.size(), 1u);
  // a negative VDMOS series resistance is none, as in ngspice 39 (fitted models' RD=-1.6m)
  c = ok("t\n.model m vdmos pchan vto=-3.5 kp=37 rd=-0.0016 rs=0.013\nM1 d g 0 m\nV1 d 0 -1\nV2 g 0 -5\n");
  EXPECT_EQ(countWarnings(c, "rd=-0.0016 is negative"), 1);
  auto run = simulateText("t\n.model m vdmos pchan vto=-3.5 kp=37 rd=-0.0016 rs=0.013\nM1 d g 0 m\nV1 d 0 -1\nV2 g 0 -5\n.op\n");
  EXPECT_TRUE(run.ok()) << run.error().message;
}

TEST(NetlistCompat, PspiceMosfetModelSizeIsTheInstancesDefault) {
  // L= and W= on a level-1/2/3 .model card (discrete MOSFET vendor models): the instances' default size
  auto c = ok("t\n.model vn nmos (level=3 vto=2.4 kp=2e-5 l=2.5e-6 w=0.4e-2)\nM1 d g 0 0 vn\nM2 d g 0 0 vn w=1e-3\n");
  auto param = [&](const char* dev, const char* name) {
    for (const auto& p : device(c, dev).params)
      if (p.name == name) return p.value;
    return -1.0;
  };
  EXPECT_DOUBLE_EQ(param("m1", "l"), 2.5e-6);
  EXPECT_DOUBLE_EQ(param("m1", "w"), 0.4e-2);
  EXPECT_DOUBLE_EQ(param("m2", "w"), 1e-3);  // the instance's own value counts
  EXPECT_DOUBLE_EQ(param("m2", "l"), 2.5e-6);
  for (const auto& p : c.models[0].params) EXPECT_NE(p.name, "l");
  EXPECT_EQ(countWarnings(c, "default length and width"), 1);
}

TEST(NetlistCompat, ZeroOhmResistorIsOneMilliohm) {
  auto c = ok("t\nR1 a b 0\nR2 b 0 {1-1}\nR3 b 0 1u\nR4 b 0 0.0 m=2\n");
  EXPECT_DOUBLE_EQ(*device(c, "r1").value, 1e-3);
  EXPECT_DOUBLE_EQ(*device(c, "r2").value, 0.0);  // computed: left to the device's error
  EXPECT_DOUBLE_EQ(*device(c, "r3").value, 1e-6);  // only exactly zero is replaced
  EXPECT_DOUBLE_EQ(*device(c, "r4").value, 1e-3);
  EXPECT_EQ(countWarnings(c, "resistance 0"), 2);
}

// A switch model with RON = 0 (Qucs-S's relay default): 1 mOhm, warned, as a 0 Ohm resistor; it
// runs through the switch's closing (ngspice 39 stops there with "timestep too small")
TEST(NetlistCompat, ZeroOhmSwitchIsOneMilliohm) {
  const std::string deck =
      "t\nV1 vcc 0 5\nVc ctrl 0 PULSE(0 1 1m 1u 1u 10m)\nS1 vcc load ctrl 0 MOD_SW1 OFF\nR1 load 0 100\n"
      ".MODEL MOD_SW1 sw vt=0.5 vh=0.1 ron=0 roff=1e12\nW1 vcc l2 V1 cm OFF\nR2 l2 0 1k\n.model cm csw it=1 ron=0\n";
  auto c = ok(deck);
  for (const ir::Model& m : c.models)
    for (const ir::Param& q : m.params)
      if (q.name == "ron") EXPECT_DOUBLE_EQ(q.value, 1e-3) << m.name;
  EXPECT_EQ(countWarnings(c, "has RON = 0: set to 1 mOhm"), 2);
  auto r = runPlots(deck + ".tran 10u 3m\n.end\n");
  const auto& t = r.get(AnalysisType::Tran);
  EXPECT_NEAR(t.at("v(load)", t.x.size() - 1).real(), 5.0 * 100 / 100.001, 1e-6);  // closed since 1 ms
}

// Habits of LTspice exports that ngspice 39 runs: a negative TSTART (every point kept from 0),
// `.temp = 20`, a .param whose name no expression can read (left out), both warned where simcore
// changes something
TEST(NetlistCompat, LtspiceExportHabitsAsNgspiceRunsThem) {
  auto c = ok("t\n.param Tsim=8m T=200m\nV1 a 0 1\nR1 a 0 1k\n.tran 8u {Tsim} {Tsim-5*T}\n");
  ASSERT_EQ(c.analyses.size(), 1u);
  EXPECT_DOUBLE_EQ(c.analyses[0].tstart, 0.0);
  EXPECT_EQ(countWarnings(c, "TSTART -0.992 of .tran is negative: taken as 0"), 1);
  EXPECT_TRUE(contains(err("t\nV1 a 0 1\nR1 a 0 1k\n.tran 1u 1m 2m\n").message, "TSTART of .tran must be below TSTOP"));
  c = ok("t\nV1 a 0 1\nR1 a 0 1k\n.temp = 20\n.op\n");
  EXPECT_DOUBLE_EQ(c.options.temp, 20.0);
  c = ok("t\nV1 a 0 1\nR1 a 0 {Ue}\n.op\n.param tor-ctrl=1 Ue=120\n");
  EXPECT_DOUBLE_EQ(*device(c, "r1").value, 120.0);
  EXPECT_EQ(countWarnings(c, "'.param tor-ctrl=...' left out"), 1);
  EXPECT_TRUE(contains(err("t\n.subckt s a b-c=1\n.ends\n").message, "bad parameter name"));
}

// BSIM4 RGEOMOD 1 (ngspice's examples/xspice/table decks give rgeoMod=1 on instances): the layout's
// diffusion resistances where NRS, NRD are not given; an instance's value other than 0 or 1 takes the
// model's (BSIM4's rule); with RSH = 0 nothing changes
TEST(NetlistCompat, Bsim4DiffusionResistanceFromTheLayout) {
  const std::string card = ".model n nmos level=54 version=4.8 rsh=50 dmcg=0.2u dmdg=0.1u\n";
  auto id = [&](const std::string& inst, const std::string& model) {
    auto r = runPlots("t\n" + model + "M1 d g 0 0 n L=90n W=2u " + inst + "\nVD d 0 1\nVG g 0 0.9\n.op\n.end\n");
    return -r.get(AnalysisType::Op).at("i(vd)").real();
  };
  const double plain = id("", card), geo = id("rgeomod=1", card);
  EXPECT_LT(geo, plain * 0.99);  // 50 Ohm/sq over 0.2 um / 2 um: 5 Ohm at each end
  EXPECT_DOUBLE_EQ(id("rgeomod=2", card), plain);  // the model's 0
  EXPECT_DOUBLE_EQ(id("rgeomod=1 nrs=2 nrd=2", card), id("nrs=2 nrd=2", card));
  const std::string noRsh = ".model n nmos level=54 version=4.8 dmcg=0.2u\n";
  EXPECT_DOUBLE_EQ(id("rgeomod=1", noRsh), id("", noRsh));
}

TEST(NetlistCompat, ValueFromAModel) {
  auto c = ok("t\nR1 a 0 rm\nC1 a 0 cm\nL1 a 0 lm\n.model rm r (r=2k)\n.model cm c (cap=1n)\n.model lm l (ind=1u)\n");
  EXPECT_FALSE(device(c, "r1").value.has_value());
  EXPECT_GE(device(c, "r1").model, 0);
  EXPECT_GE(device(c, "c1").model, 0);
  EXPECT_GE(device(c, "l1").model, 0);
}

TEST(NetlistCompat, StrayClosingParenthesisIsDroppedWithAWarning) {
  auto c = ok("t\nR1 a 0 1k )\nV1 a 0 SIN(0 1 1k))\n");
  EXPECT_DOUBLE_EQ(*device(c, "r1").value, 1e3);
  EXPECT_EQ(device(c, "v1").source.wave.args.size(), 3u);
  ASSERT_EQ(countWarnings(c, "stray ')'"), 2);
  EXPECT_EQ(c.warnings[0].loc.line, 2);
  EXPECT_EQ(c.warnings[0].loc.col, 11);
  // a line of nothing but a stray ')' (and blanks) leaves no card behind (found by fuzz_netlist:
  // the empty card's first token was read past the end): a comment, as every line ngspice 39
  // finds starting with ')'
  auto only = ok("t\nR1 a 0 1k\n\f\f)\f\f\n  )\nC1 a 0 1n\n");
  EXPECT_EQ(only.devices.size(), 2u);
  EXPECT_EQ(countWarnings(only, "read as a comment"), 1);
  // an unclosed '(' is still an error
  Error e = err("t\nV1 a 0 SIN(0 1 1k\n");
  EXPECT_TRUE(contains(e.message, "never closed"));
}

// ---- item 2: output requests

TEST(NetlistCompat, ProbeAlliSaveAllAndDeviceVectors) {
  auto c = ok("t\nV1 a 0 1\nR1 a b 1k\nL1 b 0 1m\n.save all\n.probe alli\n.save @r1[i] @v1[i] i(l1) @l1[current] i(r1) v(b)\n");
  // alli: every top-level device's terminal currents after the requests, as ngspice's .probe
  // names them (a two-terminal device's i(r1); i(m1:d) of a multi-terminal one, below)
  EXPECT_EQ(saves(c), (std::vector<std::string>{"all", "@r1[i]", "i(v1)", "i(l1)", "i(l1)", "i(r1)", "v(b)", "i(r1)",
                                                "i(l1)"}));
  EXPECT_EQ(countWarnings(c, "'alli'"), 0);
  EXPECT_EQ(countWarnings(c, "not saved"), 0);
  // ac forms and differences read as the vectors they come from; .probe p(r1) is node r1:power (probes.cpp)
  c = ok("t\nV1 a 0 1\nR1 a b 1k\nR2 b 0 1k\n.print ac vdb(b) vp(b) VM(a) ir(v1)\n.probe v(a,b) v(b,0) p(r1)\n");
  // (.print adds its vectors after what .save and .probe ask for; a .probe with no .save saves
  // everything too, as ngspice 39's inpc_probe.c adds a `.save all`)
  EXPECT_EQ(saves(c), (std::vector<std::string>{"all", "v(a)", "v(b)", "v(b)", "r1:power", "v(b)", "v(b)", "v(a)", "i(v1)"}));
  EXPECT_EQ(countWarnings(c, "'v(a,b)' saved as v(a) and v(b)"), 1);
  // ngspice's functions of a complex vector: db(i(v1)) is idb(v1), mag(v(a,b)) vm(a,b), ...
  c = ok("t\nV1 a 0 1\nR1 a b 1k\nR2 b 0 1k\n.save v(a)\n.print ac db(i(v1)) ph(I(V1)) mag(v(a,b)) real(v(b))\n");
  EXPECT_EQ(saves(c), (std::vector<std::string>{"v(a)", "i(v1)", "i(v1)", "v(a)", "v(b)", "v(b)"}));
  EXPECT_TRUE(contains(err("t\nV1 a 0 1\nR1 a 0 1k\n.print ac db(v(a)\n.op\n").message, "never closed"));
  // a printed negation saves the vector (ngspice's tests/vbic/FO.cir: .print dc -i(vc))
  c = ok("t\nV1 a 0 1\nR1 a 0 1k\n.save v(a)\n.print dc -i(v1) -V(a)\n");
  EXPECT_EQ(saves(c), (std::vector<std::string>{"v(a)", "i(v1)", "v(a)"}));
  // .print alone narrows nothing: every vector is saved, as in ngspice's raw file
  c = ok("t\nV1 a 0 1\nR1 a b 1k\nR2 b 0 1k\n.print tran v(b) @r1[i]\n.print pz all\n");
  EXPECT_EQ(saves(c), (std::vector<std::string>{"all", "v(b)", "@r1[i]", "all"}));
  EXPECT_EQ(countWarnings(c, "'p(r1)' not saved"), 0);
  // a quantity the device does not record is dropped with a warning, as is p() of a semiconductor
  // (@d1[cd], the junction capacitance, is recorded; @d1[vd] is not); i(d1) is the diode's current
  // (ngspice's .probe vector of it)
  c = ok("t\nV1 a 0 1\nD1 a 0 dm\n.model dm d\n.save @d1[vd] p(d1) @d1[id] i(d1) @d1[cd]\n");
  EXPECT_EQ(saves(c), (std::vector<std::string>{"@d1[id]", "i(d1)", "@d1[cd]"}));
  EXPECT_EQ(countWarnings(c, "'@d1[vd]' not saved"), 1);
  EXPECT_EQ(countWarnings(c, "'p(d1)' not saved"), 1);
  EXPECT_EQ(countWarnings(c, "'i(d1)' not saved"), 0);
  // savecurrents alone: all, then the currents of every device in ngspice's names
  c = ok("t\nV1 a 0 1\nR1 a b 1k\nQ1 b b 0 qm\nM1 a b 0 0 nm\n.model qm npn\n.model nm nmos\n.options savecurrents\n");
  EXPECT_EQ(saves(c), (std::vector<std::string>{"all", "@r1[i]", "@q1[ic]", "@q1[ie]", "@q1[ib]", "@q1[is]", "@m1[id]",
                                                "@m1[is]", "@m1[ig]", "@m1[ib]"}));
  EXPECT_EQ(countWarnings(c, "savecurrents"), 0);
  // .probe alli: ngspice's probe vectors of the top-level devices (a MOSFET's bulk is b_tj, a
  // 3-terminal BJT has no substrate, a device inside a sub-circuit none, the instance's pin its
  // own source's); with savecurrents both
  c = ok("t\n.subckt s a\nR1 a 0 1k\n.ends\nV1 a 0 1\nD1 a b dm\nQ1 b b 0 qm\nM1 a b 0 0 nm\nJ1 a b 0 jm\nX1 a s\n"
         ".model dm d\n.model qm npn\n.model nm nmos\n.model jm njf\n.probe alli\n.options savecurrents\n");
  EXPECT_EQ(saves(c), (std::vector<std::string>{"all", "i(x1:a)", "@d1[id]", "i(d1)", "@q1[ic]", "@q1[ie]", "@q1[ib]", "@q1[is]",
                                                "i(q1:c)", "i(q1:b)", "i(q1:e)", "@m1[id]", "@m1[is]", "@m1[ig]", "@m1[ib]",
                                                "i(m1:d)", "i(m1:g)", "i(m1:s)", "i(m1:b_tj)", "@j1[id]", "@j1[is]",
                                                "@j1[ig]", "@j1[igd]", "i(j1:d)", "i(j1:g)", "i(j1:s)", "@x1.r1[i]"}));
  // an unknown device in @x[i] is dropped with a warning; i(x) is left to the analysis
  c = ok("t\nV1 a 0 1\n.save @q9[ic] i(vx)\n");
  EXPECT_EQ(saves(c), (std::vector<std::string>{"i(vx)"}));
  EXPECT_EQ(countWarnings(c, "no device 'q9'"), 1);
  // i(x1) of a sub-circuit instance (a KiCad .print of a transformer block): no current of its
  // own, dropped with a warning as ngspice 39 does ("can't parse 'x1#branch'"), not fatal
  c = ok("t\n.subckt blk a b\nR1 a b 1k\n.ends\nV1 a 0 1\nXfmer1 a 0 blk\n.print tran v(a) I(Xfmer1) i(xfmer1.r1)\n");
  EXPECT_EQ(saves(c), (std::vector<std::string>{"all", "v(a)", "i(xfmer1.r1)"}));
  EXPECT_EQ(countWarnings(c, "'i(xfmer1)' not saved: 'xfmer1' is a sub-circuit instance"), 1);
}

TEST(NetlistCompat, PulseWidthZeroIsWarnedAsNgspiceReadsItAsTstop) {
  // a triangle carrier written with a width of 0: simcore draws the triangle, ngspice 39 a ramp
  // held to the period's end (a width of 0 is TSTOP there): said once per card, not per instance
  auto c = ok("t\n.subckt pwm o fs=10k\nV1 o 0 PULSE(-1 1 0 {0.5/fs} {0.5/fs} 0 {1/fs})\nR1 o 0 1k\n.ends\n"
              "X1 a pwm\nX2 b pwm\nV2 c 0 PULSE(0 1 0 1u 1u 2u 10u)\nR2 c 0 1k\n.tran 1u 1m\n");
  EXPECT_EQ(countWarnings(c, "has a width of 0"), 1);
  EXPECT_EQ(countWarnings(c, "ngspice 39 takes a width of 0 as TSTOP"), 1);
}

// ---- item 8: .ac points

TEST(NetlistCompat, AcDecadePointsAsNgspice) {
  ir::Analysis a;
  a.kind = ir::AnalysisKind::Ac;
  a.acScale = ir::AcScale::Dec;
  a.acPoints = 10;
  a.fstart = 1;
  a.fstop = 350;
  // ngspice 39: floor(10 * log10(350)) = 25 steps, fstop included
  std::vector<double> f = an::sweepFrequencies(a).value();
  ASSERT_EQ(f.size(), 26u);
  EXPECT_DOUBLE_EQ(f.front(), 1.0);
  EXPECT_DOUBLE_EQ(f.back(), 350.0);
  EXPECT_NEAR(f[1], 1.264046, 1e-6);  // printed by ngspice 39
  for (std::size_t k = 1; k < f.size(); ++k) EXPECT_NEAR(f[k] / f[k - 1], f[1], 1e-12);
  a.acPoints = 3;
  a.fstop = 1000;  // whole decades: 3 per decade, 10 points
  f = an::sweepFrequencies(a).value();
  ASSERT_EQ(f.size(), 10u);
  EXPECT_NEAR(f[1], 2.154435, 1e-6);
  EXPECT_DOUBLE_EQ(f.back(), 1000.0);
  a.acPoints = 7;
  a.fstart = 2;
  a.fstop = 3;  // under a step: the two ends (ngspice: 2 3)
  EXPECT_EQ(an::sweepFrequencies(a).value(), (std::vector<double>{2.0, 3.0}));
  a.fstop = 2;
  EXPECT_EQ(an::sweepFrequencies(a).value(), (std::vector<double>{2.0}));
  // steps finer than reltol: on past fstop while within fstop (1 + ratio reltol), ngspice's
  // end test (.ac dec 10000 10 1000: 20005 points, the last 1000.92 Hz as ngspice 39 prints)
  a.acPoints = 10000;
  a.fstart = 10;
  a.fstop = 1000;
  EXPECT_EQ(an::sweepFrequencies(a).value().size(), 20001u);  // (reltol 0: fstop ends it)
  f = an::sweepFrequencies(a, 1e-3).value();
  ASSERT_EQ(f.size(), 20005u);
  EXPECT_NEAR(f[20000], 1000.0, 1e-8);  // (the product of 20000 ratios)
  EXPECT_NEAR(f.back(), 1000.92145832, 1e-6);
  // octaves are not stretched to fstop (ngspice: 1 .. 8 for oct 2 1 10)
  a.acScale = ir::AcScale::Oct;
  a.acPoints = 2;
  a.fstart = 1;
  a.fstop = 10;
  f = an::sweepFrequencies(a).value();
  ASSERT_EQ(f.size(), 7u);
  EXPECT_NEAR(f.back(), 8.0, 1e-12);
  // .fra keeps N per decade from fstart while <= fstop
  a.kind = ir::AnalysisKind::Fra;
  a.acScale = ir::AcScale::Dec;
  a.acPoints = 5;
  a.fstart = 100;
  a.fstop = 20e3;
  f = an::sweepFrequencies(a).value();
  ASSERT_EQ(f.size(), 12u);
  EXPECT_NEAR(f.back(), 100 * std::pow(10.0, 11 / 5.0), 1e-6);
}

// A sweep of more points than anyone runs is a typo: a clear netlist error
// before anything is allocated (was a bad_alloc for `.ac lin 1e9`, and a
// float-to-integer overflow for a .dc of 1e100 points or a frequency span
// whose ratio overflows).
TEST(NetlistCompat, SweepsOfTooManyPointsAreErrors) {
  ir::Analysis a;
  a.kind = ir::AnalysisKind::Ac;
  a.acScale = ir::AcScale::Lin;
  a.acPoints = 1000000000;
  a.fstart = 1;
  a.fstop = 2;
  auto f = an::sweepFrequencies(a);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, ErrorCode::Semantic);
  EXPECT_NE(f.error().message.find(".ac has 1e+09 points, more than simcore runs in one sweep"), std::string::npos)
      << f.error().message;
  a.acScale = ir::AcScale::Dec;  // the ratio 1e600 overflows a double
  a.acPoints = 10;
  a.fstart = 1e-300;
  a.fstop = 1e300;
  f = an::sweepFrequencies(a);
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.error().message.find(".ac has more points than"), std::string::npos) << f.error().message;
  a.acScale = ir::AcScale::Oct;  // 19932 points: fine
  ASSERT_TRUE(an::sweepFrequencies(a).ok());
  EXPECT_EQ(an::sweepFrequencies(a)->size(), 19932u);
  a.acPoints = 10000;  // 2e7
  f = an::sweepFrequencies(a);
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.error().message.find(".ac has 1.99e+07 points"), std::string::npos) << f.error().message;
  a.acPoints = 10;
  a.kind = ir::AnalysisKind::Noise;  // 6001 points: within the limit
  a.acScale = ir::AcScale::Dec;
  a.acPoints = 10;
  auto g = an::steppedFrequencies(a, 1e-3, 2);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->size(), 6001u);
  a.acPoints = 100000;
  g = an::steppedFrequencies(a, 1e-3, 2);
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.error().message.find(".noise has 6e+07 points"), std::string::npos) << g.error().message;
  // whole circuits through the front door
  for (const char* card : {".dc V1 0 1e100 1", ".dc V1 0 1 1e-9", ".ac dec 10 1e-300 1e300", ".ac lin 1e9 1 2",
                           ".noise v(1) V1 lin 1e9 1 2", ".dc V1 0 1 0.1 V2 0 1e300 1"}) {
    auto r = simulateText(std::string("t\nV1 1 0 1 ac 1\nV2 2 0 1\nR1 1 2 1k\n") + card + "\n.end\n");
    ASSERT_FALSE(r.ok()) << card;
    EXPECT_EQ(r.error().code, ErrorCode::Semantic) << card;
    EXPECT_NE(r.error().message.find("than simcore runs in one sweep"), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().loc.line, 5) << card;
  }
}

// ---- item 1: .control scripts

TEST(NetlistCompat, ControlScriptAnalysesInOrder) {
  auto c = ok("t\nV1 a 0 1\nR1 a 0 1k\n.tran 1u 1m\n.control\nset filetype=ascii\nop\n* comment\nrun\n"
              "ac dec 10 1 1k\ndc v1 0 1 0.5\nplot v(a)\nprint v(a) ; all of it\nwrdata out.txt v(a)\nquit\n.endc\n");
  ASSERT_EQ(c.analyses.size(), 4u);
  EXPECT_EQ(c.analyses[0].kind, ir::AnalysisKind::Op);
  EXPECT_EQ(c.analyses[1].kind, ir::AnalysisKind::Tran);  // run: the .tran card
  EXPECT_DOUBLE_EQ(c.analyses[1].tstop, 1e-3);
  EXPECT_EQ(c.analyses[2].kind, ir::AnalysisKind::Ac);
  EXPECT_EQ(c.analyses[3].kind, ir::AnalysisKind::Dc);
  EXPECT_EQ(c.analyses[3].sweeps[0].source, "v1");
  EXPECT_EQ(c.analyses[0].loc.line, 7);
  EXPECT_EQ(countWarnings(c, "'plot' ignored"), 1);
  // set, print and wrdata run between the analyses (test_control_script.cpp)
  EXPECT_EQ(countWarnings(c, "'set'"), 0);
  ASSERT_EQ(c.script.statements.size(), 3u);
  EXPECT_EQ(c.script.statements[1].command, "print");
  EXPECT_EQ(c.script.statements[1].loc.line, 13);
  EXPECT_EQ(c.script.statements[1].loc.col, 1);
  EXPECT_EQ(c.script.after[1], 4);
  EXPECT_EQ(c.script.statements[2].command, "wrdata");
}

TEST(NetlistCompat, ControlScriptWithoutAnalysesKeepsTheDotCards) {
  auto c = ok("t\nV1 a 0 1\nR1 a 0 1k\n.op\n.tran 1u 1m\n.control\n  echo it's done\n  plot v(a)\n.endc\n");
  ASSERT_EQ(c.analyses.size(), 2u);
  ASSERT_EQ(c.script.statements.size(), 1u);  // echo, after the dot-card analyses
  EXPECT_EQ(c.script.statements[0].command, "echo");
  EXPECT_EQ(c.script.after[0], 2);
  // only a script analysis: the dot cards are not run (as ngspice's interactive mode)
  c = ok("t\nV1 a 0 1\nR1 a 0 1k\n.op\n.control\noption abstol=1e-9\ntran 1u 2m\nsave v(a) @v1[i]\noption reltol=1e-4\n.endc\n");
  ASSERT_EQ(c.analyses.size(), 1u);
  EXPECT_EQ(c.analyses[0].kind, ir::AnalysisKind::Tran);
  EXPECT_DOUBLE_EQ(c.options.abstol, 1e-9);  // before the script's first analysis: the circuit's own
  EXPECT_DOUBLE_EQ(c.options.reltol, 1e-3);  // after the last one: for none (as ngspice's option)
  EXPECT_EQ(c.analyses[0].variant, -1);
  EXPECT_EQ(saves(c), (std::vector<std::string>{"v(a)", "i(v1)"}));
}

// A script's `option` after its first analysis holds for the analyses after it (ngspice 39's
// com_option), each loop pass its own: Qucs-S's temperature sweep `foreach t ... / option temp = $t`
TEST(NetlistCompat, ControlScriptOptionsHoldFromWhereTheyStand) {
  auto c = ok("t\nV1 a 0 1\nR1 a 0 1k\n.control\nop\nforeach t -20 100\noption temp = $t reltol=1e-5\nop\nend\n"
              "option method=gear\ntran 1u 1m\n.endc\n");
  ASSERT_EQ(c.analyses.size(), 4u);
  EXPECT_EQ(c.analyses[0].variant, -1);
  const auto& v1 = c.variants.at(std::size_t(c.analyses[1].variant));
  const auto& v2 = c.variants.at(std::size_t(c.analyses[2].variant));
  const auto& v3 = c.variants.at(std::size_t(c.analyses[3].variant));
  EXPECT_DOUBLE_EQ(v1.options.temp, -20.0);
  EXPECT_DOUBLE_EQ(v1.options.reltol, 1e-5);
  EXPECT_DOUBLE_EQ(v2.options.temp, 100.0);
  EXPECT_DOUBLE_EQ(v3.options.temp, 100.0);
  EXPECT_EQ(v3.options.method, ir::IntegrationMethod::Gear);
  EXPECT_EQ(v1.options.method, ir::IntegrationMethod::Trapezoidal);
  EXPECT_EQ(c.options.method, ir::IntegrationMethod::Trapezoidal);
  EXPECT_DOUBLE_EQ(c.options.temp, 27.0);
  EXPECT_NE(v2.label.find("temp=100"), std::string::npos) << v2.label;
}

TEST(NetlistCompat, ControlScriptSkipsWhatItCannotDoAndRejectsBadAnalyses) {
  // a command simcore cannot run is reported and skipped, as in ngspice's batch mode
  auto c = ok("t\nV1 a 0 1\nR1 a 0 1k\n.control\nrun\n  sysinfo all\nrun\n.endc\n.op\n");
  EXPECT_EQ(c.analyses.size(), 2u);
  ASSERT_EQ(countWarnings(c, "'.control' command 'sysinfo' ignored: not supported"), 1);
  for (const auto& w : c.warnings)
    if (contains(w.message, "'sysinfo'")) {
      EXPECT_EQ(w.loc.line, 6);
      EXPECT_EQ(w.loc.col, 3);
    }
  // a command that would read a file, run a program or swap the circuit says so: not "displays or
  // edits"; a source whose file name is made at run time (one named plainly is read with the deck)
  c = ok("t\nV1 a 0 1\nR1 a 0 1k\n.control\nset f = circ.sp\nsource $f\nshell ls\nplot v(a)\nop\n.endc\n");
  EXPECT_EQ(countWarnings(c, "'source' ignored: a file it names is read with the deck"), 1);
  EXPECT_EQ(countWarnings(c, "'shell' ignored: a script here reads no files while it runs"), 1);
  EXPECT_EQ(countWarnings(c, "'plot' ignored: it displays or edits"), 1);
  // an analysis command with bad values stays an error
  Error e = err("t\nV1 a 0 1\n.control\ntran -1u 1m\n.endc\n");
  EXPECT_TRUE(contains(e.message, "TSTEP of .tran must be >= 0"));
  EXPECT_EQ(e.loc.line, 4);
}

// ngspice closes the innermost open .subckt whatever name .ends gives (its own
// examples have '.subckt rlclump' ... '.ends lump').
TEST(NetlistCompat, EndsWithAnotherNameClosesTheOpenSubcktWithAWarning) {
  auto c = ok("t\n.subckt amp in out\nR1 in out 1k\n.ends amq\nV1 a 0 1\nXA a b amp\nR2 b 0 1k\n.op\n");
  EXPECT_EQ(device(c, "xa.r1").nodes, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(countWarnings(c, "'.ends amq' closes the open '.subckt amp'"), 1);
  EXPECT_EQ(c.warnings[0].loc.line, 4);
  EXPECT_EQ(c.warnings[0].loc.col, 7);
  // an .ends with no .subckt open is still an error
  EXPECT_TRUE(contains(err("t\nR1 a 0 1\n.ends amp\n").message, "'.ends' without a matching '.subckt'"));
}

// Two X cards of one name (ngspice's ltra5_1_line.sp, txl4_1_line.sp): both
// expanded under it with a warning; their internal nodes of one name are one
// node, as in ngspice; devices of one flattened name stay an error.
TEST(NetlistCompat, DuplicateInstanceNamesExpandAsNgspice) {
  auto c = ok("t\nV1 a 0 1\nx1 a b s1\nx1 a c s2\n.subckt s1 p q\nr1 p n 1k\nr2 n q 1k\n.ends\n"
              ".subckt s2 p q\nr3 p n 1k\nr4 n q 2k\n.ends\nrb b 0 1k\nrc c 0 1k\n.op\n");
  EXPECT_EQ(device(c, "x1.r1").nodes[1], "x1.n");
  EXPECT_EQ(device(c, "x1.r3").nodes[1], "x1.n");
  ASSERT_EQ(countWarnings(c, "duplicate instance name 'x1' (first at line 3)"), 1);
  EXPECT_EQ(c.warnings[0].loc.line, 4);
  Error e = err("t\nV1 a 0 1\nx1 a b s1\nx1 a c s1\n.subckt s1 p q\nr1 p q 1k\n.ends\n.op\n");
  EXPECT_TRUE(contains(e.message, "duplicate device name")) << e.message;
}

// BSIM model cards carry version=3.3.0, a string to ngspice: it is not read
// as a number (so the message is about what matters, e.g. the model level);
// a kind with a VERSION parameter (BSIM3) gets its major.minor.
TEST(NetlistCompat, ModelVersionStringIsNotANumber) {
  auto c = ok("t\n.model dm d (is=1e-14 version=3.3.0 n=1.5)\nD1 a 0 dm\nV1 a 0 0.6\n.op\n");
  ASSERT_EQ(c.models.size(), 1u);
  for (const auto& p : c.models[0].params) EXPECT_NE(p.name, "version");
  EXPECT_EQ(c.models[0].params.size(), 2u);
  auto bsim4 = ok("t\n.model n1 nmos level=14 version=4.5.0 tox=4e-9\nM1 d g 0 0 n1\nV1 d 0 1\nV2 g 0 1\n.op\n");
  auto sim = Simulation::create(std::move(bsim4));
  ASSERT_FALSE(sim.ok());
  // (the message is about tox, BSIM3's name, which BSIM4 spells toxe; not about the version)
  EXPECT_TRUE(contains(sim.error().message, "unknown parameter 'tox'")) << sim.error().message;
  EXPECT_TRUE(contains(sim.error().message, "toxe")) << sim.error().message;
  auto bsim3 = ok("t\n.model n1 nmos level=8 version=3.3.0 tox=4e-9\nM1 d g 0 0 n1\nV1 d 0 1\nV2 g 0 1\n.op\n");
  EXPECT_TRUE(Simulation::create(std::move(bsim3)).ok());
}

// (ngspice's oscillator .pss: tests/unit/test_oscillator_pss.cpp)

// .ic and .nodeset inside a sub-circuit (ngspice's loop-filter examples): a
// pin names the caller's net, a local node gets the instance prefix; values
// see the instance's parameters.
TEST(NetlistCompat, InitialConditionsInsideSubcircuits) {
  auto c = ok("t\n.subckt lf in out init=1\nR1 in mid 1k\nC1 mid 0 1u\nR2 mid out 1k\n"
              ".ic v(mid)={init} v(out)=0.5\n.nodeset v(mid)={2*init}\n.ends\n"
              "V1 a 0 0\nX1 a o1 lf init=2\nX2 a o2 lf\nR3 o1 0 1k\nR4 o2 0 1k\n.tran 1u 1m uic\n");
  std::vector<std::pair<std::string, double>> ic, ns;
  for (const auto& v : c.ic) ic.emplace_back(v.node, v.value);
  for (const auto& v : c.nodeset) ns.emplace_back(v.node, v.value);
  EXPECT_EQ(ic, (std::vector<std::pair<std::string, double>>{{"x1.mid", 2}, {"o1", 0.5}, {"x2.mid", 1}, {"o2", 0.5}}));
  EXPECT_EQ(ns, (std::vector<std::pair<std::string, double>>{{"x1.mid", 4}, {"x2.mid", 2}}));
  EXPECT_EQ(c.ic[0].loc.line, 6);
}

// ---- eSim's course decks (issue 12, "real netlists run unedited")

// eSim's sub-circuit files carry a `.title` line inside their .subckt: ngspice
// 39 reads a title line wherever it is (the last one read is the title).
TEST(NetlistCompat, TitleLineInsideASubcircuitIsTheTitle) {
  auto c = ok("first\n.subckt s a b\n.title kicad schematic\nR1 a b 1k\n.ends\nX1 1 0 s\nV1 1 0 1\n.op\n");
  EXPECT_EQ(c.title, "kicad schematic");
  EXPECT_EQ(c.devices.size(), 2u);
  // from an included file too, and the last one read wins
  auto l = withLibrary(".subckt s a b\n.title from the library\nR1 a b 1k\n.ends\n",
                       "X1 1 0 s\nV1 1 0 1\n.op\n");
  ASSERT_TRUE(l.ok()) << l.error().format();
  EXPECT_EQ(l->title, "from the library");
  auto last = ok("first\n.title second\n.subckt s a b\n.title third\nR1 a b 1k\n.ends\nX1 1 0 s\nV1 1 0 1\n.op\n");
  EXPECT_EQ(last.title, "third");
}

// A '+' inside a model line (eSim's PMOS-180nm.lib: "PBSW=0.8   +   MJSW=0.37"):
// ngspice 39 warns "unrecognized parameter (+) - ignored" and reads on.
TEST(NetlistCompat, StrayPlusInsideAModelLineIsIgnoredWithAWarning) {
  auto c = ok("t\n.model dm d (is=1e-14   +   n=1.5 rs=2 + cjo=1p)\nD1 a 0 dm\nV1 a 0 0.6\n.op\n");
  ASSERT_EQ(c.models.size(), 1u);
  std::map<std::string, double> p;
  for (const auto& q : c.models[0].params) p[q.name] = q.value;
  EXPECT_EQ(p.size(), 4u);
  EXPECT_DOUBLE_EQ(p["n"], 1.5);
  EXPECT_DOUBLE_EQ(p["rs"], 2);
  EXPECT_DOUBLE_EQ(p["cjo"], 1e-12);
  EXPECT_EQ(countWarnings(c, "stray '+' in .model 'dm' ignored"), 1);
  ASSERT_FALSE(c.warnings.empty());
  EXPECT_EQ(c.warnings[0].loc.line, 2);
  EXPECT_EQ(c.warnings[0].loc.col, 25);
  // '+' as a value is still an error at the value
  Error e = err("t\n.model dm d (is=+)\nD1 a 0 dm\nV1 a 0 0.6\n.op\n");
  EXPECT_EQ(e.loc.line, 2);
}

// `.ac dec 10 1 100M`: SPICE's M is milli, so FSTOP is below FSTART (ngspice 39 runs no point,
// silently): an error at FSTOP that says how to write mega
TEST(NetlistCompat, AFrequencyWrittenWithMIsMilliAndTheErrorSaysSo) {
  Error e = err("t\nV1 a 0 dc 1 ac 1\nR1 a 0 1k\n.ac dec 10 1 100M\n");
  EXPECT_EQ(e.loc.line, 4);
  EXPECT_EQ(e.loc.col, 14);
  EXPECT_TRUE(contains(e.message, "FSTOP 0.1 of .ac is below FSTART 1 (SPICE reads '100M' as milli: write 100MEG for mega)"))
      << e.message;
  e = err("t\nV1 a 0 dc 1 ac 1\nR1 a 0 1k\n.noise v(a) V1 dec 10 1k 10m\n");
  EXPECT_TRUE(contains(e.message, "write 10MEG for mega")) << e.message;
  // (a plain FSTOP below FSTART says nothing of milli)
  e = err("t\nV1 a 0 dc 1 ac 1\nR1 a 0 1k\n.ac dec 10 1k 10\n");
  EXPECT_FALSE(contains(e.message, "milli")) << e.message;
}

// `.ac lin 0 0Hz 0Hz` (eSim's card when no AC analysis was set up): ngspice 39
// takes fewer than one point as one, and a linear sweep may start at 0 Hz.
TEST(NetlistCompat, AcWithZeroPointsRunsOnePointAtZeroHertz) {
  auto c = ok("t\nV1 in 0 DC 1 AC 1\nR1 in a 1k\nC1 a 0 1u\nL1 a b 1m\nR2 b 0 3k\n.ac lin 0 0Hz 0Hz\n");
  ASSERT_EQ(c.analyses.size(), 1u);
  EXPECT_EQ(c.analyses[0].acPoints, 1);
  EXPECT_EQ(countWarnings(c, "number of .ac points 0 taken as 1"), 1);
  // at 0 Hz C1 is open and L1 a short: v(a) = v(b) = 3k / (1k + 3k)
  auto r = simulateText("t\nV1 in 0 DC 1 AC 1\nR1 in a 1k\nC1 a 0 1u\nL1 a b 1m\nR2 b 0 3k\n.ac lin 0 0Hz 0Hz\n"
                        ".control\nrun\nprint frequency v(a) v(b)\n.endc\n");
  ASSERT_TRUE(r.ok()) << r.error().format();
  EXPECT_TRUE(r->script.errors.empty()) << r->script.errors[0];
  EXPECT_TRUE(contains(r->script.text, "frequency = 0.000000e+00")) << r->script.text;
  EXPECT_TRUE(contains(r->script.text, "v(a) = 7.500000e-01,")) << r->script.text;
  EXPECT_TRUE(contains(r->script.text, "v(b) = 7.500000e-01,")) << r->script.text;
  // decade sweeps still need fstart > 0 (ngspice: "AC startfreq <= 0")
  Error e = err("t\nV1 in 0 DC 1 AC 1\nR1 in 0 1k\n.ac dec 0 0 0\n");
  EXPECT_EQ(e.loc.line, 4);
  EXPECT_TRUE(contains(e.message, "FSTART")) << e.message;
}

// Without .save, the results hold every node voltage and the branch currents ngspice's plot
// holds: of V devices, then of L, E and H (eSim's `print alli` prints them).
namespace {
struct Names final : SampleSink {
  std::vector<std::string> names;
  void begin(const AnalysisHeader& h) override {
    for (const auto& s : h.signals) names.push_back(s.name);
  }
  void chunk(const Chunk&) override {}
  void end(const AnalysisSummary&) override {}
};
}  // namespace

TEST(NetlistCompat, DefaultSignalsHoldTheBranchCurrentsOfVLEHAndB) {
  Names sink;
  auto r = simulate("t\nV1 a 0 1\nL1 a b 1m\nR1 b 0 1k\nE1 c 0 b 0 2\nR2 c 0 1k\nH1 d 0 V1 10\nR3 d 0 1k\n"
                    "G1 0 e b 0 1m\nR4 e 0 1k\n.op\n",
                    {}, sink);
  ASSERT_TRUE(r.ok()) << r.error().format();
  EXPECT_EQ(sink.names, (std::vector<std::string>{"v(a)", "v(b)", "v(c)", "v(d)", "v(e)", "i(v1)", "i(l1)", "i(e1)",
                                                  "i(h1)"}));
  // not the E source the reader adds for a capacitor whose value reads v() (its current is scaled)
  Names reactive;
  auto r2 = simulate("t\nV1 a 0 1\nR1 a b 1k\nC1 b 0 C={1n/(1 + 0.2*v(b))}\nE2 c 0 b 0 1\nR2 c 0 1k\n.op\n", {},
                     reactive);
  ASSERT_TRUE(r2.ok()) << r2.error().format();
  EXPECT_EQ(std::count(reactive.names.begin(), reactive.names.end(), "i(ec1)"), 0);
  EXPECT_EQ(std::count(reactive.names.begin(), reactive.names.end(), "i(e2)"), 1);
  // a B source of a voltage has its branch current too (ngspice's b1#branch); one of a current
  // has none, nor the reader's own sources of ddt() (bddt#1)
  Names behavioural;
  auto r3 = simulate("t\nV1 a 0 1\nB1 e 0 V=v(a)*3\nR4 e 0 1k\nB2 0 f I=v(a)*1m\nR5 f 0 1k\n"
                     "B3 g 0 V=ddt(v(a))\nR6 g 0 1k\n.op\n",
                     {}, behavioural);
  ASSERT_TRUE(r3.ok()) << r3.error().format();
  EXPECT_EQ(behavioural.names, (std::vector<std::string>{"v(a)", "v(e)", "v(f)", "v(g)", "i(v1)", "i(b1)", "i(b3)"}));
}

// SPICE2's PT (XTI): ngspice 39 ignores it ("unrecognized parameter"); so does simcore, with
// a warning, in the netlist itself too (where another unknown name is an error)
TEST(NetlistCompat, Spice2PtIsIgnoredAsNgspiceIgnoresIt) {
  auto c = ok("t\n.model qn npn(bf=80 is=5e-17 pt=5.0)\nvc c 0 5\nvb b 0 0.7\nq1 c b 0 qn\n.op\n");
  EXPECT_EQ(countWarnings(c, "it is SPICE2's name for XTI"), 1);
  for (const auto& m : c.models)
    for (const auto& p : m.params) EXPECT_NE(p.name, "pt");
  // (a card naming a random function's word, MC=0.47 here, is read again for each run: its
  // elements' drop holds for the card read again, bjtff.sp of CircuitSim90)
  Names redrawn;
  auto mc = simulate("t\n.model qn npn(bf=80 mc=0.47 pt=5.0)\nvc c 0 5\nvb b 0 0.7\nq1 c b 0 qn\n.op\n", {}, redrawn);
  ASSERT_TRUE(mc.ok()) << mc.error().format();
  Names sink;
  auto r = simulate("t\n.model qn npn(bf=80 ptx=5.0)\nvc c 0 5\nvb b 0 0.7\nq1 c b 0 qn\n.op\n", {}, sink);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(contains(r.error().message, "unknown parameter 'ptx'")) << r.error().message;
}


// ---- vendor libraries read as ngspice 39 reads them (KiCad's collected library)

namespace {
double modelParam(const ir::Circuit& c, const std::string& model, const std::string& name) {
  for (const auto& m : c.models)
    if (m.name == model)
      for (const auto& p : m.params)
        if (p.name == name) return p.value;
  ADD_FAILURE() << "no parameter " << name << " in .model " << model;
  return 0.0;
}
}  // namespace

TEST(NetlistCompat, ModelNumberWithArithmeticAfterItIsItsNumber) {
  // ngspice reads an unbraced .model value as a number and ignores what follows
  auto c = ok("t\n.model jp pjf(vto=-2.10-2.1 beta=4.8m)\n.model dq d(is=1e-14*100 n=1-0.5 rs={1+1})\n"
              "J1 d g 0 jp\nD1 d 0 dq\nV1 d 0 1\nV2 g 0 0\n.op\n");
  EXPECT_DOUBLE_EQ(modelParam(c, "jp", "vto"), -2.1);
  EXPECT_DOUBLE_EQ(modelParam(c, "dq", "is"), 1e-14);
  EXPECT_DOUBLE_EQ(modelParam(c, "dq", "n"), 1.0);
  EXPECT_DOUBLE_EQ(modelParam(c, "dq", "rs"), 2.0);  // braced: the expression
  EXPECT_EQ(countWarnings(c, "read as ngspice reads an unbraced .model value"), 3);
}

TEST(NetlistCompat, ResistorCardWithoutValueInALibraryIsOneMilliohm) {
  // a library's first line of text (` Recopilated by 0`) reads as a resistor card
  auto c = withLibrary(" Recopilated by 0\n.model qq pnp(bf=100)\n", "Q1 0 b 0 qq\nV1 b 0 -0.5\n.op\n");
  ASSERT_TRUE(c.ok()) << c.error().format();
  const ir::Device& r = device(c.value(), "recopilated");
  ASSERT_TRUE(r.value.has_value());
  EXPECT_DOUBLE_EQ(*r.value, 1e-3);
  EXPECT_EQ(countWarnings(c.value(), "has no value: resistance 0, set to 1 mOhm"), 1);
  // in the netlist itself it stays an error
  Error e = err("t\nR1 a 0\nV1 a 0 1\n.op\n");
  EXPECT_TRUE(contains(e.message, "expected 2 nodes and a value for resistor 'r1'")) << e.message;
}

TEST(NetlistCompat, BraceClosingAParenthesisInALibraryIsAParenthesis) {
  // GaN Systems' LTspice models end a B expression one ')' short with a '}':
  // read as ')' in a library (LTspice runs them), an error in the netlist itself
  auto c = withLibrary(".subckt sw a b\nB1 a b I=(if (v(a,b)>0,\n+ v(a,b)/1k, 0) }\n.ends\n",
                       "X1 n 0 sw\nV1 n 0 2\n.op\n");
  ASSERT_TRUE(c.ok()) << c.error().format();
  EXPECT_EQ(countWarnings(c.value(), "closes no '{': read as ')'"), 1);
  Error e = err("t\nB1 a 0 I=(v(a)/1k }\nV1 a 0 1\n.op\n");
  EXPECT_TRUE(contains(e.message, "'}' without a matching '{'")) << e.message;
}

TEST(NetlistCompat, LinesStartingWithUnusualCharactersAreComments) {
  // ngspice 39 turns = [ ] ? ( ) & % $ " ! : , into '*' (Polyfet's `( ;D  G  S )`),
  // also between a card and its '+' continuation; warned once per file
  auto c = ok("t\n\t\t( ;D  G  S )\nR1 a 0\n? note\n+ 1k\n%\nV1 a 0 1\n.op\n");
  const ir::Device& r = device(c, "r1");
  ASSERT_TRUE(r.value.has_value());
  EXPECT_DOUBLE_EQ(*r.value, 1e3);
  EXPECT_EQ(countWarnings(c, "read as a comment, as ngspice 39"), 1);
  for (const auto& w : c.warnings)
    if (contains(w.message, "read as a comment")) {
      EXPECT_EQ(w.loc.line, 2);
      EXPECT_EQ(w.loc.col, 3);
    }
}

TEST(NetlistCompat, UnclosedParenthesisInAPolyCardIsASeparator) {
  // ADI's op-amp libraries: E4 97 22 (POLY(1) (99,98) -0.765 1
  auto c = ok("t\nV1 a 0 1\nE4 o 0 (POLY(1) (a,0) -0.765 1\nR1 o 0 1k\n.op\n");
  EXPECT_TRUE(device(c, "e4").behaviour.has_value());
  EXPECT_EQ(countWarnings(c, "'(' in the POLY card 'E4' is never closed"), 1);
  // elsewhere an unclosed '(' stays an error
  Error e = err("t\nV1 a 0 SIN(0 1 1k\n");
  EXPECT_TRUE(contains(e.message, "never closed"));
}

TEST(NetlistProbes, PowerProbesReachEveryCircuitVariant) {
  // .probe p(R1) adds a zero-volt source per terminal and a B source, and moves R1's
  // terminals onto its own nodes; the variants of alter and .step were copied before:
  // each must get the same devices and nodes, its values kept
  const std::string body =
      "I1 0 a DC 1\nR2 a 0 1Meg\nD1 a 0 dd\nR1 a b {rr}\nV1 b 0 DC 0 SIN(0 0.85 50)\n.model dd D()\n"
      ".param rr=0.1\n.probe p(R1)\n.tran 0.01ms 5ms uic\n";
  for (const std::string& tail :
       {std::string(".control\nrun\nalter R1=0.3\nrun\n.endc\n"), std::string(".step param rr list 0.1 0.3\n")}) {
    auto c = testutil::ok("t\n" + body + tail + ".end\n");
    ASSERT_FALSE(c.variants.empty()) << tail;
    const auto r1 = std::find_if(c.devices.begin(), c.devices.end(), [](const ir::Device& d) { return d.name == "r1"; });
    ASSERT_NE(r1, c.devices.end());
    EXPECT_NE(r1->nodes[0], "a") << "the probe moves R1's terminal onto its own node";
    for (const ir::Variant& v : c.variants) {
      ASSERT_EQ(v.devices.size(), c.devices.size()) << v.label;
      for (std::size_t i = 0; i < v.devices.size(); ++i) {
        EXPECT_EQ(v.devices[i].name, c.devices[i].name) << v.label;
        EXPECT_EQ(v.devices[i].nodes, c.devices[i].nodes) << v.label << " " << v.devices[i].name;
      }
    }
    const ir::Variant& last = c.variants.back();
    const auto vr1 = std::find_if(last.devices.begin(), last.devices.end(), [](const ir::Device& d) { return d.name == "r1"; });
    ASSERT_TRUE(vr1->value.has_value());
    EXPECT_DOUBLE_EQ(*vr1->value, 0.3) << last.label;
  }
}

// A PDK's library holds the bins of every device: a model's version warning is given only
// when an element uses the model (GF180's 6 V devices are BSIM4 4.6, its 3.3 V ones 4.5), and
// a .subckt read twice from the same lines (a library section .lib'd twice) is no duplicate
TEST(NetlistCompat, ModelWarningsOnlyForUsedModelsAndNoDuplicateForTheSameLines) {
  const std::string models =
      ".model n47 nmos level=54 version=4.7\n.model n45 nmos level=54 version=4.5 capmod=0\n"
      ".model n48 nmos level=54 version=4.8\n.model n46 nmos level=54 version=4.6\n"
      ".model n46g nmos level=54 version=4.6 igcmod=1\n";
  ir::Circuit c = ok("t\n" + models + "M1 d g 0 0 n48 w=1u l=1u\nV1 d 0 1\nV2 g 0 1\n.op\n");
  EXPECT_EQ(countWarnings(c, "BSIM4 version"), 0);
  c = ok("t\n" + models + "M1 d g 0 0 n47 w=1u l=1u\nM2 d g 0 0 n45 w=1u l=1u\nV1 d 0 1\nV2 g 0 1\n.op\n");
  EXPECT_EQ(countWarnings(c, "BSIM4 version 4.7 of .model 'n47'"), 1);
  // a 4.5 card is ngspice's BSIM4.5 but for the parts named
  EXPECT_EQ(countWarnings(c, "BSIM4 version 4.5 of .model 'n45' is computed as ngspice 39's BSIM4.5 except for CAPMOD 0"), 1);
  // a 4.6 card is 4.8's but for PIGCD's default under IGCMOD, which is computed as ngspice's 4.6
  c = ok("t\n" + models + "M1 d g 0 0 n46 w=1u l=1u\nV1 d 0 1\nV2 g 0 1\n.op\n");
  EXPECT_EQ(countWarnings(c, "BSIM4 version"), 0);
  c = ok("t\n" + models + "M1 d g 0 0 n46g w=1u l=1u\nV1 d 0 1\nV2 g 0 1\n.op\n");
  EXPECT_EQ(countWarnings(c, "BSIM4 version"), 0);
  // a library section read twice
  ir::ParseOptions po;
  po.fileName = "t.cir";
  po.resolver = [](std::string_view path, std::string_view) -> Result<ir::ResolvedFile> {
    if (path != "lib.sp") return makeError(ErrorCode::Semantic, "no such file");
    return ir::ResolvedFile{"lib.sp", "* lib\n.lib s\n.subckt r1k a b\nR1 a b 1k\n.ends\n.endl s\n"};
  };
  auto twice = ir::parseNetlist("t\n.lib lib.sp s\n.lib lib.sp s\nX1 a 0 r1k\nV1 a 0 1\n.op\n", po);
  ASSERT_TRUE(twice.ok()) << twice.error().format();
  EXPECT_EQ(countWarnings(twice.value(), "duplicate definition"), 0);
  // a library file whose sections .lib each other (GF180's: `.lib typical` holds
  // `.lib 'sm141064.ngspice' nmos_3p3_t` ...) is read once: its lexer's warning comes once
  po.resolver = [](std::string_view path, std::string_view) -> Result<ir::ResolvedFile> {
    if (path != "big.lib") return makeError(ErrorCode::Semantic, "no such file");
    return ir::ResolvedFile{"big.lib", "* big\n.lib typical\n.lib 'big.lib' res\n.lib 'big.lib' cap\n.endl\n"
                                       ".lib res\n.subckt r1k a b\nR1 a b 1k )\n.ends\n.endl\n"
                                       ".lib cap\n.subckt c1p a b\nC1 a b 1p\n.ends\n.endl\n"};
  };
  auto lib = ir::parseNetlist("t\n.lib big.lib typical\nX1 a 0 r1k\nX2 a 0 c1p\nV1 a 0 1\n.op\n", po);
  ASSERT_TRUE(lib.ok()) << lib.error().format();
  EXPECT_EQ(countWarnings(lib.value(), "stray ')'"), 1);
}
