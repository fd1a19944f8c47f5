#include "devices/urc.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "devices/descriptor.hpp"

namespace simcore::dev {

int urcLumpCount(double k, double fmax, double r0, double c0) {
  const double w = fmax * r0 * c0 * 2.0 * std::numbers::pi;
  if (w < 35) return 3;
  const double q = (k - 1) / k;
  return static_cast<int>(std::max(3.0, std::log(w * (q * q)) / std::log(k)));
}

UrcLadder urcLadder(const UrcSpec& s) {
  UrcLadder out;
  const double p = s.k;
  const double r0 = s.length * s.rPerL, c0 = s.length * s.cPerL;
  out.lumps = s.lumps ? *s.lumps : urcLumpCount(p, s.fmax, r0, c0);
  const double n = out.lumps;
  out.r1 = (r0 * (p - 1)) / ((2 * std::pow(p, n)) - 2);
  out.c1 = (c0 * (p - 1)) / (std::pow(p, n - 1) * (p + 1) - 2);
  out.is1 = s.isPerL ? (s.length * *s.isPerL * (p - 1)) / (std::pow(p, n - 1) * (p + 1) - 2) : 0.0;
  out.rs = s.length * n * s.rsPerL;
  out.scale.reserve(std::size_t(out.lumps));
  double prop = 1;
  for (int i = 0; i < out.lumps; ++i) {
    out.scale.push_back(prop);
    prop *= p;
  }
  return out;
}

namespace {

constexpr const char* kModelTypes[] = {"urc"};
constexpr ParamSpec kParams[] = {
    iparam("l", kNoDefault, "m", "length of the line").shown("required"),
    iparam("n", kNoDefault, "", "number of lumps (an integer)").shown("from FMAX"),
    mparam("k", 1.5, "", "growth factor of the segments from the ends to the middle (not 1)"),
    mparam("fmax", 1e9, "Hz", "highest frequency of interest: sets the lump count when N is not given"),
    mparam("rperl", 1000, "Ω/m", "resistance per length"),
    mparam("cperl", 1e-12, "F/m", "capacitance per length"),
    mparam("isperl", kNoDefault, "A/m", "saturation current per length: the capacitors become diodes (CJO from CPERL)")
        .shown("— (capacitors)"),
    mparam("rsperl", 0.0, "Ω/m", "series resistance of the diodes per length (times the lump count, as ngspice)"),
    ParamSpec{"urc", ParamScope::Model, 0.0, "", "bare word naming the model kind, as SPICE 2: ignored", {}, nullptr,
              true},
};

}  // namespace

// No DeviceGroup: the netlist reader replaces each U card by its ladder
// (netlist/urc.cpp), so create is null and an ir::Device of letter u is rejected.
extern const DeviceKind kUrcKind;
constexpr DeviceKind kUrcKind{
    .letter = 'u', .name = "uniform RC line", .form = CardForm::ModelCard, .minNodes = 3, .maxNodes = 3,
    .modelTypes = kModelTypes, .params = kParams, .modelNoun = "URC",
    .valueDoc = "Uname n1 n2 ncap model l=length [n=lumps]; expanded into ngspice's ladder of R and C (D with ISPERL) "
                "segments, internal nodes uname#loI and uname#hiI",
    .create = nullptr};

}  // namespace simcore::dev
