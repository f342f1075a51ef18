// Uploads that the library reads as files: an order book for an impact run (POST /v1/impact), and
// a list file to import (POST /v1/lists). Both are on the audit trail as the command line puts
// them there (actions "impact" and "lists.import"), so an impact run can be replayed.
#include <filesystem>
#include <mutex>
#include <sstream>

#include "clearance/common/files.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/decide/screener_checker.hpp"
#include "clearance/impact/impact.hpp"
#include "clearance/impact/report.hpp"
#include "clearance/lists/import.hpp"
#include "clearance/lists/json.hpp"
#include "server/routes.hpp"

namespace clearance::server {

namespace {

Date query_date(Call& c, const char* name) {
  auto s = c.query(name);
  if (!s) throw ApiError{400, "missing_field", std::string(name) + " is required (YYYY-MM-DD)", name, {}};
  auto d = Date::parse(*s);
  if (!d) throw ApiError::invalid(name, std::string(name) + ": bad date '" + *s + "' (expected YYYY-MM-DD)");
  return *d;
}

bool query_bool(Call& c, const char* name, bool fallback) {
  auto s = c.query(name);
  if (!s) return fallback;
  if (*s == "true" || *s == "1") return true;
  if (*s == "false" || *s == "0") return false;
  throw ApiError::invalid(name, std::string(name) + ": true or false, not '" + *s + "'");
}

bool wants_html(const Call& c) {
  auto accept = sv(c.req[http::field::accept]);
  return accept.find("text/html") != std::string_view::npos;
}

// Replaces a temporary path in a library message by the name the caller gave the upload.
std::string as_uploaded(std::string message, const std::string& path, const std::string& name) {
  for (size_t at; (at = message.find(path)) != std::string::npos;) message.replace(at, path.size(), name);
  return message;
}

}  // namespace

namespace data {

// POST /v1/impact?from=DATE&to=DATE[&screen=false][&max_listed=N], body: the order book (CSV).
ImpactParams impact_params(Call& c) {
  auto ct = sv(c.req[http::field::content_type]);
  if (!starts_with_icase(ct, "text/csv") && !starts_with_icase(ct, "application/csv"))
    throw ApiError{415, "unsupported_media_type", "expected an order book as Content-Type: text/csv", "", {}};
  ImpactParams p;
  p.from = query_date(c, "from");
  p.to = query_date(c, "to");
  if (auto m = c.query("max_listed")) {
    char* end = nullptr;
    long v = std::strtol(m->c_str(), &end, 10);
    if (m->empty() || *end || v < 0 || v > 100000)
      throw ApiError::invalid("max_listed", "max_listed: an integer in [0, 100000]");
    p.max_listed = static_cast<size_t>(v);
  }
  p.screen = query_bool(c, "screen", true);
  return p;
}

ImpactRun run_impact_book(const ServingState& state, Store* store, const std::string& book,
                          const ImpactParams& p, const std::function<void(std::uint64_t)>& progress) {
  ImpactPoint from{p.from.to_string(), state.engine, p.from};
  ImpactPoint to{p.to.to_string(), state.engine, p.to};
  ImpactOptions opt;
  opt.threads = 1;  // the worker pool runs requests side by side
  opt.max_listed = p.max_listed;
  opt.reader.line_shift = p.line_shift;
  std::unique_ptr<ScreenerPartyChecker> screening;
  std::unique_ptr<CachingPartyChecker> cached;
  if (p.screen) {
    screening = std::make_unique<ScreenerPartyChecker>(state.screener);
    cached = std::make_unique<CachingPartyChecker>(*screening);
    opt.checker = cached.get();
  }
  // On the record: the book by its digest, kept in the store (an upload is never larger than
  // kMaxKeptOrders) so `audit replay` reruns it.
  ImpactRecordInputs rec;
  rec.orders_name = "upload.csv";
  rec.orders_sha256 = sha256_hex(book);
  rec.orders_kept = book.size() <= kMaxKeptOrders;
  rec.line_shift = p.line_shift;
  rec.from = {from.label, from.as_of.to_string(), state.versions};
  rec.to = {to.label, to.as_of.to_string(), state.versions};
  rec.screen = p.screen;
  if (store && rec.orders_kept)
    if (auto st = store->keep_files("orders", rec.orders_sha256, {{rec.orders_name, book}}); !st)
      throw ApiError::unavailable("the store cannot keep the order book: " + st.error().message);
  std::istringstream in(book);
  std::uint64_t orders = 0;
  OrderSink sink;
  if (progress) sink = [&](const OrderImpact&) { progress(++orders); };
  auto report = run_impact(in, rec.orders_name, from, to, opt, sink);
  if (!report) throw from_library(report.error(), "body");
  ImpactRun run;
  run.body = impact_to_json(*report);
  run.draft.action = "impact";
  run.draft.inputs = impact_inputs_to_json(rec);
  run.draft.rules = {rec.from.versions.rules};
  run.draft.catalogue = rec.from.versions.catalogue;
  if (opt.checker) run.draft.snapshots = state.snapshot_refs;
  run.draft.result = impact_record_result(run.body);
  run.report = std::move(*report);
  return run;
}

std::string impact_html(const ImpactReport& report) {
  HtmlOptions html;
  html.generated = utc_now_ms();
  return impact_to_html(report, html);
}

Answer impact(Call& c) {
  c.only_query({"from", "to", "screen", "max_listed"});
  auto run = run_impact_book(*c.state, c.svc.recording() ? c.svc.store() : nullptr, c.req.body(),
                             impact_params(c), c.progress);
  Answer a;
  a.body = std::move(run.body);
  a.with_provenance = true;
  if (c.svc.recording()) {
    a.audit_id = c.svc.put_on_record(c, std::move(run.draft));
    a.body["record"] = *a.audit_id;
  }
  if (wants_html(c)) {
    a.raw = impact_html(run.report);
    a.content_type = "text/html; charset=utf-8";
  }
  return a;
}

// POST /v1/lists?filename=F[&format=auto][&name=N][&strict=false][&allow_shrink=false], body: a
// list file. Imported as `clearance lists import` does (a file that fails, or would shrink a list
// past the limit, changes nothing); then the server switches to the new lists atomically.
Answer import_list(Call& c) {
  c.only_query({"filename", "format", "name", "strict", "allow_shrink"});
  static std::mutex one_import_at_a_time;
  std::string filename = c.query("filename").value_or("");
  if (filename.empty()) {
    auto ct = to_lower_ascii(std::string(sv(c.req[http::field::content_type])));
    filename = ct.find("json") != std::string::npos  ? "upload.json"
               : ct.find("xml") != std::string::npos ? "upload.xml"
               : ct.find("csv") != std::string::npos ? "upload.csv"
                                                     : "upload.txt";
  }
  if (filename.find('/') != std::string::npos || filename.find('\\') != std::string::npos ||
      filename[0] == '.' || filename.size() > 200)
    throw ApiError::invalid("filename",
                            "filename: a plain file name such as sdn.xml, not '" + filename + "'");
  auto format = list_format_from_string(c.query("format").value_or("auto"));
  if (!format) throw from_library(format.error(), "format");
  if (c.req.body().empty()) throw ApiError::invalid("body", "the list file is empty");
  ImportRequest req;
  req.options.format = *format;
  req.options.strict = query_bool(c, "strict", false);
  req.put.allow_shrink = query_bool(c, "allow_shrink", false);
  req.name = c.query("name").value_or("");
  std::lock_guard lock(one_import_at_a_time);
  std::string dir = c.svc.options().home + "/uploads/" + c.request_id;
  std::string path = dir + "/" + filename;
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } cleanup{dir};
  if (auto st = make_dirs(dir); !st) throw from_library(st.error());
  if (auto st = write_file_atomic(path, c.req.body()); !st) throw from_library(st.error());
  req.paths = {path};
  req.recorded_names = {filename};
  req.imported_at = utc_now_ms();
  auto imported = import_lists(ListStore(c.svc.options().home), c.state->tables->countries, req);
  if (!imported) {
    ApiError e = from_library(imported.error());
    e.message = as_uploaded(e.message, path, filename);
    if (e.status == 400) {
      e.code = "import_refused";
      e.status = 422;
    }
    throw e;
  }
  nlohmann::json lists = nlohmann::json::array();
  RecordDraft d;
  d.action = "lists.import";
  d.inputs = {{"format", std::string(to_string(*format))},
              {"name", req.name},
              {"strict", req.options.strict},
              {"files", {{{"file", filename}, {"sha256", sha256_hex(c.req.body())}}}}};
  nlohmann::ordered_json answer_lists = nlohmann::ordered_json::array();
  for (auto& s : *imported) {
    lists.push_back(nlohmann::json(snapshot_info_to_json(s.info)));
    auto j = snapshot_info_to_json(s.info);
    j["files"] = nlohmann::ordered_json::array({filename});
    j["rows"] = s.report.rows;
    j["skipped"] = s.report.skipped;
    nlohmann::ordered_json problems = nlohmann::ordered_json::array();
    for (auto& p : s.report.problems) problems.push_back(as_uploaded(p.to_string(), path, filename));
    j["problems"] = std::move(problems);
    answer_lists.push_back(std::move(j));
    d.snapshots.push_back({s.info.name, s.info.id});
  }
  d.result = {{"imported", lists}};
  Answer a;
  if (c.svc.recording()) {
    for (auto& s : *imported) {
      auto snap = ListStore(c.svc.options().home).load(s.info);
      if (!snap) throw from_library(snap.error());
      if (auto st = c.svc.store()->keep_snapshot(*snap); !st)
        throw ApiError::unavailable("the store cannot keep the new snapshot: " + st.error().message);
    }
    a.audit_id = c.svc.put_on_record(c, std::move(d));
  }
  // The new lists are in force for every request that starts from now on; this answer names them.
  if (auto st = c.svc.load_state(); !st) throw from_library(st.error());
  c.state = c.svc.state();
  a.body = {{"imported", std::move(answer_lists)}};
  if (a.audit_id) a.body["record"] = *a.audit_id;
  a.with_provenance = true;
  return a;
}

// POST /v1/lists/update, body (optional): {"sources": ["us-csl", ...]} (default: the configured
// default sources). `clearance lists update` through the same library path, then the switch to the
// new lists; a source that fails or is held back leaves its list in force and says why ("ok":
// false). Answered once the update is done, naming the snapshots in force afterwards.
Answer update_lists(Call& c) {
  c.only_query({});
  std::vector<std::string> sources;
  if (!c.req.body().empty()) {
    auto body = c.json_body();
    if (!body.is_object())
      throw ApiError::invalid("body", "expected a JSON object such as {\"sources\": []}");
    for (auto& [k, v] : body.items())
      if (k != "sources") throw ApiError{400, "unknown_field", "unknown field '" + k + "'", k, {}};
    if (auto it = body.find("sources"); it != body.end()) {
      if (!it->is_array()) throw ApiError::invalid("sources", "sources: expected an array of source names");
      for (auto& s : *it) {
        if (!s.is_string() || s.get<std::string>().empty())
          throw ApiError::invalid("sources", "sources: expected an array of source names");
        sources.push_back(s.get<std::string>());
      }
    }
  }
  auto u = c.svc.update_lists(sources, Service::caller_id(c), c.request_id);
  c.state = u.state;  // the answer names the lists in force after the update
  Answer a;
  a.body = std::move(u.body);
  if (u.record) a.audit_id = u.record;
  a.with_provenance = true;
  return a;
}

}  // namespace data
}  // namespace clearance::server
