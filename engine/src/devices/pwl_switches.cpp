// Ideal piecewise-linear power semiconductors for the event engine (and
// usable in SPICE mode). Between its terminals a (anode, drain, collector)
// and k (cathode, source, emitter) each instance is a forward element F,
// optionally with an antiparallel diode R; v = v(a) - v(k), i flows a -> k:
//   F on   i = (v - vf) / ron        F off  i = v / roff
//   R on   i += (v + vd) / rd        R off  nothing (F's roff already shunts)
// Kinds (model type, card):
//   PWLDIODE  D a k M          F is a diode: on when v > von, off when its
//                              current reverses (v < von). vf = von.
//   PWLMOS    S d s g gref M   F is bidirectional, on while the gate voltage
//                              v(g) - v(gref) is above vt (hysteresis vh),
//                              vf = 0; R is the body diode (vd, rd).
//   PWLIGBT   S c e g gref M   F conducts forward only: on while the gate is
//                              on and v > von (vf = von); R antiparallel diode.
//   THYRISTOR S a k g gref M   F latches: turns on when the gate voltage
//                              exceeds vt while v > von, off when its
//                              current falls below ih (whatever the gate).
// Each instance's discrete state is one byte (F, R and the IGBT's gate
// latch). In a transient the state is held through a time point and changes
// only in accept() (after an event located by findEvent) or settle() (making
// a configuration consistent at a switching instant); at DC it follows the
// solution between Newton iterations, frozen after kMaxFlips changes.
#include <algorithm>
#include <cmath>

#include "devices/common.hpp"

namespace simcore::dev {
namespace {

enum class PwlKind { Diode, Mos, Igbt, Thyristor };

enum : std::uint8_t { kF = 1, kR = 2, kGate = 4 };

class PwlSwitches final : public GroupBase {
 public:
  static constexpr int kMaxFlips = 8;
  PwlSwitches(const DeviceKind& kind, std::vector<const ir::Device*> inst, PwlKind k)
      : GroupBase(kind, std::move(inst)), kind2_(k) {}

  bool linear() const override { return false; }
  bool piecewiseLinear() const override { return true; }

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    a_.resize(n); k_.resize(n); g_.assign(n, 0); gr_.assign(n, 0); quad_.resize(n);
    loss_.assign(n, LossSpec{});
    gon_.resize(n); goff_.resize(n); vf_.resize(n); gd_.assign(n, 0.0); vd_.assign(n, 0.0);
    vt_.assign(n, 0.0); vh_.assign(n, 0.0); ih_.assign(n, 0.0);
    st_.assign(n, 0); init_.assign(n, 0); flips_.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      const ir::Model* m = ctx.model(d);
      if (!m || m->type != kind_.modelTypes[0])
        return deviceError(d, std::string(kind_.name) + " '" + d.name + "' needs a " + kind_.modelTypes[0] + " model");
      if (auto s = checkModel(*m); !s) return s;
      const ParamValues P = values(d, m);
      const double ron = P.model("ron"), roff = P.model("roff");
      if (!(ron > 0) || !(roff > 0) || !(roff > ron))
        return deviceError(d, std::string(kind_.name) + " '" + d.name + "': ron and roff must be positive with roff > ron");
      gon_[i] = 1.0 / ron;
      goff_[i] = 1.0 / roff;
      a_[i] = ctx.node(d.nodes[0]);
      k_[i] = ctx.node(d.nodes[1]);
      if (d.nodes.size() >= 4) {
        g_[i] = ctx.node(d.nodes[2]);
        gr_[i] = ctx.node(d.nodes[3]);
      }
      switch (kind2_) {
        case PwlKind::Diode: vf_[i] = P.model("von"); break;
        case PwlKind::Mos: vf_[i] = 0.0; break;
        case PwlKind::Igbt: vf_[i] = P.model("von"); break;
        case PwlKind::Thyristor:
          vf_[i] = P.model("von");
          ih_[i] = P.model("ih");
          if (ih_[i] < 0) return deviceError(d, "thyristor '" + d.name + "': ih must be >= 0");
          break;
      }
      if (!std::isfinite(vf_[i])) return deviceError(d, std::string(kind_.name) + " '" + d.name + "': von must be finite");
      if (kind2_ != PwlKind::Diode) {
        vt_[i] = P.model("vt");
        if (kind2_ != PwlKind::Thyristor) vh_[i] = P.model("vh");
        if (vh_[i] < 0) return deviceError(d, std::string(kind_.name) + " '" + d.name + "': a negative vh is not supported");
      }
      if (kind2_ == PwlKind::Mos || kind2_ == PwlKind::Igbt) {
        const double rd = P.model("rd");
        vd_[i] = P.model("vd");
        if (!(rd > 0)) return deviceError(d, std::string(kind_.name) + " '" + d.name + "': rd must be positive");
        gd_[i] = P.model("diode") != 0 ? 1.0 / rd : 0.0;
      }
      if (auto s = setupLoss(ctx, d, *m, P, i); !s) return s;
      std::uint8_t s0 = 0;
      if (P.hasInst("on") && !P.hasInst("off")) s0 = kind2_ == PwlKind::Igbt ? std::uint8_t(kF | kGate) : kF;
      init_[i] = st_[i] = s0;
    }
    return {};
  }

