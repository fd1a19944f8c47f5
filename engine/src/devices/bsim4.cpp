// M: BSIM4.8 MOSFET (ngspice's level 14 and 54; bsim4_model.hpp has the
// equations). Terminals d g s b as the other MOSFET levels, with internal
// nodes as BSIM4 makes them: d' and s' behind RSH*NRD / RSH*NRS (NRD, NRS
// given on the instance) or the RDSMOD 1 resistances; g' (and the middle node
// gm of RGATEMOD 3) behind the gate resistance; b', db, sb of the RBODYMOD
// 1, 2 body network.
//
// Resistive part: the channel current d'->s', the substrate and GIDL/GISL
// currents into b', the gate tunnelling currents g'->s', g'->d', g'->b', the
// junction currents sb->s', db->d' and the resistances. Reactive part: the
// intrinsic terminal charges (g', d', b'; the source's is minus their sum),
// the overlap charges (gate side at gm, the drain's and body's sides with
// the intrinsic ones) and the junction depletion charges, each a charge state
// between two of the nodes. The derivatives with respect to vgs, vds and vbs
// (and the junction, overlap and series-resistance voltages) come from one
// evaluation of the model on forward-mode numbers (semi::Fwd), so they are
// the exact derivatives of the values, in every region and every CAPMOD. m
// multiplies every current and charge.
// Limiting as SPICE's MOSFETs (pnjlim on the junctions behind a body network).
#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "devices/bsim4_model.hpp"
#include "devices/bsim4_params.hpp"
#include "devices/common.hpp"
#include "devices/noise.hpp"
#include "devices/truncation.hpp"
#include "devices/semiconductor.hpp"

namespace simcore::dev {
namespace {

// B' (the intrinsic body), DB and SB (the drain and source junctions' body
// sides) are B itself unless RBODYMOD 1, 2 puts the five-resistor network
// between them; G' (the intrinsic gate) is G unless RGATEMOD 1-3 puts the gate
// resistance between them; GM (where the overlap charges sit) is G' unless
// RGATEMOD 3 makes it a middle node between G and G'.
enum : int { D = 0, G = 1, S = 2, B = 3, DP = 4, SP = 5, BP = 6, DB = 7, SB = 8, GP = 9, GM = 10 };
struct Layout {
  static constexpr int terminals = 11;
  static constexpr bool mask[terminals][terminals] = {
      // D  G  S  B  D' S' B' DB SB G' GM
      {1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0},  // D   series resistance (RDSMOD 1: bias-dependent)
      {0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1},  // G   gate resistance (RGATEMOD 2: bias-dependent)
      {0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0},  // S   series resistance (RDSMOD 1: bias-dependent)
      {0, 0, 0, 1, 0, 0, 1, 1, 1, 0, 0},  // B   body resistances
      {1, 0, 0, 0, 1, 1, 1, 1, 0, 1, 1},  // D'  channel, drain junction, overlap
      {0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1},  // S'  channel, source junction, overlap
      {0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1},  // B'  substrate and GIDL currents, bulk charge, body resistances
      {0, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0},  // DB  drain junction, body resistances
      {0, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0},  // SB  source junction, body resistances
      {0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1},  // G'  gate charge, gate currents, gate resistance
      {0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1},  // GM  overlap charges, RGATEMOD 3 resistances
  };
  // intrinsic qg, qd, qb; source and drain junctions; the overlaps' gate side
  static constexpr int states = 6;
  static constexpr int chargeFrom[states] = {GP, DP, BP, SB, DB, GM};
  static constexpr int chargeTo[states] = {SP, SP, SP, SP, DP, SP};
  static constexpr int series = 8;
};
using Stamp = semi::LocalStamp<Layout>;
using Lin = semi::Linearisation<Layout>;

struct Inst : bsim4::Inst {
  double m = 1;
  double gd = 0, gs = 0;    // series conductances (m applied); RDSMOD 1: of the diffusions alone
  double gdBase = 0, gsBase = 0;  // RDSMOD 1: diffusion conductances (m not applied)
  double vcrit = 0, vt0 = 0;  // limiting
};

// The quantities of the last evaluation that @m[...] reports.
struct OpInfo {
  double gm = 0, gds = 0, gmbs = 0, vth = 0, vdsat = 0;
  double cdrain = 0;  // ngspice's @m[id], "Ids": the channel current in the mode's n-type frame
  double c[4][4] = {};  // intrinsic d(q of g, d, b, s)/d(v of g, d, s, b), m applied
  // as ngspice's BSIM4 reports them (n-type frame, m applied): ibd ibs isub igidl
  // igisl igs igd igb igcs igcd vbs vgs vds qg qb qd qs qinv capbd capbs
  double more[20] = {};
};

class Bsim4Group final : public semi::LinearisedGroup<Bsim4Group, Layout, Inst> {
  using Base = semi::LinearisedGroup<Bsim4Group, Layout, Inst>;
 public:
  // threaded loads: one evaluation costs about 20 level-1 MOSFET evaluations (--stats of the bench circuits, docs/performance.md)
  static constexpr std::size_t kLoadWeight = 20;

