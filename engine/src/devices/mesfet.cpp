// Z: GaAs MESFET, level 1 as in ngspice 39 (Statz et al., ngspice's `mes`),
// `Z d g s model [area] [area=] [m=] [off]` with NMF/PMF models.
//   vgst = vgs' - VTO; cutoff vgst <= 0
//   beta' = BETA*area*(1 + LAMBDA*vds'), sat = beta'*vgst^2/(1 + B*vgst)
//   saturation vds' >= 3/ALPHA: id = sat
//   linear:                     id = sat*(1 - (1 - ALPHA*vds'/3)^3)
//   (source and drain swap when vds' < 0).
// Gate-source and gate-drain diodes: IS*area*(exp(v/vt0) - 1) with SPICE's
// reverse extension and gmin, vt0 the thermal voltage at 27 degC (the level-1
// model has no temperature dependence in ngspice 39). Gate charge: Statz's
// Qg(vgs, vgd) with CGS, CGD (times area), PB, Vcap = 1/ALPHA, delta = 0.2 V and
// Vmax = 0.5 V:
//   Veff1,2 = (vgs + vgd +- sqrt((vgs - vgd)^2 + Vcap^2))/2
//   Vnew = (Veff1 + VTO + sqrt((Veff1 - VTO)^2 + delta^2))/2
//   Qg = CGS*2 PB (1 - sqrt(1 - Vnew/PB)) + CGD*Veff2, continued linearly in Vnew above Vmax.
// One charge split between the gate-source and gate-drain branches the way
// ngspice does in a transient: over a step from (vgs1, vgd1) (the accepted
// point) to (vgs, vgd), qgs moves by the mean of Qg's change along vgs at vgd
// and at vgd1, qgd likewise along vgd; at DC and in AC, Cgs = dQg/dvgs and
// Cgd = dQg/dvgd. RD, RS divided by area. m multiplies the whole device
// (ngspice 39 reads m= as the area: the same currents and charges).
// Local terminals: 0 d, 1 g, 2 s, 3 d', 4 s' (d' == d when RD = 0, likewise s').
#include <algorithm>
#include <cmath>

#include "devices/common.hpp"
#include "devices/gate_fet_frame.hpp"
#include "devices/noise.hpp"
#include "devices/semiconductor.hpp"

