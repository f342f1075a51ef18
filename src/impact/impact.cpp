#include "clearance/impact/impact.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <set>
#include <thread>
#include <tuple>
#include <unordered_map>

#include "clearance/common/files.hpp"
#include "clearance/common/parallel.hpp"
#include "clearance/common/strings.hpp"

namespace clearance {

std::string_view to_string(Change c) {
  switch (c) {
    case Change::kUnchanged:
      return "unchanged";
    case Change::kRulesOnly:
      return "rules_only";
    case Change::kPolicy:
      return "policy";
    case Change::kVerdict:
      return "verdict";
    case Change::kBlocked:
      return "blocked";
    case Change::kUnblocked:
      return "unblocked";
    case Change::kError:
      return "error";
  }
  return "?";
}

const PointOutcome::Jurisdiction* PointOutcome::find(std::string_view jurisdiction) const {
  for (const auto& j : jurisdictions)
    if (j.id == jurisdiction) return &j;
  return nullptr;
}

namespace {
Amount blocked(const std::array<Amount, kVerdictCount>& by_verdict) {
  Amount a;
  for (size_t i = 0; i < kVerdictCount; ++i)
    if (is_blocked(static_cast<Verdict>(i))) {
      a.orders += by_verdict[i].orders;
      a.value += by_verdict[i].value;
    }
  return a;
}
}  // namespace

Amount Tally::blocked_from() const { return blocked(from); }

Amount Tally::blocked_to() const { return blocked(to); }

Result<EngineOptions> impact_engine_options(const std::string& data_dir, const std::string& rules_dir) {
  EngineOptions o;
  Env& env = *o.env;
  o.items_dir = data_dir + "/items";
  o.rules_dir = rules_dir.empty() ? data_dir + "/rules" : rules_dir;
  if (!rules_dir.empty()) {
    if (!is_directory(env, rules_dir)) return Error::BadInput(rules_dir + ": not a directory of rule packs");
    // A whole data directory (rules/ and items/ inside) brings its own catalogue.
    if (is_directory(env, rules_dir + "/rules") && is_directory(env, rules_dir + "/items")) {
      o.rules_dir = rules_dir + "/rules";
      o.items_dir = rules_dir + "/items";
    }
  }
  o.countries_path = data_dir + "/text/countries.tsv";  // required: a missing table is an error
  return o;
}

Result<std::shared_ptr<const Engine>> load_impact_engine(const std::string& data_dir,
                                                         const std::string& rules_dir) {
  auto o = impact_engine_options(data_dir, rules_dir);
  if (!o) return o.error();
  return Engine::load(*o);
}

namespace {

std::string join_ids(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + ",";
  return s;
}

// Everything about a rule that can change what it does or what an answer cites.
std::string fingerprint(const Rule& r) {
  std::string s;
  s.reserve(512);
  s += r.title + "\x1f" + r.jurisdiction + "\x1f" + r.effective_from.to_string() + "\x1f" +
       r.effective_to.to_string() + "\x1f" + r.when.describe() + "\x1f" + std::string(to_string(r.outcome)) +
       "\x1f" + std::string(to_string(r.review_policy)) + "\x1f" + r.exception.name + "\x1f" +
       join_ids(r.exception.conditions) + "\x1f" + join_ids(r.overcomes) + "\x1f" + join_ids(r.suspends) +
       "\x1f" + join_ids(r.applies_to) + "\x1f" + join_ids(r.overrides) + "\x1f" + r.result.eccn + "\x1f" +
       r.result.paragraph + "\x1f" + r.result.label + "\x1f" + r.result.status + "\x1f" + r.citation +
       "\x1f" + std::string(1, r.confidence) + "\x1f" + r.note;
  return s;
}

std::map<std::string, std::string> fingerprints(const RuleSet& rs) {
  std::map<std::string, std::string> m;
  for (const auto* v : {&rs.rules(), &rs.classification()})
    for (const auto& r : *v) m[r.id] = fingerprint(r);
  return m;
}

}  // namespace

PackDiff diff_rule_sets(const RuleSet& a, const RuleSet& b) {
  PackDiff d;
  if (&a == &b || a.version() == b.version()) return d;
  auto fa = fingerprints(a), fb = fingerprints(b);
  for (const auto& [id, f] : fa) {
    auto it = fb.find(id);
    if (it == fb.end())
      d.removed.push_back(id);
    else if (it->second != f)
      d.modified.push_back(id);
  }
  for (const auto& [id, f] : fb)
    if (!fa.count(id)) d.added.push_back(id);
  return d;
}

namespace {

// An engine error in the order file's terms: the field the engine names (Error::field; the
// parties' country is the order's customer_country) and what is wrong with it, the engine's
// message after its "field: ". An error naming no field is about the item when something was not
// found, else about the order.
void split_engine_error(const Error& e, std::string& field, std::string& message) {
  message = e.message;
  if (e.field.empty()) {
    field = e.kind == Error::Kind::kNotFound ? "item" : "order";
    return;
  }
  field = e.field == "party country" ? "customer_country" : e.field;
  if (const std::string named = e.field + ": "; e.message.compare(0, named.size(), named) == 0)
    message = e.message.substr(named.size());
}

std::shared_ptr<const PointOutcome> outcome_of(const Result<Determination>& r) {
  auto out = std::make_shared<PointOutcome>();
  if (!r.ok()) {
    split_engine_error(r.error(), out->error_field, out->error);
    return out;
  }
  const Determination& d = *r;
  out->overall = d.overall;
  out->destination = d.destination;
  for (const auto& jr : d.jurisdictions) {
    out->jurisdictions.push_back({jr.jurisdiction, jr.verdict, jr.review_policy});
    if (jr.verdict == Verdict::kLicenseRequired && jr.review_policy > out->policy)
      out->policy = jr.review_policy;
    for (const auto& f : jr.rules)
      if (f.rule) out->fired.push_back(f.rule->id);
    for (const auto& s : jr.suspended)
      if (s.by) out->fired.push_back(s.by->id);
  }
  if (!d.items.empty()) {
    const ItemResult& ir = d.items.front();
    if (ir.item) {
      out->item_id = ir.item->id;
      out->item_name = ir.item->name;
    }
    if (ir.classification) {
      out->eccn = ir.classification->eccn;
      if (ir.classification->decided_by) out->fired.push_back(ir.classification->decided_by->id);
    }
  }
  std::sort(out->fired.begin(), out->fired.end());
  out->fired.erase(std::unique(out->fired.begin(), out->fired.end()), out->fired.end());
  return out;
}

bool uses_order_amounts(const RuleSet& rs) {
  std::vector<Pred> preds;
  for (const auto* v : {&rs.rules(), &rs.classification()})
    for (const auto& r : *v) r.when.collect_predicates(preds);
  return std::any_of(preds.begin(), preds.end(),
                     [](Pred p) { return p == Pred::kQuantity || p == Pred::kValue; });
}

bool policy_changed(const PointOutcome::Jurisdiction* a, const PointOutcome::Jurisdiction* b) {
  return a && b && a->verdict == Verdict::kLicenseRequired && b->verdict == Verdict::kLicenseRequired &&
         a->policy != b->policy;
}

void add(Tally& t, double v, Verdict a, Verdict b, bool policy) {
  t.total.add(v);
  t.from[static_cast<size_t>(a)].add(v);
  t.to[static_cast<size_t>(b)].add(v);
  if (a != b) t.verdict_changed.add(v);
  if (!is_blocked(a) && is_blocked(b)) t.to_blocked.add(v);
  if (is_blocked(a) && !is_blocked(b)) t.to_shippable.add(v);
  if (policy) t.policy_changed.add(v);
}

// One order in flight through a chunk.
struct Pending {
  Order order;
  std::string error;
  // The customer's list findings, screened once for both points (memoised runs only).
  bool screened = false;
  std::vector<PartyFinding> findings;
  std::string key;
  std::shared_ptr<const PointOutcome> at[2];
  int job[2] = {-1, -1};
};

// Everything about a list finding a determination can use.
void append_finding(std::string& k, const PartyFinding& f) {
  for (const std::string* s : {&f.list, &f.entry_id, &f.name, &f.license_requirement, &f.license_policy,
                               &f.citation, &f.listed_on, &f.matched_name}) {
    k += *s;
    k += '\x1d';
  }
  for (const auto& p : f.programs) {
    k += p;
    k += '\x1d';
  }
  k += std::to_string(f.score);
  k += '\x1c';
}

struct Job {
  int point;
  size_t pending;  // the order it determines
};

class Runner {
 public:
  Runner(std::string_view filename, const ImpactPoint* points, const ImpactOptions& opt,
         const OrderSink& sink, ImpactReport& report)
      : filename_(filename), points_(points), opt_(opt), sink_(sink), r_(report) {
    for (int p = 0; p < 2; ++p) amounts_ = amounts_ || uses_order_amounts(points_[p].engine->rules());
    threads_ = thread_count(opt_.threads);
  }

