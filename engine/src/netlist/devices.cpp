// Device cards: one reader per card form (the kind's descriptor says which,
// with its node counts, model types and flags), producing ir::Device.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <span>

#include "devices/plugin_kind.hpp"
#include "devices/descriptor.hpp"
#include "devices/port_types.hpp"
#include "netlist/frontend.hpp"
#include "netlist/number.hpp"
#include "script/output.hpp"

namespace simcore::netlist {

const char* deviceKindName(const dev::KindTable& kinds, char letter) {
  if (letter == 'x') return "subcircuit instance";
  if (letter == 'a') return "control block";  // one kind per code model: named once the model is known
  const dev::DeviceKind* k = kinds.find(letter);
  return k ? k->name : nullptr;
}

bool isPortKeyword(std::string_view s) {
  return ieq(s, "portnum") || ieq(s, "z0") || ieq(s, "pwr") || ieq(s, "freq") || ieq(s, "phase");
}

bool isSourceKeyword(std::string_view s) {
  return ieq(s, "dc") || ieq(s, "ac") || ieq(s, "acmag") || ieq(s, "acphase") || sourceWaveKind(s) != ir::WaveKind::None ||
         ieq(s, "distof1") ||
         ieq(s, "distof2") || isPortKeyword(s);
}

ir::WaveKind sourceWaveKind(std::string_view s) {
  if (ieq(s, "pulse")) return ir::WaveKind::Pulse;
  if (ieq(s, "sin") || ieq(s, "sine")) return ir::WaveKind::Sin;
  if (ieq(s, "exp")) return ir::WaveKind::Exp;
  if (ieq(s, "pwl")) return ir::WaveKind::Pwl;
  if (ieq(s, "sffm")) return ir::WaveKind::Sffm;
  if (ieq(s, "trnoise")) return ir::WaveKind::TrNoise;
  if (ieq(s, "trrandom")) return ir::WaveKind::TrRandom;
  return ir::WaveKind::None;
}

namespace {

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

class DeviceReader {
 public:
  DeviceReader(Frontend& fe, Frame& f, const Card& c) : fe_(fe), f_(f), c_(c), n_(c.size()) {
    letter_ = lowerChar(c[0].text[0]);
    kind_ = fe.kinds_.find(letter_);
    d.name = f.prefix + lower(c[0].text);
    d.letter = letter_;
    d.loc = locOf(c[0]);
    what_ = std::string(deviceKindName(fe.kinds_, letter_)) + " '" + d.name + "'";
  }

  ir::Device d;
  struct Ref {
    const Token* tok;
    char letter;
    std::size_t owner = 0;  // 0: d, k: aux[k - 1]
    std::size_t pos = 0;    // index in that device's refs (d's: the order of refs)
  };
  std::vector<Ref> refs;
  std::vector<ir::Device> aux;  // devices a behavioural C or L adds (added after d)

 private:
  std::vector<Frontend::BinRef> bins_;  // a binned model's bins (model binning), empty otherwise
  const Token* binTok_ = nullptr;  // the model name of a binned model

 public:

  void read() {
    if (!kind_) failAt(c_[0], ErrorCode::Parse, "unknown device type");
    if (fe_.kinds_.plugin(*kind_)) return pluginCard();
    switch (kind_->form) {
      case dev::CardForm::TwoTerminal: passive(); break;
      case dev::CardForm::Coupling: coupling(); break;
      case dev::CardForm::Source: source(); break;
      case dev::CardForm::Controlled: controlled(); break;
      case dev::CardForm::ModelCard: modelCard(); break;
      case dev::CardForm::CodeModel: codeModel(); break;
      case dev::CardForm::Behavioural: behavioural(); break;
    }
  }

 private:
  [[noreturn]] void expected(const std::string& what) {
    failAt(c_[0], ErrorCode::Parse, "expected " + what + " for " + what_);
  }
  bool isEqAt(std::size_t i) const { return i < n_ && c_[i].kind == TokKind::Eq; }
  bool isWord(std::size_t i) const { return i < n_ && c_[i].kind == TokKind::Word; }
  void nodes(std::size_t k, const std::string& expect) {
    if (n_ < 1 + k) expected(expect);
    for (std::size_t i = 1; i <= k; ++i) {
      if (isEqAt(i + 1) || c_[i].kind == TokKind::Eq) expected(expect);
      d.nodes.push_back(fe_.node(f_, c_[i], what_));
    }
  }
  std::string ref(std::size_t i, char letter) {
    refs.push_back(Ref{&c_[i], letter});
    return f_.prefix + lower(c_[i].text);
  }
  double value(std::size_t i) { return fe_.evalValue(c_[i], f_); }
  // An instance parameter's value, which may read temper (as ngspice 39,
  // not on V I B E F G H cards): *temper gets its expression when it does.
  double value(std::size_t i, std::shared_ptr<const ir::Expression>* temper) {
    if (std::string_view("vibefgh").find(letter_) != std::string_view::npos) return value(i);
    return fe_.evalTemperValue(c_[i], f_, temper);
  }

  // Resolves the model named by token i and checks its type against the kind's.
  void model(std::size_t i) {
    if (!isWord(i)) expected("a model name");
    std::string name = lower(c_[i].text);
    int idx = fe_.findModel(f_, name);
    if (idx < 0 && letter_ == 'm') {
      // a binned model (nch.1, nch.2, ...): the bin is chosen by L and W once
      // the parameters are read (chooseBin); its first bin gives the kind until then
      bins_ = fe_.findModelBins(f_, name);
      for (const Frontend::BinRef& b : bins_) {  // the first bin that reads
        idx = fe_.findModel(*b.frame, b.name);
        if (idx >= 0) break;
      }
      if (idx >= 0) binTok_ = &c_[i];
    }
    if (idx < 0 && isEqAt(i + 1)) {
      // a name=value where the model belongs: too few nodes before it
      for (std::size_t j = 1; j < i; ++j)
        if (isWord(j) && fe_.findModel(f_, lower(c_[j].text)) >= 0)
          failAt(c_[j], ErrorCode::Parse,
                 "'" + lower(c_[j].text) + "' names a model but stands where " + what_ +
                     " expects a node: a node is missing before it");
      failAt(c_[i], ErrorCode::Parse, "expected a model name for " + what_ + ", found the parameter '" + name + "='");
    }
    if (idx < 0) {
      if (const Error* bad = fe_.findBadModel(f_, name)) {
        Error e = *bad;
        e.message = "model '" + name + "' of " + what_ + " (" + locOf(c_[i]).file + ":" + std::to_string(c_[i].line) +
                    ") cannot be read: " + e.message;
        throw NetlistError{std::move(e)};
      }
      failAt(c_[i], ErrorCode::Semantic, "unknown model '" + name + "' for " + what_);
    }
    if (letter_ == 'y') idx = lineAsCoupled(idx);
    const ir::Model& m = fe_.c_.models[static_cast<std::size_t>(idx)];
    // any kind of this letter whose model types include m's (its parameters and flags apply from here on)
    // (a level that selects a kind of its own, npn@4, gives that kind: its node counts)
    const std::string level = dev::levelModelType(m);
    const dev::DeviceKind* variant = level.empty() ? nullptr : fe_.kinds_.find(letter_, level);
    if (!variant) variant = fe_.kinds_.find(letter_, m.type);
    if (!variant && letter_ == 'd' && m.type == "sidiode") {
      // LTspice's simple diode (elaborate.cpp): the sidiode code model on the port (a k)
      variant = fe_.kinds_.find('a', m.type);
      d.letter = 'a';
    }
    std::string need;
    for (const dev::DeviceKind* k : fe_.kinds_.all())
      if (k->letter == letter_)
        for (const char* t : k->modelTypes)
          if (std::string_view(t).find('@') == std::string_view::npos)  // nmos@3: a level's kind, chosen by kindOf()
            need += (need.empty() ? "" : " or ") + std::string(t);
    if (variant) {
      kind_ = variant;
      fe_.dropForeignParams(idx, *variant);
    }
    if (!variant)
      failAt(c_[i], ErrorCode::Semantic,
             "model '" + name + "' is a " + m.type + " model, " + std::string(1, static_cast<char>(letter_ - 32)) +
                 " needs " + need);
    d.model = idx;
  }

  // The kind's flags (bare words such as off).
  std::vector<const char*> flags() const {
    std::vector<const char*> out;
    for (const dev::ParamSpec& p : kind_->params)
      if (p.flag) out.push_back(p.name);
    return out;
  }

