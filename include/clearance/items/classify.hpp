// Classification of an item under the rules in force on a date: TPP and performance density,
// then the classification rules of the packs (first match wins), with every test shown.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clearance/common/date.hpp"
#include "clearance/items/item.hpp"
#include "clearance/rules/condition.hpp"
#include "clearance/rules/rule_pack.hpp"

namespace clearance {

// TPP = max over precisions of dense TOPS x bit length (precisions and bit lengths from the pack).
struct TppTerm {
  std::string precision;
  double tops = 0;
  int bits = 0;  // 0 when excluded
  double tpp = 0;
  std::string excluded_reason;  // non-empty: left out of the maximum
};

struct TppComputation {
  std::optional<double> tpp;  // unknown when no precision counts
  std::string precision;      // which precision won ("fp8")
  double tops = 0;
  int bits = 0;
  std::vector<TppTerm> terms;  // every precision listed, in order
  std::optional<double> pd;    // TPP / die area, unknown without a die area
  std::optional<double> die_area_mm2;
  std::string basis() const;  // "fp8 1978.9x8"
};

TppComputation compute_tpp(const ChipSpec& chip, const TppDefinition& def);

struct ClassificationTrial {
  const Rule* rule = nullptr;
  Tri result = Tri::kFalse;
  std::vector<EvalTrace::Leaf> tests;  // each test with the item's value and its outcome
};

struct Classification {
  std::string item_id;
  Date as_of;
  // status: controlled | not_controlled | excluded (a note carves it out) | unknown (facts missing)
  //         | unclassified (no classification rule covers this kind of item)
  std::string status;
  std::string eccn;       // "3A090.a", "4A090.a", "5A992.z.a"; the item's declared ECCN when no rule applies
  bool base = false;      // eccn is the item's base classification (3A090/4A090 did not catch it)
  std::string paragraph;  // "3A090.a.1"
  std::string label;
  const Rule* decided_by = nullptr;
  TppComputation tpp;  // chips (for systems: the contained chip's)
  std::optional<double> hbm_density;
  std::vector<ClassificationTrial> trials;          // the rules tried, in order, up to the one that decided
  std::vector<std::string> missing;                 // facts that were needed but unknown
  std::shared_ptr<const Classification> contained;  // systems: the classification of the chip inside
};

// Classifies `item` with the classification rules of `rules` in force on `as_of`.
// `contained` is the item a system contains (nullptr otherwise).
Classification classify(const Item& item, const Item* contained, Date as_of, const RuleSet& rules);

// The item facts the condition language sees for an item and its classification. The result
// points into both arguments: they must outlive it.
ItemFacts item_facts(const Item& item, const Classification& c);

}  // namespace clearance
