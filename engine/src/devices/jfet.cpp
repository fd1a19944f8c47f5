// J: junction FET, level 1 as in ngspice 39 (Shichman-Hodges with the Sydney
// University doping-tail parameter B), `J d g s model [area]` with NJF/PJF models.
//   vgst = vgs' - VTO; cutoff vgst <= 0
//   beta' = BETA*area*(1 + LAMBDA*vds'), Bf = (1 - B)/(PB - VTO)
//   linear vgst >= vds': id = beta'*vds'*(vds'*(Bf*vds' - B) + vgst*(2B + 3Bf*(vgst - vds')))
//   saturation:          id = beta'*vgst^2*(B + Bf*vgst)
//   (B = 1 is the square law beta'*vgst^2); source and drain swap when vds' < 0.
// Gate-source and gate-drain junctions: IS*area*(exp(v/vt) - 1) (emission 1), with
// SPICE's reverse extension and gmin; depletion charges CGS, CGD (grading 1/2, PB, FC).
// RD, RS divided by area. Temperature: IS (EG, XTI only when given, as ngspice), PB
// and the capacitances as SPICE's diode, VTO + VTOTC*dT (else VTO - TCV*dT), BETA*1.01^
// (BETATCE*dT) (else BETA*(T/Tnom)^BEX). m multiplies the whole device; a model M (in
// PSpice the grading coefficient) is, as in ngspice 39, the default of the instance m.
// Local terminals: 0 d, 1 g, 2 s, 3 d', 4 s' (d' == d when RD = 0, likewise s').
#include <algorithm>
#include <cmath>
#include <string_view>
#include <tuple>

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
      {0, 1, 0, 1, 1},  // G   junctions
      {0, 0, 1, 0, 1},  // S   RS
      {1, 1, 0, 1, 1},  // D'  channel, gate-drain junction, RD
      {0, 1, 1, 1, 1},  // S'  channel, gate-source junction, RS
  };
  static constexpr int states = 2;  // qgs, qgd
  static constexpr int chargeFrom[states] = {G, G};
  static constexpr int chargeTo[states] = {SP, DP};
  static constexpr int series = 2;  // RD, RS
  static constexpr bool diagonalCharges = true;  // each state between its own two terminals
  static constexpr gatefet::Terminals at = {D, G, S, DP, G, SP, SP, DP};  // no gate resistance, RI or RF
};
constexpr int kStates = Layout::states;
using Stamp = semi::LocalStamp<Layout>;
using Lin = semi::Linearisation<Layout>;

struct JfetInst {
  double sign, mult;  // polarity; m (multiplies the gmin of the junctions too, as ngspice)
  double vt, vto, beta, lambda, b, bfac;
  double is, vcrit;
  double gd, gs;
  semi::Depletion cgs, cgd;
};

// Channel current d' -> s' in normal mode (vds >= 0) and its partial derivatives.
struct Channel {
  double i, dvgs, dvds;
};
Channel normalMode(const JfetInst& p, double vgs, double vds) {
  const double vgst = vgs - p.vto;
  if (vgst <= 0) return {0, 0, 0};
  const double betap = p.beta * (1.0 + p.lambda * vds);
  if (vgst >= vds) {
    const double apart = 2.0 * p.b + 3.0 * p.bfac * (vgst - vds);
    const double cpart = vds * (vds * (p.bfac * vds - p.b) + vgst * apart);
    return {betap * cpart, betap * vds * (apart + 3.0 * p.bfac * vgst),
            betap * (vgst - vds) * apart + p.beta * p.lambda * cpart};
  }
  const double cpart = vgst * vgst * (p.b + p.bfac * vgst);
  return {betap * cpart, betap * vgst * (2.0 * p.b + 3.0 * p.bfac * vgst), p.beta * p.lambda * cpart};
}

void evaluate(const JfetInst& p, const double* V, double gmin, Stamp& s, double* q) {
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
  const auto qs = p.cgs.at(vgs), qd = p.cgd.at(vgd);
  q[0] = qs.q;
  q[1] = qd.q;
  s.capacitance(0, G, SP, qs.c);
  s.capacitance(1, G, DP, qd.c);
}

// The depletion charges depend on the junction voltages alone: no state of
// the accepted point.
struct GateState {};

class Jfets final : public gatefet::Frame<Jfets, Layout, JfetInst, GateState> {
 public:
  using Frame::Frame;
  // ngspice's savecurrents names, currents into the terminals
  // (in the n-type frame, as ngspice's JFET reports them)
  static constexpr semi::TerminalCurrent kCurrents[] = {{.name = "id", .outer = D, .inner = DP, .nFrame = true},
                                                        {.name = "is", .outer = S, .inner = SP, .nFrame = true},
                                                        {.name = "ig", .outer = G, .inner = G, .nFrame = true}};
  static constexpr const char* kInternalNodes[] = {"d", "s", "", "", ""};

