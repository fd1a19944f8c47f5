// Elaboration: parameter scopes, models and sub-circuit expansion.
//
// Scoping: a frame sees its own parameters and models and those of the
// frames of its lexically enclosing definitions (always including the top
// level). Parameters are evaluated lazily, so a .param may refer to one
// defined later in the same scope; every parameter of a frame is forced when
// the frame is created, which reports cycles and undefined names even for
// unused parameters.
#include <algorithm>
#include <cctype>

#include "devices/descriptor.hpp"
#include "netlist/frontend.hpp"
#include "netlist/number.hpp"
#include "netlist/xspice_files.hpp"

namespace simcore::netlist {
namespace {

// A parameter's name as the docs write it (messages).
std::string upperName(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

// A number as %g (messages).
std::string fmtVersion(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

class FrameEnv final : public ParamLookup {
 public:
  FrameEnv(Frontend& fe, Frame& f) : fe_(fe), f_(f) {}
  double lookup(std::string_view name, const SourceLoc& at) override { return fe_.lookupParam(f_, name, at); }
  bool defines(std::string_view name) override { return fe_.hasParam(f_, name); }
  const FuncDef* func(std::string_view name) override { return fe_.findFunc(f_, name); }
  const FuncDef* temperFunc(std::string_view name) override { return fe_.temperFunc(f_, name); }
  double random(std::string_view name, const std::vector<double>& args, const SourceLoc& at) override {
    return fe_.random(name, args, at);
  }

 private:
  Frontend& fe_;
  Frame& f_;
};

bool visibleFrom(const SubcktDef* owner, const SubcktDef* from) {
  for (const SubcktDef* d = from; d; d = d->parent)
    if (d == owner) return true;
  return false;
}

// A Word that starts like a number but holds operators: evaluate as expression.
// Whether a token of the sub-circuit's body or .subckt line names `lname`
// (lower case) as a word: a parameter the body uses.
bool bodyMentions(const SubcktDef& d, std::string_view lname) {
  auto word = [&](std::string_view text) {
    auto id = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; };
    for (std::size_t p = 0; p + lname.size() <= text.size(); ++p) {
      if (p > 0 && id(text[p - 1])) continue;
      if (p + lname.size() < text.size() && id(text[p + lname.size()])) continue;
      bool eq = true;
      for (std::size_t k = 0; k < lname.size() && eq; ++k)
        eq = std::tolower(static_cast<unsigned char>(text[p + k])) == lname[k];
      if (eq) return true;
    }
    return false;
  };
  auto cards = [&](const std::vector<Card>& cs) {
    for (const Card& c : cs)
      for (std::size_t i = 1; i < c.size(); ++i)
        if (word(c[i].text)) return true;
    return false;
  };
  auto params = [&](const std::vector<ParamSrc>& ps) {
    for (const ParamSrc& p : ps) {
      if (word(p.expr.text)) return true;
      for (const Token* t : p.valueToks)
        if (word(t->text)) return true;
    }
    return false;
  };
  return params(d.defaults) || params(d.params) || cards(d.models) || cards(d.elements) || cards(d.initial) ||
         cards(d.thermal);
}

bool hasOperator(std::string_view s) {
  for (std::size_t i = 1; i < s.size(); ++i) {
    char c = s[i];
    if (c == '*' || c == '/' || c == '^' || c == '%' || c == '<' || c == '>' || c == '?' || c == '!' || c == '&' ||
        c == '|')
      return true;
    if ((c == '+' || c == '-') && s[i - 1] != 'e' && s[i - 1] != 'E') return true;
  }
  return false;
}

// Model types are the device kinds' (registry order); "d, npn, ... or l" for messages.
bool knownModelType(const dev::KindTable& kinds, std::string_view type) {
  for (const dev::DeviceKind* k : kinds.all())
    for (const char* t : k->modelTypes)
      if (type == t) return true;
  return false;
}
std::string modelTypeList(const dev::KindTable& kinds) {
  std::vector<std::string> all;
  for (const dev::DeviceKind* k : kinds.all())
    for (const char* t : k->modelTypes)
      if (std::string_view(t).find('@') == std::string_view::npos && std::find(all.begin(), all.end(), t) == all.end())
        all.emplace_back(t);
  std::string s;
  for (std::size_t i = 0; i < all.size(); ++i) s += (i == 0 ? "" : i + 1 == all.size() ? " or " : ", ") + all[i];
  return s;
}

std::string frameName(const Frame& f) {
  std::string p = f.prefix;
  if (!p.empty()) p.pop_back();
  return p + " (" + f.def->name + ")";
}

}  // namespace

double Frontend::evalValue(const Token& t, Frame& f) {
  FrameEnv env(*this, f);
  return evalValue(t, env);
}

double Frontend::evalValue(const Token& t, ParamLookup& env) {
  switch (t.kind) {
    case TokKind::Expr: {
      std::string_view inner = t.text.substr(1, t.text.size() - 2);
      return evalExpr(ExprSrc{inner, t.file, t.line, t.col + 1}, env, exprDepth_);
    }
    case TokKind::Word: {
      if (looksNumeric(t.text) && !hasOperator(t.text)) {
        double v = 0.0;
        std::string why;
        if (parseNumber(t.text, v, why)) return v;
        // in an included library, as ngspice reads it (vendor models' 1m2,
        // 15.8m0): the rest is ignored, with a warning; in the netlist itself
        // an error (4k7 is 4.7k only in LTspice)
        if (!ownFile(t.file) && parseNumberPrefix(t.text, v)) {
          warnOnce(t, "number:" + *t.file,
                   "number " + quoteTok(t.text) + " read as ngspice reads it, " + fmtVersion(v) +
                       " (what follows the number and its suffix is ignored; so in the other numbers of this file)");
          return v;
        }
        // a number, its suffix, then '_' and a label (2_k, 0.1_r): ngspice reads the number and
        // ignores the rest, so here too, with a warning (never a decimal separator, as 4k7's)
        const std::string text(t.text);
        if (const std::size_t us = text.find('_'); us != std::string::npos && us > 0) {
          double head = 0.0;
          std::string headWhy;
          if (parseNumber(std::string_view(text).substr(0, us), head, headWhy)) {
            double scaled = 0.0;
            const bool scale = parseNumber("1" + text.substr(us + 1), scaled, headWhy) && scaled != 1.0;
            warnOnce(t, "number_:" + text,
                     "number " + quoteTok(t.text) + " read as ngspice reads it, " + fmtVersion(head) + " ('" +
                         text.substr(us) + "' is ignored" +
                         (scale ? "; for its scale factor write " + text.substr(0, us) + text.substr(us + 1) : "") +
                         ")");
            return head;
          }
        }
        failAt(t, ErrorCode::Parse, "bad number " + quoteTok(t.text) + ": " + why);
      }
      return evalExpr(ExprSrc{t.text, t.file, t.line, t.col}, env, exprDepth_);
    }
    default:
      failAt(t, ErrorCode::Parse, "expected a value, found " + quoteTok(t.text));
  }
}

double Frontend::readerTemperature() {
  // (the cards are read after the parameters: the first value of a .temp
  // card, else .options temp, else 27)
  double t = earlyOption("temp").value_or(27.0);
  for (const Card& c : controls_) {
    const std::size_t at = c.size() > 2 && c[1].kind == TokKind::Eq ? 2 : 1;  // .temp = 20
    if (ieq(c[0].text, ".temp") && c.size() > at && c[at].kind == TokKind::Word) {
      double v = 0;
      std::string why;
      if (parseNumber(c[at].text, v, why)) t = v;
      break;
    }
  }
  return t;
}

namespace {
// The expression text of a value token ({...}: what is inside).
ExprSrc valueSource(const Token& t) {
  if (t.kind == TokKind::Expr) return ExprSrc{t.text.substr(1, t.text.size() - 2), t.file, t.line, t.col + 1};
  return ExprSrc{t.text, t.file, t.line, t.col};
}
}  // namespace

double Frontend::evalTemperValue(const Token& t, Frame& f, std::shared_ptr<const ir::Expression>* temper) {
  if (temper) temper->reset();
  const bool okBefore = temperOk_, seenBefore = temperSeen_;
  temperOk_ = true;
  temperSeen_ = false;
  double v = 0.0;
  bool seen = false;
  try {
    v = evalValue(t, f);
    seen = temperSeen_;
  } catch (...) {
    temperOk_ = okBefore;
    temperSeen_ = seenBefore;
    throw;
  }
  temperOk_ = okBefore;
  temperSeen_ = seenBefore;
  if (!seen || !temper) return v;
  // the same text as a function of temper: parameters folded, temper-dependent
  // .params expanded (temperFunc)
  FrameEnv env(*this, f);
  auto e = std::make_shared<ir::Expression>(compileExpr(valueSource(t), env, exprDepth_));
  for (const ir::ExprNode& n : e->nodes)
    if (n.op == ir::ExprOp::Var || n.op == ir::ExprOp::Time || n.op == ir::ExprOp::Hertz) {
      SourceLoc l = e->loc;
      l.col += int(n.col);
      fail(ErrorCode::Semantic, "a parameter value that reads temper may not read v(), i(), time or hertz", l);
    }
  *temper = std::move(e);
  return v;
}

const FuncDef* Frontend::temperFunc(Frame& from, std::string_view name) {
  std::string key(name);
  for (Frame* fr = &from; fr; fr = fr->parent) {
    if (!visibleFrom(fr->def, from.def)) continue;
    auto it = fr->params.find(key);
    if (it == fr->params.end()) continue;
    Frame::Slot& s = it->second;
    if (s.state == Frame::State::Pending && !s.temper && !s.random) {
      // (evaluated once to learn whether it reads temper)
      const bool okBefore = temperOk_, seenBefore = temperSeen_;
      temperOk_ = true;
      try {
        (void)lookupParam(from, name, SourceLoc{});
      } catch (...) {
        temperOk_ = okBefore;
        temperSeen_ = seenBefore;
        throw;
      }
      temperOk_ = okBefore;
      temperSeen_ = seenBefore;
    }
    if (!s.temper) return nullptr;
    if (!s.temperBody) {
      const ExprSrc src = s.src->tok ? valueSource(*s.src->tok) : s.src->expr;
      auto fd = std::make_shared<FuncDef>();
      fd->name = key;
      fd->body = parseExpr(src, ExprMode::Behaviour, exprDepth_);
      s.temperBody = std::move(fd);
    }
    return s.temperBody.get();
  }
  return nullptr;
}

double Frontend::evalCondition(Frame& f, const Card& c) {
  FrameEnv env(*this, f);
  return evalExpr(exprSource(c, 1, c.size()), env, exprDepth_);
}

double Frontend::evalParam(const ParamSrc& p, Frame& f) {
  FrameEnv env(*this, f);
  return evalParam(p, env);
}

double Frontend::evalParam(const ParamSrc& p, ParamLookup& env) {
  if (p.tok) return evalValue(*p.tok, env);
  return evalExpr(p.expr, env, exprDepth_);
}

double Frontend::lookupParam(Frame& from, std::string_view name, const SourceLoc& at) {
  std::string key(name);
  for (Frame* fr = &from; fr; fr = fr->parent) {
    if (!visibleFrom(fr->def, from.def)) continue;
    auto it = fr->params.find(key);
    if (it == fr->params.end()) continue;
    Frame::Slot& s = it->second;
    // a .param that reads temper, where the value cannot follow the temperature
    auto notHere = [&] {
      fail(ErrorCode::Semantic,
           "parameter '" + key + "' reads temper (the circuit temperature): it may be used only in .param "
           "definitions, the values of instance and model parameters (as ngspice 39, not of V I B E F G H) and "
           "behavioural expressions",
           at);
    };
    if (s.temper && !temperOk_) notHere();
    auto isText = [&] {
      fail(ErrorCode::Semantic,
           "parameter '" + key + "' is a string (\"" + s.text +
               "\"): it can be a value only where a string is read (a d_lut's table_values, a sub-circuit's string "
               "parameter), not a number",
           at);
    };
    if (s.state == Frame::State::Done && s.isString) isText();
    if (s.state == Frame::State::Done) return s.value;
    if (s.state == Frame::State::Pending && s.src && s.src->quoted) {
      (void)lookupString(*fr, key);
      if (s.isString) isText();
    }
    if (s.temper) temperSeen_ = true;
    if (s.state == Frame::State::Busy) {
      std::string chain;
      auto pos = std::find(evalStack_.begin(), evalStack_.end(), key);
      for (; pos != evalStack_.end(); ++pos) chain += *pos + " -> ";
      fail(ErrorCode::Semantic, "parameter cycle: " + chain + key, at);
    }
    if (evalStack_.size() >= kMaxParamDepth)
      fail(ErrorCode::Limit, "parameter definitions nested too deeply (more than " + std::to_string(kMaxParamDepth) + ")", at);
    s.state = Frame::State::Busy;
    evalStack_.push_back(key);
    // (a .param may read temper: its value at the reader's temperature)
    const bool okBefore = temperOk_, seenBefore = temperSeen_;
    temperOk_ = true;
    temperSeen_ = false;
    double v = 0.0;
    try {
      v = evalParam(*s.src, *fr);
    } catch (...) {
      temperOk_ = okBefore;
      temperSeen_ = seenBefore;
      throw;
    }
    if (temperSeen_) s.temper = true;
    temperOk_ = okBefore;
    temperSeen_ = seenBefore || s.temper;
    evalStack_.pop_back();
    s.value = v;
    s.state = s.random || s.temper ? Frame::State::Pending : Frame::State::Done;
    if (s.temper && !okBefore) notHere();
    return v;
  }
  // names PSpice and LTspice libraries use without defining them (ngspice 39
  // rejects them): TEMP, the circuit temperature (a behavioural expression
  // reads the running analysis's; a value, the circuit's .temp), and
  // ngspice's physical constants (its const.h)
  struct Builtin {
    const char* name;
    double value;
  };
  static constexpr Builtin kBuiltins[] = {
      {"boltz", 1.38064852e-23}, {"echarge", 1.6021766208e-19}, {"planck", 6.626070040e-34}, {"kelvin", -273.15}};
  // ngspice's temper in an instance or model parameter (or a .param they
  // use): the circuit temperature; the value keeps its expression
  if (key == "temper" && temperOk_) {
    temperSeen_ = true;
    return readerTemperature();
  }
  if (key == "temper")
    fail(ErrorCode::Semantic,
         "'temper' (the circuit temperature) may appear only in .param definitions, the values of instance and model "
         "parameters, and behavioural expressions",
         at);
  if (key == "temp") {
    const double t = readerTemperature();
    if (warned_.insert("param:temp").second)
      c_.warnings.push_back(ir::Diagnostic{
          "'temp' (PSpice's and LTspice's circuit temperature, which ngspice 39 does not define) read as the circuit "
          "temperature: " + fmtVersion(t) + " degC in a value (the first of a .temp list), the running analysis's "
          "(ngspice's temper) in a behavioural expression",
          at});
    return t;
  }
  // ngspice's PSpice mode (ngbehavior ps) defines VT, the thermal voltage (temper + 273.15) k/q,
  // and GMIN, 1e-12 (not .options gmin), for every deck and sub-circuit
  if (key == "vt" || key == "gmin") {
    const double v = key == "gmin" ? 1e-12 : (readerTemperature() + 273.15) * kPspiceVtPerKelvin;
    if (warned_.insert("param:" + key).second)
      c_.warnings.push_back(ir::Diagnostic{
          "'" + key + "' read as ngspice's PSpice mode defines it: " +
              (key == "gmin" ? std::string("1e-12") : "the thermal voltage, " + fmtVersion(v) + " V in a value, at the running analysis's temperature in a behavioural expression"),
          at});
    return v;
  }
  for (const Builtin& b : kBuiltins)
    if (key == b.name) {
      if (warned_.insert("param:" + key).second)
        c_.warnings.push_back(ir::Diagnostic{
            "'" + key + "' read as ngspice's constant " + fmtVersion(b.value) + " (ngspice 39 defines it only in .control scripts)",
            at});
      return b.value;
    }
  fail(ErrorCode::Semantic, "undefined parameter '" + key + "'", at);
}

const std::string* Frontend::lookupString(Frame& from, std::string_view name) {
  std::string key(name);
  for (Frame* fr = &from; fr; fr = fr->parent) {
    if (!visibleFrom(fr->def, from.def)) continue;
    auto it = fr->params.find(key);
    if (it == fr->params.end()) continue;
    Frame::Slot& s = it->second;
    if (s.state == Frame::State::Done) return s.isString ? &s.text : nullptr;
    // (a cycle, or one being evaluated as a number: not a string here; lookupParam reports cycles)
    if (s.notString || s.state == Frame::State::Busy || !s.src || s.random || s.temper) return nullptr;
    s.state = Frame::State::Busy;
    std::optional<std::string> text;
    try {
      text = stringExpr(*fr, s.src->valueToks);
    } catch (...) {
      s.state = Frame::State::Pending;
      throw;
    }
    s.state = Frame::State::Pending;
    if (!text) {
      if (s.src->quoted)
        failAt(*s.src->nameTok, ErrorCode::Semantic,
               "the string value of '" + key + "' names something that is not a string parameter (ngspice joins "
               "quoted strings and string parameters' names written side by side: or{and})");
      s.notString = true;  // (checked once: a chain of parameters is not walked again)
      return nullptr;
    }
    s.isString = true;
    s.text = std::move(*text);
    s.state = Frame::State::Done;
    return &s.text;
  }
  return nullptr;
}

std::optional<std::string> Frontend::stringExpr(Frame& f, const std::vector<const Token*>& toks) {
  if (toks.empty()) return std::nullopt;
  std::string out;
  for (const Token* t : toks) {
    if (t->kind == TokKind::Str) {
      out.append(t->text.substr(1, t->text.size() - 2));
      continue;
    }
    std::string_view id = t->text;
    if (t->kind == TokKind::Expr) id = id.substr(1, id.size() - 2);
    else if (t->kind != TokKind::Word) return std::nullopt;
    while (!id.empty() && id.front() == ' ') id.remove_prefix(1);
    while (!id.empty() && id.back() == ' ') id.remove_suffix(1);
    if (id.empty() || !(std::isalpha(static_cast<unsigned char>(id[0])) || id[0] == '_')) return std::nullopt;
    for (char ch : id)
      if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_')) return std::nullopt;
    const std::string* v = lookupString(f, lower(id));
    if (!v) return std::nullopt;
    out += *v;
  }
  return out;
}

void Frontend::resolveParam(Frame& f, const std::string& name, const SourceLoc& at) {
  if (lookupString(f, name)) return;
  (void)lookupParam(f, name, at);
}

bool Frontend::hasParam(Frame& from, std::string_view name) const {
  std::string key(name);
  for (Frame* fr = &from; fr; fr = fr->parent)
    if (visibleFrom(fr->def, from.def) && fr->params.count(key)) return true;
  return false;
}

int Frontend::findModel(Frame& f, std::string_view lname) {
  std::string key(lname);
  for (Frame* fr = &f; fr; fr = fr->parent) {
    if (!visibleFrom(fr->def, f.def)) continue;
    auto it = fr->models.find(key);
    if (it != fr->models.end()) return it->second;
    if (fr->pendingModels.count(key)) return readPendingModel(*fr, key);
    if (fr->badModels.count(key)) return -1;
  }
  return -1;
}

int Frontend::readPendingModel(Frame& f, const std::string& lname) {
  auto it = f.pendingModels.find(lname);
  const Card& c = f.def->models[it->second];
  f.pendingModels.erase(it);
  return addLibraryModel(f, c, lname) ? f.models.at(lname) : -1;
}

bool Frontend::addLibraryModel(Frame& f, const Card& c, const std::string& name) {
  try {
    addModel(f, c, name);
    return true;
  } catch (NetlistError& e) {
    // left out silently, as ngspice 39 reads only the models its elements use: an element that
    // uses this one fails with the reason (sky130's library holds two cards of parameters it
    // never defines, which every deck would otherwise be warned about)
    f.badModels.emplace(name, std::move(e.err));
    return false;
  }
}

void Frontend::dropForeignParams(int model, const dev::DeviceKind& kind) {
  if (!modelsChecked_.emplace(model, &kind).second) return;
  ir::Model& m = c_.models[static_cast<std::size_t>(model)];
  // SPICE2's names that ngspice 39 no longer reads, left out with a warning in any file
  // (CircuitSim90's bipolar decks give PT, SPICE2's XTI)
  static const std::pair<const char*, const char*> kSpice2[] = {{"pt", "xti"}};
  std::erase_if(m.params, [&](const ir::Param& p) {
    for (const auto& [old, now] : kSpice2)
      if (p.name == old && !kind.find(dev::ParamScope::Model, p.name) && kind.find(dev::ParamScope::Model, now)) {
        if (warned_.insert("spice2:" + m.name + ":" + p.name).second)
          c_.warnings.push_back(ir::Diagnostic{"model parameter '" + p.name + "' of .model '" + m.name +
                                                   "' ignored, as ngspice 39 ignores it: it is SPICE2's name for " +
                                                   upperName(now) + " (write " + upperName(now) + "= for its effect)",
                                               p.loc});
        return true;
      }
    return false;
  });
  if (ownFile(m.loc.file)) return;
  std::erase_if(m.params, [&](const ir::Param& p) {
    if (kind.find(dev::ParamScope::Model, p.name)) return false;
    if (warned_.insert("foreign:" + p.loc.file + ":" + p.name).second)
      c_.warnings.push_back(ir::Diagnostic{"model parameter '" + p.name + "' of .model '" + m.name + "' ignored: the " +
                                               kind.name + " has no such parameter (ngspice ignores it too; so is '" +
                                               p.name + "' in the other models of this file)",
                                           p.loc});
    return true;
  });
}

const Error* Frontend::findBadModel(Frame& f, std::string_view lname) {
  std::string key(lname);
  for (Frame* fr = &f; fr; fr = fr->parent) {
    if (!visibleFrom(fr->def, f.def)) continue;
    if (fr->models.count(key)) return nullptr;
    auto it = fr->badModels.find(key);
    if (it != fr->badModels.end()) return &it->second;
  }
  return nullptr;
}

std::vector<Frontend::BinRef> Frontend::findModelBins(Frame& f, std::string_view lname) {
  std::vector<BinRef> bins;
  auto isBin = [&](const std::string& name) {
    if (name.size() <= lname.size() + 1 || name.compare(0, lname.size(), lname) != 0 || name[lname.size()] != '.')
      return false;
    const std::string_view suffix = std::string_view(name).substr(lname.size() + 1);
    return std::all_of(suffix.begin(), suffix.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  };
  for (Frame* fr = &f; fr && bins.empty(); fr = fr->parent) {
    if (!visibleFrom(fr->def, f.def)) continue;
    for (const auto& [name, idx] : fr->models)
      if (isBin(name)) {
        auto card = fr->modelCards.find(name);
        bins.push_back(BinRef{fr, name, card != fr->modelCards.end() ? card->second : fr->def->models.size()});
      }
    for (const auto& [name, card] : fr->pendingModels)
      if (isBin(name)) bins.push_back(BinRef{fr, name, card});
  }
  // definition order
  std::sort(bins.begin(), bins.end(), [](const BinRef& a, const BinRef& b) { return a.card < b.card; });
  return bins;
}

std::array<double, 4> Frontend::binLimits(const BinRef& bin) {
  std::array<double, 4> r{0.0, 1.0, 0.0, 1.0};
  static const char* const names[4] = {"lmin", "lmax", "wmin", "wmax"};
  if (auto it = bin.frame->models.find(bin.name); it != bin.frame->models.end()) {
    for (const ir::Param& p : c_.models[static_cast<std::size_t>(it->second)].params)
      for (int k = 0; k < 4; ++k)
        if (p.name == names[k]) r[static_cast<std::size_t>(k)] = p.value;
    return r;
  }
  // a pending card: its name=value pairs for the four (a value as the model reads it, a
  // number or an expression of the frame's parameters); the last one given counts
  const Card& c = bin.frame->def->models[bin.card];
  for (std::size_t i = 3; i + 2 < c.size(); ++i)
    if (c[i].kind == TokKind::Word && c[i + 1].kind == TokKind::Eq &&
        (c[i + 2].kind == TokKind::Word || c[i + 2].kind == TokKind::Expr))
      for (int k = 0; k < 4; ++k)
        if (ieq(c[i].text, names[k])) r[static_cast<std::size_t>(k)] = evalValue(c[i + 2], *bin.frame);
  return r;
}

const SubcktDef* Frontend::findDef(const SubcktDef* scope, std::string_view lname) const {
  std::string key(lname);
  for (const SubcktDef* d = scope; d; d = d->parent) {
    auto it = d->children.find(key);
    if (it != d->children.end()) return it->second.get();
  }
  return nullptr;
}

std::string Frontend::node(const Frame& f, const Token& t, std::string_view owner) {
  if (t.kind != TokKind::Word)
    failAt(t, ErrorCode::Parse, "expected a node name for " + std::string(owner) + ", found " + quoteTok(t.text));
  return nodeName(f, lower(t.text));
}

std::string Frontend::nodeName(const Frame& f, std::string_view lname) const {
  std::string n(lname);
  if (n == "gnd" || n == "0") return "0";
  if (f.prefix.empty()) return n;
  auto it = f.pins.find(n);
  if (it != f.pins.end()) return it->second;
  if (globals_.count(n)) return n;
  // PSpice's $G_ nodes ($G_DPWR, $G_DGND) are global
  if (n.size() > 3 && n.compare(0, 3, "$g_") == 0) return n;
  return f.prefix + n;
}

bool Frontend::isValueToken(const Card& c, std::size_t i) const {
  if (i >= c.size()) return false;
  const Token& t = c[i];
  if (t.kind == TokKind::Expr) return true;
  if (t.kind != TokKind::Word) return false;
  return !(i + 1 < c.size() && c[i + 1].kind == TokKind::Eq);
}

namespace {


// LTspice's datasheet fields of a .model card (its part browser shows them).
bool isDatasheetAnnotation(std::string_view n) {
  return n == "mfg" || n == "type" || n == "iave" || n == "vpk" || n == "ipk" || n == "vceo" || n == "icrating";
}

const dev::ParamSpec* modelSpec(const dev::KindTable& kinds, std::string_view type, std::string_view name) {
  for (const dev::DeviceKind* k : kinds.all())
    for (const char* t : k->modelTypes)
      if (type == t) return k->find(dev::ParamScope::Model, name);
  return nullptr;
}

// The instance parameter `name` of the kind of this model type (nmos@49: that level's).
const dev::ParamSpec* instanceSpec(const dev::KindTable& kinds, std::string_view type, std::string_view name) {
  for (const dev::DeviceKind* k : kinds.all())
    for (const char* t : k->modelTypes)
      if (type == t) return k->find(dev::ParamScope::Instance, name);
  return nullptr;
}

// A flag of a level-selected kind of this model type (BSIM1's bare XPART on
// an nmos card, whose LEVEL may come later on the card): the first kind of
// type@N that declares the word as a flag.
const dev::ParamSpec* levelFlagSpec(const dev::KindTable& kinds, std::string_view type, std::string_view name) {
  for (const dev::DeviceKind* k : kinds.all())
    for (const char* t : k->modelTypes) {
      const std::string_view ts(t);
      if (ts.size() > type.size() && ts.substr(0, type.size()) == type && ts[type.size()] == '@')
        if (const dev::ParamSpec* p = k->find(dev::ParamScope::Model, name); p && p->flag) return p;
    }
  return nullptr;
}

// A model parameter of this model type or of a level-selected kind of it
// (type@N): the parameters a .model card of that type may name.
const dev::ParamSpec* anyLevelSpec(const dev::KindTable& kinds, std::string_view type, std::string_view name) {
  if (const dev::ParamSpec* p = modelSpec(kinds, type, name)) return p;
  for (const dev::DeviceKind* k : kinds.all())
    for (const char* t : k->modelTypes) {
      const std::string_view ts(t);
      if (ts.size() > type.size() && ts.substr(0, type.size()) == type && ts[type.size()] == '@')
        if (const dev::ParamSpec* p = k->find(dev::ParamScope::Model, name)) return p;
    }
  return nullptr;
}

// An instance parameter of this model type or of a level-selected kind of it.
const dev::ParamSpec* anyLevelInstanceSpec(const dev::KindTable& kinds, std::string_view type, std::string_view name) {
  for (const dev::DeviceKind* k : kinds.all())
    for (const char* t : k->modelTypes) {
      const std::string_view ts(t);
      if (ts == type || (ts.size() > type.size() && ts.substr(0, type.size()) == type && ts[type.size()] == '@'))
        if (const dev::ParamSpec* p = k->find(dev::ParamScope::Instance, name)) return p;
    }
  return nullptr;
}

// Token t with `front` characters cut from its start and `back` from its end.
Token trimmed(const Token& t, std::size_t front, std::size_t back) {
  Token r = t;
  r.text = t.text.substr(front, t.text.size() - front - back);
  r.col = t.col + static_cast<std::uint32_t>(front);
  return r;
}

}  // namespace

std::size_t Frontend::modelValue(Frame& f, const Card& c, std::size_t i, const dev::ParamSpec* spec,
                                 const std::string& what, ir::Param& out) {
  const Token& t = c[i];
  if (t.kind == TokKind::Word && !t.text.empty() && t.text[0] == '[') {
    // [ v1 v2 ... ]: brackets may stand alone or touch the first and last value
    const Token& open = t;
    std::vector<Token> elems;
    std::size_t j = i;
    bool closed = false;
    for (; j < c.size() && !closed; ++j) {
      const Token& e = c[j];
      if (e.kind != TokKind::Word && e.kind != TokKind::Expr)
        failAt(e, ErrorCode::Parse, "unexpected " + quoteTok(e.text) + " in the vector value of " + what);
      std::size_t front = j == i ? 1 : 0, back = 0;
      if (e.kind == TokKind::Word) {
        const std::string_view body = e.text.substr(front);
        if (body.find('[') != std::string_view::npos)
          failAt(e, ErrorCode::Parse, "nested '[' in the vector value of " + what);
        const std::size_t close = body.find(']');
        if (close != std::string_view::npos) {
          if (close + 1 != body.size())
            failAt(e, ErrorCode::Parse, "unexpected " + quoteTok(body.substr(close + 1)) + " after ']' in " + what);
          back = 1;
          closed = true;
        }
      }
      if (e.text.size() > front + back) elems.push_back(trimmed(e, front, back));
    }
    if (!closed) failAt(open, ErrorCode::Parse, "'[' without a closing ']' in the vector value of " + what);
    if (elems.empty()) failAt(open, ErrorCode::Parse, "empty vector '[]' as the value of " + what);
    for (const Token& e : elems) out.values.push_back(evalValue(e, f));
    out.value = out.values.front();
    return j;
  }
  if (spec && spec->keywords && ((t.kind == TokKind::Word && !looksNumeric(t.text)) || t.kind == TokKind::Str)) {
    // a keyword, bare or quoted (multi_input_pwl's model="and")
    const std::string_view word = t.kind == TokKind::Str ? t.text.substr(1, t.text.size() - 2) : t.text;
    const int k = spec->keywordValue(word);
    if (k < 0) {
      std::string list = spec->keywords;
      for (char& ch : list)
        if (ch == ' ') ch = '|';
      failAt(t, ErrorCode::Semantic, "unexpected " + quoteTok(t.text) + " as the value of " + what + ": expected " + list);
    }
    out.value = k;
    return i + 1;
  }
  if (t.kind == TokKind::Word && i + 1 < c.size() && c[i + 1].kind == TokKind::LParen && c[i + 1].line == t.line &&
      c[i + 1].col == t.col + t.text.size()) {
    // an unbraced function call (vendor Monte-Carlo models: tox=AGAUSS(9n, 0.9n, 3)):
    // the expression runs to the matching ')'
    std::size_t j = i + 1;
    int depth = 0;
    for (; j < c.size(); ++j) {
      if (c[j].kind == TokKind::LParen) ++depth;
      else if (c[j].kind == TokKind::RParen && --depth == 0) break;
    }
    if (j >= c.size()) failAt(c[i + 1], ErrorCode::Parse, "'(' is never closed in the value of " + what);
    FrameEnv env(*this, f);
    out.value = evalExpr(exprSource(c, i, j + 1), env, exprDepth_);
    return j + 1;
  }
  if (t.kind == TokKind::Word && looksNumeric(t.text) && hasOperator(t.text) && parseNumberPrefix(t.text, out.value)) {
    // an unbraced number with arithmetic after it (a vendor library's VTO=-2.10-2.1):
    // ngspice 39 reads a .model value as a number and ignores what follows it
    warnOnce(t, "modelnumber:" + std::string(t.text),
             "value " + quoteTok(t.text) + " of " + what + " read as ngspice reads an unbraced .model value, " +
                 fmtVersion(out.value) + " (what follows the number is ignored; write {" + std::string(t.text) +
                 "} for the expression)");
    return i + 1;
  }
  out.value = evalTemperValue(t, f, &out.temper);
  return i + 1;
}

void Frontend::modelVersion(const Token& t, ir::Model& m) {
  // the kind the model's type and level select (nmos@49), else its type's
  const std::string lt = dev::levelModelType(m);
  const dev::ParamSpec* spec = nullptr;
  for (const dev::DeviceKind* k : kinds_.all())
    for (const char* ty : k->modelTypes)
      if (!spec && (lt.empty() ? m.type == ty : lt == ty)) spec = k->find(dev::ParamScope::Model, "version");
  if (!spec) return;
  const std::string_view text = t.text;
  const std::size_t second = text.find('.', text.find('.') + 1);
  double v = 0;
  std::string why;
  if (!parseNumber(text.substr(0, second), v, why))
    failAt(t, ErrorCode::Parse, "expected a version number such as 3.3.0, found " + quoteTok(text) + " in .model '" +
                                    m.name + "'");
  // the patch level in thousandths (4.8.2 -> 4.802): BSIM4's defaults differ from 4.8.1 on
  std::size_t end = second + 1;
  while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end])) && end < second + 3) ++end;
  if (end > second + 1) v += std::stoi(std::string(text.substr(second + 1, end - second - 1))) / 1000.0;
  m.params.push_back(ir::Param{"version", v, locOf(t), {}});
}

