// The frame every four-terminal MOSFET level shares (levels 1, 2 and 3, as
// ngspice's mos1/mos2/mos3): series RD/RS with internal nodes, bulk-drain and
// bulk-source junctions (IS or JS*area, depletion charges CBD/CBS or
// CJ*area + CJSW*perimeter with the FC rule, gmin across each), Meyer gate
// capacitances plus overlaps (CGSO, CGDO, CGBO), source/drain swap when
// vds < 0, and SPICE's limiting. A level supplies only its channel:
//
//   struct Level {
//     struct Inst : MosFrameInst { ... };        // its own parameters at temperature
//     static MosChannel channel(const Inst&, double vgs, double vds, double vbs);
//          // normal mode (vds >= 0): id >= 0 from drain to source, its
//          // derivatives, von and vdsat (for the Meyer capacitances)
//     static Status setup(const ir::Device&, const ir::Model&, const ParamValues&,
//                         const ir::Options&, Inst&);   // everything, with setupMosBulk()
//     static Status checkLevel(const ir::Device&, const ParamValues&);
//     static double flickerArea(const Inst&, const ParamValues&);  // .noise: W Leff Cox^2 (m included)
//   };
//
// Local terminals: 0 d, 1 g, 2 s, 3 b, and with series resistances 4 d',
// 5 s' (SeriesLayout; d' == d when only RS is given). A group whose instances
// have neither RD nor RS uses PlainLayout, where d' is d and s' is s: 4
// terminals and 16 matrix entries instead of 6 and 22, so the bypass test,
// the stamp and the scatter do a third less work. A group whose instances
// also have the bulk on the source (the same node name: an inverter's nmos on
// ground, pmos on vdd) uses TiedLayout: 3 terminals (d, g, s = b) and 9
// entries; vbs is 0, so the bulk-source junction (no current, its
// conductance and capacitance between one node and itself) and the channel's
// gmbs term in normal mode add nothing, and are left out (and so is the
// state qbs).
// Charge states: qgs, qgd, qgb (Meyer, integrated as semi::gateCharge), qbd, qbs;
// only the gate charges' truncation error limits the transient step (as
// ngspice's MOS1/2/3/6trunc).
#pragma once

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "devices/common.hpp"
#include "devices/noise.hpp"
#include "devices/semiconductor.hpp"
#include "devices/truncation.hpp"

