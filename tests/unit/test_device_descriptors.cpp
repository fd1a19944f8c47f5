// The device descriptors: defaults, parameter validation, the registry,
// describe() and the generated docs tables.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "device_docs.hpp"
#include "devices/descriptor.hpp"
#include "simcore/describe.hpp"
#include "simcore/simulate.hpp"

using namespace simcore;

namespace {

struct Default {
  char letter;
  dev::ParamScope scope;
  const char* name;
  double value;
};

constexpr auto I = dev::ParamScope::Instance;
constexpr auto M = dev::ParamScope::Model;

// The defaults the devices used before they had descriptors (their inline
// fallbacks); the descriptors must give the same.
const Default kOldDefaults[] = {
    {'r', I, "tc1", 0}, {'r', I, "tc2", 0}, {'r', I, "m", 1}, {'r', I, "dtemp", 0},
    // resistor models (issue 12): ngspice's defaults
    {'r', M, "rsh", 0}, {'r', M, "defw", 1e-5}, {'r', M, "defl", 1e-5}, {'r', M, "narrow", 0},
    {'r', M, "short", 0}, {'r', M, "tc1", 0}, {'r', M, "tc2", 0}, {'r', I, "scale", 1},
    {'c', I, "tc1", 0}, {'c', I, "tc2", 0}, {'c', I, "m", 1}, {'c', I, "dtemp", 0},
    {'l', I, "tc1", 0}, {'l', I, "tc2", 0}, {'l', I, "m", 1}, {'l', I, "dtemp", 0},
    // ngspice's exponential coefficient, scale on C and L, model temperature coefficients (issue 12)
    {'r', I, "tce", 0}, {'r', M, "tce", 0}, {'c', I, "scale", 1}, {'c', M, "tc1", 0}, {'c', M, "tc2", 0},
    {'c', M, "cj", 0}, {'c', M, "cjsw", 0}, {'c', M, "defw", 10e-6}, {'c', M, "defl", 0}, {'c', M, "narrow", 0},
    {'c', M, "short", 0}, {'c', M, "del", 0}, {'c', M, "thick", 0},
    {'l', I, "scale", 1}, {'l', I, "dcopen", 0}, {'l', M, "tc1", 0}, {'l', M, "tc2", 0},
    {'g', I, "m", 1}, {'f', I, "m", 1}, {'i', I, "m", 1},
    {'d', I, "m", 1}, {'d', I, "dtemp", 0},
    {'d', M, "is", 1e-14}, {'d', M, "n", 1}, {'d', M, "rs", 0}, {'d', M, "cjo", 0}, {'d', M, "vj", 1},
    {'d', M, "m", 0.5}, {'d', M, "fc", 0.5}, {'d', M, "tt", 0}, {'d', M, "ibv", 1e-3}, {'d', M, "trs1", 0}, {'d', M, "trs2", 0}, {'d', M, "eg", 1.11},
    {'d', M, "xti", 3}, {'d', M, "level", 1},
    {'q', I, "area", 1}, {'q', I, "m", 1}, {'q', I, "dtemp", 0},
    {'q', M, "is", 1e-16}, {'q', M, "bf", 100}, {'q', M, "br", 1}, {'q', M, "nf", 1}, {'q', M, "nr", 1},
    {'q', M, "vaf", 0}, {'q', M, "var", 0}, {'q', M, "ikf", 0}, {'q', M, "ikr", 0}, {'q', M, "ise", 0},
    {'q', M, "ne", 1.5}, {'q', M, "isc", 0}, {'q', M, "nc", 2}, {'q', M, "rb", 0}, {'q', M, "irb", 0},
    {'q', M, "rc", 0}, {'q', M, "re", 0}, {'q', M, "cje", 0}, {'q', M, "vje", 0.75}, {'q', M, "mje", 0.33},
    {'q', M, "cjc", 0}, {'q', M, "vjc", 0.75}, {'q', M, "mjc", 0.33}, {'q', M, "xcjc", 1}, {'q', M, "tf", 0},
    {'q', M, "xtf", 0}, {'q', M, "vtf", 0}, {'q', M, "itf", 0}, {'q', M, "tr", 0}, {'q', M, "cjs", 0},
    {'q', M, "vjs", 0.75}, {'q', M, "mjs", 0}, {'q', M, "fc", 0.5}, {'q', M, "eg", 1.11}, {'q', M, "xti", 3},
    {'q', M, "xtb", 0}, {'q', M, "level", 1},
    // ngspice 39's BJT parameters (issue 12: vendor models)
    {'q', M, "nkf", 0.5}, {'q', M, "ptf", 0},
    {'q', M, "iss", 0}, {'q', M, "ns", 1}, {'q', M, "vo", 10}, {'q', M, "gamma", 1e-11}, {'q', M, "qco", 0},
    {'q', M, "quasimod", 0}, {'q', M, "vg", 1.206}, {'q', M, "tlev", 0}, {'q', M, "tlevc", 0}, {'q', M, "tbf1", 0},
    {'q', M, "tbf2", 0}, {'q', M, "tbr1", 0}, {'q', M, "tbr2", 0}, {'q', M, "tikf1", 0}, {'q', M, "tikf2", 0},
    {'q', M, "tikr1", 0}, {'q', M, "tikr2", 0}, {'q', M, "tirb1", 0}, {'q', M, "tirb2", 0}, {'q', M, "tnc1", 0},
    {'q', M, "tnc2", 0}, {'q', M, "tne1", 0}, {'q', M, "tne2", 0}, {'q', M, "tnf1", 0}, {'q', M, "tnf2", 0},
    {'q', M, "tnr1", 0}, {'q', M, "tnr2", 0}, {'q', M, "trb1", 0}, {'q', M, "trb2", 0}, {'q', M, "trc1", 0},
    {'q', M, "trc2", 0}, {'q', M, "tre1", 0}, {'q', M, "tre2", 0}, {'q', M, "trm1", 0}, {'q', M, "trm2", 0},
    {'q', M, "tvaf1", 0}, {'q', M, "tvaf2", 0}, {'q', M, "tvar1", 0}, {'q', M, "tvar2", 0}, {'q', M, "titf1", 0},
    {'q', M, "titf2", 0}, {'q', M, "ttf1", 0}, {'q', M, "ttf2", 0}, {'q', M, "ttr1", 0}, {'q', M, "ttr2", 0},
    {'q', M, "tmje1", 0}, {'q', M, "tmje2", 0}, {'q', M, "tmjc1", 0}, {'q', M, "tmjc2", 0}, {'q', M, "tmjs1", 0},
    {'q', M, "tmjs2", 0}, {'q', M, "tns1", 0}, {'q', M, "tns2", 0}, {'q', M, "tis1", 0}, {'q', M, "tis2", 0},
    {'q', M, "tise1", 0}, {'q', M, "tise2", 0}, {'q', M, "tisc1", 0}, {'q', M, "tisc2", 0}, {'q', M, "tiss1", 0},
    {'q', M, "tiss2", 0}, {'q', M, "cte", 0}, {'q', M, "ctc", 0}, {'q', M, "cts", 0}, {'q', M, "tvje", 0},
    {'q', M, "tvjc", 0}, {'q', M, "tvjs", 0},
    {'m', I, "w", 100e-6}, {'m', I, "l", 100e-6}, {'m', I, "ad", 0}, {'m', I, "as", 0}, {'m', I, "pd", 0},
    {'m', I, "ps", 0}, {'m', I, "nrd", 1}, {'m', I, "nrs", 1}, {'m', I, "m", 1}, {'m', I, "dtemp", 0},
    {'m', M, "level", 1}, {'m', M, "vto", 0}, {'m', M, "kp", 2e-5}, {'m', M, "gamma", 0}, {'m', M, "phi", 0.6},
    {'m', M, "lambda", 0}, {'m', M, "rd", 0}, {'m', M, "rs", 0}, {'m', M, "cbd", 0}, {'m', M, "cbs", 0},
    {'m', M, "cj", 0}, {'m', M, "rsh", 0}, {'m', M, "is", 1e-14}, {'m', M, "js", 0}, {'m', M, "pb", 0.8},
    {'m', M, "mj", 0.5}, {'m', M, "cjsw", 0}, {'m', M, "mjsw", 0.5}, {'m', M, "fc", 0.5}, {'m', M, "cgso", 0},
    {'m', M, "cgdo", 0}, {'m', M, "cgbo", 0}, {'m', M, "tox", 0}, {'m', M, "ld", 0}, {'m', M, "u0", 600},
    {'m', M, "nsub", 0}, {'m', M, "nss", 0}, {'m', M, "tpg", 1},
    {'s', M, "ron", 1}, {'s', M, "vt", 0}, {'s', M, "vh", 0},
    {'w', M, "ron", 1}, {'w', M, "it", 0}, {'w', M, "ih", 0},
    // diode parameters of vendor models (issue 12): ngspice 39's defaults
    {'d', M, "nr", 1},
    // the rest of ngspice 39's diode (issue 12): its defaults (diosetup.c); XOM, XOI in angstrom as it reads them
    {'d', I, "scale", 1}, {'d', M, "ns", 1}, {'d', M, "cjp", 0}, {'d', M, "php", 1}, {'d', M, "mjsw", 0.33},
    {'d', M, "fcs", 0.5}, {'d', M, "ttt1", 0}, {'d', M, "ttt2", 0}, {'d', M, "tm1", 0}, {'d', M, "tm2", 0},
    {'d', M, "tcv", 0}, {'d', M, "tlev", 0}, {'d', M, "tlevc", 0}, {'d', M, "cta", 0}, {'d', M, "ctp", 0},
    {'d', M, "tpb", 0}, {'d', M, "tphp", 0}, {'d', M, "ntun", 30}, {'d', M, "xtitun", 3}, {'d', M, "keg", 1},
    {'d', M, "area", 1}, {'d', M, "pj", 0}, {'d', M, "lm", 0}, {'d', M, "lp", 0}, {'d', M, "wm", 0},
    {'d', M, "wp", 0}, {'d', M, "xom", 1e4}, {'d', M, "xoi", 1e4}, {'d', M, "xm", 0}, {'d', M, "xp", 0},
    {'d', M, "cth0", 1e-5},  // ngspice 39 diosetup.c
    // JFET level 1 (issue 12): ngspice 39's defaults
    {'j', I, "area", 1}, {'j', I, "m", 1}, {'j', I, "dtemp", 0},
    {'j', M, "level", 1}, {'j', M, "vto", -2}, {'j', M, "beta", 1e-4}, {'j', M, "lambda", 0}, {'j', M, "rd", 0}, {'j', M, "rs", 0},
    {'j', M, "cgs", 0}, {'j', M, "cgd", 0}, {'j', M, "pb", 1}, {'j', M, "is", 1e-14}, {'j', M, "fc", 0.5},
    {'j', M, "b", 1}, {'j', M, "tcv", 0}, {'j', M, "bex", 0}, {'j', M, "eg", 1.11},
    // noise parameters (issue 12, .noise): ngspice 39's defaults
    {'r', I, "noisy", 1}, {'r', M, "kf", 0}, {'r', M, "af", 1}, {'r', M, "lf", 1}, {'r', M, "wf", 1}, {'r', M, "ef", 1}, {'d', M, "kf", 0}, {'d', M, "af", 1},
    {'q', M, "kf", 0}, {'q', M, "af", 1}, {'m', M, "kf", 0}, {'m', M, "af", 1}, {'j', M, "kf", 0}, {'j', M, "af", 1},
    {'j', M, "nlev", 0}, {'j', M, "gdsnoi", 1},
    // lossless transmission line (issue 12): ngspice 39's defaults
    {'t', I, "f", 1e9}, {'t', I, "nl", 0.25}, {'t', I, "rel", 1}, {'t', I, "abs", 1},
    {'t', I, "ic", 0}, {'t', I, "v1", 0}, {'t', I, "i1", 0}, {'t', I, "v2", 0}, {'t', I, "i2", 0},
    // lossy transmission line LTRA (issue 12): ngspice 39's defaults
    {'o', I, "ic", 0}, {'o', I, "v1", 0}, {'o', I, "i1", 0}, {'o', I, "v2", 0}, {'o', I, "i2", 0},
    {'o', M, "r", 0}, {'o', M, "l", 0}, {'o', M, "g", 0}, {'o', M, "c", 0}, {'o', M, "rel", 1}, {'o', M, "abs", 1},
    {'y', M, "r", 0}, {'y', M, "g", 0},
    // GaAs MESFET level 1 (issue 12): ngspice 39's mes defaults
    {'z', I, "area", 1}, {'z', I, "m", 1}, {'z', M, "level", 1}, {'z', M, "vto", -2}, {'z', M, "beta", 2.5e-3},
    {'z', M, "b", 0.3}, {'z', M, "alpha", 2}, {'z', M, "lambda", 0}, {'z', M, "rd", 0}, {'z', M, "rs", 0},
    {'z', M, "cgs", 0}, {'z', M, "cgd", 0}, {'z', M, "pb", 1}, {'z', M, "is", 1e-14}, {'z', M, "fc", 0.5},
    {'z', M, "kf", 0}, {'z', M, "af", 1},
    {'u', M, "k", 1.5}, {'u', M, "fmax", 1e9}, {'u', M, "rperl", 1000}, {'u', M, "cperl", 1e-12}, {'u', M, "rsperl", 0},
};

// Defaults that come from the context (options, other parameters) or mean
// "not given": the descriptor has none (NaN).
const Default kContextDefaults[] = {
    {'r', I, "temp", 0}, {'c', I, "ic", 0}, {'l', I, "ic", 0}, {'d', I, "ic", 0}, {'d', M, "bv", 0},
    {'d', I, "area", 0}, {'d', I, "pj", 0},  // the model's AREA and PJ (1 and 0 when W or L is given)
    {'d', M, "tnom", 0}, {'q', M, "rbm", 0}, {'m', M, "tnom", 0}, {'s', M, "roff", 0}, {'w', M, "roff", 0},
    {'j', M, "tnom", 0}, {'o', M, "len", 0}, {'o', M, "compactrel", 0}, {'o', M, "compactabs", 0},
    {'y', I, "len", 0}, {'y', M, "l", 0}, {'y', M, "c", 0}, {'y', M, "length", 0},
    {'u', I, "n", 0}, {'u', M, "isperl", 0},
};

Result<std::unique_ptr<Simulation>> load(const std::string& text) {
  ir::ParseOptions po;
  po.fileName = "t.cir";
  auto c = ir::parseNetlist(text, po);
  if (!c) return c.takeError();
  return Simulation::create(std::move(c.value()));
}

Error loadError(const std::string& text) {
  auto s = load(text);
  EXPECT_FALSE(s.ok()) << text;
  return s.ok() ? Error{} : s.error();
}

}  // namespace

