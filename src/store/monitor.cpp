// Watched customer files: the watches file, adding and removing watches, and the run after a list
// update (rescreen, cases, webhook with retries, records).
#include "clearance/store/monitor.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "clearance/common/files.hpp"
#include "clearance/store/record.hpp"

namespace clearance {
namespace {

nlohmann::json columns_json(const BatchOptions& o) {
  return {{"id", o.id_column},
          {"name", o.name_column},
          {"country", o.country_column},
          {"type", o.type_column},
          {"dob", o.dob_column}};
}

nlohmann::json watch_to_json(const Watch& w) {
  nlohmann::json snaps = nlohmann::json::array(), hits = nlohmann::json::array();
  for (auto& s : w.snapshots) snaps.push_back({{"name", s.name}, {"id", s.id}});
  for (auto& h : w.hits) hits.push_back(known_hit_to_json(h));
  nlohmann::json j = {{"id", w.id},
                      {"name", w.name},
                      {"file", w.file},
                      {"sha256", w.sha256},
                      {"added_at", w.added_at},
                      {"last_run_at", w.last_run_at},
                      {"min_score", w.min_score},
                      {"columns", columns_json(w.columns)},
                      {"snapshots", snaps},
                      {"hits", hits}};
  if (!w.webhook.url.empty())
    j["webhook"] = {{"url", w.webhook.url},
                    {"secret_env", w.webhook.secret_env},
                    {"retries", w.webhook.retries},
                    {"backoff_ms", w.webhook.backoff_ms},
                    {"timeout_ms", w.webhook.timeout_ms}};
  return j;
}

Result<Watch> watch_from_json(const nlohmann::json& j, const std::string& file) {
  if (!j.is_object() || !j.contains("id") || !j.contains("sha256"))
    return Error::Io(file + ": a watch without id or sha256 (damaged?)");
  Watch w;
  w.id = j.value("id", "");
  w.name = j.value("name", "");
  w.file = j.value("file", "");
  w.sha256 = j.value("sha256", "");
  w.added_at = j.value("added_at", "");
  w.last_run_at = j.value("last_run_at", "");
  w.min_score = j.value("min_score", kDefaultThreshold);
  w.columns.min_score = w.min_score;
  if (auto c = j.find("columns"); c != j.end() && c->is_object()) {
    w.columns.id_column = c->value("id", "id");
    w.columns.name_column = c->value("name", "name");
    w.columns.country_column = c->value("country", "country");
    w.columns.type_column = c->value("type", "type");
    w.columns.dob_column = c->value("dob", "dob");
  }
  for (auto& s : j.value("snapshots", nlohmann::json::array()))
    w.snapshots.push_back({s.value("name", ""), s.value("id", "")});
  for (auto& h : j.value("hits", nlohmann::json::array())) {
    auto k = known_hit_from_json(h);
    if (!k) return Error::Io(file + ": watch " + w.id + ": " + k.error().message);
    w.hits.push_back(std::move(*k));
  }
  if (auto h = j.find("webhook"); h != j.end() && h->is_object()) {
    w.webhook.url = h->value("url", "");
    w.webhook.secret_env = h->value("secret_env", "");
    w.webhook.retries = h->value("retries", 4);
    w.webhook.backoff_ms = h->value("backoff_ms", 1000L);
    w.webhook.timeout_ms = h->value("timeout_ms", 10000L);
  }
  return w;
}

std::vector<SnapshotRef> refs_of(const std::vector<ListSnapshot>& lists) {
  std::vector<SnapshotRef> out;
  for (auto& s : lists) out.push_back({s.info.name, s.info.id});
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.name < b.name; });
  return out;
}

bool same_refs(std::vector<SnapshotRef> a, std::vector<SnapshotRef> b) {
  auto key = [](auto& x, auto& y) { return x.name < y.name; };
  std::sort(a.begin(), a.end(), key);
  std::sort(b.begin(), b.end(), key);
  if (a.size() != b.size()) return false;
  for (size_t k = 0; k < a.size(); ++k)
    if (a[k].name != b[k].name || a[k].id != b[k].id) return false;
  return true;
}

