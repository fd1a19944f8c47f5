// Per-user limits: the file format, resolution order and live reload.
#include "limits/limits.hpp"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

using namespace simcore::server;

namespace {

std::string tempPath(const char* stem) {
  return std::string(::testing::TempDir()) + stem + std::to_string(::getpid());
}

void writeFile(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
}

// Moves the file's modification time forward so a reload sees a change even
// when two writes fall into the same timestamp tick.
void bumpMtime(const std::string& path, int seconds) {
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  struct timespec ts[2] = {st.st_atim, st.st_mtim};
  ts[1].tv_sec += seconds;
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), ts, 0), 0);
}

}  // namespace

TEST(UserLimits, ParsesSectionsAndKeys) {
  LimitsFile f;
  std::string err;
  ASSERT_TRUE(parseLimitsFile("# comment\n\n[role user]\nmax_jobs = 2   # trailing\nmax_wall_seconds=1.5\n"
                              "[user ann]\nmax_unknowns = 1e6\n",
                              "limits.conf", f, err))
      << err;
  ASSERT_EQ(f.roles.count("user"), 1u);
  EXPECT_EQ(f.roles["user"].values["max_jobs"], 2);
  EXPECT_EQ(f.roles["user"].values["max_wall_seconds"], 1.5);
  EXPECT_EQ(f.users["ann"].values["max_unknowns"], 1e6);
}

TEST(UserLimits, ErrorsNameTheLineAndWhatWasExpected) {
  struct Case {
    const char* text;
    const char* want;
  } cases[] = {
      {"max_jobs = 2\n", "limits.conf:1: 'max_jobs' before any section"},
      {"[role user]\nmax_job = 2\n", "limits.conf:2: unknown key 'max_job'"},
      {"[role user]\n\nmax_jobs = two\n", "limits.conf:3: expected a number for 'max_jobs', got 'two'"},
      {"[role user]\nmax_jobs = 0\n", "limits.conf:2: max_jobs = 0 is out of range"},
      {"[role boss]\n", "limits.conf:1: unknown role 'boss'"},
      {"[group x]\n", "limits.conf:1: expected a section header"},
      {"[user a/b]\n", "limits.conf:1: 'a/b' is not a user name"},
      {"[user ann\n", "limits.conf:1: expected a section header"},
      {"[user ann]\nmax_memory_mb 100\n", "limits.conf:2: expected 'key = number'"},
      {"[user ann]\nmax_cpu_seconds = 1e999\n", "limits.conf:2: expected a number"},
  };
  for (const auto& c : cases) {
    LimitsFile f;
    std::string err;
    EXPECT_FALSE(parseLimitsFile(c.text, "limits.conf", f, err)) << c.text;
    EXPECT_EQ(err.rfind(c.want, 0), 0u) << "text:\n" << c.text << "error: " << err;
  }
}

TEST(UserLimits, UserSectionOverridesRoleWhichOverridesDefaults) {
  LimitsFile f;
  std::string err;
  ASSERT_TRUE(parseLimitsFile("[role user]\nmax_jobs = 2\nmax_wall_seconds = 60\n[role admin]\nmax_jobs = 50\n"
                              "[user ann]\nmax_jobs = 8\nmax_memory_mb = 4096\n",
                              "l", f, err));
  Limits base;
  base.maxJobs = 4;
  base.maxWallSeconds = 600;
  Limits ann = resolveLimits(base, f, "ann", "user");
  EXPECT_EQ(ann.maxJobs, 8);
  EXPECT_EQ(ann.maxWallSeconds, 60);
  EXPECT_EQ(ann.maxMemoryMb, 4096);
  Limits bob = resolveLimits(base, f, "bob", "user");
  EXPECT_EQ(bob.maxJobs, 2);
  EXPECT_EQ(bob.maxMemoryMb, base.maxMemoryMb);
  Limits root = resolveLimits(base, f, "root", "admin");
  EXPECT_EQ(root.maxJobs, 50);
  EXPECT_EQ(root.maxWallSeconds, 600);
}

TEST(UserLimits, MissingFileMeansDefaults) {
  Limits base;
  base.maxJobs = 3;
  LimitsTable t(base, tempPath("no-such-limits-"));
  std::string err;
  ASSERT_TRUE(t.load(err)) << err;
  EXPECT_EQ(t.forUser("ann", "user").maxJobs, 3);
}

TEST(UserLimits, BadFileIsRefusedAtStart) {
  std::string path = tempPath("bad-limits-");
  writeFile(path, "[role user]\nmax_jobs = -1\n");
  LimitsTable t(Limits{}, path);
  std::string err;
  EXPECT_FALSE(t.load(err));
  EXPECT_NE(err.find(":2: max_jobs = -1 is out of range"), std::string::npos) << err;
  std::remove(path.c_str());
}

