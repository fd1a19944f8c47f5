#include "limits/limits.hpp"

#include <sys/stat.h>

#include <cctype>
#include <charconv>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include <toml++/toml.h>

namespace simcore::server {

namespace {

// Accepted keys, their command-line options and ranges.
constexpr LimitSpec kSpecs[] = {
    {"max_jobs", "--max-jobs-per-user", 1, 100000, "queued + running jobs per user", &Limits::maxJobs},
    {"max_netlist_bytes", "--max-netlist-bytes", 1, 1e9, "largest netlist, bytes", &Limits::maxNetlistBytes},
    {"max_unknowns", "--max-unknowns", 1, 1e9, "most unknowns of a circuit", &Limits::maxUnknowns},
    {"max_time_points", "--max-time-points", 1, 1e12, "most time points of a transient", &Limits::maxTimePoints},
    {"max_wall_seconds", "--max-wall-seconds", 0.01, 1e7, "wall time of a job, s", &Limits::maxWallSeconds},
    {"max_cpu_seconds", "--max-cpu-seconds", 1, 1e7, "CPU time of a worker (RLIMIT_CPU), s", &Limits::maxCpuSeconds},
    {"max_memory_mb", "--max-memory-mb", 64, 1e7, "address space of a worker (RLIMIT_AS), MiB", &Limits::maxMemoryMb},
    {"max_analyses", "--max-analyses", 1, 100000, "analysis cards in a job's options", &Limits::maxAnalyses},
    {"max_output_mb", "--max-output-mb", 1, 1e9, "disk one job may fill (results + waveform log), MiB",
     &Limits::maxOutputMb},
    {"max_disk_mb", "--max-disk-mb", 1, 1e9, "disk all of a user's jobs may hold (quota), MiB", &Limits::maxDiskMb},
    {"max_age_days", "--max-age-days", 0, 1e6, "finished jobs older than this are deleted (0: never), days",
     &Limits::maxAgeDays},
    {"max_kept_mb", "--max-kept-mb", 0, 1e9, "a user's finished jobs beyond this much disk are deleted, oldest first "
     "(0: never), MiB", &Limits::maxKeptMb},
    {"max_threads", "--max-job-threads", 1, 256, "threads one job may ask for (device evaluation of large circuits)",
     &Limits::maxThreads},
};

const LimitSpec* findKey(const std::string& k) {
  for (const auto& ki : kSpecs)
    if (k == ki.key) return &ki;
  return nullptr;
}

std::string rangeError(const LimitSpec& ki, const std::string& val) {
  std::ostringstream r;
  r << ki.key << " = " << val << " is out of range (" << ki.lo << " .. " << ki.hi << ")";
  return r.str();
}

std::string trim(const std::string& s) {
  std::size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  std::size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

bool validName(const std::string& n) {
  if (n.empty() || n.size() > 64) return false;
  for (char c : n)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '@' || c == '-')) return false;
  return true;
}

std::string keyList() {
  std::string s;
  for (const auto& ki : kSpecs) s += (s.empty() ? "" : ", ") + std::string(ki.key);
  return s;
}

void apply(Limits& l, const LimitsFile::Section& sec) {
  for (const auto& [k, v] : sec.values)
    if (const LimitSpec* ki = findKey(k)) ki->set(l, v);
}

// The deprecated INI form: a bracketed header with a blank inside.
bool looksLikeIni(const std::string& text) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    line = trim(line);
    if (line.empty() || line.front() != '[') continue;
    std::string inner = line.substr(1, line.find(']') == std::string::npos ? std::string::npos : line.find(']') - 1);
    if (inner.find_first_of(" \t") != std::string::npos) return true;
  }
  return false;
}

