// libFuzzer target for the netlist front end: any input must give a Circuit
// or an Error, never a crash, hang or unbounded allocation. .include/.lib are
// served from a tiny in-memory set so the reader paths are reached too.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "simcore/ir.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  simcore::ir::ParseOptions opts;
  opts.fileName = "fuzz.cir";
  opts.resolver = [](std::string_view path, std::string_view) -> simcore::Result<simcore::ir::ResolvedFile> {
    if (path == "a.inc") return simcore::ir::ResolvedFile{"a.inc", ".model dm d is=1e-14\nR9 a 0 1k\n"};
    if (path == "self.inc") return simcore::ir::ResolvedFile{"self.inc", ".include self.inc\n"};
    if (path == "lib.l")
      return simcore::ir::ResolvedFile{"lib.l", ".lib tt\n.param k=1\n.lib ff\n.endl\n.lib ff\n.param k=2\n.endl\n"};
    return simcore::makeError(simcore::ErrorCode::Semantic, "no such file");
  };
  auto r = simcore::ir::parseNetlist(text, opts);
  if (!r.ok()) {
    // Every error must carry a message; format() must not crash.
    std::string s = r.error().format();
    if (s.empty() || r.error().message.empty()) __builtin_trap();
  }
  return 0;
}
