// P: coupled multiconductor lines as ngspice's CPL,
//   Pname in1 .. inN ref1 out1 .. outN ref2 model [len=value]
//   .model model CPL R=... L=... G=... C=... LENGTH=...
// R L G C are symmetric N x N per-metre matrices given as their upper
// triangles row by row (N(N+1)/2 values each: r11 r12 .. r1N r22 .. rNN);
// LEN= on the card overrides the model's LENGTH (which ngspice requires anyway).
// As in ngspice the conductor voltages are taken against ground 0: the two
// reference nodes are not connected to the line (the reader warns when they
// are not ground); every conductor node has gmin to ground (ngspice: 0.1 gmin),
// which holds a conductor connected to nothing else at 0 V at DC. At most 16
// conductors (ngspice's limit).
//
// By default a line runs by ngspice's CPL method (cpl_ngspice.cpp; the group CplLines
// below hands each line to one of the two). With the model flag MODAL, this file's
// method (not ngspice's): modal decomposition. With C = U U^T (Cholesky) and
// U^-1 L^-1 U^-T = Q diag(lambda) Q^T (Jacobi), the voltage transform
// Tv = U^-T Q D (D: column scaling to max |entry| 1) and the current transform
// Ti = Tv^-T turn the telegrapher's equations of L and C into N independent
// lines, mode k with l_k = 1/(lambda_k d_k^2), c_k = d_k^2 (exact for lossless
// lines). Losses: r_k = (Ti^T R Ti)_kk, g_k = (Tv^T G Tv)_kk; the off-diagonal
// terms of these are dropped, which is exact only when R (G) is diagonalised by
// the same transform (proportional losses) and otherwise good while R << w L.
// Each mode runs as a TXL line (devices/ltra.cpp: LC, or RLC with its exact
// impulse responses; with ngspice's TXL/CPL step rule, no breakpoints and TMAX
// 0.9 of the shortest delay once a step was longer) between modal nodes a_k and
// b_k, and an ideal multiport transformer W = Tv^-1 ties each end's conductors
// to the modal nodes:
//   row of j_ek (a branch current into a_k):  v(a_k) - sum_j W_kj v(node_j) = 0
//   KCL at node_j:                             + sum_k W_kj j_ek
//   KCL at a_k:                                - j_ek
// (power-conserving: V^T I = v_m^T i_m). DC, AC and transient all go through the
// same stamps, so DC is the modal lines' DC: a resistance matrix
// Ti diag(r_k len) Ti^T, equal to R len for proportional losses; ngspice's DC is
// one resistor R_ii len per conductor (R raised to at least 1e-4 ohm/m) -- the
// same when R is diagonal in both bases, nearly so for small R.
// ngspice's CPL instead fits the frequency-dependent modal functions with
// 3-pole Pade approximations and convolves recursively; it has no AC model
// (ngspice 39 aborts an .ac with a CPL line: singular matrix), while here AC is
// the modal lines' exact response (exact for lossless lines and proportional losses).
// G != 0 is rejected (LTRA takes G only without L and C).
#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "devices/common.hpp"
#include "devices/context.hpp"
#include "devices/cpl_card.hpp"
#include "devices/cpl_fit.hpp"

namespace simcore::dev {

extern const DeviceKind kTxlExactKind;
std::unique_ptr<DeviceGroup> makeNgspiceCpl(const DeviceKind& kind, std::vector<const ir::Device*> inst);

namespace {

constexpr int kMaxConductors = 16;

using Matrix = std::vector<std::vector<double>>;

Matrix zeros(int n) { return Matrix(std::size_t(n), std::vector<double>(std::size_t(n), 0.0)); }

Matrix mul(const Matrix& a, const Matrix& b) {
  const std::size_t n = a.size();
  Matrix r = zeros(int(n));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t k = 0; k < n; ++k)
      for (std::size_t j = 0; j < n; ++j) r[i][j] += a[i][k] * b[k][j];
  return r;
}

Matrix transpose(const Matrix& a) {
  const std::size_t n = a.size();
  Matrix r = zeros(int(n));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) r[i][j] = a[j][i];
  return r;
}

