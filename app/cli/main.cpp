// simcore: command-line entry point (CLI11). Subcommands:
//   simcore run CIRCUIT.cir [options]   (cli/run.cpp)
//   simcore fmu CIRCUIT.cir -o OUT.fmu  (cli/fmu_command.cpp)
//   simcore convert IN --to json|spice  (cli/convert.cpp)
//   simcore serve [options]             (server/serve.cpp)
//   simcore token --user NAME [options]
//   simcore worker --job ID             (internal: one job of `simcore serve`)
//   simcore --help | --version
// `simcore CMD --help` prints that command's options to stdout and exits 0;
// bare `simcore` prints the usage to stderr and exits 2, as does a usage error.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "cli/fmu_command.hpp"
#include "cli/convert.hpp"
#include "cli/module.hpp"
#include "cli/parse.hpp"

namespace {

// serve / token / worker live in libsimcore_server.so beside the executable,
// loaded on demand so that `simcore run` never pays for gRPC's start-up. The
// module parses their options itself.
int runServerCommand(const std::string& cmd, const std::vector<std::string>& rest) {
  using Entry = int (*)(const char*, int, const char* const*);
  std::string err;
  auto entry = reinterpret_cast<Entry>(simcore::cli::moduleSymbol("libsimcore_server.so", "simcore_server_main", err));
  if (!entry) {
    std::fprintf(stderr, "simcore: error: '%s' needs the server module %s; run scripts/setup.sh and rebuild\n",
                 cmd.c_str(), err.c_str());
    return 2;
  }
  std::vector<const char*> argv;
  for (const auto& a : rest) argv.push_back(a.c_str());
  return entry(cmd.c_str(), int(argv.size()), argv.data());
}

}  // namespace

int main(int argc, char** argv) {
  namespace cli = simcore::cli;
  CLI::App app{"simcore " SIMCORE_VERSION " - SPICE-class circuit simulator", "simcore"};
  app.set_version_flag("--version", "simcore " SIMCORE_VERSION);
  app.require_subcommand(1);
  app.footer("exit status: 0 ok, 1 simulation failure, 2 bad input or usage\n"
             "'simcore COMMAND --help' lists the options of a command (docs/index.md, docs/server.md)");

  cli::RunOptions runOpts;
  CLI::App* run = app.add_subcommand("run", "run every analysis of a netlist ('-' reads stdin)");
  cli::addRunOptions(*run, runOpts);
  cli::FmuOptions fmuOpts;
  CLI::App* fmu = app.add_subcommand("fmu", "export the netlist's transient as a Co-Simulation FMU (FMI 2 or 3)");
  cli::addFmuOptions(*fmu, fmuOpts);

  cli::ConvertCommandOptions convertOpts;
  CLI::App* convert = app.add_subcommand("convert", "netlist <-> JSON circuit model (docs/interop.md)");
  cli::addConvertOptions(*convert, convertOpts);

  // The server's commands take their arguments unparsed here (prefix_command);
  // the module declares and parses their options, --help included.
  struct ServerCommand {
    const char* name;
    const char* about;
  };
  const ServerCommand serverCommands[] = {
      {"serve", "server: gRPC, and on the HTTP port the web app, gRPC-Web, Connect, /healthz, /metrics"},
      {"token", "print an access token for a server's data directory"},
      {"worker", "internal: runs one job of 'simcore serve'"},
  };
  std::vector<CLI::App*> serverApps;
  for (const auto& c : serverCommands) {
    CLI::App* s = app.add_subcommand(c.name, c.about);
    s->prefix_command();
    s->set_help_flag();
    if (std::strcmp(c.name, "worker") == 0) s->group("");  // not listed in --help
    serverApps.push_back(s);
  }

  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::fputs(app.help().c_str(), stderr);
    return cli::kExitUsage;
  }
  // `simcore help` and `simcore version`, as the earlier hand-written parser took them.
  if (args.size() == 1 && args[0] == "help") args[0] = "--help";
  if (args.size() == 1 && args[0] == "version") args[0] = "--version";
  const bool isOption = !args[0].empty() && args[0][0] == '-';
  bool known = args[0] == "run" || args[0] == "fmu" || args[0] == "convert";
  for (const auto& c : serverCommands) known = known || args[0] == c.name;
  if (!isOption && !known)
    return cli::usageError("", "unknown command '" + args[0] + "' (expected: run, convert, fmu, serve, token)");
  if (auto code = cli::parseCommand(app, isOption ? "" : args[0], args)) return *code;

  if (run->parsed()) return cli::runCommand(runOpts, run->remaining());
  if (fmu->parsed()) return cli::fmuCommand(fmuOpts, fmu->remaining());
  if (convert->parsed()) return cli::convertCommand(convertOpts);
  for (CLI::App* s : serverApps)
    if (s->parsed()) return runServerCommand(s->get_name(), s->remaining());
  return cli::usageError("", "no command given");
}
