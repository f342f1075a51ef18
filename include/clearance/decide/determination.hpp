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

struct JurisdictionResult {
  std::string jurisdiction;
  Verdict verdict = Verdict::kNoLicenseRequired;
  ReviewPolicy review_policy = ReviewPolicy::kNone;
  std::vector<FiredRule>
      rules;  // requirements, prohibitions, policies, exceptions, advisories, in pack order
  std::vector<FiredRule> exceptions;     // licence exceptions available (also listed in rules)
  std::vector<SuspendedRule> suspended;  // rules that would have fired but are suspended on the date
  std::vector<Uncertainty> uncertain;
};

struct ItemResult {
  std::string query;  // as given
  std::shared_ptr<const Item> item;
  std::string matched_by;
  std::shared_ptr<const Classification> classification;
  std::string origin, from;  // as used for this item
};

struct PartyResult {
  std::string name, country, role;
  std::vector<PartyFinding> hits;  // the findings considered (score and date filters applied)
};

struct Determination {
  std::string id;
  Date as_of;
  std::string destination;  // ISO alpha-2
  Verdict overall = Verdict::kNoLicenseRequired;
  std::vector<JurisdictionResult> jurisdictions;
  std::vector<ItemResult> items;
  std::vector<PartyResult> parties;
  std::string rules_version;  // RuleSet::version(): replay key
};

}  // namespace clearance
