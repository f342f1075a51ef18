// Screening: one name, a batch (JSON array or CSV upload, answered as a stream), two names
// compared, and the lists in force. The shapes are the library's (match/json.hpp, lists/json.hpp),
// the same as the CLI's `screen --format json`, `screen --input`, `compare` and `lists`.
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "clearance/common/parallel.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/lists/json.hpp"
#include "clearance/match/batch.hpp"
#include "clearance/match/json.hpp"
#include "clearance/match/query.hpp"
#include "server/json_input.hpp"
#include "server/routes.hpp"

namespace clearance::server {

namespace {

std::optional<double> parse_number(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// Reads the query fields of one screening request object; `prefix` names fields in errors.
QueryFields query_fields(JsonObject& o) {
  QueryFields f;
  f.name = *o.str("name", true);
  f.type = o.str_or("type", "");
  f.country = o.str_or("country", "");
  f.dob = o.str_or("dob", "");
  f.ids = o.strings("ids");
  return f;
}

double min_score(JsonObject& o) {
  auto s = o.number("min_score");
  if (s && (*s < 0 || *s > 1))
    throw ApiError::invalid(o.field("min_score"), o.field("min_score") + ": must be in [0, 1]");
  return s.value_or(kDefaultThreshold);
}

}  // namespace

// The recorder of a batch's rows (null when the server does not record); rows go to `emit` once
// their records are durable.
std::unique_ptr<BatchRecorder> batch_recorder(Call& c, BatchFormat format, double threshold, size_t limit,
                                              std::function<Status(const std::string&)> emit) {
  if (!c.svc.recording()) return nullptr;
  BatchRecorder::Options ro;
  ro.caller = Service::caller_id(c);
  ro.file = "upload";
  ro.file_sha256 = sha256_hex(c.req.body());
  ro.format = format;
  ro.lists_note = c.state->screener->lists_note();
  ro.snapshots = c.state->snapshot_refs;
  ro.min_score = threshold;
  ro.limit = limit;
  ro.group = 256;
  return std::make_unique<BatchRecorder>(*c.svc.store(), ro, std::move(emit));
}

// A query read strictly: a qualifier that cannot be read is a 400 naming it (as on the command
// line), never a silently wider screening the caller did not ask for.
ScreenQuery strict_query(const QueryFields& f, const TextTables& tables, const std::string& prefix) {
  auto read = read_screen_query(f, tables);
  if (!read) throw ApiError::invalid(prefix + "name", prefix + read.error().message);
  if (!read->warnings.empty()) {
    const auto& w = read->warnings.front();
    std::string field = w.field == "id" ? "ids" : w.field;
    throw ApiError::invalid(prefix + field, prefix + field + ": " + w.message);
  }
  return read->query;
}

namespace screen {

Answer one(Call& c) {
  auto body = c.json_body();
  JsonObject o(body, {"name", "type", "country", "dob", "ids", "limit", "min_score", "customer_id"});
  QueryFields f = query_fields(o);
  auto limit = o.integer("limit", 1, 1000);
  double threshold = min_score(o);
  std::string customer = o.str_or("customer_id", "");
  ScreenQuery q = strict_query(f, *c.state->tables, "");
  q.limit = static_cast<size_t>(limit.value_or(10));
  q.min_score = threshold;
  auto screened = c.state->screener->screen_words(q);
  if (!screened) throw ApiError::invalid("name", screened.error().message);
  auto& hits = *screened;
  c.svc.metrics().screened(1);
  c.svc.metrics().hits(hits.size());
  Answer a;
  a.body = screening_to_json(q, hits, uncovered_scripts(q.name, *c.state->tables),
                             c.state->screener->lists_note());
  a.with_provenance = true;
  if (!c.svc.recording()) return a;
  // As `clearance screen` records: the hits reviewed (cases opened, suppressions marked), then the
  // record, durable before the answer is given. No worker waits meanwhile: the answer goes out
  // from the pool once the group commit holding its record is durable.
  ScreenRequest req{f, threshold, q.limit, customer};
  ScreeningRecordArgs args;
  args.caller = Service::caller_id(c);
  args.inputs = screen_request_to_json(req);
  args.query = &q;
  args.hits = &hits;
  args.customer_id = customer;
  args.snapshots = c.state->snapshot_refs;
  args.entry_hashes = c.state->entry_hashes.get();
  if (c.svc.shares_store()) args.idempotency_key = c.idempotency;
  auto start = std::chrono::steady_clock::now();
  record_screening_later(
      *c.svc.store(), args, std::move(a.body),
      [&svc = c.svc, finish = c.finish, start](Result<RecordedScreening> r) mutable {
        svc.metrics().audit_append(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        auto shared = std::make_shared<Result<RecordedScreening>>(std::move(r));
        finish([shared]() -> Answer {
          if (!*shared)
            throw ApiError::unavailable("the audit trail cannot record this answer, so it is not given: " +
                                        shared->error().message);
          Answer a;
          a.body = std::move((*shared)->answer);
          a.with_provenance = true;
          a.audit_id = (*shared)->seq;
          return a;
        });
      });
  return Answer::later();
}

std::vector<JsonBatchRow> read_json_batch(const nlohmann::json& body, const TextTables& tables,
                                          double threshold, size_t limit, size_t first) {
  std::vector<JsonBatchRow> rows(body.size());
  for (size_t k = 0; k < body.size(); ++k) {
    const std::string at = "[" + std::to_string(first + k) + "]";
    if (!body[k].is_object()) throw ApiError::invalid(at, at + ": expected an object");
    JsonObject o(body[k], {"id", "name", "type", "country", "dob", "ids"}, at + ".");
    rows[k].id = o.str_or("id", "");
    rows[k].id_given = !rows[k].id.empty();  // as a CSV row's id column: an empty id names no one
    if (!rows[k].id_given) rows[k].id = std::to_string(first + k);
    QueryFields f = query_fields(o);
    auto read = read_screen_query(f, tables);
    if (!read) throw ApiError::invalid(at + ".name", at + "." + read.error().message);
    rows[k].read = std::move(*read);
    rows[k].read.query.min_score = threshold;
    rows[k].read.query.limit = limit;
  }
  return rows;
}

BatchRow answer_json_row(const JsonBatchRow& r, size_t line, const Screener& screener, Metrics& metrics,
                         const std::string& note) {
  BatchRow row;
  for (const auto& w : r.read.warnings) row.warnings.push_back(w.to_string());
  row.warnings.insert(row.warnings.end(), r.read.notes.begin(), r.read.notes.end());
  if (auto hits = screener.screen_words(r.read.query))
    row.hits = std::move(*hits);
  else  // no word to screen: this row is unscreened, as a CSV row without a name is
    row.error = "[" + std::to_string(line) + "]." + hits.error().message;
  metrics.screened(1);
  metrics.hits(row.hits.size());
  row.line = line;
  row.id = r.id;
  row.id_from_column = r.id_given;
  row.query = r.read.query;
  row.output = format_batch_row(row, BatchFormat::kJsonl, note);
  return row;
}

// POST /v1/screen/batch: CSV (text/csv) or a JSON array of screening objects. Answered as a
// chunked stream of JSON lines (or CSV with ?format=csv for a CSV upload), one answer per row in
// input order; a row's unreadable qualifier is a warning on that row (as `screen --input`).
std::pair<double, size_t> batch_limits(Call& c) {
  double threshold = kDefaultThreshold;
  if (auto q = c.query("min_score")) {
    auto v = parse_number(*q);
    if (!v || *v < 0 || *v > 1) throw ApiError::invalid("min_score", "min_score: must be a number in [0, 1]");
    threshold = *v;
  }
  size_t limit = 10;
  if (auto l = c.query("limit")) {
    auto v = parse_number(*l);
    if (!v || *v < 1 || *v > 1000 || *v != static_cast<size_t>(*v))
      throw ApiError::invalid("limit", "limit: must be an integer in [1, 1000]");
    limit = static_cast<size_t>(*v);
  }
  return {threshold, limit};
}

const std::vector<std::pair<const char*, std::string BatchOptions::*>>& batch_columns() {
  static const std::vector<std::pair<const char*, std::string BatchOptions::*>> columns = {
      {"id_column", &BatchOptions::id_column},
      {"name_column", &BatchOptions::name_column},
      {"country_column", &BatchOptions::country_column},
      {"type_column", &BatchOptions::type_column},
      {"dob_column", &BatchOptions::dob_column},
      {"identifiers_column", &BatchOptions::identifiers_column}};
  return columns;
}

int batch(Call& c, Responder& out) {
  const size_t max_rows = c.max_rows ? c.max_rows : c.svc.options().limits.max_batch;
  auto ct = sv(c.req[http::field::content_type]);
  bool csv_in = starts_with_icase(ct, "text/csv") || starts_with_icase(ct, "application/csv");
  std::string format = c.query("format").value_or("jsonl");
  if (format != "jsonl" && format != "csv")
    throw ApiError::invalid("format", "format: expected jsonl or csv, got '" + format + "'");
  if (format == "csv" && !csv_in)
    throw ApiError::invalid("format", "format: csv output is for a CSV upload (Content-Type: text/csv)");
  auto [threshold, limit] = batch_limits(c);
  const Screener& screener = *c.state->screener;
  const std::string note = screener.lists_note();
  auto start = [&](const char* type) {
    Response h{http::status::ok, 11};
    h.set(http::field::content_type, type);
    h.set("X-Request-Id", c.request_id);
    h.set("X-Clearance-Snapshots", c.state->snapshot_ids());
    h.set("X-Clearance-Rules-Version", c.state->rules_version());
    return out.start_stream(std::move(h));
  };

  if (csv_in) {
    size_t rows = 0;
    for (char ch : c.req.body()) rows += ch == '\n';
    if (!c.req.body().empty() && c.req.body().back() != '\n') ++rows;
    if (rows > max_rows + 1)
      throw ApiError{413,
                     "batch_too_large",
                     "more than " + std::to_string(max_rows) + " rows; use POST /v1/jobs for larger batches",
                     "",
                     {}};
    BatchOptions o;
    o.min_score = threshold;
    o.limit = limit;
    o.format = format == "csv" ? BatchFormat::kCsv : BatchFormat::kJsonl;
    o.threads = 1;  // the pool already runs one request per worker
    o.chunk_rows = 256;
    for (auto [param, col] : batch_columns())
      if (auto v = c.query(param)) o.*col = *v;
    std::istringstream in(c.req.body());
    // The stream starts once 32 KiB of answers are ready (or at the end), so an input unusable as
    // a whole (empty, no name column) is still a 400 rather than a broken 200.
    const char* type = o.format == BatchFormat::kCsv ? "text/csv; charset=utf-8" : "application/x-ndjson";
    bool started = false, alive = true;
    std::string pending = o.format == BatchFormat::kCsv ? batch_csv_header() : "";
    auto flush = [&] {
      if (!started) {
        started = true;
        alive = start(type);
      }
      if (alive && !pending.empty()) alive = out.write_chunk(std::move(pending));
      pending.clear();
    };
    auto emit = [&](const std::string& text) -> Status {
      pending += text;
      if (pending.size() >= 32 * 1024) flush();
      return alive ? Status::Ok() : Status(Error::Io("the client is gone"));
    };
    // On the record as `screen --input` is: one record per row, each group's answers released
    // once its records are durable.
    auto recorder = batch_recorder(c, o.format, threshold, limit, emit);
    auto sum =
        screen_batch(in, "upload.csv", screener, *c.state->tables, o, [&](const BatchRow& r) -> Status {
          c.svc.metrics().screened(1);
          c.svc.metrics().hits(r.hits.size());
          return recorder ? recorder->add(r) : emit(r.output);
        });
    if (sum && recorder)
      if (auto st = recorder->flush(); !st) sum = st.error();
    if (!sum && !started) throw from_library(sum.error(), "");
    flush();
    if (!sum && alive) {
      // A CSV syntax error part-way: the rows before it were answered; the stream ends saying where.
      nlohmann::ordered_json e = {
          {"error", {{"code", "invalid_csv"}, {"message", sum.error().message}, {"field", nullptr}}}};
      out.write_chunk(o.format == BatchFormat::kCsv ? "# error: " + sum.error().message + "\n"
                                                    : e.dump() + "\n");
    }
    out.finish_stream();
    return 200;
  }

  auto body = c.json_body();
  if (!body.is_array())
    throw ApiError::invalid(
        "", "expected a JSON array of screening requests (or a CSV upload, Content-Type: text/csv)");
  if (body.size() > max_rows)
    throw ApiError{413,
                   "batch_too_large",
                   std::to_string(body.size()) + " rows; at most " + std::to_string(max_rows) +
                       " in one request (use POST /v1/jobs for larger batches)",
                   "",
                   {}};
  // Every row is read before the stream starts: a malformed row is a 400 naming it.
  auto rows = read_json_batch(body, *c.state->tables, threshold, limit);
  if (!start("application/x-ndjson")) return 200;
  bool alive = true;
  auto emit = [&](const std::string& text) -> Status {
    if (alive) alive = out.write_chunk(text);
    return alive ? Status::Ok() : Status(Error::Io("the client is gone"));
  };
  auto recorder = batch_recorder(c, BatchFormat::kJsonl, threshold, limit, emit);
  constexpr size_t kChunk = 256;
  for (size_t from = 0; from < rows.size(); from += kChunk) {
    size_t n = std::min(kChunk, rows.size() - from);
    std::vector<BatchRow> answers(n);
    parallel_for(n, 1, [&](size_t k) {
      answers[k] = answer_json_row(rows[from + k], from + k, screener, c.svc.metrics(), note);
    });
    for (auto& row : answers)
      if (!(recorder ? recorder->add(row) : emit(row.output)).ok()) return 200;
  }
  if (recorder && !recorder->flush().ok()) return 200;
  out.finish_stream();
  return 200;
}

Answer compare(Call& c) {
  auto body = c.json_body();
  JsonObject o(body, {"a", "b", "type"});
  std::string a = *o.str("a", true), b = *o.str("b", true);
  auto t = parse_party_type(o.str_or("type", ""));
  if (!t) throw ApiError::invalid("type", "type: " + t.error().message);
  auto cmp = c.state->screener->compare(a, b, *t);
  Answer ans;
  ans.body = comparison_to_json(cmp);
  ans.with_provenance = true;
  c.svc.record_answer(c, ans, "compare", body, true, false);
  return ans;
}

Answer lists(Call& c) {
  // The age of a list is the server's to say (the library reads no clock): days since the source's
  // date, else since the import; older than --max-list-age is stale.
  double max_age = c.svc.options().max_list_age_days;
  std::time_t now = std::time(nullptr);
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const auto& s : c.state->screener->snapshots()) {
    auto j = snapshot_info_to_json(s.info);
    double age = seconds_since(s.info.source_date, now);
    if (age < 0) age = seconds_since(s.info.imported_at, now);
    if (age >= 0) age /= 86400;
    j["age_days"] = age < 0 ? nlohmann::ordered_json() : nlohmann::ordered_json(std::floor(age * 10) / 10);
    j["stale"] = age < 0 || age > max_age;
    arr.push_back(std::move(j));
  }
  Answer a;
  a.body = {{"lists", std::move(arr)}, {"max_age_days", max_age}};
  add_lists_note(a.body, c.state->screener->lists_note());
  a.with_provenance = true;
  return a;
}

// GET /v1/entries/{id}[?list=NAME]: a list entry in full (names, addresses, identifiers, notice,
// source link), from the lists in force; the first with that id when no list is named.
Answer entry(Call& c) {
  c.only_query({"list"});
  const std::string& id = c.params["id"];
  auto list = c.query("list");
  for (const auto& s : c.state->screener->snapshots())
    for (const auto& p : s.parties)
      if (p.id == id && (!list || p.list == *list)) {
        Answer a;
        a.body = {{"entry", party_to_json(p)}, {"snapshot", s.info.id}};
        a.with_provenance = true;
        return a;
      }
  throw ApiError::not_found("no entry '" + id + "'" + (list ? " on the list '" + *list + "'" : "") +
                            " in the lists in force");
}

}  // namespace screen
}  // namespace clearance::server