namespace simcore::dev::mos {

enum : int { D = 0, G = 1, S = 2, B = 3 };
struct SeriesLayout {
  static constexpr int terminals = 6;
  static constexpr int DP = 4, SP = 5, Bulk = B;
  static constexpr bool mask[terminals][terminals] = {
      // D  G  S  B  D' S'
      {1, 0, 0, 0, 1, 0},  // D   series RD
      {0, 1, 0, 1, 1, 1},  // G   gate capacitances
      {0, 0, 1, 0, 0, 1},  // S   series RS
      {0, 1, 0, 1, 1, 1},  // B   bulk junctions, gate-bulk capacitance
      {1, 1, 0, 1, 1, 1},  // D'  channel, junction, RD, capacitances
      {0, 1, 1, 1, 1, 1},  // S'  channel, junction, RS, capacitances
  };
  static constexpr int states = 5;  // qgs, qgd, qgb, qbd, qbs
  static constexpr int chargeFrom[states] = {G, G, G, B, B};
  static constexpr int chargeTo[states] = {SP, DP, B, DP, SP};
  static constexpr int series = 2;  // RD, RS
  static constexpr bool diagonalCharges = true;  // each state's capacitance is between its own terminals
};
struct PlainLayout {
  static constexpr int terminals = 4;
  static constexpr int DP = D, SP = S, Bulk = B;
  static constexpr bool mask[terminals][terminals] = {
      {1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}};
  static constexpr int states = 5;
  static constexpr int chargeFrom[states] = {G, G, G, B, B};
  static constexpr int chargeTo[states] = {S, D, B, D, S};
  static constexpr int series = 1;  // none used (a zero-length array is not C++)
  static constexpr bool diagonalCharges = true;
  static constexpr int mergeA = S, mergeB = B;  // bulk on the source (semi::MergedStamp)
};
// Bulk on the source: local terminals 0 d, 1 g, 2 s (= b); qgb goes to s.
// No qbs state: it would lie between s and itself with no charge (vbs = 0),
// adding exact zeros to the residual.
struct TiedLayout {
  static constexpr int terminals = 3;
  static constexpr int DP = D, SP = S, Bulk = S;
  static constexpr bool mask[terminals][terminals] = {{1, 1, 1}, {1, 1, 1}, {1, 1, 1}};
  static constexpr int states = 4;  // qgs, qgd, qgb, qbd
  static constexpr int chargeFrom[states] = {G, G, G, S};
  static constexpr int chargeTo[states] = {S, D, S, D};
  static constexpr int series = 1;  // none used
  static constexpr bool diagonalCharges = true;
};
using Gate = semi::GateCharges<3>;

// Parameters of the frame at temperature (per instance, m applied).
struct MosFrameInst {
  double sign = 1;               // +1 nmos, -1 pmos
  double vt = 0;                 // thermal voltage
  double vto = 0;                // threshold times the polarity (limiting, initial guess)
  double phi = 0.6;              // surface potential at temperature (Meyer)
  double cox = 0;                // oxide capacitance W*L*Cox*m (0: no Meyer capacitances)
  double isd = 0, iss = 0, vcritd = 1, vcrits = 1;
  bool cubicReverse = false;           // reverse bulk junctions as level 3's (semi::bulkJunction)
  std::array<double, 3> ic{kNoDefault, kNoDefault, kNoDefault};  // IC=vds,vgs,vbs for uic (NaN: from the nodes)
  semi::Depletion bd, bdsw, bs, bssw;  // bulk-drain / bulk-source junctions: bottom, sidewall
  bool sidewalls = false;              // bdsw or bssw has a capacitance
  double cgso = 0, cgdo = 0, cgbo = 0;
  double gd = 0, gs = 0;
};

// The channel of a level in normal mode.
struct MosChannel {
  double id = 0, gm = 0, gds = 0, gmbs = 0;
  double von = 0, vdsat = 0;
};

// Bulk junctions, overlap capacitances and series resistances of the frame
// at temperature tK (nominal tnomK) for an instance with multiplier mult,
// effective width weff and length leff (the overlaps scale with them).
// Returns an empty string, or what is wrong with the parameters.
std::string setupMosBulk(const ParamValues& P, double mult, double weff, double leff, double tnomK, double tK,
                         MosFrameInst& p);

// An instance set up ahead of its group's setup (MosGroup::anySeries).
template <class Level>
struct MosPreset {
  typename Level::Inst p;
  bool off = false;
};

// The instances of a level in layout Lay (SeriesLayout, PlainLayout or TiedLayout).
template <class Level, class Lay>
class MosInstances final : public semi::LinearisedGroup<MosInstances<Level, Lay>, Lay, typename Level::Inst> {
  using Base = semi::LinearisedGroup<MosInstances<Level, Lay>, Lay, typename Level::Inst>;
  using Inst = typename Level::Inst;
  using Stamp = semi::LocalStamp<Lay>;
  using Lin = semi::Linearisation<Lay>;
  static constexpr int kN = Lay::terminals, kStates = Lay::states;
  static constexpr int DP = Lay::DP, SP = Lay::SP, Bk = Lay::Bulk;  // Bk: the bulk's local terminal
  static constexpr bool kTied = Bk == SP;

 public:
  using Base::Base;
  // ngspice's savecurrents names, currents into the terminals
  // (in the n-type frame, as ngspice's MOS1-MOS6 report them)
  static constexpr semi::TerminalCurrent kCurrents[] = {{.name = "id", .outer = D, .inner = DP, .nFrame = true},
                                                        {.name = "is", .outer = S, .inner = SP, .nFrame = true},
                                                        {.name = "ig", .outer = G, .inner = G, .nFrame = true},
                                                        {.name = "ib", .outer = B, .inner = B, .nFrame = true}};
  // the threaded loads' weight of one instance (LinearisedGroup::loadWeight): the level's own
  static constexpr std::size_t kLoadWeight = [] {
    if constexpr (requires { Level::kLoadWeight; })
      return Level::kLoadWeight;
    else
      return std::size_t(1);
  }();

