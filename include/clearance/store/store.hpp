// The store: audit trail, review cases, settings and the content-addressed data that records refer
// to (list snapshots, rule packs, item catalogues), in SQLite (default) or PostgreSQL.
//
//   StoreOptions o;  o.location = home + "/store.sqlite";  o.clock = [] { return system_clock::now(); };
//   auto store = Store::open(o);                       // runs forward migrations; refuses newer stores
//   auto a = (*store)->append(draft);                  // returns once the record is durable
//   auto report = (*store)->verify();                  // recomputes the chain
//
// Durability: one writer thread per Store commits queued records in groups (one transaction, one
// fsync for many appends); append() returns only after the commit and after the chain-head file
// beside the store has been fsynced. Several processes may append to one store: the chain head is
// locked inside each transaction (SQLite's write lock, a row lock in PostgreSQL), so they form one
// chain.
//
// Append-only: there is no update or delete path for records in this module, and the schema
// refuses UPDATE and DELETE on the records table (triggers) so a stray statement fails loudly.
//
// Thread safety: every member function may be called from any number of threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clearance/common/env.hpp"
#include "clearance/common/result.hpp"
#include "clearance/lists/snapshot.hpp"
#include "clearance/store/cases.hpp"
#include "clearance/store/record.hpp"

namespace clearance {

// The schema this build writes. Older stores are migrated forward at open; newer ones refused.
inline constexpr int kStoreSchemaVersion = 4;

struct StoreOptions {
  // "sqlite:PATH", a plain PATH (SQLite), or a "postgres://…" / "postgresql://…" URL.
  std::string location;
  // The chain-head file (written and fsynced after every group commit; verify compares the trail
  // with it, so a truncated tail is detected). Empty: PATH + ".head" for SQLite, none for
  // PostgreSQL unless given.
  std::string head_file;
  Clock clock;  // required: the library never reads the clock itself
  // Group commit: up to max_batch queued appends share one transaction. Off: one per append.
  bool group_commit = true;
  size_t max_batch = 1024;
  // How long the writer waits for more appends before committing a group (0: commit whatever is
  // queued as soon as the previous commit is done, which already groups under load).
  std::chrono::microseconds linger{0};
  // The IO seam for a SQLite store's files and the chain-head file (tests: a fault-injecting Env);
  // null: Env::Default(). Must outlive the Store.
  Env* env = nullptr;
  // Tests only: create a store at this older schema version (no migrations run).
  int create_schema_version = kStoreSchemaVersion;
};

struct Appended {
  std::int64_t seq = 0;
  std::string hash;
};

// A pending append: wait() blocks until the record is durable (or failed).
class AppendTicket {
 public:
  AppendTicket() = default;
  explicit AppendTicket(std::future<Result<Appended>> f) : f_(std::move(f)) {}
  Result<Appended> wait() {
    return f_.valid() ? f_.get() : Result<Appended>(Error::Internal("empty ticket"));
  }

