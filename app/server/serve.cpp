#include "serve.hpp"

#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <thread>

#include <toml++/toml.h>

#include "auth/auth.hpp"
#include "cli/parse.hpp"
#include "jobs/job_manager.hpp"
#include "observability/log.hpp"
#include "observability/metrics.hpp"
#include "rpc/circuit_spec.hpp"
#include "rpc/service.hpp"
#include "storage/store.hpp"
#include "transport/http_server.hpp"

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
  int workers = 2;         // worker processes at a time
  Limits limits;           // every user's, unless the limits file says otherwise
  std::string limitsFile;  // empty: DATA/limits.toml (or the deprecated DATA/limits.conf)
  std::int64_t maxTotalKeptMb = 0;  // retention over every user's finished jobs (0: none)
  double sweepSeconds = 300;        // how often retention runs
  std::string pluginDir;            // device plugins a netlist's .plugin may load (empty: none)
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

// `simcore serve --config FILE`: the options in TOML (read with toml++),
// `key = value` with the long option names (`http-port` or `http_port`).
// The command line wins over the file, the file over the environment.
class TomlConfig : public CLI::Config {
 public:
  std::string to_config(const CLI::App*, bool, bool, std::string) const override { return {}; }
  std::vector<CLI::ConfigItem> from_config(std::istream& in) const override {
    std::ostringstream text;
    text << in.rdbuf();
    toml::table root;
    try {
      root = toml::parse(text.str());
    } catch (const toml::parse_error& e) {
      throw CLI::ConversionError("--config: line " + std::to_string(e.source().begin.line) + ": " +
                                 std::string(e.description()));
    }
    std::vector<CLI::ConfigItem> items;
    for (auto&& [k, v] : root) {
      CLI::ConfigItem item;
      item.name = std::string(k.str());
      std::replace(item.name.begin(), item.name.end(), '_', '-');
      auto scalar = [&](const toml::node& n) -> std::string {
        if (auto s = n.value<std::string>(); n.is_string()) return *s;
        if (n.is_boolean()) return *n.value<bool>() ? "true" : "false";
        if (n.is_integer()) return std::to_string(*n.value<std::int64_t>());
        if (n.is_floating_point()) {
          std::ostringstream f;
          f.precision(17);
          f << *n.value<double>();
          return f.str();
        }
        throw CLI::ConversionError("--config: line " + std::to_string(n.source().begin.line) + ": '" +
                                   std::string(k.str()) + "' needs a string, number or boolean");
      };
      item.inputs.push_back(scalar(v));
      items.push_back(std::move(item));
    }
    return items;
  }
};

// The options of `simcore serve`; the limits come from the one table of
// limits/limits.hpp (key, option, range).
void addServeOptions(CLI::App& app, ServeOptions& o) {
  app.set_config("--config", "", "read options from a TOML file (`http-port = 8080`; the command line wins)")
      ->type_name("FILE");
  app.config_formatter(std::make_shared<TomlConfig>());
  app.allow_config_extras(CLI::config_extras_mode::error);
  app.add_option("--data-dir", o.dataDir, "database, JWT secret, job directories")
      ->envname("SIMCORE_DATA_DIR")
      ->capture_default_str();
  app.add_option("--bind", o.bind, "listen address (0.0.0.0, ::1, ...)")
      ->envname("SIMCORE_BIND")
      ->capture_default_str();
  app.add_option("--grpc-port", o.grpcPort, "gRPC port (0: any free port)")
      ->envname("SIMCORE_GRPC_PORT")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  app.add_option("--http-port", o.httpPort,
                 "HTTP port: web app, gRPC-Web, Connect, /healthz, /metrics (0: any free port)")
      ->envname("SIMCORE_HTTP_PORT")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  app.add_option_function<std::string>(
         "--web-dir",
         [&o](const std::string& v) {
           o.webDir = v;
           o.noWebDir = v.empty();
         },
         "the built web app (default: <dir of simcore>/../../web/dist if it exists; '' for none)")
      ->envname("SIMCORE_WEB_DIR");
  app.add_option("--cors-origin", o.corsOrigin, "the only origin browsers may call the API from (default: any)")
      ->check([](const std::string& v) {
        return v.empty() ? std::string("needs an origin such as https://app.example.org") : std::string();
      });
  app.add_flag("--insecure-no-auth", o.noAuth, "no tokens (only with a loopback --bind)");
  app.add_option("--jwt-secret-file", o.secretFile, "HS256 secret (default: DATA/jwt-secret, made on first start)")
      ->envname("SIMCORE_JWT_SECRET_FILE");
  app.add_option("--workers", o.workers, "worker processes running at the same time")
      ->envname("SIMCORE_WORKERS")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  for (const LimitSpec& spec : limitSpecs()) {
    std::ostringstream def;
    def.precision(12);
    def << spec.get(o.limits);
    app.add_option_function<double>(
           spec.option, [&o, &spec](double v) { spec.set(o.limits, v); },
           std::string(spec.help) + " (default " + def.str() + "; limits file key " + spec.key + ")")
        ->type_name("N")
        ->check(CLI::Range(spec.lo, spec.hi));
  }
  app.add_option("--max-total-kept-mb", o.maxTotalKeptMb,
                 "finished jobs of all users beyond this much disk are deleted, oldest first (0: no bound), MiB")
      ->envname("SIMCORE_MAX_TOTAL_KEPT_MB")
      ->check(CLI::Range(std::int64_t(0), std::int64_t(1e9)))
      ->capture_default_str();
  app.add_option("--sweep-seconds", o.sweepSeconds, "how often old jobs are looked for and deleted (retention), s")
      ->check(CLI::Range(0.05, 1e7))
      ->capture_default_str();
  app.add_option("--plugin-dir", o.pluginDir,
                 "device plugins (docs/plugins.md): a netlist's `.plugin NAME` loads NAME from this directory "
                 "only (default: no plugins)")
      ->type_name("DIR")
      ->envname("SIMCORE_SERVE_PLUGIN_DIR")
      ->check(CLI::ExistingDirectory);
  app.add_option("--limits-file", o.limitsFile,
                 "per-role and per-user limits, TOML (default: DATA/limits.toml, or the deprecated DATA/limits.conf)")
      ->envname("SIMCORE_LIMITS_FILE")
      ->check([](const std::string& v) { return v.empty() ? std::string("needs a file") : std::string(); });
}

