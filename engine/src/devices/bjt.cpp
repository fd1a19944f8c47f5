// Q: bipolar transistor, Gummel-Poon as in SPICE3/ngspice (level 1).
//   transport current  ict = (ibf - ibr)/qb, ibf = IS*(exp(vbe/(NF vt))-1), ibr likewise with NR
//   base current       ibf/BF + ISE*(exp(vbe/(NE vt))-1) + ibr/BR + ISC*(exp(vbc/(NC vt))-1)
//   base charge        qb = q1*(1+sqrt(1+4*q2))/2, q1 = 1/(1 - vbc/VAF - vbe/VAR), q2 = ibf/IKF + ibr/IKR
//   base resistance    RBM + (RB-RBM)/qb, or the IRB crowding formula when IRB is given
//   charges            qbe = TF*ibf*(1+XTF*(ibf/(ibf+ITF))^2*exp(vbc/(1.44 VTF)))/qb + depletion(CJE)
//                      qbc = TR*ibr + XCJC*depletion(CJC); qbx = (1-XCJC)*depletion(CJC) from the
//                      external base; qsc = substrate depletion(CJS) to the collector
// gmin is in parallel with each junction (b'-e', b'-c', substrate-c'). The
// Jacobian includes the derivative of the modulated base resistance (SPICE3
// leaves it out; the residual and so the solution are the same).
// Local terminals: 0 c, 1 b, 2 e, 3 substrate, 4 c', 5 b', 6 e'.
#include <cmath>

#include "devices/common.hpp"
#include "devices/noise.hpp"
#include "devices/semiconductor.hpp"

