// CIDER's two-dimensional device simulation (ngspice 39's NUMD and NBJT at
// level 2, and NUMOS; docs/cider.md): a cross-section on a rectangular x-y
// mesh of semiconductor and insulator regions with electrodes on node lines,
// Poisson's equation and the electron and hole continuity equations
// discretised with the box method on rectangles and Scharfetter-Gummel edge
// currents, solved by Newton's method with a sparse LU in CIDER's normalised
// units. The device's depth (z) is width = area * w * defw. Pure numerics.
//
// As the one-dimensional Bar (cider1d.hpp): solved to convergence at the
// contact voltages it is given, its carrier contents and the contacts'
// displacement charges handed to the circuit's integrator as charges.
#pragma once

#include <array>
#include <complex>
#include <memory>
#include <string>
#include <vector>

#include "devices/cider1d.hpp"

namespace simcore::dev::cider {

// Up to four contacts; the last one is the reference. v[k] is contact k's
// voltage against it, i[k] the current into contact k, g[k][j] = d i[k] / d v[j].
constexpr int kMaxContacts = 4;
struct PlaneTerminals {
  std::array<double, kMaxContacts> i{};
  double g[kMaxContacts][kMaxContacts - 1] = {};
};

class Plane {
 public:
  Plane();
  ~Plane();
  Plane(Plane&&) noexcept;
  Plane& operator=(Plane&&) noexcept;

  // Sets up the device at tempK with depth factor `scale` (area * w; the
  // depth is scale * defw). contacts: 2 (numd), 3 (nbjt), 4 (numos).
  Status setup(const Spec& spec, int contacts, double tempK, double circuitTnomK, double reltol, double scale,
               const std::string& deviceName);

  int contacts() const { return nc_; }
  int states() const;         // the carriers' (n and p per semiconductor node), then one per contact
  int carrierStates() const;
  int polarity() const { return type_; }  // +1: the first contact's first node is n-type (or undoped)
  Spec::DeviceType deviceType() const { return devType_; }

  bool equilibrium();
  // Solves at contact voltages v[0..contacts-2] from the last solution.
  bool solve(const double* v, const TimeTerms& t);
  // One Newton step towards the solution at v from the last iterate (CIDER's
  // transient coupling: the circuit's iterations converge the device), the
  // currents linearised to the step's end. true: the step was within the
  // tolerances (the device has converged). The full solve() where no step
  // can be taken.
  bool step(const double* v, const TimeTerms& t);
  // The state at an accepted time point, to start every attempt at the next
  // one from (not from a rejected attempt's last iterate).
  void keepAccepted();
  void restoreAccepted();
  const PlaneTerminals& terminals() const { return term_; }
  void charges(double* q) const;
  // y[k][j] = d i[k] / d v[j] at angular frequency omega around the last DC solution.
  void admittance(double omega, std::complex<double> y[kMaxContacts][kMaxContacts - 1]) const;

  // Diagnostics.
  int meshNodes() const;
  int unknowns() const;
  double psi(int ix, int iy) const;        // V, from the vacuum level (NaN: no node there)
  double electrons(int ix, int iy) const;  // cm^-3
  double holes(int ix, int iy) const;      // cm^-3
  int lastIterations() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> d_;
  int nc_ = 0, type_ = 1;
  Spec::DeviceType devType_ = Spec::Diode;
  PlaneTerminals term_;
};

}  // namespace simcore::dev::cider