TEST(DeviceDescriptors, DefaultsEqualTheDevicesFormerFallbacks) {
  for (const Default& d : kOldDefaults) {
    const dev::DeviceKind* k = dev::findKind(d.letter);
    ASSERT_NE(k, nullptr) << d.letter;
    const dev::ParamSpec* p = k->find(d.scope, d.name);
    ASSERT_NE(p, nullptr) << d.letter << " " << d.name;
    EXPECT_EQ(p->def, d.value) << d.letter << " " << d.name;
  }
  for (const Default& d : kContextDefaults) {
    const dev::ParamSpec* p = dev::findKind(d.letter)->find(d.scope, d.name);
    ASSERT_NE(p, nullptr) << d.letter << " " << d.name;
    EXPECT_TRUE(std::isnan(p->def)) << d.letter << " " << d.name;
    EXPECT_NE(p->defaultText, nullptr) << d.letter << " " << d.name << ": the docs need to say where it comes from";
  }
}

TEST(DeviceDescriptors, EveryNumericDefaultIsListedAbove) {
  // A default added or changed in a descriptor must be added here too: the
  // table above is the record of what the devices did.
  // (The kinds that share a letter with an earlier one, by model type, are
  // checked in IdealSwitchKindsShareTheirLetters; the control blocks (A) have
  // XSPICE's defaults, checked in test_devices_blocks.cpp.)
  for (const dev::DeviceKind& k : dev::registry())
    for (const dev::ParamSpec& p : k.params) {
      if (p.flag || std::isnan(p.def) || dev::findKind(k.letter) != &k || k.letter == 'a') continue;
      bool listed = false;
      for (const Default& d : kOldDefaults)
        listed = listed || (d.letter == k.letter && d.scope == p.scope && std::string(d.name) == p.name);
      EXPECT_TRUE(listed) << k.letter << " " << p.name;
    }
}

