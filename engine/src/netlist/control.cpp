// Top-level dot cards: analyses, .options, .temp, .ic/.nodeset, .save/.print/
// .probe, .title, .four. Values may use parameters of the top level.
#include <cctype>
#include <cmath>
#include <cstdio>

#include "netlist/frontend.hpp"
#include "netlist/number.hpp"

namespace simcore::netlist {
namespace {

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

constexpr const char* kAcceptedOptions =
    "reltol abstol vntol chgtol trtol gmin itl1 itl4 itl6 method maxord temp tnom switching steadystop steadytol ramptime thermalstep lossperiod seed savecurrents keepopinfo autostop trapdamp interp noopiter gminsteps srcsteps "
    "(no effect: klu sparse noacct nopage nomod post ingold numdgt acct bypass itl2 itl3 itl5 pivtol pivrel list node opts)";

// ngspice 39's options that change nothing in simcore, with what they do
// there (a deck from ngspice gets one short warning each, not the list above)
const char* ngspiceOptionWithoutEffect(std::string_view name) {
  static constexpr std::pair<std::string_view, const char*> kOptions[] = {
      {"acct", "its run statistics; simcore run --stats prints simcore's"},
      {"bypass", "its device bypass; simcore decides that itself"},
      {"itl2", "its dc sweep's iteration limit; simcore's sweep points use itl1"},
      {"itl3", "unused by ngspice too"},
      {"itl5", "unused by ngspice too"},
      {"pivtol", "its sparse LU's pivot threshold; simcore's KLU pivots on its own"},
      {"pivrel", "its sparse LU's pivot ratio; simcore's KLU pivots on its own"},
      {"list", "its listing of the input"},
      {"node", "its node table"},
      {"opts", "its listing of the options"},
  };
  for (const auto& [n, what] : kOptions)
    if (n == name) return what;
  return nullptr;
}

// LTspice's .tran startup: independent sources ramp from zero over this time (s)
constexpr double kLtspiceStartupRamp = 20e-6;

class ControlReader {
 public:
  ControlReader(Frontend& fe, Frame& top, const Card& c) : fe_(fe), top_(top), c_(c), n_(c.size()) {}

  void read() {
    std::string d = lower(c_[0].text);
    if (d == ".op") op();
    else if (d == ".dc") dc();
    else if (d == ".ac") ac();
    else if (d == ".tran") tran();
    else if (d == ".tran/op") {
      // PSpice's .TRAN/OP (textbook decks): /OP prints the bias point's details
      fe_.warnOnce(c_[0], "card:.tran/op", "'.tran/op' read as '.tran': PSpice's /OP (a detailed bias-point listing) "
                                           "has no effect here");
      tran();
    }
    else if (d == ".pss") pss();
    else if (d == ".fra") fra();
    else if (d == ".noise") noise();
    else if (d == ".tf") tf();
    else if (d == ".pz") pz();
    else if (d == ".sens") sens();
    else if (d == ".sp") sp();
    else if (d == ".options" || d == ".option" || d == ".opt") options();
    else if (d == ".temp") temp();
    else if (d == ".ic") nodeValues(fe_.c_.ic, ".ic");
    else if (d == ".nodeset") nodeValues(fe_.c_.nodeset, ".nodeset");
    else if (d == ".save") saves(false, fe_.c_.saves);
    else if (d == ".probe") probes();
    else if (d == ".print") saves(true, fe_.prints_);
    else if (d == ".title") title();
    else if (d == ".meas" || d == ".measure") fe_.measureCard(top_, c_);
    else if (d == ".four" || d == ".fourier") fe_.fourCard(top_, c_);
    else if (d == ".csparam") csparam();
    else if (const char* why = Frontend::ignoredCard(d))
      fe_.warnOnce(c_[0], "card:" + d, "'" + d + "' ignored: " + why);
    else failAt(c_[0], ErrorCode::Parse, "unknown control card '" + d + "'");
  }

 private:
  double value(std::size_t i, const char* what) {
    if (i >= n_) failAt(c_[0], ErrorCode::Parse, std::string("expected ") + what);
    return fe_.evalValue(c_[i], top_);
  }
  [[noreturn]] void bad(std::size_t i, const std::string& msg) { failAt(c_[i < n_ ? i : 0], ErrorCode::Semantic, msg); }
  // A frequency written with a trailing M (100M): SPICE's milli, a frequent slip for mega
  std::string milliHint(std::size_t i) const {
    if (i >= n_) return {};
    const std::string_view t = c_[i].text;
    std::size_t k = 0;
    while (k < t.size() && (std::isdigit(static_cast<unsigned char>(t[k])) || t[k] == '.' || t[k] == '+')) ++k;
    if (k == 0 || k + 1 > t.size() || (t[k] != 'm' && t[k] != 'M')) return {};
    const std::string unit = lower(t.substr(k));
    if (unit.rfind("meg", 0) == 0 || unit.rfind("mil", 0) == 0) return {};
    return " (SPICE reads '" + std::string(t) + "' as milli: write " + std::string(t.substr(0, k)) + "MEG for mega)";
  }
  void noExtra(std::size_t i, const char* card) {
    if (i < n_) failAt(c_[i], ErrorCode::Parse, "unexpected " + quoteTok(c_[i].text) + " at the end of " + card);
  }
  // Where words from token i on came from when a '+' line continued the card across a
  // comment line (ngspice joins it to the card before the comment; so does the reader):
  // a note for a message, else empty.
  std::string joinedNote(std::size_t i) const {
    if (i >= n_ || c_[i].line == c_[0].line) return {};
    return " (line " + std::to_string(c_[i].line) + "'s '+' continues this card across the comment line before it, "
           "as in ngspice)";
  }
  // The words text of tokens from i on (a message).
  std::string wordsFrom(std::size_t i) const {
    std::string out;
    for (std::size_t k = i; k < n_; ++k) {
      // (a blank where the line had one: v(2) as written)
      const bool adjacent = k > i && c_[k].line == c_[k - 1].line && c_[k].col == c_[k - 1].col + int(c_[k - 1].text.size());
      out += (out.empty() || adjacent ? "" : " ") + std::string(c_[k].text);
    }
    return out.size() > 60 ? out.substr(0, 57) + "..." : out;
  }

  void op() {
    // (words after it: ngspice 39 ignores them, `op : analyze DC operating point` of a lab's
    // script, or a `+` line joined across a comment)
    if (n_ > 1)
      fe_.warnOnce(c_[1], "op:extra:" + *c_[1].file + ":" + std::to_string(c_[1].line),
                   "'" + wordsFrom(1) + "' after op ignored, as ngspice 39 ignores it" + joinedNote(1));
    ir::Analysis a;
    a.kind = ir::AnalysisKind::Op;
    a.loc = locOf(c_[0]);
    fe_.c_.analyses.push_back(std::move(a));
  }

