// Uniform distributed RC lines (U cards, .model TYPE URC), as ngspice builds
// them: a ladder of lumped segments whose size grows geometrically by the
// factor K from both ends towards the middle. The netlist reader expands each
// U instance into resistors and capacitors (diodes when ISPERL is given); no
// DeviceGroup of its own exists.
//
// Segment i (1-based, i = 1 at the ends) has the scale s_i = K^(i-1):
//   resistors  r1·s_i  on the n1 side (from the outer node to lo_i) and on the
//              n2 side (hi_i to the outer node); the last segment joins at hi_N;
//   capacitors c1·s_i  (or diodes of area s_i) from lo_i and hi_i to n3, the
//              middle node hi_N carrying one.
// So the two resistor chains sum to rperl·l and the capacitors to cperl·l.
#pragma once

#include <optional>
#include <vector>

namespace simcore::dev {

struct UrcSpec {
  double length = 0;            // l (m)
  std::optional<int> lumps;     // n; nullopt: from fmax
  double k = 1.5;               // growth factor of the segments (not 1)
  double fmax = 1e9;            // Hz
  double rPerL = 1000;          // Ω/m
  double cPerL = 1e-12;         // F/m
  std::optional<double> isPerL; // A/m: diodes instead of capacitors
  double rsPerL = 0;            // Ω/m, the diodes' series resistance
};

struct UrcLadder {
  int lumps = 0;
  double r1 = 0;   // Ω, resistance of the outermost segments
  double c1 = 0;   // F, capacitance of the outermost segments (the diodes' CJO)
  double is1 = 0;  // A, saturation current of the outermost diodes
  double rs = 0;   // Ω, the diode model's RS (length · lumps · rsperl, as ngspice)
  // K^(i-1) for segment i = 1..lumps, formed by repeated multiplication as
  // ngspice does (so the values agree to the last bit).
  std::vector<double> scale;
};

// ngspice's lump count when N is not given: with r0 = rperl·l, c0 = cperl·l and
// w = 2π·fmax·r0·c0, 3 when w < 35, else max(3, trunc(ln(w·((K-1)/K)²) / ln K)).
int urcLumpCount(double k, double fmax, double r0, double c0);
UrcLadder urcLadder(const UrcSpec& s);

}  // namespace simcore::dev
