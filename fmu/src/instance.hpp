// One FMU instance, whatever the FMI version: the netlist and manifest read
// from the FMU's resources, parameters and inputs set by the importer, the
// co-simulation (simcore/cosim.hpp) built when initialization ends, and
// DoStep. fmi2.cpp and fmi3.cpp adapt it to the two interfaces; neither
// keeps any state outside the instance (several instances per process).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "manifest.hpp"
#include "simcore/cosim.hpp"

namespace simcore::fmu {

// The FMI status values common to 2.0 and 3.0 (same numbers).
enum class FmiStatus { OK = 0, Warning = 1, Discard = 2, Error = 3, Fatal = 4 };

// category: "logStatusError", "logStatusWarning", "logEvents".
using LogFn = std::function<void(FmiStatus status, const char* category, const std::string& message)>;

class Instance {
 public:
  // Reads resourceDir/simcore-fmu.txt and the netlist; checks the token. On
  // failure: null, and the reason logged.
  static std::unique_ptr<Instance> create(const std::string& resourceDir, const std::string& token, LogFn log);

  // (FMI 2 SetupExperiment; FMI 3 passes the same with EnterInitializationMode)
  FmiStatus setupExperiment(bool toleranceDefined, double tolerance, double startTime, bool stopTimeDefined,
                            double stopTime);
  FmiStatus enterInitialization();
  FmiStatus exitInitialization();
  FmiStatus getReal(const std::uint32_t* vr, std::size_t n, double* out);
  FmiStatus setReal(const std::uint32_t* vr, std::size_t n, const double* values);
  FmiStatus doStep(double current, double step);
  FmiStatus terminate();
  FmiStatus reset();
  void setDebugLogging(bool on) { debug_ = on; }
  // The time reached (FMI time, including the experiment's start time).
  double time() const { return start_ + (sim_ ? sim_->time() : 0.0); }
  bool failed() const { return state_ == State::Failed; }

 private:
  enum class State { Instantiated, Initialization, Stepping, Terminated, Failed };
  Instance(Manifest m, std::string dir, std::string netlist, LogFn log);
  FmiStatus error(const std::string& message, bool fatal = false);
  // Parses the netlist with the parameters set and creates the co-simulation.
  FmiStatus build();
  const Variable* variable(std::uint32_t vr) const;
  Result<ir::ResolvedFile> resolve(std::string_view path, std::string_view from) const;

  Manifest m_;
  std::string dir_;      // resources directory, with a trailing '/'
  std::string netlist_;  // its text
  LogFn log_;
  bool debug_ = false;
  State state_ = State::Instantiated;
  std::vector<double> values_;     // per variable (manifest order): inputs and parameters as set
  std::vector<char> paramSet_;     // per variable: a parameter the importer set
  std::vector<std::size_t> inputIndex_;  // per variable: its input number in the co-simulation
  std::vector<std::size_t> outputIndex_;
  std::vector<double> outputs_;
  bool toleranceDefined_ = false, stopDefined_ = false;
  double tolerance_ = 0, start_ = 0, stop_ = 0;
  std::unique_ptr<CoSimulation> sim_;
  bool warned_ = false;  // the netlist's warnings were logged (at the first build)
  bool dirty_ = true;  // parameters or inputs changed since sim_ was built (initialization)
};

}  // namespace simcore::fmu
