#include "instance.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace simcore::fmu {

namespace {

bool readFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

std::string fmt(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return buf;
}

}  // namespace

std::unique_ptr<Instance> Instance::create(const std::string& resourceDir, const std::string& token, LogFn log) {
  std::string dir = resourceDir;
  if (!dir.empty() && dir.back() != '/') dir += '/';
  std::string text;
  if (!readFile(dir + kManifestFile, text)) {
    log(FmiStatus::Error, "logStatusError",
        "cannot read " + dir + kManifestFile + " (is the resource location the FMU's resources folder?)");
    return nullptr;
  }
  auto m = Manifest::parse(text);
  if (!m) {
    log(FmiStatus::Error, "logStatusError", m.error().format());
    return nullptr;
  }
  if (!token.empty() && token != m.value().token) {
    log(FmiStatus::Error, "logStatusError",
        "the instantiation token '" + token + "' is not this FMU's ('" + m.value().token + "')");
    return nullptr;
  }
  std::string netlist;
  if (!readFile(dir + m.value().netlist, netlist)) {
    log(FmiStatus::Error, "logStatusError", "cannot read the netlist " + dir + m.value().netlist);
    return nullptr;
  }
  std::unique_ptr<Instance> inst(new Instance(std::move(m.value()), dir, std::move(netlist), std::move(log)));
  // the netlist is checked now, so that a broken FMU fails at instantiation
  if (inst->build() != FmiStatus::OK) return nullptr;
  inst->dirty_ = true;
  return inst;
}

Instance::Instance(Manifest m, std::string dir, std::string netlist, LogFn log)
    : m_(std::move(m)), dir_(std::move(dir)), netlist_(std::move(netlist)), log_(std::move(log)) {
  const std::size_t n = m_.variables.size();
  values_.resize(n);
  paramSet_.assign(n, 0);
  inputIndex_.assign(n, 0);
  outputIndex_.assign(n, 0);
  std::size_t inputs = 0, outputs = 0;
  for (std::size_t i = 0; i < n; ++i) {
    values_[i] = m_.variables[i].start;
    if (m_.variables[i].kind == VarKind::Input) inputIndex_[i] = inputs++;
    if (m_.variables[i].kind == VarKind::Output) outputIndex_[i] = outputs++;
  }
  outputs_.resize(outputs);
}

FmiStatus Instance::error(const std::string& message, bool fatal) {
  log_(FmiStatus::Error, "logStatusError", message);
  if (fatal) state_ = State::Failed;
  return FmiStatus::Error;
}

const Variable* Instance::variable(std::uint32_t vr) const {
  for (const auto& v : m_.variables)
    if (v.vr == vr) return &v;
  return nullptr;
}

Result<ir::ResolvedFile> Instance::resolve(std::string_view path, std::string_view from) const {
  for (const auto& f : m_.files) {
    if (f.path != path || f.from != from) continue;
    ir::ResolvedFile r;
    r.name = f.name;
    if (!readFile(dir_ + f.stored, r.text))
      return makeError(ErrorCode::Semantic, "cannot read " + dir_ + f.stored + " (the FMU's copy of " + f.name + ")");
    return r;
  }
  return makeError(ErrorCode::Semantic, "'" + std::string(path) + "' was not packed into the FMU (it was not read when "
                                        "the FMU was exported)");
}

FmiStatus Instance::build() {
  ir::ParseOptions po;
  po.fileName = m_.netlistName;
  po.resolver = [this](std::string_view path, std::string_view from) { return resolve(path, from); };
  for (std::size_t i = 0; i < m_.variables.size(); ++i)
    if (m_.variables[i].kind == VarKind::Parameter && paramSet_[i])
      po.paramOverrides.emplace_back(m_.variables[i].target, values_[i]);
  auto c = ir::parseNetlist(netlist_, po);
  if (!c) return error(c.error().format(), true);
  if (toleranceDefined_ && tolerance_ > 0) c.value().options.reltol = tolerance_;
  CoSimSetup setup;
  for (const auto& v : m_.variables) {
    if (v.kind == VarKind::Input) setup.inputs.push_back(v.target);
    if (v.kind == VarKind::Output) setup.outputs.push_back(v.target);
  }
  if (stopDefined_) setup.tstop = stop_ - start_;
  SimulationOptions so;
  so.phaseTimes = false;  // (a clock read per Newton iteration, for statistics nobody reads here)
  auto cs = CoSimulation::create(std::move(c.value()), setup, so);
  if (!cs) return error(cs.error().format(), true);
  for (std::size_t i = 0; i < m_.variables.size(); ++i)
    if (m_.variables[i].kind == VarKind::Input && paramSet_[i])
      if (auto st = cs.value()->setInput(inputIndex_[i], values_[i]); !st) return error(st.error().format(), true);
  sim_ = std::move(cs.value());
  if (!warned_)
    for (const auto& w : sim_->warnings())
      log_(FmiStatus::Warning, "logStatusWarning",
           (w.loc.file.empty() ? m_.netlistName : w.loc.file) + ":" + std::to_string(w.loc.line) + ":" +
               std::to_string(w.loc.col) + ": warning: " + w.message);
  warned_ = true;
  dirty_ = false;
  return FmiStatus::OK;
}

