// The netlist front end: reads cards (with .include/.lib), builds the
// sub-circuit definition tree, then elaborates it into a flat ir::Circuit.
//
//   read:      text -> cards (lexer.cpp), .include/.lib expanded (reader.cpp)
//   structure: cards -> SubcktDef tree: .param/.model/elements per scope,
//              top-level control cards kept aside (reader.cpp)
//   elaborate: top Frame, then one Frame per X instance; parameters are
//              evaluated lazily with cycle detection, models per frame,
//              devices flattened (elaborate.cpp, devices.cpp)
//   control:   analyses, options, .ic, .save on the top frame (control.cpp)
//
// Errors are thrown as NetlistError and converted to Result in
// parse_netlist.cpp. Not thread-safe; one Frontend per parse.
#pragma once

#include <array>
#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "devices/ngrandom.hpp"
#include "devices/plugin_kinds.hpp"
#include "netlist/expr.hpp"
#include "netlist/lexer.hpp"
#include "netlist/tokens.hpp"
#include "simcore/ir.hpp"

namespace simcore::netlist {

// Resource limits that keep a tiny malicious input from exploding.
inline constexpr int kMaxSubcktDepth = 64;
inline constexpr int kMaxIncludeDepth = 32;
inline constexpr int kMaxIncludedFiles = 1000;
inline constexpr std::size_t kMaxDevices = 5'000'000;
inline constexpr std::size_t kMaxInstances = 250'000;
inline constexpr std::size_t kMaxParamDepth = 1000;
// .step points and .temp values: at most this many circuit variants, and at
// most kMaxVariantDevices devices over all of them.
inline constexpr std::size_t kMaxVariants = 10'000;
inline constexpr std::size_t kMaxVariantDevices = 10'000'000;
inline constexpr int kMaxIfDepth = 64;

// Where a card stands among .if/.elseif/.else/.endif blocks (reader.cpp):
// branch `branch` of the scope's IfChain `chain`; chain -1: outside any.
// ngspice 39's scale on a B source's value (behavioural.cpp, Frontend::peelScale).
struct BSourceScale {
  double tc1 = 0, tc2 = 0, temp = 27, dtemp = 0, m = 1, reciproctc = 0, reciprocm = 0;
  bool tempGiven = false, given = false;
};

struct Guard {
  int chain = -1;
  int branch = 0;
};

// One .if ... .endif block: the condition card of each branch (.if, then each
// .elseif; an .else has no condition), inside the branch `parent` of an
// enclosing block. Conditions are evaluated per elaborated scope (an X
// instance sees its own parameters), the first true branch is taken.
struct IfChain {
  Guard parent;
  std::vector<Card> conds;  // an .else has an empty card
};

// name = value: value is one token (tok) or a bare multi-token expression.
struct ParamSrc {
  std::string name;       // lower case
  const Token* nameTok = nullptr;
  const Token* tok = nullptr;  // single value token, or null: use expr
  ExprSrc expr;
  Guard guard;  // the .if branch it is defined in
  // the value's tokens, for a string-valued parameter ("0110", a string
  // parameter's name, or adjacent ones: or{and}); they live with the card
  std::vector<const Token*> valueToks;
  bool quoted = false;  // a "..." among them: a string, never a number
};

struct SubcktDef {
  std::string name;  // lower case; empty for the top level
  const Token* nameTok = nullptr;
  SubcktDef* parent = nullptr;
  std::vector<std::string> pins;
  // PSpice's OPTIONAL: pins (name = default node), after the others: an
  // instance may give them (in order) or leave them to their default, a
  // global node such as $G_DPWR
  std::vector<std::pair<std::string, std::string>> optionalPins;
  std::vector<ParamSrc> defaults;  // params: of the .subckt line
  std::vector<ParamSrc> params;    // .param cards in the body, in order
  std::unordered_set<std::string> paramNames;  // names in defaults and params
  std::vector<Card> models;
  std::vector<Card> elements;      // device and X cards, in order
  std::vector<Card> thermal;       // cards of its .thermal blocks, in order
  std::vector<Card> initial;       // .ic and .nodeset cards in the body (sub-circuits only), in order
  // The .if branch of each model, element, thermal and initial card (parallel
  // vectors), and the scope's .if blocks.
  std::vector<Guard> modelGuards, elementGuards, thermalGuards, initialGuards;
  std::vector<IfChain> ifs;
  std::unordered_map<std::string, FuncDef> funcs;  // .func definitions in the body
  bool hasThermal = false;
  // Set when a card of the body (or the header) could not be read: only for
  // sub-circuits of included files, which are then left out (reader.cpp); an
  // instance fails with this error
  std::optional<Error> unreadable;
  std::unordered_map<std::string, std::unique_ptr<SubcktDef>> children;
};

// One elaborated scope: the top level or one X instance.
struct Frame {
  enum class State { Pending, Busy, Done };
  struct Slot {
    const ParamSrc* src = nullptr;
    double value = 0.0;
    State state = State::Pending;
    // a .param whose expression names agauss gauss aunif unif or limit: as
    // ngspice 39 (which makes it a function of no arguments), evaluated anew
    // at every use, never when it is defined
    bool random = false;
    // a .param whose expression reads temper (ngspice 39 makes it a function
    // of no arguments): evaluated anew at every use, and a function of the
    // circuit temperature (temperFunc) in values that keep their expression
    bool temper = false;
    std::shared_ptr<FuncDef> temperBody;  // its expression (parsed on first need)
    // a string-valued parameter (ngspice's numparam NUPA_STRING: .param
    // and="0001"; a sub-circuit parameter table="0000"): its text, never a number
    bool isString = false;
    std::string text;
    bool notString = false;  // lookupString found it is no string (its value is a number)
  };
  const SubcktDef* def = nullptr;
  Frame* parent = nullptr;  // the caller's frame
  std::string prefix;       // "" or "x1." / "x1.x3."
  const Token* instTok = nullptr;
  std::unordered_map<std::string, Slot> params;
  std::unordered_map<std::string, int> models;  // name -> index in Circuit::models
  std::unordered_map<std::string, std::size_t> modelCards;  // name -> index in def->models of a read one
  // .model cards that could not be read (name -> why): left out, as ngspice
  // reads only the models an element uses; an element that uses one fails
  std::unordered_map<std::string, Error> badModels;
  // A sub-circuit's .model cards from an included library, read when an element first uses
  // one (name -> index in def->models): a PDK's device sub-circuit holds a hundred bins, of
  // which each instance uses one (ngspice too removes the unused bins before it reads them)
  std::unordered_map<std::string, std::size_t> pendingModels;
  std::unordered_map<std::string, std::string> pins;
  int depth = 0;
  // The branch taken of each of def->ifs, once evaluated (-1: none).
  std::unordered_map<int, int> ifTaken;
};

// One .step card (step.cpp): what it sets and its values, in order.
struct StepSpec {
  enum class Target { Param, Source, Value, ModelParam, Temp };
  Target target = Target::Param;
  std::string name;   // parameter, device or model (lower case); empty for temp
  std::string param;  // ModelParam: the model parameter
  std::vector<double> values;
  const Token* at = nullptr;
};

// A CIDER numerical device's model type (numd, nbjt, numos; lower case):
// its .model is a list of cards (cider_cards.cpp), not name=value pairs.
bool isCiderModelType(std::string_view type);

// One line of a .control block split as ngspice reads it (control_lines.cpp): the command word
// (lower case; it ends at a blank, '(', ';' or '='), its arguments with a trailing comment
// (';', "//", a '$' before a blank or the end) removed, and the word's 0-based column.
// Nothing for a blank line or a comment alone. A '+' line's word starts with '+'.
struct ControlCommand {
  std::string cmd;
  std::string args;
  std::size_t col = 0;
};
std::optional<ControlCommand> controlCommand(std::string_view text);

// A .lib section or the main flow of one source file.
struct SourceUnit {
  std::unique_ptr<LexedFile> lex;
  std::vector<Card> flow;
  // loaded by a .control script's `source FILE` (reader.cpp): its .control lines run where
  // that command stands (controlScript), not after the deck's
  bool sourced = false;
  struct Section {
    const Token* at = nullptr;
    std::vector<Card> cards;
  };
  std::unordered_map<std::string, Section> sections;
};

class Frontend {
 public:
  explicit Frontend(const ir::ParseOptions& opts) : opts_(opts) {}
  ir::Circuit run(std::string_view text);