void Frontend::warnUsedModels() {
  if (modelWarnings_.empty()) return;
  std::vector<bool> used(c_.models.size(), false);
  for (const ir::Device& d : c_.devices)
    if (d.model >= 0 && std::size_t(d.model) < used.size()) used[std::size_t(d.model)] = true;
  for (const ModelWarning& w : modelWarnings_)
    if (w.model < used.size() && used[w.model]) warnOnce(w.at, w.key, w.message);
  modelWarnings_.clear();
}

void Frontend::warnBsim3Version(const Token& at, const ir::Model& m) {
  const std::string lt = dev::levelModelType(m);
  if (lt == "nmos@14" || lt == "pmos@14" || lt == "nmos@54" || lt == "pmos@54") {
    auto value = [&](const char* n) -> std::optional<double> {
      for (const ir::Param& q : m.params)
        if (q.name == n) return q.value;
      return std::nullopt;
    };
    const std::optional<double> version = value("version");
    if (!version || *version < 4.0 || *version >= 4.8) return;
    // once per file and version (a PDK's file holds a hundred bins, copied into every
    // instance), when an element uses the model
    auto warn = [&](const std::string& message) {
      modelWarnings_.push_back(ModelWarning{
          c_.models.size(), at, "bsim4version:" + (at.file ? *at.file : std::string()) + ":" + fmtVersion(*version),
          "BSIM4 version " + fmtVersion(*version) + " of .model '" + m.name + "' " + message});
    };
    if (*version < 4.6 - 1e-9) {
      // 4.0 to 4.5: ngspice 39's bsim4v5, whose differences from 4.8 simcore computes (UD,
      // the capacitances' Vbs slope, zero-area junctions, noise) except where the card turns
      // on a part that differs in ways not modeled: warned then, naming the parts
      std::string parts;
      auto add = [&](const std::string& what) { parts += (parts.empty() ? "" : ", ") + what; };
      if (value("igcmod").value_or(0) != 0 || value("igbmod").value_or(0) != 0) add("gate tunnelling (IGCMOD, IGBMOD)");
      if (value("capmod") && *value("capmod") == 0) add("CAPMOD 0");
      if (value("lambda").value_or(0) > 0) add("velocity overshoot (LAMBDA)");
      if (value("rdsmod").value_or(0) != 0) add("RDSMOD 1");
      if (value("pscbe1").value_or(1) < 0) add("a negative PSCBE1");
      if (value("epsrox") && *value("epsrox") != 3.9) add("EPSROX other than 3.9 (LITL)");
      for (const char* g : {"agisl", "bgisl", "cgisl", "egisl", "njtsd", "njtsswd", "njtsswgd"})
        if (value(g)) add(std::string(g) + " (BSIM4.5 has no separate source/drain value)");
      if (!parts.empty())
        warn("is computed as ngspice 39's BSIM4.5 except for " + parts +
             ", which follow BSIM4.8: results can differ from ngspice 39 slightly");
      return;
    }
    // 4.6 (ngspice 39's bsim4v6) computes a card as 4.8 does (a diff of the sources,
    // 2026-12-06) but for gate tunnelling's PIGCD default, which simcore gives it as 4.5's
    if (*version < 4.7 - 1e-9) return;
    warn("(and of every other model of this version in this file) is computed with the BSIM4.8 equations; "
         "ngspice 39 has a separate model for version 4.7, so results can differ from it slightly");
    return;
  }
  if (lt != "nmos@8" && lt != "pmos@8" && lt != "nmos@49" && lt != "pmos@49") return;
  for (const ir::Param& p : m.params) {
    if (p.name == "version" && p.value >= 3.0 - 1e-9 && p.value < 3.2 - 1e-9) {
      warnBsim31(at, m, p.value < 3.1 - 1e-9);
      continue;
    }
    if (p.name == "version" && p.value < 3.2)
      modelWarnings_.push_back(ModelWarning{
          c_.models.size(), at, "bsim3version:" + (at.file ? *at.file : std::string()) + ":" + fmtVersion(p.value),
          "BSIM3 version " + fmtVersion(p.value) + " of .model '" + m.name +
              "' (and of every other model of this version in this file) is computed with the BSIM3v3.3 "
              "equations; ngspice 39 has a separate model for versions before 3.2, so results differ from it "
              "by up to a few percent"});
  }
}

