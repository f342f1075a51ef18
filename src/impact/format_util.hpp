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

// The stylesheet the self-contained pages (impact report, changes digest) share: colours, page
// frame, headings and tables. Each page adds its own rules after it.
inline constexpr const char* kPageCss = R"CSS(
:root{--ink:#1d2733;--muted:#5b6b7d;--line:#d8dee6;--bg:#f6f8fa;--blocked:#c0392b;--shippable:#2e8b57;--policy:#d68910;--from:#8da2bb;--to:#1f5fa8}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",sans-serif;color:var(--ink);background:#fff}
header{background:var(--ink);color:#fff;padding:20px 32px}
header h1{margin:0 0 4px;font-size:22px;font-weight:600}
header .meta{margin:0;color:#c9d3de;font-size:12.5px}
main{padding:8px 32px 40px;max-width:1200px}
h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:14px;margin:16px 0 6px;color:var(--muted)}
table{border-collapse:collapse;width:100%;font-size:12.5px;margin:6px 0 12px}
th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{background:var(--bg);font-weight:600})CSS";

}  // namespace clearance::impact_detail
