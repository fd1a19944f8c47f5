// D: junction diode, SPICE level 1 (as ngspice's): exponential junction with
// emission coefficient N and SPICE's reverse extension, reverse breakdown
// (BV/IBV matched as ngspice does), series resistance RS on an internal node,
// depletion charge (CJO, VJ, M, FC) plus diffusion charge TT*id, temperature
// scaling of IS, VJ, CJO (EG, XTI). gmin is in parallel with the junction.
// As ngspice 39: a recombination current (ISR, NR; forward only) scaled by
// ((1 - v/VJ)^2 + 0.005)^(M/2), and high-injection knees: the forward current
// i becomes i/(1 + sqrt(i/IKF)), the reverse current likewise with IKR (both
// times area, only when given).
// Local terminals: A anode, K cathode, AP internal anode (== anode when RS = 0).
#include <algorithm>
#include <cmath>

#include "devices/common.hpp"
#include "devices/noise.hpp"
#include "devices/semiconductor.hpp"

namespace simcore::dev {
namespace {

enum : int { A = 0, K = 1, AP = 2 };
struct Layout {
  static constexpr int terminals = 3;
  static constexpr bool mask[terminals][terminals] = {
      // A  K  A'
      {1, 0, 1},  // A
      {0, 1, 1},  // K
      {1, 1, 1},  // A'
  };
  static constexpr int states = 1;
  static constexpr int chargeFrom[states] = {AP};
  static constexpr int chargeTo[states] = {K};
  static constexpr int series = 1;  // RS
  static constexpr bool diagonalCharges = true;  // each state between its own two terminals
};
constexpr int kN = Layout::terminals;
using Lin = semi::Linearisation<Layout>;
constexpr int kE = semi::LocalStamp<Layout>::E;

struct DiodeModel {
  double is, n, rs, cjo, vj, m, fc, tt, bv, ibv, eg, xti;
  bool hasBv;
};

struct Inst {
  double vt, vte, is, tt, gs, vcrit, bv;
  double vtb = 0;  // NBV * vt: the breakdown's slope (ngspice's vtebrk)
  semi::Depletion depletion;
  bool hasBv;
  double isr = 0, vter = 1, vj = 1, m = 0.5;  // recombination current (0: none) and its generation factor
  double ikf = 0, ikr = 0;                    // knee currents times area (0: none)
};

class Diodes final : public semi::LinearisedGroup<Diodes, Layout, Inst> {
 public:
  using LinearisedGroup::LinearisedGroup;
  // ngspice's name: the current from anode to cathode (into the anode)
  static constexpr semi::TerminalCurrent kCurrents[] = {{"id", A, AP}};

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    resizeInstances(n);
    vd_.assign(n, 0.0); ic_.assign(n, NAN);
    const ir::Options& o = ctx.options();
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      const ir::Model* mod = ctx.model(d);
      if (!mod) return deviceError(d, "diode '" + d.name + "' needs a model");
      if (auto s = checkModel(*mod); !s) return s;
      const ParamValues P = values(d, mod);
      if (P.model("level") != 1)
        return deviceError(d, "diode level " + std::to_string(int(P.model("level"))) + " is not supported; use level 1");
      DiodeModel mp{};
      mp.is = P.model("is");
      mp.n = P.model("n");
      mp.rs = P.model("rs");
      mp.cjo = P.model("cjo");
      mp.vj = P.model("vj");
      mp.m = P.model("m");
      mp.fc = P.model("fc");
      mp.tt = P.model("tt");
      mp.hasBv = P.hasModel("bv");
      mp.bv = P.model("bv", 0.0);
      mp.ibv = P.model("ibv");
      mp.eg = P.model("eg");
      mp.xti = P.model("xti");
      if (mp.is <= 0 || mp.n <= 0) return deviceError(d, "diode '" + d.name + "': IS and N must be positive");
      if (mp.vj <= 0) return deviceError(d, "diode '" + d.name + "': VJ must be positive");
      if (mp.fc < 0 || mp.fc >= 1) return deviceError(d, "diode '" + d.name + "': FC must be in [0, 1)");
      if (mp.rs < 0) return deviceError(d, "diode '" + d.name + "': RS must not be negative");
      if (mp.hasBv && (mp.bv <= 0 || mp.ibv <= 0))
        return deviceError(d, "diode '" + d.name + "': BV and IBV must be positive");

