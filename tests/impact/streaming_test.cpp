// Streaming: a 200,000-order generated book, read from a stream that never exists as a whole, leaves a
// report of aggregates and a bounded list of changes; chunking and memoisation change no answer.
#include <gtest/gtest.h>

#include <istream>

#include "clearance/impact/report.hpp"
#include "impact/impact_support.hpp"
#include "impact/order_generator.hpp"

namespace clearance {
namespace {

using testing::OrderGenerator;
using testing::point;

TEST(ImpactStreaming, TwoHundredThousandOrdersLeaveOnlyAggregatesAndABoundedList) {
  constexpr std::uint64_t kOrders = 200000;
  OrderGenerator gen(kOrders, /*customers=*/50000);
  std::istream in(&gen);
  ImpactOptions opt;
  opt.threads = 2;
  opt.max_listed = 100;
  opt.max_group_keys = 1000;
  opt.max_errors = 10;
  std::uint64_t seen = 0, flips = 0;
  auto r = run_impact(in, "generated.csv", point("2025-03-01"), point("2025-08-15"), opt,
                      [&](const OrderImpact& o) {
                        ++seen;
                        flips += is_flip(o.change);
                      });
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(seen, kOrders);
  EXPECT_EQ(r->rows, kOrders);
  EXPECT_EQ(r->errors, 0u) << (r->error_messages.empty() ? "" : r->error_messages[0]);
  EXPECT_EQ(r->orders, kOrders);
  // Bounded: the list keeps max_listed changes, counting the rest.
  EXPECT_GT(r->changes_total, opt.max_listed);
  EXPECT_EQ(r->changes.size(), opt.max_listed);
  EXPECT_GT(flips, 0u);
  for (size_t i = 1; i < r->changes.size(); ++i)
    EXPECT_LT(r->changes[i - 1].order.line, r->changes[i].order.line);
  // Breakdowns hold keys, not orders: 50,000 customers are capped at 1,000 keys plus "(other)".
  EXPECT_EQ(r->by_customer.size(), opt.max_group_keys + 1);
  EXPECT_TRUE(r->by_customer.count("(other)"));
  EXPECT_GT(r->overflow.at("by_customer"), 0u);
  EXPECT_LE(r->by_item.size(), OrderGenerator::items().size());
  EXPECT_LE(r->by_destination.size(), 22u);
  EXPECT_LE(r->by_rule.size(), 2 * (testing::engine()->rules().rules().size() +
                                    testing::engine()->rules().classification().size()));
  std::uint64_t counted = 0;
  for (const auto& [cur, t] : r->totals) counted += t.total.orders;
  EXPECT_EQ(counted, kOrders);
  std::uint64_t per_customer = 0;
  for (const auto& [key, by_cur] : r->by_customer)
    for (const auto& [cur, t] : by_cur) per_customer += t.total.orders;
  EXPECT_EQ(per_customer, kOrders);
  // Orders with the same facts share determinations.
  EXPECT_EQ(r->memo_hits + r->memo_misses, 2 * kOrders);
  EXPECT_LT(r->memo_misses, kOrders / 10);
}

// Every order's CSV row under the given options.
std::vector<std::string> rows(std::uint64_t n, ImpactOptions opt, const PartyChecker* checker = nullptr) {
  OrderGenerator gen(n, 300, 7);
  std::istream in(&gen);
  opt.checker = checker;
  std::vector<std::string> out;
  std::vector<std::string> jur{"US-EAR", "CN"};
  auto r = run_impact(in, "generated.csv", point("2025-03-01"), point("2026-02-01"), opt,
                      [&](const OrderImpact& o) { out.push_back(impact_csv_row(o, jur)); });
  EXPECT_TRUE(r.ok());
  return out;
}

TEST(ImpactStreaming, ChunkingThreadsAndMemoisationChangeNoAnswer) {
  ImpactOptions plain;
  plain.memoize = false;
  plain.threads = 1;
  plain.chunk_orders = 4096;
  auto ref = rows(3000, plain);
  ASSERT_EQ(ref.size(), 3000u);
  ImpactOptions fast;
  fast.threads = 2;
  fast.chunk_orders = 97;
  fast.memo_entries = 50;  // forces the cache to be cleared and refilled
  EXPECT_EQ(rows(3000, fast), ref);
  fast.memo_entries = 200000;
  fast.reader.chunk_bytes = 333;
  EXPECT_EQ(rows(3000, fast), ref);
}

TEST(ImpactStreaming, MemoisationWithScreeningKeysOnTheCustomer) {
  ImpactOptions plain;
  plain.memoize = false;
  plain.threads = 2;
  ImpactOptions memo;
  memo.threads = 2;
  EXPECT_EQ(rows(1500, memo, testing::impact_checker()), rows(1500, plain, testing::impact_checker()));
}

}  // namespace
}  // namespace clearance