 private:
  std::future<Result<Appended>> f_;
};

enum class VerifyProblem {
  kNone,
  kAltered,        // a record's content no longer matches its hash (or its successor's link)
  kInserted,       // a record that was not in the chain sits between two that were
  kReordered,      // records are linked in a different order than their sequence numbers say
  kDeleted,        // sequence numbers are missing
  kTruncated,      // the trail ends before the chain head written down at commit
  kInputsAltered,  // stored inputs do not match the digest in the chain
  kInputsMissing,  // inputs were removed without a redaction record
  kHeadMismatch,   // the chain-head file names a record whose hash differs
  kNotExtending,   // --extends SEQ:HASH is not part of the trail
};
std::string_view to_string(VerifyProblem p);

struct VerifyReport {
  bool ok = true;
  std::int64_t records = 0;
  ChainHead head;                      // the last record verified
  std::optional<ChainHead> head_file;  // as read from the chain-head file, when there is one
  std::vector<std::int64_t> redacted;  // records whose inputs were redacted (each with its record)
  VerifyProblem problem = VerifyProblem::kNone;
  std::int64_t problem_seq = 0;  // the first record concerned
  std::string message;           // names the record and what is wrong
};

struct ExportFilter {
  std::string from;                  // inclusive, "YYYY-MM-DD" or a format_utc time; empty: from the start
  std::string to;                    // inclusive day when "YYYY-MM-DD"; empty: to the end
  std::vector<std::string> actions;  // empty: every action; "screen" also matches "screen.batch"
};

// Files kept content-addressed for replay (rule packs, item catalogue): names and texts in order.
struct KeptFile {
  std::string name;
  std::string text;
};

// An API key as a store keeps it for the replicas that share it: its SHA-256, never the key.
struct StoredKey {
  std::string id;  // "k1a2b3c4d"
  std::string name;
  std::string role;
  std::string sha256;
  std::string created_at;
  std::string revoked_at;  // "" while valid
};

// What a PostgreSQL store knows of an Idempotency-Key (Store::claim_idempotent).
struct IdempotentClaim {
  enum class Kind {
    kRun,           // nobody answered it: run the request (this process holds the key until
                    // answer_idempotent or release_idempotent)
    kAnswered,      // answered before: status, headers and body are the answer to give again
    kRecorded,      // answered and recorded, but its holder stopped before keeping the answer:
                    // audit_seq is the answer's record (rebuild the answer from it)
    kBusy,          // another live process is running the first request
    kOtherRequest,  // the key was used for a different request
  };
  Kind kind = Kind::kRun;
  int status = 0;
  std::string headers;  // "Name: value" lines
  std::string body;
  std::int64_t audit_seq = 0;
};

// A job of the queue replicas sharing a PostgreSQL store work on together (docs/SCALING.md).
struct SharedJobChunk {
  std::string input;  // the chunk's part of the job's input, as the worker reads it
  std::uint64_t first_row = 0;
  std::uint64_t rows = 0;
};
struct NewSharedJob {
  std::string id;
  std::string kind;
  std::string owner;
  std::string params;  // JSON: how the chunks are worked on
  std::uint64_t total = 0;
  std::vector<SharedJobChunk> chunks;
};
struct SharedJob {
  std::string id, kind, owner, params;
  std::string state;  // queued | running | done | failed
  std::uint64_t total = 0, rows_done = 0;
  std::int64_t chunks = 0, chunks_done = 0, chunks_running = 0;
  std::int64_t reclaimed = 0;  // claims of a chunk after its lease expired (its replica died or stalled)
  std::string created_at, started_at, finished_at;
  std::string error;  // JSON {"code", "message", "field"} when failed
};
// A chunk claimed by one worker; `claim` fences it: only the latest claim can complete it.
struct ClaimedChunk {
  std::string job, kind, owner, params;
  std::int64_t n = 0;
  std::uint64_t first_row = 0, rows = 0;
  std::string input;
  std::int64_t claim = 0;
  std::string worker;
};

// Counters since open (for benchmarks and /metrics).
struct StoreStats {
  std::uint64_t commits = 0;  // group-commit transactions that succeeded
  std::uint64_t records = 0;  // records appended by this Store
  std::uint64_t failed_commits = 0;
};

class Store {
 public:
  static Result<std::unique_ptr<Store>> open(const StoreOptions& options);
  // Waits for queued appends to commit, then closes.
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::string& location() const;
  bool is_postgres() const;
  Result<int> schema_version();
  StoreStats stats() const;

  // ---- audit trail
  // Appends and waits until the record is durable. kIo when it could not be recorded.
  Result<Appended> append(RecordDraft draft);
  // Appends all, in order, in as few group commits as the batch size allows; returns once all are
  // durable (or the first error).
  Result<std::vector<Appended>> append_all(std::vector<RecordDraft> drafts);
  // Queues an append; the ticket's wait() returns once durable. Appends from one thread are
  // recorded in submission order.
  AppendTicket submit(RecordDraft draft);
  Result<ChainHead> head();
  // kNotFound when there is no record seq.
  Result<Record> record(std::int64_t seq);
  // Records in sequence order within the filter; f returns false to stop.
  Status scan(const ExportFilter& filter, const std::function<bool(const Record&)>& f);
  // Recomputes the chain and compares it with the chain-head file; names the first problem.
  // extends: also check that the trail still contains this record with this hash.
  Result<VerifyReport> verify(const std::optional<ChainHead>& extends = std::nullopt);
  // Blanks the inputs of record seq (legal erasure) and appends an audit.redact record saying so.
  Result<Appended> redact(std::int64_t seq, const std::string& reason, const std::string& caller);

