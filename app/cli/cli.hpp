// `simcore run`: its options (bound to the command line by addRunOptions)
// and the command itself.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace simcore::cli {

struct RunOptions {
  std::string input;                  // netlist path, "-" for stdin
  std::string outDir = ".";
  std::string format = "csv";
  std::vector<std::string> saveLists;  // each a comma list of signals, as given
  bool interpolate = false;
  bool stats = false;
  bool quiet = false;
  long long maxPoints = 0;            // 0: no limit
  std::string maxOutput = "4G";       // --max-output: bound on the result files' bytes (parseByteSize; 0: no limit)
  int threads = 1;                    // --threads: device evaluation on this many threads
  std::vector<std::string> plugins;   // --plugin: device plugin libraries (docs/plugins.md)
  std::string scriptDir = ".";        // --script-dir: where .control wrdata/write files go
};

// Declares the options of `simcore run` on `run` (a CLI11 subcommand).
void addRunOptions(CLI::App& run, RunOptions& o);

// `simcore run` after parsing; `extras` are the arguments CLI11 did not take
// (an unknown option or a second netlist: a usage error). Returns the
// process exit code (0 ok, 1 simulation failure, 2 bad input/usage).
int runCommand(const RunOptions& o, const std::vector<std::string>& extras);

// "500M" -> 524288000: a byte count, digits with an optional fraction and an
// optional suffix k, M or G (powers of 1024, any case). nullopt for anything
// else (empty, negative, other suffixes, spaces, a fraction without a
// suffix, more than 2^62 bytes).
std::optional<std::uint64_t> parseByteSize(std::string_view text);

// "v(a),i(v1)" -> {"v(a)", "i(v1)"}: splits on commas outside parentheses.
std::vector<std::string> splitSignalList(const std::string& list);

}  // namespace simcore::cli
