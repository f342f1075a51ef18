#include "server/service.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <random>

#include "clearance/common/strings.hpp"
#include "clearance/store/record.hpp"
#include "server/jobs.hpp"
#include "server/json_input.hpp"
#include "server/shared_jobs.hpp"

namespace clearance::server {

namespace {

using Clock = std::chrono::steady_clock;

std::string_view path_of(std::string_view target) {
  auto q = target.find('?');
  return q == std::string_view::npos ? target : target.substr(0, q);
}

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string url_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int h = hex_value(s[i + 1]), l = hex_value(s[i + 2]);
      if (h >= 0 && l >= 0) {
        out += static_cast<char>(h * 16 + l);
        i += 2;
        continue;
      }
    }
    out += (plus_is_space && s[i] == '+') ? ' ' : s[i];
  }
  return out;
}

bool valid_request_id(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ':'))
      return false;
  return true;
}

}  // namespace

double seconds_since(const std::string& when, std::time_t now) {
  std::tm tm{};
  const char* end = nullptr;
  if (when.size() >= 19) end = strptime(when.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (!end && when.size() >= 10) {
    tm = {};
    end = strptime(when.c_str(), "%Y-%m-%d", &tm);
  }
  if (!end) return -1;
  return std::difftime(now, timegm(&tm));
}

std::optional<Role> role_from_string(std::string_view s) {
  if (s == "viewer") return kViewer;
  if (s == "analyst") return kAnalyst;
  if (s == "approver") return kApprover;
  if (s == "admin") return kAdmin;
  if (s == "auditor") return kAuditor;
  return std::nullopt;
}

std::string role_name(Role r) {
  switch (r) {
    case kViewer:
      return "viewer";
    case kAnalyst:
      return "analyst";
    case kApprover:
      return "approver";
    case kAdmin:
      return "admin";
    case kAuditor:
      return "auditor";
  }
  return "viewer";
}

void ServingState::seal() {
  nlohmann::ordered_json snaps = nlohmann::ordered_json::array();
  snapshot_ids_.clear();
  if (screener)
    for (const auto& s : screener->snapshots()) {
      snaps.push_back({{"list", s.info.name}, {"id", s.info.id}, {"source_date", s.info.source_date}});
      snapshot_ids_ += (snapshot_ids_.empty() ? "" : ",") + s.info.id;
    }
  rules_version_ = engine ? engine->rules().version() : "";
  provenance_ = {{"snapshots", std::move(snaps)}, {"rules_version", rules_version_}};
  provenance_open_ = provenance_.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  provenance_open_.pop_back();
}

std::optional<std::string> Call::query(std::string_view name) const {
  std::string_view target = sv(req.target());
  auto q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    auto eq = pair.find('=');
    std::string key = url_decode(pair.substr(0, eq), true);
    if (key == name) return eq == std::string_view::npos ? "" : url_decode(pair.substr(eq + 1), true);
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
  return std::nullopt;
}

void Call::only_query(std::initializer_list<std::string_view> allowed) const {
  std::string_view target = sv(req.target());
  auto q = target.find('?');
  if (q == std::string_view::npos) return;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    std::string key = url_decode(pair.substr(0, pair.find('=')), true);
    if (!key.empty() && std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      throw ApiError{400, "unknown_field", "unknown query parameter '" + key + "'", key, {}};
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
}

nlohmann::json Call::json_body() const {
  auto ct = sv(req[http::field::content_type]);
  if (!ct.empty() && !starts_with_icase(ct, "application/json") && !starts_with_icase(ct, "text/json"))
    throw ApiError{415,
                   "unsupported_media_type",
                   "expected Content-Type: application/json, got '" + std::string(ct) + "'",
                   "",
                   {}};
  return parse_json_body(req.body(), svc.options().limits.max_json_depth);
}

Service::Service(ServeOptions options, Log& log)
    : options_(std::move(options)), log_(log), routes_(make_routes()), pool_(std::max(1u, options_.workers)) {
  std::vector<std::string> names;
  for (const auto& r : routes_) names.push_back(r.name);
  names.push_back("unmatched");
  names.push_back("static");
  metrics_ = std::make_unique<Metrics>(std::move(names));
  if (!options_.anonymous_role.empty()) anonymous_role_ = role_from_string(options_.anonymous_role);
  keys_ = std::make_unique<KeyRing>(options_.home);
  std::random_device rd;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%06x", rd() & 0xffffff);
  request_prefix_ = buf;
}

Service::~Service() { shutdown(); }

std::string Service::caller_id(const Call& c) {
  return c.caller.key_id.empty() ? "anonymous" : c.caller.key_id;
}

void Service::record_answer(const Call& c, Answer& a, const std::string& action, nlohmann::json inputs,
                            bool lists, bool engine) {
  if (!recording()) return;
  RecordDraft d;
  d.action = action;
  d.inputs = std::move(inputs);
  if (lists) d.snapshots = c.state->snapshot_refs;
  if (engine) {
    d.rules = {c.state->versions.rules};
    d.catalogue = c.state->versions.catalogue;
  }
  d.result = nlohmann::json(a.body);
  a.audit_id = put_on_record(c, std::move(d));
  a.body["record"] = *a.audit_id;
}

std::int64_t Service::put_on_record(const Call& c, RecordDraft draft) {
  if (shares_store()) draft.idempotency_key = c.idempotency;
  return put_on_record(caller_id(c), c.request_id, std::move(draft));
}

std::int64_t Service::put_on_record(const std::string& caller, const std::string& request_id,
                                    RecordDraft draft) {
  if (!recording()) return 0;
  draft.caller = caller;
  auto start = Clock::now();
  auto a = store_->append(std::move(draft));
  metrics_->audit_append(std::chrono::duration<double>(Clock::now() - start).count());
  if (!a) {
    log_.error("audit append failed", {{"request_id", request_id}, {"what", a.error().message}});
    throw ApiError::unavailable("the audit trail cannot record this answer, so it is not given: " +
                                a.error().message);
  }
  return a->seq;
}

Status Service::start_jobs() {
  jobs_ = std::make_unique<JobQueue>(options_.home + "/jobs", 1);
  if (auto st = jobs_->start(); !st) return st;
  if (shares_store() && recording()) {
    shared_jobs_ = std::make_unique<SharedJobs>(*this, options_.jobs);
    shared_jobs_->start();
  }
  return Status::Ok();
}

void Service::shutdown() {
  draining_ = true;
  if (jobs_) jobs_->stop();
  if (shared_jobs_) shared_jobs_->stop();
  {
    // Deferred answers come back through the pool once their records are durable.
    std::unique_lock lk(running_mu_);
    running_cv_.wait(lk, [&] { return running_ == 0; });
  }
  pool_.join();
  store_.reset();  // waits for queued appends to commit
}

std::uint64_t Service::body_limit(const Request& header) const {
  auto m = match(header.method(), path_of(sv(header.target())));
  return m.route && m.route->upload ? options_.limits.max_upload : options_.limits.max_body;
}

Service::Matched Service::match(http::verb method, std::string_view path) const {
  Matched out;
  auto segs = segments(path);
  for (size_t i = 0; i < routes_.size(); ++i) {
    const Route& r = routes_[i];
    auto pat = segments(r.pattern);
    if (pat.size() != segs.size()) continue;
    std::map<std::string, std::string> params;
    bool ok = true;
    for (size_t k = 0; k < pat.size() && ok; ++k) {
      if (pat[k].size() > 2 && pat[k].front() == '{' && pat[k].back() == '}')
        params[std::string(pat[k].substr(1, pat[k].size() - 2))] = url_decode(segs[k], false);
      else
        ok = pat[k] == segs[k];
    }
    if (!ok) continue;
    out.path_known = true;
    if (r.method != method && !(method == http::verb::head && r.method == http::verb::get)) continue;
    out.route = &r;
    out.index = i;
    out.params = std::move(params);
    return out;
  }
  return out;
}

Caller Service::authenticate(const Request& req, const Route& route, const Connection& conn) const {
  if (route.roles == 0) return Caller{"", "public", kViewer};
  std::string_view token;
  auto auth = sv(req[http::field::authorization]);
  if (starts_with_icase(auth, "Bearer ")) token = trim(auth.substr(7));
  if (token.empty()) token = trim(sv(req["X-API-Key"]));
  if (token.empty()) {
    if (!anonymous_role_)
      throw ApiError{401,
                     "unauthorized",
                     "this endpoint needs an API key (Authorization: Bearer KEY or X-API-Key: KEY)",
                     "",
                     {}};
    if (!(route.roles & *anonymous_role_))
      throw ApiError{403,
                     "forbidden",
                     "keyless callers have the role '" + role_name(*anonymous_role_) +
                         "', which may not call " + route.name,
                     "",
                     {}};
    return Caller{"", "anonymous", *anonymous_role_};
  }
  auto key = keys_->find(token);
  if (!key) throw ApiError{401, "unauthorized", "unknown or revoked API key", "", {}};
  auto role = role_from_string(key->role);
  if (!role) throw ApiError{401, "unauthorized", "the key " + key->id + " has no valid role", "", {}};
  if (!(route.roles & *role))
    throw ApiError{
        403,
        "forbidden",
        "the key " + key->id + " has the role '" + key->role + "', which may not call " + route.name,
        "",
        {}};
  return Caller{key->id, key->name, *role};
}

void Service::rate_limit(const Caller& caller) {
  if (options_.limits.rate_per_second <= 0) return;
  std::string key = caller.key_id.empty() ? "anonymous" : caller.key_id;
  auto now = Clock::now();
  std::lock_guard lock(rate_mu_);
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{options_.limits.rate_burst, now});
  Bucket& b = it->second;
  double elapsed = std::chrono::duration<double>(now - b.at).count();
  b.tokens = std::min(options_.limits.rate_burst, b.tokens + elapsed * options_.limits.rate_per_second);
  b.at = now;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return;
  }
  int wait = static_cast<int>(std::ceil((1 - b.tokens) / options_.limits.rate_per_second));
  throw ApiError{429, "rate_limited",
                 "more than " + std::to_string(static_cast<int>(options_.limits.rate_per_second)) +
                     " requests a second for this key; retry after " + std::to_string(std::max(1, wait)) +
                     " s",
                 "", std::max(1, wait)};
}

