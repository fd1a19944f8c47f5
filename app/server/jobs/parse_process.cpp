#include "jobs/parse_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <new>

#include "jobs/framing.hpp"
#include "jobs/worker_process.hpp"
#include "rpc/engine_codes.hpp"

namespace simcore::server {

namespace pb = ::simcore::v1;

namespace {

// Bounds on what the server takes from a parse process (its frames are small;
// anything larger is a fault of that process).
constexpr std::size_t kMaxBufferedBytes = 4u << 20;
constexpr int kMaxIncludeQueries = 10000;
constexpr int kMaxWarnings = 1000;

void fail(pb::ParseOutcome& out, pb::ErrorCode code, const std::string& msg) {
  out.Clear();
  out.set_ok(false);
  setCode(*out.mutable_error(), code);
  out.mutable_error()->set_message(msg);
  out.set_formatted_error(msg);
}

std::string mib(std::int64_t mb) { return std::to_string(mb) + " MiB"; }

}  // namespace

int ParseRunner::running() {
  std::lock_guard<std::mutex> l(mu_);
  return running_;
}

ParseAnswer ParseRunner::run(const pb::ParseRequest& request, const IncludeLookup& lookup, const ParseLimits& limits,
                             std::chrono::system_clock::time_point until) {
  ParseAnswer ans;
  {
    const auto now = std::chrono::system_clock::now();
    if (until - now > kSlotWait) until = now + kSlotWait;
    std::unique_lock<std::mutex> l(mu_);
    if (!cv_.wait_until(l, until, [&] { return running_ < max_; })) {
      fail(ans.outcome, pb::ERROR_CODE_BUSY, "the server is busy checking other netlists; retry");
      return ans;
    }
    ++running_;
  }
  struct Slot {
    ParseRunner* r;
    ~Slot() {
      {
        std::lock_guard<std::mutex> l(r->mu_);
        --r->running_;
      }
      r->cv_.notify_one();
    }
  } slot{this};

  WorkerProcess proc;
  std::string err;
  WorkerSpawn spawn;
  spawn.exe = exe_;
  spawn.parse = true;
  spawn.stderrPath = "/dev/null";
  spawn.memoryMb = limits.memoryMb;
  spawn.cpuSeconds = limits.cpuSeconds;
  if (!spawnWorker(spawn, proc, err)) {
    fail(ans.outcome, pb::ERROR_CODE_INTERNAL, "cannot start a process to check the netlist: " + err);
    return ans;
  }
  // The request fd is written in blocking mode, the output read with poll.
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(std::max(limits.wallSeconds, kMinParseWallSeconds)));
  bool sent = writeFrame(proc.requestFd, FrameType::Request, request.SerializeAsString());
  FrameDecoder dec;
  Frame f;
  bool haveOutcome = false, timedOut = false, protocolError = false;
  int queries = 0;
  char buf[1 << 16];
  while (sent && !haveOutcome) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timedOut = true;
      break;
    }
    pollfd p{proc.outputFd, POLLIN, 0};
    int pr = ::poll(&p, 1, int(std::min<std::int64_t>(left.count(), 1000)));
    if (pr < 0 && errno == EINTR) continue;
    if (pr <= 0) continue;
    ssize_t n = ::read(proc.outputFd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the process ended (or failed) without an outcome
    dec.feed(buf, std::size_t(n));
    if (dec.pending() > kMaxBufferedBytes) {
      protocolError = true;
      break;
    }
    ReadStatus st;
    while (!haveOutcome && (st = dec.next(f)) == ReadStatus::Frame) {
      if (f.type == FrameType::Outcome) {
        haveOutcome = ans.outcome.ParseFromString(f.payload);
        if (!haveOutcome) protocolError = true;
        break;
      }
      if (f.type != FrameType::IncludeQuery || ++queries > kMaxIncludeQueries) {
        protocolError = true;
        break;
      }
      pb::ParseInclude reply;
      reply.set_name(f.payload);
      auto it = ans.includes.find(f.payload);
      if (it != ans.includes.end()) {
        reply.set_found(true);
        reply.set_text(it->second);
      } else if (auto text = lookup ? lookup(f.payload) : std::nullopt) {
        reply.set_found(true);
        reply.set_text(*text);
        ans.includes.emplace(f.payload, std::move(*text));
      }
      if (!writeFrame(proc.requestFd, FrameType::IncludeReply, reply.SerializeAsString())) break;
    }
    if (protocolError) break;
    if (!haveOutcome && st != ReadStatus::Eof) {
      protocolError = true;
      break;
    }
  }
  if (!haveOutcome) ::kill(proc.pid, SIGKILL);
  ::close(proc.requestFd);
  ::close(proc.outputFd);
  const WorkerExit ended = reapWorker(proc.pid);
  if (haveOutcome) {
    if (!ans.outcome.ok()) ans.includes.clear();
    return ans;
  }
  ans.includes.clear();
  if (timedOut) {
    char s[32];
    std::snprintf(s, sizeof s, "%g", std::max(limits.wallSeconds, kMinParseWallSeconds));
    fail(ans.outcome, pb::ERROR_CODE_LIMIT,
         std::string("checking the netlist took longer than the wall time limit of ") + s + " s");
  } else if (WIFSIGNALED(ended.status) && WTERMSIG(ended.status) == SIGXCPU) {
    fail(ans.outcome, pb::ERROR_CODE_LIMIT,
         "checking the netlist exceeded the CPU time limit of " + std::to_string(limits.cpuSeconds) + " s");
  } else if (protocolError) {
    fail(ans.outcome, pb::ERROR_CODE_INTERNAL, "the process checking the netlist sent a malformed answer");
  } else {
    // Killed or crashed without a word: with RLIMIT_AS in force, almost
    // always memory (an allocation failing where it cannot be reported).
    std::string why = WIFSIGNALED(ended.status) ? workerSignalReason(WTERMSIG(ended.status), limits.cpuSeconds)
                                                : "it exited with status " + std::to_string(WEXITSTATUS(ended.status));
    fail(ans.outcome, pb::ERROR_CODE_LIMIT,
         "the netlist could not be checked within the memory limit of " + mib(limits.memoryMb) + " (" + why + ")");
  }
  return ans;
}

