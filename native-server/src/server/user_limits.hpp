// Per-user job limits. The command line gives the defaults; an optional file
// (DATA/limits.conf, or --limits-file) overrides them by role and by user:
//
//   # simcore serve limits: `key = number`, sections [role NAME] and [user NAME]
//   [role user]
//   max_jobs = 2
//   max_wall_seconds = 120
//   [user ann]
//   max_jobs = 8
//   max_unknowns = 1000000
//
// A user's limits are: defaults, then their role's section, then their own
// section. Keys: max_jobs (queued + running), max_netlist_bytes, max_unknowns,
// max_time_points, max_wall_seconds, max_cpu_seconds, max_memory_mb.
//
// The file is read again when its modification time changes (checked at most
// once a second), so limits change without a restart. A file that does not
// parse is refused at start-up with file:line; later it keeps the limits in
// force and reports the error once per change.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace simcore::server {

struct JobLimits {
  std::int64_t maxJobs = 4;              // queued + running, per user
  std::int64_t maxNetlistBytes = 4 << 20;
  std::int64_t maxUnknowns = 200000;
  std::int64_t maxTimePoints = 20000000;
  double maxWallSeconds = 600;
  std::int64_t maxCpuSeconds = 600;      // RLIMIT_CPU of the worker
  std::int64_t maxMemoryMb = 2048;       // RLIMIT_AS of the worker
};

// Parsed overrides: one entry per section, only the keys it sets.
struct LimitsFile {
  struct Section {
    std::map<std::string, double> values;  // key -> value, keys as in the file
  };
  std::map<std::string, Section> roles, users;
};

// Parses the text of a limits file. On error returns false with
// "NAME:LINE: what was expected" in `err`.
bool parseLimitsFile(const std::string& text, const std::string& name, LimitsFile& out, std::string& err);

// `base` with the role's and then the user's overrides applied.
JobLimits resolveLimits(const JobLimits& base, const LimitsFile& file, const std::string& user, const std::string& role);

class LimitsTable {
 public:
  // path empty: defaults only. The file is looked at no more often than
  // every `checkEvery`.
  LimitsTable(JobLimits defaults, std::string path,
              std::chrono::milliseconds checkEvery = std::chrono::milliseconds(1000))
      : defaults_(defaults), path_(std::move(path)), checkEvery_(checkEvery) {}

  // First read (a missing file is fine: defaults only). False with `err` when
  // the file exists but cannot be read or parsed.
  bool load(std::string& err);
  // The limits in force for this caller; re-reads the file when it changed.
  // `reloadError` (optional) receives a parse error of a changed file, once.
  JobLimits forUser(const std::string& user, const std::string& role, std::string* reloadError = nullptr);
  const JobLimits& defaults() const { return defaults_; }
  const std::string& path() const { return path_; }

 private:
  bool readFile(LimitsFile& out, std::string& err, bool& exists, std::int64_t& mtimeNs);
  JobLimits defaults_;
  std::string path_;
  std::chrono::milliseconds checkEvery_;
  std::mutex mu_;
  LimitsFile file_;
  std::int64_t mtimeNs_ = -1;     // of the version in file_; -1: no file
  std::int64_t failedMtimeNs_ = -2;  // a version that did not parse (reported once)
  std::chrono::steady_clock::time_point lastCheck_{};
};

}  // namespace simcore::server