// Lower Cholesky factor of a symmetric positive definite matrix (false: not SPD).
bool cholesky(const Matrix& a, Matrix& l) {
  const std::size_t n = a.size();
  l = zeros(int(n));
  for (std::size_t j = 0; j < n; ++j) {
    double d = a[j][j];
    for (std::size_t k = 0; k < j; ++k) d -= l[j][k] * l[j][k];
    if (!(d > 0)) return false;
    l[j][j] = std::sqrt(d);
    for (std::size_t i = j + 1; i < n; ++i) {
      double s = a[i][j];
      for (std::size_t k = 0; k < j; ++k) s -= l[i][k] * l[j][k];
      l[i][j] = s / l[j][j];
    }
  }
  return true;
}

// Inverse of a lower triangular matrix.
Matrix lowerInverse(const Matrix& l) {
  const std::size_t n = l.size();
  Matrix r = zeros(int(n));
  for (std::size_t j = 0; j < n; ++j) {
    r[j][j] = 1.0 / l[j][j];
    for (std::size_t i = j + 1; i < n; ++i) {
      double s = 0;
      for (std::size_t k = j; k < i; ++k) s -= l[i][k] * r[k][j];
      r[i][j] = s / l[i][i];
    }
  }
  return r;
}

// Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations:
// a = q diag(w) q^T.
void jacobi(Matrix a, std::vector<double>& w, Matrix& q) {
  const std::size_t n = a.size();
  q = zeros(int(n));
  for (std::size_t i = 0; i < n; ++i) q[i][i] = 1.0;
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0, diag = 0;
    for (std::size_t i = 0; i < n; ++i) {
      diag += a[i][i] * a[i][i];
      for (std::size_t j = i + 1; j < n; ++j) off += a[i][j] * a[i][j];
    }
    if (off <= 1e-30 * diag) break;
    for (std::size_t p = 0; p < n; ++p)
      for (std::size_t r = p + 1; r < n; ++r) {
        if (a[p][r] == 0) continue;
        const double theta = (a[r][r] - a[p][p]) / (2.0 * a[p][r]);
        const double t = (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1.0));
        const double c = 1.0 / std::sqrt(t * t + 1.0), s = t * c;
        for (std::size_t k = 0; k < n; ++k) {  // a <- a J (columns p, r)
          const double akp = a[k][p], akr = a[k][r];
          a[k][p] = c * akp - s * akr;
          a[k][r] = s * akp + c * akr;
        }
        for (std::size_t k = 0; k < n; ++k) {  // a <- J^T a (rows p, r)
          const double apk = a[p][k], ark = a[r][k];
          a[p][k] = c * apk - s * ark;
          a[r][k] = s * apk + c * ark;
        }
        for (std::size_t k = 0; k < n; ++k) {
          const double qkp = q[k][p], qkr = q[k][r];
          q[k][p] = c * qkp - s * qkr;
          q[k][r] = s * qkp + c * qkr;
        }
      }
  }
  w.resize(n);
  for (std::size_t i = 0; i < n; ++i) w[i] = a[i][i];
}

// The modes of one line: W = Tv^-1 (row k: mode k's voltage from the conductor
// voltages; column k of W^T = Ti: the conductor currents of mode k's current)
// and each mode's per-metre constants.
struct Modes {
  Matrix w;
  std::vector<double> r, l, g, c;
};