  Status setupInstance(SetupContext& ctx, const ir::Device& d, std::size_t i) {
    if (auto s = checkInstance(d); !s) return s;
    const ir::Model* mod = ctx.model(d);
    if (!mod) return deviceError(d, "JFET '" + d.name + "' needs an njf or pjf model");
    if (auto s = checkModel(*mod); !s) return s;
    const ParamValues P = values(d, mod);
    if (P.model("level") != 1)
      return deviceError(d, "JFET level " + valueText(P.model("level")) +
                                " is not supported; use level 1 (Shichman-Hodges with ngspice's B parameter)");
    if (auto s = setupParams(d, *mod, P, ctx.options(), p_[i]); !s) return s;
    off_[i] = P.hasInst("off");
    gmin_ = ctx.options().gmin;
    return {};
  }

  double polarity(std::size_t i) const { return p_[i].sign; }

  // Beyond the terminal currents (id, is, ig), ngspice's other JFET
  // quantities (@j1[gm]) as its JFETask gives them: in the n-channel frame (a
  // PJF's vgs is positive where it conducts), m included. igd is the gate-drain
  // junction's current, cqgd's charge current with it in a transient; gm and gds
  // the channel's d(id)/d(vgs) and d(id)/d(vds); ggs and ggd the junctions'
  // conductances with gmin, and in a transient the charges' companion
  // conductances (ag0 times the capacitance) too, as ngspice's. p is the power
  // the device takes, the sum of terminal current times terminal voltage
  // (ngspice 39 multiplies a PJF's n-frame currents by the node voltages, the
  // negative of it). In an ac analysis, the operating point's values. (Not
  // qgs and qgd: ngspice 39 gives the capacitances in their place at an .op.)
  static constexpr std::string_view kQuantities[] = {"vgs", "vgd", "igd", "gm", "gds", "ggs", "ggd", "cqgs", "cqgd", "p"};
  int quantityId(std::size_t i, std::string_view param) const override {
    if (const int id = semi::namedQuantityId(kQuantities, param, int(std::size(kCurrents))); id >= 0) return id;
    return Frame::quantityId(i, param);
  }
  double quantity(std::size_t i, int id, const QuantityContext& c) const override {
    if (id < int(std::size(kCurrents))) return Frame::quantity(i, id, c);
    const auto& nd = nodes_[i];
    const JfetInst& p = p_[i];
    double vgs, vgd, iqs = 0, iqd = 0;
    if (c.x) {
      vgs = p.sign * (c.x[nd[G]] - c.x[nd[SP]]);
      vgd = p.sign * (c.x[nd[G]] - c.x[nd[DP]]);
    } else {
      std::tie(vgs, vgd) = acceptedGateVoltages(i);
    }
    if (c.iq) {
      iqs = c.iq[st_[i] + 0];
      iqd = c.iq[st_[i] + 1];
    }
    const double g = gmin_ * p.mult, vds = vgs - vgd;
    const auto js = semi::junctionCurrent(vgs, p.is, p.vt), jd = semi::junctionCurrent(vgd, p.is, p.vt);
    Channel ch;
    if (vds >= 0) {
      ch = normalMode(p, vgs, vds);
    } else {
      const Channel r = normalMode(p, vgd, -vds);
      ch = {-r.i, -r.dvgs, r.dvgs + r.dvds};
    }
    const double igd = jd.i + g * vgd + iqd;
    switch (id - int(std::size(kCurrents))) {
      case 0: return vgs;
      case 1: return vgd;
      case 2: return igd;
      case 3: return ch.dvgs;
      case 4: return ch.dvds;
      case 5: return js.g + g + c.ag0 * p.cgs.at(vgs).c;
      case 6: return jd.g + g + c.ag0 * p.cgd.at(vgd).c;
      case 7: return iqs;
      case 8: return iqd;
      default: {
        if (!c.x) return 0.0;
        const double ig = js.i + g * vgs + iqs + igd, id = ch.i - igd;  // n-frame, into g and d
        return p.sign * (id * c.x[nd[D]] + ig * c.x[nd[G]] - (id + ig) * c.x[nd[S]]);
      }
    }
  }
  std::complex<double> acQuantity(std::size_t i, int id, const std::complex<double>* x, double omega) const override {
    if (id < int(std::size(kCurrents))) return Frame::acQuantity(i, id, x, omega);
    return quantity(i, id, QuantityContext{});  // operating-point values
  }

