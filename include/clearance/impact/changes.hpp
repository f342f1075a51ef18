// `clearance changes`: what changed in a window of days, in one digest —
//   (a) list entries added, removed and changed between the snapshots in force at the two points,
//       per list (lists/diff.hpp),
//   (b) rule-pack rules that took effect, ended, were suspended or resumed within the window,
//   (c) customers whose screening result changed (match/rescreen.hpp),
//   (d) orders whose verdict or review policy changed (impact.hpp).
//
// Fail closed: each part carries its own status. A part that was asked for and could not be
// computed (no snapshot in force at the first point, a snapshot file gone, a bad input file) says
// so with the reason, in every format; it is never shown as "no changes".
//
// The front end gathers the parts (it reads the data home, the clock and the files); this header
// computes the rule part and renders the digest. Nothing here prints or reads the clock.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "clearance/common/date.hpp"
#include "clearance/impact/impact.hpp"
#include "clearance/lists/diff.hpp"
#include "clearance/match/rescreen.hpp"
#include "clearance/rules/rule_pack.hpp"

namespace clearance {

// Whether a part of the digest was computed.
enum class PartStatus {
  kNotRequested,  // e.g. no --customers file given
  kComputed,      // complete: an empty part really means nothing changed
  kNotComputed,   // asked for and could not be computed: `reason` says why
};
std::string_view to_string(PartStatus s);

// One rule's change within the window.
struct RuleChange {
  enum class Kind { kTookEffect, kEnded, kSuspended, kResumed };
  Kind kind = Kind::kTookEffect;
  Date date;  // the first day the change applies (an end: the first day the rule is no longer in force)
  const Rule* rule = nullptr;
  const Rule* by = nullptr;  // kSuspended / kResumed: the suspension rule
};
std::string_view to_string(RuleChange::Kind k);

// The rules (licensing and classification) whose being in force differs between the day `since`
// and the day `until` because of a date within (since, until]: effective_from in the window (took
// effect), effective_to + 1 in the window (ended), and for every suspension rule that took effect
// or ended in the window, each rule it suspends (suspended / resumed). Sorted by date, then rule id.
std::vector<RuleChange> rule_changes(const RuleSet& rules, Date since, Date until);

// One list of part (a): its diff, or why it could not be computed.
struct ListChanges {
  std::string list;
  PartStatus status = PartStatus::kComputed;
  std::string reason;
  SnapshotDiff diff;  // kComputed
};

struct ChangesDigest {
  std::string since, until;  // as given (a date, or a point in time for the lists)
  Date since_day, until_day;
  std::string generated;  // supplied by the front end; shown when set

  PartStatus lists_status = PartStatus::kNotComputed;
  std::string lists_reason;  // set when not computed as a whole (e.g. no list history here)
  std::vector<ListChanges> lists;

  PartStatus rules_status = PartStatus::kNotComputed;
  std::string rules_reason, rules_version;
  std::vector<RuleChange> rules;

  PartStatus customers_status = PartStatus::kNotRequested;
  std::string customers_reason, customers_file;
  RescreenResult customers;  // new_hits / gone_hits between the two points

  PartStatus orders_status = PartStatus::kNotRequested;
  std::string orders_reason, orders_file;
  std::optional<ImpactReport> orders;

  // Every part that was asked for was computed (else the front end exits non-zero).
  bool complete() const;
};

std::string changes_to_text(const ChangesDigest& d, size_t limit = 50);
nlohmann::ordered_json changes_to_json(const ChangesDigest& d);
// A self-contained page like the impact report (inline CSS, no scripts, no external assets), with
// data-entry / data-rule / data-customer / data-order attributes on the rows it lists and
// data-status on each part.
std::string changes_to_html(const ChangesDigest& d, size_t limit = 500);

}  // namespace clearance
