#include "export.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>

#include "manifest.hpp"
#include "simcore/cosim.hpp"
#include "simcore/params.hpp"
#include "zip_writer.hpp"

namespace simcore::fmu {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
std::string upper(std::string s) {
  for (char& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string xml(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      case '\n': case '\r': case '\t': o += ' '; break;
      default: o += c;
    }
  }
  return o;
}

std::string baseName(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool readFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

// A C identifier from the netlist's file name ("rc-filter.cir" -> "rc_filter").
std::string modelIdentifier(const std::string& path) {
  std::string stem = baseName(path);
  const auto dot = stem.rfind('.');
  if (dot != std::string::npos && dot > 0) stem.resize(dot);
  std::string id;
  for (char c : stem) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (id.empty() || std::isdigit(static_cast<unsigned char>(id[0]))) id = "m_" + id;
  return id;
}

// A GUID-shaped token from the FMU's content (the same FMU, the same token).
std::string token(const std::string& content) {
  std::uint64_t a = 1469598103934665603ull, b = 0x9e3779b97f4a7c15ull;
  for (unsigned char c : content) {
    a = (a ^ c) * 1099511628211ull;
    b = (b ^ c) * 0x100000001b3ull + (b >> 29);
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "{%08x-%04x-%04x-%04x-%012llx}", unsigned(a >> 32), unsigned((a >> 16) & 0xffff),
                unsigned(a & 0xffff), unsigned(b >> 48), (unsigned long long)(b & 0xffffffffffffull));
  return buf;
}

std::string utcNow() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string unitDefinitions(const std::vector<Variable>& vars, bool time) {
  bool volt = false, amp = false;
  for (const auto& v : vars) {
    volt = volt || v.unit == "V";
    amp = amp || v.unit == "A";
  }
  if (!volt && !amp && !time) return "";
  std::string s = "  <UnitDefinitions>\n";
  if (amp) s += "    <Unit name=\"A\"><BaseUnit A=\"1\"/></Unit>\n";
  if (time) s += "    <Unit name=\"s\"><BaseUnit s=\"1\"/></Unit>\n";
  if (volt) s += "    <Unit name=\"V\"><BaseUnit kg=\"1\" m=\"2\" s=\"-3\" A=\"-1\"/></Unit>\n";
  return s + "  </UnitDefinitions>\n";
}

std::string description(const Variable& v) {
  switch (v.kind) {
    case VarKind::Input: return "value of the independent source " + v.target;
    case VarKind::Output: return v.unit == "A" ? "current " + v.target : "voltage " + v.target;
    case VarKind::Parameter: return ".param " + v.target;
  }
  return "";
}

std::string modelDescription2(const Manifest& m, const std::string& id, const std::string& title,
                              const std::string& generator) {
  std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s += "<fmiModelDescription fmiVersion=\"2.0\" modelName=\"" + xml(id) + "\" guid=\"" + m.token + "\" description=\"" +
       xml(title) + "\" generationTool=\"" + xml(generator) + "\" generationDateAndTime=\"" + utcNow() +
       "\" variableNamingConvention=\"flat\" numberOfEventIndicators=\"0\">\n";
  s += "  <CoSimulation modelIdentifier=\"" + id +
       "\" needsExecutionTool=\"false\" canHandleVariableCommunicationStepSize=\"true\" "
       "canInterpolateInputs=\"false\" maxOutputDerivativeOrder=\"0\" canRunAsynchronuously=\"false\" "
       "canBeInstantiatedOnlyOncePerProcess=\"false\" canNotUseMemoryManagementFunctions=\"true\" "
       "canGetAndSetFMUstate=\"false\" canSerializeFMUstate=\"false\" providesDirectionalDerivative=\"false\"/>\n";
  s += unitDefinitions(m.variables, false);
  s += "  <LogCategories>\n    <Category name=\"logStatusError\"/>\n    <Category name=\"logStatusWarning\"/>\n"
       "    <Category name=\"logStatusFatal\"/>\n    <Category name=\"logEvents\"/>\n  </LogCategories>\n";
  s += "  <DefaultExperiment startTime=\"0\" stopTime=\"" + num(m.stopTime) + "\" tolerance=\"" + num(m.tolerance) +
       "\" stepSize=\"" + num(m.stepSize) + "\"/>\n";
  s += "  <ModelVariables>\n";
  std::vector<std::size_t> outputs;
  for (std::size_t i = 0; i < m.variables.size(); ++i) {
    const Variable& v = m.variables[i];
    const std::string unit = v.unit.empty() ? "" : " unit=\"" + v.unit + "\"";
    s += "    <ScalarVariable name=\"" + xml(v.name) + "\" valueReference=\"" + std::to_string(v.vr) +
         "\" description=\"" + xml(description(v)) + "\" ";
    switch (v.kind) {
      case VarKind::Input:
        s += "causality=\"input\" variability=\"continuous\"><Real start=\"" + num(v.start) + "\"" + unit + "/>";
        break;
      case VarKind::Output:
        s += "causality=\"output\" variability=\"continuous\" initial=\"calculated\"><Real" + unit + "/>";
        outputs.push_back(i + 1);
        break;
      case VarKind::Parameter:
        s += "causality=\"parameter\" variability=\"fixed\" initial=\"exact\"><Real start=\"" + num(v.start) + "\"/>";
        break;
    }
    s += "</ScalarVariable>\n";
  }
  s += "  </ModelVariables>\n  <ModelStructure>\n";
  if (!outputs.empty()) {
    s += "    <Outputs>\n";
    for (auto i : outputs) s += "      <Unknown index=\"" + std::to_string(i) + "\"/>\n";
    s += "    </Outputs>\n    <InitialUnknowns>\n";
    for (auto i : outputs) s += "      <Unknown index=\"" + std::to_string(i) + "\"/>\n";
    s += "    </InitialUnknowns>\n";
  }
  s += "  </ModelStructure>\n</fmiModelDescription>\n";
  return s;
}

std::string modelDescription3(const Manifest& m, const std::string& id, const std::string& title,
                              const std::string& generator) {
  std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s += "<fmiModelDescription fmiVersion=\"3.0\" modelName=\"" + xml(id) + "\" instantiationToken=\"" + m.token +
       "\" description=\"" + xml(title) + "\" generationTool=\"" + xml(generator) + "\" generationDateAndTime=\"" +
       utcNow() + "\" variableNamingConvention=\"flat\">\n";
  s += "  <CoSimulation modelIdentifier=\"" + id +
       "\" needsExecutionTool=\"false\" canBeInstantiatedOnlyOncePerProcess=\"false\" "
       "canGetAndSetFMUState=\"false\" canSerializeFMUState=\"false\" providesDirectionalDerivatives=\"false\" "
       "providesAdjointDerivatives=\"false\" providesPerElementDependencies=\"false\" "
       "canHandleVariableCommunicationStepSize=\"true\" maxOutputDerivativeOrder=\"0\" "
       "providesIntermediateUpdate=\"false\" mightReturnEarlyFromDoStep=\"false\" "
       "canReturnEarlyAfterIntermediateUpdate=\"false\" hasEventMode=\"false\" "
       "providesEvaluateDiscreteStates=\"false\"/>\n";
  s += unitDefinitions(m.variables, true);
  s += "  <LogCategories>\n    <Category name=\"logStatusError\"/>\n    <Category name=\"logStatusWarning\"/>\n"
       "    <Category name=\"logStatusFatal\"/>\n    <Category name=\"logEvents\"/>\n  </LogCategories>\n";
  s += "  <DefaultExperiment startTime=\"0\" stopTime=\"" + num(m.stopTime) + "\" tolerance=\"" + num(m.tolerance) +
       "\" stepSize=\"" + num(m.stepSize) + "\"/>\n";
  s += "  <ModelVariables>\n";
  s += "    <Float64 name=\"time\" valueReference=\"0\" causality=\"independent\" variability=\"continuous\" "
       "description=\"simulation time\" unit=\"s\"/>\n";
  std::vector<std::uint32_t> outputs;
  for (const Variable& v : m.variables) {
    const std::string unit = v.unit.empty() ? "" : " unit=\"" + v.unit + "\"";
    s += "    <Float64 name=\"" + xml(v.name) + "\" valueReference=\"" + std::to_string(v.vr) + "\" description=\"" +
         xml(description(v)) + "\" ";
    switch (v.kind) {
      case VarKind::Input:
        s += "causality=\"input\" variability=\"continuous\" start=\"" + num(v.start) + "\"" + unit + "/>\n";
        break;
      case VarKind::Output:
        s += "causality=\"output\" variability=\"continuous\" initial=\"calculated\"" + unit + "/>\n";
        outputs.push_back(v.vr);
        break;
      case VarKind::Parameter:
        s += "causality=\"parameter\" variability=\"fixed\" initial=\"exact\" start=\"" + num(v.start) + "\"/>\n";
        break;
    }
  }
  s += "  </ModelVariables>\n  <ModelStructure>\n";
  for (auto vr : outputs) s += "    <Output valueReference=\"" + std::to_string(vr) + "\"/>\n";
  for (auto vr : outputs) s += "    <InitialUnknown valueReference=\"" + std::to_string(vr) + "\"/>\n";
  s += "  </ModelStructure>\n</fmiModelDescription>\n";
  return s;
}

bool hasTabOrNewline(const std::string& s) { return s.find_first_of("\t\n\r") != std::string::npos; }

}  // namespace

std::string findRuntimeDir(const std::string& exePath) {
  struct stat st{};
  if (const char* env = std::getenv("SIMCORE_FMU_RUNTIME"); env && *env) return env;
  const auto slash = exePath.find_last_of('/');
  if (slash == std::string::npos) return "";
  const std::string dir = exePath.substr(0, slash) + "/../lib/simcore-fmu";
  if (::stat((dir + "/libsimcore_fmi2.so").c_str(), &st) == 0) return dir;
  return "";
}

Result<ExportSummary> exportFmu(const ExportOptions& o) {
  const SourceLoc top{o.netlistPath, 0, 0};
  if (o.fmiVersion != 2 && o.fmiVersion != 3)
    return makeError(ErrorCode::Semantic, "--fmi must be 2 or 3, not " + std::to_string(o.fmiVersion));
  // parse once, recording every file the parser reads
  std::vector<IncludedFile> files;
  std::vector<std::string> texts;
  ir::ParseOptions po;
  po.fileName = o.netlistPath;
  po.resolver = [&](std::string_view path, std::string_view from) -> Result<ir::ResolvedFile> {
    if (!o.resolver) return makeError(ErrorCode::Semantic, "no file reader for .include");
    auto r = o.resolver(path, from);
    if (!r) return r;
    for (const auto& f : files)
      if (f.path == path && f.from == from) return r;
    IncludedFile f{std::string(from), std::string(path), r.value().name, ""};
    f.stored = "include/" + std::to_string(files.size() + 1) + "-" + baseName(f.name);
    files.push_back(std::move(f));
    texts.push_back(r.value().text);
    return r;
  };
  auto circuit = ir::parseNetlist(o.netlistText, po);
  if (!circuit) return circuit.takeError();
  for (const auto& f : files)
    if (hasTabOrNewline(f.from) || hasTabOrNewline(f.path) || hasTabOrNewline(f.name))
      return makeError(ErrorCode::Semantic, "the included file name '" + f.name + "' has a tab or a line break");
  if (hasTabOrNewline(o.netlistPath)) return makeError(ErrorCode::Semantic, "the netlist's name has a tab or a line break");

  // parameters
  std::vector<ParamValue> params;
  if (!o.noParams) {
    ir::ParseOptions pp = po;
    auto all = topLevelParams(o.netlistText, pp);
    if (!all) return all.takeError();
    if (o.params.empty()) {
      params = all.value();
    } else {
      for (const auto& name : o.params) {
        auto it = std::find_if(all.value().begin(), all.value().end(),
                               [&](const ParamValue& p) { return p.name == lower(name); });
        if (it == all.value().end()) {
          std::string known;
          for (const auto& p : all.value()) known += (known.empty() ? "" : ", ") + p.name;
          return makeError(ErrorCode::Semantic, "--param " + name + ": the netlist has no top-level .param of that name" +
                                                    (known.empty() ? std::string(" (it has none)") : " (its .params: " + known + ")"),
                           top);
        }
        params.push_back(*it);
      }
    }
  }
  // inputs: as named, else every independent source with a constant, non-zero value
  CoSimSetup setup;
  setup.outputs = o.outputs;
  if (!o.noInputs) {
    if (!o.inputs.empty()) {
      setup.inputs = o.inputs;
    } else {
      for (const auto& d : circuit.value().devices) {
        if ((d.letter != 'v' && d.letter != 'i') || d.source.wave.kind != ir::WaveKind::None) continue;
        const double v = d.source.hasDc ? d.source.dc : d.value.value_or(0.0);
        if (v != 0) setup.inputs.push_back(d.name);
      }
    }
  }
  const ir::Options options = circuit.value().options;
  auto tran = std::find_if(circuit.value().analyses.begin(), circuit.value().analyses.end(),
                           [](const ir::Analysis& a) { return a.kind == ir::AnalysisKind::Tran; });
  const double tstop = tran == circuit.value().analyses.end() ? 0 : tran->tstop;
  const double tstep = tran == circuit.value().analyses.end() ? 0 : tran->tstep;
  const std::string title = circuit.value().title;
  auto cs = CoSimulation::create(std::move(circuit.value()), setup);
  if (!cs) return cs.takeError();

  Manifest m;
  m.netlist = baseName(o.netlistPath);
  if (m.netlist.empty() || m.netlist == "-") m.netlist = "netlist.cir";
  m.netlistName = o.netlistPath;
  m.files = files;
  m.stopTime = tstop;
  m.stepSize = tstep;
  m.tolerance = options.reltol;
  std::uint32_t vr = 1;
  ExportSummary sum;
  for (const auto& in : cs.value()->inputs()) {
    m.variables.push_back(Variable{VarKind::Input, vr++, upper(in.source), in.source, in.start,
                                   in.kind == SignalKind::Voltage ? "V" : "A"});
    sum.inputs.push_back(m.variables.back().name);
  }
  for (const auto& out : cs.value()->outputs()) {
    m.variables.push_back(Variable{VarKind::Output, vr++, out.name, out.name, 0,
                                   out.kind == SignalKind::Voltage ? "V" : "A"});
    sum.outputs.push_back(out.name);
  }
  for (const auto& p : params) {
    m.variables.push_back(Variable{VarKind::Parameter, vr++, p.name, p.name, p.value, ""});
    sum.params.push_back(p.name);
  }
  const std::string id = modelIdentifier(o.netlistPath);
  sum.modelIdentifier = id;
  std::string content = o.netlistText + m.text() + std::to_string(o.fmiVersion) + o.generator;
  for (const auto& t : texts) content += t;
  m.token = token(content);

  std::string lib;
  const std::string libPath = o.runtimeDir + "/libsimcore_fmi" + std::to_string(o.fmiVersion) + ".so";
  if (o.runtimeDir.empty() || !readFile(libPath, lib))
    return makeError(ErrorCode::Semantic, "cannot read the FMU runtime " + (o.runtimeDir.empty() ? std::string("(not found beside simcore; set SIMCORE_FMU_RUNTIME)") : libPath));

  ZipWriter zip;
  zip.add("modelDescription.xml", o.fmiVersion == 2 ? modelDescription2(m, id, title, o.generator)
                                                    : modelDescription3(m, id, title, o.generator));
  // (FMI 2 names platforms linux64, win64, ...; FMI 3 <arch>-<os>)
  zip.add(std::string(o.fmiVersion == 2 ? "binaries/linux64/" : "binaries/x86_64-linux/") + id + ".so", lib);
  zip.add("resources/" + std::string(kManifestFile), m.text());
  zip.add("resources/" + m.netlist, o.netlistText);
  for (std::size_t i = 0; i < files.size(); ++i) zip.add("resources/" + files[i].stored, texts[i]);
  const std::string bytes = zip.finish();
  std::ofstream out(o.output, std::ios::binary | std::ios::trunc);
  if (!out) return makeError(ErrorCode::Semantic, "cannot write " + o.output);
  out.write(bytes.data(), std::streamsize(bytes.size()));
  if (!out) return makeError(ErrorCode::Semantic, "cannot write " + o.output);
  sum.bytes = bytes.size();
  return sum;
}

}  // namespace simcore::fmu