  // name=value pairs, flags, and (when allowed) one positional value.
  void params(std::size_t i, std::span<const char* const> flags, bool positional) {
    bool positionalSeen = false;
    while (i < n_) {
      const Token& t = c_[i];
      if (t.kind == TokKind::Word && isEqAt(i + 1)) {
        // CIDER's ic.file= (a state file a former run wrote with its output card): not read
        if (ieq(t.text, "ic.file") && i + 2 < n_ && std::any_of(kind_->modelTypes.begin(), kind_->modelTypes.end(), [](const char* m) { return isCiderModelType(m); })) {
          fe_.warnOnce(t, "cider-icfile:" + d.name,
                       "ic.file= of '" + d.name + "' ignored: simcore does not read CIDER's state files (the device "
                       "starts from its own operating point, as ngspice when the file cannot be read)");
          i += 3;
          continue;
        }
        if (i + 2 >= n_ || (c_[i + 2].kind != TokKind::Word && c_[i + 2].kind != TokKind::Expr))
          failAt(c_[i + 1], ErrorCode::Parse, "missing value after '" + lower(t.text) + "=' in " + what_);
        {
          std::shared_ptr<const ir::Expression> temper;
          const double v = value(i + 2, &temper);
          d.params.push_back(ir::Param{lower(t.text), v, locOf(t), {}});
          d.params.back().temper = std::move(temper);
        }
        i += 3;
        // Q: ngspice's IC=vbe,vce (the instance's icvbe icvce)
        if (letter_ == 'q' && ieq(t.text, "ic")) {
          d.params.back().name = "icvbe";
          if (i < n_ && c_[i].kind == TokKind::Word && looksNumeric(c_[i].text) && !isEqAt(i + 1)) {
            d.params.push_back(ir::Param{"icvce", value(i), locOf(c_[i]), {}});
            ++i;
          }
        }
        // Z: ngspice's IC=vds,vgs (the instance's icvds icvgs)
        if (letter_ == 'z' && ieq(t.text, "ic")) {
          d.params.back().name = "icvds";
          if (i < n_ && c_[i].kind == TokKind::Word && looksNumeric(c_[i].text) && !isEqAt(i + 1)) {
            d.params.push_back(ir::Param{"icvgs", value(i), locOf(c_[i]), {}});
            ++i;
          }
        }
        // M: SPICE's IC=vds,vgs,vbs (the instance's icvds icvgs icvbs, where its kind has them)
        if (letter_ == 'm' && ieq(t.text, "ic") && kind_->find(dev::ParamScope::Instance, "icvds")) {
          d.params.back().name = "icvds";
          for (const char* more : {"icvgs", "icvbs"})
            if (i < n_ && c_[i].kind == TokKind::Word && looksNumeric(c_[i].text) && !isEqAt(i + 1)) {
              d.params.push_back(ir::Param{more, value(i), locOf(c_[i]), {}});
              ++i;
            }
        }
        // R, C, L: PSpice's TC=tc1,tc2 (ngspice's PSpice compatibility mode reads it so)
        if ((letter_ == 'r' || letter_ == 'c' || letter_ == 'l') && ieq(t.text, "tc")) {
          d.params.back().name = "tc1";
          if (i < n_ && c_[i].kind == TokKind::Word && looksNumeric(c_[i].text) && !isEqAt(i + 1)) {
            d.params.push_back(ir::Param{"tc2", value(i), locOf(c_[i]), {}});
            ++i;
          }
        }
        // a vector instance parameter (T's ic=v1,i1,v2,i2): the numbers that follow
        const dev::ParamSpec* spec = kind_->find(dev::ParamScope::Instance, d.params.back().name);
        if (spec && spec->vector) {
          ir::Param& p = d.params.back();
          p.values.push_back(p.value);
          while (i < n_ && !isEqAt(i + 1) &&
                 (c_[i].kind == TokKind::Expr || (c_[i].kind == TokKind::Word && looksNumeric(c_[i].text))))
            p.values.push_back(value(i++));
        }
        continue;
      }
      bool isFlag = false;
      if (t.kind == TokKind::Word)
        for (const char* fl : flags) isFlag = isFlag || ieq(t.text, fl);
      if (isFlag) {
        d.params.push_back(ir::Param{lower(t.text), 1.0, locOf(t), {}});
        ++i;
        continue;
      }
      if (positional && !positionalSeen && (t.kind == TokKind::Expr || (t.kind == TokKind::Word && looksNumeric(t.text)))) {
        d.value = value(i, &d.valueTemper);
        positionalSeen = true;
        ++i;
        continue;
      }
      std::string hint = "name=value";
      for (const char* fl : flags) hint += std::string(" or ") + fl;
      failAt(t, ErrorCode::Parse, "unexpected " + quoteTok(t.text) + " in " + what_ + ": expected " + hint);
    }
  }

  void passive() {
    if (letter_ == 'r' && fe_.behaviouralResistor(f_, c_, d)) return;
    if ((letter_ == 'c' || letter_ == 'l') && fe_.behaviouralReactive(f_, c_, d, aux)) return;
    const std::string expect = "2 nodes and a value";
    nodes(2, expect);
    std::size_t i = 3;
    auto isModel = [&](std::size_t k) {
      if (!isWord(k) || isEqAt(k + 1) || looksNumeric(c_[k].text)) return false;
      int idx = fe_.findModel(f_, lower(c_[k].text));
      if (idx < 0) return false;
      const std::string& type = fe_.c_.models[static_cast<std::size_t>(idx)].type;
      for (const char* t : kind_->modelTypes)
        if (type == t) return true;
      return false;
    };
    if (i < n_ && !isEqAt(i + 1) && (c_[i].kind == TokKind::Word || c_[i].kind == TokKind::Expr)) {
      if (isModel(i)) {
        model(i++);
        // R1 a b MODEL 2k: the value may follow the model name (ngspice)
        if (i < n_ && !isEqAt(i + 1) &&
            (c_[i].kind == TokKind::Expr || (c_[i].kind == TokKind::Word && looksNumeric(c_[i].text))))
          d.value = value(i++, &d.valueTemper);
      } else {
        d.value = value(i++, &d.valueTemper);
        if (isModel(i)) model(i++);
      }
    }
    params(i, flags(), false);
    if ((letter_ == 'r' || letter_ == 'c') && fe_.scale_ != 1.0) scaleGeometry(fe_.scale_);
    modelDefaults();
    // r=, c=, l= (and their other spellings: resistance=) give the primary value
    const dev::ParamSpec* primary = kind_->find(dev::ParamScope::Instance, std::string(1, letter_));
    for (std::size_t k = 0; k < d.params.size(); ++k) {
      if ((d.params[k].name.size() == 1 && d.params[k].name[0] == letter_) ||
          (primary && kind_->find(dev::ParamScope::Instance, d.params[k].name) == primary)) {
        if (d.value) failAt(c_[0], ErrorCode::Semantic, what_ + " has its value given twice");
        d.value = d.params[k].value;
        d.valueTemper = d.params[k].temper;
        d.params.erase(d.params.begin() + static_cast<std::ptrdiff_t>(k));
        break;
      }
    }
    if (!d.value && d.model < 0) {
      // a resistor card without a value in an included library (a stray text line,
      // ` Recopilated by ...`, read as a card): ngspice 39 takes resistance 0, then
      // 1 mOhm, with a warning; so does simcore there (in the netlist itself an error)
      const std::string* file = c_[0].file;
      if (letter_ != 'r' || n_ != 3 || fe_.ownFile(file)) expected(expect);
      d.value = 1e-3;
      fe_.warnOnce(c_[0], "r0:" + d.name,
                   what_ + " has no value: resistance 0, set to 1 mOhm, as ngspice does (is this line meant as a "
                           "comment?)");
      return;
    }
    // A resistance written as the number 0 (KiCad's jumpers) becomes 1 mOhm with a
    // warning, as in ngspice. A 0 computed from parameters stays the device's
    // error (sweeps rely on it to mark a failing point; ngspice would use 1 mOhm).
    bool literal = false;
    for (std::size_t k = 3; k < n_ && k < 5; ++k)
      literal = literal || (c_[k].kind == TokKind::Word && looksNumeric(c_[k].text) && !isEqAt(k + 1) &&
                            !isEqAt(k - 1) && fe_.evalValue(c_[k], f_) == 0.0);
    if (letter_ == 'r' && d.value && *d.value == 0.0 && literal) {
      d.value = 1e-3;
      fe_.warnOnce(c_[0], "r0:" + d.name, what_ + " has resistance 0: set to 1 mOhm, as ngspice does");
    }
  }

  void coupling() {
    const std::string expect = "two inductor names and a coupling coefficient";
    if (n_ < 4 || !isWord(1) || !isWord(2)) expected(expect);
    // LTspice's K L1 L2 L3 ... k (Wuerth's transformer libraries): every pair
    // coupled by k; the pairs after the first are devices name#2, name#3, ...
    std::size_t last = 3;
    while (last + 1 < n_ && isWord(last) && !looksNumeric(c_[last].text) && !isEqAt(last + 1)) ++last;
    d.refs.push_back(ref(1, kind_->refLetter));
    d.refs.push_back(ref(2, kind_->refLetter));
    d.value = value(last);
    // ngspice 39 warns ("|k| > 1", "is not positive definite") and simulates: so does simcore
    // (the inductances' energy is then not positive; a transient may grow without bound)
    if (*d.value < -1.0 || *d.value > 1.0)
      fe_.warnOnce(c_[last], "kpd:" + d.name,
                   "coupling coefficient " + fmt(*d.value) + " of " + what_ +
                       " is outside [-1, 1]: the inductances are not positive definite; simulated as written, as by "
                       "ngspice 39");
    if (n_ > last + 1)
      failAt(c_[last + 1], ErrorCode::Parse, "unexpected " + quoteTok(c_[last + 1].text) + " after the coupling coefficient");
    int pair = 1;
    for (std::size_t i = 1; i < last; ++i)
      for (std::size_t j = i + 1; j < last; ++j) {
        if (i == 1 && j == 2) continue;
        ir::Device k = d;
        k.name = d.name + "#" + std::to_string(++pair);
        k.refs.clear();
        refs.push_back(Ref{&c_[i], kind_->refLetter, aux.size() + 1, 0});
        k.refs.push_back(f_.prefix + lower(c_[i].text));
        refs.push_back(Ref{&c_[j], kind_->refLetter, aux.size() + 1, 1});
        k.refs.push_back(f_.prefix + lower(c_[j].text));
        aux.push_back(std::move(k));
      }
  }