  void pattern(PatternBuilder& b) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) quad_[i].bind(b, a_[i], k_[i]);
  }

  void load(LoadContext& c) override {
    lastMode_ = c.mode;
    for (std::size_t i = 0, n = inst_.size(); i < n; ++i) {
      if (recordsOnly(c.mode)) {
        if (c.mode == AnalysisMode::TranInit) st_[i] = next(i, c.x, st_[i]);
        continue;
      }
      if (c.mode == AnalysisMode::DcOp) {
        if (c.initJunctions) {
          st_[i] = init_[i];
          flips_[i] = 0;
        } else {
          const std::uint8_t ns = next(i, c.x, st_[i]);
          if (ns != st_[i] && flips_[i] < kMaxFlips) {
            st_[i] = ns;
            ++flips_[i];
            ++c.noncon;
          }
        }
      }
      const double v = c.x[a_[i]] - c.x[k_[i]];
      double g, cur;
      if (st_[i] & kF) {
        g = gon_[i];
        cur = (v - vf_[i]) * gon_[i];
      } else {
        g = goff_[i];
        cur = v * goff_[i];
      }
      if (st_[i] & kR) {
        g += gd_[i];
        cur += (v + vd_[i]) * gd_[i];
      }
      if (c.stampMatrix) {
        c.conductance(quad_[i], a_[i], k_[i], g, cur);
      } else {
        c.f[a_[i]] += cur;
        c.f[k_[i]] -= cur;
      }
    }
  }

  void acLoad(AcContext& c) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      double g = (st_[i] & kF) ? gon_[i] : goff_[i];
      if (st_[i] & kR) g += gd_[i];
      c.admittance(quad_[i], g);
    }
  }

  void accept(const double* x, double) override {
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      flips_[i] = 0;
      if (lastMode_ != AnalysisMode::DcOp) st_[i] = next(i, x, st_[i]);
    }
  }

  int settle(const double* x, double) override {
    int changed = 0;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const std::uint8_t ns = next(i, x, st_[i]);
      if (ns != st_[i]) {
        st_[i] = ns;
        ++changed;
      }
    }
    return changed;
  }

  void configuration(std::vector<std::uint8_t>& key) const override { key.insert(key.end(), st_.begin(), st_.end()); }
  void setConfiguration(const std::uint8_t*& p) override {
    for (auto& s : st_) s = *p++;
  }

  bool findEvent(const double* x0, const double* x1, double t0, double t1, Event& ev) const override {
    return findEvent(StepView{nullptr, x0, x1, t0, t0, t1}, ev);
  }
  bool findEvent(const StepView& s, Event& ev) const override {
    bool found = false;
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      if (next(i, s.x1, st_[i]) == st_[i]) continue;
      const double t = crossing(i, s);
      if (!found || t < ev.time) ev.time = t;
      found = true;
    }
    return found;
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (std::size_t i = 0; i < inst_.size(); ++i) out.emplace_back(a_[i], k_[i]);
  }

  bool lossSpec(std::size_t i, LossSpec& spec) const override {
    spec = loss_[i];
    return true;
  }

  void lossProbe(std::size_t i, const double* x, LossProbe& p) const override {
    const double v = volt(x, i);
    p.v = v;
    p.mainOn = st_[i] & kF;
    p.iMain = p.mainOn ? (v - vf_[i]) * gon_[i] : 0.0;
    p.diodeOn = (st_[i] & kR) && gd_[i] > 0;
    p.iDiode = p.diodeOn ? -(v + vd_[i]) * gd_[i] : 0.0;
  }

 private:
  // The loss description of instance i: inline parameters, or the model's
  // file data (losses=, Model::semiconductor) when it has some. The
  // conduction model defaults to the electrical one (von, ron; vd, rd).
  Status setupLoss(SetupContext& ctx, const ir::Device& d, const ir::Model& m, const ParamValues& P, std::size_t i) {
    LossSpec& L = loss_[i];
    const std::string who = std::string(kind_.name) + " '" + d.name + "'";
    auto element = [&](ElementLoss& e, double vloss, double rloss, const char* on, const char* off) -> Status {
      e.eon = on ? P.model(on) : 0.0;
      e.eoff = P.model(off);
      e.tref = P.model("tref");
      e.tce = P.model("tce");
      e.vloss = vloss;
      e.rloss = rloss;
      e.tcv = P.model("tcv");
      e.tcr = P.model("tcr");
      if (!(e.eon >= 0) || !(e.eoff >= 0))
        return deviceError(d, who + ": switching energies (eon, eoff, err) must be >= 0");
      if (e.eon > 0 || e.eoff > 0) {
        if (!P.hasModel("vref") || !P.hasModel("iref"))
          return deviceError(d, who + ": a switching energy needs its reference point vref= and iref=");
        e.vref = P.model("vref");
        e.iref = P.model("iref");
        if (!(e.vref > 0) || !(e.iref > 0)) return deviceError(d, who + ": vref and iref must be > 0");
      }
      if (!std::isfinite(e.vloss) || !(e.rloss >= 0) || !std::isfinite(e.tref))
        return deviceError(d, who + ": vloss must be finite and rloss >= 0");
      return {};
    };
    const double ron = 1.0 / gon_[i];
    if (kind2_ == PwlKind::Diode) {
      if (auto s = element(L.main, P.model("vloss", vf_[i]), P.model("rloss", ron), nullptr, "err"); !s) return s;
    } else {
      if (auto s = element(L.main, P.model("vloss", vf_[i]), P.model("rloss", ron), "eon", "eoff"); !s) return s;
      if (kind2_ != PwlKind::Thyristor && P.model("diode") != 0) {
        L.hasDiode = true;
        if (auto s = element(L.diode, P.model("vdloss", P.model("vd")), P.model("rdloss", P.model("rd")), nullptr, "err"); !s)
          return s;
      }
    }
    const std::vector<double> r = P.modelVector("rthjc"), tau = P.modelVector("tauthjc");
    if (!r.empty()) {
      L.chain.r = r;
      if (P.hasModel("cthjc")) {
        if (r.size() != 1 || !tau.empty())
          return deviceError(d, who + ": cthjc= goes with a single rthjc (or give tauthjc=[...] for a Foster chain)");
        L.chain.tau = {r[0] * P.model("cthjc")};
      } else {
        L.chain.tau = tau.empty() ? std::vector<double>(r.size(), 0.0) : tau;
      }
      if (L.chain.tau.size() != r.size())
        return deviceError(d, who + ": rthjc and tauthjc must have the same number of values");
      for (std::size_t k = 0; k < r.size(); ++k)
        if (!(r[k] > 0) || !(L.chain.tau[k] >= 0))
          return deviceError(d, who + ": rthjc values must be > 0 and tauthjc values >= 0");
    } else if (!tau.empty() || P.hasModel("cthjc")) {
      return deviceError(d, who + ": tauthjc= / cthjc= need rthjc=");
    }
    if (m.semiconductor >= 0) {
      const auto& all = ctx.circuit().semiconductors;
      if (std::size_t(m.semiconductor) < all.size()) {
        const ir::SemiconductorData& sd = all[std::size_t(m.semiconductor)];
        L.main.data = &sd;
        if (L.hasDiode && !sd.diode.empty()) L.diode.data = &sd.diode.front();
      }
    }
    return {};
  }

  double gate(const double* x, std::size_t i) const { return x[g_[i]] - x[gr_[i]]; }
  double volt(const double* x, std::size_t i) const { return x[a_[i]] - x[k_[i]]; }

  // The state instance i takes at solution x, from state s.
  std::uint8_t next(std::size_t i, const double* x, std::uint8_t s) const {
    const double v = volt(x, i);
    std::uint8_t out = s;
    auto set = [&](std::uint8_t bit, bool on) { out = on ? std::uint8_t(out | bit) : std::uint8_t(out & ~bit); };
    switch (kind2_) {
      case PwlKind::Diode:
        if (v > vf_[i]) set(kF, true);
        else if (v < vf_[i]) set(kF, false);
        break;
      case PwlKind::Mos: {
        const double c = gate(x, i);
        if (c > vt_[i] + vh_[i]) set(kF, true);
        else if (c < vt_[i] - vh_[i]) set(kF, false);
        break;
      }
      case PwlKind::Igbt: {
        const double c = gate(x, i);
        if (c > vt_[i] + vh_[i]) set(kGate, true);
        else if (c < vt_[i] - vh_[i]) set(kGate, false);
        if (!(out & kGate)) set(kF, false);
        else if (v > vf_[i]) set(kF, true);
        else if (v < vf_[i]) set(kF, false);
        break;
      }
      case PwlKind::Thyristor:
        if (s & kF) {
          if (v < vf_[i] + ih_[i] / gon_[i]) set(kF, false);
        } else if (gate(x, i) > vt_[i] && v > vf_[i]) {
          set(kF, true);
        }
        break;
    }
    if (gd_[i] > 0) {
      if (v < -vd_[i]) set(kR, true);
      else if (v > -vd_[i]) set(kR, false);
    }
    return out;
  }

  // Time in the step at which the earliest state change of instance i
  // happens (the crossing of the quantity that triggers it).
  double crossing(std::size_t i, const StepView& sv) const {
    const double* x0 = sv.x0;
    const double* x1 = sv.x1;
    const double* xm = sv.xm1 ? sv.xm1 : sv.x0;
    const double v0 = volt(x0, i), v1 = volt(x1, i), vm = volt(xm, i);
    const std::uint8_t s = st_[i];
    double best = sv.t1;
    auto volts = [&](double level) { best = std::min(best, sv.crossing(vm, v0, v1, level)); };
    auto gates = [&](double level) {
      best = std::min(best, sv.crossing(gate(xm, i), gate(x0, i), gate(x1, i), level));
    };
    auto gateLevel = [&](bool on) { return on ? vt_[i] - vh_[i] : vt_[i] + vh_[i]; };
    switch (kind2_) {
      case PwlKind::Diode:
        volts(vf_[i]);
        break;
      case PwlKind::Mos:
        gates(gateLevel(s & kF));
        break;
      case PwlKind::Igbt: {
        const bool gateOn1 = next(i, x1, s) & kGate;
        if (gateOn1 != bool(s & kGate)) gates(gateLevel(s & kGate));
        if ((s & kGate) && gateOn1 && ((v1 > vf_[i]) != bool(s & kF))) volts(vf_[i]);
        break;
      }
      case PwlKind::Thyristor:
        if (s & kF) {
          volts(vf_[i] + ih_[i] / gon_[i]);
        } else {
          // both the gate and the forward voltage must be past their levels: the later crossing
          const double tg = gate(x0, i) > vt_[i] ? sv.t0 : sv.crossing(gate(xm, i), gate(x0, i), gate(x1, i), vt_[i]);
          const double tv = v0 > vf_[i] ? sv.t0 : sv.crossing(vm, v0, v1, vf_[i]);
          best = std::min(best, std::max(tg, tv));
        }
        break;
    }
    if (gd_[i] > 0 && ((v1 < -vd_[i]) != bool(s & kR))) volts(-vd_[i]);
    return best;
  }

  PwlKind kind2_;
  std::vector<Index> a_, k_, g_, gr_;
  std::vector<Quad> quad_;
  std::vector<double> gon_, goff_, vf_, gd_, vd_, vt_, vh_, ih_;
  std::vector<std::uint8_t> st_, init_;
  std::vector<int> flips_;
  AnalysisMode lastMode_ = AnalysisMode::DcOp;
  std::vector<LossSpec> loss_;
};

