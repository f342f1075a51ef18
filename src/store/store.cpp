#include "clearance/store/store.hpp"

#include <algorithm>
#include <filesystem>

#include "clearance/common/files.hpp"
#include "clearance/common/parallel.hpp"
#include "store/schema.hpp"
#include "store/store_impl.hpp"

namespace clearance {

using namespace store_detail;

namespace store_detail {

const char* const kRecordSelect =
    "SELECT r.seq, r.ts, r.caller, r.action, r.inputs_sha256, r.snapshots, r.rules, r.catalogue, r.engine, "
    "r.threshold, r.result, r.prev_hash, r.hash, i.inputs, i.redacted_by, i.redaction_reason "
    "FROM audit_records r LEFT JOIN audit_inputs i ON i.seq = r.seq";

Record record_from_row(const SqlRow& row) {
  Record r;
  r.seq = col_int(row, 0);
  r.time = col(row, 1);
  r.caller = col(row, 2);
  r.action = col(row, 3);
  r.inputs_sha256 = col(row, 4);
  r.snapshots = col(row, 5);
  r.rules = col(row, 6);
  r.catalogue = col(row, 7);
  r.engine = col(row, 8);
  r.threshold = col(row, 9);
  r.result = col(row, 10);
  r.prev_hash = col(row, 11);
  r.hash = col(row, 12);
  r.inputs = row[13];
  if (row[14]) r.redaction = Redaction{col_int(row, 14), col(row, 15)};
  return r;
}

Appended WriterTx::append(Record r) {
  r.seq = head.seq + 1;
  r.prev_hash = head.hash;
  r.hash = r.compute_hash();
  head = {r.seq, r.hash};
  Appended a{r.seq, r.hash};
  pending.push_back(std::move(r));
  return a;
}

namespace {

constexpr const char* kRecordColumns =
    "seq, ts, caller, action, inputs_sha256, snapshots, rules, catalogue, engine, threshold, result, "
    "prev_hash, "
    "hash";
constexpr size_t kRecordColumnCount = 13;

// Moves the record's texts into the parameters (the record is not used after its insert).
void push_record(SqlParams& p, Record& r) {
  p.push_back(SqlValue::integer(r.seq));
  for (std::string* s : {&r.time, &r.caller, &r.action, &r.inputs_sha256, &r.snapshots, &r.rules,
                         &r.catalogue, &r.engine, &r.threshold, &r.result, &r.prev_hash, &r.hash})
    p.push_back(SqlValue::text(std::move(*s)));
}

std::string placeholders(size_t rows, size_t cols) {
  std::string one = "(";
  for (size_t c = 0; c < cols; ++c) one += c ? ",?" : "?";
  one += ")";
  std::string out;
  for (size_t r = 0; r < rows; ++r) out += (r ? "," : "") + one;
  return out;
}

}  // namespace

Status WriterTx::flush() {
  if (pending.empty()) return Status::Ok();
  // SQLite has no round trips: one prepared single-row insert per record is fastest. PostgreSQL
  // pays a round trip per statement, so records go in multi-row inserts.
  const size_t chunk = conn.dialect() == Dialect::kSqlite ? 1 : 100;
  // The Idempotency-Keys these records answer get their first record, in the same transaction
  // (PostgreSQL: replicas share the answers; 100 keys a statement).
  if (conn.dialect() == Dialect::kPostgres) {
    SqlParams keyed;
    std::string values;
    auto note = [&]() -> Status {
      if (keyed.empty()) return Status::Ok();
      auto u =
          conn.query("UPDATE idempotency SET audit_seq = v.seq FROM (VALUES " + values +
                         ") AS v(seq, key) WHERE idempotency.key = v.key AND idempotency.audit_seq IS NULL",
                     keyed);
      keyed.clear();
      values.clear();
      return u ? Status::Ok() : Status(u.error());
    };
    for (const auto& r : pending) {
      if (r.idempotency_key.empty()) continue;
      values +=
          values.empty() ? "(CAST(? AS BIGINT), CAST(? AS TEXT))" : ",(CAST(? AS BIGINT), CAST(? AS TEXT))";
      keyed.push_back(SqlValue::integer(r.seq));
      keyed.push_back(SqlValue::text(r.idempotency_key));
      if (keyed.size() >= 200)
        if (auto st = note(); !st) return st;
    }
    if (auto st = note(); !st) return st;
  }
  for (size_t at = 0; at < pending.size(); at += chunk) {
    size_t n = std::min(chunk, pending.size() - at);
    SqlParams rec, in;
    rec.reserve(n * kRecordColumnCount);
    in.reserve(n * 2);
    for (size_t k = at; k < at + n; ++k) {
      push_record(rec, pending[k]);
      in.push_back(SqlValue::integer(pending[k].seq));
      in.push_back(pending[k].inputs ? SqlValue::text(std::move(*pending[k].inputs)) : SqlValue::null());
    }
    auto r1 = conn.query(std::string("INSERT INTO audit_records (") + kRecordColumns + ") VALUES " +
                             placeholders(n, kRecordColumnCount),
                         rec);
    if (!r1) return r1.error();
    auto r2 = conn.query("INSERT INTO audit_inputs (seq, inputs) VALUES " + placeholders(n, 2), in);
    if (!r2) return r2.error();
  }
  pending.clear();
  return Status::Ok();
}

}  // namespace store_detail

namespace {

struct RecordJob final : Job {
  Record rec;
  std::promise<Result<Appended>> done;
  Appended out;
  RecordJob() { appends_only = true; }
  Status run(WriterTx& tx) override {
    out = tx.append(std::move(rec));
    return Status::Ok();
  }
  void finish(const Status& st) override {
    if (st.ok())
      done.set_value(out);
    else
      done.set_value(st.error());
  }
};

bool is_postgres_url(const std::string& s) {
  return s.rfind("postgres://", 0) == 0 || s.rfind("postgresql://", 0) == 0;
}

}  // namespace

// ---------------------------------------------------------------- open / close / writer

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Store::~Store() = default;

Store::Impl::~Impl() {
  {
    std::lock_guard lk(qmu);
    stopping = true;
  }
  qcv.notify_all();
  if (writer.joinable()) writer.join();
  {
    std::lock_guard lk(smu);
    sync_stopping = true;
  }
  scv.notify_all();
  if (syncer.joinable()) syncer.join();
}

Result<std::unique_ptr<Store>> Store::open(const StoreOptions& options) {
  if (!options.clock) return Error::Internal("Store::open: no clock given");
  auto impl = std::make_unique<Impl>();
  impl->opt = options;
  impl->opt.max_batch = std::max<size_t>(1, options.max_batch);
  std::string loc = options.location;
  if (loc.empty()) return Error::BadInput("store: no location given");
  impl->pg = is_postgres_url(loc);
  if (!impl->pg && loc.rfind("sqlite:", 0) == 0) loc = loc.substr(7);
  impl->location = loc;
  std::string head_path = options.head_file;
  if (impl->pg) {
    for (auto* c : {&impl->wconn, &impl->rconn}) {
      auto conn = open_postgres(loc);
      if (!conn) return conn.error();
      *c = std::move(*conn);
    }
  } else {
    auto parent = std::filesystem::path(loc).parent_path().string();
    if (!parent.empty())
      if (auto st = make_dirs(options.env ? *options.env : *Env::Default(), parent); !st) return st.error();
    for (auto* c : {&impl->wconn, &impl->rconn}) {
      auto conn = open_sqlite(loc, options.env);
      if (!conn) return conn.error();
      *c = std::move(*conn);
    }
    if (head_path.empty()) head_path = loc + ".head";
  }
  auto found = open_schema(*impl->wconn, options.create_schema_version);
  if (!found) return found.error();
  if (!head_path.empty()) impl->head_file = std::make_unique<HeadFile>(head_path, options.env);
  Impl* raw = impl.get();
  impl->writer = std::thread([raw] { raw->writer_loop(); });
  if (impl->head_file) impl->syncer = std::thread([raw] { raw->syncer_loop(); });
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

const std::string& Store::location() const { return impl_->location; }
bool Store::is_postgres() const { return impl_->pg; }

StoreStats Store::stats() const {
  return {impl_->commits.load(), impl_->records.load(), impl_->failed_commits.load()};
}

Result<int> Store::schema_version() {
  std::lock_guard lk(impl_->rmu);
  return read_schema_version(*impl_->rconn);
}

void Store::Impl::enqueue(std::unique_ptr<Job> job) {
  {
    std::lock_guard lk(qmu);
    queue.push_back(std::move(job));
  }
  qcv.notify_one();
}

void Store::Impl::writer_loop() {
  for (;;) {
    std::vector<std::unique_ptr<Job>> batch;
    {
      std::unique_lock lk(qmu);
      qcv.wait(lk, [&] { return stopping || !queue.empty(); });
      if (queue.empty()) return;  // stopping, and everything queued is committed
      if (opt.group_commit && opt.linger.count() > 0 && queue.size() < opt.max_batch && !stopping)
        qcv.wait_for(lk, opt.linger, [&] { return stopping || queue.size() >= opt.max_batch; });
      size_t n = opt.group_commit ? std::min(queue.size(), opt.max_batch) : 1;
      for (size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue.front()));
        queue.pop_front();
      }
    }
    run_batch(batch);
  }
}