  Status setup(SetupContext& ctx) override {
    const std::size_t n = this->inst_.size();
    const std::vector<Preset> pre = std::move(preset_);
    preset_.clear();
    this->resizeInstances(n);
    gate_.assign(n, Gate{}); cand_.assign(n, Gate{}); moved_.assign(n, 0);
    if constexpr (kTied) { jd_.assign(n, semi::CurrentAndSlope{0, 0}); opBulk_.assign(n, BulkSmallSignal{}); }
    last_.assign(n, semi::MosVoltages{0, 0, 0}); von_.assign(n, 0.0); ch_.assign(n, MosChannel{});
    const ir::Options& o = ctx.options();
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *this->inst_[i];
      if (auto s = this->checkInstance(d); !s) return s;
      const ir::Model* mod = ctx.model(d);
      if (!mod || (mod->type != "nmos" && mod->type != "pmos"))
        return deviceError(d, "MOSFET '" + d.name + "' needs an nmos or pmos model");
      if (pre.size() == n) {  // checkLevel and Level::setup passed in MosGroup::anySeries
        if (auto s = this->checkModel(*mod); !s) return s;
        this->p_[i] = pre[i].p;
        this->off_[i] = pre[i].off;
      } else {
        const ParamValues P = this->values(d, mod);
        if (auto s = Level::checkLevel(d, P); !s) return s;
        if (auto s = this->checkModel(*mod); !s) return s;
        if (auto s = Level::setup(d, *mod, P, o, this->p_[i]); !s) return s;
        this->off_[i] = P.hasInst("off");
      }
      auto& nd = this->nodes_[i];
      nd[D] = ctx.node(d.nodes[0]);
      nd[G] = ctx.node(d.nodes[1]);
      nd[S] = ctx.node(d.nodes[2]);
      if constexpr (kTied) {
        if (d.nodes[3] != d.nodes[2])
          return deviceError(d, "internal error: MOSFET '" + d.name + "' has its bulk off its source in the tied layout");
      } else {
        nd[B] = ctx.node(d.nodes[3]);
      }
      if constexpr (Lay::terminals == 6) {
        nd[DP] = this->p_[i].gd > 0 ? ctx.addInternalNode(d, "d") : nd[D];
        nd[SP] = this->p_[i].gs > 0 ? ctx.addInternalNode(d, "s") : nd[S];
      } else if (this->p_[i].gd > 0 || this->p_[i].gs > 0) {
        return deviceError(d, "internal error: MOSFET '" + d.name + "' has RD/RS in the plain layout");
      }
      this->st_[i] = ctx.addStates(kStates);
      // as ngspice's MOS1/2/3/6trunc: the gate charges limit the step through
      // their truncation error, the bulk junctions' charges do not
      if (auto* t = dynamic_cast<TruncationExemptions*>(&ctx))
        for (int k = 3; k < kStates; ++k) t->untruncated(this->st_[i] + k);
      von_[i] = this->p_[i].vto;
    }
    return {};
  }

  // Each instance's parameters at temperature and its `off` flag, already
  // set up (and checked) by the caller for the next setup() to take.
  using Preset = MosPreset<Level>;
  void preset(std::vector<Preset> p) { preset_ = std::move(p); }

  double polarity(std::size_t i) const { return this->p_[i].sign; }

  // With uic the internal drain and source start at their terminals' initial
  // values (the drain at the source's plus IC's vds where given), so that the
  // first step's Newton starts where initialCharges puts the device (ngspice
  // linearises it there in that step's first iteration)
  void initialConditions(double* x) const override {
    if constexpr (Lay::terminals == 6)
      for (std::size_t i = 0; i < this->inst_.size(); ++i)
        semi::mosUicNodes(x, this->nodes_[i], D, S, DP, SP, this->p_[i].ic[0]);
  }