// VERSION 3.1 is computed as ngspice 39's BSIM3v1, 3.0 as its BSIM3v0 (devices/bsim3_setup.cpp):
// what such a card gives that the version does not read, and what simcore computes otherwise.
void Frontend::warnBsim31(const Token& at, const ir::Model& m, bool v30) {
  static const std::unordered_set<std::string> k33Only = {
      "toxm", "vfb", "lvfb", "wvfb", "pvfb", "ijth", "alpha1", "lalpha1", "walpha1", "palpha1", "acde", "lacde",
      "wacde", "pacde", "moin", "lmoin", "wmoin", "pmoin", "noff", "lnoff", "wnoff", "pnoff", "voffcv", "lvoffcv",
      "wvoffcv", "pvoffcv", "lintnoi", "tcj", "tcjsw", "tcjswg", "tpb", "tpbsw", "tpbswg", "llc", "lwc", "lwlc",
      "wlc", "wwc", "wwlc", "xl", "xw", "acm", "calcacm", "ld", "ldif", "rd", "rs", "rdc", "rsc", "wmlt",
      "acnqsmod", "ldvt0w"};
  std::string ignored, as33, capmod;
  auto add = [](std::string& list, const std::string& what) { list += (list.empty() ? "" : ", ") + what; };
  // (3.0 has none of these either: no gate-edge sidewall, perimeter current, NJ, XTI, HDIF)
  static const std::unordered_set<std::string> k31Only = {"cjswg", "pbswg", "mjswg", "jsw", "nj", "xti",
                                                           "hdif", "vfbcv", "lvfbcv", "wvfbcv", "pvfbcv"};
  double u0 = 0;
  for (const ir::Param& q : m.params)
    if (q.name == "u0") u0 = q.value;
  std::unordered_set<std::string> named;
  for (const ir::Param& q : m.params) {
    if ((k33Only.count(q.name) || (v30 && k31Only.count(q.name))) && named.insert(q.name).second)
      add(ignored, upperName(q.name));
    if (v30 && (q.name == "ldvt1w" || q.name == "ldvt2w" || q.name == "ngate" ||
                (u0 > 1 && (q.name == "lu0" || q.name == "wu0" || q.name == "pu0"))))
      add(as33, upperName(q.name));
    if (q.name == "alpha0" && q.value > 0) add(as33, "the substrate current (ALPHA0)");
    if (q.name == "noimod" && q.value >= 2) add(as33, "NOIMOD " + fmtVersion(q.value) + " noise");
    if (q.name == "nqsmod" && q.value != 0) add(as33, "NQSMOD");
    if (q.name == "capmod" && (q.value < 0 || q.value > 2)) capmod = fmtVersion(q.value);
  }
  if (v30) capmod.clear();  // (3.0 runs its CAPMOD 2 for any value but 1)
  if (ignored.empty() && as33.empty() && capmod.empty()) return;
  const std::string version = v30 ? "3.0" : "3.1";
  std::string message = "BSIM3 version " + version + " .model '" + m.name + "' is computed as ngspice 39's BSIM3v" +
                        (v30 ? "0" : "1");
  if (!ignored.empty()) message += "; as there, it has no " + ignored + " (ignored)";
  if (!capmod.empty()) message += "; version 3.1 has no CAPMOD " + capmod + ": no intrinsic charges, as in ngspice";
  if (!as33.empty())
    message += "; " + as33 + " as version " + (v30 ? "3.1" : "3.3") + " computes it, which differs from ngspice's " +
               version;
  modelWarnings_.push_back(ModelWarning{c_.models.size(), at, "bsim31:" + m.name, message});
}

