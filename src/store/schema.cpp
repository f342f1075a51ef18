// Schema version 1 is frozen as shipped: a store written by that version must keep opening, so its
// DDL never changes here; every change after it is a numbered migration.
#include "store/schema.hpp"

#include <string>
#include <vector>

#include "clearance/store/record.hpp"
#include "clearance/store/store.hpp"

namespace clearance::store_detail {
namespace {

// Shared by both dialects; {PK} / {BLOB} / {ID} are filled in per dialect.
const char* kV1Tables = R"(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE audit_records (
  seq {PK},
  ts TEXT NOT NULL,
  caller TEXT NOT NULL,
  action TEXT NOT NULL,
  inputs_sha256 TEXT NOT NULL,
  snapshots TEXT NOT NULL,
  rules TEXT NOT NULL,
  catalogue TEXT NOT NULL,
  engine TEXT NOT NULL,
  threshold TEXT NOT NULL,
  result TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_records_ts ON audit_records (ts);
CREATE TABLE audit_inputs (seq BIGINT PRIMARY KEY, inputs TEXT, redacted_by BIGINT, redaction_reason TEXT);
CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE kept (kind TEXT NOT NULL, id TEXT NOT NULL, meta TEXT NOT NULL, bytes {BLOB} NOT NULL,
                   PRIMARY KEY (kind, id));
CREATE TABLE cases (
  id {ID},
  party_key TEXT NOT NULL,
  party_name TEXT NOT NULL,
  entry_id TEXT NOT NULL,
  entry_hash TEXT NOT NULL,
  list TEXT NOT NULL,
  entry_name TEXT NOT NULL,
  score TEXT NOT NULL,
  status TEXT NOT NULL,
  decision TEXT NOT NULL,
  reason TEXT NOT NULL,
  opened_at TEXT NOT NULL,
  opened_by TEXT NOT NULL,
  decided_at TEXT NOT NULL,
  decided_by TEXT NOT NULL,
  approved_at TEXT NOT NULL,
  approved_by TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  closed_note TEXT NOT NULL
);
CREATE UNIQUE INDEX cases_live ON cases (party_key, entry_id, entry_hash)
  WHERE status IN ('open', 'pending', 'decided');
CREATE INDEX cases_status ON cases (status, id);
)";

// The records table refuses UPDATE and DELETE; inputs may only be blanked (a redaction).
const char* kV1SqliteTriggers = R"(
CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER audit_records_no_delete BEFORE DELETE ON audit_records
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER audit_inputs_no_delete BEFORE DELETE ON audit_inputs
  BEGIN SELECT RAISE(ABORT, 'audit inputs can only be redacted'); END;
CREATE TRIGGER audit_inputs_redact_only BEFORE UPDATE ON audit_inputs
  WHEN NEW.inputs IS NOT NULL OR NEW.seq <> OLD.seq
  BEGIN SELECT RAISE(ABORT, 'audit inputs can only be redacted'); END;
)";

const char* kV1PostgresTriggers = R"(
CREATE OR REPLACE FUNCTION clearance_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit records are append-only (% refused)', TG_OP; END $$;
CREATE TRIGGER audit_records_append_only BEFORE UPDATE OR DELETE ON audit_records
  FOR EACH ROW EXECUTE FUNCTION clearance_refuse_change();
CREATE TRIGGER audit_records_no_truncate BEFORE TRUNCATE ON audit_records
  FOR EACH STATEMENT EXECUTE FUNCTION clearance_refuse_change();
CREATE OR REPLACE FUNCTION clearance_inputs_redact_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' OR NEW.inputs IS NOT NULL OR NEW.seq <> OLD.seq THEN
    RAISE EXCEPTION 'audit inputs can only be redacted (% refused)', TG_OP;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER audit_inputs_redact_only BEFORE UPDATE OR DELETE ON audit_inputs
  FOR EACH ROW EXECUTE FUNCTION clearance_inputs_redact_only();
CREATE TRIGGER audit_inputs_no_truncate BEFORE TRUNCATE ON audit_inputs
  FOR EACH STATEMENT EXECUTE FUNCTION clearance_refuse_change();
)";

// Version 2: a settings table (the four-eyes policy, the suppression period).
const char* kMigrationTo2 = R"(
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
)";

// Version 3: what the replicas of one PostgreSQL store share besides the trail (docs/SCALING.md):
// API keys (hash only) and the answers kept for Idempotency-Keys, with the first record of each.
const char* kMigrationTo3 = R"(
CREATE TABLE api_keys (id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, sha256 TEXT NOT NULL,
                       created_at TEXT NOT NULL, revoked_at TEXT NOT NULL);
CREATE TABLE idempotency (key TEXT PRIMARY KEY, request_hash TEXT NOT NULL, created_at TEXT NOT NULL,
                          audit_seq BIGINT, status INTEGER, headers TEXT, body {BLOB});
CREATE INDEX idempotency_created ON idempotency (created_at);
)";

