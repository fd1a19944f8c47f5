// U cards (uniform RC lines): replaced by ngspice's ladder of lumped segments
// (devices/urc.hpp), with ngspice's names: nodes u1#lo1 .. u1#lo(N-1) and
// u1#hi1 .. u1#hiN, devices u1#rloI u1#rhiI u1#cloI u1#chiI (u1#dloI u1#dhiI
// with ISPERL, of the diode model u1#diodemod).
#include <cmath>

#include "devices/descriptor.hpp"
#include "devices/urc.hpp"
#include "netlist/frontend.hpp"

namespace simcore::netlist {

namespace {

[[noreturn]] void failStatus(const Error& e) { fail(e.code, e.message, e.loc); }

const SourceLoc& paramLoc(const ir::Device& d, const char* name) {
  for (const ir::Param& p : d.params)
    if (p.name == name) return p.loc;
  return d.loc;
}

}  // namespace

void Frontend::urcLine(Frame& f, const Card& c, ir::Device&& u) {
  const dev::DeviceKind* kind = kinds_.find('u');
  const ir::Model& m = c_.models[static_cast<std::size_t>(u.model)];
  if (auto s = dev::checkInstanceParams(*kind, u); !s) failStatus(s.error());
  if (auto s = dev::checkModelParams(*kind, m); !s) failStatus(s.error());
  const std::string what = "uniform RC line '" + u.name + "'";
  const dev::ParamValues P(*kind, u, &m);

  dev::UrcSpec spec;
  if (!P.hasInst("l")) fail(ErrorCode::Semantic, what + " needs its length l=", u.loc);
  spec.length = P.inst("l");
  if (!(spec.length > 0)) fail(ErrorCode::Semantic, what + ": length l must be positive", paramLoc(u, "l"));
  if (P.hasInst("n")) {
    const double n = std::floor(0.5 + P.inst("n"));  // an integer parameter, rounded as ngspice reads one
    if (!(n >= 1 && n <= 1e6))
      fail(ErrorCode::Semantic, what + ": lump count n must be between 1 and 1e6", paramLoc(u, "n"));
    spec.lumps = static_cast<int>(n);
  }
  spec.k = P.model("k");
  spec.fmax = P.model("fmax");
  spec.rPerL = P.model("rperl");
  spec.cPerL = P.model("cperl");
  spec.rsPerL = P.model("rsperl");
  if (P.hasModel("isperl")) spec.isPerL = P.model("isperl");
  auto modelLoc = [&](const char* name) {
    for (const ir::Param& p : m.params)
      if (p.name == name) return p.loc;
    return m.loc;
  };
  if (!(spec.k > 0) || spec.k == 1.0)
    fail(ErrorCode::Semantic, "URC model '" + m.name + "': k must be positive and not 1", modelLoc("k"));
  if (!(spec.rPerL > 0)) fail(ErrorCode::Semantic, "URC model '" + m.name + "': rperl must be positive", modelLoc("rperl"));
  if (!(spec.cPerL >= 0)) fail(ErrorCode::Semantic, "URC model '" + m.name + "': cperl must not be negative", modelLoc("cperl"));
  if (!spec.lumps && !(spec.fmax > 0))
    fail(ErrorCode::Semantic, "URC model '" + m.name + "': fmax must be positive", modelLoc("fmax"));
  const dev::UrcLadder lad = dev::urcLadder(spec);
  if (lad.lumps > 1'000'000)
    fail(ErrorCode::Limit, what + ": " + std::to_string(lad.lumps) + " lumps from fmax; give n=", u.loc);
  if (!std::isfinite(lad.r1) || !std::isfinite(lad.c1) || !(lad.r1 > 0))
    fail(ErrorCode::Semantic, what + ": the segment values are not finite (k too close to 1?)", u.loc);

  const std::string leaf = u.name.substr(f.prefix.size());  // u1 of x1.u1
  const std::string n1 = u.nodes[0], n2 = u.nodes[1], gnd = u.nodes[2];
  int diodeModel = -1;
  if (spec.isPerL) {
    ir::Model dm;
    dm.name = u.name + "#diodemod";
    dm.type = "d";
    dm.loc = m.loc;
    dm.params = {ir::Param{"cjo", lad.c1, m.loc, {}}, ir::Param{"rs", lad.rs, m.loc, {}},
                 ir::Param{"is", lad.is1, m.loc, {}}};
    diodeModel = static_cast<int>(c_.models.size());
    c_.models.push_back(std::move(dm));
  }
  auto device = [&](char letter, const std::string& suffix, std::string a, std::string b, double value) {
    ir::Device x;
    x.name = u.name + "#" + suffix;
    x.letter = letter;
    x.nodes = {std::move(a), std::move(b)};
    x.value = value;
    x.loc = u.loc;
    return x;
  };
  // the shunt element of segment i at node `at`: a capacitor, or a diode of area `scale`
  auto shunt = [&](const std::string& side, int i, const std::string& at, double scale) {
    const std::string idx = std::to_string(i);
    if (diodeModel < 0) {
      addDevice(device('c', "c" + side + idx, at, gnd, lad.c1 * scale), c[0]);
      return;
    }
    ir::Device x = device('d', "d" + side + idx, at, gnd, scale);
    x.model = diodeModel;
    addDevice(std::move(x), c[0]);
  };
  std::string left = n1, right = n2;  // the outer nodes of segment i on either side
  for (int i = 1; i <= lad.lumps; ++i) {
    const std::string idx = std::to_string(i);
    const double s = lad.scale[std::size_t(i - 1)];
    const std::string hi = nodeName(f, leaf + "#hi" + idx);
    const std::string lo = i == lad.lumps ? hi : nodeName(f, leaf + "#lo" + idx);
    addDevice(device('r', "rlo" + idx, left, lo, lad.r1 * s), c[0]);
    addDevice(device('r', "rhi" + idx, hi, right, lad.r1 * s), c[0]);
    shunt("lo", i, lo, s);
    if (i != lad.lumps) shunt("hi", i, hi, s);
    left = lo;
    right = hi;
  }
}

}  // namespace simcore::netlist