  // reader.cpp
  SourceUnit& addUnit(std::string name, std::string owned, std::string_view text, bool hasTitle, bool library);
  void expand(SourceUnit& unit, const std::vector<Card>& cards, std::vector<Card>& out, int depth);
  void includeCard(SourceUnit& unit, const Card& c, std::vector<Card>& out, int depth);
  // The files a .control script loads with `source FILE` (a name known before the run):
  // a circuit file's cards become the deck's (a script deck of ngspice's Monte Carlo
  // examples has none of its own); their .control lines are the script's at that command
  void loadSourcedFiles(SourceUnit& unit, std::vector<Card>& cards, int depth);
  void buildStructure(const std::vector<Card>& cards);
  void predefineFunctions();  // LTspice's soft limits uplim, dnlim, ... (behavioural.cpp)
  void parseSubcktHeader(const Card& c, SubcktDef& def);
  // pspice_digital.cpp: PSpice digital primitives (U devices) of every scope
  // as XSPICE instances and models, as ngspice 39 translates them
  void translatePspiceDigital();
  // subckt_multiplier.cpp: m= on X instances, as ngspice 39 spreads it over
  // the sub-circuit's elements (before elaboration)
  void subcktMultipliers();
  std::vector<Token> synthesized(const Token& at, std::string_view text, TokKind valueKind);
  std::vector<ParamSrc> parseAssignments(const Card& c, std::size_t i, const char* what);

