// Impact: what a rule change does to an order book. Every order is determined at two points — two
// dates under one rule pack, or two rule-pack versions on one date (or both) — and the answer is the
// per-order change (verdicts, review policies, the rules that fired at one point and not the other)
// plus totals of count and value by verdict, jurisdiction, item, destination, customer and rule.
//
//   ImpactPoint a{"2025-03-01", engine, *Date::parse("2025-03-01")};
//   ImpactPoint b{"2025-05-01", engine, *Date::parse("2025-05-01")};
//   std::ifstream in("orders.csv", std::ios::binary);
//   auto report = run_impact(in, "orders.csv", a, b, ImpactOptions{},
//                            [&](const OrderImpact& o) { out << impact_csv_row(o, jurisdictions); });
//
// Streaming: orders are read and determined in chunks of ImpactOptions::chunk_orders; each order's
// result goes to the sink (in input order) and is then dropped. The report keeps only aggregates
// (bounded by the number of distinct keys, itself capped by max_group_keys) and the first
// max_listed changed orders. Memory does not grow with the number of orders.
//
// Money: values are quantity × unit value, kept per currency — no FX rates are invented. With a
// RateTable every value is converted to its base currency and the report has that one currency.
//
// The library never reads the clock and never prints: dates come in ImpactPoint, text goes out
// through the sink and the formatters of impact/report.hpp.
//
// Thread-safety: run_impact() uses ImpactOptions::threads threads of its own and calls the sink from
// the calling thread only. Several runs may go on at once over different streams; the engines and the
// checker they share must be thread-safe (Engine is; CachingPartyChecker and ScreenerPartyChecker are).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <istream>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/common/date.hpp"
#include "clearance/common/result.hpp"
#include "clearance/decide/engine.hpp"
#include "clearance/decide/party_checker.hpp"
#include "clearance/impact/orders.hpp"
#include "clearance/rules/rule_pack.hpp"

namespace clearance {

// One side of the comparison: a rule pack (inside an Engine) and a date.
struct ImpactPoint {
  std::string label;                     // how reports name it: "2025-05-01", "rules-v2 @ 2025-05-01"
  std::shared_ptr<const Engine> engine;  // REQUIRED
  Date as_of;                            // REQUIRED
};

// Loads the engine of a point: rule packs from rules_dir, the catalogue from data_dir/items and the
// country names from data_dir/text/countries.tsv. rules_dir may also be a data directory (holding
// rules/ and items/): then its own catalogue is used. Empty rules_dir: data_dir/rules.
Result<std::shared_ptr<const Engine>> load_impact_engine(const std::string& data_dir,
                                                         const std::string& rules_dir);
// The directories load_impact_engine reads (what a record keeps for replay).
Result<EngineOptions> impact_engine_options(const std::string& data_dir, const std::string& rules_dir);

struct ImpactOptions {
  const PartyChecker* checker =
      nullptr;                 // screens each order's customer; nullptr: rules only (customers not screened)
  unsigned threads = 0;        // 0: hardware concurrency
  size_t chunk_orders = 4096;  // orders determined per batch (bounds memory)
  size_t max_listed = 10000;   // changed orders kept in ImpactReport::changes
  size_t max_group_keys = 10000;     // distinct keys per breakdown; later keys go to "(other)"
  size_t max_errors = 1000;          // error messages kept (all are counted)
  const RateTable* rates = nullptr;  // convert to rates->base; nullptr: report per currency
  // Orders with the same facts share one determination per point. Exact: the key holds every fact a
  // rule can test, the customer through its list findings (screened once per order for both points),
  // and quantity and value only when some rule tests them. Off: every order is determined twice with
  // the checker called by the engine, the reference the memoised path is tested against.
  bool memoize = true;
  size_t memo_entries = 50000;  // cached determinations per point (cleared when full)
  OrderReaderOptions reader;
};

// How an order's answer moved from the first point to the second.
enum class Change : std::uint8_t {
  kUnchanged,  // same verdicts, review policies and rules
  kRulesOnly,  // same verdicts and policies; different rules fired (an advisory, a swapped exception)
  kPolicy,     // same verdict; a licence requirement's review policy changed (denial → case-by-case)
  kVerdict,  // the overall verdict changed within its class (exception → no licence; required → prohibited)
  kBlocked,    // flip: shippable (no_license_required, license_exception) → blocked (license_required,
               // prohibited)
  kUnblocked,  // flip: blocked → shippable
  kError,      // a bad row, or the order could not be determined at a point
};
std::string_view to_string(Change c);
// license_required and prohibited block a shipment, and so does undetermined (it cannot ship until
// the missing facts are supplied); no_license_required and license_exception do not.
inline bool is_blocked(Verdict v) {
  return v == Verdict::kUndetermined || v == Verdict::kLicenseRequired || v == Verdict::kProhibited;
}
inline bool is_flip(Change c) { return c == Change::kBlocked || c == Change::kUnblocked; }

// The part of a Determination that impact compares. Shared between orders with the same facts.
struct PointOutcome {
  struct Jurisdiction {
    std::string id;  // "US-EAR", "CN"
    Verdict verdict = Verdict::kNoLicenseRequired;
    ReviewPolicy policy = ReviewPolicy::kNone;
  };
  Verdict overall = Verdict::kNoLicenseRequired;
  // The review policy of the order: the most restrictive policy among the jurisdictions that require
  // a licence (kNone when none does).
  ReviewPolicy policy = ReviewPolicy::kNone;
  std::vector<Jurisdiction> jurisdictions;
  // Every rule that fired: requirements, prohibitions, exceptions, review policies, advisories, the
  // suspensions that set a rule aside, and the classification rule that decided the item's class.
  // Sorted, unique.
  std::vector<std::string> fired;
  std::string item_id, item_name, eccn;  // the resolved catalogue item and its class at this point
  std::string destination;               // ISO alpha-2
  std::string error_field, error;        // non-empty: the order could not be determined

