// Q with a level 4 or 9 model: the VBIC bipolar transistor of ngspice 39.
// The device group (junction limiting, self-heating's temperature limiting,
// small signal, noise) and the descriptor; the equations are in
// vbic_model.cpp, the local terminals in vbic_model.hpp.
#include <array>
#include <cmath>

#include "devices/noise.hpp"
#include "devices/self_heating.hpp"
#include "devices/vbic_model.hpp"

namespace simcore::dev {
namespace {

using namespace vbic;
constexpr int kN = Layout::terminals;
constexpr int kStates = Layout::states;
using Lin = semi::Linearisation<Layout>;

class Vbics final : public semi::LinearisedGroup<Vbics, Layout, VbicInst> {
 public:
  using LinearisedGroup::LinearisedGroup;
  // ngspice's names of the currents into the terminals (is: the substrate)
  // (the substrate's in the n-type frame, as ngspice's VBIC reports it)
  static constexpr semi::TerminalCurrent kCurrents[] = {
      {"ic", C, CX}, {"ib", B, BX}, {"ie", E, EI}, {.name = "is", .outer = S, .inner = SI, .nFrame = true}};

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    resizeInstances(n);
    old_.assign(n, Junctions{});
    ic_.assign(n, {kNoDefault, kNoDefault});
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
      const double area = d.value ? *d.value : P.inst("area"), m = P.inst("m");
      if (!(area > 0) || !(m > 0))
        return deviceError(d, "bipolar transistor '" + d.name + "': area and m must be positive");
      const double tempK = semi::instanceTempK(P, o), tnomK = P.model("tnom") + 273.15;
      auto inst = instanceAt(P, d, mod->type, area * m, tempK, tnomK);
      if (!inst) return inst.error();
      VbicInst& p = p_[i];
      p = *inst;
      off_[i] = P.hasInst("off");
      ic_[i] = {P.hasInst("icvbe") ? P.inst("icvbe") : kNoDefault, P.hasInst("icvce") ? P.inst("icvce") : kNoDefault};

      auto& nd = nodes_[i];
      nd[C] = ctx.node(d.nodes[0]);
      nd[B] = ctx.node(d.nodes[1]);
      nd[E] = ctx.node(d.nodes[2]);
      nd[S] = d.nodes.size() >= 4 ? ctx.node(d.nodes[3]) : 0;
      // the thermal node: ground (no temperature rise) unless given
      nd[T] = d.nodes.size() >= 5 ? ctx.node(d.nodes[4]) : 0;
      if (nd[T] == 0) p.selfHeat = false;
      nd[GND] = 0;
      nd[CX] = p.t.rcx > 0 ? ctx.addInternalNode(d, "collector") : nd[C];
      nd[BX] = p.t.rbx > 0 ? ctx.addInternalNode(d, "base") : nd[B];
      nd[EI] = p.t.re > 0 ? ctx.addInternalNode(d, "emitter") : nd[E];
      nd[SI] = p.t.rs > 0 ? ctx.addInternalNode(d, "substrate") : nd[S];
      nd[CI] = ctx.addInternalNode(d, "collci");
      nd[BP] = ctx.addInternalNode(d, "basebp");
      nd[BI] = ctx.addInternalNode(d, "basebi");
      st_[i] = ctx.addStates(kStates);
      kfn_.push_back(P.model("kfn"));
      afn_.push_back(P.model("afn"));
      bfn_.push_back(P.model("bfn"));
      m_.push_back(m);
    }
    return {};
  }

  double polarity(std::size_t i) const { return p_[i].sign; }

  // Device quantities beyond the terminal currents: ngspice's small-signal values (in the npn
  // frame, as ngspice's) at the solution; in ac, at the operating point.
  static constexpr std::string_view kSmallSignal[] = {"gm", "go", "gpi", "gmu", "cbe", "cbc"};
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

