// The operations of expressions (simcore/expression.hpp) with ngspice's
// run-time semantics and their partial derivatives, the table of function
// names the netlist parser reads, and the evaluator of a folded expression
// with its gradient (forward mode) for Newton and the .ac linearisation.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "simcore/expression.hpp"

namespace simcore::dev {

struct ExprFunction {
  const char* name;  // lower case
  ir::ExprOp op;
  int minArgs;
  int maxArgs;  // -1: any number (pwl, table: x and pairs)
  // LTspice's names (buf, inv, round, ...): a .func of the same name, which
  // decks written for ngspice may have, takes their place
  bool yieldsToFunc = false;
};

// Every function an expression may call, in the order the docs list them.
std::span<const ExprFunction> exprFunctions();
const ExprFunction* findExprFunction(std::string_view lname);

// Value of `op` applied to the operand values a[0..n) (ngspice's run-time
// meaning: x^y is |x|^y, x/0 is +inf, sqrt and ln of a negative are +inf);
// when `partial` is not null it receives d value / d a[k] for each k.
// Not for Const, Var, Param, Time, Temper, Hertz, UserFunc.
double applyExprOp(ir::ExprOp op, const double* a, std::size_t n, double* partial);

// Where a pwl()/table() breakpoint list x1 y1 x2 y2 ... (at a) is malformed:
// -1 when fine, else the index (in a) of the first x that is smaller than
// the one before it.
int badBreakpoints(const double* a, std::size_t n);

// XSPICE's pwl curve (ngspice 39's pwl code model; E and G TABLE sources are
// that model with smooth = 0.1, fraction and limit): through the n >= 2
// breakpoints (x[k·stride], y[k·stride]), x not decreasing, extended at each
// end by one more segment as long as the end one, along which the curve goes
// on straight or, with `limit`, flat. Every corner, the two end ones too, is
// rounded by a parabola over ±d around it, d = smooth times the shorter of
// the two segments beside it (`fraction`), else d = smooth; a corner between
// a zero-length segment (a step) and another stays sharp. Returns y at u and
// dy/du in *slope.
double xspicePwl(const double* x, const double* y, std::size_t stride, std::size_t n, double u, double smooth,
                 bool fraction, bool limit, double* slope);

// Time, temperature and frequency an expression sees.
struct ExprEnv {
  double time = 0.0;    // s
  double temper = 27.0; // degC
  double hertz = 0.0;   // Hz
};

// Evaluates one folded expression (no Param or UserFunc nodes) many times.
class ExprProgram {
 public:
  explicit ExprProgram(const ir::Expression& e);
  std::size_t vars() const { return nv_; }
  // Value at vars[0..vars()); grad (may be null) receives d value / d vars[k].
  double eval(const double* vars, const ExprEnv& env, double* grad);
  // Breakpoints of pwl(time, ...) / table(time, ...) nodes: the first x
  // strictly after t (1e300 when none).
  double nextBreakpoint(double t) const;

 private:
  const ir::Expression* e_;
  std::size_t nv_;
  std::vector<double> val_;  // per node
  std::vector<double> der_;  // per node: nv_ partials
  std::vector<double> args_, part_;
};

}  // namespace simcore::dev