  void unsupportedForms(std::size_t i) {
    if (i >= n_ || c_[i].kind != TokKind::Word) return;
    std::string_view t = c_[i].text;
    for (const char* kw : {"laplace", "freq"})
      if (ieq(t, kw))
        failAt(c_[i], ErrorCode::Semantic,
               "'" + lower(t) + "' form of " + what_ + " is not supported: use the linear form with a gain");
  }

  void behavioural() {
    if (!fe_.behavioural(f_, c_, d)) expected("2 nodes and V=expression or I=expression");
  }

  // After the gain: name=value parameters of the kind (G's and F's multiplier
  // m=, as ngspice 39 reads it), nothing else.
  void gainParams(std::size_t i) {
    if (i < n_ && !(c_[i].kind == TokKind::Word && isEqAt(i + 1)))
      failAt(c_[i], ErrorCode::Parse, "unexpected " + quoteTok(c_[i].text) + " after the gain of " + what_);
    params(i, {}, false);
  }

  // E G: 4 nodes and a gain; F H: 2 nodes, the controlling source and a gain.
  // The expression forms (VALUE=, TABLE, POLY) are behavioural sources.
  void controlled() {
    if (fe_.behavioural(f_, c_, d)) return;
    const bool voltageCtl = kind_->refs == 0;
    const std::string expect = voltageCtl ? "4 nodes and a gain" : "2 nodes, a controlling voltage source and a gain";
    if (voltageCtl && fe_.laplaceSource(f_, c_, d)) return;
    unsupportedForms(3);
    if (voltageCtl) {
      unsupportedForms(5);
      nodes(4, expect);
      if (n_ < 6) expected(expect);
      d.value = value(5);
      gainParams(6);
    } else {
      nodes(2, expect);
      if (n_ < 5 || !isWord(3)) expected(expect);
      d.refs.push_back(ref(3, kind_->refLetter));
      d.value = value(4);
      gainParams(5);
    }
  }

  // D Q M S W: nodes ([minNodes, maxNodes]), the controlling source (W), the
  // model, then name=value pairs, flags and (D, Q) one positional value.
  void modelCard() {
    // node counts of every kind of the letter (M: 4 for MOSFETs, 3 for VDMOS); the
    // model's kind checks its own count below
    std::size_t lo = std::size_t(kind_->minNodes), hi = std::size_t(kind_->maxNodes);
    // M's BSIM3SOI kinds (up to 7 nodes) are read apart: the other counts decide as before
    std::size_t soiHi = 0;
    for (const dev::DeviceKind* k : fe_.kinds_.all())
      if (k->letter == letter_ && k->form == dev::CardForm::ModelCard) {
        if (letter_ == 'm' && k->maxNodes > 5) {
          soiHi = std::max(soiHi, std::size_t(k->maxNodes));
          continue;
        }
        lo = std::min(lo, std::size_t(k->minNodes));
        hi = std::max(hi, std::size_t(k->maxNodes));
      }
    if (letter_ == 'm') hi = std::min(hi, std::size_t(5));
    const bool hasModel = !kind_->modelTypes.empty();  // T: instance parameters only
    const std::size_t shown = std::max(hi, soiHi);  // (the message counts the SOI cards too)
    const std::string expect = (lo == shown       ? std::to_string(lo)
                                : shown == lo + 1 ? std::to_string(lo) + " or " + std::to_string(shown)
                                                  : std::to_string(lo) + " to " + std::to_string(shown)) +
                               " nodes" + (kind_->refs ? ", a controlling voltage source" : "") +
                               (hasModel ? " and a model name" : " and name=value parameters");
    std::size_t k = lo;
    // M with 6 or 7 nodes (BSIM3SOI: d g s e b t p): a visible model in the 7th or 8th
    // place and none before it
    std::size_t soiNodes = 0;
    for (std::size_t j = soiHi + 1; soiHi > hi && j > hi + 1 && soiNodes == 0; --j) {
      bool before = false;
      for (std::size_t q = lo + 1; q < j; ++q)
        before = before || (q < n_ && isWord(q) && !isEqAt(q + 1) && fe_.findModel(f_, lower(c_[q].text)) >= 0);
      if (!before && j < n_ && isWord(j) && !isEqAt(j + 1) && fe_.findModel(f_, lower(c_[j].text)) >= 0)
        soiNodes = j - 1;
    }
    if (soiNodes) {
      k = soiNodes;
    } else if (hi > lo + 2 && hasModel) {
      // any number of nodes (P: 2N+2): up to the first word naming a visible model of the letter's types
      // (from the position after the fewest nodes: a node may share a model's name; M: any
      // visible model or binned model name, whose type model() checks)
      auto modelAt = [&](std::size_t j) {
        if (!isWord(j) || isEqAt(j + 1)) return false;
        const std::string nm = lower(c_[j].text);
        int idx = fe_.findModel(f_, nm);
        if (letter_ == 'm') return idx >= 0 || !fe_.findModelBins(f_, nm).empty();
        return idx >= 0 && fe_.kinds_.find(letter_, fe_.c_.models[std::size_t(idx)].type) != nullptr;
      };
      std::size_t m = lo + 1;
      while (m < n_ && !modelAt(m)) ++m;
      if (m >= n_) {
        // the model is the last word before any name=value pairs
        std::size_t last = n_ - 1;
        while (last >= 3 && c_[last - 1].kind == TokKind::Eq) last -= 3;
        if (last > lo && isWord(last) && !isEqAt(last + 1))
          failAt(c_[last], ErrorCode::Semantic, "unknown model '" + lower(c_[last].text) + "' for " + what_);
        expected(std::to_string(lo) + " to " + std::to_string(hi) + " nodes and a model name");
      }
      k = m - 1;
    } else if (hi > lo) {
      // Q (3 or 4 nodes), M (3 for VDMOS, else 4): after the fewer nodes, a model
      // if one of that name is visible; otherwise one more node when a visible
      // model follows it (2N7000-like names look numeric), or unless what follows
      // cannot be a model name.
      if (n_ < lo + 2) expected(expect);
      // Q with a VBIC model (3 to 5 nodes): five nodes when a visible model follows the fifth
      // and none stands in the fourth or fifth place
      auto modelAt = [&](std::size_t j) {
        return j < n_ && isWord(j) && !isEqAt(j + 1) && fe_.findModel(f_, lower(c_[j].text)) >= 0;
      };
      const bool five = hi == lo + 2 && modelAt(lo + 3) && !modelAt(lo + 1) && !modelAt(lo + 2);
      bool fewer = false;
      if (isWord(lo + 1) && !isEqAt(lo + 2) && fe_.findModel(f_, lower(c_[lo + 1].text)) >= 0) fewer = true;
      else if (n_ == lo + 2) fewer = true;
      else if (isWord(lo + 2) && !isEqAt(lo + 3) && fe_.findModel(f_, lower(c_[lo + 2].text)) >= 0) fewer = false;
      else if (!isWord(lo + 2) || isEqAt(lo + 3) || looksNumeric(c_[lo + 2].text) || ieq(c_[lo + 2].text, "off"))
        fewer = true;
      k = five ? hi : fewer ? lo : lo + 1;
    }
    nodes(k, expect);
    std::size_t i = k + 1;
    if (kind_->refs) {
      if (n_ < i + 2 || !isWord(i)) expected(expect);
      d.refs.push_back(ref(i++, kind_->refLetter));
    } else if (n_ < i + 1) {
      expected(expect);
    }
    if (!hasModel) {
      params(i, flags(), false);
      return;
    }
    model(i);
    if (d.nodes.size() < std::size_t(kind_->minNodes) || d.nodes.size() > std::size_t(kind_->maxNodes)) {
      const std::string need = kind_->minNodes == kind_->maxNodes
                                   ? std::to_string(kind_->minNodes)
                                   : std::to_string(kind_->minNodes) + " to " + std::to_string(kind_->maxNodes);
      failAt(c_[0], ErrorCode::Parse,
             what_ + " with a " + fe_.c_.models[std::size_t(d.model)].type + " model needs " + need + " nodes, not " +
                 std::to_string(d.nodes.size()));
    }
    if (letter_ == 'p' || letter_ == 'y') coupledLineReferences();
    if (d.letter == 'a' && letter_ == 'd') {
      d.ports = {1};
      d.portTypes = {ir::Device::PortType::Pair};
      d.portAt = {ir::Device::PortAt{int(c_[1].line), int(c_[1].col)}};
    }
    const std::vector<const char*> fl = flags();
    params(i + 1, fl, kind_->positional != nullptr);
    if (letter_ == 'm' && fe_.scale_ != 1.0) scaleGeometry(fe_.scale_);
    modelDefaults();
    // a junction diode takes .options scale itself (only its LEVEL=3 geometry scales, and the level is the model's)
    if (letter_ == 'd' && fe_.scale_ != 1.0 && std::string_view(kind_->name) == "diode" &&
        std::none_of(d.params.begin(), d.params.end(), [](const ir::Param& p) { return p.name == "scale"; }))
      d.params.push_back(ir::Param{"scale", fe_.scale_, locOf(c_[0]), {}});
    if (!bins_.empty()) chooseBin();
  }

  // The model's instance defaults (elaborate.cpp: ngspice 39's, and PSpice
  // vendor MOSFET models' L= and W=) where the instance gives none (under any
  // of the parameter's spellings); after .options scale, which they escape.
  void modelDefaults() {
    if (d.model < 0) return;
    auto it = fe_.instanceDefaults_.find(d.model);
    if (it == fe_.instanceDefaults_.end()) return;
    for (const ir::Param& q : it->second) {
      const dev::ParamSpec* spec = kind_->find(dev::ParamScope::Instance, q.name);
      const bool given = std::any_of(d.params.begin(), d.params.end(), [&](const ir::Param& p) {
        return p.name == q.name || (spec && kind_->find(dev::ParamScope::Instance, p.name) == spec);
      });
      if (!given) d.params.push_back(ir::Param{q.name, q.value, locOf(c_[0]), q.values});
    }
  }