TEST(DeviceDescriptors, IdealSwitchKindsShareTheirLetters) {
  struct Variant {
    char letter;
    const char* type;
    const char* name;
  };
  for (const Variant& v : {Variant{'d', "pwldiode", "ideal diode"}, Variant{'s', "pwlmos", "ideal MOSFET"},
                           Variant{'s', "pwligbt", "ideal IGBT"}, Variant{'s', "thyristor", "thyristor"}}) {
    const dev::DeviceKind* k = dev::findKind(v.letter, v.type);
    ASSERT_NE(k, nullptr) << v.type;
    EXPECT_STREQ(k->name, v.name);
    EXPECT_NE(k, dev::findKind(v.letter)) << "the letter's first kind stays the SPICE one";
  }
  // the issue's PWLDIODE defaults
  const dev::DeviceKind* d = dev::findKind('d', "pwldiode");
  EXPECT_EQ(d->find(M, "von")->def, 0.0);
  EXPECT_EQ(d->find(M, "ron")->def, 1e-3);
  EXPECT_EQ(d->find(M, "roff")->def, 1e9);
  EXPECT_EQ(dev::findKind('d', "d"), dev::findKind('d'));
  EXPECT_EQ(dev::findKind('d', "sw"), nullptr);
}

TEST(DeviceDescriptors, RegistryIsConsistent) {
  std::set<char> letters;
  std::set<std::string> typesByLetter;
  for (const dev::DeviceKind& k : dev::registry()) {
    const dev::DeviceKind* first = dev::findKind(k.letter);
    letters.insert(k.letter);
    if (first != &k && k.form != dev::CardForm::Behavioural) {
      // a kind sharing a letter: chosen by model type, read like the first (a model
      // card's node count may differ: the reader takes the letter's range and checks
      // the model's kind, M with a VDMOS model has 3; the behavioural sources share B:
      // chosen by their output)
      EXPECT_EQ(k.form, first->form) << k.name;
      if (k.form != dev::CardForm::ModelCard) {
        EXPECT_EQ(k.minNodes, first->minNodes) << k.name;
        EXPECT_EQ(k.maxNodes, first->maxNodes) << k.name;
      }
      EXPECT_FALSE(k.modelTypes.empty()) << k.name;
    }
    for (const char* t : k.modelTypes)
      EXPECT_TRUE(typesByLetter.insert(std::string(1, k.letter) + t).second) << "model type " << t << " twice for " << k.letter;
    // U: the netlist reader replaces it by its ladder of R, C and D (netlist/urc.cpp)
    if (k.letter != 'u') EXPECT_NE(k.create, nullptr) << k.name;
    EXPECT_LE(k.minNodes, k.maxNodes) << k.name;
    // a model card names a model, except T's (instance parameters only)
    if (k.form == dev::CardForm::ModelCard && k.letter != 't') EXPECT_FALSE(k.modelTypes.empty()) << k.name;
    if (k.refs) EXPECT_NE(k.refLetter, 0) << k.name;
    std::set<std::string> names;
    for (const dev::ParamSpec& p : k.params) {
      const std::string key = (p.scope == dev::ParamScope::Model ? "model " : "inst ") + std::string(p.name);
      EXPECT_TRUE(names.insert(key).second) << k.name << ": " << key << " twice";
      EXPECT_NE(std::string(p.doc), "") << k.name << " " << p.name;
    }
  }
  EXPECT_EQ(letters, (std::set<char>{'r', 'c', 'l', 'k', 'v', 'i', 'e', 'g', 'f', 'h', 'd', 'q', 'm', 's', 'w', 'j', 't', 'z', 'o', 'y', 'p', 'u', 'a', 'b'}));
  // branch currents: V L E H, the output of a control block (A), a B voltage source
  for (char c : std::string("vlehab")) EXPECT_EQ(dev::findKind(c)->branches, 1) << c;
  for (char c : std::string("rckigfdqmswjtz")) EXPECT_EQ(dev::findKind(c)->branches, 0) << c;
}