namespace simcore::dev {
namespace {

enum : int { C = 0, B = 1, E = 2, S = 3, CP = 4, BP = 5, EP = 6 };
struct Layout {
  static constexpr int terminals = 7;
  static constexpr bool mask[terminals][terminals] = {
      // C  B  E  S  C' B' E'
      {1, 0, 0, 0, 1, 0, 0},  // C   series RC
      {0, 1, 0, 0, 1, 1, 1},  // B   base resistance (modulated), qbx
      {0, 0, 1, 0, 0, 0, 1},  // E   series RE
      {0, 0, 0, 1, 1, 0, 0},  // S   substrate
      {1, 1, 0, 1, 1, 1, 1},  // C'  transport, b'-c' junction, RC, substrate, qbx
      {0, 1, 0, 0, 1, 1, 1},  // B'  junctions, base resistance, charges
      {0, 0, 1, 0, 1, 1, 1},  // E'  transport, b'-e' junction, RE, qbe
  };
  static constexpr int states = 4;  // qbe, qbc, qbx, qsc
  static constexpr int chargeFrom[states] = {BP, BP, B, S};
  static constexpr int chargeTo[states] = {EP, CP, CP, CP};
  static constexpr int series = 2;  // RC, RE (RB depends on the bias)
};
constexpr int kN = Layout::terminals;
constexpr int kStates = Layout::states;
using Stamp = semi::LocalStamp<Layout>;
using Lin = semi::Linearisation<Layout>;
constexpr int kE = Stamp::E;

struct BjtInst {
  double sign;  // +1 npn, -1 pnp
  double vt, csat, betaF, betaR, nf, nr, c2, vte, c4, vtc;
  double ova, ovb, oik, oikr;
  double rbpr, rbpi, xjrb, gc, ge;
  semi::Depletion be, bc, bx;  // b'-e', b'-c' and b-c' depletion charges
  double czcs, ps, xms;
  double tf, tr, xtf, ovtf, xjtf;
  double vcrit;
  bool hasRb;
};

// Evaluates one transistor at local voltages V; fills the resistive stamp and
// the capacitances, returns the four charges (qbe, qbc, qbx, qsc). rbSlopes
// (optional) receives the part of the stamp that comes from the bias
// dependence of the base resistance, which SPICE's small-signal model leaves out.
void evaluate(const BjtInst& p, const double* V, double gmin, Stamp& s, double* q, Stamp* rbSlopes = nullptr) {
  const double vbe = V[BP] - V[EP], vbc = V[BP] - V[CP], vbx = V[B] - V[CP], vsc = V[S] - V[CP];
  const auto be = semi::junctionCurrent(vbe, p.csat, p.vt * p.nf);
  const auto bc = semi::junctionCurrent(vbc, p.csat, p.vt * p.nr);
  auto ben = semi::junctionCurrent(vbe, p.c2, p.vte);
  auto bcn = semi::junctionCurrent(vbc, p.c4, p.vtc);
  ben.i += gmin * vbe; ben.g += gmin;
  bcn.i += gmin * vbc; bcn.g += gmin;

  // base charge
  const double q1 = 1.0 / (1.0 - p.ova * vbc - p.ovb * vbe);
  double qb, dqbdve, dqbdvc;
  if (p.oik == 0 && p.oikr == 0) {
    qb = q1;
    dqbdve = q1 * qb * p.ovb;
    dqbdvc = q1 * qb * p.ova;
  } else {
    const double q2 = p.oik * be.i + p.oikr * bc.i;
    const double arg = std::max(0.0, 1.0 + 4.0 * q2);
    const double sqarg = arg != 0 ? std::sqrt(arg) : 1.0;
    qb = q1 * (1.0 + sqarg) / 2.0;
    dqbdve = q1 * (qb * p.ovb + p.oik * be.g / sqarg);
    dqbdvc = q1 * (qb * p.ova + p.oikr * bc.g / sqarg);
  }

  // transport current c' -> e'
  const double ict = (be.i - bc.i) / qb;
  s.current(CP, EP, ict);
  s.slope(CP, EP, BP, EP, (be.g - ict * dqbdve) / qb);
  s.slope(CP, EP, BP, CP, (-bc.g - ict * dqbdvc) / qb);
  // base currents
  const double ibe = be.i / p.betaF + ben.i, gpi = be.g / p.betaF + ben.g;
  const double ibc = bc.i / p.betaR + bcn.i, gmu = bc.g / p.betaR + bcn.g;
  s.current(BP, EP, ibe);
  s.slope(BP, EP, BP, EP, gpi);
  s.current(BP, CP, ibc);
  s.slope(BP, CP, BP, CP, gmu);
  // substrate junction: gmin only (no substrate diode current)
  s.current(S, CP, gmin * vsc);
  s.slope(S, CP, S, CP, gmin);

  // series resistances
  if (p.gc > 0) s.conductance(C, CP, p.gc, V);
  if (p.ge > 0) s.conductance(E, EP, p.ge, V);
  if (p.hasRb) {
    // rbb(vbe, vbc) and its derivatives
    double rbb, drdve, drdvc;
    if (p.xjrb != 0) {
      const double cb = ibe + ibc;
      double u = cb / p.xjrb, dudve = gpi / p.xjrb, dudvc = gmu / p.xjrb;
      if (u < 1e-9) { u = 1e-9; dudve = dudvc = 0; }
      const double su = std::sqrt(u), sq = std::sqrt(1.0 + 14.59025 * u);
      const double z = (sq - 1.0) / (2.4317 * su);
      const double dzdu = (14.59025 / (2.0 * sq) * su - (sq - 1.0) / (2.0 * su)) / (2.4317 * u);
      const double tz = std::tan(z), sec2 = 1.0 + tz * tz;
      const double num = tz - z, den = z * tz * tz;
      const double h = num / den;
      const double dnum = sec2 - 1.0, dden = tz * tz + 2.0 * z * tz * sec2;
      const double dhdz = (dnum * den - num * dden) / (den * den);
      rbb = p.rbpr + 3.0 * p.rbpi * h;
      drdve = 3.0 * p.rbpi * dhdz * dzdu * dudve;
      drdvc = 3.0 * p.rbpi * dhdz * dzdu * dudvc;
    } else {
      rbb = p.rbpr + p.rbpi / qb;
      drdve = -p.rbpi / (qb * qb) * dqbdve;
      drdvc = -p.rbpi / (qb * qb) * dqbdvc;
    }
    const double gx = 1.0 / rbb;
    const double vrb = V[B] - V[BP];
    const double irb = gx * vrb;
    s.current(B, BP, irb);
    s.slope(B, BP, B, BP, gx);
    s.slope(B, BP, BP, EP, -irb * gx * drdve);
    s.slope(B, BP, BP, CP, -irb * gx * drdvc);
    if (rbSlopes) {
      rbSlopes->slope(B, BP, BP, EP, -irb * gx * drdve);
      rbSlopes->slope(B, BP, BP, CP, -irb * gx * drdvc);
    }
  }

  // charges
  double cbeq = be.i, gbeq = be.g, geqcb = 0;
  if (p.tf != 0 && vbe > 0) {
    double argtf = 0, arg2 = 0, arg3 = 0;
    if (p.xtf != 0) {
      argtf = p.xtf;
      if (p.ovtf != 0) argtf *= std::exp(vbc * p.ovtf);
      arg2 = argtf;
      if (p.xjtf != 0) {
        const double t = be.i / (be.i + p.xjtf);
        argtf *= t * t;
        arg2 = argtf * (3.0 - t - t);
      }
      arg3 = be.i * argtf * p.ovtf;
    }
    cbeq = be.i * (1.0 + argtf) / qb;
    gbeq = (be.g * (1.0 + arg2) - cbeq * dqbdve) / qb;
    geqcb = p.tf * (arg3 - cbeq * dqbdvc) / qb;
  }
  const auto dbe = p.be.at(vbe);
  q[0] = p.tf * cbeq + dbe.q;
  s.capacitance(0, BP, EP, p.tf * gbeq + dbe.c);
  s.capacitance(0, BP, CP, geqcb);
  const auto dbc = p.bc.at(vbc);
  q[1] = p.tr * bc.i + dbc.q;
  s.capacitance(1, BP, CP, p.tr * bc.g + dbc.c);
  const auto dbx = p.bx.at(vbx);
  q[2] = dbx.q;
  s.capacitance(2, B, CP, dbx.c);
  // substrate: SPICE3's form, linear capacitance growth in forward bias
  double qsc = 0, csc = 0;
  if (p.czcs != 0) {
    if (vsc < 0) {
      const double arg = 1.0 - vsc / p.ps;
      const double sarg = std::exp(-p.xms * std::log(arg));
      qsc = p.ps * p.czcs * (1.0 - arg * sarg) / (1.0 - p.xms);
      csc = p.czcs * sarg;
    } else {
      qsc = vsc * p.czcs * (1.0 + p.xms * vsc / (2.0 * p.ps));
      csc = p.czcs * (1.0 + p.xms * vsc / p.ps);
    }
  }
  q[3] = qsc;
  s.capacitance(3, S, CP, csc);
}

class Bjts final : public semi::LinearisedGroup<Bjts, Layout, BjtInst> {
 public:
  using LinearisedGroup::LinearisedGroup;
  // ngspice's savecurrents names, currents into the terminals (is: the substrate)
  static constexpr semi::TerminalCurrent kCurrents[] = {{"ic", C, CP}, {"ie", E, EP}, {"ib", B, BP}, {"is", S, S}};

