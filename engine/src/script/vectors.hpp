// Vectors and vector expressions of `.control` scripts (ngspice's nutmeg):
// `let m = mean(v(out))`, `print db(v(out)) v(out)[3]`, `if k < 3`.
// Pure: no I/O.
#pragma once

#include <complex>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "devices/ngrandom.hpp"
#include "simcore/result.hpp"

namespace simcore::script {

// A real or complex vector; `scale` is the x vector of the plot it belongs to
// (time, frequency, the swept source), null for a constant or a scalar.
struct Vec {
  std::string name;
  bool complex = false;
  std::vector<double> re, im;  // im has re.size() entries when complex
  const Vec* scale = nullptr;
  int plot = -1;               // the plot it came from (print's header), -1: constants
  char type = 0;               // an analysis's node voltage 'v' or current 'i' (allv, alli); 0: other

  std::size_t size() const { return re.size(); }
  std::complex<double> at(std::size_t i) const { return {re[i], complex ? im[i] : 0.0}; }
};

// Finds a vector by its lower-case name ("out", "v1#branch", "time", a let
// vector); null when there is none.
using Lookup = std::function<const Vec*(const std::string& name)>;

// A function of `define NAME(a, b) EXPRESSION`: its parameter names (lower
// case) and its expression text.
struct UserFunction {
  std::vector<std::string> params;
  std::string body;
};

// The user functions by name and number of arguments (null: none such).
using FunctionLookup = std::function<const UserFunction*(const std::string& name, std::size_t arity)>;

struct EvalContext {
  Lookup lookup;
  dev::NgRandom* rng = nullptr;    // rnd() sunif() sgauss() ...; null: they are errors
  int rndseed = 1;                 // the variable rndseed (ngspice's checkseed reseeds when it changes)
  FunctionLookup function;         // define'd functions; empty: none
  // `set units=degrees` (ngspice's cx_degrees): ph, cph, vp, unwrap and atan give degrees,
  // sin, cos, tan and their hyperbolic twins take them
  bool degrees = false;
};

// The variables a script finds set before its first `set`: ngspice's
// `oscompiled` (the platform it was built for) is 0, "other": simcore's engine
// runs the same on every platform (natively, in the browser, on a server).
std::map<std::string, std::vector<std::string>> presetVariables();

// ngspice's variable rndseed as a number (fallback when unset or not a number).
int rndseedOf(const std::map<std::string, std::vector<std::string>>& vars, int fallback);
// The command `setseed [N]`: seeds g with N (N > 0, and sets rndseed to N) or
// with rndseed; false and `why` (ngspice's warning) when N is not a seed.
bool setSeed(dev::NgRandom& g, std::map<std::string, std::vector<std::string>>& vars, std::string_view args,
             std::string& why);

// `define f(a, b) EXPRESSION` read into (name, function); false and `why` when
// the head is not NAME(PARAM, ...).
bool parseDefine(std::string_view args, std::string& name, UserFunction& f, std::string& why);

// Every expression of `text`, left to right (`print v(out) in db(v(a))`):
// an expression goes on while a binary operator follows. Names are
// lower-cased; numbers take SPICE suffixes (1k, 2.2u).
Result<std::vector<Vec>> evaluateList(std::string_view text, const EvalContext& ctx);

// Exactly one expression.
Result<Vec> evaluateOne(std::string_view text, const EvalContext& ctx);

// The vector of `compose NAME values V1 V2 ...`, `compose NAME start=A stop=B
// step=S` or `compose NAME [start=A] [stop=B] [step=S] lin=N`, as ngspice 39
// makes it (N = (stop - start) / step + 1, truncated); its name is NAME.
Result<Vec> composeVector(std::string_view args, const EvalContext& ctx);

// True when some element is nonzero (the truth of `if` / `while` conditions).
bool truth(const Vec& v);

// The words of `text` that may name a vector ("v(out)" gives "v" and "out").
std::vector<std::string> vectorWords(std::string_view text);

// ngspice's brace expansion of a command's words (csh's, glob.c): outside
// quotes a word `a{b,c}d` is the words `abd acd`, `{x}` is `x` (so
// `print {(t1+t2)/2}` prints (t1+t2)/2), nested braces expand inside out;
// a word whose '{' is never closed stays as it is. Other text is unchanged.
std::string expandBraces(std::string_view text);

// ngspice's number format of print: %.6e, negatives %.5e (same width).
std::string printNumber(double v);

}  // namespace simcore::script
