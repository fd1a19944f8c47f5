#include "devices/mos_frame.hpp"

namespace simcore::dev::mos {

std::string setupMosBulk(const ParamValues& P, double mult, double weff, double leff, double tnomK, double tK,
                         MosFrameInst& p) {
  p.ic = mosInitialVoltages(P);
  const double vt = semi::thermalVoltage(tK), vtnom = semi::thermalVoltage(tnomK);
  const double isf = std::exp(-semi::bandGap(tK) / vt + semi::bandGap(tnomK) / vtnom);
  const double tis = P.model("is") * isf, tjs = P.model("js") * isf;
  const double ad = P.inst("ad"), as = P.inst("as");
  if (tjs == 0 || ad == 0 || as == 0) {
    p.isd = p.iss = mult * tis;
  } else {
    p.isd = mult * tjs * ad;
    p.iss = mult * tjs * as;
  }
  p.vcritd = p.isd > 0 ? vt * std::log(vt / (semi::kSqrt2 * p.isd)) : 1.0;
  p.vcrits = p.iss > 0 ? vt * std::log(vt / (semi::kSqrt2 * p.iss)) : 1.0;

  // junction capacitances at temperature
  const double pb = P.model("pb"), mj = P.model("mj"), mjsw = P.model("mjsw"), fc = P.model("fc");
  if (pb <= 0) return "PB must be positive";
  if (fc < 0 || fc >= 1) return "FC must be in [0, 1)";
  const auto bottom = semi::scaleJunction(pb, 1.0, mj, tnomK, tK);  // factor for CBD, CBS, CJ
  const auto side = semi::scaleJunction(pb, 1.0, mjsw, tnomK, tK);  // factor for CJSW
  const double tpb = bottom.vj;
  double czbd, czbs;
  if (P.hasModel("cbd")) czbd = P.model("cbd") * bottom.cj * mult;
  else czbd = P.hasModel("cj") ? P.model("cj") * bottom.cj * ad * mult : 0.0;
  if (P.hasModel("cbs")) czbs = P.model("cbs") * bottom.cj * mult;
  else czbs = P.hasModel("cj") ? P.model("cj") * bottom.cj * as * mult : 0.0;
  const double cjsw = P.model("cjsw") * side.cj * mult;
  p.bd = semi::Depletion(czbd, tpb, mj, fc);
  p.bs = semi::Depletion(czbs, tpb, mj, fc);
  p.bdsw = semi::Depletion(cjsw * P.inst("pd"), tpb, mjsw, fc);
  p.bssw = semi::Depletion(cjsw * P.inst("ps"), tpb, mjsw, fc);
  p.sidewalls = cjsw * P.inst("pd") != 0.0 || cjsw * P.inst("ps") != 0.0;

  // overlap capacitances
  p.cgso = P.model("cgso") * mult * weff;
  p.cgdo = P.model("cgdo") * mult * weff;
  p.cgbo = P.model("cgbo") * mult * leff;

  // series resistances
  auto seriesG = [&](const char* r, const char* nsq) {
    if (P.hasModel(r)) {
      const double rv = P.model(r);
      return rv != 0 ? mult / rv : 0.0;
    }
    const double rsh = P.model("rsh"), sq = P.inst(nsq);
    return rsh != 0 && sq != 0 ? mult / (rsh * sq) : 0.0;
  };
  p.gd = seriesG("rd", "nrd");
  p.gs = seriesG("rs", "nrs");
  if (p.gd < 0 || p.gs < 0) return "RD, RS and RSH must not be negative";
  return {};
}

}  // namespace simcore::dev::mos