  void dc() {
    const char* usage = ".dc SRC START STOP STEP [SRC2 START2 STOP2 STEP2]";
    ir::Analysis a;
    a.kind = ir::AnalysisKind::Dc;
    a.loc = locOf(c_[0]);
    std::size_t i = 1;
    while (i < n_) {
      if (a.sweeps.size() == 2) failAt(c_[i], ErrorCode::Parse, std::string("too many arguments: expected ") + usage);
      if (c_[i].kind == TokKind::Word && ieq(c_[i].text, "lin")) ++i;
      if (i >= n_ || c_[i].kind != TokKind::Word) failAt(c_[i < n_ ? i : 0], ErrorCode::Parse, std::string("expected ") + usage);
      const Token& srcTok = c_[i];
      std::string src = lower(srcTok.text);
      ++i;
      if (i < n_ && c_[i].kind == TokKind::Word && ieq(c_[i].text, "lin")) ++i;
      if (i + 3 > n_) failAt(c_[0], ErrorCode::Parse, std::string("expected ") + usage);
      // TEMP: the circuit temperature; a resistor: its resistance (as ngspice)
      if (src != "temp") {
        auto it = fe_.deviceIndex_.find(src);
        if (it == fe_.deviceIndex_.end())
          failAt(srcTok, ErrorCode::Semantic, "unknown source '" + src + "' in .dc: expected a V or I source, a resistor or TEMP");
        const ir::Device& d = fe_.c_.devices[it->second];
        if (d.letter != 'v' && d.letter != 'i' && d.letter != 'r')
          failAt(srcTok, ErrorCode::Semantic, "'" + src + "' in .dc is not a V or I source, a resistor or TEMP");
        if (d.behaviour) failAt(srcTok, ErrorCode::Semantic, "'" + src + "' in .dc is behavioural: it cannot be swept");
        for (const ir::DcSweep& o : a.sweeps)
          if (o.source == src) failAt(srcTok, ErrorCode::Semantic, "'" + src + "' is swept twice in .dc");
      } else if (!a.sweeps.empty() && a.sweeps[0].source == "temp") {
        failAt(srcTok, ErrorCode::Semantic, "TEMP is swept twice in .dc");
      }
      ir::DcSweep s;
      s.source = src;
      s.start = value(i, "START");
      s.stop = value(i + 1, "STOP");
      s.step = value(i + 2, "STEP");
      if (s.step == 0.0) bad(i + 2, "step of the .dc sweep of '" + src + "' is zero");
      if ((s.stop - s.start) * s.step < 0.0)
        bad(i + 2, "step " + fmt(s.step) + " of the .dc sweep of '" + src + "' goes away from STOP (start " +
                       fmt(s.start) + ", stop " + fmt(s.stop) + ")");
      a.sweeps.push_back(std::move(s));
      i += 3;
    }
    if (a.sweeps.empty()) failAt(c_[0], ErrorCode::Parse, std::string("expected ") + usage);
    fe_.c_.analyses.push_back(std::move(a));
  }

  void ac() {
    const char* usage = ".ac dec|oct|lin N FSTART FSTOP";
    if (n_ < 2) failAt(c_[0], ErrorCode::Parse, std::string("expected ") + usage);
    ir::Analysis a;
    a.kind = ir::AnalysisKind::Ac;
    a.loc = locOf(c_[0]);
    const Token& sc = c_[1];
    if (sc.kind == TokKind::Word && ieq(sc.text, "dec")) a.acScale = ir::AcScale::Dec;
    else if (sc.kind == TokKind::Word && ieq(sc.text, "oct")) a.acScale = ir::AcScale::Oct;
    else if (sc.kind == TokKind::Word && ieq(sc.text, "lin")) a.acScale = ir::AcScale::Lin;
    else failAt(sc, ErrorCode::Parse, "expected dec, oct or lin after .ac, found " + quoteTok(sc.text));
    if (n_ < 5) failAt(c_[0], ErrorCode::Parse, std::string("expected ") + usage);
    double np = value(2, "N");
    if (np != std::floor(np) || np > 1e9) bad(2, "number of .ac points must be a whole number >= 1, got " + fmt(np));
    if (np < 1.0) {
      // ngspice 39 runs one point (acan.c: "if (ACnumberSteps < 1) ACnumberSteps = 1"); eSim
      // writes `.ac lin 0 0Hz 0Hz` when no AC analysis was set up
      fe_.warnOnce(c_[2], "acpoints:" + *c_[2].file + ":" + std::to_string(c_[2].line),
                   "number of .ac points " + fmt(np) + " taken as 1, as by ngspice 39");
      np = 1.0;
    }
    a.acPoints = static_cast<int>(np);
    a.fstart = value(3, "FSTART");
    a.fstop = value(4, "FSTOP");
    if (a.acScale == ir::AcScale::Lin ? a.fstart < 0.0 : a.fstart <= 0.0)
      bad(3, "FSTART of .ac must be > 0, got " + fmt(a.fstart));
    if (a.fstop < a.fstart) bad(4, "FSTOP " + fmt(a.fstop) + " of .ac is below FSTART " + fmt(a.fstart) + milliHint(4));
    noExtra(5, ".ac");
    fe_.c_.analyses.push_back(std::move(a));
  }

  // .pss PERIOD [TSETTLE]: a circuit driven with a known period.
  // .pss GFREQ TSTAB ONAME POINTS HARMS SCITER STEADYCOEFF [UIC]: ngspice's
  // free-running oscillator, whose period is searched for. The forms are told
  // apart by their number of arguments: one or two is the driven form, three
  // or more the oscillator's (which then needs all seven).
  void pss() {
    const char* usage = ".pss PERIOD [TSETTLE] or .pss GFREQ TSTAB ONAME POINTS HARMS SCITER STEADYCOEFF [UIC]";
    if (n_ < 2) failAt(c_[0], ErrorCode::Parse, std::string("expected ") + usage);
    if (n_ > 3) return oscillatorPss();
    ir::Analysis a;
    a.kind = ir::AnalysisKind::Pss;
    a.loc = locOf(c_[0]);
    a.period = value(1, "PERIOD");
    if (!(a.period > 0)) bad(1, "PERIOD of .pss must be > 0, got " + fmt(a.period));
    if (n_ > 2) {
      a.tsettle = value(2, "TSETTLE");
      if (!(a.tsettle >= 0)) bad(2, "TSETTLE of .pss must be >= 0, got " + fmt(a.tsettle));
    }
    fe_.c_.analyses.push_back(std::move(a));
  }

  void oscillatorPss() {
    const char* usage = ".pss GFREQ TSTAB ONAME POINTS HARMS SCITER STEADYCOEFF [UIC]";
    ir::Analysis a;
    a.kind = ir::AnalysisKind::Pss;
    a.oscillator = true;
    a.loc = locOf(c_[0]);
    std::size_t end = n_;
    // UIC, or PSpice's SKIPBP (skip the bias point, start from the IC= values)
    if (end > 1 && c_[end - 1].kind == TokKind::Word && (ieq(c_[end - 1].text, "uic") || ieq(c_[end - 1].text, "skipbp"))) {
      a.uic = true;
      --end;
    }
    if (end < 8)
      failAt(c_[end > 1 ? end - 1 : 0], ErrorCode::Parse,
             std::string("expected ") + usage + " (the oscillator form needs all seven values)");
    if (end > 8) failAt(c_[8], ErrorCode::Parse, "unexpected " + quoteTok(c_[8].text) + " at the end of " + usage);
    a.gfreq = value(1, "GFREQ");
    if (!(a.gfreq > 0)) bad(1, "GFREQ (the guessed oscillation frequency) of .pss must be > 0, got " + fmt(a.gfreq));
    a.tsettle = value(2, "TSTAB");
    if (!(a.tsettle >= 0)) bad(2, "TSTAB of .pss must be >= 0, got " + fmt(a.tsettle));
    std::string node = fe_.nodeName(top_, lower(c_[3].text));
    if (node == "gnd") node = "0";
    a.oscNode = node;  // (checked against the circuit's nodes once it is read: checkPssNode)
    auto whole = [&](std::size_t i, const char* what, double lo) {
      const double v = value(i, what);
      if (!(v >= lo) || v != std::floor(v) || v > 1e7)
        bad(i, std::string(what) + " of .pss must be a whole number >= " + fmt(lo) + ", got " + fmt(v));
      return static_cast<int>(v);
    };
    a.pssPoints = whole(4, "POINTS", 2);
    a.harmonics = whole(5, "HARMS", 1);
    a.shootIterations = whole(6, "SCITER", 1);
    a.steadyCoeff = value(7, "STEADYCOEFF");
    if (!(a.steadyCoeff > 0)) bad(7, "STEADYCOEFF of .pss must be > 0, got " + fmt(a.steadyCoeff));
    a.period = 1.0 / a.gfreq;
    fe_.c_.analyses.push_back(std::move(a));
  }