Result<Modes> decompose(const Matrix& R, const Matrix& L, const Matrix& G, const Matrix& C,
                        const std::function<Error(const std::string&)>& fail) {
  const int n = int(L.size());
  Matrix u;
  if (!cholesky(C, u)) return fail("the C matrix must be positive definite");
  Matrix ul;
  if (!cholesky(L, ul)) return fail("the L matrix must be positive definite");
  const Matrix ulInv = lowerInverse(ul);
  const Matrix lInv = mul(transpose(ulInv), ulInv);  // L^-1 = UL^-T UL^-1
  const Matrix uInv = lowerInverse(u);
  const Matrix s = mul(mul(uInv, lInv), transpose(uInv));
  std::vector<double> lambda;
  Matrix q;
  jacobi(s, lambda, q);
  Matrix tv = mul(transpose(uInv), q);  // Tv^T C Tv = I, Tv^T L^-1 Tv = diag(lambda)
  Modes m;
  m.r.assign(std::size_t(n), 0.0);
  m.l.assign(std::size_t(n), 0.0);
  m.g.assign(std::size_t(n), 0.0);
  m.c.assign(std::size_t(n), 0.0);
  std::vector<double> d(std::size_t(n), 1.0);
  for (std::size_t k = 0; k < std::size_t(n); ++k) {
    if (!(lambda[k] > 0)) return fail("L and C give a mode without propagation");
    double big = 0;
    for (std::size_t j = 0; j < std::size_t(n); ++j) big = std::max(big, std::fabs(tv[j][k]));
    // scale (and sign) so that the largest entry of the column is +1
    double sign = 1;
    for (std::size_t j = 0; j < std::size_t(n); ++j)
      if (std::fabs(tv[j][k]) == big) { sign = tv[j][k] < 0 ? -1.0 : 1.0; break; }
    d[k] = sign / big;
    for (std::size_t j = 0; j < std::size_t(n); ++j) tv[j][k] *= d[k];
    m.c[k] = d[k] * d[k];
    m.l[k] = 1.0 / (lambda[k] * d[k] * d[k]);
  }
  // W = Tv^-1 = D^-1 Q^T U^T
  m.w = mul(transpose(q), transpose(u));
  for (std::size_t k = 0; k < std::size_t(n); ++k)
    for (std::size_t j = 0; j < std::size_t(n); ++j) m.w[k][j] /= d[k];
  // modal losses: the diagonals of Ti^T R Ti (Ti = W^T) and Tv^T G Tv
  const Matrix rm = mul(mul(m.w, R), transpose(m.w));
  const Matrix gm = mul(mul(transpose(tv), G), tv);
  for (std::size_t k = 0; k < std::size_t(n); ++k) {
    m.r[k] = rm[k][k];
    m.g[k] = gm[k][k];
    if (!(m.r[k] >= 0)) return fail("the R matrix gives a mode with negative resistance");
  }
  return m;
}

// Set-up context of the modal lines: their nodes are this group's modal nodes,
// their models live in a circuit of their own; everything else is the circuit's.
class ModeSetup final : public SetupContext {
 public:
  ModeSetup(SetupContext& outer, const ir::Circuit& models, const std::map<std::string, Index>& nodes)
      : outer_(outer), models_(models), nodes_(nodes) {}
  const ir::Circuit& circuit() const override { return models_; }
  const ir::Options& options() const override { return outer_.options(); }
  const TranHints& tranHints() const override { return outer_.tranHints(); }
  Index node(std::string_view name) override {
    auto it = nodes_.find(std::string(name));
    return it != nodes_.end() ? it->second : outer_.node(name);
  }
  Index addBranch(const ir::Device& owner) override { return outer_.addBranch(owner); }
  Index addInternalNode(const ir::Device& owner, std::string_view suffix) override {
    return outer_.addInternalNode(owner, suffix);
  }
  int addStates(int count) override { return outer_.addStates(count); }
  Index branchOf(std::string_view name) const override { return outer_.branchOf(name); }
  const ir::Device* findDevice(std::string_view name) const override { return outer_.findDevice(name); }

 private:
  SetupContext& outer_;
  const ir::Circuit& models_;
  const std::map<std::string, Index>& nodes_;
};

// One line's unknowns: per end e (0: in, 1: out) the conductor nodes, the modal
// nodes and the transformer's branch currents; W as above.
struct Line {
  int n = 0;
  Matrix w;
  std::array<std::vector<Index>, 2> node, modal, cur;
  // positions: per end, per mode k: (node_j, cur_k) for j, (cur_k, node_j) for j, (modal_k, cur_k), (cur_k, modal_k)
  std::array<std::vector<Pos>, 2> pos;
  std::array<std::vector<Pos>, 2> diag;  // (node_j, node_j): the gmin to ground

};

class CoupledLines final : public GroupBase {
 public:
  using GroupBase::GroupBase;
  bool linear() const override { return !lines_ || lines_->linear(); }

