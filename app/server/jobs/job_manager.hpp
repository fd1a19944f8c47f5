// Runs jobs in worker processes: a FIFO queue, at most `workers` processes at
// a time, one fresh `simcore worker` process per job (fork + exec of this
// binary, with RLIMIT_AS / RLIMIT_CPU set between the two: worker_process.hpp).
//
// Per running job one reader thread takes the worker's frames off its stdout
// pipe and appends the chunk frames to DATA/jobs/<id>/stream.frames; that file
// is the job's waveform log, which StreamWaveforms tails (live) or replays
// (finished, also after a restart). `committed` counts the bytes of whole
// frames in it. When the pipe closes the reader reaps the worker (wait4) and
// decides the outcome: the worker's Outcome frame if it sent one, else the
// signal or exit status that ended it. Nothing a worker does can end the
// server: at worst its own job fails with the reason.
//
// Locking: JobManager::mu_ (queue, counters) and JobRuntime::mu (one job) are
// never held together.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "jobs/parse_process.hpp"
#include "simcore/v1/simulator.pb.h"
#include "storage/store.hpp"
#include "limits/limits.hpp"

namespace simcore::server {

struct JobRuntime {
  std::mutex mu;
  std::condition_variable cv;         // notified on every committed chunk and at the end
  ::simcore::v1::Job job;             // guarded by mu
  ::simcore::v1::WorkerRequest request;
  std::string dir;                    // DATA/jobs/<id>
  std::int64_t committed = 0;         // bytes of whole frames in dir/stream.frames
  bool finished = false;
  // A stopped job whose worker had to be killed: finished (StopSimulation has
  // returned) while its result files are rewritten from the waveform log;
  // GetResult waits for this to clear.
  bool rewriting = false;
  pid_t pid = -1;
  bool stopRequested = false;
  bool interrupted = false;           // server shutdown
  std::string killReason;             // set when the server killed it (wall time)
  std::chrono::steady_clock::time_point startedAt;
  Limits limits;                      // of the owner, when the job was submitted
  // Disk: the directory's size as last measured while the job runs (0 once
  // it is counted in the owner's finished total), and what it may reach
  // (its own cap, or what is left of the owner's quota when it started).
  std::atomic<std::int64_t> diskBytes{0};
  std::int64_t diskAllowance = 0;
  std::string diskLimitText;          // "its output limit of 1024 MiB" / "the disk quota of user 'ann' ..."
  bool termSent = false;              // SIGUSR1 for the disk limit; SIGKILL follows after kTermGrace
  std::chrono::steady_clock::time_point termSentAt;
};

class JobManager {
 public:
  // workers: worker processes at a time; defaults: every user's limits,
  // overridden per role and user by limitsFile (see limits/limits.hpp; empty for none).
  JobManager(Store& store, int workers, Limits defaults, std::string dataDir, std::string selfExe,
             std::string limitsFile = {});
  ~JobManager();

  // Marks jobs left queued/running by a previous server process as interrupted,
  // then starts the dispatcher thread.
  void start();
  // Kills running workers, marks their jobs and the queued ones interrupted.
  void shutdown();

  // Queues a job (its state QUEUED, request filled). False with `why` when
  // the owner is at the quota.
  bool submit(const std::shared_ptr<JobRuntime>& rt, std::string& why);
  // An active or recently finished job; nullptr when the manager does not hold it.
  std::shared_ptr<JobRuntime> find(const std::string& id);
  // Stops the job and returns its final state (CANCELLED, or what it had
  // already reached). Waits until the worker has ended.
  ::simcore::v1::Job stop(const std::shared_ptr<JobRuntime>& rt);

  // Jobs waiting in the queue and worker processes running now (for
  // /healthz and /metrics).
  struct Counts {
    int queued = 0;
    int running = 0;
  };
  Counts counts();

  int workers() const { return workers_; }
  // Reads the limits file (false with `err` when it exists but does not parse).
  bool loadUserLimits(std::string& err) { return userLimits_.load(err); }
  // The limits file's overrides in force.
  LimitsFile userLimitsFile() { return userLimits_.file(); }
  // The limits in force for this caller (the file is re-read when it changed).
  Limits limitsFor(const std::string& user, const std::string& role);
  std::string jobDir(const std::string& id) const { return dataDir_ + "/jobs/" + id; }
  // The job as persisted (its row's blob).
  bool persist(const ::simcore::v1::Job& job);

  // Netlists are parsed and checked in processes of their own (at most
  // 2 x workers + 2 at a time).
  ParseRunner& parser() { return parser_; }

  // Disk: what the user's jobs hold (finished ones as recorded, running ones
  // as last measured) plus the netlists of their sessions.
  std::int64_t diskUsed(const std::string& user);
  // False with `why` when that is already at the user's quota (max_disk_mb).
  bool diskAllows(const std::string& user, const Limits& lim, std::string& why);

  // Deletes a job: stops it if it is queued or running, removes its
  // directory and its row. `freed`: the bytes its directory held. False with
  // `err` when the store refused.
  bool deleteJob(const std::string& id, std::int64_t& freed, std::string& err);

  // Retention, run every `sweepEvery` by a thread of its own from start():
  // finished jobs older than their owner's max_age_days, then those beyond
  // the owner's max_kept_mb and beyond `maxTotalKeptMb` over all users
  // (0: no global bound), oldest first, are deleted. Returns how many.
  void setRetention(std::int64_t maxTotalKeptMb, std::chrono::milliseconds sweepEvery);
  int sweep();

  // The size of the files in a directory (not recursive), bytes.
  static std::int64_t dirBytes(const std::string& dir);

  static constexpr std::chrono::milliseconds kTermGrace{2000};

 private:
  void dispatchLoop();
  void launch(const std::shared_ptr<JobRuntime>& rt);
  void readLoop(std::shared_ptr<JobRuntime> rt, int outFd, int logFd, pid_t pid);
  // Under rt->mu: final state, persisted, waiters woken. Then counters.
  void finish(const std::shared_ptr<JobRuntime>& rt, std::unique_lock<std::mutex>& lk);
  void release(const std::string& owner);
  // Moves `bytes` into the owner's finished total (rt: its running measure is cleared).
  void addDisk(const std::string& owner, std::int64_t bytes, JobRuntime* rt);
  // Measures the running job's directory; past its allowance, asks it to stop.
  void checkDisk(const std::shared_ptr<JobRuntime>& rt);
  void sweepLoop();

  Store& store_;
  int workers_;
  LimitsTable userLimits_;
  std::string dataDir_, selfExe_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<JobRuntime>> queue_;
  std::map<std::string, std::shared_ptr<JobRuntime>> jobs_;
  std::map<std::string, int> active_;  // per owner: queued + running
  int running_ = 0;
  int readers_ = 0;
  bool stopping_ = false;
  std::thread dispatcher_;
  std::map<std::string, std::int64_t> diskUsed_;  // per owner: bytes of finished jobs
  std::map<std::string, std::string> roles_;      // per user: the role last seen (for the sweeper's limits)
  std::int64_t maxTotalKeptMb_ = 0;
  std::chrono::milliseconds sweepEvery_{300000};
  std::thread sweeper_;
  ParseRunner parser_;
};

std::int64_t nowUnixMs();
// "12.3 MiB" for a byte count (job_disk.cpp).
std::string mibText(std::int64_t bytes);
// The result files found in a job directory (after a crash or restart: partial).
void scanResults(const std::string& dir, bool partial, ::simcore::v1::Job& job);

}  // namespace simcore::server
