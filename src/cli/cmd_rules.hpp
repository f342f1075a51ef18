// `clearance classify` and `clearance check`: options as parsed by main.cpp (CLI11 stays there),
// calls into the library (decide/engine.hpp), output formatting and exit codes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/context.hpp"

namespace clearance::cli {

struct ClassifyArgs {
  std::string model;            // --model NAME (catalogue name, synonym, id …)
  std::string spec;             // --spec FILE (YAML or JSON chip description)
  std::string as_of;            // --as-of YYYY-MM-DD (default: today, UTC)
  std::string format = "text";  // --format text|json
};
// Exit 0 with the classification; 2 for an unknown item (with suggestions), a bad spec or date.
int run_classify(Context& ctx, const ClassifyArgs& a);

struct CheckArgs {
  std::string item;    // --item ITEM (several separated by ';')
  std::string spec;    // --spec FILE: a chip described in a file instead of --item
  std::string to;      // --to CC (required unless --input)
  std::string from;    // --from CC (default: the item's origin: US for US chips, CN for Chinese materials)
  std::string origin;  // --origin CC
  std::vector<std::string> parties;   // --party NAME (repeatable)
  std::string party_country;          // --party-country CC
  std::string exporter;               // --exporter NAME
  std::string buyer_hq;               // --buyer-hq CC (buyer's or its ultimate parent's headquarters)
  std::string region;                 // --region ISO-3166-2 (UA-43): the destination's region
  std::string eccn;                   // --eccn ECCN: the item's classification as the exporter made it
  std::string en_route_since;         // --en-route-since YYYY-MM-DD (savings clauses)
  bool all_uncertain = false;         // --all-uncertain: also marks that cannot change the answer
  std::vector<std::string> end_uses;  // --end-use USE (repeatable; vocabulary in data/rules/vocabulary.yaml)
  std::optional<double> quantity;     // --quantity N
  std::optional<double> value;        // --value V
  std::string as_of;                  // --as-of YYYY-MM-DD (default: today, UTC)
  std::string format = "text";        // text|json (single); jsonl|csv (batch)
  std::string input;                  // --input orders.csv (batch)
  std::string output;                 // --output FILE (batch; default stdout)
  bool no_screen = false;             // --no-screen: do not screen parties
  unsigned threads = 0;               // --threads N (batch; 0 = all cores)
};
// Exit 0 whatever the verdict; 2 on bad input (unknown item, country or end use, bad date; in a
// batch, after writing every row, when some rows were bad); 1 on internal or I/O failure.
int run_check(Context& ctx, const CheckArgs& a);

}  // namespace clearance::cli