  void initialCharges(LoadContext& c, std::size_t i, const double* Vx) {
    // with uic the device's voltages from its external nodes' initial values
    // and its IC=, as ngspice's MOS1getic .. (the internal drain and source
    // start there too: initialConditions)
    double W[kN];
    for (int k = 0; k < kN; ++k) W[k] = Vx[k];
    if (c.uic) semi::mosUicVoltages(W, Vx, D, G, S, Bk, DP, SP, this->p_[i].sign, this->p_[i].ic);
    const double* V = W;
    Stamp s;
    double q[kStates];
    ch_[i] = evaluate(this->p_[i], V, c.gmin, s, q, gate_[i], cand_[i], false);
    moved_[i] = 1;
    von_[i] = ch_[i].von;
    for (int k = 0; k < kStates; ++k) c.charge(this->st_[i] + k, q[k]);
    last_[i] = {V[G] - V[SP], V[DP] - V[SP], V[Bk] - V[SP]};
  }

  void linearise(LoadContext& c, std::size_t i, const double* V, Lin& L, bool tran) {
    const Inst& p = this->p_[i];
    semi::MosVoltages v{V[G] - V[SP], V[DP] - V[SP], V[Bk] - V[SP]};
    bool limited;
    if (c.initJunctions) {
      // (tied: the bulk cannot leave the source; its channel is still
      // evaluated at vbs = -1 V, as ngspice's first iteration, in evaluate())
      v = this->off_[i] ? semi::MosVoltages{0, 0, 0} : semi::MosVoltages{p.vto, 0.0, kTied ? 0.0 : -1.0};
      limited = true;
    } else if (c.resync) {
      limited = false;
    } else if constexpr (kTied) {
      limited = tiedLimit(v, last_[i], von_[i], p.vt, p.vcritd);
    } else {
      limited = semi::mosLimit(v, last_[i], von_[i], p.vt, p.vcrits, p.vcritd);
    }
    if (limited) c.noncon++;
    last_[i] = v;
    double* Vl = L.Vl;
    for (int k = 0; k < kN; ++k) Vl[k] = V[k];
    if (limited) {
      Vl[G] = V[SP] + v.vgs;
      Vl[DP] = V[SP] + v.vds;
      if constexpr (!kTied) Vl[B] = V[SP] + v.vbs;
    }
    semi::CurrentAndSlope jd;
    ch_[i] = evaluate(p, Vl, c.gmin, L.s, L.q, gate_[i], cand_[i], tran, &jd, kTied && c.initJunctions && !this->off_[i]);
    moved_[i] = 1;
    von_[i] = ch_[i].von;
    if constexpr (kTied) jd_[i] = jd;
    if (!tran) {
      this->storeSmallSignal(i, L.s.G, L.s.C);
      if constexpr (kTied) opBulk_[i] = {jd.g, L.s.cq[3], L.s.cq[2]};
    }
  }

  void accept(const double*, double) override {
    // an instance not evaluated since the last accept has gate_[i] == cand_[i] already
    for (std::size_t i = 0, n = moved_.size(); i < n; ++i)
      if (moved_[i]) {
        gate_[i] = cand_[i];
        moved_[i] = 0;
      }
    this->bypass_.accepted();
  }

