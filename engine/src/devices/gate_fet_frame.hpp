// The frame of the FETs whose gate meets the channel through two junctions
// (pn or Schottky) at the source and drain ends of the channel: the JFET (J
// level 1), the Statz MESFET (Z level 1), MESA (Z levels 2-4) and the HFETs
// (Z levels 5 and 6). A kind supplies its model; the frame binds the nodes
// (internal ones for the series resistances), limits the two gate junctions
// as SPICE does, keeps the gate state a transient moves its charges from,
// accepts points and lists the DC paths.
//
// Limiting: vgs and vgd (at the intrinsic g', s', d', polarity applied) are
// limited against the last evaluation, except in the first evaluation at a
// new transient time point (the next step, or a retry with a shorter step
// after a rejected one), which limits against the last accepted point, as
// ngspice's predictor does (MODEINITPRED copies the accepted junction
// voltages into the limiting history); the iterates of an attempt that failed
// are not a place to start from.
//
// The layout K (a semi::LocalStamp layout) adds
//   static constexpr gatefet::Terminals at;   which local terminals are which
// GateState is what a transient moves the charges from (state of the
// accepted point); an empty struct when the charges depend on the voltages
// alone. Derived supplies
//   static GateState model(const Inst&, const double* V, double gmin, semi::LocalStamp<K>&,
//                          double* q, const GateState* from);
//        everything at local voltages V into the stamp and q; with `from`, a
//        transient step from that accepted state; returns the state at V
//   static bool limitGate(const Inst&, double& vgs, double& vgd, double vgsOld, double vgdOld,
//                         bool initJunctions, bool off);
//        the kind's junction limiting (semi::gateJunctionLimit with its own
//        thermal and critical voltages); true when it moved either
//   Status setupInstance(SetupContext&, const ir::Device&, std::size_t i);
//        checks and parameters: p_[i] and off_[i]
//   static constexpr const char* kInternalNodes[5];   names of the internal
//        d', s', g', s'', d'' (those of a layout without them unused)
//   double polarity(std::size_t i) const;
// and may hide
//   bool gatePaths(std::size_t i) const;   whether the gate junctions conduct at DC
#pragma once

#include <type_traits>
#include <utility>
#include <vector>

#include "devices/common.hpp"
#include "devices/semiconductor.hpp"

namespace simcore::dev::gatefet {

// Local terminals of a layout: the outer d, g, s; the intrinsic d', g', s'
// (g' == g in a layout without a gate resistance); s'' and d'', where the
// gate charges end (== s', d' in a layout without RI / RF); gnd, a terminal
// always on ground (-1: none).
struct Terminals {
  int d, g, s, dp, gp, sp, spp, dpp, gnd = -1;
};

template <class Derived, class K, class Inst, class GateState>
class Frame : public semi::LinearisedGroup<Derived, K, Inst> {
  using Base = semi::LinearisedGroup<Derived, K, Inst>;

 public:
  using Base::Base;
  using Stamp = semi::LocalStamp<K>;
  using Lin = semi::Linearisation<K>;
  static constexpr int kN = K::terminals, kStates = K::states;
  static constexpr Terminals T = K::at;
  static constexpr bool kMoves = !std::is_empty_v<GateState>;

  Status setup(SetupContext& ctx) override {
    const std::size_t n = this->inst_.size();
    this->resizeInstances(n);
    vgs_.assign(n, 0.0); vgd_.assign(n, 0.0);
    acceptedVgs_.assign(n, 0.0); acceptedVgd_.assign(n, 0.0);
    stepTime_.assign(n, -1.0);
    if constexpr (kMoves) {
      gate_.assign(n, GateState{}); cand_.assign(n, GateState{});
      moved_.assign(n, 0);
    }
    Derived& self = static_cast<Derived&>(*this);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *this->inst_[i];
      if (auto s = self.setupInstance(ctx, d, i); !s) return s;
      const Inst& p = this->p_[i];
      auto& nd = this->nodes_[i];
      const auto internal = [&](double g, int k, int outer) {
        return g > 0 ? ctx.addInternalNode(d, Derived::kInternalNodes[k]) : nd[outer];
      };
      nd[T.d] = ctx.node(d.nodes[0]);
      nd[T.g] = ctx.node(d.nodes[1]);
      nd[T.s] = ctx.node(d.nodes[2]);
      nd[T.dp] = internal(p.gd, 0, T.d);
      nd[T.sp] = internal(p.gs, 1, T.s);
      if constexpr (T.gp != T.g) nd[T.gp] = internal(p.gg, 2, T.g);
      if constexpr (T.spp != T.sp) nd[T.spp] = internal(p.gi, 3, T.sp);
      if constexpr (T.dpp != T.dp) nd[T.dpp] = internal(p.gf, 4, T.dp);
      if constexpr (T.gnd >= 0) nd[T.gnd] = 0;
      this->st_[i] = ctx.addStates(kStates);
    }
    return {};
  }

  // A transient charge that moves from the accepted point depends on that
  // point, which moves with time: no bypass across steps then.
  bool stepBypass(std::size_t) const { return !kMoves; }

  void initialCharges(LoadContext& c, std::size_t i, const double* V) {
    Stamp s;
    double q[kStates];
    const GateState g = Derived::model(this->p_[i], V, c.gmin, s, q, nullptr);
    if constexpr (kMoves) {
      cand_[i] = g;
      moved_[i] = 1;
    }
    for (int k = 0; k < kStates; ++k) c.charge(this->st_[i] + k, q[k]);
    vgs_[i] = acceptedVgs_[i] = V[T.gp] - V[T.sp];
    vgd_[i] = acceptedVgd_[i] = V[T.gp] - V[T.dp];
  }