  // ---- content-addressed data for replay (kept forever: no delete path)
  Status keep_snapshot(const ListSnapshot& snapshot);
  Result<ListSnapshot> load_snapshot(const std::string& id);
  Result<bool> has_snapshot(const std::string& id);
  // kind: "rules" (id: RuleSet::version()), "items" (id: kept_files_hash of the files), "orders" and
  // "aliases" (id: SHA-256 of the one file's text).
  Status keep_files(const std::string& kind, const std::string& id, const std::vector<KeptFile>& files);
  Result<std::vector<KeptFile>> load_files(const std::string& kind, const std::string& id);
  // Bytes kept per kind ("snapshot", "rules", "items"), for the docs and `audit` output.
  Result<std::vector<std::pair<std::string, std::int64_t>>> kept_sizes();

  // ---- the lists in force, shared by the replicas of one store (docs/SCALING.md)
  // Sets the snapshot in force for each named list (other lists keep theirs) and, when that changed
  // anything, announces it to every process waiting in wait_for_published_lists (PostgreSQL:
  // NOTIFY clearance_lists, delivered at commit). Keep the snapshots (keep_snapshot) first.
  // Returns whether anything changed.
  Result<bool> publish_lists(const std::vector<SnapshotRef>& in_force);
  // The published snapshot of each list, by name; empty when none was published.
  Result<std::vector<SnapshotRef>> published_lists();
  // Waits up to timeout_ms for an announcement from any process on this store: true when one came,
  // and also on the first call and after a lost connection (announcements may have been missed, so
  // the caller should compare published_lists() with what it serves). kBadInput on SQLite (one
  // process serves a SQLite store), kIo when PostgreSQL cannot be reached.
  Result<bool> wait_for_published_lists(int timeout_ms);

  // ---- API keys (docs/SCALING.md: the keys of replicas sharing a PostgreSQL store)
  // kBadInput when a key with this id exists.
  Status add_key(const StoredKey& key);
  // Marks the key revoked at `at` (revoking twice keeps the first time); kNotFound for an unknown id.
  Result<StoredKey> revoke_key(const std::string& id, const std::string& at);
  // Every key, revoked ones included, by creation.
  Result<std::vector<StoredKey>> keys();

  // ---- idempotent answers shared by the replicas of a PostgreSQL store (kBadInput on SQLite)
  // Claims `key` (the caller and its Idempotency-Key) for a request whose method, target and body
  // hash to request_hash. A process that claims a key holds it (a PostgreSQL advisory lock of this
  // store's session) until it answers or releases it, so a process that dies (SIGKILL) lets go of
  // it at once; a claim held by a live process is waited for up to wait_ms, then kBusy. Records
  // appended with RecordDraft::idempotency_key = key note their number against it in their own
  // transaction. Answers older than 24 hours are forgotten.
  Result<IdempotentClaim> claim_idempotent(const std::string& key, const std::string& request_hash,
                                           int wait_ms);
  // Keeps the answer to a claimed key and lets go of it.
  Status answer_idempotent(const std::string& key, int status, const std::string& headers,
                           const std::string& body);
  // Lets go of a claimed key without an answer (a refusal a retry may overcome): the next claim
  // runs the request again, unless a record already answers it.
  Status release_idempotent(const std::string& key);

