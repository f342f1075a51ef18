// Order books: a CSV of transactions (`clearance check --input orders.csv`, the benchmark, and
// `impact`), parsed into Transactions and determined in parallel, in input order.
//
// Columns (header row, names case-insensitive; only item and to are required):
//   id, item, to (or destination), from, origin, party, party_country, exporter, end_use, buyer_hq,
//   quantity, value, as_of, region (ISO 3166-2, e.g. UA-43), eccn (the item's ECCN as the exporter
//   classified it)
// The order-book layout of `impact` (data/orders/sample-orders.csv) reads alike: customer and
// customer_country are party and party_country, date is the as_of date when there is no as_of
// column, unit_value gives value = quantity × unit_value, and currency is accepted. Any other column
// is refused rather than ignored. `item`, `party` and `end_use` may hold several values separated by
// ';'. A row without as_of uses the default date given to the parser. Quantities and values must be
// finite and non-negative.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/common/result.hpp"
#include "clearance/decide/determination.hpp"
#include "clearance/decide/engine.hpp"
#include "clearance/decide/transaction.hpp"

namespace clearance {

struct OrderRow {
  size_t line = 0;  // 1-based line of the record in the file
  std::string id;
  std::optional<Transaction> tx;  // empty when the row is bad
  std::string error;              // "orders.csv:12: as_of: bad date '2024-13-01'"
};

// Fails (kBadInput) only when the file as a whole is unusable: empty, no header, no item or to
// column, CSV syntax error. A bad row is kept with its error and the rest still parse.
Result<std::vector<OrderRow>> parse_orders_csv(std::string_view text, std::string_view filename,
                                               std::optional<Date> default_as_of);

// Determines every row with up to `threads` threads (0: hardware concurrency), calling
// sink(row_index, result) in input order from the calling thread. Bad rows reach the sink as errors.
void determine_orders(const Engine& engine, const std::vector<OrderRow>& rows, const PartyChecker* checker,
                      unsigned threads,
                      const std::function<void(size_t, const Result<Determination>&)>& sink);

// One CSV line summarising a determination (or an error) for batch output:
// id,overall,us_verdict,us_review_policy,cn_verdict,cn_review_policy,rules,error
std::string order_summary_header();
std::string order_summary_csv(const std::string& id, const Result<Determination>& r);

}  // namespace clearance
