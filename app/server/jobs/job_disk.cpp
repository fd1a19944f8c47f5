// JobManager's disk accounting, deletion and retention (job_manager.hpp).
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "jobs/job_manager.hpp"
#include "observability/log.hpp"

namespace simcore::server {

namespace pb = ::simcore::v1;
using Clock = std::chrono::steady_clock;

namespace {

bool isFinal(pb::JobState s) {
  return s == pb::JOB_STATE_SUCCEEDED || s == pb::JOB_STATE_FAILED || s == pb::JOB_STATE_CANCELLED ||
         s == pb::JOB_STATE_INTERRUPTED;
}

// Removes the files of a job directory, then the directory (job directories
// hold files only).
void removeDir(const std::string& dir) {
  if (DIR* d = ::opendir(dir.c_str())) {
    std::vector<std::string> names;
    while (dirent* e = ::readdir(d))
      if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) names.emplace_back(e->d_name);
    ::closedir(d);
    for (const auto& n : names) ::unlink((dir + "/" + n).c_str());
  }
  ::rmdir(dir.c_str());
}

}  // namespace

std::string mibText(std::int64_t bytes) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f MiB", double(bytes) / double(1 << 20));
  return b;
}

std::int64_t JobManager::dirBytes(const std::string& dir) {
  std::int64_t total = 0;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return 0;
  while (dirent* e = ::readdir(d)) {
    struct stat sb {};
    if (::fstatat(::dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(sb.st_mode)) total += sb.st_size;
  }
  ::closedir(d);
  return total;
}

void JobManager::addDisk(const std::string& owner, std::int64_t bytes, JobRuntime* rt) {
  std::lock_guard<std::mutex> l(mu_);
  diskUsed_[owner] = std::max<std::int64_t>(0, diskUsed_[owner] + bytes);
  if (rt) rt->diskBytes = 0;
}

std::int64_t JobManager::diskUsed(const std::string& user) {
  std::int64_t total = store_.netlistBytes(user);
  std::lock_guard<std::mutex> l(mu_);
  if (auto it = diskUsed_.find(user); it != diskUsed_.end()) total += it->second;
  for (const auto& [id, rt] : jobs_)
    if (rt->job.owner() == user) total += rt->diskBytes.load();  // owner is set before submit, never changed
  return total;
}

bool JobManager::diskAllows(const std::string& user, const Limits& lim, std::string& why) {
  const std::int64_t used = diskUsed(user), quota = lim.maxDiskMb << 20;
  if (used < quota) return true;
  why = "user '" + user + "' has " + mibText(used) + " on disk, at the quota of " + mibText(quota) +
        "; delete jobs or sessions (DeleteJob, DeleteSession) to make room";
  return false;
}

void JobManager::checkDisk(const std::shared_ptr<JobRuntime>& rt) {
  const std::int64_t bytes = dirBytes(rt->dir);
  rt->diskBytes = bytes;
  std::lock_guard<std::mutex> g(rt->mu);
  if (rt->finished || rt->termSent || rt->pid <= 0 || bytes <= rt->diskAllowance) return;
  // SIGUSR1: the worker stops at its next step, drops the rows not yet in
  // its files and closes them as partial results; the dispatcher kills it if
  // it has not ended in kTermGrace.
  if (rt->killReason.empty())
    rt->killReason = "the job's results reached " + rt->diskLimitText + "; the rows written so far are kept";
  rt->termSent = true;
  rt->termSentAt = Clock::now();
  ::kill(rt->pid, SIGUSR1);
  Log("job.disk_limit").str("job", rt->job.id()).str("user", rt->job.owner()).num("bytes", bytes).warn();
}

bool JobManager::deleteJob(const std::string& id, std::int64_t& freed, std::string& err) {
  if (auto rt = find(id)) {
    stop(rt);
    std::unique_lock<std::mutex> lk(rt->mu);
    rt->cv.wait_for(lk, std::chrono::seconds(120), [&] { return rt->finished && !rt->rewriting; });
  }
  std::string owner;
  std::int64_t recorded = 0;
  if (auto row = store_.getJob(id)) {
    pb::Job job;
    if (job.ParseFromString(row->blob)) recorded = job.disk_bytes();
    owner = row->owner;
  }
  const std::string dir = jobDir(id);
  freed = dirBytes(dir);
  removeDir(dir);
  if (!store_.deleteJob(id)) {
    err = store_.lastError();
    return false;
  }
  std::lock_guard<std::mutex> l(mu_);
  jobs_.erase(id);
  if (!owner.empty()) diskUsed_[owner] = std::max<std::int64_t>(0, diskUsed_[owner] - recorded);
  return true;
}

void JobManager::setRetention(std::int64_t maxTotalKeptMb, std::chrono::milliseconds sweepEvery) {
  std::lock_guard<std::mutex> l(mu_);
  maxTotalKeptMb_ = maxTotalKeptMb;
  sweepEvery_ = sweepEvery;
}

void JobManager::sweepLoop() {
  std::unique_lock<std::mutex> l(mu_);
  while (!stopping_) {
    cv_.wait_for(l, sweepEvery_, [this] { return stopping_; });
    if (stopping_) break;
    l.unlock();
    sweep();
    l.lock();
  }
}

int JobManager::sweep() {
  std::int64_t totalCap;
  std::map<std::string, std::string> roles;
  {
    std::lock_guard<std::mutex> l(mu_);
    totalCap = maxTotalKeptMb_ << 20;
    roles = roles_;
  }
  const std::int64_t now = nowUnixMs();
  std::map<std::string, std::int64_t> kept;  // per owner, newest first
  std::map<std::string, Limits> limits;
  std::int64_t keptAll = 0;
  int deleted = 0;
  for (const auto& row : store_.listJobs("", "")) {  // newest first
    pb::Job job;
    if (!job.ParseFromString(row.blob) || !isFinal(job.state())) continue;
    if (auto rt = find(row.id)) {
      std::lock_guard<std::mutex> g(rt->mu);
      if (!rt->finished || rt->rewriting) continue;
    }
    auto lit = limits.find(row.owner);
    if (lit == limits.end()) {
      auto r = roles.find(row.owner);
      lit = limits.emplace(row.owner, limitsFor(row.owner, r == roles.end() ? "user" : r->second)).first;
    }
    const Limits& lim = lit->second;
    const std::int64_t bytes = job.disk_bytes();
    const double ageDays = double(now - job.finished_unix_ms()) / 86400e3;
    std::string why;
    if (lim.maxAgeDays > 0 && ageDays > lim.maxAgeDays) {
      why = "older than max_age_days";
    } else if (lim.maxKeptMb > 0 && kept[row.owner] + bytes > (lim.maxKeptMb << 20)) {
      why = "beyond the user's max_kept_mb";
    } else if (totalCap > 0 && keptAll + bytes > totalCap) {
      why = "beyond --max-total-kept-mb";
    } else {
      kept[row.owner] += bytes;
      keptAll += bytes;
      continue;
    }
    std::int64_t freed = 0;
    std::string err;
    if (deleteJob(row.id, freed, err)) {
      ++deleted;
      Log("job.expired").str("job", row.id).str("user", row.owner).str("reason", why).num("bytes", freed).info();
    } else {
      Log("job.expire_failed").str("job", row.id).str("error", err).warn();
    }
  }
  return deleted;
}

}  // namespace simcore::server
