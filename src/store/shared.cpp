// What the replicas of one PostgreSQL store share besides the trail, the cases and the lists in
// force (docs/SCALING.md): the API keys (their hashes) and the answers kept for Idempotency-Keys.
//
// An Idempotency-Key is claimed by a session advisory lock on a connection of its own (idem): the
// lock is what says "a live process is running this request". PostgreSQL drops a session's locks
// when its connection closes, which the kernel does at once when the process dies, so a retry
// that nginx sends to another replica after a SIGKILL finds the key free. The row says what is
// known: nothing yet (run it), the first record of the answer (written in the record's own
// transaction, WriterTx::flush), and the answer itself once it was sent.
#include <chrono>
#include <thread>

#include "store/store_impl.hpp"

namespace clearance {

using namespace store_detail;

namespace {

StoredKey key_from_row(const SqlRow& r) {
  return {col(r, 0), col(r, 1), col(r, 2), col(r, 3), col(r, 4), col(r, 5)};
}

constexpr const char* kKeyColumns = "id, name, role, sha256, created_at, revoked_at";

// The advisory lock of a key: 60 bits of its SHA-256 (a collision only makes two keys wait for
// each other).
std::int64_t lock_id(const std::string& key) {
  return std::stoll(sha256_hex(key).substr(0, 15), nullptr, 16);
}

IdempotentClaim claim_of(IdempotentClaim::Kind kind) {
  IdempotentClaim c;
  c.kind = kind;
  return c;
}

}  // namespace

Status Store::add_key(const StoredKey& k) {
  auto added = impl_->in_writer<bool>([&](WriterTx& tx) -> Result<bool> {
    auto r =
        tx.conn.query(std::string("INSERT INTO api_keys (") + kKeyColumns +
                          ") VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING id",
                      {SqlValue::text(k.id), SqlValue::text(k.name), SqlValue::text(k.role),
                       SqlValue::text(k.sha256), SqlValue::text(k.created_at), SqlValue::text(k.revoked_at)});
    if (!r) return r.error();
    if (r->empty()) return Error::BadInput("a key with the id " + k.id + " exists; try again");
    return true;
  });
  return added ? Status::Ok() : Status(added.error());
}

Result<StoredKey> Store::revoke_key(const std::string& id, const std::string& at) {
  return impl_->in_writer<StoredKey>([&](WriterTx& tx) -> Result<StoredKey> {
    auto u = tx.conn.query("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at = ''",
                           {SqlValue::text(at), SqlValue::text(id)});
    if (!u) return u.error();
    auto r = tx.conn.query(std::string("SELECT ") + kKeyColumns + " FROM api_keys WHERE id = ?",
                           {SqlValue::text(id)});
    if (!r) return r.error();
    if (r->empty()) return Error::NotFound("no key " + id + " in the store " + impl_->location);
    return key_from_row((*r)[0]);
  });
}

Result<std::vector<StoredKey>> Store::keys() {
  std::lock_guard lk(impl_->rmu);
  auto r =
      impl_->rconn->query(std::string("SELECT ") + kKeyColumns + " FROM api_keys ORDER BY created_at, id");
  if (!r) return r.error();
  std::vector<StoredKey> out;
  for (const auto& row : *r) out.push_back(key_from_row(row));
  return out;
}

Result<IdempotentClaim> Store::claim_idempotent(const std::string& key, const std::string& request_hash,
                                                int wait_ms) {
  Impl& m = *impl_;
  if (!m.pg)
    return Error::BadInput(m.location + ": idempotent answers are shared through a PostgreSQL store");
  const std::int64_t lock = lock_id(key);
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  for (;;) {
    {
      std::lock_guard lk(m.idem_mu);
      if (!m.idem) {
        auto c = open_postgres(m.location);
        if (!c) return c.error();
        m.idem = std::move(*c);
      }
      SqlConn& c = *m.idem;
      std::string now = m.now();
      if (m.idem_swept_at.empty() || m.idem_swept_at.substr(0, 15) != now.substr(0, 15)) {
        // Once per ten minutes (the time's first 15 characters): answers older than 24 hours go.
        auto cut = parse_utc(now);
        if (cut) {
          auto d = c.query("DELETE FROM idempotency WHERE created_at < ?",
                           {SqlValue::text(format_utc(*cut - std::chrono::hours(24)))});
          if (!d) return d.error();
        }
        m.idem_swept_at = now;
      }
      auto got = c.query("SELECT pg_try_advisory_lock(CAST(? AS BIGINT))", {SqlValue::integer(lock)});
      if (!got) return got.error();
      if (!got->empty() && col((*got)[0], 0) == "t") {
        // Ours now: whoever held it before is done or dead.
        auto keep = [&](IdempotentClaim claim) -> Result<IdempotentClaim> {
          if (claim.kind != IdempotentClaim::Kind::kRun)
            (void)c.query("SELECT pg_advisory_unlock(CAST(? AS BIGINT))", {SqlValue::integer(lock)});
          return claim;
        };
        auto ins = c.query(
            "INSERT INTO idempotency (key, request_hash, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO NOTHING RETURNING key",
            {SqlValue::text(key), SqlValue::text(request_hash), SqlValue::text(now)});
        if (!ins) {
          (void)keep(claim_of(IdempotentClaim::Kind::kBusy));
          return ins.error();
        }
        if (!ins->empty()) return IdempotentClaim{};
        auto row =
            c.query("SELECT request_hash, audit_seq, status, headers, body FROM idempotency WHERE key = ?",
                    {SqlValue::text(key)});
        if (!row) {
          (void)keep(claim_of(IdempotentClaim::Kind::kBusy));
          return row.error();
        }
        if (row->empty()) return IdempotentClaim{};  // swept meanwhile: a fresh request
        const auto& r = (*row)[0];
        IdempotentClaim out;
        if (col(r, 0) != request_hash)
          out.kind = IdempotentClaim::Kind::kOtherRequest;
        else if (r[2]) {
          out.kind = IdempotentClaim::Kind::kAnswered;
          out.status = static_cast<int>(col_int(r, 2));
          out.headers = col(r, 3);
          out.body = col(r, 4);
        } else if (r[1]) {
          out.kind = IdempotentClaim::Kind::kRecorded;
          out.audit_seq = col_int(r, 1);
        }  // else: its holder died before recording anything: run it (kRun, the key kept)
        return keep(std::move(out));
      }
    }
    if (std::chrono::steady_clock::now() >= until) return claim_of(IdempotentClaim::Kind::kBusy);
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
}

Status Store::answer_idempotent(const std::string& key, int status, const std::string& headers,
                                const std::string& body) {
  Impl& m = *impl_;
  std::lock_guard lk(m.idem_mu);
  if (!m.idem) return Error::Internal("answer_idempotent: no key was claimed");
  // Kept (committed) before the key is let go: a session lock is not transactional, and whoever
  // takes the key next must find the answer.
  auto u = m.idem->query(
      "UPDATE idempotency SET status = ?, headers = ?, body = ? WHERE key = ?",
      {SqlValue::integer(status), SqlValue::text(headers), SqlValue::blob(body), SqlValue::text(key)});
  auto un = m.idem->query("SELECT pg_advisory_unlock(CAST(? AS BIGINT))", {SqlValue::integer(lock_id(key))});
  if (!u) return u.error();
  if (!un) return un.error();
  return Status::Ok();
}

Status Store::release_idempotent(const std::string& key) {
  Impl& m = *impl_;
  std::lock_guard lk(m.idem_mu);
  if (!m.idem) return Status::Ok();
  // A row with a record stays: the answer exists, a retry is given it (kRecorded).
  auto d =
      m.idem->query("DELETE FROM idempotency WHERE key = ? AND audit_seq IS NULL", {SqlValue::text(key)});
  auto un = m.idem->query("SELECT pg_advisory_unlock(CAST(? AS BIGINT))", {SqlValue::integer(lock_id(key))});
  if (!d) return d.error();
  if (!un) return un.error();
  return Status::Ok();
}

}  // namespace clearance
