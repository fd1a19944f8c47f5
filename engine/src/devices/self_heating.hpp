// Self-heating of a semiconductor model on a thermal node (the VDMOS's and
// the diode's `thermal` form; VBIC evaluates its own on dual numbers and
// shares only the limiting): the model is evaluated at the node's
// temperature, the dissipated power flows into the node, and the Jacobian
// gets the temperature column from the model evaluated on either side of
// that temperature.
//
// Local quantities as in LocalStamp: voltages (and the thermal node's value)
// are the real ones times the device polarity, so are currents; the
// temperature column is d(local current)/d(local node value).
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "simcore/ir.hpp"

#include "devices/semiconductor.hpp"

namespace simcore::dev::semi {

// Whether an instance of the group has the `thermal` flag: such a group takes
// the layout with the thermal node(s), every other the plain one.
inline bool anySelfHeating(const std::vector<const ir::Device*>& inst) {
  return std::any_of(inst.begin(), inst.end(), [](const ir::Device* d) {
    return std::any_of(d->params.begin(), d->params.end(), [](const ir::Param& p) { return p.name == "thermal"; });
  });
}

// ngspice's logarithmic damping of a temperature that moves by more than tol
// (K) in one Newton iteration (its DEVlimitlog).
inline double limitLog(double t, double old, double tol, bool& limited) {
  if (t > old + tol) {
    limited = true;
    return old + tol + std::log10((t - old) / tol);
  }
  if (t < old - tol) {
    limited = true;
    return old - tol - std::log10((old - t) / tol);
  }
  return t;
}

// Step of the central difference in temperature (K) of the temperature column.
inline constexpr double kThermalStep = 0.01;

// The temperature column: the resistive currents of terminals [0, nElec)
// evaluated at T + kThermalStep (plus) and T - kThermalStep (minus), the same
// local voltages; their central difference times the polarity (d/dT of a local
// current per unit of the local node value) into column tj of s.
template <class K>
void addTemperatureColumn(LocalStamp<K>& s, const LocalStamp<K>& plus, const LocalStamp<K>& minus, int nElec, int tj,
                          double sign) {
  constexpr auto& en = LocalStamp<K>::entries;
  for (int k = 0; k < nElec; ++k) {
    const int e = en.slot[k][tj];
    if (e == LocalStamp<K>::E) continue;
    s.G[e] += sign * (plus.I[k] - minus.I[k]) / (2.0 * kThermalStep);
  }
}

// The power dissipated in the device's resistive currents, sum over terminals
// [0, nElec) of I[k] V[k] (the polarity cancels), flows from ground into tj:
// a current -sign*P leaves tj (towards gnd), with its derivatives in every
// column of the electrical terminals and tj (from s.G, which must already hold
// the temperature column). Returns P in watts.
template <class K>
double addDissipation(LocalStamp<K>& s, const double* Vl, int nElec, int tj, int gnd, double sign) {
  constexpr int E = LocalStamp<K>::E;
  constexpr auto& en = LocalStamp<K>::entries;
  double P = 0;
  for (int k = 0; k < nElec; ++k) P += s.I[k] * Vl[k];
  // dP/dVl[j] = I[j] + sum_k Vl[k] dI[k]/dVl[j] (j an electrical terminal or tj)
  double dP[K::terminals] = {};
  for (int k = 0; k < nElec; ++k) dP[k] += s.I[k];
  for (int k = 0; k < nElec; ++k)
    for (int j = 0; j < K::terminals; ++j)
      if (j < nElec || j == tj) {
        const int e = en.slot[k][j];
        if (e != E) dP[j] += Vl[k] * s.G[e];
      }
  s.I[tj] -= sign * P;
  s.I[gnd] += sign * P;
  for (int j = 0; j < K::terminals; ++j) {
    if (!(j < nElec || j == tj)) continue;
    const int e = en.slot[tj][j];
    if (e != E) s.G[e] -= sign * dP[j];
  }
  return P;
}

}  // namespace simcore::dev::semi
