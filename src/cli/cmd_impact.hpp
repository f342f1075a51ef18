// `clearance impact`: an order book under two dates and/or two rule-pack versions. Options as parsed
// by main.cpp (CLI11 stays there); the work is the library's (impact/impact.hpp, impact/report.hpp).
//
//   clearance impact --orders FILE --from DATE --to DATE [--format text|csv|json|html] [--output FILE]
//                    [--report FILE.html]
//   clearance impact --orders FILE --rules-from DIR --rules-to DIR [--as-of DATE] …
#pragma once

#include <cstddef>
#include <string>

#include "cli/context.hpp"

namespace clearance::cli {

struct ImpactArgs {
  std::string orders;  // --orders FILE (required; "-" reads stdin)
  std::string from;    // --from YYYY-MM-DD: the first date
  std::string to;      // --to YYYY-MM-DD: the second date (--from and --to go together)
  std::string
      rules_from;        // --rules-from DIR: rule packs of the first point (default: the bundled data/rules)
  std::string rules_to;  // --rules-to DIR: rule packs of the second point (default: the bundled data/rules)
  std::string
      as_of;  // --as-of YYYY-MM-DD: the one date of both points when no --from/--to (default today, UTC)
  std::string format = "text";  // --format text|csv|json|html
  std::string output;           // --output FILE (default stdout)
  std::string report;           // --report FILE.html: also write the HTML report there
  std::string rates;  // --rates FILE: "currency,rate" table to convert values (default: no conversion)
  std::string base_currency = "USD";  // --base-currency CODE: the currency the rates convert to
  bool no_screen = false;             // --no-screen: do not screen customers against the lists
  unsigned threads = 0;               // --threads N (0 = all cores)
  size_t max_listed = 10000;          // --max-listed N: changed orders kept for the summary/JSON/HTML
};

// Exit 0 whatever the flips; 2 on bad usage or input (bad date, missing column, unreadable rule
// pack; or, after writing every row, when some rows were bad); 1 on internal or I/O failure.
int run_impact(Context& ctx, const ImpactArgs& a);

}  // namespace clearance::cli
