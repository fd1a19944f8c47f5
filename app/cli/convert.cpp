// `simcore convert IN --to json|spice [-o OUT]`: a netlist to the JSON circuit
// model and back (simcore/circuit_model.hpp, docs/interop.md). Includes stay
// references; nothing is elaborated or simulated.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/convert.hpp"
#include "cli/parse.hpp"
#include "simcore/circuit_model.hpp"

namespace simcore::cli {
namespace {

bool readAll(const std::string& path, std::string& out, std::string& err) {
  std::ostringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
    out = ss.str();
    return true;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err = std::strerror(errno);
    return false;
  }
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

bool endsWith(const std::string& s, const char* tail) {
  const std::size_t n = std::strlen(tail);
  if (s.size() < n) return false;
  for (std::size_t i = 0; i < n; ++i)
    if (std::tolower(static_cast<unsigned char>(s[s.size() - n + i])) != tail[i]) return false;
  return true;
}

}  // namespace

void addConvertOptions(CLI::App& cmd, ConvertCommandOptions& o) {
  cmd.add_option("INPUT", o.input, "a netlist or a JSON circuit model ('-' reads stdin)")->required();
  cmd.add_option("--to", o.to,
                 "json (netlist -> circuit model) or spice (circuit model -> netlist); default: the other one of "
                 "the input's")
      ->type_name("FORMAT");
  cmd.add_option("-o,--out", o.output, "write to FILE instead of stdout")->type_name("FILE");
}

int convertCommand(const ConvertCommandOptions& o) {
  std::string text, err;
  if (!readAll(o.input, text, err)) {
    std::fprintf(stderr, "%s: error: cannot read: %s\n", o.input.c_str(), err.c_str());
    return kExitUsage;
  }
  const bool inputJson = endsWith(o.input, ".json") || model::looksLikeCircuitJson(text);
  std::string to = o.to.empty() ? (inputJson ? "spice" : "json") : o.to;
  if (to == "netlist" || to == "cir") to = "spice";
  if (to != "json" && to != "spice") return usageError("convert", "--to must be json or spice, got '" + o.to + "'");
  if ((to == "json") == inputJson)
    return usageError("convert", std::string("the input is already ") + (inputJson ? "JSON" : "a netlist") +
                                     " (--to " + to + ")");
  model::ConvertOptions co;
  co.fileName = o.input == "-" ? "<stdin>" : o.input;
  Result<std::string> r = to == "json" ? model::netlistToJson(text, co) : model::jsonToNetlist(text, co);
  if (!r) {
    std::fprintf(stderr, "%s\n", r.error().format().c_str());
    return kExitUsage;
  }
  std::string out = std::move(r.value());
  if (to == "json") out += '\n';
  if (o.output.empty() || o.output == "-") {
    std::fwrite(out.data(), 1, out.size(), stdout);
    return 0;
  }
  std::ofstream f(o.output, std::ios::binary);
  if (!f || !f.write(out.data(), std::streamsize(out.size())) || !f.flush()) {
    std::fprintf(stderr, "simcore convert: error: cannot write '%s': %s\n", o.output.c_str(), std::strerror(errno));
    return kExitUsage;
  }
  return 0;
}

}  // namespace simcore::cli
