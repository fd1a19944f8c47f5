// Entry point of libsimcore_server.so. The simcore executable loads this
// module only for `serve`, `token` and `worker`, so `simcore run` starts
// without loading gRPC, protobuf, SQLite and friends (about 10 ms of dynamic
// linking and static initialisation per process).
#include <string>
#include <vector>

#include "cli/parse.hpp"
#include "serve.hpp"
#include "jobs/parse_process.hpp"
#include "jobs/worker.hpp"

extern "C" __attribute__((visibility("default"))) int simcore_server_main(const char* command, int argc,
                                                                          const char* const* argv) {
  std::vector<std::string> args(argv, argv + argc);
  const std::string cmd = command;
  if (cmd == "serve") return simcore::server::serveCommand(args);
  if (cmd == "token") return simcore::server::tokenCommand(args);
  if (cmd == "worker") {
    // Started by `simcore serve` only; --job names the job in ps.
    std::string job;
    bool parse = false;
    CLI::App app{"simcore worker: runs one job of 'simcore serve' (request frame on stdin, frames on stdout)",
                 "simcore worker"};
    app.add_option("--job", job, "the job's id (informational)");
    app.add_flag("--parse", parse, "only parse and check a netlist (ParseRequest in, ParseOutcome out)");
    if (auto code = simcore::cli::parseCommand(app, "worker", args)) return *code;
    if (parse) return simcore::server::parseWorkerCommand();
    return simcore::server::workerCommand(args);
  }
  return 2;
}
