// Rule packs: licensing and classification rules as data (YAML under data/rules/, see
// docs/RULES.md). A RuleSet is every pack of a directory plus its country groups and vocabulary,
// validated as a whole: an error names file, line and field, and a bad pack never half-loads.
// A RuleSet is immutable once loaded; share it across threads freely.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/common/date.hpp"
#include "clearance/common/env.hpp"
#include "clearance/common/result.hpp"
#include "clearance/rules/condition.hpp"
#include "clearance/rules/country_groups.hpp"

namespace clearance {

// The fixed verdict vocabulary of DESIGN.md, most restrictive last. kUndetermined: something the
// answer needs is missing (an item that cannot be classified, a region, a party not screened);
// the answer says what and how to supply it. It ranks above license_exception, below
// license_required, so an answer that cannot be complete is never "no licence required".
enum class Verdict : std::uint8_t {
  kNoLicenseRequired,
  kLicenseException,
  kUndetermined,
  kLicenseRequired,
  kProhibited,
};
inline constexpr size_t kVerdictCount = 5;
std::string_view to_string(Verdict v);

// What a rule does when its condition holds.
enum class Outcome : std::uint8_t {
  kNoLicenseRequired,   // an explicit statement that no licence is needed (listed; changes nothing)
  kLicenseException,    // a licence exception is available: overcomes the requirements it names
  kLicenseRequired,     // a licence is required (with a review policy)
  kProhibited,          // the export is banned
  kReviewPolicy,        // sets the review policy of the requirements it applies to
  kSuspension,          // suspends the rules it names while it is in force
  kAdvisory,            // a flag for the reader; no effect on the verdict
  kExcludesExceptions,  // while it holds, the licence exceptions it names are not available
  kClassify,            // classification packs only: assigns a class
};
std::string_view to_string(Outcome o);

// Licence review policies, least restrictive first.
enum class ReviewPolicy : std::uint8_t {
  kNone,
  kPresumptionOfApproval,
  kCaseByCase,
  kPresumptionOfDenial,
  kFromParty,  // taken from the matched list entry (Entity List, MEU)
};
std::string_view to_string(ReviewPolicy p);
// Maps list-entry policy text ("Presumption of denial.", "Case-by-case review for …") to a policy.
// Text naming several policies maps to the most restrictive one named; none named → kNone.
ReviewPolicy review_policy_from_text(std::string_view text);

struct LicenseExceptionInfo {
  std::string name;                     // "NAC"
  std::vector<std::string> conditions;  // what the exporter must do or meet
};

struct ClassResult {
  std::string eccn;       // "3A090.a"; may use {base} for the item's base ECCN family ("5A992")
  std::string paragraph;  // "3A090.a.1"
  std::string label;      // "3A090.a.1 (TPP >= 4800)"
  std::string status;     // controlled | not_controlled | excluded
};

// The dates of a rule besides its effective range (docs/RULES.md "Dates").
struct RuleDates {
  std::optional<Date> published;        // Federal Register / announcement publication date
  std::optional<Date> compliance_from;  // effective earlier, but compliance required only from this day
  std::optional<Date> savings_until;    // savings clause: shipments on dock or en route on the
                                        // effective date may proceed without the rule until this day
  std::string source;                   // where the dates were read (FR "DATES" line, filing, notice)
};

struct Rule {
  std::string id;
  std::string title;
  std::string jurisdiction;  // "US-EAR", "CN"
  std::string file;          // the pack file it came from
  int line = 0;
  Date effective_from = Date::min();
  Date effective_to = Date::max();  // last day in force (inclusive)
  RuleDates dates;
  Condition when;  // the pack's scope is already part of it
  int scope = -1;  // >= 0: `when` is all(pack scope, rule condition); rules of one pack share the number
  Outcome outcome = Outcome::kAdvisory;
  ReviewPolicy review_policy = ReviewPolicy::kNone;
  LicenseExceptionInfo exception;
  // References to other rules: exact ids, or prefixes ending in '*'. Resolved to indices on load.
  std::vector<std::string> overcomes, suspends, applies_to, overrides, excludes;
  std::vector<int> overcomes_idx, suspends_idx, applies_to_idx, overrides_idx, excludes_idx;
  ClassResult result;  // kClassify
  std::string citation;
  char confidence = 'U';
  std::string note;

  // In force on d (effective), whether or not compliance is required yet.
  bool in_force(Date d) const { return effective_from <= d && d <= effective_to; }
  // In force and compliance required on d: the rule decides answers on d.
  bool applies_on(Date d) const {
    return in_force(d) && (!dates.compliance_from || *dates.compliance_from <= d);
  }
};

// How TPP is computed (classification packs): bit length per precision, and precisions left out.
struct TppDefinition {
  std::map<std::string, int> bit_lengths;       // "fp8" -> 8
  std::map<std::string, std::string> excluded;  // "tf32" -> reason
  std::string citation;
  char confidence = 'S';
};

struct Jurisdiction {
  std::string id;    // "US-EAR"
  std::string name;  // "United States — Export Administration Regulations"
};

// One input file, for loading from memory (tests) or from disk.
struct PackSource {
  std::string path;
  std::string text;
};

class RuleSet {
 public:
  // Loads every *.yaml / *.yml under dir (recursively, in path order). Exactly one file must be
  // `kind: country_groups` and one `kind: vocabulary`.
  static Result<std::shared_ptr<const RuleSet>> load_dir(const std::string& dir, Env& env = *Env::Default());
  static Result<std::shared_ptr<const RuleSet>> load(const std::vector<PackSource>& sources);

  const std::vector<Rule>& rules() const { return rules_; }                    // licensing rules, pack order
  const std::vector<Rule>& classification() const { return classification_; }  // first match wins
  const CountryGroups& groups() const { return groups_; }
  const TppDefinition& tpp() const { return tpp_; }
  const std::vector<Jurisdiction>& jurisdictions() const { return jurisdictions_; }
  const std::map<std::string, std::string>& end_uses() const { return end_uses_; }  // word -> meaning
  const std::map<std::string, std::string>& item_kinds() const { return item_kinds_; }
  bool is_end_use(std::string_view word) const { return end_uses_.count(std::string(word)) > 0; }
  const Rule* find(std::string_view id) const;
  // Content hash of every file read, in order: the rule-pack version an answer can be replayed with.
  const std::string& version() const { return version_; }
  const std::vector<std::string>& files() const { return files_; }

  // Every date on which some rule or group membership starts or stops applying, sorted, unique.
  std::vector<Date> change_dates() const;

 private:
  friend class RuleSetBuilder;
  std::vector<Rule> rules_;
  std::vector<Rule> classification_;
  CountryGroups groups_;
  TppDefinition tpp_;
  std::vector<Jurisdiction> jurisdictions_;
  std::map<std::string, std::string> end_uses_;
  std::map<std::string, std::string> item_kinds_;
  std::string version_;
  std::vector<std::string> files_;
};

}  // namespace clearance
