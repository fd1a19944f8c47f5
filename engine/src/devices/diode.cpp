// D: junction diode, ngspice 39's (levels 1 and 3; docs/devices.md "Diode (D)"):
// the area's exponential junction with emission coefficient N and SPICE's
// reverse extension, reverse breakdown (BV/IBV matched as ngspice does, NBV),
// the sidewall's (JSW, NS; joined to the area's without NS), the recombination
// current (ISR, NR; forward only) scaled by ((1 - v/VJ)^2 + 0.005)^(M/2), the
// tunnelling current (JTUN, JTUNSW, NTUN), high-injection knees on the sum
// (i/(1 + sqrt(i/IKF)) forward, likewise IKR in reverse), series resistance RS
// on an internal node; depletion charges of the area (CJO, VJ, M, FC) and the
// sidewall (CJP, PHP, MJSW, FCS), diffusion charge TT*id, LEVEL=3's metal and
// poly capacitances; temperature laws of diotemp.c (EG, XTI, TM1/2, TTT1/2,
// TRS1/2, TCV with TLEV, TLEVC 0/1). gmin is in parallel with the junction.
// Self-heating (`D a k t model thermal` with RTH0 given, as ngspice 39): the
// node t is the temperature rise (K) above the instance temperature; the power
// dissipated in the junction's and RS's currents flows from ground into t, RTH0
// and CTH0 from t to ground, and every temperature law above follows the rise
// in each Newton iteration (the Jacobian's temperature column from the model
// on either side of it, semi::addTemperatureColumn).
// Local terminals: A anode, K cathode, AP internal anode (== anode when RS = 0);
// with self-heating also T, the thermal node, and ground. A group takes the
// self-heating layout only when one of its instances has the `thermal` flag:
// the others pay nothing for it.
#include <algorithm>
#include <cmath>

#include "devices/common.hpp"
#include "devices/noise.hpp"
#include "devices/self_heating.hpp"

namespace simcore::dev {
namespace {

enum : int { A = 0, K = 1, AP = 2, T = 3, GN = 4 };
constexpr int kElectrical = 3;  // terminals A, K, AP
struct PlainLayout {
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
struct ThermalLayout {
  static constexpr int terminals = 5;
  static constexpr bool mask[terminals][terminals] = {
      // A  K  A' T  gnd
      {1, 0, 1, 1, 0},  // A   RS; temperature
      {0, 1, 1, 1, 0},  // K
      {1, 1, 1, 1, 0},  // A'
      {1, 1, 1, 1, 0},  // T   dissipated power, RTH0, CTH0
      {0, 0, 0, 0, 0},  // ground
  };
  static constexpr int states = 2;  // junction charge, CTH0's charge
  static constexpr int chargeFrom[states] = {AP, T};
  static constexpr int chargeTo[states] = {K, GN};
  static constexpr int series = 2;  // RS, RTH0
  static constexpr bool diagonalCharges = true;  // each state between its own two terminals
  static constexpr int ground = GN;  // the bypass tests the temperature rise T - GN (across RTH0)
};

// Where a parameter was written (the model's, else the instance's), for
// errors that name one; the card when it was not given.
SourceLoc paramLoc(const ir::Device& d, const ir::Model* mod, const DeviceKind& kind, ParamScope scope,
                   std::string_view name) {
  const ParamSpec* spec = kind.find(scope, name);
  const std::vector<ir::Param>* ps = scope == ParamScope::Model ? (mod ? &mod->params : nullptr) : &d.params;
  if (spec && ps)
    for (const auto& q : *ps)
      if (spec->matches(q.name)) return q.loc;
  return d.loc;
}

struct Inst {
  double vt, vte, is, tt, gs, vcrit, bv;
  double vtb = 0;  // NBV * vt: the breakdown's slope (ngspice's vtebrk)
  semi::Depletion area, side;  // area and sidewall depletion charges
  bool hasBv;
  double isr = 0, vter = 1, vj = 1, m = 0.5;  // recombination current (0: none) and its generation factor
  double ikf = 0, ikr = 0;                    // knee currents times area (0: none)
  bool sidewall = false;                      // JSW with its own emission coefficient NS
  double isw = 0, vtesw = 1;
  double itun = 0, vtt = 1;                   // tunnelling saturation current (area and sidewall) and NTUN*vt
  double cfixed = 0;                          // LEVEL=3 metal and poly capacitances
  double mult = 1;                            // m (flicker noise)
  bool nonPositivePotential = false;          // VJ(T) or PHP(T) <= 0 (see setupInstance)
  bool nonFinite = false;                     // the temperature laws overflowed (an absurd temperature)
};

// Self-heating of one instance (thermal, RTH0 and the third node given).
struct Thermal {
  bool on = false;
  double rth = 0, cth = 1e-5;
  double tinstK = 300.15;            // the instance temperature: the rise is above it
  double heldDt = NAN;               // the rise at which the last iteration held the parameters
  const ir::Model* model = nullptr;  // the parameters, mapped to the temperature each iteration
};

template <class Layout>
class DiodesT final : public semi::LinearisedGroup<DiodesT<Layout>, Layout, Inst> {
  using Base = semi::LinearisedGroup<DiodesT<Layout>, Layout, Inst>;
  using Lin = semi::Linearisation<Layout>;
  static constexpr bool kThermal = Layout::terminals > kElectrical;
  static constexpr int kN = Layout::terminals;
  using Base::inst_, Base::nodes_, Base::st_, Base::p_, Base::off_, Base::kind_;
  using Base::checkInstance, Base::checkModel, Base::values, Base::resizeInstances, Base::storeSmallSignal;