  // elaborate.cpp
  void elaborate(Frame& f);
  void instantiate(Frame& f, const Card& c);
  // randomCards: when given, the netlist's own .model cards that name a
  // random function are read without moving the generator, and listed (by
  // index in f.def->models) for redrawModel at their place in the deck
  void addModels(Frame& f, std::vector<std::size_t>* randomCards = nullptr);
  void addModel(Frame& f, const Card& c, const std::string& name);  // one .model card (throws)
  // cider_cards.cpp: a CIDER .model (numd, nbjt; numos is rejected) whose type
  // is c[typeAt]: level= from its line into m.params, its '+' lines into m.cards
  void ciderModel(Frame& f, const Card& c, std::size_t typeAt, const std::string& name, ir::Model& m);
  void redrawModel(Frame& f, const Card& c);  // reads c again, into the same Circuit::models slot
  void checkAutostop();  // .options autostop against the .meas cards (parse_netlist.cpp)
  // A version string (version=3.3.0) of model m: its major.minor as the
  // parameter VERSION when m's kind declares one; ignored otherwise.
  void modelVersion(const Token& t, ir::Model& m);
  // Warns when a BSIM3 model (level 8 or 49) asks for a version before 3.2,
  // or a BSIM4 model (level 14 or 54) one before 4.8, which ngspice computes
  // with an older model.
  void warnBsim3Version(const Token& at, const ir::Model& m);
  double evalValue(const Token& t, Frame& f);
  double evalValue(const Token& t, ParamLookup& env);
  // An instance or model parameter's value that may read temper (ngspice's
  // circuit temperature; directly or through a .param): its value at the
  // reader's temperature, and in *temper the expression (folded but for
  // temper) when it reads it, else null.
  double evalTemperValue(const Token& t, Frame& f, std::shared_ptr<const ir::Expression>* temper);
  // The expression of the temper-dependent .param `name` visible from `from`
  // (a function of no arguments), or null when it is not one.
  const FuncDef* temperFunc(Frame& from, std::string_view name);
  double readerTemperature();  // the first .temp value, else .options temp, else 27
  double evalParam(const ParamSrc& p, Frame& f);
  double evalParam(const ParamSrc& p, ParamLookup& env);
  double lookupParam(Frame& from, std::string_view name, const SourceLoc& at);
  // String-valued parameters (ngspice's numparam): the value of the string
  // parameter `name` visible from `from`, or null when there is none of that
  // name or it is a number.
  const std::string* lookupString(Frame& from, std::string_view name);
  // A string expression as ngspice's numparam reads one: adjacent quoted
  // strings, string parameters' names and {name}s, concatenated; nullopt when
  // the tokens are not one.
  std::optional<std::string> stringExpr(Frame& f, const std::vector<const Token*>& toks);
  // A .param / sub-circuit parameter resolved as a string or a number (elaborate's check of each one).
  void resolveParam(Frame& f, const std::string& name, const SourceLoc& at);
  bool hasParam(Frame& from, std::string_view name) const;  // a .param of that name is visible
  int findModel(Frame& f, std::string_view lname);  // reads a pending model it finds
  // Why the visible .model `lname` could not be read (null: it was, or there is none).
  // A model of an included file (a vendor library) used by an element of
  // `kind`: parameters that kind does not have (PSpice's RG and RDS on a
  // level-1 MOSFET) are dropped with a warning, once per file and name, as
  // ngspice ignores them. The netlist's own models keep them, and the device
  // rejects them (a typo there would silently change the result).
  // (once per model: its index in c_.models)
  void dropForeignParams(int model, const dev::DeviceKind& kind);
  const Error* findBadModel(Frame& f, std::string_view lname);
  // The bins of a binned model (ngspice's model binning): the visible models
  // named lname.N (N digits) of the nearest frame that has any, in definition
  // order; empty when there are none.
  // one bin of a binned model: its frame, name and .model card (read or pending)
  struct BinRef {
    Frame* frame = nullptr;
    std::string name;
    std::size_t card = 0;  // index in frame->def->models
  };
  std::vector<BinRef> findModelBins(Frame& f, std::string_view lname);
  // a bin's LMIN LMAX WMIN WMAX (BSIM's defaults 0 1 0 1), from its model when read, else from its card
  std::array<double, 4> binLimits(const BinRef& bin);
  int readPendingModel(Frame& f, const std::string& lname);  // -1 when it cannot be read
  // a library's .model card: read, or left out with a warning (badModels) when it cannot be
  bool addLibraryModel(Frame& f, const Card& c, const std::string& name);
  // The value of a .model parameter starting at c[i]: a number or expression,
  // a keyword of `spec` (carrier=triangle), or a [ ... ] vector. Fills
  // out.value (and out.values for a vector); returns the index after it.
  std::size_t modelValue(Frame& f, const Card& c, std::size_t i, const dev::ParamSpec* spec, const std::string& what,
                         ir::Param& out);
  const SubcktDef* findDef(const SubcktDef* scope, std::string_view lname) const;
  std::string node(const Frame& f, const Token& t, std::string_view owner);
  // The flattened name of node `lname` (lower case) as written in frame f.
  std::string nodeName(const Frame& f, std::string_view lname) const;
  bool isValueToken(const Card& c, std::size_t i) const;

