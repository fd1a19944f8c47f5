// A CIDER model's cards (ir::Model::cards, canonical names from
// cider_vocab.hpp) read into the 1-D device's Spec: the mesh, domains,
// materials with their defaults, mobility models, doping profiles, physical
// models, options and method (docs/cider.md). Lengths on cards are in um and
// become cm here; defa is in m^2 and becomes cm^2.
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "devices/cider1d.hpp"
#include "devices/cider_vocab.hpp"
#include "devices/descriptor.hpp"

namespace simcore::dev::cider {
namespace {

constexpr double kUm = 1e-4;  // cm per um
constexpr double kEps0 = 8.854e-14;

const ir::Param* get(const ir::ModelCard& c, std::string_view name) {
  const ir::Param* found = nullptr;
  for (const auto& p : c.params)
    if (p.name == name) found = &p;  // the last one written counts
  return found;
}
std::optional<double> num(const ir::ModelCard& c, std::string_view name) {
  if (const ir::Param* p = get(c, name)) return p->value;
  return std::nullopt;
}
bool flag(const ir::ModelCard& c, std::string_view name) {
  const ir::Param* p = get(c, name);
  return p && p->value != 0;
}

Error cardError(const ir::ModelCard& c, const std::string& model, const std::string& msg, const ir::Param* at = nullptr) {
  return makeError(ErrorCode::Semantic, "CIDER model '" + model + "', " + c.name + " card: " + msg, at ? at->loc : c.loc);
}

// Built-in mobility parameter sets (ngspice 39's numconst.h), [electron, hole].
struct Builtin {
  MobilitySet mu[2];
  double vsat[2], vwarm[2];
};
constexpr Builtin kSGSet{{{1400, 75, 3.0e16, 0.5}, {480, 53, 4.0e16, 0.5}}, {1.036e7, 1.2e7}, {4.9e6, 2.928e6}};
constexpr Builtin kCTSet{{{1360, 92, 1.3e17, 0.91}, {520, 65, 2.4e17, 0.61}}, {1.1e7, 9.5e6}, {0, 0}};
constexpr Builtin kARSet{{{1340, 88, 1.26e17, 0.88}, {461.3, 54.3, 2.35e17, 0.88}}, {1.38e7, 9.0e6}, {0, 0}};
constexpr Builtin kUFSet{{{1412, 232, 8.0e16, 0.9}, {500, 130, 8.0e17, 1.25}}, {1.38e7, 9.0e6}, {0, 0}};
constexpr Builtin kGASet{{{5000, 50, 1.0e17, 1.0}, {400, 40, 1.0e17, 1.0}}, {7.7e6, 7.7e6}, {2.31e7, 2.31e7}};

const Builtin& builtin(int model) {
  switch (model) {
    case kSG: return kSGSet;
    case kCT: return kCTSet;
    case kUF: return kUFSet;
    case kGA: return kGASet;
    default: return kARSet;
  }
}

// ---- graded mesh spacing: CIDER's rules for an interval given by its end
// spacings (h.start, h.end), a largest spacing (h.max) and a wanted ratio of
// neighbouring spacings, so that the nodes land where ngspice puts them

constexpr double kRatioTol = 1e-6;
constexpr int kRatioIterations = 50;

// h + h r + ... + h r^(n-1) over h
double geometricSum(double r, double n) {
  if (r < 0 || n <= 0) return 0;
  if (r == 0) return 1;
  if (std::fabs(r - 1) < 1e-4) return n * (1 + (n - 1) * (r - 1) / 2);
  return (1 - std::pow(r, n)) / (1 - r);
}

// spaces from h growing by r that cover w
double spacesToCover(double w, double h, double r) {
  if (std::fabs(r - 1) < 1e-4) return w / h;
  return std::log(1 - w * (1 - r) / h) / std::log(r);
}

// The ratio r with sum(r) == 0 for an increasing sum, by bisection from 0 and
// an upper bound found in steps of 0.2 from `guess`; 0 when there is none.
template <class F>
double solveRatio(double guess, F sum) {
  double lo = 0, hi = guess;
  do hi += 0.2;
  while (sum(hi) < 0);
  for (int i = 0; i < kRatioIterations; ++i) {
    const double mid = lo + 0.5 * (hi - lo);
    const double f = sum(mid);
    if (f == 0 || hi - lo < kRatioTol) return mid;
    if (sum(lo) * f > 0) lo = mid;
    else hi = mid;
  }
  return 0;
}

// w = hs (1 + r + ... + r^(ns-1))
double oneSideRatio(double w, double hs, double guess, int ns) {
  const double low = hs - w;
  if (low > 0 || (low < 0 && ns <= 1)) return 0;
  return solveRatio(guess, [&](double r) { return hs * geometricSum(r, ns) - w; });
}

// w = hs (1 + ... + r^(ns-1)) + he (1 + ... + r^(ne-1))
double twoSideRatio(double w, double hs, double he, double guess, int ns, int ne) {
  const double low = hs + he - w;
  if (low > 0 || (low < 0 && std::max(ns, ne) <= 1)) return 0;
  return solveRatio(guess, [&](double r) { return hs * geometricSum(r, ns) + he * geometricSum(r, ne) - w; });
}

struct Spacing {
  double rS = 0, rE = 0;
  int nS = 0, nM = 0, nE = 0;
};

// One end's spacing h given: n spaces growing by r, r as near the wanted one as the width allows.
bool oneSide(double w, double h, double want, double& r, int& n) {
  if (w < h) return false;
  n = static_cast<int>(spacesToCover(w, h, want));
  if (std::fabs(n * h - w) < 1e-3 * h) {
    r = 1;
    return true;
  }
  if (std::fabs((n + 1) * h - w) < 1e-3 * h) {
    r = 1;
    ++n;
    return true;
  }
  const double r1 = oneSideRatio(w, h, want, n), r2 = oneSideRatio(w, h, want, n + 1);
  if (r1 == 0 && r2 == 0) return false;
  if (r1 == 0 || (r2 != 0 && std::fabs(want - r2) < 4 * std::fabs(want - r1))) {
    r = r2;
    ++n;
  } else {
    r = r1;
  }
  return true;
}

// Both end spacings given: the same ratio from each end, growing towards the middle.
bool twoSide(double w, double hs, double he, double want, Spacing& out) {
  const double remaining = w - (hs + he);
  if (remaining < 0) return false;
  const double hMax = std::max(hs, he), hMin = std::min(hs, he);
  double diff = 0;
  if (hMax != hMin) {
    // the ratio's bounds: the roots of hMax r^2 + (hMax - w) r + remaining
    const double a = hMax, b = hMax - w, c = remaining;
    double rp = 0, rn = 0;
    bool real = false;
    if (b == 0) {
      const double d = -c / a;
      if (d >= 0) {
        rp = std::sqrt(d);
        rn = -rp;
        real = true;
      }
    } else {
      const double d = 1 - 4 * a * c / (b * b);
      if (d >= 0) {
        const double f = (1 + std::sqrt(d)) / 2;
        rp = -(b * f) / a;
        rn = -c / (b * f);
        real = true;
      }
    }
    const double least = 1 + (hMax - hMin) / (w - hMax);
    if (real) {
      want = std::min(want, rp);
      want = std::max(want, least);
      if (want != least && rn > want) want = std::fabs(want - rn) < 4 * std::fabs(want - least) ? rn : least;
    } else {
      want = std::max(want, least);
    }
    diff = std::log(hMax / hMin) / std::log(want);
    if (hs < he) diff = -diff;
  }
  double dS;
  if (std::fabs(want - 1) < 1e-4) dS = (w - diff * he) / (hs + he);
  else dS = std::log((hs + he - w + w * want) / (hs + he * std::pow(want, diff))) / std::log(want);
  const double dT = 2 * dS + diff;
  double savedR = 0;
  for (int i = 0; i <= 1; ++i) {
    const int nT = static_cast<int>(dT) + i;
    int nS = std::min(nT - 1, std::max(4, static_cast<int>(dS)));
    int nE = nT - nS;
    for (int guard = 0; guard < 10000; ++guard) {
      double rS, rE;
      if (nE <= 0 || nS <= 0) break;
      if (nT == 2) {
        if (!(std::fabs(remaining) < 1e-3 * hMax)) break;
        rS = he / hs;
        rE = 1 / rS;
        nS = nE = 1;
      } else if (nT == 3) {
        if (!(remaining > 0)) break;
        rS = remaining / hs;
        rE = remaining / he;
        nS = 2;  // the middle space goes to the start
        nE = 1;
      } else {
        if (!(remaining > 0)) break;
        rS = rE = twoSideRatio(w, hs, he, want, nS, nE);
      }
      const double join = he * std::pow(rE, nE - 1.0) / (hs * std::pow(rS, nS - 1.0));
      if (join < 1 / rE - kRatioTol) {
        --nS;
        ++nE;
      } else if (join > rS + kRatioTol) {
        ++nS;
        --nE;
      } else {
        if (std::fabs(want - rS) <= std::fabs(want - savedR)) {
          savedR = rS;
          out.rS = rS;
          out.rE = rE;
          out.nS = nS;
          out.nE = nE;
        }
        break;
      }
    }
  }
  out.nM = 0;
  return savedR != 0;
}

// One end's spacing h and the largest spacing hMax given: growth from h, then hMax.
bool maxLimited(double w, double h, double hMax, double want, double& r, int& nGrow, int& nMax) {
  const double limit = w > hMax ? 1 + (hMax - h) / (w - hMax) : 1e6;
  double dS, dM = 0;
  if (want <= limit) {
    dS = spacesToCover(w, h, want);
  } else {
    dS = std::log(hMax / h) / std::log(want);
    dM = (w - h * geometricSum(want, dS)) / hMax;
  }
  const double dT = dS + dM;
  double savedR = 0;
  for (int i = 0; i <= 1; ++i) {
    const int nT = static_cast<int>(dT) + i;
    int nS = std::min(nT, std::max(3, static_cast<int>(dS)));
    int nM = nT - nS;
    for (int guard = 0; guard < 10000; ++guard) {
      const double remaining = w - hMax * nM;
      double rS, biggest;
      if (nM < 0 || nS <= 0) break;
      if (nS == 1) {
        if (!(std::fabs(remaining - h) < 1e-3 * h)) break;
        biggest = h;
        rS = nM == 0 ? 1.0 : hMax / h;
      } else if (nS == 2) {
        if (!(remaining > h)) break;
        biggest = remaining - h;
        rS = biggest / h;
      } else {
        if (!(remaining > h)) break;
        rS = oneSideRatio(remaining, h, want, nS);
        biggest = h * std::pow(rS, nS - 1.0);
      }
      const double join = hMax / biggest;
      if (join < 1 - kRatioTol) {
        --nS;
        ++nM;
      } else if (join > rS + kRatioTol && nM != 0) {
        ++nS;
        --nM;
      } else {
        if (rS >= 1 - kRatioTol && std::fabs(want - rS) <= std::fabs(want - savedR)) {
          savedR = rS;
          nGrow = nS;
          nMax = nM;
        }
        break;
      }
    }
  }
  r = savedR;
  return savedR != 0;
}

// The node positions (um) of the x.mesh cards, as CIDER places them: a card's
// interval from the last card's location to its own (location=) or over its
// width (width=), with number= nodes (uniform) or graded by h.start, h.end,
// h.max and ratio. Positions are summed in um as ngspice sums them.
Result<std::vector<double>> meshNodes(const std::vector<const ir::ModelCard*>& lines, const std::string& model) {
  struct Line {
    const ir::ModelCard* card;
    std::optional<double> location, width, number, hs, he, hm;
    double ratio = 1, start = 0, end = 0;
  };
  auto err = [&](const Line& l, const std::string& msg, const char* at = nullptr) {
    return cardError(*l.card, model, msg, at ? get(*l.card, at) : nullptr);
  };
  std::vector<Line> ls;
  double locStart = 0;
  for (std::size_t k = 0; k < lines.size(); ++k) {
    Line l{lines[k], num(*lines[k], "location"), num(*lines[k], "width"), num(*lines[k], "number"),
           num(*lines[k], "h.start"), num(*lines[k], "h.end"), num(*lines[k], "h.max")};
    const auto ratio = num(*l.card, "ratio");
    if (l.number && ratio) l.number.reset();  // ngspice: the number is ignored beside a ratio
    if (!l.location && !l.width) return err(l, "needs location= or width=");
    double locEnd;
    if (l.width) {
      l.location.reset();  // ngspice: the location is ignored beside a width
      locEnd = locStart + *l.width;
    } else {
      locEnd = *l.location;
      if (k == 0) locStart = locEnd;
    }
    if (locEnd - locStart < -1e-9) return err(l, "the interval's width is negative", l.width ? "width" : "location");
    if (locEnd - locStart <= 1e-9 && !(k == 0 && locStart == locEnd)) locStart = locEnd;  // negligible: no width
    l.ratio = ratio.value_or(1.0);
    if (l.ratio < 1 || l.ratio > 10) l.ratio = 1;  // ngspice resets it
    for (const char* h : {"h.start", "h.end", "h.max"})
      if (const ir::Param* p = get(*l.card, h); p && !(p->value > 0)) return err(l, std::string(h) + " must be positive", h);
    if (l.hm && (l.hs.has_value() == l.he.has_value())) return err(l, "h.max needs exactly one of h.start and h.end", "h.max");
    l.start = locStart;
    l.end = locEnd;
    ls.push_back(l);
    locStart = locEnd;
  }
  std::vector<double> xs;
  int numStart = 1, numEnd = 0;
  for (std::size_t k = 0; k < ls.size(); ++k) {
    const Line& l = ls[k];
    if (l.end == l.start) {
      if (l.number) {
        if (l.location) {
          numEnd = static_cast<int>(std::lround(*l.number));
          if (k == 0) numStart = numEnd;
        } else {
          numEnd = numStart + static_cast<int>(std::lround(*l.number));
        }
      }
      if (numEnd < numStart) return err(l, "node numbers must increase", "number");
      numStart = numEnd;
      continue;
    }
    const double w = l.end - l.start;
    Spacing sp;
    double hS = 0, hE = 0, hM = l.hm.value_or(0);
    if (l.number) {
      int nsp;
      if (l.location) {
        numEnd = static_cast<int>(std::lround(*l.number));
        if (k == 0) numStart = numEnd;
        nsp = numEnd - numStart;
      } else {
        nsp = static_cast<int>(std::lround(*l.number));
        numEnd = numStart + nsp;
      }
      sp.rS = 1;
      sp.nS = nsp;
      if (nsp > 0) hS = w / nsp;
    } else {
      hS = l.hs.value_or(0);
      hE = l.he.value_or(0);
      if (l.hm) {
        if (l.hs && *l.hs > *l.hm) return err(l, "h.start is larger than h.max", "h.start");
        if (l.he && *l.he > *l.hm) return err(l, "h.end is larger than h.max", "h.end");
        if (l.hs) hE = *l.hm;
        else hS = *l.hm;
      }
      bool ok;
      if (!l.hs && l.he && !l.hm) ok = oneSide(w, hE, l.ratio, sp.rE, sp.nE);
      else if (l.hs && !l.he && !l.hm) ok = oneSide(w, hS, l.ratio, sp.rS, sp.nS);
      else if (l.hs && l.he && !l.hm) ok = twoSide(w, hS, hE, l.ratio, sp);
      else if (l.hs && l.hm) {
        ok = maxLimited(w, hS, hM, l.ratio, sp.rS, sp.nS, sp.nM);
        sp.rE = 1;
      } else if (l.he && l.hm) {
        ok = maxLimited(w, hE, hM, l.ratio, sp.rE, sp.nE, sp.nM);
        sp.rS = 1;
      } else {
        return err(l, "needs number= (uniform spacing) or h.start=, h.end= (graded spacing)");
      }
      if (!ok)
        return err(l, "no graded spacing fits the interval's width with these h.start, h.end, h.max and ratio "
                      "(as in ngspice, which cannot space it either)");
      numEnd = numStart + sp.nS + sp.nM + sp.nE;
    }
    if (numEnd <= numStart) return err(l, "node numbers must increase", "number");
    if (numEnd - numStart > 100000) return err(l, "more than 100000 spaces");
    double x = l.start;
    xs.push_back(x);
    int left = sp.nS + sp.nM + sp.nE;
    double space = hS;
    for (int i = 0; i < sp.nS && left > 1; ++i, --left) {
      x += space;
      space *= sp.rS;
      xs.push_back(x);
    }
    for (int i = 0; i < sp.nM && left > 1; ++i, --left) {
      x += hM;
      xs.push_back(x);
    }
    space = hE * std::pow(sp.rE, sp.nE - 1.0);
    for (int i = 0; i < sp.nE && left > 1; ++i, --left) {
      x += space;
      space /= sp.rE;
      xs.push_back(x);
    }
    numStart = numEnd;
  }
  if (!xs.empty()) xs.push_back(ls.back().end);
  // (each node is three unknowns of a banded system per instance: bounded like a card's spaces)
  if (xs.size() > 100001)
    return cardError(*ls.back().card, model, "the x.mesh cards give " + std::to_string(xs.size()) +
                                                 " nodes, more than 100001");
  return xs;
}

void materialDefaults(Material& m) {
  const bool gaas = m.kind == Material::GaAs;
  m.eps = (gaas ? 10.9 : 11.7) * kEps0;
  m.affinity = gaas ? 4.07 : 4.05;
  m.eg0 = gaas ? 1.43 : 1.1245;
  m.egAlpha = gaas ? 5.405e-4 : 4.73e-4;
  m.egBeta = gaas ? 204.0 : 636.0;
  m.nc0 = gaas ? 2.509e19 * std::pow(0.0705, 1.5) : 0.0;
  m.nv0 = gaas ? 2.509e19 * std::pow(0.427, 1.5) : 0.0;
  m.bgnDeg[0] = 1.2e-2;
  m.bgnRef[0] = 1.0e18;
  m.bgnDeg[1] = 9.7e-3;
  m.bgnRef[1] = 1.0e17;
  m.tau0[0] = gaas ? 1e-7 : 3e-5;
  m.tau0[1] = gaas ? 1e-7 : 1e-5;
  m.nsrh[0] = m.nsrh[1] = gaas ? 5e16 : 1e17;
  m.cAug[0] = gaas ? 2.8e-31 : 1.8e-31;
  m.cAug[1] = gaas ? 9.9e-32 : 8.3e-32;
  m.mus[0] = gaas ? 0.07 * 991 : 991;  // CIDER's surface mobilities
  m.mus[1] = gaas ? 0.07 * 240 : 240;
  if (gaas) {
    m.concModel = m.fieldModel = kGA;
    for (int c = 0; c < 2; ++c)
      for (int k = 0; k < 2; ++k) m.mu[c][k] = kGASet.mu[c];
    m.vsat[0] = m.vsat[1] = 7.7e6;
    m.vwarm[0] = m.vwarm[1] = 2.31e7;
  } else {
    m.concModel = m.fieldModel = kCT;
    m.mu[0][0] = kARSet.mu[0];
    m.mu[1][0] = kARSet.mu[1];
    m.mu[0][1] = kUFSet.mu[0];
    m.mu[1][1] = kUFSet.mu[1];
    m.vsat[0] = 1.38e7;
    m.vsat[1] = 9.0e6;
    m.vwarm[0] = 4.9e6;
    m.vwarm[1] = 2.928e6;
    if (m.kind == Material::Polysilicon)
      for (auto& c : m.mu)
        for (auto& s : c) {
          s.muMax *= 0.07;
          s.muMin *= 0.07;
        }
  }
}

}  // namespace

namespace {

Result<Spec> readCards(const ir::Model& model, bool bjt, int contacts) {
  const bool twoD = contacts > 0;
  Spec s;
  s.bjt = bjt;
  s.level = twoD ? 2 : 1;
  s.mos = contacts == 4;
  if (twoD) {
    s.devtol = 1e-8;  // CIDER's default for two-dimensional devices
    s.itlim = 50;
  }
  s.loc = model.loc;
  s.type = s.mos ? Spec::Mosfet : bjt ? Spec::Bipolar : Spec::Diode;
  const std::string& name = model.name;
  auto err = [&](const ir::ModelCard& c, const std::string& msg, const ir::Param* at = nullptr) {
    return cardError(c, name, msg, at);
  };
  for (const auto& c : model.cards)
    if (!twoD && (c.name == "boundary" || c.name == "electrode" || (c.name == "contact" && !c.params.empty())))
      return err(c, "this card is not supported by simcore's one-dimensional devices (their contacts are the ends "
                    "of the mesh, ohmic)");

  // ---- mesh
  auto readMesh = [&](const char* card, std::vector<double>& out) -> Status {
    std::vector<const ir::ModelCard*> lines;
    for (const auto& c : model.cards)
      if (c.name == card) lines.push_back(&c);
    if (lines.empty())
      return makeError(ErrorCode::Semantic, "CIDER model '" + name + "' has no " + card + " card", model.loc);
    auto xs = meshNodes(lines, name);
    if (!xs) return xs.error();
    for (double v : *xs) out.push_back(v * kUm);
    const std::size_t least = twoD ? 2 : 3;
    if (out.size() < least)
      return makeError(ErrorCode::Semantic,
                       "CIDER model '" + name + "': the " + card + " cards give fewer than " + std::to_string(least) +
                           " nodes",
                       model.loc);
    return {};
  };
  if (auto st = readMesh("x.mesh", s.x); !st) return st.error();
  if (twoD)
    if (auto st = readMesh("y.mesh", s.y); !st) return st.error();
  if (twoD && s.x.size() * s.y.size() > 200000)
    return makeError(ErrorCode::Semantic,
                     "CIDER model '" + name + "': the mesh has " + std::to_string(s.x.size() * s.y.size()) +
                         " nodes, more than 200000",
                     model.loc);
  const int N = static_cast<int>(s.x.size());
  // the nearest node of a location (cm) on an axis: the lower one at a midpoint
  auto locateOn = [](const std::vector<double>& ax, double x) {
    const int n = static_cast<int>(ax.size());
    if (x <= ax.front()) return 0;
    for (int m = 0; m + 1 < n; ++m)
      if (x <= ax[static_cast<std::size_t>(m + 1)])
        return x <= 0.5 * (ax[static_cast<std::size_t>(m)] + ax[static_cast<std::size_t>(m + 1)]) ? m : m + 1;
    return n - 1;
  };
  auto locate = [&](double x) { return locateOn(s.x, x); };
  // a box of nodes (domain, electrode cards): indices win over locations, a
  // missing bound is the mesh's end
  auto nodeBox = [&](const ir::ModelCard& c) {
    NodeBox b;
    const int nxm = static_cast<int>(s.x.size()) - 1, nym = static_cast<int>(s.y.size()) - 1;
    b.ixHi = nxm;
    b.iyHi = nym;
    if (auto v = num(c, "x.low")) b.ixLo = locateOn(s.x, *v * kUm);
    if (auto v = num(c, "x.high")) b.ixHi = locateOn(s.x, *v * kUm);
    if (auto v = num(c, "y.low")) b.iyLo = locateOn(s.y, *v * kUm);
    if (auto v = num(c, "y.high")) b.iyHi = locateOn(s.y, *v * kUm);
    if (auto v = num(c, "ix.low")) b.ixLo = std::clamp(static_cast<int>(std::lround(*v)) - 1, 0, nxm);
    if (auto v = num(c, "ix.high")) b.ixHi = std::clamp(static_cast<int>(std::lround(*v)) - 1, 0, nxm);
    if (auto v = num(c, "iy.low")) b.iyLo = std::clamp(static_cast<int>(std::lround(*v)) - 1, 0, nym);
    if (auto v = num(c, "iy.high")) b.iyHi = std::clamp(static_cast<int>(std::lround(*v)) - 1, 0, nym);
    return b;
  };

  // ---- materials
  std::map<int, int> matIndex;
  for (const auto& c : model.cards) {
    if (c.name != "material") continue;
    const auto number = num(c, "number");
    if (!number) return err(c, "needs number=");
    const int id = static_cast<int>(std::lround(*number));
    if (matIndex.count(id)) return err(c, "material " + std::to_string(id) + " is defined twice", get(c, "number"));
    Material m;
    m.number = id;
    bool nitride = false;
    for (const auto& p : c.params) {
      if (p.value == 0) continue;
      if (p.name == "silicon" || p.name == "semiconductor") m.kind = Material::Silicon;
      else if (p.name == "polysilicon") m.kind = Material::Polysilicon;
      else if (p.name == "gaas") m.kind = Material::GaAs;
      else if (p.name == "insulator" || p.name == "oxide" || p.name == "nitride") {
        if (!twoD) return err(c, "insulators are not supported by simcore's one-dimensional devices", &p);
        m.kind = Material::Insulator;
        nitride = p.name == "nitride";
      }
    }
    materialDefaults(m);
    if (m.kind == Material::Insulator) {  // CIDER's oxide (and insulator) and nitride
      m.eps = (nitride ? 7.5 : 3.9) * kEps0;
      m.affinity = nitride ? 3.10 : 0.95;
      m.eg0 = nitride ? 4.70 : 9.00;
    }
    for (const auto& p : c.params) {
      const double v = p.value;
      const std::string& n = p.name;
      if (n == "nc") m.nc0 = v;
      else if (n == "nv") m.nv0 = v;
      else if (n == "eg") m.eg0 = v;
      else if (n == "deg.dt") m.egAlpha = v;
      else if (n == "eg.tref") m.egBeta = v;
      else if (n == "deg.dc") m.bgnDeg[0] = m.bgnDeg[1] = v;
      else if (n == "eg.cref") m.bgnRef[0] = m.bgnRef[1] = v;
      else if (n == "deg.dn") m.bgnDeg[0] = v;
      else if (n == "eg.nref") m.bgnRef[0] = v;
      else if (n == "deg.dp") m.bgnDeg[1] = v;
      else if (n == "eg.pref") m.bgnRef[1] = v;
      else if (n == "affinity") m.affinity = v;
      else if (n == "permittivity") m.eps = v > 0.1 ? v * kEps0 : v;
      else if (n == "tn") m.tau0[0] = v;
      else if (n == "tp") m.tau0[1] = v;
      else if (n == "nsrhn") m.nsrh[0] = v;
      else if (n == "nsrhp") m.nsrh[1] = v;
      else if (n == "cn") m.cAug[0] = v;
      else if (n == "cp") m.cAug[1] = v;
      else continue;
      if (!std::isfinite(v) || ((n == "eg" || n == "permittivity" || n == "tn" || n == "tp" || n == "nsrhn" ||
                                  n == "nsrhp" || n == "eg.nref" || n == "eg.pref" || n == "eg.cref") && !(v > 0)))
        return err(c, n + " must be positive", &p);
    }
    matIndex[id] = static_cast<int>(s.materials.size());
    s.materials.push_back(m);
  }
  if (s.materials.empty())
    return makeError(ErrorCode::Semantic, "CIDER model '" + name + "' has no material card", model.loc);

  // ---- mobility cards, in order
  for (const auto& c : model.cards) {
    if (c.name != "mobility") continue;
    const auto mid = num(c, "material");
    if (!mid) return err(c, "needs material=");
    auto it = matIndex.find(static_cast<int>(std::lround(*mid)));
    if (it == matIndex.end()) return err(c, "no material " + valueText(*mid), get(c, "material"));
    Material& m = s.materials[static_cast<std::size_t>(it->second)];
    int carrier = 0, cls = 0;
    for (const auto& p : c.params) {
      if (p.value == 0) continue;
      if (p.name == "electron") carrier = 0;
      else if (p.name == "hole") carrier = 1;
      else if (p.name == "majority") cls = 0;
      else if (p.name == "minority") cls = 1;
    }
    const auto cm = num(c, "concmodel"), fm = num(c, "fieldmodel");
    if (flag(c, "init")) {
      const int cmod = cm ? static_cast<int>(*cm) : m.concModel;
      m.mu[carrier][cls] = builtin(cmod).mu[carrier];
      if (cls == 0) {
        const int fmod = fm ? static_cast<int>(*fm) : m.fieldModel;
        const Builtin& b = builtin(fmod == kUF ? kAR : fmod);
        m.vsat[carrier] = b.vsat[carrier];
        if (fmod == kSG || fmod == kGA) m.vwarm[carrier] = b.vwarm[carrier];
      }
    }
    if (cm) m.concModel = static_cast<int>(*cm);
    if (fm) m.fieldModel = static_cast<int>(*fm);
    for (const auto& p : c.params) {
      MobilitySet& set = m.mu[carrier][cls];
      if (p.name == "mumax") set.muMax = p.value;
      else if (p.name == "mumin") set.muMin = p.value;
      else if (p.name == "ntref") set.nRef = p.value;
      else if (p.name == "ntexp") set.exp = p.value;
      else if (p.name == "vsat") m.vsat[carrier] = p.value;
      else if (p.name == "vwarm") m.vwarm[carrier] = p.value;
      else if (p.name == "mus") m.mus[carrier] = p.value;
      else if (p.name == "ec.a") {
        if (!std::isfinite(p.value)) return err(c, "ec.a must be a number", &p);
        m.thetaA[carrier] = 1.0 / std::max(p.value, 1e-20);  // (CIDER's floor)
        continue;
      } else if (p.name == "ec.b") {
        if (!std::isfinite(p.value)) return err(c, "ec.b must be a number", &p);
        const double t = 1.0 / std::max(std::fabs(p.value), 1e-20);
        m.thetaB[carrier] = (p.value < 0 ? -1.0 : 1.0) * t * t;
        continue;
      } else continue;
      if (!(p.value > 0) || !std::isfinite(p.value)) return err(c, p.name + " must be positive", &p);
    }
  }

  // ---- domains (one dimension: elements; two: boxes of nodes, in card order)
  if (!twoD) {
    s.elemMaterial.assign(static_cast<std::size_t>(N - 1), -1);
    s.elemDomain.assign(static_cast<std::size_t>(N - 1), 0);
  }
  for (const auto& c : model.cards) {
    if (c.name != "domain") continue;
    const auto number = num(c, "number"), mid = num(c, "material");
    if (!number) return err(c, "needs number=");
    if (!mid) return err(c, "needs material=");
    auto it = matIndex.find(static_cast<int>(std::lround(*mid)));
    if (it == matIndex.end()) return err(c, "no material " + valueText(*mid), get(c, "material"));
    if (twoD) {
      s.regions.push_back({static_cast<int>(std::lround(*number)), it->second, nodeBox(c)});
      continue;
    }
    int lo = 0, hi = N - 1;
    if (auto v = num(c, "x.low")) lo = locate(*v * kUm);
    if (auto v = num(c, "x.high")) hi = locate(*v * kUm);
    if (auto v = num(c, "ix.low")) lo = std::clamp(static_cast<int>(std::lround(*v)) - 1, 0, N - 1);
    if (auto v = num(c, "ix.high")) hi = std::clamp(static_cast<int>(std::lround(*v)) - 1, 0, N - 1);
    for (int e = lo; e < hi; ++e) {
      s.elemMaterial[static_cast<std::size_t>(e)] = it->second;
      s.elemDomain[static_cast<std::size_t>(e)] = static_cast<int>(std::lround(*number));
    }
  }
  if (twoD) {
    if (s.regions.empty())
      return makeError(ErrorCode::Semantic, "CIDER model '" + name + "' has no domain (region) card", model.loc);
    // electrodes: one contact per number (several cards may make one), numbered 1..contacts
    std::vector<int> unnumbered;
    for (const auto& c : model.cards) {
      if (c.name != "electrode") continue;
      Spec::Electrode e;
      e.number = num(c, "number") ? static_cast<int>(std::lround(*num(c, "number"))) : -1;
      e.box = nodeBox(c);
      e.loc = c.loc;
      if (e.number < 0) unnumbered.push_back(static_cast<int>(s.electrodes.size()));
      s.electrodes.push_back(e);
    }
    for (int k : unnumbered) {  // the smallest numbers no card gives, in card order
      int id = 1;
      for (;; ++id) {
        bool used = false;
        for (const auto& e : s.electrodes) used = used || e.number == id;
        if (!used) break;
      }
      s.electrodes[static_cast<std::size_t>(k)].number = id;
    }
    {
      std::vector<bool> seen(static_cast<std::size_t>(contacts), false);
      for (const auto& e : s.electrodes) {
        if (e.number < 1 || e.number > contacts)
          return makeError(ErrorCode::Semantic,
                           "CIDER model '" + name + "': electrode " + std::to_string(e.number) + " does not exist: " +
                               (s.mos ? "a numos" : bjt ? "an nbjt" : "a numd") + " has electrodes 1 to " +
                               std::to_string(contacts),
                           e.loc);
        seen[static_cast<std::size_t>(e.number - 1)] = true;
      }
      for (int k = 0; k < contacts; ++k)
        if (!seen[static_cast<std::size_t>(k)])
          return makeError(ErrorCode::Semantic,
                           "CIDER model '" + name + "' has no electrode " + std::to_string(k + 1) + " (" +
                               (s.mos ? "a numos needs 4: drain, gate, source, bulk"
                                : bjt ? "an nbjt needs 3: collector, base, emitter"
                                      : "a numd needs 2") +
                               ")",
                           model.loc);
    }
    for (const auto& c : model.cards) {
      if (c.name == "contact") {
        const auto number = num(c, "number");
        if (!number) return err(c, "needs number=");
        if (auto w = num(c, "workfunction")) s.workfunctions.emplace_back(static_cast<int>(std::lround(*number)), *w);
      } else if (c.name == "boundary") {
        for (const char* q : {"nss", "sn", "sp"})
          if (const ir::Param* p = get(c, q); p && p->value != 0)
            return err(c, std::string("interface charge and surface recombination (") + q +
                              "=) are not supported by simcore's two-dimensional devices",
                       p);
        const auto dom = num(c, "domain");
        if (!dom) return err(c, "needs domain=");
        if (const ir::Param* lw = get(c, "layer.width")) {
          Spec::Interface f;
          f.domain = static_cast<int>(std::lround(*dom));
          f.neighborGiven = num(c, "neighbor").has_value();
          f.neighbor = static_cast<int>(std::lround(num(c, "neighbor").value_or(*dom)));
          f.box = nodeBox(c);
          f.layerWidth = lw->value;
          s.interfaces.push_back(f);
        }
      }
    }
  } else {
    for (int e = 0; e < N - 1; ++e)
      if (s.elemMaterial[static_cast<std::size_t>(e)] < 0)
        return makeError(ErrorCode::Semantic,
                         "CIDER model '" + name + "': the mesh between " + valueText(s.x[static_cast<std::size_t>(e)] / kUm) +
                             " and " + valueText(s.x[static_cast<std::size_t>(e + 1)] / kUm) +
                             " um is in no domain (add a domain card: domain number=1 material=1)",
                         model.loc);
  }

  // ---- doping
  for (const auto& c : model.cards) {
    if (c.name != "doping") continue;
    Profile pr;
    std::optional<Profile::Shape> shape;
    std::optional<double> sign;
    for (const auto& p : c.params) {
      if (p.value == 0) continue;
      const std::string& n = p.name;
      if (!shape) {
        if (n == "uniform") shape = Profile::Uniform;
        else if (n == "linear") shape = Profile::Linear;
        else if (n == "gaussian") shape = Profile::Gaussian;
        else if (n == "exponential") shape = Profile::Exponential;
        else if (n == "erfc") shape = Profile::Erfc;
        else if (n == "suprem3" || n == "ascii")
          return err(c, "profiles from files (suprem3, ascii) are not supported", &p);
      }
      if (!sign) {
        if (n == "p.type") sign = -1.0;
        else if (n == "n.type" || n == "boron" || n == "phosphorus" || n == "arsenic" || n == "antimony") sign = 1.0;
      }
    }
    if (!shape) return err(c, "needs a profile: uniform, linear, gaussian, erfc or exponential");
    pr.shape = *shape;
    const auto conc = num(c, "conc");
    if (!conc) return err(c, "needs conc=");
    pr.conc = std::fabs(*conc) * sign.value_or(1.0);
    // two dimensions: the principal axis (y, depth, unless x.axis) and the lateral profile
    std::optional<Profile::Shape> lateral;
    if (twoD) {
      pr.xAxis = flag(c, "x.axis");
      pr.rotate = flag(c, "lat.rotate");
      if (flag(c, "lat.unif")) lateral = Profile::Uniform;
      else if (flag(c, "lat.linf")) lateral = Profile::Linear;
      else if (flag(c, "lat.gauss")) lateral = Profile::Gaussian;
      else if (flag(c, "lat.erfc")) lateral = Profile::Erfc;
      else if (flag(c, "lat.exp")) lateral = Profile::Exponential;
      pr.lateral = !lateral || pr.rotate ? pr.shape : *lateral;
      pr.ratioLat = num(c, "ratio.lat").value_or(1.0);
      if (!(pr.ratioLat > 0)) return err(c, "ratio.lat must be positive", get(c, "ratio.lat"));
    }
    // the box's bounds: a uniform axis spans the mesh where a bound is missing,
    // another one is a line at the given bound (the mesh's middle without one)
    const bool unifX = twoD ? (pr.xAxis ? pr.shape == Profile::Uniform : pr.lateral == Profile::Uniform)
                            : pr.shape == Profile::Uniform;
    const bool unifY = pr.xAxis ? pr.lateral == Profile::Uniform : pr.shape == Profile::Uniform;
    auto bounds = [&](const char* lo, const char* hi, const std::vector<double>& ax, bool unif, bool unifHiOnly,
                      double& outLo, double& outHi) {
      const auto l = num(c, lo), h = num(c, hi);
      const double aMin = ax.front(), aMax = ax.back();
      if (l && h) {
        outLo = *l * kUm;
        outHi = *h * kUm;
      } else if (l) {
        outLo = *l * kUm;
        outHi = unif ? aMax : outLo;
      } else if (h) {
        outHi = *h * kUm;
        outLo = unifHiOnly ? aMin : outHi;
      } else {
        outLo = unif ? aMin : 0.5 * (aMin + aMax);
        outHi = unif ? aMax : 0.5 * (aMin + aMax);
      }
    };
    bounds("x.low", "x.high", s.x, unifX, unifX, pr.xLow, pr.xHigh);
    // (CIDER tests the x axis's flag when only y.high is given)
    if (twoD) bounds("y.low", "y.high", s.y, unifY, unifX, pr.yLow, pr.yHigh);
    pr.location = num(c, "location").value_or(0.0) * kUm;
    pr.charLength = num(c, "char.length").value_or(1.0) * kUm;
    if (!(pr.charLength > 0)) return err(c, "char.length must be positive", get(c, "char.length"));
    if (const ir::Param* d = get(c, "domains"))
      for (double v : d->values.empty() ? std::vector<double>{d->value} : d->values) pr.domains.push_back(static_cast<int>(std::lround(v)));
    s.profiles.push_back(pr);
  }

  // ---- models, options, method
  bool defwGiven = false, defaGiven = false;
  double defl = 1e2;  // cm
  for (const auto& c : model.cards) {
    if (c.name == "models") {
      for (const auto& p : c.params) {
        const bool on = p.value != 0;
        if (p.name == "bgn") s.bgn = on;
        else if (p.name == "concmob") s.concMob = on;
        else if (p.name == "fieldmob") s.fieldMob = on;
        else if (p.name == "srh") s.srh = on;
        else if (p.name == "conctau") s.concTau = on;
        else if (p.name == "auger") s.auger = on;
        else if (p.name == "avalanche") {
          if (on && twoD)
            return err(c, "impact ionisation (avalanche) is not supported by simcore's two-dimensional devices (its "
                          "one-dimensional ones have it)",
                       &p);
          s.avalanche = on;
        }
        else if (p.name == "tempmob") s.tempMob = on;
        else if (p.name == "surfmob") s.surfMob = on;
        else if (p.name == "matchmob") s.matchMob = on;
        else if (p.name == "transmob") s.transMob = on;
      }
    } else if (c.name == "options") {
      for (const auto& p : c.params) {
        const std::string& n = p.name;
        if (n == "resistor" && p.value != 0) {
          if (bjt) return err(c, "'resistor' is a NUMD type; an NBJT is bipolar", &p);
          s.type = Spec::Resistor;
        } else if (n == "diode" && p.value != 0) {
          if (bjt) return err(c, "'diode' is a NUMD type; an NBJT is bipolar", &p);
          s.type = Spec::Diode;
        } else if ((n == "bipolar" || n == "soibjt") && p.value != 0) {
          if (!bjt) return err(c, "'bipolar' is an NBJT type; a NUMD is a diode or a resistor", &p);
        } else if (twoD && bjt && n == "jfet" && p.value != 0) {
          s.type = Spec::Jfet;
        } else if (twoD && s.mos && (n == "mosfet" || n == "jfet" || n == "bipolar") && p.value != 0) {
          s.type = n == "mosfet" ? Spec::Mosfet : n == "jfet" ? Spec::Jfet : Spec::Bipolar;
        } else if ((n == "capacitor" || n == "moscap" || n == "mosfet" || n == "soimos" || n == "jfet" || n == "mesfet") &&
                   p.value != 0) {
          return err(c, "device type '" + n + "' is not supported by simcore's " +
                            (twoD ? (s.mos ? "numos" : bjt ? "two-dimensional nbjt" : "two-dimensional numd")
                                  : "one-dimensional devices"),
                     &p);
        } else if (n == "defw") {
          if (!(p.value > 0)) return err(c, "defw must be positive", &p);
          s.defw = p.value * 1e2;
          defwGiven = true;
        } else if (n == "defa") {
          s.defa = p.value > 0 ? p.value * 1e4 : 1e4;
          defaGiven = p.value > 0;
        } else if (n == "defl") {
          if (p.value > 0) defl = p.value * 1e2;
        } else if (n == "base.area") {
          s.baseArea = p.value;
        } else if (n == "base.length") {
          s.baseLength = p.value * kUm;
        } else if (n == "base.depth") {
          s.baseDepth = p.value * kUm;
        } else if (n == "tnom") {
          if (!(p.value > 0)) return err(c, "tnom is in kelvin and must be positive", &p);
          s.tnomK = p.value;
        }
      }
    } else if (c.name == "method") {
      for (const auto& p : c.params) {
        if (p.name == "devtol") {
          if (!(p.value > 0)) return err(c, "devtol must be positive", &p);
          s.devtol = p.value;
        } else if (p.name == "dreltol") {
          if (!(p.value > 0)) return err(c, "dreltol must be positive", &p);
          s.dreltol = p.value;
        } else if (p.name == "itlim") {
          s.itlim = static_cast<int>(p.value);
        } else if (p.name == "onecarrier") {
          s.oneCarrier = p.value != 0;
        }
      }
    }
  }
  // CIDER: the default depth is defa / defl when only defa is given
  if (twoD && !defwGiven && defaGiven) s.defw = s.defa / defl;
  return s;
}

}  // namespace

Result<Spec> readSpec(const ir::Model& model, bool bjt) { return readCards(model, bjt, 0); }
Result<Spec> readSpec2(const ir::Model& model, int contacts) { return readCards(model, contacts == 3, contacts); }

}  // namespace simcore::dev::cider
