// The Clearance service behind the HTTP transport: the route table, authentication and roles, rate
// limits, idempotency, request ids, structured logs and metrics, and the atomic swap of the lists
// in force. Endpoint handlers (routes_*.cpp) parse requests, call the library and shape answers;
// they hold no business logic.
//
// Thread-safety: one Service is shared by every io thread and the worker pool. The lists in force
// are an immutable ServingState swapped atomically: a request keeps the state it started with.
#pragma once

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "clearance/decide/engine.hpp"
#include "clearance/lists/snapshot.hpp"
#include "clearance/match/screener.hpp"
#include "clearance/store/recording.hpp"
#include "clearance/store/store.hpp"
#include "clearance/text/tables.hpp"
#include "server/api_error.hpp"
#include "server/http.hpp"
#include "server/keys.hpp"
#include "server/log.hpp"
#include "server/metrics.hpp"
#include "server/static_files.hpp"

namespace clearance::server {

// Roles as bits, so a route's allowed roles are one mask (the table is in routes.cpp and docs/API.md).
enum Role : unsigned {
  kViewer = 1,
  kAnalyst = 2,
  kApprover = 4,
  kAdmin = 8,
  kAuditor = 16,
};
constexpr unsigned kAllRoles = kViewer | kAnalyst | kApprover | kAdmin | kAuditor;
std::optional<Role> role_from_string(std::string_view s);
std::string role_name(Role r);

struct ServeLimits {
  std::uint64_t max_body = 1 << 20;     // JSON requests
  std::uint64_t max_upload = 64 << 20;  // batch, impact and list uploads
  std::size_t max_batch = 10'000;       // rows in one synchronous batch (more: use /v1/jobs)
  int max_json_depth = 32;
  std::chrono::milliseconds request_timeout{30'000};  // arrival of the request, and its handling
  std::chrono::milliseconds idle_timeout{60'000};
  double rate_per_second = 200;  // per key, token bucket
  double rate_burst = 400;
};

// The job queue shared through a PostgreSQL store (server/shared_jobs.hpp).
struct SharedJobOptions {
  unsigned workers = 1;                      // chunk workers of this replica
  std::chrono::milliseconds lease{30'000};   // a chunk not renewed for this long is claimed again
  size_t chunk_rows = 10'000;                // rows per chunk of a batch screening
  size_t impact_chunk_rows = 250'000;        // orders per chunk of an impact run
  std::chrono::milliseconds idle_poll{250};  // how often an idle worker looks for a chunk
};

struct ServeOptions {
  std::string home;
  std::string data_dir;
  std::string mecab_dictionary;  // IPAdic for Japanese readings; empty: Debian's
  std::string engine_version;
  std::string anonymous_role;  // "" = keyless callers are refused
  ServeLimits limits;
  unsigned workers = 2;          // the pool for long requests (batches, impact, imports, jobs)
  bool record = true;            // put every answer on the audit trail
  std::string web_dir;           // the analyst page's files, served at "/" ("" = no page)
  double max_list_age_days = 7;  // GET /v1/lists marks a list older than this as stale
  std::string update_config;     // `lists update` sources ("": <home>/sources.yaml, else the bundled)
  SharedJobOptions jobs;         // the job queue of a PostgreSQL store
};

struct Caller {
  std::string key_id;  // "" for anonymous
  std::string name;
  Role role = kViewer;
};

// The lists and rules an answer is computed with; immutable, swapped whole.
struct ServingState {
  std::shared_ptr<const Screener> screener;
  std::shared_ptr<const TextTables> tables;
  std::shared_ptr<const Engine> engine;
  bool bundled_samples = false;
  // What records name: the snapshots and the rule packs and catalogue, kept in the store at load.
  std::vector<SnapshotRef> snapshot_refs;
  EngineVersions versions;
  std::string loaded_at;  // ISO 8601 UTC
  std::chrono::steady_clock::time_point loaded_clock;

  // Entry content hashes of the screener's hits (review cases), each computed once.
  std::shared_ptr<EntryHashCache> entry_hashes = std::make_shared<EntryHashCache>();

  // {"snapshots": [{"list", "id", "source_date"}], "rules_version"}
  const nlohmann::ordered_json& provenance() const { return provenance_; }
  // The X-Clearance-Snapshots header: the snapshot ids, comma-separated.
  const std::string& snapshot_ids() const { return snapshot_ids_; }
  const std::string& rules_version() const { return rules_version_; }
  // The provenance dumped as JSON without its closing brace (answers add request_id, audit_id).
  const std::string& provenance_open() const { return provenance_open_; }
  // Computes the provenance once the screener and engine are set (every answer names it).
  void seal();

 private:
  nlohmann::ordered_json provenance_;
  std::string snapshot_ids_, rules_version_, provenance_open_;
};

class Service;
class JobQueue;
class SharedJobs;

// A handler's answer. With `action` set, the answer is put on the audit trail before it is sent
// (an answer a client sees always has its record) and the body's "meta" gets the record id.
struct Answer {
  int status = 200;
  nlohmann::ordered_json body;
  std::optional<std::string> raw;  // non-JSON body (CSV, HTML, metrics text)
  std::string content_type = "application/json";
  bool with_provenance = false;          // add "meta" {snapshots, rules_version, request_id, audit_id}
  std::optional<std::int64_t> audit_id;  // the record of this answer, when it is on the record
  bool deferred = false;                 // sent later, through Call::finish
  static Answer later() {
    Answer a;
    a.deferred = true;
    return a;
  }
};

// What a route handler sees.
struct Call {
  Service& svc;
  Request req;
  Connection conn;
  Caller caller;
  std::string request_id;
  std::map<std::string, std::string> params;  // {id} parts of the path
  std::shared_ptr<const ServingState> state;
  std::chrono::steady_clock::time_point deadline;
  std::string idempotency;  // caller + Idempotency-Key, when the request carries one
  // Jobs: the most rows a batch may have (0: --max-batch), and a hook told how many rows (orders)
  // are done as a long handler goes.
  size_t max_rows = 0;
  std::function<void(std::uint64_t)> progress;
  // A pooled handler that waits for something (its record to be durable) without holding a worker
  // returns Answer::later() and, when the wait is over, calls this (once, from any thread) with
  // the rest of its work: that runs on the pool and its answer (or ApiError) is sent as if the
  // handler had returned it.
  std::function<void(std::function<Answer()>)> finish;

  // A query-string parameter (decoded), or nullopt.
  std::optional<std::string> query(std::string_view name) const;
  // Throws 400 unknown_field for a query parameter not in `allowed` (a misspelt filter is never
  // silently ignored).
  void only_query(std::initializer_list<std::string_view> allowed) const;
  // The JSON body as an object checked by JsonObject (throws 400 on malformed or too deep input).
  nlohmann::json json_body() const;
  bool past_deadline() const { return std::chrono::steady_clock::now() > deadline; }
};

using RouteFn = std::function<Answer(Call&)>;
// Streaming routes write their own response (chunked) from a worker thread and return its status.
using StreamFn = std::function<int(Call&, Responder&)>;

struct Route {
  http::verb method;
  std::string pattern;  // "/v1/jobs/{id}"
  std::string name;     // metrics label and log field
  unsigned roles = 0;   // 0: public (no key needed)
  bool upload = false;  // body up to max_upload instead of max_body
  bool pooled = false;  // runs on the worker pool, not the io thread
  RouteFn fn;
  StreamFn stream;
};

class Service : public Handler {
 public:
  Service(ServeOptions options, Log& log);
  ~Service() override;

  // Loads the tables, lists and rules and makes them current. Called at start and on list updates.
  Status load_state();
  // Loads the lists of the data home and makes them current with the tables, rules and catalogue
  // in force (a list update changes only the lists).
  Status reload_lists();
  // Replicas on one PostgreSQL store serve the lists published there (docs/SCALING.md): makes the
  // data home's lists those published (their snapshots loaded from the store); *changed when the
  // lists served are not those published (reload_lists() then serves them). Nothing to do on SQLite.
  Status sync_published_lists(bool* changed);
  // Opens the store (the audit trail); before load_state, which keeps what records name in it.
  Status open_store(const StoreOptions& options);
  Store* store() const { return store_.get(); }
  bool recording() const { return store_ && options_.record; }
  // The record's caller: the key id, or "anonymous".
  static std::string caller_id(const Call& c);
  // Appends a record for an answer and waits until it is durable. Throws 503 when it cannot be
  // recorded: an answer that is not on the record is not given (fail closed).
  std::int64_t put_on_record(const Call& c, RecordDraft draft);
  std::int64_t put_on_record(const std::string& caller, const std::string& request_id, RecordDraft draft);
  // `lists update` for `sources` (empty: the default ones) through run_list_update, the command
  // line's own path, on the record as `caller`. When a list changed, the lists in force switch
  // atomically: requests in flight finish on the old ones, those that start later get the new.
  // A source that fails or is held back leaves its list in force, and the answer says why. One
  // update at a time. Throws ApiError when the update cannot run (configuration, unknown source,
  // the audit trail) or the new lists do not load (the old ones keep serving).
  struct ListUpdate {
    nlohmann::ordered_json body;  // {"ok", "switched", "sources": [...], "pruned"}
    std::int64_t record = 0;
    std::shared_ptr<const ServingState> state;  // in force afterwards
  };
  ListUpdate update_lists(const std::vector<std::string>& sources, const std::string& caller,
                          const std::string& request_id);
  // Puts an answer on the record as `action` with its inputs, naming the lists and/or the rule
  // packs and catalogue it used; sets a.audit_id and the body's "record" (as the CLI's JSON has).
  void record_answer(const Call& c, Answer& a, const std::string& action, nlohmann::json inputs, bool lists,
                     bool engine);
  // The body an answer is sent with: JSON with "meta" added (when it has provenance), or raw.
  std::string body_of(const Call& c, Answer& a) const;
  // Starts the job workers (results under <home>/jobs).
  Status start_jobs();
  JobQueue* jobs() const { return jobs_.get(); }
  // The job queue shared with the other replicas of a PostgreSQL store; null on SQLite.
  SharedJobs* shared_jobs() const { return shared_jobs_.get(); }
  // Reads the analyst page's files (options.web_dir) into memory.
  Status load_web();
  // Reads <home>/keys.json (later changes are picked up by themselves).
  // With a PostgreSQL store, the store's keys (shared by its replicas; docs/SCALING.md).
  Status load_keys() { return keys_->load(shares_store() ? store_.get() : nullptr); }
  // Replicas share keys and idempotent answers through a PostgreSQL store.
  bool shares_store() const { return store_ && store_->is_postgres(); }
  std::shared_ptr<const ServingState> state() const {
    std::lock_guard lk(state_mu_);
    return state_;
  }

  std::uint64_t body_limit(const Request& header) const override;
  void handle(Request req, const Connection& conn, std::shared_ptr<Responder> responder) override;
  Response transport_error(TransportError e, const Request* header, const Connection& conn) override;

  // Stops taking new work on the pool and waits for what runs there.
  void shutdown();
  bool ready() const { return state() != nullptr && !draining_; }
  void set_draining() { draining_ = true; }

  const ServeOptions& options() const { return options_; }
  const std::vector<Route>& routes() const { return routes_; }
  Metrics& metrics() { return *metrics_; }
  Log& log() { return log_; }

 private:
  struct Matched {
    const Route* route = nullptr;
    size_t index = 0;
    std::map<std::string, std::string> params;
    bool path_known = false;  // some route has this path (for 405)
  };
  Matched match(http::verb method, std::string_view path) const;
  // load_state (keep null) and reload_lists (keep: the state whose tables, rules and catalogue stay).
  Status put_in_force(std::shared_ptr<const ServingState> keep);
  Caller authenticate(const Request& req, const Route& route, const Connection& conn) const;
  void rate_limit(const Caller& caller);
  void run(const Route& route, size_t index, std::shared_ptr<Call> call, std::shared_ptr<Responder> responder,
           std::chrono::steady_clock::time_point start);
  // Sends the error a handler failed with (ApiError as it says, anything else as 500).
  void send_failure(const Route& route, size_t index, Call& call, Responder& responder,
                    std::chrono::steady_clock::time_point start, std::exception_ptr failure);
  // Runs `produce` (a handler or the rest of a deferred one) and sends its answer or error.
  void complete(const Route& route, size_t index, const std::shared_ptr<Call>& call,
                const std::shared_ptr<Responder>& responder, std::chrono::steady_clock::time_point start,
                const std::function<Answer()>& produce);
  void answer(const Route* route, size_t index, Call* call, const Request& req, const std::string& request_id,
              Responder& responder, Answer a, std::chrono::steady_clock::time_point start);
  Response error_response(const ApiError& e, const std::string& request_id) const;
  void refuse(const ApiError& e, const std::string& rid, const Request& req, const Connection& conn,
              size_t index, const Route* route, Responder& responder,
              std::chrono::steady_clock::time_point start);
  void log_request(const std::string& request_id, const Request& req, const Connection& conn,
                   const Route* route, const Caller* caller, int status, double seconds,
                   const std::string& error_code);
  // Answers a GET or HEAD for one of the page's files; false when there is no such file.
  bool serve_static(const Request& req, const Connection& conn, const std::string& request_id,
                    Responder& responder, std::chrono::steady_clock::time_point start);

  ServeOptions options_;
  Log& log_;
  std::vector<Route> routes_;
  std::unique_ptr<Metrics> metrics_;
  // The lists and rules in force. A plain mutex, not std::atomic<std::shared_ptr>: libstdc++ 12's
  // atomic shared_ptr unlocks a load with a relaxed store, which ThreadSanitizer reports as a race
  // with the next store (docs/RELIABILITY.md); one uncontended lock per request costs nothing here.
  mutable std::mutex state_mu_;
  std::shared_ptr<const ServingState> state_;
  std::mutex update_mu_;  // one list update at a time
  std::mutex load_mu_;    // one load of the lists in force at a time
  std::atomic<bool> draining_{false};
  std::optional<Role> anonymous_role_;
  std::unique_ptr<KeyRing> keys_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<JobQueue> jobs_;
  std::unique_ptr<SharedJobs> shared_jobs_;
  StaticFiles web_;
  boost::asio::thread_pool pool_;
  // Pooled requests not answered yet (deferred ones included): shutdown waits for them.
  std::mutex running_mu_;
  std::condition_variable running_cv_;
  size_t running_ = 0;
  std::atomic<std::uint64_t> next_request_{0};
  std::string request_prefix_;

  // Idempotency-Key: the first answer to (caller, key) is kept and given back to a retry of the
  // same request (same method, path and body); another request with that key is refused (422).
  // With a PostgreSQL store the answers are kept there too, so a retry that lands on another
  // replica gets the same answer (Store::claim_idempotent); the map holds this replica's.
  struct Remembered {
    std::string request_hash;
    bool done = false;
    Response response;
    std::chrono::steady_clock::time_point at;
    bool claimed = false;  // claimed in the store: answer_idempotent or release_idempotent follows
  };
  // The answer a store remembers for a key, as it was sent (or rebuilt from its record).
  Response stored_answer(const IdempotentClaim& claim);
  // Returns a stored answer to send instead of running the request, or nullopt to run it (the
  // entry is then reserved). Throws 409 while the first is still running, 422 for a reused key.
  std::optional<Response> idempotent_lookup(const std::string& key, const Request& req);
  void idempotent_store(const std::string& key, const Response& res);
  std::mutex idem_mu_;
  std::unordered_map<std::string, Remembered> remembered_;

  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point at;
  };
  std::mutex rate_mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

// Seconds from a UTC date or time ("2025-05-01", "2025-05-01T10:00:00Z") to `now`, or -1 when it
// cannot be read. (The front end reads the clock; the library does not.)
double seconds_since(const std::string& date_or_time, std::time_t now);

// The route table (routes.cpp): every endpoint with its roles.
std::vector<Route> make_routes();

}  // namespace clearance::server
