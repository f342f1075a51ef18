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

Route route(http::verb m, std::string pattern, std::string name, unsigned roles, RouteFn fn) {
  Route r;
  r.method = m;
  r.pattern = std::move(pattern);
  r.name = std::move(name);
  r.roles = roles;
  r.fn = std::move(fn);
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
  r.push_back(route(V::post, "/v1/classify", "classify", kScreeners, decide::classify));
  r.push_back(route(V::post, "/v1/check", "check", kScreeners, decide::check));
  (void)kWorkers;
  (void)kRecordReaders;
  (void)pooled;
  return r;
}

}  // namespace clearance::server