 public:
  using Base::Base;
  // ngspice's name: the current from anode to cathode (into the anode)
  static constexpr semi::TerminalCurrent kCurrents[] = {{"id", A, AP}};

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    resizeInstances(n);
    vd_.assign(n, 0.0); ic_.assign(n, NAN); dt_.assign(n, 0.0);
    th_.assign(n, Thermal{});
    memo_.clear();
    memo_.resize(n);
    const ir::Options& o = ctx.options();
    opts_ = o;
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      const ir::Model* mod = ctx.model(d);
      if (!mod) return deviceError(d, "diode '" + d.name + "' needs a model");
      if (auto s = checkModel(*mod); !s) return s;
      const ParamValues P = values(d, mod);
      const double Tinst = semi::instanceTempK(P, o);
      if (auto s = setupInstance(o, i, d, mod, P, Tinst, p_[i]); !s) return s;
      Thermal& th = th_[i];
      // as ngspice 39: self-heating with the flag, RTH0 and the third node (CTH0 defaults to 1e-5)
      th.on = kThermal && P.hasInst("thermal") && P.hasModel("rth0") && d.nodes.size() >= 3;
      if (th.on) {
        th.rth = P.model("rth0");
        th.cth = P.model("cth0");
        if (!(th.rth > 0)) return fail(d, mod, ParamScope::Model, "rth0", "RTH0 must be positive");
        if (!(th.cth >= 0)) return fail(d, mod, ParamScope::Model, "cth0", "CTH0 must not be negative");
        th.tinstK = Tinst;
        th.model = mod;
      }
      nodes_[i][A] = ctx.node(d.nodes[0]);
      nodes_[i][K] = ctx.node(d.nodes[1]);
      nodes_[i][AP] = p_[i].gs > 0 ? ctx.addInternalNode(d, "a") : nodes_[i][0];
      if constexpr (kThermal) {
        nodes_[i][T] = th.on ? ctx.node(d.nodes[2]) : 0;
        nodes_[i][GN] = 0;
        if (th.on && nodes_[i][T] == 0)
          return fail(d, mod, ParamScope::Instance, "thermal", "the temperature node must not be ground");
      }
      st_[i] = ctx.addStates(Layout::states);
    }
    return {};
  }

  Status fail(const ir::Device& d, const ir::Model* mod, ParamScope scope, std::string_view name,
              const std::string& what) const {
    return makeError(ErrorCode::Semantic, "diode '" + d.name + "': " + what, paramLoc(d, mod, kind_, scope, name));
  }

