// The physics CIDER's devices share: normalisation and materials at a
// temperature (cider_physics.hpp). Facts from ngspice 39's CIDER sources
// (its globals, material and mobility temperature laws); the code is simcore's.
#include "devices/cider_physics.hpp"

namespace simcore::dev::cider {

Status checkTemperature(double T, const std::string& deviceName) {
  if (T >= 50.0 && T <= 1000.0) return {};
  return makeError(ErrorCode::Semantic,
                   "'" + deviceName + "': temperature " + std::to_string(T - 273.15) +
                       " degC is outside the numerical device's models (-223 to 727 degC, 50 to 1000 K)",
                   SourceLoc{});
}

Norm normalisation(double T) {
  Norm n;
  n.vt = kBoltz * T / kQ;
  const double relT300 = T / 300.0;
  const double mnSi = 1.039 + 5.477e-4 * T - 2.326e-7 * T * T;
  const double mpSi = 0.262 * std::log(0.259 * T);
  const double ncSi = kNcvNom * std::pow(mnSi, 1.5) * std::pow(relT300, 1.5);
  const double nvSi = kNcvNom * std::pow(mpSi, 1.5) * std::pow(relT300, 1.5);
  n.epsNorm = 11.7 * kEps0;
  n.nNorm = std::sqrt(ncSi) * std::sqrt(nvSi);
  n.lNorm = std::sqrt(n.vt * n.epsNorm / (kQ * n.nNorm));
  n.tNorm = n.lNorm * n.lNorm / n.vt;
  n.jNorm = kQ * n.nNorm * n.vt / n.lNorm;
  n.eNorm = n.vt / n.lNorm;
  return n;
}

void materialAt(const Material& m, const Norm& nm, double T, double tnom, bool tempMob, MaterialAtT& a,
                MaterialTerms& n) {
  const double vt = nm.vt;
  n = MaterialTerms{};
  a = MaterialAtT{};
  if (m.kind == Material::Insulator) {
    a.eg = m.eg0;
    a.refPsi = -(m.affinity + 0.5 * m.eg0) / vt;
    n.refPsi = a.refPsi;
    n.insulator = true;
    return;
  }
  const double relT = T / tnom;
  const double mnSi = 1.039 + 5.477e-4 * T - 2.326e-7 * T * T;
  const double mpSi = 0.262 * std::log(0.259 * T);
  a.eg = m.eg0 + m.egAlpha * tnom * tnom / (tnom + m.egBeta) - m.egAlpha * T * T / (T + m.egBeta);
  const double mn = m.nc0 > 0 ? std::pow(m.nc0 / kNcvNom / std::pow(relT, 1.5), 2.0 / 3.0) : mnSi;
  const double mp = m.nv0 > 0 ? std::pow(m.nv0 / kNcvNom / std::pow(relT, 1.5), 2.0 / 3.0) : mpSi;
  a.nc = kNcvNom * std::pow(mn, 1.5) * std::pow(relT, 1.5);
  a.nv = kNcvNom * std::pow(mp, 1.5) * std::pow(relT, 1.5);
  a.refPsi = -(m.affinity + 0.5 * (a.eg + vt * std::log(a.nc / a.nv))) / vt;
  const double tfac = std::sqrt(tnom / T) * std::exp(3.8667 * (tnom / T - 1.0));
  a.taun = m.tau0[0] * tfac / nm.tNorm;
  a.taup = m.tau0[1] * tfac / nm.tNorm;
  n.refPsi = a.refPsi;
  n.cn = m.cAug[0] * std::pow(relT, 0.14) * nm.nNorm * nm.nNorm * nm.tNorm;
  n.cp = m.cAug[1] * std::pow(relT, 0.18) * nm.nNorm * nm.nNorm * nm.tNorm;
  // impact ionisation: silicon's coefficients for every material, as CIDER
  n.an = 7.03e5 * nm.lNorm;
  n.bn = 1.231e6 / nm.eNorm;
  n.ap = 1.582e6 * nm.lNorm;
  n.bp = 2.036e6 / nm.eNorm;
  double vsn = m.vsat[0], vsp = m.vsat[1], vwn = m.vwarm[0], vwp = m.vwarm[1];
  if (tempMob) {
    vsn *= std::sqrt(std::tanh(175.0 / T));
    vwn *= std::sqrt(std::tanh(175.0 / T));
    vsp *= std::sqrt(std::tanh(312.0 / T));
    vwp *= std::sqrt(std::tanh(312.0 / T));
  }
  n.vsatN = vsn / nm.eNorm;
  n.vsatP = vsp / nm.eNorm;
  n.vwarmN = vwn / nm.eNorm;
  n.vwarmP = vwp / nm.eNorm;
  n.thetaAN = m.thetaA[0] * nm.eNorm;
  n.thetaBN = m.thetaB[0] * nm.eNorm * nm.eNorm;
  n.thetaAP = m.thetaA[1] * nm.eNorm;
  n.thetaBP = m.thetaB[1] * nm.eNorm * nm.eNorm;
  n.fieldModel = m.fieldModel;
}

MobilitySet temperatureScaled(const MobilitySet& in, double T, bool electron) {
  const double relT300 = T / 300.0;
  MobilitySet s = in;
  const double muMin = s.muMin * std::pow(relT300, -0.57);
  s.muMax = (s.muMax - s.muMin) * std::pow(relT300, electron ? -2.33 : -2.23) + muMin;
  s.muMin = muMin;
  s.nRef *= std::pow(relT300, 2.4);
  s.exp *= std::pow(relT300, -0.146);
  return s;
}

namespace {
// The field dependence as mu = m phi(m E): phi and its first two derivatives in z = m E (z >= 0).
struct Shape {
  double phi = 1, d1 = 0, d2 = 0;
};
Shape fieldShape(int model, bool electron, double z, double vsat, double vwarm) {
  Shape r;
  if (!electron && model != kSG && model != kGA) {  // CT, AR, UF holes: 1 / (1 + z / vsat)
    const double d = 1.0 + z / vsat;
    r.phi = 1.0 / d;
    r.d1 = -1.0 / (vsat * d * d);
    r.d2 = 2.0 / (vsat * vsat * d * d * d);
    return r;
  }
  // D^(-1/2): electrons' CT/AR/UF D = 1 + (z/vsat)^2; SG (and, in channels, GA as CIDER)
  // D = 1 + w^2 / (w + fit) + (z/vsat)^2 with w = z / vwarm
  double D = 1.0 + (z / vsat) * (z / vsat), D1 = 2.0 * z / (vsat * vsat), D2 = 2.0 / (vsat * vsat);
  if (model == kSG || model == kGA) {
    const double fit = electron ? 8.8 : 1.6, w = z / vwarm, s = w + fit;
    D += w * w / s;
    D1 += (w * w + 2.0 * w * fit) / (s * s) / vwarm;
    D2 += 2.0 * fit * fit / (s * s * s) / (vwarm * vwarm);
  }
  const double r1 = 1.0 / std::sqrt(D);
  r.phi = r1;
  r.d1 = -0.5 * r1 / D * D1;
  r.d2 = 0.75 * r1 / (D * D) * D1 * D1 - 0.5 * r1 / D * D2;
  return r;
}
}  // namespace

SurfaceMobility surfaceMobility(int model, bool electron, bool fieldDep, double mu0, double vsat, double vwarm,
                                double thetaA, double thetaB, double eLateral, double eNormal, double eSurface) {
  const double alpha = electron ? 0.5 : 2.0 / 3.0, beta = electron ? 0.5 : 1.0 / 3.0;
  const double u = alpha * eNormal + beta * eSurface;
  const double eN = std::fabs(u), sgnN = u >= 0 ? 1.0 : -1.0;
  const double eD = alpha * (eSurface - eNormal);
  const double eL = std::fabs(eLateral), sgnL = eLateral >= 0 ? 1.0 : -1.0;
  // mu_SR(En) and its first two derivatives
  const double P = 1.0 + thetaA * eN + thetaB * eN * eN, dP = thetaA + 2.0 * thetaB * eN;
  const double muSR = mu0 / P;
  const double s1 = -mu0 * dP / (P * P);
  const double s2 = 2.0 * mu0 * dP * dP / (P * P * P) - 2.0 * mu0 * thetaB / (P * P);
  // mu_HC(m, eL) = m phi(m eL) and its derivatives in m and eL
  double h = muSR, hm = 1, he = 0, hmm = 0, hme = 0;
  if (fieldDep) {
    const double z = muSR * eL;
    const Shape f = fieldShape(model, electron, z, vsat, vwarm);
    h = muSR * f.phi;
    hm = f.phi + z * f.d1;
    he = muSR * muSR * f.d1;
    hmm = eL * (2.0 * f.d1 + z * f.d2);
    hme = muSR * (2.0 * f.d1 + z * f.d2);
  }
  const double t1 = hm * s1 * sgnN;         // d mu_HC / d u
  const double t2 = hmm * s1 * s1 + hm * s2;  // d^2 mu_HC / d u^2
  SurfaceMobility r;
  r.mu = h - t1 * eD;
  r.dNormal = alpha * (2.0 * t1 - t2 * eD);
  r.dSurface = beta * (t1 - t2 * eD) - alpha * t1;
  r.dLateral = (he - hme * s1 * sgnN * eD) * sgnL;
  return r;
}

}  // namespace simcore::dev::cider
