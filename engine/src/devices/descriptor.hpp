// Device descriptors: what a device kind is, declared once. The netlist reader
// (card form, node counts, model types, flags), parameter validation and
// defaults (ParamValues), the circuit description (describe()) and the
// parameter tables of docs/devices.md (simcore_gen_docs) all read these.
//
// A kind's descriptor lives in its own file next to its DeviceGroup and is
// listed in the one table of devices/registry.cpp (no self-registration).
#pragma once

#include <array>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "simcore/ir.hpp"
#include "simcore/result.hpp"

namespace simcore::dev {

class DeviceGroup;

enum class ParamScope { Instance, Model };

inline constexpr double kNoDefault = std::numeric_limits<double>::quiet_NaN();

// One parameter of a device kind.
struct ParamSpec {
  const char* name = "";   // lower case, as written (w=, is=)
  ParamScope scope = ParamScope::Instance;
  double def = kNoDefault;  // value used when not given; NaN: none, or taken from the context
  const char* unit = "";   // SI unit; "" for dimensionless
  const char* doc = "";    // one line for the docs table
  std::array<const char*, 2> aliases{};  // other spellings (cj0, cj), unused slots null
  const char* defaultText = nullptr;     // docs: shown instead of def (".options temp", "∞")
  bool flag = false;                     // a bare word (off): value 1 when present
  bool vector = false;                   // takes a [ ... ] vector (code models); def is each element's default
  const char* keywords = nullptr;        // words it accepts instead of a number, blank-separated:
                                         // "triangle sawtooth" reads triangle as 0, sawtooth as 1
  int level = 0;                         // model parameter of one LEVEL of a kind whose levels share a
                                         // table (HFET1/HFET2): 0 every level; under another level
                                         // the reader warns and drops it, as ngspice 39

