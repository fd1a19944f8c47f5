// Q: bipolar transistor, the Gummel-Poon model of ngspice 39 (level 1): the
// device group (junction limiting, the excess-phase filter's history, small
// signal, noise) and the descriptor. The equations and the temperature
// scaling are in bjt_model.cpp. Local terminals: bjt_model.hpp.
#include <array>
#include <cmath>
#include <complex>

#include "devices/bjt_model.hpp"
#include "devices/noise.hpp"

namespace simcore::dev {
namespace {

using namespace bjt;
constexpr int kN = Layout::terminals;
constexpr int kStates = Layout::states;
using Lin = semi::Linearisation<Layout>;
constexpr int kE = Stamp::E;

class Bjts final : public semi::LinearisedGroup<Bjts, Layout, BjtInst> {
 public:
  using LinearisedGroup::LinearisedGroup;
  // ngspice's savecurrents names, currents into the terminals (is: the substrate)
  // (the substrate's in the n-type frame, as ngspice's BJT reports it)
  static constexpr semi::TerminalCurrent kCurrents[] = {
      {"ic", C, CX, CP}, {"ie", E, EP}, {"ib", B, BP}, {.name = "is", .outer = S, .inner = S, .nFrame = true}};

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    resizeInstances(n);
    vbe_.assign(n, 0.0); vbc_.assign(n, 0.0); vsub_.assign(n, 0.0);
    ic_.assign(n, {kNoDefault, kNoDefault});
    xp_.assign(n, History{});
    gmgo_.assign(n, 0.0);
    opV_.assign(n * kN, 0.0);
    gmin_ = ctx.options().gmin;
    const ir::Options& o = ctx.options();
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      const ir::Model* mod = ctx.model(d);
      if (!mod || (mod->type != "npn" && mod->type != "pnp"))
        return deviceError(d, "bipolar transistor '" + d.name + "' needs an npn or pnp model");
      if (auto s = checkModel(*mod); !s) return s;
      const ParamValues P = values(d, mod);
      if (P.model("level") != 1)
        return deviceError(d, "bipolar transistor level " + valueText(P.model("level")) +
                                  " is not supported; use level 1 (Gummel-Poon), 4 or 9 (VBIC) or 8 (HICUM)");
      const double area = d.value ? *d.value : P.inst("area"), m = P.inst("m");
      if (!(area > 0) || !(m > 0))
        return deviceError(d, "bipolar transistor '" + d.name + "': area and m must be positive");
      const double T = semi::instanceTempK(P, o), Tnom = semi::nominalTempK(P, o);
      auto inst = instanceAt(P, d, mod->type, area, m, T, Tnom);
      if (!inst) return inst.error();
      BjtInst& p = p_[i];
      p = *inst;
      off_[i] = P.hasInst("off");
      ic_[i] = {P.hasInst("icvbe") ? P.inst("icvbe") : kNoDefault, P.hasInst("icvce") ? P.inst("icvce") : kNoDefault};

      auto& nd = nodes_[i];
      nd[C] = ctx.node(d.nodes[0]);
      nd[B] = ctx.node(d.nodes[1]);
      nd[E] = ctx.node(d.nodes[2]);
      nd[S] = d.nodes.size() == 4 ? ctx.node(d.nodes[3]) : 0;
      nd[CX] = p.gc > 0 ? ctx.addInternalNode(d, "c") : nd[C];
      nd[CP] = p.quasi ? ctx.addInternalNode(d, "ci") : nd[CX];
      nd[BP] = p.hasRb ? ctx.addInternalNode(d, "b") : nd[B];
      nd[EP] = p.ge > 0 ? ctx.addInternalNode(d, "e") : nd[E];
      st_[i] = ctx.addStates(kStates);
    }
    return {};
  }

  double polarity(std::size_t i) const { return p_[i].sign; }

  // Device quantities beyond the terminal currents: ngspice's small-signal values (in the npn
  // frame, as ngspice's) at the solution; in ac, at the operating point.
  static constexpr std::string_view kSmallSignal[] = {"gm", "go", "gpi", "gmu", "cpi", "cmu", "qbe", "qbc", "cbx", "csub"};
  int quantityId(std::size_t i, std::string_view param) const override {
    if (const int id = semi::namedQuantityId(kSmallSignal, param, int(std::size(kCurrents))); id >= 0) return id;
    return LinearisedGroup::quantityId(i, param);
  }
  double quantity(std::size_t i, int id, const QuantityContext& c) const override {
    if (id < int(std::size(kCurrents))) return LinearisedGroup::quantity(i, id, c);
    double V[kN];
    for (int k = 0; k < kN; ++k) V[k] = p_[i].sign * c.x[nodes_[i][k]];
    return smallSignal(i, V, id - int(std::size(kCurrents)));
  }
  std::complex<double> acQuantity(std::size_t i, int id, const std::complex<double>* x, double omega) const override {
    if (id < int(std::size(kCurrents))) return LinearisedGroup::acQuantity(i, id, x, omega);
    return smallSignal(i, &opV_[i * kN], id - int(std::size(kCurrents)));
  }