bool parseToml(const std::string& text, const std::string& name, LimitsFile& out, std::string& err) {
  toml::table root;
  try {
    root = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    err = name + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description());
    return false;
  }
  auto fail = [&](const toml::node& at, const std::string& what) {
    err = name + ":" + std::to_string(at.source().begin.line) + ": " + what;
    return false;
  };
  for (auto&& [kind, group] : root) {
    const std::string k(kind.str());
    if (!group.is_table())
      return fail(group, "'" + k + "' before any section: start with [role.user] or [user.NAME]");
    if (k != "role" && k != "user")
      return fail(group, "unknown table '" + k + "' (expected [role.NAME] or [user.NAME])");
    for (auto&& [whoKey, body] : *group.as_table()) {
      const std::string who(whoKey.str());
      if (k == "role" && who != "user" && who != "admin")
        return fail(body, "unknown role '" + who + "' (roles are user and admin)");
      if (!validName(who))
        return fail(body, "'" + who + "' is not a user name ([A-Za-z0-9_.@-], at most 64 characters)");
      const toml::table* keys = body.as_table();
      if (!keys) return fail(body, "[" + k + "." + who + "] must be a table of limits");
      LimitsFile::Section& sec = k == "role" ? out.roles[who] : out.users[who];
      for (auto&& [keyName, val] : *keys) {
        const std::string key(keyName.str());
        const LimitSpec* ki = findKey(key);
        if (!ki) return fail(val, "unknown key '" + key + "' (known: " + keyList() + ")");
        std::optional<double> v = val.is_number() ? val.value<double>() : std::nullopt;
        if (!v || !std::isfinite(*v)) return fail(val, "expected a number for '" + key + "'");
        if (*v < ki->lo || *v > ki->hi) {
          std::ostringstream vs;
          vs << *v;
          return fail(val, rangeError(*ki, vs.str()));
        }
        sec.values[key] = *v;
      }
    }
  }
  return true;
}

bool parseIni(const std::string& text, const std::string& name, LimitsFile& out, std::string& err) {
  out.legacyIni = true;
  LimitsFile::Section* cur = nullptr;
  std::istringstream in(text);
  std::string raw;
  int lineNo = 0;
  auto fail = [&](const std::string& what) {
    err = name + ":" + std::to_string(lineNo) + ": " + what;
    return false;
  };
  while (std::getline(in, raw)) {
    ++lineNo;
    std::string line = raw;
    if (std::size_t h = line.find('#'); h != std::string::npos) line.resize(h);
    line = trim(line);
    if (line.empty()) continue;
    if (line.front() == '[') {
      if (line.back() != ']') return fail("expected a section header '[role NAME]' or '[user NAME]'");
      std::istringstream hs(line.substr(1, line.size() - 2));
      std::string kind, who, extra;
      hs >> kind >> who >> extra;
      if ((kind != "role" && kind != "user") || who.empty() || !extra.empty())
        return fail("expected a section header '[role NAME]' or '[user NAME]', got '" + line + "'");
      if (kind == "role" && who != "user" && who != "admin")
        return fail("unknown role '" + who + "' (roles are user and admin)");
      if (!validName(who)) return fail("'" + who + "' is not a user name ([A-Za-z0-9_.@-], at most 64 characters)");
      cur = kind == "role" ? &out.roles[who] : &out.users[who];
      continue;
    }
    std::size_t eq = line.find('=');
    if (eq == std::string::npos) return fail("expected 'key = number' or a section header, got '" + line + "'");
    std::string key = trim(line.substr(0, eq)), val = trim(line.substr(eq + 1));
    const LimitSpec* ki = findKey(key);
    if (!ki) return fail("unknown key '" + key + "' (known: " + keyList() + ")");
    if (!cur) return fail("'" + key + "' before any section: start with '[role user]' or '[user NAME]'");
    char* end = nullptr;
    errno = 0;
    double v = std::strtod(val.c_str(), &end);
    if (val.empty() || !end || *end || errno == ERANGE || !std::isfinite(v))
      return fail("expected a number for '" + key + "', got '" + val + "'");
    if (v < ki->lo || v > ki->hi) return fail(rangeError(*ki, val));
    cur->values[key] = v;
  }
  return true;
}

}  // namespace