template <PwlKind K, const DeviceKind& Kind>
std::unique_ptr<DeviceGroup> make(std::vector<const ir::Device*> inst) {
  return std::make_unique<PwlSwitches>(Kind, std::move(inst), K);
}

constexpr ParamSpec kOn = flagParam("on", "the DC analysis starts with the element conducting");
constexpr ParamSpec kOff = flagParam("off", "the DC analysis starts with the element blocking (the default)");
constexpr ParamSpec kRoff = mparam("roff", 1e9, "Ω", "off-state resistance");
constexpr ParamSpec kVt = mparam("vt", 0.5, "V", "gate threshold: v(g) − v(gref) above it turns the switch on");
constexpr ParamSpec kVh = mparam("vh", 0.0, "V", "gate hysteresis half-width (on above vt+vh, off below vt−vh)");
constexpr ParamSpec kVd = mparam("vd", 0.7, "V", "antiparallel diode forward voltage");
constexpr ParamSpec kRd = mparam("rd", 1e-3, "Ω", "antiparallel diode on-state resistance");
constexpr ParamSpec kDiode = mparam("diode", 1.0, "", "1: with the antiparallel diode, 0: without");

// Loss parameters (docs/power.md, "Losses"): the electrical solution never depends on them.
constexpr ParamSpec kEon = mparam("eon", 0.0, "J", "losses: turn-on energy at vref, iref, tref");
constexpr ParamSpec kEoff = mparam("eoff", 0.0, "J", "losses: turn-off energy at vref, iref, tref");
constexpr ParamSpec kErr = mparam("err", 0.0, "J", "losses: diode reverse-recovery (turn-off) energy at vref, iref, tref");
constexpr ParamSpec kVref = mparam("vref", kNoDefault, "V", "losses: blocking voltage of the energies' reference point").shown("—");
constexpr ParamSpec kIref = mparam("iref", kNoDefault, "A", "losses: current of the energies' reference point").shown("—");
constexpr ParamSpec kTref = mparam("tref", 25.0, "°C", "losses: junction temperature of the reference point");
constexpr ParamSpec kTce = mparam("tce", 0.0, "1/K", "losses: energies scale by 1 + tce·(Tj − tref)");
constexpr ParamSpec kTcv = mparam("tcv", 0.0, "1/K", "losses: vloss (and vdloss) scale by 1 + tcv·(Tj − tref)");
constexpr ParamSpec kTcr = mparam("tcr", 0.0, "1/K", "losses: rloss (and rdloss) scale by 1 + tcr·(Tj − tref)");
constexpr ParamSpec kRloss = mparam("rloss", kNoDefault, "Ω", "losses: conduction slope resistance").shown("ron");
constexpr ParamSpec kVdloss = mparam("vdloss", kNoDefault, "V", "losses: antiparallel diode conduction drop").shown("vd");
constexpr ParamSpec kRdloss = mparam("rdloss", kNoDefault, "Ω", "losses: antiparallel diode slope resistance").shown("rd");
constexpr ParamSpec kRthjc = mparam("rthjc", kNoDefault, "K/W", "thermal: junction-case resistance, or [R1 R2 ...] of a Foster chain").shown("—").vec();
constexpr ParamSpec kTauthjc = mparam("tauthjc", kNoDefault, "s", "thermal: [tau1 tau2 ...] of the Foster chain rthjc").shown("0").vec();
constexpr ParamSpec kCthjc = mparam("cthjc", kNoDefault, "J/K", "thermal: junction-case capacitance of a one-cell rthjc").shown("—");

