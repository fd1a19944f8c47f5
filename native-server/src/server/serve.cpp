#include "serve.hpp"

#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "auth.hpp"
#include "http_server.hpp"
#include "job_manager.hpp"
#include "log.hpp"
#include "metrics.hpp"
#include "service.hpp"
#include "store.hpp"

namespace simcore::server {

namespace {

struct ServeOptions {
  std::string dataDir;
  std::string bind = "127.0.0.1";
  int grpcPort = 50051;
  int httpPort = 8080;
  std::string webDir;      // empty: the default (next to the executable), if it exists
  bool noWebDir = false;   // --web-dir ''
  std::string corsOrigin;  // empty: any origin
  bool noAuth = false;
  std::string secretFile;
  double readyTokenHours = 24;
  ServerLimits limits;
  std::string limitsFile;  // empty: DATA/limits.conf
};

std::string defaultDataDir() {
  if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) return std::string(x) + "/simcore";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.local/share/simcore";
  return "simcore-data";
}

bool makeDirs(const std::string& dir) {
  for (std::size_t i = 1; i <= dir.size(); ++i) {
    if (i == dir.size() || dir[i] == '/') {
      std::string p = dir.substr(0, i);
      if (::mkdir(p.c_str(), 0700) != 0 && errno != EEXIST) return false;
    }
  }
  return true;
}

bool isLoopback(const std::string& a) {
  return a == "localhost" || a == "::1" || a == "[::1]" || a.rfind("127.", 0) == 0;
}

bool isDir(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool isFile(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string selfExe() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return {};
  buf[n] = 0;
  return buf;
}

int usage(const char* cmd, const std::string& msg) {
  std::fprintf(stderr, "simcore %s: error: %s\ntry 'simcore --help'\n", cmd, msg.c_str());
  return 2;
}

bool parseNum(const std::string& s, double lo, double hi, double& out) {
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (!end || *end || !(v >= lo && v <= hi)) return false;
  out = v;
  return true;
}

}  // namespace

int serveCommand(const std::vector<std::string>& args) {
  ServeOptions o;
  o.dataDir = defaultDataDir();
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto val = [&](std::string& dst) {
      if (i + 1 >= args.size()) return false;
      dst = args[++i];
      return true;
    };
    std::string v;
    double d = 0;
    auto num = [&](double lo, double hi) { return val(v) && parseNum(v, lo, hi, d); };
    if (a == "--data-dir") {
      if (!val(o.dataDir)) return usage("serve", "--data-dir needs a directory");
    } else if (a == "--bind") {
      if (!val(o.bind)) return usage("serve", "--bind needs an address");
    } else if (a == "--grpc-port") {
      if (!num(0, 65535)) return usage("serve", "--grpc-port needs a port number (0: any free port)");
      o.grpcPort = int(d);
    } else if (a == "--http-port") {
      if (!num(0, 65535)) return usage("serve", "--http-port needs a port number (0: any free port)");
      o.httpPort = int(d);
    } else if (a == "--web-dir") {
      if (!val(o.webDir)) return usage("serve", "--web-dir needs a directory ('' for none)");
      o.noWebDir = o.webDir.empty();
    } else if (a == "--cors-origin") {
      if (!val(o.corsOrigin) || o.corsOrigin.empty())
        return usage("serve", "--cors-origin needs an origin such as https://app.example.org");
    } else if (a == "--insecure-no-auth") {
      o.noAuth = true;
    } else if (a == "--jwt-secret-file") {
      if (!val(o.secretFile)) return usage("serve", "--jwt-secret-file needs a file");
    } else if (a == "--workers") {
      if (!num(1, 256)) return usage("serve", "--workers needs a number 1..256");
      o.limits.workers = int(d);
    } else if (a == "--max-jobs-per-user") {
      if (!num(1, 100000)) return usage("serve", "--max-jobs-per-user needs a positive number");
      o.limits.maxJobsPerUser = int(d);
    } else if (a == "--max-netlist-bytes") {
      if (!num(1, 1e9)) return usage("serve", "--max-netlist-bytes needs a positive number");
      o.limits.maxNetlistBytes = std::size_t(d);
    } else if (a == "--max-unknowns") {
      if (!num(1, 1e9)) return usage("serve", "--max-unknowns needs a positive number");
      o.limits.maxUnknowns = std::int64_t(d);
    } else if (a == "--max-time-points") {
      if (!num(1, 1e12)) return usage("serve", "--max-time-points needs a positive number");
      o.limits.maxTimePoints = std::int64_t(d);
    } else if (a == "--max-wall-seconds") {
      if (!num(0.01, 1e7)) return usage("serve", "--max-wall-seconds needs a positive number");
      o.limits.maxWallSeconds = d;
    } else if (a == "--max-cpu-seconds") {
      if (!num(1, 1e7)) return usage("serve", "--max-cpu-seconds needs a positive number");
      o.limits.maxCpuSeconds = std::int64_t(d);
    } else if (a == "--max-memory-mb") {
      if (!num(64, 1e7)) return usage("serve", "--max-memory-mb needs a number >= 64");
      o.limits.maxMemoryMb = std::int64_t(d);
    } else if (a == "--limits-file") {
      if (!val(o.limitsFile) || o.limitsFile.empty()) return usage("serve", "--limits-file needs a file");
    } else {
      return usage("serve", "unknown option '" + a + "'");
    }
  }
  if (o.noAuth && !isLoopback(o.bind))
    return usage("serve", "--insecure-no-auth is refused unless the server binds to loopback (127.0.0.1, ::1); "
                          "got --bind " + o.bind);