TEST(UserLimits, ChangedFileIsReloadedAndABadEditKeepsTheLimitsInForce) {
  std::string path = tempPath("reload-limits-");
  writeFile(path, "[user ann]\nmax_jobs = 7\n");
  LimitsTable t(Limits{}, path, std::chrono::milliseconds(0));
  std::string err;
  ASSERT_TRUE(t.load(err)) << err;
  EXPECT_EQ(t.forUser("ann", "user").maxJobs, 7);

  writeFile(path, "[user ann]\nmax_jobs = 9\n");
  bumpMtime(path, 5);
  EXPECT_EQ(t.forUser("ann", "user").maxJobs, 9);

  writeFile(path, "[user ann]\nmax_jobs = nine\n");
  bumpMtime(path, 10);
  std::string reloadErr;
  EXPECT_EQ(t.forUser("ann", "user", &reloadErr).maxJobs, 9);
  EXPECT_NE(reloadErr.find(":2: expected a number for 'max_jobs'"), std::string::npos) << reloadErr;
  EXPECT_NE(reloadErr.find("keeping the limits in force"), std::string::npos);
  // reported once per bad version
  std::string again;
  EXPECT_EQ(t.forUser("ann", "user", &again).maxJobs, 9);
  EXPECT_TRUE(again.empty()) << again;

  std::remove(path.c_str());
  EXPECT_EQ(t.forUser("ann", "user").maxJobs, Limits{}.maxJobs);
}

TEST(UserLimits, ReadsTheTomlForm) {
  LimitsFile f;
  std::string err;
  ASSERT_TRUE(parseLimitsFile("# comment\n[role.user]\nmax_jobs = 2   # trailing\nmax_wall_seconds = 1.5\n"
                              "[user.ann]\nmax_unknowns = 1_000_000\n[user.\"ann@example.org\"]\nmax_jobs = 3\n",
                              "limits.toml", f, err))
      << err;
  EXPECT_FALSE(f.legacyIni);
  EXPECT_EQ(f.roles["user"].values["max_jobs"], 2);
  EXPECT_EQ(f.roles["user"].values["max_wall_seconds"], 1.5);
  EXPECT_EQ(f.users["ann"].values["max_unknowns"], 1e6);
  EXPECT_EQ(f.users["ann@example.org"].values["max_jobs"], 3);
  Limits ann = resolveLimits(Limits{}, f, "ann", "user");
  EXPECT_EQ(ann.maxJobs, 2);
  EXPECT_EQ(ann.maxUnknowns, 1000000);
}

TEST(UserLimits, TomlErrorsNameTheLine) {
  struct Case {
    const char* text;
    const char* want;
  } cases[] = {
      {"[role.user]\nmax_job = 2\n", "limits.toml:2: unknown key 'max_job'"},
      {"[role.user]\n\nmax_jobs = \"two\"\n", "limits.toml:3: expected a number for 'max_jobs'"},
      {"[role.user]\nmax_jobs = 0\n", "limits.toml:2: max_jobs = 0 is out of range"},
      {"[role.boss]\nmax_jobs = 1\n", "limits.toml:1: unknown role 'boss'"},
      {"[group.x]\nmax_jobs = 1\n", "limits.toml:1: unknown table 'group'"},
      {"[user.ann]\nmax_jobs = = 1\n", "limits.toml:2: "},
      {"[user.\"a/b\"]\nmax_jobs = 1\n", "limits.toml:1: 'a/b' is not a user name"},
  };
  for (const auto& c : cases) {
    LimitsFile f;
    std::string err;
    EXPECT_FALSE(parseLimitsFile(c.text, "limits.toml", f, err)) << c.text;
    EXPECT_EQ(err.rfind(c.want, 0), 0u) << "text:\n" << c.text << "error: " << err;
  }
}

TEST(UserLimits, TheIniFormIsFlaggedAndConvertsToTheSameLimitsInToml) {
  LimitsFile ini;
  std::string err;
  ASSERT_TRUE(parseLimitsFile("[role user]\nmax_jobs = 2\nmax_wall_seconds = 1.5\n[user ann@x.org]\nmax_memory_mb = 4096\n",
                              "limits.conf", ini, err))
      << err;
  EXPECT_TRUE(ini.legacyIni);
  const std::string toml = limitsFileToToml(ini);
  LimitsFile back;
  ASSERT_TRUE(parseLimitsFile(toml, "converted", back, err)) << err << "\n" << toml;
  EXPECT_FALSE(back.legacyIni);
  EXPECT_EQ(back.roles["user"].values, ini.roles["user"].values);
  EXPECT_EQ(back.users["ann@x.org"].values, ini.users["ann@x.org"].values);
}

TEST(UserLimits, EveryLimitHasOneKeyAndOneOption) {
  Limits l;
  for (const LimitSpec& s : limitSpecs()) {
    EXPECT_EQ(std::string(s.key).rfind("max_", 0), 0u) << s.key;
    EXPECT_EQ(std::string(s.option).rfind("--max-", 0), 0u) << s.option;
    s.set(l, s.lo);
    EXPECT_EQ(s.get(l), s.lo) << s.key;
  }
  EXPECT_EQ(limitSpecs().size(), 13u);
}
