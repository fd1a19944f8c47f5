// Runs the run-time part of a `.control` script (ir::Script) between the
// analyses: a SampleSink that forwards every chunk to another sink, keeps the
// vectors the script reads (ngspice's plots: tran1, ac1, ...) and, when an
// analysis ends, runs the statements that wait for it. Output (print, echo,
// fourier text; wrdata/write files) is collected as data in ScriptOutput.
// Pure: no I/O.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "script/vectors.hpp"
#include "simcore/ir.hpp"
#include "simcore/simulate.hpp"

namespace simcore::script {

// At most this many values (complex: two each) are kept for a script.
inline constexpr std::size_t kMaxKeptValues = std::size_t(64) << 20;

struct Plot {
  std::string typeName;  // "tran1", "ac2", "const"
  std::string name;      // "Transient Analysis"
  std::string title;
  AnalysisType type = AnalysisType::Op;
  int analysis = -1;               // index into Circuit::analyses, -1: none
  std::unique_ptr<Vec> scale;      // null for op and const
  std::vector<std::unique_ptr<Vec>> vecs;
  const Vec* find(const std::string& name) const;
  void put(Vec v);  // replaces a vector of the same name
};

// Takes ngspice's output redirection out of a command's arguments: `print v(a) > f.txt`
// leaves "print v(a) " and file "f.txt" (append for `>>`); false when '>' has no file name
// after it. Unchanged (and true) without a '>' outside quotes.
bool splitRedirect(std::string& args, std::string& file, bool& append);

// ngspice's vector name of a simcore signal: v(out) -> out, i(v1) -> v1#branch.
std::string vectorName(const std::string& signal);

// The fft window `name` (ngspice's specwindow, average one) over the times t;
// false for an unknown name. `order` is specwindoworder (gaussian).
bool fftWindow(const std::string& name, int order, const std::vector<double>& t, std::vector<double>& w);

class ScriptSink final : public SampleSink {
 public:
  explicit ScriptSink(const ir::Circuit& circuit);
  void setInner(SampleSink* inner) { inner_ = inner; }
  void begin(const AnalysisHeader& header) override;
  void chunk(const Chunk& chunk) override;
  void end(const AnalysisSummary& summary) override;

  // A transient paused (`stop when time = T`, analysis `index`) that the next
  // analysis resumes: the statements before that run now, on its plot so far;
  // the plot goes on with the rows of the resumed part, which ends the analysis
  // `resumed` names (the statements after it wait for its end).
  void paused(int index);
  void resumed(int index) { resumedAs_ = index; }
  // A deck without analyses: runs every statement now (once).
  void runWithoutAnalyses() {
    if (started_) return;
    started_ = true;
    runPending(0);
  }
  // Runs the statements due before the first analysis (once; begin() does it otherwise).
  void start() {
    if (started_) return;
    started_ = true;
    runPending(0);
  }
  // The circuit the run-time alters (ir::ScriptStatement::variant) have made,
  // when they began from variant `from` since the last reset; null otherwise.
  const ir::Variant* liveVariant(int from) const { return live_ && liveFrom_ == from ? &*live_ : nullptr; }
  // Raised by every change of that circuit (an alter, a reset, set temp).
  std::uint64_t liveGeneration() const { return liveGeneration_; }
  const ScriptOutput& output() const { return out_; }
  // A limit error (the kept vectors exceeded kMaxKeptValues); ok otherwise.
  const Status& status() const { return status_; }

 private:
  enum class Flow { Normal, Break, Continue };
  Flow run(const std::vector<ir::ScriptStatement>& list);
  Flow exec(const ir::ScriptStatement& s);
  void runPending(int ended);
  void fail(const ir::ScriptStatement& s, const std::string& message);
  bool keep(const std::string& vecName) const;

  std::string substitute(const ir::ScriptStatement& s, std::string_view text, bool& ok);
  const Vec* lookup(const std::string& name) const;
  const Vec* stateRead(const std::string& name, const Vec* v) const;
  EvalContext context();
  Plot* current();

