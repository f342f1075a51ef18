// Putting answers on the record: what every front end (the command line, the HTTP server) does
// around a library answer, so they record alike.
//
// - keep_*: store the list snapshots, rule packs and item catalogue an answer used (content-addressed,
//   once), and name them in the record, so it can be replayed after they were replaced.
// - Screening: the request as recorded (and replayed), the review of hits (cases), and the marks
//   added to the answer ("case", "suppressed_by").
// - BatchRecorder: one record per screened row of a batch, appended in groups; a row's answer is
//   released to the caller only once its record is durable.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "clearance/common/result.hpp"
#include "clearance/decide/engine.hpp"
#include "clearance/lists/update.hpp"
#include "clearance/match/batch.hpp"
#include "clearance/match/query.hpp"
#include "clearance/match/screener.hpp"
#include "clearance/store/monitor.hpp"
#include "clearance/store/store.hpp"

namespace clearance {

// ---- what an answer used

// Keeps every snapshot (once per id) and returns their references for a record.
Result<std::vector<SnapshotRef>> keep_snapshots(Store& store, const std::vector<ListSnapshot>& snapshots);

struct EngineVersions {
  std::string rules;      // RuleSet::version() of the packs
  std::string catalogue;  // kept_files_hash() of the item catalogue files
};
// Keeps the rule packs and the item catalogue an engine was loaded from (the directories of its
// EngineOptions) and returns their versions. Fails (kIo) when the packs on disk no longer give the
// engine's rule version (they changed since it was loaded).
Result<EngineVersions> keep_engine_data(Store& store, const std::string& rules_dir,
                                        const std::string& items_dir, const Engine& engine);
// An engine of today's code over kept rule packs and catalogue; country names from countries_path.
Result<std::shared_ptr<const Engine>> load_kept_engine(Store& store, const EngineVersions& versions,
                                                       const std::string& countries_path);
// A screener of today's code over kept snapshots.
Result<std::shared_ptr<const Screener>> load_kept_screener(Store& store, const std::vector<SnapshotRef>& refs,
                                                           std::shared_ptr<const TextTables> tables);
// The references a record names for a screener's lists.
std::vector<SnapshotRef> snapshot_refs(const std::vector<ListSnapshot>& snapshots);

// ---- list updates

// The configuration `lists update` reads: `given` when not empty, else <home>/sources.yaml when it
// exists, else <data_dir>/lists/sources.yaml.
Result<UpdateConfig> load_update_config(const std::string& home, const std::string& data_dir,
                                        const std::string& given);

// One source's outcome as the command line's JSON, the server's answer and the record show it.
nlohmann::ordered_json source_update_to_json(const SourceUpdate& u);

struct ListUpdateRun {
  UpdateReport report;
  RecordDraft record;  // action "lists.update": the sources asked, each outcome, the snapshots after
  // The watched customer files (store/monitor.hpp), run when a MonitorContext was given and a list
  // was put in force; the record's result carries the report too ("monitor", "monitor_error").
  bool monitored = false;
  MonitorReport monitor;
  std::string monitor_error;  // the watches could not run at all (e.g. the lists do not load)
  bool ok() const { return report.ok() && monitor_error.empty() && monitor.ok(); }
};

// `lists update` as every front end runs it (the command line, and the server's
// POST /v1/lists/update and --update-every timer): update_lists, then each new snapshot kept in
// `store` when `keep` (so records naming it can be replayed), and the draft of the update's record,
// which the caller appends. `store` (may be null) also tells retention which snapshots records
// name; without it nothing is pruned. On a PostgreSQL store the new snapshots are also published
// (Store::publish_lists), so the replicas sharing it switch to them. With `monitor` (and `keep` and
// a store), a list put in force is then screened against every watched customer file (run_monitors:
// cases, webhooks, records); its store, time and snapshot loader default to `store`, context.now and
// the home. Errors as update_lists's, and a snapshot the store cannot keep or publish (the lists in
// force have already switched then; the caller reloads them either way).
Result<ListUpdateRun> run_list_update(const ListStore& lists, const CountryTable& countries,
                                      const UpdateConfig& config, const std::vector<std::string>& names,
                                      Fetcher& fetcher, UpdateContext context, Store* store, bool keep,
                                      const MonitorContext* monitor = nullptr);

// ---- impact runs

// The inputs of an "impact" record: the order book (by digest; its text is kept in the store as
// kind "orders" when it is at most kMaxKeptOrders bytes), the two points and the options.
struct ImpactRecordPoint {
  std::string label;
  std::string as_of;  // YYYY-MM-DD
  EngineVersions versions;
};
struct ImpactRecordInputs {
  std::string orders_name;
  std::string orders_sha256;
  bool orders_kept = false;
  size_t line_shift = 0;  // the book is a part of a larger one (OrderReaderOptions::line_shift)
  ImpactRecordPoint from, to;
  bool screen = true;
  std::string rates_text;  // the --rates table, when given
  std::string base_currency = "USD";
};
inline constexpr size_t kMaxKeptOrders = size_t{64} << 20;
nlohmann::json impact_inputs_to_json(const ImpactRecordInputs& in);
Result<ImpactRecordInputs> impact_inputs_from_json(const nlohmann::json& j);
// The part of an impact report a record holds (and replay compares): the report's JSON with its
// list of changed orders cut to the first 100 (changes_total still counts them all).
nlohmann::json impact_record_result(const nlohmann::ordered_json& report_json);

// ---- rescreens

// The result a "rescreen" record holds: the snapshots the rows were compared against (baseline),
// the counts, and the first 1,000 new and gone hits.
nlohmann::json rescreen_record_result(const RescreenResult& r, const std::vector<SnapshotInfo>& baseline,
                                      bool first_screening);

// ---- screening

// A screening as asked: what the person typed, the threshold, the limit and the customer id (the
// party key of review cases). The inputs of a "screen" record.
struct ScreenRequest {
  QueryFields fields;
  double min_score = kDefaultThreshold;
  size_t limit = 10;
  std::string customer_id;
};
nlohmann::json screen_request_to_json(const ScreenRequest& r);
Result<ScreenRequest> screen_request_from_json(const nlohmann::json& j);

// The party key of a screened query (party_key() over its customer id, name, country, birth date).
std::string query_party_key(const ScreenQuery& q, const std::string& customer_id);
// Entry content hashes (entry_content_hash) of one set of lists, each computed once: a listed
// entry is hit again and again, and its hash is a digest of all it says. Keyed by the party's
// address, so a cache must not outlive the parties it has seen (keep it with the screener).
// Thread-safe.
class EntryHashCache {
 public:
  std::string of(const Party& party);