  void run_chunk(std::vector<Pending>& chunk) {
    // 1. In parallel: screen each customer once for both points (the checker memoises names), and
    //    build the memo key from the findings rather than the name, so that the many customers on
    //    no list share determinations.
    if (opt_.memoize)
      parallel_for(chunk.size(), threads_, [&](size_t i) {
        Pending& pd = chunk[i];
        if (!pd.error.empty()) return;
        if (opt_.checker && !pd.order.customer.empty()) {
          std::string country;
          bool ok = true;
          if (!pd.order.customer_country.empty()) {
            auto c = points_[0].engine->resolve_country(pd.order.customer_country);
            ok = c.ok();
            if (ok) country = *c;
          }
          if (ok) {  // else the determination reports the bad country
            auto checked = opt_.checker->check(pd.order.customer, country);
            // A name that cannot be screened stays unscreened: the determination asks the checker
            // again and says why.
            pd.screened = checked.ok();
            if (checked) pd.findings = std::move(*checked);
          }
        }
        pd.key = memo_key(pd);
      });
    // 2. Here: reuse what earlier chunks determined, and determine each new key once.
    jobs_.clear();
    for (int p = 0; p < 2; ++p) pending_keys_[p].clear();
    for (size_t i = 0; i < chunk.size(); ++i) {
      Pending& pd = chunk[i];
      if (!pd.error.empty()) continue;
      for (int p = 0; p < 2; ++p) {
        if (opt_.memoize) {
          if (auto it = memo_[p].find(pd.key); it != memo_[p].end()) {
            pd.at[p] = it->second;
            ++r_.memo_hits;
            continue;
          }
          if (auto it = pending_keys_[p].find(pd.key); it != pending_keys_[p].end()) {
            pd.job[p] = it->second;
            ++r_.memo_hits;
            continue;
          }
          pending_keys_[p].emplace(pd.key, static_cast<int>(jobs_.size()));
        }
        pd.job[p] = static_cast<int>(jobs_.size());
        jobs_.push_back({p, i});
        ++r_.memo_misses;
      }
    }
    // 3. In parallel: the determinations.
    results_.assign(jobs_.size(), nullptr);
    parallel_for(jobs_.size(), threads_, [&](size_t j) {
      const Job& job = jobs_[j];
      const ImpactPoint& pt = points_[job.point];
      results_[j] = outcome_of(pt.engine->determine(
          transaction(chunk[job.pending], pt.as_of, opt_.checker != nullptr), opt_.checker));
    });
    if (opt_.memoize)
      for (int p = 0; p < 2; ++p) {
        if (memo_[p].size() + pending_keys_[p].size() > opt_.memo_entries) memo_[p].clear();
        for (auto& [key, j] : pending_keys_[p])
          memo_[p].emplace(std::move(key), results_[static_cast<size_t>(j)]);
      }
    // 4. Here, in input order: aggregate and hand each order to the sink.
    for (auto& pd : chunk) {
      for (int p = 0; p < 2; ++p)
        if (pd.job[p] >= 0) pd.at[p] = results_[static_cast<size_t>(pd.job[p])];
      finish(pd);
    }
  }

