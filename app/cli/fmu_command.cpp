#include "cli/fmu_command.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cli/cli.hpp"
#include "cli/parse.hpp"
#include "export.hpp"
#include "simcore/io/model_library.hpp"

namespace simcore::cli {

namespace {

std::string exePath() {
  char self[4096];
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return "";
  self[n] = 0;
  return self;
}

std::vector<std::string> splitAll(const std::vector<std::string>& lists) {
  std::vector<std::string> out;
  for (const auto& l : lists)
    for (auto& s : splitSignalList(l)) out.push_back(std::move(s));
  return out;
}

bool isNone(const std::vector<std::string>& v) { return v.size() == 1 && v[0] == "none"; }

}  // namespace

void addFmuOptions(CLI::App& cmd, FmuOptions& o) {
  cmd.add_option("CIRCUIT", o.input, "the netlist (its first .tran is what the FMU simulates)");
  cmd.add_option("-o,--out", o.output, "the FMU to write (default: <netlist stem>.fmu)")->type_name("OUT.fmu");
  cmd.add_option("--fmi", o.fmi, "FMI version: 2 or 3")->type_name("2|3")->capture_default_str();
  cmd.add_option("--input", o.inputs,
                 "independent V/I sources the importer sets (default: every source with a constant, non-zero "
                 "value; 'none': no inputs)")
      ->type_name("SRC,...")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd.add_option("--output", o.outputs,
                 "signals the FMU outputs, e.g. v(out),i(vin) (default: .save cards, else every node voltage and "
                 "the currents of V, L, E and H devices)")
      ->type_name("SIG,...")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd.add_option("--param", o.params, "top-level .params the importer may set (default: all; 'none': none)")
      ->type_name("NAME,...")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd.add_flag("-q,--quiet", o.quiet, "print nothing but errors");
  cmd.allow_extras();
}

int fmuCommand(const FmuOptions& o, const std::vector<std::string>& extras) {
  auto usage = [](const std::string& msg) { return usageError("fmu", msg); };
  for (const auto& a : extras) {
    if (a == "--") continue;
    if (!a.empty() && a[0] == '-') return usage("unknown option '" + a + "'");
    return usage("only one netlist file may be given (got '" + o.input + "' and '" + a + "')");
  }
  if (o.input.empty() || o.input == "-") return usage("no netlist file given (an FMU packs the file it reads)");
  if (o.fmi != 2 && o.fmi != 3) return usage("--fmi must be 2 or 3");
  fmu::ExportOptions e;
  e.netlistPath = o.input;
  {
    std::ifstream in(o.input, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "%s: error: cannot read the netlist: %s\n", o.input.c_str(), std::strerror(errno));
      return 2;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    e.netlistText = ss.str();
  }
  const std::string self = exePath();
  e.resolver = io::fileResolver(io::findModelLibrary(self));
  e.runtimeDir = fmu::findRuntimeDir(self);
  e.fmiVersion = o.fmi;
  e.inputs = splitAll(o.inputs);
  e.noInputs = isNone(e.inputs);
  if (e.noInputs) e.inputs.clear();
  e.outputs = splitAll(o.outputs);
  e.params = splitAll(o.params);
  e.noParams = isNone(e.params);
  if (e.noParams) e.params.clear();
  e.generator = "simcore " SIMCORE_VERSION;
  e.output = o.output;
  if (e.output.empty()) {
    std::string base = o.input.substr(o.input.rfind('/') == std::string::npos ? 0 : o.input.rfind('/') + 1);
    const auto dot = base.rfind('.');
    e.output = (dot == std::string::npos || dot == 0 ? base : base.substr(0, dot)) + ".fmu";
  }
  auto r = fmu::exportFmu(e);
  if (!r) {
    std::fprintf(stderr, "%s\n", r.error().format().c_str());
    return 2;
  }
  if (!o.quiet) {
    auto list = [](const std::vector<std::string>& v) {
      std::string s;
      for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
      return s.empty() ? std::string("(none)") : s;
    };
    std::printf("%s: FMI %d Co-Simulation FMU '%s', %zu bytes\n", e.output.c_str(), o.fmi,
                r.value().modelIdentifier.c_str(), r.value().bytes);
    std::printf("  inputs:     %s\n  outputs:    %s\n  parameters: %s\n", list(r.value().inputs).c_str(),
                list(r.value().outputs).c_str(), list(r.value().params).c_str());
  }
  return 0;
}

}  // namespace simcore::cli