void Store::Impl::run_batch(std::vector<std::unique_ptr<Job>>& jobs) {
  SqlConn& c = *wconn;
  WriterTx tx{c, now(), {}, {}};
  Status st = c.begin_write();
  ChainHead start;
  if (st.ok()) {
    // The chain head row is the lock that serialises appenders: processes sharing a PostgreSQL
    // store wait here for each other; SQLite's write lock (BEGIN IMMEDIATE) already serialises.
    auto h = c.query(pg ? "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
                        : "SELECT seq, hash FROM audit_head WHERE id = 1");
    if (!h)
      st = h.error();
    else if (h->empty())
      st = Error::Io(c.where() + ": the store has no chain head row");
    else
      tx.head = start = {col_int((*h)[0], 0), col((*h)[0], 1)};
  }
  for (auto& j : jobs) {
    if (!st.ok()) break;
    if (!j->appends_only) st = tx.flush();
    if (st.ok()) st = j->run(tx);
  }
  if (st.ok()) st = tx.flush();
  if (st.ok() && tx.head.seq != start.seq) {
    auto u = c.query("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1",
                     {SqlValue::integer(tx.head.seq), SqlValue::text(tx.head.hash)});
    if (!u) st = u.error();
  }
  if (st.ok()) st = c.commit();
  if (!st.ok()) {
    c.rollback();
    ++failed_commits;
  } else {
    ++commits;
    records += static_cast<std::uint64_t>(tx.head.seq - start.seq);
  }
  if (st.ok() && head_file && tx.head.seq != start.seq) {
    {
      std::lock_guard lk(smu);
      sync_queue.push_back({std::move(jobs), tx.head});
    }
    scv.notify_one();
    return;
  }
  for (auto& j : jobs) j->finish(st);
}

