// Ongoing monitoring: customer files kept under watch in a data home. After every list update the
// entries added or changed are screened against each watched file (match/rescreen.hpp), new hits
// open review cases (Store::review), and, when the watch has a webhook, a signed JSON notice is
// POSTed to it, retried with backoff; every delivery attempt is an audit record.
//
//   <home>/monitor/watches.json         the watches (written atomically, under <home>/monitor/LOCK)
//   <home>/monitor/files/<sha256>.csv   each watched file as it was added, by content hash
//
// Hooked into the update path: run_list_update() (store/recording.hpp), which `clearance lists
// update` and the server's update both call, runs the watches when it is given a MonitorContext and
// put a list in force, before it returns. The library neither prints nor reads the clock nor the environment:
// the caller gives the time, the sleep between retries, the webhook transport and the secrets.
//
// Webhook request (docs/MONITOR.md):
//   POST <url>   Content-Type: application/json
//   X-Clearance-Timestamp: <the run's time, ISO 8601 UTC>
//   X-Clearance-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>
//   X-Clearance-Delivery: <delivery id>   (the same on every retry of one notice)
// A 2xx answer is delivered; anything else (or no answer) is retried up to `retries` more times,
// waiting backoff_ms, then doubling (capped at 60 s).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/common/result.hpp"
#include "clearance/match/rescreen.hpp"
#include "clearance/store/store.hpp"
#include "clearance/text/tables.hpp"

namespace clearance {

struct Webhook {
  std::string url;         // http:// or https://; empty: no webhook
  std::string secret_env;  // the environment variable that holds the HMAC secret
  int retries = 4;         // further attempts after a failed one
  long backoff_ms = 1000;  // before the first retry; doubled before each next one
  long timeout_ms = 10000;
};

struct Watch {
  std::string id;  // the first 12 hex digits of the file's SHA-256
  std::string name;
  std::string file;    // the path it was added from (shown only; the kept copy is screened)
  std::string sha256;  // of the file's bytes
  std::string added_at;
  double min_score = 0;
  BatchOptions columns;                // column names as given at `monitor add`
  std::vector<SnapshotRef> snapshots;  // the lists it was last screened against
  std::vector<KnownHit> hits;          // its hits then
  std::string last_run_at;
  Webhook webhook;
};

// The watches of a data home.
class MonitorStore {
 public:
  explicit MonitorStore(std::string home) : home_(std::move(home)) {}
  Result<std::vector<Watch>> list() const;
  // Under the lock: `change` edits the watches, which are then written atomically.
  Status update(const std::function<Status(std::vector<Watch>&)>& change) const;
  std::string dir() const { return home_ + "/monitor"; }
  std::string file_path(const std::string& sha256) const { return dir() + "/files/" + sha256 + ".csv"; }
  const std::string& home() const { return home_; }

 private:
  std::string home_;
};

// ---- webhook transport

struct WebhookRequest {
  std::string url, body;
  std::vector<std::pair<std::string, std::string>> headers;
  long timeout_ms = 10000;
};
class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  // One attempt: the HTTP status (0 when there was no answer; `error` then says why).
  virtual long post(const WebhookRequest& request, std::string& error) = 0;
};
// libcurl. Thread-compatible: one per thread.
std::unique_ptr<WebhookSender> make_curl_webhook_sender();

// "sha256=" + hex HMAC-SHA256(secret, timestamp + "." + body): what the receiver recomputes.
std::string webhook_signature(std::string_view secret, std::string_view timestamp, std::string_view body);

// ---- adding a watch

struct AddWatch {
  std::string file;     // path given (shown, and read)
  std::string content;  // its bytes
  std::string name;     // default: the file's name
  double min_score = 0;
  BatchOptions columns;
  Webhook webhook;
};
// Screens the file in full against `screener` (the lists in force) as its baseline, keeps a copy by
// content hash and adds (or, for the same content, replaces) the watch. Errors: bad CSV (naming
// the file, line and column), a webhook URL that is not http(s), a secret variable not named.
Result<Watch> add_watch(const MonitorStore& store, const AddWatch& request, const Screener& screener,
                        const TextTables& tables, const std::string& now);
// Removes the watch named by id (or a unique prefix of at least 6) or name; kNotFound otherwise.
Result<Watch> remove_watch(const MonitorStore& store, const std::string& ref);

// ---- running the watches

struct MonitorContext {
  std::string now;                           // ISO 8601 UTC: stamps, the webhook timestamp
  std::string caller;                        // who runs it (cases opened_by, records)
  Store* store = nullptr;                    // REQUIRED: cases and audit records
  std::shared_ptr<const TextTables> tables;  // REQUIRED
  // Loads a snapshot a watch was screened against (home file, else the store's copy).
  std::function<Result<ListSnapshot>(const SnapshotRef&)> load_snapshot;
  WebhookSender* sender = nullptr;                            // nullptr: webhooks are not sent
  std::function<void(long ms)> sleep;                         // between retries; empty: no wait
  std::function<std::string(const std::string& var)> secret;  // the value of a watch's secret_env
};

struct Delivery {
  std::string id;  // X-Clearance-Delivery
  std::string url;
  int attempts = 0;
  long status = 0;  // of the last attempt
  bool delivered = false;
  std::string error;                  // of the last failed attempt
  std::vector<std::int64_t> records;  // one audit record per attempt
};

struct WatchRun {
  std::string watch, name;
  bool changed = false;  // the lists differ from those it was last screened against
  std::string error;     // the watch could not be run (its baseline stays as it was)
  size_t screened_entries = 0;
  std::vector<KnownHit> new_hits, gone_hits;
  std::vector<std::string> unscreened;     // rows that could not be screened (RescreenResult)
  std::vector<std::int64_t> cases_opened;  // new cases for the new hits
  std::int64_t record = 0;                 // the monitor.run record of this watch
  Delivery delivery;                       // when a notice was sent
};

struct MonitorReport {
  std::vector<WatchRun> watches;
  bool ok() const {
    for (auto& w : watches)
      if (!w.error.empty() || (!w.delivery.url.empty() && !w.delivery.delivered)) return false;
    return true;
  }
};

// Runs every watch whose baseline differs from `lists` (the lists in force): rescreen against the
// entries added or changed, open cases for new hits, send the webhook when there are new or gone
// hits, and record the new baseline. A watch that fails is reported and keeps its old baseline.
Result<MonitorReport> run_monitors(const MonitorStore& watches, const std::vector<ListSnapshot>& lists,
                                   const MonitorContext& context);

nlohmann::ordered_json monitor_report_to_json(const MonitorReport& r);

// The new hits of a rescreen as review requests (Store::review_many): one per customer row, each
// hit with its entry's content hash, found in `parties` (list name + "\n" + entry id -> party).
// index[q][k] is the position in new_hits of request q's hit k.
struct NewHitReviews {
  std::vector<ReviewRequest> requests;
  std::vector<std::vector<size_t>> index;
};
NewHitReviews new_hit_reviews(const std::vector<KnownHit>& new_hits,
                              const std::map<std::string, const Party*>& parties);
// A hit as known_hit_to_json writes it, with "case" when a review case holds it.
nlohmann::json hit_with_case(const KnownHit& h, std::int64_t case_id);

}  // namespace clearance
