// The streaming order reader and the rate table: columns and aliases, bad rows with file, line and
// field (the rest of the file still read), CSV that spans read chunks, and whole-file errors.
#include "clearance/impact/orders.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "impact/impact_support.hpp"

namespace clearance {
namespace {

using testing::point;
using testing::run_book;

struct Read {
  std::vector<Order> orders;
  std::vector<RowError> bad;
  std::string error;  // kError
};

Read read_all(const std::string& csv, size_t chunk = 1 << 20, size_t max_record = 1 << 20) {
  Read out;
  std::istringstream in(csv);
  OrderReaderOptions o;
  o.chunk_bytes = chunk;
  o.max_record_bytes = max_record;
  auto r = OrderReader::open(in, "orders.csv", o);
  if (!r) {
    out.error = r.error().message;
    return out;
  }
  Order ord;
  RowError err;
  for (;;) {
    auto st = (*r)->next(ord, err);
    if (st == OrderReader::Status::kEnd) break;
    if (st == OrderReader::Status::kError) {
      out.error = (*r)->error();
      break;
    }
    if (st == OrderReader::Status::kBadRow)
      out.bad.push_back(err);
    else
      out.orders.push_back(ord);
  }
  return out;
}

TEST(ImpactOrders, ColumnsAliasesAndValues) {
  auto r = read_all(
      "\xEF\xBB\xBFOrder ID,Order-Date,Exporter,Party,To,Item,Qty,Unit Price,Currency,End Use\r\n"
      "A1,2025-03-01,NVIDIA Corporation,\"Acme, Ltd.\",cn,H20,10,12500.5,usd,civil;ai_model_training\r\n"
      "\r\n"
      ",,,,JP,gallium,1e3,0.5,Cny,\r\n");
  ASSERT_TRUE(r.error.empty()) << r.error;
  ASSERT_TRUE(r.bad.empty()) << r.bad[0].message;
  ASSERT_EQ(r.orders.size(), 2u);
  const Order& a = r.orders[0];
  EXPECT_EQ(a.id, "A1");
  EXPECT_EQ(a.line, 2u);
  EXPECT_EQ(a.date, "2025-03-01");
  EXPECT_EQ(a.customer, "Acme, Ltd.");
  EXPECT_EQ(a.destination, "cn");
  EXPECT_EQ(a.currency, "USD");
  EXPECT_DOUBLE_EQ(a.value(), 125005.0);
  EXPECT_EQ(a.end_uses, (std::vector<std::string>{"civil", "ai_model_training"}));
  const Order& b = r.orders[1];
  EXPECT_EQ(b.id, "line 4");  // no id: named by its line
  EXPECT_EQ(b.line, 4u);
  EXPECT_DOUBLE_EQ(b.quantity, 1000.0);
  EXPECT_EQ(b.currency, "CNY");
}

TEST(ImpactOrders, BadRowsNameFileLineAndFieldAndTheRestIsRead) {
  auto r = read_all(
      "id,date,exporter,customer,destination,item,quantity,unit_value,currency\n"
      "o1,2025-02-30,,,CN,H20,1,1,USD\n"  // 2: impossible date
      "o2,,,,CN,H20,12x,1,USD\n"          // 3
      "o3,,,,CN,H20,-4,1,USD\n"           // 4: negative
      "o4,,,,CN,H20,1,,USD\n"             // 5: empty unit value
      "o5,,,,CN,H20,1,1,US Dollars\n"     // 6
      "o6,,,,CN,H20,1,1,\n"               // 7
      "o7,,,,,H20,1,1,USD\n"              // 8
      "o8,,,,CN,,1,1,USD\n"               // 9
      "o9,,,Acme, Ltd.,CN,H20,1,1,USD\n"  // 10: unquoted comma shifts the columns
      "o10,,,\xC3\x28,CN,H20,1,1,USD\n"   // 11: invalid UTF-8
      "o11,,,,CN,H20,1,nan,USD\n"         // 12
      "o12,,,,CN,H20,2,3,USD\n");         // 13: good
  ASSERT_TRUE(r.error.empty()) << r.error;
  ASSERT_EQ(r.orders.size(), 1u);
  EXPECT_EQ(r.orders[0].id, "o12");
  EXPECT_EQ(r.orders[0].line, 13u);
  std::vector<std::string> msgs;
  for (const auto& b : r.bad) msgs.push_back(b.message);
  EXPECT_EQ(msgs,
            (std::vector<std::string>{
                "orders.csv:2: date: bad date '2025-02-30' (expected YYYY-MM-DD)",
                "orders.csv:3: quantity: not a non-negative number: '12x'",
                "orders.csv:4: quantity: not a non-negative number: '-4'",
                "orders.csv:5: unit_value: empty",
                "orders.csv:6: currency: expected a three-letter ISO 4217 code such as USD, got 'US Dollars'",
                "orders.csv:7: currency: empty",
                "orders.csv:8: destination: empty",
                "orders.csv:9: item: empty",
                "orders.csv:10: row: has 10 fields, the header has 9 (a value with a comma must be quoted)",
                "orders.csv:11: customer: invalid UTF-8 at byte 1",
                "orders.csv:12: unit_value: not a non-negative number: 'nan'",
            }));
  EXPECT_EQ(r.bad[1].field, "quantity");
  EXPECT_EQ(r.bad[1].id, "o2");
  EXPECT_EQ(r.bad[1].line, 3u);
}

TEST(ImpactOrders, WholeFileErrors) {
  EXPECT_EQ(read_all("").error, "orders.csv: empty (expected a header row)");
  EXPECT_EQ(
      read_all("id,item,destination,quantity,currency\nx,H20,CN,1,USD\n").error,
      "orders.csv:1: header: no 'unit_value' column (columns: id,date,exporter,customer,customer_country,"
      "destination,item,quantity,unit_value,currency,from,origin,buyer_hq,end_use)");
  EXPECT_EQ(read_all("item,to,destination,quantity,unit_value,currency\n").error,
            "orders.csv:1: header: column 'destination' given twice");
  // A quote never closed swallows the rest of the file: stop there, naming the line it opened on.
  auto r = read_all(
      "id,destination,item,quantity,unit_value,currency\na,CN,H20,1,1,USD\nb,CN,\"H20,1,1,USD\nc,CN,H20,1,1,"
      "USD\n",
      8);
  EXPECT_EQ(r.orders.size(), 1u);
  EXPECT_EQ(r.error, "orders.csv:3: quoted field is never closed (the file may be truncated)");
  // A record over the size limit stops the reader too.
  std::string big =
      "id,destination,item,quantity,unit_value,currency\na,CN,\"" + std::string(5000, 'x') + "\",1,1,USD\n";
  auto t = read_all(big, 64, 1024);
  EXPECT_EQ(t.error, "orders.csv:2: record is longer than the limit of 1 KiB");
}

TEST(ImpactOrders, RecordsSpanningReadChunksReadTheSameAtEveryChunkSize) {
  std::string csv =
      "id,customer,destination,item,quantity,unit_value,currency\r\n"
      "q1,\"Line one\nline two, with \"\"quotes\"\"\",CN,H20,1,10,USD\r\n"
      "q2,\"北京某某科技有限公司\",CN,RTX 4090,2,1899.99,USD\r\n"
      "\r\n\r\n"
      "q3,plain,JP,氧化镝,3,1650,CNY";  // no final line end
  auto ref = read_all(csv);
  ASSERT_TRUE(ref.error.empty()) << ref.error;
  ASSERT_EQ(ref.orders.size(), 3u);
  EXPECT_EQ(ref.orders[0].customer, "Line one\nline two, with \"quotes\"");
  EXPECT_EQ(ref.orders[1].line, 4u);
  EXPECT_EQ(ref.orders[2].line, 7u);
  for (size_t chunk : {1, 2, 3, 5, 7, 16, 31, 64}) {
    auto r = read_all(csv, chunk);
    ASSERT_TRUE(r.error.empty()) << chunk << ": " << r.error;
    ASSERT_EQ(r.orders.size(), ref.orders.size()) << chunk;
    for (size_t i = 0; i < r.orders.size(); ++i) {
      EXPECT_EQ(r.orders[i].id, ref.orders[i].id) << chunk;
      EXPECT_EQ(r.orders[i].line, ref.orders[i].line) << chunk;
      EXPECT_EQ(r.orders[i].customer, ref.orders[i].customer) << chunk;
      EXPECT_EQ(r.orders[i].item, ref.orders[i].item) << chunk;
      EXPECT_EQ(r.orders[i].currency, ref.orders[i].currency) << chunk;
      EXPECT_DOUBLE_EQ(r.orders[i].unit_value, ref.orders[i].unit_value) << chunk;
    }
  }
}

TEST(ImpactOrders, EngineErrorsAreRowErrorsWithTheirField) {
  std::string csv =
      "id,exporter,customer,customer_country,destination,item,quantity,unit_value,currency,end_use\n"
      "e1,,,,CN,Unobtainium 9000,1,1,USD,\n"
      "e2,,,,Atlantis,H20,1,1,USD,\n"
      "e3,,,,CN,H20,1,1,USD,space_tourism\n"
      "e4,,Acme,Narnia,CN,H20,1,1,USD,\n"
      "e5,,Acme,,CN,H20,1,1,usd,\n";  // same facts as e4 but a valid (empty) customer country
  auto r = run_book(csv, point("2025-03-01"), point("2025-05-01"));
  EXPECT_EQ(r.report.rows, 5u);
  EXPECT_EQ(r.report.errors, 3u);
  EXPECT_EQ(r.report.orders, 2u);
  ASSERT_EQ(r.orders.size(), 5u);  // the sink sees every row, in order
  // An unknown item is an undetermined order at both points (issue 10: fail closed), not an error.
  EXPECT_EQ(r.orders[0].change, Change::kUnchanged);
  ASSERT_TRUE(r.orders[0].to);
  EXPECT_EQ(r.orders[0].to->overall, Verdict::kUndetermined);
  EXPECT_EQ(r.orders[1].error.rfind("orders.csv:3: destination: unknown country 'Atlantis'", 0), 0u)
      << r.orders[1].error;
  EXPECT_EQ(r.orders[2].error.rfind("orders.csv:4: end_use: unknown end use 'space_tourism'", 0), 0u)
      << r.orders[2].error;
  EXPECT_EQ(r.orders[3].error.rfind("orders.csv:5: customer_country: unknown country 'Narnia'", 0), 0u)
      << r.orders[3].error;
  EXPECT_EQ(r.orders[4].change, Change::kUnchanged);  // a distributor's H20: no letter
  EXPECT_EQ(r.orders[4].currency, "USD");
  EXPECT_EQ(r.report.error_messages.size(), 3u);
}

// Issue 9: the field of an order's error is the engine's Error::field (the parties' country being
// the order's customer_country), not a prefix read from the engine's message.
TEST(ImpactOrders, RowErrorNamesTheFieldTheEngineSet) {
  auto r = run_book(
      "id,customer,customer_country,destination,item,quantity,unit_value,currency,end_use\n"
      "a,Acme,Narnia,CN,H20,1,1,USD,\n"
      "b,,,Atlantis,H20,1,1,USD,\n"
      "c,,,CN,H20,1,1,USD,space_tourism\n",
      point("2025-03-01"), point("2025-05-01"));
  ASSERT_EQ(r.orders.size(), 3u);
  const char* fields[] = {"customer_country", "destination", "end_use"};
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(r.orders[i].from) << i;
    EXPECT_EQ(r.orders[i].from->error_field, fields[i]) << r.orders[i].error;
    const std::string place = "orders.csv:" + std::to_string(i + 2) + ": " + fields[i] + ": ";
    EXPECT_EQ(r.orders[i].error.rfind(place, 0), 0u) << r.orders[i].error;
  }
}

TEST(ImpactOrders, AnErrorAtBothPointsIsReportedOnceWithoutAPointLabel) {
  auto r = run_book("id,destination,item,quantity,unit_value,currency,end_use\nx,CN,H20,1,1,USD,nonsense\n",
                    point("2025-03-01"), point("2025-05-01"));
  ASSERT_EQ(r.orders.size(), 1u);
  EXPECT_EQ(r.orders[0].error.find("(at "), std::string::npos) << r.orders[0].error;  // both points agree
}

// Field bug (stop 29): a customer named by signs that read into no word (ฯ) was screened as "no
// list hits", and its order counted as needing no licence. Such a customer is not screened: its
// order is undetermined at both points, memoised or not, while a customer with a name is cleared.
TEST(ImpactOrders, ACustomerWhoseNameReadsIntoNoWordIsNotCleared) {
  const std::string book =
      "id,customer,destination,item,quantity,unit_value,currency\n"
      "o1,\u0E2F,DE,EAR99,1,100,USD\n"
      "o2,Acme Corp,DE,EAR99,1,100,USD\n";
  for (bool memoize : {true, false}) {
    ImpactOptions opt;
    opt.checker = testing::impact_checker();
    opt.memoize = memoize;
    auto run = run_book(book, point("2026-01-01"), point("2026-06-01"), opt);
    const OrderImpact* unnamed = run.find("o1");
    const OrderImpact* named = run.find("o2");
    ASSERT_TRUE(unnamed && named && unnamed->from && unnamed->to && named->from) << memoize;
    EXPECT_EQ(unnamed->from->overall, Verdict::kUndetermined) << memoize;
    EXPECT_EQ(unnamed->to->overall, Verdict::kUndetermined) << memoize;
    EXPECT_EQ(named->from->overall, Verdict::kNoLicenseRequired) << memoize;
  }
}

TEST(ImpactRates, ParseAndConvert) {
  auto t = RateTable::parse("currency,rate\nCNY,0.14\njpy,0.0067\n", "rates.csv", "usd");
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->base, "USD");
  EXPECT_DOUBLE_EQ(t->rates.at("USD"), 1.0);
  EXPECT_DOUBLE_EQ(t->rates.at("JPY"), 0.0067);
  ImpactOptions opt;
  opt.rates = &*t;
  opt.checker = testing::impact_checker();
  auto r = run_book(testing::sample_book(), point("2025-03-01"), point("2025-05-01"), opt);
  ASSERT_EQ(r.report.totals.size(), 1u);
  EXPECT_EQ(r.report.base_currency, "USD");
  EXPECT_NEAR(r.report.totals.at("USD").to_blocked.value,
              100'133'000.0 + 5'775'000.0 * 0.14 + 18'250'000.0 * 0.0067, 1e-6);
  EXPECT_EQ(r.report.totals.at("USD").to_blocked.orders, 7u);