  // P in1 .. inN ref1 out1 .. outN ref2 (and Y in ref1 out ref2): ngspice's CPL and TXL
  // take the voltages against ground 0 and leave the reference nodes unconnected; so does
  // simcore, with a warning.
  void coupledLineReferences() {
    const std::size_t n = d.nodes.size();
    if (n % 2 != 0) return;  // the device names the count
    // (a TXL line ngspice makes RC sections of, R/L > 1.6e10, puts its capacitors on the first)
    const ir::Model& m = fe_.c_.models[std::size_t(d.model)];
    const bool rcSections = letter_ == 'y' && m.type == "txl" && txlRatio(m) > 1.6e10;
    for (std::size_t r : {n / 2 - 1, n - 1})
      if (d.nodes[r] != "0" && !(rcSections && r == n / 2 - 1))
        fe_.warnOnce(c_[r + 1], "cplref:" + d.name + ":" + std::to_string(r),
                     what_ + ": reference node '" + d.nodes[r] +
                         "' is not ground; as in ngspice the line's voltages are taken against ground 0 and this node "
                         "is not connected to the line");
  }

  static double txlRatio(const ir::Model& m) {
    double r = 0, l = 0;
    for (const ir::Param& p : m.params) {
      if (p.name == "r") r = p.value;
      if (p.name == "l") l = p.value;
    }
    return l > 0 ? r / l : 0.0;
  }

  // As ngspice 39: a Y card with a CPL model is a P card (inp2y.c), and a TXL model whose
  // R/L lies in (1.6e9, 1.6e10] is a CPL model (inpdomod.c), so its Y lines are
  // one-conductor CPL lines: here the model's CPL twin `name#cpl`. Returns the model to use.
  int lineAsCoupled(int idx) {
    const ir::Model& m = fe_.c_.models[std::size_t(idx)];
    const double ratio = m.type == "txl" ? txlRatio(m) : 0.0;
    if (m.type != "cpl" && !(ratio > 1.6e9 && ratio <= 1.6e10)) return idx;
    letter_ = 'p';
    d.letter = 'p';
    kind_ = fe_.kinds_.find('p');
    if (m.type == "cpl") return idx;
    const std::string twin = m.name + "#cpl";
    for (std::size_t k = 0; k < fe_.c_.models.size(); ++k)
      if (fe_.c_.models[k].name == twin) return int(k);
    ir::Model cpl;
    cpl.name = twin;
    cpl.type = "cpl";
    cpl.loc = m.loc;
    for (const ir::Param& p : m.params) {
      ir::Param q = p;
      if (p.name == "r" || p.name == "l" || p.name == "g" || p.name == "c") q.values = {p.value};
      cpl.params.push_back(q);
    }
    for (const char* name : {"r", "g"})
      if (std::none_of(cpl.params.begin(), cpl.params.end(), [&](const ir::Param& p) { return p.name == name; }))
        cpl.params.push_back(ir::Param{name, 0.0, m.loc, {0.0}});
    fe_.c_.models.push_back(std::move(cpl));
    return int(fe_.c_.models.size() - 1);
  }

  // .options scale as ngspice's: the instance's L, W (R, C, M) and PD, PS (M)
  // times scale and AD, AS (M) times scale^2 (only values given on the instance).
  void scaleGeometry(double s) {
    for (ir::Param& p : d.params) {
      const double k = (p.name == "ad" || p.name == "as") ? s * s
                       : (p.name == "l" || p.name == "w" || p.name == "pd" || p.name == "ps") ? s : 1.0;
      p.value *= k;
      for (double& v : p.values) v *= k;
    }
  }

  // Model binning as ngspice 39's: the first bin in .model order whose
  // [LMIN, LMAX] holds L and whose [WMIN, WMAX] holds W, both ends included
  // within 1 nm (ngspice's tolerance: a size on a shared boundary takes the
  // bin defined first). L and W are the instance's (else the kind's defaults);
  // a bin without LMIN/LMAX/WMIN/WMAX has 0/1/0/1 (m), BSIM3's defaults.
  void chooseBin() {
    auto instValue = [&](const char* n) {
      for (const ir::Param& p : d.params)
        if (p.name == n) return p.value;
      for (const dev::ParamSpec& sp : kind_->params)
        if (sp.scope == dev::ParamScope::Instance && sp.matches(n)) return sp.def;
      return 0.0;
    };
    const double l = instValue("l");
    // ngspice's wnflag: the bin of the finger width W/NF (an instance's wnflag=, else
    // .options wnflag=, else on in ngspice's HSPICE and Spectre modes, ngbehavior hs/spe);
    // NF counts only when the instance gives it
    double w = instValue("w");
    auto given = [&](const char* n) -> const ir::Param* {
      for (const ir::Param& p : d.params)
        if (p.name == n) return &p;
      return nullptr;
    };
    if (const ir::Param* nf = given("nf"); nf && nf->value > 0) {
      bool byFinger = fe_.hspiceBinning();
      if (const std::optional<double> opt = fe_.earlyOption("wnflag")) byFinger = *opt != 0;
      if (const ir::Param* flag = given("wnflag")) byFinger = flag->value != 0;
      if (byFinger) w /= nf->value;
    }
    auto inRange = [](double v, double lo, double hi) {
      return std::fabs(v - lo) < 1e-9 || std::fabs(v - hi) < 1e-9 || (lo < v && v < hi);
    };
    std::string tried;
    for (const Frontend::BinRef& bin : bins_) {
      const std::array<double, 4> r = fe_.binLimits(bin);
      if (inRange(l, r[0], r[1]) && inRange(w, r[2], r[3])) {
        const int idx = fe_.findModel(*bin.frame, bin.name);  // reads it when pending
        if (idx < 0) {
          const Error* bad = fe_.findBadModel(*bin.frame, bin.name);
          failAt(*binTok_, ErrorCode::Semantic,
                 "model '" + bin.name + "' (the bin of " + what_ + ") cannot be read: " +
                     (bad ? bad->message : std::string("unknown reason")));
        }
        const ir::Model& m = fe_.c_.models[static_cast<std::size_t>(idx)];
        d.model = idx;
        kind_ = fe_.kinds_.find(letter_, m.type);
        return;
      }
      tried += "\n  " + bin.frame->prefix + bin.name + ": L in [" + fmt(r[0]) + ", " + fmt(r[1]) + "], W in [" +
               fmt(r[2]) + ", " + fmt(r[3]) + "]";
    }
    failAt(*binTok_, ErrorCode::Semantic,
           "no bin of model '" + lower(binTok_->text) + "' fits " + what_ + " with L=" + fmt(l) + " and W=" + fmt(w) +
               (w != instValue("w") ? " (W/NF)" : "") +
               "; its bins are:" + tried);
  }

  // Device-plugin cards (docs/plugins.md): nodes up to the first word that
  // names a visible model of one of the letter's plugin types (kinds of one
  // letter may have different node counts), the model, then name=value pairs.
  void pluginCard() {
    auto pluginModelAt = [&](std::size_t k) {
      if (!isWord(k) || isEqAt(k + 1)) return false;
      const int idx = fe_.findModel(f_, lower(c_[k].text));
      return idx >= 0 && fe_.kinds_.find(letter_, fe_.c_.models[std::size_t(idx)].type) != nullptr;
    };
    std::size_t i = 1;
    while (i < n_ && !pluginModelAt(i)) ++i;
    const std::string expect = "nodes and the name of a model of the device plugin's type";
    if (i >= n_ || i < 2) expected(expect);
    nodes(i - 1, expect);
    model(i);
    params(i + 1, flags(), false);
    // fewer nodes than the kind's terminals (a kind that allows it: OSDI, as ngspice)
    const int idx = fe_.findModel(f_, lower(c_[i].text));
    if (const dev::DeviceKind* k = fe_.kinds_.find(letter_, fe_.c_.models[std::size_t(idx)].type))
      if (i - 1 < std::size_t(k->maxNodes))
        fe_.warnOnce(c_[0], "terminals:" + lower(c_[0].text),
                     what_ + " connects " + std::to_string(i - 1) + " of the " + std::to_string(k->maxNodes) +
                         " terminals of " + k->name + ": the others are its own internal nodes (as ngspice connects them)");
  }

  // ---- A: XSPICE-style code-model instances
  //   Aname port... model   with each port one of
  //     node | (a b) | NULL | %TYPE node | %TYPE(node) | %TYPE a b | %TYPE(a b) | %vnam vsrc
  //     | [ element... ]
  //   with TYPE one of devices/port_types.hpp (two nodes for a differential
  //   type); an element of a [ ] vector is itself one of these forms, and a
  //   modifier before a [ sets the form of its bare elements, one inside it
  //   the form of the bare elements after it (XSPICE's reading).
  // Every element becomes two nodes (plus, minus; "0" for single-ended, both
  // "0" for NULL and %vnam), a port type (d.portTypes) and its place on the
  // card (d.portAt); a %vnam source's name goes to d.refs (checked to be a
  // voltage source). d.ports holds each port's element count. The model is
  // the last token. Whether a type suits the model's port is checked when
  // the device is set up.
  struct Atom {
    enum Kind { Name, Modifier, Open, Close, LParen, RParen } kind;
    Token tok;          // trimmed of its brackets
    std::size_t at = 0;  // the card token it comes from
    bool glued = false;  // a name written against a bracket ("[gnd", "gnd]")
  };
  using PortType = ir::Device::PortType;