namespace simcore::dev {
namespace {

enum : int { D = 0, G = 1, S = 2, DP = 3, SP = 4 };
struct Layout {
  static constexpr int terminals = 5;
  static constexpr bool mask[terminals][terminals] = {
      // D  G  S  D' S'
      {1, 0, 0, 1, 0},  // D   RD
      {0, 1, 0, 1, 1},  // G   diodes, gate charge
      {0, 0, 1, 0, 1},  // S   RS
      {1, 1, 0, 1, 1},  // D'  channel, gate-drain diode and charge, RD
      {0, 1, 1, 1, 1},  // S'  channel, gate-source diode and charge, RS
  };
  static constexpr int states = 2;  // qgs, qgd (each depends on vgs and vgd in a transient)
  static constexpr int chargeFrom[states] = {G, G};
  static constexpr int chargeTo[states] = {SP, DP};
  static constexpr int series = 2;  // RD, RS
  static constexpr gatefet::Terminals at = {D, G, S, DP, G, SP, SP, DP};  // no gate resistance, RI or RF
};
constexpr int kStates = Layout::states;
using Stamp = semi::LocalStamp<Layout>;
using Lin = semi::Linearisation<Layout>;

constexpr double kDelta = 0.2;  // V, Statz's smoothing of the threshold in Qg
constexpr double kVmax = 0.5;   // V, where Qg continues linearly in Vnew

struct MesInst {
  double sign, mult;  // polarity; m
  double vt, vto, beta, lambda, b, alpha;
  double is, vcrit;
  double gd, gs;
  double cgs, cgd, pb;  // zero-bias charge coefficients (area and m applied), PB
};

// Gate charge Qg(vgs, vgd) and its partial derivatives.
struct GateCharge {
  double q, cs, cd;
};
GateCharge statzCharge(const MesInst& p, double vgs, double vgd) {
  if (p.cgs == 0 && p.cgd == 0) return {0, 0, 0};
  const double vcap = 1.0 / p.alpha, dv = vgs - vgd;
  const double root = std::sqrt(dv * dv + vcap * vcap);
  const double veff1 = 0.5 * (vgs + vgd + root), veff2 = veff1 - root;
  const double nroot = std::sqrt((veff1 - p.vto) * (veff1 - p.vto) + kDelta * kDelta);
  double vnew = 0.5 * (veff1 + p.vto + nroot), ext = 0.0;
  if (vnew >= kVmax) {
    ext = (vnew - kVmax) / std::sqrt(1.0 - kVmax / p.pb);
    vnew = kVmax;
  }
  const double s = std::sqrt(1.0 - vnew / p.pb);
  const double dnew = 0.5 * (1.0 + (veff1 - p.vto) / nroot);  // dVnew/dVeff1
  const double e1s = 0.5 * (1.0 + dv / root);                // dVeff1/dvgs = dVeff2/dvgd
  const double e1d = e1s - dv / root;                        // dVeff1/dvgd = dVeff2/dvgs
  return {p.cgs * (2.0 * p.pb * (1.0 - s) + ext) + p.cgd * veff2, p.cgs / s * dnew * e1s + p.cgd * e1d,
          p.cgs / s * dnew * e1d + p.cgd * e1s};
}

// Channel current d' -> s' in normal mode (vds >= 0) and its partial derivatives.
struct Channel {
  double i, dvgs, dvds;
};
Channel normalMode(const MesInst& p, double vgs, double vds) {
  const double vgst = vgs - p.vto;
  if (vgst <= 0) return {0, 0, 0};
  const double prod = 1.0 + p.lambda * vds, betap = p.beta * prod;
  const double inv = 1.0 / (1.0 + p.b * vgst);
  const double sat = vgst * vgst * inv;                        // id/betap in saturation
  const double dsat = vgst * (2.0 + p.b * vgst) * inv * inv;  // its derivative in vgst
  if (vds >= 3.0 / p.alpha) return {betap * sat, betap * dsat, p.lambda * p.beta * sat};
  const double a = 1.0 - p.alpha * vds / 3.0, lf = 1.0 - a * a * a;
  return {betap * sat * lf, betap * dsat * lf, p.beta * sat * (p.alpha * a * a * prod + lf * p.lambda)};
}

// The gate charges and their accepted values: one per instance.
struct GateState {
  double vgs = 0, vgd = 0, qgs = 0, qgd = 0;
};

// Resistive part at local voltages V into s; the charges into q. With
// `from` (a transient step from an accepted point) the charges are split as
// ngspice splits them; without, both states hold Qg with the diagonal
// capacitances (DC, AC, the initial point). Returns the gate state at V.
GateState evaluate(const MesInst& p, const double* V, double gmin, Stamp& s, double* q, const GateState* from) {
  if (p.gd > 0) s.conductance(D, DP, p.gd, V);
  if (p.gs > 0) s.conductance(S, SP, p.gs, V);
  const double vgs = V[G] - V[SP], vgd = V[G] - V[DP], vds = vgs - vgd;
  const double g = gmin * p.mult;
  const auto js = semi::junctionCurrent(vgs, p.is, p.vt);
  s.current(G, SP, js.i + g * vgs);
  s.slope(G, SP, G, SP, js.g + g);
  const auto jd = semi::junctionCurrent(vgd, p.is, p.vt);
  s.current(G, DP, jd.i + g * vgd);
  s.slope(G, DP, G, DP, jd.g + g);
  Channel ch;
  if (vds >= 0) {
    ch = normalMode(p, vgs, vds);
  } else {  // inverse: the drain acts as the source
    const Channel r = normalMode(p, vgd, -vds);
    ch = {-r.i, -r.dvgs, r.dvgs + r.dvds};
  }
  s.current(DP, SP, ch.i);
  s.slope(DP, SP, G, SP, ch.dvgs);
  s.slope(DP, SP, DP, SP, ch.dvds);
  const GateCharge a = statzCharge(p, vgs, vgd);
  GateState out{vgs, vgd, a.q, a.q};
  if (!from) {
    s.capacitance(0, G, SP, a.cs);
    s.capacitance(1, G, DP, a.cd);
  } else {
    const double vgs1 = from->vgs, vgd1 = from->vgd;
    const GateCharge b = statzCharge(p, vgs1, vgd), c = statzCharge(p, vgs, vgd1), d = statzCharge(p, vgs1, vgd1);
    out.qgs = from->qgs + 0.5 * (a.q - b.q + c.q - d.q);
    out.qgd = from->qgd + 0.5 * (a.q - c.q + b.q - d.q);
    s.capacitance(0, G, SP, 0.5 * (a.cs + c.cs));
    s.capacitance(0, G, DP, 0.5 * (a.cd - b.cd));
    s.capacitance(1, G, DP, 0.5 * (a.cd + b.cd));
    s.capacitance(1, G, SP, 0.5 * (a.cs - c.cs));
  }
  q[0] = out.qgs;
  q[1] = out.qgd;
  return out;
}

class Mesfets final : public gatefet::Frame<Mesfets, Layout, MesInst, GateState> {
 public:
  using Frame::Frame;
  // ngspice's @z1[cd], @z1[cg], @z1[is]: currents into the drain, gate and source
  static constexpr semi::TerminalCurrent kCurrents[] = {{"cd", D, DP}, {"cg", G, G}, {"is", S, SP}};
  static constexpr const char* kInternalNodes[] = {"drain", "source", "", "", ""};

