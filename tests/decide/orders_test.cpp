// Order books: parsing, bad rows kept with their location, parallel determination in input order.
#include "clearance/decide/orders.hpp"

#include <gtest/gtest.h>

#include "rules/rules_support.hpp"

namespace clearance {
namespace {

using testing::date;
using testing::engine;

TEST(Orders, ParseDetermineInOrderAndKeepBadRows) {
  ASSERT_TRUE(engine());
  std::string csv =
      "id,item,to,from,exporter,end_use,as_of,quantity\n"
      "o1,H100,CN,,,,2024-01-10,8\n"
      "o2,dysprosium oxide,JP,,,,2025-04-10,\n"
      "o3,H20,CN,,NVIDIA,,2025-05-01,\n"
      "o4,H100,CN,,,,2024-13-01,\n"
      "o5,Unobtainium,CN,,,,,\n"
      "o6,\"EAR99;H20\",CN,,,supercomputer,,\n";
  auto rows = parse_orders_csv(csv, "orders.csv", date("2024-06-01"));
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 6u);
  EXPECT_FALSE((*rows)[3].tx);
  EXPECT_EQ((*rows)[3].error, "orders.csv:5: as_of: bad date '2024-13-01' (expected YYYY-MM-DD)");
  ASSERT_TRUE((*rows)[5].tx);
  EXPECT_EQ((*rows)[5].tx->items.size(), 2u);
  EXPECT_EQ((*rows)[5].tx->as_of, date("2024-06-01"));
  std::vector<std::string> out;
  determine_orders(*engine(), *rows, nullptr, 2, [&](size_t i, const Result<Determination>& r) {
    EXPECT_EQ(i, out.size());
    out.push_back(order_summary_csv((*rows)[i].id, r));
  });
  ASSERT_EQ(out.size(), 6u);
  EXPECT_EQ(
      out[0].rfind("o1,license_required,license_required,presumption_of_denial,no_license_required,,", 0), 0u)
      << out[0];
  EXPECT_NE(out[1].find("cn.2025-18.rare-earths"), std::string::npos) << out[1];
  EXPECT_NE(out[2].find("us.letter.2025-04.nvidia-h20"), std::string::npos) << out[2];
  EXPECT_NE(out[3].find("bad date"), std::string::npos);
  // An item the catalogue does not know makes the row undetermined (issue 10), not an error.
  EXPECT_EQ(out[4].rfind("o5,undetermined,undetermined,", 0), 0u) << out[4];
  EXPECT_NE(out[5].find("us.744.23.a1.supercomputer"), std::string::npos) << out[5];
}

TEST(Orders, FileWithoutRequiredColumnsIsRejected) {
  auto r = parse_orders_csv("id,thing\n1,x\n", "o.csv", std::nullopt);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("o.csv:1: header: no 'item' column"), std::string::npos)
      << r.error().message;
  EXPECT_FALSE(parse_orders_csv("", "o.csv", std::nullopt).ok());
}

}  // namespace
}  // namespace clearance
