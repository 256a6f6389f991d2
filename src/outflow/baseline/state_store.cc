#include "outflow/baseline/state_store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace outflow {

namespace {

constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS hosts(name TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS volume(key TEXT PRIMARY KEY, n INTEGER NOT NULL, hist BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS dests(key TEXT PRIMARY KEY, first_seen INTEGER, hosts INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS dest_host(key TEXT PRIMARY KEY, first_seen INTEGER);
CREATE TABLE IF NOT EXISTS dest_user(key TEXT PRIMARY KEY, first_seen INTEGER);
CREATE TABLE IF NOT EXISTS pairs(key TEXT PRIMARY KEY, count INTEGER NOT NULL, hosts INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS pair_host(key TEXT PRIMARY KEY, first_seen INTEGER);
CREATE TABLE IF NOT EXISTS image_user(key TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS image_total(key TEXT PRIMARY KEY, n INTEGER NOT NULL);
)SQL";

constexpr const char* kTables[] = {"hosts", "volume", "dests", "dest_host", "dest_user", "pairs", "pair_host", "image_user", "image_total"};

struct StmtDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

Stmt prepare(sqlite3* db, const char* sql, std::string& err) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) {
    err = std::string("state: ") + sqlite3_errmsg(db);
    return nullptr;
  }
  return Stmt(s);
}

void bind_time(sqlite3_stmt* s, int i, TimeNs t) {
  if (t == kNoTime)
    sqlite3_bind_null(s, i);
  else
    sqlite3_bind_int64(s, i, t);
}

TimeNs col_time(sqlite3_stmt* s, int i) { return sqlite3_column_type(s, i) == SQLITE_NULL ? kNoTime : sqlite3_column_int64(s, i); }

std::string col_text(sqlite3_stmt* s, int i) {
  const auto* p = sqlite3_column_text(s, i);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(s, i))) : std::string();
}

}  // namespace

StateStore::~StateStore() { close(); }

void StateStore::close() {
  if (db_) sqlite3_close(db_);
  db_ = nullptr;
  // The lock's descriptor is closed after SQLite's: closing any descriptor of the file drops the
  // process's POSIX locks, which SQLite holds while open.
  if (lock_fd_ >= 0) ::close(lock_fd_);
  lock_fd_ = -1;
}

bool StateStore::exec(const char* sql, std::string& err) {
  char* msg = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    err = path_ + ": " + (msg ? msg : sqlite3_errmsg(db_));
    sqlite3_free(msg);
    return false;
  }
  return true;
}

bool StateStore::open(const std::string& path, bool create, std::string& err) {
  close();
  path_ = path;
  lock_fd_ = ::open(path.c_str(), O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0644);
  if (lock_fd_ < 0) {
    err = path + ": cannot open state file: " + std::strerror(errno) +
          (errno == ENOENT ? " (run `outflow learn --state FILE` first, or hunt without --state)" : "");
    return false;
  }
  if (flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    err = path + ": state file is in use by another outflow run (refusing to share it; try again when that run ends)";
    ::close(lock_fd_);
    lock_fd_ = -1;
    return false;
  }
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
    err = path + ": cannot open state file: " + (db_ ? sqlite3_errmsg(db_) : "out of memory");
    close();
    return false;
  }
  sqlite3_busy_timeout(db_, 2000);
  // Is it ours? A non-SQLite file fails here; an SQLite file of something else has no meta.
  std::string e2;
  if (!exec("PRAGMA synchronous=FULL;", e2) || !exec(kSchema, e2)) {
    err = path + ": not an Outflow state file (" + e2 + ")";
    close();
    return false;
  }
  auto st = prepare(db_, "SELECT value FROM meta WHERE key='schema_version'", err);
  if (!st) return close(), false;
  if (sqlite3_step(st.get()) == SQLITE_ROW) {
    const std::string v = col_text(st.get(), 0);
    if (v != std::to_string(kSchemaVersion)) {
      err = path + ": state schema version " + v + ", this outflow reads version " + std::to_string(kSchemaVersion);
      close();
      return false;
    }
  } else {
    // A new or empty file: stamp it (a file with tables of another application is refused).
    auto other = prepare(db_, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name NOT IN "
                               "('meta','hosts','volume','dests','dest_host','dest_user','pairs','pair_host','image_user','image_total')",
                         err);
    if (!other) return close(), false;
    if (sqlite3_step(other.get()) == SQLITE_ROW && sqlite3_column_int(other.get(), 0) > 0) {
      err = path + ": an SQLite database, but not an Outflow state file";
      close();
      return false;
    }
    if (!exec("INSERT OR REPLACE INTO meta(key,value) VALUES('schema_version','1'),('runs','0');", err)) return close(), false;
  }
  return true;
}

