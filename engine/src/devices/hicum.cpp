// Q with a level 8 model: the HICUM level 2 bipolar transistor of ngspice 39.
// The device group (junction limiting, self-heating's temperature limiting,
// device quantities, noise) and the descriptor; the equations are in
// hicum_model.cpp, the local terminals in hicum_model.hpp.
#include <cmath>

#include "devices/hicum_model.hpp"
#include "devices/noise.hpp"
#include "devices/self_heating.hpp"

namespace simcore::dev {
namespace {

using namespace hicum;
constexpr int kN = Layout::terminals;
constexpr int kStates = Layout::states;
using Lin = semi::Linearisation<Layout>;

class Hicums final : public semi::LinearisedGroup<Hicums, Layout, HicumInst> {
 public:
  using LinearisedGroup::LinearisedGroup;
  // ngspice's names of the currents into the terminals (is: the substrate)
  static constexpr semi::TerminalCurrent kCurrents[] = {
      {"ic", C, CI}, {"ib", B, BP, BI}, {"ie", E, EI}, {"is", S, SI}};

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    resizeInstances(n);
    old_.assign(n, Junctions{});
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
      const double tempK = semi::instanceTempK(P, o), tnomK = semi::nominalTempK(P, o);
      auto inst = instanceAt(P, d, mod->type, area, m, tempK, tnomK);
      if (!inst) return inst.error();
      HicumInst& p = p_[i];
      p = *inst;
      off_[i] = P.hasInst("off");

      auto& nd = nodes_[i];
      nd[C] = ctx.node(d.nodes[0]);
      nd[B] = ctx.node(d.nodes[1]);
      nd[E] = ctx.node(d.nodes[2]);
      nd[S] = d.nodes.size() >= 4 ? ctx.node(d.nodes[3]) : 0;
      // the thermal node: the fifth node, else an internal one, with self-heating; ground without
      // (a fifth node is then not connected to the device, as ngspice leaves it)
      nd[T] = 0;
      if (p.selfHeat) nd[T] = d.nodes.size() >= 5 ? ctx.node(d.nodes[4]) : ctx.addInternalNode(d, "dT");
      if (p.selfHeat && nd[T] == 0) p.selfHeat = false;
      nd[GND] = 0;
      nd[CI] = p.rcxOn ? ctx.addInternalNode(d, "collCI") : nd[C];
      nd[BP] = p.rbxOn ? ctx.addInternalNode(d, "baseBP") : nd[B];
      nd[EI] = p.reOn ? ctx.addInternalNode(d, "emitEI") : nd[E];
      nd[SI] = p.rsuOn ? ctx.addInternalNode(d, "subsSI") : nd[S];
      nd[BI] = p.m.rbi0 != 0 ? ctx.addInternalNode(d, "baseBI") : nd[BP];
      st_[i] = ctx.addStates(kStates);
    }
    return {};
  }

  double polarity(std::size_t i) const { return p_[i].sign; }

  // Device quantities beyond the terminal currents (ngspice's names, in the npn frame) at the
  // solution; in ac, at the operating point.
  static constexpr std::string_view kExtra[] = {"it",  "iavl", "rbi",  "betadc", "tf",   "ick",
                                                "gmi", "rpii", "rmui", "tk",     "dtsh", "p"};
  int quantityId(std::size_t i, std::string_view param) const override {
    if (const int id = semi::namedQuantityId(kExtra, param, int(std::size(kCurrents))); id >= 0) return id;
    return LinearisedGroup::quantityId(i, param);
  }
  double quantity(std::size_t i, int id, const QuantityContext& c) const override {
    if (id < int(std::size(kCurrents))) return LinearisedGroup::quantity(i, id, c);
    double V[kN];
    for (int k = 0; k < kN; ++k) V[k] = p_[i].sign * c.x[nodes_[i][k]];
    return extra(i, V, id - int(std::size(kCurrents)));
  }
  std::complex<double> acQuantity(std::size_t i, int id, const std::complex<double>* x, double omega) const override {
    if (id < int(std::size(kCurrents))) return LinearisedGroup::acQuantity(i, id, x, omega);
    return extra(i, &opV_[i * kN], id - int(std::size(kCurrents)));
  }