 private:
  // Every fact of the order a rule can test; the customer through its findings.
  std::string memo_key(const Pending& pd) const {
    const Order& o = pd.order;
    std::string k;
    k.reserve(96);
    auto part = [&](std::string_view s) {
      k += s;
      k += '\x1f';
    };
    part(o.item);
    part(o.destination);
    part(o.from);
    part(o.origin);
    part(o.buyer_hq);
    part(o.exporter);
    for (const auto& e : o.end_uses) part(e);
    k += '\x1e';
    // The customer matters only through its list findings; its country is validated either way.
    part(o.customer.empty() ? "" : "+");
    part(o.customer_country);
    if (opt_.checker && !o.customer.empty()) {
      if (pd.screened)
        for (const auto& f : pd.findings) append_finding(k, f);
      else
        part(o.customer);  // not screened here (bad country): the determination reports it
    }
    if (amounts_) {
      part(std::to_string(o.quantity));
      part(std::to_string(o.value()));
    }
    return k;
  }

  // Without a checker the comparison is of the rules alone: the customer is passed as screened
  // with no findings (its country is still checked), not as unscreened, which would make every
  // answer undetermined.
  static Transaction transaction(const Pending& pd, Date as_of, bool screening) {
    const Order& o = pd.order;
    Transaction t;
    t.id = o.id;
    t.as_of = as_of;
    t.items.push_back(ItemLine{o.item, nullptr, o.quantity, o.value(), {}});
    t.destination = o.destination;
    t.from = o.from;
    t.origin = o.origin;
    t.exporter = o.exporter;
    t.buyer_hq = o.buyer_hq;
    t.end_uses = o.end_uses;
    if (!o.customer.empty())
      t.parties.push_back(
          {o.customer, o.customer_country, "customer", pd.screened || !screening, pd.findings});
    return t;
  }

