// FMI 2.0 Co-Simulation over fmu::Instance (fmi2_api.hpp).
#include <cctype>
#include <cstring>
#include <exception>
#include <string>

#include "fmi2_api.hpp"
#include "instance.hpp"

namespace {

using simcore::fmu::FmiStatus;
using simcore::fmu::Instance;

struct Component {
  std::string name;
  fmi2CallbackFunctions callbacks{};
  bool loggingOn = false;
  std::unique_ptr<Instance> inst;

  // FMI 2 loggers format the message like printf and expand #<type><vr>#:
  // a literal % or # is doubled.
  void log(FmiStatus status, const char* category, const std::string& message) const {
    if (!callbacks.logger || (status == FmiStatus::OK && !loggingOn)) return;
    std::string text;
    for (char ch : message) {
      text += ch;
      if (ch == '%' || ch == '#') text += ch;
    }
    callbacks.logger(callbacks.componentEnvironment, name.c_str(), fmi2Status(status), category, text.c_str());
  }
};

Component* self(fmi2Component c) { return static_cast<Component*>(c); }

// Every entry point: no exception leaves the library.
template <class F>
fmi2Status guarded(fmi2Component c, const char* what, F&& f) {
  if (!c) return fmi2Error;
  Component* k = self(c);
  try {
    return fmi2Status(f(*k->inst));
  } catch (const std::exception& e) {
    k->log(FmiStatus::Fatal, "logStatusFatal", std::string(what) + ": " + e.what());
  } catch (...) {
    k->log(FmiStatus::Fatal, "logStatusFatal", std::string(what) + ": unknown failure");
  }
  return fmi2Fatal;
}

fmi2Status unsupported(fmi2Component c, const char* what) {
  if (c) self(c)->log(FmiStatus::Error, "logStatusError", std::string(what) + " is not supported by this FMU");
  return fmi2Error;
}

// "file:///a/b%20c/resources" -> "/a/b c/resources"
std::string pathFromUri(const char* uri) {
  std::string s = uri ? uri : "";
  if (s.rfind("file://", 0) == 0) {
    s.erase(0, 7);
    if (s.rfind("localhost/", 0) == 0) s.erase(0, 9);
  } else if (s.rfind("file:", 0) == 0) {
    s.erase(0, 5);
  }
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += char(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

extern "C" {

const char* fmi2GetTypesPlatform(void) { return "default"; }
const char* fmi2GetVersion(void) { return "2.0"; }

fmi2Status fmi2SetDebugLogging(fmi2Component c, fmi2Boolean loggingOn, size_t, const fmi2String[]) {
  if (!c) return fmi2Error;
  self(c)->loggingOn = loggingOn != 0;
  self(c)->inst->setDebugLogging(loggingOn != 0);
  return fmi2OK;
}

fmi2Component fmi2Instantiate(fmi2String instanceName, fmi2Type fmuType, fmi2String fmuGUID,
                              fmi2String fmuResourceLocation, const fmi2CallbackFunctions* functions,
                              fmi2Boolean, fmi2Boolean loggingOn) {
  try {
    auto k = std::make_unique<Component>();
    k->name = instanceName ? instanceName : "";
    if (functions) k->callbacks = *functions;
    k->loggingOn = loggingOn != 0;
    if (fmuType != fmi2CoSimulation) {
      k->log(FmiStatus::Error, "logStatusError", "this FMU implements Co-Simulation only (no Model Exchange)");
      return nullptr;
    }
    Component* raw = k.get();
    auto inst = Instance::create(pathFromUri(fmuResourceLocation), fmuGUID ? fmuGUID : "",
                                 [raw](FmiStatus s, const char* cat, const std::string& m) { raw->log(s, cat, m); });
    if (!inst) return nullptr;
    inst->setDebugLogging(k->loggingOn);
    k->inst = std::move(inst);
    return k.release();
  } catch (...) {
    return nullptr;
  }
}

void fmi2FreeInstance(fmi2Component c) { delete self(c); }

fmi2Status fmi2SetupExperiment(fmi2Component c, fmi2Boolean toleranceDefined, fmi2Real tolerance, fmi2Real startTime,
                               fmi2Boolean stopTimeDefined, fmi2Real stopTime) {
  return guarded(c, "fmi2SetupExperiment", [&](Instance& i) {
    return i.setupExperiment(toleranceDefined != 0, tolerance, startTime, stopTimeDefined != 0, stopTime);
  });
}

fmi2Status fmi2EnterInitializationMode(fmi2Component c) {
  return guarded(c, "fmi2EnterInitializationMode", [](Instance& i) { return i.enterInitialization(); });
}
fmi2Status fmi2ExitInitializationMode(fmi2Component c) {
  return guarded(c, "fmi2ExitInitializationMode", [](Instance& i) { return i.exitInitialization(); });
}
fmi2Status fmi2Terminate(fmi2Component c) {
  return guarded(c, "fmi2Terminate", [](Instance& i) { return i.terminate(); });
}
fmi2Status fmi2Reset(fmi2Component c) {
  return guarded(c, "fmi2Reset", [](Instance& i) { return i.reset(); });
}

fmi2Status fmi2GetReal(fmi2Component c, const fmi2ValueReference vr[], size_t nvr, fmi2Real value[]) {
  return guarded(c, "fmi2GetReal", [&](Instance& i) { return i.getReal(vr, nvr, value); });
}
fmi2Status fmi2SetReal(fmi2Component c, const fmi2ValueReference vr[], size_t nvr, const fmi2Real value[]) {
  return guarded(c, "fmi2SetReal", [&](Instance& i) { return i.setReal(vr, nvr, value); });
}
// (every variable is a Real)
fmi2Status fmi2GetInteger(fmi2Component c, const fmi2ValueReference[], size_t nvr, fmi2Integer[]) {
  return nvr == 0 ? fmi2OK : unsupported(c, "fmi2GetInteger (the FMU has no Integer variable)");
}
fmi2Status fmi2GetBoolean(fmi2Component c, const fmi2ValueReference[], size_t nvr, fmi2Boolean[]) {
  return nvr == 0 ? fmi2OK : unsupported(c, "fmi2GetBoolean (the FMU has no Boolean variable)");
}
fmi2Status fmi2GetString(fmi2Component c, const fmi2ValueReference[], size_t nvr, fmi2String[]) {
  return nvr == 0 ? fmi2OK : unsupported(c, "fmi2GetString (the FMU has no String variable)");
}
fmi2Status fmi2SetInteger(fmi2Component c, const fmi2ValueReference[], size_t nvr, const fmi2Integer[]) {
  return nvr == 0 ? fmi2OK : unsupported(c, "fmi2SetInteger (the FMU has no Integer variable)");
}
fmi2Status fmi2SetBoolean(fmi2Component c, const fmi2ValueReference[], size_t nvr, const fmi2Boolean[]) {
  return nvr == 0 ? fmi2OK : unsupported(c, "fmi2SetBoolean (the FMU has no Boolean variable)");
}
fmi2Status fmi2SetString(fmi2Component c, const fmi2ValueReference[], size_t nvr, const fmi2String[]) {
  return nvr == 0 ? fmi2OK : unsupported(c, "fmi2SetString (the FMU has no String variable)");
}

fmi2Status fmi2GetFMUstate(fmi2Component c, fmi2FMUstate*) { return unsupported(c, "fmi2GetFMUstate"); }
fmi2Status fmi2SetFMUstate(fmi2Component c, fmi2FMUstate) { return unsupported(c, "fmi2SetFMUstate"); }
fmi2Status fmi2FreeFMUstate(fmi2Component c, fmi2FMUstate*) { return unsupported(c, "fmi2FreeFMUstate"); }
fmi2Status fmi2SerializedFMUstateSize(fmi2Component c, fmi2FMUstate, size_t*) {
  return unsupported(c, "fmi2SerializedFMUstateSize");
}
fmi2Status fmi2SerializeFMUstate(fmi2Component c, fmi2FMUstate, fmi2Byte[], size_t) {
  return unsupported(c, "fmi2SerializeFMUstate");
}
fmi2Status fmi2DeSerializeFMUstate(fmi2Component c, const fmi2Byte[], size_t, fmi2FMUstate*) {
  return unsupported(c, "fmi2DeSerializeFMUstate");
}
fmi2Status fmi2GetDirectionalDerivative(fmi2Component c, const fmi2ValueReference[], size_t, const fmi2ValueReference[],
                                        size_t, const fmi2Real[], fmi2Real[]) {
  return unsupported(c, "fmi2GetDirectionalDerivative");
}

fmi2Status fmi2SetRealInputDerivatives(fmi2Component c, const fmi2ValueReference[], size_t, const fmi2Integer[],
                                       const fmi2Real[]) {
  return unsupported(c, "fmi2SetRealInputDerivatives (canInterpolateInputs is false)");
}
fmi2Status fmi2GetRealOutputDerivatives(fmi2Component c, const fmi2ValueReference[], size_t, const fmi2Integer[],
                                        fmi2Real[]) {
  return unsupported(c, "fmi2GetRealOutputDerivatives (maxOutputDerivativeOrder is 0)");
}

fmi2Status fmi2DoStep(fmi2Component c, fmi2Real currentCommunicationPoint, fmi2Real communicationStepSize,
                      fmi2Boolean) {
  return guarded(c, "fmi2DoStep",
                 [&](Instance& i) { return i.doStep(currentCommunicationPoint, communicationStepSize); });
}
// DoStep always finishes before it returns (never fmi2Pending): nothing to cancel.
fmi2Status fmi2CancelStep(fmi2Component c) { return unsupported(c, "fmi2CancelStep (DoStep never returns pending)"); }

fmi2Status fmi2GetStatus(fmi2Component c, const fmi2StatusKind s, fmi2Status* value) {
  if (!c || !value) return fmi2Error;
  if (s == fmi2DoStepStatus) {
    *value = self(c)->inst->failed() ? fmi2Error : fmi2OK;
    return fmi2OK;
  }
  return fmi2Discard;
}
fmi2Status fmi2GetRealStatus(fmi2Component c, const fmi2StatusKind s, fmi2Real* value) {
  if (!c || !value) return fmi2Error;
  if (s != fmi2LastSuccessfulTime) return fmi2Discard;
  *value = self(c)->inst->time();
  return fmi2OK;
}
fmi2Status fmi2GetIntegerStatus(fmi2Component c, const fmi2StatusKind, fmi2Integer*) { return c ? fmi2Discard : fmi2Error; }
fmi2Status fmi2GetBooleanStatus(fmi2Component c, const fmi2StatusKind s, fmi2Boolean* value) {
  if (!c || !value) return fmi2Error;
  if (s != fmi2Terminated) return fmi2Discard;
  *value = fmi2False;
  return fmi2OK;
}
fmi2Status fmi2GetStringStatus(fmi2Component c, const fmi2StatusKind, fmi2String*) { return c ? fmi2Discard : fmi2Error; }

}  // extern "C"