  // The instance's parameters at temperature T (K), as ngspice 39's diosetup.c and diotemp.c make them
  // (DIOtempUpdate each iteration with self-heating).
  // (PV: ParamValues at set-up, the instance's ParamMemo in each iteration)
  template <class PV>
  Status setupInstance(const ir::Options& o, std::size_t i, const ir::Device& d, const ir::Model* mod, const PV& P,
                       double T, Inst& p) {
    auto fail = [&](ParamScope scope, std::string_view name, const std::string& what) -> Status {
      return this->fail(d, mod, scope, name, what);
    };
    auto failModel = [&](std::string_view name, const std::string& what) { return fail(ParamScope::Model, name, what); };
    const int level = int(P.model("level"));
    if (level != 1 && level != 3)
      return failModel("level", "diode level " + std::to_string(level) + " is not supported; use level 1 or 3");
    const int tlev = int(P.model("tlev")), tlevc = int(P.model("tlevc"));
    if (tlev < 0 || tlev > 2) return failModel("tlev", "TLEV must be 0, 1 or 2");
    if (tlevc != 0 && tlevc != 1) return failModel("tlevc", "TLEVC must be 0 or 1 (as in ngspice 39)");

    // ---- geometry: area and perimeter factors (times m), as ngspice 39
    const double mult = P.inst("m");
    if (!(mult > 0)) return fail(ParamScope::Instance, "m", "m must be positive");
    const bool wl = P.hasInst("w") || P.hasInst("l");
    double area = d.value ? *d.value : P.hasInst("area") ? P.inst("area") : wl ? 1.0 : P.model("area");
    double pj = P.hasInst("pj") ? P.inst("pj") : wl ? 0.0 : P.model("pj");
    area *= mult;
    pj *= mult;
    p.mult = mult;
    p.cfixed = 0.0;
    if (level == 3) {
      const double s = P.inst("scale");
      if (P.hasInst("w") && P.hasInst("l")) {
        area = P.inst("w") * P.inst("l") * mult;
        pj = (2.0 * P.inst("w") + 2.0 * P.inst("l")) * mult;
      }
      area *= s * s;
      pj *= s;
      auto size = [&](const char* nm) { return P.hasInst(nm) ? P.inst(nm) : P.model(nm); };
      const double xom = P.model("xom") * 1e-10, xoi = P.model("xoi") * 1e-10, xm = P.model("xm"), xp = P.model("xp");
      if (!(xom > 0)) return failModel("xom", "XOM must be positive");
      if (!(xoi > 0)) return failModel("xoi", "XOI must be positive");
      p.cfixed = semi::kEpsOx / xom * mult * (size("wm") * s + xm) * (size("lm") * s + xm) +
                 semi::kEpsOx / xoi * mult * (size("wp") * s + xp) * (size("lp") * s + xp);
    }
    if (!(area > 0)) return fail(ParamScope::Instance, "area", "the area factor must be positive");
    if (!(pj >= 0)) return fail(ParamScope::Instance, "pj", "the perimeter factor must not be negative");

    // ---- temperatures
    const double Tnom = semi::nominalTempK(P, o);
    const double dT = T - Tnom;
    p.vt = semi::thermalVoltage(T);
    const double nE = P.model("n");
    if (!(nE > 0)) return failModel("n", "N must be positive");
    p.vte = nE * p.vt;
    const double eg = P.model("eg"), xti = P.model("xti");
    // ngspice raises IS below 1e-28 (its epsmin) to 1e-28
    const double isBottom = semi::scaleSatCurrent(std::max(P.model("is"), 1e-28), nE, eg, xti, Tnom, T) * area;
    p.is = isBottom;
    p.sidewall = false;
    p.isw = 0.0;
    if (P.hasModel("jsw")) {
      const double ns = P.model("ns");
      if (!(ns > 0)) return failModel("ns", "NS must be positive");
      const double isw = semi::scaleSatCurrent(P.model("jsw"), ns, eg, xti, Tnom, T) * pj;
      // with NS the sidewall current has its own exponential; without, it joins the area's
      if (P.hasModel("ns")) {
        p.sidewall = true;
        p.isw = isw;
        p.vtesw = ns * p.vt;
      } else {
        p.is += isw;
      }
    }
    p.itun = 0.0;
    if (P.hasModel("jtun") || P.hasModel("jtunsw")) {
      const double ntun = P.model("ntun");
      if (!(ntun > 0)) return failModel("ntun", "NTUN must be positive");
      p.vtt = ntun * p.vt;
      const double egt = P.model("keg") * eg, xtt = P.model("xtitun");
      if (P.hasModel("jtun")) p.itun += semi::scaleSatCurrent(P.model("jtun"), ntun, egt, xtt, Tnom, T) * area;
      if (P.hasModel("jtunsw")) p.itun += semi::scaleSatCurrent(P.model("jtunsw"), ntun, egt, xtt, Tnom, T) * pj;
    }

    // grading coefficient at T (TM1, TM2), at most 0.9 as in ngspice 39
    const double mg = std::min(P.model("m") * (1.0 + P.model("tm1") * dT + P.model("tm2") * dT * dT), 0.9);
    const double mjsw = P.model("mjsw");
    const double fc = P.model("fc"), fcs = P.model("fcs");
    if (fc < 0 || fc >= 1) return failModel("fc", "FC must be in [0, 1)");
    if (fcs < 0 || fcs >= 1) return failModel("fcs", "FCS must be in [0, 1)");
    const double vj = P.model("vj"), php = P.model("php");
    if (!(vj > 0)) return failModel("vj", "VJ must be positive");
    if (!(php > 0)) return failModel("php", "PHP must be positive");
    const double cj = P.model("cjo") * area, cjsw = P.model("cjp") * pj;
    double vjT, cjT, phpT, cjswT;
    if (tlevc == 0) {
      const auto a = semi::scaleJunction(vj, cj, mg, Tnom, T);
      const auto s = semi::scaleJunction(php, cjsw, mjsw, Tnom, T);
      vjT = a.vj; cjT = a.cj; phpT = s.vj; cjswT = s.cj;
    } else {  // TLEVC=1: linear in T - 27 degC (not TNOM), as ngspice 39
      const double dR = T - semi::kRefTemp;
      vjT = vj - P.model("tpb") * dR;
      cjT = cj * (1.0 + P.model("cta") * dR);
      phpT = php - P.model("tphp") * dR;
      cjswT = cjsw * (1.0 + P.model("ctp") * dR);
    }
    const std::string at = " at " + std::to_string(T - kCelsiusToKelvin) + " degC";
    // VJ(T) and PHP(T) may fall to zero or below (VJ = 0.7 near 360 degC): used as they are, as ngspice 39
    // does. The DC solutions hold no charges; a transient's depletion charge is NaN once the junction is
    // reversed beyond VJ(T) < 0 (ngspice 39 then stops: "timestep too small").
    // VJ and PHP at most 1/FC and 1/FCS, as ngspice 39. Its FC continuation then starts from the charge
    // of the unlimited VJ, and the sidewall's from the area's (both its diotemp.c F1): steps in the charge
    // at FC*VJ and FCS*PHP (a diode driven by a current across FCS*PHP stops its transient: "timestep too
    // small"). simcore's charges are continuous (docs/devices.md).
    p.nonPositivePotential = !(vjT > 0) || !(phpT > 0);
    p.nonFinite = !std::isfinite(vjT) || !std::isfinite(phpT) || !std::isfinite(p.is) || !(p.is > 0) ||
                  !std::isfinite(cjT) || !std::isfinite(cjswT);
    const double vjL = fc * vjT > 1.0 ? 1.0 / fc : vjT;
    const double phpL = fcs * phpT > 1.0 ? 1.0 / fcs : phpT;
    p.area = semi::Depletion(cjT, vjL, mg, fc);
    p.side = semi::Depletion(cjswT, phpL, mjsw, fcs);

    p.tt = P.model("tt") * (1.0 + P.model("ttt1") * dT + P.model("ttt2") * dT * dT);
    // RS(T) = RS (1 + TRS1 dT + TRS2 dT^2), as ngspice 39
    const double rs = P.model("rs");
    if (rs < 0) return failModel("rs", "RS must not be negative");
    const double rsFactor = 1.0 + P.model("trs1") * dT + P.model("trs2") * dT * dT;
    if (rs > 0 && !(rsFactor > 0)) return failModel("trs1", "TRS1 and TRS2 make RS negative" + at);
    p.gs = rs > 0 ? area / (rs * rsFactor) : 0.0;
    p.vcrit = p.vte * std::log(p.vte / (semi::kSqrt2 * isBottom));
    // the breakdown's emission coefficient NBV (N when not given, as ngspice 39)
    const double nbv = P.model("nbv", nE);
    if (!(nbv > 0)) return failModel("nbv", "NBV must be positive");
    p.vtb = nbv * p.vt;
    p.hasBv = P.hasModel("bv");
    p.bv = 0.0;
    if (p.hasBv) {
      const double bv0 = P.model("bv"), tcv = P.model("tcv");
      const double bv = tlev == 0 ? bv0 - tcv * dT : bv0 * (1.0 - tcv * dT);
      // IBV: times m at level 1 (not the area), times the area at level 3, as ngspice 39
      const double ibv = P.model("ibv") * (level == 1 ? mult : area);
      // BV = 0 is a breakdown at 0 V (the knee matched to IBV below it), as ngspice 39
      if (!(bv0 >= 0)) return failModel("bv", "BV must not be negative");
      if (bv0 > 0 && !(bv > 0)) return failModel("tcv", "TCV makes BV negative" + at);
      // (IBV <= 0, a fitted vendor model's -0.25 mA: the breakdown at BV itself, as ngspice 39)
      // matched against the area's saturation current only (ngspice 39)
      p.bv = matchBreakdown(bv, ibv, isBottom, p.vt, p.vtb, o.reltol);
    }
    p.isr = 0.0;
    if (P.hasModel("isr")) {
      const double nr = P.model("nr");
      if (!(nr > 0)) return failModel("nr", "NR must be positive");
      p.vter = nr * p.vt;
      p.isr = semi::scaleSatCurrent(P.model("isr"), nr, eg, xti, Tnom, T) * area;
      p.vj = vjL;
      p.m = mg;
    }
    constexpr double kEpsmin = 1e-28;  // ngspice: smaller knee currents disable the effect
    p.ikf = P.hasModel("ikf") && P.model("ikf") >= kEpsmin ? P.model("ikf") * area : 0.0;
    p.ikr = P.hasModel("ikr") && P.model("ikr") >= kEpsmin ? P.model("ikr") * area : 0.0;
    off_[i] = P.hasInst("off");
    ic_[i] = P.inst("ic");
    return {};
  }

