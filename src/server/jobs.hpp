// Jobs: long batch screenings and impact runs (POST /v1/jobs) run in the background by in-process
// worker threads, with progress, their results kept in a file under <home>/jobs/ until the server
// stops. The handlers are the endpoints' own (a batch writes into the job's file as it would
// into a chunked response), so a job answers and records exactly as the synchronous endpoint
// does. In-process for now: a restart forgets the jobs (issue 16 moves the queue to PostgreSQL).
//
// Thread-safety: every member may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/service.hpp"

namespace clearance::server {

struct Job {
  enum class State { kQueued, kRunning, kDone, kFailed };
  std::string id;
  std::string kind;   // "screen" | "impact" | "lists_update"
  std::string owner;  // the key id that created it ("anonymous" for keyless callers)
  std::string created_at, started_at, finished_at;
  std::atomic<State> state{State::kQueued};
  std::atomic<std::uint64_t> done{0};  // rows answered so far
  std::uint64_t total = 0;             // rows in the input (0: not known)
  std::string result_path;
  // Set when it finishes (under JobQueue's mutex): the result's type, the record of an impact
  // run, or the error of a failed job ({"code", "message", "field"}).
  std::string content_type;
  std::atomic<std::int64_t> audit_id{0};        // 0: none
  std::shared_ptr<const ServingState> serving;  // the lists and rules it runs with
  nlohmann::ordered_json error;
  // Runs the job, writing its result through the responder; returns the answer's status.
  std::function<int(Responder&)> run;
};
std::string_view to_string(Job::State s);

class JobQueue {
 public:
  // Results go to dir (emptied at start: jobs do not outlive the server). `threads` workers.
  JobQueue(std::string dir, unsigned threads);
  ~JobQueue();
  Status start();
  // Queues a job; assigns its id and result path.
  std::shared_ptr<Job> submit(std::shared_ptr<Job> job);
  std::shared_ptr<Job> find(const std::string& id) const;
  // Running jobs stop at their next row; queued ones fail ("the server stopped"). Waits.
  void stop();
  bool stopping() const { return stopping_; }
  // The job as GET /v1/jobs/{id} shows it.
  nlohmann::ordered_json describe(const Job& job) const;

 private:
  void work();
  std::string dir_;
  unsigned threads_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<Job>> queue_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  std::vector<std::thread> workers_;
  std::atomic<bool> stopping_{false};
  std::uint64_t next_ = 0;
  std::string prefix_;
};

}  // namespace clearance::server
