// Order books for `impact`: a CSV of sales orders read as a stream, one record at a time, in
// bounded memory (the reader holds one read chunk plus the record being parsed, never the file).
//
// Columns (header row; names case-insensitive, spaces and hyphens read as '_'):
//   required: destination (or to, destination_country), item, quantity, unit_value (or unit_price),
//             currency
//   optional: id, date (the order date, YYYY-MM-DD; echoed, not used for the determination),
//             exporter, customer (or party, buyer), customer_country, from, origin, buyer_hq,
//             end_use (several separated by ';')
// `item` is anything Engine::resolve_item() accepts: a catalogue model (H20, "RTX 4090"), a
// material name (dysprosium oxide, 氧化镝), an ECCN (3A090.a, EAR99), a China control code
// (1C905.b) or an HS code. Values are quantity × unit_value in the row's currency.
//
//   std::ifstream in("orders.csv", std::ios::binary);
//   auto reader = OrderReader::open(in, "orders.csv");
//   Order o; RowError e;
//   while (true) {
//     auto s = (*reader)->next(o, e);
//     if (s == OrderReader::Status::kEnd) break;
//     if (s == OrderReader::Status::kError) { /* (*reader)->error() */ break; }
//     if (s == OrderReader::Status::kBadRow) { /* e.message: "orders.csv:12: quantity: …" */ continue; }
//     use(o);
//   }
//
// Thread-safety: one reader per stream, used from one thread.
#pragma once

#include <cstddef>
#include <istream>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/common/result.hpp"

namespace clearance {

// One order line: one item, a quantity and a unit value in a currency.
struct Order {
  size_t line = 0;   // 1-based physical line where the record starts
  std::string id;    // the caller's id; "line N" when the column is absent or empty
  std::string date;  // as given (validated YYYY-MM-DD) or empty
  std::string exporter;
  std::string customer;
  std::string customer_country;
  std::string destination;
  std::string item;
  std::string from, origin, buyer_hq;
  std::vector<std::string> end_uses;
  double quantity = 0;
  double unit_value = 0;
  std::string currency;  // ISO 4217 form: three letters, upper-cased

  double value() const { return quantity * unit_value; }
};

// A row that could not be read as an order. The reader moves on to the next row.
struct RowError {
  size_t line = 0;
  std::string id;       // when the row had one
  std::string field;    // the column at fault ("quantity"), or "row" for the record as a whole
  std::string message;  // "orders.csv:12: quantity: not a number: '12x'"
};

struct OrderReaderOptions {
  size_t chunk_bytes = size_t{1} << 20;       // bytes read from the stream at a time
  size_t max_record_bytes = size_t{1} << 20;  // a longer record stops the reader (kError)
  // Added to the line of every data row (Order::line, RowError and its message, the "line N" id): a
  // part cut from a larger book after its header, whose first row was on line line_shift + 2 there.
  size_t line_shift = 0;
};

class OrderReader {
 public:
  enum class Status { kOrder, kBadRow, kEnd, kError };

  // Reads the header. Fails (kBadInput) when the input is empty, has no header, a required column
  // is missing, a column is named twice, or the header is not valid CSV; the message names the
  // file and line.
  static Result<std::unique_ptr<OrderReader>> open(std::istream& in, std::string filename,
                                                   OrderReaderOptions options = {});
  ~OrderReader();

  // kOrder: `order` holds the next order. kBadRow: `error` says which row and field (the rest of the
  // file is still read). kEnd: no more rows. kError: the file cannot be read further (a quoted field
  // never closed, a record over the size limit, a read failure); error() names the line.
  Status next(Order& order, RowError& error);

  const std::string& error() const;
  const std::string& filename() const;
  // The header's column names, normalised, in file order.
  const std::vector<std::string>& columns() const;
  // Data rows seen so far (good and bad).
  size_t rows() const;

 private:
  OrderReader();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// An optional currency table: how many units of `base` one unit of each currency is worth, as the
// user supplies them (Clearance never invents or fetches FX rates).
//
//   currency,rate          # header required; rate = units of base per unit of currency
//   USD,1
//   CNY,0.1378
struct RateTable {
  std::string base;                     // the reporting currency, e.g. "USD"
  std::map<std::string, double> rates;  // currency -> units of base; base itself is 1

  // Errors name file, line and field: bad currency code, rate not a positive number, duplicates,
  // a base rate other than 1.
  static Result<RateTable> parse(std::string_view text, std::string_view filename, std::string_view base);
};

// "USD" from " usd ": three ASCII letters, upper-cased; empty when the text is not that.
std::string normalize_currency(std::string_view s);

}  // namespace clearance
