// Entry point of libsimcore_server.so. The simcore executable loads this
// module only for `serve`, `token` and `worker`, so `simcore run` starts
// without loading gRPC, protobuf, SQLite and friends (about 10 ms of dynamic
// linking and static initialisation per process).
#include <string>
#include <vector>

#include "serve.hpp"
#include "worker.hpp"

extern "C" __attribute__((visibility("default"))) int simcore_server_main(const char* command, int argc,
                                                                          const char* const* argv) {
  std::vector<std::string> args(argv, argv + argc);
  const std::string cmd = command;
  if (cmd == "serve") return simcore::server::serveCommand(args);
  if (cmd == "token") return simcore::server::tokenCommand(args);
  if (cmd == "worker") return simcore::server::workerCommand(args);
  return 2;
}