Response Service::error_response(const ApiError& e, const std::string& request_id) const {
  Response res{static_cast<http::status>(e.status), 11};
  res.set(http::field::content_type, "application/json");
  res.set("X-Request-Id", request_id);
  if (e.retry_after) res.set(http::field::retry_after, std::to_string(*e.retry_after));
  if (e.status == 405) {
    // Allow: the methods this path has.
  }
  res.body() = e.to_json().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return res;
}

void Service::log_request(const std::string& request_id, const Request& req, const Connection& conn,
                          const Route* route, const Caller* caller, int status, double seconds,
                          const std::string& error_code) {
  if (!log_.enabled(Log::Level::kInfo)) return;
  nlohmann::ordered_json f = {{"msg", "request"},
                              {"request_id", request_id},
                              {"method", std::string(req.method_string())},
                              {"path", std::string(path_of(sv(req.target())))},
                              {"endpoint", route ? route->name : "unmatched"},
                              {"status", status},
                              {"ms", std::round(seconds * 1e5) / 100},
                              {"remote", conn.remote}};
  if (caller && !caller->key_id.empty()) f["key"] = caller->key_id;
  if (!error_code.empty()) f["error"] = error_code;
  log_.write(status >= 500 ? Log::Level::kError : Log::Level::kInfo, std::move(f));
}