TEST(DeviceDescriptors, UnknownInstanceParameterNamesTheValidOnesAtItsPlace) {
  Error e = loadError("t\nV1 a 0 1\nR1 a 0 1k tc3=1\n.op\n.end\n");
  EXPECT_EQ(e.code, ErrorCode::Semantic);
  EXPECT_EQ(e.message, "unknown parameter 'tc3' for resistor 'r1'; expected one of: r, resistance, tc1, tc, tc2, tce, m, temp, dtemp, bv_max, ac, scale, l, w, noisy, noiseless");
  EXPECT_EQ(e.loc.file, "t.cir");
  EXPECT_EQ(e.loc.line, 3);
  EXPECT_EQ(e.loc.col, 11);
  e = loadError("t\nV1 a 0 1 \nR1 a b 1\nE1 b 0 a 0 2 x=1\n.op\n.end\n");
  EXPECT_EQ(e.loc.line, 4);
}

TEST(DeviceDescriptors, UnknownModelParameterNamesTheValidOnesWithAliases) {
  Error e = loadError("t\nV1 a 0 1\nD1 a 0 dm\n.model dm d is=1e-14 bogus=2\n.op\n.end\n");
  EXPECT_EQ(e.code, ErrorCode::Semantic);
  EXPECT_EQ(e.message,
            "unknown parameter 'bogus' in diode model 'dm'; expected one of: is, js, n, jsw, ns, rs, cjo, cj0, cj, vj, "
            "pb, m, mj, fc, cjp, cjsw, php, mjsw, fcs, tt, ttt1, ttt2, tm1, tm2, bv, ibv, ib, nbv, tcv, trs1, trs, trs2, "
            "tbv1, tbv2, tikf, nbvl, ibvl, tlev, tlevc, eg, xti, cta, ctc, ctp, tpb, tvj, tphp, jtun, jtunsw, ntun, "
            "xtitun, keg, isr, nr, ikf, ik, ikr, area, pj, tnom, tref, kf, af, fv_max, bv_max, id_max, pd_max, te_max, "
            "rth0, cth0, lm, lp, wm, wp, xom, xoi, xm, xp, level");
  EXPECT_EQ(e.loc.line, 4);
  EXPECT_EQ(e.loc.col, 22);
  e = loadError("t\nV1 a 0 1\nV2 c 0 1\nS1 a 0 c 0 sm\n.model sm sw ron=1 it=1\n.op\n.end\n");
  EXPECT_EQ(e.message, "unknown parameter 'it' in switch model 'sm'; expected one of: ron, roff, vt, vh");
  // a kind with hundreds of parameters (BSIM4): the close names, not a 15 kB list
  e = loadError("t\nV1 d 0 1\nM1 d d 0 0 nch l=1u w=1u\n.model nch nmos level=54 tox=4n\n.op\n.end\n");
  EXPECT_EQ(e.message.rfind("unknown parameter 'tox' in MOSFET model 'nch'; close names: toxe, toxp, toxm, toxref, dtox, "
                            "ntox (", 0), 0u) << e.message;
  EXPECT_NE(e.message.find("model parameters in all; docs/devices.md lists them)"), std::string::npos) << e.message;
  EXPECT_LT(e.message.size(), 200u);
}