nlohmann::json refs_json(const std::vector<SnapshotRef>& refs) {
  nlohmann::json out = nlohmann::json::array();
  for (auto& r : refs) out.push_back({{"name", r.name}, {"id", r.id}});
  return out;
}

}  // namespace

Result<std::vector<Watch>> MonitorStore::list() const {
  const std::string path = dir() + "/watches.json";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::vector<Watch>{};
  auto text = read_file(path, size_t{1} << 30);
  if (!text) return text.error();
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_object() || !j.contains("watches") || !j["watches"].is_array())
    return Error::Io(path + ": not a watches file (damaged?)");
  std::vector<Watch> out;
  for (auto& x : j["watches"]) {
    auto w = watch_from_json(x, path);
    if (!w) return w.error();
    out.push_back(std::move(*w));
  }
  return out;
}

Status MonitorStore::update(const std::function<Status(std::vector<Watch>&)>& change) const {
  if (auto st = make_dirs(dir() + "/files"); !st) return st;
  auto lock = Env::Default()->lock_file(dir() + "/LOCK", true);
  if (!lock) return lock.error();
  auto watches = list();
  if (!watches) return watches.error();
  if (auto st = change(*watches); !st) return st;
  nlohmann::json all = nlohmann::json::array();
  for (auto& w : *watches) all.push_back(watch_to_json(w));
  return write_file_atomic(dir() + "/watches.json", nlohmann::json({{"watches", all}}).dump(1) + "\n");
}

Result<Watch> add_watch(const MonitorStore& store, const AddWatch& r, const Screener& screener,
                        const TextTables& tables, const std::string& now) {
  if (!r.webhook.url.empty()) {
    if (r.webhook.url.rfind("http://", 0) != 0 && r.webhook.url.rfind("https://", 0) != 0)
      return Error::BadInput("--webhook: '" + r.webhook.url + "' is not an http:// or https:// URL");
    if (r.webhook.secret_env.empty())
      return Error::BadInput(
          "--webhook needs --webhook-secret-env VAR: the variable holding the HMAC secret");
    if (r.webhook.retries < 0 || r.webhook.retries > 20)
      return Error::BadInput("--webhook-retries: " + std::to_string(r.webhook.retries) + " is not in 0..20");
  }
  Watch w;
  w.sha256 = sha256_hex(r.content);
  w.id = w.sha256.substr(0, 12);
  w.file = r.file;
  w.name = r.name.empty() ? std::filesystem::path(r.file).filename().string() : r.name;
  w.added_at = now;
  w.last_run_at = now;
  w.min_score = r.min_score;
  w.columns = r.columns;
  w.columns.min_score = r.min_score;
  w.webhook = r.webhook;
  std::istringstream in(r.content);
  auto hits = screen_all(in, r.file, screener, tables, w.columns);
  if (!hits) return hits.error();
  w.hits = std::move(*hits);
  w.snapshots = refs_of(screener.snapshots());
  if (auto st = make_dirs(store.dir() + "/files"); !st) return st.error();
  if (auto st = write_file_atomic(store.file_path(w.sha256), r.content); !st) return st.error();
  auto st = store.update([&](std::vector<Watch>& ws) -> Status {
    for (auto& x : ws)
      if (x.name == w.name && x.id != w.id)
        return Error::BadInput("a watch named '" + w.name + "' already watches another file (" + x.id +
                               "): remove it first or give --name");
    auto it = std::find_if(ws.begin(), ws.end(), [&](auto& x) { return x.id == w.id; });
    if (it != ws.end())
      *it = w;
    else
      ws.push_back(w);
    return {};
  });
  if (!st) return st.error();
  return w;
}

