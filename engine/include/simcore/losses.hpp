// Semiconductor loss and thermal data, as read from a PLECS semiconductor
// XML file or written inline on a model (issue 16). Pure data: the loss
// engine (engine/src/losses/) interpolates the tables and applies them; the
// front ends only read what the engine reports.
#pragma once

#include <string>
#include <vector>

#include "simcore/result.hpp"

namespace simcore::ir {

// A table over up to three axes: current [A], voltage [V] (energies only) and
// junction temperature [degC]. Each axis is strictly ascending; an axis the
// data does not depend on holds one entry (its value is then irrelevant).
// values[(it * voltage.size() + iv) * current.size() + ii], already scaled to
// SI units (J for energies, V for a conduction voltage drop).
struct LossTable {
  std::vector<double> current;
  std::vector<double> voltage;
  std::vector<double> temperature;
  std::vector<double> values;
  bool empty() const { return values.empty(); }
};

// Junction-to-case thermal impedance: a Foster chain (series of parallel
// R||C cells, tau = R*C of each cell) or a Cauer ladder (series R, C to the
// thermal reference at each inner node, tau = R*C of each rung), from the
// junction to the case. r [K/W], tau [s], same length.
struct ThermalChain {
  enum class Kind { Foster, Cauer };
  Kind kind = Kind::Foster;
  std::vector<double> r;
  std::vector<double> tau;
  bool empty() const { return r.empty(); }
};

// One power semiconductor's loss and thermal description. For a switch with
// an antiparallel diode in one package (PLECS "MOSFET with Diode", "IGBT with
// Diode"), `diode` holds the diode's part when the file gives it.
struct SemiconductorData {
  std::string name;         // part number (or the model name for inline data)
  std::string file;         // the file it came from ("" for inline data)
  std::string deviceClass;  // lower case: "diode", "mosfet", "igbt", "thyristor", "mosfet with diode", ...
  LossTable turnOn;         // E_on(i after, v before, Tj) [J]
  LossTable turnOff;        // E_off(i before, v after, Tj) [J]; for a diode: reverse recovery E_rr
  LossTable conduction;     // on-state voltage drop v_on(i, Tj) [V]; voltage axis unused
  ThermalChain thermal;     // junction -> case; empty: the junction is the case
  std::vector<SemiconductorData> diode;  // at most one entry: the packaged antiparallel diode
};

}  // namespace simcore::ir
