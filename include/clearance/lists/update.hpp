// `lists update`: fetch the official list sources over HTTP(S), check them, and put each in force
// atomically, keeping the previous snapshots as history.
//
// The sources and the transfer limits come from a YAML configuration (data/lists/sources.yaml, or
// <home>/sources.yaml, or --config; see docs/LISTS.md). Per source:
//   conditional GET (ETag / Last-Modified of the last good download)  → 304: nothing reloaded
//   timeouts, retries with exponential backoff (connection failures, timeouts, truncated bodies,
//   HTTP 5xx and 429), a size cap, a content-type check
//   load with the format's loader (a corrupt or truncated file fails here)
//   sanity check: a list dropping more than max_drop of its entries is held back (saved under
//   <home>/lists/held/ for inspection), never put in force
//   ListStore::put: the atomic switch (history appended)
// A source that fails leaves its list in force unchanged; the others still update.
//
// The library neither prints nor reads the clock nor sleeps by itself: the caller gives the time
// stamp, the sleep used between retries, and the transport (Fetcher; make_curl_fetcher() is libcurl).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/common/result.hpp"
#include "clearance/lists/snapshot.hpp"
#include "clearance/text/countries.hpp"

namespace clearance {

struct ListSource {
  std::string name;       // the source's name in the configuration, e.g. "us-csl"
  std::string url;        // http:// or https://
  std::string file_name;  // what the loaders see (format detection); default: the URL's last segment
  std::string format = "auto";
  std::string list;  // list name in the home; empty: the loader's default
  // Accepted Content-Type media types (compared without parameters, case-insensitively); empty: any.
  std::vector<std::string> content_types;
  bool by_default = true;  // fetched by `lists update` without names; false: only when named (opt-in)
  std::string note;        // e.g. the licence of the data, shown by `lists update --list-sources`
};

struct UpdateConfig {
  std::string file;  // where it was read from, for messages
  std::vector<ListSource> sources;
  long timeout_ms = 600000;         // a whole transfer
  long connect_timeout_ms = 30000;  // connecting
  int retries = 3;                  // further attempts after a transient failure
  long backoff_ms = 2000;           // before the first retry; doubled before each next one
  std::uint64_t max_bytes = std::uint64_t{512} << 20;
  double max_drop = 0.2;     // hold back a list that would lose more than this share of its entries
  size_t keep_history = 30;  // snapshot files kept per list (0: all); audit-referenced ones always
};

// Parses the YAML configuration; errors name the file, line and key.
Result<UpdateConfig> parse_update_config(std::string_view text, const std::string& file);

// ---- transport

struct FetchRequest {
  std::string url;
  std::string etag;           // If-None-Match, when not empty
  std::string last_modified;  // If-Modified-Since, when not empty
  long timeout_ms = 600000;
  long connect_timeout_ms = 30000;
  std::uint64_t max_bytes = std::uint64_t{512} << 20;
};

struct FetchResponse {
  long status = 0;  // HTTP status
  std::string body;
  std::string etag, last_modified, content_type;
};

// Failures of the transfer itself (no HTTP answer, or one cut short).
enum class FetchFailure { kNone, kConnect, kTimeout, kTruncated, kTooLarge, kOther };

struct FetchError {
  FetchFailure failure = FetchFailure::kOther;
  std::string message;  // what happened, e.g. "connection refused", "timed out after 1000 ms"
};

class Fetcher {
 public:
  virtual ~Fetcher() = default;
  // One attempt: an HTTP response of any status, or what went wrong in the transfer.
  virtual Status fetch(const FetchRequest& request, FetchResponse& response, FetchError& error) = 0;
};

// libcurl (http and https only, redirects followed, gzip accepted). Thread-compatible: one per thread.
std::unique_ptr<Fetcher> make_curl_fetcher();

// ---- the update

enum class UpdateOutcome {
  kUpdated,      // a new snapshot is in force
  kNotModified,  // 304: the server says the list is unchanged; nothing downloaded
  kUnchanged,    // downloaded, but the same entries as the snapshot in force
  kHeldBack,     // failed the sanity check (too large a drop): the list in force is unchanged
  kFailed,       // transfer, HTTP, content type, or load failed: the list in force is unchanged
};
std::string_view to_string(UpdateOutcome o);

struct SourceUpdate {
  std::string source, url, list;
  UpdateOutcome outcome = UpdateOutcome::kFailed;
  std::string message;  // for kFailed / kHeldBack: what happened; else a summary
  int attempts = 0;
  std::uint64_t bytes = 0;
  std::string sha256;  // of the body, when one was downloaded
  std::string etag, last_modified, content_type;
  SnapshotInfo snapshot;           // the snapshot in force for the list afterwards (new or previous)
  std::string previous;            // the snapshot id in force before (empty: none)
  std::string held_file;           // kHeldBack: where the download was saved
  std::vector<std::string> notes;  // retries and loader notes
  bool ok() const { return outcome != UpdateOutcome::kFailed && outcome != UpdateOutcome::kHeldBack; }
};

struct UpdateReport {
  std::vector<SourceUpdate> sources;
  std::vector<std::string> pruned;  // snapshot files removed by retention
  bool ok() const {
    for (auto& s : sources)
      if (!s.ok()) return false;
    return true;
  }
};

struct UpdateContext {
  std::string now;                     // ISO 8601 UTC, stamped on snapshots and state
  std::function<void(long ms)> sleep;  // between retries; empty: no wait
  std::function<bool(const std::string& snapshot_id)> referenced;  // named by an audit record
};

// Fetches the named sources (empty: those with by_default), each independently. Errors (the report
// is not produced): an unknown source name, or the home cannot be read.
Result<UpdateReport> update_lists(const ListStore& store, const CountryTable& countries,
                                  const UpdateConfig& config, const std::vector<std::string>& names,
                                  Fetcher& fetcher, const UpdateContext& context);

}  // namespace clearance