  auto partial = RateTable::parse("currency,rate\nCNY,0.14\n", "rates.csv", "USD");
  ASSERT_TRUE(partial.ok());
  opt.rates = &*partial;
  auto p =
      run_book(testing::sample_book(), point("2025-03-01"), point("2025-05-01"), opt, "sample-orders.csv");
  EXPECT_EQ(p.report.errors, 1u);  // the JPY order
  ASSERT_EQ(p.report.error_messages.size(), 1u);
  EXPECT_EQ(p.report.error_messages[0], "sample-orders.csv:21: currency: no rate for JPY in the rate table");
}

TEST(ImpactRates, BadTables) {
  auto msg = [](const char* text, const char* base = "USD") {
    auto t = RateTable::parse(text, "rates.csv", base);
    return t.ok() ? std::string("ok") : t.error().message;
  };
  EXPECT_EQ(msg("currency,rate\nCNY,abc\n"), "rates.csv:2: rate: not a positive number: 'abc'");
  EXPECT_EQ(msg("currency,rate\nCNY,0\n"), "rates.csv:2: rate: not a positive number: '0'");
  EXPECT_EQ(msg("currency,rate\nYUAN,0.14\n"),
            "rates.csv:2: currency: expected a three-letter ISO 4217 code, got 'YUAN'");
  EXPECT_EQ(msg("currency,rate\nCNY,0.14\ncny,0.15\n"),
            "rates.csv:3: currency: CNY given twice (first on line 2)");
  EXPECT_EQ(msg("currency,rate\nUSD,1.1\n"), "rates.csv:2: rate: the base currency USD must have rate 1");
  EXPECT_EQ(msg("code,value\n"), "rates.csv:1: header: expected columns 'currency,rate'");
  EXPECT_EQ(msg("currency,rate\n", "dollars"),
            "base currency: expected a three-letter ISO 4217 code, got 'dollars'");
}

}  // namespace
}  // namespace clearance
