#include "clearance/decide/engine.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "clearance/common/files.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/common/yaml.hpp"

namespace clearance {

namespace {

constexpr size_t kCodes = 26 * 26;

int code_index(std::string_view cc) {
  if (cc.size() != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z') return -1;
  return (cc[0] - 'A') * 26 + (cc[1] - 'A');
}

bool is_item_param(Pred p) {
  switch (p) {
    case Pred::kEccn:
    case Pred::kContainsEccn:
    case Pred::kTpp:
    case Pred::kPd:
    case Pred::kMemoryBandwidth:
    case Pred::kInterconnect:
    case Pred::kDieArea:
    case Pred::kHbmDensity:
    case Pred::kDatacenter:
      return true;
    default:
      return false;
  }
}

bool is_group_pred(Pred p) {
  return p == Pred::kDestinationGroup || p == Pred::kFromGroup || p == Pred::kBuyerHqGroup;
}

ReviewPolicy stricter(ReviewPolicy a, ReviewPolicy b) {
  auto rank = [](ReviewPolicy p) { return p == ReviewPolicy::kFromParty ? 0 : static_cast<int>(p); };
  return rank(a) >= rank(b) ? a : b;
}

std::string conf_word(char c) { return std::string(1, c); }

}  // namespace

struct Engine::Impl {
  struct Run;  // one determination (below)
  std::shared_ptr<const RuleSet> rules;
  std::shared_ptr<const Catalogue> catalogue;
  std::shared_ptr<const CountryTable> countries;
  double min_score = 0.80;

  // Dates on which anything changes; epoch k covers [bounds[k-1], bounds[k]).
  std::vector<Date> bounds;
  // Per epoch, per jurisdiction: indices of the licensing rules in force, in pack order.
  std::vector<std::vector<std::vector<int>>> in_force;
  // Per epoch: group mask of every ISO code.
  std::vector<std::array<GroupMask, kCodes>> masks;
  // Classification epochs (classification rules only) and the catalogue classified in each.
  std::vector<Date> class_bounds;
  std::vector<std::vector<std::shared_ptr<const Classification>>> classified;
  std::vector<bool> rule_uses_item_params;  // per licensing rule
  std::vector<bool> jurisdiction_uses_groups;

  static Date epoch_start(const std::vector<Date>& b, size_t k) {
    return k == 0 ? Date::from_ymd(1900, 1, 1) : b[k - 1];
  }
  static size_t epoch_of(const std::vector<Date>& b, Date d) {
    return static_cast<size_t>(std::upper_bound(b.begin(), b.end(), d) - b.begin());
  }

  void precompute() {
    const auto& rs = *rules;
    bounds = rs.change_dates();
    const auto& juris = rs.jurisdictions();
    in_force.resize(bounds.size() + 1);
    masks.resize(bounds.size() + 1);
    std::set<std::string> codes;
    for (const auto& f : rs.groups().facts()) codes.insert(f.country);
    for (const auto& t : rs.groups().treated_as()) codes.insert(t.country);
    for (size_t k = 0; k <= bounds.size(); ++k) {
      Date d = epoch_start(bounds, k);
      in_force[k].resize(juris.size());
      for (size_t r = 0; r < rs.rules().size(); ++r) {
        const Rule& rule = rs.rules()[r];
        if (!rule.in_force(d)) continue;
        for (size_t j = 0; j < juris.size(); ++j)
          if (juris[j].id == rule.jurisdiction) in_force[k][j].push_back(static_cast<int>(r));
      }
      masks[k].fill(0);
      for (const auto& c : codes)
        if (int ci = code_index(c); ci >= 0) masks[k][static_cast<size_t>(ci)] = rs.groups().mask(c, d);
    }
    for (const auto& r : rs.classification()) {
      if (r.effective_from != Date::min()) class_bounds.push_back(r.effective_from);
      if (r.effective_to != Date::max()) class_bounds.push_back(r.effective_to.plus_days(1));
    }
    std::sort(class_bounds.begin(), class_bounds.end());
    class_bounds.erase(std::unique(class_bounds.begin(), class_bounds.end()), class_bounds.end());
    const auto& items = catalogue->items();
    classified.resize(class_bounds.size() + 1);
    for (size_t k = 0; k <= class_bounds.size(); ++k) {
      Date d = epoch_start(class_bounds, k);
      for (const auto& it : items) classified[k].push_back(classify_now(*it, d));
    }
    for (const auto& r : rs.rules()) {
      std::vector<Pred> preds;
      r.when.collect_predicates(preds);
      rule_uses_item_params.push_back(std::any_of(preds.begin(), preds.end(), is_item_param));
    }
    jurisdiction_uses_groups.assign(juris.size(), false);
    for (size_t j = 0; j < juris.size(); ++j)
      for (const auto& r : rs.rules()) {
        if (r.jurisdiction != juris[j].id) continue;
        std::vector<Pred> preds;
        r.when.collect_predicates(preds);
        if (std::any_of(preds.begin(), preds.end(), is_group_pred)) jurisdiction_uses_groups[j] = true;
      }
  }