  initLogging();
  if (!makeDirs(o.dataDir)) {
    std::fprintf(stderr, "simcore serve: error: cannot create %s: %s\n", o.dataDir.c_str(), std::strerror(errno));
    return 1;
  }
  TokenAuthority auth;
  std::string err;
  if (!auth.load(o.dataDir, o.secretFile, err)) {
    std::fprintf(stderr, "simcore serve: error: %s\n", err.c_str());
    return 1;
  }
  Store store;
  if (!store.open(o.dataDir + "/simcore.db")) {
    std::fprintf(stderr, "simcore serve: error: %s\n", store.lastError().c_str());
    return 1;
  }
  std::string exe = selfExe();
  if (exe.empty()) {
    std::fprintf(stderr, "simcore serve: error: cannot find this executable (/proc/self/exe)\n");
    return 1;
  }

  // SIGINT/SIGTERM are taken by one thread (sigwait); every other thread,
  // including gRPC's, inherits the blocked mask. Workers unblock them.
  ::signal(SIGPIPE, SIG_IGN);
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);

  // The web app: --web-dir, else <dir of the executable>/../../web/dist
  // (build/bin/simcore in a clone) when it exists, else none.
  std::string webDir = o.webDir;
  if (!o.noWebDir && webDir.empty()) {
    std::string cand = exe.substr(0, exe.rfind('/')) + "/../../web/dist";
    if (isDir(cand)) webDir = cand;
  } else if (!webDir.empty() && !isDir(webDir)) {
    std::fprintf(stderr, "simcore serve: error: --web-dir %s is not a directory\n", webDir.c_str());
    return 1;
  }

  Metrics metrics;
  // Per-user limits: DATA/limits.conf (or --limits-file) overrides the
  // command line's by role and user; a missing default file means none.
  const std::string limitsFile = o.limitsFile.empty() ? o.dataDir + "/limits.conf" : o.limitsFile;
  if (!o.limitsFile.empty() && !isFile(limitsFile)) {
    std::fprintf(stderr, "simcore serve: error: --limits-file %s does not exist\n", limitsFile.c_str());
    return 1;
  }
  JobManager jobs(store, o.limits, o.dataDir, exe, limitsFile);
  if (std::string err; !jobs.loadUserLimits(err)) {
    std::fprintf(stderr, "simcore serve: error: %s\n", err.c_str());
    return 1;
  }
  const std::size_t maxMessage = (o.limits.maxNetlistBytes + (1u << 20)) * 4;
  HttpOptions ho;
  ho.noAuth = o.noAuth;
  ho.bind = o.bind;
  ho.port = o.httpPort;
  ho.webDir = webDir;
  ho.corsOrigin = o.corsOrigin;
  ho.maxMessageBytes = maxMessage;
  HttpServer http(ho, store, jobs, metrics);
  if (!http.bind(err)) {
    std::fprintf(stderr, "simcore serve: error: %s\n", err.c_str());
    return 1;
  }
  jobs.start();
  SimulatorService service(store, jobs, o.noAuth ? nullptr : &auth, metrics);

  std::string host = o.bind.find(':') != std::string::npos && o.bind[0] != '[' ? "[" + o.bind + "]" : o.bind;
  int port = 0;
  ::grpc::ServerBuilder builder;
  builder.AddListeningPort(host + ":" + std::to_string(o.grpcPort), ::grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  builder.SetMaxReceiveMessageSize(int(maxMessage));
  std::unique_ptr<::grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    std::fprintf(stderr, "simcore serve: error: cannot listen on gRPC port %d (%s:%d, in use?)\n", o.grpcPort,
                 host.c_str(), o.grpcPort);
    jobs.shutdown();
    return 1;
  }
  ::grpc::ChannelArguments chArgs;
  chArgs.SetMaxReceiveMessageSize(-1);
  chArgs.SetMaxSendMessageSize(-1);
  http.start(server->InProcessChannel(chArgs));
  std::string grpcUrl = "grpc://" + host + ":" + std::to_string(port);
  std::string httpUrl = "http://" + host + ":" + std::to_string(http.port());
  Log("server.ready")
      .str("grpc", host + ":" + std::to_string(port))
      .str("http", host + ":" + std::to_string(http.port()))
      .str("web_dir", webDir.empty() ? "none" : webDir)
      .str("data_dir", o.dataDir)
      .str("limits_file", limitsFile)
      .num("workers", std::int64_t(o.limits.workers))
      .str("auth", o.noAuth ? "none (loopback only)" : "jwt-hs256")
      .info();
  // One line, the web app's URL first (like Jupyter), then the gRPC address
  // with the same token for gRPC clients.
  if (o.noAuth) {
    std::printf("simcore serve: ready: %s/ %s (no authentication, loopback only)\n", httpUrl.c_str(),
                grpcUrl.c_str());
  } else {
    std::string tok = auth.issue("admin", "admin", std::int64_t(o.readyTokenHours * 3600));
    std::printf("simcore serve: ready: %s/?token=%s %s/?token=%s\n", httpUrl.c_str(), tok.c_str(), grpcUrl.c_str(),
                tok.c_str());
  }
  std::fflush(stdout);

  std::thread waiter([&] {
    int sig = 0;
    sigwait(&sigs, &sig);
    Log("server.stopping").str("signal", strsignal(sig)).info();
    http.stop();  // cancels the HTTP port's calls, then waits for its connections
    server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  });
  server->Wait();
  jobs.shutdown();
  waiter.join();
  Log("server.stopped").info();
  return 0;
}