      const double mult = P.inst("m");
      const double area = (d.value ? *d.value : P.inst("area")) * mult;
      if (!(area > 0)) return deviceError(d, "diode '" + d.name + "': area and m must be positive");
      const double T = semi::instanceTempK(P, o);
      const double Tnom = semi::nominalTempK(P, o);
      Inst& p = p_[i];
      p.vt = semi::thermalVoltage(T);
      p.vte = mp.n * p.vt;
      p.is = semi::scaleSatCurrent(mp.is, mp.n, mp.eg, mp.xti, Tnom, T) * area;
      const auto sj = semi::scaleJunction(mp.vj, mp.cjo, mp.m, Tnom, T);
      p.depletion = semi::Depletion(sj.cj * area, sj.vj, mp.m, mp.fc);
      p.tt = mp.tt;
      // RS(T) = RS (1 + TRS1 dT + TRS2 dT^2), as ngspice 39
      const double dT = T - Tnom;
      const double rsFactor = 1.0 + P.model("trs1") * dT + P.model("trs2") * dT * dT;
      if (mp.rs > 0 && !(rsFactor > 0))
        return deviceError(d, "diode '" + d.name + "': TRS1 and TRS2 make RS negative at " +
                                  std::to_string(T - 273.15) + " degC");
      p.gs = mp.rs > 0 ? area / (mp.rs * rsFactor) : 0.0;
      p.vcrit = p.vte * std::log(p.vte / (semi::kSqrt2 * p.is));
      p.hasBv = mp.hasBv;
      // as ngspice-39: IBV scales with m but not with area
      // the breakdown's emission coefficient NBV (N when not given, as ngspice 39)
      const double nbv = P.model("nbv", mp.n);
      if (!(nbv > 0)) return deviceError(d, "diode '" + d.name + "': NBV must be positive");
      p.vtb = nbv * p.vt;
      if (mp.hasBv) p.bv = matchBreakdown(mp.bv, mp.ibv * mult, p.is, p.vt, p.vtb, o.reltol);
      if (P.hasModel("isr")) {
        const double nr = P.model("nr");
        if (!(nr > 0)) return deviceError(d, "diode '" + d.name + "': NR must be positive");
        p.vter = nr * p.vt;
        p.isr = semi::scaleSatCurrent(P.model("isr"), nr, mp.eg, mp.xti, Tnom, T) * area;
        p.vj = sj.vj;
        p.m = mp.m;
      }
      constexpr double kEpsmin = 1e-28;  // ngspice: smaller knee currents disable the effect
      if (P.hasModel("ikf") && P.model("ikf") >= kEpsmin) p.ikf = P.model("ikf") * area;
      if (P.hasModel("ikr") && P.model("ikr") >= kEpsmin) p.ikr = P.model("ikr") * area;
      off_[i] = P.hasInst("off");
      ic_[i] = P.inst("ic");

      nodes_[i][0] = ctx.node(d.nodes[0]);
      nodes_[i][1] = ctx.node(d.nodes[1]);
      nodes_[i][2] = p.gs > 0 ? ctx.addInternalNode(d, "a") : nodes_[i][0];
      st_[i] = ctx.addStates(1);
    }
    return {};
  }

  double polarity(std::size_t) const { return 1.0; }

  void initialCharges(LoadContext& c, std::size_t i, const double* V) {
    const Inst& p = p_[i];
    const double vd = (c.uic && !std::isnan(ic_[i])) ? ic_[i] : V[AP] - V[K];
    const auto j = evalJunction(p, vd, 0.0);
    c.charge(st_[i], evalCharge(p, vd, j.idiode, j.gdiode).q);
    vd_[i] = vd;
  }

