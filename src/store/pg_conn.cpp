// SqlConn over PostgreSQL (libpq). Statements are prepared once per connection (named by a counter,
// cached by text); blobs travel as binary parameters and bytea results are decoded from hex. A
// dropped connection is reset before the next statement, so a restarted server costs one failed
// transaction, not a dead process.
#include <poll.h>
#include <postgresql/libpq-fe.h>

#include <cerrno>
#include <cstring>
#include <unordered_map>

#include "store/sql.hpp"

namespace clearance::store_detail {
namespace {

constexpr Oid kByteaOid = 17;

// '?' placeholders to $1, $2, … ('?' never appears inside the store's string literals).
std::string to_dollar_params(const std::string& sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  for (char c : sql) {
    if (c == '?')
      out += "$" + std::to_string(++n);
    else
      out += c;
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

std::string decode_bytea(const char* s, size_t n) {
  if (n < 2 || s[0] != '\\' || s[1] != 'x') return std::string(s, n);
  std::string out;
  out.resize((n - 2) / 2);
  for (size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<char>(hex_value(s[2 + 2 * i]) << 4 | hex_value(s[3 + 2 * i]));
  return out;
}

// Removes the password from a URL for messages.
std::string redact_url(const std::string& url) {
  auto at = url.find('@');
  auto scheme = url.find("://");
  if (at == std::string::npos || scheme == std::string::npos || at < scheme) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + ":***" + url.substr(at);
}

struct ResultGuard {
  PGresult* r;
  ~ResultGuard() {
    if (r) PQclear(r);
  }
};

class PgConn final : public SqlConn {
 public:
  explicit PgConn(std::string url) : url_(std::move(url)), where_(redact_url(url_)) {}
  ~PgConn() override {
    if (conn_) PQfinish(conn_);
  }

  Status open() {
    conn_ = PQconnectdb(url_.c_str());
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK)
      return Error::Io(where_ + ": cannot connect to PostgreSQL: " + message());
    // Notices (e.g. "relation already exists, skipping") would go to stderr: the library never prints.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
    return exec("SET client_min_messages = warning");
  }

  Dialect dialect() const override { return Dialect::kPostgres; }
  const std::string& where() const override { return where_; }

  Status exec(const std::string& sql) override {
    if (auto st = ensure_connected(); !st) return st;
    ResultGuard r{PQexec(conn_, sql.c_str())};
    auto s = PQresultStatus(r.r);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) return failure(r.r, sql);
    return Status::Ok();
  }

  // Not streamed: small statements are prepared once (see run()).
  Result<SqlRows> query(const std::string& sql, const SqlParams& params) override {
    SqlRows rows;
    auto st = run(sql, params, false, [&](const SqlRow& r) {
      rows.push_back(r);
      return true;
    });
    if (!st) return st.error();
    return rows;
  }

  Status each(const std::string& sql, const SqlParams& params,
              const std::function<bool(const SqlRow&)>& f) override {
    return run(sql, params, true, f);
  }

  Result<bool> wait_notification(int timeout_ms) override {
    auto broken = [&] {
      return Error::Io(where_ + ": the connection waiting for notifications failed: " + message());
    };
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK || !PQconsumeInput(conn_)) return broken();
    auto drain = [&] {
      bool any = false;
      while (PGnotify* n = PQnotifies(conn_)) {
        any = true;
        PQfreemem(n);
      }
      return any;
    };
    if (drain()) return true;
    pollfd p{PQsocket(conn_), POLLIN, 0};
    int r = ::poll(&p, 1, timeout_ms);
    if (r < 0 && errno != EINTR) return Error::Io(where_ + ": poll: " + std::strerror(errno));
    if (r <= 0) return false;
    if (!PQconsumeInput(conn_)) return broken();
    return drain();
  }

 private:
  std::string message() const {
    std::string m = conn_ ? PQerrorMessage(conn_) : "out of memory";
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
    return m;
  }

  Status failure(PGresult* r, const std::string& sql) {
    std::string m = r ? PQresultErrorMessage(r) : "";
    if (m.empty()) m = message();
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
    return Error::Io(where_ + ": " + m);
  }

  // A connection that broke (server restarted, network) is reset before the next statement; the
  // statements prepared on the old one are gone with it.
  Status ensure_connected() {
    if (PQstatus(conn_) == CONNECTION_OK) return Status::Ok();
    PQreset(conn_);
    prepared_.clear();
    if (PQstatus(conn_) != CONNECTION_OK) return Error::Io(where_ + ": connection lost: " + message());
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
    return Status::Ok();
  }

  Status run(const std::string& sql, const SqlParams& params, bool streaming,
             const std::function<bool(const SqlRow&)>& f) {
    if (auto st = ensure_connected(); !st) return st;
    std::vector<const char*> values(params.size());
    std::vector<int> lengths(params.size()), formats(params.size());
    std::vector<std::string> ints(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
      const auto& p = params[i];
      switch (p.type) {
        case SqlValue::Type::kNull:
          values[i] = nullptr;
          break;
        case SqlValue::Type::kInt:
          ints[i] = std::to_string(p.i);
          values[i] = ints[i].c_str();
          break;
        case SqlValue::Type::kText:
          values[i] = p.s.c_str();
          break;
        case SqlValue::Type::kBlob:
          values[i] = p.s.data();
          lengths[i] = static_cast<int>(p.s.size());
          formats[i] = 1;
          break;
      }
    }
    const int n = static_cast<int>(params.size());
    int sent = 0;
    // Small statements are prepared once; big generated ones (multi-row inserts) go unprepared.
    if (params.size() <= 32 && !streaming) {
      auto it = prepared_.find(sql);
      if (it == prepared_.end()) {
        std::string name = "s" + std::to_string(prepared_.size() + 1);
        ResultGuard p{PQprepare(conn_, name.c_str(), to_dollar_params(sql).c_str(), 0, nullptr)};
        if (PQresultStatus(p.r) != PGRES_COMMAND_OK) return failure(p.r, sql);
        it = prepared_.emplace(sql, name).first;
      }
      sent =
          PQsendQueryPrepared(conn_, it->second.c_str(), n, values.data(), lengths.data(), formats.data(), 0);
    } else {
      sent = PQsendQueryParams(conn_, to_dollar_params(sql).c_str(), n, nullptr, values.data(),
                               lengths.data(), formats.data(), 0);
    }
    if (!sent) return Error::Io(where_ + ": " + message());
    if (streaming) PQsetSingleRowMode(conn_);
    Status status;
    bool stop = false;
    while (PGresult* raw = PQgetResult(conn_)) {
      ResultGuard r{raw};
      auto s = PQresultStatus(raw);
      if (s == PGRES_SINGLE_TUPLE || s == PGRES_TUPLES_OK) {
        if (!status.ok() || stop) continue;  // drain the rest
        const int rows = PQntuples(raw), cols = PQnfields(raw);
        SqlRow row(static_cast<size_t>(cols));
        for (int i = 0; i < rows && !stop; ++i) {
          for (int c = 0; c < cols; ++c) {
            auto& cell = row[static_cast<size_t>(c)];
            if (PQgetisnull(raw, i, c)) {
              cell.reset();
              continue;
            }
            const char* v = PQgetvalue(raw, i, c);
            size_t len = static_cast<size_t>(PQgetlength(raw, i, c));
            if (PQftype(raw, c) == kByteaOid)
              cell = decode_bytea(v, len);
            else
              cell.emplace(v, len);
          }
          if (!f(row)) stop = true;
        }
      } else if (s != PGRES_COMMAND_OK) {
        if (status.ok()) status = failure(raw, sql);
      }
    }
    return status;
  }

  std::string url_, where_;
  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;
};

}  // namespace

Result<std::unique_ptr<SqlConn>> open_postgres(const std::string& url) {
  auto c = std::make_unique<PgConn>(url);
  if (auto st = c->open(); !st) return st.error();
  return std::unique_ptr<SqlConn>(std::move(c));
}

}  // namespace clearance::store_detail
