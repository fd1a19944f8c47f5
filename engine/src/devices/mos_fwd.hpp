// The drain current of a MOS level (mos_frame.hpp) on forward-mode numbers:
// Fwd3 carries a value and its partials in the frame's vgs, vds, vbs, so one
// evaluation gives id, gm, gds and gmbs, the exact derivatives of the value
// computed. Levels 2 and 3 write their current on it.
//
// Values are bit-identical to the same expressions in double: every operation
// on the value is the one double arithmetic does (fwd_number.hpp). Branches
// compare values (.v); min/max take the operand the double code would, and
// its derivative. sqrt at 0 has slope 0 (the term vanishes where the
// references use it, e.g. MOS3's length modulation with ALPHA = 0).
//
// Use: `using namespace mos::fwd;` in the level's file, then write the
// equations unqualified (sqrt, exp, max, ...) on Fwd3, std:: on doubles.
#pragma once

#include <cmath>

#include "devices/fwd_number.hpp"
#include "devices/mos_frame.hpp"

namespace simcore::dev::mos {

using Fwd3 = semi::Fwd<3>;
enum : int { kVgs = 0, kVds = 1, kVbs = 2 };

// The independent variable k (kVgs, kVds, kVbs) at value v.
inline Fwd3 variable(double v, int k) {
  Fwd3 r(v);
  r.d[k] = 1.0;
  return r;
}

// The channel from the current, its threshold and saturation voltage.
inline MosChannel channelOf(const Fwd3& id, double von, double vdsat) {
  MosChannel ch;
  ch.id = id.v;
  ch.gm = id.d[kVgs];
  ch.gds = id.d[kVds];
  ch.gmbs = id.d[kVbs];
  ch.von = von;
  ch.vdsat = vdsat;
  return ch;
}

namespace fwd {

using semi::exp;
using semi::fabs;
using semi::log;
using semi::sqrt;
inline Fwd3 atan(const Fwd3& a) { return chain(a, std::atan(a.v), 1.0 / (1.0 + a.v * a.v)); }
inline Fwd3 cos(const Fwd3& a) { return chain(a, std::cos(a.v), -std::sin(a.v)); }
// as std::max and std::min choose (the first operand when equal)
inline Fwd3 max(const Fwd3& a, const Fwd3& b) { return a.v < b.v ? b : a; }
inline Fwd3 min(const Fwd3& a, const Fwd3& b) { return b.v < a.v ? b : a; }

}  // namespace fwd
}  // namespace simcore::dev::mos