 private:
  static constexpr int kN = Layout::terminals, kStates = Layout::states;

 public:
  using Base::Base;
  // ib: B plus B', DB, SB where they are B (quantity() below)
  static constexpr semi::TerminalCurrent kCurrents[] = {{"id", D, DP}, {"is", S, SP}, {"ig", G, GP, GM}, {"ib", B, BP, DB}};
  static constexpr int kDrainCurrent = 0, kBulkCurrent = 3;

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    resizeInstances(n);
    last_.assign(n, semi::MosVoltages{0, 0, 0});
    ic_.assign(n, {kNoDefault, kNoDefault, kNoDefault});
    lastJ_.assign(n, std::array<double, 2>{0.0, 0.0});
    von_.assign(n, 0.0);
    op_.assign(n, OpInfo{});
    const ir::Options& o = ctx.options();
    bool noiseRun = false;
    for (const ir::Analysis& a : ctx.analyses()) noiseRun = noiseRun || a.kind == ir::AnalysisKind::Noise;
    SharedSetups<bsim4::Inst> sized;
    std::set<const ir::Model*> checked;
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      auto found = mosModel(ctx, d, checked);
      if (!found) return found.takeError();
      const ir::Model* mod = *found;
      const ParamValues P = values(d, mod);
      const auto bad = [&](const std::string& what) {
        return deviceError(d, "MOSFET '" + d.name + "' (BSIM4 model '" + mod->name + "'): " + what);
      };
      if (const double v = P.model("version"); !(v >= 4.0 && v < 5.0))
        return bad("VERSION " + std::to_string(v).substr(0, 4) + " is not a BSIM4 version (4.x)");
      Inst& p = p_[i];
      p.m = P.inst("m");
      if (!(p.m > 0)) return bad("m must be positive");
      ic_[i] = mosInitialVoltages(P);
      const double T = o.temp + kCelsiusToKelvin, Tnom = semi::nominalTempK(P, o);
      // instances of one model with the same instance parameters share their set-up
      if (auto why = sized.apply(mod, d, static_cast<bsim4::Inst&>(p),
                                 [&](bsim4::Inst& q) { return bsim4::setup(P, mod->type == "pmos", T, Tnom, q); });
          !why.empty())
        return bad(why);
      // series resistances: RSH with NRD, NRS given on the instance (BSIM4 makes no
      // internal node otherwise)
      // or, with RGEOMOD 1 and NRD, NRS not given, the layout's (1e3 S where it gives none)
      const double rsh = P.model("rsh");
      auto layout = [&](bool node, double r) { return node ? (r > 0 ? p.m / r : p.m * 1.0e3) : 0.0; };
      p.gd = rsh > 0 && P.hasInst("nrd") && P.inst("nrd") > 0 ? p.m / (rsh * P.inst("nrd"))
             : rsh > 0 && !P.hasInst("nrd")                    ? layout(p.rdGeoNode, p.rdGeo)
                                                               : 0.0;
      p.gs = rsh > 0 && P.hasInst("nrs") && P.inst("nrs") > 0 ? p.m / (rsh * P.inst("nrs"))
             : rsh > 0 && !P.hasInst("nrs")                    ? layout(p.rsGeoNode, p.rsGeo)
                                                               : 0.0;
      // RDSMOD 1: both internal nodes, the diffusions (RSH·NRS, else 1e3 S) in
      // series with the bias-dependent resistances
      if (p.rdsMod) {
        p.gsBase = p.gs > 0 ? p.gs / p.m : 1.0e3;
        p.gdBase = p.gd > 0 ? p.gd / p.m : 1.0e3;
        p.gs = p.m * p.gsBase;
        p.gd = p.m * p.gdBase;
      }
      // TNOIMOD 1 in a circuit with .noise: BSIM4 makes both internal nodes
      // (1e3 S when RSH, NRD, NRS give none) and puts the induced noise there
      if (p.tnoiMod == 1 && noiseRun) {
        if (p.gd == 0.0) p.gd = p.m * 1.0e3;
        if (p.gs == 0.0) p.gs = p.m * 1.0e3;
      }
      p.vt0 = 8.617087e-5 * (27.0 + kCelsiusToKelvin);
      p.vcrit = p.vt0 * std::log(p.vt0 / (semi::kSqrt2 * 1.0e-14));
      off_[i] = P.hasInst("off");
      auto& nd = nodes_[i];
      nd[D] = ctx.node(d.nodes[0]);
      nd[G] = ctx.node(d.nodes[1]);
      nd[GP] = p.rgate ? ctx.addInternalNode(d, "g") : nd[G];
      nd[GM] = p.rgateMod == 3 ? ctx.addInternalNode(d, "gm") : nd[GP];
      nd[S] = ctx.node(d.nodes[2]);
      nd[B] = ctx.node(d.nodes[3]);
      nd[DP] = p.gd > 0 ? ctx.addInternalNode(d, "d") : nd[D];
      nd[SP] = p.gs > 0 ? ctx.addInternalNode(d, "s") : nd[S];
      nd[BP] = p.rbody ? ctx.addInternalNode(d, "b") : nd[B];
      nd[DB] = p.rbody ? ctx.addInternalNode(d, "db") : nd[B];
      nd[SB] = p.rbody ? ctx.addInternalNode(d, "sb") : nd[B];
      st_[i] = ctx.addStates(kStates);
      // the gate charge's truncation error is that of the intrinsic and overlap
      // charges together, as ngspice's one qg state holds both (with RGATEMOD 3
      // the overlaps sit at the mid node, its qgmid state: apart)
      if (p.rgateMod != 3)
        if (auto* t = dynamic_cast<TruncationExemptions*>(&ctx)) t->truncatedWith(st_[i] + 5, st_[i] + 0);
      von_[i] = p.type * p.vth0;
    }
    return {};
  }

