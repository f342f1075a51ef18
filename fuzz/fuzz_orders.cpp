// Order books: the `check --orders` reader (parse_orders_csv), the streaming `impact` reader
// (OrderReader) and the currency table (RateTable::parse), all on the same bytes.
#include <sstream>

#include "clearance/common/date.hpp"
#include "clearance/decide/orders.hpp"
#include "clearance/impact/orders.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clearance;
  auto text = fuzz::text_of(data, size);
  static const Date kAsOf = *Date::parse("2025-06-01");
  (void)parse_orders_csv(text, "orders.csv", kAsOf);
  (void)parse_orders_csv(text, "orders.csv", std::nullopt);

  std::istringstream in{std::string(text)};
  OrderReaderOptions options;
  options.chunk_bytes = 64;  // records across chunk boundaries
  options.max_record_bytes = 4096;
  if (auto reader = OrderReader::open(in, "orders.csv", options)) {
    Order order;
    RowError error;
    for (int rows = 0; rows < 100000; ++rows) {
      auto s = (*reader)->next(order, error);
      if (s == OrderReader::Status::kEnd || s == OrderReader::Status::kError) break;
    }
  }
  (void)RateTable::parse(text, "rates.csv", "USD");
  return 0;
}
