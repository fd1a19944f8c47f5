#include "jobs/job_manager.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>

#include "jobs/framing.hpp"
#include "jobs/result_rebuild.hpp"
#include "jobs/worker_process.hpp"
#include "observability/log.hpp"
#include "rpc/engine_codes.hpp"

namespace simcore::server {

namespace pb = ::simcore::v1;
using Clock = std::chrono::steady_clock;

std::int64_t nowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

const char* stateName(pb::JobState s) {
  switch (s) {
    case pb::JOB_STATE_QUEUED: return "queued";
    case pb::JOB_STATE_RUNNING: return "running";
    case pb::JOB_STATE_SUCCEEDED: return "succeeded";
    case pb::JOB_STATE_FAILED: return "failed";
    case pb::JOB_STATE_CANCELLED: return "cancelled";
    case pb::JOB_STATE_INTERRUPTED: return "interrupted";
    default: return "unspecified";
  }
}

void setError(pb::Job& job, pb::ErrorCode code, const std::string& msg) {
  auto* e = job.mutable_error();
  e->Clear();
  setCode(*e, code);
  e->set_message(msg);
}

// Re-measure a running job's directory after this much more waveform log, or
// this long (a measure is a readdir and a stat per file: about 20 us).
constexpr std::int64_t kDiskCheckBytes = 256 << 10;
constexpr std::chrono::milliseconds kDiskCheckEvery{20};

}  // namespace

void scanResults(const std::string& dir, bool partial, pb::Job& job) {
  job.clear_results();
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d)) names.emplace_back(e->d_name);
  ::closedir(d);
  std::sort(names.begin(), names.end());
  for (const auto& n : names) {
    // <stem>.<analysis>.<ext>
    auto dot = n.rfind('.');
    if (dot == std::string::npos || dot == 0) continue;
    auto dot2 = n.rfind('.', dot - 1);
    if (dot2 == std::string::npos || dot2 == 0) continue;
    std::string ext = n.substr(dot + 1);
    pb::ResultFormat f = ext == "csv"    ? pb::RESULT_FORMAT_CSV
                         : ext == "raw"  ? pb::RESULT_FORMAT_RAW
                         : ext == "json" ? pb::RESULT_FORMAT_JSON
                         : ext == "h5"   ? pb::RESULT_FORMAT_HDF5
                         : ext == "parquet" ? pb::RESULT_FORMAT_PARQUET
                                         : pb::RESULT_FORMAT_UNSPECIFIED;
    if (f == pb::RESULT_FORMAT_UNSPECIFIED) continue;
    auto* r = job.add_results();
    r->set_name(n);
    r->set_analysis(n.substr(dot2 + 1, dot - dot2 - 1));
    r->set_format(f);
    struct stat sb {};
    if (::stat((dir + "/" + n).c_str(), &sb) == 0) r->set_size_bytes(sb.st_size);
    r->set_partial(partial);
  }
}

JobManager::JobManager(Store& store, int workers, Limits defaults, std::string dataDir, std::string selfExe,
                       std::string limitsFile)
    : store_(store),
      workers_(workers),
      userLimits_(defaults, std::move(limitsFile)),
      dataDir_(std::move(dataDir)),
      selfExe_(std::move(selfExe)),
      parser_(selfExe_, 2 * workers + 2) {}

Limits JobManager::limitsFor(const std::string& user, const std::string& role) {
  {
    std::lock_guard<std::mutex> l(mu_);
    roles_[user] = role;
  }
  std::string err;
  Limits l = userLimits_.forUser(user, role, &err);
  if (!err.empty()) Log("limits.reload_failed").str("file", userLimits_.path()).str("error", err).warn();
  return l;
}

JobManager::~JobManager() { shutdown(); }

bool JobManager::persist(const pb::Job& job) {
  JobRow row{job.id(), job.session_id(), job.owner(), static_cast<int>(job.state()), job.created_unix_ms(),
             job.SerializeAsString()};
  if (!store_.putJob(row)) {
    Log("store.error").str("job", job.id()).str("error", store_.lastError()).error();
    return false;
  }
  return true;
}