  void initialCharges(LoadContext& c, std::size_t i, const double* V) {
    if constexpr (kThermal)
      if (th_[i].on) {
        dt_[i] = V[T];
        mapTemperature(i, dt_[i], false);
      }
    const Inst& p = p_[i];
    const double vd = (c.uic && !std::isnan(ic_[i])) ? ic_[i] : V[AP] - V[K];
    const auto j = evalJunction(p, vd, 0.0);
    c.charge(st_[i], evalCharge(p, vd, j.idiode, j.gdiode).q);
    if constexpr (kThermal) c.charge(st_[i] + 1, th_[i].on ? th_[i].cth * V[T] : 0.0);
    vd_[i] = vd;
  }

  void linearise(LoadContext& c, std::size_t i, const double* V, Lin& L, bool tran) {
    const Inst& p = p_[i];
    const Thermal& th = th_[i];
    // the temperature rise: 0 at the first iteration, else limited as ngspice 39's diode (100 K)
    double dt = 0.0;
    if constexpr (kThermal) dt = th.on ? V[T] : 0.0;
    if (th.on) {
      bool lt = false;
      dt = c.initJunctions || c.holdTemperatures ? 0.0 : c.resync ? dt : semi::limitLog(dt, dt_[i], 100.0, lt);
      if (lt) c.noncon++;
      dt_[i] = dt;
    }
    // junction voltage: initial guess, or limited against the last one
    double vd = V[AP] - V[K];
    bool limited = false;
    if (c.initJunctions) {
      vd = off_[i] ? 0.0 : p.vcrit;
      limited = true;
    } else if (c.resync) {
      // (the retried step's start: vd as it is)
    } else if (p.hasBv && vd < std::min(0.0, -p.bv + 10.0 * p.vtb)) {
      double vr = semi::pnjlim(-(vd + p.bv), -(vd_[i] + p.bv), p.vtb, p.vcrit, limited);
      vd = -(vr + p.bv);
    } else {
      vd = semi::pnjlim(vd, vd_[i], p.vte, p.vcrit, limited);
    }
    if (limited) c.noncon++;
    vd_[i] = vd;
    double* Vl = L.Vl;
    for (int k = 0; k < kN; ++k) Vl[k] = V[k];
    Vl[AP] = V[K] + vd;
    if constexpr (kThermal) {
      if (th.on) {
        thermalStamp(c, i, vd, dt, L);
        if (!tran) storeSmallSignal(i, L.s.G, L.s.C);
        return;
      }
      L.q[1] = 0.0;
    }
    stampJunction(p, Vl, vd, c.gmin, L.s, L.q);
    if (!tran) storeSmallSignal(i, L.s.G, L.s.C);
  }