  constexpr ParamSpec aka(const char* a, const char* b = nullptr) const {
    ParamSpec p = *this;
    p.aliases = {a, b};
    return p;
  }
  constexpr ParamSpec shown(const char* text) const {
    ParamSpec p = *this;
    p.defaultText = text;
    return p;
  }
  constexpr ParamSpec onlyLevel(int l) const {
    ParamSpec p = *this;
    p.level = l;
    return p;
  }
  constexpr ParamSpec vec() const {
    ParamSpec p = *this;
    p.vector = true;
    return p;
  }
  constexpr ParamSpec words(const char* w) const {
    ParamSpec p = *this;
    p.keywords = w;
    return p;
  }
  // The value of keyword `w` (its position in `keywords`), or -1 when it is not one.
  int keywordValue(std::string_view w) const;
  // True when `n` is this parameter's name or one of its aliases.
  bool matches(std::string_view n) const;
};

constexpr ParamSpec iparam(const char* name, double def, const char* unit, const char* doc) {
  return ParamSpec{name, ParamScope::Instance, def, unit, doc};
}
constexpr ParamSpec mparam(const char* name, double def, const char* unit, const char* doc) {
  return ParamSpec{name, ParamScope::Model, def, unit, doc};
}
constexpr ParamSpec flagParam(const char* name, const char* doc) {
  ParamSpec p{name, ParamScope::Instance, 0.0, "", doc};
  p.flag = true;
  return p;
}
// A bare word on the .model card (LTRA's nosteplimit, HFET's phfet): value 1 when present.
constexpr ParamSpec modelFlag(const char* name, const char* doc) {
  ParamSpec p{name, ParamScope::Model, 0.0, "", doc};
  p.flag = true;
  return p;
}

// Instance parameters many kinds share.
inline constexpr ParamSpec kTempParam = iparam("temp", kNoDefault, "°C", "instance temperature").shown(".options temp");
inline constexpr ParamSpec kDtempParam = iparam("dtemp", 0.0, "°C", "temperature offset from the circuit's");
inline constexpr ParamSpec kMultParam = iparam("m", 1.0, "", "parallel copies");
// A MOSFET's initial voltages for .tran ... uic (SPICE's IC=vds,vgs,vbs; the
// terminals' initial node values when not given), as ngspice's getic.
inline constexpr ParamSpec kIcVdsParam =
    iparam("icvds", kNoDefault, "V", "initial d-s voltage with .tran uic (also IC=vds,vgs,vbs)").shown("from the nodes");
inline constexpr ParamSpec kIcVgsParam =
    iparam("icvgs", kNoDefault, "V", "initial g-s voltage with .tran uic").shown("from the nodes");
inline constexpr ParamSpec kIcVbsParam =
    iparam("icvbs", kNoDefault, "V", "initial b-s voltage with .tran uic").shown("from the nodes");
inline constexpr ParamSpec kTc1Param = iparam("tc1", 0.0, "1/°C", "first-order temperature coefficient");
inline constexpr ParamSpec kTc2Param = iparam("tc2", 0.0, "1/°C²", "second-order temperature coefficient");
inline constexpr ParamSpec kTnomParam =
    mparam("tnom", kNoDefault, "°C", "nominal temperature of the parameters").shown(".options tnom");
// Model parameters the junction devices (D, Q, M) share.
inline constexpr ParamSpec kFcParam = mparam("fc", 0.5, "", "forward-bias depletion capacitance coefficient");
inline constexpr ParamSpec kKfParam =
    mparam("kf", kNoDefault, "", "flicker noise coefficient: accepted and ignored").shown("—");
inline constexpr ParamSpec kAfParam =
    mparam("af", kNoDefault, "", "flicker noise exponent: accepted and ignored").shown("—");
// The same for the kinds whose noise .noise computes (R, D, Q, J, M levels 1-3, VDMOS).
inline constexpr ParamSpec kKfNoiseParam = mparam("kf", 0.0, "", "flicker noise coefficient (.noise)");
inline constexpr ParamSpec kAfNoiseParam = mparam("af", 1.0, "", "flicker noise exponent (.noise)");
// Parameters the switches (S, W) share; the threshold and hysteresis differ.
inline constexpr ParamSpec kSwitchOnParam = flagParam("on", "the DC analysis starts with the switch on");
inline constexpr ParamSpec kSwitchOffParam =
    flagParam("off", "the DC analysis starts with the switch off (the default)");
inline constexpr ParamSpec kSwitchRonParam = mparam("ron", 1.0, "Ω", "on resistance");
inline constexpr ParamSpec kSwitchRoffParam = mparam("roff", kNoDefault, "Ω", "off resistance").shown("1/gmin (1e12)");

// How a card of this kind is written (the netlist reader's dispatch).
enum class CardForm {
  TwoTerminal,  // R C L: 2 nodes, value and/or a model of the letter's type, name=value
  Coupling,     // K: two inductor names and a coefficient
  Source,       // V I: 2 nodes, [DC] value, AC, one transient function
  Controlled,   // E G: 4 nodes and a gain; F H: 2 nodes, a controlling source and a gain
  ModelCard,    // D Q M S W: nodes, [controlling source], model, [positional value], name=value, flags
  CodeModel,    // A: XSPICE-style ports (node, %v(n), %vd(a b), [ vectors ]), then the model name
  Behavioural,  // B: 2 nodes, V=expr or I=expr (and the expression forms of E F G H)
};

struct DeviceKind {
  char letter = 0;          // lower case
  const char* name = "";    // "resistor", as in messages
  CardForm form = CardForm::TwoTerminal;
  int minNodes = 2, maxNodes = 2;
  int branches = 0;         // branch-current unknowns per instance (V L E H: 1)
  int refs = 0;             // named devices it refers to (K: 2 inductors; F H W: 1 voltage source)
  char refLetter = 0;
  std::span<const char* const> modelTypes = {};  // accepted .model types (empty: no model)
  std::span<const ParamSpec> params = {};
  const char* positional = nullptr;  // ModelCard: the optional positional value's parameter ("area")
  const char* modelNoun = nullptr;   // model-parameter messages ("switch"); null: name
  const char* valueDoc = nullptr;    // docs: the card's syntax
  std::unique_ptr<DeviceGroup> (*create)(std::vector<const ir::Device*> instances) = nullptr;
  // Some instances of this kind need another kind (a group of their own, another stamp:
  // BSIM3 with NQSMOD 1 and its extra node): that kind, else nullptr. kindOf() applies it.
  const DeviceKind* (*variant)(const ir::Device& d, const ir::Model& m) = nullptr;
  // A kind reached only through that kind's variant (same parameters, documented there).
  const DeviceKind* variantOf = nullptr;