  std::shared_ptr<const Classification> classify_now(const Item& item, Date d) const {
    const Item* contained = item.contains.empty() ? nullptr : catalogue->find_id(item.contains);
    return std::make_shared<const Classification>(clearance::classify(item, contained, d, *rules));
  }

  GroupMask mask(std::string_view cc, size_t epoch, Date d) const {
    int ci = code_index(cc);
    if (ci < 0) return 0;
    (void)d;
    return masks[epoch][static_cast<size_t>(ci)];
  }

  Result<std::string> country(std::string_view s, const char* field) const {
    std::string t(trim(s));
    if (t.empty()) return std::string();
    std::string up = to_upper_ascii(t);
    if (t.size() == 2 && countries->is_code(up)) return up;
    if (auto c = countries->resolve(t)) return *c;
    return Error::BadInput(std::string(field) + ": unknown country '" + t + "'");
  }
};

Engine::Engine() : impl_(std::make_unique<Impl>()) {}
Engine::~Engine() = default;

Result<std::shared_ptr<const Engine>> Engine::build(std::shared_ptr<const RuleSet> rules,
                                                    std::shared_ptr<const Catalogue> catalogue,
                                                    std::shared_ptr<const CountryTable> countries,
                                                    double min_party_score) {
  if (!rules || !catalogue) return Error::Internal("Engine::build: rules and catalogue are required");
  // Without the country table any two letters would pass as a destination: fail closed.
  if (!countries || countries->size() == 0)
    return Error::Internal("Engine::build: the country table is required (data/text/countries.tsv)");
  // Every item id a rule names must exist, so a typo cannot switch a rule off silently.
  for (const auto* v : {&rules->rules(), &rules->classification()})
    for (const auto& r : *v) {
      std::vector<const Condition*> stack{&r.when};
      while (!stack.empty()) {
        const Condition* c = stack.back();
        stack.pop_back();
        for (const auto& ch : c->children) stack.push_back(&ch);
        if (c->op != Condition::Op::kLeaf) continue;
        if (c->pred == Pred::kItem)
          for (const auto& id : c->values)
            if (!catalogue->find_id(id))
              return Error::BadInput(r.file + ":" + std::to_string(c->line) + ": " + r.id +
                                     ".when.item: no catalogue item '" + id + "'");
        if (c->pred == Pred::kItemKind)
          for (const auto& k : c->values)
            if (!rules->item_kinds().count(k))
              return Error::BadInput(r.file + ":" + std::to_string(c->line) + ": " + r.id +
                                     ".when.item_kind: unknown item kind '" + k + "'");
      }
    }
  std::shared_ptr<Engine> e(new Engine());
  e->impl_->rules = std::move(rules);
  e->impl_->catalogue = std::move(catalogue);
  e->impl_->countries = std::move(countries);
  e->impl_->min_score = min_party_score;
  e->impl_->precompute();
  return std::shared_ptr<const Engine>(std::move(e));
}

Result<std::shared_ptr<const Engine>> Engine::load(const EngineOptions& o) {
  auto rules = RuleSet::load_dir(o.rules_dir, *o.env);
  if (!rules) return rules.error();
  auto cat = Catalogue::load_dir(o.items_dir, **rules, *o.env);
  if (!cat) return cat.error();
  if (o.countries_path.empty())
    return Error::BadInput(
        "engine: no country table given (data/text/countries.tsv): refusing to check "
        "countries without it");
  auto c = CountryTable::load(o.countries_path, *o.env);
  if (!c) return c.error();
  auto countries = std::make_shared<const CountryTable>(std::move(*c));
  return build(std::move(*rules), std::move(*cat), std::move(countries), o.min_party_score);
}

Result<std::shared_ptr<const Engine>> Engine::load(const std::string& data_dir) {
  EngineOptions o;
  o.rules_dir = data_dir + "/rules";
  o.items_dir = data_dir + "/items";
  o.countries_path = data_dir + "/text/countries.tsv";  // required: a missing table is an error
  return load(o);
}

const RuleSet& Engine::rules() const { return *impl_->rules; }
const Catalogue& Engine::catalogue() const { return *impl_->catalogue; }

Result<ItemMatch> Engine::resolve_item(std::string_view query) const {
  return impl_->catalogue->resolve(query);
}

Result<Item> Engine::parse_spec(std::string_view text, std::string_view filename) const {
  return Catalogue::parse_spec(text, filename, *impl_->rules);
}

Result<std::string> Engine::resolve_country(std::string_view s) const {
  auto r = impl_->country(s, "country");
  if (r.ok() && r->empty()) return Error::BadInput("country: empty");
  return r;
}

std::shared_ptr<const Classification> Engine::classify(const Item& item, Date as_of) const {
  return impl_->classify_now(item, as_of);
}

Result<std::shared_ptr<const Classification>> Engine::classify(std::string_view query, Date as_of) const {
  auto m = impl_->catalogue->resolve(query);
  if (!m) return m.error();
  return impl_->classify_now(*m->item, as_of);
}

namespace {

struct Fired {
  int rule;
  int item;
  std::vector<int> hits;
};

// The transaction's inputs after validation: ISO codes and vocabulary words.
struct CheckedInputs {
  std::string destination, from, origin, buyer_hq;
  std::vector<std::string> end_uses;
};

}  // namespace

// One determination, phase by phase. Each phase reads what the previous ones left in the state;
// determine() runs them in order. The state lives for one call only.
struct Engine::Impl::Run {
  const Impl& im;
  const RuleSet& rs;
  const Transaction& tx;
  Determination d;
  size_t epoch = 0, class_epoch = 0;
  std::string exporter_key;  // normalize_name(tx.exporter)
  TransactionFacts base;
  std::vector<ItemFacts> ifacts;
  std::vector<TransactionFacts> tfacts;