  // .fra DEC|OCT|LIN N FSTART FSTOP period=T source=NAME [settle=T] [amplitude=A]
  void fra() {
    const char* usage = ".fra dec|oct|lin N FSTART FSTOP period=T source=VNAME [settle=T] [amplitude=A]";
    if (n_ < 5) failAt(c_[0], ErrorCode::Parse, std::string("expected ") + usage);
    ir::Analysis a;
    a.kind = ir::AnalysisKind::Fra;
    a.loc = locOf(c_[0]);
    const Token& sc = c_[1];
    if (sc.kind == TokKind::Word && ieq(sc.text, "dec")) a.acScale = ir::AcScale::Dec;
    else if (sc.kind == TokKind::Word && ieq(sc.text, "oct")) a.acScale = ir::AcScale::Oct;
    else if (sc.kind == TokKind::Word && ieq(sc.text, "lin")) a.acScale = ir::AcScale::Lin;
    else failAt(sc, ErrorCode::Parse, "expected dec, oct or lin after .fra, found " + quoteTok(sc.text));
    const double np = value(2, "N");
    if (!(np >= 1.0) || np != std::floor(np) || np > 1e6) bad(2, "number of .fra points must be a whole number >= 1, got " + fmt(np));
    a.acPoints = static_cast<int>(np);
    a.fstart = value(3, "FSTART");
    a.fstop = value(4, "FSTOP");
    if (!(a.fstart > 0)) bad(3, "FSTART of .fra must be > 0, got " + fmt(a.fstart));
    if (a.fstop < a.fstart) bad(4, "FSTOP " + fmt(a.fstop) + " of .fra is below FSTART " + fmt(a.fstart) + milliHint(4));
    std::size_t i = 5;
    while (i < n_) {
      if (c_[i].kind != TokKind::Word || i + 2 >= n_ || c_[i + 1].kind != TokKind::Eq)
        failAt(c_[i], ErrorCode::Parse, std::string("expected name=value in .fra (") + usage + ")");
      const std::string name = lower(c_[i].text);
      if (name == "period") a.period = value(i + 2, "the period");
      else if (name == "settle") a.tsettle = value(i + 2, "the settling time");
      else if (name == "amplitude") a.amplitude = value(i + 2, "the perturbation amplitude");
      else if (name == "source") a.source = lower(c_[i + 2].text);
      else failAt(c_[i], ErrorCode::Semantic, "unknown .fra parameter '" + name + "' (expected period, source, settle or amplitude)");
      i += 3;
    }
    if (!(a.period > 0)) failAt(c_[0], ErrorCode::Semantic, ".fra needs period=T > 0 (the switching period)");
    if (a.source.empty()) failAt(c_[0], ErrorCode::Semantic, ".fra needs source=NAME (the V or I source to perturb)");
    if (!(a.amplitude >= 0)) failAt(c_[0], ErrorCode::Semantic, ".fra amplitude must be >= 0");
    fe_.c_.analyses.push_back(std::move(a));
  }

  // OUTVAR of .noise / .tf: v(a), v(a,b) or (allowCurrent) i(vx), from c_[i];
  // returns the index after it.
  std::size_t outputVar(std::size_t i, ir::Analysis& a, const char* card, bool allowCurrent) {
    const std::string want = allowCurrent ? "v(node), v(node,ref) or i(vsource)" : "v(node) or v(node,ref)";
    if (i + 1 >= n_ || c_[i].kind != TokKind::Word || c_[i + 1].kind != TokKind::LParen)
      failAt(c_[i < n_ ? i : 0], ErrorCode::Parse, std::string("expected the output ") + want + " after " + card);
    const std::string fn = lower(c_[i].text);
    std::vector<std::string> args;
    std::size_t j = i + 2;
    while (j < n_ && c_[j].kind == TokKind::Word) args.push_back(lower(c_[j++].text));
    if (j >= n_ || c_[j].kind != TokKind::RParen || args.empty() || args.size() > 2)
      failAt(c_[i], ErrorCode::Parse, std::string("expected the output ") + want + " after " + card);
    for (auto& n : args)
      if (n == "gnd") n = "0";
    if (fn == "v") {
      a.outPos = args[0];
      // (a reference written, ground too, is kept: ngspice names the .tf output
      // resistance after the card, output_impedance_at_V(out,0))
      if (args.size() == 2) a.outNeg = args[1];
    } else if (fn == "i" && allowCurrent && args.size() == 1) {
      auto it = fe_.deviceIndex_.find(args[0]);
      if (it == fe_.deviceIndex_.end() || fe_.c_.devices[it->second].letter != 'v')
        failAt(c_[i + 2], ErrorCode::Semantic, std::string("output i(") + args[0] + ") of " + card + " needs a voltage source of that name");
      a.outSource = args[0];
    } else {
      failAt(c_[i], ErrorCode::Parse, std::string("expected the output ") + want + " after " + card);
    }
    return j + 1;
  }

  // The input source of .noise / .tf at c_[i]: a V or I source.
  std::string inputSource(std::size_t i, const char* card) {
    if (i >= n_ || c_[i].kind != TokKind::Word)
      failAt(c_[i < n_ ? i : 0], ErrorCode::Parse, std::string("expected the input source after the output of ") + card);
    std::string src = lower(c_[i].text);
    auto it = fe_.deviceIndex_.find(src);
    if (it == fe_.deviceIndex_.end())
      failAt(c_[i], ErrorCode::Semantic, "unknown source '" + src + "' in " + card + ": expected a V or I source");
    const char letter = fe_.c_.devices[it->second].letter;
    if (letter != 'v' && letter != 'i') failAt(c_[i], ErrorCode::Semantic, "'" + src + "' in " + card + " is not a V or I source");
    return src;
  }

