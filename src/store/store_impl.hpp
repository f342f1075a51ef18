// Store internals shared by store.cpp, verify.cpp, cases.cpp and backup.cpp.
//
// Two connections per Store: the writer's (used only by the writer thread, which runs every write
// as a job inside a group-commit transaction) and the reader's (guarded by a mutex: lookups,
// verify, export, and the content-addressed data, which is written before any record refers to it).
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "clearance/store/store.hpp"
#include "store/head_file.hpp"
#include "store/sql.hpp"

namespace clearance {

namespace store_detail {

// The writer's view of one group-commit transaction.
struct WriterTx {
  SqlConn& conn;
  std::string now;  // format_utc at the start of the batch
  ChainHead head;   // the chain head as records are appended
  std::vector<Record> pending;

  // Assigns the next sequence number, links to the head and hashes; inserted at flush().
  Appended append(Record r);
  Status flush();
};

struct Job {
  virtual ~Job() = default;
  // Runs inside the batch transaction. A job finds its own logical errors (not found, refused)
  // before writing anything and keeps them for finish(); what it returns is fatal to the whole
  // batch (the database failed), which is then rolled back.
  virtual Status run(WriterTx& tx) = 0;
  // Once, after the commit (st ok) or the rollback (st: why).
  virtual void finish(const Status& st) = 0;
  bool appends_only = false;  // a plain record append: may stay buffered for a multi-row insert
};

// A job running f in the writer and handing its result to `done` once committed (and the chain
// head synced), or the failure; `done` runs on a thread of the store and must return quickly.
template <class T>
struct FnJob final : Job {
  std::function<Result<T>(WriterTx&)> f;
  std::function<void(Result<T>)> done;
  std::optional<Result<T>> out;

  Status run(WriterTx& tx) override {
    out.emplace(f(tx));
    if (!out->ok() && (out->error().kind == Error::Kind::kIo || out->error().kind == Error::Kind::kInternal))
      return out->error();
    return Status::Ok();
  }
  void finish(const Status& st) override {
    if (!st.ok())
      done(st.error());
    else
      done(std::move(*out));
  }
};

inline bool is_fatal(const Error& e) {
  return e.kind == Error::Kind::kIo || e.kind == Error::Kind::kInternal;
}

// Columns read for a Record, in Record field order, then the inputs table's.
extern const char* const kRecordSelect;
Record record_from_row(const SqlRow& row);

}  // namespace store_detail

struct Store::Impl {
  StoreOptions opt;
  std::string location;  // the path or the URL as given (without "sqlite:")
  bool pg = false;
  std::unique_ptr<store_detail::SqlConn> wconn;
  std::unique_ptr<store_detail::SqlConn> rconn;
  std::mutex rmu;
  std::unique_ptr<store_detail::HeadFile> head_file;

  std::mutex qmu;
  std::condition_variable qcv;
  std::deque<std::unique_ptr<store_detail::Job>> queue;
  bool stopping = false;
  std::thread writer;

  // The chain-head file is fsynced by a second thread, so the next group's transaction overlaps
  // with the previous group's head-file fsync; jobs finish only after both.
  struct Synced {
    std::vector<std::unique_ptr<store_detail::Job>> jobs;
    ChainHead head;
  };
  std::mutex smu;
  std::condition_variable scv;
  std::deque<Synced> sync_queue;
  bool sync_stopping = false;
  std::thread syncer;

  std::atomic<std::uint64_t> commits{0}, records{0}, failed_commits{0};

  std::mutex kept_mu;
  std::set<std::string> kept_known;  // "kind/id" already in the store

  // The connection that LISTENs for announcements of the lists in force (PostgreSQL; opened by the
  // first wait_for_published_lists, dropped when it fails and opened again by the next).
  std::mutex listen_mu;
  std::unique_ptr<store_detail::SqlConn> listen;

  // The connection holding the Idempotency-Keys this process runs (session advisory locks, so
  // they are let go when the process dies); opened on first use.
  std::mutex idem_mu;
  std::unique_ptr<store_detail::SqlConn> idem;
  std::string idem_swept_at;  // when answers older than 24 hours were last deleted

  // The connection that claims and renews chunks of the job queue (PostgreSQL; opened on first use).
  std::mutex jobs_mu;
  std::unique_ptr<store_detail::SqlConn> jobs_conn;

  ~Impl();
  std::string now() const { return format_utc(opt.clock()); }
  Record make_record(RecordDraft&& d) const;
  void enqueue(std::unique_ptr<store_detail::Job> job);
  void writer_loop();
  void syncer_loop();
  void run_batch(std::vector<std::unique_ptr<store_detail::Job>>& jobs);

  template <class T>
  void in_writer_later(std::function<Result<T>(store_detail::WriterTx&)> f,
                       std::function<void(Result<T>)> done) {
    auto job = std::make_unique<store_detail::FnJob<T>>();
    job->f = std::move(f);
    job->done = std::move(done);
    enqueue(std::move(job));
  }
  template <class T>
  Result<T> in_writer(std::function<Result<T>(store_detail::WriterTx&)> f) {
    auto promise = std::make_shared<std::promise<Result<T>>>();
    auto fut = promise->get_future();
    in_writer_later<T>(std::move(f), [promise](Result<T> r) { promise->set_value(std::move(r)); });
    return fut.get();
  }

  Status keep(const std::string& kind, const std::string& id, const std::string& meta,
              const std::string& bytes);
  Result<std::optional<std::string>> load_kept(const std::string& kind, const std::string& id);
};

namespace store_detail {
// Reviews the parties' hits and appends the records `build` makes from their marks, inside tx.
Result<std::vector<Appended>> review_and_append_in_tx(Store::Impl& impl, WriterTx& tx,
                                                      const std::vector<ReviewRequest>& parties,
                                                      const std::string& caller,
                                                      const Store::RecordBuilder& build);
}  // namespace store_detail

}  // namespace clearance