  Run(const Impl& impl, const Transaction& t) : im(impl), rs(*impl.rules), tx(t) {}

  // Phase 1: the date, items, countries and end uses given are usable.
  Result<CheckedInputs> check_inputs() const {
    if (tx.as_of == Date()) return Error::BadInput("as_of: a date is required (YYYY-MM-DD)");
    if (tx.items.empty()) return Error::BadInput("items: at least one item is required");
    CheckedInputs in;
    auto dest = im.country(tx.destination, "destination");
    if (!dest) return dest.error();
    if (dest->empty()) return Error::BadInput("destination: required");
    in.destination = std::move(*dest);
    auto from = im.country(tx.from, "from");
    if (!from) return from.error();
    in.from = std::move(*from);
    auto origin = im.country(tx.origin, "origin");
    if (!origin) return origin.error();
    in.origin = std::move(*origin);
    auto hq = im.country(tx.buyer_hq, "buyer_hq");
    if (!hq) return hq.error();
    in.buyer_hq = std::move(*hq);
    for (const auto& e : tx.end_uses) {
      std::string w = to_lower_ascii(trim(e));
      for (auto& c : w)
        if (c == ' ' || c == '-') c = '_';
      if (w.empty()) continue;
      if (!rs.is_end_use(w)) {
        std::vector<std::string> words;
        for (const auto& [k, _] : rs.end_uses()) words.push_back(k);
        return Error::BadInput("end_use: unknown end use '" + e + "'" + detail::did_you_mean(w, words) +
                               " (known: see data/rules/vocabulary.yaml)");
      }
      in.end_uses.push_back(std::move(w));
    }
    return in;
  }

