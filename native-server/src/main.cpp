// simcore: command-line entry point. Subcommands:
//   simcore run CIRCUIT.cir [--out DIR] [--format csv|json|raw] [--save SIG,...]
//               [--interpolate] [--stats] [--quiet]
//   simcore serve [--data-dir DIR] [--bind ADDR] [--grpc-port N] [--http-port N] [--insecure-no-auth] ...
//   simcore token --data-dir DIR --user NAME [--role admin]
//   simcore worker ...   (internal: one job of `simcore serve`)
//   simcore --help | --version
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cli.hpp"
#ifdef SIMCORE_WITH_SERVER
#include "server/serve.hpp"
#include "server/worker.hpp"
#endif

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
  if (args[0] == "serve" || args[0] == "token" || args[0] == "worker") {
#ifdef SIMCORE_WITH_SERVER
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "serve") return simcore::server::serveCommand(rest);
    if (args[0] == "token") return simcore::server::tokenCommand(rest);
    return simcore::server::workerCommand(rest);
#else
    std::fprintf(stderr, "simcore: error: this simcore was built without the server (run scripts/setup.sh, rebuild)\n");
    return 2;
#endif
  }
  std::fprintf(stderr, "simcore: error: unknown command '%s' (expected: run, serve, token)\n", args[0].c_str());
  simcore::cli::printUsage(stderr);
  return 2;
}