  // The spec of a parameter by name or alias in a scope (nullptr when none).
  const ParamSpec* find(ParamScope scope, std::string_view name) const;
  bool hasModelParams() const;
};

// The one list of kinds (devices/registry.cpp), in set-up order. Several
// kinds may share a letter when their model types differ (D with a D model
// is a junction diode, with a PWLDIODE model an ideal piecewise-linear one);
// the first kind of a letter sets the card form, node counts and flags that
// the reader checks before the model is known.
const std::vector<DeviceKind>& registry();
// The first kind of a letter (nullptr when none).
const DeviceKind* findKind(char letter);
// The kind of a letter whose model types include `modelType` (nullptr when none).
const DeviceKind* findKind(char letter, std::string_view modelType);
// The behavioural source kind (behavioural.cpp, in registry()) of a device with a behaviour.
const DeviceKind& behaviouralKind(const ir::Device& d);
// The kind of a device: behavioural when it has a behaviour, else by its
// model's type, else the letter's first kind.
const DeviceKind* kindOf(const ir::Device& d, const std::vector<ir::Model>& models);
// k, or the kind its variant() gives for this instance and model.
const DeviceKind* variantFor(const DeviceKind& k, const ir::Device& d, const ir::Model& m);
// A model whose LEVEL selects another kind of its letter: "TYPE@LEVEL" (nmos@3); "" for level 1 or none.
std::string levelModelType(const ir::Model& m);

// A model parameter's value as a message writes it: a whole number as such (LEVEL 3),
// anything else (1e12 from a mistyped "1tabl", 2.5) as %g; never a cast out of range.
std::string valueText(double v);

// Every instance parameter of d must be one of kind's instance parameters;
// the error (at the parameter) names the accepted ones.
Status checkInstanceParams(const DeviceKind& kind, const ir::Device& d);
// Likewise for the model's parameters.
Status checkModelParams(const DeviceKind& kind, const ir::Model& m);
// Node count within [minNodes, maxNodes].
Status checkNodes(const DeviceKind& kind, const ir::Device& d);

// A kind's parameter look-ups resolved once, for the set-up of many
// instances: names (and aliases) by hash instead of a scan of the descriptor
// with string compares, and each model's given value of every parameter found
// once per model (instances share a handful of models). Gives exactly what
// DeviceKind::find and ParamValues without an index give. Filled on first use
// of a name table or a model: one thread at a time (device set-up).
class ParamIndex {
 public:
  explicit ParamIndex(const DeviceKind& kind);
  const DeviceKind& kind() const { return kind_; }
  // As DeviceKind::find.
  const ParamSpec* find(ParamScope scope, std::string_view name) const;
  // The parameter of m given for `spec` (its name, else its aliases in
  // order; the first given in m's list), or nullptr.
  const ir::Param* givenInModel(const ir::Model& m, const ParamSpec& spec) const;
  // checkModelParams(kind(), m), checked once per model.
  Status checkModel(const ir::Model& m) const;
  // checkInstanceParams(kind(), d).
  Status checkInstance(const ir::Device& d) const;