void Store::Impl::syncer_loop() {
  for (;;) {
    std::deque<Synced> items;
    {
      std::unique_lock lk(smu);
      scv.wait(lk, [&] { return sync_stopping || !sync_queue.empty(); });
      if (sync_queue.empty()) return;
      items.swap(sync_queue);
    }
    // One fsync for every group committed meanwhile: the latest head covers them all.
    ChainHead latest = items.back().head;
    Status st = head_file->advance(latest);
    if (!st.ok())
      st = Error::Io("records up to " + std::to_string(latest.seq) +
                     " were committed but the chain-head file failed: " + st.error().message);
    for (auto& item : items)
      for (auto& j : item.jobs) j->finish(st);
  }
}

Record Store::Impl::make_record(RecordDraft&& d) const {
  Record r;
  r.time = now();
  r.caller = std::move(d.caller);
  r.action = std::move(d.action);
  r.inputs = d.inputs_text.empty() ? canonical_json(d.inputs) : std::move(d.inputs_text);
  r.inputs_sha256 = sha256_hex(*r.inputs);
  // [{"id":…,"name":…},…]: canonical_json of that array, written directly.
  r.snapshots = "[";
  for (const auto& s : d.snapshots) {
    r.snapshots += r.snapshots.size() > 1 ? ",{\"id\":" : "{\"id\":";
    append_json_string(r.snapshots, s.id);
    r.snapshots += ",\"name\":";
    append_json_string(r.snapshots, s.name);
    r.snapshots += "}";
  }
  r.snapshots += "]";
  r.rules = canonical_json(nlohmann::json(d.rules));
  r.catalogue = std::move(d.catalogue);
  r.engine = d.engine.empty() ? std::string(engine_version()) : std::move(d.engine);
  r.threshold = d.threshold ? canonical_json(nlohmann::json(*d.threshold)) : "null";
  r.result = d.result_text.empty() ? canonical_json(d.result) : std::move(d.result_text);
  r.idempotency_key = std::move(d.idempotency_key);
  return r;
}