TEST(DeviceDescriptors, AliasesReadTheSameParameter) {
  const dev::DeviceKind& q = *dev::findKind('q');
  ir::Device d;
  d.name = "q1";
  d.letter = 'q';
  ir::Model m;
  m.type = "npn";
  m.params = {{"va", 50.0, {}}, {"me", 0.5, {}}};
  dev::ParamValues P(q, d, &m);
  EXPECT_EQ(P.model("vaf"), 50.0);
  EXPECT_TRUE(P.hasModel("vaf"));
  EXPECT_EQ(P.model("mje"), 0.5);
  EXPECT_EQ(P.model("vje"), 0.75);  // default
  EXPECT_FALSE(P.hasModel("vje"));
  EXPECT_EQ(P.model("rbm", 7.0), 7.0);  // context default
  m.params.push_back({"vaf", 80.0, {}});  // the name wins over its alias
  EXPECT_EQ(P.model("vaf"), 80.0);
  d.params = {{"area", 2.0, {}}};
  EXPECT_EQ(P.inst("area"), 2.0);
  EXPECT_EQ(P.inst("m"), 1.0);
}

// ParamIndex (the set-up's look-ups by hash, each model resolved once) gives
// what the scans of the descriptor give: for every kind, every name and alias
// in both scopes, with names and aliases given, a duplicate (the first wins),
// the name beside its alias (the name wins) and unknown names; and it checks a
// model's names as checkModelParams does, with the same error.
TEST(DeviceDescriptors, ParamIndexGivesWhatTheScansGive) {
  int compared = 0;
  for (const dev::DeviceKind& kind : dev::registry()) {
    const dev::ParamIndex index(kind);
    ir::Device d;
    d.name = "x1";
    d.letter = kind.letter;
    ir::Model m;
    m.name = "mx";
    double v = 1.0;
    // give every other spelling of every parameter (aliases included), a few twice
    int k = 0;
    for (const dev::ParamSpec& p : kind.params) {
      std::vector<const char*> names = {p.name};
      for (const char* a : p.aliases)
        if (a) names.push_back(a);
      for (const char* n : names) {
        if (++k % 2 == 0) continue;
        auto& list = p.scope == dev::ParamScope::Instance ? d.params : m.params;
        list.push_back({n, v++, {}});
        if (k % 7 == 1) list.push_back({n, v++, {}});  // a duplicate: the first counts
      }
    }
    const dev::ParamValues plain(kind, d, &m), indexed(index, d, &m);
    auto same = [](double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; };
    for (const dev::ParamSpec& p : kind.params) {
      std::vector<const char*> names = {p.name};
      for (const char* a : p.aliases)
        if (a) names.push_back(a);
      for (const char* n : names) {
        EXPECT_EQ(index.find(p.scope, n), kind.find(p.scope, n)) << kind.name << " " << n;
        if (p.vector) continue;
        if (p.scope == dev::ParamScope::Instance) {
          EXPECT_TRUE(same(indexed.inst(n), plain.inst(n))) << kind.name << " " << n;
          EXPECT_TRUE(same(indexed.inst(n, -3.0), plain.inst(n, -3.0))) << kind.name << " " << n;
          EXPECT_EQ(indexed.hasInst(n), plain.hasInst(n)) << kind.name << " " << n;
        } else {
          EXPECT_TRUE(same(indexed.model(n), plain.model(n))) << kind.name << " " << n;
          EXPECT_TRUE(same(indexed.model(n, -3.0), plain.model(n, -3.0))) << kind.name << " " << n;
          EXPECT_EQ(indexed.hasModel(n), plain.hasModel(n)) << kind.name << " " << n;
        }
        ++compared;
      }
    }
    EXPECT_EQ(index.find(dev::ParamScope::Model, "no_such_name"), nullptr);
    EXPECT_TRUE(same(indexed.model("no_such_name"), plain.model("no_such_name")));
    EXPECT_TRUE(same(indexed.inst("no_such_name", 2.0), plain.inst("no_such_name", 2.0)));
    // names checked as checkModelParams checks them, once per model
    const Status a = dev::checkModelParams(kind, m), b = index.checkModel(m);
    EXPECT_EQ(bool(a), bool(b)) << kind.name;
    EXPECT_TRUE(bool(index.checkInstance(d)) == bool(dev::checkInstanceParams(kind, d))) << kind.name;
    ir::Model bad = m;
    bad.params.push_back({"no_such_name", 1.0, {}});
    const Status e1 = dev::checkModelParams(kind, bad), e2 = index.checkModel(bad);
    ASSERT_FALSE(e1);
    ASSERT_FALSE(e2);
    EXPECT_EQ(e1.error().message, e2.error().message);
    EXPECT_FALSE(index.checkModel(bad)) << "a failed model is not remembered as checked";
  }
  EXPECT_GT(compared, 1000);
}