  // loss_files.cpp: losses="file.xml" on a .model; the index into
  // Circuit::semiconductors of the file's data (read once per file).
  int lossFile(const Token& value, const ir::Model& m);
  // index, after checking that the file's device class suits the model type.
  int checked(const Token& value, const ir::Model& m, int index) const;

  // devices.cpp
  void element(Frame& f, const Card& c);
  void addDevice(ir::Device&& d, const Token& at);
  void checkRefs();
  // ngspice 39 lowers trtol to 1 in a circuit with A (code-model) devices
  // (whatever .options set, unless already at most 1): so does simcore. Its A
  // devices include the ones it makes of E/F/G/H POLY sources (spice2poly) and of
  // E/G TABLE sources (an XSPICE pwl): codeModelSources_, set as they are read.
  void xspiceTrtol();
  bool codeModelSources_ = false;
  // auto_bridge.cpp: ngspice 39's automatic bridges between analog and
  // digital nodes (after elaboration); bridgeVcc: the vcc a digital A device
  // in frame f sets for its bridges (.param vcc visible there, else 3.3),
  // recorded by element() in bridgeVcc_ by index in c_.devices.
  void autoBridges();
  double bridgeVcc(Frame& f, const SourceLoc& at);
  std::unordered_map<std::size_t, double> bridgeVcc_;
  // urc.cpp: a U card (read as a model card into u) replaced by its ladder of
  // R and C (or D) devices, as ngspice expands it.
  void urcLine(Frame& f, const Card& c, ir::Device&& u);
  // A Y card whose TXL model has R/L > 1.6e10: ngspice's three RC sections (devices.cpp).
  bool txlRcSections(Frame& f, const Card& c, const ir::Device& y);