// Version 4: the job queue of replicas sharing a PostgreSQL store (docs/SCALING.md): a job and its
// chunks; a replica claims a chunk (FOR UPDATE SKIP LOCKED) for a lease of milliseconds on the
// database's clock, and marks it done with its result in the transaction of its records.
const char* kMigrationTo4 = R"(
CREATE TABLE jobs (id TEXT PRIMARY KEY, kind TEXT NOT NULL, owner TEXT NOT NULL, params TEXT NOT NULL,
                   state TEXT NOT NULL, total BIGINT NOT NULL, chunks INTEGER NOT NULL,
                   chunks_done INTEGER NOT NULL, rows_done BIGINT NOT NULL, created_at TEXT NOT NULL,
                   started_at TEXT NOT NULL, finished_at TEXT NOT NULL, error TEXT NOT NULL);
CREATE TABLE job_chunks (job TEXT NOT NULL, n INTEGER NOT NULL, first_row BIGINT NOT NULL, rows INTEGER NOT NULL,
                         input {BLOB} NOT NULL, state TEXT NOT NULL, claimed_by TEXT NOT NULL,
                         lease_until BIGINT NOT NULL, claims INTEGER NOT NULL, result {BLOB},
                         records INTEGER NOT NULL, PRIMARY KEY (job, n));
CREATE INDEX job_chunks_open ON job_chunks (state, lease_until) WHERE state <> 'done';
)";

std::string fill(std::string sql, Dialect d) {
  auto replace = [&](const std::string& from, const std::string& to) {
    for (size_t p; (p = sql.find(from)) != std::string::npos;) sql.replace(p, from.size(), to);
  };
  bool pg = d == Dialect::kPostgres;
  replace("{PK}", pg ? "BIGINT PRIMARY KEY" : "INTEGER PRIMARY KEY");
  replace("{BLOB}", pg ? "BYTEA" : "BLOB");
  replace("{ID}",
          pg ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT");
  return sql;
}

Status create_v1(SqlConn& c) {
  if (auto st = c.exec(fill(kV1Tables, c.dialect())); !st) return st;
  if (auto st = c.exec(c.dialect() == Dialect::kPostgres ? kV1PostgresTriggers : kV1SqliteTriggers); !st)
    return st;
  auto h = c.query("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, ?)",
                   {SqlValue::text(std::string(kGenesisHash))});
  if (!h) return h.error();
  auto m = c.query("INSERT INTO meta (key, value) VALUES ('schema_version', '1')");
  if (!m) return m.error();
  return Status::Ok();
}

struct Migration {
  int to;
  const char* sql;
};
const std::vector<Migration>& migrations() {
  static const std::vector<Migration> kAll{{2, kMigrationTo2}, {3, kMigrationTo3}, {4, kMigrationTo4}};
  return kAll;
}

Status set_version(SqlConn& c, int v) {
  auto r =
      c.query("UPDATE meta SET value = ? WHERE key = 'schema_version'", {SqlValue::text(std::to_string(v))});
  return r ? Status::Ok() : Status(r.error());
}

Result<bool> has_meta(SqlConn& c) {
  auto r = c.dialect() == Dialect::kPostgres
               ? c.query("SELECT to_regclass('meta') IS NOT NULL")
               : c.query("SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
  if (!r) return r.error();
  const auto& v = col((*r)[0], 0);
  return v == "t" || v == "1";
}

}  // namespace

Result<int> read_schema_version(SqlConn& c) {
  auto has = has_meta(c);
  if (!has) return has.error();
  if (!*has) return 0;
  auto r = c.query("SELECT value FROM meta WHERE key = 'schema_version'");
  if (!r) return r.error();
  if (r->empty()) return Error::Io(c.where() + ": not a Clearance store (no schema version)");
  try {
    return std::stoi(col((*r)[0], 0));
  } catch (...) {
    return Error::Io(c.where() + ": not a Clearance store (bad schema version '" + col((*r)[0], 0) + "')");
  }
}

Result<int> open_schema(SqlConn& c, int target) {
  if (auto st = c.begin_write(); !st) return st.error();
  auto fail = [&](const Error& e) -> Result<int> {
    c.rollback();
    return e;
  };
  if (c.dialect() == Dialect::kPostgres) {
    // Processes opening one database at the same time take turns here (released at commit).
    if (auto r = c.query("SELECT pg_advisory_xact_lock(7262012001)"); !r) return fail(r.error());
  }
  auto found = read_schema_version(c);
  if (!found) return fail(found.error());
  if (*found > kStoreSchemaVersion)
    return fail(Error::Io(c.where() + ": the store was written by a newer Clearance (schema version " +
                          std::to_string(*found) + "; this one reads up to " +
                          std::to_string(kStoreSchemaVersion) + "): upgrade Clearance to open it"));
  int v = *found;
  if (v == 0) {
    if (auto st = create_v1(c); !st) return fail(st.error());
    v = 1;
  }
  for (const auto& m : migrations()) {
    if (m.to <= v || m.to > target) continue;
    if (auto st = c.exec(fill(m.sql, c.dialect())); !st) return fail(st.error());
    if (auto st = set_version(c, m.to); !st) return fail(st.error());
    v = m.to;
  }
  if (auto st = c.commit(); !st) return fail(st.error());
  return *found;
}

}  // namespace clearance::store_detail