  std::vector<Atom> atoms(std::size_t from, std::size_t to) {
    std::vector<Atom> out;
    for (std::size_t i = from; i < to; ++i) {
      const Token& t = c_[i];
      if (t.kind == TokKind::LParen) { out.push_back({Atom::LParen, t, i}); continue; }
      if (t.kind == TokKind::RParen) { out.push_back({Atom::RParen, t, i}); continue; }
      if (t.kind != TokKind::Word)
        failAt(t, ErrorCode::Parse, "unexpected " + quoteTok(t.text) + " in the ports of " + what_);
      std::string_view s = t.text;
      std::size_t front = 0, back = 0;
      while (front < s.size() && s[front] == '[') {
        Token b = t;
        b.text = s.substr(front, 1);
        b.col = t.col + std::uint32_t(front);
        out.push_back({Atom::Open, b, i});
        ++front;
      }
      while (back < s.size() - front && s[s.size() - 1 - back] == ']') ++back;
      if (s.size() > front + back) {
        Token w = t;
        w.text = s.substr(front, s.size() - front - back);
        w.col = t.col + std::uint32_t(front);
        if (w.text.find_first_of("[]") != std::string_view::npos)
          failAt(w, ErrorCode::Parse, "unexpected " + quoteTok(w.text) + " in the ports of " + what_);
        out.push_back({w.text[0] == '%' ? Atom::Modifier : Atom::Name, w, i, front > 0 || back > 0});
      }
      for (std::size_t k = 0; k < back; ++k) {
        Token b = t;
        b.text = s.substr(s.size() - back + k, 1);
        b.col = t.col + std::uint32_t(s.size() - back + k);
        out.push_back({Atom::Close, b, i});
      }
    }
    return out;
  }

  // The port type a modifier token names (devices/port_types.hpp); others are errors.
  PortType modifierType(const Token& m) {
    if (const dev::block::PortTypeInfo* t = dev::block::findPortType(m.text)) return t->type;
    std::string known;
    for (const dev::block::PortTypeInfo& t : dev::block::kPortTypes) known += (known.empty() ? "" : ", ") + std::string(t.spelling);
    failAt(m, ErrorCode::Semantic,
           "port type " + quoteTok(m.text) + " of " + what_ + " is not supported: code-model ports are " + known +
               ", a node, (a b) or NULL");
  }
  static int typeNodes(PortType t) {
    const dev::block::PortTypeInfo* p = dev::block::portTypeInfo(t);
    return p ? p->nodes : 1;
  }
  // The node of a port name. ngspice 39 reads `gnd` as ground only where a
  // blank, '(', ')' or ',' delimits it (inp_fix_gnd_name) and declares
  // `.global gnd`: `[gnd` or `gnd]` stays an ordinary node named gnd, the same
  // node in every sub-circuit. eSim writes `[gnd ]` for a dac_bridge that
  // drives its ground symbol, which in ngspice drives that floating node.
  std::string portNode(const Atom& a) {
    if (a.glued && a.tok.kind == TokKind::Word && ieq(a.tok.text, "gnd")) {
      fe_.warnOnce(a.tok, "bracketgnd",
                   "'gnd' written against a bracket in the ports of " + what_ +
                       " is an ordinary node named gnd (not ground), as in ngspice 39");
      return "gnd";
    }
    if (a.tok.kind == TokKind::Word && a.tok.text.size() > 1 && a.tok.text[0] == '~') {
      // XSPICE's inverted digital port ~node: the node's flattened name after the '~'
      // (the device's setup checks that the port is digital)
      Token t = a.tok;
      t.text = t.text.substr(1);
      return "~" + fe_.node(f_, t, what_);
    }
    return fe_.node(f_, a.tok, what_);
  }
  void markPort(const Atom& a) { d.portAt.push_back(ir::Device::PortAt{int(a.tok.line), int(a.tok.col)}); }

  // One element at atoms[i] (a modifier may precede it; `inherited` is the
  // type a bare name takes): appends its two nodes and its type, returns the
  // next index.
  std::size_t portElement(const std::vector<Atom>& a, std::size_t i, PortType inherited) {
    PortType type = inherited;
    const bool modified = i < a.size() && a[i].kind == Atom::Modifier;
    if (i < a.size()) markPort(a[i]);
    if (modified) type = modifierType(a[i++].tok);
    if (!modified && i < a.size() && a[i].kind == Atom::Name && ieq(a[i].tok.text, "null")) {
      d.nodes.push_back("0");
      d.nodes.push_back("0");
      d.portTypes.push_back(PortType::Null);
      return i + 1;
    }
    // (a b) with no modifier: a differential pair of the port's default type
    if (!modified && i + 3 < a.size() && a[i].kind == Atom::LParen && a[i + 1].kind == Atom::Name &&
        a[i + 2].kind == Atom::Name && a[i + 3].kind == Atom::RParen) {
      d.nodes.push_back(fe_.node(f_, a[i + 1].tok, what_));
      d.nodes.push_back(fe_.node(f_, a[i + 2].tok, what_));
      d.portTypes.push_back(PortType::Pair);
      return i + 4;
    }
    const bool vnam = typeNodes(type) == 0;
    const bool diff = typeNodes(type) == 2;
    const std::size_t want = diff ? 2 : 1;
    auto nameAt = [&](std::size_t k) {
      if (k >= a.size() || a[k].kind != Atom::Name)
        failAt(k < a.size() ? a[k].tok : c_[n_ - 1], ErrorCode::Parse,
               std::string("expected ") +
                   (vnam   ? "the name of a voltage source (or L, E, H) after %vnam"
                    : diff ? "two node names for a differential (" + dev::block::portTypeSpelling(type) + ") port"
                           : std::string("a node name")) +
                   " in " + what_);
      if (vnam) {
        // the source's name as the card token holds it (its check points there);
        // as ngspice's CKTfndBranch any device with a branch current: V, L, E,
        // H, a B voltage source ('*': checked to exist here, its branch in setup)
        refs.push_back(Ref{&c_[a[k].at], '*'});
        d.refs.push_back(f_.prefix + lower(a[k].tok.text));
        d.nodes.push_back("0");
      } else {
        d.nodes.push_back(portNode(a[k]));
      }
    };
    if (i < a.size() && a[i].kind == Atom::LParen) {
      for (std::size_t k = 0; k < want; ++k) nameAt(i + 1 + k);
      if (i + 1 + want >= a.size() || a[i + 1 + want].kind != Atom::RParen)
        failAt(a[i].tok, ErrorCode::Parse,
               std::string("expected ") + (diff ? "(plus minus)" : "(node)") + " after the port type in " + what_);
      i += want + 2;
    } else {
      for (std::size_t k = 0; k < want; ++k) nameAt(i + k);
      i += want;
    }
    if (!diff) d.nodes.push_back("0");
    d.portTypes.push_back(type);
    return i;
  }

  // LTspice's special functions: eight nodes, a built-in name, name=value
  // pairs (devices/ltspice_gates.cpp), when no .model of that name is in
  // scope (a .model makes it an XSPICE card). Returns false for other cards.
  bool ltspiceSpecial() {
    static constexpr const char* kNames[] = {"and", "or", "xor", "buf", "inv", "schmitt", "schmtbuf", "schmtinv",
                                             "dflop", "srflop", "ota", "modulate", "modulator", "samplehold"};
    // LTspice's others (its help and the vendor models that use them), not modelled
    static constexpr const char* kOthers[] = {"modulate2", "varistor", "diffschmitt", "diffschmtbuf", "diffschmtinv",
                                              "phidet", "counter", "dlatch", "srlatch"};
    if (n_ < 10 || !isWord(9) || isEqAt(10)) return false;
    for (std::size_t i = 1; i <= 8; ++i)
      if (!isWord(i) || isEqAt(i + 1) || c_[i].text.find_first_of("[]%()") != std::string_view::npos) return false;
    const std::string name = lower(c_[9].text);
    // name=value pairs; the OTA also takes the bare word LINEAR
    for (std::size_t i = 10; i < n_;) {
      if (isWord(i) && isEqAt(i + 1)) i += 3;
      else if (name == "ota" && isWord(i) && ieq(c_[i].text, "linear")) i += 1;
      else return false;
    }
    if (fe_.findModel(f_, name) >= 0) return false;
    bool known = false;
    for (const char* k : kNames) known = known || name == k;
    if (!known) {
      for (const char* k : kOthers)
        if (name == k)
          failAt(c_[9], ErrorCode::Semantic,
                 "LTspice's special function " + upper(name) + " (" + what_ +
                     ") is not supported: simcore runs AND OR XOR BUF INV SCHMITT SCHMTBUF SCHMTINV DFLOP SRFLOP OTA "
                     "MODULATE SAMPLEHOLD");
      return false;
    }
    for (std::size_t i = 1; i <= 8; ++i) d.nodes.push_back(fe_.node(f_, c_[i], what_));
    const std::string type = "ltspice@" + name;
    const std::string modelName = name + "@ltspice";  // (no .model card can spell it)
    int idx = -1;
    for (std::size_t k = 0; k < fe_.c_.models.size() && idx < 0; ++k)
      if (fe_.c_.models[k].name == modelName) idx = int(k);
    if (idx < 0) {
      ir::Model m;
      m.name = modelName;
      m.type = type;
      m.loc = locOf(c_[9]);
      fe_.c_.models.push_back(std::move(m));
      idx = int(fe_.c_.models.size() - 1);
    }
    d.model = idx;
    kind_ = fe_.kinds_.find('a', type);
    what_ = std::string(kind_->name) + " '" + d.name + "'";
    params(10, flags(), false);
    if (name == "ota")
      for (const ir::Param& p : d.params)
        if (p.value != 0 && (p.name == "en" || p.name == "enk" || p.name == "in" || p.name == "ink" ||
                             p.name == "incm" || p.name == "incmk"))
          fe_.warnOnce(c_[9], "ota-noise:" + (c_[9].file ? *c_[9].file : std::string()),
                       "LTspice OTA noise (en, enk, in, ink, incm, incmk) is not modelled: accepted and ignored");
    return true;
  }

