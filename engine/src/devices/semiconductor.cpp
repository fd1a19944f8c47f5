#include "devices/semiconductor.hpp"

#include "devices/common.hpp"

namespace simcore::dev::semi {

double potentialFactor(double tempK) {
  const double vt = thermalVoltage(tempK);
  const double arg = -bandGap(tempK) / (2.0 * kBoltz * tempK) + 1.1150877 / (kBoltz * 2.0 * kRefTemp);
  return -2.0 * vt * (1.5 * std::log(tempK / kRefTemp) + kQ * arg);
}

ScaledJunction scaleJunction(double vj, double cj, double m, double tnomK, double tempK) {
  const double fact1 = tnomK / kRefTemp;
  const double fact2 = tempK / kRefTemp;
  const double pbo = (vj - potentialFactor(tnomK)) / fact1;
  const double gmaold = (vj - pbo) / pbo;
  const double cj0 = cj / (1.0 + m * (4e-4 * (tnomK - kRefTemp) - gmaold));
  const double vjT = fact2 * pbo + potentialFactor(tempK);
  const double gmanew = (vjT - pbo) / pbo;
  return {vjT, cj0 * (1.0 + m * (4e-4 * (tempK - kRefTemp) - gmanew))};
}

double scaleSatCurrent(double is, double n, double eg, double xti, double tnomK, double tempK) {
  const double vt = thermalVoltage(tempK);
  const double ratio = tempK / tnomK;
  return is * std::exp((ratio - 1.0) * eg / (n * vt) + xti / n * std::log(ratio));
}

CurrentAndSlope junctionCurrent(double v, double is, double vte) {
  if (is == 0.0) return {0.0, 0.0};
  if (v >= -3.0 * vte) {
    double de = 0;
    const double e = safeExp(v / vte, &de);
    return {is * (e - 1.0), is * de / vte};
  }
  double a = 3.0 * vte / (v * M_E);
  a = a * a * a;
  return {-is * (1.0 + a), is * 3.0 * a / v};
}

Depletion::Depletion(double cj, double vj, double m, double fc)
    : cj_(cj), vj_(vj), m_(m), vfc_(fc * vj), half_(m == 0.5), unitGrading_(std::fabs(1.0 - m) < 1e-12) {
  if (cj == 0.0) return;
  qk_ = unitGrading_ ? 0.0 : cj * vj / (1.0 - m);
  const double xfc = std::log(1.0 - fc);
  const double f1 = unitGrading_ ? -vj * xfc : vj * (1.0 - std::exp((1.0 - m) * xfc)) / (1.0 - m);
  const double f2 = std::exp((1.0 + m) * xfc);
  q0_ = cj * f1;
  k_ = cj / f2;
  f3_ = 1.0 - fc * (1.0 + m);
  mh_ = m / (2.0 * vj);
  mv_ = m / vj;
}

double instanceTempK(const ParamValues& p, const ir::Options& o) {
  return p.inst("temp", o.temp) + p.inst("dtemp") + kCelsiusToKelvin;
}


BypassState* bypassState(DeviceGroup& g) {
  auto* s = dynamic_cast<SemiconductorGroup*>(&g);
  return s ? &s->bypassState() : nullptr;
}

}  // namespace simcore::dev::semi
