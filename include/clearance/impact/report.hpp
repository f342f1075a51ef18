// Formats of an impact run: a CSV row per order (streamed through the OrderSink), and the report as
// a text summary, JSON, or a self-contained HTML page (inline CSS and SVG, no external assets, every
// user-provided string escaped). All return strings; nothing here prints or reads the clock.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/impact/impact.hpp"

namespace clearance {

// id,verdict_from,verdict_to,flipped,value,currency,changed_rules,change,policy_from,policy_to,
// <jurisdiction>_from,<jurisdiction>_to…,line,date,exporter,customer,destination,item,quantity,
// unit_value,error
std::string impact_csv_header(const std::vector<std::string>& jurisdictions);
// One line (with its '\n').
std::string impact_csv_row(const OrderImpact& o, const std::vector<std::string>& jurisdictions);

// A plain-text summary: the two points, counts, totals by verdict per currency, flips (at most
// max_rows listed), review-policy changes, the rules behind them, breakdowns (top max_rows keys by
// value at stake) and errors.
std::string impact_to_text(const ImpactReport& r, size_t max_rows = 50);

// {"orders_file", "from": {label, as_of, rules_version}, "to", "currency_mode", "counts",
//  "totals": {CUR: tally}, "by_jurisdiction"|"by_item"|"by_destination"|"by_customer"|"by_rule":
//  {key: {CUR: tally}}, "changes": [order…], "changes_total", "pack_diff", "errors"}
// A tally: {"orders", "value", "from": {verdict: {orders, value}}, "to": {…}, "to_blocked",
//  "to_shippable", "verdict_changed", "policy_changed"}.
nlohmann::ordered_json impact_to_json(const ImpactReport& r);
nlohmann::ordered_json order_impact_to_json(const OrderImpact& o);
// Reads what impact_to_json wrote, for a report kept as JSON (the parts of an impact job shared by
// replicas): impact_to_json of the result gives the same JSON, and the text and HTML formats the
// same pages. Of a changed order it keeps what the JSON holds (not customer_country, origin and the
// other facts the report does not show). kBadInput when the JSON is not such a report.
Result<ImpactReport> impact_from_json(const nlohmann::json& j);

struct HtmlOptions {
  std::string title = "Clearance — impact report";
  std::string generated;  // e.g. the run's timestamp, supplied by the front end; shown when set
  size_t max_rows = 200;  // rows of the flips and policy-change tables
  size_t max_bars = 12;   // keys per chart (largest value at stake first)
};
std::string impact_to_html(const ImpactReport& r, const HtmlOptions& options = {});

// &, <, >, ", ' escaped for HTML text and attribute values.
std::string html_escape(std::string_view s);

}  // namespace clearance