Result<Watch> remove_watch(const MonitorStore& store, const std::string& ref) {
  Watch removed;
  bool still_used = false;
  auto st = store.update([&](std::vector<Watch>& ws) -> Status {
    std::vector<size_t> found;
    for (size_t k = 0; k < ws.size(); ++k)
      if (ws[k].name == ref || ws[k].id == ref || (ref.size() >= 6 && ws[k].sha256.rfind(ref, 0) == 0))
        found.push_back(k);
    if (found.empty()) return Error::NotFound("no watch '" + ref + "' (see `clearance monitor list`)");
    if (found.size() > 1) return Error::BadInput("'" + ref + "' names more than one watch: give its id");
    removed = ws[found[0]];
    ws.erase(ws.begin() + static_cast<std::ptrdiff_t>(found[0]));
    for (auto& w : ws) still_used |= w.sha256 == removed.sha256;
    return {};
  });
  if (!st) return st.error();
  if (!still_used) {
    std::error_code ec;
    std::filesystem::remove(store.file_path(removed.sha256), ec);  // the customers' data goes with the watch
  }
  return removed;
}

namespace {

// POSTs one notice, retrying with backoff; every attempt is an audit record.
Delivery deliver(const Watch& w, const std::string& body, const std::string& delivery_id,
                 const MonitorContext& ctx) {
  Delivery d;
  d.id = delivery_id;
  d.url = w.webhook.url;
  const std::string secret = ctx.secret ? ctx.secret(w.webhook.secret_env) : std::string();
  const std::string body_sha = sha256_hex(body);
  auto record = [&](int attempt, long status, const std::string& error, bool delivered) {
    RecordDraft r;
    r.caller = ctx.caller;
    r.action = "monitor.webhook";
    r.inputs = {{"watch", w.id},    {"name", w.name},     {"url", w.webhook.url},
                {"delivery", d.id}, {"attempt", attempt}, {"body_sha256", body_sha}};
    r.result = {{"status", status}, {"delivered", delivered}, {"error", error}};
    if (auto a = ctx.store->append(std::move(r))) d.records.push_back(a->seq);
  };
  if (secret.empty()) {
    d.error = "the webhook secret variable " + w.webhook.secret_env + " is not set: notice not sent";
    record(0, 0, d.error, false);
    return d;
  }
  long wait = w.webhook.backoff_ms;
  for (int attempt = 1; attempt <= 1 + w.webhook.retries; ++attempt) {
    WebhookRequest req;
    req.url = w.webhook.url;
    req.body = body;
    req.timeout_ms = w.webhook.timeout_ms;
    req.headers = {{"X-Clearance-Timestamp", ctx.now},
                   {"X-Clearance-Signature", webhook_signature(secret, ctx.now, body)},
                   {"X-Clearance-Delivery", d.id},
                   {"X-Clearance-Attempt", std::to_string(attempt)}};
    std::string error;
    long status = ctx.sender->post(req, error);
    d.attempts = attempt;
    d.status = status;
    d.delivered = status >= 200 && status < 300;
    if (!d.delivered && error.empty()) error = "HTTP " + std::to_string(status);
    d.error = d.delivered ? "" : error;
    record(attempt, status, d.error, d.delivered);
    if (d.delivered || attempt == 1 + w.webhook.retries) break;
    if (ctx.sleep) ctx.sleep(wait);
    wait = std::min(wait * 2, 60000L);
  }
  return d;
}

// One watch against the lists now in force. On success `w` holds the new baseline.
WatchRun run_one(Watch& w, const std::vector<ListSnapshot>& lists, std::shared_ptr<const Screener> full,
                 const std::map<std::string, const Party*>& parties, const MonitorStore& store,
                 const MonitorContext& ctx) {
  WatchRun run;
  run.watch = w.id;
  run.name = w.name;
  run.changed = true;
  std::vector<ListSnapshot> old_lists;
  for (auto& ref : w.snapshots) {
    auto s = ctx.load_snapshot ? ctx.load_snapshot(ref) : Result<ListSnapshot>(Error::NotFound(ref.id));
    if (!s) {
      run.error = "the snapshot " + ref.id + " of list '" + ref.name +
                  "' this file was last screened against cannot be loaded: " + s.error().message +
                  " (add the file again to screen it in full)";
      return run;
    }
    old_lists.push_back(std::move(*s));
  }
  auto content = read_file(store.file_path(w.sha256), size_t{4} << 30);
  if (!content) {
    run.error = "the watched copy of " + w.file + " is gone: " + content.error().message;
    return run;
  }
  std::istringstream in(*content);
  auto r = rescreen(in, w.file, full, diffs_between(old_lists, lists), w.hits, *ctx.tables, w.columns);
  if (!r) {
    run.error = r.error().message;
    return run;
  }
  run.screened_entries = r->screened_entries;
  run.new_hits = r->new_hits;
  run.gone_hits = r->gone_hits;
  run.unscreened = r->unscreened;

  // New hits open review cases, one request per customer row.
  auto [requests, hit_index] = new_hit_reviews(run.new_hits, parties);
  std::vector<std::int64_t> case_of(run.new_hits.size(), 0);
  if (!requests.empty()) {
    auto marks = ctx.store->review_many(requests, ctx.caller);
    if (!marks) {
      run.error = "review cases: " + marks.error().message;
      return run;
    }
    for (size_t q = 0; q < marks->size(); ++q)
      for (size_t k = 0; k < (*marks)[q].size(); ++k) {
        const auto& m = (*marks)[q][k];
        case_of[hit_index[q][k]] = m.case_id;
        if (m.opened) run.cases_opened.push_back(m.case_id);
      }
  }

  nlohmann::json new_hits = nlohmann::json::array(), gone_hits = nlohmann::json::array();
  for (size_t k = 0; k < run.new_hits.size(); ++k)
    new_hits.push_back(hit_with_case(run.new_hits[k], case_of[k]));
  for (auto& h : run.gone_hits) gone_hits.push_back(known_hit_to_json(h));
  const auto now_refs = refs_of(lists);
  RecordDraft rec;
  rec.caller = ctx.caller;
  rec.action = "monitor.run";
  rec.inputs = {
      {"watch", w.id}, {"name", w.name}, {"sha256", w.sha256}, {"baseline", refs_json(w.snapshots)}};
  rec.snapshots = now_refs;
  rec.threshold = w.min_score;
  rec.result = {{"screened_entries", run.screened_entries},
                {"new_hits", new_hits},
                {"gone_hits", gone_hits},
                {"unscreened", run.unscreened},
                {"cases_opened", run.cases_opened},
                {"score_drift_bound", r->score_drift_bound}};
  auto appended = ctx.store->append(rec);
  if (!appended) {
    run.error = "audit record: " + appended.error().message;
    return run;
  }
  run.record = appended->seq;

  if (!w.webhook.url.empty() && (!run.new_hits.empty() || !run.gone_hits.empty())) {
    nlohmann::json body = {{"event", "monitor.hits"},
                           {"delivery", w.id + "-" + std::to_string(run.record)},
                           {"at", ctx.now},
                           {"watch", {{"id", w.id}, {"name", w.name}, {"sha256", w.sha256}}},
                           {"snapshots", refs_json(now_refs)},
                           {"new_hits", new_hits},
                           {"gone_hits", gone_hits},
                           {"record", run.record}};
    if (!ctx.sender)
      run.delivery = {body["delivery"], w.webhook.url, 0, 0, false, "no webhook transport", {}};
    else
      run.delivery = deliver(w, body.dump(), body["delivery"], ctx);
  }
  w.snapshots = now_refs;
  w.hits = std::move(r->hits);
  w.last_run_at = ctx.now;
  return run;
}

}  // namespace

