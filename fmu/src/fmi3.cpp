// FMI 3.0 Co-Simulation over fmu::Instance (fmi3_api.hpp).
#include <exception>
#include <memory>
#include <string>

#include "fmi3_api.hpp"
#include "instance.hpp"

namespace {

using simcore::fmu::FmiStatus;
using simcore::fmu::Instance;

struct Component {
  fmi3InstanceEnvironment env = nullptr;
  fmi3LogMessageCallback logMessage = nullptr;
  bool loggingOn = false;
  std::unique_ptr<Instance> inst;

  void log(FmiStatus status, const char* category, const std::string& message) const {
    if (logMessage && (status != FmiStatus::OK || loggingOn)) logMessage(env, fmi3Status(status), category, message.c_str());
  }
};

Component* self(fmi3Instance c) { return static_cast<Component*>(c); }

template <class F>
fmi3Status guarded(fmi3Instance c, const char* what, F&& f) {
  if (!c) return fmi3Error;
  Component* k = self(c);
  try {
    return fmi3Status(f(*k->inst));
  } catch (const std::exception& e) {
    k->log(FmiStatus::Fatal, "logStatusFatal", std::string(what) + ": " + e.what());
  } catch (...) {
    k->log(FmiStatus::Fatal, "logStatusFatal", std::string(what) + ": unknown failure");
  }
  return fmi3Fatal;
}

fmi3Status unsupported(fmi3Instance c, const char* what) {
  if (c) self(c)->log(FmiStatus::Error, "logStatusError", std::string(what) + " is not supported by this FMU");
  return fmi3Error;
}

fmi3Instance instantiate(fmi3String instanceName, fmi3String token, fmi3String resourcePath, bool loggingOn,
                         fmi3InstanceEnvironment env, fmi3LogMessageCallback logMessage, const char* refused) {
  try {
    auto k = std::make_unique<Component>();
    k->env = env;
    k->logMessage = logMessage;
    k->loggingOn = loggingOn;
    (void)instanceName;
    if (refused) {
      k->log(FmiStatus::Error, "logStatusError", refused);
      return nullptr;
    }
    Component* raw = k.get();
    auto inst = Instance::create(resourcePath ? resourcePath : "", token ? token : "",
                                 [raw](FmiStatus s, const char* cat, const std::string& m) { raw->log(s, cat, m); });
    if (!inst) return nullptr;
    inst->setDebugLogging(loggingOn);
    k->inst = std::move(inst);
    return k.release();
  } catch (...) {
    return nullptr;
  }
}

}  // namespace