  Status setup(SetupContext& ctx) override {
    const std::size_t n = inst_.size();
    resizeInstances(n);
    vbe_.assign(n, 0.0); vbc_.assign(n, 0.0);
    const ir::Options& o = ctx.options();
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      const ir::Model* mod = ctx.model(d);
      if (!mod || (mod->type != "npn" && mod->type != "pnp"))
        return deviceError(d, "bipolar transistor '" + d.name + "' needs an npn or pnp model");
      if (auto s = checkModelParams(kind_, *mod); !s) return s;
      const ParamValues P = values(d, mod);
      if (P.model("level") != 1)
        return deviceError(d, "bipolar transistor level " + std::to_string(int(P.model("level"))) +
                                  " is not supported; use level 1 (Gummel-Poon)");
      const double area = (d.value ? *d.value : P.inst("area")) * P.inst("m");
      if (!(area > 0)) return deviceError(d, "bipolar transistor '" + d.name + "': area and m must be positive");
      const double T = semi::instanceTempK(P, o), Tnom = semi::nominalTempK(P, o);

      BjtInst& p = p_[i];
      p.sign = mod->type == "pnp" ? -1.0 : 1.0;
      p.vt = semi::thermalVoltage(T);
      const double is = P.model("is");
      const double bf = P.model("bf"), br = P.model("br");
      p.nf = P.model("nf");
      p.nr = P.model("nr");
      const double ise = P.model("ise"), isc = P.model("isc");
      const double ne = P.model("ne"), nc = P.model("nc");
      const double eg = P.model("eg"), xti = P.model("xti");
      const double xtb = P.model("xtb");
      if (is <= 0 || bf <= 0 || br <= 0 || p.nf <= 0 || p.nr <= 0 || ne <= 0 || nc <= 0)
        return deviceError(d, "bipolar transistor '" + d.name + "': IS, BF, BR, NF, NR, NE, NC must be positive");
      const double ratlog = std::log(T / Tnom);
      const double factlog = (T / Tnom - 1.0) * eg / p.vt + xti * ratlog;
      const double bfactor = std::exp(ratlog * xtb);
      p.csat = is * std::exp(factlog) * area;
      p.betaF = bf * bfactor;
      p.betaR = br * bfactor;
      p.c2 = ise * std::exp(factlog / ne) / bfactor * area;
      p.c4 = isc * std::exp(factlog / nc) / bfactor * area;
      p.vte = ne * p.vt;
      p.vtc = nc * p.vt;
      const double vaf = P.model("vaf"), var = P.model("var");
      const double ikf = P.model("ikf"), ikr = P.model("ikr");
      p.ova = vaf != 0 ? 1.0 / vaf : 0.0;
      p.ovb = var != 0 ? 1.0 / var : 0.0;
      p.oik = ikf != 0 ? 1.0 / (ikf * area) : 0.0;
      p.oikr = ikr != 0 ? 1.0 / (ikr * area) : 0.0;
      const double rb = P.model("rb"), rbm = P.model("rbm", rb);
      const double rc = P.model("rc"), re = P.model("re");
      if (rb < 0 || rbm < 0 || rc < 0 || re < 0)
        return deviceError(d, "bipolar transistor '" + d.name + "': RB, RBM, RC, RE must not be negative");
      p.hasRb = rb > 0;
      p.rbpr = rbm / area;
      p.rbpi = rb / area - p.rbpr;
      p.xjrb = P.model("irb") * area;
      p.gc = rc > 0 ? area / rc : 0.0;
      p.ge = re > 0 ? area / re : 0.0;
      const double fc = P.model("fc");
      if (fc < 0 || fc >= 1) return deviceError(d, "bipolar transistor '" + d.name + "': FC must be in [0, 1)");
      const double xme = P.model("mje");
      const double xmc = P.model("mjc");
      p.xms = P.model("mjs");
      const auto je = semi::scaleJunction(P.model("vje"), P.model("cje"), xme, Tnom, T);
      const auto jc = semi::scaleJunction(P.model("vjc"), P.model("cjc"), xmc, Tnom, T);
      const auto js = semi::scaleJunction(P.model("vjs"), P.model("cjs"), p.xms, Tnom, T);
      const double xcjc = P.model("xcjc");
      p.be = semi::Depletion(je.cj * area, je.vj, xme, fc);
      p.bc = semi::Depletion(jc.cj * area * xcjc, jc.vj, xmc, fc);
      p.bx = semi::Depletion(jc.cj * area * (1.0 - xcjc), jc.vj, xmc, fc);
      p.ps = js.vj; p.czcs = js.cj * area;
      p.tf = P.model("tf");
      p.tr = P.model("tr");
      p.xtf = P.model("xtf");
      const double vtf = P.model("vtf");
      p.ovtf = vtf != 0 ? 1.0 / (vtf * 1.44) : 0.0;
      p.xjtf = P.model("itf") * area;
      p.vcrit = p.vt * std::log(p.vt / (semi::kSqrt2 * p.csat));
      off_[i] = P.hasInst("off");

      auto& nd = nodes_[i];
      nd[C] = ctx.node(d.nodes[0]);
      nd[B] = ctx.node(d.nodes[1]);
      nd[E] = ctx.node(d.nodes[2]);
      nd[S] = d.nodes.size() == 4 ? ctx.node(d.nodes[3]) : 0;
      nd[CP] = p.gc > 0 ? ctx.addInternalNode(d, "c") : nd[C];
      nd[BP] = p.hasRb ? ctx.addInternalNode(d, "b") : nd[B];
      nd[EP] = p.ge > 0 ? ctx.addInternalNode(d, "e") : nd[E];
      st_[i] = ctx.addStates(kStates);
    }
    return {};
  }

