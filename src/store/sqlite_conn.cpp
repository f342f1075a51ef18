// SqlConn over SQLite: prepared statements cached by their text, WAL journal, synchronous=FULL so a
// committed transaction survives power loss, and a busy timeout so several processes can share a
// file (SQLite serialises their writers).
#include <sqlite3.h>

#include <unordered_map>

#include "store/sql.hpp"

namespace clearance::store_detail {
namespace {

class SqliteConn final : public SqlConn {
 public:
  SqliteConn(std::string path, Env* env) : path_(std::move(path)), env_(env) {}
  ~SqliteConn() override {
    for (auto& [sql, st] : cache_) sqlite3_finalize(st);
    if (db_) sqlite3_close(db_);
  }

  Status open() {
    if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        sqlite_vfs_for(env_)) != SQLITE_OK)
      return Error::Io(path_ + ": cannot open the store: " + (db_ ? errmsg() : "out of memory"));
    sqlite3_busy_timeout(db_, 30000);
    // WAL: readers never block the writer; FULL: the WAL is fsynced at every commit.
    auto mode = query("PRAGMA journal_mode=WAL");
    if (!mode) return mode.error();
    if (mode->empty() || !(*mode)[0][0] || *(*mode)[0][0] != "wal")
      return Error::Io(path_ + ": cannot switch the store to WAL mode");
    return exec("PRAGMA synchronous=FULL");
  }

  Dialect dialect() const override { return Dialect::kSqlite; }
  const std::string& where() const override { return path_; }

  Status exec(const std::string& sql) override {
    char* msg = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
      std::string m = msg ? msg : sqlite3_errmsg(db_);
      sqlite3_free(msg);
      if (auto io = take_sqlite_io_error(); !io.empty()) m += " (" + io + ")";
      return Error::Io(path_ + ": " + m);
    }
    return Status::Ok();
  }

  Status each(const std::string& sql, const SqlParams& params,
              const std::function<bool(const SqlRow&)>& f) override {
    sqlite3_stmt* st = prepare(sql);
    if (!st) return Error::Io(path_ + ": " + errmsg() + " in: " + sql.substr(0, 200));
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{st};
    for (size_t i = 0; i < params.size(); ++i) {
      const auto& p = params[i];
      int k = static_cast<int>(i + 1), rc = SQLITE_OK;
      switch (p.type) {
        case SqlValue::Type::kNull:
          rc = sqlite3_bind_null(st, k);
          break;
        case SqlValue::Type::kInt:
          rc = sqlite3_bind_int64(st, k, p.i);
          break;
        case SqlValue::Type::kText:
          rc = sqlite3_bind_text64(st, k, p.s.data(), p.s.size(), SQLITE_STATIC, SQLITE_UTF8);
          break;
        case SqlValue::Type::kBlob:
          rc = sqlite3_bind_blob64(st, k, p.s.data(), p.s.size(), SQLITE_STATIC);
          break;
      }
      if (rc != SQLITE_OK) return Error::Io(path_ + ": " + errmsg());
    }
    const int n = sqlite3_column_count(st);
    SqlRow row(static_cast<size_t>(n));
    for (;;) {
      int rc = sqlite3_step(st);
      if (rc == SQLITE_DONE) return Status::Ok();
      if (rc != SQLITE_ROW) return Error::Io(path_ + ": " + errmsg());
      for (int c = 0; c < n; ++c) {
        auto& cell = row[static_cast<size_t>(c)];
        switch (sqlite3_column_type(st, c)) {
          case SQLITE_NULL:
            cell.reset();
            break;
          case SQLITE_BLOB: {
            auto* p = static_cast<const char*>(sqlite3_column_blob(st, c));
            cell.emplace(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(st, c)));
            break;
          }
          default: {
            auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
            cell.emplace(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(st, c)));
          }
        }
      }
      if (!f(row)) return Status::Ok();
    }
  }

  sqlite3* handle() { return db_; }

 private:
  // SQLite's message, with what the Env said about a failed read or write (which file, why).
  std::string errmsg() {
    std::string m = sqlite3_errmsg(db_);
    if (auto io = take_sqlite_io_error(); !io.empty()) m += " (" + io + ")";
    return m;
  }

  sqlite3_stmt* prepare(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) return it->second;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &st,
                           nullptr) != SQLITE_OK)
      return nullptr;
    if (cache_.size() > 256) {  // multi-row inserts vary in size; keep the cache bounded
      // Not a statement an outer each() is stepping through (a query run from its callback would
      // otherwise free the statement under it).
      for (auto i = cache_.begin(); i != cache_.end();) {
        if (sqlite3_stmt_busy(i->second)) {
          ++i;
          continue;
        }
        sqlite3_finalize(i->second);
        i = cache_.erase(i);
      }
    }
    cache_.emplace(sql, st);
    return st;
  }

  std::string path_;
  Env* env_;
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace

Result<std::unique_ptr<SqlConn>> open_sqlite(const std::string& path, Env* env) {
  auto c = std::make_unique<SqliteConn>(path, env);
  if (auto st = c->open(); !st) return st.error();
  return std::unique_ptr<SqlConn>(std::move(c));
}

}  // namespace clearance::store_detail
