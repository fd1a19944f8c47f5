// The physics CIDER's one- and two-dimensional devices share (ngspice 39's
// CIDER models, docs/cider.md): constants, the Bernoulli function of the
// Scharfetter-Gummel currents, the mobility laws, the normalisation and the
// materials' parameters at a temperature. Pure numerics.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "devices/cider1d.hpp"
#include "devices/cider_vocab.hpp"

namespace simcore::dev::cider {

constexpr double kQ = 1.602191770e-19;    // C
constexpr double kBoltz = 1.38062259e-23;  // J/K
constexpr double kEps0 = 8.854e-14;        // F/cm
constexpr double kNcvNom = 2.509e19;       // cm^-3
// The carrier states handed to the integrator are box * n (normalised) times
// this, not coulombs: the analysis's truncation test is then relative to each
// node's carrier content down to chgtol / kCarrierCharge = 1e-10 (normalised),
// as CIDER's own test is (abstol + 10 reltol |n|), whatever the device's area.
// In coulombs a small device's minority charges would lie below chgtol and
// abstol, and the step would be allowed to grow far beyond the carriers' time
// constants.
constexpr double kCarrierCharge = 1e-4;

// ---- Bernoulli function B(x) = x / (e^x - 1) and B(-x), with derivatives

struct Bern {
  double bp, bm;    // B(x), B(-x)
  double dbp, dbm;  // d/dx B(x), d/dx B(-x)
};

inline const double kBMax = -std::log(std::numeric_limits<double>::epsilon());  // ~36.04
constexpr double kExpLim = 745.0;
constexpr double kBMin = 8.7e-6;

inline Bern bernoulli(double x) {
  Bern b;
  if (x <= -kBMax) {
    b.bp = -x;
    if (x <= -kExpLim) {
      b.bm = 0;
      b.dbp = -1;
      b.dbm = 0;
    } else {
      const double e = std::exp(x);
      b.bm = -x * e;
      b.dbp = b.bm - 1.0;
      b.dbm = -e * (1.0 + x);
    }
  } else if (std::fabs(x) <= kBMin) {
    b.bp = 1.0 / (1.0 + 0.5 * x);
    b.bm = 1.0 / (1.0 - 0.5 * x);
    b.dbp = -0.5 + x / 6.0;
    b.dbm = 0.5 + x / 6.0;
  } else if (x >= kBMax) {
    b.bm = x;
    if (x >= kExpLim) {
      b.bp = 0;
      b.dbp = 0;
      b.dbm = 1;
    } else {
      const double e = std::exp(-x);
      b.bp = x * e;
      b.dbp = e * (1.0 - x);
      b.dbm = 1.0 - b.bp;
    }
  } else {
    const double e = std::exp(x);
    const double em1 = std::expm1(x);
    b.bp = x / em1;
    b.bm = e * b.bp;
    b.dbp = (1.0 - b.bm) / em1;
    b.dbm = (e - b.bm) / em1;
  }
  return b;
}

// ---- a banded matrix with LU factorisation by partial pivoting

inline double maxAbs(const std::vector<double>& v) {
  double m = 0;
  for (double e : v) {
    if (!std::isfinite(e)) return std::numeric_limits<double>::infinity();
    m = std::max(m, std::fabs(e));
  }
  return m;
}

// Field-dependent mobility: mu(E) and d mu / dE from mu0 (normalised field E,
// velocities / ENorm). CT/AR/UF differ for electrons and holes.
inline void fieldMobility(int model, bool electron, double mu0, double e, double vsat, double vwarm, double& mu,
                   double& dmu) {
  const double s = e >= 0 ? 1.0 : -1.0;
  const double ae = std::fabs(e);
  switch (model) {
    case kSG: {
      const double a = mu0 * ae / vsat, w = mu0 * ae / vwarm;
      const double fit = electron ? 8.8 : 1.6;
      const double f = w / (w + fit);
      const double d = 1.0 + w * f + a * a;
      mu = mu0 / std::sqrt(d);
      // d(w f)/dw = f (2 - f); dw/dE = mu0/vwarm; d(a^2)/dE = 2 a mu0/vsat
      dmu = -s * 0.5 * mu / d * (f * (2.0 - f) * mu0 / vwarm + 2.0 * a * mu0 / vsat);
      return;
    }
    case kGA: {
      const double r = vsat / vwarm, u = mu0 * ae / vwarm;
      const double u3 = u * u * u, u4 = u3 * u;
      mu = mu0 * (1.0 + r * u3) / (1.0 + u4);
      dmu = s * mu0 * (mu0 / vwarm) * ((3.0 * r * u * u) * (1.0 + u4) - (1.0 + r * u3) * 4.0 * u3) /
            ((1.0 + u4) * (1.0 + u4));
      return;
    }
    default: {
      const double a = mu0 * ae / vsat;
      if (electron) {
        const double d = 1.0 + a * a;
        mu = mu0 / std::sqrt(d);
        dmu = -s * mu * (mu0 / vsat) * a / d;
      } else {
        const double d = 1.0 + a;
        mu = mu0 / d;
        dmu = -s * mu * (mu0 / vsat) / d;
      }
      return;
    }
  }
}

// A surface channel's mobility with the normal-field degradation (models
// transmob), as CIDER's inversion-layer model: the low-field surface mobility
// mu0 degraded by the normal field En = |alpha Enormal + beta Es| (Enormal: the
// element's own field across the channel, Es: the semiconductor-side field at
// the interface, both signed along the same axis), mu_SR = mu0 / (1 + thetaA
// En + thetaB En^2); then the field dependence along the channel (eLateral)
// with mu_SR for mu0 when `fieldDep`; then CIDER's first-order correction
// mu = mu_HC - (d mu_HC / d En) alpha (Es - Enormal). Normalised fields.
// Electrons: alpha = beta = 1/2; holes: alpha = 2/3, beta = 1/3.
struct SurfaceMobility {
  double mu = 0;
  double dLateral = 0, dNormal = 0, dSurface = 0;  // d mu / d (eLateral, eNormal, eSurface)
};
SurfaceMobility surfaceMobility(int model, bool electron, bool fieldDep, double mu0, double vsat, double vwarm,
                                double thetaA, double thetaB, double eLateral, double eNormal, double eSurface);

inline double concMobility(int model, const MobilitySet& m, double conc) {
  if (model == kSG) {
    const double s = std::pow(m.muMax / m.muMin, 1.0 / m.exp) - 1.0;
    return m.muMax / std::pow(1.0 + conc / (conc / s + m.nRef), m.exp);
  }
  return m.muMin + (m.muMax - m.muMin) / (1.0 + std::pow(conc / m.nRef, m.exp));
}

// Net recombination (normalised): SRH through a midgap level and, where
// np >= ni^2 and `auger`, Auger (coefficients cn, cp), with its derivatives
// by n and p, as CIDER's recomb().
struct Recombination {
  double u = 0, dn = 0, dp = 0;
};
inline Recombination recombination(double n, double p, double ni, double tn, double tp, bool auger, double cn,
                                   double cp) {
  Recombination r;
  const double np = n * p - ni * ni;
  const double den = tp * (n + ni) + tn * (p + ni);
  r.u = np / den;
  r.dn = (p * den - np * tp) / (den * den);
  r.dp = (n * den - np * tn) / (den * den);
  if (auger && np >= 0) {
    const double c = cn * n + cp * p;
    r.u += c * np;
    r.dn += cn * np + c * p;
    r.dp += cp * np + c * n;
  }
  return r;
}

// The models' temperature range (50 to 1000 K: below ~10 K the intrinsic
// density underflows a double and the effective-mass laws fail; 50 K is where
// they are still meant to hold, at the least). The error has no place: the
// caller's card gives it.
Status checkTemperature(double T, const std::string& deviceName);

// CIDER's normalisation at temperature T (kelvin): silicon's, whatever the materials.
struct Norm {
  double vt = 0, nNorm = 0, lNorm = 0, tNorm = 0, jNorm = 0, eNorm = 0, epsNorm = 0;
};
Norm normalisation(double T);

// A material at temperature T: band gap (eV), effective densities (cm^-3), the
// intrinsic level from the vacuum level (normalised), lifetimes (normalised).
struct MaterialAtT {
  double eg = 0, nc = 0, nv = 0, refPsi = 0, taun = 0, taup = 0;
};
// ... and its normalised terms (refPsi from the vacuum level: the caller shifts it).
void materialAt(const Material& m, const Norm& nm, double T, double tnom, bool tempMob, MaterialAtT& a,
                MaterialTerms& n);
// The concentration-dependent mobilities' sets at T (models tempmob).
MobilitySet temperatureScaled(const MobilitySet& s, double T, bool electron);

}  // namespace simcore::dev::cider