  static std::string upper(std::string s) {
    for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
  }

  void codeModel() {
    if (ltspiceSpecial()) return;
    if (n_ < 3) expected("ports and a model name");
    if (c_[n_ - 1].kind != TokKind::Word || isEqAt(n_ - 2) || c_[n_ - 1].text.find_first_of("[]%") != std::string_view::npos)
      failAt(c_[n_ - 1], ErrorCode::Parse, "expected a model name at the end of " + what_);
    const std::vector<Atom> a = atoms(1, n_ - 1);
    for (std::size_t i = 0; i < a.size();) {
      PortType inherited = PortType::Plain;
      std::size_t k = i;
      bool wrapped = false;  // %vd([a b c d]): the vector in parentheses (ngspice's example decks)
      if (a[k].kind == Atom::Modifier && k + 1 < a.size() && a[k + 1].kind == Atom::Open) {
        inherited = modifierType(a[k].tok);
        ++k;
      } else if (a[k].kind == Atom::Modifier && k + 2 < a.size() && a[k + 1].kind == Atom::LParen &&
                 a[k + 2].kind == Atom::Open) {
        inherited = modifierType(a[k].tok);
        k += 2;
        wrapped = true;
      }
      if (a[k].kind == Atom::Open) {
        const Token& open = a[k].tok;
        int count = 0;
        for (++k;;) {
          if (k >= a.size()) failAt(open, ErrorCode::Parse, "'[' without a closing ']' in the ports of " + what_);
          if (a[k].kind == Atom::Close) break;
          if (a[k].kind == Atom::Open) failAt(a[k].tok, ErrorCode::Parse, "nested '[' in the ports of " + what_);
          const bool modified = a[k].kind == Atom::Modifier;
          k = portElement(a, k, inherited);
          // a type inside the vector holds for the elements after it too (as XSPICE reads it)
          if (modified) inherited = d.portTypes.back();
          ++count;
        }
        if (count == 0) failAt(open, ErrorCode::Parse, "empty port vector '[]' in " + what_);
        d.ports.push_back(count);
        if (wrapped) {
          if (k + 1 >= a.size() || a[k + 1].kind != Atom::RParen)
            failAt(a[k].tok, ErrorCode::Parse, "expected ')' after the port vector's ']' in " + what_);
          ++k;
        }
        i = k + 1;
        continue;
      }
      if (a[k].kind == Atom::Close || a[k].kind == Atom::RParen ||
          (a[k].kind == Atom::LParen && !(k + 3 < a.size() && a[k + 1].kind == Atom::Name &&
                                          a[k + 2].kind == Atom::Name && a[k + 3].kind == Atom::RParen)))
        failAt(a[k].tok, ErrorCode::Parse, "unexpected " + quoteTok(a[k].tok.text) + " in the ports of " + what_);
      i = portElement(a, i, PortType::Plain);
      d.ports.push_back(1);
    }
    model(n_ - 1);
  }

  // ---- V and I sources
  bool sourceValueAt(std::size_t i) const {
    if (i >= n_) return false;
    if (c_[i].kind == TokKind::Expr) return true;
    return c_[i].kind == TokKind::Word && !isSourceKeyword(c_[i].text) && !isEqAt(i + 1);
  }

  void source() {
    nodes(2, "2 nodes");
    ir::SourceSpec& s = d.source;
    std::size_t i = 3;
    std::size_t groupClose = 0;  // the ')' of a group `(PULSE 0 1 0 1n)` (0: none open)
    bool acClause = false;       // an `AC [mag [phase]]` read (ACMAG/ACPHASE may come beside it)
    while (i < n_) {
      const Token& t = c_[i];
      if (groupClose && i == groupClose) {
        groupClose = 0;
        ++i;
        continue;
      }
      // a transient function in parentheses with its keyword inside, `(PULSE 0 1 0 1n)`
      // (ngspice's tclspice example), or an AC or DC clause, `(AC 1v)` (its CIDER
      // examples): read as PULSE(0 1 0 1n) and AC 1v, as ngspice 39 reads them
      if (t.kind == TokKind::LParen && !groupClose && i + 1 < n_ && c_[i + 1].kind == TokKind::Word &&
          (sourceWaveKind(c_[i + 1].text) != ir::WaveKind::None || ieq(c_[i + 1].text, "ac") ||
           ieq(c_[i + 1].text, "dc"))) {
        std::size_t close = i + 1;
        for (int depth = 1; close < n_; ++close) {
          if (c_[close].kind == TokKind::LParen) ++depth;
          else if (c_[close].kind == TokKind::RParen && --depth == 0) break;
        }
        if (close < n_) {
          groupClose = close;
          ++i;
          continue;
        }
      }
      if (t.kind == TokKind::Word && ieq(t.text, "dc")) {
        std::size_t v = isEqAt(i + 1) ? i + 2 : i + 1;  // DC 5 or DC=5
        // `DC PWL(...)`: ngspice's own examples write it; ngspice reads no DC value there
        if (v == i + 1 && v < n_ && c_[v].kind == TokKind::Word && isSourceKeyword(c_[v].text) &&
            !ieq(c_[v].text, "dc") && !ieq(c_[v].text, "ac")) {
          fe_.warnOnce(t, "dcnovalue:" + d.name,
                       "DC without a value before " + lower(c_[v].text) + " in " + what_ +
                           ": ignored (no DC value), as ngspice 39 does");
          i = v;
          continue;
        }
        if (!sourceValueAt(v)) failAt(t, ErrorCode::Parse, "expected a value after DC in " + what_);
        if (s.hasDc) failAt(t, ErrorCode::Semantic, what_ + " has two DC values");
        s.dc = value(v);
        s.hasDc = true;
        i = v + 1;
        continue;
      }
      if (letter_ == 'i' && t.kind == TokKind::Word && ieq(t.text, "m") && isEqAt(i + 1)) {
        // the current source's multiplier m= (ngspice 39): m copies in parallel
        if (i + 2 >= n_ || !sourceValueAt(i + 2)) failAt(c_[i + 1], ErrorCode::Parse, "missing value after 'm=' in " + what_);
        d.params.push_back(ir::Param{"m", value(i + 2), locOf(t), {}});
        i += 3;
        continue;
      }
      if (t.kind == TokKind::Word && (ieq(t.text, "acmag") || ieq(t.text, "acphase"))) {
        // ngspice 39's instance parameters ACMAG and ACPHASE (NAME value or
        // NAME=value), each given alone or after AC, the last value of each
        // kept (Qucs-S writes `AC 1 ACPHASE 0` for every AC source); one of
        // them alone makes an AC source of magnitude 1 and phase 0
        const bool mag = ieq(t.text, "acmag");
        const std::size_t v = isEqAt(i + 1) ? i + 2 : i + 1;
        if (!sourceValueAt(v)) failAt(t, ErrorCode::Parse, "expected a value after " + lower(t.text) + " in " + what_);
        if (!s.hasAc) s.acMag = 1.0;
        s.hasAc = true;
        (mag ? s.acMag : s.acPhaseDeg) = value(v);
        i = v + 1;
        continue;
      }
      if (t.kind == TokKind::Word && ieq(t.text, "ac")) {
        if (acClause) failAt(t, ErrorCode::Semantic, what_ + " has two AC specifications");
        acClause = true;
        s.hasAc = true;
        s.acMag = 1.0;
        ++i;
        if (isEqAt(i)) ++i;  // AC=1 (KiCad)
        if (sourceValueAt(i)) {
          s.acMag = value(i++);
          if (sourceValueAt(i)) s.acPhaseDeg = value(i++);
        }
        continue;
      }
      if (t.kind == TokKind::Word && (ieq(t.text, "distof1") || ieq(t.text, "distof2"))) {
        // the inputs of ngspice's .disto analysis (magnitude, phase), which simcore does not run
        fe_.warnOnce(t, "distof", "'" + lower(t.text) + "' ignored: the distortion analysis (.disto) is not supported");
        ++i;
        if (isEqAt(i)) ++i;
        if (sourceValueAt(i)) {
          ++i;
          if (sourceValueAt(i)) ++i;
        }
        continue;
      }
      if (t.kind == TokKind::Word && isPortKeyword(t.text)) {
        i = portParam(i);
        continue;
      }
      ir::WaveKind wk = t.kind == TokKind::Word ? sourceWaveKind(t.text) : ir::WaveKind::None;
      // ngspice's AM(...), or AM followed by its values (`V1 1 0 AM 0.5 2 1.8 1k 100k`, as
      // SIN without parentheses); a bare 'am' before anything else may be a parameter's name
      if (t.kind == TokKind::Word && ieq(t.text, "am") && i + 1 < n_ &&
          (c_[i + 1].kind == TokKind::LParen || c_[i + 1].kind == TokKind::Expr ||
           (c_[i + 1].kind == TokKind::Word && looksNumeric(c_[i + 1].text) && !isEqAt(i + 2))))
        wk = ir::WaveKind::Am;
      if (wk != ir::WaveKind::None) {
        if (s.wave.kind != ir::WaveKind::None)
          failAt(t, ErrorCode::Semantic, what_ + " has two transient functions");
        i = wave(i, wk);
        continue;
      }
      if (sourceValueAt(i) && !s.hasDc) {
        s.dc = value(i++);
        s.hasDc = true;
        continue;
      }
      failAt(t, ErrorCode::Parse,
             "unexpected " + quoteTok(t.text) + " in " + what_ +
                 ": expected [DC] value, AC [mag [phase]], PULSE, SIN, EXP, PWL, SFFM, AM, TRNOISE or TRRANDOM" +
                 (d.letter == 'v' ? " or the port parameters PORTNUM, Z0, PWR, FREQ, PHASE" : ""));
    }
    if (!s.port && (portGiven_.z0 || portGiven_.pwr || portGiven_.freq || portGiven_.phase)) {
      const Token& at = *portGiven_.first;
      failAt(at, ErrorCode::Semantic,
             "'" + lower(at.text) + "' in " + what_ + " belongs to an RF port, which needs 'portnum N' (N = 1, 2, ...)");
    }
    if (s.port) {
      if (!(s.z0 > 0)) failAt(*portGiven_.z0, ErrorCode::Semantic, "z0 of port " + what_ + " must be > 0, got " + fmt(s.z0));
      if (portGiven_.pwr && !(s.portPower >= 0))
        failAt(*portGiven_.pwr, ErrorCode::Semantic, "pwr of port " + what_ + " must be >= 0, got " + fmt(s.portPower));
      if (portGiven_.freq && !(s.portFreq >= 0))
        failAt(*portGiven_.freq, ErrorCode::Semantic, "freq of port " + what_ + " must be >= 0, got " + fmt(s.portFreq));
      s.portWave = portGiven_.pwr || portGiven_.freq;
    }
  }

