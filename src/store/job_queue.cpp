// The job queue of replicas sharing a PostgreSQL store (docs/SCALING.md). PostgreSQL is the queue:
// a job is a row of `jobs`, its input split into rows of `job_chunks`. A worker of any replica
// claims the next chunk with SELECT … FOR UPDATE SKIP LOCKED (two workers never wait for or take
// the same chunk) for a lease on the database's clock, and completes it in the writer's
// transaction: the chunk's records, its result and "done" commit together, so a chunk is answered
// and recorded exactly once. A worker that dies stops renewing its lease; the chunk is claimed
// again when the lease has run out, and the claim number fences the dead worker out (a late
// completion by it finds the chunk no longer its own and writes nothing).
#include "store/store_impl.hpp"

namespace clearance {

using namespace store_detail;

namespace {

// Milliseconds on the database's clock: every replica leases by the same clock.
constexpr const char* kNowMs = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";

constexpr const char* kJobColumns =
    "id, kind, owner, params, state, total, rows_done, chunks, chunks_done, created_at, started_at, "
    "finished_at, error";

Status need_pg(const Store::Impl& m) {
  if (m.pg) return Status::Ok();
  return Error::BadInput(m.location + ": the shared job queue needs a PostgreSQL store");
}

}  // namespace

Result<bool> Store::create_shared_job(const NewSharedJob& job) {
  if (auto st = need_pg(*impl_); !st) return st.error();
  std::string now = impl_->now();
  return impl_->in_writer<bool>([&](WriterTx& tx) -> Result<bool> {
    auto r =
        tx.conn.query(std::string("INSERT INTO jobs (") + kJobColumns +
                          ") VALUES (?, ?, ?, ?, 'queued', ?, 0, ?, 0, ?, '', '', '') "
                          "ON CONFLICT (id) DO NOTHING RETURNING id",
                      {SqlValue::text(job.id), SqlValue::text(job.kind), SqlValue::text(job.owner),
                       SqlValue::text(job.params), SqlValue::integer(static_cast<std::int64_t>(job.total)),
                       SqlValue::integer(static_cast<std::int64_t>(job.chunks.size())), SqlValue::text(now)});
    if (!r) return r.error();
    if (r->empty()) return false;
    for (size_t i = 0; i < job.chunks.size(); ++i) {
      const auto& c = job.chunks[i];
      auto w = tx.conn.query(
          "INSERT INTO job_chunks (job, n, first_row, rows, input, state, claimed_by, lease_until, claims, "
          "records) VALUES (?, ?, ?, ?, ?, 'queued', '', 0, 0, 0)",
          {SqlValue::text(job.id), SqlValue::integer(static_cast<std::int64_t>(i)),
           SqlValue::integer(static_cast<std::int64_t>(c.first_row)),
           SqlValue::integer(static_cast<std::int64_t>(c.rows)), SqlValue::blob(c.input)});
      if (!w) return w.error();
    }
    if (job.chunks.empty()) {
      auto d = tx.conn.query("UPDATE jobs SET state = 'done', started_at = ?, finished_at = ? WHERE id = ?",
                             {SqlValue::text(now), SqlValue::text(now), SqlValue::text(job.id)});
      if (!d) return d.error();
    }
    return true;
  });
}

Result<std::optional<ClaimedChunk>> Store::claim_chunk(const std::string& worker, int lease_ms) {
  if (auto st = need_pg(*impl_); !st) return st.error();
  Impl& m = *impl_;
  std::lock_guard lk(m.jobs_mu);
  if (!m.jobs_conn) {
    auto c = open_postgres(m.location);
    if (!c) return c.error();
    m.jobs_conn = std::move(*c);
  }
  SqlConn& c = *m.jobs_conn;
  auto r =
      c.query(std::string("WITH next AS (SELECT c.job, c.n FROM job_chunks c JOIN jobs j ON j.id = c.job "
                          "WHERE j.state IN ('queued', 'running') AND c.state <> 'done' "
                          "AND (c.state = 'queued' OR c.lease_until < ") +
                  kNowMs +
                  ") ORDER BY j.created_at, c.job, c.n LIMIT 1 FOR UPDATE OF c SKIP LOCKED) "
                  "UPDATE job_chunks c SET state = 'claimed', claimed_by = ?, lease_until = " +
                  kNowMs +
                  " + ?, claims = c.claims + 1 FROM next WHERE c.job = next.job AND c.n = next.n "
                  "RETURNING c.job, c.n, c.first_row, c.rows, c.input, c.claims",
              {SqlValue::text(worker), SqlValue::integer(lease_ms)});
  if (!r) return r.error();
  if (r->empty()) return std::optional<ClaimedChunk>{};
  const auto& row = (*r)[0];
  ClaimedChunk out;
  out.job = col(row, 0);
  out.n = col_int(row, 1);
  out.first_row = static_cast<std::uint64_t>(col_int(row, 2));
  out.rows = static_cast<std::uint64_t>(col_int(row, 3));
  out.input = col(row, 4);
  out.claim = col_int(row, 5);
  out.worker = worker;
  auto j = c.query("SELECT kind, owner, params FROM jobs WHERE id = ?", {SqlValue::text(out.job)});
  if (!j) return j.error();
  if (j->empty()) return Error::Internal("job " + out.job + " has chunks but no row");
  out.kind = col((*j)[0], 0);
  out.owner = col((*j)[0], 1);
  out.params = col((*j)[0], 2);
  auto s = c.query("UPDATE jobs SET state = 'running', started_at = ? WHERE id = ? AND state = 'queued'",
                   {SqlValue::text(m.now()), SqlValue::text(out.job)});
  if (!s) return s.error();
  return std::optional<ClaimedChunk>(std::move(out));
}

Status Store::renew_chunk(const ClaimedChunk& chunk, int lease_ms) {
  if (auto st = need_pg(*impl_); !st) return st;
  Impl& m = *impl_;
  std::lock_guard lk(m.jobs_mu);
  if (!m.jobs_conn) return Error::Internal("renew_chunk: no chunk was claimed");
  auto r =
      m.jobs_conn->query(std::string("UPDATE job_chunks SET lease_until = ") + kNowMs +
                             " + ? WHERE job = ? AND n = ? AND claims = ? AND claimed_by = ? AND "
                             "state = 'claimed' RETURNING n",
                         {SqlValue::integer(lease_ms), SqlValue::text(chunk.job), SqlValue::integer(chunk.n),
                          SqlValue::integer(chunk.claim), SqlValue::text(chunk.worker)});
  if (!r) return r.error();
  if (r->empty())
    return Error::NotFound("chunk " + std::to_string(chunk.n) + " of job " + chunk.job +
                           " was claimed by another worker (its lease ran out)");
  return Status::Ok();
}

Result<std::vector<Appended>> Store::complete_chunk(
    const ClaimedChunk& chunk, const std::vector<ReviewRequest>& parties, const std::string& caller,
    const RecordBuilder& build, const std::function<std::string(const std::vector<Appended>&)>& result) {
  if (auto st = need_pg(*impl_); !st) return st.error();
  std::string now = impl_->now();
  return impl_->in_writer<std::vector<Appended>>([&](WriterTx& tx) -> Result<std::vector<Appended>> {
    // Still this claim's? (Locked until the commit: no one claims it meanwhile.) Nothing is
    // written before this check, so a fenced-out worker's job leaves the group commit unchanged.
    auto mine = tx.conn.query(
        "SELECT n FROM job_chunks WHERE job = ? AND n = ? AND claims = ? AND claimed_by = ? AND "
        "state = 'claimed' FOR UPDATE",
        {SqlValue::text(chunk.job), SqlValue::integer(chunk.n), SqlValue::integer(chunk.claim),
         SqlValue::text(chunk.worker)});
    if (!mine) return mine.error();
    if (mine->empty())
      return Error::NotFound("chunk " + std::to_string(chunk.n) + " of job " + chunk.job +
                             " was claimed by another worker (its lease ran out); its answers were not kept");
    auto appended = review_and_append_in_tx(*impl_, tx, parties, caller, build);
    if (!appended) return appended.error();
    if (auto st = tx.flush(); !st) return st.error();
    auto d = tx.conn.query(
        "UPDATE job_chunks SET state = 'done', result = ?, records = ?, lease_until = 0 WHERE job = ? AND n "
        "= ?",
        {SqlValue::blob(result(*appended)), SqlValue::integer(static_cast<std::int64_t>(appended->size())),
         SqlValue::text(chunk.job), SqlValue::integer(chunk.n)});
    if (!d) return d.error();
    auto j = tx.conn.query(
        "UPDATE jobs SET chunks_done = chunks_done + 1, rows_done = rows_done + ?, "
        "state = CASE WHEN chunks_done + 1 >= chunks AND state = 'running' THEN 'done' ELSE state END, "
        "finished_at = CASE WHEN chunks_done + 1 >= chunks THEN ? ELSE finished_at END WHERE id = ?",
        {SqlValue::integer(static_cast<std::int64_t>(chunk.rows)), SqlValue::text(now),
         SqlValue::text(chunk.job)});
    if (!j) return j.error();
    return appended;
  });
}

Status Store::fail_shared_job(const std::string& id, const std::string& error) {
  if (auto st = need_pg(*impl_); !st) return st;
  std::string now = impl_->now();
  auto r = impl_->in_writer<bool>([&](WriterTx& tx) -> Result<bool> {
    auto u = tx.conn.query(
        "UPDATE jobs SET state = 'failed', error = ?, finished_at = ? WHERE id = ? AND state IN ('queued', "
        "'running')",
        {SqlValue::text(error), SqlValue::text(now), SqlValue::text(id)});
    if (!u) return u.error();
    return true;
  });
  return r ? Status::Ok() : Status(r.error());
}

Result<std::optional<SharedJob>> Store::shared_job(const std::string& id) {
  if (auto st = need_pg(*impl_); !st) return st.error();
  std::lock_guard lk(impl_->rmu);
  auto r = impl_->rconn->query(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = ?",
                               {SqlValue::text(id)});
  if (!r) return r.error();
  if (r->empty()) return std::optional<SharedJob>{};
  const auto& row = (*r)[0];
  SharedJob j;
  j.id = col(row, 0);
  j.kind = col(row, 1);
  j.owner = col(row, 2);
  j.params = col(row, 3);
  j.state = col(row, 4);
  j.total = static_cast<std::uint64_t>(col_int(row, 5));
  j.rows_done = static_cast<std::uint64_t>(col_int(row, 6));
  j.chunks = col_int(row, 7);
  j.chunks_done = col_int(row, 8);
  j.created_at = col(row, 9);
  j.started_at = col(row, 10);
  j.finished_at = col(row, 11);
  j.error = col(row, 12);
  auto c = impl_->rconn->query(
      "SELECT COALESCE(SUM(CASE WHEN claims > 1 THEN claims - 1 ELSE 0 END), 0), "
      "COALESCE(SUM(CASE WHEN state = 'claimed' THEN 1 ELSE 0 END), 0) FROM job_chunks WHERE job = ?",
      {SqlValue::text(id)});
  if (!c) return c.error();
  if (!c->empty()) {
    j.reclaimed = col_int((*c)[0], 0);
    j.chunks_running = col_int((*c)[0], 1);
  }
  return std::optional<SharedJob>(std::move(j));
}

Status Store::each_chunk_result(const std::string& id, const std::function<bool(const std::string&)>& f,
                                size_t prefix_chars) {
  if (auto st = need_pg(*impl_); !st) return st;
  // A connection of its own: a large result streams without holding the reader's.
  auto c = open_postgres(impl_->location);
  if (!c) return c.error();
  const std::string what =
      prefix_chars ? "substr(result, 1, " + std::to_string(prefix_chars) + ")" : "result";
  return (*c)->each("SELECT " + what + " FROM job_chunks WHERE job = ? AND state = 'done' ORDER BY n",
                    {SqlValue::text(id)}, [&](const SqlRow& row) { return f(col(row, 0)); });
}

}  // namespace clearance