  void initialCharges(LoadContext& c, std::size_t i, const double* V) {
    Stamp s;
    double q[kStates];
    Outputs out;
    evaluate(p_[i], V, c.gmin, s, q, out);
    for (int k = 0; k < kStates; ++k) c.charge(st_[i] + k, q[k]);
    old_[i] = junctions(i, V);
  }

  void linearise(LoadContext& c, std::size_t i, const double* V, Lin& L, bool) {
    const HicumInst& p = p_[i];
    Junctions j = junctions(i, V);
    double* Vl = L.Vl;
    for (int k = 0; k < kN; ++k) Vl[k] = V[k];
    bool limited = false;
    if (c.initJunctions) {
      // as ngspice: b_i-e_i at the critical voltage, every other junction at 0 (all at 0 when off)
      const double vbe = off_[i] ? 0.0 : p.vcrit;
      j = Junctions{vbe, 0.0, vbe, 0.0, 0.0};
      for (int k = 0; k < kN; ++k) Vl[k] = 0.0;
      for (int k : {B, BP, BI, C, CI, S, SI}) Vl[k] = vbe;
      limited = true;
    } else if (!c.resync) {
      const Junctions& o = old_[i];
      bool l[5] = {};
      j.vbiei = semi::pnjlim(j.vbiei, o.vbiei, p.vt, p.vcrit, l[0]);
      // (a reverse b-c voltage past 3 VDCI, with avalanche, is limited around -3 VDCI)
      const double vaval = 3 * p.t.vdci;
      if (p.favlGiven && j.vbici < std::min(0.0, -vaval)) {
        const double lim = semi::pnjlim(-(j.vbici + vaval), -(o.vbici + vaval), p.vt, p.vcrit, l[1]);
        j.vbici = -(lim + vaval);
      } else {
        j.vbici = semi::pnjlim(j.vbici, o.vbici, p.vt, p.vcrit, l[1]);
      }
      j.vbpei = semi::pnjlim(j.vbpei, o.vbpei, p.vt, p.vcrit, l[2]);
      j.vsici = semi::pnjlim(j.vsici, o.vsici, p.vt, p.vcrit, l[3]);
      if (p.selfHeat) j.dT = semi::limitLog(j.dT, o.dT, 1.0, l[4]);
      for (bool b : l) limited = limited || b;
      if (limited) {
        // the junctions span the internal nodes from b_i: place them at the limited voltages
        Vl[EI] = V[BI] - j.vbiei;
        Vl[CI] = V[BI] - j.vbici;
        Vl[BP] = Vl[EI] + j.vbpei;
        Vl[SI] = Vl[CI] + j.vsici;
        Vl[T] = p.sign * j.dT;
        // a terminal that shares an internal node's unknown keeps it in step
        const auto& nd = nodes_[i];
        if (nd[CI] == nd[C]) Vl[C] = Vl[CI];
        if (nd[BP] == nd[B]) Vl[B] = Vl[BP];
        if (nd[BP] == nd[BI]) Vl[BP] = Vl[BI], Vl[B] = nd[B] == nd[BI] ? Vl[BI] : Vl[B];
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
      out.emplace_back(nd[BP], nd[EI]);
      out.emplace_back(nd[BI], nd[CI]);
      out.emplace_back(nd[BP], nd[CI]);
      out.emplace_back(nd[SI], nd[CI]);
      out.emplace_back(nd[BP], nd[BI]);
      if (nd[C] != nd[CI]) out.emplace_back(nd[C], nd[CI]);
      if (nd[B] != nd[BP]) out.emplace_back(nd[B], nd[BP]);
      if (nd[E] != nd[EI]) out.emplace_back(nd[E], nd[EI]);
      if (nd[S] != nd[SI]) out.emplace_back(nd[S], nd[SI]);
      if (p_[i].selfHeat) out.emplace_back(nd[T], 0);
    }
  }

  // ---- .noise as ngspice 39's HICUM: thermal noise of RCX, RBX, rbi, RE and RSU; shot noise of
  // iavl (c_i to b_i), Ibici + iavl, Ibpei, Ibpci, Isici, it (c_i to e_i) and Ibiei; flicker
  // KF |Ibiei + Ibpei|^AF / f at b_i-e_i (CFBE -1) or b_p-e_i, and KFRE |Ieie|^AFRE / f across RE.
  void noise(NoiseContext& c) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      const HicumInst& p = p_[i];
      const auto& nd = nodes_[i];
      double V[kN], q[kStates];
      for (int k = 0; k < kN; ++k) V[k] = p.sign * c.xop[nd[k]];
      Stamp st;
      Outputs out;
      evaluate(p, V, c.gmin, st, q, out);
      c.thermal(d, "_rcx", nd[CI], nd[C], out.gRcx);
      c.thermal(d, "_rbx", nd[B], nd[BP], out.gRbx);
      c.thermal(d, "_rbi", nd[BP], nd[BI], out.rbi > 0 ? 1.0 / out.rbi : 0.0);
      c.thermal(d, "_re", nd[EI], nd[E], out.gRe);
      c.thermal(d, "_rsu", nd[SI], nd[S], out.gRsu);
      c.shot(d, "_iavl", nd[CI], nd[BI], out.iavl);
      c.shot(d, "_ibci", nd[BI], nd[CI], out.ibici + out.iavl);
      c.shot(d, "_ibep", nd[BP], nd[EI], out.ibpei);
      c.shot(d, "_ijbcx", nd[BP], nd[CI], out.ibpci);
      c.shot(d, "_ijsc", nd[SI], nd[CI], out.isici);
      c.shot(d, "_it", nd[CI], nd[EI], out.it);
      c.shot(d, "_ibei", nd[BI], nd[EI], out.ibiei);
      const Index fb = p.m.cfbe == -1 ? nd[BI] : nd[BP];
      c.flicker(d, "_1overfbe", fb, nd[EI], NoiseContext::flickerCoef(p.kf, p.m.af, out.ibiei + out.ibpei));
      c.flicker(d, "_1overfre", nd[EI], nd[E], NoiseContext::flickerCoef(p.kfre, p.m.afre, out.ieie));
    }
  }

 private:
  double extra(std::size_t i, const double* V, int k) const {
    Stamp st;
    double q[kStates];
    Outputs out;
    evaluate(p_[i], V, gmin_, st, q, out);
    const HicumInst& p = p_[i];
    switch (k) {
      case 0: return out.it;
      case 1: return out.iavl;
      case 2: return out.rbi;
      case 3: return out.betadc;
      case 4: return out.tf;
      case 5: return out.ick;
      case 6: return out.gmi;
      case 7: return 1.0 / out.gpi;
      case 8: return 1.0 / (out.gmu + gmin_);  // (ngspice adds gmin once more)
      case 9: return p.tempK;
      case 10: return out.tempK - p.tempK;
      default: return out.power;
    }
  }
  std::vector<double> opV_;  // local voltages of the last DC load (the ac quantities' operating point)
  double gmin_ = 1e-12;
  // The limited junction voltages of the last evaluation (the temperature rise dT in K).
  struct Junctions {
    double vbiei = 0, vbici = 0, vbpei = 0, vsici = 0, dT = 0;
  };
  Junctions junctions(std::size_t i, const double* V) const {
    return Junctions{V[BI] - V[EI], V[BI] - V[CI], V[BP] - V[EI], V[SI] - V[CI], p_[i].sign * V[T]};
  }
  std::vector<Junctions> old_;
};

