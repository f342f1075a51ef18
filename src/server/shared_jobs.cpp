#include "server/shared_jobs.hpp"

#include <unistd.h>

#include <charconv>
#include <limits>
#include <random>
#include <set>
#include <sstream>
#include <unordered_set>

#include "clearance/common/csv.hpp"
#include "clearance/common/parallel.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/impact/orders.hpp"
#include "clearance/impact/report.hpp"
#include "clearance/match/batch.hpp"
#include "clearance/match/rescreen.hpp"
#include "clearance/store/monitor.hpp"
#include "clearance/store/recording.hpp"
#include "server/routes.hpp"

namespace clearance::server {

namespace {

// The CSV records of an upload as the readers see them (csv::Reader: a quote opens a quoted field
// only at the start of a field, so the `12"` of `ACME 12" PIPE` is text, while a quoted field may
// hold line breaks), each with the physical line it starts on. What would stop a reader (a quoted
// field never closed, a record longer than max_record_bytes) is a 400 naming the line.
struct CsvRecords {
  std::string header;
  std::vector<std::pair<std::string_view, size_t>> rows;
};

CsvRecords split_records(const std::string& body, size_t max_record_bytes) {
  CsvRecords out;
  csv::Options options;
  options.max_record_bytes = max_record_bytes;
  csv::Reader reader(body, options);
  csv::Record rec;
  for (bool first = true;; first = false) {
    auto st = reader.next(rec);
    if (st == csv::Reader::Status::kEnd) break;
    if (st == csv::Reader::Status::kError)
      throw ApiError::bad_request(
          "invalid_csv", "upload.csv:" + std::to_string(reader.error_line()) + ": " + reader.error());
    if (first)
      out.header = std::string(rec.raw);
    else
      out.rows.emplace_back(rec.raw, rec.line);
  }
  return out;
}

// Chunks of at most `rows` records: the header, then the records from the chunk's first to its
// last as the upload has them (line breaks kept), with the line its first record is on.
std::vector<SharedJobChunk> chunk_records(const CsvRecords& records, size_t rows) {
  std::vector<SharedJobChunk> out;
  for (size_t at = 0; at < records.rows.size(); at += rows) {
    size_t n = std::min(rows, records.rows.size() - at);
    SharedJobChunk chunk;
    chunk.first_row = records.rows[at].second;
    chunk.rows = n;
    const char* from = records.rows[at].first.data();
    const auto& last = records.rows[at + n - 1].first;
    chunk.input = records.header + "\n" + std::string(from, last.data() + last.size()) + "\n";
    out.push_back(std::move(chunk));
  }
  return out;
}

std::string random_hex(size_t n) {
  std::random_device rd;
  std::string out;
  static const char* hex = "0123456789abcdef";
  while (out.size() < n) out += hex[rd() & 15];
  return out;
}

// The result of an impact chunk, three lines (JSON never holds a raw line break): {"record":N},
// the chunk's report without its changed orders and flips, and its changed orders. impact_records
// reads the first line alone, and impact_result the third only while the merged list has room.
// (The flips are in the changes; impact_to_json draws them again from the merged report.)
constexpr std::string_view kRecordLine = R"({"record":)";

// A chunk's result whose first line names its record: records_of reads that line alone.
std::string with_record_line(std::int64_t record, const std::string& rest) {
  return std::string(kRecordLine) + std::to_string(record) + "}\n" + rest;
}

std::string impact_part(std::int64_t record, nlohmann::ordered_json report) {
  nlohmann::ordered_json changes = std::move(report["changes"]);
  report.erase("changes");
  report.erase("flips");
  return with_record_line(record, report.dump() + "\n" + changes.dump());
}

// The record on the first line (0 when there is none).
std::int64_t part_record(std::string_view part) {
  std::int64_t seq = 0;
  if (part.substr(0, kRecordLine.size()) != kRecordLine) return 0;
  part.remove_prefix(kRecordLine.size());
  if (std::from_chars(part.data(), part.data() + part.size(), seq).ec != std::errc()) return 0;
  return seq;
}

// The report of an impact part, its changed orders read when `with_changes` (else left empty);
// discarded when it does not read.
nlohmann::json read_impact_part(std::string_view part, bool with_changes, std::int64_t& record) {
  record = part_record(part);
  size_t a = part.find('\n'), b = a == part.npos ? a : part.find('\n', a + 1);
  if (b == part.npos) return nlohmann::json(nlohmann::json::value_t::discarded);
  auto report = nlohmann::json::parse(part.substr(a + 1, b - a - 1), nullptr, false);
  if (!report.is_object()) return nlohmann::json(nlohmann::json::value_t::discarded);
  report["changes"] =
      with_changes ? nlohmann::json::parse(part.substr(b + 1), nullptr, false) : nlohmann::json::array();
  if (report["changes"].is_discarded()) return nlohmann::json(nlohmann::json::value_t::discarded);
  return report;
}

// The options a chunk of a CSV upload is screened with: threshold, limit, columns and output format
// from the job's parameters, its rows numbered as in the upload.
BatchOptions chunk_batch_options(const nlohmann::json& params, const ClaimedChunk& chunk) {
  BatchOptions o;
  o.min_score = params.value("min_score", kDefaultThreshold);
  o.limit = params.value("limit", size_t{10});
  o.format = params.value("format", "jsonl") == "csv" ? BatchFormat::kCsv : BatchFormat::kJsonl;
  o.threads = 0;
  o.chunk_rows = 512;
  o.format_output = false;
  o.line_shift = chunk.first_row - 2;  // the chunk's first record is on line 2 of the chunk
  const auto& cols = params.contains("columns") ? params["columns"] : nlohmann::json::object();
  for (auto [key, col] : screen::batch_columns())
    if (cols.contains(key) && cols[key].is_string()) o.*col = cols[key].get<std::string>();
  return o;
}

}  // namespace

SharedJobs::SharedJobs(Service& svc, SharedJobOptions options) : svc_(svc), o_(options) {
  char host[128] = {};
  ::gethostname(host, sizeof host - 1);
  prefix_ = std::string(host) + ":" + std::to_string(::getpid()) + ":" + random_hex(6);
}

SharedJobs::~SharedJobs() { stop(); }

void SharedJobs::start() {
  for (unsigned i = 0; i < std::max(1u, o_.workers); ++i) workers_.emplace_back([this, i] { work(i); });
}

void SharedJobs::stop() {
  stopping_ = true;
  cv_.notify_all();
  for (auto& t : workers_) t.join();
  workers_.clear();
}

nlohmann::ordered_json SharedJobs::create_screen(Call& c, bool csv) {
  const std::string& body = c.req.body();
  nlohmann::ordered_json params = {{"input", csv ? "csv" : "json"},
                                   {"format", c.query("format").value_or("jsonl")},
                                   {"file_sha256", sha256_hex(body)}};
  if (params["format"] != "jsonl" && params["format"] != "csv")
    throw ApiError::invalid(
        "format", "format: expected jsonl or csv, got '" + params["format"].get<std::string>() + "'");
  if (!csv && params["format"] != "jsonl")
    throw ApiError::invalid("format", "format: csv output is for a CSV upload (Content-Type: text/csv)");
  auto [threshold, limit] = screen::batch_limits(c);
  params["min_score"] = threshold;
  params["limit"] = limit;
  NewSharedJob job;
  job.id = "job-" + (c.idempotency.empty() ? random_hex(16) : sha256_hex(c.idempotency).substr(0, 16));
  job.kind = "screen";
  job.owner = Service::caller_id(c);
  if (csv)
    chunk_csv(c, params, job);
  else
    chunk_json(c, threshold, limit, job);
  job.params = params.dump();
  return queue(job);
}

nlohmann::ordered_json SharedJobs::queue(const NewSharedJob& job) {
  auto made = svc_.store()->create_shared_job(job);
  if (!made) throw ApiError::unavailable("the job cannot be queued in the store: " + made.error().message);
  cv_.notify_all();
  auto j = find(job.id);
  if (!j) throw ApiError::unavailable("the job was queued but cannot be read back from the store");
  if (j->owner != job.owner)
    throw ApiError::bad_request("job_exists", "a job with this id belongs to another key");
  return describe(*j);
}

nlohmann::ordered_json SharedJobs::create_impact(Call& c, bool html) {
  auto p = data::impact_params(c);  // a bad date or parameter is a 400 now, not a failed job
  // So is a book that is not one: CSV the reader would stop at, or a header without the order
  // columns.
  auto records = split_records(c.req.body(), OrderReaderOptions{}.max_record_bytes);
  {
    std::istringstream head(records.header + "\n");
    if (auto reader = OrderReader::open(head, "upload.csv"); !reader)
      throw from_library(reader.error(), "body");
  }
  NewSharedJob job;
  job.id = "job-" + (c.idempotency.empty() ? random_hex(16) : sha256_hex(c.idempotency).substr(0, 16));
  job.kind = "impact";
  job.owner = Service::caller_id(c);
  job.params = nlohmann::ordered_json{{"from", p.from.to_string()},
                                      {"to", p.to.to_string()},
                                      {"screen", p.screen},
                                      {"max_listed", p.max_listed},
                                      {"format", html ? "html" : "json"}}
                   .dump();
  job.total = records.rows.size();
  job.chunks = chunk_records(records, o_.impact_chunk_rows);
  if (job.chunks.empty()) {  // a header alone: one chunk all the same, whose report counts no order
    SharedJobChunk chunk;
    chunk.first_row = 2;
    chunk.input = records.header + "\n";
    job.chunks.push_back(std::move(chunk));
  }
  return queue(job);
}

void SharedJobs::chunk_json(Call& c, double threshold, size_t limit, NewSharedJob& job) const {
  auto body = c.json_body();
  if (!body.is_array())
    throw ApiError::invalid("", "expected a JSON array of screening requests (or a CSV upload, text/csv)");
  // Every row is read here: a malformed one is a 400 naming it, not a failed job.
  (void)screen::read_json_batch(body, *c.state->tables, threshold, limit);
  job.total = body.size();
  for (size_t at = 0; at < body.size(); at += o_.chunk_rows) {
    size_t n = std::min(o_.chunk_rows, body.size() - at);
    SharedJobChunk chunk;
    chunk.first_row = at;  // the index of its first row in the whole array
    chunk.rows = n;
    chunk.input = nlohmann::json(body.begin() + static_cast<std::ptrdiff_t>(at),
                                 body.begin() + static_cast<std::ptrdiff_t>(at + n))
                      .dump();
    job.chunks.push_back(std::move(chunk));
  }
}

void SharedJobs::chunk_csv(Call& c, nlohmann::ordered_json& params, NewSharedJob& job) const {
  const std::string& body = c.req.body();
  auto records = split_records(body, csv::Options{}.max_record_bytes);
  if (records.header.empty())
    throw ApiError::invalid("", "the upload is empty: expected a CSV file with a header line");
  nlohmann::ordered_json columns = nlohmann::ordered_json::object();
  for (auto [p, field] : screen::batch_columns())
    if (auto v = c.query(p)) columns[p] = *v;
  params["columns"] = columns;
  // The header is checked once here (a file without its name column is a 400, not a failed job).
  {
    BatchOptions bo;
    if (columns.contains("name_column")) bo.name_column = columns["name_column"];
    std::istringstream head(
        records.header + "\n" +
        (records.rows.empty() ? std::string() : std::string(records.rows[0].first) + "\n"));
    auto sum = screen_batch(head, "upload.csv", *c.state->screener, *c.state->tables, bo,
                            [](const BatchRow&) { return Status::Ok(); });
    if (!sum) throw from_library(sum.error(), "");
  }
  job.total = records.rows.size();
  job.chunks = chunk_records(records, o_.chunk_rows);
}

std::optional<SharedJob> SharedJobs::find(const std::string& id) const {
  auto j = svc_.store()->shared_job(id);
  if (!j) throw ApiError::unavailable("the store cannot say how the job stands: " + j.error().message);
  return *j;
}

std::string SharedJobs::result_type(const SharedJob& job) {
  auto p = nlohmann::json::parse(job.params, nullptr, false);
  std::string format = p.is_object() ? p.value("format", "jsonl") : "jsonl";
  if (job.kind == "impact") return format == "html" ? "text/html; charset=utf-8" : "application/json";
  if (job.kind == "rescreen") return "application/json";
  return format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson";
}

nlohmann::ordered_json SharedJobs::describe(const SharedJob& job) const {
  auto opt = [](const std::string& s) {
    return s.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(s);
  };
  bool done = job.state == "done";
  // An impact run's records, one per chunk: audit_id names it as the in-process job does when the
  // run was one chunk.
  nlohmann::ordered_json audit_id, audit_ids;
  if (done && (job.kind == "impact" || job.kind == "rescreen")) {
    audit_ids = records_of(job);
    if (audit_ids.size() == 1) audit_id = audit_ids[0];
  }
  nlohmann::ordered_json error;
  if (!job.error.empty()) error = nlohmann::ordered_json::parse(job.error, nullptr, false);
  if (error.is_discarded()) error = nullptr;
  return {
      {"id", job.id},
      {"kind", job.kind},
      {"status", job.state},
      {"progress", {{"done", job.rows_done}, {"total", job.total}}},
      {"created_at", job.created_at},
      {"started_at", opt(job.started_at)},
      {"finished_at", opt(job.finished_at)},
      {"result", done ? nlohmann::ordered_json("/v1/jobs/" + job.id + "/result") : nlohmann::ordered_json()},
      {"result_type", done ? nlohmann::ordered_json(result_type(job)) : nlohmann::ordered_json()},
      {"audit_id", audit_id},
      {"audit_ids", audit_ids},
      {"error", error},
      {"chunks",
       {{"total", job.chunks},
        {"done", job.chunks_done},
        {"running", job.chunks_running},
        {"reclaimed", job.reclaimed}}}};
}

nlohmann::ordered_json SharedJobs::records_of(const SharedJob& job) const {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  // Only the first line of each chunk's result is read (impact_part).
  auto st = svc_.store()->each_chunk_result(
      job.id,
      [&](const std::string& head) {
        if (auto seq = part_record(head)) out.push_back(seq);
        return true;
      },
      kRecordLine.size() + 24);
  if (!st)
    throw ApiError::unavailable("the job's records cannot be read from the store: " + st.error().message);
  return out;
}

std::string SharedJobs::impact_result(const SharedJob& job) const {
  auto params = nlohmann::json::parse(job.params, nullptr, false);
  ImpactOptions limits;  // as each chunk ran (data::run_impact_book)
  if (params.is_object()) limits.max_listed = params.value("max_listed", size_t{10000});
  ImpactReport merged;
  nlohmann::ordered_json records = nlohmann::ordered_json::array();
  std::string damaged;
  size_t parts = 0;
  auto st = svc_.store()->each_chunk_result(job.id, [&](const std::string& part) {
    // The changed orders of a chunk are read only while the merged list has room for them.
    const bool full = parts > 0 && merged.changes.size() >= limits.max_listed;
    std::int64_t seq = 0;
    auto j = read_impact_part(part, !full, seq);
    if (j.is_discarded()) return damaged = "a chunk's report does not read", false;
    auto report = impact_from_json(j);
    if (!report) return damaged = report.error().message, false;
    if (seq) records.push_back(seq);
    if (parts++ == 0)
      merged = std::move(*report);
    else
      merge_impact(merged, std::move(*report), limits);
    return true;
  });
  if (!st)
    throw ApiError::unavailable("the job's result cannot be read from the store: " + st.error().message);
  if (!damaged.empty())
    throw ApiError{500, "internal", "the job's result in the store is damaged: " + damaged, "", {}};
  if (params.is_object() && params.value("format", "json") == "html") {
    HtmlOptions html;
    html.generated = job.finished_at;
    return impact_to_html(merged, html);
  }
  auto body = impact_to_json(merged);
  if (records.size() == 1) body["record"] = records[0];
  body["records"] = std::move(records);
  return body.dump();
}

std::string SharedJobs::result(const SharedJob& job) const {
  if (job.kind == "impact") return impact_result(job);
  if (job.kind == "rescreen") return rescreen_result(job);
  std::string out = result_type(job).rfind("text/csv", 0) == 0 ? batch_csv_header() : "";
  auto st = svc_.store()->each_chunk_result(job.id, [&](const std::string& part) {
    out += part;
    return true;
  });
  if (!st)
    throw ApiError::unavailable("the job's result cannot be read from the store: " + st.error().message);
  return out;
}

void SharedJobs::work(unsigned i) {
  const std::string worker = prefix_ + "/" + std::to_string(i);
  while (!stopping_) {
    std::chrono::milliseconds pause{0};
    if (!svc_.state()) {
      pause = o_.idle_poll;  // nothing to screen with yet
    } else if (auto claimed = svc_.store()->claim_chunk(worker, static_cast<int>(o_.lease.count()));
               !claimed) {
      svc_.log().warn("cannot claim a job chunk from the store; retrying",
                      {{"what", claimed.error().message}});
      pause = std::chrono::milliseconds(2000);
    } else if (!*claimed) {
      pause = o_.idle_poll;  // no chunk waiting
      // A rescreen's basis holds an index of the old lists: kept while its job's chunks come, let
      // go once the queue is empty.
      std::lock_guard lk(basis_mu_);
      basis_.reset();
    } else if (!run_chunk(**claimed)) {
      pause = std::chrono::milliseconds(2000);
    }
    if (pause.count() > 0) {
      std::unique_lock lk(mu_);
      cv_.wait_for(lk, pause, [&] { return stopping_.load(); });
    }
  }
}

bool SharedJobs::run_chunk(const ClaimedChunk& chunk) {
  auto state = svc_.state();
  auto params = nlohmann::json::parse(chunk.params, nullptr, false);
  if (chunk.kind == "impact" && params.is_object()) return run_impact_chunk(chunk, params);
  if (chunk.kind == "rescreen" && params.is_object()) return run_rescreen_chunk(chunk, params);
  auto fail_job = [&](const Error& e) { fail(chunk.job, "invalid_csv", e.message); };
  if (!params.is_object()) {
    fail_job(Error::Internal("the job's parameters are damaged"));
    return true;
  }
  BatchOptions o = chunk_batch_options(params, chunk);

  BatchRecorder::Options ro;
  ro.caller = chunk.owner;
  ro.file = "upload";
  ro.file_sha256 = params.value("file_sha256", "");
  ro.format = o.format;
  ro.lists_note = state->screener->lists_note();
  ro.snapshots = state->snapshot_refs;
  ro.min_score = o.min_score;
  ro.limit = o.limit;
  ro.group = std::numeric_limits<size_t>::max();  // the whole chunk: one transaction
  ro.in_flight = 0;
  ro.chunk = &chunk;
  BatchRecorder recorder(*svc_.store(), ro, [](const std::string&) { return Status::Ok(); });
  auto renewed = std::chrono::steady_clock::now();
  // Before each row: the lease renewed well before it runs out.
  auto keep = [&]() -> Status {
    if (stopping_) return Error::Io("the server is stopping");
    auto now = std::chrono::steady_clock::now();
    if (now - renewed > o_.lease / 3) {
      if (auto st = svc_.store()->renew_chunk(chunk, static_cast<int>(o_.lease.count())); !st) return st;
      renewed = now;
    }
    return Status::Ok();
  };
  Status st = Status::Ok();
  if (params.value("input", "csv") == "json") {
    st = screen_json_chunk(chunk, o.min_score, o.limit, [&](const BatchRow& row) -> Status {
      if (auto k = keep(); !k) return k;
      return recorder.add(row);
    });
  } else {
    std::istringstream in(chunk.input);
    auto sum = screen_batch(in, "upload.csv", *state->screener, *state->tables, o,
                            [&](const BatchRow& row) -> Status {
                              if (auto k = keep(); !k) return k;
                              svc_.metrics().screened(1);
                              svc_.metrics().hits(row.hits.size());
                              return recorder.add(row);
                            });
    if (!sum) st = sum.error();
  }
  if (st.ok()) st = recorder.flush();
  if (st.ok()) return true;
  const Error& e = st.error();
  if (e.kind == Error::Kind::kNotFound) {
    svc_.log().warn("a job chunk was taken over by another worker",
                    {{"job", chunk.job}, {"chunk", chunk.n}, {"what", e.message}});
    return true;
  }
  if (e.kind == Error::Kind::kBadInput) {
    fail_job(e);
    return true;
  }
  if (!stopping_)
    svc_.log().error("a job chunk failed; it is claimed again when its lease runs out",
                     {{"job", chunk.job}, {"chunk", chunk.n}, {"what", e.message}});
  return false;
}

bool SharedJobs::run_impact_chunk(const ClaimedChunk& chunk, const nlohmann::json& params) {
  auto state = svc_.state();
  auto fail_job = [&](const ApiError& e) { return fail(chunk.job, e.code, e.message, e.field); };
  data::ImpactParams p;
  auto from = Date::parse(params.value("from", "")), to = Date::parse(params.value("to", ""));
  if (!from || !to) return fail_job(ApiError::invalid("", "the job's parameters are damaged"));
  p.from = *from;
  p.to = *to;
  p.screen = params.value("screen", true);
  p.max_listed = params.value("max_listed", size_t{10000});
  p.line_shift = chunk.first_row - 2;  // the chunk's rows are numbered as in the whole book
  try {
    // The lease is renewed while the book runs (a large one takes seconds).
    auto renewed = std::chrono::steady_clock::now();
    bool lost = false;
    auto run = data::run_impact_book(*state, svc_.store(), chunk.input, p, [&](std::uint64_t) {
      auto now = std::chrono::steady_clock::now();
      if (lost || now - renewed < o_.lease / 3) return;
      lost = !svc_.store()->renew_chunk(chunk, static_cast<int>(o_.lease.count())).ok();
      renewed = now;
    });
    if (lost) return true;  // another worker has it
    RecordDraft draft = std::move(run.draft);
    auto done = svc_.store()->complete_chunk(
        chunk, {}, chunk.owner,
        [&](const std::vector<std::vector<ReviewMark>>&) { return std::vector<RecordDraft>{draft}; },
        [&](const std::vector<Appended>& appended) {
          return impact_part(appended.empty() ? 0 : appended[0].seq, std::move(run.body));
        });
    if (done) return true;
    if (done.error().kind == Error::Kind::kNotFound) return true;  // taken over after a lost lease
    svc_.log().error("an impact job could not be completed; it is claimed again when its lease runs out",
                     {{"job", chunk.job}, {"what", done.error().message}});
    return false;
  } catch (const ApiError& e) {
    if (e.status >= 500) return false;  // the store: claimed again after the lease
    return fail_job(e);                 // the book as a whole is unusable, as POST /v1/impact says
  }
}

bool SharedJobs::fail(const std::string& job, const std::string& code, const std::string& message,
                      const std::string& field) {
  nlohmann::ordered_json err = {
      {"code", code},
      {"message", message},
      {"field", field.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(field)}};
  if (auto st = svc_.store()->fail_shared_job(job, err.dump()); !st)
    svc_.log().error("cannot mark a job failed", {{"job", job}, {"what", st.error().message}});
  return true;
}

// ---- rescreens

nlohmann::ordered_json SharedJobs::create_rescreen(Call& c) {
  auto since_q = c.query("since");
  if (!since_q || trim(*since_q).empty())
    throw ApiError{400,
                   "missing_field",
                   "since is required: the ids of the snapshots the file was last screened against, "
                   "comma-separated (as the X-Clearance-Snapshots header of that screening names them)",
                   "since",
                   {}};
  // Each snapshot checked now: one the store does not hold is a 400, not a failed job.
  nlohmann::ordered_json since = nlohmann::ordered_json::array();
  std::set<std::string> names;
  for (auto part : split(*since_q, ',')) {
    const std::string id(trim(part));
    if (id.empty()) continue;
    auto snap = svc_.store()->load_snapshot(id);
    if (!snap && snap.error().kind == Error::Kind::kNotFound)
      throw ApiError::invalid("since", "since: the store holds no list snapshot " + id);
    if (!snap)
      throw ApiError::unavailable("the store cannot load snapshot " + id + ": " + snap.error().message);
    if (!names.insert(snap->info.name).second)
      throw ApiError::invalid("since", "since: two snapshots of the list '" + snap->info.name + "'");
    since.push_back({{"name", snap->info.name}, {"id", id}});
  }
  nlohmann::ordered_json to = nlohmann::ordered_json::array();
  for (const auto& r : c.state->snapshot_refs) to.push_back({{"name", r.name}, {"id", r.id}});
  auto [threshold, limit] = screen::batch_limits(c);
  nlohmann::ordered_json params = {
      {"input", "csv"},         {"since", since}, {"to", to}, {"file_sha256", sha256_hex(c.req.body())},
      {"min_score", threshold}, {"limit", limit}};
  NewSharedJob job;
  job.id = "job-" + (c.idempotency.empty() ? random_hex(16) : sha256_hex(c.idempotency).substr(0, 16));
  job.kind = "rescreen";
  job.owner = Service::caller_id(c);
  chunk_csv(c, params, job);
  job.params = params.dump();
  return queue(job);
}

Result<std::shared_ptr<const SharedJobs::RescreenBasis>> SharedJobs::rescreen_basis(
    const nlohmann::json& params, const ServingState& state) {
  const std::string key = params["since"].dump() + params["to"].dump();
  std::lock_guard lk(basis_mu_);  // one build per replica; its other workers wait for it
  if (basis_ && basis_->key == key) return basis_;
  auto b = std::make_shared<RescreenBasis>();
  b->key = key;
  std::vector<ListSnapshot> old_lists;
  for (const auto& s : params["since"]) {
    auto snap = svc_.store()->load_snapshot(s.value("id", ""));
    if (!snap) return snap.error();
    b->since.push_back(snap->info);
    old_lists.push_back(std::move(*snap));
  }
  // The lists now: this replica's when they are the ones the job names (the usual case), else
  // those loaded from the store (the replica has switched since the job was made, or not yet).
  bool served = state.snapshot_refs.size() == params["to"].size();
  for (size_t k = 0; served && k < state.snapshot_refs.size(); ++k)
    served = state.snapshot_refs[k].id == params["to"][k].value("id", "");
  for (const auto& s : params["to"]) b->to.push_back({s.value("name", ""), s.value("id", "")});
  if (served) {
    b->now = state.screener;
  } else {
    std::vector<ListSnapshot> now_lists;
    for (const auto& ref : b->to) {
      auto snap = svc_.store()->load_snapshot(ref.id);
      if (!snap) return snap.error();
      now_lists.push_back(std::move(*snap));
    }
    b->now = Screener::build(std::move(now_lists), state.tables);
  }
  b->diffs = diffs_between(old_lists, b->now->snapshots());
  std::unordered_set<std::string> touched, before;  // added or changed; removed or changed
  for (const auto& d : b->diffs) {
    for (const auto& e : d.added) touched.insert(e.id);
    for (const auto& e : d.changed) touched.insert(e.id), before.insert(e.id);
    for (const auto& e : d.removed) before.insert(e.id);
  }
  std::shared_ptr<const Screener> old_full = Screener::build(std::move(old_lists), state.tables);
  b->before = Screener::build_subset(old_full, [&](const Party& p) { return before.count(p.id) > 0; });
  for (const auto& s : b->now->snapshots())
    for (const auto& p : s.parties)
      if (touched.count(p.id)) b->parties[s.info.name + "\n" + p.id] = &p;
  basis_ = b;
  return std::shared_ptr<const RescreenBasis>(b);
}

bool SharedJobs::run_rescreen_chunk(const ClaimedChunk& chunk, const nlohmann::json& params) {
  auto state = svc_.state();
  if (!params.contains("since") || !params.contains("to"))
    return fail(chunk.job, "internal", "the job's parameters are damaged");
  auto basis = rescreen_basis(params, *state);
  if (!basis) {
    if (basis.error().kind == Error::Kind::kNotFound || basis.error().kind == Error::Kind::kBadInput)
      return fail(chunk.job, "invalid_field", "since: " + basis.error().message, "since");
    svc_.log().error(
        "cannot load the snapshots of a rescreen job; its chunk is claimed again after its lease",
        {{"job", chunk.job}, {"what", basis.error().message}});
    return false;
  }
  const RescreenBasis& b = **basis;
  if (auto st = svc_.store()->renew_chunk(chunk, static_cast<int>(o_.lease.count())); !st)
    return true;  // the basis took long and another worker has the chunk now
  BatchOptions o = chunk_batch_options(params, chunk);
  // The rows' hits on the entries removed or changed since, as the old lists scored them: what
  // they hit then, the baseline rescreen() compares with. The names are read into words once:
  // rescreen() takes them from the probes, and reads again only the rows that may meet an entry
  // added or changed (and those that read into nothing, to report them).
  std::istringstream in_before(chunk.input);
  std::vector<QueryProbe> probes;
  auto before = screen_all(in_before, "upload.csv", *b.before, *state->tables, o, &probes);
  if (!before) return fail(chunk.job, "invalid_csv", before.error().message);
  std::istringstream in_now(chunk.input);
  auto r = rescreen(in_now, "upload.csv", b.now, b.diffs, std::move(*before), *state->tables, o, &probes);
  if (!r) return fail(chunk.job, "invalid_csv", r.error().message);
  svc_.metrics().screened(r->rows_screened);

  // New hits open review cases; the chunk is one `rescreen` record, as `clearance rescreen` makes.
  auto reviews = new_hit_reviews(r->new_hits, b.parties);
  std::vector<std::int64_t> case_of(r->new_hits.size(), 0);
  RecordDraft d;
  d.action = "rescreen";
  std::string since_ids;
  for (const auto& s : b.since) since_ids += (since_ids.empty() ? "" : ",") + s.id;
  d.inputs = {{"file", "upload"},
              {"sha256", params.value("file_sha256", "")},
              {"since", since_ids},
              {"min_score", o.min_score},
              {"first_line", chunk.first_row},
              {"rows", chunk.rows}};
  d.threshold = o.min_score;
  d.snapshots = b.to;
  d.result = rescreen_record_result(*r, b.since, false);
  auto done = svc_.store()->complete_chunk(
      chunk, reviews.requests, chunk.owner,
      [&](const std::vector<std::vector<ReviewMark>>& marks) {
        for (size_t q = 0; q < marks.size() && q < reviews.index.size(); ++q)
          for (size_t k = 0; k < marks[q].size() && k < reviews.index[q].size(); ++k)
            case_of[reviews.index[q][k]] = marks[q][k].case_id;
        return std::vector<RecordDraft>{d};
      },
      [&](const std::vector<Appended>& appended) {
        nlohmann::ordered_json part = {{"rows", r->rows},
                                       {"rows_screened", r->rows_screened},
                                       {"screened_entries", r->screened_entries},
                                       {"removed_entries", r->removed_entries},
                                       {"weight_drift", r->weight_drift},
                                       {"score_drift_bound", r->score_drift_bound},
                                       {"hits", r->hits.size()},
                                       {"unscreened", r->unscreened},
                                       {"new_hits", nlohmann::ordered_json::array()},
                                       {"gone_hits", nlohmann::ordered_json::array()}};
        for (size_t k = 0; k < r->new_hits.size(); ++k)
          part["new_hits"].push_back(nlohmann::ordered_json(hit_with_case(r->new_hits[k], case_of[k])));
        for (const auto& h : r->gone_hits)
          part["gone_hits"].push_back(nlohmann::ordered_json(known_hit_to_json(h)));
        return with_record_line(appended.empty() ? 0 : appended[0].seq, part.dump());
      });
  if (done || done.error().kind == Error::Kind::kNotFound) return true;
  svc_.log().error("a rescreen chunk could not be completed; it is claimed again when its lease runs out",
                   {{"job", chunk.job}, {"what", done.error().message}});
  return false;
}

std::string SharedJobs::rescreen_result(const SharedJob& job) const {
  auto params = nlohmann::json::parse(job.params, nullptr, false);
  nlohmann::ordered_json out = {
      {"since",
       params.is_object() ? params.value("since", nlohmann::json::array()) : nlohmann::json::array()},
      {"lists", params.is_object() ? params.value("to", nlohmann::json::array()) : nlohmann::json::array()},
      {"rows", 0},
      {"rows_screened", 0},
      {"screened_entries", 0},
      {"removed_entries", 0},
      {"weight_drift", 0.0},
      {"score_drift_bound", 0.0},
      {"hits", 0},
      {"unscreened", nlohmann::ordered_json::array()},
      {"new_hits", nlohmann::ordered_json::array()},
      {"gone_hits", nlohmann::ordered_json::array()},
      {"records", nlohmann::ordered_json::array()}};
  std::string damaged;
  auto st = svc_.store()->each_chunk_result(job.id, [&](const std::string& text) {
    if (auto seq = part_record(text)) out["records"].push_back(seq);
    size_t nl = text.find('\n');
    auto part = nlohmann::ordered_json::parse(
        nl == text.npos ? std::string_view() : std::string_view(text).substr(nl + 1), nullptr, false);
    if (!part.is_object()) return damaged = "a chunk's result does not read", false;
    for (const char* k : {"rows", "rows_screened", "hits"})
      out[k] = out[k].get<std::uint64_t>() + part.value(k, std::uint64_t{0});
    // The same in every chunk: what the two sets of snapshots differ by.
    for (const char* k : {"screened_entries", "removed_entries", "weight_drift", "score_drift_bound"})
      out[k] = part[k];
    for (const char* k : {"unscreened", "new_hits", "gone_hits"})
      for (auto& h : part[k]) out[k].push_back(std::move(h));
    return true;
  });
  if (!st)
    throw ApiError::unavailable("the job's result cannot be read from the store: " + st.error().message);
  if (!damaged.empty())
    throw ApiError{500, "internal", "the job's result in the store is damaged: " + damaged, "", {}};
  return out.dump();
}

Status SharedJobs::screen_json_chunk(const ClaimedChunk& chunk, double min_score, size_t limit,
                                     const std::function<Status(const BatchRow&)>& add) {
  auto state = svc_.state();
  auto body = nlohmann::json::parse(chunk.input, nullptr, false);
  if (!body.is_array()) return Error::BadInput("the job's chunk " + std::to_string(chunk.n) + " is damaged");
  std::vector<screen::JsonBatchRow> rows;
  try {
    rows = screen::read_json_batch(body, *state->tables, min_score, limit, chunk.first_row);
  } catch (const ApiError& e) {
    return Error::BadInput(e.message);  // read at creation; tables changed since
  }
  const std::string note = state->screener->lists_note();
  constexpr size_t kBlock = 256;  // screened on every core, then recorded in order
  for (size_t from = 0; from < rows.size(); from += kBlock) {
    size_t n = std::min(kBlock, rows.size() - from);
    std::vector<BatchRow> answers(n);
    parallel_for(n, 1, [&](size_t k) {
      answers[k] = screen::answer_json_row(rows[from + k], chunk.first_row + from + k, *state->screener,
                                           svc_.metrics(), note);
    });
    for (const auto& row : answers)
      if (auto st = add(row); !st) return st;
  }
  return Status::Ok();
}

}  // namespace clearance::server