// The default limits file: DATA/limits.toml, else the deprecated DATA/limits.conf
// when only that exists.
std::string defaultLimitsFile(const std::string& dataDir) {
  const std::string toml = dataDir + "/limits.toml", ini = dataDir + "/limits.conf";
  return !isFile(toml) && isFile(ini) ? ini : toml;
}

}  // namespace

int serveCommand(const std::vector<std::string>& args) {
  ServeOptions o;
  o.dataDir = defaultDataDir();
  CLI::App app{"simcore serve: gRPC, and on the HTTP port the web app, gRPC-Web, Connect, /healthz, /metrics "
               "(docs/server.md)",
               "simcore serve"};
  addServeOptions(app, o);
  if (auto code = cli::parseCommand(app, "serve", args)) return *code;
  if (o.noAuth && !isLoopback(o.bind))
    return cli::usageError("serve", "--insecure-no-auth is refused unless the server binds to loopback (127.0.0.1, "
                                    "::1); got --bind " + o.bind);

  initLogging();
  // Everything the server and its workers create (database, job directories,
  // result files) is the server user's alone: files 0600, directories 0700.
  ::umask(077);
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

  // Device plugins: the parse and worker processes read the directory from
  // the environment serve gives them (plugin_dir.hpp); none unless configured.
  if (auto s = exportPluginDir(o.pluginDir); !s.empty()) {
    std::fprintf(stderr, "simcore serve: error: %s\n", s.c_str());
    return 1;
  }

  Metrics metrics;
  // Per-user limits: DATA/limits.toml (or --limits-file) overrides the
  // command line's by role and user; a missing default file means none.
  const std::string limitsFile = o.limitsFile.empty() ? defaultLimitsFile(o.dataDir) : o.limitsFile;
  if (!o.limitsFile.empty() && !isFile(limitsFile)) {
    std::fprintf(stderr, "simcore serve: error: --limits-file %s does not exist\n", limitsFile.c_str());
    return 1;
  }
  JobManager jobs(store, o.workers, o.limits, o.dataDir, exe, limitsFile);
  if (std::string err; !jobs.loadUserLimits(err)) {
    std::fprintf(stderr, "simcore serve: error: %s\n", err.c_str());
    return 1;
  }
  if (const LimitsFile lf = jobs.userLimitsFile(); lf.legacyIni) {
    std::fprintf(stderr,
                 "simcore serve: warning: %s is in the old INI form of the limits file, which is deprecated and "
                 "will stop being read; the same limits as TOML (docs/server.md), for DATA/limits.toml:\n%s",
                 limitsFile.c_str(), limitsFileToToml(lf).c_str());
    Log("limits.deprecated_ini").str("file", limitsFile).warn();
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
  jobs.setRetention(o.maxTotalKeptMb, std::chrono::milliseconds(std::int64_t(o.sweepSeconds * 1000)));
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
      .num("workers", std::int64_t(o.workers))
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
  CLI::App app{"simcore token: print an access token for the server of a data directory", "simcore token"};
  app.add_option("--data-dir", dataDir, "the server's data directory")
      ->envname("SIMCORE_DATA_DIR")
      ->capture_default_str();
  app.add_option("--user", user, "the user the token names ([A-Za-z0-9_.@-], at most 64 characters)")->required();
  app.add_option("--role", role, "user or admin")->check(CLI::IsMember({"user", "admin"}))->capture_default_str();
  app.add_option("--ttl-hours", hours, "how long the token is valid")
      ->check(CLI::Range(0.001, 24.0 * 3650))
      ->capture_default_str();
  app.add_option("--jwt-secret-file", secretFile, "HS256 secret (default: DATA/jwt-secret)")
      ->envname("SIMCORE_JWT_SECRET_FILE");
  if (auto code = cli::parseCommand(app, "token", args)) return *code;
  if (!validUserName(user))
    return cli::usageError("token", "--user needs a name of [A-Za-z0-9_.@-], at most 64 characters");
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