  // behavioural.cpp: B cards and the VALUE=/VOL=/CUR=, TABLE and POLY forms
  // of E F G H into d (nodes, behaviour); false for a card of another form.
  bool behavioural(Frame& f, const Card& c, ir::Device& d);
  // R n+ n- {expr} (or r={expr}) whose expression reads v(), i(), time or
  // hertz: a behavioural current source v(n+, n-) / expr (as ngspice); false otherwise.
  bool behaviouralResistor(Frame& f, const Card& c, ir::Device& d);
  bool behaviouralReactive(Frame& f, const Card& c, ir::Device& d, std::vector<ir::Device>& aux);
  // ddt(x) of a behavioural expression in frame f: the quantity that reads it
  // (behavioural.cpp; adds the auxiliary devices)
  ir::ExprVar timeDerivative(Frame& f, ir::Expression x, const SourceLoc& at);
  // LTspice's idt(x, ic) and delay(x, td) in frame f: the node that carries it
  // (behavioural.cpp; adds the auxiliary devices)
  ir::ExprVar integral(Frame& f, ir::Expression x, double ic, const SourceLoc& at);
  ir::ExprVar delayed(Frame& f, ir::Expression x, double td, const SourceLoc& at);
  void addAuxiliary(std::vector<ir::Device>& devs, const SourceLoc& at);
  // ngspice's B-source instance parameters after a behavioural value (TC1 TC2 M; with
  // bSource also TEMP DTEMP RECIPROCTC RECIPROCM): peeled off the card's end into
  // `scale`; the tokens left (at least minTokens - 3 of them). behavioural.cpp.
  std::size_t peelScale(Frame& f, const Card& c, std::size_t minTokens, bool bSource, BSourceScale& scale);
  std::optional<ir::Expression> runtimeValue(const Card& c, char letter, ExprSrc& src);
  // An R, C or L card whose LETTER= value reads v(), i() or time among other
  // parameters: the card of that value with its tc1, tc2 and m (what ngspice 39's
  // rewrite keeps; the rest warned); empty when the card is not of that kind or
  // already is that card.
  std::vector<Token> runtimeValueCard(const Card& c, char letter, const std::string& what);
  // .func name(args) [=] body
  void funcCard(SubcktDef& def, const Card& c);
  // The .func visible from f (its definition or an enclosing one), or null.
  const FuncDef* findFunc(const Frame& f, std::string_view lname) const;
  // The text of tokens [from, to) of c as one expression (a lone {expr} or
  // 'expr' without its delimiters; pieces on several lines joined by a blank).
  ExprSrc exprSource(const Card& c, std::size_t from, std::size_t to);
  // An E or G card with a Laplace transfer function (LTspice's Laplace=, PSpice's LAPLACE
  // {in} = {H}): d becomes the s_xfer block it stands for (laplace.cpp); false when the card
  // has no such form.
  bool laplaceSource(Frame& f, const Card& c, ir::Device& d);
  // ngspice's random functions of instance values (agauss gauss unif aunif
  // limit), drawn from rng_ as ngspice 39 draws them (seeded by .options
  // seed=N, else by 1: ngspice's default rndseed).
  double random(std::string_view name, const std::vector<double>& args, const SourceLoc& at);
  void seedRandom();
  // After the circuit is read: the random sources (TRNOISE, TRRANDOM) get the
  // generator's state as ngspice's would be when its transient starts drawing
  // (after the draws of reading, and the two of each TRNOISE telegraph's set-up).
  void handRandomState();
  std::optional<double> earlyOption(std::string_view name) const;
  // ngbehavior (ParseOptions) holds hs or spe: ngspice's HSPICE/Spectre modes
  bool ngbehaviorHas(std::string_view mode) const { return opts_.ngbehavior.find(mode) != std::string::npos; }
  bool hspiceBinning() const {
    return opts_.ngbehavior.find("hs") != std::string::npos || opts_.ngbehavior.find("spe") != std::string::npos;
  }
  // .options scale (read before the devices, as seed): MOSFET geometry given on instances is multiplied by it
  void readScale();
  double scale_ = 1.0;
  // v() nodes and i() devices of behavioural expressions exist (after every device).
  void checkExprRefs();
  // ngspice 39's i(R1) in an expression of a device that has no branch current (inpcom.c's
  // inp_meas_current): a zero-volt source v_R1 in series with its first terminal, read
  // instead (behavioural.cpp; from resolveSaves, which carries the devices into the variants)
  bool meteredCurrent(const ir::Device& d) const;
  void addCurrentMeters();

  // control.cpp
  void control(Frame& top, const Card& c);