TEST(DeviceDescriptors, ModelTypeMessagesComeFromTheDescriptor) {
  ir::ParseOptions po;
  auto r = ir::parseNetlist("t\nM1 d g 0 0 qm\n.model qm npn\n.op\n.end\n", po);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("model 'qm' is a npn model, M needs nmos or pmos or vdmos"), std::string::npos)
      << r.error().message;
  r = ir::parseNetlist("t\nN1 a 0 1\n.end\n", po);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("(known: R C L K V I E G F H D Q M S W J T Z O Y P U A B X)"), std::string::npos) << r.error().message;
}

// ---- describe()

TEST(Describe, CountsNodesAndBranchCurrents) {
  auto d = describe(R"(title
V1 in 0 DC 1
R1 in a 1k
L1 a b 1m
C1 b 0 1u
E1 e 0 in 0 2
H1 h 0 V1 1k
F1 0 f V1 2
G1 0 g in 0 1m
RF f 0 1
RG g 0 1
.op
.end
)");
  ASSERT_TRUE(d.ok()) << d.error().format();
  EXPECT_EQ(d.value().nodes, 7);     // in a b e h f g
  EXPECT_EQ(d.value().branches, 4);  // V1 L1 E1 H1
  EXPECT_EQ(d.value().unknowns, 11);
  EXPECT_EQ(d.value().points, 1);
  ASSERT_EQ(d.value().analyses.size(), 1u);
  EXPECT_EQ(d.value().analyses[0].type, AnalysisType::Op);
  std::string kinds;
  for (const auto& k : d.value().devices) kinds += std::string(1, k.letter) + std::to_string(k.count) + " ";
  EXPECT_EQ(kinds, "r3 c1 l1 v1 e1 g1 f1 h1 ");
  EXPECT_EQ(d.value().devices[0].kind, "resistor");
}