void JobManager::start() {
  ::mkdir((dataDir_ + "/jobs").c_str(), 0700);
  for (int st : {static_cast<int>(pb::JOB_STATE_QUEUED), static_cast<int>(pb::JOB_STATE_RUNNING)}) {
    for (const auto& row : store_.listJobs("", "", st)) {
      pb::Job job;
      if (!job.ParseFromString(row.blob)) continue;
      bool wasRunning = job.state() == pb::JOB_STATE_RUNNING;
      job.set_state(pb::JOB_STATE_INTERRUPTED);
      job.set_finished_unix_ms(nowUnixMs());
      setError(job, pb::ERROR_CODE_INTERRUPTED,
               wasRunning ? "the server stopped while the job was running; rows computed before that are kept"
                          : "the server stopped while the job was queued");
      RebuildOutcome rb;
      if (wasRunning) {
        // The worker died with the server: its HDF5 files were never closed.
        std::string stem = "circuit", netlist;
        if (auto srow = store_.getSession(job.session_id())) {
          netlist = srow->netlist;
          pb::Session s;
          if (s.ParseFromString(srow->blob) && !s.name().empty()) stem = s.name();
        }
        rb = rebuildResultsFromStream(jobDir(job.id()), stem, netlist,
                                      hdf5OptionsJson(job.options(), job.options().params()), job.id());
        if (!rb.error.empty()) Log("job.results_rebuild_failed").str("job", job.id()).str("error", rb.error).warn();
      }
      scanResults(jobDir(job.id()), true, job);
      applyRows(rb, job);
      job.set_disk_bytes(dirBytes(jobDir(job.id())));
      persist(job);
      Log("job.interrupted").str("job", job.id()).str("user", job.owner()).info();
    }
  }
  // Every user's disk as the store records it (jobs from before disk_bytes was kept: measured).
  for (const auto& row : store_.listJobs("", "")) {
    pb::Job job;
    if (!job.ParseFromString(row.blob)) continue;
    diskUsed_[row.owner] += job.disk_bytes() > 0 ? job.disk_bytes() : dirBytes(jobDir(row.id));
  }
  dispatcher_ = std::thread([this] { dispatchLoop(); });
  sweeper_ = std::thread([this] { sweepLoop(); });
}

void JobManager::shutdown() {
  std::vector<std::shared_ptr<JobRuntime>> all;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (stopping_) return;
    stopping_ = true;
    for (auto& [id, rt] : jobs_) all.push_back(rt);
    cv_.notify_all();
  }
  if (dispatcher_.joinable()) dispatcher_.join();
  if (sweeper_.joinable()) sweeper_.join();
  for (auto& rt : all) {
    std::unique_lock<std::mutex> lk(rt->mu);
    if (rt->finished) continue;
    rt->interrupted = true;
    if (rt->pid > 0) {
      ::kill(rt->pid, SIGKILL);
    } else {
      finish(rt, lk);
      lk.unlock();
      release(rt->job.owner());
    }
  }
  // Readers finish the killed jobs (reap, persist); give them a moment.
  std::unique_lock<std::mutex> l(mu_);
  cv_.wait_for(l, std::chrono::seconds(5), [this] { return readers_ == 0; });
}

bool JobManager::submit(const std::shared_ptr<JobRuntime>& rt, std::string& why) {
  std::lock_guard<std::mutex> l(mu_);
  if (stopping_) {
    why = "the server is shutting down";
    return false;
  }
  int& n = active_[rt->job.owner()];
  if (n >= rt->limits.maxJobs) {
    why = "user '" + rt->job.owner() + "' already has " + std::to_string(n) +
          " queued or running jobs (the limit is " + std::to_string(rt->limits.maxJobs) + ")";
    return false;
  }
  n++;
  rt->dir = jobDir(rt->job.id());
  persist(rt->job);
  jobs_[rt->job.id()] = rt;
  queue_.push_back(rt);
  cv_.notify_all();
  return true;
}

std::shared_ptr<JobRuntime> JobManager::find(const std::string& id) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = jobs_.find(id);
  return it == jobs_.end() ? nullptr : it->second;
}

void JobManager::release(const std::string& owner) {
  std::lock_guard<std::mutex> l(mu_);
  if (--active_[owner] <= 0) active_.erase(owner);
  cv_.notify_all();
}

void JobManager::finish(const std::shared_ptr<JobRuntime>& rt, std::unique_lock<std::mutex>& lk) {
  pb::Job& job = rt->job;
  job.set_finished_unix_ms(nowUnixMs());
  rt->finished = true;
  rt->request.Clear();
  persist(job);
  rt->cv.notify_all();
  double ms = job.started_unix_ms() ? double(job.finished_unix_ms() - job.started_unix_ms()) : 0.0;
  Log l("job.finished");
  l.str("job", job.id()).str("user", job.owner()).str("session", job.session_id());
  l.str("outcome", stateName(job.state())).num("duration_ms", ms).num("rows", job.rows());
  if (job.has_error()) l.str("reason", job.error().message());
  l.info();
}