  // reader.cpp: whether a card of guard g is elaborated in frame f (its .if
  // branch and every enclosing one taken).
  bool guardHolds(Frame& f, Guard g);
  // elaborate.cpp: the condition of an .if/.elseif card in frame f.
  double evalCondition(Frame& f, const Card& c);

  // step.cpp: .step cards (read before elaboration: a stepped parameter the
  // netlist does not declare starts at the step's first value), and the
  // circuit variants of the .step points and .temp values, each analysis
  // repeated once per variant.
  void readSteps(Frame& top);
  StepSpec stepCard(const Card& c, Frame& top);
  void expandVariants(std::string_view text);

  // compat.cpp: ngspice-dialect tolerance (warnings, card rewrites)
  // A warning at `at`, recorded once per key (later ones with the same key are dropped).
  void warnOnce(const Token& at, const std::string& key, std::string message);
  // Dot cards ngspice accepts that change no result simcore computes (.plot,
  // .width, ...): the reason they are ignored, or null when `lname` is not one.
  static const char* ignoredCard(std::string_view lname);
  // The card with ngspice's optional grouping parentheses removed where simcore's
  // readers expect bare tokens (E/G node pairs, a parenthesised source value);
  // the rewritten tokens live in ownedCards_. Returns c itself when nothing changes.
  Card normalizeCard(const Card& c);
  // LTspice's `load` flag on an I card (compat.cpp): the card without it, and
  // whether it was there.
  Card takeLoadFlag(const Card& c, bool& load);
  // The I source d (read from c without its load flag) as LTspice's load.
  void addCurrentLoad(Frame& f, const Card& c, ir::Device d);
  // LTspice's parasitics on a C, L or B card (compat.cpp): Rser Lser RLshunt
  // in series (C: capacitor, Rser, Lser with RLshunt across it; L: inductor,
  // Rser), Rpar Cpar across the terminals; B (I= or V=): Rpar Cpar across.
  struct Parasitics {
    double rser = 0, lser = 0, rlshunt = 0, rpar = 0, cpar = 0;
    bool noiseless = false;  // LTspice's `noiseless` flag: the parasitic resistors make no noise
    std::string a, b;  // the card's terminals (flattened)
    bool series() const { return rser > 0 || lser > 0; }
    bool any() const { return series() || rpar > 0 || cpar > 0; }
  };
  // The card without them (a series chain moves the element's second node to
  // an internal one); p receives their values.
  Card takeParasitics(Frame& f, const Card& c, Parasitics& p);
  void addParasitics(Frame& f, const Card& c, const Parasitics& p);
  // probes.cpp: ngspice output requests (alli, @dev[i], i(r1)) mapped onto
  // recorded signals; what cannot be recorded is dropped with a warning.
  void resolveSaves();
  // @device[param] of a device whose group records that quantity as a waveform
  // (probes.cpp; ngspice's name of a device in a sub-circuit too)
  bool recordedQuantity(const std::string& q) const;
  void checkPssNode();
  void checkPorts();
  // control_script.cpp: the commands of .control blocks (analyses, run, save,
  // option; output commands warned, the rest rejected), after the dot cards.
  void controlScript(Frame& top);
  // .four F0 VECTOR ...: kept until controlScript places it after the first .tran.
  void fourCard(Frame& top, const Card& c);
  struct FourCard {
    std::string args;  // "F0 VECTOR ..." with F0 evaluated
    Token at;
  };
  std::vector<FourCard> fourCards_;
  // measure_card.cpp: a .meas/.measure card into Circuit::measures.
  // A .meas card that cannot be read (bad syntax, an unknown analysis, an
  // unclosed parenthesis) is left out with a located warning, as ngspice 39
  // fails that measurement alone and runs the deck.
  void measureCard(Frame& top, const Card& c);
  void measureCardOrThrow(Frame& top, const Card& c);
  void measureFailed(const Card& c, const Error& why);
  // behavioural.cpp: `B<node> <node> 0 V = expr` for a par('expr') of a .meas
  // card (ngspice's rewrite: node pa_00, pa_01, ...; the card then reads v(node))
  void expressionProbe(Frame& top, const Card& c, std::size_t from, std::size_t to, const std::string& node);
  int parProbes_ = 0;  // par() expressions rewritten so far
  // thermal.cpp: one card of a .thermal block, and the checks once every
  // device exists (J names a power semiconductor, unique names)
  void thermalCard(Frame& f, const Card& c);
  void checkThermal();

