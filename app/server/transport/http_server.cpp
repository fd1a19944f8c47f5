#include "transport/http_server.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <httplib.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "transport/http_bridge.hpp"
#include "transport/http_codec.hpp"

namespace simcore::server {

namespace {

// A TaskQueue that starts a thread whenever every thread is busy (up to
// `max`): an open stream keeps its thread for as long as it runs, so a fixed
// pool would make the next connection wait behind the streams. Threads stay
// until shutdown.
class ElasticPool final : public httplib::TaskQueue {
 public:
  explicit ElasticPool(std::size_t max) : max_(max) {}
  ~ElasticPool() override = default;

  void enqueue(std::function<void()> fn) override {
    std::lock_guard<std::mutex> l(mu_);
    jobs_.push_back(std::move(fn));
    if (jobs_.size() > idle_ && threads_.size() < max_) threads_.emplace_back([this] { loop(); });
    cv_.notify_one();
  }

  void shutdown() override {
    {
      std::lock_guard<std::mutex> l(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();  // no enqueue after shutdown: threads_ is stable
  }

 private:
  void loop() {
    while (true) {
      std::function<void()> fn;
      {
        std::unique_lock<std::mutex> l(mu_);
        ++idle_;
        cv_.wait(l, [&] { return stopping_ || !jobs_.empty(); });
        --idle_;
        if (jobs_.empty()) return;  // stopping
        fn = std::move(jobs_.front());
        jobs_.pop_front();
      }
      fn();
    }
  }

  std::size_t max_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;
  bool stopping_ = false;
};

std::string addrText(const sockaddr_storage& a) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (a.ss_family == AF_INET) inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(a).sin_addr, buf, sizeof buf);
  if (a.ss_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(a).sin6_addr, buf, sizeof buf);
  return buf;
}

int portOf(const sockaddr_storage& a) {
  if (a.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(a).sin_port);
  if (a.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(a).sin6_port);
  return -1;
}

// The socket of the connection a request came on (httplib does not hand it
// to handlers): the open socket whose local and peer address match the
// request's. -1 when not found.
int connectionFd(const httplib::Request& req) {
  DIR* d = ::opendir("/proc/self/fd");
  if (!d) return -1;
  int found = -1;
  while (dirent* e = ::readdir(d)) {
    char* end = nullptr;
    long fd = std::strtol(e->d_name, &end, 10);
    if (!end || *end || fd < 0 || fd == ::dirfd(d)) continue;
    struct stat st;
    if (::fstat(int(fd), &st) != 0 || !S_ISSOCK(st.st_mode)) continue;
    sockaddr_storage local{}, peer{};
    socklen_t ll = sizeof local, pl = sizeof peer;
    if (::getsockname(int(fd), reinterpret_cast<sockaddr*>(&local), &ll) != 0) continue;
    if (portOf(local) != req.local_port) continue;
    if (::getpeername(int(fd), reinterpret_cast<sockaddr*>(&peer), &pl) != 0) continue;
    if (portOf(peer) != req.remote_port || addrText(peer) != req.remote_addr) continue;
    found = int(fd);
    break;
  }
  ::closedir(d);
  return found;
}

// False once the peer has closed its side or the socket failed.
bool socketAlive(int fd) {
  pollfd p{fd, POLLRDHUP, 0};
  if (::poll(&p, 1, 0) < 0) return true;
  return !(p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL));
}

const char* contentTypeOf(const std::string& path) {
  auto dot = path.rfind('.');
  std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const std::pair<const char*, const char*> types[] = {
      {"html", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"wasm", "application/wasm"},
      {"webmanifest", "application/manifest+json"},
      {"json", "application/json"},
      {"map", "application/json"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"ico", "image/x-icon"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"webp", "image/webp"},
      {"woff2", "font/woff2"},
      {"woff", "font/woff"},
      {"txt", "text/plain; charset=utf-8"},
      {"cir", "text/plain; charset=utf-8"},
  };
  for (const auto& [e, t] : types)
    if (ext == e) return t;
  return "application/octet-stream";
}

bool readFile(const std::string& path, std::string& out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::ostringstream ss;
  ss << f.rdbuf();
  out = ss.str();
  return true;
}

const char* kNoWebApp =
    "simcore serve: no web app is being served.\n\n"
    "Build it with `make web` (it lands in web/dist, which `simcore serve` finds next to\n"
    "build/bin/simcore), or point the server at a built copy with --web-dir DIR.\n\n"
    "The API is here all the same: gRPC-Web and Connect at POST /simcore.v1.Simulator/<Method>,\n"
    "GET /healthz, GET /metrics.\n";

}  // namespace