  void linearise(LoadContext& c, std::size_t i, const double* V, Lin& L, bool tran) {
    const Inst& p = p_[i];
    // junction voltage: initial guess, or limited against the last one
    double vd = V[AP] - V[K];
    bool limited = false;
    if (c.initJunctions) {
      vd = off_[i] ? 0.0 : p.vcrit;
      limited = true;
    } else if (p.hasBv && vd < std::min(0.0, -p.bv + 10.0 * p.vtb)) {
      double vr = semi::pnjlim(-(vd + p.bv), -(vd_[i] + p.bv), p.vtb, p.vcrit, limited);
      vd = -(vr + p.bv);
    } else {
      vd = semi::pnjlim(vd, vd_[i], p.vte, p.vcrit, limited);
    }
    if (limited) c.noncon++;
    vd_[i] = vd;
    L.Vl[A] = V[A];
    L.Vl[K] = V[K];
    L.Vl[AP] = V[K] + vd;
    auto& s = L.s;
    if (p.gs > 0) s.conductance(A, AP, p.gs, L.Vl);
    const auto j = evalJunction(p, vd, c.gmin);
    s.current(AP, K, j.i);
    s.slope(AP, K, AP, K, j.g);
    const auto q = evalCharge(p, vd, j.idiode, j.gdiode);
    s.capacitance(0, AP, K, q.c);
    L.q[0] = q.q;
    if (!tran) storeSmallSignal(i, s.G, s.C);
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const auto& nd : nodes_) {
      out.emplace_back(nd[0], nd[1]);
      if (nd[2] != nd[0]) out.emplace_back(nd[0], nd[2]);
    }
  }

  // ---- .noise (as ngspice's): RS thermal, shot 2 q |Id| and flicker
  // KF |Id|^AF / f of the junction current Id (with gmin).
  void noise(NoiseContext& c) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      const Inst& p = p_[i];
      const auto& nd = nodes_[i];
      const double id = evalJunction(p, c.xop[nd[AP]] - c.xop[nd[K]], c.gmin).i;
      c.thermal(d, "_rs", nd[AP], nd[A], p.gs);
      c.shot(d, "_id", nd[AP], nd[K], id);
      const ParamValues P = values(d, c.model(d));
      const double kf = P.model("kf", 0.0), af = P.model("af", 1.0);
      c.flicker(d, "_1overf", nd[AP], nd[K], NoiseContext::flickerCoef(kf, af, id));
    }
  }

 private:
  struct Junction {
    double i, g;    // total junction current and conductance (with gmin)
    double idiode;  // current without gmin (drives the diffusion charge)
    double gdiode;
  };

  // ngspice's breakdown matching: the knee voltage xbv is moved so that the
  // current at -BV is IBV (scaled by area).
  static double matchBreakdown(double bv, double cbv, double is, double vt, double vte, double reltol) {
    if (cbv < is * bv / vt) return bv;
    const double tol = reltol * cbv;
    double xbv = bv - vte * std::log(1.0 + cbv / is);
    for (int it = 0; it < 25; ++it) {
      xbv = bv - vte * std::log(cbv / is + 1.0 - xbv / vt);
      const double xcbv = is * (std::exp((bv - xbv) / vte) - 1.0 + xbv / vt);
      if (std::fabs(xcbv - cbv) <= tol) break;
    }
    return xbv;
  }

  static Junction evalJunction(const Inst& p, double vd, double gmin) {
    double id, gd;
    if (vd >= -3.0 * p.vte || !p.hasBv || vd >= -p.bv) {
      const auto j = semi::junctionCurrent(vd, p.is, p.vte);
      id = j.i; gd = j.g;
    } else {
      const double e = std::exp(-(p.bv + vd) / p.vtb);
      id = -p.is * e;
      gd = p.is * e / p.vtb;
    }
    const bool forward = vd >= -3.0 * p.vte;
    if (forward && p.isr > 0) {
      double de = 0;
      const double e = semi::safeExp(vd / p.vter, &de);
      const double r = p.isr * (e - 1.0), gr = p.isr * de / p.vter;
      const double u = 1.0 - vd / p.vj, t1 = u * u + 0.005;
      const double gen = std::pow(t1, 0.5 * p.m), dgen = -p.m * u / p.vj * std::pow(t1, 0.5 * p.m - 1.0);
      id += r * gen;
      gd += gr * gen + r * dgen;
    }
    // high injection: i/(1 + sqrt(i/ik)), derivative (1 + s/2)/(1 + s)^2 times di
    const double ik = forward ? p.ikf : p.ikr;
    if (ik > 0 && (forward ? id > 1e-18 : id < -1e-18)) {
      const double s = std::sqrt(std::fabs(id) / ik);
      gd *= (1.0 + 0.5 * s) / ((1.0 + s) * (1.0 + s));
      id /= 1.0 + s;
    }
    return {id + gmin * vd, gd + gmin, id, gd};
  }

  static semi::ChargeAndCap evalCharge(const Inst& p, double vd, double id, double gd) {
    auto q = p.depletion.at(vd);
    q.q += p.tt * id;
    q.c += p.tt * gd;
    return q;
  }

  std::vector<double> vd_, ic_;  // vd_: junction voltage of the last evaluation (for limiting)
};