  double polarity(std::size_t i) const { return p_[i].sign; }

  void initialCharges(LoadContext& c, std::size_t i, const double* V) {
    Stamp s;
    double q[kStates];
    evaluate(p_[i], V, c.gmin, s, q);
    for (int k = 0; k < kStates; ++k) c.charge(st_[i] + k, q[k]);
    vbe_[i] = V[BP] - V[EP];
    vbc_[i] = V[BP] - V[CP];
  }

  void linearise(LoadContext& c, std::size_t i, const double* V, Lin& L, bool tran) {
    const BjtInst& p = p_[i];
    double vbe = V[BP] - V[EP], vbc = V[BP] - V[CP];
    bool limited = false;
    if (c.initJunctions) {
      vbe = off_[i] ? 0.0 : p.vcrit;
      vbc = 0.0;
      limited = true;
    } else {
      bool l1 = false, l2 = false;
      vbe = semi::pnjlim(vbe, vbe_[i], p.vt, p.vcrit, l1);
      vbc = semi::pnjlim(vbc, vbc_[i], p.vt, p.vcrit, l2);
      limited = l1 || l2;
    }
    if (limited) c.noncon++;
    vbe_[i] = vbe; vbc_[i] = vbc;
    double* Vl = L.Vl;
    for (int k = 0; k < kN; ++k) Vl[k] = V[k];
    Vl[EP] = V[BP] - vbe;
    Vl[CP] = V[BP] - vbc;
    if (tran) {
      evaluate(p, Vl, c.gmin, L.s, L.q);
      return;
    }
    Stamp rbSlopes;
    evaluate(p, Vl, c.gmin, L.s, L.q, &rbSlopes);
    // small signal as SPICE: the base resistance is a plain conductance 1/rbb at the OP
    double G[kE];
    for (int e = 0; e < kE; ++e) G[e] = L.s.G[e] - rbSlopes.G[e];
    storeSmallSignal(i, G, L.s.C);
  }

  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const auto& nd : nodes_) {
      out.emplace_back(nd[CP], nd[EP]);
      out.emplace_back(nd[BP], nd[EP]);
      out.emplace_back(nd[BP], nd[CP]);
      if (nd[S] != 0) out.emplace_back(nd[S], nd[CP]);  // gmin
      if (nd[C] != nd[CP]) out.emplace_back(nd[C], nd[CP]);
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
      evaluate(p, V, c.gmin, st, q);
      // the series resistances' currents cancel in these sums: the intrinsic
      // collector and base currents
      const double ic = st.I[C] + st.I[CP], ib = st.I[B] + st.I[BP];
      c.thermal(d, "_rc", nd[CP], nd[C], p.gc);
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
  std::vector<double> vbe_, vbc_;  // junction voltages of the last evaluation (for limiting)
};

constexpr const char* kTypes[] = {"npn", "pnp"};
constexpr ParamSpec kParams[] = {
    iparam("area", 1.0, "", "area factor (also the positional value after the model)"),
    kMultParam,
    flagParam("off", "start the operating point with the junctions off"),
    kTempParam, kDtempParam,
    mparam("is", 1e-16, "A", "transport saturation current"),
    mparam("bf", 100.0, "", "ideal forward beta"),
    mparam("br", 1.0, "", "ideal reverse beta"),
    mparam("nf", 1.0, "", "forward emission coefficient"),
    mparam("nr", 1.0, "", "reverse emission coefficient"),
    mparam("vaf", 0.0, "V", "forward Early voltage (0: none)").aka("va").shown("∞"),
    mparam("var", 0.0, "V", "reverse Early voltage (0: none)").aka("vb").shown("∞"),
    mparam("ikf", 0.0, "A", "forward high-injection knee current (0: none)").aka("ik").shown("∞"),
    mparam("ikr", 0.0, "A", "reverse high-injection knee current (0: none)").shown("∞"),
    mparam("ise", 0.0, "A", "b-e leakage saturation current").aka("c2"),
    mparam("ne", 1.5, "", "b-e leakage emission coefficient"),
    mparam("isc", 0.0, "A", "b-c leakage saturation current").aka("c4"),
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
    mparam("ptf", kNoDefault, "°", "excess phase: accepted and ignored").shown("—"),
    mparam("tr", 0.0, "s", "reverse transit time"),
    mparam("cjs", 0.0, "F", "substrate zero-bias capacitance").aka("ccs"),
    mparam("vjs", 0.75, "V", "substrate built-in potential").aka("ps"),
    mparam("mjs", 0.0, "", "substrate grading coefficient").aka("ms"),
    kFcParam,
    mparam("eg", 1.11, "eV", "band gap for IS(T)"),
    mparam("xti", 3.0, "", "IS temperature exponent"),
    mparam("xtb", 0.0, "", "beta temperature exponent"),
    kTnomParam,
    kKfNoiseParam, kAfNoiseParam,
    mparam("level", 1.0, "", "model level: only 1 (Gummel-Poon)"),
};

}  // namespace

extern const DeviceKind kBjtKind;
constexpr DeviceKind kBjtKind{
    .letter = 'q', .name = "bipolar transistor", .form = CardForm::ModelCard, .minNodes = 3, .maxNodes = 4,
    .modelTypes = kTypes, .params = kParams, .positional = "area",
    .valueDoc = "Qname c b e [substrate] model [area] [name=value ...] [off]", .create = makeGroup<Bjts, kBjtKind>};

}  // namespace simcore::dev