  // Beyond the terminal currents: the channel's gm, gds, gmbs, von and vdsat
  // of the last evaluation (in the frame where the drain is the higher
  // terminal; von and vdsat with the polarity, as ngspice's @m1[von]).
  int quantityId(std::size_t i, std::string_view param) const override {
    if (const int id = Base::quantityId(i, param); id >= 0) return id;
    return semi::namedQuantityId(kChannel, param, kChannelBase);
  }
  double terminalCurrent(std::size_t i, int id, const QuantityContext& c) const override {
    if constexpr (kTied) {  // "is" and "ib" share terminal s here: the bulk's part apart
      if (id == kIs) return this->localCurrent(i, S, c) - tiedBulkCurrent(i, c);
      if (id == kIb) return tiedBulkCurrent(i, c);
    }
    return Base::terminalCurrent(i, id, c);
  }
  std::complex<double> acTerminalCurrent(std::size_t i, int id, const std::complex<double>* x, double omega) const override {
    if constexpr (kTied) {
      if (id == kIs) return this->localAcCurrent(i, S, x, omega) - tiedBulkAcCurrent(i, x, omega);
      if (id == kIb) return tiedBulkAcCurrent(i, x, omega);
    }
    return Base::acTerminalCurrent(i, id, x, omega);
  }
  double quantity(std::size_t i, int id, const QuantityContext& c) const override {
    if (id < kChannelBase) return Base::quantity(i, id, c);  // (terminalCurrent above, in ngspice's frame)
    const MosChannel& ch = ch_[i];
    const double sign = this->p_[i].sign;
    switch (id - kChannelBase) {
      case 0: return ch.gm;
      case 1: return ch.gds;
      case 2: return ch.gmbs;
      case 3: return sign * ch.von;
      default: return sign * ch.vdsat;
    }
  }
  std::complex<double> acQuantity(std::size_t i, int id, const std::complex<double>* x, double omega) const override {
    if (id < kChannelBase) return Base::acQuantity(i, id, x, omega);
    return quantity(i, id, QuantityContext{});  // operating-point values
  }