  Status setupInstance(SetupContext& ctx, const ir::Device& d, std::size_t i) {
    const ir::Model* mod = ctx.model(d);
    if (!mod) return deviceError(d, "MESFET '" + d.name + "' needs an nmf or pmf model");
    const ParamValues P = values(d, mod);
    const double level = P.model("level");
    if (mod->type != "nmf" && mod->type != "pmf")
      return deviceError(d, "Z '" + d.name + "': an " + mod->type +
                                " model needs LEVEL=5 (HFET1) or 6 (HFET2); the Statz MESFET (level 1) takes nmf or "
                                "pmf models");
    if (level != 0 && level != 1)
      return deviceError(d, "Z level " + valueText(level) +
                                " is not supported; simcore has levels 1 (the Statz MESFET), 2-4 (MESA) and 5-6 (HFET)");
    if (auto s = checkInstance(d); !s) return s;
    if (auto s = checkModel(*mod); !s) return s;
    if (auto s = setupParams(d, *mod, P, p_[i]); !s) return s;
    off_[i] = P.hasInst("off");
    return {};
  }

  double polarity(std::size_t i) const { return p_[i].sign; }

  static GateState model(const MesInst& p, const double* V, double gmin, Stamp& s, double* q, const GateState* from) {
    return evaluate(p, V, gmin, s, q, from);
  }
  static bool limitGate(const MesInst& p, double& vgs, double& vgd, double vgsOld, double vgdOld, bool init, bool off) {
    return semi::gateJunctionLimit(vgs, vgd, vgsOld, vgdOld, p.vt, p.vcrit, p.vto, init, off);
  }

  // ---- .noise (as ngspice's): RD and RS thermal, channel thermal
  // 4 k T (2/3) |gm| and flicker m KF |Id/m|^AF / f between d' and s' (Id the
  // drain terminal's current).
  void noise(NoiseContext& c) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      const MesInst& p = p_[i];
      const auto& nd = nodes_[i];
      double V[kN], q[kStates];
      for (int k = 0; k < kN; ++k) V[k] = p.sign * c.xop[nd[k]];
      Stamp st;
      evaluate(p, V, c.gmin, st, q, nullptr);
      const double cd = st.I[D] + st.I[DP];  // RD's current cancels
      const double vgs = V[G] - V[SP], vgd = V[G] - V[DP], vds = vgs - vgd;
      const double gm = std::fabs(vds >= 0 ? normalMode(p, vgs, vds).dvgs : normalMode(p, vgd, -vds).dvgs);
      c.thermal(d, "_rd", nd[DP], nd[D], p.gd);
      c.thermal(d, "_rs", nd[SP], nd[S], p.gs);
      c.thermal(d, "_id", nd[DP], nd[SP], 2.0 / 3.0 * gm);
      const ParamValues P = values(d, c.model(d));
      const double kf = P.model("kf", 0.0), af = P.model("af", 1.0);
      c.flicker(d, "_1overf", nd[DP], nd[SP], p.mult * NoiseContext::flickerCoef(kf, af, cd / p.mult));
    }
  }