namespace {
// ngspice's test for a .param it turns into a function: one of the random
// functions' names as a whole identifier anywhere in the value
bool namesRandomFunction(std::string_view raw) {
  std::string text(raw);
  for (char& ch : text) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto ident = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; };
  for (std::string_view fn : {"agauss", "gauss", "aunif", "unif", "limit", "mc", "flat"}) {
    for (std::size_t at = 0; (at = text.find(fn, at)) != std::string::npos; ++at) {
      const bool before = at > 0 && ident(text[at - 1]);
      const bool after = at + fn.size() < text.size() && ident(text[at + fn.size()]);
      if (!before && !after) return true;
    }
  }
  return false;
}
bool cardNamesRandomFunction(const Card& c) {
  // (a CIDER model's words are card keywords: doping gauss, unif)
  const bool cider = c.size() > 2 && isCiderModelType(lower(c[2].text));
  for (std::size_t i = 0; i < c.size(); ++i)
    if ((!cider || c[i].kind == TokKind::Expr) && namesRandomFunction(c[i].text)) return true;
  return false;
}
}  // namespace

namespace {
bool isAkoCard(const Card& c) {
  return c.size() >= 3 && c[2].kind == TokKind::Word && c[2].text.size() > 4 && ieq(c[2].text.substr(0, 4), "ako:");
}
}  // namespace