pb::Job JobManager::stop(const std::shared_ptr<JobRuntime>& rt) {
  std::unique_lock<std::mutex> lk(rt->mu);
  if (rt->finished) return rt->job;
  rt->stopRequested = true;
  if (rt->pid <= 0) {
    // Still queued: take it out of the queue if the dispatcher has not yet.
    bool removed = false;
    lk.unlock();
    {
      std::lock_guard<std::mutex> l(mu_);
      for (auto it = queue_.begin(); it != queue_.end(); ++it)
        if (*it == rt) {
          queue_.erase(it);
          removed = true;
          break;
        }
    }
    lk.lock();
    if (removed && !rt->finished) {
      rt->job.set_state(pb::JOB_STATE_CANCELLED);
      setError(rt->job, pb::ERROR_CODE_CANCELLED, "stopped by the user before it started");
      finish(rt, lk);
      pb::Job out = rt->job;
      lk.unlock();
      release(out.owner());
      return out;
    }
    // The dispatcher holds it; it sees stopRequested and does not launch it,
    // or it has launched it: fall through and stop the worker.
    rt->cv.wait_for(lk, std::chrono::milliseconds(20), [&] { return rt->finished || rt->pid > 0; });
    if (rt->finished) return rt->job;
  }
  // SIGTERM sets the engine's cancel flag: the worker stops at its next step,
  // writes what it has and exits. A step can take long on a big circuit, so
  // SIGKILL follows after 60 ms.
  ::kill(rt->pid, SIGTERM);
  if (!rt->cv.wait_for(lk, std::chrono::milliseconds(60), [&] { return rt->finished; })) {
    ::kill(rt->pid, SIGKILL);
    rt->cv.wait_for(lk, std::chrono::seconds(5), [&] { return rt->finished; });
  }
  return rt->job;
}

void JobManager::dispatchLoop() {
  std::unique_lock<std::mutex> l(mu_);
  auto lastPurge = Clock::now();
  while (!stopping_) {
    while (!stopping_ && running_ < workers_ && !queue_.empty()) {
      auto rt = queue_.front();
      queue_.pop_front();
      running_++;
      l.unlock();
      launch(rt);
      l.lock();
    }
    // Wall-time limit.
    std::vector<std::shared_ptr<JobRuntime>> live;
    for (auto& [id, rt] : jobs_) live.push_back(rt);
    l.unlock();
    auto now = Clock::now();
    for (auto& rt : live) {
      std::lock_guard<std::mutex> g(rt->mu);
      if (!rt->finished && rt->pid > 0 && rt->killReason.empty() &&
          now - rt->startedAt > std::chrono::duration<double>(rt->limits.maxWallSeconds)) {
        char secs[32];
        std::snprintf(secs, sizeof secs, "%g", rt->limits.maxWallSeconds);
        rt->killReason = std::string("the job exceeded its wall time limit of ") + secs + " s";
        ::kill(rt->pid, SIGKILL);
      }
      if (!rt->finished && rt->pid > 0 && rt->termSent && now - rt->termSentAt > kTermGrace) ::kill(rt->pid, SIGKILL);
    }
    l.lock();
    // Forget finished jobs after a minute (they are in the store).
    if (now - lastPurge > std::chrono::seconds(10)) {
      lastPurge = now;
      for (auto it = jobs_.begin(); it != jobs_.end();) {
        std::lock_guard<std::mutex> g(it->second->mu);
        if (it->second->finished && nowUnixMs() - it->second->job.finished_unix_ms() > 60000) it = jobs_.erase(it);
        else ++it;
      }
    }
    cv_.wait_for(l, std::chrono::milliseconds(50));
  }
}

