// The physical constants and numerical limits of BSIM4 (its own values, so
// that results match its reference implementation to rounding).
#pragma once

namespace simcore::dev::bsim4 {

inline constexpr double kMaxExp = 5.834617425e14, kMinExp = 1.713908431e-15, kExpThreshold = 34.0;
inline constexpr double kMaxExpL = 2.688117142e+43, kMinExpL = 3.720075976e-44, kExpLThreshold = 100.0;
inline constexpr double kEps0 = 8.85418e-12, kEpsSi = 1.03594e-10, kQ = 1.60219e-19, kKboQ = 8.617087e-5;
inline constexpr double kCharge = 1.6021918e-19;  // poly depletion uses SPICE's charge
inline constexpr double kPi = 3.141592654;
inline constexpr double kDelta1 = 0.02, kDelta3 = 0.02, kDelta4 = 0.02;
inline constexpr double kSmoothMM = 3.0;  // source-end velocity limit smoothing

}  // namespace simcore::dev::bsim4