void Frontend::addModels(Frame& f, std::vector<std::size_t>* randomCards) {
  // AKO models after the others: the model they name may stand after them
  for (int pass = 0; pass < 2; ++pass)
  for (std::size_t mi = 0; mi < f.def->models.size(); ++mi) {
    if (!guardHolds(f, mi < f.def->modelGuards.size() ? f.def->modelGuards[mi] : Guard{})) continue;
    const Card& c = f.def->models[mi];
    if (c.size() < 3 || c[1].kind != TokKind::Word || c[2].kind != TokKind::Word)
      failAt(c[0], ErrorCode::Parse, "expected '.model NAME TYPE (name=value ...)'");
    if (isAkoCard(c) != (pass == 1)) continue;
    std::string name = lower(c[1].text);
    if (f.models.count(name) || f.badModels.count(name) || f.pendingModels.count(name)) {
      // ngspice 39 uses the first definition and ignores later ones
      std::string first;
      if (f.models.count(name)) {
        const ir::Model& prev = c_.models[static_cast<std::size_t>(f.models[name])];
        first = prev.loc.file + ":" + std::to_string(prev.loc.line);
      } else if (f.pendingModels.count(name)) {
        const Card& prev = f.def->models[f.pendingModels[name]];
        first = *prev[1].file + ":" + std::to_string(prev[1].line);
      } else {
        const Error& bad = f.badModels.at(name);
        first = bad.loc.file + ":" + std::to_string(bad.loc.line);
      }
      warnOnce(c[1], "model:" + *c[1].file + ":" + std::to_string(c[1].line),
               "duplicate .model '" + name + "' ignored: the first definition (" + first + ") is used, as in ngspice");
      continue;
    }
    f.modelCards[name] = mi;  // (definition order of bins, findModelBins)
    // A card of an included file (a vendor library) that cannot be read is
    // left out with a warning, and an element that uses it fails with the
    // reason: libraries hold hundreds of models, some in other simulators'
    // dialects (LTspice's mfg=OnSemi), and ngspice too reads only the models
    // a netlist uses. The netlist's own cards are read at once.
    if (ownFile(c[1].file)) {
      if (randomCards && cardNamesRandomFunction(c)) {
        const dev::NgRandom before = rng_;
        addModel(f, c, name);
        rng_ = before;
        randomCards->push_back(mi);
        continue;
      }
      addModel(f, c, name);
      continue;
    }
    if (f.parent && pass == 0) {
      // a library's card in a sub-circuit: read when an element uses it (readPendingModel)
      f.pendingModels.emplace(name, mi);
      continue;
    }
    addLibraryModel(f, c, name);
  }
}

void Frontend::redrawModel(Frame& f, const Card& c) {
  const std::string name = lower(c[1].text);
  auto it = f.models.find(name);
  if (it == f.models.end()) return;
  const int slot = it->second;
  const std::size_t count = c_.models.size();
  f.models.erase(it);
  addModel(f, c, name);
  if (c_.models.size() != count + 1) return;  // (one card, one model)
  const int fresh = static_cast<int>(count);
  c_.models[static_cast<std::size_t>(slot)] = std::move(c_.models.back());
  c_.models.pop_back();
  // (the card read again has the parameters the first reading's elements dropped: a model
  // naming a random function, `mc=0.47` too, redrawn per run, kept SPICE2's PT)
  if (auto done = modelsChecked_.find(slot); done != modelsChecked_.end()) {
    const dev::DeviceKind* kind = done->second;
    modelsChecked_.erase(done);
    dropForeignParams(slot, *kind);
  }
  if (auto g = instanceDefaults_.find(fresh); g != instanceDefaults_.end()) {
    instanceDefaults_[slot] = std::move(g->second);
    instanceDefaults_.erase(fresh);
  } else {
    instanceDefaults_.erase(slot);
  }
  f.models[name] = slot;
}