 private:
  static Status setupParams(const ir::Device& d, const ir::Model& m, const ParamValues& P, MesInst& p) {
    const auto bad = [&](const std::string& what) { return deviceError(d, "MESFET '" + d.name + "': " + what); };
    p.sign = m.type == "pmf" ? -1.0 : 1.0;
    const double mult = P.inst("m");
    const double area = P.hasInst("area") ? P.inst("area") : d.value ? *d.value : 1.0;
    if (!(mult > 0) || !(area > 0)) return bad("area and m must be positive");
    p.mult = mult;
    p.vt = semi::thermalVoltage(semi::kRefTemp);
    p.vto = P.model("vto");
    p.alpha = P.model("alpha");
    if (!(p.alpha > 0)) return bad("ALPHA must be positive");
    p.beta = P.model("beta") * area * mult;
    p.lambda = P.model("lambda");
    p.b = P.model("b");
    const double is = P.model("is");
    if (is < 0) return bad("IS must not be negative");
    p.vcrit = is > 0 ? p.vt * std::log(p.vt / (semi::kSqrt2 * is)) : 1e30;  // no diodes: no forward limit
    p.is = is * area * mult;
    const double rd = P.model("rd"), rs = P.model("rs");
    if (rd < 0 || rs < 0) return bad("RD and RS must not be negative");
    p.gd = rd > 0 ? area * mult / rd : 0.0;
    p.gs = rs > 0 ? area * mult / rs : 0.0;
    p.cgs = P.model("cgs") * area * mult;
    p.cgd = P.model("cgd") * area * mult;
    p.pb = P.model("pb");
    if ((p.cgs != 0 || p.cgd != 0) && !(p.pb > kVmax))
      return bad("PB must exceed 0.5 V (the gate charge continues linearly above Vmax = 0.5 V)");
    return {};
  }
};

constexpr const char* kTypes[] = {"nmf", "pmf", "nhfet", "phfet"};
constexpr ParamSpec kParams[] = {
    iparam("area", 1.0, "", "area factor (also the positional value after the model; ngspice 39 ignores that one)"),
    iparam("m", 1.0, "", "parallel copies (ngspice 39 reads it as the area: the same result)"),
    flagParam("off", "start the operating point with the device off"),
    iparam("icvds", kNoDefault, "V", "initial d-s voltage (uic; also IC=vds,vgs): accepted and ignored").shown("—"),
    iparam("icvgs", kNoDefault, "V", "initial g-s voltage (uic): accepted and ignored").shown("—"),
    mparam("level", 1.0, "", "model level: 1 (Statz); 2-4 select MESA, 5-6 HFET (their own parameters)"),
    mparam("vto", -2.0, "V", "pinch-off voltage").aka("vt0"),
    mparam("beta", 2.5e-3, "A/V²", "transconductance"),
    mparam("b", 0.3, "1/V", "doping tail extending parameter"),
    mparam("alpha", 2.0, "1/V", "saturation voltage parameter (the linear region ends at vds = 3/ALPHA)"),
    mparam("lambda", 0.0, "1/V", "channel-length modulation"),
    mparam("rd", 0.0, "Ω", "drain resistance (an internal node when > 0)"),
    mparam("rs", 0.0, "Ω", "source resistance (an internal node when > 0)"),
    mparam("cgs", 0.0, "F", "zero-bias gate-source capacitance"),
    mparam("cgd", 0.0, "F", "zero-bias gate-drain capacitance"),
    mparam("pb", 1.0, "V", "gate junction potential"),
    mparam("is", 1e-14, "A", "gate diode saturation current"),
    mparam("fc", 0.5, "", "forward-bias depletion capacitance coefficient: accepted, unused by the Statz charge (as ngspice 39)"),
    kKfNoiseParam, kAfNoiseParam,
};

}  // namespace

extern const DeviceKind kMesfetKind;
constexpr DeviceKind kMesfetKind{
    .letter = 'z', .name = "MESFET", .form = CardForm::ModelCard, .minNodes = 3, .maxNodes = 3,
    .modelTypes = kTypes, .params = kParams, .positional = "area",
    .valueDoc = "Zname d g s model [area] [area=value] [m=value] [off] [ic=vds,vgs]", .create = makeGroup<Mesfets, kMesfetKind>};

}  // namespace simcore::dev