  const Jurisdiction* find(std::string_view jurisdiction) const;
};

// One order's result, handed to the sink in input order.
struct OrderImpact {
  Order order;
  double value = 0;  // in `currency` (converted when a RateTable is given)
  std::string currency;
  std::shared_ptr<const PointOutcome> from, to;  // null for a bad row
  Change change = Change::kUnchanged;
  // Rules that fired at one point only: "+id" at the second point, "-id" at the first; by id.
  std::vector<std::string> rules_changed;
  std::string error;  // kError: "orders.csv:12: quantity: not a number: 'x'"
};
using OrderSink = std::function<void(const OrderImpact&)>;

// Count and value.
struct Amount {
  std::uint64_t orders = 0;
  double value = 0;
  void add(double v) {
    ++orders;
    value += v;
  }
};

// Aggregates of one group (a currency of a key of a breakdown). For a jurisdiction the verdicts are
// that jurisdiction's; everywhere else they are the overall verdicts.
struct Tally {
  Amount total;
  std::array<Amount, kVerdictCount> from{}, to{};  // by verdict (index: Verdict) at each point
  Amount to_blocked;                               // flips shippable → blocked
  Amount to_shippable;                             // flips blocked → shippable
  Amount verdict_changed;                          // any change of verdict (flips included)
  Amount policy_changed;                           // licence required at both points, review policy changed

  Amount blocked_from() const;  // license_required + prohibited at the first point
  Amount blocked_to() const;
  double value_at_stake() const { return to_blocked.value + to_shippable.value; }
};

// key -> currency -> tally.
using Breakdown = std::map<std::string, std::map<std::string, Tally>>;

struct PackDiff {
  std::vector<std::string> added, removed, modified;  // rule ids (licensing and classification rules)
  bool empty() const { return added.empty() && removed.empty() && modified.empty(); }
};
// Which rules differ between two rule sets, by id and content (dates, condition, outcome, policy,
// references, citation). Empty when both are the same version.
PackDiff diff_rule_sets(const RuleSet& a, const RuleSet& b);

struct ImpactReport {
  struct Point {
    std::string label;
    Date as_of;
    std::string rules_version;
  };
  std::string orders_file;
  Point from, to;
  std::vector<std::string> jurisdictions;  // of both rule sets, in pack order
  std::string base_currency;               // set when values were converted with a RateTable
  // Set when customers were screened against stand-in lists (PartyChecker::lists_note(): the
  // bundled samples of a data home that never imported a list); every format shows it.
  std::string lists_note;

  std::uint64_t rows = 0;                   // data rows read
  std::uint64_t orders = 0;                 // determined at both points (rows - errors)
  std::uint64_t errors = 0;                 // bad rows and orders that could not be determined
  std::vector<std::string> error_messages;  // the first ImpactOptions::max_errors

  std::map<std::string, Tally> totals;  // by currency
  Breakdown by_jurisdiction, by_item, by_destination, by_customer;
  Breakdown by_rule;                              // "+id" / "-id": orders where that rule changed
  std::map<std::string, std::uint64_t> overflow;  // breakdown name -> orders counted under "(other)"

  // Orders whose verdict or review policy changed (kBlocked, kUnblocked, kVerdict, kPolicy), in
  // input order: the first max_listed of them. changes_total counts them all.
  std::vector<OrderImpact> changes;
  std::uint64_t changes_total = 0;
  PackDiff pack_diff;

  std::uint64_t memo_hits = 0, memo_misses = 0;  // determinations shared / computed
};

// Runs the book. Fails (kBadInput) when the file as a whole is unusable (no header, a required column
// missing, CSV syntax that cannot be resynchronised) or a point lacks an engine or date; bad rows are
// reported through the sink and counted, and never stop the run.
Result<ImpactReport> run_impact(std::istream& orders, std::string_view filename, const ImpactPoint& from,
                                const ImpactPoint& to, const ImpactOptions& options = {},
                                const OrderSink& sink = {});

// Adds `part` to `into`: `part` is a run over the rows that follow `into`'s in the same book (cut
// after the header and read with OrderReaderOptions::line_shift), with the same points and options.
// The result is the report one run over both would give: counts, totals and breakdowns added, the
// changed orders and error messages kept in input order up to options.max_listed and max_errors.
// Two differences: memo_hits/memo_misses count each part's own memo, and a breakdown that reaches
// options.max_group_keys admits the keys of a later part in key order rather than in the order
// they first occur. Values are summed in another order, so they may differ in the last bits.
void merge_impact(ImpactReport& into, ImpactReport&& part, const ImpactOptions& options = {});

}  // namespace clearance