Result<MonitorReport> run_monitors(const MonitorStore& store, const std::vector<ListSnapshot>& lists,
                                   const MonitorContext& ctx) {
  if (!ctx.store || !ctx.tables) return Error::Internal("run_monitors: a store and text tables are required");
  auto watches = store.list();
  if (!watches) return watches.error();
  MonitorReport report;
  const auto now_refs = refs_of(lists);
  std::shared_ptr<const Screener> full;
  std::map<std::string, const Party*> parties;
  std::vector<Watch> updated;
  for (auto& w : *watches) {
    if (same_refs(w.snapshots, now_refs)) {
      WatchRun run;
      run.watch = w.id;
      run.name = w.name;
      report.watches.push_back(std::move(run));
      continue;
    }
    if (!full) {
      full = Screener::build(lists, ctx.tables);
      for (auto& s : full->snapshots())
        for (auto& p : s.parties) parties[s.info.name + "\n" + p.id] = &p;
    }
    report.watches.push_back(run_one(w, full->snapshots(), full, parties, store, ctx));
    if (report.watches.back().error.empty()) updated.push_back(w);
  }
  if (!updated.empty()) {
    auto st = store.update([&](std::vector<Watch>& ws) -> Status {
      for (auto& w : ws)
        for (auto& u : updated)
          if (w.id == u.id && w.sha256 == u.sha256) {
            w.snapshots = u.snapshots;
            w.hits = u.hits;
            w.last_run_at = u.last_run_at;
          }
      return {};
    });
    if (!st) return st.error();
  }
  return report;
}