TEST(Describe, AnInvertedDigitalPortIsItsNode) {
  // XSPICE's ~d (an inverted port) is node d
  auto d = describe("title\nv1 in 0 1\naadc [in] [~d] adc1\n.model adc1 adc_bridge\naout [~d d] [p q] dac1\n"
                    ".model dac1 dac_bridge\nrp p 0 1k\nrq q 0 1k\n.op\n.end\n");
  ASSERT_TRUE(d.ok()) << d.error().format();
  EXPECT_EQ(d.value().nodes, 4);  // in d p q
}

TEST(Describe, ExpandsSubcircuitsPerInstance) {
  auto d = describe(R"(title
.subckt opamp inp inn out
EGAIN a 0 inp inn 1e5
RP a b 1k
CP b 0 1u
EBUF c 0 b 0 1
ROUT c out 10
.ends opamp
VIN in 0 DC 1
X1 0 in out opamp
X2 0 out out2 opamp
.op
.end
)");
  ASSERT_TRUE(d.ok()) << d.error().format();
  EXPECT_EQ(d.value().unknowns, 14);  // top: in out out2 + VIN; each X: a b c + 2 E
}

TEST(Describe, PointsPerAnalysis) {
  auto points = [](const std::string& cards, const DescribeOptions& o = {}) -> std::int64_t {
    auto d = describe("t\nV1 in 0 1\nR1 in 0 1k\n.param tend=1m\n" + cards + "\n.end\n", {}, o);
    EXPECT_TRUE(d.ok()) << cards << ": " << (d.ok() ? "" : d.error().format());
    return d.ok() ? d.value().points : -1;
  };
  EXPECT_EQ(points(".op"), 1);
  EXPECT_EQ(points(".tran 50n 2m"), 40001);
  EXPECT_EQ(points(".tran 1n 1u 0 0.1n"), 10001);  // tmax below tstep
  EXPECT_EQ(points(".tran 1u {tend}"), 1001);
  EXPECT_EQ(points(".ac dec 20 10 1meg"), 101);
  EXPECT_EQ(points(".ac oct 10 1k 8k"), 31);
  EXPECT_EQ(points(".ac lin 50 1 100"), 50);
  EXPECT_EQ(points(".dc V1 -2 2 0.05"), 81);
  EXPECT_EQ(points(".op\n.tran 1u 1m"), 1002);
  DescribeOptions o;
  o.tstop = 5e-3;
  EXPECT_EQ(points(".tran 1u {tend}", o), 5001);
  o = {};
  o.analyses = {".ac dec 10 1 1meg", ".op"};
  EXPECT_EQ(points(".tran 1u {tend}", o), 62);
  ir::ParseOptions po;
  po.paramOverrides = {{"tend", 2e-3}};
  auto d = describe("t\nV1 in 0 1\nR1 in 0 1k\n.param tend=1m\n.tran 1u {tend}\n.end\n", po);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().points, 2001);
}

TEST(Describe, TwoSweepDcMultiplies) {
  auto d = describe("t\nVDS d 0 1\nVGS g 0 1\nM1 d g 0 0 nm\n.model nm nmos\n.dc VDS 0 5 0.1 VGS 0 3 1\n.end\n");
  ASSERT_TRUE(d.ok()) << d.error().format();
  EXPECT_EQ(d.value().points, 51 * 4);
}

TEST(Describe, ParseErrorsKeepTheirPlace) {
  ir::ParseOptions po;
  po.fileName = "bad.cir";
  auto d = describe("t\nR1 a 0 1k\nR2 a\n.op\n.end\n", po);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::Parse);
  EXPECT_EQ(d.error().loc.file, "bad.cir");
  EXPECT_EQ(d.error().loc.line, 3);
  DescribeOptions o;
  o.analyses = {"R9 a 0 1"};
  d = describe("t\nR1 a 0 1k\n.op\n.end\n", {}, o);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().loc.file, "<analyses>");
}

// ---- generated docs

TEST(DeviceDocs, TablesComeFromTheDescriptor) {
  const std::string t = docs::paramTables(*dev::findKind('d'));
  EXPECT_NE(t.find("| instance | default | unit | meaning |"), std::string::npos) << t;
  EXPECT_NE(t.find("| IS (JS) | 1e-14 | A | saturation current (per area"), std::string::npos) << t;
  EXPECT_NE(t.find("| CJO (CJ0, CJ) | 0 | F |"), std::string::npos) << t;
  EXPECT_NE(t.find("| off | off |  | start the operating point"), std::string::npos) << t;
  EXPECT_NE(t.find("| TNOM (TREF) | .options tnom | °C |"), std::string::npos) << t;
}

