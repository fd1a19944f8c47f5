// Per-user job limits. `simcore serve`'s command line (or its config file)
// gives the defaults; an optional limits file (DATA/limits.toml, or
// --limits-file) overrides them by role and by user:
//
//   # simcore serve limits (TOML): tables [role.NAME] and [user.NAME]
//   [role.user]
//   max_jobs = 2
//   max_wall_seconds = 120
//   [user.ann]
//   max_jobs = 8
//   max_unknowns = 1_000_000
//
// A user's limits are: defaults, then their role's table, then their own
// table. Keys: the `key` column of limitSpecs().
//
// The older INI form (sections `[role NAME]` / `[user NAME]`, `key = number`,
// `#` comments; DATA/limits.conf) is still read, flagged deprecated: a file
// is read as INI when it is not valid TOML and a section header has a blank
// inside its brackets.
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
#include <span>
#include <string>
#include <type_traits>
#include <variant>

namespace simcore::server {

// The limits of one user's jobs.
struct Limits {
  std::int64_t maxJobs = 4;              // queued + running
  std::int64_t maxNetlistBytes = 4 << 20;
  std::int64_t maxUnknowns = 200000;
  std::int64_t maxTimePoints = 20000000;
  double maxWallSeconds = 600;
  std::int64_t maxCpuSeconds = 600;      // RLIMIT_CPU of the worker
  std::int64_t maxMemoryMb = 2048;       // RLIMIT_AS of the worker (and of the process that parses a netlist)
  std::int64_t maxAnalyses = 100;        // analysis cards a job's options may give
  std::int64_t maxOutputMb = 1024;       // disk one job may fill (result files + waveform log), MiB
  std::int64_t maxDiskMb = 10240;        // disk all of a user's jobs may hold (quota), MiB
  double maxAgeDays = 30;                // finished jobs older than this are deleted (0: never)
  std::int64_t maxKeptMb = 8192;         // finished jobs beyond this much disk, oldest first, are deleted (0: never)
  std::int64_t maxThreads = 2;           // threads one job may ask for (SimulationOptions.threads)
};

// One limit: its key in a limits file, its `simcore serve` option, the range
// both accept, and the member of Limits it sets.
struct LimitSpec {
  const char* key;     // "max_jobs"
  const char* option;  // "--max-jobs-per-user"
  double lo, hi;
  const char* help;
  std::variant<std::int64_t Limits::*, double Limits::*> member;

  double get(const Limits& l) const {
    return std::visit([&l](auto m) { return double(l.*m); }, member);
  }
  // Integer limits take the integer part of v.
  void set(Limits& l, double v) const {
    std::visit([&l, v](auto m) { l.*m = std::remove_reference_t<decltype(l.*m)>(v); }, member);
  }
};
std::span<const LimitSpec> limitSpecs();

// Parsed overrides: one entry per table, only the keys it sets.
struct LimitsFile {
  struct Section {
    std::map<std::string, double> values;  // key -> value
  };
  std::map<std::string, Section> roles, users;
  bool legacyIni = false;  // read in the deprecated INI form
};

// Parses the text of a limits file (TOML, or the deprecated INI form). On
// error returns false with "NAME:LINE: what was expected" in `err`.
bool parseLimitsFile(const std::string& text, const std::string& name, LimitsFile& out, std::string& err);

// The TOML form of a parsed file (what a deprecated INI file should become).
std::string limitsFileToToml(const LimitsFile& file);

// `base` with the role's and then the user's overrides applied.
Limits resolveLimits(const Limits& base, const LimitsFile& file, const std::string& user, const std::string& role);

class LimitsTable {
 public:
  // path empty: defaults only. The file is looked at no more often than
  // every `checkEvery`.
  LimitsTable(Limits defaults, std::string path,
              std::chrono::milliseconds checkEvery = std::chrono::milliseconds(1000))
      : defaults_(defaults), path_(std::move(path)), checkEvery_(checkEvery) {}

  // First read (a missing file is fine: defaults only). False with `err` when
  // the file exists but cannot be read or parsed.
  bool load(std::string& err);
  // The limits in force for this caller; re-reads the file when it changed.
  // `reloadError` (optional) receives a parse error of a changed file, once.
  Limits forUser(const std::string& user, const std::string& role, std::string* reloadError = nullptr);
  const Limits& defaults() const { return defaults_; }
  const std::string& path() const { return path_; }
  // The overrides in force (as last read).
  LimitsFile file();

 private:
  bool readFile(LimitsFile& out, std::string& err, bool& exists, std::int64_t& mtimeNs);
  Limits defaults_;
  std::string path_;
  std::chrono::milliseconds checkEvery_;
  std::mutex mu_;
  LimitsFile file_;
  std::int64_t mtimeNs_ = -1;     // of the version in file_; -1: no file
  std::int64_t failedMtimeNs_ = -2;  // a version that did not parse (reported once)
  std::chrono::steady_clock::time_point lastCheck_{};
};

}  // namespace simcore::server