void JobManager::launch(const std::shared_ptr<JobRuntime>& rt) {
  std::unique_lock<std::mutex> lk(rt->mu);
  // Ends the job without a worker (its slot and the owner's quota are freed).
  auto endNow = [&](pb::JobState state, pb::ErrorCode code, const std::string& msg) {
    rt->job.set_state(state);
    setError(rt->job, code, msg);
    finish(rt, lk);
    std::string owner = rt->job.owner();
    lk.unlock();
    {
      std::lock_guard<std::mutex> l(mu_);
      running_--;
    }
    release(owner);
  };
  auto fail = [&](pb::ErrorCode code, const std::string& msg) { endNow(pb::JOB_STATE_FAILED, code, msg); };
  if (rt->stopRequested) return endNow(pb::JOB_STATE_CANCELLED, pb::ERROR_CODE_CANCELLED, "stopped by the user before it started");
  ::mkdir(rt->dir.c_str(), 0700);
  rt->request.set_out_dir(rt->dir);
  int logFd = ::open((rt->dir + "/stream.frames").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  std::string jobId = rt->job.id();
  WorkerProcess proc;
  std::string spawnErr;
  if (!spawnWorker({selfExe_, jobId, rt->dir + "/worker.log", rt->limits.maxMemoryMb, rt->limits.maxCpuSeconds}, proc,
                   spawnErr)) {
    if (logFd >= 0) ::close(logFd);
    return fail(pb::ERROR_CODE_INTERNAL, spawnErr);
  }
  const pid_t pid = proc.pid;
  rt->pid = pid;
  {
    const std::int64_t cap = rt->limits.maxOutputMb << 20;
    lk.unlock();
    const std::int64_t left = (rt->limits.maxDiskMb << 20) - diskUsed(rt->job.owner());
    lk.lock();
    rt->diskAllowance = std::max<std::int64_t>(0, std::min(cap, left));
    rt->diskLimitText = cap <= left ? "its output limit of " + mibText(cap)
                                    : "the disk quota of user '" + rt->job.owner() + "' (" +
                                          mibText(rt->limits.maxDiskMb << 20) + ")";
  }
  rt->startedAt = Clock::now();
  rt->job.set_state(pb::JOB_STATE_RUNNING);
  rt->job.set_started_unix_ms(nowUnixMs());
  std::string payload = rt->request.SerializeAsString();
  persist(rt->job);
  rt->cv.notify_all();
  lk.unlock();
  Log("job.started").str("job", jobId).str("user", rt->job.owner()).num("pid", std::int64_t(pid)).info();
  // A worker that dies before reading gives EPIPE here; the reader reports why.
  writeFrame(proc.requestFd, FrameType::Request, payload);
  ::close(proc.requestFd);
  {
    std::lock_guard<std::mutex> l(mu_);
    readers_++;
  }
  std::thread([this, rt, fd = proc.outputFd, logFd, pid] { readLoop(rt, fd, logFd, pid); }).detach();
}

void JobManager::readLoop(std::shared_ptr<JobRuntime> rt, int outFd, int logFd, pid_t pid) {
  FrameReader reader(outFd);
  Frame f;
  ReadStatus st;
  pb::WorkerOutcome outcome;
  bool haveOutcome = false;
  std::string encoded;
  bool logOk = logFd >= 0;
  std::int64_t sinceCheck = 0;
  Clock::time_point lastCheck{};  // the first chunk is measured
  bool overLimit = false;  // past the disk limit: later chunks are neither logged nor counted
  while ((st = reader.read(f)) == ReadStatus::Frame) {
    if (f.type == FrameType::Chunk) {
      encoded.clear();
      encodeFrame(FrameType::Chunk, f.payload, encoded);
      sinceCheck += std::int64_t(encoded.size());
      if (sinceCheck >= kDiskCheckBytes || Clock::now() - lastCheck >= kDiskCheckEvery) {
        sinceCheck = 0;
        lastCheck = Clock::now();
        checkDisk(rt);
        std::lock_guard<std::mutex> g(rt->mu);
        overLimit = rt->termSent;
      }
      if (overLimit) continue;
      if (logOk) {
        std::size_t off = 0;
        while (off < encoded.size()) {
          ssize_t w = ::write(logFd, encoded.data() + off, encoded.size() - off);
          if (w < 0 && errno == EINTR) continue;
          if (w <= 0) {
            logOk = false;
            break;
          }
          off += static_cast<std::size_t>(w);
        }
      }
      pb::WaveformChunk c;
      c.ParseFromString(f.payload);
      std::lock_guard<std::mutex> g(rt->mu);
      if (logOk) rt->committed += static_cast<std::int64_t>(encoded.size());
      rt->job.set_rows(rt->job.rows() + c.rows());
      rt->job.set_progress(c.progress());
      rt->cv.notify_all();
    } else if (f.type == FrameType::Outcome) {
      haveOutcome = outcome.ParseFromString(f.payload);
    }
  }
  ::close(outFd);
  if (logFd >= 0) ::close(logFd);
  const WorkerExit ended = reapWorker(pid);
  const int status = ended.status;
  // The worker has ended: its slot and its owner's quota are free before the
  // job is reported ended (StopSimulation returns then, and the caller may
  // start the next job at once).
  {
    std::lock_guard<std::mutex> l(mu_);
    running_--;
  }
  release(rt->job.owner());  // the owner never changes after submit

  // The worker died without closing its files (cut anywhere; HDF5 ones flagged
  // "open for write"), so they are written again from the waveform log. For a
  // stop that happens after the job is reported ended, so that StopSimulation
  // returns at once; GetResult waits for it (JobRuntime::rewriting).
  bool deferRewrite = false;
  std::function<void()> rewrite;
  auto rebuilt = std::make_shared<RebuildOutcome>();
  if (!haveOutcome) {
    const auto& rq = rt->request;
    rewrite = [dir = rt->dir, stem = rq.stem().empty() ? std::string("circuit") : rq.stem(), netlist = rq.netlist(),
               opts = hdf5OptionsJson(rq.options(), rq.params()), id = rq.job_id(), rebuilt] {
      *rebuilt = rebuildResultsFromStream(dir, stem, netlist, opts, id);
      if (!rebuilt->error.empty()) Log("job.results_rebuild_failed").str("job", id).str("error", rebuilt->error).warn();
    };
    {
      std::lock_guard<std::mutex> g(rt->mu);
      deferRewrite = rt->stopRequested && !rt->interrupted;
    }
    if (!deferRewrite) rewrite();
  }
  std::unique_lock<std::mutex> lk(rt->mu);
  if (deferRewrite) rt->rewriting = true;
  pb::Job& job = rt->job;
  if (haveOutcome) {
    *job.mutable_stats() = outcome.stats();
    job.mutable_results()->CopyFrom(outcome.results());
  } else {
    scanResults(rt->dir, true, job);
    applyRows(*rebuilt, job);
  }
  job.set_disk_bytes(dirBytes(rt->dir));
  job.mutable_stats()->set_cpu_seconds(ended.cpuSeconds);
  job.mutable_stats()->set_max_rss_kb(ended.maxRssKb);
  if (rt->interrupted) {
    job.set_state(pb::JOB_STATE_INTERRUPTED);
    setError(job, pb::ERROR_CODE_INTERRUPTED, "the server stopped while the job was running; rows computed before that are kept");
  } else if (rt->stopRequested) {
    job.set_state(pb::JOB_STATE_CANCELLED);
    setError(job, pb::ERROR_CODE_CANCELLED, "stopped by the user");
  } else if (!rt->killReason.empty()) {
    job.set_state(pb::JOB_STATE_FAILED);
    setError(job, pb::ERROR_CODE_LIMIT, rt->killReason);
  } else if (haveOutcome && outcome.ok()) {
    job.set_state(pb::JOB_STATE_SUCCEEDED);
    job.set_progress(1.0);
  } else if (haveOutcome) {
    job.set_state(pb::JOB_STATE_FAILED);
    *job.mutable_error() = outcome.error();
  } else if (WIFSIGNALED(status)) {
    job.set_state(pb::JOB_STATE_FAILED);
    setError(job, WTERMSIG(status) == SIGXCPU ? pb::ERROR_CODE_LIMIT : pb::ERROR_CODE_CRASHED,
             workerSignalReason(WTERMSIG(status), rt->limits.maxCpuSeconds));
  } else {
    job.set_state(pb::JOB_STATE_FAILED);
    std::string why = st == ReadStatus::Eof ? "" : std::string(" (") + readStatusName(st) + ")";
    setError(job, pb::ERROR_CODE_CRASHED,
             "the worker process exited with status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                 " without a result" + why + "; see worker.log in the job directory");
  }
  finish(rt, lk);
  std::string owner = job.owner();
  const std::int64_t diskAtFinish = job.disk_bytes();
  lk.unlock();
  addDisk(owner, diskAtFinish, rt.get());
  if (deferRewrite) {
    rewrite();
    lk.lock();
    scanResults(rt->dir, true, job);  // sizes of the rewritten files
    applyRows(*rebuilt, job);
    job.set_disk_bytes(dirBytes(rt->dir));
    const std::int64_t delta = job.disk_bytes() - diskAtFinish;
    rt->rewriting = false;
    persist(job);
    rt->cv.notify_all();
    lk.unlock();
    addDisk(owner, delta, nullptr);
  }
  {
    std::lock_guard<std::mutex> l(mu_);
    readers_--;
  }
  cv_.notify_all();
}

JobManager::Counts JobManager::counts() {
  std::lock_guard<std::mutex> l(mu_);
  return {static_cast<int>(queue_.size()), running_};
}

}  // namespace simcore::server