void Frontend::addModel(Frame& f, const Card& c, const std::string& name) {
  {
    // PSpice's "a kind of" model, `.model QP AKO:QP350 PNP (BF=150)`: the
    // parameters of QP350 (of this sub-circuit or an enclosing one, as in
    // ngspice 39), then the card's own, which override them.
    const ir::Model* ako = nullptr;
    std::size_t typeAt = 2;
    if (isAkoCard(c)) {
      const std::string base = lower(c[2].text.substr(4));
      const int slot = findModel(f, base);
      if (slot < 0) {
        if (const Error* bad = findBadModel(f, base))
          failAt(c[2], ErrorCode::Semantic, "AKO model '" + name + "': its model '" + base + "' cannot be read: " +
                                                bad->message);
        failAt(c[2], ErrorCode::Semantic,
               "AKO model '" + name + "': no model '" + base + "' in this sub-circuit or at the top level");
      }
      ako = &c_.models[static_cast<std::size_t>(slot)];
      if (c.size() < 4 || c[3].kind != TokKind::Word)
        failAt(c[2], ErrorCode::Parse, "expected the model type after '" + std::string(c[2].text) + "' in .model '" +
                                           name + "' (.model NAME AKO:BASE TYPE (name=value ...))");
      typeAt = 3;
    }
    std::string type = lower(c[typeAt].text);
    if (type == "res") type = "r";  // PSpice's resistor model type, which ngspice 39 reads as R
    // PSpice's VSWITCH (ISWITCH) with a threshold and hysteresis, VT VH (IT IH), instead of
    // VON VOFF (ION IOFF): ngspice 39's PSpice mode reads it as its SW (CSW) switch, ROFF 1e12
    // unless given
    bool psHysteresisSwitch = false;
    if (type == "vswitch" || type == "iswitch") {
      const char* t1 = type == "vswitch" ? "vt" : "it";
      const char* t2 = type == "vswitch" ? "vh" : "ih";
      for (std::size_t k = typeAt + 1; k + 1 < c.size(); ++k)
        if (c[k].kind == TokKind::Word && (ieq(c[k].text, t1) || ieq(c[k].text, t2)) && c[k + 1].kind == TokKind::Eq)
          psHysteresisSwitch = true;
      if (psHysteresisSwitch) type = type == "vswitch" ? "sw" : "csw";
    }
    if (!knownModelType(kinds_, type) && !isCiderModelType(type))
      failAt(c[typeAt], ErrorCode::Semantic,
             "unknown model type '" + type + "' for model '" + name + "' (expected " + modelTypeList(kinds_) + ")");
    if (ako && ako->type != type)
      failAt(c[typeAt], ErrorCode::Semantic,
             "AKO model '" + name + "' is of type '" + type + "', its model '" + lower(c[2].text.substr(4)) +
                 "' of type '" + ako->type + "': the types must agree (as in ngspice 39)");
    ir::Model m;
    if (ako) m = *ako;  // (ako points into c_.models: copied before the models grow)
    m.name = f.prefix + name;
    m.type = type;
    m.loc = locOf(c[0]);
    if (isCiderModelType(type)) {  // cards, one per '+' line, not name=value pairs
      ciderModel(f, c, typeAt, name, m);
      f.models[name] = static_cast<int>(c_.models.size());
      c_.models.push_back(std::move(m));
      return;
    }
    const Token* versionTok = nullptr;  // a version string (3.3.0)
    const Token* versionAt = nullptr;   // the version's value, string or number
    // PSpice's temperature parameters, read as ngspice 39 reads them (ngbehavior ps):
    // T_ABS as temp, else T_REL_GLOBAL as dtemp, else T_MEASURED as tnom; one kind
    // per card, in that order (ngspice renames only the first kind it finds),
    // where the model's kind takes the new name
    std::string psTempFrom, psTempTo;
    for (const auto& names : {std::pair<const char*, const char*>{"t_abs", "temp"},
                              {"t_rel_global", "dtemp"}, {"t_measured", "tnom"}}) {
      // (named copies: clang before 16 does not let a lambda capture a structured binding)
      const char* from = names.first;
      const char* to = names.second;
      const bool given = std::any_of(c.b + typeAt + 1, c.e, [&](const Token& t) {
        return t.kind == TokKind::Word && ieq(t.text, from);
      });
      if (!given) continue;
      if (anyLevelSpec(kinds_, type, to) || anyLevelInstanceSpec(kinds_, type, to)) {
        psTempFrom = from;
        psTempTo = to;
      }
      break;
    }
    for (std::size_t i = typeAt + 1; i < c.size();) {
      const Token& t = c[i];
      if (t.kind == TokKind::LParen || t.kind == TokKind::RParen) {
        ++i;
        continue;
      }
      if (t.kind == TokKind::Word && t.text == "+" && !(i + 1 < c.size() && c[i + 1].kind == TokKind::Eq)) {
        // a continuation mark inside a line (eSim's PMOS-180nm.lib: "PBSW=0.8   +   MJSW=0.37"):
        // ngspice 39 reads it as a parameter name it does not know ("unrecognized parameter (+) - ignored")
        warnOnce(t, "plus:" + *t.file + ":" + std::to_string(t.line),
                 "stray '+' in .model '" + name + "' ignored, as by ngspice 39 (a continuation '+' belongs at the "
                 "start of a line)");
        ++i;
        continue;
      }
      if (type == "vdmos" && t.kind == TokKind::Word && (ieq(t.text, "pchan") || ieq(t.text, "nchan")) &&
          !(i + 1 < c.size() && c[i + 1].kind == TokKind::Eq)) {
        // the channel type is a bare word; the last one counts
        std::erase_if(m.params, [](const ir::Param& q) { return q.name == "pchan" || q.name == "nchan"; });
        m.params.push_back(ir::Param{lower(t.text), 1.0, locOf(t), {}});
        ++i;
        continue;
      }
      if (type == "vdmos" && t.kind == TokKind::Word && i + 2 < c.size() && c[i + 1].kind == TokKind::Eq &&
          (ieq(t.text, "mfg") || ieq(t.text, "vds") || ieq(t.text, "ron") || ieq(t.text, "qg"))) {
        i += 3;  // datasheet annotations of vendor models (text or numbers): ignored, as by ngspice
        continue;
      }
      if (t.kind == TokKind::Word && i + 2 < c.size() && c[i + 1].kind == TokKind::Eq &&
          isDatasheetAnnotation(lower(t.text)) && !modelSpec(kinds_, type, lower(t.text))) {
        // LTspice's part descriptions (mfg=OnSemi type=silicon Iave=200m Vpk=75
        // Vceo=45 Icrating=100m): not model parameters; ignored with one warning per file
        warnOnce(t, "annotation:" + *t.file,
                 ".model '" + name + "': LTspice's part description " + lower(t.text) +
                     "= ignored (so are mfg=, type=, iave=, vpk=, ipk=, vceo=, icrating= of every model of this file: "
                     "they describe the part, they do not change the model)");
        i += 3;
        continue;
      }
      if (((type == "sw" && (ieq(t.text, "noiseless") || ieq(t.text, "oneway"))) || (type == "d" && ieq(t.text, "noiseless"))) &&
          t.kind == TokKind::Word && !(i + 1 < c.size() && c[i + 1].kind == TokKind::Eq)) {
        // LTspice's switch flags (they make the model LTspice's, below)
        std::erase_if(m.params, [&](const ir::Param& q) { return q.name == lower(t.text); });
        m.params.push_back(ir::Param{lower(t.text), 1.0, locOf(t), {}});
        ++i;
        continue;
      }
      if (t.kind == TokKind::Word && !(i + 1 < c.size() && c[i + 1].kind == TokKind::Eq)) {
        // a flag of the model's kind (LTRA's nosteplimit): value 1
        const dev::ParamSpec* fs = modelSpec(kinds_, type, lower(t.text));
        if (!(fs && fs->flag)) fs = levelFlagSpec(kinds_, type, lower(t.text));
        if (fs && fs->flag) {
          std::erase_if(m.params, [&](const ir::Param& q) { return q.name == fs->name; });
          m.params.push_back(ir::Param{fs->name, 1.0, locOf(t), {}});
          ++i;
          continue;
        }
      }
      if ((type == "d_lut" || type == "d_genlut") && t.kind == TokKind::Word && ieq(t.text, "table_values") && i + 1 < c.size() &&
          (c[i + 1].kind == TokKind::Str || (c[i + 1].kind == TokKind::Eq && i + 2 < c.size()))) {
        // d_lut's and d_genlut's truth table, a string of 0, 1, z and other characters (U): one
        // code (0, 1, 3, 2) per character; ngspice's examples leave out the '=' (table_values "0110")
        const bool eq = c[i + 1].kind == TokKind::Eq;
        const Token& v = c[eq ? i + 2 : i + 1];
        if (v.kind != TokKind::Str && v.kind != TokKind::Word && v.kind != TokKind::Expr)
          failAt(v, ErrorCode::Parse, "'table_values=' in .model '" + name + "' needs a string (\"0110\")");
        std::string_view text = v.text;
        if (v.kind == TokKind::Str) text = text.substr(1, text.size() - 2);
        // a string parameter's name, or {name} (ngspice's numparam strings: table_values=and)
        std::optional<std::string> named;
        if (v.kind != TokKind::Str) named = stringExpr(f, {&v});
        if (named) text = *named;
        else if (v.kind == TokKind::Expr)
          failAt(v, ErrorCode::Semantic, "'table_values=' in .model '" + name + "': " + quoteTok(v.text) +
                                             " is not a string parameter");
        ir::Param p{"table_values", 0.0, locOf(t), {}};
        for (char ch : text) p.values.push_back(ch == '0' ? 0.0 : ch == '1' ? 1.0 : ch == 'z' ? 3.0 : 2.0);
        if (!p.values.empty()) p.value = p.values[0];
        std::erase_if(m.params, [&](const ir::Param& q) { return q.name == p.name; });
        m.params.push_back(std::move(p));
        i += eq ? 3 : 2;
        continue;
      }
      if (t.kind == TokKind::Word && i + 1 < c.size() && c[i + 1].kind == TokKind::Word &&
          looksNumeric(c[i + 1].text) && anyLevelSpec(kinds_, type, lower(t.text))) {
        // a parameter and its number without '=' (ngspice 39 reads "rth0 94" as rth0=94;
        // BSIM3SOI's own example cards have one)
        warnOnce(t, "noeq:" + *t.file + ":" + lower(t.text),
                 ".model '" + name + "': '" + std::string(t.text) + " " + std::string(c[i + 1].text) + "' read as " +
                     lower(t.text) + "=" + std::string(c[i + 1].text) + ", as by ngspice 39");
        ir::Param p{lower(t.text), 0.0, locOf(t), {}};
        i = modelValue(f, c, i + 1, anyLevelSpec(kinds_, type, p.name), "'" + p.name + "' in .model '" + name + "'", p);
        std::erase_if(m.params, [&](const ir::Param& q) { return q.name == p.name; });
        m.params.push_back(std::move(p));
        continue;
      }
      if (t.kind == TokKind::Eq && i + 1 < c.size() && c[i + 1].kind == TokKind::Word && i > 0 &&
          c[i - 1].kind == TokKind::Word && looksNumeric(c[i - 1].text)) {
        // "name value = value": the second value names no parameter; ngspice 39 reports it and goes on
        warnOnce(t, "strayeq:" + *t.file,
                 ".model '" + name + "': stray '= " + std::string(c[i + 1].text) +
                     "' after a value ignored, as by ngspice 39 (which reports it and reads the rest of the card)");
        i += 2;
        continue;
      }
      if (t.kind == TokKind::Word && looksNumeric(t.text) && i >= 3 && c[i - 1].kind == TokKind::Word &&
          looksNumeric(c[i - 1].text) && c[i - 2].kind == TokKind::Eq && c[i - 3].kind == TokKind::Word &&
          (i + 1 >= c.size() || c[i + 1].kind != TokKind::Eq)) {
        // "M=0,2": a comma separates values, so a decimal comma leaves a bare number after the
        // parameter's value; ngspice 39 keeps the first (M=0) and skips the number
        warnOnce(t, "strayvalue:" + *t.file + ":" + std::to_string(t.line),
                 ".model '" + name + "': " + lower(c[i - 3].text) + "=" + std::string(c[i - 1].text) +
                     " then a stray '" + std::string(t.text) + "': read as " + lower(c[i - 3].text) + "=" +
                     std::string(c[i - 1].text) + " and the '" + std::string(t.text) +
                     "' ignored, as by ngspice 39 (a comma separates values; for a decimal write " +
                     std::string(c[i - 1].text) + "." + std::string(t.text) + ")");
        ++i;
        continue;
      }
      if (t.kind != TokKind::Word || i + 1 >= c.size() || c[i + 1].kind != TokKind::Eq)
        failAt(t, ErrorCode::Parse, "expected name=value in .model '" + name + "', found " + quoteTok(t.text));
      if (xspiceFileParam(type, lower(t.text)) && i + 2 < c.size()) {  // d_source's input_file= (xspice_files.cpp)
        ir::Param p = xspiceFileValue(t, c[i + 2], m, lower(t.text), opts_.resolver);
        std::erase_if(m.params, [&](const ir::Param& q) { return q.name == p.name; });
        m.params.push_back(std::move(p));
        i += 3;
        continue;
      }
      if (ieq(t.text, "losses") && i + 2 < c.size()) {  // losses="file.xml" (loss_files.cpp)
        m.semiconductor = lossFile(c[i + 2], m);
        i += 3;
        continue;
      }
      const dev::ParamSpec* keywordSpec = modelSpec(kinds_, type, lower(t.text));
      const bool quotedKeyword = i + 2 < c.size() && c[i + 2].kind == TokKind::Str && keywordSpec && keywordSpec->keywords;
      if (i + 2 < c.size() && c[i + 2].kind == TokKind::Str && !quotedKeyword) {
        // a number in double quotes (sky130's res_generic_po: dw="-tol_poly/2-poly_dw/2"): ngspice 39
        // reads no value from it ("unrecognized parameter ... ignored"), so the default stays
        warnOnce(c[i + 2], "quotedmodelvalue:" + *c[i + 2].file + ":" + std::to_string(c[i + 2].line),
                 "'" + lower(t.text) + "=" + std::string(c[i + 2].text) + "' in .model '" + name +
                     "' ignored, as by ngspice 39: a double-quoted text is no number (the parameter keeps its "
                     "default; write {" + std::string(c[i + 2].text.substr(1, c[i + 2].text.size() - 2)) +
                     "} for an expression)");
        i += 3;
        continue;
      }
      if (i + 2 >= c.size() || (c[i + 2].kind != TokKind::Word && c[i + 2].kind != TokKind::Expr && !quotedKeyword))
        failAt(c[i + 1], ErrorCode::Parse, "missing value after '" + lower(t.text) + "=' in .model '" + name + "'");
      if (ieq(t.text, "version") && c[i + 2].kind == TokKind::Word &&
          std::count(c[i + 2].text.begin(), c[i + 2].text.end(), '.') > 1) {
        // a model version string (BSIM's version=3.3.0): a kind that reads VERSION
        // gets its major.minor (3.3), other kinds ignore it (text to ngspice)
        versionTok = versionAt = &c[i + 2];
        i += 3;
        continue;
      }
      ir::Param p{lower(t.text), 0.0, locOf(t), {}};
      if (!psTempFrom.empty() && p.name == psTempFrom) p.name = psTempTo;
      if (p.name == "version") versionAt = &c[i + 2];
      const dev::ParamSpec* spec = modelSpec(kinds_, type, p.name);
      // a parameter ngspice ignores with a warning (vendor models' PSpice parameters):
      // its descriptor shows the default as "ignored (warned)"
      if (spec && spec->defaultText && std::string_view(spec->defaultText) == "ignored (warned)")
        // (once per file and name: a vendor library repeats it in every model)
        warnOnce(t, "ignored:" + *t.file + ":" + p.name,
                 "model parameter '" + p.name + "' of .model '" + name +
                     "' ignored, as by ngspice 39 (and in the other models of this file)");
      const bool bracket = c[i + 2].kind == TokKind::Word && !c[i + 2].text.empty() && c[i + 2].text[0] == '[';
      i = modelValue(f, c, i + 2, spec, "'" + p.name + "=' in .model '" + name + "'", p);
      if (spec && spec->vector && !bracket && type == "cpl") {
        // ngspice's real-vector model parameters (CPL's R=r11 r12 ... r22) are plain lists: the numbers that
        // follow (code models' vectors need [ ])
        p.values = {p.value};
        while (i < c.size() && !(i + 1 < c.size() && c[i + 1].kind == TokKind::Eq) &&
               (c[i].kind == TokKind::Expr || (c[i].kind == TokKind::Word && looksNumeric(c[i].text))))
          p.values.push_back(evalValue(c[i++], f));
      }
      // a parameter given twice: the last value counts (ngspice)
      auto same = std::find_if(m.params.begin(), m.params.end(), [&](const ir::Param& q) { return q.name == p.name; });
      if (same != m.params.end()) *same = std::move(p);
      else m.params.push_back(std::move(p));
    }
    if (psHysteresisSwitch && std::none_of(m.params.begin(), m.params.end(), [](const ir::Param& q) { return q.name == "roff"; }))
      m.params.push_back(ir::Param{"roff", 1e12, locOf(c[1]), {}});
    if (const std::string lt = dev::levelModelType(m); !lt.empty()) {
      // a parameter of one level of a kind whose levels share one table (HFET1, HFET2): under
      // the other level ngspice 39 does not know it ("unrecognized parameter ... ignored")
      const int level = std::stoi(lt.substr(lt.find('@') + 1));
      for (const dev::DeviceKind* k : kinds_.all())
        for (const char* t : k->modelTypes)
          if (lt == t)
            std::erase_if(m.params, [&](const ir::Param& q) {
              const dev::ParamSpec* s = k->find(dev::ParamScope::Model, q.name);
              if (!s || s->level == 0 || s->level == level) return false;
              warnOnce(c[1], "levelparam:" + *c[1].file + ":" + std::to_string(c[1].line) + ":" + q.name,
                       "model parameter '" + q.name + "' of .model '" + name + "' (LEVEL=" + std::to_string(level) +
                           ") belongs to LEVEL=" + std::to_string(s->level) + ": ignored, as by ngspice 39");
              return true;
            });
    }
    if (type == "vdmos")
      for (const ir::Param& q : m.params)
        if ((q.name == "rd" || q.name == "rs" || q.name == "rg" || q.name == "rb") && q.value < 0)
          warnOnce(c[1], "vdmosneg:" + *c[1].file + ":" + std::to_string(c[1].line) + q.name,
                   "VDMOS model '" + name + "': " + q.name + "=" + fmtVersion(q.value) +
                       " is negative and taken as no resistance, as by ngspice 39");
    static constexpr std::string_view kSimpleDiode[] = {"roff", "ron",       "rrev",    "vfwd",  "vrev",
                                                        "revepsilon", "epsilon", "revilimit", "ilimit"};
    if (type == "d" && std::any_of(m.params.begin(), m.params.end(), [](const ir::Param& q) {
          return std::find(std::begin(kSimpleDiode), std::end(kSimpleDiode), q.name) != std::end(kSimpleDiode);
        })) {
      // LTspice's simple diode (D with ron, roff, vfwd, ...): ngspice 39 (ngbehavior lta)
      // reads the model as its sidiode code model and the D cards of it as A cards
      m.type = type = "sidiode";
      std::erase_if(m.params, [](const ir::Param& q) { return q.name == "noiseless"; });
      // LTspice's default ROFF is 1/gmin (1e12 Ohm); the code model's (ngspice 39) is 1 Ohm,
      // which makes a vendor model's protection diodes conduct in reverse
      if (std::none_of(m.params.begin(), m.params.end(), [](const ir::Param& q) { return q.name == "roff"; }))
        m.params.push_back(ir::Param{"roff", 1e12, locOf(c[1]), {}});
    }
    // LTspice's NOISELESS on a junction diode's model: accepted, and ignored (its .noise stays)
    if (type == "d") std::erase_if(m.params, [](const ir::Param& q) { return q.name == "noiseless"; });
    static constexpr std::string_view kLtSwitch[] = {"ilimit", "vser", "lser", "level", "epsilon", "oneway", "noiseless"};
    if (type == "sw" && std::any_of(m.params.begin(), m.params.end(), [](const ir::Param& q) {
          return std::find(std::begin(kLtSwitch), std::end(kLtSwitch), q.name) != std::end(kLtSwitch);
        })) {
      // LTspice's switch (devices/ltspice_switch.cpp): a parameter no other
      // simulator's SW has marks the model as LTspice's, whose negative VH is a
      // smooth transition (ngspice's is a hysteresis that flips the state)
      const auto level = std::find_if(m.params.begin(), m.params.end(), [](const ir::Param& q) { return q.name == "level"; });
      if (level != m.params.end() && level->value == 2.0 &&
          std::any_of(m.params.begin(), m.params.end(), [](const ir::Param& q) {
            return q.name == "ilimit" || q.name == "epsilon" || q.name == "oneway";
          }))
        // LTspice's help gives level 2's conductance but not its gradual current
        // limit, EPSILON or ONEWAY whole: simcore's reading of them (ltspice_switch.cpp)
        warnOnce(c[1], "ltswitch-level2:" + *c[1].file,
                 "switch model '" + name + "': LTspice's LEVEL=2 switch; its conductance is LTspice's "
                 "documented law, its gradual current limit (ILIMIT), EPSILON and ONEWAY simcore's reading "
                 "of what LTspice's help leaves out (tanh limit, rounded VSER corners, one-way conduction)");
      m.type = type = "ltspice@sw";
    }
    if (type == "sw" || type == "csw")
      for (ir::Param& q : m.params)
        if (q.name == "ron" && q.value == 0.0) {
          // Qucs-S's relay writes ron=0 by default: ngspice 39 takes it (a conductance of 1/0)
          // and stops with "timestep too small" when the switch closes; a 0 Ohm resistor's rule
          q.value = 1e-3;
          warnOnce(c[1], "sw-ron0:" + name,
                   "switch model '" + name + "' has RON = 0: set to 1 mOhm, as a resistor of 0 Ohm (ngspice 39 "
                   "divides by it and stops when the switch closes)");
        }
    if (type == "d") {
      double vj = 1.0, fc = 0.5;
      for (const ir::Param& q : m.params) {
        if (q.name == "vj" || q.name == "pb") vj = q.value;
        if (q.name == "fc") fc = q.value;
      }
      if (fc > 0 && fc < 1 && fc * vj > 1.0)
        warnOnce(c[1], "diodevj:" + *c[1].file + ":" + std::to_string(c[1].line),
                 "diode model '" + name + "': junction potential VJ=" + fmtVersion(vj) + " is limited to 1/FC=" +
                     fmtVersion(1.0 / fc) + " (at TNOM), as by ngspice 39");
    }
    if (type == "d")
      for (const ir::Param& q : m.params) {
        // ngspice 39's diode limits (as its diotemp.c) said where the model is read
        if ((q.name == "m" || q.name == "mj") && q.value > 0.9)
          warnOnce(c[1], "diodem:" + *c[1].file + ":" + std::to_string(c[1].line),
                   "diode model '" + name + "': grading coefficient " + q.name + "=" + fmtVersion(q.value) +
                       " is limited to 0.9, as by ngspice 39");
        if (q.name == "tlev" && q.value == 2)
          warnOnce(c[1], "diodetlev:" + *c[1].file + ":" + std::to_string(c[1].line),
                   "diode model '" + name + "': TLEV=2 only selects TCV's form (BV (1 - TCV dT)), as in ngspice 39; "
                   "HSPICE's TLEV=2 band-gap and IS temperature laws are not modelled");
      }
    std::vector<ir::Param> defaults;
    if ((type == "nmos" || type == "pmos") && !modelSpec(kinds_, type, "l") && !modelSpec(kinds_, type, "w")) {
      // PSpice's MOSFET models take L and W, the default size of their
      // instances; vendor models of discrete MOSFETs set them (W=0.4E-2).
      // ngspice 39 ignores them with a warning and its instances get 100 um,
      // a transistor thousands of times too weak: simcore uses them as PSpice does.
      std::erase_if(m.params, [&](const ir::Param& q) {
        if (q.name != "l" && q.name != "w") return false;
        defaults.push_back(q);
        return true;
      });
      if (!defaults.empty())
        warnOnce(c[1], "modelgeom:" + *c[1].file,
                 "L= and W= of MOSFET .model '" + name +
                     "' (and of the other models of this file) are the default length and width of its instances, as "
                     "in PSpice (ngspice 39 ignores them and uses 100 um)");
    }
    {
      // ngspice 39: a parameter the model kind has only for instances is a
      // default of the model's instances (.model myres r(resistance=2k))
      const std::string lt = dev::levelModelType(m);
      const std::string key = lt.empty() ? type : lt;
      std::erase_if(m.params, [&](const ir::Param& q) {
        if (q.name == "level" || q.name == "m" || modelSpec(kinds_, key, q.name) || !instanceSpec(kinds_, key, q.name))
          return false;
        defaults.push_back(q);
        return true;
      });
    }
    if (versionTok) modelVersion(*versionTok, m);
    warnBsim3Version(versionAt ? *versionAt : c[1], m);
    if (type == "d")
      for (const ir::Param& q : m.params)
        if (q.name == "bv" && q.value == 0.0)
          // (GF180's nwp_3p3: `bv = 0`, meant as "no breakdown")
          warnOnce(c[1], "diode-bv0:" + name,
                   "BV=0 of diode .model '" + name + "' is a breakdown at 0 V, not none, as in ngspice 39: from the "
                   "voltage where its IBV flows the diode conducts in reverse (leave BV out for no breakdown)");
    if (!defaults.empty()) instanceDefaults_[static_cast<int>(c_.models.size())] = std::move(defaults);
    f.models[name] = static_cast<int>(c_.models.size());
    c_.models.push_back(std::move(m));
  }
}



