#include "clearance/rules/condition.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "clearance/common/numbers.hpp"
#include "clearance/common/strings.hpp"

namespace clearance {

const std::vector<PredicateInfo>& predicate_table() {
  using K = ValueKind;
  static const std::vector<PredicateInfo> kTable = {
      {Pred::kAlways, "always", K::kTrue, "always true (fallback rules, suspensions)"},
      {Pred::kItem, "item", K::kStrings, "catalogue id of the item, e.g. nvidia-h20"},
      {Pred::kItemKind, "item_kind", K::kStrings, "chip, system, hbm, material, technology, generic"},
      {Pred::kVendor, "vendor", K::kNames, "the item's vendor (leading words), e.g. NVIDIA"},
      {Pred::kEccn, "eccn", K::kCodes, "the item's US classification; 3A090 matches 3A090.a and 3A090.b"},
      {Pred::kBaseEccn, "base_eccn", K::kCodes,
       "the ECCN the item has apart from the advanced-computing tests"},
      {Pred::kContainsEccn, "contains_eccn", K::kCodes, "classification of the ICs a system contains"},
      {Pred::kTpp, "tpp", K::kNumber,
       "total processing performance (max over precisions of dense TOPS x bits)"},
      {Pred::kPd, "pd", K::kNumber, "performance density: TPP / applicable die area (mm2)"},
      {Pred::kMemoryBandwidth, "memory_bandwidth_gbps", K::kNumber, "total DRAM (HBM) bandwidth, GB/s"},
      {Pred::kInterconnect, "interconnect_gbps", K::kNumber,
       "aggregate bidirectional chip-to-chip I/O, GB/s"},
      {Pred::kDieArea, "die_area_mm2", K::kNumber, "applicable (non-planar logic) die area, mm2"},
      {Pred::kHbmDensity, "hbm_bandwidth_density", K::kNumber, "HBM memory bandwidth density, GB/s per mm2"},
      {Pred::kDatacenter, "datacenter", K::kBool, "designed or marketed for use in datacenters"},
      {Pred::kSubjectToEar, "subject_to_ear", K::kBool,
       "the item is subject to the EAR (US origin, exported from the US, or flagged in the catalogue)"},
      {Pred::kCnControlCode, "cn_control_code", K::kCodes,
       "China's dual-use control code, e.g. 1C905 matches 1C905.b"},
      {Pred::kCnCategory, "cn_category", K::kStrings,
       "the catalogue's China control category, e.g. gallium, rare_earth_2025_18"},
      {Pred::kCnDualUse, "cn_dual_use", K::kBool,
       "the item is on China's Dual-Use Items Export Control List"},
      {Pred::kHsCode, "hs_code", K::kDigits, "customs (HS) code; a value matches the codes it prefixes"},
      {Pred::kQuantity, "quantity", K::kNumber, "units of the item in the order"},
      {Pred::kValue, "value", K::kNumber, "value of the item line in the order"},
      {Pred::kDestination, "destination", K::kCountries, "country of destination (ISO alpha-2)"},
      {Pred::kDestinationGroup, "destination_group", K::kGroups,
       "country groups of the destination on the date"},
      {Pred::kFrom, "from", K::kCountries, "country the item is exported from"},
      {Pred::kFromGroup, "from_group", K::kGroups, "country groups of the exporting country on the date"},
      {Pred::kOrigin, "origin", K::kCountries, "country of origin of the item"},
      {Pred::kExporter, "exporter", K::kNames,
       "exporter name (leading words): nvidia matches NVIDIA Corporation"},
      {Pred::kEndUse, "end_use", K::kEndUses, "declared end uses (vocabulary file)"},
      {Pred::kBuyerHq, "buyer_hq", K::kCountries,
       "country where the buyer or its ultimate parent is headquartered"},
      {Pred::kBuyerHqGroup, "buyer_hq_group", K::kGroups,
       "country groups of the buyer's headquarters country"},
      {Pred::kPartyList, "party_list", K::kSubstrings,
       "a party is on a list whose name contains one of the values"},
      {Pred::kPartyProgram, "party_program", K::kSubstrings,
       "a party's list entry has a program containing one of the values"},
      {Pred::kDestinationRegion, "destination_region", K::kRegions,
       "ISO 3166-2 region of the destination (UA-43 Crimea); unknown when the destination is that "
       "country and no region is given"},
      {Pred::kPartyRequirement, "party_requirement", K::kSubstrings,
       "the licence requirement text of a party's list entry contains one of the values (734.9(e))"},
      {Pred::kNeedsCheck, "needs_check", K::kText,
       "always unknown: a fact the packs cannot decide, named for the reader (the rule can only make "
       "the answer undetermined)"},
  };
  return kTable;
}

const PredicateInfo* find_predicate(std::string_view name) {
  for (const auto& p : predicate_table())
    if (p.name == name) return &p;
  return nullptr;
}

const PredicateInfo& predicate_info(Pred p) { return predicate_table()[static_cast<size_t>(p)]; }

bool NumberTest::holds(double x) const {
  switch (op) {
    case Op::kGte:
      return x >= value;
    case Op::kGt:
      return x > value;
    case Op::kLte:
      return x <= value;
    case Op::kLt:
      return x < value;
    case Op::kEq:
      return x == value;
  }
  return false;
}

namespace {

std::string join(const std::vector<std::string>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
  return s + "]";
}

}  // namespace

std::string NumberTest::to_string() const {
  static constexpr const char* kOps[] = {">=", ">", "<=", "<", "=="};
  return std::string(kOps[static_cast<int>(op)]) + " " + format_number(value);
}

std::string Condition::describe() const {
  switch (op) {
    case Op::kAll:
    case Op::kAny: {
      std::string s = op == Op::kAll ? "all(" : "any(";
      for (size_t i = 0; i < children.size(); ++i) s += (i ? "; " : "") + children[i].describe();
      return s + ")";
    }
    case Op::kNot:
      return "not(" + children[0].describe() + ")";
    case Op::kLeaf:
      break;
  }
  const auto& info = predicate_info(pred);
  std::string name(info.name);
  switch (info.kind) {
    case ValueKind::kTrue:
      return name;
    case ValueKind::kBool:
      return name + " is " + (flag ? "true" : "false");
    case ValueKind::kNumber: {
      std::string s;
      for (size_t i = 0; i < tests.size(); ++i) s += (i ? " and " : "") + name + " " + tests[i].to_string();
      return s;
    }
    default:
      return name + " in " + join(values);
  }
}

void Condition::collect_predicates(std::vector<Pred>& out) const {
  if (op == Op::kLeaf) {
    out.push_back(pred);
    return;
  }
  for (const auto& c : children) c.collect_predicates(out);
}

std::string normalize_name(std::string_view s) {
  std::string out;
  bool space = false;
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
      if (space && !out.empty()) out += ' ';
      out += static_cast<char>(c);
      space = false;
    } else if (c >= 'A' && c <= 'Z') {
      if (space && !out.empty()) out += ' ';
      out += static_cast<char>(c - 'A' + 'a');
      space = false;
    } else {
      space = true;
    }
  }
  return out;
}

