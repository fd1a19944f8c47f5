// A behavioural expression evaluated during the analysis (B sources, E/G
// VALUE= and TABLE, POLY(n) on E F G H): a tree of operations over node
// voltages, branch currents, time, temperature and frequency, with every
// parameter already folded to a number by the netlist front end.
//
// Layout: `nodes` in evaluation order (every operand comes before the node
// that uses it, so one forward pass evaluates the whole tree; a node may be
// shared by several users). The value of the expression is nodes.back().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "simcore/result.hpp"

namespace simcore::ir {

enum class ExprOp : std::uint8_t {
  Const,   // value
  Var,     // vars[index]
  Param,   // a parameter by name (names[index]); only in trees the front end has not folded yet
  Time,    // transient time (0 in .op/.dc/.ac), s
  Temper,  // circuit temperature, degC
  Hertz,   // .ac frequency (0 elsewhere), Hz
  // operators (operands in kids)
  Neg, Not, Add, Sub, Mul, Div, Mod, Pow, Eq, Ne, Lt, Le, Gt, Ge, And, Or,
  Cond,    // kids: condition, value if non-zero, value if zero
  // functions
  Abs, Sqrt, Exp, Ln, Log10, Sin, Cos, Tan, Asin, Acos, Atan, Sinh, Cosh, Tanh, Asinh, Acosh, Atanh,
  Floor, Ceil, Int, Nint, Sgn, U, Uramp, Min, Max, Atan2, Pwr, Pwrs, Limit,
  U2,      // ngspice's clipped ramp: 0 below 0, x in [0, 1], 1 above
  Eq0, Ne0, Gt0, Lt0, Ge0, Le0,  // ngspice's comparisons with 0: 1 or 0
  Buf, Inv,  // LTspice's logic: 1 if x > 0.5 else 0, and its inverse
  Hypot,     // sqrt(x^2 + y^2)
  Round,     // nearest integer, halves away from zero (LTspice's round)
  Rand,      // LTspice's rand(x): a number in [0, 1) fixed by the integer floor(x)
  Random,    // LTspice's random(x): rand's values at the integers, joined smoothly (cosine) between them
  Pwl,     // kids: x, x1, y1, x2, y2, ...: linear interpolation, straight lines beyond the ends (ngspice pwl())
  Table,   // kids: x, x1, y1, x2, y2, ...: linear interpolation, held constant beyond the ends;
           // value > 0 (E/G TABLE): XSPICE's pwl, corners rounded over value times the
           // shorter segment beside them (dev::xspicePwl)
  UserFunc,  // .func call (names[index], kids: arguments); only in unfolded trees
};

struct ExprNode {
  ExprOp op = ExprOp::Const;
  double value = 0.0;          // Const; Table: corner rounding (0: none)
  std::uint32_t index = 0;     // Var: index in vars; Param, UserFunc: index in names
  std::uint32_t first = 0;     // operands: kids[first, first + count)
  std::uint32_t count = 0;
  std::uint32_t col = 0;       // offset of the node's text in `text` (messages)
};

// A quantity of the circuit an expression reads.
struct ExprVar {
  enum class Kind { Voltage, Current };
  Kind kind = Kind::Voltage;
  std::string name;  // Voltage: flattened node name ("0" for ground); Current: flattened device name
};

struct Expression {
  std::vector<ExprNode> nodes;
  std::vector<std::uint32_t> kids;  // operand node indices
  std::vector<ExprVar> vars;        // distinct, in order of first use
  std::vector<std::string> names;   // Param / UserFunc names (unfolded trees only)
  std::string text;                 // as written, for messages
  SourceLoc loc;                    // where `text` starts
};

}  // namespace simcore::ir
