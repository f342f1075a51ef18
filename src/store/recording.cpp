#include "clearance/store/recording.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <future>

#include "clearance/common/files.hpp"
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
  if (in.line_shift) j["orders"]["line_shift"] = in.line_shift;
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
    in.line_shift = j["orders"].value("line_shift", size_t{0});
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
  // Member by member, so the changed orders past the first 100 are never copied.
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [key, value] : report_json.items()) {
    if (key == "changes" && value.is_array() && value.size() > 100)
      j[key] = nlohmann::json(nlohmann::ordered_json(value.begin(), value.begin() + 100));
    else
      j[key] = nlohmann::json(value);
  }
  return j;
}

// ---------------------------------------------------------------- rescreens

nlohmann::json rescreen_record_result(const RescreenResult& r, const std::vector<SnapshotInfo>& baseline,
                                      bool first_screening) {
  auto first_1000 = [](const std::vector<KnownHit>& hits) {
    nlohmann::json out = nlohmann::json::array();
    for (size_t k = 0; k < hits.size() && k < 1000; ++k) out.push_back(known_hit_to_json(hits[k]));
    return out;
  };
  nlohmann::json snaps = nlohmann::json::array();
  for (auto& s : baseline) snaps.push_back({{"name", s.name}, {"id", s.id}});
  return {{"first_screening", first_screening},
          {"baseline", snaps},
          {"screened_entries", r.screened_entries},
          {"removed_entries", r.removed_entries},
          {"rows", r.rows},
          {"rows_screened", r.rows_screened},
          {"unscreened",
           nlohmann::json(std::vector<std::string>(
               r.unscreened.begin(), r.unscreened.begin() + std::min<size_t>(r.unscreened.size(), 1000)))},
          {"new_hits", first_1000(r.new_hits)},
          {"gone_hits", first_1000(r.gone_hits)},
          {"hits", r.hits.size()},
          {"weight_drift", r.weight_drift},
          {"score_drift_bound", r.score_drift_bound}};
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

std::string EntryHashCache::of(const Party& party) {
  {
    std::lock_guard lk(mu_);
    if (auto it = hashes_.find(&party); it != hashes_.end()) return it->second;
  }
  std::string h = entry_content_hash(party);
  std::lock_guard lk(mu_);
  hashes_.emplace(&party, h);
  return h;
}

std::vector<ReviewHit> review_hits(const std::vector<Hit>& hits, EntryHashCache* cache) {
  std::vector<ReviewHit> out;
  out.reserve(hits.size());
  for (const auto& h : hits)
    out.push_back({h.party->id, cache ? cache->of(*h.party) : entry_content_hash(*h.party), h.party->list,
                   h.party->primary_name(), h.score});
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

void record_screening_later(Store& store, const ScreeningRecordArgs& a, nlohmann::ordered_json answer,
                            std::function<void(Result<RecordedScreening>)> done) {
  std::vector<ReviewRequest> party{
      {query_party_key(*a.query, a.customer_id), a.query->name, review_hits(*a.hits, a.entry_hashes)}};
  // The marks and the answer travel with the job: the writer annotates the answer with the marks
  // and writes its record; `done` gets both once the record is durable.
  auto out = std::make_shared<RecordedScreening>();
  out->answer = std::move(answer);
  RecordDraft d;
  d.caller = a.caller;
  d.action = a.action;
  d.inputs = a.inputs;
  d.snapshots = a.snapshots;
  d.threshold = a.query->min_score;
  d.idempotency_key = a.idempotency_key;
  store.review_and_append_later(
      std::move(party), a.caller,
      [out, d = std::move(d)](const std::vector<std::vector<ReviewMark>>& m) mutable {
        out->marks = m[0];
        annotate_hits(out->answer, out->marks);
        d.result_text = canonical_json_of(out->answer);
        std::vector<RecordDraft> drafts;
        drafts.push_back(std::move(d));
        return drafts;
      },
      [out, done = std::move(done)](Result<std::vector<Appended>> appended) {
        if (!appended) return done(appended.error());
        out->answer["record"] = (*appended)[0].seq;
        out->seq = (*appended)[0].seq;
        done(std::move(*out));
      });
}

Result<std::vector<ReviewMark>> record_screening(Store& store, const ScreeningRecordArgs& a,
                                                 nlohmann::ordered_json& answer) {
  if (!a.record) {
    ReviewRequest party{query_party_key(*a.query, a.customer_id), a.query->name,
                        review_hits(*a.hits, a.entry_hashes)};
    auto marks = store.review_lookup_many({party});
    if (!marks) return marks.error();
    annotate_hits(answer, (*marks)[0]);
    return std::move((*marks)[0]);
  }
  // The cases this screening opens and its record commit together (one durable write).
  std::promise<Result<RecordedScreening>> promise;
  auto fut = promise.get_future();
  record_screening_later(store, a, std::move(answer),
                         [&promise](Result<RecordedScreening> r) { promise.set_value(std::move(r)); });
  auto r = fut.get();
  if (!r) return r.error();
  answer = std::move(r->answer);
  return std::move(r->marks);
}

// ---------------------------------------------------------------- batches

namespace {

void append_number(std::string& out, double v) { out += nlohmann::json(v).dump(); }

// The bytewise-sorted order of an object's keys (canonical JSON's order), given in insertion order.
template <size_t N>
std::array<std::uint8_t, N> sorted_order(const std::array<std::string_view, N>& keys) {
  std::array<std::uint8_t, N> order{};
  for (size_t i = 0; i < N; ++i) order[i] = static_cast<std::uint8_t>(i);
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return keys[a] < keys[b]; });
  return order;
}

// Writes an object's fields in insertion order, or in `sorted` order for canonical JSON;
// `value(i)` appends field i's value to `out` and returns false when the object has no field i.
template <size_t N, class Value>
void write_object(std::string& out, const std::array<std::string_view, N>& keys,
                  const std::array<std::uint8_t, N>* sorted, Value&& value) {
  out += '{';
  bool first = true;
  for (size_t k = 0; k < N; ++k) {
    const size_t i = sorted ? (*sorted)[k] : k;
    const size_t mark = out.size();
    if (!first) out += ',';
    out += '"';
    out += keys[i];
    out += "\":";
    if (value(i))
      first = false;
    else
      out.resize(mark);
  }
  out += '}';
}

void append_strings(std::string& out, const std::vector<std::string>& v) {
  out += '[';
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, v[i]);
  }
  out += ']';
}

}  // namespace

