// The physical constants and numerical limits of BSIM3 (its own values, so
// that results match its reference implementation to rounding).
#pragma once

namespace simcore::dev::bsim3 {

inline constexpr double kMaxExp = 5.834617425e14, kMinExp = 1.713908431e-15, kExpThreshold = 34.0;
inline constexpr double kEpsOx = 3.453133e-11, kEpsSi = 1.03594e-10, kQ = 1.60219e-19, kKboQ = 8.617087e-5;
inline constexpr double kDelta1 = 0.02, kDelta3 = 0.02, kDelta4 = 0.02;

}  // namespace simcore::dev::bsim3