// ---------------------------------------------------------------- audit trail

AppendTicket Store::submit(RecordDraft draft) {
  auto job = std::make_unique<RecordJob>();
  job->rec = impl_->make_record(std::move(draft));
  AppendTicket t(job->done.get_future());
  impl_->enqueue(std::move(job));
  return t;
}

Result<Appended> Store::append(RecordDraft draft) { return submit(std::move(draft)).wait(); }

Result<std::vector<Appended>> Store::append_all(std::vector<RecordDraft> drafts) {
  // Canonical JSON and digests are the costly part of an append: built on all cores, then queued
  // in order under one lock so the group stays contiguous.
  std::vector<std::unique_ptr<RecordJob>> jobs(drafts.size());
  parallel_for(drafts.size(), 0, [&](size_t i) {
    jobs[i] = std::make_unique<RecordJob>();
    jobs[i]->rec = impl_->make_record(std::move(drafts[i]));
  });
  std::vector<std::future<Result<Appended>>> futures;
  {
    std::lock_guard lk(impl_->qmu);
    for (auto& j : jobs) {
      futures.push_back(j->done.get_future());
      impl_->queue.push_back(std::move(j));
    }
  }
  impl_->qcv.notify_one();
  std::vector<Appended> out;
  std::optional<Error> first_error;
  for (auto& f : futures) {
    auto a = f.get();
    if (!a && !first_error) first_error = a.error();
    if (a) out.push_back(*a);
  }
  if (first_error) return *first_error;
  return out;
}

Result<ChainHead> Store::head() {
  std::lock_guard lk(impl_->rmu);
  auto r = impl_->rconn->query("SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1");
  if (!r) return r.error();
  if (r->empty()) return ChainHead{};
  return ChainHead{col_int((*r)[0], 0), col((*r)[0], 1)};
}

Result<Record> Store::record(std::int64_t seq) {
  std::lock_guard lk(impl_->rmu);
  auto r = impl_->rconn->query(std::string(kRecordSelect) + " WHERE r.seq = ?", {SqlValue::integer(seq)});
  if (!r) return r.error();
  if (r->empty()) return Error::NotFound("audit record " + std::to_string(seq) + " does not exist");
  return record_from_row((*r)[0]);
}