void Frontend::elaborate(Frame& f) {
  const SubcktDef& def = *f.def;
  for (const ParamSrc& p : def.defaults) {
    Frame::Slot& s = f.params[p.name];
    if (s.state != Frame::State::Done) s.src = &p;
  }
  // a .param in an .if branch counts when its branch is taken (conditions
  // read the parameters defined above them)
  std::vector<const ParamSrc*> taken;
  for (const ParamSrc& p : def.params) {
    if (!guardHolds(f, p.guard)) continue;
    Frame::Slot& s = f.params[p.name];
    if (s.state != Frame::State::Done) {
      s.src = &p;
      s.random = namesRandomFunction(p.tok ? p.tok->text : p.expr.text);
    }
    if (!s.random) taken.push_back(&p);
  }
  {
    // (forcing them checks each one; one that reads temper is checked where it is used)
    const bool okBefore = temperOk_;
    temperOk_ = true;
    try {
      for (const ParamSrc& p : def.defaults) resolveParam(f, p.name, locOf(*p.nameTok));
      for (const ParamSrc* p : taken) resolveParam(f, p->name, locOf(*p->nameTok));
    } catch (...) {
      temperOk_ = okBefore;
      throw;
    }
    temperOk_ = okBefore;
  }
  // .model cards naming a random function draw where ngspice's numparam
  // reaches them, in deck order with the elements' values (read once at
  // first without drawing, so the elements find their models)
  std::vector<std::size_t> randomModels;
  addModels(f, &randomModels);
  std::size_t nextModel = 0;
  auto redrawBefore = [&](const Card* el) {
    for (; nextModel < randomModels.size(); ++nextModel) {
      const Card& m = def.models[randomModels[nextModel]];
      if (el && !(m[0].file && (*el)[0].file && *m[0].file == *(*el)[0].file && m[0].line < (*el)[0].line)) break;
      redrawModel(f, m);
    }
  };
  for (std::size_t i = 0; i < def.elements.size(); ++i)
    if (guardHolds(f, i < def.elementGuards.size() ? def.elementGuards[i] : Guard{})) {
      redrawBefore(&def.elements[i]);
      element(f, def.elements[i]);
    }
  redrawBefore(nullptr);
  if (def.hasThermal) c_.hasThermal = true;
  for (std::size_t i = 0; i < def.thermal.size(); ++i)
    if (guardHolds(f, i < def.thermalGuards.size() ? def.thermalGuards[i] : Guard{})) thermalCard(f, def.thermal[i]);
  // .ic/.nodeset in a sub-circuit: its nodes as this instance's (pins to the
  // caller's nets, locals prefixed), values in its parameters, as ngspice
  for (std::size_t i = 0; i < def.initial.size(); ++i)
    if (guardHolds(f, i < def.initialGuards.size() ? def.initialGuards[i] : Guard{})) control(f, def.initial[i]);
}

