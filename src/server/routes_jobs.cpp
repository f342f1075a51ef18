// POST /v1/jobs, GET /v1/jobs/{id}, GET /v1/jobs/{id}/result: a batch screening or an impact run
// too long for one request, run in the background by the endpoint's own handler (so its answer
// and its records are the same), with progress; the result is downloaded when done.
#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>

#include "clearance/common/csv.hpp"
#include "clearance/common/strings.hpp"
#include "server/jobs.hpp"
#include "server/routes.hpp"
#include "server/shared_jobs.hpp"

namespace clearance::server {

namespace {

// The request's query string without `drop`.
std::string query_without(const Call& c, std::initializer_list<std::string_view> drop) {
  std::string_view target = sv(c.req.target());
  auto q = target.find('?');
  if (q == std::string_view::npos) return "";
  std::string out;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    std::string_view key = pair.substr(0, pair.find('='));
    if (std::find(drop.begin(), drop.end(), key) == drop.end() && !pair.empty())
      out += (out.empty() ? "?" : "&") + std::string(pair);
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
  return out;
}

// The data records of a CSV upload, as the readers count them (a quoted field may hold line
// breaks): the job's progress total. CSV they would stop at counts up to there.
std::uint64_t csv_rows(const std::string& body) {
  csv::Reader reader(body);
  csv::Record rec;
  std::uint64_t records = 0;
  while (reader.next(rec) == csv::Reader::Status::kRecord) ++records;
  return records ? records - 1 : 0;
}

// A job of the queue shared through a PostgreSQL store (any replica's), when this is one.
std::optional<SharedJob> shared_job(Call& c) {
  SharedJobs* shared = c.svc.shared_jobs();
  if (!shared || (c.svc.jobs() && c.svc.jobs()->find(c.params["id"]))) return std::nullopt;
  auto job = shared->find(c.params["id"]);
  if (job && job->owner != Service::caller_id(c) && c.caller.role != kAdmin)
    throw ApiError::not_found("no job " + c.params["id"]);
  return job;
}

std::shared_ptr<Job> owned_job(Call& c) {
  JobQueue* q = c.svc.jobs();
  auto job = q ? q->find(c.params["id"]) : nullptr;
  // Another caller's job is not shown (nor said to exist), except to admins.
  if (!job || (job->owner != Service::caller_id(c) && c.caller.role != kAdmin))
    throw ApiError::not_found("no job " + c.params["id"]);
  return job;
}

// A job run by an endpoint's handler that answers whole: its answer is the result, its record the job's.
std::function<int(Responder&)> answered_by(Answer (*handler)(Call&), std::shared_ptr<Call> inner, Job* raw) {
  return [handler, inner, raw](Responder& out) {
    Answer a = handler(*inner);
    if (a.audit_id) raw->audit_id = *a.audit_id;
    Response res{static_cast<http::status>(a.status), 11};
    res.set(http::field::content_type, a.content_type);
    res.body() = inner->svc.body_of(*inner, a);
    out.send(std::move(res));
    return a.status;
  };
}

}  // namespace

namespace jobs {

// POST /v1/jobs?kind=screen|impact|lists_update&…: the body and the other parameters are those of
// /v1/screen/batch, /v1/impact (format=html for the impact page) or /v1/lists/update (admins).
// Answered 202 at once.
Answer create(Call& c) {
  JobQueue* q = c.svc.jobs();
  if (!q || q->stopping()) throw ApiError::unavailable("the server does not take jobs now");
  auto kind = c.query("kind");
  if (!kind)
    throw ApiError{400, "missing_field", "kind is required: screen, impact or lists_update", "kind", {}};
  auto ct = sv(c.req[http::field::content_type]);
  bool csv = starts_with_icase(ct, "text/csv") || starts_with_icase(ct, "application/csv");
  auto job = std::make_shared<Job>();
  job->kind = *kind;
  job->owner = Service::caller_id(c);
  job->serving = c.state;
  // The job's own request: the endpoint's path with the parameters it takes, and no deadline.
  auto inner = std::make_shared<Call>(c);
  inner->deadline = std::chrono::steady_clock::time_point::max();
  inner->idempotency.clear();
  // A job answers through its result, never through the request's finisher: a copy of it holds
  // the request's connection, which then never closed and made every shutdown wait out its grace.
  inner->finish = nullptr;
  Job* raw = job.get();
  inner->progress = [raw](std::uint64_t n) { raw->done = n; };
  if (*kind == "screen" && c.svc.shared_jobs()) {
    // Replicas on a PostgreSQL store: chunks in the store's job table, worked on by every replica.
    Answer a;
    a.status = 202;
    a.body = c.svc.shared_jobs()->create_screen(c, csv);
    a.with_provenance = true;
    return a;
  }
  if (*kind == "screen") {
    if (csv) {
      job->total = csv_rows(c.req.body());
    } else {
      auto body = c.json_body();
      if (!body.is_array())
        throw ApiError::invalid("",
                                "expected a JSON array of screening requests (or a CSV upload, text/csv)");
      job->total = body.size();
    }
    inner->max_rows = size_t{1} << 40;  // bounded by --max-upload
    inner->req.target("/v1/screen/batch" + query_without(c, {"kind"}));
    job->run = [inner](Responder& out) { return screen::batch(*inner, out); };
  } else if (*kind == "impact") {
    if (!(c.caller.role & (kAnalyst | kApprover | kAdmin)))
      throw ApiError{403, "forbidden", "impact runs are for analysts, approvers and admins", "", {}};
    if (!csv)
      throw ApiError{
          415, "unsupported_media_type", "expected an order book as Content-Type: text/csv", "", {}};
    for (const char* p : {"from", "to"})
      if (!c.query(p))
        throw ApiError{400, "missing_field", std::string(p) + " is required (YYYY-MM-DD)", p, {}};
    auto format = c.query("format").value_or("json");
    if (format != "json" && format != "html")
      throw ApiError::invalid("format", "format: json or html, not '" + format + "'");
    if (c.svc.shared_jobs()) {
      // Replicas on a PostgreSQL store: any of them runs it, and another if it dies.
      Answer a;
      a.status = 202;
      a.body = c.svc.shared_jobs()->create_impact(c, format == "html");
      a.with_provenance = true;
      return a;
    }
    if (format == "html") inner->req.set(http::field::accept, "text/html");
    job->total = csv_rows(c.req.body());
    inner->req.target("/v1/impact" + query_without(c, {"kind", "format"}));
    job->run = answered_by(data::impact, inner, raw);
  } else if (*kind == "rescreen") {
    // The rows against what changed in the lists since the snapshots they were screened against:
    // the old snapshots are the store's, and any replica runs the chunks.
    if (!(c.caller.role & (kAnalyst | kApprover | kAdmin)))
      throw ApiError{403,
                     "forbidden",
                     "rescreens open review cases: they are for analysts, approvers and admins",
                     "",
                     {}};
    if (!c.svc.shared_jobs())
      throw ApiError::invalid("kind",
                              "kind=rescreen is a job of replicas on a PostgreSQL store (serve --store "
                              "postgres://…); on one machine, run `clearance rescreen --since`");
    if (!csv)
      throw ApiError{
          415, "unsupported_media_type", "expected a customer file as Content-Type: text/csv", "", {}};
    Answer a;
    a.status = 202;
    a.body = c.svc.shared_jobs()->create_rescreen(c);
    a.with_provenance = true;
    return a;
  } else if (*kind == "lists_update") {
    // POST /v1/lists/update as a job: its body ({"sources": [...]}, optional), its answer as the result.
    if (!(c.caller.role & kAdmin)) throw ApiError{403, "forbidden", "list updates are for admins", "", {}};
    inner->req.target("/v1/lists/update");
    job->run = answered_by(data::update_lists, inner, raw);
  } else {
    throw ApiError::invalid("kind", "kind: screen, impact, rescreen or lists_update, not '" + *kind + "'");
  }
  q->submit(job);
  Answer a;
  a.status = 202;
  a.body = q->describe(*job);
  a.with_provenance = true;
  return a;
}

Answer show(Call& c) {
  if (auto shared = shared_job(c)) {
    Answer a;
    a.body = c.svc.shared_jobs()->describe(*shared);
    a.with_provenance = true;
    return a;
  }
  auto job = owned_job(c);
  Answer a;
  a.body = c.svc.jobs()->describe(*job);
  c.state = job->serving;
  a.with_provenance = true;
  return a;
}

Answer result(Call& c) {
  if (auto shared = shared_job(c)) {
    if (shared->state == "failed")
      throw ApiError{409, "job_failed", "job " + shared->id + " failed: " + shared->error, "", {}};
    if (shared->state != "done")
      throw ApiError{409, "job_not_done",
                     "job " + shared->id + " is " + shared->state + "; GET /v1/jobs/" + shared->id +
                         " says when it is done",
                     "", 1};
    Answer a;
    a.raw = c.svc.shared_jobs()->result(*shared);
    a.content_type = SharedJobs::result_type(*shared);
    a.with_provenance = true;
    return a;
  }
  auto job = owned_job(c);
  auto state = job->state.load();
  if (state == Job::State::kFailed)
    throw ApiError{409,
                   "job_failed",
                   "job " + job->id + " failed: " + c.svc.jobs()->describe(*job)["error"].dump(),
                   "",
                   {}};
  if (state != Job::State::kDone)
    throw ApiError{409, "job_not_done",
                   "job " + job->id + " is " + std::string(to_string(state)) + "; GET /v1/jobs/" + job->id +
                       " says when it is done",
                   "", 1};
  std::ifstream in(job->result_path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  if (!in && !in.eof()) throw ApiError{500, "internal", "the job's result cannot be read", "", {}};
  Answer a;
  a.raw = ss.str();
  a.content_type = c.svc.jobs()->describe(*job)["result_type"].get<std::string>();
  c.state = job->serving;
  a.with_provenance = true;  // the headers name the lists and rules the job ran with
  if (job->audit_id) a.audit_id = job->audit_id.load();
  return a;
}

}  // namespace jobs
}  // namespace clearance::server