Status Store::scan(const ExportFilter& filter, const std::function<bool(const Record&)>& f) {
  std::string sql = std::string(kRecordSelect) + " WHERE 1 = 1";
  SqlParams p;
  auto bound = [](const std::string& s, bool upper) -> Result<std::string> {
    auto t = parse_utc(s);
    if (!t)
      return Error::BadInput("bad date or time '" + s + "' (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)");
    if (upper && s.size() == 10) *t += std::chrono::hours(24);  // a day bound includes the whole day
    return format_utc(*t);
  };
  if (!filter.from.empty()) {
    auto b = bound(filter.from, false);
    if (!b) return b.error();
    sql += " AND r.ts >= ?";
    p.push_back(SqlValue::text(*b));
  }
  if (!filter.to.empty()) {
    auto b = bound(filter.to, true);
    if (!b) return b.error();
    sql += filter.to.size() == 10 ? " AND r.ts < ?" : " AND r.ts <= ?";
    p.push_back(SqlValue::text(*b));
  }
  if (!filter.actions.empty()) {
    sql += " AND (";
    for (size_t i = 0; i < filter.actions.size(); ++i) {
      sql += std::string(i ? " OR " : "") + "r.action = ? OR r.action LIKE ?";
      p.push_back(SqlValue::text(filter.actions[i]));
      p.push_back(SqlValue::text(filter.actions[i] + ".%"));
    }
    sql += ")";
  }
  sql += " ORDER BY r.seq";
  std::lock_guard lk(impl_->rmu);
  return impl_->rconn->each(sql, p, [&](const SqlRow& row) { return f(record_from_row(row)); });
}

Result<Appended> Store::redact(std::int64_t seq, const std::string& reason, const std::string& caller) {
  if (reason.empty()) return Error::BadInput("redact: a reason is required");
  std::string at = impl_->now();
  return impl_->in_writer<Appended>([=, this](WriterTx& tx) -> Result<Appended> {
    auto r = tx.conn.query(
        "SELECT i.seq, i.inputs, i.redacted_by FROM audit_records r "
        "LEFT JOIN audit_inputs i ON i.seq = r.seq WHERE r.seq = ?",
        {SqlValue::integer(seq)});
    if (!r) return r.error();
    if (r->empty()) return Error::NotFound("audit record " + std::to_string(seq) + " does not exist");
    if ((*r)[0][2])
      return Error::BadInput("the inputs of record " + std::to_string(seq) + " are already redacted");
    RecordDraft d;
    d.caller = caller;
    d.action = "audit.redact";
    d.inputs = {{"seq", seq}};
    d.result = {{"redacted_seq", seq}, {"reason", reason}};
    auto a = tx.append(impl_->make_record(std::move(d)));
    if (auto st = tx.flush(); !st) return st.error();
    auto u = tx.conn.query(
        "UPDATE audit_inputs SET inputs = NULL, redacted_by = ?, redaction_reason = ? WHERE seq = ?",
        {SqlValue::integer(a.seq), SqlValue::text(reason), SqlValue::integer(seq)});
    if (!u) return u.error();
    return a;
  });
}

// ---------------------------------------------------------------- content-addressed data