bool StateStore::load(Baselines& b, std::string& err) {
  b = Baselines{};
  {
    auto st = prepare(db_, "SELECT key, value FROM meta", err);
    if (!st) return false;
    while (sqlite3_step(st.get()) == SQLITE_ROW) {
      const std::string k = col_text(st.get(), 0), v = col_text(st.get(), 1);
      if (k == "runs") b.runs = std::stoull(v);
      if (k == "first") b.first = std::stoll(v);
      if (k == "last") b.last = std::stoll(v);
    }
  }
  auto each = [&](const char* sql, auto&& fn) {
    auto st = prepare(db_, sql, err);
    if (!st) return false;
    int rc;
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) fn(st.get());
    if (rc != SQLITE_DONE) {
      err = path_ + ": " + sqlite3_errmsg(db_);
      return false;
    }
    return true;
  };
  return each("SELECT name FROM hosts", [&](sqlite3_stmt* s) { b.hosts.insert(col_text(s, 0)); }) &&
         each("SELECT key, n, hist FROM volume",
              [&](sqlite3_stmt* s) {
                LogHist h;
                h.n = static_cast<uint64_t>(sqlite3_column_int64(s, 1));
                if (sqlite3_column_bytes(s, 2) == static_cast<int>(sizeof h.b)) std::memcpy(h.b.data(), sqlite3_column_blob(s, 2), sizeof h.b);
                b.volume.emplace(col_text(s, 0), h);
              }) &&
         each("SELECT key, first_seen, hosts FROM dests",
              [&](sqlite3_stmt* s) {
                b.dests.emplace(col_text(s, 0), Baselines::Dest{col_time(s, 1), static_cast<uint32_t>(sqlite3_column_int64(s, 2))});
              }) &&
         each("SELECT key, first_seen FROM dest_host", [&](sqlite3_stmt* s) { b.dest_host.emplace(col_text(s, 0), col_time(s, 1)); }) &&
         each("SELECT key, first_seen FROM dest_user", [&](sqlite3_stmt* s) { b.dest_user.emplace(col_text(s, 0), col_time(s, 1)); }) &&
         each("SELECT key, count, hosts FROM pairs",
              [&](sqlite3_stmt* s) {
                b.pairs.emplace(col_text(s, 0), Baselines::Pair{static_cast<uint64_t>(sqlite3_column_int64(s, 1)),
                                                                static_cast<uint32_t>(sqlite3_column_int64(s, 2))});
              }) &&
         each("SELECT key, first_seen FROM pair_host", [&](sqlite3_stmt* s) { b.pair_host.emplace(col_text(s, 0), col_time(s, 1)); }) &&
         each("SELECT key, n FROM image_user",
              [&](sqlite3_stmt* s) { b.image_user.emplace(col_text(s, 0), static_cast<uint64_t>(sqlite3_column_int64(s, 1))); }) &&
         each("SELECT key, n FROM image_total",
              [&](sqlite3_stmt* s) { b.image_total.emplace(col_text(s, 0), static_cast<uint64_t>(sqlite3_column_int64(s, 1))); });
}