  double polarity(std::size_t i) const { return p_[i].type; }

  // With uic the internal nodes (series resistances, the gate resistor, the
  // body network) start at their terminals' initial values, or at the source's
  // plus IC's vds, vgs, vbs where given: the first step's Newton starts where
  // initialCharges puts the device
  void initialConditions(double* x) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const auto& nd = nodes_[i];
      const auto& ic = ic_[i];
      auto set = [&](int internal, int external, double v) {
        if (nd[internal] != nd[external] && nd[internal] > 0) x[nd[internal]] = v;
      };
      set(SP, S, x[nd[S]]);
      set(DP, D, std::isnan(ic[0]) ? x[nd[D]] : x[nd[SP]] + ic[0]);
      const double g = std::isnan(ic[1]) ? x[nd[G]] : x[nd[SP]] + ic[1];
      set(GP, G, g);
      set(GM, G, g);
      const double b = std::isnan(ic[2]) ? x[nd[B]] : x[nd[SP]] + ic[2];
      set(BP, B, b);
      set(DB, B, b);
      set(SB, B, b);
    }
  }

  void initialCharges(LoadContext& c, std::size_t i, const double* Vx) {
    // With uic the device's voltages come from its external nodes' initial
    // values and its IC=, as ngspice's BSIM4getic (an .ic on a gate behind
    // RGATEMOD's resistor sets vgs; ngspice's internal nodes start at 0 V,
    // simcore's at these voltages, initialConditions); without, they agree.
    double W[kN];
    for (int k = 0; k < kN; ++k) W[k] = Vx[k];
    if (c.uic) {
      W[GP] = W[GM] = Vx[G];
      W[DP] = Vx[D];
      W[SP] = Vx[S];
      W[BP] = W[DB] = W[SB] = Vx[B];
      // the instance's IC=vds,vgs,vbs where given (local: times the polarity)
      const auto& ic = ic_[i];
      const double sign = polarity(i);
      if (!std::isnan(ic[0])) W[DP] = W[SP] + sign * ic[0];
      if (!std::isnan(ic[1])) W[GP] = W[GM] = W[SP] + sign * ic[1];
      if (!std::isnan(ic[2])) W[BP] = W[DB] = W[SB] = W[SP] + sign * ic[2];
    }
    const double* V = W;
    Stamp s;
    double q[kStates];
    evaluate(i, V, c.gmin, s, q);
    for (int k = 0; k < kStates; ++k) c.charge(st_[i] + k, q[k]);
    last_[i] = {V[GP] - V[SP], V[DP] - V[SP], V[BP] - V[SP]};
  }

  void linearise(LoadContext& c, std::size_t i, const double* V, Lin& L, bool tran) {
    const Inst& p = p_[i];
    semi::MosVoltages v{V[GP] - V[SP], V[DP] - V[SP], V[BP] - V[SP]};
    bool limited;
    if (c.initJunctions) {
      // as BSIM4: just above threshold with a small vds
      v = off_[i] ? semi::MosVoltages{0, 0, 0} : semi::MosVoltages{p.type * p.vth0 + 0.1, 0.1, 0.0};
      limited = true;
    } else {
      limited = !c.resync && semi::mosLimit(v, last_[i], von_[i], p.vt0, p.vcrit, p.vcrit);
    }
    if (limited) c.noncon++;
    last_[i] = v;
    double* Vl = L.Vl;
    for (int k = 0; k < kN; ++k) Vl[k] = V[k];
    if (limited) {
      Vl[GP] = V[SP] + v.vgs;
      if (!p.rgate) Vl[G] = Vl[GP];
      if (p.rgateMod != 3) Vl[GM] = Vl[GP];
      Vl[DP] = V[SP] + v.vds;
      Vl[BP] = V[SP] + v.vbs;
      if (!p.rbody) Vl[B] = Vl[DB] = Vl[SB] = Vl[BP];
    }
    if (p.rbody) {
      // the junctions behind the body resistances: SPICE's pnjlim
      bool lj = false;
      if (c.resync) {  // (the retried step's start: no limiting against the failed attempt)
        lastJ_[i][0] = V[SB] - V[SP];
        lastJ_[i][1] = V[DB] - Vl[DP];
      }
      const double vsb = pnjLimitFrom(i, 0, V[SB] - V[SP], c.initJunctions, lj);
      const double vdb = pnjLimitFrom(i, 1, V[DB] - Vl[DP], c.initJunctions, lj);
      if (lj) {
        c.noncon++;
        Vl[SB] = Vl[SP] + vsb;
        Vl[DB] = Vl[DP] + vdb;
      }
    }
    evaluate(i, Vl, c.gmin, L.s, L.q);
    if (!tran) storeSmallSignal(i, L.s.G, L.s.C);
  }

  // Beyond the terminal currents: the channel's gm, gds, gmbs, threshold and
  // saturation voltage of the last evaluation (the drain being the higher
  // terminal; vth and vdsat in the n-type frame, positive for a typical pmos
  // too, as ngspice's BSIM4 reports them), and the intrinsic
  // transcapacitances cXY = dQX/dVY (X, Y among g, d, s, b; terminal frame).
  int quantityId(std::size_t i, std::string_view param) const override {
    if (const int id = Base::quantityId(i, param); id >= 0) return id;
    for (int k = 0; k < int(std::size(kChannel)); ++k)
      if (param == kChannel[k]) return kChannelBase + k;
    return -1;
  }
  double terminalCurrent(std::size_t i, int id, const QuantityContext& c) const override {
    if (id == kBulkCurrent && nodes_[i][SB] == nodes_[i][B]) return Base::terminalCurrent(i, id, c) + localCurrent(i, SB, c);
    return Base::terminalCurrent(i, id, c);
  }
  double quantity(std::size_t i, int id, const QuantityContext& c) const override {
    // @m[id] is ngspice's BSIM4 "Ids": the channel current alone (no substrate, GIDL,
    // gate or junction current), in the frame of the mode, positive for a conducting
    // pmos or a reversed device too; [is] [ig] [ib] are terminal currents
    if (id == kDrainCurrent) return op_[i].cdrain;
    if (id < kChannelBase) return Base::quantity(i, id, c);
    const OpInfo& op = op_[i];
    const int k = id - kChannelBase;
    switch (k) {
      case 0: return op.gm;
      case 1: return op.gds;
      case 2: return op.gmbs;
      case 3: return op.vth;
      case 4: return op.vdsat;
      default: break;
    }
    if (k >= kMoreBase) return op.more[k - kMoreBase];
    // cXY: X the charge (g, d, b, s), Y the terminal voltage (g, d, s, b)
    constexpr int row[4] = {0, 1, 2, 3};
    const int r = row[(k - 5) / 4], col = (k - 5) % 4;
    return op.c[r][col];
  }
  std::complex<double> acTerminalCurrent(std::size_t i, int id, const std::complex<double>* x, double omega) const override {
    if (id == kBulkCurrent && nodes_[i][SB] == nodes_[i][B])
      return Base::acTerminalCurrent(i, id, x, omega) + localAcCurrent(i, SB, x, omega);
    return Base::acTerminalCurrent(i, id, x, omega);
  }
  std::complex<double> acQuantity(std::size_t i, int id, const std::complex<double>* x, double omega) const override {
    if (id < kChannelBase) return Base::acQuantity(i, id, x, omega);
    return quantity(i, id, QuantityContext{});
  }

  // .noise (as ngspice's BSIM4): RD, RS (RDSMOD 1: at the operating point),
  // RG and the body resistances thermal; channel thermal between d' and s':
  // TNOIMOD 0: 4kT NTNOI ueff|Qinv| / (Leff² + ueff|Qinv| Rds/nf);
  // TNOIMOD 1: the holistic model (RNOIA, RNOIB, TNOIA, TNOIB) with its
  // induced source (drain in reverse) noise. Flicker between d' and s':
  // FNOIMOD 0: KF |Id|^AF / (f Leff² Cox); FNOIMOD 1: the oxide-trap model
  // (NOIA, NOIB, NOIC, EM, LINTNOI). Shot noise of the gate currents. The
  // flicker spectrum falls as 1/f^EF. Cards of VERSION 4.0-4.5 as ngspice's BSIM4.5.
  void noise(NoiseContext& c) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      const Inst& p = p_[i];
      const auto& nd = nodes_[i];
      double V[kN];
      for (int k = 0; k < kN; ++k) V[k] = p.type * c.xop[nd[k]];
      const double vds = V[DP] - V[SP];
      const bsim4::Point pt = bsim4::evaluate(p, V[GP] - V[SP], vds, V[BP] - V[SP], c.gmin, false);
      const OpInfo& op = op_[i];
      const ParamValues P = values(d, c.model(d));
      double gd = p.gd, gs = p.gs, gth;
      if (p.rdsMod) {
        gs = seriesConductance(p, false, V[GP] - V[SP], V[BP] - V[SP]);
        gd = seriesConductance(p, true, V[GP] - V[DP], V[BP] - V[DP]);
      }
      if (p.tnoiMod == 0) {
        const double t0 = pt.ueff * std::fabs(pt.qinv);
        // (BSIM4.5's 1/grdsw is Rds itself, 4.6.2 on Rds/NF)
        const double rds = pt.rds > 0.0 ? (p.v45 ? pt.rds : pt.rds / p.nf) : 0.0;
        gth = p.m * P.model("ntnoi") * t0 / (t0 * rds + p.leff * p.leff);
      } else {
        double t5 = pt.vgsteff / pt.esatL;
        t5 *= t5;
        const double beta = P.model("rnoia") * (1.0 + t5 * P.model("tnoia") * p.leff);
        double theta = P.model("rnoib") * (1.0 + t5 * P.model("tnoib") * p.leff);
        // (4.6.2 on clamp theta; BSIM4.5 divides the source's or drain's conductance by the
        // induced-noise factor, where 4.6.2 on multiply it)
        if (!p.v45) theta = std::min({theta, 0.9, 0.9 * beta});
        const double idv = pt.idovvds;
        double& g0 = vds >= 0.0 ? gs : gd;
        const double factor = 1.0 + theta * theta * (g0 / p.m) / idv;
        g0 = p.v45 ? g0 / factor : g0 * factor;
        const double g = op.gm + op.gmbs + op.gds;
        const double igsq = theta * theta * g * g / (p.m * idv);
        const double t1 = beta * (op.gm + op.gmbs) + op.gds;
        gth = t1 * t1 / (p.m * idv) - igsq;
      }
      c.thermal(d, "_rd", nd[DP], nd[D], gd);
      c.thermal(d, "_rs", nd[SP], nd[S], gs);
      // (BSIM4.5 gives RGATEMOD 2 the electrode's noise unscaled, as RGATEMOD 1)
      if (p.rgateMod == 1 || (p.rgateMod == 2 && p.v45)) c.thermal(d, "_rg", nd[GP], nd[G], p.m * p.grgeltd);
      if (p.rgateMod == 3) c.thermal(d, "_rg", nd[GM], nd[G], p.m * p.grgeltd);
      if (p.rgateMod == 2 && !p.v45) {
        // as BSIM4: the electrode's noise scaled by the series conductance
        const double t0 = pt.gcrg > 0.0 ? 1.0 + p.grgeltd / pt.gcrg : 0.0;
        c.thermal(d, "_rg", nd[GP], nd[G], t0 > 0.0 ? p.m * p.grgeltd / (t0 * t0) : 0.0);
      }
      if (p.rbody) {  // RBODYMOD 2 without the source/drain resistances: those are quiet
        if (p.bodyMode != 1) {
          c.thermal(d, "_rbps", nd[BP], nd[SB], p.m * p.grbps);
          c.thermal(d, "_rbpd", nd[BP], nd[DB], p.m * p.grbpd);
        }
        c.thermal(d, "_rbpb", nd[BP], nd[B], p.m * p.grbpb);
        if (p.bodyMode == 5) {
          c.thermal(d, "_rbsb", nd[B], nd[SB], p.m * p.grbsb);
          c.thermal(d, "_rbdb", nd[B], nd[DB], p.m * p.grbdb);
        }
      }
      c.thermal(d, "_id", nd[DP], nd[SP], gth);
      double coef;
      if (p.fnoiMod == 0) {
        coef = p.m * NoiseContext::flickerCoef(p.kf, p.af, pt.id) / (p.leff * p.leff * p.coxe);
      } else {
        coef = p.m * oxideTrapFlicker(p, pt, std::fabs(vds), c.tempK);
      }
      // (both forms fall as 1/f^EF, as ngspice's b4noi.c; GF180's cards: EF = 0.95)
      c.flicker(d, "_1overf", nd[DP], nd[SP], coef, p.ef);
      c.shot(d, "_igs", nd[GP], nd[SP], p.m * pt.igs);
      c.shot(d, "_igd", nd[GP], nd[DP], p.m * pt.igd);
      c.shot(d, "_igb", nd[GP], nd[BP], p.m * pt.igb);
    }
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const auto& nd : nodes_) {
      out.emplace_back(nd[DP], nd[SP]);
      out.emplace_back(nd[DB], nd[DP]);
      out.emplace_back(nd[SB], nd[SP]);
      if (nd[BP] != nd[B]) {
        out.emplace_back(nd[BP], nd[B]);
        out.emplace_back(nd[DB], nd[B]);
        out.emplace_back(nd[SB], nd[B]);
      }
      if (nd[G] != nd[GP]) out.emplace_back(nd[G], nd[GM]);
      if (nd[GM] != nd[GP]) out.emplace_back(nd[GM], nd[GP]);
      if (nd[D] != nd[DP]) out.emplace_back(nd[D], nd[DP]);
      if (nd[S] != nd[SP]) out.emplace_back(nd[S], nd[SP]);
    }
  }

 private:
  static constexpr const char* kChannel[] = {
      "gm",   "gds",   "gmbs",  "vth",  "vdsat", "cgg", "cgd", "cgs", "cgb", "cdg", "cdd",  "cds",   "cdb",   "cbg",
      "cbd",  "cbs",   "cbb",   "csg",  "csd",   "css", "csb", "ibd", "ibs", "isub", "igidl", "igisl", "igs", "igd",
      "igb",  "igcs",  "igcd",  "vbs",  "vgs",   "vds", "qg",  "qb",  "qd",  "qs",  "qinv", "capbd", "capbs"};
  static constexpr int kMoreBase = 21;  // the first of OpInfo::more in kChannel
  static constexpr int kChannelBase = 100;

  // BSIM4's oxide-trap flicker noise of one device (m not applied) at f = 1 Hz:
  // the strong-inversion and weak-inversion spectra in parallel.
  static double oxideTrapFlicker(const Inst& p, const bsim4::Point& pt, double vds, double T) {
    constexpr double q = 1.6021918e-19, kb = 1.3806226e-23, kMinLog = NoiseContext::kMinLog;
    const double cd = std::fabs(pt.id);
    const double leff = p.leff - 2.0 * p.lintnoi, leffsq = leff * leff;
    const double esat = 2.0 * p.vsattemp / pt.ueff;
    double delClm = 0.0;
    if (p.em > 0.0) {
      const double t0 = ((vds - pt.vdseff) / p.litl + p.em) / esat;
      delClm = std::max(p.litl * std::log(std::max(t0, kMinLog)), 0.0);
    }
    const double t1 = q * q * kb * cd * T * pt.ueff;
    const double t2 = 1.0e10 * pt.abulk * p.coxe * leffsq;
    const double abov = pt.abulk / (pt.vgsteff + 2.0 * p.vtm);
    const double n0 = p.coxe * pt.vgsteff / q;
    const double nl = p.coxe * pt.vgsteff * (1.0 - abov * pt.vdseff) / q;
    const double t3 = p.noia * std::log(std::max((n0 + pt.nstar) / (nl + pt.nstar), kMinLog));
    const double t4 = p.noib * (n0 - nl), t5 = p.noic * 0.5 * (n0 * n0 - nl * nl);
    const double t6 = kb * T * cd * cd, t7 = 1.0e10 * leffsq * p.weff * p.nf;
    const double t8 = p.noia + p.noib * nl + p.noic * nl * nl, t9 = (nl + pt.nstar) * (nl + pt.nstar);
    const double ssi = t1 / t2 * (t3 + t4 + t5) + t6 / t7 * delClm * t8 / t9;
    const double swi = p.noia * kb * T / (p.weff * p.nf * p.leff * 1.0e10 * pt.nstar * pt.nstar) * cd * cd;
    return ssi + swi > 0.0 ? ssi * swi / (ssi + swi) : 0.0;
  }

  // The terminal currents of the intrinsic device (d'->s', b'->s', g->s')
  // and its charges (g, d', b'; evaluate() adds the overlaps), m applied;
  // with R = Fwd<3>, their partials in vgs, vds, vbs.
  template <class R>
  struct Terminal {
    R id, ib, ig, q[3], ch, gr;  // ch: the channel current alone; gr: RGATEMOD 2 conductance
  };
  template <class R>
  static Terminal<R> terminal(const bsim4::PointT<R>& pt, double m) {
    // the impact-ionisation current leaves the mode's drain (for the source: s'->b')
    const R isubD = pt.reverse ? R(0.0) : pt.isub;
    const R id = pt.id + isubD + pt.igidl - pt.igd;
    const R ib = -pt.isub - pt.igidl - pt.igisl - pt.igb;
    const R ig = pt.igs + pt.igd + pt.igb;
    return {m * id, m * ib, m * ig, {m * pt.qgi, m * pt.qdi, m * pt.qbi}, m * pt.id, m * pt.gcrg};
  }

  // RDSMOD 1: the conductance of the source (drain) side, the diffusion in
  // series with the bias-dependent resistance at vgs, vbs (vgd, vbd) of the
  // internal node (m applied).
  template <class R>
  static R seriesConductance(const Inst& p, bool drain, R vg, R vb) {
    const double g0 = drain ? p.gdBase : p.gsBase;
    return p.m * g0 / (1.0 + g0 * bsim4::biasResistance(p, drain, vg, vb));
  }
  static void seriesBias(const Inst& p, bool drain, const double* V, Stamp& s) {
    const int a = drain ? D : S, b = drain ? DP : SP;
    const double vab = V[a] - V[b];
    const semi::Fwd<2> g = seriesConductance(p, drain, variable<2>(V[GP] - V[b], 0), variable<2>(V[BP] - V[b], 1));
    s.current(a, b, g.v * vab);
    s.slope(a, b, a, b, g.v);
    s.slope(a, b, GP, b, g.d[0] * vab);
    s.slope(a, b, BP, b, g.d[1] * vab);
  }
  // x as the k-th of N variables
  template <int N>
  static semi::Fwd<N> variable(double x, int k) {
    semi::Fwd<N> r(x);
    r.d[k] = 1.0;
    return r;
  }


  // pnjlim of junction k (0 source, 1 drain) behind the body resistances.
  double pnjLimitFrom(std::size_t i, int k, double v, bool init, bool& limited) {
    const Inst& p = p_[i];
    double& old = lastJ_[i][k];
    if (init) {
      old = 0.0;
      limited = true;
      return 0.0;
    }
    bool l = false;
    const double nv = (k == 0 ? p.js.nvtm : p.jd.nvtm);
    const double vt = nv > 0 ? nv : p.vt0;
    const double v2 = semi::pnjlim(v, old, vt, p.vcrit, l);
    old = v2;
    limited = limited || l;
    return v2;
  }

  // Currents, conductances, charges and capacitances at local voltages V.
  void evaluate(std::size_t i, const double* V, double gmin, Stamp& s, double* q) {
    const Inst& p = p_[i];
    if (p.rdsMod) {
      seriesBias(p, false, V, s);
      seriesBias(p, true, V, s);
    } else {
      if (p.gd > 0) s.conductance(D, DP, p.gd, V);
      if (p.gs > 0) s.conductance(S, SP, p.gs, V);
    }
    if (p.rgateMod == 1) s.conductance(G, GP, p.m * p.grgeltd, V);
    if (p.rgateMod == 3) s.conductance(G, GM, p.m * p.grgeltd, V);
    if (p.rbody) {
      s.conductance(DB, BP, p.m * p.grbpd, V);
      s.conductance(DB, B, p.m * p.grbdb, V);
      s.conductance(BP, B, p.m * p.grbpb, V);
      s.conductance(SB, BP, p.m * p.grbps, V);
      s.conductance(SB, B, p.m * p.grbsb, V);
    }
    using D3 = semi::Fwd<3>;
    const double v[3] = {V[GP] - V[SP], V[DP] - V[SP], V[BP] - V[SP]};
    const bsim4::PointT<D3> pt =
        bsim4::evaluateT<D3>(p, variable<3>(v[0], 0), variable<3>(v[1], 1), variable<3>(v[2], 2), true);
    // the values, and the derivatives with respect to vgs, vds, vbs
    const Terminal<D3> t = terminal(pt, p.m);
    constexpr int ctrl[3] = {GP, DP, BP};
    s.current(DP, SP, t.id.v);
    s.current(BP, SP, t.ib.v);
    const bool gate = p.igcMod != 0 || p.igbMod != 0;
    if (gate) s.current(GP, SP, t.ig.v);
    for (int k = 0; k < 3; ++k) {
      s.slope(DP, SP, ctrl[k], SP, t.id.d[k]);
      s.slope(BP, SP, ctrl[k], SP, t.ib.d[k]);
      if (gate) s.slope(GP, SP, ctrl[k], SP, t.ig.d[k]);
    }
    if (p.rgateMod >= 2) {  // the intrinsic input resistance: with the electrode's (2), from GM (3)
      const int from = p.rgateMod == 2 ? G : GM;
      const double vgg = V[from] - V[GP];
      s.current(from, GP, t.gr.v * vgg);
      s.slope(from, GP, from, GP, t.gr.v);
      for (int k = 0; k < 3; ++k) s.slope(from, GP, ctrl[k], SP, t.gr.d[k] * vgg);
    }
    for (int st = 0; st < 3; ++st) {
      q[st] = t.q[st].v;
      for (int k = 0; k < 3; ++k) s.capacitance(st, ctrl[k], SP, t.q[st].d[k]);
    }
    // overlaps at the node that holds them (GM): gate side state 5, the
    // drain's and body's sides in their intrinsic states
    {
      const D3 ugs = variable<3>(V[GM] - V[SP], 0), uds = variable<3>(V[DP] - V[SP], 1),
               ubs = variable<3>(V[BP] - V[SP], 2);
      const bsim4::OverlapsT<D3> o = bsim4::overlaps(p, ugs, ugs - uds, ugs - ubs);
      const D3 oq[3] = {p.m * (o.qgs + o.qgd + o.qgb), -p.m * o.qgd, -p.m * o.qgb};
      constexpr int octrl[3] = {GM, DP, BP};
      constexpr int ostate[3] = {5, 1, 2};
      q[5] = oq[0].v;
      q[1] += oq[1].v;
      q[2] += oq[2].v;
      for (int k = 0; k < 3; ++k)
        for (int r = 0; r < 3; ++r) s.capacitance(ostate[r], octrl[k], SP, oq[r].d[k]);
    }
    // junctions: source SB -> S', drain DB -> D'
    constexpr int jFrom[2] = {SB, DB}, jTo[2] = {SP, DP};
    double jI[2], jC[2];
    for (int k = 0; k < 2; ++k) {
      const bsim4::Junction& jn = k == 0 ? p.js : p.jd;
      const bsim4::JunctionStateT<semi::Fwd<1>> j =
          bsim4::junction(p, jn, variable<1>(V[jFrom[k]] - V[jTo[k]], 0), gmin);
      jI[k] = p.m * j.i.v;
      jC[k] = p.m * j.q.d[0];
      s.current(jFrom[k], jTo[k], jI[k]);
      s.slope(jFrom[k], jTo[k], jFrom[k], jTo[k], p.m * j.i.d[0]);
      q[3 + k] = p.m * j.q.v;
      s.capacitance(3 + k, jFrom[k], jTo[k], jC[k]);
    }
    // channel quantities in the frame where the drain is the higher terminal
    OpInfo& op = op_[i];
    const double dIdg = t.ch.d[0], dIdd = t.ch.d[1], dIdb = t.ch.d[2];
    if (!pt.reverse) {
      op.gm = dIdg;
      op.gds = dIdd;
      op.gmbs = dIdb;
    } else {  // in the swapped frame: vgs' = vgd, vds' = -vds, vbs' = vbd
      op.gm = -dIdg;
      op.gmbs = -dIdb;
      op.gds = dIdd + dIdg + dIdb;
    }
    op.vth = pt.vth.v;
    op.vdsat = pt.vdsat.v;
    op.cdrain = pt.reverse ? -t.ch.v : t.ch.v;
    // intrinsic transcapacitances: row gate, drain, bulk, source; column g, d, s, b
    for (int r = 0; r < 4; ++r) {
      double dq[3];
      for (int k = 0; k < 3; ++k) dq[k] = r < 3 ? t.q[r].d[k] : -(t.q[0].d[k] + t.q[1].d[k] + t.q[2].d[k]);
      op.c[r][0] = dq[0];
      op.c[r][1] = dq[1];
      op.c[r][3] = dq[2];
      op.c[r][2] = -(dq[0] + dq[1] + dq[2]);
    }
    if (pt.reverse) {
      // as gm, gds: in the frame of the mode (ngspice's cgdb ... are there), the drain
      // and source rows and columns swap places
      for (int c = 0; c < 4; ++c) std::swap(op.c[1][c], op.c[3][c]);
      for (int r = 0; r < 4; ++r) std::swap(op.c[r][1], op.c[r][2]);
    }
    {
      const double m = p.m;
      const double qs = -(pt.qgi.v + pt.qdi.v + pt.qbi.v);
      // BSIM4 keeps the intrinsic charges in the frame of the mode
      const double qdMode = pt.reverse ? qs : pt.qdi.v, qsMode = pt.reverse ? pt.qdi.v : qs;
      const double more[20] = {jI[1],            jI[0],            m * pt.isub.v,  m * pt.igidl.v, m * pt.igisl.v,
                               m * pt.igsEdge.v, m * pt.igdEdge.v, m * pt.igb.v,   m * pt.igcs.v,  m * pt.igcd.v,
                               v[2],             v[0],             v[1],           m * pt.qgi.v,   m * pt.qbi.v,
                               m * qdMode,       m * qsMode,       m * pt.qinv.v,  jC[1],          jC[0]};
      std::copy(std::begin(more), std::end(more), op.more);
    }
    von_[i] = pt.vth.v;
  }

  std::vector<semi::MosVoltages> last_;  // last evaluation (limiting), polarity applied
  std::vector<std::array<double, 3>> ic_;  // IC=vds,vgs,vbs for uic (NaN: from the nodes)
  std::vector<std::array<double, 2>> lastJ_;  // last source and drain junction voltages (RBODYMOD 1)
  std::vector<double> von_;              // threshold of the last evaluation
  std::vector<OpInfo> op_;
};


// The model types of this kind: nmos and pmos cards whose LEVEL is 14 or 54 are
// routed here by kindOf() (descriptor.cpp); nobody writes these names.
constexpr const char* kTypes[] = {"nmos@14", "pmos@14", "nmos@54", "pmos@54"};

}  // namespace

extern const DeviceKind kBsim4Kind;
constexpr DeviceKind kBsim4Kind{
    .letter = 'm', .name = "MOSFET", .form = CardForm::ModelCard, .minNodes = 4, .maxNodes = 4,
    .modelTypes = kTypes, .params = bsim4::kBsim4Params,
    .valueDoc = "Mname d g s b model [l=] [w=] [nf=] [ad=] [as=] [pd=] [ps=] ... (a .model nmos|pmos with LEVEL=14 or 54)",
    .create = makeGroup<Bsim4Group, kBsim4Kind>};

}  // namespace simcore::dev