  // .noise v(out[,ref]) SRC dec|oct|lin N FSTART FSTOP [PTS_PER_SUMMARY]
  void noise() {
    const char* usage = ".noise v(out[,ref]) SRC dec|oct|lin N FSTART FSTOP [PTS_PER_SUMMARY]";
    ir::Analysis a;
    a.kind = ir::AnalysisKind::Noise;
    a.loc = locOf(c_[0]);
    std::size_t i = outputVar(1, a, ".noise", false);
    a.source = inputSource(i, ".noise");
    ++i;
    // HSPICE's .noise OUT SRC [INTER]: the frequencies of the deck's .ac
    // (noiseFromAc fills the sweep; acPoints 0 marks it), the spectra at every
    // one of them; INTER, the interval of HSPICE's printed per-device table, is
    // read and not used (ngspice's PTS_PER_SUMMARY would keep only those points)
    if (i == n_ || (i + 1 == n_ && !(c_[i].kind == TokKind::Word && (ieq(c_[i].text, "dec") || ieq(c_[i].text, "oct") ||
                                                                       ieq(c_[i].text, "lin"))))) {
      a.acPoints = 0;
      if (i < n_) {
        const double inter = value(i, "INTER");
        if (!(inter >= 0.0) || inter != std::floor(inter) || inter > 1e9)
          bad(i, "INTER of .noise (HSPICE's summary interval) must be a whole number >= 0, got " + fmt(inter));
      }
      fe_.c_.analyses.push_back(std::move(a));
      return;
    }
    if (i + 4 > n_) failAt(c_[0], ErrorCode::Parse, std::string("expected ") + usage + " (or HSPICE's .noise v(out) SRC [INTER] with an .ac card)");
    const Token& sc = c_[i];
    if (sc.kind == TokKind::Word && ieq(sc.text, "dec")) a.acScale = ir::AcScale::Dec;
    else if (sc.kind == TokKind::Word && ieq(sc.text, "oct")) a.acScale = ir::AcScale::Oct;
    else if (sc.kind == TokKind::Word && ieq(sc.text, "lin")) a.acScale = ir::AcScale::Lin;
    else failAt(sc, ErrorCode::Parse, "expected dec, oct or lin in .noise, found " + quoteTok(sc.text));
    const double np = value(i + 1, "N");
    if (!(np >= 1.0) || np != std::floor(np) || np > 1e9)
      bad(i + 1, "number of .noise points must be a whole number >= 1, got " + fmt(np));
    a.acPoints = static_cast<int>(np);
    a.fstart = value(i + 2, "FSTART");
    a.fstop = value(i + 3, "FSTOP");
    if (!(a.fstart > 0.0)) bad(i + 2, "FSTART of .noise must be > 0, got " + fmt(a.fstart));
    if (a.fstop < a.fstart) bad(i + 3, "FSTOP " + fmt(a.fstop) + " of .noise is below FSTART " + fmt(a.fstart) + milliHint(i + 3));
    i += 4;
    if (i < n_) {
      const double pts = value(i, "PTS_PER_SUMMARY");
      if (!(pts >= 0.0) || pts != std::floor(pts) || pts > 1e9)
        bad(i, "points per summary of .noise must be a whole number >= 0, got " + fmt(pts));
      a.ptsPerSummary = static_cast<int>(pts);
      ++i;
    }
    noExtra(i, ".noise");
    fe_.c_.analyses.push_back(std::move(a));
  }

  // .tf OUTVAR SRC
  void tf() {
    ir::Analysis a;
    a.kind = ir::AnalysisKind::Tf;
    a.loc = locOf(c_[0]);
    std::size_t i = outputVar(1, a, ".tf", true);
    a.source = inputSource(i, ".tf");
    noExtra(i + 1, ".tf");
    fe_.c_.analyses.push_back(std::move(a));
  }

  // .sens OUTVAR [dc] | .sens OUTVAR ac dec|oct|lin N FSTART FSTOP
  void sens() {
    const char* usage = ".sens OUTVAR [ac dec|oct|lin N FSTART FSTOP]";
    ir::Analysis a;
    a.kind = ir::AnalysisKind::Sens;
    a.loc = locOf(c_[0]);
    std::size_t i = outputVar(1, a, ".sens", true);
    if (i < n_ && c_[i].kind == TokKind::Word && ieq(c_[i].text, "dc")) {
      ++i;
    } else if (i < n_ && c_[i].kind == TokKind::Word && ieq(c_[i].text, "ac")) {
      a.sensAc = true;
      ++i;
      if (i + 4 > n_) failAt(c_[i - 1], ErrorCode::Parse, std::string("expected ") + usage);
      const Token& sc = c_[i];
      if (sc.kind == TokKind::Word && ieq(sc.text, "dec")) a.acScale = ir::AcScale::Dec;
      else if (sc.kind == TokKind::Word && ieq(sc.text, "oct")) a.acScale = ir::AcScale::Oct;
      else if (sc.kind == TokKind::Word && ieq(sc.text, "lin")) a.acScale = ir::AcScale::Lin;
      else failAt(sc, ErrorCode::Parse, "expected dec, oct or lin after .sens ... ac, found " + quoteTok(sc.text));
      const double np = value(i + 1, "N");
      if (!(np >= 1.0) || np != std::floor(np) || np > 1e6)
        bad(i + 1, "number of .sens points must be a whole number >= 1, got " + fmt(np));
      a.acPoints = static_cast<int>(np);
      a.fstart = value(i + 2, "FSTART");
      a.fstop = value(i + 3, "FSTOP");
      if (!(a.fstart > 0.0)) bad(i + 2, "FSTART of .sens ac must be > 0, got " + fmt(a.fstart));
      if (a.fstop < a.fstart) bad(i + 3, "FSTOP " + fmt(a.fstop) + " of .sens ac is below FSTART " + fmt(a.fstart) + milliHint(i + 3));
      i += 4;
    }
    noExtra(i, ".sens");
    fe_.c_.analyses.push_back(std::move(a));
  }

  // .sp dec|oct|lin N FSTART FSTOP [DONOISE]: ngspice's S-parameter analysis
  // over the V sources with `portnum`; DONOISE 1 adds the noise correlation.
  void sp() {
    const char* usage = ".sp dec|oct|lin N FSTART FSTOP [DONOISE]";
    if (n_ < 5) failAt(c_[0], ErrorCode::Parse, std::string("expected ") + usage);
    ir::Analysis a;
    a.kind = ir::AnalysisKind::Sp;
    a.loc = locOf(c_[0]);
    const Token& sc = c_[1];
    if (sc.kind == TokKind::Word && ieq(sc.text, "dec")) a.acScale = ir::AcScale::Dec;
    else if (sc.kind == TokKind::Word && ieq(sc.text, "oct")) a.acScale = ir::AcScale::Oct;
    else if (sc.kind == TokKind::Word && ieq(sc.text, "lin")) a.acScale = ir::AcScale::Lin;
    else failAt(sc, ErrorCode::Parse, "expected dec, oct or lin after .sp, found " + quoteTok(sc.text));
    double np = value(2, "N");
    if (np != std::floor(np) || np > 1e9) bad(2, "number of .sp points must be a whole number >= 1, got " + fmt(np));
    // (ngspice 39 runs one point for N < 1, as its .ac)
    a.acPoints = std::max(1, static_cast<int>(np));
    a.fstart = value(3, "FSTART");
    a.fstop = value(4, "FSTOP");
    if (a.acScale == ir::AcScale::Lin ? a.fstart < 0.0 : a.fstart <= 0.0)
      bad(3, "FSTART of .sp must be > 0, got " + fmt(a.fstart));
    if (a.fstop < a.fstart) bad(4, "FSTOP " + fmt(a.fstop) + " of .sp is below FSTART " + fmt(a.fstart) + milliHint(4));
    std::size_t i = 5;
    if (i < n_) {
      // ngspice 39 reads DONOISE as an integer (rounded), 0 when it is not a number, and
      // ignores what follows: 1 is noise, anything else none
      const Token& t = c_[i];
      double dn = 0;
      std::string why;
      const bool plain = t.kind == TokKind::Word && !parseNumber(t.text, dn, why) &&
                         !fe_.top_.paramNames.count(lower(t.text));
      if (plain)
        fe_.warnOnce(t, "sp:donoise:" + *t.file + ":" + std::to_string(t.line),
                     "'" + std::string(t.text) + "' read as DONOISE 0 (no noise), as ngspice 39 reads a word there: "
                     "DONOISE is a number, 1 for the noise correlation");
      else
        dn = value(i, "DONOISE");
      a.spNoise = std::floor(0.5 + dn) == 1.0;
      ++i;
    }
    if (i < n_)
      fe_.warnOnce(c_[i], "sp:extra:" + *c_[i].file + ":" + std::to_string(c_[i].line),
                   "text after DONOISE of '.sp' ignored (as ngspice 39): " + quoteTok(c_[i].text));
    fe_.c_.analyses.push_back(std::move(a));
  }