  // Phase 2: every party's list hits, screened now or given, that count on the date.
  Status screen_parties(const PartyChecker* checker) {
    for (const auto& p : tx.parties) {
      PartyResult pr;
      pr.name = p.name;
      pr.role = p.role;
      auto pc = im.country(p.country, "party country");
      if (!pc) return pc.error();
      pr.country = *pc;
      std::vector<PartyFinding> found =
          p.screened || !checker ? p.findings : checker->check(p.name, pr.country);
      for (auto& f : found) {
        if (f.score < im.min_score) continue;
        if (auto listed = Date::parse(f.listed_on); listed && *listed > tx.as_of)
          continue;  // not yet listed then
        pr.hits.push_back(std::move(f));
      }
      d.parties.push_back(std::move(pr));
    }
    return Status::Ok();
  }

  // Phase 3: the facts of the transaction that every item shares.
  void transaction_facts(const CheckedInputs& in) {
    base.as_of = tx.as_of;
    base.destination = d.destination;
    base.destination_groups = im.mask(d.destination, epoch, tx.as_of);
    base.buyer_hq = in.buyer_hq;
    base.buyer_hq_groups = im.mask(in.buyer_hq, epoch, tx.as_of);
    base.exporter_key = exporter_key;
    for (const auto& e : in.end_uses) base.end_uses.push_back(e);
    for (size_t pi = 0; pi < d.parties.size(); ++pi)
      for (size_t fi = 0; fi < d.parties[pi].hits.size(); ++fi) {
        const auto& h = d.parties[pi].hits[fi];
        base.list_hits.push_back({h.list, &h.programs, static_cast<int>(pi), static_cast<int>(fi)});
      }
  }

  // Phase 4: each item resolved, classified on the date, and its facts with the route.
  Status resolve_items(const CheckedInputs& in) {
    for (const auto& line : tx.items) {
      ItemResult ir;
      ir.query = line.spec ? line.spec->name : line.item;
      if (line.spec) {
        ir.item = line.spec;
        ir.matched_by = "spec";
      } else {
        auto m = im.catalogue->resolve(line.item);
        if (!m) return m.error();
        ir.item = m->item;
        ir.matched_by = m->matched_by;
      }
      int idx = im.catalogue->index_of(ir.item->id);
      if (idx >= 0 && im.catalogue->items()[static_cast<size_t>(idx)] == ir.item)
        ir.classification = im.classified[class_epoch][static_cast<size_t>(idx)];
      else
        ir.classification = im.classify_now(*ir.item, tx.as_of);
      ir.origin = !in.origin.empty() ? in.origin : ir.item->origin;
      ir.from = !in.from.empty() ? in.from : ir.origin;
      d.items.push_back(std::move(ir));
    }
    for (const auto& ir : d.items) {
      ItemFacts f = item_facts(*ir.item, *ir.classification);
      size_t k = &ir - d.items.data();
      f.quantity = tx.items[k].quantity;
      f.value = tx.items[k].value;
      f.subject_to_ear = ir.item->subject_to_ear || ir.from == "US" || ir.origin == "US";
      ifacts.push_back(f);
      TransactionFacts t = base;
      t.from = ir.from;
      t.origin = ir.origin;
      t.from_groups = im.mask(ir.from, epoch, tx.as_of);
      tfacts.push_back(std::move(t));
    }
    return Status::Ok();
  }

  // Phase 5: one jurisdiction's verdict (JurisdictionEval, below).
  struct JurisdictionEval;
  JurisdictionResult jurisdiction(size_t j) const;
};

struct Engine::Impl::Run::JurisdictionEval {
  const Run& run;
  size_t j;
  JurisdictionResult jr;
  std::map<int, int> suspended_by;      // rule -> suspension rule
  std::vector<Fired> live, would_fire;  // would_fire: suspended rules whose condition holds

  const RuleSet& rs() const { return run.rs; }
  const Rule& rule(int r) const { return rs().rules()[static_cast<size_t>(r)]; }
  const std::vector<int>& in_force() const { return run.im.in_force[run.epoch][j]; }
  static bool contains(const std::vector<int>& v, int x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  }