 private:
  std::mutex mu_;
  std::unordered_map<const Party*, std::string> hashes_;
};

// The hits as review cases see them (entry id, content hash, list, name, score); their hashes
// from `cache` when given.
std::vector<ReviewHit> review_hits(const std::vector<Hit>& hits, EntryHashCache* cache = nullptr);
// Adds to answer["hits"][i]: "case": N when the hit has a case (and "case_status", "decision"),
// "suppressed_by": N when a false-positive decision in force covers it. Suppressed hits stay in the
// answer.
void annotate_hits(nlohmann::ordered_json& answer, const std::vector<ReviewMark>& marks);
// "  case 12 (open)" / "  suppressed by case 12: decided false positive" lines for text output, one
// per hit (empty string for a hit without a case).
std::vector<std::string> hit_case_notes(const std::vector<ReviewMark>& marks);

// One screening put on the record: reviews the hits (opening cases when `record`, else only looking
// them up), annotates the answer, and appends the record (waits until durable). `answer` is the
// library's screening JSON; on return it carries the marks and, when recorded, "record": seq.
struct ScreeningRecordArgs {
  std::string caller;
  std::string action = "screen";
  nlohmann::json inputs;  // screen_request_to_json(…), plus batch fields for a batch row
  const ScreenQuery* query = nullptr;
  const std::vector<Hit>* hits = nullptr;
  std::string customer_id;
  std::vector<SnapshotRef> snapshots;
  bool record = true;                      // false: a trial run (--no-record): nothing is written
  EntryHashCache* entry_hashes = nullptr;  // of the screener that gave the hits, when kept
  std::string idempotency_key;             // RecordDraft::idempotency_key of the record
};
Result<std::vector<ReviewMark>> record_screening(Store& store, const ScreeningRecordArgs& args,
                                                 nlohmann::ordered_json& answer);
// The same with `record`, without waiting: `done` gets the answer (annotated, with "record") and
// the marks once the record is durable, or the failure. `done` runs on a thread of the store and
// must return quickly. args.query and args.hits are read before this returns.
struct RecordedScreening {
  nlohmann::ordered_json answer;
  std::vector<ReviewMark> marks;
  std::int64_t seq = 0;
};
void record_screening_later(Store& store, const ScreeningRecordArgs& args, nlohmann::ordered_json answer,
                            std::function<void(Result<RecordedScreening>)> done);

// Batch screening on the record: rows arrive in input order (match/batch.hpp's sink); every
// `group` rows, their hits are reviewed and their records appended in one transaction, and once
// durable the rows' answers (with case marks and "record") go to `emit` in input order.
//
// A group is recorded on a thread of the recorder while the caller screens the next rows (at most
// `in_flight` groups queued); `emit` is only ever called on the caller's thread, from add() and
// flush(), so an answer goes out only after its record is durable and in input order. After a
// failure no later group is recorded, and add()/flush() return the failure.
// batch_row_to_json(row, lists_note, marks) written directly as text, several times faster than
// building the object: as its dump() writes it, or (`canonical`) as canonical_json_of writes it.
// A batch row's answer is written both ways, as the line sent and as the result recorded.
std::string batch_row_json_text(const BatchRow& row, std::string_view lists_note,
                                const std::vector<HitCaseMark>& marks, bool canonical);

// Rows per recorded group of a batch (and per screening chunk when recording): small enough that
// recording a group overlaps with screening the next, large enough that a commit covers many.
inline constexpr size_t kRecordGroupRows = 512;

class BatchRecorder {
 public:
  struct Options {
    std::string caller;
    std::string file;  // the input file's name, recorded with each row
    std::string file_sha256;
    bool ids_from_column = true;  // the id column names customers (the party key of cases)
    BatchFormat format = BatchFormat::kJsonl;
    std::string lists_note;
    std::vector<SnapshotRef> snapshots;
    double min_score = kDefaultThreshold;
    size_t limit = 10;
    bool record = true;  // false: trial run: cases looked up, nothing written
    size_t group = kRecordGroupRows;
    size_t in_flight = 2;  // groups being recorded while the caller goes on (0: record in add())
    // A chunk claimed from the store's job queue: each group's records, its answers (the lines
    // `emit` gets, kept as the chunk's result) and the chunk marked done commit together
    // (Store::complete_chunk); kNotFound when the chunk's lease was lost (nothing written).
    const ClaimedChunk* chunk = nullptr;
  };
  BatchRecorder(Store& store, Options options, std::function<Status(const std::string&)> emit);
  // Waits for the groups being recorded (their answers are not emitted).
  ~BatchRecorder();
  BatchRecorder(const BatchRecorder&) = delete;
  BatchRecorder& operator=(const BatchRecorder&) = delete;
  // Takes a row (copied); queues a group when it is full and emits the groups already durable.
  Status add(const BatchRow& row);
  // Records and emits everything pending; returns once all is emitted (or the first failure).
  Status flush();
  std::int64_t first_seq() const { return first_; }
  std::int64_t last_seq() const { return last_; }
  std::uint64_t cases_opened() const { return opened_; }
  std::uint64_t suppressed() const { return suppressed_; }

