#include "user_limits.hpp"

#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace simcore::server {

namespace {

struct KeyInfo {
  const char* name;
  double lo, hi;
};

// Accepted keys and their ranges (the same as the command-line options).
constexpr KeyInfo kKeys[] = {
    {"max_jobs", 1, 100000},         {"max_netlist_bytes", 1, 1e9},   {"max_unknowns", 1, 1e9},
    {"max_time_points", 1, 1e12},    {"max_wall_seconds", 0.01, 1e7}, {"max_cpu_seconds", 1, 1e7},
    {"max_memory_mb", 64, 1e7},
};

const KeyInfo* findKey(const std::string& k) {
  for (const auto& ki : kKeys)
    if (k == ki.name) return &ki;
  return nullptr;
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
  for (const auto& ki : kKeys) s += (s.empty() ? "" : ", ") + std::string(ki.name);
  return s;
}

void apply(JobLimits& l, const LimitsFile::Section& sec) {
  for (const auto& [k, v] : sec.values) {
    if (k == "max_jobs") l.maxJobs = std::int64_t(v);
    else if (k == "max_netlist_bytes") l.maxNetlistBytes = std::int64_t(v);
    else if (k == "max_unknowns") l.maxUnknowns = std::int64_t(v);
    else if (k == "max_time_points") l.maxTimePoints = std::int64_t(v);
    else if (k == "max_wall_seconds") l.maxWallSeconds = v;
    else if (k == "max_cpu_seconds") l.maxCpuSeconds = std::int64_t(v);
    else if (k == "max_memory_mb") l.maxMemoryMb = std::int64_t(v);
  }
}

}  // namespace

bool parseLimitsFile(const std::string& text, const std::string& name, LimitsFile& out, std::string& err) {
  out = {};
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
    const KeyInfo* ki = findKey(key);
    if (!ki) return fail("unknown key '" + key + "' (known: " + keyList() + ")");
    if (!cur) return fail("'" + key + "' before any section: start with '[role user]' or '[user NAME]'");
    char* end = nullptr;
    errno = 0;
    double v = std::strtod(val.c_str(), &end);
    if (val.empty() || !end || *end || errno == ERANGE || !std::isfinite(v))
      return fail("expected a number for '" + key + "', got '" + val + "'");
    if (v < ki->lo || v > ki->hi) {
      std::ostringstream r;
      r << key << " = " << val << " is out of range (" << ki->lo << " .. " << ki->hi << ")";
      return fail(r.str());
    }
    cur->values[key] = v;
  }
  return true;
}

JobLimits resolveLimits(const JobLimits& base, const LimitsFile& file, const std::string& user, const std::string& role) {
  JobLimits l = base;
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

JobLimits LimitsTable::forUser(const std::string& user, const std::string& role, std::string* reloadError) {
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
