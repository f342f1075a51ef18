// The answer to a Transaction: one verdict per jurisdiction, every rule that fired with its
// citation and confidence, licence exceptions with their conditions, the rules suspended on the
// date, and the uncertain facts relied upon.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "clearance/decide/party_checker.hpp"
#include "clearance/items/classify.hpp"
#include "clearance/items/item.hpp"
#include "clearance/rules/rule_pack.hpp"

namespace clearance {

struct FiredRule {
  const Rule* rule = nullptr;
  std::string item;                           // the item (catalogue id) the rule fired for
  ReviewPolicy policy = ReviewPolicy::kNone;  // license_required: the policy that applies to it
  std::vector<std::string> policy_from;       // ids of the review_policy rules that set it
  std::string overcome_by;  // license_required: the licence exception rule that overcomes it
  // Party rules: the list entry that triggered it.
  std::string party, list, entry_name, entry_citation, entry_requirement, entry_policy;
  double score = 0;
};

struct SuspendedRule {
  const Rule* rule = nullptr;
  const Rule* by = nullptr;
  std::string item;
};

struct Uncertainty {
  std::string subject;  // rule id, "item:<id>", "country-group:<group>:<cc>", "party:<name>"
  char confidence = 'U';
  std::string fact;  // what is uncertain
};

// Something the answer needed and did not have: what, how to supply it, and the rules that could
// not be evaluated without it. Any such rule that could require a licence makes the verdict
// `undetermined` unless a licence is required or the export prohibited anyway.
struct MissingFact {
  std::string subject;             // "item:<id>", "transaction", "party:<name>"
  std::string what;                // "ECCN of H20 on 2021-06-01"
  std::string how;                 // "give --eccn ECCN or --spec FILE"
  std::vector<std::string> rules;  // rule ids that could not be evaluated
};

// A rule in force whose condition holds but that does not decide the answer on the date: its
// compliance date is later, or a savings clause lets the shipment proceed without it.
struct PendingRule {
  enum class Why : std::uint8_t { kComplianceLater, kSavingsClause };
  const Rule* rule = nullptr;
  std::string item;
  Why why = Why::kComplianceLater;
  Date until;  // compliance_from, or savings_until
};

// A licence exception that would have fired but that another rule makes unavailable (Part 746).
struct ExcludedException {
  const Rule* rule = nullptr;  // the exception
  const Rule* by = nullptr;    // the excludes_exceptions rule
  std::string item;
};

// Why a rule that could require a licence did not apply (kept for no_license_required and
// undetermined answers). `test` is the first part of its condition that failed; the reason's
// wording is derived from it when the answer is written (not_applied_reason()).
struct ConsideredRule {
  enum class Why : std::uint8_t { kConditionFalse, kNotYetInForce };
  const Rule* rule = nullptr;
  int item = -1;  // index into Determination::items
  Why why = Why::kConditionFalse;
  const Condition* test = nullptr;  // kConditionFalse: the failing part of the condition
};
// "destination not in scope", "item not in scope", "end use not declared", "no listed party", …
std::string not_applied_reason(const ConsideredRule& c);

struct JurisdictionResult {
  std::string jurisdiction;
  Verdict verdict = Verdict::kNoLicenseRequired;
  ReviewPolicy review_policy = ReviewPolicy::kNone;
  std::vector<FiredRule>
      rules;  // requirements, prohibitions, policies, exceptions, advisories, in pack order
  std::vector<FiredRule> exceptions;     // licence exceptions available (also listed in rules)
  std::vector<SuspendedRule> suspended;  // rules that would have fired but are suspended on the date
  std::vector<Uncertainty> uncertain;
  int uncertain_hidden = 0;                            // marks left out because they cannot change the answer
  std::vector<MissingFact> missing;                    // why the verdict is undetermined
  std::vector<PendingRule> pending;                    // in force, not deciding the answer on the date
  std::vector<ExcludedException> excluded_exceptions;  // exceptions Part 746 (or another rule) excludes
  std::vector<ConsideredRule> considered;  // no_license_required / undetermined: rules that did not apply
};

struct ItemResult {
  std::string query;  // as given
  std::shared_ptr<const Item> item;
  std::string matched_by;
  std::shared_ptr<const Classification> classification;
  std::string origin, from;   // as used for this item
  std::string unresolved;     // non-empty: the item could not be identified (why, with suggestions)
  std::string declared_eccn;  // --eccn, when given
};

// What a declared end use did to the answer: applied (rules that fired depend on it), or
// considered and not relevant (the rules in force that depend on it, and why they did not apply).
struct EndUseEffect {
  std::string end_use;
  bool applied = false;
  std::vector<const Rule*> rules;           // applied: the rules that fired; else the rules that name it
  std::vector<ConsideredRule> not_applied;  // why those rules did not apply (no_license_required answers)
};
// "considered, not relevant: us.744.23.a1.supercomputer: not in scope: destination" and the like.
std::string end_use_note(const EndUseEffect& e);

struct PartyResult {
  std::string name, country, role;
  std::vector<PartyFinding> hits;  // the findings considered (score and date filters applied)
  bool screened = true;            // false: no party checker was available and no findings given,
                                   // or the checker could not screen the name (not_screened says why)
  std::string not_screened;
};

struct Determination {
  std::string id;
  Date as_of;
  std::string destination;  // ISO alpha-2
  std::string region;       // ISO 3166-2, when given
  Verdict overall = Verdict::kNoLicenseRequired;
  std::vector<JurisdictionResult> jurisdictions;
  std::vector<ItemResult> items;
  std::vector<PartyResult> parties;
  std::vector<EndUseEffect> end_uses;  // one per declared end use
  std::string rules_version;           // RuleSet::version(): replay key
};

}  // namespace clearance
