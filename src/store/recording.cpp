#include "clearance/store/recording.hpp"

#include <algorithm>

#include "clearance/common/parallel.hpp"
#include "clearance/items/catalogue.hpp"
#include "clearance/match/json.hpp"
#include "clearance/rules/rule_pack.hpp"
#include "clearance/text/countries.hpp"

namespace clearance {

// ---------------------------------------------------------------- what an answer used

std::vector<SnapshotRef> snapshot_refs(const std::vector<ListSnapshot>& snapshots) {
  std::vector<SnapshotRef> out;
  for (const auto& s : snapshots) out.push_back({s.info.name, s.info.id});
  return out;
}

Result<std::vector<SnapshotRef>> keep_snapshots(Store& store, const std::vector<ListSnapshot>& snapshots) {
  for (const auto& s : snapshots)
    if (auto st = store.keep_snapshot(s); !st) return st.error();
  return snapshot_refs(snapshots);
}

Result<EngineVersions> keep_engine_data(Store& store, const std::string& rules_dir,
                                        const std::string& items_dir, const Engine& engine) {
  EngineVersions v;
  v.rules = engine.rules().version();
  auto items = read_kept_files(items_dir);
  if (!items) return items.error();
  v.catalogue = kept_files_hash(*items);
  auto have_rules = store.load_files("rules", v.rules);
  if (!have_rules) {
    if (have_rules.error().kind != Error::Kind::kNotFound) return have_rules.error();
    auto files = read_kept_files(rules_dir);
    if (!files) return files.error();
    // Kept only if they reproduce the engine's version: the files may have changed since it loaded.
    std::vector<PackSource> sources;
    for (const auto& f : *files) sources.push_back({f.name, f.text});
    auto check = RuleSet::load(sources);
    if (!check || (*check)->version() != v.rules)
      return Error::Io(rules_dir + ": the rule packs changed while the answer was computed; run it again");
    if (auto st = store.keep_files("rules", v.rules, *files); !st) return st.error();
  }
  if (auto st = store.keep_files("items", v.catalogue, *items); !st) return st.error();
  return v;
}

Result<std::shared_ptr<const Engine>> load_kept_engine(Store& store, const EngineVersions& v,
                                                       const std::string& countries_path) {
  auto rule_files = store.load_files("rules", v.rules);
  if (!rule_files) return rule_files.error();
  std::vector<PackSource> packs;
  for (const auto& f : *rule_files) packs.push_back({f.name, f.text});
  auto rules = RuleSet::load(packs);
  if (!rules) return rules.error();
  if ((*rules)->version() != v.rules)
    return Error::Io("kept rule packs " + v.rules + " load as version " + (*rules)->version());
  auto item_files = store.load_files("items", v.catalogue);
  if (!item_files) return item_files.error();
  std::vector<ItemSource> items;
  for (const auto& f : *item_files) items.push_back({f.name, f.text});
  auto catalogue = Catalogue::load(items, **rules);
  if (!catalogue) return catalogue.error();
  std::shared_ptr<const CountryTable> countries;
  if (!countries_path.empty()) {
    auto c = CountryTable::load(countries_path);
    if (!c) return c.error();
    countries = std::make_shared<const CountryTable>(std::move(*c));
  }
  return Engine::build(*rules, *catalogue, countries);
}

Result<std::shared_ptr<const Screener>> load_kept_screener(Store& store, const std::vector<SnapshotRef>& refs,
                                                           std::shared_ptr<const TextTables> tables) {
  std::vector<ListSnapshot> snapshots;
  for (const auto& r : refs) {
    auto s = store.load_snapshot(r.id);
    if (!s) return s.error();
    s->info.name = r.name;
    snapshots.push_back(std::move(*s));
  }
  return std::shared_ptr<const Screener>(Screener::build(std::move(snapshots), std::move(tables)));
}

// ---------------------------------------------------------------- impact

namespace {

nlohmann::json point_to_json(const ImpactRecordPoint& p) {
  return {{"label", p.label},
          {"as_of", p.as_of},
          {"rules", p.versions.rules},
          {"catalogue", p.versions.catalogue}};
}

ImpactRecordPoint point_from_json(const nlohmann::json& j) {
  return {j.value("label", ""), j.value("as_of", ""), {j.value("rules", ""), j.value("catalogue", "")}};
}

}  // namespace

nlohmann::json impact_inputs_to_json(const ImpactRecordInputs& in) {
  nlohmann::json j = {
      {"orders", {{"name", in.orders_name}, {"sha256", in.orders_sha256}, {"kept", in.orders_kept}}},
      {"from", point_to_json(in.from)},
      {"to", point_to_json(in.to)},
      {"screen", in.screen},
      {"base_currency", in.base_currency}};
  if (!in.rates_text.empty()) j["rates"] = in.rates_text;
  return j;
}

Result<ImpactRecordInputs> impact_inputs_from_json(const nlohmann::json& j) {
  if (!j.is_object() || !j.contains("orders") || !j.contains("from") || !j.contains("to"))
    return Error::BadInput("impact inputs: orders, from and to are required");
  ImpactRecordInputs in;
  try {
    in.orders_name = j["orders"].value("name", "");
    in.orders_sha256 = j["orders"].value("sha256", "");
    in.orders_kept = j["orders"].value("kept", false);
    in.from = point_from_json(j["from"]);
    in.to = point_from_json(j["to"]);
    in.screen = j.value("screen", true);
    in.rates_text = j.value("rates", "");
    in.base_currency = j.value("base_currency", "USD");
  } catch (const nlohmann::json::exception& e) {
    return Error::BadInput(std::string("impact inputs: ") + e.what());
  }
  return in;
}

nlohmann::json impact_record_result(const nlohmann::ordered_json& report_json) {
  nlohmann::json j = nlohmann::json(report_json);
  if (j.contains("changes") && j["changes"].is_array() && j["changes"].size() > 100) {
    nlohmann::json cut = nlohmann::json::array();
    for (size_t i = 0; i < 100; ++i) cut.push_back(j["changes"][i]);
    j["changes"] = cut;
  }
  return j;
}

// ---------------------------------------------------------------- screening

nlohmann::json screen_request_to_json(const ScreenRequest& r) {
  nlohmann::json j = {{"name", r.fields.name}, {"min_score", r.min_score}, {"limit", r.limit}};
  if (!r.fields.type.empty()) j["type"] = r.fields.type;
  if (!r.fields.country.empty()) j["country"] = r.fields.country;
  if (!r.fields.dob.empty()) j["dob"] = r.fields.dob;
  if (!r.fields.ids.empty()) j["ids"] = r.fields.ids;
  if (!r.customer_id.empty()) j["customer_id"] = r.customer_id;
  return j;
}

Result<ScreenRequest> screen_request_from_json(const nlohmann::json& j) {
  if (!j.is_object() || !j.contains("name") || !j["name"].is_string())
    return Error::BadInput("screening inputs: no name");
  ScreenRequest r;
  try {
    r.fields.name = j["name"].get<std::string>();
    r.fields.type = j.value("type", "");
    r.fields.country = j.value("country", "");
    r.fields.dob = j.value("dob", "");
    r.fields.ids = j.value("ids", std::vector<std::string>{});
    r.min_score = j.value("min_score", kDefaultThreshold);
    r.limit = j.value("limit", size_t{10});
    r.customer_id = j.value("customer_id", "");
  } catch (const nlohmann::json::exception& e) {
    return Error::BadInput(std::string("screening inputs: ") + e.what());
  }
  return r;
}

std::string query_party_key(const ScreenQuery& q, const std::string& customer_id) {
  return party_key(customer_id, q.name, q.country, q.birth_date);
}

std::vector<ReviewHit> review_hits(const std::vector<Hit>& hits) {
  std::vector<ReviewHit> out;
  for (const auto& h : hits)
    out.push_back(
        {h.party->id, entry_content_hash(*h.party), h.party->list, h.party->primary_name(), h.score});
  return out;
}

namespace {

std::vector<HitCaseMark> case_marks(const std::vector<ReviewMark>& marks) {
  std::vector<HitCaseMark> out;
  for (const auto& m : marks) out.push_back({m.case_id, std::string(to_string(m.status)), m.suppressed});
  return out;
}

}  // namespace

void annotate_hits(nlohmann::ordered_json& answer, const std::vector<ReviewMark>& marks) {
  if (!answer.contains("hits")) return;
  auto& hits = answer["hits"];
  for (size_t i = 0; i < hits.size() && i < marks.size(); ++i) {
    const auto& m = marks[i];
    if (m.case_id == 0) continue;
    hits[i]["case"] = m.case_id;
    hits[i]["case_status"] = to_string(m.status);
    if (m.decision != CaseDecision::kNone) hits[i]["case_decision"] = to_string(m.decision);
    if (m.suppressed) hits[i]["suppressed_by"] = m.case_id;
  }
}

std::vector<std::string> hit_case_notes(const std::vector<ReviewMark>& marks) {
  std::vector<std::string> out;
  for (const auto& m : marks) {
    if (m.case_id == 0) {
      out.emplace_back();
    } else if (m.suppressed) {
      out.push_back("suppressed by case " + std::to_string(m.case_id) + " (decided a false positive)");
    } else {
      std::string s = "case " + std::to_string(m.case_id) + " (" + std::string(to_string(m.status));
      if (m.decision != CaseDecision::kNone) s += ", " + std::string(to_string(m.decision));
      out.push_back(s + (m.opened ? ", opened now)" : ")"));
    }
  }
  return out;
}

Result<std::vector<ReviewMark>> record_screening(Store& store, const ScreeningRecordArgs& a,
                                                 nlohmann::ordered_json& answer) {
  const std::string key = query_party_key(*a.query, a.customer_id);
  auto hits = review_hits(*a.hits);
  auto marks = a.record ? store.review(key, a.query->name, hits, a.caller) : store.review_lookup(key, hits);
  if (!marks) return marks.error();
  annotate_hits(answer, *marks);
  if (!a.record) return marks;
  RecordDraft d;
  d.caller = a.caller;
  d.action = a.action;
  d.inputs = a.inputs;
  d.snapshots = a.snapshots;
  d.threshold = a.query->min_score;
  d.result = nlohmann::json(answer);
  auto appended = store.append(std::move(d));
  if (!appended) return appended.error();
  answer["record"] = appended->seq;
  return marks;
}

// ---------------------------------------------------------------- batches

BatchRecorder::BatchRecorder(Store& store, Options options, std::function<Status(const std::string&)> emit)
    : store_(store), o_(std::move(options)), emit_(std::move(emit)) {}

Status BatchRecorder::add(const BatchRow& row) {
  pending_.push_back(row);
  if (pending_.size() >= o_.group) return flush();
  return Status::Ok();
}

Status BatchRecorder::flush() {
  if (pending_.empty()) return Status::Ok();
  std::vector<BatchRow> rows = std::move(pending_);
  pending_.clear();
  return record_group(std::move(rows));
}

Status BatchRecorder::record_group(std::vector<BatchRow> rows) {
  const size_t n = rows.size();
  // 1. Cases: every row with hits, in one writer job.
  std::vector<ReviewRequest> asks;
  std::vector<size_t> asked_row;
  for (size_t i = 0; i < n; ++i) {
    const BatchRow& r = rows[i];
    if (!r.error.empty() || r.hits.empty()) continue;
    asks.push_back({query_party_key(r.query, r.id_from_column && o_.ids_from_column ? r.id : ""),
                    r.query.name, review_hits(r.hits)});
    asked_row.push_back(i);
  }
  std::vector<std::vector<ReviewMark>> marks(n);
  if (!asks.empty()) {
    auto got = o_.record ? store_.review_many(asks, o_.caller) : store_.review_lookup_many(asks);
    if (!got) return got.error();
    for (size_t k = 0; k < asked_row.size(); ++k) {
      for (const auto& m : (*got)[k]) {
        opened_ += m.opened;
        suppressed_ += m.suppressed;
      }
      marks[asked_row[k]] = std::move((*got)[k]);
    }
  }
  // 2. Records, built in parallel (canonical JSON and digests), appended in one group.
  std::vector<RecordDraft> drafts(o_.record ? n : 0);
  // A JSON-lines answer is the recorded result plus "record": built once for both.
  const bool jsonl = o_.format == BatchFormat::kJsonl;
  std::vector<nlohmann::ordered_json> answers(o_.record && jsonl ? n : 0);
  if (o_.record) {
    parallel_for(n, 0, [&](size_t i) {
      const BatchRow& r = rows[i];
      ScreenRequest req;
      req.fields.name = r.query.name;
      req.fields.type = r.query.type == PartyType::kUnknown ? "" : std::string(to_string(r.query.type));
      req.fields.country = r.query.country;
      req.fields.dob = r.query.birth_date;
      for (const auto& id : r.query.ids) req.fields.ids.push_back(id.type + ":" + id.number);
      req.min_score = o_.min_score;
      req.limit = o_.limit;
      if (r.id_from_column && o_.ids_from_column) req.customer_id = r.id;
      RecordDraft& d = drafts[i];
      d.caller = o_.caller;
      d.action = "screen.batch";
      d.inputs = screen_request_to_json(req);
      d.inputs["row"] = {{"file", o_.file}, {"file_sha256", o_.file_sha256}, {"line", r.line}, {"id", r.id}};
      if (!r.error.empty()) d.inputs["error"] = r.error;
      d.snapshots = o_.snapshots;
      d.threshold = o_.min_score;
      auto answer = batch_row_to_json(r, o_.lists_note, case_marks(marks[i]));
      d.result = nlohmann::json(answer);
      if (jsonl) answers[i] = std::move(answer);
    });
  }
  std::vector<std::int64_t> seqs(n, 0);
  if (o_.record) {
    auto appended = store_.append_all(std::move(drafts));
    if (!appended) return appended.error();
    for (size_t i = 0; i < n; ++i) seqs[i] = (*appended)[i].seq;
    if (!first_) first_ = seqs.front();
    last_ = seqs.back();
  }
  // 3. Only now, durable, the answers go out.
  std::vector<std::string> lines(n);
  parallel_for(n, 0, [&](size_t i) {
    if (!answers.empty()) {
      answers[i]["record"] = seqs[i];
      lines[i] = answers[i].dump() + "\n";
    } else {
      lines[i] = format_batch_row(rows[i], o_.format, o_.lists_note, case_marks(marks[i]), seqs[i]);
    }
  });
  for (const auto& l : lines)
    if (auto st = emit_(l); !st) return st;
  return Status::Ok();
}

}  // namespace clearance