#define UNSUPPORTED_GETTER(name, type)                                                                \
  fmi3Status name(fmi3Instance instance, FMI3_VR, type[], size_t) {                                    \
    return nValueReferences == 0 ? fmi3OK : unsupported(instance, #name " (every variable is a Float64)"); \
  }
#define UNSUPPORTED_SETTER(name, type)                                                                \
  fmi3Status name(fmi3Instance instance, FMI3_VR, const type[], size_t) {                              \
    return nValueReferences == 0 ? fmi3OK : unsupported(instance, #name " (every variable is a Float64)"); \
  }

extern "C" {

const char* fmi3GetVersion(void) { return "3.0"; }

fmi3Status fmi3SetDebugLogging(fmi3Instance instance, fmi3Boolean loggingOn, size_t, const fmi3String[]) {
  if (!instance) return fmi3Error;
  self(instance)->loggingOn = loggingOn;
  self(instance)->inst->setDebugLogging(loggingOn);
  return fmi3OK;
}

fmi3Instance fmi3InstantiateModelExchange(fmi3String instanceName, fmi3String token, fmi3String resourcePath,
                                          fmi3Boolean, fmi3Boolean loggingOn, fmi3InstanceEnvironment env,
                                          fmi3LogMessageCallback logMessage) {
  return instantiate(instanceName, token, resourcePath, loggingOn, env, logMessage,
                     "this FMU implements Co-Simulation only (no Model Exchange)");
}

fmi3Instance fmi3InstantiateCoSimulation(fmi3String instanceName, fmi3String token, fmi3String resourcePath,
                                         fmi3Boolean, fmi3Boolean loggingOn, fmi3Boolean eventModeUsed,
                                         fmi3Boolean, const fmi3ValueReference[], size_t, fmi3InstanceEnvironment env,
                                         fmi3LogMessageCallback logMessage, fmi3IntermediateUpdateCallback) {
  // (hasEventMode is false: switching events stay inside DoStep)
  return instantiate(instanceName, token, resourcePath, loggingOn, env, logMessage,
                     eventModeUsed ? "this FMU has no event mode (hasEventMode=\"false\"): instantiate it with "
                                     "eventModeUsed = false"
                                   : nullptr);
}

fmi3Instance fmi3InstantiateScheduledExecution(fmi3String instanceName, fmi3String token, fmi3String resourcePath,
                                               fmi3Boolean, fmi3Boolean loggingOn, fmi3InstanceEnvironment env,
                                               fmi3LogMessageCallback logMessage, fmi3ClockUpdateCallback,
                                               fmi3LockPreemptionCallback, fmi3UnlockPreemptionCallback) {
  return instantiate(instanceName, token, resourcePath, loggingOn, env, logMessage,
                     "this FMU implements Co-Simulation only (no Scheduled Execution)");
}

void fmi3FreeInstance(fmi3Instance instance) { delete self(instance); }

fmi3Status fmi3EnterInitializationMode(fmi3Instance instance, fmi3Boolean toleranceDefined, fmi3Float64 tolerance,
                                       fmi3Float64 startTime, fmi3Boolean stopTimeDefined, fmi3Float64 stopTime) {
  return guarded(instance, "fmi3EnterInitializationMode", [&](Instance& i) {
    const FmiStatus s = i.setupExperiment(toleranceDefined, tolerance, startTime, stopTimeDefined, stopTime);
    return s == FmiStatus::OK ? i.enterInitialization() : s;
  });
}
fmi3Status fmi3ExitInitializationMode(fmi3Instance instance) {
  return guarded(instance, "fmi3ExitInitializationMode", [](Instance& i) { return i.exitInitialization(); });
}
fmi3Status fmi3EnterEventMode(fmi3Instance instance) { return unsupported(instance, "fmi3EnterEventMode"); }
fmi3Status fmi3Terminate(fmi3Instance instance) {
  return guarded(instance, "fmi3Terminate", [](Instance& i) { return i.terminate(); });
}
fmi3Status fmi3Reset(fmi3Instance instance) {
  return guarded(instance, "fmi3Reset", [](Instance& i) { return i.reset(); });
}

fmi3Status fmi3GetFloat64(fmi3Instance instance, FMI3_VR, fmi3Float64 values[], size_t nValues) {
  if (nValues != nValueReferences) return unsupported(instance, "fmi3GetFloat64 of arrays");
  return guarded(instance, "fmi3GetFloat64",
                 [&](Instance& i) { return i.getReal(valueReferences, nValueReferences, values); });
}
fmi3Status fmi3SetFloat64(fmi3Instance instance, FMI3_VR, const fmi3Float64 values[], size_t nValues) {
  if (nValues != nValueReferences) return unsupported(instance, "fmi3SetFloat64 of arrays");
  return guarded(instance, "fmi3SetFloat64",
                 [&](Instance& i) { return i.setReal(valueReferences, nValueReferences, values); });
}

UNSUPPORTED_GETTER(fmi3GetFloat32, fmi3Float32)
UNSUPPORTED_GETTER(fmi3GetInt8, fmi3Int8)
UNSUPPORTED_GETTER(fmi3GetUInt8, fmi3UInt8)
UNSUPPORTED_GETTER(fmi3GetInt16, fmi3Int16)
UNSUPPORTED_GETTER(fmi3GetUInt16, fmi3UInt16)
UNSUPPORTED_GETTER(fmi3GetInt32, fmi3Int32)
UNSUPPORTED_GETTER(fmi3GetUInt32, fmi3UInt32)
UNSUPPORTED_GETTER(fmi3GetInt64, fmi3Int64)
UNSUPPORTED_GETTER(fmi3GetUInt64, fmi3UInt64)
UNSUPPORTED_GETTER(fmi3GetBoolean, fmi3Boolean)
UNSUPPORTED_GETTER(fmi3GetString, fmi3String)
UNSUPPORTED_SETTER(fmi3SetFloat32, fmi3Float32)
UNSUPPORTED_SETTER(fmi3SetInt8, fmi3Int8)
UNSUPPORTED_SETTER(fmi3SetUInt8, fmi3UInt8)
UNSUPPORTED_SETTER(fmi3SetInt16, fmi3Int16)
UNSUPPORTED_SETTER(fmi3SetUInt16, fmi3UInt16)
UNSUPPORTED_SETTER(fmi3SetInt32, fmi3Int32)
UNSUPPORTED_SETTER(fmi3SetUInt32, fmi3UInt32)
UNSUPPORTED_SETTER(fmi3SetInt64, fmi3Int64)
UNSUPPORTED_SETTER(fmi3SetUInt64, fmi3UInt64)
UNSUPPORTED_SETTER(fmi3SetBoolean, fmi3Boolean)
UNSUPPORTED_SETTER(fmi3SetString, fmi3String)

fmi3Status fmi3GetBinary(fmi3Instance instance, FMI3_VR, size_t[], fmi3Binary[], size_t) {
  return nValueReferences == 0 ? fmi3OK : unsupported(instance, "fmi3GetBinary (every variable is a Float64)");
}
fmi3Status fmi3SetBinary(fmi3Instance instance, FMI3_VR, const size_t[], const fmi3Binary[], size_t) {
  return nValueReferences == 0 ? fmi3OK : unsupported(instance, "fmi3SetBinary (every variable is a Float64)");
}
fmi3Status fmi3GetClock(fmi3Instance instance, FMI3_VR, fmi3Clock[]) {
  return nValueReferences == 0 ? fmi3OK : unsupported(instance, "fmi3GetClock (the FMU has no clocks)");
}
fmi3Status fmi3SetClock(fmi3Instance instance, FMI3_VR, const fmi3Clock[]) {
  return nValueReferences == 0 ? fmi3OK : unsupported(instance, "fmi3SetClock (the FMU has no clocks)");
}

fmi3Status fmi3GetNumberOfVariableDependencies(fmi3Instance instance, fmi3ValueReference, size_t*) {
  return unsupported(instance, "fmi3GetNumberOfVariableDependencies");
}
fmi3Status fmi3GetVariableDependencies(fmi3Instance instance, fmi3ValueReference, size_t[], fmi3ValueReference[],
                                       size_t[], fmi3DependencyKind[], size_t) {
  return unsupported(instance, "fmi3GetVariableDependencies");
}
fmi3Status fmi3GetFMUState(fmi3Instance instance, fmi3FMUState*) { return unsupported(instance, "fmi3GetFMUState"); }
fmi3Status fmi3SetFMUState(fmi3Instance instance, fmi3FMUState) { return unsupported(instance, "fmi3SetFMUState"); }
fmi3Status fmi3FreeFMUState(fmi3Instance instance, fmi3FMUState*) { return unsupported(instance, "fmi3FreeFMUState"); }
fmi3Status fmi3SerializedFMUStateSize(fmi3Instance instance, fmi3FMUState, size_t*) {
  return unsupported(instance, "fmi3SerializedFMUStateSize");
}
fmi3Status fmi3SerializeFMUState(fmi3Instance instance, fmi3FMUState, fmi3Byte[], size_t) {
  return unsupported(instance, "fmi3SerializeFMUState");
}
fmi3Status fmi3DeserializeFMUState(fmi3Instance instance, const fmi3Byte[], size_t, fmi3FMUState*) {
  return unsupported(instance, "fmi3DeserializeFMUState");
}
fmi3Status fmi3GetDirectionalDerivative(fmi3Instance instance, const fmi3ValueReference[], size_t,
                                        const fmi3ValueReference[], size_t, const fmi3Float64[], size_t, fmi3Float64[],
                                        size_t) {
  return unsupported(instance, "fmi3GetDirectionalDerivative");
}
fmi3Status fmi3GetAdjointDerivative(fmi3Instance instance, const fmi3ValueReference[], size_t,
                                    const fmi3ValueReference[], size_t, const fmi3Float64[], size_t, fmi3Float64[],
                                    size_t) {
  return unsupported(instance, "fmi3GetAdjointDerivative");
}
fmi3Status fmi3EnterConfigurationMode(fmi3Instance instance) {
  return unsupported(instance, "fmi3EnterConfigurationMode (the FMU has no structural parameters)");
}
fmi3Status fmi3ExitConfigurationMode(fmi3Instance instance) {
  return unsupported(instance, "fmi3ExitConfigurationMode (the FMU has no structural parameters)");
}
fmi3Status fmi3GetIntervalDecimal(fmi3Instance instance, FMI3_VR, fmi3Float64[], fmi3IntervalQualifier[]) {
  return unsupported(instance, "fmi3GetIntervalDecimal (the FMU has no clocks)");
}
fmi3Status fmi3GetIntervalFraction(fmi3Instance instance, FMI3_VR, fmi3UInt64[], fmi3UInt64[],
                                   fmi3IntervalQualifier[]) {
  return unsupported(instance, "fmi3GetIntervalFraction (the FMU has no clocks)");
}
fmi3Status fmi3GetShiftDecimal(fmi3Instance instance, FMI3_VR, fmi3Float64[]) {
  return unsupported(instance, "fmi3GetShiftDecimal (the FMU has no clocks)");
}
fmi3Status fmi3GetShiftFraction(fmi3Instance instance, FMI3_VR, fmi3UInt64[], fmi3UInt64[]) {
  return unsupported(instance, "fmi3GetShiftFraction (the FMU has no clocks)");
}
fmi3Status fmi3SetIntervalDecimal(fmi3Instance instance, FMI3_VR, const fmi3Float64[]) {
  return unsupported(instance, "fmi3SetIntervalDecimal (the FMU has no clocks)");
}
fmi3Status fmi3SetIntervalFraction(fmi3Instance instance, FMI3_VR, const fmi3UInt64[], const fmi3UInt64[]) {
  return unsupported(instance, "fmi3SetIntervalFraction (the FMU has no clocks)");
}
fmi3Status fmi3SetShiftDecimal(fmi3Instance instance, FMI3_VR, const fmi3Float64[]) {
  return unsupported(instance, "fmi3SetShiftDecimal (the FMU has no clocks)");
}
fmi3Status fmi3SetShiftFraction(fmi3Instance instance, FMI3_VR, const fmi3UInt64[], const fmi3UInt64[]) {
  return unsupported(instance, "fmi3SetShiftFraction (the FMU has no clocks)");
}
fmi3Status fmi3EvaluateDiscreteStates(fmi3Instance instance) {
  return unsupported(instance, "fmi3EvaluateDiscreteStates");
}
fmi3Status fmi3UpdateDiscreteStates(fmi3Instance instance, fmi3Boolean*, fmi3Boolean*, fmi3Boolean*, fmi3Boolean*,
                                    fmi3Boolean*, fmi3Float64*) {
  return unsupported(instance, "fmi3UpdateDiscreteStates (the FMU has no event mode)");
}

fmi3Status fmi3EnterContinuousTimeMode(fmi3Instance instance) {
  return unsupported(instance, "fmi3EnterContinuousTimeMode (Model Exchange)");
}
fmi3Status fmi3CompletedIntegratorStep(fmi3Instance instance, fmi3Boolean, fmi3Boolean*, fmi3Boolean*) {
  return unsupported(instance, "fmi3CompletedIntegratorStep (Model Exchange)");
}
fmi3Status fmi3SetTime(fmi3Instance instance, fmi3Float64) { return unsupported(instance, "fmi3SetTime (Model Exchange)"); }
fmi3Status fmi3SetContinuousStates(fmi3Instance instance, const fmi3Float64[], size_t) {
  return unsupported(instance, "fmi3SetContinuousStates (Model Exchange)");
}
fmi3Status fmi3GetContinuousStateDerivatives(fmi3Instance instance, fmi3Float64[], size_t) {
  return unsupported(instance, "fmi3GetContinuousStateDerivatives (Model Exchange)");
}
fmi3Status fmi3GetEventIndicators(fmi3Instance instance, fmi3Float64[], size_t) {
  return unsupported(instance, "fmi3GetEventIndicators (Model Exchange)");
}
fmi3Status fmi3GetContinuousStates(fmi3Instance instance, fmi3Float64[], size_t) {
  return unsupported(instance, "fmi3GetContinuousStates (Model Exchange)");
}
fmi3Status fmi3GetNominalsOfContinuousStates(fmi3Instance instance, fmi3Float64[], size_t) {
  return unsupported(instance, "fmi3GetNominalsOfContinuousStates (Model Exchange)");
}
fmi3Status fmi3GetNumberOfEventIndicators(fmi3Instance instance, size_t* n) {
  if (!instance || !n) return fmi3Error;
  *n = 0;
  return fmi3OK;
}
fmi3Status fmi3GetNumberOfContinuousStates(fmi3Instance instance, size_t* n) {
  if (!instance || !n) return fmi3Error;
  *n = 0;
  return fmi3OK;
}

fmi3Status fmi3EnterStepMode(fmi3Instance instance) { return instance ? fmi3OK : fmi3Error; }
fmi3Status fmi3GetOutputDerivatives(fmi3Instance instance, FMI3_VR, const fmi3Int32[], fmi3Float64[], size_t) {
  return unsupported(instance, "fmi3GetOutputDerivatives (maxOutputDerivativeOrder is 0)");
}

fmi3Status fmi3DoStep(fmi3Instance instance, fmi3Float64 currentCommunicationPoint, fmi3Float64 communicationStepSize,
                      fmi3Boolean, fmi3Boolean* eventHandlingNeeded, fmi3Boolean* terminateSimulation,
                      fmi3Boolean* earlyReturn, fmi3Float64* lastSuccessfulTime) {
  if (eventHandlingNeeded) *eventHandlingNeeded = false;
  if (terminateSimulation) *terminateSimulation = false;
  if (earlyReturn) *earlyReturn = false;
  const fmi3Status s = guarded(instance, "fmi3DoStep", [&](Instance& i) {
    return i.doStep(currentCommunicationPoint, communicationStepSize);
  });
  if (lastSuccessfulTime && instance) *lastSuccessfulTime = self(instance)->inst->time();
  return s;
}

fmi3Status fmi3ActivateModelPartition(fmi3Instance instance, fmi3ValueReference, fmi3Float64) {
  return unsupported(instance, "fmi3ActivateModelPartition (Scheduled Execution)");
}

}  // extern "C"
