#include "clearance/decide/engine.hpp"

#include <algorithm>
#include <array>
#include <bitset>
#include <map>
#include <set>
#include <unordered_map>

#include "clearance/common/files.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/common/yaml.hpp"

namespace clearance {

namespace {

// The leaves of a condition tree (the tests it makes), in no particular order.
std::vector<const Condition*> leaves_of(const Condition& root) {
  std::vector<const Condition*> leaves, stack{&root};
  while (!stack.empty()) {
    const Condition* c = stack.back();
    stack.pop_back();
    for (const auto& ch : c->children) stack.push_back(&ch);
    if (c->op == Condition::Op::kLeaf) leaves.push_back(c);
  }
  return leaves;
}

constexpr size_t kCodes = 26 * 26;

// An error about one input of the transaction: the message "field: what", and the field kept in
// Error::field so callers (impact's order rows, the HTTP API) name it without reading the text.
Error input_error(std::string field, const std::string& what) {
  Error e = Error::BadInput(field + ": " + what);
  e.field = std::move(field);
  return e;
}

int code_index(std::string_view cc) {
  if (cc.size() != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z') return -1;
  return (cc[0] - 'A') * 26 + (cc[1] - 'A');
}

bool is_item_param(Pred p) { return p == Pred::kEccn || p == Pred::kContainsEccn || is_chip_param(p); }

// A test of the catalogue item alone: the same answer for every transaction of the item in one
// classification epoch.
bool is_item_only(const Condition& c) {
  if (c.op == Condition::Op::kLeaf) return is_item_fact(c.pred);
  if (c.children.empty()) return false;
  for (const auto& ch : c.children)
    if (!is_item_only(ch)) return false;
  return true;
}

// The parts of a condition as evaluate_why() tests them in order: nested `all`s looked through.
void flatten_all(const Condition& c, std::vector<const Condition*>& out) {
  if (c.op != Condition::Op::kAll) {
    out.push_back(&c);
    return;
  }
  for (const auto& ch : c.children) flatten_all(ch, out);
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
  // Per epoch, per jurisdiction: indices of the licensing rules that decide answers (in force,
  // compliance required), in pack order; rules in force whose compliance date is later
  // (pending); and the requirements and prohibitions not yet in force (for "considered").
  std::vector<std::vector<std::vector<int>>> in_force, pending, not_yet_in_force, suspensions;
  // Per epoch: group mask of every ISO code.
  std::vector<std::array<GroupMask, kCodes>> masks;
  // Classification epochs (classification rules only) and the catalogue classified in each.
  std::vector<Date> class_bounds;
  std::vector<std::vector<std::shared_ptr<const Classification>>> classified;
  std::vector<bool> rule_uses_item_params;  // per licensing rule
  std::vector<GroupMask> rule_groups;       // per licensing rule: the country groups its condition names
  // Per licensing rule: the parts of its condition that test the destination alone (top-level
  // conjuncts over destination and destination_group), and per epoch and rule the destinations
  // for which they can hold. A rule whose destination parts fail is not evaluated item by item
  // (its reason is the first of those parts): most rules name a few destinations.
  std::vector<std::vector<const Condition*>> dest_parts;
  // Stored by destination: [epoch][code * rule_words + r / 64], bit r % 64 (one destination's
  // rules share a cache line).
  size_t rule_words = 0;
  std::vector<std::vector<std::uint64_t>> dest_ok;
  // Per epoch and ISO code: the [S]/[U] group memberships an answer for that destination relies
  // on, each with its group's bit.
  struct GroupFact {
    const MembershipFact* fact;
    GroupMask bit;
  };
  std::vector<std::vector<std::vector<GroupFact>>> uncertain_groups;  // [epoch][code]
  std::bitset<kCodes> known_codes;  // the country table's codes, by code_index()
  // Per licensing rule: its condition's parts in evaluation order (flatten_all), and for each
  // whether it is decided before the rule is evaluated (kSettled: the pack scope and the
  // destination parts, tested first), a test of the catalogue item alone (kItemOnly), or other.
  enum class PartKind : std::uint8_t { kOther, kSettled, kItemOnly };
  std::vector<std::vector<const Condition*>> parts;
  std::vector<std::vector<PartKind>> part_kinds;
  // [class epoch][catalogue item * rules + rule]: the first item-only part of the rule that is
  // false for that item, or -1. A rule with such a part cannot apply to the item whatever the
  // transaction: it is not evaluated (only the parts before it, for the reason).
  std::vector<std::vector<std::int16_t>> item_fails;
  // Catalogue::resolve() of every id, name, synonym and code the catalogue writes, by the query
  // trimmed: the answers resolve() gives, without folding the query each time.
  std::unordered_map<std::string, ItemMatch> resolved;

  Result<ItemMatch> resolve(std::string_view query) const {
    if (auto it = resolved.find(std::string(trim(query))); it != resolved.end()) return it->second;
    return catalogue->resolve(query);
  }

  void precompute_items() {
    const auto& rs = *rules;
    const size_t n = rs.rules().size();
    parts.resize(n);
    part_kinds.resize(n);
    for (size_t r = 0; r < n; ++r) {
      const Rule& rule = rs.rules()[r];
      std::vector<const Condition*> settled;
      if (rule.scope >= 0) flatten_all(rule.when.children[0], settled);
      settled.insert(settled.end(), dest_parts[r].begin(), dest_parts[r].end());
      flatten_all(rule.when, parts[r]);
      for (const Condition* c : parts[r])
        part_kinds[r].push_back(std::find(settled.begin(), settled.end(), c) != settled.end()
                                    ? PartKind::kSettled
                                : is_item_only(*c) ? PartKind::kItemOnly
                                                   : PartKind::kOther);
    }
    const auto& items = catalogue->items();
    item_fails.resize(classified.size());
    TransactionFacts none;
    for (size_t k = 0; k < classified.size(); ++k) {
      item_fails[k].assign(items.size() * n, -1);
      for (size_t i = 0; i < items.size(); ++i) {
        ItemFacts f = item_facts(*items[i], *classified[k][i]);
        for (size_t r = 0; r < n; ++r)
          for (size_t u = 0; u < parts[r].size() && u < 32767; ++u)
            if (part_kinds[r][u] == PartKind::kItemOnly &&
                evaluate(*parts[r][u], f, none, nullptr) == Tri::kFalse) {
              item_fails[k][i * n + r] = static_cast<std::int16_t>(u);
              break;
            }
      }
    }
  }

  void precompute_lookups() {
    for (size_t ci = 0; ci < kCodes; ++ci) {
      const char cc[2] = {static_cast<char>('A' + ci / 26), static_cast<char>('A' + ci % 26)};
      known_codes.set(ci, countries->is_code(std::string_view(cc, 2)));
    }
    auto add = [&](const std::string& q) {
      std::string key(trim(q));
      if (key.empty() || resolved.count(key)) return;
      auto m = catalogue->resolve(key);
      if (m && catalogue->index_of(m->item->id) >= 0) resolved.emplace(std::move(key), std::move(*m));
    };
    for (const auto& it : catalogue->items()) {
      add(it->id);
      add(it->name);
      if (!it->vendor.empty()) add(it->vendor + " " + it->name);
      for (const auto& x : it->synonyms) add(x);
      for (const auto& x : it->names_zh) add(x);
      for (const auto& x : it->hs_codes) add(x);
      add(it->cn_control_code);
      add(it->cn_catalogue_no);
    }
  }
  std::vector<std::uint64_t> rule_end_uses;  // per licensing rule: bit i = it names end-use word i
  std::vector<std::string> end_use_words;    // the vocabulary's end-use words, in order
  std::vector<bool> jurisdiction_uses_groups;
  int scopes = 0;  // number of pack scopes (Rule::scope values)

  static Date epoch_start(const std::vector<Date>& b, size_t k) {
    return k == 0 ? Date::from_ymd(1900, 1, 1) : b[k - 1];
  }
  static size_t epoch_of(const std::vector<Date>& b, Date d) {
    return static_cast<size_t>(std::upper_bound(b.begin(), b.end(), d) - b.begin());
  }

  // Collects the destination-only conjuncts of a condition, looking through nested `all`s.
  static void collect_dest_parts(const Condition& c, std::vector<const Condition*>& out) {
    auto dest_only = [](const Condition& x, auto&& self) -> bool {
      if (x.op == Condition::Op::kLeaf)
        return x.pred == Pred::kDestination || x.pred == Pred::kDestinationGroup;
      if (x.children.empty()) return false;
      for (const auto& ch : x.children)
        if (!self(ch, self)) return false;
      return true;
    };
    if (c.op == Condition::Op::kAll) {
      for (const auto& ch : c.children) collect_dest_parts(ch, out);
      return;
    }
    if (dest_only(c, dest_only)) out.push_back(&c);
  }

  void precompute_destinations() {
    const auto& rs = *rules;
    // Codes that behave differently: those in some group, and those a rule names; every other
    // code behaves as "ZZ" does.
    std::set<std::string> codes{"ZZ"};
    for (const auto& f : rs.groups().facts()) codes.insert(f.country);
    for (const auto& t : rs.groups().treated_as()) codes.insert(t.country);
    dest_parts.resize(rs.rules().size());
    for (size_t r = 0; r < rs.rules().size(); ++r) {
      collect_dest_parts(rs.rules()[r].when, dest_parts[r]);
      for (const Condition* c : dest_parts[r]) {
        for (const Condition* x : leaves_of(*c))
          if (x->pred == Pred::kDestination) codes.insert(x->values.begin(), x->values.end());
      }
    }
    ItemFacts item;
    rule_words = (rs.rules().size() + 63) / 64;
    dest_ok.resize(bounds.size() + 1);
    for (size_t k = 0; k <= bounds.size(); ++k) {
      dest_ok[k].assign(kCodes * rule_words, 0);
      for (size_t r = 0; r < rs.rules().size(); ++r) {
        auto holds = [&](const std::string& cc) {
          TransactionFacts tx;
          tx.destination = cc;
          int ci = code_index(cc);
          tx.destination_groups = ci < 0 ? 0 : masks[k][static_cast<size_t>(ci)];
          for (const Condition* c : dest_parts[r])
            if (evaluate(*c, item, tx, nullptr) == Tri::kFalse) return false;
          return true;
        };
        std::bitset<kCodes> bits;
        if (holds("ZZ")) bits.set();
        for (const auto& cc : codes)
          if (int ci = code_index(cc); ci >= 0) bits.set(static_cast<size_t>(ci), holds(cc));
        for (size_t ci = 0; ci < kCodes; ++ci)
          if (bits.test(ci)) dest_ok[k][ci * rule_words + r / 64] |= std::uint64_t{1} << (r % 64);
      }
    }
  }

  std::uint64_t end_use_bit(std::string_view word) const {
    for (size_t i = 0; i < end_use_words.size() && i < 64; ++i)
      if (end_use_words[i] == word) return std::uint64_t{1} << i;
    return 0;
  }

  void precompute() {
    const auto& rs = *rules;
    for (const auto& [w, _] : rs.end_uses()) end_use_words.push_back(w);
    for (const auto& r : rs.rules()) scopes = std::max(scopes, r.scope + 1);
    bounds = rs.change_dates();
    // Hong Kong as China from its date: an epoch boundary too (masks and marks change).
    for (const auto& t : rs.groups().treated_as()) {
      if (t.from != Date::min()) bounds.push_back(t.from);
      if (t.to != Date::max()) bounds.push_back(t.to.plus_days(1));
    }
    std::sort(bounds.begin(), bounds.end());
    bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
    const auto& juris = rs.jurisdictions();
    in_force.resize(bounds.size() + 1);
    masks.resize(bounds.size() + 1);
    std::set<std::string> codes;
    for (const auto& f : rs.groups().facts()) codes.insert(f.country);
    for (const auto& t : rs.groups().treated_as()) codes.insert(t.country);
    pending.resize(bounds.size() + 1);
    not_yet_in_force.resize(bounds.size() + 1);
    suspensions.resize(bounds.size() + 1);
    for (size_t k = 0; k <= bounds.size(); ++k) {
      Date d = epoch_start(bounds, k);
      in_force[k].resize(juris.size());
      pending[k].resize(juris.size());
      not_yet_in_force[k].resize(juris.size());
      suspensions[k].resize(juris.size());
      for (size_t r = 0; r < rs.rules().size(); ++r) {
        const Rule& rule = rs.rules()[r];
        size_t j = 0;
        while (j < juris.size() && juris[j].id != rule.jurisdiction) ++j;
        if (j == juris.size()) continue;
        if (rule.applies_on(d) && rule.outcome == Outcome::kSuspension)
          suspensions[k][j].push_back(static_cast<int>(r));
        if (rule.applies_on(d))
          in_force[k][j].push_back(static_cast<int>(r));
        else if (rule.in_force(d))
          pending[k][j].push_back(static_cast<int>(r));
        else if (d < rule.effective_from &&
                 (rule.outcome == Outcome::kLicenseRequired || rule.outcome == Outcome::kProhibited))
          not_yet_in_force[k][j].push_back(static_cast<int>(r));
      }
      masks[k].fill(0);
      uncertain_groups.emplace_back(kCodes);
      for (const auto& c : codes)
        if (int ci = code_index(c); ci >= 0) {
          masks[k][static_cast<size_t>(ci)] = rs.groups().mask(c, d);
          for (const MembershipFact* f : rs.groups().uncertain_facts(c, d)) {
            int gi = rs.groups().index_of(f->group);
            uncertain_groups[k][static_cast<size_t>(ci)].push_back(
                {f, gi < 0 ? GroupMask{0} : GroupMask{1} << gi});
          }
        }
    }
    precompute_destinations();
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
      GroupMask g = 0;
      std::uint64_t words = 0;
      for (const Condition* c : leaves_of(r.when)) {
        if (is_group_pred(c->pred)) g |= c->groups;
        if (c->pred == Pred::kEndUse)
          for (const auto& v : c->values) words |= end_use_bit(v);
      }
      rule_groups.push_back(g);
      rule_end_uses.push_back(words);
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
    if (int ci = code_index(s); ci >= 0 && known_codes.test(static_cast<size_t>(ci))) return std::string(s);
    std::string t(trim(s));
    if (t.empty()) return std::string();
    std::string up = to_upper_ascii(t);
    if (t.size() == 2 && countries->is_code(up)) return up;
    if (auto c = countries->resolve(t)) return *c;
    return input_error(field, "unknown country '" + t + "'");
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
      for (const Condition* c : leaves_of(r.when)) {
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
  e->impl_->precompute_lookups();
  e->impl_->precompute_items();
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
  if (r.ok() && r->empty()) return input_error("country", "empty");
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

// The calling thread's buffer number `Slot` of T, emptied: it keeps its capacity from one
// determination to the next, so the working lists of a determination are not allocated each
// time. A determination uses each buffer for one purpose at a time (determinations do not nest).
template <class T, int Slot = 0>
std::vector<T>& thread_buffer() {
  static thread_local std::vector<T> buffer;
  buffer.clear();
  return buffer;
}

struct Fired {
  int rule;
  int item;
  std::vector<int> hits;
};

// A requirement or prohibition that could not be evaluated: the unknown facts that stopped it.
static_assert(static_cast<int>(Pred::kNeedsCheck) < 64, "UnknownRule::preds is a 64-bit mask");

struct UnknownRule {
  int rule;
  int item;
  std::uint64_t preds;     // bit p: predicate p was unknown
  const Condition* check;  // the needs_check leaf that was unknown, if any
};

// The transaction's inputs after validation: ISO codes and vocabulary words.
struct CheckedInputs {
  std::string destination, from, origin, buyer_hq, region;
  std::vector<std::string> end_uses;
};

bool looks_like_eccn(std::string_view s) {
  if (s == "EAR99") return true;
  if (s.size() < 5 || !(s[0] >= '0' && s[0] <= '9') || !(s[1] >= 'A' && s[1] <= 'E')) return false;
  for (size_t i = 2; i < 5; ++i)
    if (!(s[i] >= '0' && s[i] <= '9')) return false;
  if (s.size() == 5) return true;
  if (s[5] != '.' || s.back() == '.') return false;
  for (size_t i = 6; i < s.size(); ++i)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '.')) return false;
  return true;
}

// "3a991.P" -> "3A991.p".
std::string canonical_eccn(std::string_view s) {
  std::string out(trim(s));
  for (size_t i = 0; i < out.size(); ++i) {
    char& c = out[i];
    if (i < 5 && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (i >= 5 && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// How to supply a fact the rules needed, by predicate.
std::pair<std::string, std::string> what_and_how(Pred pred, const Condition* check,
                                                 const std::string& item_name) {
  if (is_chip_param(pred))
    return {std::string(predicate_info(pred).name) + " of " + item_name,
            "give the chip's parameters with --spec FILE (dense_tops, die_area_mm2, memory_bandwidth_gbps, "
            "interconnect_gbps, datacenter) or its ECCN with --eccn"};
  switch (pred) {
    case Pred::kNeedsCheck:
      return {!check || check->values.empty() ? "a fact the rule packs cannot decide" : check->values[0],
              "check it against the cited text; the rule packs cannot decide it"};
    case Pred::kEccn:
    case Pred::kBaseEccn:
    case Pred::kContainsEccn:
      return {"the ECCN of " + item_name,
              "give the item's ECCN with --eccn, or its parameters with --spec FILE"};
    case Pred::kDestinationRegion:
      return {"the region of the destination",
              "give --region with its ISO 3166-2 code (UA-43 Crimea, UA-40 Sevastopol, UA-14 Donetsk, UA-09 "
              "Luhansk)"};
    case Pred::kFrom:
    case Pred::kFromGroup:
      return {"the country the item is exported from", "give --from"};
    case Pred::kOrigin:
      return {"the country of origin of " + item_name, "give --origin"};
    case Pred::kPartyList:
    case Pred::kPartyProgram:
    case Pred::kPartyRequirement:
      return {"whether a party is on a restricted-party list (a party was not screened)",
              "screen the parties: import the lists (clearance lists import) and do not pass --no-screen"};
    case Pred::kHsCode:
      return {"the HS code of " + item_name, "give the item by its HS code"};
    default:
      return {std::string(predicate_info(pred).name) + " of " + item_name, "give the missing fact"};
  }
}

}  // namespace

std::string not_applied_reason(const ConsideredRule& c) {
  if (c.why == ConsideredRule::Why::kNotYetInForce)
    return "not yet in force on the date (effective from " + c.rule->effective_from.to_string() + ")";
  if (!c.test) return "condition does not hold";
  std::vector<Pred> preds;
  c.test->collect_predicates(preds);
  auto has = [&](std::initializer_list<Pred> ps) {
    for (Pred p : preds)
      for (Pred q : ps)
        if (p == q) return true;
    return false;
  };
  if (c.test->op == Condition::Op::kLeaf && c.test->pred == Pred::kSubjectToEar && !c.test->flag)
    return "not in scope: the item is subject to the EAR already (the rule reaches foreign-produced items)";
  if (has({Pred::kSubjectToEar})) return "not in scope: the item is not subject to the EAR";
  if (has({Pred::kFrom, Pred::kFromGroup, Pred::kOrigin}))
    return "not in scope: route (exporting country or origin)";
  if (has({Pred::kEndUse})) return "not in scope: end use not declared";
  if (has({Pred::kPartyList, Pred::kPartyProgram, Pred::kPartyRequirement})) return "no party on the list";
  if (has({Pred::kExporter, Pred::kVendor, Pred::kItem})) return "not the named company or product";
  if (has({Pred::kBuyerHq, Pred::kBuyerHqGroup}))
    return "buyer headquarters not in scope (not given: --buyer-hq; the rule is not applied without it)";
  if (has({Pred::kDestination, Pred::kDestinationGroup, Pred::kDestinationRegion}))
    return "not in scope: destination";
  if (has({Pred::kTpp, Pred::kPd, Pred::kMemoryBandwidth, Pred::kInterconnect, Pred::kDieArea,
           Pred::kHbmDensity}))
    return "item below the threshold";
  return "not in scope: item";
}

// One determination, phase by phase. Each phase reads what the previous ones left in the state;
// determine() runs them in order. The state lives for one call only.
struct Engine::Impl::Run {
  const Impl& im;
  const RuleSet& rs;
  const Transaction& tx;
  Determination d;
  size_t epoch = 0, class_epoch = 0;
  int dest_code = -1;        // code_index(destination)
  std::string exporter_key;  // normalize_name(tx.exporter)
  TransactionFacts base;
  std::vector<ItemFacts>& ifacts = thread_buffer<ItemFacts>();
  std::vector<TransactionFacts>& tfacts = thread_buffer<TransactionFacts>();
  std::vector<std::pair<size_t, std::string>> item_notes;  // (item, uncertainty): declared ECCN not used
  // Per item: its index in the catalogue when its facts are the catalogue's on the date (so
  // Impl::item_fails applies), else -1 (a spec, an unknown item, a declared ECCN used).
  std::vector<int>& catalogue_index = thread_buffer<int>();

  // The first item-only part of rule r that is false for item i, or -1 (not known in advance).
  int item_fail(size_t i, int r) const {
    const int idx = catalogue_index[i];
    if (idx < 0 || dest_code < 0) return -1;  // (the destination parts are settled only for a code)
    return im.item_fails[class_epoch][static_cast<size_t>(idx) * rs.rules().size() + static_cast<size_t>(r)];
  }

  Run(const Impl& impl, const Transaction& t) : im(impl), rs(*impl.rules), tx(t) {}

  // Phase 1: the date, items, countries, region and end uses given are usable.
  Status check_inputs(CheckedInputs& in) const {
    if (tx.as_of == Date()) return input_error("as_of", "a date is required (YYYY-MM-DD)");
    if (tx.items.empty()) return input_error("items", "at least one item is required");
    auto dest = im.country(tx.destination, "destination");
    if (!dest) return dest.error();
    if (dest->empty()) return input_error("destination", "required");
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
    if (!trim(tx.region).empty()) {
      std::string r = to_upper_ascii(trim(tx.region));
      bool shape = r.size() >= 4 && r.size() <= 6 && r[2] == '-' && detail::is_country_code(r.substr(0, 2)) &&
                   std::all_of(r.begin() + 3, r.end(),
                               [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
      if (!shape) return input_error("region", "'" + tx.region + "' is not an ISO 3166-2 code like UA-43");
      if (r.compare(0, 2, in.destination) != 0)
        return input_error("region", r + " is not in the destination " + in.destination + " (give --to " +
                                         r.substr(0, 2) + ")");
      in.region = std::move(r);
    }
    for (const auto& line : tx.items)
      if (!line.eccn.empty() && !looks_like_eccn(canonical_eccn(line.eccn)))
        return input_error("eccn", "'" + line.eccn + "' is not an ECCN like 3A991.p or EAR99");
    for (const auto& e : tx.end_uses) {
      std::string w = to_lower_ascii(trim(e));
      for (auto& c : w)
        if (c == ' ' || c == '-') c = '_';
      if (w.empty()) continue;
      if (!rs.is_end_use(w)) {
        std::vector<std::string> words;
        for (const auto& [k, _] : rs.end_uses()) words.push_back(k);
        return input_error("end_use", "unknown end use '" + e + "'" + detail::did_you_mean(w, words) +
                                          " (known: see data/rules/vocabulary.yaml)");
      }
      if (std::find(in.end_uses.begin(), in.end_uses.end(), w) == in.end_uses.end())
        in.end_uses.push_back(std::move(w));
    }
    return Status::Ok();
  }

  // Phase 2: every party's list hits, screened now or given, that count on the date. A party
  // nobody screened (no checker, no findings given) leaves the list tests unknown.
  Status screen_parties(const PartyChecker* checker) {
    d.parties.reserve(tx.parties.size());
    for (const auto& p : tx.parties) {
      PartyResult pr;
      pr.name = p.name;
      pr.role = p.role;
      auto pc = im.country(p.country, "party country");
      if (!pc) return pc.error();
      pr.country = *pc;
      pr.screened = p.screened || checker != nullptr;
      std::vector<PartyFinding> found;
      if (p.screened || !checker) {
        found = p.findings;
      } else if (auto checked = checker->check(p.name, pr.country)) {
        found = std::move(*checked);
      } else {  // a name that cannot be screened leaves the list tests unknown (fail closed)
        pr.screened = false;
        pr.not_screened = checked.error().message;
      }
      auto counts = [&](const PartyFinding& f) {
        if (f.score < im.min_score) return false;
        auto listed = Date::parse(f.listed_on);
        return !(listed && *listed > tx.as_of);  // not yet listed then
      };
      pr.hits.reserve(static_cast<size_t>(std::count_if(found.begin(), found.end(), counts)));
      for (auto& f : found)
        if (counts(f)) pr.hits.push_back(std::move(f));
      d.parties.push_back(std::move(pr));
    }
    return Status::Ok();
  }

  // Phase 3: the facts of the transaction that every item shares.
  void transaction_facts(const CheckedInputs& in) {
    base.as_of = tx.as_of;
    base.destination = d.destination;
    base.region = d.region;
    base.destination_groups = im.mask(d.destination, epoch, tx.as_of);
    base.buyer_hq = in.buyer_hq;
    base.buyer_hq_groups = im.mask(in.buyer_hq, epoch, tx.as_of);
    base.exporter_key = exporter_key;
    for (const auto& e : in.end_uses) base.end_uses.push_back(e);
    for (size_t pi = 0; pi < d.parties.size(); ++pi) {
      if (!d.parties[pi].screened) base.parties_unscreened = true;
      for (size_t fi = 0; fi < d.parties[pi].hits.size(); ++fi) {
        const auto& h = d.parties[pi].hits[fi];
        base.list_hits.push_back(
            {h.list, h.license_requirement, &h.programs, static_cast<int>(pi), static_cast<int>(fi)});
      }
    }
  }

  // An item the catalogue does not know: a placeholder whose facts are all unknown, or a generic
  // item of the ECCN the exporter declared.
  ItemResult unidentified(const ItemLine& line, const Error& why) const {
    ItemResult ir;
    ir.query = line.item;
    auto it = std::make_shared<Item>();
    it->name = std::string(trim(line.item));
    it->id = "unknown:" + it->name;
    it->confidence = 'U';
    if (!line.eccn.empty()) {
      it->kind = "generic";
      it->eccn = canonical_eccn(line.eccn);
      it->subject_to_ear = true;
      it->id = "declared:" + it->eccn + ":" + it->name;
      it->notes = "not in the catalogue; described by its declared ECCN";
      ir.matched_by = "declared ECCN";
      ir.declared_eccn = it->eccn;
    } else {
      it->kind = "unknown";
      ir.matched_by = "none";
      ir.unresolved = why.message;
    }
    ir.item = it;
    auto c = std::make_shared<Classification>();
    c->item_id = it->id;
    c->as_of = tx.as_of;
    if (!it->eccn.empty()) {
      c->status = "unclassified";
      c->eccn = it->eccn;
      c->label = "declared " + it->eccn;
    } else {
      c->status = "unknown";
      c->label = "not identified: " + why.message;
    }
    ir.classification = c;
    return ir;
  }

  // The exporter's ECCN replaces a classification the catalogue cannot make on the date.
  void apply_declared_eccn(const ItemLine& line, ItemResult& ir, std::string& note) const {
    if (line.eccn.empty() || !ir.declared_eccn.empty()) return;
    std::string e = canonical_eccn(line.eccn);
    ir.declared_eccn = e;
    const Classification& c = *ir.classification;
    bool decided = c.status == "controlled" || c.status == "excluded" ||
                   (c.status == "not_controlled" && !c.eccn.empty());
    if (decided) {
      if (c.eccn != e)
        note = "declared ECCN " + e + " not used: the catalogue classifies " + ir.item->name + " as " +
               (c.eccn.empty() ? c.label : c.eccn) + " on this date";
      return;
    }
    auto copy = std::make_shared<Classification>(c);
    copy->eccn = e;
    copy->base = false;
    copy->label = c.label + "; declared " + e;
    if (copy->status == "unknown") copy->status = "unclassified";
    ir.classification = std::move(copy);
  }

  // Phase 4: each item resolved, classified on the date, and its facts with the route. An item
  // that cannot be identified is kept, with every fact unknown (the answer is then undetermined).
  Status resolve_items(const CheckedInputs& in) {
    d.items.reserve(tx.items.size());
    for (size_t k = 0; k < tx.items.size(); ++k) {
      const ItemLine& line = tx.items[k];
      ItemResult ir;
      ir.query = line.spec ? line.spec->name : line.item;
      if (line.spec) {
        ir.item = line.spec;
        ir.matched_by = "spec";
      } else {
        if (trim(line.item).empty()) return input_error("item", "empty");
        auto m = im.resolve(line.item);
        if (!m) {
          ir = unidentified(line, m.error());
        } else {
          ir.item = m->item;
          ir.matched_by = m->matched_by;
        }
      }
      int cat_index = -1;
      if (!ir.classification) {
        int idx = im.catalogue->index_of(ir.item->id);
        if (idx >= 0 && im.catalogue->items()[static_cast<size_t>(idx)] == ir.item)
          ir.classification = im.classified[class_epoch][static_cast<size_t>(idx)];
        else
          ir.classification = im.classify_now(*ir.item, tx.as_of);
        std::string note;
        apply_declared_eccn(line, ir, note);
        if (!note.empty()) item_notes.emplace_back(k, std::move(note));
        if (idx >= 0 && ir.classification == im.classified[class_epoch][static_cast<size_t>(idx)])
          cat_index = idx;
      }
      catalogue_index.push_back(cat_index);
      ir.origin = !in.origin.empty() ? in.origin : ir.item->origin;
      ir.from = !in.from.empty() ? in.from : ir.origin;
      d.items.push_back(std::move(ir));
    }
    for (const auto& ir : d.items) {
      ItemFacts f = item_facts(*ir.item, *ir.classification);
      size_t k = &ir - d.items.data();
      f.unresolved = !ir.unresolved.empty();
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

  // Phase 6: what each declared end use did to the answer.
  void end_use_effects();
};

struct Engine::Impl::Run::JurisdictionEval {
  const Run& run;
  size_t j;
  JurisdictionResult jr;
  // The working lists are the thread's buffers (thread_buffer), reused by every jurisdiction.
  // (rule, suspension rule): a few at most
  std::vector<std::pair<int, int>>& suspended_by = thread_buffer<std::pair<int, int>>();
  std::vector<Fired>& live = thread_buffer<Fired, 0>();
  std::vector<Fired>& would_fire = thread_buffer<Fired, 1>();  // suspended rules whose condition holds
  // Requirements and prohibitions that could not be evaluated.
  std::vector<UnknownRule>& unknown = thread_buffer<UnknownRule>();
  std::map<std::pair<int, int>, int> excluded_by;  // (exception rule, item) -> the rule excluding it
  // Rules that did not apply, collected while evaluating and kept in jr.considered only by the
  // answers that list them (no_license_required, undetermined): a determination allocates for
  // them once, at their final size.
  std::vector<ConsideredRule>& considered = thread_buffer<ConsideredRule>();

  JurisdictionEval(const Run& r, size_t jj) : run(r), j(jj) {}

  const RuleSet& rs() const { return run.rs; }
  const Rule& rule(int r) const { return rs().rules()[static_cast<size_t>(r)]; }
  const std::vector<int>& in_force() const { return run.im.in_force[run.epoch][j]; }
  // The destination parts of rule r can hold for this destination on this date.
  bool dest_ok(int r) const {
    if (run.dest_code < 0) return true;
    const auto rr = static_cast<size_t>(r);
    return (run.im.dest_ok[run.epoch][static_cast<size_t>(run.dest_code) * run.im.rule_words + rr / 64] >>
            (rr % 64)) &
           1;
  }
  // The part evaluate_why() would name for rule r and item i, whose item-only part f is false:
  // the first part before f that is false, else f (the settled parts before it hold).
  const Condition* first_false_part(size_t i, int r, int f) const {
    const auto& parts = run.im.parts[static_cast<size_t>(r)];
    const auto& kinds = run.im.part_kinds[static_cast<size_t>(r)];
    for (int u = 0; u < f; ++u)
      if (kinds[static_cast<size_t>(u)] != Impl::PartKind::kSettled &&
          evaluate(*parts[static_cast<size_t>(u)], run.ifacts[i], run.tfacts[i], nullptr) == Tri::kFalse)
        return parts[static_cast<size_t>(u)];
    return parts[static_cast<size_t>(f)];
  }
  const Condition* first_dest_part(int r) const {
    const auto& parts = run.im.dest_parts[static_cast<size_t>(r)];
    return parts.empty() ? nullptr : parts.front();
  }
  static bool contains(const std::vector<int>& v, int x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  }
  bool suspended(int r) const { return suspender(r) >= 0; }
  int suspender(int r) const {
    for (const auto& [rule_index, by] : suspended_by)
      if (rule_index == r) return by;
    return -1;
  }
  static bool can_require(const Rule& r) {
    return r.outcome == Outcome::kLicenseRequired || r.outcome == Outcome::kProhibited;
  }

  void add_uncertain(std::string subject, char conf, std::string fact) {
    for (const auto& u : jr.uncertain)
      if (u.subject == subject && u.fact == fact) return;
    jr.uncertain.push_back({std::move(subject), conf, std::move(fact)});
  }

  // Suspension rules in force whose condition holds for some item set their rules aside.
  void find_suspensions() {
    for (int r : run.im.suspensions[run.epoch][j]) {
      const Rule& s = rule(r);
      bool on = false;
      for (size_t i = 0; i < run.ifacts.size() && !on; ++i)
        on = run.item_fail(i, r) < 0 && evaluate(s.when, run.ifacts[i], run.tfacts[i], nullptr) == Tri::kTrue;
      if (on)
        for (int t : s.suspends_idx)
          if (!suspended(t)) suspended_by.emplace_back(t, r);
    }
  }

  // A savings clause lets a shipment on dock or en route on the effective date proceed without
  // the rule until its end. Without the shipment date the rule applies, and the answer says so.
  bool saved_by_clause(const Rule& ru, int item) {
    if (!ru.dates.savings_until || run.tx.as_of > *ru.dates.savings_until) return false;
    if (run.tx.en_route_since && *run.tx.en_route_since <= ru.effective_from) {
      jr.pending.push_back({&ru, run.d.items[static_cast<size_t>(item)].item->id,
                            PendingRule::Why::kSavingsClause, *ru.dates.savings_until});
      return true;
    }
    add_uncertain(ru.id, 'S',
                  "savings clause: a shipment on dock for loading, laden or en route on " +
                      ru.effective_from.to_string() + " may proceed without this rule until " +
                      ru.dates.savings_until->to_string() + " (give --en-route-since DATE)");
    return false;
  }

  // Every other rule in force, for every item: fired, would fire (suspended), unknown, or not
  // applied (recorded with the failing part of its condition); rules in force whose compliance
  // date is later are pending.
  void evaluate_rules() {
    const auto& pending = run.im.pending[run.epoch][j];
    // Reused: cleared before each rule, its vectors keep their capacity (the thread's).
    static thread_local EvalTrace tr;
    // Per pack scope, for this item: evaluated once (kUnknown + done). The thread's buffers.
    static thread_local std::vector<Tri> scope_holds;
    static thread_local std::vector<std::uint8_t> scope_done;
    for (size_t i = 0; i < run.ifacts.size(); ++i) {
      const int item = static_cast<int>(i);
      scope_holds.assign(static_cast<size_t>(run.im.scopes), Tri::kUnknown);
      scope_done.assign(static_cast<size_t>(run.im.scopes), 0);
      for (int r : in_force()) {
        const Rule& ru = rule(r);
        if (ru.outcome == Outcome::kSuspension) continue;
        if (ru.scope >= 0) {  // the pack's scope fails for this item: so does every rule of the pack
          auto sc = static_cast<size_t>(ru.scope);
          if (!scope_done[sc]) {
            scope_holds[sc] = evaluate(ru.when.children[0], run.ifacts[i], run.tfacts[i], nullptr);
            scope_done[sc] = 1;
          }
          if (scope_holds[sc] == Tri::kFalse) {
            if (can_require(ru) && !suspended(r))
              considered.push_back({&ru, item, ConsideredRule::Why::kConditionFalse, &ru.when.children[0]});
            continue;
          }
        }
        if (!dest_ok(r)) {  // a destination part fails: the rule cannot apply to any item
          if (can_require(ru) && !suspended(r))
            considered.push_back({&ru, item, ConsideredRule::Why::kConditionFalse, first_dest_part(r)});
          continue;
        }
        if (const int f = run.item_fail(i, r); f >= 0) {  // a test of the item alone fails
          if (can_require(ru) && !suspended(r))
            considered.push_back(
                {&ru, item, ConsideredRule::Why::kConditionFalse, first_false_part(i, r, f)});
          continue;
        }
        tr.missing.clear();
        tr.missing_nodes.clear();
        tr.matched_hits.clear();
        const Condition* failed = nullptr;
        Tri t = evaluate_why(ru.when, run.ifacts[i], run.tfacts[i], &tr, &failed);
        if (t == Tri::kTrue) {
          if (suspended(r)) {
            would_fire.push_back({r, item, std::move(tr.matched_hits)});
          } else if (!saved_by_clause(ru, item)) {
            live.push_back({r, item, std::move(tr.matched_hits)});
          }
        } else if (can_require(ru) && !suspended(r)) {
          if (t == Tri::kUnknown)
            unknown.push_back(unknown_rule(r, item, tr));
          else
            considered.push_back({&ru, item, ConsideredRule::Why::kConditionFalse, failed});
        }
      }
      for (int r : pending) {
        const Rule& ru = rule(r);
        if (!can_require(ru) || !dest_ok(r) || run.item_fail(i, r) >= 0 ||
            evaluate(ru.when, run.ifacts[i], run.tfacts[i], nullptr) != Tri::kTrue)
          continue;
        if (suspended(r) || (ru.dates.compliance_from && suspended_until_compliance(r))) continue;
        jr.pending.push_back(
            {&ru, run.d.items[i].item->id, PendingRule::Why::kComplianceLater, *ru.dates.compliance_from});
      }
    }
  }

  static UnknownRule unknown_rule(int r, int item, const EvalTrace& tr) {
    UnknownRule u{r, item, 0, nullptr};
    for (const Condition* c : tr.missing_nodes) {
      u.preds |= std::uint64_t{1} << static_cast<unsigned>(c->pred);
      if (c->pred == Pred::kNeedsCheck && !u.check) u.check = c;
    }
    return u;
  }

  // A pending rule that a suspension in force names is reported as suspended once in force, not
  // as coming (AI Diffusion: not enforced from 2025-05-13, two days before its compliance date).
  bool suspended_until_compliance(int r) const {
    for (int s : run.im.suspensions[run.epoch][j])
      if (contains(rule(s).suspends_idx, r)) return true;
    return false;
  }

  // A rule that overrides another (same outcome) removes it for the same item; a rule that
  // excludes licence exceptions removes them for the same item.
  void apply_overrides() {
    bool any = false;
    for (const auto& f : live) {
      const Rule& ru = rule(f.rule);
      any = any || !ru.overrides_idx.empty() || ru.outcome == Outcome::kExcludesExceptions;
    }
    if (!any) return;
    std::vector<std::uint8_t>& dropped = thread_buffer<std::uint8_t, 1>();
    dropped.assign(live.size(), 0);
    for (const auto& f : live) {
      const Rule& ru = rule(f.rule);
      for (int o : ru.overrides_idx)
        for (size_t k = 0; k < live.size(); ++k)
          if (live[k].rule == o && live[k].item == f.item) dropped[k] = 1;
      if (ru.outcome == Outcome::kExcludesExceptions)
        for (size_t k = 0; k < live.size(); ++k)
          if (live[k].item == f.item && contains(ru.excludes_idx, live[k].rule) && !dropped[k]) {
            dropped[k] = 1;
            excluded_by[{live[k].rule, f.item}] = f.rule;
          }
    }
    size_t kept = 0;
    for (size_t k = 0; k < live.size(); ++k)
      if (!dropped[k]) {
        if (kept != k) live[kept] = std::move(live[k]);
        ++kept;
      }
    live.resize(kept);
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
  // and the exception that overcomes them; then the verdict. A requirement or prohibition that
  // could not be evaluated makes the answer undetermined unless a licence is required anyway.
  void decide() {
    // Policy and exception rules that apply to a requirement that fired (the first exception
    // that overcomes it): only those are reported, so the others are never built.
    std::vector<std::uint8_t>& used = thread_buffer<std::uint8_t>();
    used.assign(live.size(), 0);
    for (const Fired& f : live) {
      if (rule(f.rule).outcome != Outcome::kLicenseRequired) continue;
      bool overcome = false;
      for (size_t p = 0; p < live.size(); ++p) {
        const Rule& pr = rule(live[p].rule);
        if (live[p].item != f.item) continue;
        if (pr.outcome == Outcome::kReviewPolicy && contains(pr.applies_to_idx, f.rule)) used[p] = 1;
        if (pr.outcome == Outcome::kLicenseException && contains(pr.overcomes_idx, f.rule) && !overcome) {
          used[p] = 1;
          overcome = true;
        }
      }
    }
    // Policies, exceptions and exclusions are reported only when they apply to a requirement
    // that fired (exclusions are listed with the exceptions they removed).
    auto reported = [&](size_t k) {
      Outcome o = rule(live[k].rule).outcome;
      return !((o == Outcome::kReviewPolicy || o == Outcome::kLicenseException) && !used[k]) &&
             o != Outcome::kExcludesExceptions;
    };
    size_t n_reported = 0;
    for (size_t k = 0; k < live.size(); ++k) n_reported += reported(k) ? 1 : 0;
    jr.rules.reserve(n_reported);
    bool prohibited = false, required = false, excepted = false;
    ReviewPolicy policy_required = ReviewPolicy::kNone, policy_excepted = ReviewPolicy::kNone;
    for (size_t k = 0; k < live.size(); ++k) {
      const Fired& f = live[k];
      const Rule& ru = rule(f.rule);
      const bool report = reported(k);
      if (!report && f.hits.empty()) continue;  // nothing to report, no party to mark
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
          }
          if (pr.outcome == Outcome::kLicenseException && contains(pr.overcomes_idx, f.rule) &&
              fr.overcome_by.empty())
            fr.overcome_by = pr.id;
        }
        if (fr.overcome_by.empty()) {
          required = true;
          policy_required = stricter(policy_required, fr.policy);
        } else {
          excepted = true;
          policy_excepted = stricter(policy_excepted, fr.policy);
        }
        // Exceptions that would have overcome it, were they not excluded.
        for (const auto& [key, by] : excluded_by)
          if (key.second == f.item && contains(rule(key.first).overcomes_idx, f.rule)) {
            bool seen = false;
            for (const auto& x : jr.excluded_exceptions)
              seen = seen || (x.rule == &rule(key.first) && x.item == fr.item);
            if (!seen) jr.excluded_exceptions.push_back({&rule(key.first), &rule(by), fr.item});
          }
      }
      if (ru.outcome == Outcome::kProhibited) prohibited = true;
      if (!report) continue;
      if (ru.outcome == Outcome::kLicenseException) jr.exceptions.push_back(fr);
      jr.rules.push_back(std::move(fr));
    }
    jr.verdict = prohibited         ? Verdict::kProhibited
                 : required         ? Verdict::kLicenseRequired
                 : !unknown.empty() ? Verdict::kUndetermined
                 : excepted         ? Verdict::kLicenseException
                                    : Verdict::kNoLicenseRequired;
    if (jr.verdict == Verdict::kLicenseRequired) jr.review_policy = policy_required;
    if (jr.verdict == Verdict::kLicenseException) jr.review_policy = policy_excepted;
    if (jr.review_policy == ReviewPolicy::kFromParty) jr.review_policy = ReviewPolicy::kNone;
  }

  // Undetermined: what is missing and how to supply it. Otherwise the rules that could not be
  // evaluated are uncertainties of an answer that stands anyway.
  void report_unknown() {
    if (unknown.empty()) return;
    for (size_t i = 0; i < run.d.items.size(); ++i) {
      const ItemResult& ir = run.d.items[i];
      std::uint64_t preds = 0;
      size_t n = 0;
      for (const auto& u : unknown)
        if (u.item == static_cast<int>(i)) {
          preds |= u.preds;
          ++n;
        }
      if (!n) continue;
      if (jr.verdict != Verdict::kUndetermined) {
        // The answer stands anyway; one mark per item names the rules that may also apply.
        std::string missing, ids;
        for (const auto& info : predicate_table())
          if (preds >> static_cast<unsigned>(info.pred) & 1)
            (missing += missing.empty() ? "" : ", ") += info.name;
        size_t listed = 0;
        for (const auto& u : unknown)
          if (u.item == static_cast<int>(i) && ++listed <= 3)
            (ids += ids.empty() ? "" : ", ") += rule(u.rule).id;
        add_uncertain("item:" + ir.item->id, 'U',
                      "could not be evaluated for " + ir.item->name + ": " + missing +
                          " unknown; these rules may also apply: " + ids +
                          (n > 3 ? " and " + std::to_string(n - 3) + " more" : std::string()));
        continue;
      }
      // Undetermined: each missing fact once, with how to give it and the rules that needed it.
      auto add = [&](std::pair<std::string, std::string> wh, auto&& needs) {
        MissingFact m{ir.unresolved.empty() ? "item:" + ir.item->id : "item:" + ir.query,
                      std::move(wh.first),
                      std::move(wh.second),
                      {}};
        for (const auto& u : unknown)
          if (u.item == static_cast<int>(i) && needs(u) &&
              std::find(m.rules.begin(), m.rules.end(), rule(u.rule).id) == m.rules.end())
            m.rules.push_back(rule(u.rule).id);
        jr.missing.push_back(std::move(m));
      };
      if (!ir.unresolved.empty()) {
        add({"the identity of item '" + ir.query + "': " + ir.unresolved,
             "give the item by a catalogue name, its ECCN with --eccn, its parameters with --spec FILE, or "
             "its HS "
             "code"},
            [](const UnknownRule&) { return true; });
        continue;
      }
      for (const auto& info : predicate_table()) {
        const std::uint64_t bit = std::uint64_t{1} << static_cast<unsigned>(info.pred);
        if (!(preds & bit) || info.pred == Pred::kNeedsCheck) continue;
        add(what_and_how(info.pred, nullptr, ir.item->name),
            [&](const UnknownRule& u) { return (u.preds & bit) != 0; });
      }
      std::vector<const Condition*> checks;
      for (const auto& u : unknown)
        if (u.item == static_cast<int>(i) && u.check &&
            std::find(checks.begin(), checks.end(), u.check) == checks.end())
          checks.push_back(u.check);
      for (const Condition* c : checks)
        add(what_and_how(Pred::kNeedsCheck, c, ir.item->name),
            [&](const UnknownRule& u) { return u.check == c; });
    }
  }

  // Suspended rules that would have mattered: requirements and prohibitions whose condition
  // holds, and policies that would apply to a requirement that fired.
  void report_suspended() {
    for (const auto& w : would_fire) {
      const Rule& ru = rule(w.rule);
      bool matters = can_require(ru);
      if (ru.outcome == Outcome::kReviewPolicy || ru.outcome == Outcome::kLicenseException) {
        const auto& refs = ru.outcome == Outcome::kReviewPolicy ? ru.applies_to_idx : ru.overcomes_idx;
        for (const auto& f : live)
          if (f.item == w.item && contains(refs, f.rule)) matters = true;
      }
      if (!matters) continue;
      const Rule* by = &rule(suspender(w.rule));
      jr.suspended.push_back({&ru, by, run.d.items[static_cast<size_t>(w.item)].item->id});
      if (by->confidence != 'V')
        add_uncertain(by->id, by->confidence, by->note.empty() ? by->title : by->note);
    }
  }

  // no_license_required and undetermined answers keep the rules that did not apply, with why,
  // and add the requirements not yet in force whose condition holds (date before effect). Other
  // answers are explained by the rules that fired.
  void report_considered() {
    if (jr.verdict != Verdict::kNoLicenseRequired && jr.verdict != Verdict::kUndetermined) return;
    for (int r : run.im.not_yet_in_force[run.epoch][j]) {
      const Rule& ru = rule(r);
      if (!dest_ok(r)) continue;
      for (size_t i = 0; i < run.ifacts.size(); ++i)
        if (run.item_fail(i, r) < 0 && evaluate(ru.when, run.ifacts[i], run.tfacts[i], nullptr) == Tri::kTrue)
          considered.push_back({&ru, static_cast<int>(i), ConsideredRule::Why::kNotYetInForce, nullptr});
    }
    jr.considered.assign(considered.begin(), considered.end());
  }

  // Would the rules in force that name a group decide differently for some item if the
  // destination's (or headquarters') mask were `other`? Then a mark on that membership matters.
  bool group_fact_matters(bool destination_role, GroupMask groups_named, GroupMask other) const {
    for (size_t i = 0; i < run.ifacts.size(); ++i) {
      TransactionFacts flipped = run.tfacts[i];
      (destination_role ? flipped.destination_groups : flipped.buyer_hq_groups) = other;
      for (int r : in_force()) {
        if (!(run.im.rule_groups[static_cast<size_t>(r)] & groups_named) || run.item_fail(i, r) >= 0)
          continue;
        const Rule& ru = rule(r);
        if (evaluate(ru.when, run.ifacts[i], run.tfacts[i], nullptr) !=
            evaluate(ru.when, run.ifacts[i], flipped, nullptr))
          return true;
      }
    }
    return false;
  }

  // The [S]/[U] facts the answer relied on: rules, item specifications, base classifications and
  // classification rules (when a parameter-based rule fired), country-group memberships that
  // could change the answer. Marks that cannot change it are counted, and listed only on request.
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
    const bool open = jr.verdict == Verdict::kNoLicenseRequired || jr.verdict == Verdict::kUndetermined;
    for (size_t k = 0; k < d.items.size(); ++k) {
      const ItemResult& ir = d.items[k];
      for (const auto& [at, note] : run.item_notes)
        if (at == k) add_uncertain("item:" + ir.item->id, 'U', note);
      if (!(item_params_used || open)) continue;
      const Item& it = *ir.item;
      if (ir.classification->status == "unknown" && ir.unresolved.empty())
        add_uncertain("item:" + it.id, 'U', "classification unknown: " + ir.classification->label);
      bool judged_by_params = it.kind == "chip" || it.kind == "system" || it.kind == "hbm";
      if (judged_by_params && it.confidence != 'V' && item_params_used) {
        std::string fact = "specifications of " + it.name + " are [" + conf_word(it.confidence) + "]";
        if (!it.chip.die_area_note.empty()) fact += "; die area: " + it.chip.die_area_note;
        if (!it.source.empty()) fact += "; source: " + it.source;
        add_uncertain("item:" + it.id, it.confidence, fact);
      }
      if (ir.classification->base && it.base_eccn_confidence != 'V' && item_params_used)
        add_uncertain(
            "item:" + it.id, it.base_eccn_confidence,
            "base classification " + it.base_eccn + " of " + it.name + " (" + it.base_eccn_source + ")");
      if (ir.classification->decided_by && ir.classification->decided_by->confidence != 'V' &&
          item_params_used && judged_by_params)
        add_uncertain(ir.classification->decided_by->id, ir.classification->decided_by->confidence,
                      "classification rule: " + ir.classification->decided_by->title);
    }
    if (!run.im.jurisdiction_uses_groups[j]) return;
    const bool all = run.tx.show_all_uncertain;
    for (bool dest_role : {true, false}) {
      std::string_view cc = dest_role ? std::string_view(d.destination) : run.base.buyer_hq;
      if (cc.empty()) continue;
      const GroupMask mask = dest_role ? run.base.destination_groups : run.base.buyer_hq_groups;
      const int ci = code_index(cc);
      if (ci < 0) continue;
      const auto& facts = run.im.uncertain_groups[run.epoch][static_cast<size_t>(ci)];
      // Memberships can matter together (UAE leaving D:4 and joining A:5 on one day): if
      // flipping all the uncertain ones changes a rule, each of them is shown.
      GroupMask all_bits = 0;
      for (const auto& gf : facts) all_bits |= gf.bit;
      const bool jointly = !all && all_bits && group_fact_matters(dest_role, all_bits, mask ^ all_bits);
      for (const auto& [f, bit] : facts) {
        if (!all && !jointly && !group_fact_matters(dest_role, bit, mask ^ bit)) {
          ++jr.uncertain_hidden;
          continue;
        }
        std::string what = f->country + (f->removed <= as_of ? " left " : " is in ") + f->group;
        if (f->dated && f->added != Date::min() && f->added <= as_of) what += " from " + f->added.to_string();
        if (f->dated && f->removed <= as_of) what += " on " + f->removed.to_string();
        add_uncertain("country-group:" + f->group + ":" + f->country, f->confidence,
                      what + " (" + f->citation + ")");
      }
      for (const auto& t : rs().groups().treated_as())
        if (t.country == cc && t.from <= as_of && as_of <= t.to && t.confidence != 'V') {
          if (!all && !group_fact_matters(dest_role, mask, 0)) {
            ++jr.uncertain_hidden;
            continue;
          }
          add_uncertain("country:" + t.country, t.confidence,
                        t.country + " treated as " + t.as + " (" + t.citation + ")");
        }
    }
  }
};

JurisdictionResult Engine::Impl::Run::jurisdiction(size_t j) const {
  JurisdictionEval ev(*this, j);
  ev.jr.jurisdiction = rs.jurisdictions()[j].id;
  ev.find_suspensions();
  ev.evaluate_rules();
  ev.apply_overrides();
  ev.decide();
  ev.report_unknown();
  ev.report_suspended();
  ev.report_considered();
  ev.report_uncertain();
  return std::move(ev.jr);
}

void Engine::Impl::Run::end_use_effects() {
  d.end_uses.reserve(base.end_uses.size());
  for (const auto& word : base.end_uses) {
    EndUseEffect e;
    e.end_use = std::string(word);
    const std::uint64_t bit = im.end_use_bit(word);
    auto names = [&](const Rule& r) {
      return (im.rule_end_uses[static_cast<size_t>(&r - rs.rules().data())] & bit) != 0;
    };
    // Collected in the thread's buffers, then kept at their final size.
    std::vector<const Rule*>& rules = thread_buffer<const Rule*>();
    std::vector<ConsideredRule>& not_applied = thread_buffer<ConsideredRule, 1>();
    auto add = [&](const Rule* r) {
      if (std::find(rules.begin(), rules.end(), r) == rules.end()) rules.push_back(r);
    };
    for (const auto& jr : d.jurisdictions)
      for (const auto& f : jr.rules)
        if (names(*f.rule)) {
          e.applied = true;
          add(f.rule);
        }
    if (!e.applied) {
      for (const auto& jr : d.jurisdictions)
        for (const auto& c : jr.considered)
          if (names(*c.rule)) {
            add(c.rule);
            not_applied.push_back(c);
          }
      for (size_t j = 0; j < im.in_force[epoch].size(); ++j)
        for (int r : im.in_force[epoch][j])
          if (names(rs.rules()[static_cast<size_t>(r)])) add(&rs.rules()[static_cast<size_t>(r)]);
    }
    e.rules.assign(rules.begin(), rules.end());
    e.not_applied.assign(not_applied.begin(), not_applied.end());
    d.end_uses.push_back(std::move(e));
  }
}

std::string end_use_note(const EndUseEffect& e) {
  if (e.applied) return "applied";
  std::string why;
  for (const auto& c : e.not_applied) {
    std::string one = c.rule->id + ": " + not_applied_reason(c);
    if (why.find(one) == std::string::npos) why += (why.empty() ? "" : "; ") + one;
  }
  if (!why.empty()) return "considered, not relevant: " + why;
  if (!e.rules.empty())
    return "considered, not relevant: the rules that name it did not apply to this transaction";
  return "considered, not relevant: no rule in force on the date depends on this end use";
}

Result<Determination> Engine::determine(const Transaction& tx, const PartyChecker* checker) const {
  Impl::Run run(*impl_, tx);
  CheckedInputs in;
  if (auto st = run.check_inputs(in); !st) return st.error();
  Determination& d = run.d;
  d.id = tx.id;
  d.as_of = tx.as_of;
  d.destination = in.destination;
  d.region = in.region;
  d.rules_version = run.rs.version();
  run.epoch = Impl::epoch_of(impl_->bounds, tx.as_of);
  run.dest_code = code_index(d.destination);
  run.class_epoch = Impl::epoch_of(impl_->class_bounds, tx.as_of);
  run.exporter_key = normalize_name(tx.exporter);
  if (auto st = run.screen_parties(checker); !st) return st.error();
  run.transaction_facts(in);
  if (auto st = run.resolve_items(in); !st) return st.error();
  d.jurisdictions.reserve(run.rs.jurisdictions().size());
  for (size_t j = 0; j < run.rs.jurisdictions().size(); ++j) d.jurisdictions.push_back(run.jurisdiction(j));
  run.end_use_effects();
  d.overall = Verdict::kNoLicenseRequired;
  for (const auto& jr : d.jurisdictions) d.overall = std::max(d.overall, jr.verdict);
  return std::move(d);
}

}  // namespace clearance