  // ---- .noise (as ngspice's MOS1/2/3): RD and RS thermal, channel thermal
  // 4 k T (2/3) |gm| and flicker KF |Id|^AF / (f Level::flickerArea) between
  // d' and s'.
  void noise(NoiseContext& c) const override {
    if constexpr (requires { Level::kNoiseless; }) return;  // (ngspice's MOS6 has no noise sources)
    constexpr int kE = Stamp::E;
    for (std::size_t i = 0; i < this->inst_.size(); ++i) {
      const ir::Device& d = *this->inst_[i];
      const Inst& p = this->p_[i];
      const auto& nd = this->nodes_[i];
      double V[kN], q[kStates];
      for (int k = 0; k < kN; ++k) V[k] = p.sign * c.xop[nd[k]];
      Stamp st;
      Gate cand;
      evaluate(p, V, c.gmin, st, q, gate_[i], cand, false);
      // the drain terminal's current (RD's cancels)
      const double cd = DP != D ? st.I[D] + st.I[DP] : st.I[D];
      const double gm = std::fabs(this->opG_[i * kE + Stamp::entries.slot[DP][G]]);
      if constexpr (Lay::terminals == 6) {
        c.thermal(d, "_rd", nd[DP], nd[D], p.gd);
        c.thermal(d, "_rs", nd[SP], nd[S], p.gs);
      }
      c.thermal(d, "_id", nd[DP], nd[SP], 2.0 / 3.0 * gm);
      const ParamValues P = this->values(d, c.model(d));
      const double kf = P.model("kf", 0.0), af = P.model("af", 1.0);
      c.flicker(d, "_1overf", nd[DP], nd[SP], NoiseContext::flickerCoef(kf, af, cd) / Level::flickerArea(p, P));
    }
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const auto& nd : this->nodes_) {
      out.emplace_back(nd[DP], nd[SP]);
      out.emplace_back(nd[Bk], nd[DP]);  // bulk junctions (gmin)
      if constexpr (!kTied) out.emplace_back(nd[Bk], nd[SP]);
      if (nd[D] != nd[DP]) out.emplace_back(nd[D], nd[DP]);
      if (nd[S] != nd[SP]) out.emplace_back(nd[S], nd[SP]);
    }
  }

 private:
  static constexpr const char* kChannel[] = {"gm", "gds", "gmbs", "von", "vdsat"};
  static constexpr int kChannelBase = 100;
  static constexpr int kIs = 1, kIb = 3;  // kCurrents' "is" and "ib"

  // TiedLayout: the current into the bulk (what the 4-terminal layouts give
  // for "ib"): the bulk-drain junction moved to the solution and the charge
  // current of qbd, minus that of qgb (the bulk-source junction and qbs
  // carry none at vbs = 0).
  double tiedBulkCurrent(std::size_t i, const QuantityContext& c) const {
    const Lin& L = this->lin_[i];
    const auto& nd = this->nodes_[i];
    const double sign = this->p_[i].sign;
    const double dvD = sign * c.x[nd[D]] - L.Vl[D], dvS = sign * c.x[nd[S]] - L.Vl[S];
    double cur = jd_[i].i + jd_[i].g * (dvS - dvD);
    if (c.iq) {
      const int s0 = this->st_[i];
      cur += c.iq[s0 + 3] - c.iq[s0 + 2];
    }
    return sign * cur;
  }
  // Its small-signal form at the operating point (the junction's conductance
  // and capacitance, and the gate-bulk capacitance, of the last DC load).
  std::complex<double> tiedBulkAcCurrent(std::size_t i, const std::complex<double>* x, double omega) const {
    const auto& nd = this->nodes_[i];
    const BulkSmallSignal& b = opBulk_[i];
    return std::complex<double>(b.gbd, omega * b.cbd) * (x[nd[S]] - x[nd[D]]) -
           std::complex<double>(0.0, omega * b.cgb) * (x[nd[G]] - x[nd[S]]);
  }

  // TiedLayout's limiting: SPICE's fetlim and limvds (semi::fetLimit); vbs
  // is 0, so in reverse mode (vds < 0) the bulk-drain junction's pnjlim
  // limits vbd = -vds, i.e. vds, keeping the gate's voltage over the drain
  // (which acts as the source). When nothing moved, vgs and vds keep their
  // exact input values.
  static bool tiedLimit(semi::MosVoltages& v, const semi::MosVoltages& old, double von, double vt, double vcritd) {
    bool lim = semi::fetLimit(v.vgs, v.vds, old.vgs, old.vds, von);
    if (v.vds < 0) {
      bool lj = false;
      const double vbd = semi::pnjlim(-v.vds, -old.vds, vt, vcritd, lj);
      if (lj) {
        const double vgd = v.vgs - v.vds;
        v.vds = -vbd;
        v.vgs = vgd + v.vds;
        lim = true;
      }
    }
    return lim;
  }

  // Resistive part and junction/Meyer capacitances at local voltages V; the
  // charges into q. Returns the channel (von, vdsat, derivatives).
  // jdOut: the bulk-drain junction's current and conductance (TiedLayout's "ib").
  // initBulk (TiedLayout, the first iteration of an operating point): the
  // channel at vbs = -1 V as the 4-terminal layouts and ngspice start it, and
  // the current that linearisation gives at the real vbs = 0 (id + gmbs * 1 V);
  // in the other layouts the bulk's local voltage does this.
  static MosChannel evaluate(const Inst& p, const double* V, double gmin, Stamp& s, double* q, const Gate& gate,
                         Gate& cand, bool incremental, semi::CurrentAndSlope* jdOut = nullptr, bool initBulk = false) {
    if constexpr (Lay::terminals == 6) {
      if (p.gd > 0) s.conductance(D, DP, p.gd, V);
      if (p.gs > 0) s.conductance(S, SP, p.gs, V);
    }
    const double vbs = V[Bk] - V[SP], vbd = V[Bk] - V[DP];
    if constexpr (!kTied) {  // (tied: no current at vbs = 0, its conductance between s and s)
      const auto js = semi::bulkJunction(vbs, p.iss, p.vt, gmin, p.cubicReverse);
      s.current(Bk, SP, js.i);
      s.slope(Bk, SP, Bk, SP, js.g);
    }
    const auto jd = semi::bulkJunction(vbd, p.isd, p.vt, gmin, p.cubicReverse);
    s.current(Bk, DP, jd.i);
    s.slope(Bk, DP, Bk, DP, jd.g);
    if (jdOut) *jdOut = jd;

    // channel in the frame where the drain is the higher terminal
    const bool fwd = V[DP] - V[SP] >= 0;
    const int sn = fwd ? SP : DP, dn = fwd ? DP : SP;
    const MosChannel ch = Level::channel(p, V[G] - V[sn], V[dn] - V[sn], initBulk ? -1.0 : V[Bk] - V[sn]);
    if (ch.id != 0 || ch.gm != 0 || ch.gds != 0 || ch.gmbs != 0) {
      // one instantiation per orientation, so that the stamp's entries are constants
      auto stamp = [&]<int Dn, int Sn>() {
        s.current(Dn, Sn, initBulk ? ch.id + ch.gmbs : ch.id);
        s.slope(Dn, Sn, G, Sn, ch.gm);
        s.slope(Dn, Sn, Dn, Sn, ch.gds);
        if constexpr (Bk != Sn) s.slope(Dn, Sn, Bk, Sn, ch.gmbs);  // (tied, normal mode: vbs is 0)
      };
      if (fwd) stamp.template operator()<DP, SP>();
      else stamp.template operator()<SP, DP>();
    }

    // junction charges (without sidewalls, what Depletion::at gives for no
    // capacitance, {0, 0}, is added without the two calls)
    const auto qd = p.bd.at(vbd);
    semi::ChargeAndCap qdsw{0.0, 0.0};
    if (p.sidewalls) qdsw = p.bdsw.at(vbd);
    q[3] = qd.q + qdsw.q;
    s.capacitance(3, Bk, DP, qd.c + qdsw.c);
    if constexpr (!kTied) {  // (tied: no qbs)
      const auto qs = p.bs.at(vbs);
      semi::ChargeAndCap qssw{0.0, 0.0};
      if (p.sidewalls) qssw = p.bssw.at(vbs);
      q[4] = qs.q + qssw.q;
      s.capacitance(4, Bk, SP, qs.c + qssw.c);
    }

    // Meyer gate charges
    const double vg[3] = {V[G] - V[SP], V[G] - V[DP], V[G] - V[Bk]};
    semi::MeyerCaps m{0, 0, 0};  // no oxide capacitance without TOX
    if (p.cox != 0) {
      m = semi::meyer(vg[fwd ? 0 : 1], vg[fwd ? 1 : 0], ch.von, ch.vdsat, p.phi, p.cox);  // one call site
      if (!fwd) std::swap(m.cgs, m.cgd);
    }
    const double half[3] = {m.cgs, m.cgd, m.cgb};
    const double ov[3] = {p.cgso, p.cgdo, p.cgbo};
    for (int k = 0; k < 3; ++k) {
      const auto g = semi::gateCharge(k, vg[k], semi::HalfCap{half[k]}, ov[k], gate, cand, incremental);
      q[k] = g.q;
      s.capacitance(k, Lay::chargeFrom[k], Lay::chargeTo[k], g.c);
    }
    return ch;
  }

  std::vector<Preset> preset_;              // see preset()
  std::vector<Gate> gate_, cand_;           // Meyer state: accepted, last evaluation
  std::vector<std::uint8_t> moved_;         // cand_[i] written since the last accept
  std::vector<semi::MosVoltages> last_;     // last evaluation (limiting), polarity applied
  // TiedLayout only: the bulk-drain junction of the last evaluation, and the
  // bulk's small-signal values of the last DC load ("ib", "is")
  struct BulkSmallSignal {
    double gbd = 0, cbd = 0, cgb = 0;
  };
  std::vector<semi::CurrentAndSlope> jd_;
  std::vector<BulkSmallSignal> opBulk_;
  std::vector<double> von_;                 // threshold of the last evaluation
  std::vector<MosChannel> ch_;              // channel of the last evaluation (@m1[gm] ...)
};