  Status setup(SetupContext& ctx) override {
    line_.assign(inst_.size(), {});
    gmin_ = ctx.options().gmin;
    modeDevices_.clear();
    modeCircuit_ = ir::Circuit{};
    modeNodes_.clear();
    for (std::size_t i = 0; i < inst_.size(); ++i) {
      const ir::Device& d = *inst_[i];
      if (auto s = checkInstance(d); !s) return s;
      const ir::Model* m = ctx.model(d);
      if (!m) return deviceError(d, "coupled lines '" + d.name + "' need a CPL model");
      if (auto s = checkModel(*m); !s) return s;
      auto fail = [&](const std::string& what) {
        return Error(makeError(ErrorCode::Semantic, "CPL model '" + m->name + "' (line '" + d.name + "'): " + what, d.loc));
      };
      auto card = readCplCard(d, *m, values(d, m));
      if (!card) return card.takeError();
      const int n = card.value().n;
      const auto& mats = card.value().rlgc;
      const double len = card.value().len;
      for (int a = 0; a < n; ++a)
        for (int b = 0; b < n; ++b)
          if (mats[2][std::size_t(a)][std::size_t(b)] != 0)
            return fail("G must be 0: a CPL line with shunt conductance is not supported (its modes run as LTRA "
                        "lines, which take no G together with L and C)");
      auto modes = decompose(mats[0], mats[1], mats[2], mats[3], fail);
      if (!modes) return modes.takeError();
      Line& ln = line_[i];
      ln.n = n;
      ln.w = modes.value().w;
      for (int e = 0; e < 2; ++e) {
        ln.node[std::size_t(e)].clear();
        for (int j = 0; j < n; ++j) ln.node[std::size_t(e)].push_back(ctx.node(d.nodes[std::size_t(e * (n + 1) + j)]));
      }
      for (int k = 0; k < n; ++k) {
        const std::string mk = "m" + std::to_string(k + 1);
        for (int e = 0; e < 2; ++e) {
          const std::string end = e == 0 ? "a" : "b";
          const Index a = ctx.addInternalNode(d, mk + end);
          ln.modal[std::size_t(e)].push_back(a);
          ln.cur[std::size_t(e)].push_back(ctx.addInternalNode(d, "j" + std::to_string(k + 1) + end));
          modeNodes_[d.name + "#" + mk + end] = a;
        }
        ir::Model lm;
        lm.name = d.name + "#mode" + std::to_string(k + 1);
        lm.type = "txl";
        lm.loc = d.loc;
        const Modes& md = modes.value();
        lm.params = {{"r", md.r[std::size_t(k)], d.loc, {}}, {"l", md.l[std::size_t(k)], d.loc, {}},
                     {"c", md.c[std::size_t(k)], d.loc, {}}, {"length", len, d.loc, {}}};
        ir::Device ld;
        ld.name = lm.name;
        ld.letter = 'y';
        ld.nodes = {d.name + "#" + mk + "a", "0", d.name + "#" + mk + "b", "0"};
        ld.model = int(modeCircuit_.models.size());
        ld.loc = d.loc;
        modeCircuit_.models.push_back(std::move(lm));
        modeDevices_.push_back(std::move(ld));
      }
    }
    std::vector<const ir::Device*> ptrs;
    for (const ir::Device& ld : modeDevices_) ptrs.push_back(&ld);
    lines_ = kTxlExactKind.create(std::move(ptrs));
    ModeSetup mctx(ctx, modeCircuit_, modeNodes_);
    return lines_->setup(mctx);
  }

  void pattern(PatternBuilder& b) override {
    for (Line& ln : line_)
      for (std::size_t e = 0; e < 2; ++e) {
        auto& p = ln.pos[e];
        p.clear();
        ln.diag[e].clear();
        for (Index v : ln.node[e]) ln.diag[e].push_back(b.entry(v, v));
        for (int k = 0; k < ln.n; ++k) {
          const Index j = ln.cur[e][std::size_t(k)], a = ln.modal[e][std::size_t(k)];
          for (Index v : ln.node[e]) p.push_back(b.entry(v, j));
          for (Index v : ln.node[e]) p.push_back(b.entry(j, v));
          p.push_back(b.entry(a, j));
          p.push_back(b.entry(j, a));
        }
      }
    lines_->pattern(b);
  }

