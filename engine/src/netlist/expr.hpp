// Arithmetic expressions of .param values and {braces}: + - * / ^ ** (power is
// right-associative and binds tighter than unary minus), comparisons, && || !,
// cond ? a : b, numbers with SPICE suffixes, functions and the constant pi.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "simcore/result.hpp"

namespace simcore::netlist {

// Expression text and where its first character sits in the source.
struct ExprSrc {
  std::string_view text;
  const std::string* file = nullptr;
  std::uint32_t line = 0;
  std::uint32_t col = 0;
};

class ParamLookup {
 public:
  // name is lower case; throws NetlistError (e.g. undefined parameter at `at`).
  virtual double lookup(std::string_view name, const SourceLoc& at) = 0;

 protected:
  ~ParamLookup() = default;
};

// Budget of nesting levels (parentheses, unary operators, calls) shared by an
// expression and the parameter expressions it pulls in, so the recursion
// depth stays bounded (each level costs a few hundred bytes of stack).
inline constexpr int kMaxExprDepth = 1000;

// Evaluates an expression; throws NetlistError with the column of the
// offending character (division by zero, unknown function, syntax error...).
// `depth` is the nesting already in use by enclosing evaluations.
double evalExpr(const ExprSrc& src, ParamLookup& env, int& depth);

}  // namespace simcore::netlist