  static GateState model(const JfetInst& p, const double* V, double gmin, Stamp& s, double* q, const GateState*) {
    evaluate(p, V, gmin, s, q);
    return {};
  }
  static bool limitGate(const JfetInst& p, double& vgs, double& vgd, double vgsOld, double vgdOld, bool init, bool off) {
    return semi::gateJunctionLimit(vgs, vgd, vgsOld, vgdOld, p.vt, p.vcrit, p.vto, init, off);
  }

  // ---- .noise (as ngspice's): RD and RS thermal, channel thermal 4 k T G
  // with G = (2/3) |gm| (NLEV < 3) or, NLEV = 3, (2/3) beta vgst (1 + a + a^2)
  // / (1 + a) GDSNOI, a = 1 - vds/vgst in the linear region, else 0; flicker
  // m KF |Id/m|^AF / f between d' and s' (Id the drain terminal's current).
  void noise(NoiseContext& c) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      const JfetInst& p = p_[i];
      const auto& nd = nodes_[i];
      double V[kN], q[kStates];
      for (int k = 0; k < kN; ++k) V[k] = p.sign * c.xop[nd[k]];
      Stamp st;
      evaluate(p, V, c.gmin, st, q);
      const double cd = st.I[D] + st.I[DP];  // RD's current cancels
      const double vgs = V[G] - V[SP], vgd = V[G] - V[DP], vds = vgs - vgd;
      const double gm = std::fabs(vds >= 0 ? normalMode(p, vgs, vds).dvgs : normalMode(p, vgd, -vds).dvgs);
      c.thermal(d, "_rd", nd[DP], nd[D], p.gd);
      c.thermal(d, "_rs", nd[SP], nd[S], p.gs);
      const ParamValues P = values(d, c.model(d));
      double gch = 2.0 / 3.0 * gm;
      if (P.model("nlev", 0.0) >= 3) {
        const double vgst = vgs - p.vto, alpha = vgst >= vds ? 1.0 - vds / vgst : 0.0;
        gch = vgst > 0 ? 2.0 / 3.0 * p.beta * vgst * (1 + alpha + alpha * alpha) / (1 + alpha) * P.model("gdsnoi", 1.0) : 0.0;
      }
      c.thermal(d, "_id", nd[DP], nd[SP], gch);
      const double kf = P.model("kf", 0.0), af = P.model("af", 1.0);
      c.flicker(d, "_1overf", nd[DP], nd[SP], p.mult * NoiseContext::flickerCoef(kf, af, cd / p.mult));
    }
  }

 private:
  double gmin_ = 1e-12;  // the junctions' gmin at a solution (the quantities)

  static Status setupParams(const ir::Device& d, const ir::Model& m, const ParamValues& P, const ir::Options& o,
                            JfetInst& p) {
    const auto bad = [&](const std::string& what) { return deviceError(d, "JFET '" + d.name + "': " + what); };
    p.sign = m.type == "pjf" ? -1.0 : 1.0;
    const double mult = P.inst("m");
    const double area = d.value ? *d.value : P.inst("area");
    if (!(mult > 0) || !(area > 0)) return bad("area and m must be positive");
    const double T = semi::instanceTempK(P, o), Tnom = semi::nominalTempK(P, o);
    const double dt = T - Tnom;
    const double pb = P.model("pb"), vto = P.model("vto");
    double fc = P.model("fc");
    if (fc > 0.95) fc = 0.95;  // ngspice limits FC to 0.95
    if (fc < 0) return bad("FC must not be negative");
    if (!(pb > 0)) return bad("PB must be positive");
    if (pb == vto) return bad("PB must differ from VTO (the B term divides by PB - VTO)");
    p.mult = mult;
    p.vt = semi::thermalVoltage(T);
    p.vto = P.hasModel("vtotc") ? vto + P.model("vtotc") * dt : vto - P.model("tcv") * dt;
    const double beta = P.model("beta");
    const double tbeta = P.hasModel("betatce") ? beta * std::pow(1.01, P.model("betatce") * dt)
                                               : beta * std::pow(T / Tnom, P.model("bex"));
    p.beta = tbeta * area * mult;
    p.lambda = P.model("lambda");
    p.b = P.model("b");
    p.bfac = (1.0 - p.b) / (pb - vto);
    const double ratio1 = T / Tnom - 1.0;
    double tis = P.model("is") * std::exp(ratio1 * P.model("eg") / p.vt);
    if (P.hasModel("xti")) tis *= std::pow(ratio1 + 1.0, P.model("xti"));
    p.vcrit = p.vt * std::log(p.vt / (semi::kSqrt2 * tis));
    p.is = tis * area * mult;
    const double rd = P.model("rd"), rs = P.model("rs");
    if (rd < 0 || rs < 0) return bad("RD and RS must not be negative");
    p.gd = rd > 0 ? area * mult / rd : 0.0;
    p.gs = rs > 0 ? area * mult / rs : 0.0;
    const auto sgs = semi::scaleJunction(pb, P.model("cgs") * area * mult, 0.5, Tnom, T);
    const auto sgd = semi::scaleJunction(pb, P.model("cgd") * area * mult, 0.5, Tnom, T);
    p.cgs = semi::Depletion(sgs.cj, sgs.vj, 0.5, fc);
    p.cgd = semi::Depletion(sgd.cj, sgd.vj, 0.5, fc);
    return {};
  }
};

