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

Result<Spec> readSpec(const ir::Model& model, bool bjt) {
  Spec s;
  s.bjt = bjt;
  s.loc = model.loc;
  s.type = bjt ? Spec::Bipolar : Spec::Diode;
  const std::string& name = model.name;
  auto err = [&](const ir::ModelCard& c, const std::string& msg, const ir::Param* at = nullptr) {
    return cardError(c, name, msg, at);
  };
  for (const auto& c : model.cards)
    if (c.name == "boundary" || c.name == "electrode" || (c.name == "contact" && !c.params.empty()))
      return err(c, "this card is not supported by simcore's one-dimensional devices (their contacts are the ends "
                    "of the mesh, ohmic)");

  // ---- mesh: uniform intervals between x.mesh lines
  {
    std::vector<double> xs;  // um
    double locStart = 0;
    int numStart = 1, numEnd = 0;
    bool first = true, any = false;
    for (const auto& c : model.cards) {
      if (c.name != "x.mesh") continue;
      any = true;
      for (const char* nu : {"ratio", "h.start", "h.end", "h.max"})
        if (const ir::Param* p = get(c, nu); p && !(std::string_view(nu) == "ratio" && p->value == 1.0))
          return err(c, std::string(nu) + "= (graded spacing) is not supported yet: give the interval's node number "
                                          "(number= with location=, or with width=) for uniform spacing",
                     p);
      const auto loc = num(c, "location"), width = num(c, "width"), number = num(c, "number");
      if (!loc && !width) return err(c, "needs location= or width=");
      double locEnd = width ? locStart + *width : *loc;
      if (first && !width) locStart = locEnd;
      if (locEnd - locStart < -1e-9) return err(c, "the interval's width is negative", get(c, width ? "width" : "location"));
      if (std::fabs(locEnd - locStart) <= 1e-9) {
        if (number) {
          numEnd = static_cast<int>(std::lround(*number));
          if (width) numEnd = numStart + static_cast<int>(std::lround(*number));
          if (first) numStart = numEnd;
          if (numEnd < numStart) return err(c, "node numbers must increase", get(c, "number"));
        }
      } else {
        if (!number) return err(c, "needs number= (the node number at its location, or the spaces over its width)");
        int nsp;
        if (width) {
          nsp = static_cast<int>(std::lround(*number));
          numEnd = numStart + nsp;
        } else {
          numEnd = static_cast<int>(std::lround(*number));
          nsp = numEnd - numStart;
        }
        if (nsp <= 0) return err(c, "node numbers must increase", get(c, "number"));
        if (nsp > 100000) return err(c, "more than 100000 spaces", get(c, "number"));
        const double h = (locEnd - locStart) / nsp;
        double x = locStart;
        xs.push_back(x);
        for (int k = 1; k < nsp; ++k) {
          x += h;
          xs.push_back(x);
        }
      }
      numStart = numEnd;
      locStart = locEnd;
      first = false;
    }
    if (!any) return makeError(ErrorCode::Semantic, "CIDER model '" + name + "' has no x.mesh card", model.loc);
    xs.push_back(locStart);
    for (double v : xs) s.x.push_back(v * kUm);
    if (s.x.size() < 3)
      return makeError(ErrorCode::Semantic, "CIDER model '" + name + "': the x.mesh cards give fewer than 3 nodes",
                       model.loc);
  }
  const int N = static_cast<int>(s.x.size());
  // the nearest node of a location (cm): the left one at a midpoint
  auto locate = [&](double x) {
    if (x <= s.x.front()) return 0;
    for (int m = 0; m + 1 < N; ++m)
      if (x <= s.x[static_cast<std::size_t>(m + 1)])
        return x <= 0.5 * (s.x[static_cast<std::size_t>(m)] + s.x[static_cast<std::size_t>(m + 1)]) ? m : m + 1;
    return N - 1;
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
    for (const auto& p : c.params) {
      if (p.value == 0) continue;
      if (p.name == "silicon" || p.name == "semiconductor") m.kind = Material::Silicon;
      else if (p.name == "polysilicon") m.kind = Material::Polysilicon;
      else if (p.name == "gaas") m.kind = Material::GaAs;
      else if (p.name == "insulator" || p.name == "oxide" || p.name == "nitride")
        return err(c, "insulators are not supported by simcore's one-dimensional devices", &p);
    }
    materialDefaults(m);
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
      else continue;
      if (!(p.value > 0) || !std::isfinite(p.value)) return err(c, p.name + " must be positive", &p);
    }
  }

  // ---- domains
  s.elemMaterial.assign(static_cast<std::size_t>(N - 1), -1);
  s.elemDomain.assign(static_cast<std::size_t>(N - 1), 0);
  for (const auto& c : model.cards) {
    if (c.name != "domain") continue;
    const auto number = num(c, "number"), mid = num(c, "material");
    if (!number) return err(c, "needs number=");
    if (!mid) return err(c, "needs material=");
    auto it = matIndex.find(static_cast<int>(std::lround(*mid)));
    if (it == matIndex.end()) return err(c, "no material " + valueText(*mid), get(c, "material"));
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
  for (int e = 0; e < N - 1; ++e)
    if (s.elemMaterial[static_cast<std::size_t>(e)] < 0)
      return makeError(ErrorCode::Semantic,
                       "CIDER model '" + name + "': the mesh between " + valueText(s.x[static_cast<std::size_t>(e)] / kUm) +
                           " and " + valueText(s.x[static_cast<std::size_t>(e + 1)] / kUm) +
                           " um is in no domain (add a domain card: domain number=1 material=1)",
                       model.loc);

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
    const bool unif = pr.shape == Profile::Uniform;
    const auto xl = num(c, "x.low"), xh = num(c, "x.high");
    const double xMin = s.x.front(), xMax = s.x.back();
    if (xl && xh) {
      pr.xLow = *xl * kUm;
      pr.xHigh = *xh * kUm;
    } else if (xl) {
      pr.xLow = *xl * kUm;
      pr.xHigh = unif ? xMax : pr.xLow;
    } else if (xh) {
      pr.xHigh = *xh * kUm;
      pr.xLow = unif ? xMin : pr.xHigh;
    } else {
      pr.xLow = unif ? xMin : 0.5 * (xMin + xMax);
      pr.xHigh = unif ? xMax : 0.5 * (xMin + xMax);
    }
    pr.location = num(c, "location").value_or(0.0) * kUm;
    pr.charLength = num(c, "char.length").value_or(1.0) * kUm;
    if (!(pr.charLength > 0)) return err(c, "char.length must be positive", get(c, "char.length"));
    if (const ir::Param* d = get(c, "domains"))
      for (double v : d->values.empty() ? std::vector<double>{d->value} : d->values) pr.domains.push_back(static_cast<int>(std::lround(v)));
    s.profiles.push_back(pr);
  }

  // ---- models, options, method
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
        else if (p.name == "avalanche") s.avalanche = on;
        else if (p.name == "tempmob") s.tempMob = on;
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
        } else if ((n == "capacitor" || n == "moscap" || n == "mosfet" || n == "soimos" || n == "jfet" || n == "mesfet") &&
                   p.value != 0) {
          return err(c, "device type '" + n + "' is not supported by simcore's one-dimensional devices", &p);
        } else if (n == "defa") {
          s.defa = p.value > 0 ? p.value * 1e4 : 1e4;
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
        }
      }
    }
  }
  return s;
}

}  // namespace simcore::dev::cider