constexpr const char* kDiodeTypes[] = {"pwldiode"};
constexpr ParamSpec kDiodeParams[] = {
    kOn, kOff,
    mparam("von", 0.0, "V", "forward voltage: on above it, on-state v = von + ron·i"),
    mparam("ron", 1e-3, "Ω", "on-state resistance"),
    kRoff,
    kErr, kVref, kIref, kTref, kTce,
    mparam("vloss", kNoDefault, "V", "losses: conduction drop, p = (vloss + rloss·i)·i").shown("von"),
    kRloss, kTcv, kTcr, kRthjc, kTauthjc, kCthjc,
};
constexpr const char* kMosTypes[] = {"pwlmos"};
constexpr ParamSpec kMosParams[] = {
    kOn, kOff, kVt, kVh, mparam("ron", 1e-2, "Ω", "on-state resistance (both directions)"), kRoff, kVd, kRd, kDiode,
    kEon, kEoff, kErr, kVref, kIref, kTref, kTce,
    mparam("vloss", 0.0, "V", "losses: conduction drop, p = (vloss + rloss·|i|)·|i|"),
    kRloss, kVdloss, kRdloss, kTcv, kTcr, kRthjc, kTauthjc, kCthjc,
};
constexpr const char* kIgbtTypes[] = {"pwligbt"};
constexpr ParamSpec kIgbtParams[] = {
    kOn, kOff, kVt, kVh,
    mparam("von", 0.0, "V", "collector-emitter knee voltage: conducts forward above it, v = von + ron·i"),
    mparam("ron", 1e-2, "Ω", "on-state slope resistance"), kRoff, kVd, kRd, kDiode,
    kEon, kEoff, kErr, kVref, kIref, kTref, kTce,
    mparam("vloss", kNoDefault, "V", "losses: conduction drop, p = (vloss + rloss·i)·i").shown("von"),
    kRloss, kVdloss, kRdloss, kTcv, kTcr, kRthjc, kTauthjc, kCthjc,
};
constexpr const char* kThyTypes[] = {"thyristor"};
constexpr ParamSpec kThyParams[] = {
    kOn, kOff,
    mparam("vt", 0.5, "V", "gate trigger voltage: v(g) − v(gref) above it fires the thyristor when forward-biased"),
    mparam("von", 0.0, "V", "forward voltage: on-state v = von + ron·i"),
    mparam("ron", 1e-3, "Ω", "on-state resistance"), kRoff,
    mparam("ih", 0.0, "A", "holding current: turns off when its current falls below it"),
    kEon, kEoff, kVref, kIref, kTref, kTce,
    mparam("vloss", kNoDefault, "V", "losses: conduction drop, p = (vloss + rloss·i)·i").shown("von"),
    kRloss, kTcv, kTcr, kRthjc, kTauthjc, kCthjc,
};

}  // namespace

