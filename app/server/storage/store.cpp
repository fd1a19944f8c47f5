#include "storage/store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <sqlite3.h>

namespace simcore::server {

namespace {

// A prepared statement that finalizes itself.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr); }
  ~Stmt() { sqlite3_finalize(s_); }
  bool ok() const { return rc_ == SQLITE_OK; }
  Stmt& text(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& blob(int i, const std::string& v) {
    sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& i64(int i, std::int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  int step() { return sqlite3_step(s_); }
  std::string col(int i) const {
    const void* p = sqlite3_column_blob(s_, i);
    int n = sqlite3_column_bytes(s_, i);
    return p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
  }
  std::int64_t colI(int i) const { return sqlite3_column_int64(s_, i); }

 private:
  sqlite3_stmt* s_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

SessionRow sessionFrom(const Stmt& s) { return {s.col(0), s.col(1), s.colI(2), s.col(3), s.col(4)}; }
JobRow jobFrom(const Stmt& s) {
  return {s.col(0), s.col(1), s.col(2), static_cast<int>(s.colI(3)), s.colI(4), s.col(5)};
}
ModelRow modelFrom(const Stmt& s) {
  ModelRow m{s.col(0), s.col(1), s.colI(2), s.col(3), 0};
  m.sizeBytes = std::int64_t(m.text.size());
  return m;
}

}  // namespace

Store::~Store() {
  if (db_) sqlite3_close(db_);
}

std::string Store::lastError() const {
  std::lock_guard<std::mutex> l(mu_);
  return err_;
}

bool Store::exec(const char* sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    err_ = msg ? msg : "sqlite error";
    sqlite3_free(msg);
    return false;
  }
  return true;
}

bool Store::open(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  // Every user's netlists: readable by the server's user only (SQLite gives its
  // -wal and -shm files the database file's mode).
  if (int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600); fd >= 0) ::close(fd);
  if (::chmod(path.c_str(), 0600) != 0 && errno != ENOENT) {
    err_ = "cannot make " + path + " private (chmod 0600): " + std::strerror(errno);
    return false;
  }
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    err_ = "cannot open " + path + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory");
    return false;
  }
  sqlite3_busy_timeout(db_, 5000);
  if (!exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")) return false;
  return migrate();
}

bool Store::migrate() {
  Stmt v(db_, "PRAGMA user_version");
  int version = v.step() == SQLITE_ROW ? static_cast<int>(v.colI(0)) : 0;
  if (version > kStoreSchemaVersion) {
    err_ = "the database has schema version " + std::to_string(version) + ", newer than this simcore (" +
           std::to_string(kStoreSchemaVersion) + ")";
    return false;
  }
  if (version < 1) {
    if (!exec("BEGIN;"
              "CREATE TABLE sessions (id TEXT PRIMARY KEY, owner TEXT NOT NULL, created_ms INTEGER NOT NULL,"
              "  netlist TEXT NOT NULL, blob BLOB NOT NULL);"
              "CREATE INDEX sessions_owner ON sessions(owner, created_ms);"
              "CREATE TABLE jobs (id TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions(id),"
              "  owner TEXT NOT NULL, state INTEGER NOT NULL, created_ms INTEGER NOT NULL, blob BLOB NOT NULL);"
              "CREATE INDEX jobs_owner ON jobs(owner, created_ms);"
              "CREATE INDEX jobs_state ON jobs(state);"
              "CREATE TABLE models (name TEXT NOT NULL, owner TEXT NOT NULL, created_ms INTEGER NOT NULL,"
              "  text TEXT NOT NULL, PRIMARY KEY (owner, name));"
              "PRAGMA user_version = 1;"
              "COMMIT;")) {
      exec("ROLLBACK;");
      return false;
    }
  }
  // Later versions: `if (version < 2) { ALTER TABLE ...; PRAGMA user_version = 2; }`.
  return true;
}

int Store::schemaVersion() {
  std::lock_guard<std::mutex> l(mu_);
  Stmt v(db_, "PRAGMA user_version");
  return v.step() == SQLITE_ROW ? static_cast<int>(v.colI(0)) : -1;
}

bool Store::putSession(const SessionRow& s) {
  std::lock_guard<std::mutex> l(mu_);
  Stmt st(db_, "INSERT OR REPLACE INTO sessions (id, owner, created_ms, netlist, blob) VALUES (?,?,?,?,?)");
  st.text(1, s.id).text(2, s.owner).i64(3, s.createdMs).text(4, s.netlist).blob(5, s.blob);
  if (st.step() != SQLITE_DONE) {
    err_ = sqlite3_errmsg(db_);
    return false;
  }
  return true;
}

std::optional<SessionRow> Store::getSession(const std::string& id) {
  std::lock_guard<std::mutex> l(mu_);
  Stmt st(db_, "SELECT id, owner, created_ms, netlist, blob FROM sessions WHERE id = ?");
  st.text(1, id);
  if (st.step() != SQLITE_ROW) return std::nullopt;
  return sessionFrom(st);
}

std::vector<SessionRow> Store::listSessions(const std::string& owner) {
  std::lock_guard<std::mutex> l(mu_);
  Stmt st(db_,
          "SELECT id, owner, created_ms, netlist, blob FROM sessions WHERE (?1 = '' OR owner = ?1) "
          "ORDER BY created_ms DESC, id");
  st.text(1, owner);
  std::vector<SessionRow> out;
  while (st.step() == SQLITE_ROW) out.push_back(sessionFrom(st));
  return out;
}

bool Store::putJob(const JobRow& j) {
  std::lock_guard<std::mutex> l(mu_);
  Stmt st(db_,
          "INSERT OR REPLACE INTO jobs (id, session_id, owner, state, created_ms, blob) VALUES (?,?,?,?,?,?)");
  st.text(1, j.id).text(2, j.sessionId).text(3, j.owner).i64(4, j.state).i64(5, j.createdMs).blob(6, j.blob);
  if (st.step() != SQLITE_DONE) {
    err_ = sqlite3_errmsg(db_);
    return false;
  }
  return true;
}

std::optional<JobRow> Store::getJob(const std::string& id) {
  std::lock_guard<std::mutex> l(mu_);
  Stmt st(db_, "SELECT id, session_id, owner, state, created_ms, blob FROM jobs WHERE id = ?");
  st.text(1, id);
  if (st.step() != SQLITE_ROW) return std::nullopt;
  return jobFrom(st);
}

std::int64_t Store::netlistBytes(const std::string& owner) {
  std::lock_guard<std::mutex> l(mu_);
  Stmt st(db_, "SELECT COALESCE(SUM(LENGTH(CAST(netlist AS BLOB))), 0) FROM sessions WHERE owner = ?");
  st.text(1, owner);
  return st.step() == SQLITE_ROW ? st.colI(0) : 0;
}

bool Store::deleteJob(const std::string& id) {
  std::lock_guard<std::mutex> l(mu_);
  Stmt st(db_, "DELETE FROM jobs WHERE id = ?");
  st.text(1, id);
  if (st.step() != SQLITE_DONE) {
    err_ = sqlite3_errmsg(db_);
    return false;
  }
  return true;
}

bool Store::deleteSession(const std::string& id) {
  std::lock_guard<std::mutex> l(mu_);
  Stmt st(db_, "DELETE FROM sessions WHERE id = ?");
  st.text(1, id);
  if (st.step() != SQLITE_DONE) {
    err_ = sqlite3_errmsg(db_);
    return false;
  }
  return true;
}

std::map<int, std::int64_t> Store::countJobsByState() {
  std::lock_guard<std::mutex> l(mu_);
  Stmt st(db_, "SELECT state, COUNT(*) FROM jobs GROUP BY state");
  std::map<int, std::int64_t> out;
  while (st.step() == SQLITE_ROW) out[static_cast<int>(st.colI(0))] = st.colI(1);
  return out;
}

std::vector<JobRow> Store::listJobs(const std::string& owner, const std::string& sessionId, int state) {
  std::lock_guard<std::mutex> l(mu_);
  Stmt st(db_,
          "SELECT id, session_id, owner, state, created_ms, blob FROM jobs WHERE (?1 = '' OR owner = ?1) "
          "AND (?2 = '' OR session_id = ?2) AND (?3 < 0 OR state = ?3) ORDER BY created_ms DESC, id");
  st.text(1, owner).text(2, sessionId).i64(3, state);
  std::vector<JobRow> out;
  while (st.step() == SQLITE_ROW) out.push_back(jobFrom(st));
  return out;
}

bool Store::putModel(const ModelRow& m) {
  std::lock_guard<std::mutex> l(mu_);
  Stmt st(db_, "INSERT OR REPLACE INTO models (name, owner, created_ms, text) VALUES (?,?,?,?)");
  st.text(1, m.name).text(2, m.owner).i64(3, m.createdMs).text(4, m.text);
  if (st.step() != SQLITE_DONE) {
    err_ = sqlite3_errmsg(db_);
    return false;
  }
  return true;
}

std::optional<ModelRow> Store::getModel(const std::string& owner, const std::string& name) {
  std::lock_guard<std::mutex> l(mu_);
  Stmt st(db_, "SELECT name, owner, created_ms, text FROM models WHERE owner = ? AND name = ?");
  st.text(1, owner).text(2, name);
  if (st.step() != SQLITE_ROW) return std::nullopt;
  return modelFrom(st);
}

std::vector<ModelRow> Store::listModels(const std::string& owner) {
  std::lock_guard<std::mutex> l(mu_);
  Stmt st(db_,
          "SELECT name, owner, created_ms, '', length(CAST(text AS BLOB)) FROM models "
          "WHERE (?1 = '' OR owner = ?1) ORDER BY owner, name");
  st.text(1, owner);
  std::vector<ModelRow> out;
  while (st.step() == SQLITE_ROW) {
    out.push_back(modelFrom(st));
    out.back().sizeBytes = st.colI(4);
  }
  return out;
}

}  // namespace simcore::server