// The group of a level's instances: PlainLayout when no instance has RD or
// RS (decided in setup, from each instance's parameters at temperature),
// TiedLayout when moreover every instance names its source node as its bulk,
// SeriesLayout otherwise. Every call goes to that group.
template <class Level>
class MosGroup final : public semi::SemiconductorGroup {
 public:
  MosGroup(const DeviceKind& kind, std::vector<const ir::Device*> inst)
      : SemiconductorGroup(kind, std::move(inst)),
        impl_(std::make_unique<MosInstances<Level, SeriesLayout>>(kind_, inst_)) {}

  Status setup(SetupContext& ctx) override {
    using Plain = MosInstances<Level, PlainLayout>;
    using Tied = MosInstances<Level, TiedLayout>;
    std::vector<typename Plain::Preset> pre;
    if (!anySeries(ctx, pre)) {
      if (bulkOnSource()) {
        auto tied = std::make_unique<Tied>(kind_, inst_);
        tied->preset(std::move(pre));
        impl_ = std::move(tied);
      } else {
        auto plain = std::make_unique<Plain>(kind_, inst_);
        plain->preset(std::move(pre));
        impl_ = std::move(plain);
      }
    }
    return impl_->setup(ctx);
  }
  semi::BypassState& bypassState() override { return impl_->bypassState(); }