  // .pz IN+ IN- OUT+ OUT- cur|vol pol|zer|pz
  void pz() {
    const char* usage = ".pz IN+ IN- OUT+ OUT- cur|vol pol|zer|pz";
    ir::Analysis a;
    a.kind = ir::AnalysisKind::Pz;
    a.loc = locOf(c_[0]);
    std::string nodes[4];
    for (std::size_t k = 0; k < 4; ++k) {
      const std::size_t i = k + 1;
      if (i >= n_ || c_[i].kind != TokKind::Word)
        failAt(c_[i < n_ ? i : 0], ErrorCode::Parse, std::string("expected four nodes in ") + usage);
      std::string nm = fe_.nodeName(top_, lower(c_[i].text));
      if (nm == "gnd") nm = "0";
      nodes[k] = nm;
    }
    a.inPos = nodes[0];
    a.inNeg = nodes[1];
    a.outPos = nodes[2];
    a.outNeg = nodes[3];
    if (5 >= n_ || c_[5].kind != TokKind::Word || !(ieq(c_[5].text, "cur") || ieq(c_[5].text, "vol")))
      failAt(c_[5 < n_ ? 5 : 0], ErrorCode::Parse, std::string("expected cur or vol after the four nodes in ") + usage);
    a.pzCurrent = ieq(c_[5].text, "cur");
    if (6 >= n_ || c_[6].kind != TokKind::Word ||
        !(ieq(c_[6].text, "pol") || ieq(c_[6].text, "zer") || ieq(c_[6].text, "pz")))
      failAt(c_[6 < n_ ? 6 : 0], ErrorCode::Parse, std::string("expected pol, zer or pz after cur|vol in ") + usage);
    a.pzPoles = !ieq(c_[6].text, "zer");
    a.pzZeros = !ieq(c_[6].text, "pol");
    noExtra(7, ".pz");
    fe_.c_.analyses.push_back(std::move(a));
  }

  // ngspice: .tran TSTEP TSTOP [TSTART [TMAX]] [UIC]. LTspice also writes
  // .tran TSTOP and .tran 0 TSTOP [TSTART [DTMAX]], with the modifiers
  // startup (sources off at the operating point, ramped on over the first
  // 20 us), steady, nodiscard and uic in any order after the numbers. TSTEP
  // 0 (or absent) means (TSTOP - TSTART) / 1000: the print grid of an
  // interpolated output and, as every TSTEP, the default step ceiling.
  void tran() {
    const char* usage = ".tran TSTEP TSTOP [TSTART [TMAX]] [UIC] (or LTspice's .tran TSTOP, .tran 0 TSTOP ... "
                        "[startup] [steady] [nodiscard])";
    ir::Analysis a;
    a.kind = ir::AnalysisKind::Tran;
    a.loc = locOf(c_[0]);
    std::size_t end = n_;
    bool nodiscard = false;
    while (end > 1 && c_[end - 1].kind == TokKind::Word) {
      const Token& m = c_[end - 1];
      // UIC, or PSpice's SKIPBP (skip the bias point, start from the IC= values)
      if (ieq(m.text, "uic") || ieq(m.text, "skipbp")) a.uic = true;
      else if (ieq(m.text, "startup")) a.startupRamp = kLtspiceStartupRamp;
      else if (ieq(m.text, "nodiscard")) nodiscard = true;
      else if (ieq(m.text, "steady"))
        fe_.warnOnce(m, "tran:steady",
                     "LTspice's '.tran ... steady' (stop at a detected steady state) is not implemented: the run goes "
                     "to TSTOP (.pss finds a periodic steady state)");
      else break;
      --end;
    }
    if (end < 2) failAt(c_[0], ErrorCode::Parse, std::string("expected ") + usage);
    if (end > 5) failAt(c_[5], ErrorCode::Parse, std::string("too many arguments: expected ") + usage);
    if (end == 2) {
      a.tstop = value(1, "TSTOP");
    } else {
      a.tstep = value(1, "TSTEP");
      a.tstop = value(2, "TSTOP");
      if (!(a.tstep >= 0.0)) bad(1, "TSTEP of .tran must be >= 0, got " + fmt(a.tstep));
    }
    if (!(a.tstop > 0.0)) bad(end == 2 ? 1 : 2, "TSTOP of .tran must be > 0, got " + fmt(a.tstop));
    if (end > 3) {
      a.tstart = value(3, "TSTART");
      if (!(a.tstart < a.tstop)) bad(3, "TSTART of .tran must be below TSTOP, got " + fmt(a.tstart));
      if (a.tstart < 0.0) {
        // ngspice 39 checks only TSTART < TSTOP and keeps every point from 0 (an LTspice
        // export's `.tran 0 {Tsim} {Tsim-5*T}` with 5T longer than the run)
        fe_.warnOnce(c_[3], "tran:tstart<0",
                     "TSTART " + fmt(a.tstart) + " of .tran is negative: taken as 0 (every point kept), as ngspice 39 does");
        a.tstart = 0.0;
      }
    }
    if (end > 4) {
      a.tmax = value(4, "TMAX");
      if (a.tmax < 0.0) bad(4, "TMAX of .tran must be >= 0, got " + fmt(a.tmax));
    }
    // nodiscard: the points before TSTART are kept, i.e. output starts at 0
    if (nodiscard) a.tstart = 0;
    if (a.tstep == 0.0) a.tstep = (a.tstop - a.tstart) / 1000.0;
    fe_.c_.analyses.push_back(std::move(a));
  }