  // PORTNUM N, Z0 Z, PWR P, FREQ F, PHASE D (an '=' between allowed) of a V
  // source that is an RF port; returns the index after the value.
  struct PortGiven {
    const Token *first = nullptr, *z0 = nullptr, *pwr = nullptr, *freq = nullptr, *phase = nullptr;
  } portGiven_;
  std::size_t portParam(std::size_t i) {
    const Token& t = c_[i];
    const std::string key = lower(t.text);
    if (d.letter != 'v')
      failAt(t, ErrorCode::Parse, "'" + key + "' is a parameter of an RF port, a V source; " + what_ + " is not one");
    std::size_t v = isEqAt(i + 1) ? i + 2 : i + 1;
    if (!sourceValueAt(v)) failAt(t, ErrorCode::Parse, "expected a value after '" + key + "' in " + what_);
    ir::SourceSpec& s = d.source;
    const double x = value(v);
    auto once = [&](const Token*& slot) {
      if (slot) failAt(t, ErrorCode::Semantic, what_ + " gives '" + key + "' twice");
      slot = &t;
    };
    if (key == "portnum") {
      if (s.port) failAt(t, ErrorCode::Semantic, what_ + " gives 'portnum' twice");
      if (!(x >= 1) || x != std::floor(x) || x > 1e6)
        failAt(c_[v], ErrorCode::Semantic, "portnum of " + what_ + " must be a whole number >= 1, got " + fmt(x));
      s.port = static_cast<int>(x);
      s.portLoc = locOf(t);
    } else if (key == "z0") {
      once(portGiven_.z0);
      s.z0 = x;
    } else if (key == "pwr") {
      once(portGiven_.pwr);
      s.portPower = x;
    } else if (key == "freq") {
      once(portGiven_.freq);
      s.portFreq = x;
    } else {
      once(portGiven_.phase);
      s.portPhaseDeg = x;
    }
    if (!portGiven_.first && key != "portnum") portGiven_.first = &t;
    return v + 1;
  }

  bool pwlKey(std::size_t& j, std::size_t end, ir::Waveform& w) {
    if (w.kind != ir::WaveKind::Pwl || j >= end || c_[j].kind != TokKind::Word) return false;
    bool isR = ieq(c_[j].text, "r"), isTd = ieq(c_[j].text, "td");
    if (!isR && !isTd) return false;
    if (j + 1 < end && c_[j + 1].kind == TokKind::Eq) {
      if (j + 2 >= end) failAt(c_[j + 1], ErrorCode::Parse, "missing value after '" + lower(c_[j].text) + "='");
      double v = value(j + 2);
      if (isR) {
        if (v < 0) failAt(c_[j + 2], ErrorCode::Semantic, "PWL repeat time r=" + fmt(v) + " must be >= 0");
        w.pwlRepeat = v;
      } else {
        w.pwlDelay = v;
      }
      j += 3;
      return true;
    }
    if (isTd) failAt(c_[j], ErrorCode::Parse, "expected td=VALUE in PWL");
    w.pwlRepeat = 0.0;
    ++j;
    return true;
  }

  std::size_t wave(std::size_t i, ir::WaveKind kind) {
    const Token& kw = c_[i];
    std::string kname = lower(kw.text);
    for (char& ch : kname) ch = static_cast<char>(ch - 32);
    ir::Waveform& w = d.source.wave;
    w.kind = kind;
    w.loc = locOf(kw);
    std::vector<const Token*> argToks;
    ++i;
    // (a PWL may be written as parenthesised pairs, PWL (0 5) (1n 0): each group is read)
    bool grouped = false;
    for (bool group = true; group && i < n_ && c_[i].kind == TokKind::LParen;
         group = kind == ir::WaveKind::Pwl) {
      grouped = true;
      std::size_t close = i + 1;
      for (int depth = 1; close < n_; ++close) {
        if (c_[close].kind == TokKind::LParen) ++depth;
        else if (c_[close].kind == TokKind::RParen && --depth == 0) break;
      }
      for (std::size_t j = i + 1; j < close;) {
        const Token& t = c_[j];
        if (t.kind == TokKind::LParen || t.kind == TokKind::RParen) { ++j; continue; }
        if (pwlKey(j, close, w)) continue;
        if (t.kind != TokKind::Word && t.kind != TokKind::Expr)
          failAt(t, ErrorCode::Parse, "unexpected " + quoteTok(t.text) + " in " + kname + "(...)");
        if (isEqAt(j + 1))
          failAt(t, ErrorCode::Parse, "unexpected '" + lower(t.text) + "=' in " + kname + "(...)");
        argToks.push_back(&t);
        ++j;
      }
      i = close + 1;
      while (pwlKey(i, n_, w)) {}
    }
    if (!grouped) {
      for (;;) {
        if (pwlKey(i, n_, w)) continue;
        if (!sourceValueAt(i)) break;
        argToks.push_back(&c_[i++]);
      }
    }
    for (const Token* t : argToks) w.args.push_back(fe_.evalValue(*t, f_));
    std::size_t maxArgs = 0;
    switch (kind) {
      case ir::WaveKind::Pulse: maxArgs = 8; break;
      case ir::WaveKind::Sin: maxArgs = 7; break;  // (LTspice's Ncycles, the 7th)
      case ir::WaveKind::Exp: maxArgs = 6; break;
      case ir::WaveKind::Sffm: maxArgs = 7; break;
      case ir::WaveKind::Am: maxArgs = 7; break;
      case ir::WaveKind::TrNoise: maxArgs = 7; break;
      case ir::WaveKind::TrRandom: maxArgs = 5; break;
      default: maxArgs = static_cast<std::size_t>(-1); break;
    }
    if (w.args.size() < 2)
      failAt(kw, ErrorCode::Parse, kname + " of " + what_ + " needs at least 2 arguments, got " + std::to_string(w.args.size()));
    if (kind == ir::WaveKind::Sin && w.args.size() == 7 && w.args[6] != 0)
      fe_.warnOnce(*argToks[6], "sin-ncycles:" + d.name,
                   kname + " of " + what_ + ": its 7th value is LTspice's Ncycles: the sine stops after " +
                       std::string(argToks[6]->text) + " cycles and holds its last value, as in LTspice (ngspice 39 ignores the "
                       "value and keeps the sine running)");
    if (w.args.size() > maxArgs) {
      // ngspice 39 reads any number and uses its own (KiCad's legacy export
      // writes SINE(0 1.5 1k 0 0 0 0)): the extra ones ignored, said once
      fe_.warnOnce(*argToks[maxArgs], "extraargs:" + d.name,
                   kname + " of " + what_ + " takes at most " + std::to_string(maxArgs) + " values, got " +
                       std::to_string(w.args.size()) + ": the extra ones are ignored, as ngspice 39 does");
      w.args.resize(maxArgs);
    }
    // PULSE's width written as 0 (a triangle carrier: PULSE(-1 1 0 50u 50u 0 100u)) is a width
    // of 0 here; ngspice 39 (as SPICE3) takes a 0 as not given, TSTOP: a ramp held to the end of
    // the period. Said once per card, since results differ from ngspice's
    if (kind == ir::WaveKind::Pulse && w.args.size() >= 6 && w.args[5] == 0)
      fe_.warnOnce(*argToks[5], "pulse-pw0:" + (argToks[5]->file ? *argToks[5]->file : std::string()) + ":" +
                                    std::to_string(argToks[5]->line),
                   "PULSE of " + what_ + " has a width of 0: simcore takes it as 0 (with tr + tf = per, a triangle); "
                   "ngspice 39 takes a width of 0 as TSTOP (a ramp held until the period ends), so its results differ");
    if (kind == ir::WaveKind::Pwl) {
      if (w.args.size() % 2 != 0)
        failAt(*argToks.back(), ErrorCode::Parse, "PWL of " + what_ + " needs time-value pairs: got an odd number of values");
      for (std::size_t k = 2; k < w.args.size(); k += 2)
        if (w.args[k] < w.args[k - 2])
          failAt(*argToks[k], ErrorCode::Semantic,
                 "PWL time " + fmt(w.args[k]) + " is before the previous time " + fmt(w.args[k - 2]) +
                     ": PWL times must not decrease");
      if (w.args[0] < 0) failAt(*argToks[0], ErrorCode::Semantic, "PWL times must be >= 0");
      if (w.pwlRepeat > w.args[w.args.size() - 2])
        failAt(kw, ErrorCode::Semantic, "PWL repeat time r=" + fmt(w.pwlRepeat) + " is after the last PWL time");
    }
    return i;
  }