std::span<const LimitSpec> limitSpecs() { return kSpecs; }

bool parseLimitsFile(const std::string& text, const std::string& name, LimitsFile& out, std::string& err) {
  out = {};
  if (looksLikeIni(text)) {
    // Valid TOML never has a blank inside a bare table name, so this is the old form.
    return parseIni(text, name, out, err);
  }
  return parseToml(text, name, out, err);
}

std::string limitsFileToToml(const LimitsFile& file) {
  std::string out;
  auto table = [&](const char* kind, const std::map<std::string, LimitsFile::Section>& m) {
    for (const auto& [who, sec] : m) {
      // Names are [A-Za-z0-9_.@-]; TOML's bare keys lack '.' and '@'.
      const bool bare = who.find_first_of(".@") == std::string::npos;
      out += std::string("[") + kind + "." + (bare ? who : "\"" + who + "\"") + "]\n";
      for (const auto& [k, v] : sec.values) {
        char num[32];
        auto r = std::to_chars(num, num + sizeof num, v);  // shortest text that reads back as v
        out += k + " = " + std::string(num, r.ptr) + "\n";
      }
    }
  };
  table("role", file.roles);
  table("user", file.users);
  return out;
}

Limits resolveLimits(const Limits& base, const LimitsFile& file, const std::string& user, const std::string& role) {
  Limits l = base;
  if (auto it = file.roles.find(role); it != file.roles.end()) apply(l, it->second);
  if (auto it = file.users.find(user); it != file.users.end()) apply(l, it->second);
  return l;
}

bool LimitsTable::readFile(LimitsFile& out, std::string& err, bool& exists, std::int64_t& mtimeNs) {
  exists = false;
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) {
    if (errno == ENOENT) return true;
    err = path_ + ": " + std::strerror(errno);
    return false;
  }
  exists = true;
  mtimeNs = std::int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  std::ifstream f(path_, std::ios::binary);
  if (!f) {
    err = path_ + ": cannot be read";
    return false;
  }
  std::ostringstream ss;
  ss << f.rdbuf();
  return parseLimitsFile(ss.str(), path_, out, err);
}

bool LimitsTable::load(std::string& err) {
  if (path_.empty()) return true;
  std::lock_guard<std::mutex> l(mu_);
  LimitsFile f;
  bool exists = false;
  std::int64_t mt = -1;
  if (!readFile(f, err, exists, mt)) return false;
  file_ = std::move(f);
  mtimeNs_ = exists ? mt : -1;
  lastCheck_ = std::chrono::steady_clock::now();
  return true;
}

LimitsFile LimitsTable::file() {
  std::lock_guard<std::mutex> l(mu_);
  return file_;
}

Limits LimitsTable::forUser(const std::string& user, const std::string& role, std::string* reloadError) {
  std::lock_guard<std::mutex> l(mu_);
  if (!path_.empty()) {
    auto now = std::chrono::steady_clock::now();
    if (now - lastCheck_ >= checkEvery_) {
      lastCheck_ = now;
      struct stat st {};
      std::int64_t mt = ::stat(path_.c_str(), &st) == 0
                            ? std::int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec
                            : -1;
      if (mt != mtimeNs_ && mt != failedMtimeNs_) {
        if (mt == -1) {  // removed: back to the defaults
          file_ = {};
          mtimeNs_ = -1;
        } else {
          LimitsFile f;
          std::string err;
          bool exists = false;
          std::int64_t readMt = mt;
          if (readFile(f, err, exists, readMt)) {
            file_ = std::move(f);
            mtimeNs_ = exists ? readMt : -1;
          } else {
            failedMtimeNs_ = mt;
            if (reloadError) *reloadError = err + " (keeping the limits in force)";
          }
        }
      }
    }
  }
  return resolveLimits(defaults_, file_, user, role);
}

}  // namespace simcore::server
