#include "clearance/rules/rule_pack.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include "clearance/common/files.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/common/yaml.hpp"
#include "rules/groups_parse.hpp"

namespace clearance {

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::kNoLicenseRequired:
      return "no_license_required";
    case Verdict::kLicenseException:
      return "license_exception";
    case Verdict::kUndetermined:
      return "undetermined";
    case Verdict::kLicenseRequired:
      return "license_required";
    case Verdict::kProhibited:
      return "prohibited";
  }
  return "?";
}

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::kNoLicenseRequired:
      return "no_license_required";
    case Outcome::kLicenseException:
      return "license_exception";
    case Outcome::kLicenseRequired:
      return "license_required";
    case Outcome::kProhibited:
      return "prohibited";
    case Outcome::kReviewPolicy:
      return "review_policy";
    case Outcome::kSuspension:
      return "suspension";
    case Outcome::kAdvisory:
      return "advisory";
    case Outcome::kExcludesExceptions:
      return "excludes_exceptions";
    case Outcome::kClassify:
      return "classify";
  }
  return "?";
}

std::string_view to_string(ReviewPolicy p) {
  switch (p) {
    case ReviewPolicy::kNone:
      return "";
    case ReviewPolicy::kPresumptionOfApproval:
      return "presumption_of_approval";
    case ReviewPolicy::kCaseByCase:
      return "case_by_case";
    case ReviewPolicy::kPresumptionOfDenial:
      return "presumption_of_denial";
    case ReviewPolicy::kFromParty:
      return "from_party";
  }
  return "?";
}

ReviewPolicy review_policy_from_text(std::string_view text) {
  std::string t = to_lower_ascii(text);
  if (t.find("denial") != std::string::npos || t.find("deny") != std::string::npos)
    return ReviewPolicy::kPresumptionOfDenial;
  if (t.find("case-by-case") != std::string::npos || t.find("case by case") != std::string::npos)
    return ReviewPolicy::kCaseByCase;
  if (t.find("approval") != std::string::npos) return ReviewPolicy::kPresumptionOfApproval;
  if (t == "presumption_of_denial") return ReviewPolicy::kPresumptionOfDenial;
  if (t == "case_by_case") return ReviewPolicy::kCaseByCase;
  return ReviewPolicy::kNone;
}