  Tally& slot(Breakdown& b, const char* dim, const std::string& key, const std::string& currency) {
    auto it = b.find(key);
    if (it == b.end()) {
      if (b.size() >= opt_.max_group_keys) {
        ++r_.overflow[dim];
        return b["(other)"][currency];
      }
      it = b.emplace(key, std::map<std::string, Tally>{}).first;
    }
    return it->second[currency];
  }

  void record_error(OrderImpact& oi) {
    oi.change = Change::kError;
    ++r_.errors;
    if (r_.error_messages.size() < opt_.max_errors) r_.error_messages.push_back(oi.error);
  }

  void finish(Pending& pd) {
    OrderImpact oi;
    oi.order = std::move(pd.order);
    oi.from = std::move(pd.at[0]);
    oi.to = std::move(pd.at[1]);
    const Order& o = oi.order;
    oi.currency = o.currency;
    oi.value = o.value();
    if (pd.error.empty() && opt_.rates) {
      auto it = opt_.rates->rates.find(o.currency);
      if (it == opt_.rates->rates.end()) {
        pd.error = std::string(filename_) + ":" + std::to_string(o.line) + ": currency: no rate for " +
                   o.currency + " in the rate table";
      } else {
        oi.value *= it->second;
        oi.currency = opt_.rates->base;
        if (!std::isfinite(oi.value))
          pd.error = std::string(filename_) + ":" + std::to_string(o.line) + ": unit_value: the value in " +
                     oi.currency + " overflows";
      }
    }
    if (pd.error.empty() && oi.from && oi.to && (!oi.from->error.empty() || !oi.to->error.empty())) {
      bool first = !oi.from->error.empty();
      const PointOutcome& bad = first ? *oi.from : *oi.to;
      pd.error =
          std::string(filename_) + ":" + std::to_string(o.line) + ": " + bad.error_field + ": " + bad.error;
      if (oi.from->error.empty() != oi.to->error.empty())
        pd.error += " (at " + points_[first ? 0 : 1].label + ")";
    }
    if (!pd.error.empty()) {
      oi.error = std::move(pd.error);
      record_error(oi);
      if (sink_) sink_(oi);
      return;
    }
    ++r_.orders;
    const PointOutcome& a = *oi.from;
    const PointOutcome& b = *oi.to;
    // Rules that fired at one point only.
    {
      size_t i = 0, j = 0;
      while (i < a.fired.size() || j < b.fired.size()) {
        if (j == b.fired.size() || (i < a.fired.size() && a.fired[i] < b.fired[j]))
          oi.rules_changed.push_back("-" + a.fired[i++]);
        else if (i == a.fired.size() || b.fired[j] < a.fired[i])
          oi.rules_changed.push_back("+" + b.fired[j++]);
        else
          ++i, ++j;
      }
      std::stable_sort(
          oi.rules_changed.begin(), oi.rules_changed.end(),
          [](const std::string& x, const std::string& y) { return x.compare(1, x.npos, y, 1, y.npos) < 0; });
    }
    bool any_policy = false;
    for (const auto& ja : a.jurisdictions) any_policy = any_policy || policy_changed(&ja, b.find(ja.id));
    if (is_blocked(a.overall) != is_blocked(b.overall))
      oi.change = is_blocked(b.overall) ? Change::kBlocked : Change::kUnblocked;
    else if (a.overall != b.overall)
      oi.change = Change::kVerdict;
    else if (any_policy)
      oi.change = Change::kPolicy;
    else if (!oi.rules_changed.empty())
      oi.change = Change::kRulesOnly;
    else
      oi.change = Change::kUnchanged;

    const double v = oi.value;
    const std::string& cur = oi.currency;
    const bool order_policy = oi.change == Change::kPolicy;
    add(r_.totals[cur], v, a.overall, b.overall, order_policy);
    for (const auto& jid : r_.jurisdictions) {
      const auto* ja = a.find(jid);
      const auto* jb = b.find(jid);
      add(slot(r_.by_jurisdiction, "by_jurisdiction", jid, cur), v,
          ja ? ja->verdict : Verdict::kNoLicenseRequired, jb ? jb->verdict : Verdict::kNoLicenseRequired,
          policy_changed(ja, jb));
    }
    const std::string& item = a.item_name.empty() ? b.item_name : a.item_name;
    add(slot(r_.by_item, "by_item", item.empty() ? o.item : item, cur), v, a.overall, b.overall,
        order_policy);
    add(slot(r_.by_destination, "by_destination", a.destination.empty() ? o.destination : a.destination, cur),
        v, a.overall, b.overall, order_policy);
    add(slot(r_.by_customer, "by_customer", o.customer.empty() ? "(none)" : o.customer, cur), v, a.overall,
        b.overall, order_policy);
    for (const auto& rc : oi.rules_changed)
      add(slot(r_.by_rule, "by_rule", rc, cur), v, a.overall, b.overall, order_policy);

    if (oi.change == Change::kBlocked || oi.change == Change::kUnblocked || oi.change == Change::kVerdict ||
        oi.change == Change::kPolicy) {
      ++r_.changes_total;
      if (r_.changes.size() < opt_.max_listed) r_.changes.push_back(oi);
    }
    if (sink_) sink_(oi);
  }