  // The self-heating instance's stamp at the junction voltage vd and the rise dt (K).
  void thermalStamp(LoadContext& c, std::size_t i, double vd, double dt, Lin& L) {
    if constexpr (kThermal) {
      const Thermal& th = th_[i];
      double* Vl = L.Vl;
      Vl[T] = dt;
      // the model at the rise and on either side of it (the temperature column)
      semi::LocalStamp<Layout> plus, minus;
      double qs[Layout::states];
      if (c.holdTemperatures) {  // the power flows, the parameters stay at the instance's (dt = 0)
        mapTemperature(i, 0.0, false);
        stampJunction(p_[i], Vl, vd, c.gmin, L.s, L.q);
      } else {
        mapTemperature(i, dt + semi::kThermalStep, false);
        stampJunction(p_[i], Vl, vd, c.gmin, plus, qs);
        mapTemperature(i, dt - semi::kThermalStep, false);
        stampJunction(p_[i], Vl, vd, c.gmin, minus, qs);
        if (mapTemperature(i, dt, true)) c.noncon++;  // held: not the solution's parameters yet
        stampJunction(p_[i], Vl, vd, c.gmin, L.s, L.q);
        semi::addTemperatureColumn(L.s, plus, minus, kElectrical, T, 1.0);
      }
      semi::addDissipation(L.s, Vl, kElectrical, T, GN, 1.0);
      L.s.conductance(T, GN, 1.0 / th.rth, Vl);
      L.q[1] = th.cth * Vl[T];
      L.s.capacitance(1, T, GN, th.cth);
    }
  }

  // Device quantities beyond the current: ngspice's small-signal values of the junction, the
  // conductance gd (with gmin, as ngspice stores it), the capacitance cd (depletion and diffusion)
  // and the charge qd, at the solution's junction voltage (in ac: at the operating point's).
  static constexpr std::string_view kSmallSignal[] = {"gd", "cd", "qd"};
  int quantityId(std::size_t i, std::string_view param) const override {
    if (const int id = semi::namedQuantityId(kSmallSignal, param, int(std::size(kCurrents))); id >= 0) return id;
    return Base::quantityId(i, param);
  }
  double quantity(std::size_t i, int id, const QuantityContext& c) const override {
    if (id < int(std::size(kCurrents))) return Base::quantity(i, id, c);
    const auto& nd = nodes_[i];
    return smallSignal(i, c.x[nd[AP]] - c.x[nd[K]], id - int(std::size(kCurrents)));
  }
  std::complex<double> acQuantity(std::size_t i, int id, const std::complex<double>* x, double omega) const override {
    if (id < int(std::size(kCurrents))) return Base::acQuantity(i, id, x, omega);
    return smallSignal(i, vd_[i], id - int(std::size(kCurrents)));
  }