// batch_row_to_json(row, note, marks) written directly as text, without building the object:
// as its dump() writes it, or (canonical) as canonical_json_of writes it.
std::string batch_row_json_text(const BatchRow& r, std::string_view note,
                                const std::vector<HitCaseMark>& marks, bool canonical) {
  static constexpr std::array<std::string_view, 7> kRow = {
      "id", "error", "query", "hits", "warnings", "using_sample_lists", "lists_note"};
  static constexpr std::array<std::string_view, 4> kQuery = {"name", "type", "country", "dob"};
  static constexpr std::array<std::string_view, 13> kHit = {
      "score",     "list",     "entry_id",    "name", "matched_name", "matched_kind", "type",
      "countries", "programs", "explanation", "case", "case_status",  "suppressed_by"};
  static const auto row_sorted = sorted_order(kRow);
  static const auto query_sorted = sorted_order(kQuery);
  static const auto hit_sorted = sorted_order(kHit);
  const std::string note_text(note);
  const bool error = !r.error.empty();
  std::string out;
  out.reserve(512 + 512 * r.hits.size());
  auto text = [&](const std::string& v) {
    append_json_string(out, v);
    return true;
  };
  auto query = [&] {
    const ScreenQuery& q = r.query;
    write_object(out, kQuery, canonical ? &query_sorted : nullptr, [&](size_t i) {
      switch (i) {
        case 0:
          return text(q.name);
        case 1:
          return q.type != PartyType::kUnknown && text(std::string(to_string(q.type)));
        case 2:
          return !q.country.empty() && text(q.country);
        default:
          return !q.birth_date.empty() && text(q.birth_date);
      }
    });
  };
  auto hit = [&](size_t h) {
    const Hit& x = r.hits[h];
    const Party& p = *x.party;
    const HitCaseMark none;
    const HitCaseMark& m = h < marks.size() ? marks[h] : none;
    write_object(out, kHit, canonical ? &hit_sorted : nullptr, [&](size_t i) {
      switch (i) {
        case 0:
          append_number(out, x.score);
          return true;
        case 1:
          return text(p.list);
        case 2:
          return text(p.id);
        case 3:
          return text(p.primary_name());
        case 4:
          return text(x.matched_name);
        case 5:
          return text(std::string(to_string(x.matched_kind)));
        case 6:
          return text(std::string(to_string(p.type)));
        case 7:
          append_strings(out, p.countries);
          return true;
        case 8:
          append_strings(out, p.programs);
          return true;
        case 9:
          append_strings(out, x.explanation);
          return true;
        case 10:
          if (m.case_id == 0) return false;
          out += std::to_string(m.case_id);
          return true;
        case 11:
          return m.case_id != 0 && text(m.status);
        default:
          if (m.case_id == 0 || !m.suppressed) return false;
          out += std::to_string(m.case_id);
          return true;
      }
    });
  };
  write_object(out, kRow, canonical ? &row_sorted : nullptr, [&](size_t i) {
    switch (i) {
      case 0:
        return text(r.id);
      case 1:
        return error && text(r.error);
      case 2:
        if (error) return false;
        query();
        return true;
      case 3:
        if (error) return false;
        out += '[';
        for (size_t h = 0; h < r.hits.size(); ++h) {
          if (h) out += ',';
          hit(h);
        }
        out += ']';
        return true;
      case 4:
        if (error || r.warnings.empty()) return false;
        append_strings(out, r.warnings);
        return true;
      case 5:
        if (note.empty()) return false;
        out += "true";
        return true;
      default:
        return !note.empty() && text(note_text);
    }
  });
  return out;
}