  void load(LoadContext& c) override {
    const double gshunt = kShuntGmin * (c.options ? c.options->gmin : 1e-12);
    if (!recordsOnly(c.mode))
      for (const Line& ln : line_)
        for (std::size_t e = 0; e < 2; ++e) {
          const Pos* p = ln.pos[e].data();
          const std::size_t n = std::size_t(ln.n);
          for (std::size_t q = 0; q < n; ++q) {
            c.f[ln.node[e][q]] += gshunt * c.x[ln.node[e][q]];
            if (c.stampMatrix) c.A[ln.diag[e][q]] += gshunt;
          }
          for (std::size_t k = 0; k < n; ++k, p += 2 * n + 2) {
            const Index j = ln.cur[e][k], a = ln.modal[e][k];
            const double ij = c.x[j];
            double row = c.x[a];
            for (std::size_t q = 0; q < n; ++q) {
              const double wk = ln.w[k][q];
              const Index v = ln.node[e][q];
              c.f[v] += wk * ij;
              row -= wk * c.x[v];
            }
            c.f[a] -= ij;
            c.f[j] += row;
            if (!c.stampMatrix) continue;
            for (std::size_t q = 0; q < n; ++q) {
              c.A[p[q]] += ln.w[k][q];
              c.A[p[n + q]] -= ln.w[k][q];
            }
            c.A[p[2 * n]] -= 1.0;
            c.A[p[2 * n + 1]] += 1.0;
          }
        }
    lines_->load(c);
  }

  void acLoad(AcContext& c) override {
    for (const Line& ln : line_)
      for (std::size_t e = 0; e < 2; ++e) {
        const Pos* p = ln.pos[e].data();
        const std::size_t n = std::size_t(ln.n);
        for (std::size_t q = 0; q < n; ++q) c.A[ln.diag[e][q]] += kShuntGmin * gmin_;
        for (std::size_t k = 0; k < n; ++k, p += 2 * n + 2) {
          for (std::size_t q = 0; q < n; ++q) {
            c.A[p[q]] += ln.w[k][q];
            c.A[p[n + q]] -= ln.w[k][q];
          }
          c.A[p[2 * n]] -= 1.0;
          c.A[p[2 * n + 1]] += 1.0;
        }
      }
    lines_->acLoad(c);
  }

  // Every conductor node has its gmin to ground (as ngspice's CPL: a conductor
  // connected to nothing else is held at 0 V at DC); the modal nodes and currents
  // are fixed by the conductors.
  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const Line& ln : line_) {
      for (std::size_t e = 0; e < 2; ++e)
        for (Index v : ln.node[e]) out.emplace_back(v, 0);
      for (std::size_t e = 0; e < 2; ++e)
        for (int k = 0; k < ln.n; ++k) {
          out.emplace_back(ln.modal[e][std::size_t(k)], 0);
          out.emplace_back(ln.cur[e][std::size_t(k)], 0);
        }
    }
    std::vector<std::pair<Index, Index>> inner;
    lines_->dcPaths(inner);
    for (const auto& pr : inner) {
      out.emplace_back(0, pr.first);
      out.emplace_back(0, pr.second);
    }
  }

  void accept(const double* x, double time) override { lines_->accept(x, time); }
  double nextBreakpoint(double t) const override { return lines_->nextBreakpoint(t); }
  double maxStep() const override { return lines_->maxStep(); }
  double spiceMaxStep() const override { return lines_->spiceMaxStep(); }
  double tmaxCap() const override { return lines_->tmaxCap(); }
  void initialConditions(double* x) const override { lines_->initialConditions(x); }

 private:
  // ngspice's CPL loads 0.1 gmin at each conductor node in every analysis but AC
  // (it has no AC load), which holds a conductor connected to nothing else at 0 V
  // at DC. Here gmin to ground, in AC too (0.1 gmin leaves such a DC matrix below
  // the LU's condition floor; the difference shows only at nodes held by more than
  // 1e11 ohm).
  static constexpr double kShuntGmin = 1.0;
  double gmin_ = 1e-12;
  std::vector<Line> line_;
  std::deque<ir::Device> modeDevices_;  // the modal LTRA lines (stable addresses: unknowns point at them)
  ir::Circuit modeCircuit_;             // their models
  std::map<std::string, Index> modeNodes_;
  std::unique_ptr<DeviceGroup> lines_;
};