Status Store::Impl::keep(const std::string& kind, const std::string& id, const std::string& meta,
                         const std::string& bytes) {
  std::string key = kind + "/" + id;
  {
    std::lock_guard lk(kept_mu);
    if (kept_known.count(key)) return Status::Ok();
  }
  std::lock_guard lk(rmu);
  auto r =
      rconn->query("INSERT INTO kept (kind, id, meta, bytes) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                   {SqlValue::text(kind), SqlValue::text(id), SqlValue::text(meta), SqlValue::blob(bytes)});
  if (!r) return r.error();
  std::lock_guard lk2(kept_mu);
  kept_known.insert(key);
  return Status::Ok();
}

Result<std::optional<std::string>> Store::Impl::load_kept(const std::string& kind, const std::string& id) {
  std::lock_guard lk(rmu);
  auto r = rconn->query("SELECT bytes FROM kept WHERE kind = ? AND id = ?",
                        {SqlValue::text(kind), SqlValue::text(id)});
  if (!r) return r.error();
  if (r->empty()) return std::optional<std::string>{};
  return std::optional<std::string>(col((*r)[0], 0));
}

Status Store::keep_snapshot(const ListSnapshot& s) {
  {
    std::lock_guard lk(impl_->kept_mu);
    if (impl_->kept_known.count("snapshot/" + s.info.id)) return Status::Ok();
  }
  auto has = has_snapshot(s.info.id);
  if (!has) return has.error();
  if (*has) {
    std::lock_guard lk(impl_->kept_mu);
    impl_->kept_known.insert("snapshot/" + s.info.id);
    return Status::Ok();
  }
  // The binary form does not carry whether the lists were the bundled samples; the meta does
  // (a replay must say "screened against the samples" exactly when the answer did).
  nlohmann::json meta = {
      {"name", s.info.name},       {"format", s.info.format}, {"source_date", s.info.source_date},
      {"entries", s.info.entries}, {"names", s.info.names},   {"bundled_sample", s.info.bundled_sample}};
  return impl_->keep("snapshot", s.info.id, canonical_json(meta), encode_snapshot(s));
}

Result<bool> Store::has_snapshot(const std::string& id) {
  std::lock_guard lk(impl_->rmu);
  auto r = impl_->rconn->query("SELECT 1 FROM kept WHERE kind = 'snapshot' AND id = ?", {SqlValue::text(id)});
  if (!r) return r.error();
  return !r->empty();
}

Result<ListSnapshot> Store::load_snapshot(const std::string& id) {
  SqlRows rows;
  {
    std::lock_guard lk(impl_->rmu);
    auto r = impl_->rconn->query("SELECT bytes, meta FROM kept WHERE kind = 'snapshot' AND id = ?",
                                 {SqlValue::text(id)});
    if (!r) return r.error();
    rows = std::move(*r);
  }
  if (rows.empty()) return Error::NotFound("list snapshot " + id + " is not kept in the store");
  auto s = decode_snapshot(col(rows[0], 0), "store snapshot " + id);
  if (!s) return s.error();
  auto meta = nlohmann::json::parse(col(rows[0], 1), nullptr, false);
  if (meta.is_object()) s->info.bundled_sample = meta.value("bundled_sample", false);
  return s;
}

std::string kept_files_hash(const std::vector<KeptFile>& files) {
  std::string all;
  for (const auto& f : files) {
    all += f.name;
    all += '\0';
    all += f.text;
    all += '\0';
  }
  return sha256_hex(all);
}

Result<std::vector<KeptFile>> read_kept_files(const std::string& dir) {
  auto paths = list_files(dir, {".yaml", ".yml"});
  if (!paths) return paths.error();
  std::vector<KeptFile> out;
  for (const auto& p : *paths) {
    auto text = read_file(p, 64 << 20);
    if (!text) return text.error();
    out.push_back({std::filesystem::relative(p, dir).string(), std::move(*text)});
  }
  return out;
}

Status Store::keep_files(const std::string& kind, const std::string& id, const std::vector<KeptFile>& files) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& f : files) j.push_back({{"name", f.name}, {"text", f.text}});
  return impl_->keep(kind, id, canonical_json({{"files", files.size()}}), canonical_json(j));
}

Result<std::vector<KeptFile>> Store::load_files(const std::string& kind, const std::string& id) {
  auto b = impl_->load_kept(kind, id);
  if (!b) return b.error();
  if (!*b) return Error::NotFound(kind + " version " + id + " is not kept in the store");
  auto j = nlohmann::json::parse(**b, nullptr, false);
  if (j.is_discarded() || !j.is_array()) return Error::Io("kept " + kind + " " + id + " is damaged");
  std::vector<KeptFile> out;
  for (const auto& f : j) out.push_back({f.value("name", ""), f.value("text", "")});
  return out;
}

Result<std::vector<std::pair<std::string, std::int64_t>>> Store::kept_sizes() {
  std::lock_guard lk(impl_->rmu);
  auto r = impl_->rconn->query("SELECT kind, SUM(LENGTH(bytes)) FROM kept GROUP BY kind ORDER BY kind");
  if (!r) return r.error();
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (const auto& row : *r) out.emplace_back(col(row, 0), col_int(row, 1));
  return out;
}

}  // namespace clearance