  Frontend& fe_;
  Frame& f_;
  const Card& c_;
  std::size_t n_;
  char letter_;
  const dev::DeviceKind* kind_ = nullptr;
  std::string what_;
};

}  // namespace

void Frontend::element(Frame& f, const Card& c) {
  char letter = lowerChar(c[0].text[0]);
  if (letter == 'x') {
    instantiate(f, c);
    return;
  }
  Card card = normalizeCard(c);
  Parasitics par;
  if (letter == 'c' || letter == 'l' || letter == 'b' || letter == 'v' || letter == 'r')
    card = takeParasitics(f, card, par);
  bool load = false;
  if (letter == 'i') card = takeLoadFlag(card, load);
  DeviceReader r(*this, f, card);
  r.read();
  if (load) {
    addCurrentLoad(f, c, std::move(r.d));
    return;
  }
  if (letter == 'u' && r.d.model >= 0 && c_.models[std::size_t(r.d.model)].type == "urc") {
    urcLine(f, card, std::move(r.d));
    return;
  }
  if (r.d.letter == 'y' && txlRcSections(f, card, r.d)) return;
  std::size_t idx = c_.devices.size();
  for (std::size_t k = 0; k < r.refs.size(); ++k) {
    const auto& rf = r.refs[k];
    refChecks_.push_back(RefCheck{idx + rf.owner, rf.owner ? rf.pos : k, rf.tok, rf.letter});
  }
  if (r.d.letter == 'a' && r.d.model >= 0 && hasParam(f, "vcc")) bridgeVcc_[idx] = bridgeVcc(f, r.d.loc);
  // LTspice's switch with LSER (devices/ltspice_switch.cpp): the switch ends at
  // an internal node #1 and an inductor LSER (named l<name>#ser) goes on to n-
  ir::Device lser;
  if (r.d.letter == 's' && r.d.model >= 0 && r.d.nodes.size() == 4 &&
      c_.models[std::size_t(r.d.model)].type == "ltspice@sw") {
    for (const ir::Param& q : c_.models[std::size_t(r.d.model)].params)
      if (q.name == "lser" && q.value > 0) {
        const std::string leaf = lower(c[0].text);
        lser.name = f.prefix + "l" + leaf + "#ser";
        lser.letter = 'l';
        lser.nodes = {nodeName(f, leaf + "#1"), r.d.nodes[1]};
        lser.value = q.value;
        lser.loc = r.d.loc;
        r.d.nodes[1] = lser.nodes[0];
      }
  }
  addDevice(std::move(r.d), c[0]);
  if (!lser.name.empty()) addDevice(std::move(lser), c[0]);
  for (ir::Device& x : r.aux) addDevice(std::move(x), c[0]);
  if (par.any()) addParasitics(f, c, par);
}

// As ngspice 39's Y reader (inp2y.c): a TXL line with R/L > 1.6e10 (R, L and the length
// nonzero) becomes three RC sections: resistors of 3/(R len) each (ngspice's value, not
// R len / 3) from in through the nodes txlnd1<name> and txlnd2<name> to out, and
// capacitors C len/6, C len/3, C len/3, C len/6 from in, the two nodes and out to the
// first reference node.
bool Frontend::txlRcSections(Frame& f, const Card& c, const ir::Device& y) {
  if (y.model < 0) return false;
  const ir::Model& m = c_.models[std::size_t(y.model)];
  if (m.type != "txl") return false;
  double r = 0, l = 0, cap = 0, len = 0;
  for (const ir::Param& p : m.params) {
    if (p.name == "r") r = p.value;
    if (p.name == "l") l = p.value;
    if (p.name == "c") cap = p.value;
    if (p.name == "length") len = p.value;
  }
  for (const ir::Param& p : y.params)
    if (p.name == "len") len = p.value;
  if (!(len != 0 && r != 0 && l != 0 && r / l > 1.6e10)) return false;
  const double res = 3.0 / (r * len), c6 = cap * len / 6.0;
  const std::string leaf = y.name.substr(f.prefix.size());
  const std::string in = y.nodes[0], gnd = y.nodes[1], out = y.nodes[2];
  const std::string n1 = nodeName(f, "txlnd1" + leaf), n2 = nodeName(f, "txlnd2" + leaf);
  auto device = [&](char letter, const std::string& suffix, const std::string& a, const std::string& b, double value) {
    ir::Device x;
    x.name = y.name + "#" + suffix;
    x.letter = letter;
    x.nodes = {a, b};
    x.value = value;
    x.loc = y.loc;
    addDevice(std::move(x), c[0]);
  };
  device('r', "res1", in, n1, res);
  device('r', "res2", n1, n2, res);
  device('r', "res3", n2, out, res);
  device('c', "cap1", in, gnd, c6);
  device('c', "cap2", n1, gnd, 2.0 * c6);
  device('c', "cap3", n2, gnd, 2.0 * c6);
  device('c', "cap4", out, gnd, c6);
  return true;
}

void Frontend::addDevice(ir::Device&& d, const Token& at) {
  if (c_.devices.size() >= kMaxDevices)
    failAt(at, ErrorCode::Limit, "circuit too large: more than " + std::to_string(kMaxDevices) + " devices");
  auto [it, fresh] = deviceIndex_.try_emplace(d.name, c_.devices.size());
  if (!fresh) {
    const ir::Device& prev = c_.devices[it->second];
    std::string why;
    // two sub-circuit instances of one name (ngspice 39 refuses such a deck too: "device
    // already exists", the simulation interrupted): name the two instance cards
    for (std::size_t dot = d.name.rfind('.'); dot != std::string::npos && dot > 0;
         dot = d.name.rfind('.', dot - 1)) {
      auto dup = dupInstances_.find(d.name.substr(0, dot));
      if (dup != dupInstances_.end()) {
        why = "; the instance '" + dup->first + "' is given twice (lines " + std::to_string(dup->second.first) +
              " and " + std::to_string(dup->second.second) + ") and both define it";
        break;
      }
    }
    failAt(at, ErrorCode::Semantic,
           "duplicate device name '" + d.name + "' (first defined at " + prev.loc.file + ":" + std::to_string(prev.loc.line) +
               ")" + why);
  }
  c_.devices.push_back(std::move(d));
}

void Frontend::xspiceTrtol() {
  if (c_.options.trtol <= 1) return;
  if (!codeModelSources_ &&
      std::none_of(c_.devices.begin(), c_.devices.end(), [](const ir::Device& d) { return d.letter == 'a'; }))
    return;
  // `set xtrtol=N` before the first analysis overrides the 1, as in ngspice (its value then is the one read)
  double trtol = 1;
  const ir::Script& s = c_.script;
  for (std::size_t k = 0; k < s.statements.size() && k < s.after.size() && s.after[k] == 0; ++k) {
    const ir::ScriptStatement& st = s.statements[k];
    if (st.command == "set")
      for (const auto& [name, values] : script::parseSetArgs(st.args))
        if (name == "xtrtol" && values.size() == 1) {
          double v = 0;
          std::string why;
          if (parseNumber(values[0], v, why) && v >= 1) trtol = std::trunc(v);
        }
    if (st.command == "unset" && st.args.find("xtrtol") != std::string::npos) trtol = 1;
  }
  c_.options.trtol = trtol;
}

void Frontend::checkRefs() {
  for (const RefCheck& rc : refChecks_) {
    const ir::Device& d = c_.devices[rc.device];
    const std::string& target = d.refs[rc.ref];
    const char* want = rc.letter == 'l' ? "inductor" : "voltage source";  // (%vnam: usually a voltage source)
    auto it = deviceIndex_.find(target);
    if (it == deviceIndex_.end())
      failAt(*rc.tok, ErrorCode::Semantic,
             std::string(deviceKindName(kinds_, d.letter)) + " '" + d.name + "' refers to " + want + " '" + target +
                 "', which does not exist");
    if (rc.letter == '*') {
      // %vnam: a device with a branch current
      const ir::Device& t = c_.devices[it->second];
      const bool branch = t.letter == 'v' || t.letter == 'l' || t.letter == 'e' || t.letter == 'h' ||
                          (t.letter == 'b' && t.behaviour && t.behaviour->output == ir::Behaviour::Output::Voltage);
      if (!branch)
        failAt(*rc.tok, ErrorCode::Semantic,
               std::string(deviceKindName(kinds_, d.letter)) + " '" + d.name + "' reads the current of '" + target +
                   "', which carries no branch current (a voltage source, inductor, E, H or B voltage source has one)");
      continue;
    }
    if (c_.devices[it->second].letter != rc.letter)
      failAt(*rc.tok, ErrorCode::Semantic,
             std::string(deviceKindName(kinds_, d.letter)) + " '" + d.name + "' refers to '" + target + "', which is not a " + want);
  }
}

}  // namespace simcore::netlist