  Status resolve(SetupContext& ctx) override { return impl_->resolve(ctx); }
  void pattern(PatternBuilder& b) override { impl_->pattern(b); }
  void load(LoadContext& ctx) override { impl_->load(ctx); }
  void acLoad(AcContext& ctx) override { impl_->acLoad(ctx); }
  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override { impl_->dcPaths(out); }
  void voltageEdges(std::vector<std::pair<Index, Index>>& out, std::vector<int>& idx) const override {
    impl_->voltageEdges(out, idx);
  }
  bool piecewiseLinear() const override { return impl_->piecewiseLinear(); }
  void configuration(std::vector<std::uint8_t>& key) const override { impl_->configuration(key); }
  int settle(const double* x, double time) override { return impl_->settle(x, time); }
  double nextBreakpoint(double t) const override { return impl_->nextBreakpoint(t); }
  void accept(const double* x, double time) override { impl_->accept(x, time); }
  bool findEvent(const double* x0, const double* x1, double t0, double t1, Event& ev) const override {
    return impl_->findEvent(x0, x1, t0, t1, ev);
  }
  bool findEvent(const StepView& s, Event& ev) const override { return impl_->findEvent(s, ev); }
  void setConfiguration(const std::uint8_t*& p) override { impl_->setConfiguration(p); }
  void initialConditions(double* x) const override { impl_->initialConditions(x); }
  void noise(NoiseContext& ctx) const override { impl_->noise(ctx); }
  int quantityId(std::size_t i, std::string_view param) const override { return impl_->quantityId(i, param); }
  void currentNames(std::size_t i, std::vector<std::string_view>& out) const override {
    impl_->currentNames(i, out);
  }
  double quantity(std::size_t i, int id, const QuantityContext& c) const override {
    return impl_->quantity(i, id, c);
  }
  std::complex<double> acQuantity(std::size_t i, int id, const std::complex<double>* x, double omega) const override {
    return impl_->acQuantity(i, id, x, omega);
  }
  int terminalCurrentId(std::size_t i, std::string_view name) const override { return impl_->terminalCurrentId(i, name); }
  double terminalCurrent(std::size_t i, int id, const QuantityContext& c) const override {
    return impl_->terminalCurrent(i, id, c);
  }
  std::complex<double> acTerminalCurrent(std::size_t i, int id, const std::complex<double>* x, double omega) const override {
    return impl_->acTerminalCurrent(i, id, x, omega);
  }

 private:
  // Whether an instance has a series resistance (or cannot be set up: then
  // the series group's setup reports why). When none has, pre holds every
  // instance set up, for the plain group's setup.
  template <class Preset>
  bool anySeries(SetupContext& ctx, std::vector<Preset>& pre) const {
    const ir::Options& o = ctx.options();
    pre.resize(inst_.size());
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device* d = inst_[i];
      const ir::Model* mod = ctx.model(*d);
      if (!mod || (mod->type != "nmos" && mod->type != "pmos")) return true;
      const ParamValues P = values(*d, mod);
      typename Level::Inst& p = pre[i].p;
      if (!Level::checkLevel(*d, P) || !Level::setup(*d, *mod, P, o, p)) return true;
      if (p.gd > 0 || p.gs > 0) return true;
      pre[i].off = P.hasInst("off");
    }
    return false;
  }

  // Whether every instance's bulk is its source node (by name).
  bool bulkOnSource() const {
    for (const ir::Device* d : inst_)
      if (d->nodes.size() < 4 || d->nodes[3] != d->nodes[2]) return false;
    return true;
  }

  std::unique_ptr<semi::SemiconductorGroup> impl_;
};

}  // namespace simcore::dev::mos