  std::string_view filename_;
  const ImpactPoint* points_;
  const ImpactOptions& opt_;
  const OrderSink& sink_;
  ImpactReport& r_;
  bool amounts_ = false;
  unsigned threads_ = 1;
  std::unordered_map<std::string, std::shared_ptr<const PointOutcome>> memo_[2];
  std::unordered_map<std::string, int> pending_keys_[2];
  std::vector<Job> jobs_;
  std::vector<std::shared_ptr<const PointOutcome>> results_;
};

}  // namespace

Result<ImpactReport> run_impact(std::istream& orders, std::string_view filename, const ImpactPoint& from,
                                const ImpactPoint& to, const ImpactOptions& options, const OrderSink& sink) {
  for (const ImpactPoint* p : {&from, &to}) {
    if (!p->engine) return Error::BadInput("impact: point '" + p->label + "' has no rule pack loaded");
    if (p->as_of == Date()) return Error::BadInput("impact: point '" + p->label + "' has no date");
  }
  ImpactOptions opt = options;
  if (opt.chunk_orders == 0) opt.chunk_orders = 1;
  if (opt.max_group_keys == 0) opt.max_group_keys = 1;

  ImpactReport report;
  report.orders_file = std::string(filename);
  report.from = {from.label, from.as_of, from.engine->rules().version()};
  report.to = {to.label, to.as_of, to.engine->rules().version()};
  for (const ImpactPoint* p : {&from, &to})
    for (const auto& j : p->engine->rules().jurisdictions())
      if (std::find(report.jurisdictions.begin(), report.jurisdictions.end(), j.id) ==
          report.jurisdictions.end())
        report.jurisdictions.push_back(j.id);
  if (opt.rates) report.base_currency = opt.rates->base;
  report.pack_diff = diff_rule_sets(from.engine->rules(), to.engine->rules());

  auto reader = OrderReader::open(orders, std::string(filename), opt.reader);
  if (!reader) return reader.error();

  const ImpactPoint points[2] = {from, to};
  Runner runner(filename, points, opt, sink, report);
  std::vector<Pending> chunk;
  chunk.reserve(opt.chunk_orders);
  RowError err;
  bool customers = false;
  for (;;) {
    Pending pd;
    auto st = (*reader)->next(pd.order, err);
    if (st == OrderReader::Status::kError) return Error::BadInput((*reader)->error());
    if (st == OrderReader::Status::kEnd) break;
    ++report.rows;
    customers = customers || !pd.order.customer.empty();
    if (st == OrderReader::Status::kBadRow) {
      pd.order.line = err.line;
      pd.order.id = err.id.empty() ? "line " + std::to_string(err.line) : err.id;
      pd.error = err.message;
    }
    chunk.push_back(std::move(pd));
    if (chunk.size() >= opt.chunk_orders) {
      runner.run_chunk(chunk);
      chunk.clear();
    }
  }
  if (!chunk.empty()) runner.run_chunk(chunk);
  if (opt.checker && customers) report.lists_note = opt.checker->lists_note();
  return report;
}

namespace {

void add_amount(Amount& into, const Amount& a) {
  into.orders += a.orders;
  into.value += a.value;
}

void add_tally(Tally& into, const Tally& t) {
  add_amount(into.total, t.total);
  for (size_t v = 0; v < kVerdictCount; ++v) {
    add_amount(into.from[v], t.from[v]);
    add_amount(into.to[v], t.to[v]);
  }
  add_amount(into.to_blocked, t.to_blocked);
  add_amount(into.to_shippable, t.to_shippable);
  add_amount(into.verdict_changed, t.verdict_changed);
  add_amount(into.policy_changed, t.policy_changed);
}

void add_by_currency(std::map<std::string, Tally>& into, const std::map<std::string, Tally>& part) {
  for (const auto& [cur, t] : part) add_tally(into[cur], t);
}

// As Runner::slot admits keys: a key new to `into` once it holds max_keys goes to "(other)", and
// its orders count as overflow.
void add_breakdown(Breakdown& into, const Breakdown& part, size_t max_keys, std::uint64_t& overflow) {
  for (const auto& [key, by_cur] : part) {
    auto it = into.find(key);
    if (it == into.end() && key != "(other)" && into.size() >= max_keys) {
      for (const auto& [cur, t] : by_cur) overflow += t.total.orders;
      it = into.try_emplace("(other)").first;
    } else if (it == into.end()) {
      it = into.try_emplace(key).first;
    }
    add_by_currency(it->second, by_cur);
  }
}

}  // namespace

void merge_impact(ImpactReport& into, ImpactReport&& part, const ImpactOptions& options) {
  const size_t max_keys = std::max<size_t>(options.max_group_keys, 1);
  into.rows += part.rows;
  into.orders += part.orders;
  into.errors += part.errors;
  for (auto& m : part.error_messages)
    if (into.error_messages.size() < options.max_errors) into.error_messages.push_back(std::move(m));
  add_by_currency(into.totals, part.totals);
  for (auto [mine, theirs, name] :
       {std::tuple{&into.by_jurisdiction, &part.by_jurisdiction, "by_jurisdiction"},
        {&into.by_item, &part.by_item, "by_item"},
        {&into.by_destination, &part.by_destination, "by_destination"},
        {&into.by_customer, &part.by_customer, "by_customer"},
        {&into.by_rule, &part.by_rule, "by_rule"}}) {
    std::uint64_t moved = 0;
    add_breakdown(*mine, *theirs, max_keys, moved);
    if (moved) into.overflow[name] += moved;
  }
  for (const auto& [name, n] : part.overflow) into.overflow[name] += n;
  for (auto& c : part.changes)
    if (into.changes.size() < options.max_listed) into.changes.push_back(std::move(c));
  into.changes_total += part.changes_total;
  into.memo_hits += part.memo_hits;
  into.memo_misses += part.memo_misses;
  if (into.lists_note.empty()) into.lists_note = std::move(part.lists_note);
}

}  // namespace clearance