extern const DeviceKind kPwlDiodeKind, kPwlMosKind, kPwlIgbtKind, kThyristorKind;
constexpr DeviceKind kPwlDiodeKind{
    .letter = 'd', .name = "ideal diode", .form = CardForm::ModelCard, .minNodes = 2, .maxNodes = 2,
    .modelTypes = kDiodeTypes, .params = kDiodeParams, .modelNoun = "ideal diode",
    .valueDoc = "Dname anode cathode model [on|off]  (.model M PWLDIODE(...))",
    .create = make<PwlKind::Diode, kPwlDiodeKind>};
constexpr DeviceKind kPwlMosKind{
    .letter = 's', .name = "ideal MOSFET", .form = CardForm::ModelCard, .minNodes = 4, .maxNodes = 4,
    .modelTypes = kMosTypes, .params = kMosParams, .modelNoun = "ideal MOSFET",
    .valueDoc = "Sname drain source gate gate-ref model [on|off]  (.model M PWLMOS(...))",
    .create = make<PwlKind::Mos, kPwlMosKind>};
constexpr DeviceKind kPwlIgbtKind{
    .letter = 's', .name = "ideal IGBT", .form = CardForm::ModelCard, .minNodes = 4, .maxNodes = 4,
    .modelTypes = kIgbtTypes, .params = kIgbtParams, .modelNoun = "ideal IGBT",
    .valueDoc = "Sname collector emitter gate gate-ref model [on|off]  (.model M PWLIGBT(...))",
    .create = make<PwlKind::Igbt, kPwlIgbtKind>};
constexpr DeviceKind kThyristorKind{
    .letter = 's', .name = "thyristor", .form = CardForm::ModelCard, .minNodes = 4, .maxNodes = 4,
    .modelTypes = kThyTypes, .params = kThyParams, .modelNoun = "thyristor",
    .valueDoc = "Sname anode cathode gate gate-ref model [on|off]  (.model M THYRISTOR(...))",
    .create = make<PwlKind::Thyristor, kThyristorKind>};

}  // namespace simcore::dev
