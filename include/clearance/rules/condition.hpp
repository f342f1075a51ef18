// The condition language of rule packs: all / any / not over named predicates with values.
//
//   when:
//     all:
//       - eccn: [3A090, 4A090]                 # a list: the fact is one of these
//       - destination_group: [D:1, D:4, D:5]
//       - not: {destination_group: [A:5, A:6]}
//       - tpp: {gte: 1600, lt: 4800}           # numbers: gte / gt / lte / lt / eq, all must hold
//       - datacenter: false                    # booleans
//
// Evaluation is three-valued (Kleene): a predicate over a fact that is not known (a chip without a
// published die area has no performance density) is Unknown; `all` is False if any child is False,
// `any` is True if any child is True, otherwise Unknown propagates. Callers decide what Unknown
// means (classification reports "unknown"; determination lists the rule under "uncertain").
// The predicate table is in docs/RULES.md; predicate_table() below is its source of truth.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/common/date.hpp"
#include "clearance/rules/country_groups.hpp"

namespace clearance {

enum class Tri : std::uint8_t { kFalse, kTrue, kUnknown };

enum class Pred : std::uint8_t {
  kAlways,
  // Item facts.
  kItem,
  kItemKind,
  kVendor,
  kEccn,
  kBaseEccn,
  kContainsEccn,
  kTpp,
  kPd,
  kMemoryBandwidth,
  kInterconnect,
  kDieArea,
  kHbmDensity,
  kDatacenter,
  kSubjectToEar,
  kCnControlCode,
  kCnCategory,
  kCnDualUse,
  kHsCode,
  kQuantity,
  kValue,
  // Transaction facts.
  kDestination,
  kDestinationGroup,
  kFrom,
  kFromGroup,
  kOrigin,
  kExporter,
  kEndUse,
  kBuyerHq,
  kBuyerHqGroup,
  kPartyList,
  kPartyProgram,
  kDestinationRegion,
  kPartyRequirement,
  kNeedsCheck,
};

// What kind of value a predicate takes in a pack.
enum class ValueKind : std::uint8_t {
  kTrue,        // `always: true`
  kBool,        // true / false
  kNumber,      // {gte: …, gt: …, lte: …, lt: …, eq: …}
  kStrings,     // a list of words (or a single word), compared case-insensitively
  kCodes,       // ECCN-like dotted codes: "3A090" matches 3A090.a and 3A090.a.1
  kDigits,      // HS codes: a value matches every code it is a prefix of
  kCountries,   // ISO alpha-2 codes
  kGroups,      // country group names from the groups file
  kEndUses,     // words from the vocabulary file
  kNames,       // organisation names: "nvidia" matches "NVIDIA Corporation" (leading words)
  kSubstrings,  // list names: any value contained in the list name (case-insensitive)
  kRegions,     // ISO 3166-2 subdivision codes (UA-43)
  kText,        // free text (needs_check: what a person must check)
};

struct PredicateInfo {
  Pred pred;
  std::string_view name;
  ValueKind kind;
  std::string_view help;
};
// Every predicate, in documentation order.
const std::vector<PredicateInfo>& predicate_table();
const PredicateInfo* find_predicate(std::string_view name);
const PredicateInfo& predicate_info(Pred p);

struct NumberTest {
  enum class Op : std::uint8_t { kGte, kGt, kLte, kLt, kEq } op = Op::kGte;
  double value = 0;
  bool holds(double x) const;
  std::string to_string() const;  // ">= 4800"
};

struct Condition {
  enum class Op : std::uint8_t { kAll, kAny, kNot, kLeaf } op = Op::kAll;
  std::vector<Condition> children;  // kAll / kAny / kNot (exactly one child)
  // Leaf.
  Pred pred = Pred::kAlways;
  bool flag = true;                 // kBool
  std::vector<NumberTest> tests;    // kNumber: all must hold
  std::vector<std::string> values;  // list kinds, normalised (see ValueKind)
  GroupMask groups = 0;             // kGroups
  int line = 0;                     // 1-based line in the pack, for messages

