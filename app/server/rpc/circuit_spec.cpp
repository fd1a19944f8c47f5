#include "rpc/circuit_spec.hpp"

#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "simcore/io/model_library.hpp"

#include "plugin_loader.hpp"
#include "simcore/describe.hpp"

namespace simcore::server {
namespace {

// The model library beside the simcore executable (or $SIMCORE_MODELS), looked up once.
const std::string& modelLibraryDir() {
  static const std::string dir = [] {
    char self[4096];
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    return io::findModelLibrary(n > 0 ? std::string(self, static_cast<std::size_t>(n)) : std::string());
  }();
  return dir;
}

constexpr const char* kPluginDirVariable = "SIMCORE_PLUGIN_DIR";

}  // namespace

std::string exportPluginDir(const std::string& dir) {
  if (dir.empty()) {
    ::unsetenv(kPluginDirVariable);
    return {};
  }
  char real[PATH_MAX];
  if (!::realpath(dir.c_str(), real)) return "--plugin-dir " + dir + ": " + std::strerror(errno);
  if (::setenv(kPluginDirVariable, real, 1) != 0) return std::string("setenv: ") + std::strerror(errno);
  return {};
}

Result<ir::Circuit> buildCircuit(const CircuitSpec& spec, const IncludeLookup& lookup,
                                 std::map<std::string, std::string>* used) {
  ir::ParseOptions po;
  po.fileName = spec.fileName;
  for (const auto& [k, v] : spec.params) po.paramOverrides.emplace_back(k, v);
  po.resolver = [&](std::string_view path, std::string_view) -> Result<ir::ResolvedFile> {
    std::string name(path);
    auto text = lookup ? lookup(name) : std::nullopt;
    if (!text && io::modelLibraryPath(name)) {  // "models/...": the installed model library (read-only)
      auto lib = io::readLibraryFile(modelLibraryDir(), name);
      if (lib.ok()) text = std::move(lib.value().text);
    }
    if (!text)
      return makeError(ErrorCode::Semantic,
                       "no model named '" + name + "' (upload it with UploadModel, or name a file of the model library "
                       "as models/...; other paths on the server are not read)");
    if (used) (*used)[name] = *text;
    return ir::ResolvedFile{name, *text};
  };
  // `.plugin NAME`: only from the directory the administrator configured (exportPluginDir).
  const char* pluginDir = std::getenv(kPluginDirVariable);
  po.pluginResolver = plugins::directoryResolver(pluginDir ? pluginDir : "");
  auto circuit = ir::parseNetlist(spec.netlist, po);
  if (!circuit) return circuit.takeError();
  ir::Circuit c = std::move(circuit.value());
  if (auto s = applyOverrides(c, RunOverrides{spec.analyses, spec.tstop, spec.maxStep}); !s) return s.takeError();
  return c;
}

std::string describeAnalysis(const ir::Analysis& a) {
  char buf[256];
  switch (a.kind) {
    case ir::AnalysisKind::Op: return "op";
    case ir::AnalysisKind::Dc:
      if (a.sweeps.empty()) return "dc";
      std::snprintf(buf, sizeof buf, "dc %s %g %g %g", a.sweeps[0].source.c_str(), a.sweeps[0].start,
                    a.sweeps[0].stop, a.sweeps[0].step);
      return buf;
    case ir::AnalysisKind::Ac:
      std::snprintf(buf, sizeof buf, "ac %s %d %g %g",
                    a.acScale == ir::AcScale::Dec ? "dec" : a.acScale == ir::AcScale::Oct ? "oct" : "lin",
                    a.acPoints, a.fstart, a.fstop);
      return buf;
    case ir::AnalysisKind::Tran:
      std::snprintf(buf, sizeof buf, "tran tstep=%g tstop=%g tstart=%g tmax=%g%s%s", a.tstep, a.tstop, a.tstart,
                    a.tmax, a.uic ? " uic" : "", a.startupRamp > 0 ? " startup" : "");
      return buf;
    case ir::AnalysisKind::Pss:
      if (a.oscillator)
        std::snprintf(buf, sizeof buf, "pss gfreq=%g tstab=%g oname=%.64s points=%d harms=%d sciter=%d steadycoeff=%g%s",
                      a.gfreq, a.tsettle, a.oscNode.c_str(), a.pssPoints, a.harmonics, a.shootIterations, a.steadyCoeff,
                      a.uic ? " uic" : "");
      else
        std::snprintf(buf, sizeof buf, "pss period=%g tsettle=%g", a.period, a.tsettle);
      return buf;
    case ir::AnalysisKind::Fra:
      std::snprintf(buf, sizeof buf, "fra %s %d %g %g period=%g source=%.64s",
                    a.acScale == ir::AcScale::Dec ? "dec" : a.acScale == ir::AcScale::Oct ? "oct" : "lin",
                    a.acPoints, a.fstart, a.fstop, a.period, a.source.c_str());
      return buf;
    case ir::AnalysisKind::Noise:
      std::snprintf(buf, sizeof buf, "noise v(%.64s%s%.64s) %.64s %s %d %g %g", a.outPos.c_str(), a.outNeg.empty() ? "" : ",",
                    a.outNeg.c_str(), a.source.c_str(),
                    a.acScale == ir::AcScale::Dec ? "dec" : a.acScale == ir::AcScale::Oct ? "oct" : "lin", a.acPoints,
                    a.fstart, a.fstop);
      return buf;
    case ir::AnalysisKind::Tf:
      if (!a.outSource.empty())
        std::snprintf(buf, sizeof buf, "tf i(%.64s) %.64s", a.outSource.c_str(), a.source.c_str());
      else
        std::snprintf(buf, sizeof buf, "tf v(%.64s%s%.64s) %.64s", a.outPos.c_str(), a.outNeg.empty() ? "" : ",",
                      a.outNeg.c_str(), a.source.c_str());
      return buf;
    case ir::AnalysisKind::Pz:
      std::snprintf(buf, sizeof buf, "pz %.64s %.64s %.64s %.64s %s %s", a.inPos.c_str(), a.inNeg.c_str(), a.outPos.c_str(),
                    a.outNeg.c_str(), a.pzCurrent ? "cur" : "vol",
                    a.pzPoles && a.pzZeros ? "pz" : a.pzPoles ? "pol" : "zer");
      return buf;
    case ir::AnalysisKind::Sens: {
      char out[160];
      if (!a.outSource.empty())
        std::snprintf(out, sizeof out, "i(%.64s)", a.outSource.c_str());
      else
        std::snprintf(out, sizeof out, "v(%.64s%s%.64s)", a.outPos.c_str(), a.outNeg.empty() ? "" : ",", a.outNeg.c_str());
      if (a.sensAc)
        std::snprintf(buf, sizeof buf, "sens %s ac %s %d %g %g", out,
                      a.acScale == ir::AcScale::Dec ? "dec" : a.acScale == ir::AcScale::Oct ? "oct" : "lin", a.acPoints,
                      a.fstart, a.fstop);
      else
        std::snprintf(buf, sizeof buf, "sens %s", out);
      return buf;
    }
    case ir::AnalysisKind::Sp:
      std::snprintf(buf, sizeof buf, "sp %s %d %g %g%s",
                    a.acScale == ir::AcScale::Dec ? "dec" : a.acScale == ir::AcScale::Oct ? "oct" : "lin",
                    a.acPoints, a.fstart, a.fstop, a.spNoise ? " donoise" : "");
      return buf;
  }
  return "?";
}

}  // namespace simcore::server
