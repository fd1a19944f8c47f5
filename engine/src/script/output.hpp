// The text and files .control commands produce, in ngspice 39's layouts:
// print (columns and lines), wrdata, write (raw files), fourier. Pure.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "script/runner.hpp"
#include "script/vectors.hpp"

namespace simcore::script {

// The arguments of `set`: `x`, `x = 5`, `x=5 y=2`, `x = ( 1 2 3 )`, `x = "a b"`
// as (name, values); a flag has no values.
std::vector<std::pair<std::string, std::vector<std::string>>> parseSetArgs(std::string_view args);

// A variable of the script itself (wrdata's appendwrite, wr_singlescale, wr_vecnames, numdgt;
// print's width, height, ...): `option NAME` sets it as `set` does, not the circuit's option.
bool isScriptVariable(std::string_view name);

// Why `name` may not be a file a script writes (empty: it may): files stay
// below the current folder (no absolute path, no "..", no empty name).
std::string badFileName(const std::string& name);

struct PrintSettings {
  int width = 80;    // set width
  int height = 60;   // lines per page (set height)
  bool nobreak = false;
  bool noprintscale = false;
};

// `print` of vectors with more than one element: a table per page, the plot's
// scale first; `plot` gives the title and analysis name of the header.
std::string printColumns(const std::vector<Vec>& vecs, const Plot& plot, const PrintSettings& settings);
// `print` of scalars (`name = value`) and `print line` (`name = ( v1 v2 ... )`).
std::string printLines(const std::vector<Vec>& vecs);

// wrdata: per row, for each vector its scale value then its value (complex:
// real and imaginary), each as "% .8e " (`digits` after the point: ngspice's numdgt; 0: 8).
std::string wrdataText(const std::vector<Vec>& vecs, bool singleScale, bool vecNames, int digits = 0);

// A raw file of `plot` with the vectors `vecs` (its scale first), ASCII or
// binary; "!" + message when the vectors do not fit the plot.
std::string rawText(const Plot& plot, const std::vector<Vec>& vecs, bool ascii);

struct FourierSettings {
  int harmonics = 10;  // nfreqs (the DC term counts)
  int gridSize = 200;  // fourgridsize
  int degree = 1;      // polydegree: 0 uses the samples as they are, 1 interpolates linearly
};

// ngspice's fourier of `v` over the last period 1/f0 of its time scale.
bool fourierText(const Vec& v, double f0, const FourierSettings& settings, std::string& text, std::string& why);

// y(x) by linear interpolation on increasing xs (held at the ends).
double interpolateLinear(const std::vector<double>& xs, const std::vector<double>& ys, double x);

}  // namespace simcore::script