namespace {

using namespace detail;

constexpr std::string_view kOutcomes[] = {
    "no_license_required", "license_exception", "license_required", "prohibited",
    "review_policy",       "suspension",        "advisory",         "excludes_exceptions"};

bool valid_code(std::string_view s) {
  if (s == "EAR99") return true;
  if (s.size() < 5) return false;
  if (!(s[0] >= '0' && s[0] <= '9') || !(s[1] >= 'A' && s[1] <= 'Z')) return false;
  for (int i = 2; i < 5; ++i)
    if (!(s[i] >= '0' && s[i] <= '9')) return false;
  if (s.size() == 5) return true;
  if (s[5] != '.') return false;
  bool seg_empty = true;
  for (size_t i = 6; i < s.size(); ++i) {
    char c = s[i];
    if (c == '.') {
      if (seg_empty) return false;
      seg_empty = true;
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      seg_empty = false;
    } else {
      return false;
    }
  }
  return !seg_empty;
}

// ISO 3166-2 subdivision code: country code, '-', one to three capital letters or digits.
bool is_region_code(std::string_view s) {
  if (s.size() < 4 || s.size() > 6 || !is_country_code(s.substr(0, 2)) || s[2] != '-') return false;
  for (char c : s.substr(3))
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

struct ParseCtx {
  std::string_view file;
  const CountryGroups* groups;
  const std::map<std::string, std::string>* end_uses;
};

Condition parse_condition(const ParseCtx& cx, const YAML::Node& n, const std::string& field);

Condition parse_leaf(const ParseCtx& cx, const std::string& key, const YAML::Node& keynode,
                     const YAML::Node& v, const std::string& field) {
  const PredicateInfo* info = find_predicate(key);
  if (!info) {
    std::vector<std::string> names{"all", "any", "not"};
    for (const auto& p : predicate_table()) names.emplace_back(p.name);
    fail(cx.file, keynode, field,
         "unknown predicate '" + key + "'" + did_you_mean(key, names) +
             " (predicates are listed in docs/RULES.md)");
  }
  Condition c;
  c.op = Condition::Op::kLeaf;
  c.pred = info->pred;
  c.line = line_of(keynode);
  const std::string f = field;
  switch (info->kind) {
    case ValueKind::kTrue:
      if (!as_bool(cx.file, v, f)) fail(cx.file, v, f, "'always' takes only true");
      break;
    case ValueKind::kBool:
      c.flag = as_bool(cx.file, v, f);
      break;
    case ValueKind::kNumber: {
      if (!v.IsMap()) fail(cx.file, v, f, "expected a comparison such as {gte: 4800} (gte, gt, lte, lt, eq)");
      check_keys(cx.file, v, f, {"gte", "gt", "lte", "lt", "eq"});
      for (auto it = v.begin(); it != v.end(); ++it) {
        const std::string& op = it->first.Scalar();
        NumberTest t;
        t.op = op == "gte"   ? NumberTest::Op::kGte
               : op == "gt"  ? NumberTest::Op::kGt
               : op == "lte" ? NumberTest::Op::kLte
               : op == "lt"  ? NumberTest::Op::kLt
                             : NumberTest::Op::kEq;
        t.value = as_number(cx.file, it->second, f + "." + op);
        c.tests.push_back(t);
      }
      if (c.tests.empty()) fail(cx.file, v, f, "expected at least one comparison");
      break;
    }
    default: {
      auto values = as_string_list(cx.file, v, f);
      if (values.empty()) fail(cx.file, v, f, "expected at least one value");
      for (size_t i = 0; i < values.size(); ++i) {
        std::string& s = values[i];
        std::string vf = v.IsSequence() ? f + "[" + std::to_string(i) + "]" : f;
        const YAML::Node& vn = v.IsSequence() ? v[i] : v;
        if (trim(s).empty()) fail(cx.file, vn, vf, "empty value");
        switch (info->kind) {
          case ValueKind::kCodes:
            if (!valid_code(s))
              fail(cx.file, vn, vf, "'" + s + "' is not a control code like 3A090, 3A090.a or 1C905.b");
            break;
          case ValueKind::kDigits:
            if (s.find_first_not_of("0123456789") != std::string::npos)
              fail(cx.file, vn, vf, "'" + s + "' is not an HS code (digits only)");
            break;
          case ValueKind::kCountries:
            if (!is_country_code(s))
              fail(cx.file, vn, vf, "'" + s + "' is not an ISO 3166-1 alpha-2 code (two capital letters)");
            break;
          case ValueKind::kGroups: {
            int gi = cx.groups->index_of(s);
            if (gi < 0)
              fail(cx.file, vn, vf,
                   "unknown country group '" + s + "'" + did_you_mean(s, cx.groups->names()));
            c.groups |= GroupMask{1} << gi;
            break;
          }
          case ValueKind::kEndUses:
            if (!cx.end_uses->count(s)) {
              std::vector<std::string> words;
              for (const auto& [w, _] : *cx.end_uses) words.push_back(w);
              fail(cx.file, vn, vf,
                   "unknown end use '" + s + "'" + did_you_mean(s, words) +
                       " (end uses are declared in the vocabulary file)");
            }
            break;
          case ValueKind::kNames:
            s = normalize_name(s);
            break;
          case ValueKind::kRegions:
            if (!is_region_code(s))
              fail(cx.file, vn, vf, "'" + s + "' is not an ISO 3166-2 region code like UA-43");
            break;
          default:
            break;
        }
      }
      c.values = std::move(values);
    }
  }
  return c;
}

Condition parse_condition(const ParseCtx& cx, const YAML::Node& n, const std::string& field) {
  if (!n.IsMap() || n.size() == 0)
    fail(cx.file, n, field, "expected a condition: all: […], any: […], not: {…} or predicate: value");
  std::vector<Condition> parts;
  for (auto it = n.begin(); it != n.end(); ++it) {
    if (!it->first.IsScalar()) fail(cx.file, it->first, field, "condition keys must be words");
    const std::string key = it->first.Scalar();
    const std::string f = field + "." + key;
    if (key == "all" || key == "any") {
      require_sequence(cx.file, it->second, f);
      if (it->second.size() == 0) fail(cx.file, it->second, f, "empty list");
      Condition c;
      c.op = key == "all" ? Condition::Op::kAll : Condition::Op::kAny;
      c.line = line_of(it->first);
      for (size_t i = 0; i < it->second.size(); ++i)
        c.children.push_back(parse_condition(cx, it->second[i], f + "[" + std::to_string(i) + "]"));
      parts.push_back(std::move(c));
    } else if (key == "not") {
      Condition c;
      c.op = Condition::Op::kNot;
      c.line = line_of(it->first);
      c.children.push_back(parse_condition(cx, it->second, f));
      parts.push_back(std::move(c));
    } else {
      parts.push_back(parse_leaf(cx, key, it->first, it->second, f));
    }
  }
  if (parts.size() == 1) return std::move(parts[0]);
  Condition all;  // several keys in one mapping: all of them must hold
  all.op = Condition::Op::kAll;
  all.line = line_of(n);
  all.children = std::move(parts);
  return all;
}

Condition conjoin(const Condition* scope, Condition c) {
  if (!scope) return c;
  Condition all;
  all.op = Condition::Op::kAll;
  all.line = c.line;
  all.children.push_back(*scope);
  all.children.push_back(std::move(c));
  return all;
}

std::vector<std::string> ref_list(std::string_view file, const YAML::Node& rule, const char* key,
                                  const std::string& rf) {
  auto n = rule[key];
  if (!n.IsDefined() || n.IsNull()) return {};
  auto v = as_string_list(file, n, rf + "." + key);
  for (const auto& s : v)
    if (trim(s).empty()) fail(file, n, rf + "." + key, "empty rule reference");
  return v;
}

}  // namespace

// Builds a RuleSet from its files in named phases; any problem throws PackError (caught in
// build(), the only entry point), so a bad pack never half-loads.
class RuleSetBuilder {
 public:
  static Result<std::shared_ptr<const RuleSet>> build(const std::vector<PackSource>& sources);

