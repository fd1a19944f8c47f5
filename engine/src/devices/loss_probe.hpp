// What a power semiconductor tells the loss meter (engine/src/losses/): its
// loss description, and at a solution the quantities the losses depend on.
// A device is one main element (a switch, or the diode of a PWLDIODE) and
// optionally an antiparallel diode (PWLMOS body diode, PWLIGBT diode).
#pragma once

#include <limits>

#include "simcore/losses.hpp"

namespace simcore::dev {

// Losses of one element. Tables (file data, `data`) take precedence over the
// inline reference point.
//   switching: E = e·(|v|/vref)·(|i|/iref)·(1 + tce·(Tj − tref)), at least 0
//   conduction: p = (vloss·(1 + tcv·(Tj − tref)) + rloss·(1 + tcr·(Tj − tref))·|i|)·|i|
struct ElementLoss {
  const ir::SemiconductorData* data = nullptr;
  double eon = 0, eoff = 0;  // [J] at vref, iref, tref (a diode's eoff is its reverse recovery)
  double vref = 1, iref = 1, tref = 25, tce = 0;
  double vloss = 0, rloss = 0, tcv = 0, tcr = 0;
};

struct LossSpec {
  ElementLoss main;
  ElementLoss diode;
  bool hasDiode = false;
  ir::ThermalChain chain;  // junction -> case from inline parameters (file data: data->thermal)
};

// One instance at one solution. Currents are positive in the element's
// conducting direction and 0 while the element is off (its off-state leakage
// is not a loss the tables describe); v is the terminal voltage a − k.
struct LossProbe {
  double v = 0;
  double iMain = 0;   // a -> k through the main element
  double iDiode = 0;  // k -> a through the antiparallel diode
  bool mainOn = false, diodeOn = false;
};

}  // namespace simcore::dev
