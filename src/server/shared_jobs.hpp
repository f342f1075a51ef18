// Batch screenings shared by the replicas of one PostgreSQL store (docs/SCALING.md, the job queue).
// POST /v1/jobs?kind=screen with a CSV upload or a JSON array is split into chunks of rows recorded in the
// store's job table; every replica's workers claim chunks (Store::claim_chunk), screen them against the lists
// they serve, and write each chunk's answers and records in the transaction that marks it done
// (Store::complete_chunk). A chunk whose replica dies is claimed again when its lease runs out. Status and
// result are read from the store, so any replica shows them. No coordinator: the store's row locks are the
// queue.
//
// Thread-safety: every member may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "clearance/lists/diff.hpp"
#include "server/service.hpp"

namespace clearance::server {

class SharedJobs {
 public:
  SharedJobs(Service& svc, SharedJobOptions options);
  ~SharedJobs();
  void start();
  // Workers stop at their next row; a chunk they held is claimed again after its lease.
  void stop();

  // POST /v1/jobs?kind=screen with a CSV body (csv) or a JSON array: splits it into chunks and
  // queues them. The id is derived from the request's Idempotency-Key when it has one, so a retry
  // names the same job. The rows are answered as /v1/screen/batch answers them.
  nlohmann::ordered_json create_screen(Call& c, bool csv);
  // POST /v1/jobs?kind=impact with an order book: chunks of SharedJobOptions::impact_chunk_rows
  // orders, each run as a book of its own (its rows numbered as in the whole) and recorded as an
  // `impact` record; result() merges their reports into the report of the whole book
  // (merge_impact). `html`: the result is the report page.
  nlohmann::ordered_json create_impact(Call& c, bool html);
  // POST /v1/jobs?kind=rescreen&since=ID,… with a customer CSV: its rows screened against the
  // entries added or changed between the snapshots `since` names (those the file was last screened
  // against, as the X-Clearance-Snapshots header of that screening names them) and the lists this
  // replica serves, as `clearance rescreen --since` does, in chunks like a screening job. Each
  // chunk reports its rows' new hits (opening review cases) and the hits gone (entries removed, or
  // changed and no longer hit), and is one `rescreen` record.
  nlohmann::ordered_json create_rescreen(Call& c);
  std::optional<SharedJob> find(const std::string& id) const;
  // As GET /v1/jobs/{id} shows it (the in-process jobs' fields, and "chunks").
  nlohmann::ordered_json describe(const SharedJob& job) const;
  // The result of a done job: the chunks' answers in input order; for an impact job, their
  // reports merged, as JSON (with "records", and "record" when there was one chunk) or the page.
  std::string result(const SharedJob& job) const;
  static std::string result_type(const SharedJob& job);

  const std::string& worker_prefix() const { return prefix_; }

 private:
  // The chunks of an upload, checked first (a bad header or row is a 400, not a failed job).
  void chunk_csv(Call& c, nlohmann::ordered_json& params, NewSharedJob& job) const;
  void chunk_json(Call& c, double threshold, size_t limit, NewSharedJob& job) const;
  void work(unsigned i);
  // Screens and completes one claimed chunk; false when the store failed (the worker pauses).
  bool run_chunk(const ClaimedChunk& chunk);
  bool run_impact_chunk(const ClaimedChunk& chunk, const nlohmann::json& params);
  std::string impact_result(const SharedJob& job) const;
  // The records of a done impact or rescreen job's chunks, in order.
  nlohmann::ordered_json records_of(const SharedJob& job) const;
  // Marks the job failed with an error as the API writes it; true (the worker goes on).
  bool fail(const std::string& job, const std::string& code, const std::string& message,
            const std::string& field = "");

  // What a rescreen job's chunks are screened against, built once per replica for a job's two
  // sets of snapshots (since, to), kept while chunks naming the same come and let go when a worker
  // finds the queue empty.
  struct RescreenBasis {
    std::string key;  // the job's since and to, as JSON
    std::vector<SnapshotInfo> since;
    std::vector<SnapshotRef> to;
    std::shared_ptr<const Screener> now;  // over the lists `to` names
    std::vector<SnapshotDiff> diffs;      // since -> to
    // The entries removed or changed since, scored as among the old lists: what rows hit before.
    std::shared_ptr<const Screener> before;
    std::map<std::string, const Party*> parties;  // list + "\n" + id -> entry added or changed (in `now`)
  };
  Result<std::shared_ptr<const RescreenBasis>> rescreen_basis(const nlohmann::json& params,
                                                              const ServingState& state);
  bool run_rescreen_chunk(const ClaimedChunk& chunk, const nlohmann::json& params);
  std::string rescreen_result(const SharedJob& job) const;
  // Queues a job made by create_*, and describes it as the store holds it.
  nlohmann::ordered_json queue(const NewSharedJob& job);
  // A JSON chunk's rows through `add`, as /v1/screen/batch answers them; BadInput when they no
  // longer read (the job fails).
  Status screen_json_chunk(const ClaimedChunk& chunk, double min_score, size_t limit,
                           const std::function<Status(const BatchRow&)>& add);

  Service& svc_;
  SharedJobOptions o_;
  std::string prefix_;  // host:pid:random, the claims' worker names
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stopping_{false};
  std::mutex basis_mu_;
  std::shared_ptr<const RescreenBasis> basis_;
};

}  // namespace clearance::server