void Service::handle(Request req, const Connection& conn, std::shared_ptr<Responder> responder) {
  auto start = Clock::now();
  std::string rid;
  if (auto h = sv(req["X-Request-Id"]); valid_request_id(h))
    rid = std::string(h);
  else {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%s-%llx", request_prefix_.c_str(),
                  static_cast<unsigned long long>(next_request_.fetch_add(1, std::memory_order_relaxed)));
    rid = buf;
  }
  Matched m = match(req.method(), path_of(sv(req.target())));
  try {
    if (!m.route && (req.method() == http::verb::get || req.method() == http::verb::head) &&
        serve_static(req, conn, rid, *responder, start))
      return;
    if (!m.route) {
      if (m.path_known)
        throw ApiError{
            405,
            "method_not_allowed",
            std::string(req.method_string()) + " is not allowed on " + std::string(path_of(sv(req.target()))),
            "",
            {}};
      throw ApiError::not_found("no endpoint " + std::string(path_of(sv(req.target()))));
    }
    if (draining_ && m.route->pooled) throw ApiError::unavailable("the server is shutting down");
    Caller caller = authenticate(req, *m.route, conn);
    if (m.route->roles) rate_limit(caller);
    auto state = this->state();
    if (!state && m.route->roles) throw ApiError::unavailable("the lists are not loaded yet");
    std::string idem;
    if (auto k = sv(req["Idempotency-Key"]);
        !k.empty() && req.method() == http::verb::post && !m.route->stream) {
      if (k.size() > 255)
        throw ApiError::invalid("Idempotency-Key", "Idempotency-Key: at most 255 characters");
      idem = (caller.key_id.empty() ? std::string("anonymous") : caller.key_id) + "\n" + std::string(k);
      if (auto stored = idempotent_lookup(idem, req)) {
        stored->set("X-Request-Id", rid);
        stored->set("Idempotent-Replayed", "true");
        double secs = std::chrono::duration<double>(Clock::now() - start).count();
        metrics_->request(m.index, stored->result_int(), secs);
        log_request(rid, req, conn, m.route, &caller, stored->result_int(), secs, "");
        responder->send(std::move(*stored));
        return;
      }
    }
    auto call = std::make_shared<Call>(Call{*this, std::move(req), conn, std::move(caller), rid,
                                            std::move(m.params), std::move(state),
                                            start + options_.limits.request_timeout, std::move(idem)});
    const Route& route = *m.route;
    size_t index = m.index;
    if (route.pooled || route.stream) {
      boost::asio::post(pool_, [this, &route, index, call, responder, start] {
        run(route, index, call, responder, start);
      });
    } else {
      run(route, index, call, responder, start);
    }
  } catch (const ApiError& e) {
    refuse(e, rid, req, conn, m.route ? m.index : routes_.size(), m.route, *responder, start);
  } catch (const std::exception& e) {
    log_.error("request failed", {{"request_id", rid}, {"what", e.what()}});
    refuse(ApiError{500, "internal", "internal error (request " + rid + ")", "", {}}, rid, req, conn,
           m.route ? m.index : routes_.size(), m.route, *responder, start);
  }
}