  // "tpp >= 4800", "destination_group in [D:1, D:4]": for explanations.
  std::string describe() const;
  // The predicates this condition uses (for documentation and cross-checks).
  void collect_predicates(std::vector<Pred>& out) const;
};

// One list hit of one party, as the determination sees it.
struct ListHitFact {
  std::string_view list;
  std::string_view requirement;  // the entry's licence requirement text (US lists)
  const std::vector<std::string>* programs = nullptr;
  int party = -1;    // index into the transaction's parties
  int finding = -1;  // index into that party's findings
};

// The facts of one item of a transaction. Optional facts are Unknown when absent.
struct ItemFacts {
  // The item could not be identified (not in the catalogue): every item fact is Unknown.
  bool unresolved = false;
  // The item's ECCN is not known (classification unknown, or not decided for the date and no
  // base classification): `eccn` tests are Unknown, except that an item the advanced-computing
  // tests cleared (not_advanced_computing) is known not to be 3A090/4A090 or a .z item.
  bool eccn_unknown = false;
  bool not_advanced_computing = false;
  std::string_view id;
  std::string_view kind;  // chip, system, hbm, material, technology, generic
  std::string_view vendor;
  std::string_view eccn;  // US classification, e.g. "3A090.a"; empty when none
  std::string_view base_eccn;
  std::vector<std::string_view> contains_eccn;
  bool contains_unknown = false;  // a system whose IC could not be classified: contains_eccn is Unknown
  std::optional<double> tpp, pd, memory_bandwidth_gbps, interconnect_gbps, die_area_mm2, hbm_density;
  std::optional<bool> datacenter;
  bool subject_to_ear = false;
  std::string_view cn_control_code;
  std::string_view cn_category;
  bool cn_dual_use = false;
  const std::vector<std::string>* hs_codes = nullptr;
  std::optional<double> quantity, value;
};

// The facts of the transaction around the item.
struct TransactionFacts {
  Date as_of;
  std::string_view destination, from, origin, buyer_hq;  // ISO alpha-2, may be empty
  std::string_view region;  // ISO 3166-2 subdivision of the destination (UA-43), may be empty
  GroupMask destination_groups = 0, from_groups = 0, buyer_hq_groups = 0;
  std::string_view exporter_key;  // normalised with normalize_name()
  std::vector<std::string_view> end_uses;
  std::vector<ListHitFact> list_hits;
  // Some party could not be screened (no party checker): list tests that found nothing are Unknown.
  bool parties_unscreened = false;
};

// What an evaluation found out besides its value (all optional).
struct EvalTrace {
  struct Leaf {
    std::string test;    // "tpp >= 4800"
    std::string actual;  // "15831.2" or "unknown"
    Tri result = Tri::kUnknown;
  };
  std::vector<Leaf> leaves;  // every leaf evaluated, in order (only if record_leaves)
  bool record_leaves = false;
  std::vector<Pred> missing;                    // predicates whose fact was unknown
  std::vector<const Condition*> missing_nodes;  // the leaves whose fact was unknown
  std::vector<int> matched_hits;                // indices into TransactionFacts::list_hits that matched
};

Tri evaluate(const Condition& c, const ItemFacts& item, const TransactionFacts& tx, EvalTrace* trace);
// As evaluate(); when the result is false, *failed is the first part of the condition that is
// false, looking through nested `all`s (a leaf, an `any` or a `not`): the reason a rule did not apply.
Tri evaluate_why(const Condition& c, const ItemFacts& item, const TransactionFacts& tx, EvalTrace* trace,
                 const Condition** failed);

// Facts of the item alone (its record and its classification on the date), not of the
// transaction: Unknown for an item that could not be identified, and the same for every
// transaction of one catalogue item on dates with the same classification.
bool is_item_fact(Pred p);
// A chip's parameters (tpp, pd, memory_bandwidth, …): what a --spec file gives.
bool is_chip_param(Pred p);

// Organisation-name key: lower-case ASCII letters and digits, words separated by one space.
std::string normalize_name(std::string_view s);

}  // namespace clearance