constexpr const char* kTypes[] = {"d"};
constexpr ParamSpec kParams[] = {
    iparam("area", 1.0, "", "area factor (also the positional value after the model)"),
    kMultParam,
    flagParam("off", "start the operating point with the junction off"),
    iparam("ic", kNoDefault, "V", "initial junction voltage, used with .tran ... uic").shown("none"),
    kTempParam, kDtempParam,
    mparam("is", 1e-14, "A", "saturation current"),
    mparam("n", 1.0, "", "emission coefficient"),
    mparam("rs", 0.0, "Ω", "series resistance (an internal node when > 0)"),
    mparam("cjo", 0.0, "F", "zero-bias junction capacitance").aka("cj0", "cj"),
    mparam("vj", 1.0, "V", "junction potential"),
    mparam("m", 0.5, "", "grading coefficient"),
    kFcParam,
    mparam("tt", 0.0, "s", "transit time"),
    mparam("bv", kNoDefault, "V", "reverse breakdown voltage (breakdown only when given)").shown("∞"),
    mparam("ibv", 1e-3, "A", "current at BV"),
    mparam("nbv", kNoDefault, "", "breakdown emission coefficient").shown("N"),
    mparam("trs1", 0.0, "1/K", "linear temperature coefficient of RS").aka("trs"),
    mparam("trs2", 0.0, "1/K²", "quadratic temperature coefficient of RS"),
    // PSpice's temperature coefficients of BV and IKF: ngspice 39 ignores them with a warning, so does simcore
    mparam("tbv1", kNoDefault, "1/K", "PSpice's BV temperature coefficient: ignored with a warning, as ngspice 39").shown("ignored (warned)"),
    mparam("tbv2", kNoDefault, "1/K²", "PSpice's quadratic BV temperature coefficient: ignored with a warning, as ngspice 39").shown("ignored (warned)"),
    mparam("tikf", kNoDefault, "1/K", "PSpice's IKF temperature coefficient: ignored with a warning, as ngspice 39").shown("ignored (warned)"),
    mparam("eg", 1.11, "eV", "band gap for IS(T)"),
    mparam("xti", 3.0, "", "IS temperature exponent"),
    mparam("isr", kNoDefault, "A", "recombination saturation current (forward; only when given)").shown("none"),
    mparam("nr", 1.0, "", "recombination emission coefficient (ngspice 39's default; PSpice's is 2)"),
    mparam("ikf", kNoDefault, "A", "forward high-injection knee current").shown("∞"),
    mparam("ikr", kNoDefault, "A", "reverse high-injection knee current").shown("∞"),
    kTnomParam,
    kKfNoiseParam, kAfNoiseParam,
    mparam("level", 1.0, "", "model level: only 1"),
};

}  // namespace

extern const DeviceKind kDiodeKind;
constexpr DeviceKind kDiodeKind{
    .letter = 'd', .name = "diode", .form = CardForm::ModelCard, .modelTypes = kTypes, .params = kParams,
    .positional = "area", .valueDoc = "Dname anode cathode model [area] [name=value ...] [off]",
    .create = makeGroup<Diodes, kDiodeKind>};

}  // namespace simcore::dev