 private:
  struct Group;
  Store& store_;
  Options o_;
  std::function<Status(const std::string&)> emit_;
  EntryHashCache entry_hashes_;  // the screener outlives the batch
  // Records a group (or, on a trial run, looks its cases up) and renders its answers; the group is
  // done (finish_group) when they are durable, which for recorded groups is after this returns.
  void record_group(const std::shared_ptr<Group>& g);
  void finish_group(Group& g, Status st);
  void take_marks(Group& g, const std::vector<std::vector<ReviewMark>>& got) const;
  void render(Group& g) const;
  Status queue_pending(bool last);
  std::string batch_inputs_text(const BatchRow& r) const;
  void worker_loop();
  // Emits the groups recorded so far, in order; with `wait`, waits until `keep` or fewer remain.
  Status emit_done(bool wait, size_t keep);

  std::vector<BatchRow> pending_;
  std::int64_t first_ = 0, last_ = 0;
  std::uint64_t opened_ = 0, suppressed_ = 0;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<Group>> groups_;  // queued or recorded, not yet emitted, in order
  size_t next_ = 0;                            // index in groups_ of the next group to record
  bool stopping_ = false;
  bool failed_ = false;
  size_t outstanding_ = 0;  // groups handed to the store's writer, not called back yet
  std::thread worker_;
};

}  // namespace clearance
