// A small SQL connection interface with two implementations, SQLite and PostgreSQL (libpq), so the
// store's logic is written once. Statements use '?' placeholders; the PostgreSQL connection
// rewrites them to $1, $2, … (the store's SQL never has '?' inside a string literal).
//
// Values cross the interface as text (integers in decimal) or raw bytes (blobs): a row is a vector
// of optional strings, nullopt for SQL NULL. Not thread-safe: one thread uses a connection at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clearance/common/env.hpp"
#include "clearance/common/result.hpp"

namespace clearance::store_detail {

enum class Dialect { kSqlite, kPostgres };

struct SqlValue {
  enum class Type { kNull, kInt, kText, kBlob };
  Type type = Type::kNull;
  std::int64_t i = 0;
  std::string s;

  static SqlValue null() { return {}; }
  static SqlValue integer(std::int64_t v) { return {Type::kInt, v, {}}; }
  static SqlValue text(std::string v) { return {Type::kText, 0, std::move(v)}; }
  static SqlValue blob(std::string v) { return {Type::kBlob, 0, std::move(v)}; }
};
using SqlParams = std::vector<SqlValue>;
using SqlRow = std::vector<std::optional<std::string>>;
using SqlRows = std::vector<SqlRow>;

class SqlConn {
 public:
  virtual ~SqlConn() = default;
  virtual Dialect dialect() const = 0;
  // Runs one or more statements without parameters or results (DDL, BEGIN, COMMIT).
  virtual Status exec(const std::string& sql) = 0;
  // Runs one statement and returns all its rows.
  virtual Result<SqlRows> query(const std::string& sql, const SqlParams& params = {}) {
    SqlRows rows;
    auto st = each(sql, params, [&](const SqlRow& r) {
      rows.push_back(r);
      return true;
    });
    if (!st) return st.error();
    return rows;
  }
  // Runs one statement and calls f for each row as it arrives; f returns false to stop early.
  virtual Status each(const std::string& sql, const SqlParams& params,
                      const std::function<bool(const SqlRow&)>& f) = 0;
  // PostgreSQL: waits up to timeout_ms for a notification on a channel this connection LISTENs to;
  // true when at least one arrived (all pending ones are consumed). kIo when the connection failed.
  virtual Result<bool> wait_notification(int timeout_ms) {
    return Error::BadInput(where() + ": notifications need a PostgreSQL store");
  }
  // A human-readable name of the database for error messages (file path or host/db).
  virtual const std::string& where() const = 0;

  // Starts a write transaction: BEGIN IMMEDIATE in SQLite (takes the write lock now, so two
  // writers never deadlock upgrading), BEGIN in PostgreSQL.
  Status begin_write() { return exec(dialect() == Dialect::kSqlite ? "BEGIN IMMEDIATE" : "BEGIN"); }
  Status commit() { return exec("COMMIT"); }
  void rollback() { (void)exec("ROLLBACK"); }
};

// Opens a SQLite file (created when absent) in WAL mode with synchronous=FULL. With an env other
// than Env::Default(), the file IO goes through it (sqlite_vfs.cpp).
Result<std::unique_ptr<SqlConn>> open_sqlite(const std::string& path, Env* env = nullptr);
// The name of the SQLite VFS routing IO through env; nullptr for the default VFS.
const char* sqlite_vfs_for(Env* env);
// The Env's message of this thread's last failed SQLite IO ("" when none), cleared.
std::string take_sqlite_io_error();
// Opens a PostgreSQL connection from a postgres:// or postgresql:// URL (libpq conninfo).
Result<std::unique_ptr<SqlConn>> open_postgres(const std::string& url);

// The value of a column that must be present, or "" when NULL.
inline const std::string& col(const SqlRow& r, size_t i) {
  static const std::string kEmpty;
  return r[i] ? *r[i] : kEmpty;
}
inline std::int64_t col_int(const SqlRow& r, size_t i) { return r[i] ? std::stoll(*r[i]) : 0; }

}  // namespace clearance::store_detail
