// .noise: the noise generators a device group reports at the operating point.
// Every generator is a noise current between two unknowns with the one-sided
// power spectral density
//
//   S(f) = white + flicker / f      [A^2/Hz]
//
// as ngspice models them: thermal noise of a conductance G is 4 k T G (T the
// circuit temperature, plus a resistor's dtemp), shot noise of a current I is
// 2 q |I|, flicker noise KF |I|^AF / f (times a device's own geometry factor).
// The analysis (analysis/noise.cpp) turns each into output noise through the
// adjoint of the small-signal matrix and integrates each one separately.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "devices/device.hpp"

namespace simcore::dev {

struct NoiseGenerator {
  Index a = 0, b = 0;   // the unknowns the noise current flows between
  double white = 0;     // [A^2/Hz]
  double flicker = 0;   // [A^2] (divided by f)
  std::string device;   // the instance ("r1", "x1.d2")
  const char* source = "";  // ngspice's suffix of the generator: "_thermal", "_rs", "_id", "_1overf", ...
  double fexp = 1;      // the flicker part is flicker / f^fexp
};

struct NoiseContext {
  static constexpr double kBoltz = 1.38064852e-23;  // J/K, as ngspice's CONSTboltz
  static constexpr double kCharge = 1.6021766208e-19;  // C, as ngspice's CHARGE
  static constexpr double kMinLog = 1e-38;  // ngspice's N_MINLOG: the smallest value whose log is taken

  const double* xop = nullptr;          // the operating point
  const ir::Circuit* circuit = nullptr;  // for the instances' models
  double tempK = 300.15;                // circuit temperature
  double gmin = 1e-12;
  std::vector<NoiseGenerator>* out = nullptr;

  const ir::Model* model(const ir::Device& d) const {
    return d.model >= 0 && circuit ? &circuit->models[std::size_t(d.model)] : nullptr;
  }
  // 4 k T g (T = the circuit temperature + dtemp) between a and b.
  void thermal(const ir::Device& d, const char* source, Index a, Index b, double g, double dtemp = 0) const {
    out->push_back({a, b, 4.0 * kBoltz * (tempK + dtemp) * g, 0.0, d.name, source});
  }
  // 2 q |i| between a and b.
  void shot(const ir::Device& d, const char* source, Index a, Index b, double i) const {
    out->push_back({a, b, 2.0 * kCharge * std::fabs(i), 0.0, d.name, source});
  }
  // coef / f^fexp between a and b (coef = KF |I|^AF times the device's factor).
  void flicker(const ir::Device& d, const char* source, Index a, Index b, double coef, double fexp = 1) const {
    out->push_back({a, b, 0.0, coef, d.name, source, fexp});
  }
  // KF |i|^AF as ngspice evaluates it (|i| at least N_MINLOG).
  static double flickerCoef(double kf, double af, double i) {
    return kf * std::exp(af * std::log(std::max(std::fabs(i), kMinLog)));
  }
};

}  // namespace simcore::dev
