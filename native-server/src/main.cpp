// simcore: command-line entry point. Subcommands:
//   simcore run CIRCUIT.cir [--out DIR] [--format csv|json|raw] [--save SIG,...]
//               [--interpolate] [--stats] [--quiet]
//   simcore --help | --version
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cli.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    simcore::cli::printUsage(stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version" || args[0] == "version") {
    std::printf("simcore %s\n", SIMCORE_VERSION);
    return 0;
  }
  if (args[0] == "run") return simcore::cli::runCommand({args.begin() + 1, args.end()});
  std::fprintf(stderr, "simcore: error: unknown command '%s' (expected: run)\n", args[0].c_str());
  simcore::cli::printUsage(stderr);
  return 2;
}
