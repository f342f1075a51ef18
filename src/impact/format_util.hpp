// Helpers shared by the impact formatters (text, JSON, HTML): the order in which breakdown rows are
// shown and verdict texts. Numbers are formatted by common/numbers.hpp.
#pragma once

#include <string>
#include <vector>

#include "clearance/common/numbers.hpp"
#include "clearance/impact/impact.hpp"

namespace clearance::impact_detail {

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