  // ---- review cases
  // For each hit of one screened party: the live case of its key, opened when there is none (a
  // false positive past its expiry is marked expired and a new case opens; older cases of the same
  // party and entry with another content hash are released). Durable before it returns.
  Result<std::vector<ReviewMark>> review(const std::string& party_key, const std::string& party_name,
                                         const std::vector<ReviewHit>& hits, const std::string& caller);
  // The same without writing: marks from the cases that exist, opening none (case_id 0 for a hit
  // without a live case). For trial runs (--no-record).
  Result<std::vector<ReviewMark>> review_lookup(const std::string& party_key,
                                                const std::vector<ReviewHit>& hits);
  // Both for many screened parties at once (a batch): one writer job, one commit.
  Result<std::vector<std::vector<ReviewMark>>> review_many(const std::vector<ReviewRequest>& parties,
                                                           const std::string& caller);
  Result<std::vector<std::vector<ReviewMark>>> review_lookup_many(const std::vector<ReviewRequest>& parties);
  // Reviews the hits of many screened parties (as review_many) and appends the records that `build`
  // makes from their marks (given in the order of `parties`), in one transaction: the cases opened
  // and the screenings that opened them are durable together, at the cost of one commit. `build`
  // runs in the writer (it may use parallel_for) and cannot fail.
  using RecordBuilder = std::function<std::vector<RecordDraft>(const std::vector<std::vector<ReviewMark>>&)>;
  Result<std::vector<Appended>> review_and_append(const std::vector<ReviewRequest>& parties,
                                                  const std::string& caller, const RecordBuilder& build);
  // The same without waiting: `done` gets the records once they are durable (or the failure). It
  // runs on a thread of the store and must return quickly (hand the rest to a thread of yours). A
  // server answers this way without holding a thread while the group commits.
  void review_and_append_later(std::vector<ReviewRequest> parties, std::string caller, RecordBuilder build,
                               std::function<void(Result<std::vector<Appended>>)> done);
  // ---- the job queue of replicas sharing a PostgreSQL store (kBadInput on SQLite)
  // Records a job and its chunks, queued. With an id that exists, nothing changes and false is
  // returned (a retried request with the same Idempotency-Key names the same job).
  Result<bool> create_shared_job(const NewSharedJob& job);
  // Claims the next chunk of any running job (SELECT … FOR UPDATE SKIP LOCKED): one queued, or one
  // whose lease ran out (its worker died); leased for lease_ms on the database's clock. nullopt
  // when there is none.
  Result<std::optional<ClaimedChunk>> claim_chunk(const std::string& worker, int lease_ms);
  // Extends the lease; kNotFound when the chunk is no longer this claim's (another worker took it).
  Status renew_chunk(const ClaimedChunk& chunk, int lease_ms);
  // In one transaction: checks the chunk is still this claim's (kNotFound otherwise, and nothing is
  // written), reviews the parties' hits and appends the records `build` makes (as
  // review_and_append), stores `result(appended)` as the chunk's result and marks it done (the job
  // too, with its last chunk).
  Result<std::vector<Appended>> complete_chunk(
      const ClaimedChunk& chunk, const std::vector<ReviewRequest>& parties, const std::string& caller,
      const RecordBuilder& build, const std::function<std::string(const std::vector<Appended>&)>& result);
  // Marks a job failed (no more chunks are claimed) with error (JSON).
  Status fail_shared_job(const std::string& id, const std::string& error);
  Result<std::optional<SharedJob>> shared_job(const std::string& id);
  // The results of a done job's chunks, in order (f returns false to stop); with prefix_chars, only
  // the first prefix_chars characters of each (the rest is not sent by the database).
  Status each_chunk_result(const std::string& id, const std::function<bool(const std::string&)>& f,
                           size_t prefix_chars = 0);

  // ---- review cases (continued)
  Result<std::vector<Case>> cases(std::optional<CaseStatus> status = std::nullopt, size_t limit = 1000);
  // Cases matching every condition of the filter, by id.
  Result<std::vector<Case>> cases(const CaseFilter& filter);
  // How many cases there are in each status (statuses without cases are left out).
  Result<std::vector<std::pair<CaseStatus, std::int64_t>>> case_counts();
  Result<Case> get_case(std::int64_t id);
  // Decides an open (or pending) case; pending when the policy requires approval. Appends a
  // case.decide record in the same transaction (its number and hash in *recorded when given).
  Result<Case> decide(std::int64_t id, CaseDecision decision, const std::string& reason,
                      const std::string& caller, Appended* recorded = nullptr);
  // Approves a pending decision; kBadInput when the approver is the user who decided. Appends a
  // case.approve record in the same transaction (in *recorded when given).
  Result<Case> approve(std::int64_t id, const std::string& caller, Appended* recorded = nullptr);
  Result<CasePolicy> policy();
  // Changes the policy and appends a case.policy record.
  Result<Appended> set_policy(const CasePolicy& policy, const std::string& caller);

  // ---- backup and restore (SQLite; PostgreSQL uses pg_dump, see docs/RECORDS.md)
  // A consistent copy of the store (online backup API) and its chain head into dir.
  Status backup(const std::string& dir);
  // Replaces the store at options.location with the backup in dir (the store must not be open),
  // after checking that the backup's chain verifies. The chain-head file is reset to the
  // backup's head, and a store.restore record is appended saying what was restored.
  static Result<Appended> restore(const std::string& dir, const StoreOptions& options,
                                  const std::string& caller);

  struct Impl;

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The content hash kept_files are addressed by (SHA-256 over names and texts, in order).
std::string kept_files_hash(const std::vector<KeptFile>& files);
// Reads every *.yaml / *.yml below dir in path order, as RuleSet::load_dir and
// Catalogue::load_dir do (names are file names, as their version hashes use).
Result<std::vector<KeptFile>> read_kept_files(const std::string& dir);

}  // namespace clearance