constexpr const char* kTypes[] = {"npn@8", "pnp@8"};
constexpr const char* kSoa = "safe-operating-area limit: accepted and ignored";
constexpr ParamSpec kParams[] = {
    iparam("area", 1.0, "", "area factor (also the positional value after the model)"),
    kMultParam,
    flagParam("off", "start the operating point with the junctions off"),
    // (ngspice 39's IC=vbe,vce and icvcs: accepted, not a parse error)
    iparam("icvbe", kNoDefault, "V",
           "initial b-e voltage (uic, also IC=vbe,vce): accepted and ignored; a uic transient starts from the nodes' "
           "initial values")
        .shown("—"),
    iparam("icvce", kNoDefault, "V", "initial c-e voltage (uic): accepted and ignored").shown("—"),
    iparam("icvcs", kNoDefault, "V", "initial c-s voltage (uic): accepted and ignored").shown("—"),
    kTempParam, kDtempParam.aka("dt"),
    mparam("level", 8.0, "", "model level: 8 (HICUM level 2)"),
    kTnomParam.aka("tref"),
    mparam("version", 2.4, "", "model version: accepted (2.4.0 is evaluated)"),
    mparam("c10", 2e-30, "A²s", "GICCR constant"),
    mparam("qp0", 2e-14, "C", "zero-bias hole charge"),
    mparam("ich", 0.0, "A", "high-current correction for 2D and 3D effects"),
    mparam("hf0", 1.0, "", "weight factor for the low current minority charge"),
    mparam("hfe", 1.0, "", "emitter minority charge weighting factor in HBTs"),
    mparam("hfc", 1.0, "", "collector minority charge weighting factor in HBTs"),
    mparam("hjei", 1.0, "", "B-E depletion charge weighting factor in HBTs"),
    mparam("ahjei", 0.0, "", "parameter describing the slope of hjEi(VBE)"),
    mparam("rhjei", 1.0, "", "smoothing parameter for hjEi(VBE) at high voltage"),
    mparam("hjci", 1.0, "", "B-C depletion charge weighting factor in HBTs"),
    mparam("ibeis", 1e-18, "A", "internal B-E saturation current"),
    mparam("mbei", 1.0, "", "internal B-E current ideality factor"),
    mparam("ireis", 0.0, "A", "internal B-E recombination saturation current"),
    mparam("mrei", 2.0, "", "internal B-E recombination current ideality factor"),
    mparam("ibeps", 0.0, "A", "peripheral B-E saturation current"),
    mparam("mbep", 1.0, "", "peripheral B-E current ideality factor"),
    mparam("ireps", 0.0, "A", "peripheral B-E recombination saturation current"),
    mparam("mrep", 2.0, "", "peripheral B-E recombination current ideality factor"),
    mparam("mcf", 1.0, "", "non-ideality factor for III-V HBTs"),
    mparam("tbhrec", 0.0, "s", "base current recombination time constant at B-C barrier for high forward injection"),
    mparam("ibcis", 1e-16, "A", "internal B-C saturation current"),
    mparam("mbci", 1.0, "", "internal B-C current ideality factor"),
    mparam("ibcxs", 0.0, "A", "external B-C saturation current"),
    mparam("mbcx", 1.0, "", "external B-C current ideality factor"),
    mparam("ibets", 0.0, "A", "B-E tunneling saturation current"),
    mparam("abet", 40.0, "", "exponent factor for tunneling current"),
    mparam("tunode", 1, "", "base node of the tunnelling current: 1 b_p (peripheral), 0 b_i"),
    mparam("favl", 0.0, "1/V", "avalanche current factor"),
    mparam("qavl", 0.0, "C", "exponent factor for avalanche current"),
    mparam("kavl", 0.0, "", "flag/factor for turning strong avalanche on"),
    mparam("alfav", 0.0, "1/K", "relative TC for FAVL"),
    mparam("alqav", 0.0, "1/K", "relative TC for QAVL"),
    mparam("alkav", 0.0, "1/K", "relative TC for KAVL"),
    mparam("rbi0", 0.0, "Ω", "zero bias internal base resistance"),
    mparam("rbx", 0.0, "Ω", "external base series resistance"),
    mparam("fgeo", 0.6557, "", "factor for geometry dependence of emitter current crowding"),
    mparam("fdqr0", 0.0, "", "correction factor for modulation by B-E and B-C space charge layer"),
    mparam("fcrbi", 0.0, "", "ratio of HF shunt to total internal capacitance (lateral NQS effect)"),
    mparam("fqi", 1.0, "", "ratio of internal to total minority charge"),
    mparam("re", 0.0, "Ω", "emitter series resistance"),
    mparam("rcx", 0.0, "Ω", "external collector series resistance"),
    mparam("itss", 0.0, "A", "substrate transistor transfer saturation current"),
    mparam("msf", 1.0, "", "forward ideality factor of substrate transfer current"),
    mparam("iscs", 0.0, "A", "C-S diode saturation current"),
    mparam("msc", 1.0, "", "ideality factor of C-S diode current"),
    mparam("tsf", 0.0, "s", "transit time for forward operation of substrate transistor"),
    mparam("rsu", 0.0, "Ω", "substrate series resistance"),
    mparam("csu", 0.0, "F", "substrate shunt capacitance"),
    mparam("cjei0", 1.0e-20, "F", "internal B-E zero-bias depletion capacitance"),
    mparam("vdei", 0.9, "V", "internal B-E built-in potential"),
    mparam("zei", 0.5, "", "internal B-E grading coefficient"),
    mparam("ajei", 2.5, "", "ratio of maximum to zero-bias value of internal B-E capacitance").aka("aljei"),
    mparam("cjep0", 1.0e-20, "F", "peripheral B-E zero-bias depletion capacitance"),
    mparam("vdep", 0.9, "V", "peripheral B-E built-in potential"),
    mparam("zep", 0.5, "", "peripheral B-E grading coefficient"),
    mparam("ajep", 2.5, "", "ratio of maximum to zero-bias value of peripheral B-E capacitance").aka("aljep"),
    mparam("cjci0", 1.0e-20, "F", "internal B-C zero-bias depletion capacitance"),
    mparam("vdci", 0.7, "V", "internal B-C built-in potential"),
    mparam("zci", 0.4, "", "internal B-C grading coefficient"),
    mparam("vptci", 100.0, "V", "internal B-C punch-through voltage"),
    mparam("cjcx0", 1.0e-20, "F", "external B-C zero-bias depletion capacitance"),
    mparam("vdcx", 0.7, "V", "external B-C built-in potential"),
    mparam("zcx", 0.4, "", "external B-C grading coefficient"),
    mparam("vptcx", 100.0, "V", "external B-C punch-through voltage"),
    mparam("fbcpar", 0.0, "", "partitioning factor of parasitic B-C cap").aka("fbc"),
    mparam("fbepar", 1.0, "", "partitioning factor of parasitic B-E cap").aka("fbe"),
    mparam("cjs0", 0.0, "F", "C-S zero-bias depletion capacitance"),
    mparam("vds", 0.6, "V", "C-S built-in potential"),
    mparam("zs", 0.5, "", "C-S grading coefficient"),
    mparam("vpts", 100.0, "V", "C-S punch-through voltage"),
    mparam("cscp0", 0.0, "F", "perimeter S-C zero-bias depletion capacitance"),
    mparam("vdsp", 0.6, "V", "perimeter S-C built-in potential"),
    mparam("zsp", 0.5, "", "perimeter S-C grading coefficient"),
    mparam("vptsp", 100.0, "V", "perimeter S-C punch-through voltage"),
    mparam("t0", 0.0, "s", "low current forward transit time at VBC=0V"),
    mparam("dt0h", 0.0, "s", "time constant for base and B-C space charge layer width modulation"),
    mparam("tbvl", 0.0, "s", "time constant for modeling carrier jam at low VCE"),
    mparam("tef0", 0.0, "s", "neutral emitter storage time"),
    mparam("gtfe", 1.0, "", "exponent factor for current dependence of neutral emitter storage time"),
    mparam("thcs", 0.0, "s", "saturation time constant at high current densities"),
    mparam("ahc", 0.1, "", "smoothing factor for current dependence of base and collector transit time").aka("alhc"),
    mparam("fthc", 0.0, "", "partitioning factor for base and collector portion"),
    mparam("rci0", 150, "Ω", "internal collector resistance at low electric field"),
    mparam("vlim", 0.5, "V", "voltage separating ohmic and saturation velocity regime"),
    mparam("vces", 0.1, "V", "internal C-E saturation voltage"),
    mparam("vpt", 100.0, "V", "collector punch-through voltage"),
    mparam("aick", 1.0e-03, "", "smoothing term for ICK"),
    mparam("delck", 2.0, "", "fitting factor for critical current"),
    mparam("tr", 0.0, "s", "storage time for inverse operation"),
    mparam("vcbar", 0.0, "V", "barrier voltage"),
    mparam("icbar", 0.0, "A", "normalization parameter"),
    mparam("acbar", 0.01, "", "smoothing parameter for barrier voltage"),
    mparam("cbepar", 0.0, "F", "total parasitic B-E capacitance").aka("ceox"),
    mparam("cbcpar", 0.0, "F", "total parasitic B-C capacitance").aka("ccox"),
    mparam("alqf", 0.167, "", "factor for additional delay time of minority charge"),
    mparam("alit", 0.333, "", "factor for additional delay time of transfer current"),
    mparam("flnqs", 0, "", "vertical NQS network: only 0 (a non-zero value with T0 > 0 is rejected)"),
    mparam("kf", 0.0, "", "flicker noise coefficient of the b-e current"),
    mparam("af", 2.0, "", "flicker noise exponent of the b-e current"),
    mparam("cfbe", -1, "", "where the b-e flicker noise sits: -1 b_i-e_i, otherwise b_p-e_i"),
    mparam("flcono", 0, "", "correlated noise: accepted, not modelled (as ngspice 39)"),
    mparam("kfre", 0.0, "", "flicker noise coefficient of the emitter resistance current"),
    mparam("afre", 2.0, "", "flicker noise exponent of the emitter resistance current"),
    mparam("latb", 0.0, "", "collector current spreading in the emitter width (> 0 is rejected)"),
    mparam("latl", 0.0, "", "collector current spreading in the emitter length (> 0 is rejected)"),
    mparam("vgb", 1.17, "V", "bandgap voltage extrapolated to 0 K"),
    mparam("alt0", 0.0, "1/K", "first order relative TC of parameter T0"),
    mparam("kt0", 0.0, "1/K²", "second order relative TC of parameter T0"),
    mparam("zetaci", 0.0, "", "temperature exponent for RCI0"),
    mparam("alvs", 0.0, "1/K", "relative TC of saturation drift velocity"),
    mparam("alces", 0.0, "1/K", "relative TC of VCES"),
    mparam("zetarbi", 0.0, "", "temperature exponent of internal base resistance"),
    mparam("zetarbx", 0.0, "", "temperature exponent of external base resistance"),
    mparam("zetarcx", 0.0, "", "temperature exponent of external collector resistance"),
    mparam("zetare", 0.0, "", "temperature exponent of emitter resistance"),
    mparam("zetacx", 1.0, "", "temperature exponent of mobility in substrate transistor transit time"),
    mparam("vge", 1.17, "V", "effective emitter bandgap voltage"),
    mparam("vgc", 1.17, "V", "effective collector bandgap voltage"),
    mparam("vgs", 1.17, "V", "effective substrate bandgap voltage"),
    mparam("f1vg", -1.02377e-4, "V/K", "coefficient K1 in T-dependent band-gap equation"),
    mparam("f2vg", 4.3215e-4, "V/K", "coefficient K2 in T-dependent band-gap equation"),
    mparam("zetact", 3.0, "", "exponent coefficient in transfer current temperature dependence"),
    mparam("zetabet", 3.5, "", "exponent coefficient in B-E junction current temperature dependence"),
    mparam("alb", 0.0, "1/K", "relative TC of forward current gain for V2.1 model"),
    mparam("dvgbe", 0.0, "V", "bandgap difference between B and B-E junction used for hjEi0 and hf0"),
    mparam("zetahjei", 1.0, "", "temperature coefficient for ahjEi"),
    mparam("zetavgbe", 1.0, "", "temperature coefficient for hjEi0"),
    mparam("flsh", 0, "", "self-heating: 0 off, 1 the transfer and avalanche power, 2 all the power (needs RTH > 0)"),
    mparam("rth", 0.0, "K/W", "thermal resistance (self-heating with FLSH 1 or 2)"),
    mparam("zetarth", 0.0, "", "temperature coefficient for Rth"),
    mparam("alrth", 0.0, "1/K", "first order relative TC of parameter Rth"),
    mparam("cth", 0.0, "J/K", "thermal capacitance (at least 1e-12 when RTH is given)"),
    mparam("flcomp", 0.0, "", "compatibility flag: below 2.3 the v2.1 temperature mappings (and, with T0 > 0, the rejected NQS network)"),
    mparam("vbe_max", kNoDefault, "V", kSoa).shown("—"),
    mparam("vbc_max", kNoDefault, "V", kSoa).shown("—"),
    mparam("vce_max", kNoDefault, "V", kSoa).shown("—"),
};

}  // namespace

extern const DeviceKind kHicumKind;
constexpr DeviceKind kHicumKind{
    .letter = 'q', .name = "bipolar transistor", .form = CardForm::ModelCard, .minNodes = 3, .maxNodes = 5,
    .modelTypes = kTypes, .params = kParams, .positional = "area",
    .valueDoc = "Qname c b e [substrate [thermal]] model [area] [name=value ...] [off]",
    .create = makeGroup<Hicums, kHicumKind>};

}  // namespace simcore::dev