bool StateStore::save(const Baselines& b, std::string& err) {
  if (!exec("BEGIN IMMEDIATE;", err)) return false;
  bool ok = true;
  for (const char* t : kTables) ok = ok && exec((std::string("DELETE FROM ") + t + ";").c_str(), err);
  auto insert = [&](const char* sql, auto&& bind_rows) {
    if (!ok) return;
    auto st = prepare(db_, sql, err);
    if (!st) {
      ok = false;
      return;
    }
    bind_rows([&](auto&& bind) {
      if (!ok) return;
      sqlite3_reset(st.get());
      bind(st.get());
      if (sqlite3_step(st.get()) != SQLITE_DONE) {
        err = path_ + ": " + sqlite3_errmsg(db_);
        ok = false;
      }
    });
  };
  auto text = [](sqlite3_stmt* s, int i, const std::string& v) { sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC); };
  insert("INSERT INTO hosts(name) VALUES(?)", [&](auto row) {
    for (const auto& h : b.hosts) row([&](sqlite3_stmt* s) { text(s, 1, h); });
  });
  insert("INSERT INTO volume(key,n,hist) VALUES(?,?,?)", [&](auto row) {
    for (const auto& kv : b.volume) {
      const auto& k = kv.first;
      const auto& h = kv.second;
      row([&](sqlite3_stmt* s) {
        text(s, 1, k);
        sqlite3_bind_int64(s, 2, static_cast<int64_t>(h.n));
        sqlite3_bind_blob(s, 3, h.b.data(), sizeof h.b, SQLITE_STATIC);
      });
    }
  });
  insert("INSERT INTO dests(key,first_seen,hosts) VALUES(?,?,?)", [&](auto row) {
    for (const auto& kv : b.dests) {
      const auto& k = kv.first;
      const auto& d = kv.second;
      row([&](sqlite3_stmt* s) {
        text(s, 1, k);
        bind_time(s, 2, d.first_seen);
        sqlite3_bind_int64(s, 3, d.hosts);
      });
    }
  });
  auto times = [&](const char* sql, const std::unordered_map<std::string, TimeNs>& m) {
    insert(sql, [&](auto row) {
      for (const auto& kv : m) {
        const auto& k = kv.first;
        const auto& t = kv.second;
        row([&](sqlite3_stmt* s) {
          text(s, 1, k);
          bind_time(s, 2, t);
        });
      }
    });
  };
  auto counts = [&](const char* sql, const std::unordered_map<std::string, uint64_t>& m) {
    insert(sql, [&](auto row) {
      for (const auto& kv : m) {
        const auto& k = kv.first;
        const auto& n = kv.second;
        row([&](sqlite3_stmt* s) {
          text(s, 1, k);
          sqlite3_bind_int64(s, 2, static_cast<int64_t>(n));
        });
      }
    });
  };
  times("INSERT INTO dest_host(key,first_seen) VALUES(?,?)", b.dest_host);
  times("INSERT INTO dest_user(key,first_seen) VALUES(?,?)", b.dest_user);
  times("INSERT INTO pair_host(key,first_seen) VALUES(?,?)", b.pair_host);
  insert("INSERT INTO pairs(key,count,hosts) VALUES(?,?,?)", [&](auto row) {
    for (const auto& kv : b.pairs) {
      const auto& k = kv.first;
      const auto& p = kv.second;
      row([&](sqlite3_stmt* s) {
        text(s, 1, k);
        sqlite3_bind_int64(s, 2, static_cast<int64_t>(p.count));
        sqlite3_bind_int64(s, 3, p.hosts);
      });
    }
  });
  counts("INSERT INTO image_user(key,n) VALUES(?,?)", b.image_user);
  counts("INSERT INTO image_total(key,n) VALUES(?,?)", b.image_total);
  if (ok) {
    const std::string meta = "INSERT OR REPLACE INTO meta(key,value) VALUES('runs','" + std::to_string(b.runs) + "')" +
                             (b.first != kNoTime ? ",('first','" + std::to_string(b.first) + "')" : std::string()) +
                             (b.last != kNoTime ? ",('last','" + std::to_string(b.last) + "')" : std::string()) + ";";
    ok = exec(meta.c_str(), err);
  }
  if (!ok) {
    std::string ignored;
    exec("ROLLBACK;", ignored);
    return false;
  }
  return exec("COMMIT;", err);
}

}  // namespace outflow