  // With uic the internal nodes start where initialCharges puts the device: the
  // emitter's at its terminal's initial value, the bases' at the emitter's plus
  // vbe, the collectors' at the emitter's plus vce (IC=, else the terminals'),
  // the substrate's at its terminal's, so that the first step's Newton starts there
  void initialConditions(double* x) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const auto& nd = nodes_[i];
      auto set = [&](int internal, int external, double v) {
        if (nd[internal] != nd[external] && nd[internal] > 0) x[nd[internal]] = v;
      };
      const double e = x[nd[E]];
      const double vbe = std::isnan(ic_[i][0]) ? x[nd[B]] - e : ic_[i][0];
      const double vce = std::isnan(ic_[i][1]) ? x[nd[C]] - e : ic_[i][1];
      set(EI, E, e);
      set(BX, B, e + vbe);
      set(BI, B, e + vbe);
      set(BP, B, e + vbe);
      set(CX, C, e + vce);
      set(CI, C, e + vce);
      set(SI, S, x[nd[S]]);
    }
  }

  void initialCharges(LoadContext& c, std::size_t i, const double* Vx) {
    // With uic ngspice 39 starts a VBIC's charges from vbe and vce of its
    // IC=vbe,vce (its external terminals' initial values where not given:
    // VBICgetic): vbei = vbex = vbe, vbci = vbcx = vbe - vce, the parasitic
    // junctions, the resistors' drops and the temperature rise at 0 (vbicload's
    // MODEUIC initial point)
    double W[kN];
    for (int k = 0; k < kN; ++k) W[k] = Vx[k];
    if (c.uic) {
      const double sign = p_[i].sign, e = Vx[E];
      const double vbe = std::isnan(ic_[i][0]) ? Vx[B] - e : sign * ic_[i][0];
      const double vce = std::isnan(ic_[i][1]) ? Vx[C] - e : sign * ic_[i][1];
      W[EI] = e;
      W[B] = W[BX] = W[BI] = W[BP] = W[SI] = W[S] = e + vbe;
      W[C] = W[CX] = W[CI] = e + vce;
      W[T] = 0;
    }
    Stamp s;
    double q[kStates];
    Outputs out;
    evaluate(p_[i], W, c.gmin, s, q, out);
    for (int k = 0; k < kStates; ++k) c.charge(st_[i] + k, q[k]);
    old_[i] = junctions(i, W);
  }

  void linearise(LoadContext& c, std::size_t i, const double* V, Lin& L, bool) {
    const VbicInst& p = p_[i];
    Junctions j = junctions(i, V);
    double* Vl = L.Vl;
    for (int k = 0; k < kN; ++k) Vl[k] = V[k];
    bool limited = false;
    if (c.initJunctions) {
      const double vbe = off_[i] ? 0.0 : p.vcrit;
      j = Junctions{vbe, vbe, 0.0, 0.0, 0.0, -vbe, 0.0};
      for (int k = 0; k < kN; ++k) Vl[k] = 0.0;
      Vl[B] = Vl[BX] = Vl[BI] = Vl[BP] = vbe;
      Vl[C] = Vl[CX] = Vl[CI] = vbe;
      limited = true;
    } else if (!c.resync) {
      const Junctions& o = old_[i];
      bool l[7] = {};
      j.vbei = semi::pnjlim(j.vbei, o.vbei, p.vt, p.vcrit, l[0]);
      j.vbex = semi::pnjlim(j.vbex, o.vbex, p.vt, p.vcrit, l[1]);
      j.vbci = semi::pnjlim(j.vbci, o.vbci, p.vt, p.vcrit, l[2]);
      j.vbcx = semi::pnjlim(j.vbcx, o.vbcx, p.vt, p.vcrit, l[3]);
      j.vbep = semi::pnjlim(j.vbep, o.vbep, p.vt, p.vcrit, l[4]);
      j.vbcp = semi::pnjlim(j.vbcp, o.vbcp, p.vt, p.vcrit, l[5]);
      if (p.selfHeat) j.dT = semi::limitLog(j.dT, o.dT, 100.0, l[6]);
      for (bool b : l) limited = limited || b;
      if (limited) {
        // the junctions span the internal nodes from b_i: place them at the limited voltages
        Vl[EI] = V[BI] - j.vbei;
        Vl[CI] = V[BI] - j.vbci;
        Vl[CX] = V[BI] - j.vbcx;
        Vl[BX] = Vl[EI] + j.vbex;
        Vl[BP] = Vl[BX] - j.vbep;
        Vl[SI] = Vl[BP] + j.vbcp;
        Vl[T] = p.sign * j.dT;
        // an unlimited node that shares a terminal's unknown keeps it in step
        const auto& nd = nodes_[i];
        if (nd[CX] == nd[C]) Vl[C] = Vl[CX];
        if (nd[BX] == nd[B]) Vl[B] = Vl[BX];
        if (nd[EI] == nd[E]) Vl[E] = Vl[EI];
        if (nd[SI] == nd[S]) Vl[S] = Vl[SI];
      }
    }
    if (limited) c.noncon++;
    old_[i] = j;
    Outputs out;
    evaluate(p, Vl, c.gmin, L.s, L.q, out);
    if (c.mode != AnalysisMode::Tran) {
      storeSmallSignal(i, L.s.G, L.s.C);
      std::copy_n(Vl, kN, &opV_[i * kN]);
    }
  }

  // Self-heating: the thermal node moves with the power of the whole step: no reuse across steps.
  bool stepBypass(std::size_t i) const { return !p_[i].selfHeat; }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      const auto& nd = nodes_[i];
      out.emplace_back(nd[BI], nd[EI]);
      out.emplace_back(nd[BX], nd[EI]);
      out.emplace_back(nd[BI], nd[CI]);
      out.emplace_back(nd[CX], nd[CI]);
      out.emplace_back(nd[BX], nd[BP]);
      out.emplace_back(nd[SI], nd[BP]);
      out.emplace_back(nd[BP], nd[CX]);
      if (nd[C] != nd[CX]) out.emplace_back(nd[C], nd[CX]);
      if (nd[B] != nd[BX]) out.emplace_back(nd[B], nd[BX]);
      if (nd[E] != nd[EI]) out.emplace_back(nd[E], nd[EI]);
      if (nd[S] != nd[SI]) out.emplace_back(nd[S], nd[SI]);
      if (nd[BX] != nd[BI]) out.emplace_back(nd[BX], nd[BI]);
      if (p_[i].selfHeat) out.emplace_back(nd[T], 0);
    }
  }

  // ---- .noise as ngspice 39's VBIC: thermal noise of RCX, RCI, RBX, RBI, RE,
  // RBP (placed, as ngspice places it, between e_i and e) and RS; shot noise of
  // the forward transport current Itzf (c_i to e_i), of Ibe (b_i to e_i), Ibep
  // and Iccp; flicker KFN |I/M|^AFN M / f^BFN of Ibe and Ibep.
  void noise(NoiseContext& c) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      const VbicInst& p = p_[i];
      const auto& nd = nodes_[i];
      double V[kN], q[kStates];
      for (int k = 0; k < kN; ++k) V[k] = p.sign * c.xop[nd[k]];
      Stamp st;
      Outputs out;
      evaluate(p, V, c.gmin, st, q, out);
      c.thermal(d, "_rc", nd[CX], nd[C], out.gRcx);
      c.thermal(d, "_rci", nd[CX], nd[CI], out.gRci);
      c.thermal(d, "_rb", nd[BX], nd[B], out.gRbx);
      c.thermal(d, "_rbi", nd[BX], nd[BI], out.gRbi);
      c.thermal(d, "_re", nd[EI], nd[E], out.gRe);
      c.thermal(d, "_rbp", nd[EI], nd[E], out.gRbp);
      c.thermal(d, "_rs", nd[SI], nd[S], out.gRs);
      c.shot(d, "_ic", nd[CI], nd[EI], out.itzf);
      c.shot(d, "_ib", nd[BI], nd[EI], out.ibe);
      c.shot(d, "_ibep", nd[BX], nd[BP], out.ibep);
      c.shot(d, "_iccp", nd[BX], nd[SI], out.iccp);
      const double m = m_[i];
      c.flicker(d, "_1overfbe", nd[BI], nd[EI], m * NoiseContext::flickerCoef(kfn_[i], afn_[i], out.ibe / m), bfn_[i]);
      c.flicker(d, "_1overfbep", nd[BX], nd[BP], m * NoiseContext::flickerCoef(kfn_[i], afn_[i], out.ibep / m),
                bfn_[i]);
    }
  }

 private:
  double smallSignal(std::size_t i, const double* V, int k) const {
    Stamp st;
    double q[kStates];
    Outputs out;
    evaluate(p_[i], V, gmin_, st, q, out);
    const double v[] = {out.gm, out.go, out.gpi, out.gmu, out.cbe, out.cbc};
    return v[k];
  }
  std::vector<double> opV_;  // local voltages of the last DC load (the ac quantities' operating point)
  double gmin_ = 1e-12;
  // The limited branch voltages of the last evaluation (the temperature rise dT in K).
  struct Junctions {
    double vbei = 0, vbex = 0, vbci = 0, vbcx = 0, vbep = 0, vbcp = 0, dT = 0;
  };
  Junctions junctions(std::size_t i, const double* V) const {
    return Junctions{V[BI] - V[EI], V[BX] - V[EI], V[BI] - V[CI], V[BI] - V[CX],
                     V[BX] - V[BP], V[SI] - V[BP], p_[i].sign * V[T]};
  }
  std::vector<Junctions> old_;
  std::vector<std::array<double, 2>> ic_;  // IC=vbe,vce for uic (NaN: from the terminals)
  std::vector<double> kfn_, afn_, bfn_, m_;
};

