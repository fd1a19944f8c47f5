// Helpers of the vector expressions (vectors.cpp) and their built-in
// functions (vector_functions.cpp). Internal to script/.
#pragma once

#include <complex>
#include <string>

#include "script/vectors.hpp"

namespace simcore::script {

using cplx = std::complex<double>;

inline Vec scalar(double v) {
  Vec r;
  r.re = {v};
  return r;
}

// f of every element (complexOut: keep the imaginary parts); the scale and
// plot of a stay.
template <class F>
Vec mapAll(const Vec& a, bool complexOut, F f) {
  Vec r;
  r.complex = complexOut;
  r.re.resize(a.size());
  if (complexOut) r.im.resize(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    cplx z = f(a.at(i));
    r.re[i] = z.real();
    if (complexOut) r.im[i] = z.imag();
  }
  r.scale = a.scale;
  r.plot = a.plot;
  return r;
}

// The built-in one-argument function f of nutmeg's expressions (db, mag, ph,
// mean, deriv, ...) of a; throws an Error (ErrorCode::Semantic) for an unknown
// name or a bad argument.
Vec builtinFunction(const std::string& f, const Vec& a, const EvalContext& ctx);

}  // namespace simcore::script
