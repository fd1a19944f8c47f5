// simcore: command-line entry point. Subcommands:
//   simcore run CIRCUIT.cir [--out DIR] [--format csv|json|raw] [--save SIG,...]
//               [--interpolate] [--stats] [--quiet]
//   simcore serve [--data-dir DIR] [--bind ADDR] [--grpc-port N] [--http-port N] [--web-dir DIR]
//                 [--limits-file F] [--insecure-no-auth] ...
//   simcore token --data-dir DIR --user NAME [--role admin]
//   simcore worker ...   (internal: one job of `simcore serve`)
//   simcore --help | --version
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <dlfcn.h>
#include <unistd.h>

#include "cli.hpp"

namespace {

// serve / token / worker live in libsimcore_server.so beside the executable,
// loaded on demand so that `simcore run` never pays for gRPC's start-up.
int runServerCommand(const std::string& cmd, const std::vector<std::string>& rest) {
  char self[4096];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  std::string dir = ".";
  if (n > 0) {
    self[n] = 0;
    std::string p(self);
    dir = p.substr(0, p.rfind('/'));
  }
  const std::string path = dir + "/libsimcore_server.so";
  void* h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    std::fprintf(stderr, "simcore: error: '%s' needs the server module %s (%s); run scripts/setup.sh and rebuild\n",
                 cmd.c_str(), path.c_str(), ::dlerror());
    return 2;
  }
  using Entry = int (*)(const char*, int, const char* const*);
  auto entry = reinterpret_cast<Entry>(::dlsym(h, "simcore_server_main"));
  if (!entry) {
    std::fprintf(stderr, "simcore: error: %s has no simcore_server_main\n", path.c_str());
    return 2;
  }
  std::vector<const char*> argv;
  for (const auto& a : rest) argv.push_back(a.c_str());
  return entry(cmd.c_str(), int(argv.size()), argv.data());
}

}  // namespace

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
  if (args[0] == "serve" || args[0] == "token" || args[0] == "worker")
    return runServerCommand(args[0], {args.begin() + 1, args.end()});
  std::fprintf(stderr, "simcore: error: unknown command '%s' (expected: run, serve, token)\n", args[0].c_str());
  simcore::cli::printUsage(stderr);
  return 2;
}