int tokenCommand(const std::vector<std::string>& args) {
  std::string dataDir = defaultDataDir(), user, role = "user", secretFile;
  double hours = 24 * 30;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto val = [&](std::string& dst) {
      if (i + 1 >= args.size()) return false;
      dst = args[++i];
      return true;
    };
    std::string v;
    if (a == "--data-dir") {
      if (!val(dataDir)) return usage("token", "--data-dir needs a directory");
    } else if (a == "--user") {
      if (!val(user)) return usage("token", "--user needs a name");
    } else if (a == "--role") {
      if (!val(role) || (role != "user" && role != "admin")) return usage("token", "--role is user or admin");
    } else if (a == "--ttl-hours") {
      if (!val(v) || !parseNum(v, 0.001, 24 * 3650, hours)) return usage("token", "--ttl-hours needs a number");
    } else if (a == "--jwt-secret-file") {
      if (!val(secretFile)) return usage("token", "--jwt-secret-file needs a file");
    } else {
      return usage("token", "unknown option '" + a + "'");
    }
  }
  if (!validUserName(user)) return usage("token", "--user needs a name of [A-Za-z0-9_.@-], at most 64 characters");
  if (!makeDirs(dataDir)) {
    std::fprintf(stderr, "simcore token: error: cannot create %s: %s\n", dataDir.c_str(), std::strerror(errno));
    return 1;
  }
  TokenAuthority auth;
  std::string err;
  if (!auth.load(dataDir, secretFile, err)) {
    std::fprintf(stderr, "simcore token: error: %s\n", err.c_str());
    return 1;
  }
  std::printf("%s\n", auth.issue(user, role, std::int64_t(hours * 3600)).c_str());
  return 0;
}

}  // namespace simcore::server