  void options() {
    ir::Options& o = fe_.c_.options;
    std::size_t i = 1;
    while (i < n_) {
      const Token& t = c_[i];
      if (t.kind != TokKind::Word) failAt(t, ErrorCode::Parse, "expected an option name, found " + quoteTok(t.text));
      std::string name = lower(t.text);
      bool hasValue = i + 1 < n_ && c_[i + 1].kind == TokKind::Eq;
      std::size_t vi = i + 2;
      if (hasValue && vi >= n_) failAt(c_[i + 1], ErrorCode::Parse, "missing value after '" + name + "='");
      std::size_t next = hasValue ? i + 3 : i + 1;
      auto num = [&]() {
        if (!hasValue) failAt(t, ErrorCode::Parse, "option '" + name + "' needs a value (" + name + "=...)");
        return fe_.evalValue(c_[vi], top_);
      };
      auto positive = [&](double& dst) {
        double v = num();
        if (!(v > 0.0)) bad(vi, "bad value for option '" + name + "': must be > 0, got " + fmt(v));
        dst = v;
      };
      auto count = [&](int& dst, double lo, double hi) {
        double v = num();
        if (!(v >= lo && v <= hi) || v != std::floor(v))
          bad(vi, "bad value for option '" + name + "': must be a whole number in [" + fmt(lo) + ", " + fmt(hi) +
                      "], got " + fmt(v));
        dst = static_cast<int>(v);
      };
      if (name == "reltol") positive(o.reltol);
      else if (name == "abstol") positive(o.abstol);
      else if (name == "vntol") positive(o.vntol);
      else if (name == "chgtol") positive(o.chgtol);
      else if (name == "trtol") positive(o.trtol);
      else if (name == "gmin") positive(o.gmin);
      else if (name == "steadystop") positive(o.steadystop);
      else if (name == "steadytol") positive(o.steadytol);
      else if (name == "ramptime") positive(o.ramptime);
      else if (name == "thermalstep") positive(o.thermalstep);
      else if (name == "lossperiod") positive(o.lossperiod);
      else if (name == "itl1") count(o.itl1, 1, 1e7);
      else if (name == "itl4") count(o.itl4, 1, 1e7);
      else if (name == "maxord") count(o.maxord, 1, 6);
      else if (name == "wnflag") {
        int flag = 0;  // read before the devices (model binning), see the M card's chooseBin
        count(flag, 0, 1);
      }
      else if (name == "scale") {
        double scale = 1;  // read before the devices (MOSFET geometry), see Frontend::readScale
        positive(scale);
      }
      else if (name == "seed") {
        // read before the devices (random functions of their values), see Frontend::seedRandom
        if (hasValue && (ieq(c_[vi].text, "random") || ieq(c_[vi].text, "{random}"))) {
          fe_.warnOnce(c_[vi], "option:seed-random",
                       "'.options seed=random': simcore seeds with 1, the same on every run (ngspice 39 takes the "
                       "time); give seed=N for other numbers");
        } else {
          int seed = 0;
          count(seed, 0, 2147483647.0);
        }
      }
      else if (name == "temp") o.temp = num();
      else if (name == "tnom") o.tnom = num();
      else if (name == "method") {
        if (!hasValue) failAt(t, ErrorCode::Parse, "option 'method' needs a value (method=trap|gear|euler)");
        const Token& v = c_[vi];
        if (ieq(v.text, "trap") || ieq(v.text, "trapezoidal")) o.method = ir::IntegrationMethod::Trapezoidal;
        else if (ieq(v.text, "gear")) o.method = ir::IntegrationMethod::Gear;
        else if (ieq(v.text, "euler")) o.method = ir::IntegrationMethod::Euler;
        else failAt(v, ErrorCode::Semantic, "bad value for option 'method': " + quoteTok(v.text) + " (expected trap, trapezoidal, gear or euler)");
      } else if (name == "switching") {
        if (!hasValue) failAt(t, ErrorCode::Parse, "option 'switching' needs a value (switching=auto|event|spice)");
        const Token& v = c_[vi];
        if (ieq(v.text, "auto")) o.switching = ir::SwitchingMode::Auto;
        else if (ieq(v.text, "event")) o.switching = ir::SwitchingMode::Event;
        else if (ieq(v.text, "spice")) o.switching = ir::SwitchingMode::Spice;
        else failAt(v, ErrorCode::Semantic, "bad value for option 'switching': " + quoteTok(v.text) + " (expected auto, event or spice)");
      } else if (name == "klu" || name == "sparse" || name == "noacct" || name == "nopage" || name == "nomod" ||
                 name == "post" || name == "ingold" || name == "numdgt") {
        fe_.c_.warnings.push_back(ir::Diagnostic{"option '" + name + "' has no effect", locOf(t)});
      } else if (name == "plotwinsize" || name == "plotreltol" || name == "plotvntol" || name == "plotabstol" ||
                 name == "measdgt" || name == "nomarch" || name == "fastaccess" || name == "topologycheck") {
        // LTspice's options of its waveform file and plot window
        fe_.warnOnce(t, "option:" + name,
                     "LTspice's option '" + name + "' (waveform compression, output digits or plotting) has no effect "
                     "here: every computed point is kept");
      } else if (name == "noopiter") {
        // ngspice's operating point without its first plain Newton: straight to gmin stepping
        int on = 1;
        if (hasValue) count(on, 0, 1);
        o.optran.newton = on == 0;
      } else if (const char* what = ngspiceOptionWithoutEffect(name)) {
        // ngspice's own options that change nothing here: said once, without the list of
        // the supported ones (that list is for a name no simulator knows)
        fe_.warnOnce(t, "option:" + name, "ngspice's option '" + name + "' (" + what + ") has no effect here");
      } else if (name == "gminsteps" || name == "srcsteps" || name == "itl6") {
        // 0 leaves gmin (source) stepping out of the operating point, as in ngspice; simcore's
        // stepping adapts its steps, so a count above 1 (ngspice's fixed-step variant) reads as 1
        int steps = 1;
        count(steps, 0, 1e6);
        if (steps > 1)
          fe_.warnOnce(t, "option:" + name,
                       "option '" + name + "=" + std::to_string(steps) + "': simcore's " +
                           (name == "gminsteps" ? "gmin" : "source") +
                           " stepping adapts its steps, so the count is not used (0 leaves it out, as in ngspice)");
        (name == "gminsteps" ? o.optran.gminSteps : o.optran.srcSteps) = steps;  // (itl6: ngspice's srcsteps)
      } else if (name == "interp") {
        // ngspice's transient output on the TSTEP grid (Qucs-S writes it before every sweep)
        int on = 1;
        if (hasValue) count(on, 0, 1);
        o.interp = on != 0;
      } else if (name == "trapdamp") {
        int on = 1;
        if (hasValue) count(on, 0, 1);
        o.trapdamp = on != 0;
      } else if (name == "autostop") {
        // (checked against the .meas cards once every card is read: parse_netlist.cpp)
        o.autostop = !hasValue || num() != 0.0;
      } else if (name == "keepopinfo") {
        o.keepOpInfo = !hasValue || num() != 0.0;
      } else if (name == "savecurrents") {
        // every device's terminal currents (netlist/probes.cpp expands the request)
        fe_.c_.saves.push_back(ir::SaveRequest{"savecurrents", locOf(t)});
      } else if (name == "warn" || name == "maxwarns") {
        // ngspice's safe-operating-area checks of the devices' *_max model parameters
        fe_.warnOnce(t, "option:" + name,
                     "option '" + name + "' (ngspice's safe-operating-area checks of the *_max model parameters) is "
                     "not supported: no SOA check is made");
      } else {
        // ngspice accepts many options simcore has no use for (acct, rshunt, ...)
        fe_.warnOnce(t, "option:" + name,
                     "option '" + name + "' is not supported and has no effect (supported: " + kAcceptedOptions + ")");
      }
      i = next;
    }
  }