void Service::refuse(const ApiError& e, const std::string& rid, const Request& req, const Connection& conn,
                     size_t index, const Route* route, Responder& responder, Clock::time_point start) {
  auto res = error_response(e, rid);
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  metrics_->request(index, e.status, secs);
  log_request(rid, req, conn, route, nullptr, e.status, secs, e.code);
  responder.send(std::move(res));
}

void Service::run(const Route& route, size_t index, std::shared_ptr<Call> call,
                  std::shared_ptr<Responder> responder, std::chrono::steady_clock::time_point start) {
  if (route.stream) {
    try {
      int status = route.stream(*call, *responder);
      double secs = std::chrono::duration<double>(Clock::now() - start).count();
      metrics_->request(index, status, secs);
      log_request(call->request_id, call->req, call->conn, &route, &call->caller, status, secs, "");
    } catch (...) {
      send_failure(route, index, *call, *responder, start, std::current_exception());
    }
    return;
  }
  {
    std::lock_guard lk(running_mu_);
    ++running_;
  }
  // The finisher holds the call and the responder until the deferred rest has run; the call
  // drops its own copy below (no cycle).
  call->finish = [this, &route, index, call, responder, start](std::function<Answer()> rest) {
    boost::asio::post(pool_, [this, &route, index, call, responder, start, rest = std::move(rest)] {
      complete(route, index, call, responder, start, rest);
    });
  };
  complete(route, index, call, responder, start, [&] {
    // A deferring handler has copied the finisher by the time it returns; dropping the call's own
    // copy here, on this thread only, breaks the cycle. (The deferred rest used to clear it too, from
    // a pool thread, racing this thread's clear: found by ThreadSanitizer.)
    struct DropFinisher {
      Call& c;
      ~DropFinisher() { c.finish = nullptr; }
    } drop{*call};
    return route.fn(*call);
  });
}