void Frontend::instantiate(Frame& f, const Card& c) {
  const Token& head = c[0];
  if (++instances_ > kMaxInstances)
    failAt(head, ErrorCode::Limit, "too many sub-circuit instances (more than " + std::to_string(kMaxInstances) + ")");
  std::string iname = lower(head.text);
  std::string full = f.prefix + iname;
  const std::size_t n = c.size();
  std::size_t i = 1;
  while (i < n && c[i].kind == TokKind::Word && !ieq(c[i].text, "params:") &&
         !(i + 1 < n && c[i + 1].kind == TokKind::Eq))
    ++i;
  if (i < n && c[i].kind != TokKind::Word)
    failAt(c[i], ErrorCode::Parse, "unexpected " + quoteTok(c[i].text) + " in instance '" + full + "'");
  if (i < 2) failAt(head, ErrorCode::Parse, "expected nodes and a subcircuit name for instance '" + full + "'");
  const Token& subTok = c[i - 1];
  std::string sub = lower(subTok.text);
  const SubcktDef* def = findDef(f.def, sub);
  if (!def) failAt(subTok, ErrorCode::Semantic, "unknown subcircuit '" + sub + "' (instance '" + full + "')");
  if (def->unreadable) {
    Error e = *def->unreadable;
    e.message = "subcircuit '" + sub + "' of instance '" + full + "' (" + locOf(subTok).file + ":" +
                std::to_string(subTok.line) + ") cannot be read: " + e.message;
    throw NetlistError{std::move(e)};
  }
  std::size_t nodes = i - 2;
  const std::size_t most = def->pins.size() + def->optionalPins.size();
  if (nodes < def->pins.size() || nodes > most) {
    std::string pins;
    for (const auto& p : def->pins) pins += (pins.empty() ? "" : " ") + p;
    std::string expects = std::to_string(def->pins.size());
    if (!def->optionalPins.empty()) {
      expects += " to " + std::to_string(most);
      pins += " optional:";
      for (const auto& p : def->optionalPins) pins += " " + p.first + "=" + p.second;
    }
    failAt(head, ErrorCode::Semantic,
           "instance '" + full + "' has " + std::to_string(nodes) + " node" + (nodes == 1 ? "" : "s") +
               " but subcircuit '" + sub + "' expects " + expects + " (" + pins + ")");
  }
  for (const Frame* fr = &f; fr; fr = fr->parent) {
    if (fr->def != def) continue;
    std::vector<const Frame*> chain;
    for (const Frame* g = &f; g != fr; g = g->parent) chain.push_back(g);
    chain.push_back(fr);
    std::string msg = "recursive subcircuit instantiation: ";
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) msg += frameName(**it) + " -> ";
    msg += full + " (" + sub + ")";
    failAt(head, ErrorCode::Semantic, msg);
  }
  if (f.depth + 1 > kMaxSubcktDepth)
    failAt(head, ErrorCode::Limit, "subcircuits nested more than " + std::to_string(kMaxSubcktDepth) + " levels deep");
  auto [it, fresh] = instanceNames_.try_emplace(full, &head);
  if (!fresh) dupInstances_.emplace(full, std::make_pair(it->second->line, head.line));
  if (!fresh)
    // ngspice expands both under the one name (its decks have such pairs):
    // internal nodes of the same name join; devices of the same name are an error
    warnOnce(head, "dupinst:" + full,
             "duplicate instance name '" + full + "' (first at line " + std::to_string(it->second->line) +
                 "): as in ngspice both are expanded under that name, so their internal nodes of the same name are one "
                 "node");

  Frame child;
  child.def = def;
  child.parent = &f;
  child.prefix = full + ".";
  child.instTok = &head;
  child.depth = f.depth + 1;
  std::string owner = "instance '" + full + "'";
  // OPTIONAL: pins: those the instance gives (after the others, in order),
  // the rest on their default node, a global name as at the top level
  for (std::size_t k = 0; k < def->optionalPins.size(); ++k) {
    const auto& op = def->optionalPins[k];
    child.pins[op.first] = def->pins.size() + k < nodes ? node(f, c[1 + def->pins.size() + k], owner)
                                                          : (op.second == "gnd" ? std::string("0") : op.second);
  }
  for (std::size_t k = 0; k < def->pins.size(); ++k) {
    // (a pin listed twice: the first instance node counts, reader.cpp)
    if (child.pins.count(def->pins[k])) {
      (void)node(f, c[1 + k], owner);
      continue;
    }
    child.pins[def->pins[k]] = node(f, c[1 + k], owner);
    if ((def->pins[k] == "0" || def->pins[k] == "gnd") && child.pins[def->pins[k]] != "0")
      warnOnce(c[1 + k], "groundpin:" + full + ":" + std::to_string(k),
               "node '" + child.pins[def->pins[k]] + "' of " + owner + " is on pin '" + def->pins[k] +
                   "' of .subckt '" + sub + "', which is ground: as in ngspice it is not connected to the sub-circuit");
  }
  if (f.prefix.empty() && powerProbes_.count(iname)) probeSubcktPins(iname, def->pins, child.pins);
  else if (f.prefix.empty() && probeAlli_) probeSubcktPins(iname, def->pins, child.pins, true);
  // The instance's values are assigned in the sub-circuit's new scope in ngspice's order
  // (numparam's nupa_subcktcall): every parameter of the .subckt line that is a plain number
  // first (the instance's value or the default), then the expressions in the .subckt line's
  // order. An instance's expression thus sees the sub-circuit's parameters assigned before it
  // (sky130's `w=1 ad='w*0.29'`: the instance's w; `ad='w*0.29'` alone: the default w) and
  // anything else (itself, later ones, other names) in the caller's scope.
  const std::vector<ParamSrc> given = parseAssignments(c, i, "instance parameters");
  auto plainNumber = [&](const ParamSrc& p, double& v) {
    std::string why;
    return p.tok && p.tok->kind == TokKind::Word && looksNumeric(p.tok->text) && !hasOperator(p.tok->text) &&
           parseNumber(p.tok->text, v, why);
  };
  std::unordered_map<std::string, double> assigned;  // the new scope, as far as it is assigned
  std::vector<const ParamSrc*> order;                // the instance's values in assignment order
  {
    std::unordered_map<std::string, const ParamSrc*> byName;
    for (const ParamSrc& o : given) byName[o.name] = &o;
    std::vector<const ParamSrc*> expressions;
    std::unordered_set<std::string> formal;
    for (const ParamSrc& d : def->defaults) {
      formal.insert(d.name);
      auto it = byName.find(d.name);
      const ParamSrc& src = it != byName.end() ? *it->second : d;
      double v = 0;
      if (plainNumber(src, v)) {
        assigned[d.name] = v;
        if (it != byName.end()) order.push_back(it->second);
      } else if (it != byName.end()) {
        expressions.push_back(it->second);
      }
    }
    order.insert(order.end(), expressions.begin(), expressions.end());
    for (const ParamSrc& o : given)  // those the .subckt line does not declare (LTspice's), last
      if (!formal.count(o.name)) order.push_back(&o);
  }
  class NewScope final : public ParamLookup {
   public:
    NewScope(Frontend& fe, Frame& caller, const std::unordered_map<std::string, double>& assigned)
        : caller_(fe, caller), assigned_(assigned) {}
    double lookup(std::string_view name, const SourceLoc& at) override {
      auto it = assigned_.find(std::string(name));
      return it != assigned_.end() ? it->second : caller_.lookup(name, at);
    }
    bool defines(std::string_view name) override {
      return assigned_.count(std::string(name)) > 0 || caller_.defines(name);
    }
    const FuncDef* func(std::string_view name) override { return caller_.func(name); }
    const FuncDef* temperFunc(std::string_view name) override { return caller_.temperFunc(name); }
    double random(std::string_view name, const std::vector<double>& args, const SourceLoc& at) override {
      return caller_.random(name, args, at);
    }

   private:
    FrameEnv caller_;
    const std::unordered_map<std::string, double>& assigned_;
  };
  for (const ParamSrc* op : order) {
    const ParamSrc& o = *op;
    if (!def->paramNames.count(o.name)) {
      // LTspice defines an instance parameter the sub-circuit does not declare
      // inside it (its help's X example; LTspice's 74HC library passes VCC so);
      // ngspice 39 drops it. One the body never names is dropped as by ngspice 39 (sky130's
      // diode sub-circuits declare area= only, xschem's symbols pass pj= too) when the
      // sub-circuit declares parameters, and is an error when it declares none (ngspice 39:
      // "Mismatch: 0 formal but 1 actual params").
      if (!bodyMentions(*def, o.name)) {
        if (def->defaults.empty())
          failAt(*o.nameTok, ErrorCode::Semantic, "subcircuit '" + sub + "' has no parameter '" + o.name + "'");
        std::string declared;
        for (const ParamSrc& d : def->defaults) declared += (declared.empty() ? "" : " ") + d.name;
        warnOnce(*o.nameTok, "undeclared-dropped:" + sub + ":" + o.name,
                 "'" + o.name + "=' ignored: subcircuit '" + sub + "' has no parameter '" + o.name + "' (it has: " +
                     declared + "); ngspice 39 drops it too");
        continue;
      }
      warnOnce(*o.nameTok, "undeclared:" + sub + ":" + o.name,
               "subcircuit '" + sub + "' declares no parameter '" + o.name +
                   "': it is defined inside the sub-circuit, as LTspice does (ngspice 39 drops it)");
    }
    Frame::Slot& s = child.params[o.name];
    // a string (table=or, the caller's string parameter, or "0110"): the sub-circuit's string parameter
    if (std::optional<std::string> text = stringExpr(f, o.valueToks)) {
      s.isString = true;
      s.text = std::move(*text);
    } else {
      if (o.quoted)
        failAt(*o.nameTok, ErrorCode::Semantic,
               "the string value of '" + o.name + "' names something that is not a string parameter");
      NewScope env(*this, f, assigned);
      s.value = evalParam(o, env);
      assigned[o.name] = s.value;
    }
    s.state = Frame::State::Done;
  }
  for (const SubcktParam& a : subcktParams_)
    if (a.subckt == def->name && def->paramNames.count(a.name)) {
      Frame::Slot& s = child.params[a.name];
      s = Frame::Slot{};
      s.value = a.value;
      s.state = Frame::State::Done;
    }
  elaborate(child);
}

}  // namespace simcore::netlist