  struct RefCheck {
    std::size_t device;  // index in Circuit::devices
    std::size_t ref;     // index in Device::refs
    const Token* tok;
    char letter;         // required letter of the referenced device
  };

  // plugins.cpp: the plugins of ParseOptions and of every .plugin card (read
  // before any other card, wherever it stands), into c_.plugins and kinds_.
  void loadPlugins(const std::vector<Card>& cards);

  const ir::ParseOptions& opts_;
  ir::Circuit c_;
  dev::KindTable kinds_;  // built-in kinds, then the plugins' (loadPlugins)
  std::vector<std::unique_ptr<SourceUnit>> units_;
  // The units of included files by name (and library reading): a file named again (GF180's
  // model library .lib's its own sections a dozen times) is lexed once.
  std::unordered_map<std::string, SourceUnit*> includedUnits_;
  SourceUnit& includedUnit(ir::ResolvedFile rf, bool library);
  std::vector<std::string> includeStack_;
  // `source FILE` commands read by loadSourcedFiles: "file:line" of the command -> the unit
  std::unordered_map<std::string, SourceUnit*> sourcedAt_;
  const SourceUnit* sourcedCircuit_ = nullptr;  // the file whose cards are the circuit
  // A card of the netlist itself (no file, the netlist's file or the circuit file its script
  // sources), not of an included library: read strictly, and at once
  bool ownFile(const std::string* file) const {
    return !file || *file == opts_.fileName || (sourcedCircuit_ && *file == sourcedCircuit_->lex->name);
  }
  bool ownFile(const std::string& file) const { return file.empty() || ownFile(&file); }
  std::deque<std::string> ownedText_;  // joined multi-line expressions
  SubcktDef top_;
  // later definitions of a .subckt name already defined in the same scope:
  // read (their cards must go somewhere) and ignored, as by ngspice
  std::vector<std::unique_ptr<SubcktDef>> redefined_;
  // Parameters of a .model card that its kind has for instances, not for
  // models: defaults of its instances that do not give them (ngspice 39's
  // instance defaults; also PSpice vendor MOSFET models' L= and W=), by index
  // in Circuit::models (devices.cpp applies them)
  std::unordered_map<int, std::vector<ir::Param>> instanceDefaults_;
  std::vector<Card> controls_;
  std::vector<Guard> controlGuards_;  // the .if branch of each of controls_
  std::vector<StepSpec> steps_;       // .step cards, in order (the first is the inner loop)
  std::vector<double> temps_;         // a .temp card's values when it has several
  const Token* tempsAt_ = nullptr;
  // A variant's elaboration (step.cpp): .step and several .temp values are
  // not expanded again; stepParams_ set top-level parameters whether the
  // netlist declares them or not.
  bool nested_ = false;
  // An alterparam re-elaboration (control_script.cpp): the netlist again with stepParams_
  // set, its .control script not compiled again.
  bool reelaboration_ = false;
  std::string_view text_;  // the netlist run() reads (the caller's buffer, alive during run())
  std::vector<std::pair<std::string, double>> stepParams_;
  // alterparam SUBCKT PARAM = VALUE (an alterparam re-elaboration): the value every
  // instance of that sub-circuit takes for the parameter, whatever the instance gives
  struct SubcktParam {
    std::string subckt, name;
    double value = 0;
  };
  std::vector<SubcktParam> subcktParams_;
  std::unordered_set<std::string> globals_;
  std::unordered_map<std::string, std::size_t> deviceIndex_;
  std::unordered_map<std::string, const Token*> instanceNames_;
  // an instance name given twice (full name -> the lines of both cards), for the error of a device in both
  std::unordered_map<std::string, std::pair<int, int>> dupInstances_;
  std::vector<RefCheck> refChecks_;
  std::unordered_map<std::string, int> lossFiles_;  // loss_files.cpp: file key -> semiconductors index
  std::unordered_set<std::string> warned_;                 // warnOnce keys
  // A model's warning given only when an element uses the model (a PDK's library file holds
  // the bins of every device: a version warning of a device the deck never uses is noise).
  struct ModelWarning {
    std::size_t model;
    Token at;
    std::string key, message;
  };
  std::vector<ModelWarning> modelWarnings_;
  void warnUsedModels();
  void warnBsim31(const Token& at, const ir::Model& m, bool v30);
  // dropForeignParams: the models already done, with the kind (redrawModel does a redrawn one again)
  std::unordered_map<int, const dev::DeviceKind*> modelsChecked_;
  std::vector<ir::SaveRequest> probes_;  // .probe items (control.cpp; resolveSaves reads them)
  bool probeGiven_ = false;              // a .probe card: `.save all` unless something else is saved
  void resolveProbes();                  // probes_ into saves and the vd() sources (probes.cpp)
  void resolveProbeItems(bool alliRequested);
  // .probe p(dev) (probes.cpp): the top-level instances named (read before
  // elaboration), and for each such sub-circuit instance its pins (the
  // caller's node, the node the body sees instead, the pin's name), as
  // ngspice 39 puts a zero-volt source in series with each terminal
  std::unordered_set<std::string> powerProbes_;
  struct ProbePin {
    std::string outer, inner, label;
    std::string source;  // its source's name when .probe alli names it (x1:PIN); else vcurr_...
  };
  std::unordered_map<std::string, std::vector<ProbePin>> powerPins_;
  // .probe alli (or an empty .probe) anywhere: every top-level X instance's pins behind
  // zero-volt sources too (ngspice's i(x1:pin) vectors), unless it holds a code model
  bool probeAlli_ = false;
  std::unordered_map<std::string, std::vector<ProbePin>> alliPins_;
  void addAlliPinSources(bool requested);
  void rejoinPins(const std::string& prefix, const std::unordered_map<std::string, std::string>& back);
  void findPowerProbes();
  // the zero-volt sources from each pin's outer node to its inner one (vcurr_INST:probe_int_...)
  // (save: their currents saved too, i(x1:PIN), for the pins .probe alli names)
  void addProbeSources(const std::string& inst, const std::vector<ProbePin>& pins, const SourceLoc& at, bool save = false);
  // a top-level X instance of powerProbes_: its pins' nodes moved behind the probe sources
  void probeSubcktPins(const std::string& inst, const std::vector<std::string>& pins,
                       std::unordered_map<std::string, std::string>& childPins, bool forAlli = false);
  std::vector<ir::SaveRequest> prints_;                    // .print requests (resolveSaves adds them)
  struct CsParam {
    std::string name;
    double value = 0;
    Token at;
  };
  std::vector<CsParam> csparams_;  // .csparam NAME=VALUE: vectors of the .control script
  std::deque<std::vector<Token>> ownedCards_;              // tokens of normalizeCard rewrites
  std::deque<LexedFile> digitalLex_;  // pspice_digital.cpp: the XSPICE cards of U devices
  std::deque<LexedFile> headerLex_;  // .subckt headers' {name=value ...} parameters read as cards
  std::deque<LexedFile> controlLex_;                       // .control command lines read as cards
  std::vector<std::string> evalStack_;  // parameters being evaluated (cycle detection)
  struct ExprRef {
    ir::ExprVar::Kind kind;
    std::string name;  // flattened
    SourceLoc at;
  };
  std::vector<ExprRef> exprRefs_;  // behavioural.cpp: checked by checkExprRefs
  dev::NgRandom rng_;
  // .step points: the generator's state to start from (the point before's end), not the seed
  std::optional<dev::NgRandom> rngStart_;
  dev::NgRandom rngSeeded_;  // the generator as seedRandom() left it
  int randomDraws_ = 0;  // random functions evaluated while reading (.step redraws them per point)
  std::size_t instances_ = 0;
  int ddtCount_ = 0;   // ddt() calls made into auxiliary devices so far (their names)
  int exprDepth_ = 0;  // expression nesting in use (see kMaxExprDepth)
  bool temperOk_ = false;    // temper may be read (evalTemperValue, .param definitions)
  bool temperSeen_ = false;  // ... and was
};

// Human name of a device letter ("resistor"), or null for unknown letters.
const char* deviceKindName(const dev::KindTable& kinds, char letter);

// The words of a V/I source card that start a value or function (dc ac pulse
// sin sine exp pwl sffm trnoise trrandom distof1 distof2), and the transient
// function a word names (None for the others; ngspice's `sine` is `sin`).
bool isSourceKeyword(std::string_view word);
ir::WaveKind sourceWaveKind(std::string_view word);

}  // namespace simcore::netlist