void Service::send_failure(const Route& route, size_t index, Call& call, Responder& responder,
                           std::chrono::steady_clock::time_point start, std::exception_ptr failure) {
  ApiError e;
  try {
    std::rethrow_exception(failure);
  } catch (const ApiError& a) {
    e = a;
  } catch (const std::exception& x) {
    log_.error("handler failed", {{"request_id", call.request_id}, {"what", x.what()}});
    e = ApiError{500, "internal", "internal error (request " + call.request_id + ")", "", {}};
  } catch (...) {
    log_.error("handler failed", {{"request_id", call.request_id}, {"what", "unknown exception"}});
    e = ApiError{500, "internal", "internal error (request " + call.request_id + ")", "", {}};
  }
  auto res = error_response(e, call.request_id);
  if (!call.idempotency.empty()) idempotent_store(call.idempotency, res);
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  metrics_->request(index, e.status, secs);
  log_request(call.request_id, call.req, call.conn, &route, &call.caller, e.status, secs, e.code);
  responder.send(std::move(res));
}

void Service::complete(const Route& route, size_t index, const std::shared_ptr<Call>& call,
                       const std::shared_ptr<Responder>& responder,
                       std::chrono::steady_clock::time_point start, const std::function<Answer()>& produce) {
  std::optional<Answer> a;
  try {
    a = produce();
  } catch (...) {
    send_failure(route, index, *call, *responder, start, std::current_exception());
  }
  if (a && a->deferred) return;
  if (a) answer(&route, index, call.get(), call->req, call->request_id, *responder, std::move(*a), start);
  {
    std::lock_guard lk(running_mu_);
    --running_;
  }
  running_cv_.notify_all();
}