constexpr const char* kTypes[] = {"npn@4", "pnp@4", "npn@9", "pnp@9"};
constexpr const char* kSoa = "safe-operating-area limit: accepted and ignored";
#define SIMCORE_VBIC_SAT(n, def, what) mparam(n, def, "A", what)
constexpr ParamSpec kParams[] = {
    iparam("area", 1.0, "", "area factor (also the positional value after the model)"),
    kMultParam,
    flagParam("off", "start the operating point with the junctions off"),
    iparam("icvbe", kNoDefault, "V", "initial b-e voltage with .tran uic (also IC=vbe,vce)").shown("from the nodes"),
    iparam("icvce", kNoDefault, "V", "initial c-e voltage with .tran uic").shown("from the nodes"),
    kTempParam, kDtempParam,
    mparam("level", 4.0, "", "model level: 4 or 9 (VBIC)"),
    mparam("tnom", 27.0, "°C", "nominal temperature of the parameters (not .options tnom, as ngspice)").aka("tref"),
    mparam("dtemp", 0.0, "°C", "temperature offset of every instance of the model"),
    mparam("rcx", 0.0, "Ω", "extrinsic collector resistance (absent: none; a given value is at least 0.01)"),
    mparam("rci", 0.1, "Ω", "intrinsic collector resistance (at least 0.01)"),
    mparam("vo", 0.0, "V", "epi drift saturation voltage (0: none)").shown("∞"),
    mparam("gamm", 0.0, "", "epi doping parameter"),
    mparam("hrcf", 1.0, "", "high-current RCI factor"),
    mparam("rbx", 0.0, "Ω", "extrinsic base resistance (absent: none; given: at least 0.01)"),
    mparam("rbi", 0.1, "Ω", "intrinsic base resistance, modulated by qb (at least 0.01)"),
    mparam("re", 0.0, "Ω", "emitter resistance (absent: none; given: at least 0.01)"),
    mparam("rs", 0.0, "Ω", "substrate resistance (absent: none; given: at least 0.01)"),
    mparam("rbp", 0.1, "Ω", "parasitic base resistance, modulated by qbp (at least 0.01)"),
    SIMCORE_VBIC_SAT("is", 1e-16, "transport saturation current"),
    mparam("nf", 1.0, "", "forward emission coefficient"),
    mparam("nr", 1.0, "", "reverse emission coefficient"),
    mparam("fc", 0.9, "", "forward-bias depletion capacitance limit"),
    mparam("cbeo", 0.0, "F", "extrinsic b-e overlap capacitance"),
    mparam("cje", 0.0, "F", "b-e zero-bias depletion capacitance"),
    mparam("pe", 0.75, "V", "b-e built-in potential"),
    mparam("me", 0.33, "", "b-e grading coefficient"),
    mparam("aje", -0.5, "", "b-e capacitance smoothing (≤ 0: the FC linearisation)"),
    mparam("cbco", 0.0, "F", "extrinsic b-c overlap capacitance"),
    mparam("cjc", 0.0, "F", "b-c zero-bias depletion capacitance"),
    mparam("qco", 0.0, "C", "epi charge parameter"),
    mparam("cjep", 0.0, "F", "extrinsic b-c zero-bias depletion capacitance"),
    mparam("pc", 0.75, "V", "b-c built-in potential"),
    mparam("mc", 0.33, "", "b-c grading coefficient"),
    mparam("ajc", -0.5, "", "b-c capacitance smoothing"),
    mparam("cjcp", 0.0, "F", "substrate-collector zero-bias capacitance"),
    mparam("ps", 0.75, "V", "substrate-collector built-in potential"),
    mparam("ms", 0.33, "", "substrate-collector grading coefficient"),
    mparam("ajs", -0.5, "", "substrate-collector capacitance smoothing"),
    SIMCORE_VBIC_SAT("ibei", 1e-18, "ideal b-e saturation current"),
    mparam("wbe", 1.0, "", "part of the b-e current at b_i-e_i (the rest at b_x-e_i)"),
    mparam("nei", 1.0, "", "ideal b-e emission coefficient"),
    SIMCORE_VBIC_SAT("iben", 0.0, "non-ideal b-e saturation current"),
    mparam("nen", 2.0, "", "non-ideal b-e emission coefficient"),
    SIMCORE_VBIC_SAT("ibci", 1e-16, "ideal b-c saturation current"),
    mparam("nci", 1.0, "", "ideal b-c emission coefficient"),
    SIMCORE_VBIC_SAT("ibcn", 0.0, "non-ideal b-c saturation current"),
    mparam("ncn", 2.0, "", "non-ideal b-c emission coefficient"),
    mparam("avc1", 0.0, "1/V", "b-c weak avalanche parameter 1 (0: none)"),
    mparam("avc2", 0.0, "", "b-c weak avalanche parameter 2"),
    SIMCORE_VBIC_SAT("isp", 0.0, "parasitic transport saturation current (0: no parasitic transistor)"),
    mparam("wsp", 1.0, "", "part of the parasitic forward current from b_x-b_p (the rest from b_i-c_i)"),
    mparam("nfp", 1.0, "", "parasitic forward emission coefficient"),
    SIMCORE_VBIC_SAT("ibeip", 0.0, "ideal parasitic b-e saturation current"),
    SIMCORE_VBIC_SAT("ibenp", 0.0, "non-ideal parasitic b-e saturation current"),
    SIMCORE_VBIC_SAT("ibcip", 0.0, "ideal parasitic b-c saturation current"),
    mparam("ncip", 1.0, "", "ideal parasitic b-c emission coefficient"),
    SIMCORE_VBIC_SAT("ibcnp", 0.0, "non-ideal parasitic b-c saturation current"),
    mparam("ncnp", 2.0, "", "non-ideal parasitic b-c emission coefficient"),
    mparam("vef", 0.0, "V", "forward Early voltage (0: none)").shown("∞"),
    mparam("ver", 0.0, "V", "reverse Early voltage (0: none)").shown("∞"),
    mparam("ikf", 0.0, "A", "forward knee current (0: none)").shown("∞"),
    mparam("ikr", 0.0, "A", "reverse knee current (0: none)").shown("∞"),
    mparam("ikp", 0.0, "A", "parasitic knee current (0: none)").shown("∞"),
    mparam("tf", 0.0, "s", "forward transit time"),
    mparam("qtf", 0.0, "", "variation of TF with base-width modulation"),
    mparam("xtf", 0.0, "", "coefficient of TF's bias dependence"),
    mparam("vtf", 0.0, "V", "TF dependence on vbc (0: none)").shown("∞"),
    mparam("itf", 0.0, "A", "TF dependence on the forward current"),
    mparam("tr", 0.0, "s", "reverse transit time"),
    mparam("td", 0.0, "s", "forward excess-phase delay: accepted and ignored, as ngspice 39"),
    mparam("kfn", 0.0, "", "b-e flicker noise coefficient (.noise)"),
    mparam("afn", 1.0, "", "b-e flicker noise exponent of the current"),
    mparam("bfn", 1.0, "", "b-e flicker noise exponent of the frequency"),
    mparam("xre", 0.0, "", "temperature exponent of RE"),
    mparam("xrb", 0.0, "", "temperature exponent of RBI and RBX (unless those are given)"),
    mparam("xrbi", 0.0, "", "temperature exponent of RBI"),
    mparam("xrc", 0.0, "", "temperature exponent of RCI and RCX (unless those are given)"),
    mparam("xrci", 0.0, "", "temperature exponent of RCI"),
    mparam("xrs", 0.0, "", "temperature exponent of RS"),
    mparam("xvo", 0.0, "", "temperature exponent of VO"),
    mparam("ea", 1.12, "eV", "activation energy of IS"),
    mparam("eaie", 1.12, "eV", "activation energy of IBEI"),
    mparam("eaic", 1.12, "eV", "activation energy of IBCI and IBEIP"),
    mparam("eais", 1.12, "eV", "activation energy of IBCIP"),
    mparam("eane", 1.12, "eV", "activation energy of IBEN"),
    mparam("eanc", 1.12, "eV", "activation energy of IBCN and IBENP"),
    mparam("eans", 1.12, "eV", "activation energy of IBCNP"),
    mparam("xis", 3.0, "", "temperature exponent of IS"),
    mparam("xii", 3.0, "", "temperature exponent of IBEI, IBCI, IBEIP, IBCIP"),
    mparam("xin", 3.0, "", "temperature exponent of IBEN, IBCN, IBENP, IBCNP"),
    mparam("tnf", 0.0, "1/K", "temperature coefficient of NF and NR"),
    mparam("tavc", 0.0, "1/K", "temperature coefficient of AVC2"),
    mparam("rth", 0.0, "K/W", "thermal resistance (self-heating with a fifth node)"),
    mparam("cth", 0.0, "J/K", "thermal capacitance (at least 1e-12 when RTH is given)"),
    mparam("vrt", 0.0, "V", "reach-through voltage of the b-c junctions (0: none)"),
    mparam("art", 0.1, "", "reach-through smoothing"),
    mparam("ccso", 0.0, "F", "fixed substrate-collector capacitance"),
    mparam("qbm", 0.0, "", "base charge formulation: 0 VBIC, 1 SGP"),
    mparam("nkf", 0.5, "", "high-current beta roll-off exponent"),
    mparam("xikf", 0.0, "", "temperature exponent of IKF"),
    mparam("xrcx", 0.0, "", "temperature exponent of RCX"),
    mparam("xrbx", 0.0, "", "temperature exponent of RBX"),
    mparam("xrbp", 0.0, "", "temperature exponent of RBP"),
    mparam("isrr", 1.0, "", "ratio of the reverse to the forward saturation current"),
    mparam("xisr", 0.0, "", "temperature exponent of ISRR"),
    mparam("dear", 0.0, "eV", "activation energy difference of ISRR"),
    mparam("eap", 1.12, "eV", "activation energy of ISP"),
    mparam("vbbe", 0.0, "V", "b-e breakdown voltage (0: none)"),
    mparam("nbbe", 1.0, "", "b-e breakdown emission coefficient"),
    SIMCORE_VBIC_SAT("ibbe", 1e-6, "b-e breakdown current"),
    mparam("tvbbe1", 0.0, "1/K", "linear temperature coefficient of VBBE"),
    mparam("tvbbe2", 0.0, "1/K²", "quadratic temperature coefficient of VBBE"),
    mparam("tnbbe", 0.0, "1/K", "temperature coefficient of NBBE"),
    mparam("ebbe", 0.0, "", "exp(-VBBE/(NBBE vt)): computed; a given value is ignored, as ngspice"),
    mparam("vers", 1.2, "", "model revision: accepted"),
    mparam("vref", 0.0, "", "reference revision: accepted"),
    mparam("vbe_max", kNoDefault, "V", kSoa).shown("—"),
    mparam("vbc_max", kNoDefault, "V", kSoa).shown("—"),
    mparam("vce_max", kNoDefault, "V", kSoa).shown("—"),
};
#undef SIMCORE_VBIC_SAT

}  // namespace

extern const DeviceKind kVbicKind;
constexpr DeviceKind kVbicKind{
    .letter = 'q', .name = "bipolar transistor", .form = CardForm::ModelCard, .minNodes = 3, .maxNodes = 5,
    .modelTypes = kTypes, .params = kParams, .positional = "area",
    .valueDoc = "Qname c b e [substrate [thermal]] model [area] [name=value ...] [off]",
    .create = makeGroup<Vbics, kVbicKind>};

}  // namespace simcore::dev