// A batch row's inputs as canonical JSON, written directly (as canonical_json of
// screen_request_to_json(request) plus "row" and "error" would write them; keys in sorted order).
std::string BatchRecorder::batch_inputs_text(const BatchRow& r) const {
  std::string out = "{";
  auto key = [&](const char* k) {
    if (out.size() > 1) out += ',';
    out += '"';
    out += k;
    out += "\":";
  };
  auto text = [&](const char* k, const std::string& v) {
    if (v.empty()) return;
    key(k);
    append_json_string(out, v);
  };
  const std::string customer = r.id_from_column && o_.ids_from_column ? r.id : "";
  text("country", r.query.country);
  text("customer_id", customer);
  text("dob", r.query.birth_date);
  text("error", r.error);
  if (!r.query.ids.empty()) {
    key("ids");
    out += '[';
    for (size_t i = 0; i < r.query.ids.size(); ++i) {
      if (i) out += ',';
      append_json_string(out, r.query.ids[i].type + ":" + r.query.ids[i].number);
    }
    out += ']';
  }
  key("limit");
  out += std::to_string(o_.limit);
  key("min_score");
  append_number(out, o_.min_score);
  key("name");
  append_json_string(out, r.query.name);
  key("row");
  out += "{\"file\":";
  append_json_string(out, o_.file);
  out += ",\"file_sha256\":";
  append_json_string(out, o_.file_sha256);
  out += ",\"id\":";
  append_json_string(out, r.id);
  out += ",\"line\":" + std::to_string(r.line) + "}";
  text("type", r.query.type == PartyType::kUnknown ? "" : std::string(to_string(r.query.type)));
  out += '}';
  return out;
}

struct BatchRecorder::Group {
  std::vector<BatchRow> rows;
  bool done = false;
  Status status = Status::Ok();
  std::vector<size_t> asked_row;               // rows with hits (their cases are reviewed)
  std::vector<std::vector<ReviewMark>> marks;  // per row, per hit
  std::vector<std::int64_t> seqs;              // per row: its record
  std::vector<std::string> lines;              // per row: its answer, as emitted
  std::int64_t first = 0, last = 0;
  std::uint64_t opened = 0, suppressed = 0;
};

BatchRecorder::BatchRecorder(Store& store, Options options, std::function<Status(const std::string&)> emit)
    : store_(store), o_(std::move(options)), emit_(std::move(emit)) {}