  // .temp T1 [T2 ...]: several values run every analysis once per value
  // (step.cpp); the circuit itself has the first.
  void temp() {
    // (`.temp = 20`: ngspice 39's inp.c skips the '=')
    const std::size_t first = n_ > 1 && c_[1].kind == TokKind::Eq ? 2 : 1;
    if (n_ <= first) failAt(c_[0], ErrorCode::Parse, "expected .temp TEMPERATURE ...");
    std::vector<double> ts;
    for (std::size_t i = first; i < n_; ++i) {
      if (ts.size() >= kMaxVariants) failAt(c_[i], ErrorCode::Limit, ".temp has more than " + std::to_string(kMaxVariants) + " values");
      double v;
      std::string why;
      const std::string_view w = c_[i].text;
      const bool word = c_[i].kind == TokKind::Word && !w.empty() &&
                        (std::isalpha(static_cast<unsigned char>(w[0])) || w[0] == '_') && !parseNumber(w, v, why);
      const bool name = word && !(i + 1 < n_ && c_[i + 1].kind == TokKind::LParen);  // (not v(1))
      if (word || (c_[i].kind != TokKind::Word && c_[i].kind != TokKind::Expr)) {
        // a bare name (`.temp TP`) or what is no value (`v(1)` a '+' line joined across a
        // comment): ngspice 39 does not read the card ("Could not set temperature") and runs
        // at its default, 27 degC; so does simcore
        fe_.warnOnce(c_[i], ".temp-word",
                     "'.temp " + wordsFrom(first) + "': ngspice 39 cannot read this card (" +
                         (name ? "a parameter is read here only as {" + std::string(w) + "}"
                               : "'" + std::string(w) + "' is not a value") +
                         ") and runs at 27 degC; so does simcore" + joinedNote(i));
        ts.clear();
        break;
      }
      ts.push_back(value(i, "a temperature"));
    }
    if (ts.empty()) {  // (nothing readable: the temperature stays ngspice's default, 27 degC)
      fe_.c_.options.temp = 27.0;
      return;
    }
    fe_.c_.options.temp = ts.front();
    fe_.temps_ = ts.size() > 1 ? std::move(ts) : std::vector<double>{};
    fe_.tempsAt_ = &c_[0];
  }

  void nodeValues(std::vector<ir::NodeValue>& out, const char* card) {
    std::size_t i = 1;
    if (n_ < 2) {
      // an empty card sets nothing, as ngspice 39 reads it (PySpice's printed decks carry `.ic`)
      fe_.c_.warnings.push_back(ir::Diagnostic{std::string(card) + " without v(NODE)=VALUE sets nothing", locOf(c_[0])});
      return;
    }
    while (i < n_) {
      // the '=' may be left out (v(NODE) VALUE: PSpice's libraries; ngspice 39 reads it)
      const bool eq = i + 5 < n_ && c_[i + 4].kind == TokKind::Eq;
      bool ok = i + (eq ? 5 : 4) < n_ && c_[i].kind == TokKind::Word && ieq(c_[i].text, "v") &&
                c_[i + 1].kind == TokKind::LParen && c_[i + 2].kind == TokKind::Word &&
                c_[i + 3].kind == TokKind::RParen;
      if (!ok)
        failAt(c_[i], ErrorCode::Parse,
               std::string("expected v(NODE)=VALUE in ") + card + ", found " + quoteTok(c_[i].text));
      std::string node = fe_.nodeName(top_, lower(c_[i + 2].text));
      const std::size_t at = i + (eq ? 5 : 4);
      out.push_back(ir::NodeValue{node, fe_.evalValue(c_[at], top_), locOf(c_[i])});
      i = at + 1;
    }
  }

  // .csparam NAME=VALUE ...: each value (an expression of the .params) becomes a
  // vector of the .control script, as ngspice's
  void csparam() {
    std::size_t i = 1;
    if (i >= n_) failAt(c_[0], ErrorCode::Parse, "expected .csparam NAME=VALUE ...");
    while (i < n_) {
      if (c_[i].kind != TokKind::Word || i + 2 >= n_ || c_[i + 1].kind != TokKind::Eq)
        failAt(c_[i], ErrorCode::Parse, "expected NAME=VALUE in .csparam, found " + quoteTok(c_[i].text));
      fe_.csparams_.push_back(Frontend::CsParam{lower(c_[i].text), fe_.evalValue(c_[i + 2], top_), c_[i]});
      i += 3;
    }
  }

  // .save, .probe (into the saves) and .print (into the printed requests,
  // which add to the saves without narrowing them: ngspice's raw file keeps
  // every vector when a deck only prints)
  void saves(bool skipAnalysis, std::vector<ir::SaveRequest>& into) {
    std::size_t i = 1;
    if (skipAnalysis && i < n_ && c_[i].kind == TokKind::Word &&
        (ieq(c_[i].text, "tran") || ieq(c_[i].text, "ac") || ieq(c_[i].text, "dc") || ieq(c_[i].text, "op") ||
         ieq(c_[i].text, "noise") || ieq(c_[i].text, "tf") || ieq(c_[i].text, "pz") || ieq(c_[i].text, "sens") ||
         ieq(c_[i].text, "disto") || ieq(c_[i].text, "sp")))
      ++i;
    while (i < n_) {
      const Token& t = c_[i];
      if (parItem(i, into)) continue;
      if (t.kind != TokKind::Word) failAt(t, ErrorCode::Parse, "expected an output like v(node) or i(vsrc), found " + quoteTok(t.text));
      std::string sig = lower(t.text);
      ++i;
      // -i(vc), -v(x): a printed negation; what is saved is the vector itself
      if (sig.size() > 1 && sig[0] == '-' && i < n_ && c_[i].kind == TokKind::LParen) sig.erase(0, 1);
      // db(v(x)), mag(i(v1)), ph(...), real(...), imag(...): ngspice's
      // functions of a complex vector, as vdb(x), im(v1), ...
      static const std::pair<const char*, const char*> kOf[] = {
          {"db", "db"}, {"mag", "m"}, {"abs", "m"}, {"ph", "p"}, {"phase", "p"}, {"real", "r"}, {"re", "r"},
          {"imag", "i"}, {"im", "i"}};
      const char* mod = nullptr;
      for (const auto& f : kOf)
        if (sig == f.first) mod = f.second;
      if (mod && i + 3 < n_ && c_[i].kind == TokKind::LParen && c_[i + 1].kind == TokKind::Word &&
          (ieq(c_[i + 1].text, "v") || ieq(c_[i + 1].text, "i")) && c_[i + 2].kind == TokKind::LParen) {
        sig = lower(c_[i + 1].text) + mod;
        i += 2;
        std::size_t close = i;
        while (close < n_ && c_[close].kind != TokKind::RParen) ++close;
        if (close + 1 >= n_ || c_[close + 1].kind != TokKind::RParen)
          failAt(t, ErrorCode::Parse, "expected " + std::string(t.text) + "(v(node)) or " + std::string(t.text) + "(i(vsrc))");
      }
      if (i < n_ && c_[i].kind == TokKind::LParen) {
        sig += '(';
        ++i;
        bool first = true;
        while (i < n_ && c_[i].kind != TokKind::RParen) {
          if (c_[i].kind != TokKind::Word)
            failAt(c_[i], ErrorCode::Parse, "expected a node or source name, found " + quoteTok(c_[i].text));
          if (!first) sig += ',';
          sig += lower(c_[i].text);
          first = false;
          ++i;
        }
        if (first) failAt(t, ErrorCode::Parse, "empty " + quoteTok(t.text) + "()");
        sig += ')';
        ++i;  // ')'
        if (mod && i < n_ && c_[i].kind == TokKind::RParen) ++i;  // the function's ')'
      }
      into.push_back(ir::SaveRequest{std::move(sig), locOf(t)});
    }
  }

