// Interpolation of XSPICE's table2d / table3d code models (ngspice 39
// semantics, written from its description):
//   value        bilinear (2-D) or trilinear (3-D) between the grid points
//                around the input, the input clamped to the table's range
//   derivatives  essentially non-oscillatory (ENO) interpolation of order
//                `order` (the model's order=): along x, a Newton polynomial
//                through `order` neighbouring samples, the stencil (among
//                those that contain the cell) whose highest difference is
//                smallest in magnitude (ties averaged); along y (and z) the
//                same, through 2·order−2 rows (planes) around the cell. The
//                derivative in index units is divided by the local spacing
//                (centred difference of the axis; one-sided at its ends).
//   outside      the value stays at the edge; the partial derivative along
//                that axis ramps to 0 over 1/8 of the last spacing.
// As in ngspice 39, ENO receives the input's offset from its grid point in
// the axis' units where it counts grid steps: on an axis whose spacing is
// not 1 the derivatives are those at a point scaled toward the grid point
// (kept here: the results agree with ngspice's). The value and the derivatives are thus not exactly consistent (as in
// ngspice, whose authors found the pair converges best).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace simcore::dev::table {

// A table as the netlist reader hands it over (netlist/xspice_files.hpp):
// axes x, y, z (z of one point, 0, for a 2-D table) and data indexed
// [(k·ny + j)·nx + i] for x[i], y[j], z[k].
struct Grid {
  int dims = 2;
  std::vector<double> x, y, z;
  std::vector<double> data;
  // Set by prepare(): the forward differences along x of every row for ENO
  // of order `order`, diff[(r·order + k)·nx + j] = Δ^k of row r at x[j].
  int order = 0;
  std::vector<double> diff;
  double at(std::size_t i, std::size_t j, std::size_t k = 0) const { return data[(k * y.size() + j) * x.size() + i]; }
};

// Decodes the reader's vector [dims, nx, ny, nz, x..., y..., z..., data...].
// Returns an empty string or what is wrong.
std::string decode(const std::vector<double>& v, Grid& g);

// Whether `order` fits the table (ENO needs order points along x and
// 2·order−2 along y and z); an empty string or why not.
std::string checkOrder(const Grid& g, int order);

// Precomputes g's differences along x for ENO of the given order (what
// evaluate() would otherwise compute at every call; the results are the same).
void prepare(Grid& g, int order);

// One-dimensional ENO of the given order through c[0..n-1] at grid index i
// plus offset t (index units): the value and d/dt.
void eno1(const double* c, int n, int order, int i, double t, double& f, double& df);

// Evaluation at (u[0], u[1], u[2]) (u[2] ignored for 2-D): the interpolated
// table value and its partial derivatives d[0..dims-1] per unit input.
struct Eval {
  double value = 0;
  double d[3] = {0, 0, 0};
};
Eval evaluate(const Grid& g, int order, const double* u);

}  // namespace simcore::dev::table