  // Self-heating: the temperature moves with the power of the whole step: no reuse across steps.
  bool stepBypass(std::size_t i) const { return !th_[i].on; }
  double polarity(std::size_t) const { return 1.0; }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const auto& nd : nodes_) {
      out.emplace_back(nd[0], nd[1]);
      if (nd[2] != nd[0]) out.emplace_back(nd[0], nd[2]);
      if constexpr (kThermal)
        if (nd[T] != 0) out.emplace_back(nd[T], 0);
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
      // KF (|Id|/m)^AF m: the m copies' noise powers add (ngspice 39)
      c.flicker(d, "_1overf", nd[AP], nd[K], NoiseContext::flickerCoef(kf, af, id / p.mult) * p.mult);
    }
  }

 private:
  // The resistive stamp (RS, the junction with gmin) and the junction charge q[0] at the local
  // voltages Vl with the junction at vd.
  static void stampJunction(const Inst& p, const double* Vl, double vd, double gmin, semi::LocalStamp<Layout>& s,
                            double* q) {
    if (p.gs > 0) s.conductance(A, AP, p.gs, Vl);
    const auto j = evalJunction(p, vd, gmin);
    s.current(AP, K, j.i);
    s.slope(AP, K, AP, K, j.g);
    const auto qc = evalCharge(p, vd, j.idiode, j.gdiode);
    s.capacitance(0, AP, K, qc.c);
    q[0] = qc.q;
  }

  double smallSignal(std::size_t i, double vd, int k) const {
    const Inst& p = p_[i];
    const auto j = evalJunction(p, vd, opts_.gmin);
    if (k == 0) return j.g;
    const auto qc = evalCharge(p, vd, j.idiode, j.gdiode);
    return k == 1 ? qc.c : qc.q;
  }

  // The parameters at the instance temperature plus the rise dt (K); kept when they do not map.
  // A Newton iterate's rise that first takes VJ(T) or PHP(T) to zero or below (IS(T) grows
  // without bound past it: a run-away iterate) keeps the parameters of the last one short of it,
  // and so does one whose laws overflow; a rise that stays there (within 1 K of the iterate
  // held last, at the iteration that ends Newton's: `iterate`) is the solution's, and its
  // parameters are taken (ngspice 39 follows every iterate: a junction at 830 degC, VJ(T) < 0,
  // agrees; docs/devices.md). Returns whether the parameters were held.
  bool mapTemperature(std::size_t i, double dt, bool iterate) {
    Thermal& th = th_[i];
    if (!memo_[i]) memo_[i] = std::make_unique<ParamMemo>(values(*inst_[i], th.model));
    Inst q = p_[i];
    if (!setupInstance(opts_, i, *inst_[i], th.model, *memo_[i], std::max(th.tinstK + dt, 1.0), q)) return false;
    bool take = !q.nonFinite;
    if (take && q.nonPositivePotential && !p_[i].nonPositivePotential)
      take = iterate && std::isfinite(th.heldDt) && std::abs(dt - th.heldDt) <= 1.0;
    if (iterate) th.heldDt = take ? NAN : dt;
    if (take) p_[i] = q;
    return !take;
  }

  struct Current {
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

  // Junction current as ngspice 39's dioload.c: the area's (with the sidewall's when it has no NS of
  // its own), SPICE's reverse extension and the breakdown; the recombination current; the sidewall's
  // own exponential (NS); the tunnelling current -ITUN (exp(-v/(NTUN vt)) - 1); the high-injection
  // knees on the sum; gmin across.
  static Current evalJunction(const Inst& p, double vd, double gmin) {
    auto diode = [&](double is, double vte) -> semi::CurrentAndSlope {
      if (vd >= -3.0 * vte || !p.hasBv || vd >= -p.bv) return semi::junctionCurrent(vd, is, vte);
      const double e = std::exp(-(p.bv + vd) / p.vtb);
      return {-is * e, is * e / p.vtb};
    };
    const auto b = diode(p.is, p.vte);
    double id = b.i, gd = b.g;
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
    if (p.sidewall) {
      const auto sw = diode(p.isw, p.vtesw);
      id += sw.i;
      gd += sw.g;
    }
    if (p.itun != 0.0) {
      double de = 0;
      const double e = semi::safeExp(-vd / p.vtt, &de);
      id -= p.itun * (e - 1.0);
      gd += p.itun * de / p.vtt;
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

  // Depletion charges of the area and the sidewall, the diffusion charge TT*id
  // and LEVEL=3's fixed metal and poly capacitances.
  static semi::ChargeAndCap evalCharge(const Inst& p, double vd, double id, double gd) {
    auto q = p.area.at(vd);
    const auto qs = p.side.at(vd);
    q.q += qs.q + p.tt * id + p.cfixed * vd;
    q.c += qs.c + p.tt * gd + p.cfixed;
    return q;
  }

  std::vector<double> vd_, ic_;  // vd_: junction voltage of the last evaluation (for limiting)
  std::vector<double> dt_;       // temperature rise of the last evaluation (self-heating; limiting)
  std::vector<Thermal> th_;
  std::vector<std::unique_ptr<ParamMemo>> memo_;  // self-heating: the parameters read once (mapTemperature)
  ir::Options opts_;             // the set-up's options (the temperature mapping each iteration)
};

constexpr const char* kTypes[] = {"d"};
constexpr const char* kSoa = "safe-operating-area limit: accepted; no check is made (ngspice 39 checks it only with .options warn=1)";
constexpr ParamSpec kParams[] = {
    iparam("area", kNoDefault, "", "area factor (also the positional value after the model)").shown("model AREA"),
    iparam("pj", kNoDefault, "", "perimeter factor (scales JSW, CJSW)").shown("model PJ"),
    iparam("w", kNoDefault, "m", "width: at LEVEL=3 with L the area W*L and perimeter 2W+2L; at level 1 only makes the "
                                 "defaults of area and pj 1 and 0").shown("none"),
    iparam("l", kNoDefault, "m", "length (see W)").shown("none"),
    kMultParam,
    flagParam("off", "start the operating point with the junction off"),
    iparam("ic", kNoDefault, "V", "initial junction voltage, used with .tran ... uic").shown("none"),
    kTempParam, kDtempParam,
    iparam("lm", kNoDefault, "m", "length of the metal capacitor (LEVEL=3)").shown("model LM"),
    iparam("lp", kNoDefault, "m", "length of the polysilicon capacitor (LEVEL=3)").shown("model LP"),
    iparam("wm", kNoDefault, "m", "width of the metal capacitor (LEVEL=3)").shown("model WM"),
    iparam("wp", kNoDefault, "m", "width of the polysilicon capacitor (LEVEL=3)").shown("model WP"),
    iparam("scale", 1.0, "", "LEVEL=3 geometry scale (set from .options scale)").shown(".options scale"),
    flagParam("thermal", "self-heating (with RTH0 and a third node, the temperature rise)"),
    mparam("is", 1e-14, "A", "saturation current (per area; below 1e-28 raised to 1e-28, as ngspice)").aka("js"),
    mparam("n", 1.0, "", "emission coefficient"),
    mparam("jsw", kNoDefault, "A", "sidewall saturation current (per perimeter)").shown("none"),
    mparam("ns", 1.0, "", "sidewall emission coefficient: given, the sidewall current has its own exponential; "
                          "otherwise JSW joins IS"),
    mparam("rs", 0.0, "Ω", "series resistance (an internal node when > 0)"),
    mparam("cjo", 0.0, "F", "zero-bias junction capacitance (per area)").aka("cj0", "cj"),
    mparam("vj", 1.0, "V", "junction potential (limited to 1/FC)").aka("pb"),
    mparam("m", 0.5, "", "grading coefficient (limited to 0.9, as ngspice 39)").aka("mj"),
    kFcParam,
    mparam("cjp", 0.0, "F", "zero-bias sidewall capacitance (per perimeter)").aka("cjsw"),
    mparam("php", 1.0, "V", "sidewall junction potential (limited to 1/FCS)"),
    mparam("mjsw", 0.33, "", "sidewall grading coefficient"),
    mparam("fcs", 0.5, "", "sidewall forward-bias depletion capacitance coefficient"),
    mparam("tt", 0.0, "s", "transit time"),
    mparam("ttt1", 0.0, "1/K", "linear temperature coefficient of TT"),
    mparam("ttt2", 0.0, "1/K²", "quadratic temperature coefficient of TT"),
    mparam("tm1", 0.0, "1/K", "linear temperature coefficient of M"),
    mparam("tm2", 0.0, "1/K²", "quadratic temperature coefficient of M"),
    mparam("bv", kNoDefault, "V", "reverse breakdown voltage (breakdown only when given; 0 is a breakdown at 0 V, as ngspice)").shown("∞"),
    mparam("ibv", 1e-3, "A", "current at BV (times m; at LEVEL=3 times the area); 0 or less: the breakdown at BV itself, as ngspice 39").aka("ib"),
    mparam("nbv", kNoDefault, "", "breakdown emission coefficient").shown("N"),
    mparam("tcv", 0.0, "V/K or 1/K", "BV temperature coefficient: BV - TCV dT (TLEV=0), BV (1 - TCV dT) (TLEV=1, 2)"),
    mparam("trs1", 0.0, "1/K", "linear temperature coefficient of RS").aka("trs"),
    mparam("trs2", 0.0, "1/K²", "quadratic temperature coefficient of RS"),
    // PSpice's temperature coefficients of BV and IKF, and its low-level breakdown: not ngspice 39's
    // parameters, which it ignores with a warning; so does simcore
    mparam("tbv1", kNoDefault, "1/K", "PSpice's BV temperature coefficient: ignored with a warning, as ngspice 39").shown("ignored (warned)"),
    mparam("tbv2", kNoDefault, "1/K²", "PSpice's quadratic BV temperature coefficient: ignored with a warning, as ngspice 39").shown("ignored (warned)"),
    mparam("tikf", kNoDefault, "1/K", "PSpice's IKF temperature coefficient: ignored with a warning, as ngspice 39").shown("ignored (warned)"),
    mparam("nbvl", kNoDefault, "", "PSpice's low-level breakdown emission coefficient: ignored with a warning (not in ngspice 39)").shown("ignored (warned)"),
    mparam("ibvl", kNoDefault, "A", "PSpice's low-level breakdown current: ignored with a warning (not in ngspice 39)").shown("ignored (warned)"),
    mparam("tlev", 0.0, "", "temperature model: selects TCV's form (ngspice 39 has no other TLEV effect)"),
    mparam("tlevc", 0.0, "", "capacitance temperature model: 0 SPICE's, 1 linear (CTA, CTP, TPB, TPHP)"),
    mparam("eg", 1.11, "eV", "band gap for IS(T)"),
    mparam("xti", 3.0, "", "IS temperature exponent"),
    mparam("cta", 0.0, "1/K", "TLEVC=1: CJO temperature coefficient").aka("ctc"),
    mparam("ctp", 0.0, "1/K", "TLEVC=1: CJP temperature coefficient"),
    mparam("tpb", 0.0, "V/K", "TLEVC=1: VJ temperature coefficient").aka("tvj"),
    mparam("tphp", 0.0, "V/K", "TLEVC=1: PHP temperature coefficient"),
    mparam("jtun", kNoDefault, "A", "tunnelling saturation current (per area)").shown("none"),
    mparam("jtunsw", kNoDefault, "A", "tunnelling sidewall saturation current (per perimeter)").shown("none"),
    mparam("ntun", 30.0, "", "tunnelling emission coefficient"),
    mparam("xtitun", 3.0, "", "tunnelling current temperature exponent"),
    mparam("keg", 1.0, "", "band-gap factor of the tunnelling current"),
    mparam("isr", kNoDefault, "A", "recombination saturation current (forward; only when given)").shown("none"),
    mparam("nr", 1.0, "", "recombination emission coefficient (ngspice 39's default; PSpice's is 2)"),
    mparam("ikf", kNoDefault, "A", "forward high-injection knee current").aka("ik").shown("∞"),
    mparam("ikr", kNoDefault, "A", "reverse high-injection knee current").shown("∞"),
    mparam("area", 1.0, "", "default area factor of the instances"),
    mparam("pj", 0.0, "", "default perimeter factor of the instances"),
    kTnomParam.aka("tref"),
    kKfNoiseParam, kAfNoiseParam,
    mparam("fv_max", kNoDefault, "V", kSoa).shown("—"),
    mparam("bv_max", kNoDefault, "V", kSoa).shown("—"),
    mparam("id_max", kNoDefault, "A", kSoa).shown("—"),
    mparam("pd_max", kNoDefault, "W", kSoa).shown("—"),
    mparam("te_max", kNoDefault, "°C", kSoa).shown("—"),
    mparam("rth0", kNoDefault, "K/W", "self-heating thermal resistance (self-heating only when given)").shown("none"),
    mparam("cth0", 1e-5, "J/K", "self-heating thermal capacitance"),
    mparam("lm", 0.0, "m", "length of the metal capacitor (LEVEL=3)"),
    mparam("lp", 0.0, "m", "length of the polysilicon capacitor (LEVEL=3)"),
    mparam("wm", 0.0, "m", "width of the metal capacitor (LEVEL=3)"),
    mparam("wp", 0.0, "m", "width of the polysilicon capacitor (LEVEL=3)"),
    mparam("xom", 1e4, "Å", "metal-to-bulk oxide thickness (LEVEL=3; in ångström, as ngspice 39)"),
    mparam("xoi", 1e4, "Å", "polysilicon-to-bulk oxide thickness (LEVEL=3; in ångström, as ngspice 39)"),
    mparam("xm", 0.0, "m", "masking and etching effect on the metal (LEVEL=3)"),
    mparam("xp", 0.0, "m", "masking and etching effect on the polysilicon (LEVEL=3)"),
    mparam("level", 1.0, "", "model level: 1, or 3 (area and perimeter from W and L, .options scale, metal and poly "
                             "capacitances)"),
};

}  // namespace

extern const DeviceKind kDiodeKind;

namespace {
// The self-heating layout for a group with a `thermal` instance, else the plain one.
std::unique_ptr<DeviceGroup> makeDiodes(std::vector<const ir::Device*> inst) {
  if (semi::anySelfHeating(inst)) return makeGroup<DiodesT<ThermalLayout>, kDiodeKind>(std::move(inst));
  return makeGroup<DiodesT<PlainLayout>, kDiodeKind>(std::move(inst));
}
}  // namespace

constexpr DeviceKind kDiodeKind{
    .letter = 'd', .name = "diode", .form = CardForm::ModelCard, .minNodes = 2, .maxNodes = 3, .modelTypes = kTypes,
    .params = kParams, .positional = "area",
    .valueDoc = "Dname anode cathode [t] model [area] [name=value ...] [off] [thermal]",
    .create = makeDiodes};

}  // namespace simcore::dev
