// .sens: which device parameters get a sensitivity and how one is changed
// (ngspice 39's list, cktsens.c and each device's parameter table, on
// simcore's device descriptors; docs/netlist.md, ".sens").
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "devices/descriptor.hpp"
#include "simcore/ir.hpp"

namespace simcore::an::sens {

inline constexpr double kRelDelta = 1e-6;  // ngspice's Sens_Delta
inline constexpr double kAbsDelta = 1e-6;  // ngspice's Sens_Abs_Delta
inline constexpr double kZero = 1e-30;     // below this a parameter counts as not set (ngspice)
inline constexpr double kCtoK = 273.15;

enum class Target {
  Value,        // Device::value (R, C, L, gain, coupling)
  Positional,   // Device::value read as the kind's positional parameter (area)
  Instance,     // an instance parameter (Device::params)
  Model,        // a model parameter, for this instance only
  SourceDc,     // SourceSpec::dc
  SourceAcMag,  // SourceSpec::acMag
  SourceAcPhase,
  SourceMult,   // I source m: scales the DC value
};

struct SensParam {
  std::string name;  // ngspice's vector name
  std::size_t device = 0;  // index into Circuit::devices
  Target target = Target::Value;
  const dev::ParamSpec* spec = nullptr;  // Instance, Model
  double value = 0;
  bool kelvin = false;  // temp, tnom: the perturbation is relative to the absolute temperature
  bool defaulted = false;  // not given: value is the descriptor's default (or .options temp/tnom)
  double delta() const {
    const double mag = kelvin ? std::fabs(value + kCtoK) : std::fabs(value);
    return mag != 0 ? mag * kRelDelta : kAbsDelta;
  }
};

// Every parameter with a sensitivity, sorted by name (ngspice's plot order):
// principal values (R C L K, V I DC values) always; E F G H gains as NAME_gain;
// every plain numeric instance or model parameter of the device's
// descriptor whose value (given, else the default, else .options temp/tnom)
// is not 0, except ic=, R's noisy, E F G H's m and, without `ac`, the
// AC-only ones (R's ac=, acmag, acphase). R's ac= defaults to its resistance.
std::vector<SensParam> listParams(const ir::Circuit& c, bool ac);

// c with parameter p set to v (a model parameter through a copy of the
// model for p's device alone).
void perturb(ir::Circuit& c, const SensParam& p, double v);

}  // namespace simcore::an::sens
