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

double pnjlim(double vnew, double vold, double vt, double vcrit, bool& limited) {
  const double vin = vnew;
  if (vnew > vcrit && std::fabs(vnew - vold) > vt + vt) {
    if (vold > 0) {
      const double arg = 1.0 + (vnew - vold) / vt;
      vnew = arg > 0 ? vold + vt * std::log(arg) : vcrit;
    } else {
      vnew = vt * std::log(vnew / vt);
    }
  } else if (vnew < 0) {
    // reverse direction: do not jump more than about one volt past the old value
    const double floor = vold > 0 ? -vold - 1.0 : 2.0 * vold - 1.0;
    if (vnew < floor) vnew = floor;
  }
  limited = vnew != vin;
  return vnew;
}

double fetlim(double vnew, double vold, double vto) {
  const double vtsthi = std::fabs(2.0 * (vold - vto)) + 2.0;
  const double vtstlo = std::fabs(vold - vto) + 1.0;
  const double vtox = vto + 3.5;
  const double delv = vnew - vold;
  if (vold >= vto) {
    if (vold >= vtox) {
      if (delv <= 0) {  // going off
        if (vnew >= vtox) {
          if (-delv > vtstlo) vnew = vold - vtstlo;
        } else {
          vnew = std::max(vnew, vto + 2.0);
        }
      } else if (delv >= vtsthi) {  // staying on
        vnew = vold + vtsthi;
      }
    } else {  // middle region
      vnew = delv <= 0 ? std::max(vnew, vto - 0.5) : std::min(vnew, vto + 4.0);
    }
  } else {  // off
    if (delv <= 0) {
      if (-delv > vtsthi) vnew = vold - vtsthi;
    } else {
      const double vtemp = vto + 0.5;
      if (vnew <= vtemp) {
        if (delv > vtstlo) vnew = vold + vtstlo;
      } else {
        vnew = vtemp;
      }
    }
  }
  return vnew;
}

double limvds(double vnew, double vold) {
  if (vold >= 3.5) {
    if (vnew > vold) vnew = std::min(vnew, 3.0 * vold + 2.0);
    else if (vnew < 3.5) vnew = std::max(vnew, 2.0);
  } else {
    vnew = vnew > vold ? std::min(vnew, 4.0) : std::max(vnew, -0.5);
  }
  return vnew;
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

bool fetLimit(double& vgs, double& vds, double vgsOld, double vdsOld, double von) {
  const double vgs0 = vgs, vds0 = vds;
  double vgd = vgs - vds;
  bool lim = false;
  if (vdsOld >= 0) {
    const double g = fetlim(vgs, vgsOld, von);
    lim = g != vgs;
    vgs = g;
    vds = vgs - vgd;
    const double dl = limvds(vds, vdsOld);
    lim = lim || dl != vds;
    vds = dl;
  } else {
    const double g = fetlim(vgd, vgsOld - vdsOld, von);
    lim = g != vgd;
    vgd = g;
    vds = vgs - vgd;
    const double dl = -limvds(-vds, -vdsOld);
    lim = lim || dl != vds;
    vds = dl;
    vgs = vgd + vds;
  }
  if (!lim) {  // keep the exact voltages (no rounding from the reshuffle)
    vgs = vgs0;
    vds = vds0;
  }
  return lim;
}

bool mosLimit(MosVoltages& v, const MosVoltages& old, double von, double vt, double vcrits, double vcritd) {
  const MosVoltages in = v;
  const bool lim = fetLimit(v.vgs, v.vds, old.vgs, old.vds, von);
  bool lj = false;
  if (v.vds >= 0) {
    v.vbs = pnjlim(v.vbs, old.vbs, vt, vcrits, lj);
  } else {
    const double vbd = pnjlim(v.vbs - v.vds, old.vbs - old.vds, vt, vcritd, lj);
    v.vbs = vbd + v.vds;
  }
  if (!lim && !lj) {
    v = in;
    return false;
  }
  return true;
}

CurrentAndSlope bulkJunction(double v, double isat, double vt, double gmin) {
  if (v <= -3.0 * vt) return {gmin * v - isat, gmin};
  if (v == 0.0) return {0.0, isat / vt + gmin};  // bulk tied to source or drain: exp(0) == 1 exactly
  double de = 0;
  const double e = safeExp(v / vt, &de);
  return {isat * (e - 1.0) + gmin * v, isat * de / vt + gmin};
}

MeyerCaps meyer(double vgs, double vgd, double von, double vdsat, double phi, double cox) {
  const double vgst = vgs - von;
  vdsat = std::max(vdsat, 0.025);
  if (vgst <= -phi) return {0, 0, cox / 2};
  if (vgst <= -phi / 2) return {0, 0, -vgst * cox / (2 * phi)};
  const double vds = vgs - vgd;
  if (vgst <= 0) {
    // weak inversion: the linear part shared between source and drain below vdsat
    const double cgs = vgst * cox / (1.5 * phi) + cox / 3, cgb = -vgst * cox / (2 * phi);
    if (vds >= vdsat) return {cgs, 0, cgb};
    const double vddif = 2.0 * vdsat - vds, vddif1 = vdsat - vds, vddif2 = vddif * vddif;
    return {cgs * (1.0 - vddif1 * vddif1 / vddif2), cgs * (1.0 - vdsat * vdsat / vddif2), cgb};
  }
  if (vdsat <= vds) return {cox / 3, 0, 0};
  const double vddif = 2.0 * vdsat - vds, vddif1 = vdsat - vds, vddif2 = vddif * vddif;
  return {cox * (1.0 - vddif1 * vddif1 / vddif2) / 3, cox * (1.0 - vdsat * vdsat / vddif2) / 3, 0};
}

double instanceTempK(const ParamValues& p, const ir::Options& o) {
  return p.inst("temp", o.temp) + p.inst("dtemp") + kCelsiusToKelvin;
}

double nominalTempK(const ParamValues& p, const ir::Options& o) { return p.model("tnom", o.tnom) + kCelsiusToKelvin; }

BypassState* bypassState(DeviceGroup& g) {
  auto* s = dynamic_cast<SemiconductorGroup*>(&g);
  return s ? &s->bypassState() : nullptr;
}

}  // namespace simcore::dev::semi