  // An output given as an expression, `NAME=par('expr')` or `par('expr')` (the
  // HSPICE form, in .save, .print and .probe): ngspice 39 rewrites it into a B
  // source `bNAME NAME 0 V = expr` (unnamed: node pa_NN, numbered with the .meas
  // cards' par()), and the card outputs that node; so does simcore, and the node
  // (vector NAME, v(NAME)) is in the results. False when no such item is at i.
  bool parItem(std::size_t& i, std::vector<ir::SaveRequest>& into) {
    std::size_t p = i;
    const bool named = c_[i].kind == TokKind::Word && i + 2 < n_ && c_[i + 1].kind == TokKind::Eq;
    if (named) p = i + 2;
    if (p + 1 >= n_ || c_[p].kind != TokKind::Word || !ieq(c_[p].text, "par") || c_[p + 1].kind != TokKind::LParen)
      return false;
    std::size_t close = p + 2;
    for (int depth = 1; close < n_; ++close) {
      if (c_[close].kind == TokKind::LParen) ++depth;
      else if (c_[close].kind == TokKind::RParen && --depth == 0) break;
    }
    if (close >= n_) failAt(c_[p + 1], ErrorCode::Parse, "unbalanced parentheses in par(): '(' is never closed");
    if (close == p + 2) failAt(c_[p], ErrorCode::Parse, "par() needs an expression: out=par('v(a)*i(v1)')");
    std::string node;
    if (named) {
      node = lower(c_[i].text);
    } else {
      if (fe_.parProbes_ >= 100) failAt(c_[p], ErrorCode::Limit, "more than 100 par() expressions in output cards");
      char buf[16];
      std::snprintf(buf, sizeof buf, "pa_%02d", fe_.parProbes_++);
      node = buf;
    }
    fe_.expressionProbe(top_, c_, p + 2, close, node);
    into.push_back(ir::SaveRequest{"v(" + node + ")", locOf(c_[i])});
    i = close + 1;
    return true;
  }

  // .probe (ngspice 39's inpc_probe.c): items are `alli`, v(node), i(dev),
  // i(dev:term) or i(dev,term), p(dev), vd(dev), vd(node1,node2),
  // vd(dev:t1:t2), vd(dev1:t1,dev2:t2). Inside the parentheses the words are
  // joined with ',' (`vd(mp1:1, mn1:1)`), except next to a ':' (`vd(mq6: 2:1)`).
  // An item that is not of that shape is ignored with a warning, as ngspice
  // does; resolveSaves (probes.cpp) reads the items.
  void probes() {
    fe_.probeGiven_ = true;
    std::size_t i = 1;
    if (i < n_ && c_[i].kind == TokKind::Word &&
        (ieq(c_[i].text, "tran") || ieq(c_[i].text, "ac") || ieq(c_[i].text, "dc") || ieq(c_[i].text, "op")))
      ++i;
    auto skip = [&](const Token& at, std::string why) {
      fe_.c_.warnings.push_back(ir::Diagnostic{".probe item " + why + ": ignored, as by ngspice 39", locOf(at)});
    };
    while (i < n_) {
      const Token& t = c_[i];
      if (parItem(i, fe_.probes_)) continue;
      if (t.kind != TokKind::Word) {
        // a stray '(' or ')' (`.probe (xyz)`): the item up to its ')' is ignored
        int depth = 0;
        std::size_t j = i;
        for (; j < n_; ++j) {
          if (c_[j].kind == TokKind::LParen) ++depth;
          else if (c_[j].kind == TokKind::RParen && --depth <= 0) break;
        }
        skip(t, quoteTok(t.text) + " does not start an output like v(node), i(dev) or vd(dev)");
        i = j + 1;
        continue;
      }
      std::string sig = lower(t.text);
      ++i;
      if (i >= n_ || c_[i].kind != TokKind::LParen) {
        if (sig == "alli") fe_.probes_.push_back(ir::SaveRequest{sig, locOf(t)});
        else skip(t, quoteTok(t.text) + " is not an output like v(node), i(dev) or vd(dev)");
        continue;
      }
      ++i;  // '('
      std::string inner;
      bool broken = false;
      while (i < n_ && c_[i].kind != TokKind::RParen) {
        if (c_[i].kind != TokKind::Word) broken = true;
        const std::string w = lower(c_[i].text);
        if (!inner.empty() && inner.back() != ':' && w.front() != ':') inner += ',';
        inner += w;
        ++i;
      }
      if (i < n_) ++i;  // ')'
      else broken = true;
      if (broken || inner.empty() || inner.front() == ':' || inner.front() == ',') {
        skip(t, quoteTok(t.text) + "(" + inner + ") is not well formed");
        continue;
      }
      fe_.probes_.push_back(ir::SaveRequest{sig + "(" + inner + ")", locOf(t)});
    }
    if (n_ <= 1) fe_.probes_.push_back(ir::SaveRequest{"alli", locOf(c_[0])});  // ngspice: an empty .probe is .probe alli
  }

  void title() {
    if (n_ < 2) {
      fe_.c_.title.clear();
      return;
    }
    const Token& first = c_[1];
    const Token& last = c_[n_ - 1];
    if (first.line == last.line && first.file == last.file) {
      fe_.c_.title = std::string(first.text.data(), static_cast<std::size_t>(last.text.data() + last.text.size() - first.text.data()));
    } else {
      std::string t;
      for (std::size_t i = 1; i < n_; ++i) t += (i > 1 ? " " : "") + std::string(c_[i].text);
      fe_.c_.title = t;
    }
  }

  Frontend& fe_;
  Frame& top_;
  const Card& c_;
  std::size_t n_;
};

}  // namespace

void Frontend::control(Frame& top, const Card& c) { ControlReader(*this, top, c).read(); }

// .four F0 VECTORS: a fourier statement after the first .tran (controlScript)
void Frontend::fourCard(Frame& top, const Card& c) {
  if (c.size() < 3) failAt(c[0], ErrorCode::Parse, "expected .four FUNDAMENTAL VECTOR ...");
  double f0 = evalValue(c[1], top);
  if (!(f0 > 0)) failAt(c[1], ErrorCode::Semantic, "the fundamental frequency of .four must be > 0");
  // the vectors as written: v(a,b) keeps its comma (the card's tokens have dropped it), words
  // outside parentheses stay apart
  std::string args = fmt(f0);
  int depth = 0;
  for (std::size_t i = 2; i < c.size(); ++i) {
    const bool open = c[i].kind == TokKind::LParen, close = c[i].kind == TokKind::RParen;
    if (depth == 0 && !open) args += ' ';
    else if (depth > 0 && !close && c[i - 1].kind != TokKind::LParen) args += ',';
    args += c[i].text;
    depth += open ? 1 : close ? -1 : 0;
    if (depth < 0) depth = 0;
  }
  fourCards_.push_back(FourCard{args, c[0]});
}

}  // namespace simcore::netlist