// ---------------------------------------------------------------- the process side

namespace {

struct ServerGone {};

std::int64_t memoryLimitMb() {
  rlimit r{};
  if (::getrlimit(RLIMIT_AS, &r) != 0 || r.rlim_cur == RLIM_INFINITY) return 0;
  return std::int64_t(r.rlim_cur >> 20);
}

void describe(const ir::Circuit& c, pb::ParseOutcome& out) {
  out.set_ok(true);
  out.set_title(c.title);
  for (const auto& a : c.analyses) {
    auto* ai = out.add_analyses();
    ai->set_type(static_cast<pb::AnalysisType>(static_cast<int>(a.kind) + 1));
    ai->set_card(describeAnalysis(a));
  }
  int n = 0;
  for (const auto& w : c.warnings) {
    if (++n > kMaxWarnings) {
      out.add_warnings("0:0: ... and " + std::to_string(c.warnings.size() - kMaxWarnings) + " more warnings");
      break;
    }
    out.add_warnings(std::to_string(w.loc.line) + ":" + std::to_string(w.loc.col) + ": " + w.message);
  }
  out.set_device_count(static_cast<int>(c.devices.size()));
}

}  // namespace

int parseWorkerCommand() {
  ::signal(SIGPIPE, SIG_IGN);
  FrameReader in(0);
  Frame f;
  ReadStatus st = in.read(f);
  pb::ParseRequest req;
  if (st != ReadStatus::Frame || f.type != FrameType::Request || !req.ParseFromString(f.payload)) {
    std::fprintf(stderr, "simcore worker --parse: expected a ParseRequest frame on stdin (%s)\n", readStatusName(st));
    return 2;
  }
  CircuitSpec spec;
  spec.netlist = req.netlist();
  spec.fileName = req.file_name().empty() ? "<netlist>" : req.file_name();
  for (const auto& [k, v] : req.params()) spec.params[k] = v;
  if (req.has_options()) {
    const auto& o = req.options();
    spec.analyses.assign(o.analyses().begin(), o.analyses().end());
    if (o.has_tstop()) spec.tstop = o.tstop();
    if (o.has_max_step()) spec.maxStep = o.max_step();
  }
  req.Clear();
  auto lookup = [&](const std::string& name) -> std::optional<std::string> {
    if (!writeFrame(1, FrameType::IncludeQuery, name)) throw ServerGone{};
    Frame r;
    pb::ParseInclude inc;
    if (in.read(r) != ReadStatus::Frame || r.type != FrameType::IncludeReply || !inc.ParseFromString(r.payload))
      throw ServerGone{};
    if (!inc.found()) return std::nullopt;
    return std::move(*inc.mutable_text());
  };
  pb::ParseOutcome out;
  try {
    auto c = buildCircuit(spec, lookup);
    if (c) {
      describe(c.value(), out);
    } else {
      out.set_ok(false);
      *out.mutable_error() = detailOf(c.error());
      out.set_formatted_error(c.error().format());
    }
  } catch (const ServerGone&) {
    return 3;
  } catch (const std::bad_alloc&) {
    out.Clear();
    const std::int64_t mb = memoryLimitMb();
    std::string msg = "the netlist needs more memory to parse and elaborate than the limit" +
                      (mb ? " of " + std::to_string(mb) + " MiB" : std::string()) +
                      " (a subcircuit expanding to too many devices?)";
    out.set_ok(false);
    setCode(*out.mutable_error(), pb::ERROR_CODE_LIMIT);
    out.mutable_error()->set_message(msg);
    out.set_formatted_error(msg);
  }
  return writeFrame(1, FrameType::Outcome, out.SerializeAsString()) ? 0 : 3;
}

}  // namespace simcore::server