FmiStatus Instance::setupExperiment(bool toleranceDefined, double tolerance, double startTime, bool stopTimeDefined,
                                    double stopTime) {
  if (state_ != State::Instantiated) return error("the experiment is set up before initialization");
  if (stopTimeDefined && !(stopTime > startTime))
    return error("the stop time " + fmt(stopTime) + " s is not after the start time " + fmt(startTime) + " s");
  toleranceDefined_ = toleranceDefined;
  tolerance_ = tolerance;
  start_ = startTime;
  stopDefined_ = stopTimeDefined;
  stop_ = stopTime;
  dirty_ = true;
  return FmiStatus::OK;
}

FmiStatus Instance::enterInitialization() {
  if (state_ != State::Instantiated) return error("enter initialization mode: the FMU was initialized before");
  state_ = State::Initialization;
  return FmiStatus::OK;
}

FmiStatus Instance::exitInitialization() {
  if (state_ != State::Initialization) return error("exit initialization mode: not in initialization mode");
  if (dirty_ || !sim_)
    if (build() != FmiStatus::OK) return FmiStatus::Error;
  if (auto st = sim_->start(); !st) return error(st.error().format(), true);
  state_ = State::Stepping;
  if (debug_)
    log_(FmiStatus::OK, "logEvents",
         "initial point found; the run ends at t = " + fmt(start_ + sim_->stopTime()) + " s");
  return FmiStatus::OK;
}

FmiStatus Instance::getReal(const std::uint32_t* vr, std::size_t n, double* out) {
  if (state_ == State::Failed) return error("the simulation failed before; reset or free the instance");
  bool outputsRead = false;
  for (std::size_t k = 0; k < n; ++k) {
    if (vr[k] == 0) {  // (FMI 3's independent variable)
      out[k] = time();
      continue;
    }
    const Variable* v = variable(vr[k]);
    if (!v) return error("no variable has the value reference " + std::to_string(vr[k]));
    const std::size_t i = std::size_t(v - m_.variables.data());
    if (v->kind == VarKind::Parameter) {
      out[k] = values_[i];
    } else if (v->kind == VarKind::Input) {
      out[k] = paramSet_[i] || !sim_ ? values_[i] : sim_->input(inputIndex_[i]);
    } else {
      if (state_ == State::Instantiated)
        return error("output '" + v->name + "' has no value before initialization mode");
      if (!outputsRead) {
        if (state_ == State::Initialization && (dirty_ || !sim_)) {
          if (build() != FmiStatus::OK) return FmiStatus::Error;
        }
        if (auto st = sim_->start(); !st) return error(st.error().format(), true);
        sim_->outputValues(outputs_.data());
        outputsRead = true;
      }
      out[k] = outputs_[outputIndex_[i]];
    }
  }
  return FmiStatus::OK;
}

FmiStatus Instance::setReal(const std::uint32_t* vr, std::size_t n, const double* values) {
  if (state_ == State::Failed) return error("the simulation failed before; reset or free the instance");
  for (std::size_t k = 0; k < n; ++k) {
    const Variable* v = vr[k] == 0 ? nullptr : variable(vr[k]);
    if (!v) return error("no variable with value reference " + std::to_string(vr[k]) + " can be set");
    const std::size_t i = std::size_t(v - m_.variables.data());
    if (v->kind == VarKind::Output) return error("output '" + v->name + "' cannot be set");
    if (!std::isfinite(values[k])) return error("'" + v->name + "' set to a value that is not finite");
    if (v->kind == VarKind::Parameter) {
      if (state_ != State::Instantiated && state_ != State::Initialization)
        return error("parameter '" + v->name + "' is fixed: set it before initialization ends");
      values_[i] = values[k];
      paramSet_[i] = 1;
      dirty_ = true;
      continue;
    }
    values_[i] = values[k];
    paramSet_[i] = 1;
    if (state_ == State::Stepping) {
      if (auto st = sim_->setInput(inputIndex_[i], values[k]); !st) return error(st.error().format());
    } else {
      dirty_ = true;
    }
  }
  return FmiStatus::OK;
}

FmiStatus Instance::doStep(double current, double step) {
  if (state_ == State::Failed) return error("the simulation failed before; reset or free the instance");
  if (state_ != State::Stepping) return error("DoStep before initialization ended, or after Terminate");
  const double now = time();
  const double tol = 1e-9 * std::max(std::fabs(now), std::fabs(step));
  if (std::fabs(current - now) > tol)
    return error("DoStep from t = " + fmt(current) + " s, but the FMU is at t = " + fmt(now) + " s");
  if (!(step >= 0)) return error("DoStep with a negative step " + fmt(step) + " s");
  const double target = std::min(current + step - start_, sim_->stopTime() * (1 + 1e-12));
  if (current + step - start_ > sim_->stopTime() * (1 + 1e-12))
    return error("DoStep to t = " + fmt(current + step) + " s goes past the stop time " +
                 fmt(start_ + sim_->stopTime()) + " s (set it with the experiment's stop time)");
  if (step == 0) return FmiStatus::OK;
  if (auto st = sim_->advanceTo(std::max(target, sim_->time())); !st) return error(st.error().format(), true);
  return FmiStatus::OK;
}

FmiStatus Instance::terminate() {
  if (state_ != State::Failed) state_ = State::Terminated;
  return FmiStatus::OK;
}

FmiStatus Instance::reset() {
  state_ = State::Instantiated;
  sim_.reset();
  for (std::size_t i = 0; i < m_.variables.size(); ++i) values_[i] = m_.variables[i].start;
  std::fill(paramSet_.begin(), paramSet_.end(), 0);
  toleranceDefined_ = stopDefined_ = false;
  start_ = stop_ = tolerance_ = 0;
  dirty_ = true;
  return FmiStatus::OK;
}

}  // namespace simcore::fmu
