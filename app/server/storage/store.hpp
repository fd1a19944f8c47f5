// Sessions, jobs and uploaded models in one SQLite database
// (DATA_DIR/simcore.db, WAL mode). The store knows rows, not protobuf: the
// server keeps each record's full description as an opaque blob (a serialized
// simcore.v1 message) next to the columns it queries by.
//
// Schema versions live in PRAGMA user_version; open() creates or migrates.
// Every method is thread-safe (one connection behind a mutex). Errors are
// values: a failed statement returns false / nullopt and sets lastError().
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace simcore::server {

inline constexpr int kStoreSchemaVersion = 1;

struct SessionRow {
  std::string id;
  std::string owner;
  std::int64_t createdMs = 0;
  std::string netlist;   // the text as uploaded
  std::string blob;      // serialized simcore.v1.Session
};

struct JobRow {
  std::string id;
  std::string sessionId;
  std::string owner;
  int state = 0;          // simcore.v1.JobState
  std::int64_t createdMs = 0;
  std::string blob;       // serialized simcore.v1.Job
};

struct ModelRow {
  std::string name;
  std::string owner;
  std::int64_t createdMs = 0;
  std::string text;        // empty in listModels (which reads only the size)
  std::int64_t sizeBytes = 0;
};

class Store {
 public:
  Store() = default;
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Opens (creating) the database file and brings its schema to
  // kStoreSchemaVersion. A database from a newer simcore is refused.
  bool open(const std::string& path);
  int schemaVersion();
  std::string lastError() const;

  bool putSession(const SessionRow& s);
  std::optional<SessionRow> getSession(const std::string& id);
  // owner empty: every owner. Newest first.
  std::vector<SessionRow> listSessions(const std::string& owner);
  // Bytes of the netlists of the owner's sessions.
  std::int64_t netlistBytes(const std::string& owner);

  // Insert or replace (jobs are rewritten on every state change).
  bool putJob(const JobRow& j);
  std::optional<JobRow> getJob(const std::string& id);
  // Filters are ignored when empty / negative. Newest first.
  std::vector<JobRow> listJobs(const std::string& owner, const std::string& sessionId, int state = -1);
  // Removes the job's row (true also when there was none).
  bool deleteJob(const std::string& id);
  // Removes the session's row (its jobs are the caller's to delete first).
  bool deleteSession(const std::string& id);
  // Number of jobs in each state (state -> count; states with none are absent).
  std::map<int, std::int64_t> countJobsByState();

  bool putModel(const ModelRow& m);
  // Visibility (own models first, then shared ones) is the caller's policy.
  std::optional<ModelRow> getModel(const std::string& owner, const std::string& name);
  std::vector<ModelRow> listModels(const std::string& owner);

 private:
  bool exec(const char* sql);
  bool migrate();
  sqlite3* db_ = nullptr;
  mutable std::mutex mu_;
  std::string err_;
};

}  // namespace simcore::server
