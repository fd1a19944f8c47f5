// Starting and reaping one `simcore worker` process (POSIX): the mechanics
// under JobManager, which decides what a job's end means.
//
// spawnWorker forks and execs `EXE worker --job ID` (or `EXE worker --parse`) with
//   stdin  <- a pipe the caller writes the request frame into (requestFd)
//   stdout -> a pipe the caller reads frames from (outputFd)
//   stderr -> LOGFILE (created or truncated; the process keeps no stderr when it cannot be opened)
// and, between fork and exec, an empty signal mask, RLIMIT_AS and RLIMIT_CPU
// from the limits, and SIGKILL when the server dies (PR_SET_PDEATHSIG).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace simcore::server {

struct WorkerSpawn {
  std::string exe;           // this executable
  std::string jobId;         // shown in ps as `worker --job ID`
  std::string stderrPath;    // the worker's stderr goes here
  std::int64_t memoryMb = 0;    // RLIMIT_AS
  std::int64_t cpuSeconds = 0;  // RLIMIT_CPU soft limit (hard: +5 s, then SIGKILL)
  bool parse = false;           // `EXE worker --parse` instead (parse_process.hpp); jobId unused
};

struct WorkerProcess {
  pid_t pid = -1;
  int requestFd = -1;  // write end of the worker's stdin (close it after the request)
  int outputFd = -1;   // read end of the worker's stdout
};

// False with `err` ("pipe: ...", "fork: ...") when no process was started;
// then no descriptor is left open.
bool spawnWorker(const WorkerSpawn& spec, WorkerProcess& out, std::string& err);

struct WorkerExit {
  int status = 0;         // as from wait(2): WIFSIGNALED / WTERMSIG / WEXITSTATUS
  double cpuSeconds = 0;  // user + system
  long maxRssKb = 0;
};

// Waits for the process to end (retrying on EINTR).
WorkerExit reapWorker(pid_t pid);

// Why a worker died of `sig`, for the job's error message (`cpuSeconds` is
// its CPU limit, named for SIGXCPU).
std::string workerSignalReason(int sig, std::int64_t cpuSeconds);

}  // namespace simcore::server