void Service::answer(const Route* route, size_t index, Call* call, const Request& req,
                     const std::string& request_id, Responder& responder, Answer a,
                     std::chrono::steady_clock::time_point start) {
  Response res{static_cast<http::status>(a.status), 11};
  res.set(http::field::content_type, a.content_type);
  res.set("X-Request-Id", request_id);
  if (a.with_provenance && call && call->state) {
    res.set("X-Clearance-Snapshots", call->state->snapshot_ids());
    res.set("X-Clearance-Rules-Version", call->state->rules_version());
    if (a.audit_id) res.set("X-Clearance-Audit-Id", std::to_string(*a.audit_id));
  }
  if (req.method() == http::verb::head) {
    res.body().clear();
  } else if (call) {
    res.body() = body_of(*call, a);
  } else {
    res.body() =
        a.raw ? std::move(*a.raw) : a.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  if (call && !call->idempotency.empty()) idempotent_store(call->idempotency, res);
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  metrics_->request(index, a.status, secs);
  log_request(request_id, req, call ? call->conn : Connection{}, route, call ? &call->caller : nullptr,
              a.status, secs, "");
  responder.send(std::move(res));
}

Status Service::load_web() {
  auto files = StaticFiles::load(options_.web_dir);
  if (!files) return files.error();
  web_ = std::move(*files);
  return Status::Ok();
}

bool Service::serve_static(const Request& req, const Connection& conn, const std::string& request_id,
                           Responder& responder, Clock::time_point start) {
  const StaticFiles::File* f = web_.find(path_of(sv(req.target())));
  if (!f) return false;
  bool fresh = sv(req[http::field::if_none_match]) == f->etag;
  Response res{fresh ? http::status::not_modified : http::status::ok, 11};
  res.set(http::field::content_type, f->content_type);
  res.set(http::field::etag, f->etag);
  res.set(http::field::cache_control, "no-cache");
  res.set("Content-Security-Policy", StaticFiles::kContentSecurityPolicy);
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
  res.set("X-Frame-Options", "DENY");
  res.set("X-Request-Id", request_id);
  if (!fresh && req.method() == http::verb::get) res.body() = f->body;
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  metrics_->request(routes_.size() + 1, res.result_int(), secs);
  log_request(request_id, req, conn, nullptr, nullptr, res.result_int(), secs, "");
  responder.send(std::move(res));
  return true;
}

std::string Service::body_of(const Call& c, Answer& a) const {
  if (a.raw) return std::move(*a.raw);
  if (a.with_provenance && c.state && a.body.is_object() && !a.body.contains("meta")) {
    // What adding "meta" {provenance…, request_id, audit_id} last and dumping would give, with the
    // provenance dumped once per state.
    std::string out = a.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out.pop_back();
    out += a.body.empty() ? "\"meta\":" : ",\"meta\":";
    out += c.state->provenance_open();
    out += ",\"request_id\":";
    out +=
        nlohmann::ordered_json(c.request_id).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out += ",\"audit_id\":";
    out += a.audit_id ? std::to_string(*a.audit_id) : "null";
    out += "}}";
    return out;
  }
  if (a.with_provenance && c.state) {
    auto p = c.state->provenance();
    p["request_id"] = c.request_id;
    p["audit_id"] = a.audit_id ? nlohmann::ordered_json(*a.audit_id) : nlohmann::ordered_json();
    a.body["meta"] = std::move(p);
  }
  return a.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<Response> Service::idempotent_lookup(const std::string& key, const Request& req) {
  std::string hash =
      sha256_hex(std::string(req.method_string()) + " " + std::string(sv(req.target())) + "\n" + req.body());
  auto now = Clock::now();
  {
    std::lock_guard lock(idem_mu_);
    // Kept for 24 hours, at most 100,000 answers: the oldest finished ones go first.
    if (remembered_.size() > 100'000)
      for (auto it = remembered_.begin(); it != remembered_.end();)
        it = it->second.done && now - it->second.at > std::chrono::minutes(10) ? remembered_.erase(it)
                                                                               : std::next(it);
    auto it = remembered_.find(key);
    if (it != remembered_.end() && now - it->second.at > std::chrono::hours(24) && it->second.done) {
      remembered_.erase(it);
      it = remembered_.end();
    }
    if (it != remembered_.end()) {
      if (it->second.request_hash != hash)
        throw ApiError{422,
                       "idempotency_key_reused",
                       "this Idempotency-Key was used for a different request (method, path or body)",
                       "Idempotency-Key",
                       {}};
      if (!it->second.done)
        throw ApiError{409, "idempotency_in_progress",
                       "the first request with this Idempotency-Key is still running", "Idempotency-Key", 1};
      return it->second.response;
    }
    remembered_[key] = Remembered{hash, false, {}, now};
    if (!shares_store()) return std::nullopt;
  }
  // Replicas on one PostgreSQL store: the first request may have been answered by another one (a
  // retry nginx sent here after that replica died), or may still run there.
  auto forget = [&] {
    std::lock_guard lock(idem_mu_);
    remembered_.erase(key);
  };
  auto claim = store_->claim_idempotent(key, hash, 2000);
  if (!claim) {
    forget();
    throw ApiError::unavailable("the store cannot say whether this Idempotency-Key was answered: " +
                                claim.error().message);
  }
  using K = IdempotentClaim::Kind;
  switch (claim->kind) {
    case K::kRun: {
      std::lock_guard lock(idem_mu_);
      remembered_[key].claimed = true;
      return std::nullopt;
    }
    case K::kBusy:
      forget();
      throw ApiError{409, "idempotency_in_progress",
                     "the first request with this Idempotency-Key is still running", "Idempotency-Key", 1};
    case K::kOtherRequest:
      forget();
      throw ApiError{422,
                     "idempotency_key_reused",
                     "this Idempotency-Key was used for a different request (method, path or body)",
                     "Idempotency-Key",
                     {}};
    case K::kAnswered:
    case K::kRecorded:
      break;
  }
  Response res;
  try {
    res = stored_answer(*claim);
  } catch (...) {
    forget();
    throw;
  }
  std::lock_guard lock(idem_mu_);
  auto& r = remembered_[key];
  r.done = true;
  r.response = res;
  return res;
}

Response Service::stored_answer(const IdempotentClaim& claim) {
  if (claim.kind == IdempotentClaim::Kind::kAnswered) {
    Response res{static_cast<http::status>(claim.status), 11};
    std::string_view rest = claim.headers;
    while (!rest.empty()) {
      auto nl = rest.find('\n');
      std::string_view line = rest.substr(0, nl);
      if (auto colon = line.find(": "); colon != std::string_view::npos)
        res.set(std::string(line.substr(0, colon)), std::string(line.substr(colon + 2)));
      if (nl == std::string_view::npos) break;
      rest = rest.substr(nl + 1);
    }
    res.body() = claim.body;
    return res;
  }
  // Recorded, but its replica died before the answer was kept: the answer is the record's result
  // with its number, and the lists and rules the record names.
  auto rec = store_->record(claim.audit_seq);
  if (!rec)
    throw ApiError::unavailable("the record of this Idempotency-Key's answer cannot be read: " +
                                rec.error().message);
  auto body = nlohmann::ordered_json::parse(rec->result, nullptr, false);
  auto snaps = nlohmann::json::parse(rec->snapshots, nullptr, false);
  auto rules = nlohmann::json::parse(rec->rules, nullptr, false);
  if (!body.is_object() || !snaps.is_array() || !rules.is_array())
    throw ApiError{500, "internal", "the record of this Idempotency-Key's answer is damaged", "", {}};
  body["record"] = claim.audit_seq;
  nlohmann::ordered_json listed = nlohmann::ordered_json::array();
  std::string ids;
  for (const auto& s : snaps) {
    listed.push_back({{"list", s.value("name", "")}, {"id", s.value("id", "")}});
    ids += (ids.empty() ? "" : ",") + s.value("id", "");
  }
  body["meta"] = {
      {"snapshots", listed},
      {"rules_version", rules.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(rules[0])},
      {"audit_id", claim.audit_seq},
      {"rebuilt_from_record", true}};
  Response res{http::status::ok, 11};
  res.set(http::field::content_type, "application/json");
  res.set("X-Clearance-Snapshots", ids);
  res.set("X-Clearance-Audit-Id", std::to_string(claim.audit_seq));
  res.body() = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return res;
}

void Service::idempotent_store(const std::string& key, const Response& res) {
  bool claimed = false;
  int st = res.result_int();
  {
    std::lock_guard lock(idem_mu_);
    auto it = remembered_.find(key);
    if (it == remembered_.end()) return;
    claimed = it->second.claimed;
    // A refusal that a retry may overcome (rate limit, overload, internal failure) is not kept.
    if (st == 429 || st >= 500) {
      remembered_.erase(it);
    } else {
      it->second.done = true;
      it->second.claimed = false;
      it->second.response = res;
    }
  }
  if (!claimed) return;
  Status kept;
  if (st == 429 || st >= 500) {
    kept = store_->release_idempotent(key);
  } else {
    std::string headers;
    for (const auto& f : res) {
      auto name = f.name_string();
      if (boost::beast::iequals(name, "X-Request-Id") || boost::beast::iequals(name, "Content-Length"))
        continue;
      headers += std::string(name) + ": " + std::string(f.value()) + "\n";
    }
    kept = store_->answer_idempotent(key, st, headers, res.body());
  }
  if (!kept.ok())
    log_.warn(
        "the answer to an Idempotency-Key was not kept in the store; a retry on another replica runs again",
        {{"what", kept.error().message}});
}

Response Service::transport_error(TransportError e, const Request* header, const Connection& conn) {
  ApiError err;
  switch (e) {
    case TransportError::kMalformed:
      err = {400, "bad_request", "the request is not HTTP/1.1 this server can read", "", {}};
      break;
    case TransportError::kHeaderTooLarge:
      err = {431, "header_too_large", "the request header is larger than the limit", "", {}};
      break;
    case TransportError::kBodyTooLarge: {
      std::uint64_t limit = header ? body_limit(*header) : options_.limits.max_body;
      err = {413,
             "body_too_large",
             "the request body is larger than " + std::to_string(limit) +
                 " bytes (--max-body for JSON, --max-upload for uploads)",
             "",
             {}};
      break;
    }
    case TransportError::kReadTimeout:
      err = {408,
             "request_timeout",
             "the request did not arrive within " +
                 std::to_string(options_.limits.request_timeout.count() / 1000.0).substr(0, 5) + " s",
             "",
             {}};
      break;
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s-%llx", request_prefix_.c_str(),
                static_cast<unsigned long long>(next_request_.fetch_add(1, std::memory_order_relaxed)));
  std::string rid = buf;
  metrics_->request(routes_.size(), err.status, 0);
  Request empty;
  log_request(rid, header ? *header : empty, conn, nullptr, nullptr, err.status, 0, err.code);
  return error_response(err, rid);
}

}  // namespace clearance::server