  void add_uncertain(std::string subject, char conf, std::string fact) {
    for (const auto& u : jr.uncertain)
      if (u.subject == subject && u.fact == fact) return;
    jr.uncertain.push_back({std::move(subject), conf, std::move(fact)});
  }

  // Suspension rules in force whose condition holds for some item set their rules aside.
  void find_suspensions() {
    for (int r : in_force()) {
      const Rule& s = rule(r);
      if (s.outcome != Outcome::kSuspension) continue;
      bool on = false;
      for (size_t i = 0; i < run.ifacts.size() && !on; ++i)
        on = evaluate(s.when, run.ifacts[i], run.tfacts[i], nullptr) == Tri::kTrue;
      if (on)
        for (int t : s.suspends_idx) suspended_by.emplace(t, r);
    }
  }

  // Every other rule in force, for every item: fired, would fire (suspended), or unknown.
  void evaluate_rules() {
    for (size_t i = 0; i < run.ifacts.size(); ++i) {
      for (int r : in_force()) {
        const Rule& ru = rule(r);
        if (ru.outcome == Outcome::kSuspension) continue;
        EvalTrace tr;
        Tri t = evaluate(ru.when, run.ifacts[i], run.tfacts[i], &tr);
        if (t == Tri::kTrue) {
          (suspended_by.count(r) ? would_fire : live)
              .push_back({r, static_cast<int>(i), std::move(tr.matched_hits)});
        } else if (t == Tri::kUnknown && !suspended_by.count(r) &&
                   (ru.outcome == Outcome::kLicenseRequired || ru.outcome == Outcome::kProhibited)) {
          std::string missing;
          for (Pred p : tr.missing) {
            std::string n(predicate_info(p).name);
            if (missing.find(n) == std::string::npos) missing += (missing.empty() ? "" : ", ") + n;
          }
          add_uncertain(ru.id, 'U',
                        "could not be evaluated for " + run.d.items[i].item->name + ": " + missing +
                            " unknown; it may apply (" + ru.title + ")");
        }
      }
    }
  }

  // A rule that overrides another (same outcome) removes it for the same item.
  void apply_overrides() {
    std::vector<bool> dropped(live.size(), false);
    for (const auto& f : live)
      for (int o : rule(f.rule).overrides_idx)
        for (size_t k = 0; k < live.size(); ++k)
          if (live[k].rule == o && live[k].item == f.item) dropped[k] = true;
    std::vector<Fired> kept;
    for (size_t k = 0; k < live.size(); ++k)
      if (!dropped[k]) kept.push_back(std::move(live[k]));
    live = std::move(kept);
  }

  // The list entry that triggered a party rule; with several, the most restrictive policy.
  void attach_party(const Fired& f, const Rule& ru, FiredRule& fr) {
    const Determination& d = run.d;
    ReviewPolicy best = ReviewPolicy::kNone;
    const ListHitFact* chosen = nullptr;
    for (int h : f.hits) {
      const auto& hit = run.base.list_hits[static_cast<size_t>(h)];
      const auto& finding = d.parties[static_cast<size_t>(hit.party)].hits[static_cast<size_t>(hit.finding)];
      ReviewPolicy p = review_policy_from_text(finding.license_policy);
      if (!chosen || (p != best && stricter(p, best) == p)) {
        chosen = &hit;
        best = p;
      }
    }
    const auto& finding =
        d.parties[static_cast<size_t>(chosen->party)].hits[static_cast<size_t>(chosen->finding)];
    fr.party = d.parties[static_cast<size_t>(chosen->party)].name;
    fr.list = finding.list;
    fr.entry_name = finding.name;
    fr.entry_citation = finding.citation;
    fr.entry_requirement = finding.license_requirement;
    fr.entry_policy = finding.license_policy;
    fr.score = finding.score;
    if (ru.review_policy == ReviewPolicy::kFromParty) fr.policy = best;
    if (finding.score < 1.0)
      add_uncertain("party:" + fr.party, 'S',
                    "possible match (score " + std::to_string(finding.score).substr(0, 4) + ") to '" +
                        finding.name + "' on " + finding.list + ": confirm the identity before relying on " +
                        ru.id);
  }