 private:
  explicit RuleSetBuilder(const std::vector<PackSource>& sources)
      : sources_(sources), rs_(std::make_shared<RuleSet>()) {}

  void parse_documents();
  void parse_vocabulary(const YAML::Node& d, std::string_view file);
  void parse_pack(size_t i);
  void parse_tpp(const YAML::Node& t, std::string_view file);
  Rule parse_rule_common(const ParseCtx& cx, const YAML::Node& r, std::string& rf, const std::string& juris,
                         const std::optional<Condition>& scope);
  void parse_dates(std::string_view file, const YAML::Node& r, const std::string& rf, Rule& rule);
  void parse_classification_result(std::string_view file, const YAML::Node& r, const std::string& rf,
                                   Rule& rule);
  void parse_licensing_fields(std::string_view file, const YAML::Node& r, const std::string& rf, Rule& rule);
  void resolve_references();
  void resolve(Rule& rule, const std::vector<std::string>& refs, std::vector<int>& out, const char* key,
               std::optional<Outcome> wanted);

  const std::vector<PackSource>& sources_;
  std::shared_ptr<RuleSet> rs_;
  std::vector<YAML::Node> docs_;
  std::vector<std::string> kinds_;
  int groups_doc_ = -1, vocab_doc_ = -1;
  std::string version_input_;
  std::vector<std::string> jurisdiction_ids_;
  std::set<std::string> ids_;
  bool have_tpp_ = false;
  int scopes_ = -1;  // number of the last pack scope seen
};

// Phase 1: parse every file and find the groups and vocabulary documents.
void RuleSetBuilder::parse_documents() {
  static const std::vector<std::string> kKinds{"rules", "classification", "country_groups", "vocabulary"};
  for (size_t i = 0; i < sources_.size(); ++i) {
    const auto& src = sources_[i];
    docs_.push_back(parse_yaml(src.text, src.path));
    const auto& d = docs_.back();
    if (!d.IsMap()) fail(src.path, d, "", "a pack must be a mapping with a 'kind' key");
    std::string kind = get_string(src.path, d, "kind", "kind", true);
    if (std::find(kKinds.begin(), kKinds.end(), kind) == kKinds.end())
      fail(src.path, d["kind"], "kind",
           "unknown kind '" + kind + "' (rules, classification, country_groups, vocabulary)" +
               did_you_mean(kind, kKinds));
    for (auto [name, slot] :
         {std::pair{"country_groups", &groups_doc_}, std::pair{"vocabulary", &vocab_doc_}}) {
      if (kind != name) continue;
      if (*slot >= 0)
        fail(src.path, d["kind"], "kind",
             std::string("a second ") + name + " file (first: " + sources_[static_cast<size_t>(*slot)].path +
                 ")");
      *slot = static_cast<int>(i);
    }
    kinds_.push_back(kind);
    rs_->files_.push_back(src.path);
    version_input_ += std::filesystem::path(src.path).filename().string();
    version_input_ += '\0';
    version_input_ += src.text;
    version_input_ += '\0';
  }
}

// Phase 2 (after the groups): jurisdictions, end-use words and item kinds.
void RuleSetBuilder::parse_vocabulary(const YAML::Node& d, std::string_view file) {
  check_keys(file, d, "", {"kind", "description", "jurisdictions", "end_uses", "item_kinds"});
  if (!d["jurisdictions"].IsDefined()) fail(file, d, "jurisdictions", "missing (required)");
  require_sequence(file, d["jurisdictions"], "jurisdictions");
  for (size_t i = 0; i < d["jurisdictions"].size(); ++i) {
    const auto& j = d["jurisdictions"][i];
    std::string jf = "jurisdictions[" + std::to_string(i) + "]";
    check_keys(file, j, jf, {"id", "name"});
    rs_->jurisdictions_.push_back(
        {get_string(file, j, "id", jf + ".id", true), get_string(file, j, "name", jf + ".name", true)});
  }
  for (const char* key : {"end_uses", "item_kinds"}) {
    auto& target = std::string_view(key) == "end_uses" ? rs_->end_uses_ : rs_->item_kinds_;
    if (!d[key].IsDefined()) fail(file, d, key, "missing (required)");
    require_map(file, d[key], key);
    for (auto it = d[key].begin(); it != d[key].end(); ++it)
      target[as_string(file, it->first, key)] =
          as_string(file, it->second, std::string(key) + "." + it->first.Scalar());
  }
  for (const auto& j : rs_->jurisdictions_) jurisdiction_ids_.push_back(j.id);
}

// The TPP definition of a classification pack.
void RuleSetBuilder::parse_tpp(const YAML::Node& t, std::string_view file) {
  if (have_tpp_) fail(file, t, "tpp", "TPP is defined in another classification pack already");
  have_tpp_ = true;
  check_keys(file, t, "tpp", {"bit_lengths", "excluded", "citation", "confidence", "note"});
  require_map(file, t["bit_lengths"], "tpp.bit_lengths");
  for (auto it = t["bit_lengths"].begin(); it != t["bit_lengths"].end(); ++it) {
    std::string p = as_string(file, it->first, "tpp.bit_lengths");
    double b = as_number(file, it->second, "tpp.bit_lengths." + p);
    if (b < 1 || b > 128 || b != static_cast<int>(b))
      fail(file, it->second, "tpp.bit_lengths." + p, "bit length must be a whole number 1..128");
    rs_->tpp_.bit_lengths[to_lower_ascii(p)] = static_cast<int>(b);
  }
  if (t["excluded"].IsDefined()) {
    require_map(file, t["excluded"], "tpp.excluded");
    for (auto it = t["excluded"].begin(); it != t["excluded"].end(); ++it)
      rs_->tpp_.excluded[to_lower_ascii(as_string(file, it->first, "tpp.excluded"))] =
          as_string(file, it->second, "tpp.excluded." + it->first.Scalar());
  }
  rs_->tpp_.citation = get_string(file, t, "citation", "tpp.citation", true);
  if (!t["confidence"].IsDefined()) fail(file, t, "tpp.confidence", "missing (required)");
  rs_->tpp_.confidence = as_confidence(file, t["confidence"], "tpp.confidence");
}

// The fields every rule has: id, title, dates, condition (with the pack's scope), citation, mark.
Rule RuleSetBuilder::parse_rule_common(const ParseCtx& cx, const YAML::Node& r, std::string& rf,
                                       const std::string& juris, const std::optional<Condition>& scope) {
  std::string_view file = cx.file;
  Rule rule;
  rule.id = get_string(file, r, "id", rf + ".id", true);
  rf += " (" + rule.id + ")";
  if (!ids_.insert(rule.id).second) fail(file, r["id"], rf + ".id", "duplicate rule id '" + rule.id + "'");
  if (rule.id.find('*') != std::string::npos)
    fail(file, r["id"], rf + ".id", "'*' is reserved for references");
  rule.title = get_string(file, r, "title", rf + ".title", true);
  rule.jurisdiction = juris;
  rule.file = std::string(file);
  rule.line = line_of(r);
  if (!r["effective_from"].IsDefined())
    fail(file, r, rf + ".effective_from", "missing (required; YYYY-MM-DD)");
  rule.effective_from = as_date(file, r["effective_from"], rf + ".effective_from");
  if (r["effective_to"].IsDefined() && !r["effective_to"].IsNull())
    rule.effective_to = as_date(file, r["effective_to"], rf + ".effective_to");
  if (rule.effective_to < rule.effective_from)
    fail(file, r["effective_to"], rf + ".effective_to", "before effective_from");
  parse_dates(file, r, rf, rule);
  if (!r["when"].IsDefined())
    fail(file, r, rf + ".when", "missing (required; use 'always: true' for no condition)");
  rule.when = conjoin(scope ? &*scope : nullptr, parse_condition(cx, r["when"], rf + ".when"));
  if (scope) rule.scope = scopes_;
  rule.citation = get_string(file, r, "citation", rf + ".citation", true);
  if (!r["confidence"].IsDefined()) fail(file, r, rf + ".confidence", "missing (required: V, S or U)");
  rule.confidence = as_confidence(file, r["confidence"], rf + ".confidence");
  rule.note = get_string(file, r, "note", rf + ".note", false);
  return rule;
}

// Publication, compliance and savings-clause dates, and where they were read.
void RuleSetBuilder::parse_dates(std::string_view file, const YAML::Node& r, const std::string& rf,
                                 Rule& rule) {
  auto opt_date = [&](const char* key) -> std::optional<Date> {
    if (!r[key].IsDefined() || r[key].IsNull()) return std::nullopt;
    return as_date(file, r[key], rf + "." + key);
  };
  rule.dates.published = opt_date("published");
  rule.dates.compliance_from = opt_date("compliance_from");
  rule.dates.savings_until = opt_date("savings_until");
  rule.dates.source = get_string(file, r, "dates_source", rf + ".dates_source", false);
  if (rule.dates.compliance_from &&
      (*rule.dates.compliance_from < rule.effective_from || *rule.dates.compliance_from > rule.effective_to))
    fail(file, r["compliance_from"], rf + ".compliance_from", "outside effective_from..effective_to");
  if (rule.dates.savings_until && *rule.dates.savings_until < rule.effective_from)
    fail(file, r["savings_until"], rf + ".savings_until", "before effective_from");
  if ((rule.dates.compliance_from || rule.dates.savings_until || rule.dates.published) &&
      rule.dates.source.empty())
    fail(file, r, rf + ".dates_source",
         "missing (required with published, compliance_from or savings_until: "
         "where the dates were read)");
}

// A classification rule's result.
void RuleSetBuilder::parse_classification_result(std::string_view file, const YAML::Node& r,
                                                 const std::string& rf, Rule& rule) {
  rule.outcome = Outcome::kClassify;
  const auto& res = r["result"];
  if (!res.IsDefined()) fail(file, r, rf + ".result", "missing (required)");
  check_keys(file, res, rf + ".result", {"eccn", "paragraph", "label", "status"});
  rule.result.eccn = get_string(file, res, "eccn", rf + ".result.eccn", false);
  rule.result.paragraph = get_string(file, res, "paragraph", rf + ".result.paragraph", false);
  rule.result.label = get_string(file, res, "label", rf + ".result.label", true);
  rule.result.status = get_string(file, res, "status", rf + ".result.status", true);
  if (rule.result.status != "controlled" && rule.result.status != "not_controlled" &&
      rule.result.status != "excluded")
    fail(file, res["status"], rf + ".result.status", "expected controlled, not_controlled or excluded");
  if (rule.result.status == "controlled" && rule.result.eccn.empty())
    fail(file, res, rf + ".result.eccn", "a controlled result needs an ECCN");
  std::string e = rule.result.eccn;
  if (auto p = e.find("{base}"); p != std::string::npos) e.replace(p, 6, "5A992");
  if (!e.empty() && !valid_code(e))
    fail(file, res["eccn"], rf + ".result.eccn", "'" + rule.result.eccn + "' is not an ECCN");
}

// A licensing rule's outcome and the fields that go with it.
void RuleSetBuilder::parse_licensing_fields(std::string_view file, const YAML::Node& r, const std::string& rf,
                                            Rule& rule) {
  std::string outcome = get_string(file, r, "outcome", rf + ".outcome", true);
  auto oi = std::find(std::begin(kOutcomes), std::end(kOutcomes), outcome);
  if (oi == std::end(kOutcomes))
    fail(file, r["outcome"], rf + ".outcome",
         "unknown outcome '" + outcome + "'" +
             did_you_mean(outcome, {std::begin(kOutcomes), std::end(kOutcomes)}));
  rule.outcome = static_cast<Outcome>(oi - std::begin(kOutcomes));
  if (r["review_policy"].IsDefined() && !r["review_policy"].IsNull()) {
    std::string p = as_string(file, r["review_policy"], rf + ".review_policy");
    static const std::vector<std::string> kPolicies{"presumption_of_approval", "case_by_case",
                                                    "presumption_of_denial", "from_party"};
    auto pi = std::find(kPolicies.begin(), kPolicies.end(), p);
    if (pi == kPolicies.end())
      fail(file, r["review_policy"], rf + ".review_policy",
           "unknown review policy '" + p + "'" + did_you_mean(p, kPolicies));
    rule.review_policy = static_cast<ReviewPolicy>(pi - kPolicies.begin() + 1);
    if (rule.outcome != Outcome::kLicenseRequired && rule.outcome != Outcome::kReviewPolicy)
      fail(file, r["review_policy"], rf + ".review_policy",
           "only license_required and review_policy rules have a review policy");
    if (rule.review_policy == ReviewPolicy::kFromParty && rule.outcome != Outcome::kLicenseRequired)
      fail(file, r["review_policy"], rf + ".review_policy",
           "from_party is for license_required rules on list parties");
  }
  if (rule.outcome == Outcome::kReviewPolicy && rule.review_policy == ReviewPolicy::kNone)
    fail(file, r, rf + ".review_policy", "missing (required for outcome review_policy)");
  rule.overcomes = ref_list(file, r, "overcomes", rf);
  rule.suspends = ref_list(file, r, "suspends", rf);
  rule.applies_to = ref_list(file, r, "applies_to", rf);
  rule.overrides = ref_list(file, r, "overrides", rf);
  rule.excludes = ref_list(file, r, "excludes", rf);
  auto only = [&](const char* key, Outcome o, bool required) {
    bool has = r[key].IsDefined() && !r[key].IsNull();
    if (has && rule.outcome != o)
      fail(file, r[key], rf + "." + key,
           std::string("only ") + std::string(to_string(o)) + " rules have '" + key + "'");
    if (!has && required && rule.outcome == o)
      fail(file, r, rf + "." + key,
           std::string("missing (required for outcome ") + std::string(to_string(o)) + ")");
  };
  only("exception", Outcome::kLicenseException, true);
  only("overcomes", Outcome::kLicenseException, true);
  only("suspends", Outcome::kSuspension, true);
  only("applies_to", Outcome::kReviewPolicy, true);
  only("excludes", Outcome::kExcludesExceptions, true);
  if (r["overrides"].IsDefined() && rule.outcome == Outcome::kSuspension)
    fail(file, r["overrides"], rf + ".overrides", "a suspension names its rules under 'suspends'");
  if (rule.outcome == Outcome::kLicenseException) {
    const auto& ex = r["exception"];
    check_keys(file, ex, rf + ".exception", {"name", "conditions"});
    rule.exception.name = get_string(file, ex, "name", rf + ".exception.name", true);
    if (ex["conditions"].IsDefined())
      rule.exception.conditions = as_string_list(file, ex["conditions"], rf + ".exception.conditions");
  }
}

// Phase 3: one rules or classification pack: its header, TPP definition and rules.
void RuleSetBuilder::parse_pack(size_t i) {
  const bool classify = kinds_[i] == "classification";
  std::string_view file = sources_[i].path;
  const auto& d = docs_[i];
  ParseCtx cx{file, &rs_->groups_, &rs_->end_uses_};
  if (classify)
    check_keys(file, d, "",
               {"kind", "pack", "description", "jurisdiction", "scope", "definitions", "tpp", "rules"});
  else
    check_keys(file, d, "", {"kind", "pack", "description", "jurisdiction", "scope", "definitions", "rules"});
  get_string(file, d, "pack", "pack", true);
  std::string juris = get_string(file, d, "jurisdiction", "jurisdiction", true);
  if (std::find(jurisdiction_ids_.begin(), jurisdiction_ids_.end(), juris) == jurisdiction_ids_.end())
    fail(file, d["jurisdiction"], "jurisdiction",
         "unknown jurisdiction '" + juris + "'" + did_you_mean(juris, jurisdiction_ids_));
  std::optional<Condition> scope;
  if (d["scope"].IsDefined() && !d["scope"].IsNull()) scope = parse_condition(cx, d["scope"], "scope");
  if (scope) ++scopes_;
  if (classify && d["tpp"].IsDefined()) parse_tpp(d["tpp"], file);
  if (!d["rules"].IsDefined()) fail(file, d, "rules", "missing (required)");
  require_sequence(file, d["rules"], "rules");
  for (size_t ri = 0; ri < d["rules"].size(); ++ri) {
    const auto& r = d["rules"][ri];
    std::string rf = "rules[" + std::to_string(ri) + "]";
    if (classify)
      check_keys(file, r, rf,
                 {"id", "title", "effective_from", "effective_to", "published", "compliance_from",
                  "savings_until", "dates_source", "when", "result", "citation", "confidence", "note"});
    else
      check_keys(file, r, rf, {"id",        "title",           "effective_from", "effective_to",
                               "published", "compliance_from", "savings_until",  "dates_source",
                               "when",      "outcome",         "review_policy",  "exception",
                               "overcomes", "suspends",        "applies_to",     "overrides",
                               "excludes",  "citation",        "confidence",     "note"});
    Rule rule = parse_rule_common(cx, r, rf, juris, scope);
    if (classify) {
      parse_classification_result(file, r, rf, rule);
      rs_->classification_.push_back(std::move(rule));
    } else {
      parse_licensing_fields(file, r, rf, rule);
      rs_->rules_.push_back(std::move(rule));
    }
  }
}

// Resolves one reference key of a rule (same jurisdiction only). A prefix reference
// ("us.letter.2025-04.*") takes the rules of the kind the key needs; an exact id of the wrong
// kind is an error (resolve_references).
void RuleSetBuilder::resolve(Rule& rule, const std::vector<std::string>& refs, std::vector<int>& out,
                             const char* key, std::optional<Outcome> wanted) {
  for (const auto& ref : refs) {
    bool prefix = !ref.empty() && ref.back() == '*';
    std::string_view stem(ref.data(), prefix ? ref.size() - 1 : ref.size());
    size_t before = out.size();
    for (size_t k = 0; k < rs_->rules_.size(); ++k) {
      const Rule& o = rs_->rules_[k];
      if (&o == &rule) continue;
      bool m = prefix ? std::string_view(o.id).substr(0, stem.size()) == stem : o.id == ref;
      if (!m) continue;
      if (prefix && wanted && o.outcome != *wanted) continue;
      if (o.jurisdiction != rule.jurisdiction)
        fail_at(rule.file, rule.line, rule.id + "." + key,
                "'" + ref + "' names rule " + o.id + " of another jurisdiction (" + o.jurisdiction + ")");
      out.push_back(static_cast<int>(k));
    }
    if (out.size() == before) {
      std::vector<std::string> all;
      for (const auto& o : rs_->rules_) all.push_back(o.id);
      fail_at(rule.file, rule.line, rule.id + "." + key,
              "'" + ref + "' names no rule" + did_you_mean(ref, all));
    }
  }
}

// Phase 4: references between rules, and that each names a rule of the right kind.
void RuleSetBuilder::resolve_references() {
  auto check_kind = [&](const Rule& rule, const std::vector<int>& idx, const char* key, Outcome want,
                        const char* what) {
    for (int k : idx)
      if (rs_->rules_[static_cast<size_t>(k)].outcome != want)
        fail_at(rule.file, rule.line, rule.id + "." + key,
                "names " + rs_->rules_[static_cast<size_t>(k)].id + ", which " + what);
  };
  for (auto& rule : rs_->rules_) {
    resolve(rule, rule.overcomes, rule.overcomes_idx, "overcomes", Outcome::kLicenseRequired);
    resolve(rule, rule.suspends, rule.suspends_idx, "suspends", std::nullopt);
    resolve(rule, rule.applies_to, rule.applies_to_idx, "applies_to", Outcome::kLicenseRequired);
    resolve(rule, rule.overrides, rule.overrides_idx, "overrides", rule.outcome);
    resolve(rule, rule.excludes, rule.excludes_idx, "excludes", Outcome::kLicenseException);
    check_kind(rule, rule.overcomes_idx, "overcomes", Outcome::kLicenseRequired,
               "is not a license_required rule");
    check_kind(rule, rule.applies_to_idx, "applies_to", Outcome::kLicenseRequired,
               "is not a license_required rule");
    check_kind(rule, rule.excludes_idx, "excludes", Outcome::kLicenseException,
               "is not a license_exception rule");
    check_kind(rule, rule.overrides_idx, "overrides", rule.outcome,
               "has a different outcome (a rule overrides rules of its own outcome)");
  }
}

Result<std::shared_ptr<const RuleSet>> RuleSetBuilder::build(const std::vector<PackSource>& sources) {
  RuleSetBuilder b(sources);
  try {
    b.parse_documents();
    if (b.groups_doc_ < 0)
      return Error::BadInput("rule packs: no file of kind country_groups among " +
                             std::to_string(sources.size()) + " files");
    if (b.vocab_doc_ < 0)
      return Error::BadInput("rule packs: no file of kind vocabulary among " +
                             std::to_string(sources.size()) + " files");
    const auto g = static_cast<size_t>(b.groups_doc_), v = static_cast<size_t>(b.vocab_doc_);
    b.rs_->groups_ = parse_groups_node(b.docs_[g], sources[g].path);
    b.parse_vocabulary(b.docs_[v], sources[v].path);
    for (size_t i = 0; i < sources.size(); ++i)
      if (b.kinds_[i] == "rules" || b.kinds_[i] == "classification") b.parse_pack(i);
    if (!b.rs_->classification_.empty() && !b.have_tpp_)
      return Error::BadInput(
          "rule packs: classification rules but no 'tpp' definition in any classification pack");
    b.resolve_references();
    b.rs_->version_ = hash_hex64(b.version_input_);
  } catch (const PackError& e) {
    return Error::BadInput(e.what());
  } catch (const YAML::Exception& e) {
    return Error::BadInput(std::string("rule packs: ") + e.what());
  }
  return std::shared_ptr<const RuleSet>(std::move(b.rs_));
}

Result<std::shared_ptr<const RuleSet>> RuleSet::load(const std::vector<PackSource>& sources) {
  return RuleSetBuilder::build(sources);
}

Result<std::shared_ptr<const RuleSet>> RuleSet::load_dir(const std::string& dir, Env& env) {
  auto paths = list_files(env, dir, {".yaml", ".yml"});
  if (!paths) return Error::BadInput(dir + ": not a rule-pack directory");
  std::vector<PackSource> sources;
  for (const auto& p : *paths) {
    auto text = read_file(env, p, 64 << 20);
    if (!text) return text.error();
    sources.push_back({p, std::move(*text)});
  }
  return load(sources);
}

const Rule* RuleSet::find(std::string_view id) const {
  for (const auto& r : rules_)
    if (r.id == id) return &r;
  for (const auto& r : classification_)
    if (r.id == id) return &r;
  return nullptr;
}

std::vector<Date> RuleSet::change_dates() const {
  std::vector<Date> out = groups_.change_dates();
  for (const auto* v : {&rules_, &classification_})
    for (const auto& r : *v) {
      if (r.effective_from != Date::min()) out.push_back(r.effective_from);
      if (r.effective_to != Date::max()) out.push_back(r.effective_to.plus_days(1));
      if (r.dates.compliance_from) out.push_back(*r.dates.compliance_from);
    }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace clearance
