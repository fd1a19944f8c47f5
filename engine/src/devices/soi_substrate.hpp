// The source and drain diffusions' charge against the substrate in the BSIM3SOI
// families (DD and FD, levels 56 and 55; PD, level 57): through the buried oxide
// (CBOX per area) below the flat band VSDFB, the minimum capacitance CSDMIN
// beyond the threshold VSDTH, and two cubic pieces between them that meet at a
// knee ASD of the way from the first to the second.
#pragma once

#include <cmath>
#include <optional>

#include "devices/bsim3_constants.hpp"

namespace simcore::dev::soi {

// VSDFB, VSDTH and CSDMIN where the card leaves them out, from NSUB (cm^-3, negative
// for the other doping), the thermal voltage vtm, the intrinsic density ni (cm^-3)
// and the buried oxide's capacitance per area cbox; type +1 n-channel, -1 p-channel.
struct SubstrateLevels {
  double vsdfb = 0, vsdth = 0, csdmin = 0;
  bool fromFlatBand = true;  // see SubstrateCharge
};
inline SubstrateLevels substrateLevels(double nsub, double type, double vtm, double ni, double cbox,
                                       double vsdfb, bool vsdfbGiven, std::optional<double> vsdth,
                                       std::optional<double> csdmin) {
  using bsim3::kEpsSi, bsim3::kQ;
  SubstrateLevels l;
  l.vsdfb = vsdfb;
  if (!vsdfbGiven) {
    if (nsub > 0) l.vsdfb = -type * (vtm * std::log(1e20 * nsub / ni / ni) - 0.3);
    else if (nsub < 0) l.vsdfb = -type * (vtm * std::log(-1e20 / nsub) + 0.3);
  }
  const double sdPhi = 2.0 * vtm * std::log(std::fabs(nsub) / ni);
  const double sdGamma = 5.753e-12 * std::sqrt(std::fabs(nsub)) / cbox;
  l.fromFlatBand = (nsub > 0 && type > 0) || (nsub < 0 && type < 0);
  if (vsdth) l.vsdth = *vsdth;
  else l.vsdth = l.fromFlatBand ? l.vsdfb + sdPhi + sdGamma * std::sqrt(sdPhi) : l.vsdfb - sdPhi - sdGamma * std::sqrt(sdPhi);
  if (csdmin) {
    l.csdmin = *csdmin;
  } else {
    const double t = std::sqrt(2.0 * kEpsSi * sdPhi / (kQ * std::fabs(nsub) * 1.0e6));
    const double t1 = kEpsSi / t;
    l.csdmin = t1 * cbox / (t1 + cbox);
  }
  return l;
}

// One diffusion (source or drain): its bottom's two capacitances (F) and the
// cubic pieces' coefficients.
struct DiffusionCap {
  double cbox = 0, cmin = 0;
  double c2 = 0, c3 = 0, c4 = 0;
};

struct SubstrateCharge {
  double vsdfb = 0, vsdth = 0, knee = 0;
  // the substrate is doped like the channel (NSUB > 0 for an n-channel device):
  // the charge leaves the oxide's slope at the flat band, below the threshold;
  // otherwise the two ends swap
  bool fromFlatBand = true;
  DiffusionCap s, d;

  // area capacitances: cbox the oxide's, csdmin the minimum; as, ad the areas
  void setup(double flatBand, double threshold, double asd, bool flatFirst, double cbox, double csdmin, double as,
             double ad) {
    vsdfb = flatBand;
    vsdth = threshold;
    fromFlatBand = flatFirst;
    const double lo = flatFirst ? vsdfb : vsdth, hi = flatFirst ? vsdth : vsdfb;
    const double t0 = hi - lo;
    knee = lo + asd * t0;
    const auto cubic = [&](DiffusionCap& c, double area) {
      c.cbox = cbox * area;
      c.cmin = csdmin * area;
      const double cLo = flatFirst ? c.cbox : c.cmin, cHi = flatFirst ? c.cmin : c.cbox;
      const double t1 = cLo - cHi, t2 = t1 / t0 / t0;
      c.c2 = t2 / asd;
      c.c3 = t2 / (1 - asd);
      c.c4 = t0 * t1 * (1 + asd) / 3 - cHi * lo;
    };
    cubic(s, as);
    cubic(d, ad);
  }

  // The bottom charge of a diffusion at v (the diffusion's voltage against the
  // substrate, in the n-channel frame); R double, or a forward-mode number
  // (semi::Fwd) for its derivatives.
  template <class R>
  R charge(const R& v, const DiffusionCap& c) const {
    const double lo = fromFlatBand ? vsdfb : vsdth, hi = fromFlatBand ? vsdth : vsdfb;
    const double cLo = fromFlatBand ? c.cbox : c.cmin, cHi = fromFlatBand ? c.cmin : c.cbox;
    const double x = value(v);
    if (x < lo) return cLo * (v - lo);
    if (x < knee) {
      const R t0 = v - lo;
      return t0 * (cLo - c.c2 / 3 * t0 * t0);
    }
    if (x < hi) {
      const R t0 = v - hi;
      return cHi * v + c.c4 + c.c3 / 3 * t0 * t0 * t0;
    }
    return cHi * v + c.c4;
  }

 private:
  static double value(double v) { return v; }
  template <class R>
  static double value(const R& v) {
    return v.v;
  }
};

}  // namespace simcore::dev::soi