  // Requirements get their review policy (own, from the list entry, from review_policy rules)
  // and the exception that overcomes them; then the verdict.
  void decide() {
    std::set<size_t> used;  // indices of policy / exception rules that apply to a requirement
    bool prohibited = false, required = false, excepted = false;
    ReviewPolicy policy_required = ReviewPolicy::kNone, policy_excepted = ReviewPolicy::kNone;
    std::vector<std::pair<size_t, FiredRule>> report;  // (live index, entry)
    for (size_t k = 0; k < live.size(); ++k) {
      const Fired& f = live[k];
      const Rule& ru = rule(f.rule);
      FiredRule fr;
      fr.rule = &ru;
      fr.item = run.d.items[static_cast<size_t>(f.item)].item->id;
      if (!f.hits.empty()) attach_party(f, ru, fr);
      if (ru.outcome == Outcome::kLicenseRequired) {
        if (ru.review_policy != ReviewPolicy::kFromParty && ru.review_policy != ReviewPolicy::kNone)
          fr.policy = ru.review_policy;
        for (size_t p = 0; p < live.size(); ++p) {
          const Rule& pr = rule(live[p].rule);
          if (live[p].item != f.item) continue;
          if (pr.outcome == Outcome::kReviewPolicy && contains(pr.applies_to_idx, f.rule)) {
            fr.policy =
                fr.policy == ReviewPolicy::kNone ? pr.review_policy : stricter(fr.policy, pr.review_policy);
            fr.policy_from.push_back(pr.id);
            used.insert(p);
          }
          if (pr.outcome == Outcome::kLicenseException && contains(pr.overcomes_idx, f.rule) &&
              fr.overcome_by.empty()) {
            fr.overcome_by = pr.id;
            used.insert(p);
          }
        }
        if (fr.overcome_by.empty()) {
          required = true;
          policy_required = stricter(policy_required, fr.policy);
        } else {
          excepted = true;
          policy_excepted = stricter(policy_excepted, fr.policy);
        }
      }
      if (ru.outcome == Outcome::kProhibited) prohibited = true;
      report.emplace_back(k, std::move(fr));
    }
    for (auto& [k, fr] : report) {
      Outcome o = rule(live[k].rule).outcome;
      // Policies and exceptions are reported only when they apply to a requirement that fired.
      if ((o == Outcome::kReviewPolicy || o == Outcome::kLicenseException) && !used.count(k)) continue;
      if (o == Outcome::kLicenseException) jr.exceptions.push_back(fr);
      jr.rules.push_back(std::move(fr));
    }
    jr.verdict = prohibited ? Verdict::kProhibited
                 : required ? Verdict::kLicenseRequired
                 : excepted ? Verdict::kLicenseException
                            : Verdict::kNoLicenseRequired;
    if (jr.verdict == Verdict::kLicenseRequired) jr.review_policy = policy_required;
    if (jr.verdict == Verdict::kLicenseException) jr.review_policy = policy_excepted;
    if (jr.review_policy == ReviewPolicy::kFromParty) jr.review_policy = ReviewPolicy::kNone;
  }

  // Suspended rules that would have mattered: requirements and prohibitions whose condition
  // holds, and policies that would apply to a requirement that fired.
  void report_suspended() {
    for (const auto& w : would_fire) {
      const Rule& ru = rule(w.rule);
      bool matters = ru.outcome == Outcome::kLicenseRequired || ru.outcome == Outcome::kProhibited;
      if (ru.outcome == Outcome::kReviewPolicy || ru.outcome == Outcome::kLicenseException) {
        const auto& refs = ru.outcome == Outcome::kReviewPolicy ? ru.applies_to_idx : ru.overcomes_idx;
        for (const auto& f : live)
          if (f.item == w.item && contains(refs, f.rule)) matters = true;
      }
      if (!matters) continue;
      const Rule* by = &rule(suspended_by.at(w.rule));
      jr.suspended.push_back({&ru, by, run.d.items[static_cast<size_t>(w.item)].item->id});
      if (by->confidence != 'V')
        add_uncertain(by->id, by->confidence, by->note.empty() ? by->title : by->note);
    }
  }