BatchRecorder::~BatchRecorder() {
  {
    std::lock_guard lk(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
  // Groups handed to the store's writer call back into this recorder: wait for them all.
  std::unique_lock lk(mu_);
  cv_.wait(lk, [&] { return outstanding_ == 0; });
}

Status BatchRecorder::add(const BatchRow& row) {
  pending_.push_back(row);
  if (pending_.size() < o_.group) return Status::Ok();
  return queue_pending(false);
}

Status BatchRecorder::flush() {
  if (!pending_.empty())
    if (auto st = queue_pending(true); !st) return st;
  return emit_done(true, 0);
}

Status BatchRecorder::queue_pending(bool last) {
  auto g = std::make_shared<Group>();
  g->rows = std::move(pending_);
  pending_.clear();
  if (o_.in_flight == 0 || (last && !worker_.joinable())) {
    // Recorded from here, after what is queued (there is nothing to overlap with).
    if (auto st = emit_done(true, 0); !st) return st;
    std::lock_guard lk(mu_);
    groups_.push_back(g);
    ++next_;
  } else {
    {
      std::lock_guard lk(mu_);
      groups_.push_back(std::move(g));
      if (!worker_.joinable()) worker_ = std::thread([this] { worker_loop(); });
    }
    cv_.notify_all();
    // Back-pressure: at most in_flight groups wait to be recorded or emitted.
    return emit_done(!last, o_.in_flight);
  }
  record_group(g);
  return emit_done(!last, o_.in_flight);
}

void BatchRecorder::worker_loop() {
  for (;;) {
    std::shared_ptr<Group> g;
    bool skip = false;
    {
      std::unique_lock lk(mu_);
      cv_.wait(lk, [&] { return stopping_ || next_ < groups_.size(); });
      if (next_ >= groups_.size()) return;
      g = groups_[next_++];
      skip = failed_;
    }
    if (skip)
      finish_group(*g, Error::Io("not recorded: an earlier group of the batch could not be recorded"));
    else
      record_group(g);
  }
}

void BatchRecorder::finish_group(Group& g, Status st) {
  std::lock_guard lk(mu_);
  if (!st.ok()) g.status = std::move(st);
  if (!g.status.ok()) failed_ = true;
  g.done = true;
  cv_.notify_all();  // under the lock: the destructor cannot return before this call does
}

Status BatchRecorder::emit_done(bool wait, size_t keep) {
  for (;;) {
    std::shared_ptr<Group> g;
    {
      std::unique_lock lk(mu_);
      if (groups_.empty()) return Status::Ok();
      if (wait && groups_.size() > keep) cv_.wait(lk, [&] { return groups_.front()->done; });
      if (!groups_.front()->done) return Status::Ok();
      g = std::move(groups_.front());
      groups_.pop_front();
      --next_;
    }
    auto fail = [&](const Status& st) {
      std::lock_guard lk(mu_);
      failed_ = true;
      return st;
    };
    if (!g->status.ok()) return fail(g->status);
    if (g->first && !first_) first_ = g->first;
    if (g->last) last_ = g->last;
    opened_ += g->opened;
    suppressed_ += g->suppressed;
    for (const auto& l : g->lines)
      if (auto st = emit_(l); !st) return fail(st);
  }
}

void BatchRecorder::take_marks(Group& g, const std::vector<std::vector<ReviewMark>>& got) const {
  for (size_t k = 0; k < g.asked_row.size(); ++k) {
    for (const auto& m : got[k]) {
      g.opened += m.opened;
      g.suppressed += m.suppressed;
    }
    g.marks[g.asked_row[k]] = got[k];
  }
}

// The answers, sent by emit_done once durable.
void BatchRecorder::render(Group& g) const {
  const bool jsonl = o_.format == BatchFormat::kJsonl;
  parallel_for(g.rows.size(), 0, [&](size_t i) {
    if (o_.record && jsonl) {
      // {...} -> {...,"record":N}: what the answer with "record" added last dumps as.
      g.lines[i].pop_back();
      g.lines[i] += ",\"record\":" + std::to_string(g.seqs[i]) + "}\n";
    } else {
      g.lines[i] = format_batch_row(g.rows[i], o_.format, o_.lists_note, case_marks(g.marks[i]), g.seqs[i]);
    }
  });
}

void BatchRecorder::record_group(const std::shared_ptr<Group>& gp) {
  Group& g = *gp;
  const size_t n = g.rows.size();
  // 1. The parties with hits, for their cases (entry hashes computed on all cores).
  for (size_t i = 0; i < n; ++i)
    if (g.rows[i].error.empty() && !g.rows[i].hits.empty()) g.asked_row.push_back(i);
  std::vector<ReviewRequest> asks(g.asked_row.size());
  parallel_for(asks.size(), 0, [&](size_t k) {
    const BatchRow& r = g.rows[g.asked_row[k]];
    asks[k] = {query_party_key(r.query, r.id_from_column && o_.ids_from_column ? r.id : ""), r.query.name,
               review_hits(r.hits, &entry_hashes_)};
  });
  g.marks.assign(n, {});
  g.lines.assign(n, std::string());
  g.seqs.assign(n, 0);
  if (!o_.record) {
    auto got = store_.review_lookup_many(asks);
    if (!got) return finish_group(g, got.error());
    take_marks(g, *got);
    render(g);
    return finish_group(g, Status::Ok());
  }
  // 2. Cases and records in one transaction: the review runs in the writer, then each row's
  // answer is built once (on all cores), written as canonical JSON for its record and, for JSON
  // lines, as the line to send, which only gains "record" once the seq is known.
  auto build = [this, gp](const std::vector<std::vector<ReviewMark>>& got) {
    Group& g = *gp;
    take_marks(g, got);
    const bool jsonl = o_.format == BatchFormat::kJsonl;
    std::vector<RecordDraft> drafts(g.rows.size());
    parallel_for(g.rows.size(), 0, [&](size_t i) {
      const BatchRow& r = g.rows[i];
      RecordDraft& d = drafts[i];
      d.caller = o_.caller;
      d.action = "screen.batch";
      d.inputs_text = batch_inputs_text(r);
      d.snapshots = o_.snapshots;
      d.threshold = o_.min_score;
      const auto row_marks = case_marks(g.marks[i]);
      d.result_text = batch_row_json_text(r, o_.lists_note, row_marks, true);
      if (jsonl) g.lines[i] = batch_row_json_text(r, o_.lists_note, row_marks, false);
    });
    return drafts;
  };
  auto took = [&g](const std::vector<Appended>& a) {
    for (size_t i = 0; i < a.size(); ++i) g.seqs[i] = a[i].seq;
    if (!a.empty()) g.first = a.front().seq, g.last = a.back().seq;
  };
  if (o_.chunk) {
    // A job chunk's answers are its result, kept in the transaction of its records.
    auto kept = [&](const std::vector<Appended>& a) {
      took(a);
      render(g);
      std::string all;
      for (const auto& l : g.lines) all += l;
      return all;
    };
    auto appended = store_.complete_chunk(*o_.chunk, asks, o_.caller, build, kept);
    return finish_group(g, appended ? Status::Ok() : Status(appended.error()));
  }
  // Handed to the writer without waiting for the commit: the next group's cases are looked up
  // and its answers built while this one commits (and the writer may commit both at once).
  {
    std::lock_guard lk(mu_);
    ++outstanding_;
  }
  store_.review_and_append_later(std::move(asks), o_.caller, build,
                                 [this, gp, took](Result<std::vector<Appended>> appended) {
                                   if (appended) {
                                     took(*appended);
                                     render(*gp);
                                   }
                                   finish_group(*gp, appended ? Status::Ok() : Status(appended.error()));
                                   std::lock_guard lk(mu_);
                                   --outstanding_;
                                   cv_.notify_all();
                                 });
}

// ---- list updates

Result<UpdateConfig> load_update_config(const std::string& home, const std::string& data_dir,
                                        const std::string& given) {
  std::string path = given;
  if (path.empty()) {
    std::error_code ec;
    path = std::filesystem::exists(home + "/sources.yaml", ec) ? home + "/sources.yaml"
                                                               : data_dir + "/lists/sources.yaml";
  }
  auto text = read_file(path, 4 << 20);
  if (!text) return text.error();
  return parse_update_config(*text, path);
}

nlohmann::ordered_json source_update_to_json(const SourceUpdate& u) {
  nlohmann::ordered_json j = {{"source", u.source},
                              {"url", u.url},
                              {"outcome", std::string(to_string(u.outcome))},
                              {"message", u.message},
                              {"list", u.list},
                              {"snapshot", u.snapshot.id},
                              {"previous", u.previous},
                              {"entries", u.snapshot.entries},
                              {"attempts", u.attempts},
                              {"bytes", u.bytes},
                              {"sha256", u.sha256},
                              {"etag", u.etag},
                              {"last_modified", u.last_modified},
                              {"content_type", u.content_type}};
  if (!u.held_file.empty()) j["held_file"] = u.held_file;
  if (!u.notes.empty()) j["notes"] = u.notes;
  return j;
}

namespace {

// The watched files after an update put a list in force; the outcome goes into the run and its record.
void run_watches(const ListStore& lists, Store& store, const std::string& now, const MonitorContext& given,
                 ListUpdateRun& run) {
  MonitorStore watches(lists.home());
  auto ws = watches.list();
  if (ws && ws->empty()) return;
  auto in_force = ws ? lists.load_all() : Result<std::vector<ListSnapshot>>(ws.error());
  if (in_force) {
    MonitorContext m = given;
    if (!m.store) m.store = &store;
    if (m.now.empty()) m.now = now;
    if (!m.load_snapshot)
      m.load_snapshot = [&lists, &store](const SnapshotRef& ref) -> Result<ListSnapshot> {
        if (auto h = lists.history(ref.name))
          for (auto it = h->rbegin(); it != h->rend(); ++it)
            if (it->info.id == ref.id)
              if (auto s = lists.load(it->info)) return s;
        return store.load_snapshot(ref.id);
      };
    auto report = run_monitors(watches, *in_force, m);
    if (report) {
      run.monitor = std::move(*report);
      run.monitored = true;
      run.record.result["monitor"] = nlohmann::json::parse(monitor_report_to_json(run.monitor).dump());
      return;
    }
    run.monitor_error = report.error().message;
  } else {
    run.monitor_error = in_force.error().message;
  }
  run.record.result["monitor_error"] = run.monitor_error;
}

}  // namespace

Result<ListUpdateRun> run_list_update(const ListStore& lists, const CountryTable& countries,
                                      const UpdateConfig& config, const std::vector<std::string>& names,
                                      Fetcher& fetcher, UpdateContext context, Store* store, bool keep,
                                      const MonitorContext* monitor) {
  // Snapshots that a record names are never dropped by retention (the store keeps them for replay,
  // and the home keeps their files). When the store cannot say, nothing is dropped.
  context.referenced = [store](const std::string& id) {
    if (!store) return true;
    auto has = store->has_snapshot(id);
    return !has || *has;
  };
  auto report = update_lists(lists, countries, config, names, fetcher, context);
  if (!report) return report.error();
  ListUpdateRun run;
  run.report = std::move(*report);
  RecordDraft& d = run.record;
  d.action = "lists.update";
  d.inputs = {{"config", config.file}, {"sources", names}};
  nlohmann::json results = nlohmann::json::array();
  for (auto& u : run.report.sources) {
    results.push_back(nlohmann::json::parse(source_update_to_json(u).dump()));
    if (!u.snapshot.id.empty()) d.snapshots.push_back({u.snapshot.name, u.snapshot.id});
  }
  d.result = {{"sources", results}, {"pruned", run.report.pruned}, {"ok", run.report.ok()}};
  std::vector<SnapshotRef> published;
  if (keep && store)
    for (auto& u : run.report.sources) {
      if (u.outcome != UpdateOutcome::kUpdated) continue;
      auto snap = lists.load(u.snapshot);
      if (!snap) return snap.error();
      if (auto st = store->keep_snapshot(*snap); !st) return st.error();
      published.push_back({u.snapshot.name, u.snapshot.id});
    }
  // Replicas on one PostgreSQL store switch to what is published there (docs/SCALING.md).
  if (store && store->is_postgres())
    if (auto p = store->publish_lists(published); !p) return p.error();
  bool changed = false;
  for (auto& u : run.report.sources) changed |= u.outcome == UpdateOutcome::kUpdated;
  if (monitor && keep && store && changed) run_watches(lists, *store, context.now, *monitor, run);
  return run;
}

}  // namespace clearance