// ngspice's CPL method (cpl_ngspice.cpp) for the lines whose model has no MODAL flag,
// this file's modal decomposition for the others: two groups behind one.
class CplLines final : public GroupBase {
 public:
  using GroupBase::GroupBase;
  bool linear() const override { return (!modal_ || modal_->linear()) && (!ng_ || ng_->linear()); }

  Status setup(SetupContext& ctx) override {
    std::vector<const ir::Device*> modal, ng;
    for (const ir::Device* d : inst_) {
      const ir::Model* m = ctx.model(*d);
      const bool isModal = m && values(*d, m).hasModel("modal") && values(*d, m).model("modal") != 0;
      (isModal ? modal : ng).push_back(d);
    }
    groups_.clear();
    modal_ = ng_ = nullptr;
    if (!modal.empty()) {
      groups_.push_back(std::make_unique<CoupledLines>(kind_, std::move(modal)));
      modal_ = groups_.back().get();
    }
    if (!ng.empty()) {
      groups_.push_back(makeNgspiceCpl(kind_, std::move(ng)));
      ng_ = groups_.back().get();
    }
    for (auto& g : groups_)
      if (auto s = g->setup(ctx); !s) return s;
    return {};
  }
  void pattern(PatternBuilder& b) override {
    for (auto& g : groups_) g->pattern(b);
  }
  void load(LoadContext& c) override {
    for (auto& g : groups_) g->load(c);
  }
  void acLoad(AcContext& c) override {
    for (auto& g : groups_) g->acLoad(c);
  }
  void dcPaths(std::vector<std::pair<Index, Index>>& out) const override {
    for (const auto& g : groups_) g->dcPaths(out);
  }
  void accept(const double* x, double time) override {
    for (auto& g : groups_) g->accept(x, time);
  }
  double nextBreakpoint(double t) const override {
    double b = 1e300;
    for (const auto& g : groups_) b = std::min(b, g->nextBreakpoint(t));
    return b;
  }
  double maxStep() const override {
    double h = 1e300;
    for (const auto& g : groups_) h = std::min(h, g->maxStep());
    return h;
  }
  double spiceMaxStep() const override {
    double h = 1e300;
    for (const auto& g : groups_) h = std::min(h, g->spiceMaxStep());
    return h;
  }
  double tmaxCap() const override {
    double h = 1e300;
    for (const auto& g : groups_) h = std::min(h, g->tmaxCap());
    return h;
  }
  void initialConditions(double* x) const override {
    for (const auto& g : groups_) g->initialConditions(x);
  }

 private:
  std::vector<std::unique_ptr<DeviceGroup>> groups_;
  DeviceGroup* modal_ = nullptr;
  DeviceGroup* ng_ = nullptr;
};

constexpr const char* kModelTypes[] = {"cpl"};

constexpr ParamSpec kParams[] = {
    iparam("len", kNoDefault, "m", "length (instead of the model's LENGTH)").aka("length").shown("LENGTH"),
    mparam("r", kNoDefault, "Ω/m", "series resistance matrix, upper triangle row by row (required)").vec().shown("required"),
    mparam("l", kNoDefault, "H/m", "series inductance matrix, upper triangle row by row (required)").vec().shown("required"),
    mparam("g", kNoDefault, "S/m", "shunt conductance matrix, upper triangle (required; 0 only)").vec().shown("required"),
    mparam("c", kNoDefault, "F/m", "capacitance matrix (Maxwell: negative off-diagonal), upper triangle (required)")
        .vec()
        .shown("required"),
    mparam("length", kNoDefault, "m", "length (required, as in ngspice)").shown("required"),
    modelFlag("modal", "modal decomposition into exact lines instead of ngspice's CPL method"),
};

}  // namespace

extern const DeviceKind kCplKind;
constexpr DeviceKind kCplKind{
    .letter = 'p', .name = "coupled transmission lines", .form = CardForm::ModelCard, .minNodes = 4,
    .maxNodes = 2 * kMaxConductors + 2, .modelTypes = kModelTypes, .params = kParams, .modelNoun = "CPL",
    .valueDoc = "Pname in1 .. inN ref1 out1 .. outN ref2 model [len=value]; .model model CPL R=r11 r12 .. rNN L=.. "
                "G=.. C=.. LENGTH=",
    .create = makeGroup<CplLines, kCplKind>};

}  // namespace simcore::dev