struct HttpServer::Impl {
  HttpOptions o;
  Store& store;
  JobManager& jobs;
  Metrics& metrics;
  std::string webRoot;  // realpath of o.webDir, empty without a web app
  httplib::Server svr;
  std::unique_ptr<RpcBridge> bridge;
  std::thread thread;
  std::atomic<bool> listenEnded{false};  // listen_after_bind returned
  int port = 0;
  std::atomic<int> listenFd{-1};  // the listening socket (seen in set_socket_options)

  Impl(HttpOptions opt, Store& s, JobManager& j, Metrics& m) : o(std::move(opt)), store(s), jobs(j), metrics(m) {
    if (!o.webDir.empty()) {
      char buf[PATH_MAX];
      if (::realpath(o.webDir.c_str(), buf)) webRoot = buf;
    }
  }

  // Host header names this machine: localhost, 127.x.y.z or [::1], any port.
  static bool localHost(const std::string& host) {
    std::string h = host;
    if (!h.empty() && h[0] == '[') {
      auto close = h.find(']');
      h = close == std::string::npos ? std::string() : h.substr(1, close - 1);
    } else if (auto colon = h.rfind(':'); colon != std::string::npos) {
      h = h.substr(0, colon);
    }
    for (auto& ch : h) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (h == "localhost" || h == "::1") return true;
    in_addr a{};
    return ::inet_pton(AF_INET, h.c_str(), &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
  }

  void cors(const httplib::Request& req, httplib::Response& res) const {
    std::string origin = req.get_header_value("Origin");
    if (o.corsOrigin.empty() && o.noAuth) return;  // same origin only
    if (o.corsOrigin.empty()) {
      res.set_header("Access-Control-Allow-Origin", "*");
    } else if (!origin.empty() && origin == o.corsOrigin) {
      res.set_header("Access-Control-Allow-Origin", origin);
      res.set_header("Vary", "Origin");
    } else {
      return;
    }
    res.set_header("Access-Control-Expose-Headers", "grpc-status, grpc-message, grpc-status-details-bin");
  }

  HttpRoute classify(const httplib::Request& req) const {
    if (req.method == "OPTIONS") return HttpRoute::Preflight;
    if (req.method == "POST" && RpcBridge::isRpcPath(req.path))
      return RpcBridge::routeOf(req.get_header_value("Content-Type"));
    if (req.method == "GET" || req.method == "HEAD") {
      if (req.path == "/healthz") return HttpRoute::Healthz;
      if (req.path == "/metrics") return HttpRoute::Metrics;
      return HttpRoute::Static;
    }
    return HttpRoute::Other;
  }

  void healthz(httplib::Response& res) {
    auto c = jobs.counts();
    nlohmann::ordered_json j = {{"status", "ok"},          {"version", SIMCORE_VERSION},
                                {"auth", o.noAuth ? "none" : "jwt"}, {"workers", jobs.workers()},
                                {"queued", c.queued},          {"running", c.running}};
    res.set_header("Cache-Control", "no-store");
    res.set_content(j.dump(), "application/json");
  }

  void metricsPage(httplib::Response& res) {
    Metrics::External ext;
    auto c = jobs.counts();
    ext.jobsByState["queued"] = c.queued;
    ext.jobsByState["running"] = c.running;
    static const std::pair<const char*, int> finals[] = {
        {"succeeded", ::simcore::v1::JOB_STATE_SUCCEEDED},
        {"failed", ::simcore::v1::JOB_STATE_FAILED},
        {"cancelled", ::simcore::v1::JOB_STATE_CANCELLED},
        {"interrupted", ::simcore::v1::JOB_STATE_INTERRUPTED}};
    const auto counts = store.countJobsByState();
    for (const auto& [name, state] : finals) {
      auto it = counts.find(state);
      ext.jobsByState[name] = it == counts.end() ? 0 : it->second;
    }
    ext.workersRunning = c.running;
    ext.workersMax = jobs.workers();
    res.set_header("Cache-Control", "no-store");
    res.set_content(metrics.render(ext), "text/plain; version=0.0.4; charset=utf-8");
  }

  void staticFile(const httplib::Request& req, httplib::Response& res) {
    const std::string& path = req.path;
    if (path.empty() || path[0] != '/' || path.find('\0') != std::string::npos ||
        path.find('\\') != std::string::npos) {
      res.status = 400;
      res.set_content("bad path\n", "text/plain; charset=utf-8");
      return;
    }
    // No ".." segment, whatever the encoding was (httplib decodes %2e).
    for (std::size_t i = 0; i < path.size();) {
      std::size_t j = path.find('/', i + 1);
      std::string seg = path.substr(i + 1, (j == std::string::npos ? path.size() : j) - i - 1);
      if (seg == "..") {
        res.status = 400;
        res.set_content("bad path\n", "text/plain; charset=utf-8");
        return;
      }
      if (j == std::string::npos) break;
      i = j;
    }
    if (webRoot.empty()) {
      if (path == "/" || path == "/index.html") {
        res.set_content(kNoWebApp, "text/plain; charset=utf-8");
      } else {
        res.status = 404;
        res.set_content("not found (no web app is served; see /)\n", "text/plain; charset=utf-8");
      }
      return;
    }
    std::string rel = path.back() == '/' ? path + "index.html" : path;
    std::string file;
    char buf[PATH_MAX];
    if (::realpath((webRoot + rel).c_str(), buf)) {
      std::string real = buf;
      struct stat st;
      if (real.rfind(webRoot + "/", 0) != 0 || ::stat(real.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        res.status = 404;  // outside the web dir (a symlink), or a directory
        res.set_content("not found\n", "text/plain; charset=utf-8");
        return;
      }
      file = real;
    } else {
      // Not a file: an app route (no extension in the last segment) gets the app.
      std::string last = path.substr(path.rfind('/') + 1);
      if (last.find('.') != std::string::npos) {
        res.status = 404;
        res.set_content("not found\n", "text/plain; charset=utf-8");
        return;
      }
      file = webRoot + "/index.html";
      rel = "/index.html";
    }
    std::string body;
    if (!readFile(file, body)) {
      res.status = 404;
      res.set_content("not found\n", "text/plain; charset=utf-8");
      return;
    }
    std::string name = rel.substr(rel.rfind('/') + 1);
    if (rel.rfind("/assets/", 0) == 0)
      res.set_header("Cache-Control", "public, max-age=31536000, immutable");
    else
      res.set_header("Cache-Control", "no-cache");  // index.html, sw.js, the manifest, icons: revalidate
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_content(body, contentTypeOf(name));
  }

  void routes() {
    svr.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      metrics.addHttpRequest(classify(req));
      auto refuse = [&](int status, const std::string& why) {
        res.status = status;
        res.set_header("Connection", "close");  // the body, if any, is not read
        res.set_content(why + "\n", "text/plain; charset=utf-8");
        return httplib::Server::HandlerResponse::Handled;
      };
      if (o.noAuth && !localHost(req.get_header_value("Host")))
        return refuse(403, "this server runs without authentication (--insecure-no-auth) and answers only "
                           "requests addressed to localhost, 127.0.0.1 or [::1]");
      cors(req, res);
      // This runs before the body is read: refuse bodies whose size the
      // payload limit cannot see (a small gzip body inflates without bound,
      // a chunked one has no Content-Length).
      const std::string enc = req.get_header_value("Content-Encoding");
      if (!enc.empty() && enc != "identity")
        return refuse(415, "compressed request bodies (Content-Encoding: " + enc + ") are not accepted");
      if (req.has_header("Transfer-Encoding"))
        return refuse(411, "send the request body with a Content-Length (chunked request bodies are not accepted)");
      return httplib::Server::HandlerResponse::Unhandled;
    });
    svr.Options(".*", [this](const httplib::Request&, httplib::Response& res) {
      res.status = 204;
      if (!res.has_header("Access-Control-Allow-Origin")) return;  // origin not allowed: no grant
      res.set_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
      res.set_header("Access-Control-Allow-Headers",
                     "content-type, authorization, x-grpc-web, x-user-agent, grpc-timeout, "
                     "connect-protocol-version, connect-timeout-ms");
      res.set_header("Access-Control-Max-Age", "86400");
    });
    svr.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
      if (!RpcBridge::isRpcPath(req.path)) {
        res.status = 404;
        res.set_content("not found\n", "text/plain; charset=utf-8");
        return;
      }
      // The connection's socket is looked up the first time `alive` is asked
      // (at once for streams; for unary calls only if they wait).
      auto fd = std::make_shared<int>(-2);
      const httplib::Request* r = &req;
      bridge->handle(req, res, [fd, r]() {
        if (*fd == -2) *fd = connectionFd(*r);
        return *fd < 0 || socketAlive(*fd);
      });
    });
    svr.Get(".*", [this](const httplib::Request& req, httplib::Response& res) {
      if (req.path == "/healthz") return healthz(res);
      if (req.path == "/metrics") return metricsPage(res);
      if (RpcBridge::isRpcPath(req.path) && req.path.rfind("/simcore.", 0) == 0) {
        res.status = 405;
        res.set_header("Allow", "POST, OPTIONS");
        res.set_content("RPCs are POST requests\n", "text/plain; charset=utf-8");
        return;
      }
      staticFile(req, res);
    });
    svr.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
      std::string what = "internal error";
      try {
        if (ep) std::rethrow_exception(ep);
      } catch (const std::exception& e) {
        what += std::string(": ") + e.what();
      } catch (...) {
      }
      res.status = 500;
      res.set_content(what + "\n", "text/plain; charset=utf-8");
    });
  }
};