  // With uic the internal nodes start where initialCharges puts the device:
  // the emitter at its terminal's initial value, the base and collector at the
  // emitter's plus vbe and vce (IC=, else the terminals'), so that the first
  // step's Newton starts there (ngspice linearises it there in that step's
  // first iteration; from 0 V behind 1 ohm of RB Newton did not converge)
  void initialConditions(double* x) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const auto& nd = nodes_[i];
      auto set = [&](int internal, int external, double v) {
        if (nd[internal] != nd[external] && nd[internal] > 0) x[nd[internal]] = v;
      };
      const double vbe = std::isnan(ic_[i][0]) ? x[nd[B]] - x[nd[E]] : ic_[i][0];
      const double vce = std::isnan(ic_[i][1]) ? x[nd[C]] - x[nd[E]] : ic_[i][1];
      set(EP, E, x[nd[E]]);
      set(BP, B, x[nd[EP]] + vbe);
      set(CX, C, x[nd[EP]] + vce);
      set(CP, CX, x[nd[EP]] + vce);
    }
  }

  void initialCharges(LoadContext& c, std::size_t i, const double* Vx) {
    // With uic ngspice 39 starts a BJT's charges from vbe and vce of its
    // IC=vbe,vce (its external terminals' initial values where not given:
    // BJTgetic), vbx = vbc, vsub = 0 and no drop across the quasi-saturation
    // region (bjtload's MODEUIC initial point); the internal nodes start there
    // too (initialConditions)
    double W[kN];
    for (int k = 0; k < kN; ++k) W[k] = Vx[k];
    if (c.uic) {
      const BjtInst& p = p_[i];
      const double vbe = std::isnan(ic_[i][0]) ? Vx[B] - Vx[E] : p.sign * ic_[i][0];
      const double vce = std::isnan(ic_[i][1]) ? Vx[C] - Vx[E] : p.sign * ic_[i][1];
      W[EP] = Vx[E];
      W[BP] = W[B] = W[EP] + vbe;
      W[CP] = W[CX] = W[EP] + vce;
      W[S] = p.subs > 0 ? W[CP] : W[BP];
    }
    const double* V = W;
    Stamp s;
    double q[kStates];
    Outputs out;
    evaluate(p_[i], V, c.gmin, ExcessPhase{}, s, q, out);
    for (int k = 0; k < kStates; ++k) c.charge(st_[i] + k, q[k]);
    vbe_[i] = V[BP] - V[EP];
    vbc_[i] = V[BP] - V[CP];
    vsub_[i] = p_[i].subs > 0 ? V[S] - V[CP] : V[BP] - V[S];
    // the excess-phase filter starts from the operating point's transport current
    History& h = xp_[i];
    h = History{};
    h.y1 = h.y2 = h.yLast = out.y;
    h.t1 = h.tLast = c.time;
    h.started = true;
  }

  void linearise(LoadContext& c, std::size_t i, const double* V, Lin& L, bool tran) {
    const BjtInst& p = p_[i];
    double vbe = V[BP] - V[EP], vbc = V[BP] - V[CP];
    double vsub = p.subs > 0 ? V[S] - V[CP] : V[BP] - V[S];
    bool limited = false;
    if (c.initJunctions) {
      vbe = off_[i] ? 0.0 : p.vcrit;
      vbc = 0.0;
      vsub = 0.0;
      limited = true;
    } else if (!c.resync) {
      bool l1 = false, l2 = false, l3 = false;
      vbe = semi::pnjlim(vbe, vbe_[i], p.vt, p.vcrit, l1);
      vbc = semi::pnjlim(vbc, vbc_[i], p.vt, p.vcrit, l2);
      if (p.iss > 0) vsub = semi::pnjlim(vsub, vsub_[i], p.vt, p.vcritSub, l3);
      limited = l1 || l2 || l3;
    }
    if (limited) c.noncon++;
    vbe_[i] = vbe; vbc_[i] = vbc; vsub_[i] = vsub;
    double* Vl = L.Vl;
    for (int k = 0; k < kN; ++k) Vl[k] = V[k];
    Vl[EP] = V[BP] - vbe;
    Vl[CP] = V[BP] - vbc;
    if (c.initJunctions) Vl[CX] = V[BP];  // vbcx = 0
    if (p.subs > 0) Vl[S] = Vl[CP] + vsub;
    else Vl[S] = Vl[BP] - vsub;
    Outputs out;
    if (tran) {
      ExcessPhase xp;
      History& h = xp_[i];
      if (p.td != 0 && h.started && c.time > h.t1) {
        // Weil's approximation as ngspice: backward Euler of the second-order
        // filter over this step (delta) and the last one (deltaOld)
        const double delta = c.time - h.t1, deltaOld = h.t2 < h.t1 ? h.t1 - h.t2 : delta;
        double a1 = delta / p.td;
        const double a2 = 3.0 * a1;
        a1 = a2 * a1;
        const double denom = 1.0 + a1 + a2;
        xp.arg3 = a1 / denom;
        xp.hist = (h.y1 * (1.0 + delta / deltaOld + a2) - h.y2 * delta / deltaOld) / denom;
      }
      evaluate(p, Vl, c.gmin, xp, L.s, L.q, out);
      h.yLast = out.y;
      h.tLast = c.time;
      return;
    }
    Stamp acOmitted;
    evaluate(p, Vl, c.gmin, ExcessPhase{}, L.s, L.q, out, &acOmitted);
    // small signal as ngspice: the base resistance is a plain conductance 1/rbb
    // at the OP, the substrate junction only its capacitance
    double G[kE];
    for (int e = 0; e < kE; ++e) G[e] = L.s.G[e] - acOmitted.G[e];
    storeSmallSignal(i, G, L.s.C);
    std::copy_n(Vl, kN, &opV_[i * kN]);
    gmgo_[i] = out.gmgo;
  }

  // The excess-phase filter moves with time: no reuse across steps with PTF.
  bool stepBypass(std::size_t i) const { return p_[i].td == 0; }

  void accept(const double* x, double time) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      History& h = xp_[i];
      if (p_[i].td == 0 || !h.started || h.tLast != time || time <= h.t1) continue;
      h.y2 = h.y1; h.t2 = h.t1;
      h.y1 = h.yLast; h.t1 = time;
    }
    LinearisedGroup::accept(x, time);
  }

  // AC: ngspice delays the transconductance by the excess phase exactly,
  // (gm + go)*exp(-j omega td) in place of gm + go.
  void acLoad(AcContext& c) override {
    LinearisedGroup::acLoad(c);
    constexpr auto& slot = Stamp::entries.slot;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      if (p_[i].td == 0) continue;
      const std::complex<double> d = gmgo_[i] * (std::polar(1.0, -c.omega * p_[i].td) - 1.0);
      const auto& pos = pat_[i].pos;
      c.A[pos[slot[CP][BP]]] += d;
      c.A[pos[slot[CP][EP]]] -= d;
      c.A[pos[slot[EP][BP]]] -= d;
      c.A[pos[slot[EP][EP]]] += d;
    }
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      const auto& nd = nodes_[i];
      out.emplace_back(nd[CP], nd[EP]);
      out.emplace_back(nd[BP], nd[EP]);
      out.emplace_back(nd[BP], nd[CP]);
      if (nd[S] != 0) out.emplace_back(nd[S], p_[i].subs > 0 ? nd[CP] : nd[BP]);  // gmin
      if (nd[C] != nd[CX]) out.emplace_back(nd[C], nd[CX]);
      if (nd[CX] != nd[CP]) out.emplace_back(nd[CX], nd[CP]);
      if (nd[B] != nd[BP]) out.emplace_back(nd[B], nd[BP]);
      if (nd[E] != nd[EP]) out.emplace_back(nd[E], nd[EP]);
    }
  }

  // ---- .noise (as ngspice's): RC, RB (1/rbb at the operating point) and RE
  // thermal, collector and base shot noise 2 q |Ic|, 2 q |Ib| (to e'), and
  // flicker KF |Ib|^AF / f between b' and e'.
  void noise(NoiseContext& c) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      const BjtInst& p = p_[i];
      const auto& nd = nodes_[i];
      double V[kN], q[kStates];
      for (int k = 0; k < kN; ++k) V[k] = p.sign * c.xop[nd[k]];
      Stamp st;
      Outputs out;
      evaluate(p, V, c.gmin, ExcessPhase{}, st, q, out);
      // the series resistances' (and RCO's) currents cancel in these sums: the
      // intrinsic collector and base currents, without the substrate diode's
      double ic = st.I[C] + st.I[CX] + st.I[CP], ib = st.I[B] + st.I[BP];
      if (p.subs > 0) ic += out.isub;
      else ib -= out.isub;
      c.thermal(d, "_rc", nd[CX], nd[C], p.gc);
      c.thermal(d, "_rb", nd[BP], nd[B], nd[B] != nd[BP] ? opG_[i * kE + Stamp::entries.slot[B][B]] : 0.0);
      c.thermal(d, "_re", nd[EP], nd[E], p.ge);
      c.shot(d, "_ic", nd[CP], nd[EP], ic);
      c.shot(d, "_ib", nd[BP], nd[EP], ib);
      const ParamValues P = values(d, c.model(d));
      const double kf = P.model("kf", 0.0), af = P.model("af", 1.0);
      c.flicker(d, "_1overf", nd[BP], nd[EP], P.inst("m") * NoiseContext::flickerCoef(kf, af, ib / P.inst("m")));
    }
  }

 private:
  double smallSignal(std::size_t i, const double* V, int k) const {
    Stamp st;
    double q[kStates];
    Outputs out;
    evaluate(p_[i], V, gmin_, ExcessPhase{}, st, q, out);
    const double v[] = {out.gm, out.go, out.gpi, out.gmu, out.cpi, out.cmu, q[0], q[1], out.cbx, out.csub};
    return v[k];
  }
  std::vector<double> opV_;  // local voltages of the last DC load (the ac quantities' operating point)
  double gmin_ = 1e-12;
  // Excess-phase filter outputs at the last two accepted points (y1 at t1, y2
  // at t2) and at the last evaluation (yLast at tLast).
  struct History {
    double y1 = 0, y2 = 0, t1 = 0, t2 = -1e300, yLast = 0, tLast = 0;
    bool started = false;
  };
  std::vector<double> vbe_, vbc_, vsub_;  // junction voltages of the last evaluation (for limiting)
  std::vector<std::array<double, 2>> ic_;  // IC=vbe,vce for uic (NaN: from the terminals)
  std::vector<History> xp_;
  std::vector<double> gmgo_;  // d(transport current)/d(vbe) at the operating point (excess phase in AC)
};

