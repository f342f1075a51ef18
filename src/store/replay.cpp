#include "clearance/store/replay.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "clearance/common/files.hpp"
#include "clearance/decide/json.hpp"
#include "clearance/decide/request.hpp"
#include "clearance/decide/screener_checker.hpp"
#include "clearance/impact/impact.hpp"
#include "clearance/impact/report.hpp"
#include "clearance/match/batch.hpp"
#include "clearance/match/json.hpp"
#include "clearance/store/recording.hpp"

namespace clearance {

namespace {

std::string short_json(const nlohmann::json& v) {
  std::string s = v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return s.size() > 120 ? s.substr(0, 117) + "..." : s;
}

void diff(const nlohmann::json& a, const nlohmann::json& b, const std::string& path,
          const std::vector<std::string>& ignored, size_t limit, std::vector<std::string>& out) {
  if (out.size() >= limit) return;
  auto ignore = [&](const std::string& k) {
    return std::find(ignored.begin(), ignored.end(), k) != ignored.end();
  };
  if (a.is_object() && b.is_object()) {
    for (const auto& [k, v] : a.items()) {
      if (ignore(k)) continue;
      std::string p = path.empty() ? k : path + "." + k;
      if (!b.contains(k))
        out.push_back(p + ": " + short_json(v) + " → (absent)");
      else
        diff(v, b[k], p, ignored, limit, out);
      if (out.size() >= limit) return;
    }
    for (const auto& [k, v] : b.items())
      if (!ignore(k) && !a.contains(k) && out.size() < limit)
        out.push_back((path.empty() ? k : path + "." + k) + ": (absent) → " + short_json(v));
    return;
  }
  if (a.is_array() && b.is_array()) {
    size_t n = std::max(a.size(), b.size());
    for (size_t i = 0; i < n && out.size() < limit; ++i) {
      std::string p = path + "[" + std::to_string(i) + "]";
      if (i >= a.size())
        out.push_back(p + ": (absent) → " + short_json(b[i]));
      else if (i >= b.size())
        out.push_back(p + ": " + short_json(a[i]) + " → (absent)");
      else
        diff(a[i], b[i], p, ignored, limit, out);
    }
    return;
  }
  // Numbers compare by value (a recorded 0.9 and a replayed 0.9 are the same answer).
  if (a.is_number() && b.is_number() && a.get<double>() == b.get<double>()) return;
  if (a != b)
    out.push_back((path.empty() ? "(answer)" : path) + ": " + short_json(a) + " → " + short_json(b));
}

// Case marks and the record's own number are not part of what was answered.
const std::vector<std::string> kNotCompared = {"case",          "case_status", "case_decision",
                                               "suppressed_by", "record",      "recorded"};

std::vector<SnapshotRef> snapshots_of(const Record& r) {
  std::vector<SnapshotRef> out;
  auto j = nlohmann::json::parse(r.snapshots, nullptr, false);
  if (j.is_array())
    for (const auto& s : j) out.push_back({s.value("name", ""), s.value("id", "")});
  return out;
}

std::vector<std::string> rules_of(const Record& r) {
  auto j = nlohmann::json::parse(r.rules, nullptr, false);
  std::vector<std::string> out;
  if (j.is_array())
    for (const auto& v : j)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

Result<nlohmann::json> replay_screen(Store& store, const Record& r, const nlohmann::json& inputs,
                                     const ReplayEnvironment& env) {
  auto req = screen_request_from_json(inputs);
  if (!req) return req.error();
  auto screener = load_kept_screener(store, snapshots_of(r), env.tables);
  if (!screener) return screener.error();
  auto read = read_screen_query(req->fields, *env.tables);
  if (!read) return read.error();
  ScreenQuery q = read->query;
  q.min_score = req->min_score;
  q.limit = req->limit;
  auto screened = (*screener)->screen_words(q);
  if (!screened) return screened.error();
  auto& hits = *screened;
  if (r.action == "screen.batch") {
    BatchRow row;
    row.query = q;
    row.hits = hits;
    if (inputs.contains("row")) row.id = inputs["row"].value("id", "");
    row.error = inputs.value("error", "");
    return nlohmann::json(batch_row_to_json(row, (*screener)->lists_note()));
  }
  return nlohmann::json(screening_to_json(q, hits, {}, (*screener)->lists_note()));
}

std::string countries_path(const ReplayEnvironment& env) { return env.data_dir + "/text/countries.tsv"; }

Result<std::shared_ptr<const Engine>> engine_of(Store& store, const Record& r, const ReplayEnvironment& env) {
  auto rules = rules_of(r);
  if (rules.empty() || r.catalogue.empty())
    return Error::BadInput("record " + std::to_string(r.seq) +
                           " names no rule packs or catalogue to replay with");
  return load_kept_engine(store, {rules.front(), r.catalogue}, countries_path(env));
}

Result<nlohmann::json> replay_check(Store& store, const Record& r, const nlohmann::json& inputs,
                                    const ReplayEnvironment& env) {
  auto engine = engine_of(store, r, env);
  if (!engine) return engine.error();
  auto t = transaction_from_request(inputs, **engine);
  if (!t) return t.error();
  std::unique_ptr<ScreenerPartyChecker> checker;
  auto snaps = snapshots_of(r);
  if (inputs.value("screen", true) && !t->parties.empty() && !snaps.empty()) {
    auto screener = load_kept_screener(store, snaps, env.tables);
    if (!screener) return screener.error();
    checker = std::make_unique<ScreenerPartyChecker>(*screener);
  }
  auto d = (*engine)->determine(*t, checker.get());
  std::string note = checker ? checker->lists_note() : std::string();
  if (r.action == "check.batch") return nlohmann::json(order_result_to_json(t->id, d, note));
  if (!d) return d.error();
  return nlohmann::json(determination_to_json(*d, note));
}

Result<nlohmann::json> replay_classify(Store& store, const Record& r, const nlohmann::json& inputs,
                                       const ReplayEnvironment& env) {
  auto engine = engine_of(store, r, env);
  if (!engine) return engine.error();
  auto as_of = Date::parse(inputs.value("as_of", ""));
  if (!as_of) return Error::BadInput("record " + std::to_string(r.seq) + ": no as_of date in its inputs");
  std::shared_ptr<const Item> item;
  if (inputs.contains("spec") && inputs["spec"].is_string()) {
    auto spec = (*engine)->parse_spec(inputs["spec"].get<std::string>(), "spec");
    if (!spec) return spec.error();
    item = std::make_shared<const Item>(std::move(*spec));
  } else {
    auto m = (*engine)->resolve_item(inputs.value("model", ""));
    if (!m) return m.error();
    item = m->item;
  }
  auto c = (*engine)->classify(*item, *as_of);
  return nlohmann::json(classification_to_json(*item, *c));
}

Result<nlohmann::json> replay_impact(Store& store, const Record& r, const nlohmann::json& inputs,
                                     const ReplayEnvironment& env) {
  auto in = impact_inputs_from_json(inputs);
  if (!in) return in.error();
  std::string orders;
  if (in->orders_kept) {
    auto files = store.load_files("orders", in->orders_sha256);
    if (!files) return files.error();
    if (files->empty()) return Error::Io("kept order book " + in->orders_sha256 + " is empty");
    orders = (*files)[0].text;
  } else {
    if (env.orders_file.empty())
      return Error::BadInput("record " + std::to_string(r.seq) + ": the order book " + in->orders_name +
                             " was too large to keep: give it with --orders FILE");
    auto text = read_file(env.orders_file);
    if (!text) return text.error();
    orders = std::move(*text);
  }
  if (sha256_hex(orders) != in->orders_sha256)
    return Error::BadInput("the order book given is not the one recorded (SHA-256 differs)");
  ImpactPoint points[2];
  const ImpactRecordPoint* recorded[2] = {&in->from, &in->to};
  for (int k = 0; k < 2; ++k) {
    auto e = load_kept_engine(store, recorded[k]->versions, countries_path(env));
    if (!e) return e.error();
    auto d = Date::parse(recorded[k]->as_of);
    if (!d) return Error::BadInput("impact inputs: bad date '" + recorded[k]->as_of + "'");
    points[k] = {recorded[k]->label, *e, *d};
  }
  ImpactOptions opt;
  opt.reader.line_shift = in->line_shift;
  std::unique_ptr<ScreenerPartyChecker> screening;
  std::unique_ptr<CachingPartyChecker> cached;
  auto snaps = snapshots_of(r);
  if (in->screen && !snaps.empty()) {
    auto screener = load_kept_screener(store, snaps, env.tables);
    if (!screener) return screener.error();
    screening = std::make_unique<ScreenerPartyChecker>(*screener);
    cached = std::make_unique<CachingPartyChecker>(*screening);
    opt.checker = cached.get();
  }
  RateTable rates;
  if (!in->rates_text.empty()) {
    auto t = RateTable::parse(in->rates_text, "rates", in->base_currency);
    if (!t) return t.error();
    rates = std::move(*t);
    opt.rates = &rates;
  }
  std::istringstream book(orders);
  auto report = run_impact(book, in->orders_name, points[0], points[1], opt);
  if (!report) return report.error();
  return impact_record_result(impact_to_json(*report));
}

}  // namespace

std::vector<std::string> json_differences(const nlohmann::json& recorded, const nlohmann::json& replayed,
                                          const std::vector<std::string>& ignored, size_t limit) {
  std::vector<std::string> out;
  diff(recorded, replayed, "", ignored, limit, out);
  return out;
}

Result<ReplayReport> replay_record(Store& store, std::int64_t seq, const ReplayEnvironment& env) {
  auto r = store.record(seq);
  if (!r) return r.error();
  ReplayReport rep;
  rep.seq = seq;
  rep.action = r->action;
  if (!r->inputs)
    return Error::BadInput("record " + std::to_string(seq) +
                           ": its inputs were redacted; it cannot be replayed");
  auto inputs = nlohmann::json::parse(*r->inputs, nullptr, false);
  if (inputs.is_discarded()) return Error::Io("record " + std::to_string(seq) + ": its inputs are not JSON");
  Result<nlohmann::json> replayed = Error::Internal("");
  if (r->action == "screen" || r->action == "screen.batch")
    replayed = replay_screen(store, *r, inputs, env);
  else if (r->action == "check" || r->action == "check.batch")
    replayed = replay_check(store, *r, inputs, env);
  else if (r->action == "classify")
    replayed = replay_classify(store, *r, inputs, env);
  else if (r->action == "impact")
    replayed = replay_impact(store, *r, inputs, env);
  else
    return Error::BadInput("record " + std::to_string(seq) + " (" + r->action +
                           ") is not an answer that can be replayed (screen, check, classify, impact are)");
  if (!replayed) return replayed.error();
  rep.recorded = nlohmann::json::parse(r->result, nullptr, false);
  rep.replayed = std::move(*replayed);
  rep.differences = json_differences(rep.recorded, rep.replayed, kNotCompared);
  rep.same = rep.differences.empty();
  return rep;
}

}  // namespace clearance