HttpServer::HttpServer(HttpOptions options, Store& store, JobManager& jobs, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), store, jobs, metrics)) {}

HttpServer::~HttpServer() { stop(); }

bool HttpServer::bind(std::string& err) {
  auto& s = impl_->svr;
  const auto& o = impl_->o;
  std::size_t maxThreads = static_cast<std::size_t>(o.maxThreads);
  s.new_task_queue = [maxThreads] { return new ElasticPool(maxThreads); };
  s.set_tcp_nodelay(true);
  s.set_keep_alive_max_count(1000);
  s.set_keep_alive_timeout(2);  // an idle connection holds its thread (and delays shutdown) this long
  s.set_read_timeout(10);
  s.set_write_timeout(30);
  // A gRPC-Web text body is base64: 4/3 of the largest message, plus framing.
  s.set_payload_max_length(o.maxMessageBytes / 3 * 4 + (1u << 20));
  // httplib (a compiled Debian library) listens with a backlog of 5, so a
  // burst of connections overflows the accept queue and clients see resets.
  // Listening again on the same socket raises the backlog (Linux: the call
  // only updates it); the kernel caps it at net.core.somaxconn.
  s.set_socket_options([impl = impl_.get()](socket_t sock) {
    httplib::default_socket_options(sock);
    impl->listenFd = sock;
  });
  auto deepen = [this] {
    if (impl_->listenFd >= 0) ::listen(impl_->listenFd, kHttpListenBacklog);
  };
  errno = 0;
  if (o.port == 0) {
    impl_->port = s.bind_to_any_port(o.bind);
    if (impl_->port > 0) {
      deepen();
      return true;
    }
  } else if (s.bind_to_port(o.bind, o.port)) {
    impl_->port = o.port;
    deepen();
    return true;
  }
  int e = errno;
  std::string host = o.bind.find(':') != std::string::npos ? "[" + o.bind + "]" : o.bind;
  err = "cannot listen on HTTP port " + std::to_string(o.port) + " (" + host + ":" + std::to_string(o.port) + ")" +
        (e ? std::string(": ") + std::strerror(e) : std::string(": in use?")) +
        "; choose another with --http-port N (0 picks a free port)";
  return false;
}

int HttpServer::port() const { return impl_->port; }

void HttpServer::start(std::shared_ptr<::grpc::Channel> inProcess) {
  impl_->bridge = std::make_unique<RpcBridge>(std::move(inProcess), impl_->metrics, impl_->o.maxMessageBytes);
  impl_->routes();
  impl_->thread = std::thread([this] {
    impl_->svr.listen_after_bind();
    impl_->listenEnded = true;
  });
}

void HttpServer::stop() {
  if (!impl_) return;
  if (impl_->bridge) {
    // Let the cancelled streams write their trailers before the listener
    // closes (httplib abandons a chunked response once it is stopping).
    impl_->bridge->stop();
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (impl_->bridge->openStreams() > 0 && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // httplib's stop() does nothing until the listener runs: a signal straight
  // after start() (the server stopped 1 ms after it was ready) would leave the
  // listener to start afterwards and this join to wait for ever
  if (impl_->thread.joinable()) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!impl_->svr.is_running() && !impl_->listenEnded && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  impl_->svr.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_->bridge.reset();  // releases the in-process channel while the gRPC server still exists
}

}  // namespace simcore::server