bool is_chip_param(Pred p) {
  switch (p) {
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

bool is_item_fact(Pred p) {
  if (is_chip_param(p)) return true;
  switch (p) {
    case Pred::kItem:
    case Pred::kItemKind:
    case Pred::kVendor:
    case Pred::kEccn:
    case Pred::kBaseEccn:
    case Pred::kContainsEccn:
    case Pred::kCnControlCode:
    case Pred::kCnCategory:
    case Pred::kCnDualUse:
    case Pred::kHsCode:
      return true;
    default:
      return false;
  }
}

namespace {

// Byte equality of short strings without a library call (country and control codes are a few
// characters; this is the innermost loop of every determination).
bool same_prefix(std::string_view s, std::string_view p) {
  for (size_t i = 0; i < p.size(); ++i)
    if (s[i] != p[i]) return false;
  return true;
}

bool code_matches(std::string_view fact, std::string_view v) {
  if (fact.size() < v.size() || v.empty() || fact[0] != v[0] || !same_prefix(fact, v)) return false;
  return fact.size() == v.size() || fact[v.size()] == '.';
}

bool name_matches(std::string_view key, std::string_view v) {
  if (key.size() < v.size() || key.compare(0, v.size(), v) != 0) return false;
  return key.size() == v.size() || key[v.size()] == ' ';
}

bool contains_icase(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return true;
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    size_t k = 0;
    while (k < needle.size() && lower(hay[i + k]) == lower(needle[k])) ++k;
    if (k == needle.size()) return true;
  }
  return false;
}

bool in_list(std::string_view fact, const std::vector<std::string>& values) {
  for (const auto& v : values)
    if (equals_icase(fact, v)) return true;
  return false;
}

Tri tri(bool b) { return b ? Tri::kTrue : Tri::kFalse; }

// 3A090, 4A090 and the .z paragraphs: what the advanced-computing classification decides.
bool is_advanced_computing_code(std::string_view v) {
  return v.compare(0, 5, "3A090") == 0 || v.compare(0, 5, "4A090") == 0 ||
         v.find(".z") != std::string_view::npos;
}

std::string show(std::string_view s) { return s.empty() ? "(none)" : std::string(s); }

Tri leaf(const Condition& c, const ItemFacts& it, const TransactionFacts& tx, EvalTrace* tr,
         std::string* actual) {
  auto number = [&](const std::optional<double>& v) {
    if (!v) {
      if (actual) *actual = "unknown";
      return Tri::kUnknown;
    }
    if (actual) *actual = format_number(*v);
    for (const auto& t : c.tests)
      if (!t.holds(*v)) return Tri::kFalse;
    return Tri::kTrue;
  };
  auto word = [&](std::string_view f) {
    if (actual) *actual = show(f);
    return tri(in_list(f, c.values));
  };
  auto code = [&](std::string_view f) {
    if (actual) *actual = show(f);
    if (f.empty()) return Tri::kFalse;
    for (const auto& v : c.values)
      if (code_matches(f, v)) return Tri::kTrue;
    return Tri::kFalse;
  };
  auto country = [&](std::string_view f) {
    if (actual) *actual = show(f);
    if (f.empty()) return Tri::kUnknown;
    for (const auto& v : c.values)
      if (f.size() == v.size() && same_prefix(f, v)) return Tri::kTrue;
    return Tri::kFalse;
  };
  auto groups = [&](std::string_view who, GroupMask m) {
    if (actual) *actual = show(who);
    if (who.empty()) return Tri::kUnknown;
    return tri((m & c.groups) != 0);
  };
  auto names = [&](std::string_view key) {
    if (actual) *actual = show(key);
    if (key.empty()) return Tri::kFalse;
    for (const auto& v : c.values)
      if (name_matches(key, v)) return Tri::kTrue;
    return Tri::kFalse;
  };
  if (it.unresolved && is_item_fact(c.pred)) {
    if (actual) *actual = "unknown (item not identified)";
    return Tri::kUnknown;
  }
  switch (c.pred) {
    case Pred::kAlways:
      return Tri::kTrue;
    case Pred::kNeedsCheck:
      if (actual) *actual = "not known to the packs";
      return Tri::kUnknown;
    case Pred::kDestinationRegion: {
      if (actual) *actual = show(tx.region);
      if (!tx.region.empty()) return tri(in_list(tx.region, c.values));
      // No region given: unknown only where the destination is a country the values are in.
      for (const auto& v : c.values)
        if (tx.destination.size() == 2 && v.compare(0, 2, tx.destination) == 0) return Tri::kUnknown;
      return Tri::kFalse;
    }
    case Pred::kItem:
      return word(it.id);
    case Pred::kItemKind:
      return word(it.kind);
    case Pred::kVendor:
      return names(normalize_name(it.vendor));
    case Pred::kEccn:
      if (it.eccn_unknown) {
        if (actual) *actual = "unknown";
        // An item the advanced-computing tests cleared is known not to be 3A090/4A090/.z.
        for (const auto& v : c.values)
          if (!(it.not_advanced_computing && is_advanced_computing_code(v))) return Tri::kUnknown;
        return Tri::kFalse;
      }
      return code(it.eccn);
    case Pred::kBaseEccn:
      return code(it.base_eccn);
    case Pred::kContainsEccn: {
      for (auto e : it.contains_eccn)
        for (const auto& v : c.values)
          if (code_matches(e, v)) {
            if (actual) *actual = std::string(e);
            return Tri::kTrue;
          }
      if (it.contains_unknown) {
        if (actual) *actual = "unknown";
        return Tri::kUnknown;
      }
      if (actual) *actual = it.contains_eccn.empty() ? "(none)" : std::string(it.contains_eccn[0]);
      return Tri::kFalse;
    }
    case Pred::kTpp:
      return number(it.tpp);
    case Pred::kPd:
      return number(it.pd);
    case Pred::kMemoryBandwidth:
      return number(it.memory_bandwidth_gbps);
    case Pred::kInterconnect:
      return number(it.interconnect_gbps);
    case Pred::kDieArea:
      return number(it.die_area_mm2);
    case Pred::kHbmDensity:
      return number(it.hbm_density);
    case Pred::kQuantity:
      return number(it.quantity);
    case Pred::kValue:
      return number(it.value);
    case Pred::kDatacenter:
      if (!it.datacenter) {
        if (actual) *actual = "unknown";
        return Tri::kUnknown;
      }
      if (actual) *actual = *it.datacenter ? "true" : "false";
      return tri(*it.datacenter == c.flag);
    case Pred::kSubjectToEar:
      if (it.unresolved && !it.subject_to_ear) {  // unknown, unless exported from or made in the US
        if (actual) *actual = "unknown (item not identified)";
        return Tri::kUnknown;
      }
      if (actual) *actual = it.subject_to_ear ? "true" : "false";
      return tri(it.subject_to_ear == c.flag);
    case Pred::kCnDualUse:
      if (actual) *actual = it.cn_dual_use ? "true" : "false";
      return tri(it.cn_dual_use == c.flag);
    case Pred::kCnControlCode:
      return code(it.cn_control_code);
    case Pred::kCnCategory:
      return word(it.cn_category);
    case Pred::kHsCode: {
      if (it.hs_codes)
        for (const auto& h : *it.hs_codes)
          for (const auto& v : c.values)
            if (h.compare(0, v.size(), v) == 0) {
              if (actual) *actual = h;
              return Tri::kTrue;
            }
      if (actual) *actual = "(none matching)";
      return Tri::kFalse;
    }
    case Pred::kDestination:
      return country(tx.destination);
    case Pred::kDestinationGroup:
      return groups(tx.destination, tx.destination_groups);
    case Pred::kFrom:
      return country(tx.from);
    case Pred::kFromGroup:
      return groups(tx.from, tx.from_groups);
    case Pred::kOrigin:
      return country(tx.origin);
    case Pred::kExporter:
      return names(tx.exporter_key);
    case Pred::kBuyerHq:
      if (actual) *actual = show(tx.buyer_hq);
      if (tx.buyer_hq.empty()) return Tri::kFalse;  // no headquarters stated: the HQ rules do not apply
      return tri(std::find(c.values.begin(), c.values.end(), tx.buyer_hq) != c.values.end());
    case Pred::kBuyerHqGroup:
      if (actual) *actual = show(tx.buyer_hq);
      if (tx.buyer_hq.empty()) return Tri::kFalse;
      return tri((tx.buyer_hq_groups & c.groups) != 0);
    case Pred::kEndUse: {
      if (actual) *actual = tx.end_uses.empty() ? "(none)" : std::string(tx.end_uses[0]);
      for (auto e : tx.end_uses)
        if (in_list(e, c.values)) {
          if (actual) *actual = std::string(e);
          return Tri::kTrue;
        }
      return Tri::kFalse;
    }
    case Pred::kPartyList:
    case Pred::kPartyProgram:
    case Pred::kPartyRequirement: {
      bool any = false;
      for (size_t i = 0; i < tx.list_hits.size(); ++i) {
        const auto& h = tx.list_hits[i];
        bool m = false;
        for (const auto& v : c.values) {
          if (c.pred == Pred::kPartyList) {
            m = contains_icase(h.list, v);
          } else if (c.pred == Pred::kPartyRequirement) {
            m = contains_icase(h.requirement, v);
          } else if (h.programs) {
            for (const auto& p : *h.programs) m = m || contains_icase(p, v);
          }
          if (m) break;
        }
        if (m) {
          if (actual && !any) *actual = std::string(h.list);
          any = true;
          if (tr) tr->matched_hits.push_back(static_cast<int>(i));
        }
      }
      if (!any && actual)
        *actual = tx.parties_unscreened  ? "unknown (a party was not screened)"
                  : tx.list_hits.empty() ? "(no list hits)"
                                         : "(other lists)";
      if (!any && tx.parties_unscreened) return Tri::kUnknown;
      return tri(any);
    }
  }
  return Tri::kFalse;
}

}  // namespace

Tri evaluate(const Condition& c, const ItemFacts& item, const TransactionFacts& tx, EvalTrace* trace) {
  switch (c.op) {
    case Condition::Op::kAll: {
      // Short-circuit unless every test must be shown (classification explanations).
      const bool all_leaves = trace != nullptr && trace->record_leaves;
      Tri r = Tri::kTrue;
      for (const auto& ch : c.children) {
        Tri x = evaluate(ch, item, tx, trace);
        if (x == Tri::kFalse) {
          r = Tri::kFalse;
          if (!all_leaves) break;
        } else if (x == Tri::kUnknown && r != Tri::kFalse) {
          r = Tri::kUnknown;
        }
      }
      return r;
    }
    case Condition::Op::kAny: {
      const bool all_leaves = trace != nullptr && trace->record_leaves;
      Tri r = Tri::kFalse;
      for (const auto& ch : c.children) {
        Tri x = evaluate(ch, item, tx, trace);
        if (x == Tri::kTrue) {
          r = Tri::kTrue;
          if (!all_leaves) break;
        } else if (x == Tri::kUnknown && r != Tri::kTrue) {
          r = Tri::kUnknown;
        }
      }
      return r;
    }
    case Condition::Op::kNot: {
      Tri x = evaluate(c.children[0], item, tx, trace);
      return x == Tri::kUnknown ? x : (x == Tri::kTrue ? Tri::kFalse : Tri::kTrue);
    }
    case Condition::Op::kLeaf:
      break;
  }
  if (trace == nullptr) return leaf(c, item, tx, nullptr, nullptr);
  std::string actual;
  Tri r = leaf(c, item, tx, trace, trace->record_leaves ? &actual : nullptr);
  if (r == Tri::kUnknown) {
    trace->missing.push_back(c.pred);
    trace->missing_nodes.push_back(&c);
  }
  if (trace->record_leaves) trace->leaves.push_back({c.describe(), std::move(actual), r});
  return r;
}

Tri evaluate_why(const Condition& c, const ItemFacts& item, const TransactionFacts& tx, EvalTrace* trace,
                 const Condition** failed) {
  if (c.op != Condition::Op::kAll) {
    Tri t = evaluate(c, item, tx, trace);
    if (t == Tri::kFalse) *failed = &c;
    return t;
  }
  Tri r = Tri::kTrue;
  for (const auto& ch : c.children) {
    Tri x = evaluate_why(ch, item, tx, trace, failed);
    if (x == Tri::kFalse) return Tri::kFalse;  // *failed set by the child
    if (x == Tri::kUnknown) r = Tri::kUnknown;
  }
  return r;
}

}  // namespace clearance
