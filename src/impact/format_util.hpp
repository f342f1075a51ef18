// Helpers shared by the impact formatters (text, JSON, HTML): number formatting and the order in
// which breakdown rows are shown.
#pragma once

#include <string>
#include <vector>

#include "clearance/impact/impact.hpp"

namespace clearance::impact_detail {

// "1,234,567" for whole amounts, "1,234.50" otherwise; "-" prefix for negatives.
std::string money(double v);
// "1234567.5" with at most two decimals, no grouping: for CSV.
std::string plain_number(double v);
std::string count(std::uint64_t n);

// One (key, currency) row of a breakdown.
struct Row {
  const std::string* key;
  const std::string* currency;
  const Tally* tally;
};
// Rows ordered by value at stake, then value whose policy changed, then value blocked at the
// second point, then orders, then key (each amount compared as a number, in its own currency).
std::vector<Row> ranked_rows(const Breakdown& b);

// "no_license_required → license_required" with the policies in brackets when set.
std::string verdict_text(const PointOutcome& p);
std::string policy_text(ReviewPolicy p);  // "" → "none stated"

}  // namespace clearance::impact_detail
