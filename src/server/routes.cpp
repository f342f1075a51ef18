// The route table: every endpoint, the roles that may call it, and where it runs. docs/API.md
// carries the same table for people; /openapi.json describes the shapes.
#include "server/routes.hpp"

namespace clearance::server {

namespace {
constexpr unsigned kScreeners = kViewer | kAnalyst | kApprover | kAdmin;
constexpr unsigned kWorkers = kAnalyst | kApprover | kAdmin;
constexpr unsigned kReaders = kAllRoles;
constexpr unsigned kRecordReaders = kAuditor | kAdmin;
constexpr unsigned kOperators = kAdmin | kAuditor;
// Review cases: analysts decide, approvers approve (four-eyes), auditors read.
constexpr unsigned kCaseReaders = kAnalyst | kApprover | kAdmin | kAuditor;
constexpr unsigned kDeciders = kAnalyst | kAdmin;
constexpr unsigned kApprovers = kApprover | kAdmin;

Route route(http::verb m, std::string pattern, std::string name, unsigned roles, RouteFn fn) {
  Route r;
  r.method = m;
  r.pattern = std::move(pattern);
  r.name = std::move(name);
  r.roles = roles;
  r.fn = std::move(fn);
  return r;
}
// Streams its answer from the worker pool; the body may be an upload.
Route streamed(http::verb m, std::string pattern, std::string name, unsigned roles, StreamFn fn) {
  Route r = route(m, std::move(pattern), std::move(name), roles, nullptr);
  r.stream = std::move(fn);
  r.pooled = true;
  r.upload = true;
  return r;
}
Route pooled(Route r, bool upload = false) {
  r.pooled = true;
  r.upload = upload;
  return r;
}
}  // namespace

std::vector<Route> make_routes() {
  using V = http::verb;
  std::vector<Route> r;
  r.push_back(route(V::get, "/healthz", "healthz", 0, ops::healthz));
  r.push_back(route(V::get, "/readyz", "readyz", 0, ops::readyz));
  r.push_back(route(V::get, "/metrics", "metrics", kOperators, ops::metrics));
  r.push_back(route(V::get, "/openapi.json", "openapi", kReaders, ops::openapi));
  r.push_back(route(V::get, "/v1/me", "me", kReaders, ops::me));
  r.push_back(pooled(route(V::post, "/v1/screen", "screen", kScreeners, screen::one)));
  r.push_back(streamed(V::post, "/v1/screen/batch", "screen_batch", kScreeners, screen::batch));
  r.push_back(pooled(route(V::post, "/v1/compare", "compare", kScreeners, screen::compare)));
  r.push_back(pooled(route(V::post, "/v1/classify", "classify", kScreeners, decide::classify)));
  r.push_back(pooled(route(V::post, "/v1/check", "check", kScreeners, decide::check)));
  r.push_back(route(V::get, "/v1/lists", "lists", kReaders, screen::lists));
  r.push_back(pooled(route(V::post, "/v1/lists", "lists_import", kAdmin, data::import_list), true));
  r.push_back(pooled(route(V::post, "/v1/lists/update", "lists_update", kAdmin, data::update_lists)));
  r.push_back(pooled(route(V::post, "/v1/impact", "impact", kWorkers, data::impact), true));
  r.push_back(route(V::get, "/v1/entries/{id}", "entry", kReaders, screen::entry));
  r.push_back(route(V::get, "/v1/items", "items", kReaders, catalogue::items));
  r.push_back(route(V::get, "/v1/rules", "rules", kReaders, catalogue::rules));
  // Compatibility: yente and watchman clients switch by changing the base URL.
  r.push_back(pooled(route(V::post, "/match/{dataset}", "yente_match", kScreeners, compat::yente_match)));
  r.push_back(pooled(route(V::get, "/v2/search", "watchman_search", kScreeners, compat::watchman_search)));
  r.push_back(route(V::get, "/v1/audit/{id}", "audit_record", kRecordReaders, ops::audit_record));
  r.push_back(
      pooled(route(V::post, "/v1/audit/{id}/replay", "audit_replay", kRecordReaders, ops::audit_replay)));
  r.push_back(pooled(route(V::post, "/v1/jobs", "job_create", kScreeners, jobs::create), true));
  r.push_back(route(V::get, "/v1/jobs/{id}", "job", kScreeners, jobs::show));
  r.push_back(pooled(route(V::get, "/v1/jobs/{id}/result", "job_result", kScreeners, jobs::result)));
  r.push_back(route(V::get, "/v1/cases", "cases", kCaseReaders, cases::list));
  // Before /v1/cases/{id}: the first route that matches a path answers it.
  r.push_back(route(V::get, "/v1/cases/policy", "case_policy", kCaseReaders, cases::policy));
  r.push_back(route(V::get, "/v1/cases/{id}", "case", kCaseReaders, cases::show));
  r.push_back(pooled(route(V::post, "/v1/cases/{id}/decide", "case_decide", kDeciders, cases::decide)));
  r.push_back(pooled(route(V::post, "/v1/cases/{id}/approve", "case_approve", kApprovers, cases::approve)));
  return r;
}

}  // namespace clearance::server