  void linearise(LoadContext& c, std::size_t i, const double* V, Lin& L, bool tran) {
    const Inst& p = this->p_[i];
    if (tran && c.time != stepTime_[i]) {  // the first evaluation at this time point
      stepTime_[i] = c.time;
      vgs_[i] = acceptedVgs_[i];
      vgd_[i] = acceptedVgd_[i];
    }
    double vgs = V[T.gp] - V[T.sp], vgd = V[T.gp] - V[T.dp];
    const bool limited = Derived::limitGate(p, vgs, vgd, vgs_[i], vgd_[i], c.initJunctions, this->off_[i] != 0);
    if (limited) c.noncon++;
    vgs_[i] = vgs; vgd_[i] = vgd;
    double* Vl = L.Vl;
    for (int k = 0; k < kN; ++k) Vl[k] = V[k];
    if (limited) moveIntrinsic(this->nodes_[i].data(), V, vgs, vgd, Vl);
    if (tran) {
      const GateState g = Derived::model(p, Vl, c.gmin, L.s, L.q, kMoves ? &gateAt(i) : nullptr);
      if constexpr (kMoves) {
        cand_[i] = g;
        moved_[i] = 1;
      }
    } else {
      Derived::model(p, Vl, c.gmin, L.s, L.q, nullptr);
      this->storeSmallSignal(i, L.s.G, L.s.C);
    }
  }

  void accept(const double* x, double) override {
    const Derived& self = static_cast<const Derived&>(*this);
    for (std::size_t i = 0, n = this->nodes_.size(); i < n; ++i) {
      const auto& nd = this->nodes_[i];
      const double sign = self.polarity(i);
      acceptedVgs_[i] = sign * (x[nd[T.gp]] - x[nd[T.sp]]);
      acceptedVgd_[i] = sign * (x[nd[T.gp]] - x[nd[T.dp]]);
    }
    if constexpr (kMoves)
      for (std::size_t i = 0, n = moved_.size(); i < n; ++i)
        if (moved_[i]) {
          gate_[i] = cand_[i];
          moved_[i] = 0;
        }
    this->bypass_.accepted();
  }

  bool gatePaths(std::size_t) const { return true; }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    const Derived& self = static_cast<const Derived&>(*this);
    for (std::size_t i = 0; i < this->nodes_.size(); ++i) {
      const auto& nd = this->nodes_[i];
      out.emplace_back(nd[T.dp], nd[T.sp]);
      if (self.gatePaths(i)) {  // the junctions (with gmin)
        out.emplace_back(nd[T.gp], nd[T.sp]);
        out.emplace_back(nd[T.gp], nd[T.dp]);
      }
      if (nd[T.d] != nd[T.dp]) out.emplace_back(nd[T.d], nd[T.dp]);
      if (nd[T.s] != nd[T.sp]) out.emplace_back(nd[T.s], nd[T.sp]);
      if constexpr (T.gp != T.g)
        if (nd[T.g] != nd[T.gp]) out.emplace_back(nd[T.g], nd[T.gp]);
      if constexpr (T.spp != T.sp)
        if (nd[T.spp] != nd[T.sp]) out.emplace_back(nd[T.spp], nd[T.sp]);
      if constexpr (T.dpp != T.dp)
        if (nd[T.dpp] != nd[T.dp]) out.emplace_back(nd[T.dpp], nd[T.dp]);
    }
  }

 protected:
  // The accepted gate state of instance i (kMoves).
  const GateState& gateAt(std::size_t i) const { return gate_[i]; }
  // vgs and vgd (polarity applied) at the last accepted point: the operating
  // point's in an ac analysis.
  std::pair<double, double> acceptedGateVoltages(std::size_t i) const { return {acceptedVgs_[i], acceptedVgd_[i]}; }

  std::vector<GateState> gate_, cand_;  // gate state: accepted, last transient evaluation (kMoves)
  std::vector<std::uint8_t> moved_;     // cand_[i] written since the last accept

 private:
  // The local voltages where the limited vgs and vgd hold, with g' kept:
  // s' and d' move. A layout with its own charge terminals moves every
  // terminal on the node of s' (d') by the same amount; one without sets s'
  // and d' (the two forms round differently; each kind keeps its own).
  static void moveIntrinsic(const Index* nd, const double* V, double vgs, double vgd, double* Vl) {
    if constexpr (T.spp != T.sp) {
      const double dS = (V[T.gp] - vgs) - V[T.sp], dD = (V[T.gp] - vgd) - V[T.dp];
      Vl[T.sp] += dS;
      Vl[T.dp] += dD;
      if (nd[T.spp] == nd[T.sp]) Vl[T.spp] += dS;
      if (nd[T.dpp] == nd[T.dp]) Vl[T.dpp] += dD;
      if (nd[T.s] == nd[T.sp]) Vl[T.s] = Vl[T.sp];
      if (nd[T.d] == nd[T.dp]) Vl[T.d] = Vl[T.dp];
    } else {
      Vl[T.sp] = V[T.gp] - vgs;
      Vl[T.dp] = V[T.gp] - vgd;
    }
  }

  std::vector<double> vgs_, vgd_;                  // last evaluation (limiting), polarity applied
  std::vector<double> acceptedVgs_, acceptedVgd_;  // at the last accepted point
  std::vector<double> stepTime_;                   // time of the last transient evaluation
};

}  // namespace simcore::dev::gatefet
