#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <thread>

#include "../common/temp_dir.hpp"
#include "storage/store.hpp"

using namespace simcore::server;
using simcore::testutil::TempDir;

namespace {

// The database file in DIR (declare DIR before the Store, so the Store closes first).
std::string dbIn(const TempDir& dir) { return dir.str() + "/simcore.db"; }

}  // namespace

TEST(Store, CreatesSchemaWithVersion) {
  const TempDir dir("simcore-store-test-");
  Store s;
  ASSERT_TRUE(s.open(dbIn(dir))) << s.lastError();
  EXPECT_EQ(s.schemaVersion(), kStoreSchemaVersion);
}

TEST(Store, SessionsJobsModelsSurviveReopen) {
  const TempDir dir("simcore-store-test-");
  std::string path = dbIn(dir);
  {
    Store s;
    ASSERT_TRUE(s.open(path));
    ASSERT_TRUE(s.putSession({"s-1", "ann", 100, "* net\n.end\n", std::string("blob\0x", 6)}));
    ASSERT_TRUE(s.putSession({"s-2", "bob", 200, "* other\n", "b2"}));
    ASSERT_TRUE(s.putJob({"j-1", "s-1", "ann", 2, 110, "job1"}));
    ASSERT_TRUE(s.putJob({"j-2", "s-1", "ann", 3, 120, "job2"}));
    ASSERT_TRUE(s.putJob({"j-3", "s-2", "bob", 2, 210, "job3"}));
    ASSERT_TRUE(s.putModel({"diodes.lib", "ann", 50, ".model d1 d(is=1e-14)\n"}));
  }
  Store s;
  ASSERT_TRUE(s.open(path));
  auto sess = s.getSession("s-1");
  ASSERT_TRUE(sess);
  EXPECT_EQ(sess->owner, "ann");
  EXPECT_EQ(sess->netlist, "* net\n.end\n");
  EXPECT_EQ(sess->blob, std::string("blob\0x", 6));  // blobs keep NUL bytes
  EXPECT_FALSE(s.getSession("s-9"));
  EXPECT_EQ(s.listSessions("ann").size(), 1u);
  EXPECT_EQ(s.listSessions("").size(), 2u);
  EXPECT_EQ(s.listSessions("").front().id, "s-2");  // newest first

  EXPECT_EQ(s.listJobs("ann", "").size(), 2u);
  EXPECT_EQ(s.listJobs("", "s-2").size(), 1u);
  EXPECT_EQ(s.listJobs("", "", 2).size(), 2u);  // by state
  // Rewriting a job replaces it.
  ASSERT_TRUE(s.putJob({"j-1", "s-1", "ann", 6, 110, "job1-interrupted"}));
  EXPECT_EQ(s.getJob("j-1")->state, 6);
  EXPECT_EQ(s.getJob("j-1")->blob, "job1-interrupted");
  EXPECT_EQ(s.listJobs("", "", 2).size(), 1u);
  auto counts = s.countJobsByState();  // /metrics: jobs by state without loading them
  EXPECT_EQ(counts.size(), 3u);
  EXPECT_EQ(counts[2], 1);
  EXPECT_EQ(counts[3], 1);
  EXPECT_EQ(counts[6], 1);

  auto m = s.getModel("ann", "diodes.lib");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->text, ".model d1 d(is=1e-14)\n");
  EXPECT_FALSE(s.getModel("bob", "diodes.lib"));  // per owner
  EXPECT_EQ(s.listModels("").size(), 1u);
}

TEST(Store, JobNeedsExistingSession) {
  const TempDir dir("simcore-store-test-");
  Store s;
  ASSERT_TRUE(s.open(dbIn(dir)));
  EXPECT_FALSE(s.putJob({"j-1", "s-missing", "ann", 1, 1, "x"}));
  EXPECT_FALSE(s.lastError().empty());
}

TEST(Store, DeletesJobsThenTheirSession) {
  const TempDir dir("simcore-store-test-");
  Store s;
  ASSERT_TRUE(s.open(dbIn(dir)));
  ASSERT_TRUE(s.putSession({"s-1", "ann", 100, "* net\n", "b"}));
  ASSERT_TRUE(s.putSession({"s-2", "ann", 101, "* two\n", "b"}));
  ASSERT_TRUE(s.putSession({"s-3", "bob", 102, "* three\n", "b"}));
  EXPECT_EQ(s.netlistBytes("ann"), 12);
  EXPECT_EQ(s.netlistBytes("nobody"), 0);
  ASSERT_TRUE(s.putJob({"j-1", "s-1", "ann", 3, 110, "job1"}));
  ASSERT_TRUE(s.putJob({"j-2", "s-1", "ann", 3, 120, "job2"}));
  EXPECT_FALSE(s.deleteSession("s-1"));  // its jobs still refer to it
  EXPECT_TRUE(s.getSession("s-1"));
  ASSERT_TRUE(s.deleteJob("j-1")) << s.lastError();
  EXPECT_FALSE(s.getJob("j-1"));
  EXPECT_TRUE(s.getJob("j-2"));
  EXPECT_TRUE(s.deleteJob("j-1"));  // gone already: fine
  ASSERT_TRUE(s.deleteJob("j-2"));
  ASSERT_TRUE(s.deleteSession("s-1")) << s.lastError();
  EXPECT_FALSE(s.getSession("s-1"));
  EXPECT_TRUE(s.listJobs("ann", "").empty());
  EXPECT_EQ(s.netlistBytes("ann"), 6);
}

TEST(Store, RefusesANewerSchema) {
  const TempDir dir("simcore-store-test-");
  std::string path = dbIn(dir);
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  Store s;
  EXPECT_FALSE(s.open(path));
  EXPECT_NE(s.lastError().find("newer"), std::string::npos);
}

TEST(Store, ConcurrentWritersAreSerialised) {
  const TempDir dir("simcore-store-test-");
  Store s;
  ASSERT_TRUE(s.open(dbIn(dir)));
  ASSERT_TRUE(s.putSession({"s-1", "ann", 1, "x", "x"}));
  std::vector<std::thread> ts;
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i)
        EXPECT_TRUE(s.putJob({"j-" + std::to_string(t) + "-" + std::to_string(i), "s-1", "ann", 1, i, "b"}));
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(s.listJobs("ann", "").size(), 200u);
}
