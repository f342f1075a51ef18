#include "clearance/items/classify.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "clearance/common/numbers.hpp"

namespace clearance {

std::string TppComputation::basis() const {
  if (!tpp) return "";
  return precision + " " + format_general(tops) + "x" + std::to_string(bits);
}

TppComputation compute_tpp(const ChipSpec& chip, const TppDefinition& def) {
  TppComputation out;
  out.die_area_mm2 = chip.die_area_mm2;
  for (const auto& [precision, tops] : chip.dense_tops) {
    TppTerm t;
    t.precision = precision;
    t.tops = tops;
    if (auto ex = def.excluded.find(precision); ex != def.excluded.end()) {
      t.excluded_reason = ex->second;
    } else if (auto b = def.bit_lengths.find(precision); b != def.bit_lengths.end()) {
      t.bits = b->second;
      t.tpp = tops * t.bits;
      // The highest TPP over bit lengths counts; on a tie the longer bit length is named (A100:
      // fp16 312x16 = int8 624x8 = 4992), then the precision listed first.
      bool better = !out.tpp || t.tpp > *out.tpp * (1 + 1e-12) ||
                    (std::fabs(t.tpp - *out.tpp) <= *out.tpp * 1e-12 && t.bits > out.bits);
      if (better) {
        out.tpp = t.tpp;
        out.precision = precision;
        out.tops = tops;
        out.bits = t.bits;
      }
    } else {
      t.excluded_reason = "precision not defined in the classification pack";
    }
    out.terms.push_back(std::move(t));
  }
  if (out.tpp && chip.die_area_mm2 && *chip.die_area_mm2 > 0) out.pd = *out.tpp / *chip.die_area_mm2;
  return out;
}

ItemFacts item_facts(const Item& item, const Classification& c) {
  ItemFacts f;
  f.id = item.id;
  f.kind = item.kind;
  f.vendor = item.vendor;
  f.eccn = c.eccn;
  f.eccn_unknown = c.eccn.empty();
  // Decided by the advanced-computing tests (not caught, or a Note carves it out), or not an IC:
  // whatever its ECCN, it is not 3A090/4A090 or a .z item.
  f.not_advanced_computing = c.status == "not_controlled" || c.status == "excluded" ||
                             !(item.kind == "chip" || item.kind == "system" || item.kind == "hbm");
  f.base_eccn = item.base_eccn;
  if (c.contained && !c.contained->eccn.empty()) f.contains_eccn.push_back(c.contained->eccn);
  if (c.contained && c.contained->status == "unknown") f.contains_unknown = true;
  f.tpp = c.tpp.tpp;
  f.pd = c.tpp.pd;
  f.die_area_mm2 = item.chip.die_area_mm2;
  f.memory_bandwidth_gbps = item.chip.memory_bandwidth_gbps;
  f.interconnect_gbps = item.chip.interconnect_gbps;
  f.datacenter = item.chip.datacenter;
  f.hbm_density = c.hbm_density;
  f.subject_to_ear = item.subject_to_ear;
  f.cn_control_code = item.cn_control_code;
  f.cn_category = item.cn_category;
  f.cn_dual_use = item.cn_dual_use;
  f.hs_codes = &item.hs_codes;
  return f;
}

namespace {

// Not caught by the advanced-computing tests: the item's declared ECCN, else its base
// classification (3A991, 4A994, 5A992, EAR99 …), shown in the label with its confidence.
void apply_base(const Item& item, Classification& c) {
  if (!item.eccn.empty()) {
    c.eccn = item.eccn;
    return;
  }
  if (item.base_eccn.empty()) return;
  c.eccn = item.base_eccn;
  c.base = true;
  c.label +=
      "; base classification " + item.base_eccn + " [" + std::string(1, item.base_eccn_confidence) + "]";
}

// The rule is false, and its first test is an item_kind test that fails: a rule about other
// kinds of item, not worth showing (decided without tracing it).
bool guarded_off(const Condition& when, const ItemFacts& facts, const TransactionFacts& tx) {
  const Condition* first = &when;
  while (first->op != Condition::Op::kLeaf && !first->children.empty()) first = &first->children[0];
  return first->op == Condition::Op::kLeaf && first->pred == Pred::kItemKind &&
         evaluate(*first, facts, tx, nullptr) == Tri::kFalse &&
         evaluate(when, facts, tx, nullptr) == Tri::kFalse;
}

}  // namespace

Classification classify(const Item& item, const Item* contained, Date as_of, const RuleSet& rules) {
  Classification c;
  c.item_id = item.id;
  c.as_of = as_of;
  if (item.kind == "chip" || item.kind == "system") c.tpp = compute_tpp(item.chip, rules.tpp());
  if (item.kind == "hbm" && item.hbm_bandwidth_gbps && item.hbm_area_mm2 && *item.hbm_area_mm2 > 0)
    c.hbm_density = *item.hbm_bandwidth_gbps / *item.hbm_area_mm2;
  if (contained)
    c.contained = std::make_shared<const Classification>(classify(*contained, nullptr, as_of, rules));

  ItemFacts facts = item_facts(item, c);
  TransactionFacts tx;
  tx.as_of = as_of;
  for (const auto& rule : rules.classification()) {
    if (!rule.in_force(as_of)) continue;
    if (guarded_off(rule.when, facts, tx)) continue;
    EvalTrace trace;
    trace.record_leaves = true;
    Tri r = evaluate(rule.when, facts, tx, &trace);
    // Rules guarded by item_kind that do not concern this kind of item are not worth showing.
    if (r == Tri::kFalse && !trace.leaves.empty() && trace.leaves.front().test.rfind("item_kind", 0) == 0 &&
        trace.leaves.front().result == Tri::kFalse)
      continue;
    c.trials.push_back({&rule, r, std::move(trace.leaves)});
    if (r == Tri::kUnknown) {
      c.status = "unknown";
      c.decided_by = &rule;
      for (Pred p : trace.missing) {
        std::string name(predicate_info(p).name);
        if (std::find(c.missing.begin(), c.missing.end(), name) == c.missing.end()) c.missing.push_back(name);
      }
      c.eccn = item.eccn;
      c.label = "unknown: missing " + (c.missing.empty() ? std::string("facts") : c.missing.front());
      for (size_t i = 1; i < c.missing.size(); ++i) c.label += ", " + c.missing[i];
      return c;
    }
    if (r == Tri::kTrue) {
      c.decided_by = &rule;
      c.status = rule.result.status;
      c.eccn = rule.result.eccn;
      if (auto p = c.eccn.find("{base}"); p != std::string::npos)
        c.eccn.replace(p, 6, item.base_eccn.substr(0, 5));
      c.paragraph = rule.result.paragraph;
      if (auto p = c.paragraph.find("{base}"); p != std::string::npos)
        c.paragraph.replace(p, 6, item.base_eccn.substr(0, 5));
      c.label = rule.result.label;
      if (c.status != "controlled" && c.eccn.empty()) apply_base(item, c);  // not caught
      return c;
    }
  }
  c.status = "unclassified";
  c.label = !item.eccn.empty() ? "declared " + item.eccn
            : (item.kind == "chip" || item.kind == "system" || item.kind == "hbm")
                ? "no classification rule in force for this item on this date"
                : "not classified under the US advanced-computing rules";
  apply_base(item, c);
  return c;
}

}  // namespace clearance