nlohmann::ordered_json monitor_report_to_json(const MonitorReport& r) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (auto& w : r.watches) {
    nlohmann::ordered_json j = {{"watch", w.watch}, {"name", w.name}, {"changed", w.changed}};
    if (!w.error.empty()) j["error"] = w.error;
    if (w.changed && w.error.empty()) {
      j["screened_entries"] = w.screened_entries;
      j["new_hits"] = nlohmann::ordered_json::array();
      for (auto& h : w.new_hits)
        j["new_hits"].push_back(nlohmann::ordered_json::parse(known_hit_to_json(h).dump()));
      j["gone_hits"] = nlohmann::ordered_json::array();
      for (auto& h : w.gone_hits)
        j["gone_hits"].push_back(nlohmann::ordered_json::parse(known_hit_to_json(h).dump()));
      j["unscreened"] = w.unscreened;
      j["cases_opened"] = w.cases_opened;
      j["record"] = w.record;
    }
    if (!w.delivery.url.empty())
      j["webhook"] = {{"url", w.delivery.url},
                      {"delivery", w.delivery.id},
                      {"delivered", w.delivery.delivered},
                      {"attempts", w.delivery.attempts},
                      {"status", w.delivery.status},
                      {"error", w.delivery.error},
                      {"records", w.delivery.records}};
    out.push_back(std::move(j));
  }
  return out;
}

NewHitReviews new_hit_reviews(const std::vector<KnownHit>& new_hits,
                              const std::map<std::string, const Party*>& parties) {
  NewHitReviews out;
  std::map<std::string, size_t> by_row;
  for (size_t k = 0; k < new_hits.size(); ++k) {
    const auto& h = new_hits[k];
    auto [it, fresh] = by_row.emplace(h.row, out.requests.size());
    if (fresh) {
      out.requests.push_back({party_key(h.row, h.customer, "", ""), h.customer, {}});
      out.index.emplace_back();
    }
    auto p = parties.find(h.list + "\n" + h.entry);
    out.requests[it->second].hits.push_back(
        {h.entry, p == parties.end() ? std::string() : entry_content_hash(*p->second), h.list, h.entry_name,
         h.score});
    out.index[it->second].push_back(k);
  }
  return out;
}

nlohmann::json hit_with_case(const KnownHit& h, std::int64_t case_id) {
  auto j = known_hit_to_json(h);
  if (case_id) j["case"] = case_id;
  return j;
}

}  // namespace clearance