  // The [S]/[U] facts the answer relied on: rules, item specifications and classification
  // rules (when a parameter-based rule fired), country-group memberships.
  void report_uncertain() {
    const Determination& d = run.d;
    const Date as_of = run.tx.as_of;
    bool item_params_used = false;
    for (const auto& fr : jr.rules) {
      if (fr.rule->confidence != 'V')
        add_uncertain(fr.rule->id, fr.rule->confidence,
                      fr.rule->note.empty() ? fr.rule->title : fr.rule->note);
      size_t ri = static_cast<size_t>(fr.rule - rs().rules().data());
      if (run.im.rule_uses_item_params[ri]) item_params_used = true;
    }
    if (item_params_used || jr.verdict == Verdict::kNoLicenseRequired)
      for (const auto& ir : d.items) {
        const Item& it = *ir.item;
        if (ir.classification->status == "unknown")
          add_uncertain("item:" + it.id, 'U', "classification unknown: " + ir.classification->label);
        bool judged_by_params = it.kind == "chip" || it.kind == "system" || it.kind == "hbm";
        if (judged_by_params && it.confidence != 'V' && item_params_used) {
          std::string fact = "specifications of " + it.name + " are [" + conf_word(it.confidence) + "]";
          if (!it.chip.die_area_note.empty()) fact += "; die area: " + it.chip.die_area_note;
          if (!it.source.empty()) fact += "; source: " + it.source;
          add_uncertain("item:" + it.id, it.confidence, fact);
        }
        if (ir.classification->decided_by && ir.classification->decided_by->confidence != 'V' &&
            item_params_used && judged_by_params)
          add_uncertain(ir.classification->decided_by->id, ir.classification->decided_by->confidence,
                        "classification rule: " + ir.classification->decided_by->title);
      }
    if (!run.im.jurisdiction_uses_groups[j]) return;
    for (std::string_view cc : {std::string_view(d.destination), run.base.buyer_hq}) {
      if (cc.empty()) continue;
      for (const auto* f : rs().groups().uncertain_facts(cc, as_of)) {
        std::string what = f->country + (f->removed <= as_of ? " left " : " is in ") + f->group;
        if (f->dated && f->added != Date::min() && f->added <= as_of) what += " from " + f->added.to_string();
        if (f->dated && f->removed <= as_of) what += " on " + f->removed.to_string();
        add_uncertain("country-group:" + f->group + ":" + f->country, f->confidence,
                      what + " (" + f->citation + ")");
      }
      for (const auto& t : rs().groups().treated_as())
        if (t.country == cc && t.from <= as_of && as_of <= t.to && t.confidence != 'V')
          add_uncertain("country:" + t.country, t.confidence,
                        t.country + " treated as " + t.as + " (" + t.citation + ")");
    }
  }
};

JurisdictionResult Engine::Impl::Run::jurisdiction(size_t j) const {
  JurisdictionEval ev{*this, j, {}, {}, {}, {}};
  ev.jr.jurisdiction = rs.jurisdictions()[j].id;
  ev.find_suspensions();
  ev.evaluate_rules();
  ev.apply_overrides();
  ev.decide();
  ev.report_suspended();
  ev.report_uncertain();
  return std::move(ev.jr);
}

Result<Determination> Engine::determine(const Transaction& tx, const PartyChecker* checker) const {
  Impl::Run run(*impl_, tx);
  auto in = run.check_inputs();
  if (!in) return in.error();
  Determination& d = run.d;
  d.id = tx.id;
  d.as_of = tx.as_of;
  d.destination = in->destination;
  d.rules_version = run.rs.version();
  run.epoch = Impl::epoch_of(impl_->bounds, tx.as_of);
  run.class_epoch = Impl::epoch_of(impl_->class_bounds, tx.as_of);
  run.exporter_key = normalize_name(tx.exporter);
  if (auto st = run.screen_parties(checker); !st) return st.error();
  run.transaction_facts(*in);
  if (auto st = run.resolve_items(*in); !st) return st.error();
  for (size_t j = 0; j < run.rs.jurisdictions().size(); ++j) d.jurisdictions.push_back(run.jurisdiction(j));
  d.overall = Verdict::kNoLicenseRequired;
  for (const auto& jr : d.jurisdictions) d.overall = std::max(d.overall, jr.verdict);
  return std::move(d);
}

}  // namespace clearance
