// lists/formats/party_builders: names, birth dates and merged duplicates of a party.
#include "lists/formats/party_builders.hpp"

#include <gtest/gtest.h>

#include "lists/lists_test_support.hpp"

namespace clearance::formats {
namespace {

TEST(Builders, NamesAreTrimmedDedupedAndScripted) {
  Party p;
  add_name(p, "  Huawei   Technologies\n Co., Ltd. ", NameKind::kAka);  // the first name is primary
  add_name(p, "Huawei Technologies Co., Ltd.", NameKind::kAka);
  add_name(p, "华为技术有限公司", NameKind::kAka);
  add_name(p, "Huawei", NameKind::kWeak);
  add_name(p, "Huawei", NameKind::kAka);  // a stronger kind wins
  add_name(p, "   ", NameKind::kAka);
  ASSERT_EQ(p.names.size(), 3u);
  EXPECT_EQ(p.names[0].text, "Huawei Technologies Co., Ltd.");
  EXPECT_EQ(p.names[0].kind, NameKind::kPrimary);
  EXPECT_EQ(p.names[1].script, Script::kHan);
  EXPECT_EQ(p.names[2].kind, NameKind::kAka);
}

TEST(Builders, BirthDates) {
  Party p;
  for (auto d :
       {"12 Jan 1960", "circa 1961", "Nov. 1973", "1978-04-28", "1955 to 1957", "garbage", "", "1/2/1990"})
    add_birth_date(p, d);
  EXPECT_EQ(p.birth_dates, (std::vector<std::string>{"1960-01-12", "1961", "1973-11", "1978-04-28", "1955",
                                                     "1956", "1957", "1990-01-02"}));
}

TEST(Builders, MergeDuplicateIds) {
  std::vector<Party> ps(4);
  ps[0].id = "1";
  ps[0].list = "Entity List (EL) - Bureau of Industry and Security";
  add_name(ps[0], "A Co", NameKind::kPrimary);
  add_address(ps[0], "Kabul", "AF");
  ps[1].id = "1";
  ps[1].list = ps[0].list;
  add_name(ps[1], "A Co", NameKind::kPrimary);
  add_name(ps[1], "A Company", NameKind::kAka);
  add_address(ps[1], "Peshawar", "PK");
  ps[2].id = "2";
  ps[2].list = "Specially Designated Nationals (SDN) - Treasury Department";
  add_name(ps[2], "B", NameKind::kPrimary);
  ps[3].id = "2";
  ps[3].list = "Sectoral Sanctions Identifications List (SSI) - Treasury Department";
  add_name(ps[3], "B", NameKind::kPrimary);
  merge_duplicate_ids(ps);
  ASSERT_EQ(ps.size(), 3u);
  EXPECT_EQ(ps[0].addresses.size(), 2u);
  EXPECT_EQ(ps[0].countries, (std::vector<std::string>{"AF", "PK"}));
  EXPECT_EQ(ps[0].names.size(), 2u);
  EXPECT_EQ(ps[1].id, "2-sdn");
  EXPECT_EQ(ps[2].id, "2-ssi");
}

}  // namespace
}  // namespace clearance::formats