 private:
  struct NameHash {  // FNV-1a: parameter names are a few characters
    std::size_t operator()(std::string_view n) const {
      std::size_t h = 14695981039346656037ull;
      for (const char c : n) h = (h ^ std::size_t(static_cast<unsigned char>(c))) * 1099511628211ull;
      return h;
    }
  };
  const DeviceKind& kind_;
  std::unordered_map<std::string_view, int, NameHash> names_[2];  // by scope: name or alias -> index in kind.params (first wins)
  mutable std::unordered_map<const ir::Model*, std::vector<const ir::Param*>> models_;  // by spec index
  mutable std::unordered_set<const ir::Model*> checked_;  // models checkModel passed
};

// Parameter values of one instance (and its model) with the descriptor's
// defaults. Names are the descriptor's primary names; a given alias counts
// (the first of name, aliases that is given wins).
class ParamValues {
 public:
  ParamValues(const DeviceKind& kind, const ir::Device& d, const ir::Model* m) : kind_(kind), d_(d), m_(m) {}
  // The same values, looked up through `index` (of `kind`).
  ParamValues(const ParamIndex& index, const ir::Device& d, const ir::Model* m)
      : kind_(index.kind()), d_(d), m_(m), index_(&index) {}
  // Given value, else the descriptor's default (NaN when it has none).
  double inst(std::string_view name) const { return get(ParamScope::Instance, name, nullptr); }
  double model(std::string_view name) const { return get(ParamScope::Model, name, nullptr); }
  // Given value, else `fallback` (for defaults that come from the context).
  double inst(std::string_view name, double fallback) const { return get(ParamScope::Instance, name, &fallback); }
  double model(std::string_view name, double fallback) const { return get(ParamScope::Model, name, &fallback); }
  // A vector model parameter: its elements as given (a scalar counts as a
  // vector of one), else empty.
  std::vector<double> modelVector(std::string_view name) const;
  bool hasInst(std::string_view name) const { return given(ParamScope::Instance, name) != nullptr; }
  bool hasModel(std::string_view name) const { return given(ParamScope::Model, name) != nullptr; }

 private:
  double get(ParamScope scope, std::string_view name, const double* fallback) const;
  const ir::Param* given(ParamScope scope, std::string_view name) const;
  const ParamSpec* spec(ParamScope scope, std::string_view name) const {
    return index_ ? index_->find(scope, name) : kind_.find(scope, name);
  }
  const DeviceKind& kind_;
  const ir::Device& d_;
  const ir::Model* m_;
  const ParamIndex* index_ = nullptr;
};

// A MOSFET's IC=vds,vgs,vbs (kIcVdsParam ...): NaN where not given.
inline std::array<double, 3> mosInitialVoltages(const ParamValues& P) {
  std::array<double, 3> v;
  const char* names[3] = {"icvds", "icvgs", "icvbs"};
  for (std::size_t k = 0; k < 3; ++k) v[k] = P.hasInst(names[k]) ? P.inst(names[k]) : kNoDefault;
  return v;
}

// ParamValues read through a memo keyed by the name's address, for code that
// reads the same parameters by the same string literals again and again (a
// self-heating device maps its model to the junction temperature in every
// Newton iteration): each name is looked up once. The names must be string
// literals (static storage; hence const char*, not string_view). Not shared
// between threads.
class ParamMemo {
 public:
  explicit ParamMemo(const ParamValues& values) : v_(values) {}
  double inst(const char* name) const { return at(ParamScope::Instance, name).value; }
  double model(const char* name) const { return at(ParamScope::Model, name).value; }
  double inst(const char* name, double fallback) const {
    const Entry& e = at(ParamScope::Instance, name);
    return e.given ? e.value : fallback;
  }
  double model(const char* name, double fallback) const {
    const Entry& e = at(ParamScope::Model, name);
    return e.given ? e.value : fallback;
  }
  bool hasInst(const char* name) const { return at(ParamScope::Instance, name).given; }
  bool hasModel(const char* name) const { return at(ParamScope::Model, name).given; }

 private:
  struct Entry {
    const char* name;
    ParamScope scope;
    bool given;
    double value;  // given, else the descriptor's default
  };
  const Entry& at(ParamScope scope, const char* name) const {
    for (const Entry& e : memo_)
      if (e.name == name && e.scope == scope) return e;
    const bool given = scope == ParamScope::Instance ? v_.hasInst(name) : v_.hasModel(name);
    const double value = scope == ParamScope::Instance ? v_.inst(name) : v_.model(name);
    memo_.push_back(Entry{name, scope, given, value});
    return memo_.back();
  }
  ParamValues v_;
  mutable std::vector<Entry> memo_;
};

}  // namespace simcore::dev
