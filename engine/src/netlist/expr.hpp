// Expressions of the netlist, one grammar for two uses:
//   * values (.param, {braces}, instance values) are evaluated to a number
//     while the netlist is read (evalExpr);
//   * behavioural expressions (B sources, E/G VALUE=, TABLE) are compiled
//     into an ir::Expression over v(), i(), time, temper and hertz, with every
//     parameter and constant sub-expression folded (compileExpr); the
//     analyses evaluate it (devices/expr_eval.hpp).
// Grammar: cond ? a : b, || && (left), == != < <= > >=, + -, * / %, unary
// + - !, ^ and ** (right-associative, binding tighter than unary minus:
// -2^2 = -4), parentheses ({ } count as parentheses), numbers with SPICE
// suffixes, pi, functions (devices/expr_eval.cpp's table, plus .func
// definitions and the random functions agauss gauss unif aunif limit).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "simcore/expression.hpp"
#include "simcore/result.hpp"

namespace simcore::netlist {

// k/q in V/K as ngspice's PSpice mode writes its VT: (temper + 273.15) * 8.6173303e-5
inline constexpr double kPspiceVtPerKelvin = 8.6173303e-5;

// Expression text and where its first character sits in the source.
struct ExprSrc {
  std::string_view text;
  const std::string* file = nullptr;
  std::uint32_t line = 0;
  std::uint32_t col = 0;
};

enum class ExprMode {
  Value,      // v(), i(), time, hertz are not available
  Behaviour,  // run-time quantities allowed
};

// .func name(args) = body. The body is parsed once (Behaviour mode) and
// expanded at every call.
struct FuncDef {
  std::string name;
  std::vector<std::string> args;  // lower case
  ir::Expression body;
};

class ParamLookup {
 public:
  // name is lower case; throws NetlistError (e.g. undefined parameter at `at`).
  virtual double lookup(std::string_view name, const SourceLoc& at) = 0;
  // A parameter of that name is defined here (for names with a meaning of
  // their own when none is: PSpice's temp in a behavioural expression).
  virtual bool defines(std::string_view) { return false; }
  // The .func of that name visible here, or null.
  virtual const FuncDef* func(std::string_view name) { return nullptr; }
  // Behaviour mode: the expression of the .param `name` when it reads
  // temper (folded in place of its value), else null.
  virtual const FuncDef* temperFunc(std::string_view) { return nullptr; }
  // A random function (agauss gauss unif aunif, limit with two arguments) of
  // constant arguments; throws NetlistError when it has no random source.
  virtual double random(std::string_view name, const std::vector<double>& args, const SourceLoc& at);
  // Behaviour mode: ddt(x), the time derivative of x (compiled, folded): the
  // quantity of the circuit whose negative it is; throws NetlistError where
  // there is none.
  virtual ir::ExprVar timeDerivative(ir::Expression x, const SourceLoc& at);
  // Behaviour mode: LTspice's idt(x, ic) (the integral of x from ic at the
  // operating point) and delay(x, td) (x delayed by td): the quantity of
  // the circuit that is it; throws NetlistError where there is none.
  virtual ir::ExprVar integral(ir::Expression x, double ic, const SourceLoc& at);
  virtual ir::ExprVar delayed(ir::Expression x, double td, const SourceLoc& at);
  // Behaviour mode: the flattened name of node `name` / device `name` as
  // written in v() / i() at `at`.
  virtual std::string nodeName(std::string_view name, const SourceLoc& at) { return std::string(name); }
  virtual std::string deviceName(std::string_view name, const SourceLoc& at) { return std::string(name); }

 protected:
  ~ParamLookup() = default;
};

// Budget of nesting levels (parentheses, unary operators, calls) shared by an
// expression and the parameter expressions it pulls in, so the recursion
// depth stays bounded (each level costs a few hundred bytes of stack).
inline constexpr int kMaxExprDepth = 1000;

// Parses an expression into an unfolded tree (parameters and .func calls by
// name); throws NetlistError with the column of the offending character.
ir::Expression parseExpr(const ExprSrc& src, ExprMode mode, int& depth);

// Evaluates an expression; throws NetlistError with the column of the
// offending character (division by zero, unknown function, syntax error...).
// `depth` is the nesting already in use by enclosing evaluations.
double evalExpr(const ExprSrc& src, ParamLookup& env, int& depth);

// Compiles a behavioural expression: parameters, .func calls and constant
// sub-expressions folded; node and device names flattened through env.
ir::Expression compileExpr(const ExprSrc& src, ParamLookup& env, int& depth);
// The same for a tree already parsed (Behaviour mode) from `src`.
ir::Expression compileTree(const ir::Expression& tree, const ExprSrc& src, ParamLookup& env, int& depth);

// Builds folded expressions directly (POLY, TABLE): nodes appended in
// evaluation order; each call returns the new node's index.
class ExprBuilder {
 public:
  explicit ExprBuilder(ir::Expression& e) : e_(e) {}
  std::uint32_t constant(double v);
  std::uint32_t var(ir::ExprVar::Kind kind, const std::string& name);
  std::uint32_t op(ir::ExprOp op, const std::vector<std::uint32_t>& kids);

 private:
  ir::Expression& e_;
};

}  // namespace simcore::netlist
