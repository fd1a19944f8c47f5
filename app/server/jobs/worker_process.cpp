#include "jobs/worker_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace simcore::server {

bool spawnWorker(const WorkerSpawn& spec, WorkerProcess& out, std::string& err) {
  int req[2], res[2];
  if (::pipe2(req, O_CLOEXEC) != 0) {
    err = std::string("pipe: ") + std::strerror(errno);
    return false;
  }
  if (::pipe2(res, O_CLOEXEC) != 0) {
    err = std::string("pipe: ") + std::strerror(errno);
    ::close(req[0]);
    ::close(req[1]);
    return false;
  }
  int errFd = ::open(spec.stderrPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const char* jobArgv[] = {spec.exe.c_str(), "worker", "--job", spec.jobId.c_str(), nullptr};
  const char* parseArgv[] = {spec.exe.c_str(), "worker", "--parse", nullptr};
  const char** argv = spec.parse ? parseArgv : jobArgv;
  rlimit as{rlim_t(spec.memoryMb) << 20, rlim_t(spec.memoryMb) << 20};
  rlimit cpu{rlim_t(spec.cpuSeconds), rlim_t(spec.cpuSeconds) + 5};
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid == 0) {
    // Child: async-signal-safe calls only until exec.
    ::dup2(req[0], 0);
    ::dup2(res[1], 1);
    if (errFd >= 0) ::dup2(errFd, 2);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);  // the server blocks SIGTERM/SIGINT in its threads
    ::setrlimit(RLIMIT_AS, &as);
    ::setrlimit(RLIMIT_CPU, &cpu);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(126);
    ::execv(argv[0], const_cast<char* const*>(argv));
    ::_exit(127);
  }
  const int forkErrno = errno;
  ::close(req[0]);
  ::close(res[1]);
  if (errFd >= 0) ::close(errFd);
  if (pid < 0) {
    ::close(req[1]);
    ::close(res[0]);
    err = std::string("fork: ") + std::strerror(forkErrno);
    return false;
  }
  out.pid = pid;
  out.requestFd = req[1];
  out.outputFd = res[0];
  return true;
}

WorkerExit reapWorker(pid_t pid) {
  WorkerExit e;
  rusage ru{};
  while (::wait4(pid, &e.status, 0, &ru) < 0 && errno == EINTR) {
  }
  e.cpuSeconds = double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                 1e-6 * double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
  e.maxRssKb = ru.ru_maxrss;
  return e;
}

std::string workerSignalReason(int sig, std::int64_t cpuSeconds) {
  switch (sig) {
    case SIGKILL: return "the worker process was killed (SIGKILL)";
    case SIGXCPU:
      return "the job exceeded its CPU time limit of " + std::to_string(cpuSeconds) + " s (SIGXCPU)";
    case SIGSEGV: return "the worker process crashed (SIGSEGV)";
    case SIGABRT: return "the worker process aborted (SIGABRT), possibly out of its memory limit";
    case SIGTERM: return "the worker process was terminated (SIGTERM)";
    default: return std::string("the worker process was killed by signal ") + std::to_string(sig) + " (" +
                    strsignal(sig) + ")";
  }
}

}  // namespace simcore::server