constexpr const char* kTypes[] = {"npn", "pnp"};
constexpr const char* kSoa = "safe-operating-area limit: accepted and ignored";
constexpr ParamSpec kParams[] = {
    iparam("area", 1.0, "", "area factor (also the positional value after the model)"),
    iparam("areab", kNoDefault, "", "base area factor (b-c junction of a vertical device)").shown("AREA"),
    iparam("areac", kNoDefault, "", "collector area factor (b-c junction of a lateral device)").shown("AREA"),
    kMultParam,
    flagParam("off", "start the operating point with the junctions off"),
    iparam("icvbe", kNoDefault, "V", "initial b-e voltage with .tran uic (also IC=vbe,vce)").shown("from the nodes"),
    iparam("icvce", kNoDefault, "V", "initial c-e voltage with .tran uic").shown("from the nodes"),
    kTempParam, kDtempParam,
    mparam("subs", kNoDefault, "", "substrate junction: 1 vertical (to c'), -1 lateral (to b')")
        .shown("1 npn, -1 pnp"),
    mparam("is", 1e-16, "A", "transport saturation current"),
    mparam("ibe", kNoDefault, "A", "b-e saturation current (with IBC, instead of IS)").shown("IS"),
    mparam("ibc", kNoDefault, "A", "b-c saturation current (with IBE, instead of IS)").shown("IS"),
    mparam("bf", 100.0, "", "ideal forward beta"),
    mparam("br", 1.0, "", "ideal reverse beta"),
    mparam("nf", 1.0, "", "forward emission coefficient"),
    mparam("nr", 1.0, "", "reverse emission coefficient"),
    mparam("vaf", 0.0, "V", "forward Early voltage (0: none)").aka("va").shown("∞"),
    mparam("var", 0.0, "V", "reverse Early voltage (0: none)").aka("vb").shown("∞"),
    mparam("ikf", 0.0, "A", "forward high-injection knee current (0: none)").aka("ik").shown("∞"),
    mparam("ikr", 0.0, "A", "reverse high-injection knee current (0: none)").shown("∞"),
    mparam("nkf", 0.5, "", "high-injection exponent (at most 1)").aka("nk"),
    mparam("ise", 0.0, "A", "b-e leakage saturation current (above 1e-4: a multiple of IS)").aka("c2"),
    mparam("ne", 1.5, "", "b-e leakage emission coefficient"),
    mparam("isc", 0.0, "A", "b-c leakage saturation current (above 1e-4: a multiple of IS)").aka("c4"),
    mparam("nc", 2.0, "", "b-c leakage emission coefficient"),
    mparam("rb", 0.0, "Ω", "zero-bias base resistance"),
    mparam("irb", 0.0, "A", "current where RB falls halfway to RBM (0: none)").shown("∞"),
    mparam("rbm", kNoDefault, "Ω", "minimum base resistance").shown("RB"),
    mparam("rc", 0.0, "Ω", "collector resistance"),
    mparam("re", 0.0, "Ω", "emitter resistance"),
    mparam("cje", 0.0, "F", "b-e zero-bias depletion capacitance"),
    mparam("vje", 0.75, "V", "b-e built-in potential").aka("pe"),
    mparam("mje", 0.33, "", "b-e grading coefficient").aka("me"),
    mparam("cjc", 0.0, "F", "b-c zero-bias depletion capacitance"),
    mparam("vjc", 0.75, "V", "b-c built-in potential").aka("pc"),
    mparam("mjc", 0.33, "", "b-c grading coefficient").aka("mc"),
    mparam("xcjc", 1.0, "", "fraction of CJC at the internal base"),
    mparam("tf", 0.0, "s", "forward transit time"),
    mparam("xtf", 0.0, "", "TF bias dependence coefficient"),
    mparam("vtf", 0.0, "V", "TF dependence on vbc (0: none)").shown("∞"),
    mparam("itf", 0.0, "A", "TF dependence on ibf"),
    mparam("ptf", 0.0, "°", "excess phase at 1/(2π TF): a delay in AC, Weil's filter in a transient"),
    mparam("tr", 0.0, "s", "reverse transit time"),
    mparam("cjs", 0.0, "F", "substrate zero-bias capacitance").aka("ccs", "csub"),
    mparam("vjs", 0.75, "V", "substrate built-in potential").aka("ps"),
    mparam("mjs", 0.0, "", "substrate grading coefficient").aka("ms"),
    mparam("iss", 0.0, "A", "substrate diode saturation current (0: none)"),
    mparam("ns", 1.0, "", "substrate diode emission coefficient"),
    mparam("rco", kNoDefault, "Ω", "epi-layer resistance: quasi-saturation (Kull) when given, at least 0.01")
        .shown("none"),
    mparam("vo", 10.0, "V", "epi-layer drift saturation voltage"),
    mparam("gamma", 1e-11, "", "epi-layer doping factor"),
    mparam("qco", 0.0, "C", "epi-layer charge factor"),
    mparam("quasimod", 0.0, "", "1: the quasi-saturation parameters follow the temperature"),
    mparam("vg", 1.206, "eV", "band gap of GAMMA(T) (QUASIMOD=1)"),
    mparam("cn", kNoDefault, "", "temperature exponent of RCO (QUASIMOD=1)").shown("2.42 npn, 2.2 pnp"),
    mparam("d", kNoDefault, "", "temperature exponent of VO (QUASIMOD=1)").shown("0.87 npn, 0.52 pnp"),
    kFcParam,
    mparam("eg", 1.11, "eV", "band gap for IS(T)"),
    mparam("xti", 3.0, "", "IS temperature exponent"),
    mparam("xtb", 0.0, "", "beta temperature exponent"),
    mparam("tlev", 0.0, "", "temperature equations of IS, ISE, ISC, beta: 0, 1 or 3 (ngspice's)"),
    mparam("tlevc", 0.0, "", "temperature equations of the junction capacitances: 0 or 1"),
#define SIMCORE_BJT_TC(n, what)                                                              \
  mparam(n "1", 0.0, "1/K", what " first-order temperature coefficient"),                   \
      mparam(n "2", 0.0, "1/K²", what " second-order temperature coefficient")
    SIMCORE_BJT_TC("tbf", "BF"), SIMCORE_BJT_TC("tbr", "BR"), SIMCORE_BJT_TC("tikf", "IKF"),
    SIMCORE_BJT_TC("tikr", "IKR"), SIMCORE_BJT_TC("tirb", "IRB"), SIMCORE_BJT_TC("tnc", "NC"),
    SIMCORE_BJT_TC("tne", "NE"), SIMCORE_BJT_TC("tnf", "NF"), SIMCORE_BJT_TC("tnr", "NR"),
    mparam("trb1", 0.0, "1/K", "RB first-order temperature coefficient").aka("trb"),
    mparam("trb2", 0.0, "1/K²", "RB second-order temperature coefficient"),
    mparam("trc1", 0.0, "1/K", "RC first-order temperature coefficient").aka("trc"),
    mparam("trc2", 0.0, "1/K²", "RC second-order temperature coefficient"),
    mparam("tre1", 0.0, "1/K", "RE first-order temperature coefficient").aka("tre"),
    mparam("tre2", 0.0, "1/K²", "RE second-order temperature coefficient"),
    SIMCORE_BJT_TC("trm", "RBM"), SIMCORE_BJT_TC("tvaf", "VAF"), SIMCORE_BJT_TC("tvar", "VAR"),
    SIMCORE_BJT_TC("titf", "ITF"), SIMCORE_BJT_TC("ttf", "TF"), SIMCORE_BJT_TC("ttr", "TR"),
    SIMCORE_BJT_TC("tmje", "MJE"), SIMCORE_BJT_TC("tmjc", "MJC"), SIMCORE_BJT_TC("tmjs", "MJS"),
    SIMCORE_BJT_TC("tns", "NS"),
    mparam("tis1", 0.0, "1/K", "IS exponent coefficient (TLEV=3)"),
    mparam("tis2", 0.0, "1/K²", "IS second-order exponent coefficient (TLEV=3)"),
    mparam("tise1", 0.0, "1/K", "ISE exponent coefficient (TLEV=3)"),
    mparam("tise2", 0.0, "1/K²", "ISE second-order exponent coefficient (TLEV=3)"),
    mparam("tisc1", 0.0, "1/K", "ISC exponent coefficient (TLEV=3)"),
    mparam("tisc2", 0.0, "1/K²", "ISC second-order exponent coefficient (TLEV=3)"),
    mparam("tiss1", 0.0, "1/K", "ISS exponent coefficient (TLEV=3)"),
    mparam("tiss2", 0.0, "1/K²", "ISS second-order exponent coefficient (TLEV=3)"),
#undef SIMCORE_BJT_TC
    mparam("cte", 0.0, "1/K", "CJE temperature coefficient (TLEVC=1)"),
    mparam("ctc", 0.0, "1/K", "CJC temperature coefficient (TLEVC=1)"),
    mparam("cts", 0.0, "1/K", "CJS temperature coefficient (TLEVC=1)"),
    mparam("tvje", 0.0, "V/K", "VJE temperature coefficient (TLEVC=1)"),
    mparam("tvjc", 0.0, "V/K", "VJC temperature coefficient (TLEVC=1)"),
    mparam("tvjs", 0.0, "V/K", "VJS temperature coefficient (TLEVC=1)"),
    kTnomParam.aka("tref"),
    kKfNoiseParam, kAfNoiseParam,
    mparam("vbe_max", kNoDefault, "V", kSoa).shown("—"),
    mparam("vbc_max", kNoDefault, "V", kSoa).shown("—"),
    mparam("vce_max", kNoDefault, "V", kSoa).shown("—"),
    mparam("pd_max", kNoDefault, "W", kSoa).shown("—"),
    mparam("ic_max", kNoDefault, "A", kSoa).shown("—"),
    mparam("ib_max", kNoDefault, "A", kSoa).shown("—"),
    mparam("te_max", kNoDefault, "°C", kSoa).shown("—"),
    mparam("rth0", kNoDefault, "K/W", "thermal resistance (SOA check): accepted and ignored").shown("—"),
    mparam("level", 1.0, "", "model level: 1 (Gummel-Poon); 4 or 9 select VBIC, 8 HICUM"),
};

}  // namespace

extern const DeviceKind kBjtKind;
constexpr DeviceKind kBjtKind{
    .letter = 'q', .name = "bipolar transistor", .form = CardForm::ModelCard, .minNodes = 3, .maxNodes = 4,
    .modelTypes = kTypes, .params = kParams, .positional = "area",
    .valueDoc = "Qname c b e [substrate] model [area] [name=value ...] [off]", .create = makeGroup<Bjts, kBjtKind>};

}  // namespace simcore::dev