TEST(DeviceDocs, RegenerateReplacesStaleBlocksAndNeedsEveryKind) {
  std::string all;
  for (const dev::DeviceKind& k : dev::registry())
    if (!k.params.empty()) {
      // a letter's first kind by its letter, the others by letter/model type
      const std::string key =
          std::string(1, k.letter) + (dev::findKind(k.letter) == &k ? "" : std::string("/") + k.modelTypes[0]);
      all += "x\n<!-- BEGIN GENERATED params:" + key + " -->\nstale\n<!-- END GENERATED params:" + key + " -->\ny\n";
    }
  auto r = docs::regenerate(all);
  ASSERT_TRUE(r.ok()) << r.error().format();
  EXPECT_EQ(r.value().find("stale"), std::string::npos);
  EXPECT_NE(r.value().find(docs::paramTables(*dev::findKind('q'))), std::string::npos);
  auto again = docs::regenerate(r.value());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value(), r.value());  // idempotent

  const std::string withoutR = all.substr(all.find("<!-- END GENERATED params:r -->") + 32);
  auto missing = docs::regenerate(withoutR);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("resistor"), std::string::npos) << missing.error().message;
  auto open = docs::regenerate("a\n<!-- BEGIN GENERATED params:d -->\nb\n");
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.error().loc.line, 2);

  // the XSPICE port-type table, from devices/port_types.hpp
  auto ports = docs::regenerate(all + "<!-- BEGIN GENERATED port-types -->\nstale-port-rows\n<!-- END GENERATED port-types -->\nz\n");
  ASSERT_TRUE(ports.ok()) << ports.error().format();
  EXPECT_EQ(ports.value().find("stale-port-rows"), std::string::npos);
  EXPECT_NE(ports.value().find(docs::portTypeTable()), std::string::npos);
  EXPECT_NE(docs::portTypeTable().find("| `%vnam` | a voltage source's name |"), std::string::npos) << docs::portTypeTable();
  auto portsAgain = docs::regenerate(ports.value());
  ASSERT_TRUE(portsAgain.ok());
  EXPECT_EQ(portsAgain.value(), ports.value());
  EXPECT_FALSE(docs::regenerate(all + "<!-- BEGIN GENERATED port-types -->\nstale-port-rows\n").ok());
}

TEST(DeviceDocs, TypedBlocksForLettersWithSeveralKinds) {
  // a block per kind: "params:a" for a letter's first kind, or "params:a/gain"
  // (any kind by its model type), "params:a/pwm" ...
  std::string all;
  for (const dev::DeviceKind& k : dev::registry()) {
    if (k.params.empty()) continue;
    const std::string tag = std::string(1, k.letter) + (k.letter == 'a' ? std::string("/") + k.modelTypes[0]
                                                        : dev::findKind(k.letter) == &k ? "" : std::string("/") + k.modelTypes[0]);
    all += "<!-- BEGIN GENERATED params:" + tag + " -->\n<!-- END GENERATED params:" + tag + " -->\n";
  }
  auto r = docs::regenerate(all);
  ASSERT_TRUE(r.ok()) << r.error().format();
  EXPECT_NE(r.value().find(docs::paramTables(*dev::findKind('a', "pwm"))), std::string::npos);
  EXPECT_NE(r.value().find("| CARRIER | triangle |"), std::string::npos);  // a keyword default
  EXPECT_NE(r.value().find("| IN_GAIN [ ] | 1 |"), std::string::npos);    // a vector
  // every kind needs its block
  const std::string tag = "<!-- BEGIN GENERATED params:a/pwm -->\n<!-- END GENERATED params:a/pwm -->\n";
  std::string withoutPwm = all;
  withoutPwm.erase(withoutPwm.find(tag), tag.size());
  auto missing = docs::regenerate(withoutPwm);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("PWM generator (<!-- BEGIN GENERATED params:a/pwm -->)"), std::string::npos)
      << missing.error().message;
  auto unknown = docs::regenerate("<!-- BEGIN GENERATED params:a/nosuch -->\n<!-- END GENERATED params:a/nosuch -->\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("a/nosuch"), std::string::npos) << unknown.error().message;
}

TEST(DeviceDocs, DevicesMdIsUpToDate) {
  std::ifstream in(std::string(SIMCORE_SOURCE_DIR) + "/docs/devices.md", std::ios::binary);
  ASSERT_TRUE(in) << "docs/devices.md not found";
  std::stringstream ss;
  ss << in.rdbuf();
  auto r = docs::regenerate(ss.str());
  ASSERT_TRUE(r.ok()) << r.error().format();
  EXPECT_TRUE(r.value() == ss.str()) << "docs/devices.md is out of date: run `make docs`";
}

TEST(Describe, ReplaceAnalysesKeepsTheCircuitAndRejectsOtherCards) {
  auto c = ir::parseNetlist("t\nV1 a 0 1\nR1 a 0 1k\n.op\n.end\n");
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(replaceAnalyses(c.value(), {".tran 1u 1m", ".ac dec 10 1 1k"}).ok());
  ASSERT_EQ(c.value().analyses.size(), 2u);
  EXPECT_EQ(c.value().analyses[0].kind, ir::AnalysisKind::Tran);
  EXPECT_EQ(c.value().analyses[1].kind, ir::AnalysisKind::Ac);
  EXPECT_EQ(c.value().devices.size(), 2u);
  auto s = replaceAnalyses(c.value(), {".op", "R2 a 0 1"});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().loc.file, "<analyses>");
  EXPECT_EQ(c.value().analyses.size(), 2u);  // unchanged on error
  EXPECT_FALSE(replaceAnalyses(c.value(), {".tran -1u 1m"}).ok());
}