constexpr const char* kTypes[] = {"njf", "pjf"};
// The default text the reader recognises: the parameter is accepted with a warning
// and has no effect (netlist/elaborate.cpp).
constexpr const char* kIgnored = "ignored (warned)";
constexpr ParamSpec kParams[] = {
    iparam("area", 1.0, "", "area factor (also the positional value after the model)"),
    iparam("m", 1.0, "", "parallel copies"),
    flagParam("off", "start the operating point with the device off"),
    kTempParam, kDtempParam,
    mparam("level", 1.0, "", "model level: only 1 (level 2, Parker-Skellern, is not supported)"),
    mparam("vto", -2.0, "V", "threshold (pinch-off) voltage").aka("vt0"),
    mparam("beta", 1e-4, "A/V²", "transconductance"),
    mparam("lambda", 0.0, "1/V", "channel-length modulation"),
    mparam("rd", 0.0, "Ω", "drain resistance (an internal node when > 0)"),
    mparam("rs", 0.0, "Ω", "source resistance (an internal node when > 0)"),
    mparam("cgs", 0.0, "F", "zero-bias gate-source capacitance"),
    mparam("cgd", 0.0, "F", "zero-bias gate-drain capacitance"),
    mparam("pb", 1.0, "V", "gate junction potential"),
    mparam("is", 1e-14, "A", "gate junction saturation current"),
    mparam("fc", 0.5, "", "forward-bias depletion capacitance coefficient (at most 0.95)"),
    mparam("b", 1.0, "", "doping tail (Sydney University); 1 gives the square law"),
    mparam("tcv", 0.0, "V/°C", "VTO temperature coefficient (VTO - TCV·dT)"),
    mparam("vtotc", kNoDefault, "V/°C", "VTO temperature coefficient (VTO + VTOTC·dT; wins over TCV)").shown("none"),
    mparam("bex", 0.0, "", "BETA temperature exponent"),
    mparam("betatce", kNoDefault, "%/°C", "BETA temperature coefficient (1.01^(BETATCE·dT); wins over BEX)").shown("none"),
    mparam("xti", kNoDefault, "", "IS temperature exponent (only when given, as ngspice 39)").shown("none"),
    mparam("eg", 1.11, "eV", "band gap for IS(T)"),
    mparam("m", kNoDefault, "", "PSpice's gate-junction grading coefficient: ignored, as by ngspice 39 (its grading is 0.5); not a multiplier").shown(kIgnored),
    kTnomParam,
    kKfNoiseParam, kAfNoiseParam,
    mparam("nlev", 0.0, "", "channel noise equation: 3 for the GDSNOI form, else (2/3)|gm| (.noise)"),
    mparam("gdsnoi", 1.0, "", "channel noise coefficient with NLEV=3 (.noise)"),
    // PSpice parameters ngspice 39 ignores (with a warning)
    mparam("n", kNoDefault, "", "PSpice gate emission coefficient: ignored with a warning, as ngspice 39").shown(kIgnored),
    mparam("isr", kNoDefault, "A", "PSpice recombination current: ignored with a warning").shown(kIgnored),
    mparam("nr", kNoDefault, "", "PSpice recombination emission: ignored with a warning").shown(kIgnored),
    mparam("alpha", kNoDefault, "1/V", "PSpice impact ionisation: ignored with a warning").shown(kIgnored),
    mparam("vk", kNoDefault, "V", "PSpice impact ionisation knee: ignored with a warning").shown(kIgnored),
};

}  // namespace

extern const DeviceKind kJfetKind;
constexpr DeviceKind kJfetKind{
    .letter = 'j', .name = "JFET", .form = CardForm::ModelCard, .minNodes = 3, .maxNodes = 3,
    .modelTypes = kTypes, .params = kParams, .positional = "area",
    .valueDoc = "Jname d g s model [area] [m=value] [off]", .create = makeGroup<Jfets, kJfetKind>};

}  // namespace simcore::dev