  void cmdSet(const ir::ScriptStatement& s, const std::string& args);
  void cmdLet(const ir::ScriptStatement& s, const std::string& args);
  void letElement(const ir::ScriptStatement& s, const std::string& name, const std::string& index,
                  std::string_view value);
  void cmdPrint(const ir::ScriptStatement& s, const std::string& args);
  void cmdWrdata(const ir::ScriptStatement& s, const std::string& args);
  void cmdWrite(const ir::ScriptStatement& s, const std::string& args);
  void cmdFourier(const ir::ScriptStatement& s, const std::string& args);
  void cmdSetplot(const ir::ScriptStatement& s, const std::string& args);
  void cmdDestroy(const ir::ScriptStatement& s, const std::string& args);
  void cmdLinearize(const ir::ScriptStatement& s, const std::string& args);
  void cmdMeas(const ir::ScriptStatement& s, const std::string& args);
  void cmdFft(const ir::ScriptStatement& s, const std::string& args);
  void cmdDefine(const ir::ScriptStatement& s, const std::string& args);
  void cmdUndefine(const ir::ScriptStatement& s, const std::string& args);
  void cmdStrcmp(const ir::ScriptStatement& s, const std::string& args);
  void cmdCompose(const ir::ScriptStatement& s, const std::string& args);
  void cmdAlter(const ir::ScriptStatement& s, const std::string& args);
  bool plotVar(const std::string& name, std::vector<std::string>& value) const;
  int addPlot(Plot p);  // appends a plot made by a command and makes it current
  std::string newPlotName(const std::string& prefix);
  int afterDestroyed(int k) const;
  bool condition(const ir::ScriptStatement& s, bool& ok);
  // append: 1 appends, 0 replaces, -1 as the variable appendwrite says
  void emitFile(const ir::ScriptStatement& s, const std::string& name, std::string data, int append = -1);
  // The vectors of the current plot that `all`, `allv`, `alli` or `ally` name (false: another word).
  bool allVectors(const std::string& word, std::vector<Vec>& out);
  int intVar(const std::string& name, int dflt) const;
  bool boolVar(const std::string& name) const { return vars_.count(name) > 0; }

  const ir::Circuit& circuit_;
  SampleSink* inner_ = nullptr;
  ScriptOutput out_;
  Status status_;
  bool quit_ = false;  // a quit or exit ran: nothing more of the script runs
  std::size_t next_ = 0;  // next statement of circuit_.script to run
  bool started_ = false;
  std::deque<Plot> plots_;
  Plot constants_;
  int current_ = -1;  // index into plots_, -1: constants
  bool simulated_ = false;  // an analysis has begun ($sim_status)
  int lastNoise_ = -1;  // analysis index of the last .noise begun (its totals' plot)
  Plot* building_ = nullptr;
  int buildingIndex_ = -1;  // building_'s index in plots_
  std::vector<int> columns_;  // per header signal: its index in building_->vecs, -1: not kept
  bool buildingComplex_ = false;
  std::size_t kept_ = 0;
  int plotNum_ = 1;  // ngspice's plot number: one counter, raised when a name is taken
  std::map<std::string, std::vector<std::string>> vars_ = presetVariables();
  std::map<std::string, std::vector<UserFunction>> functions_;  // define'd, by name (one per arity)
  dev::NgRandom rng_;  // ngspice's generator, seeded by 1 (its rndseed at start-up)
  mutable std::map<std::string, Vec> quantities_;  // @dev[param] values handed out by lookup
  int resumedAs_ = -1;  // the analysis index of the part of a resumed run now running (see resumed)
  int cardsFrom_ = -1;  // the running statement's ScriptStatement::variant (its @dev[param] reads)
  std::optional<ir::Variant> live_;  // the circuit the run-time alters made (see liveVariant)
  int liveFrom_ = -1;
  std::uint64_t liveGeneration_ = 0;
};

}  // namespace simcore::script
