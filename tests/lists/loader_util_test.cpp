#include <gtest/gtest.h>

#include "lists/formats/csl_records.hpp"
#include "lists/formats/ofac_remarks.hpp"
#include "lists/formats/party_builders.hpp"
#include "lists/formats/row_errors.hpp"
#include "lists/lists_test_support.hpp"

namespace clearance::formats {
namespace {

using clearance::testing::countries;
using clearance::testing::describe;
using clearance::testing::has_country;
using clearance::testing::has_id;
using clearance::testing::has_name;

Party named(std::string name) {
  Party p;
  add_name(p, name, NameKind::kPrimary);
  return p;
}

TEST(OfacRemarks, DatesIdsCountriesAndWeakAliases) {
  Party p = named("DOE, John");
  parse_ofac_remarks(
      p,
      "DOB 12 Jan 1960; alt. DOB 1961; alt. DOB circa 1955; DOB 1970 to 1972; POB Tehran, Iran; "
      "nationality Iran; citizen Syria; Gender Male; Passport A1234 (Iran) issued 01 Jan 2010 expires "
      "01 Jan 2020; alt. Passport 777; National ID No. 123-45 (Iran); IMO 9187629; Vessel Registration "
      "Identification IMO 9876543; Registration ID 1027700132195 (Russia); Tax ID No. 7707083893 "
      "(Russia); Digital Currency Address - XBT 1AeSq93WDNdLoEJ92sex7T8xQZoYYm8BtS; Website www.x.ir; "
      "SWIFT/BIC VTBRRUMM; Kenyan ID No. 998877; Other Vessel Call Sign UBCX4; Passport Booklet PB1; a.k.a. "
      "'JOHNNY D'; f.k.a. 'OLD NAME'; Additional "
      "Sanctions Information - Subject to Secondary Sanctions; Executive Order 13662 Directive "
      "Determination - Subject to Directive 1; Linked To: SOMETHING LTD.",
      countries());
  SCOPED_TRACE(describe(p));
  EXPECT_EQ(p.birth_dates, (std::vector<std::string>{"1960-01-12", "1961", "1955", "1970", "1971", "1972"}));
  EXPECT_TRUE(has_country(p, "IR"));
  EXPECT_TRUE(has_country(p, "SY"));
  EXPECT_TRUE(has_id(p, "Passport", "A1234", "IR"));
  EXPECT_TRUE(has_id(p, "Passport", "777", ""));
  EXPECT_TRUE(has_id(p, "National ID No.", "123-45", "IR"));
  EXPECT_TRUE(has_id(p, "IMO", "9876543"));
  EXPECT_TRUE(has_id(p, "Registration ID", "1027700132195", "RU"));
  EXPECT_TRUE(has_id(p, "Tax ID No.", "7707083893", "RU"));
  EXPECT_TRUE(has_id(p, "Digital Currency Address - XBT", "1AeSq93WDNdLoEJ92sex7T8xQZoYYm8BtS"));
  EXPECT_TRUE(has_id(p, "Website", "www.x.ir"));
  EXPECT_TRUE(has_id(p, "SWIFT/BIC", "VTBRRUMM"));
  EXPECT_TRUE(has_id(p, "Call Sign", "UBCX4"));       // the table's stored-as column
  EXPECT_TRUE(has_id(p, "Passport Booklet", "PB1"));  // the longest written form wins
  EXPECT_TRUE(has_id(p, "Kenyan ID No.", "998877"));  // not in the known list: the generic rule
  EXPECT_TRUE(has_name(p, "JOHNNY D", NameKind::kWeak));
  EXPECT_TRUE(has_name(p, "OLD NAME", NameKind::kWeak));
  for (auto& i : p.ids) {
    EXPECT_EQ(i.type.find("Sanctions"), std::string::npos) << i.type;
    EXPECT_EQ(i.type.find("Directive"), std::string::npos) << i.type;
  }
}

TEST(OfacRemarks, NeverThrowsOnOddDates) {
  Party p = named("X");
  parse_ofac_remarks(p,
                     "DOB 99999999999999999999/1/1; DOB 1/99999999999999999999/2000; DOB ; alt. DOB; DOB to",
                     countries());
  EXPECT_TRUE(p.birth_dates.empty());
}

TEST(CslIds, BothColumnOrders) {
  IdOrderVotes old_votes;
  old_votes.add("CA, BC166787, Passport; Male, Gender; QA, 28940000602, National ID No.", countries());
  EXPECT_EQ(old_votes.order(), IdOrder::kNumberFirst);
  Party a = named("A");
  add_csl_ids(
      a,
      "CA, BC166787, Passport; Male, Gender; Subject to Secondary Sanctions, Additional Sanctions "
      "Information "
      "-; IMO 8898831, Vessel Registration Identification; CKLBCNBJ, SWIFT/BIC; JO, 2014-08-30, 2009-08-31",
      IdOrder::kNumberFirst, countries());
  SCOPED_TRACE(describe(a));
  EXPECT_TRUE(has_id(a, "Passport", "BC166787", "CA"));
  EXPECT_TRUE(has_id(a, "IMO", "8898831"));
  EXPECT_TRUE(has_id(a, "SWIFT/BIC", "CKLBCNBJ"));
  EXPECT_EQ(a.ids.size(), 3u);

  IdOrderVotes new_votes;
  new_votes.add("Passport, 836238033, KP; Gender, Male; Registration ID, C122790", countries());
  EXPECT_EQ(new_votes.order(), IdOrder::kTypeFirst);
  Party b = named("B");
  add_csl_ids(
      b,
      "Passport, 836238033, KP; Secondary sanctions risk:, North Korea Sanctions Regulations, sections "
      "510.201 and 510.210; Gender, Male; Registration ID, C122790; Website, mspbank.ru",
      IdOrder::kTypeFirst, countries());
  SCOPED_TRACE(describe(b));
  EXPECT_TRUE(has_id(b, "Passport", "836238033", "KP"));
  EXPECT_TRUE(has_id(b, "Registration ID", "C122790", ""));
  EXPECT_TRUE(has_id(b, "Website", "mspbank.ru"));
  EXPECT_EQ(b.ids.size(), 3u);
}

TEST(CslAddresses, CountryCodeEndsEachAddress) {
  Party p = named("P");
  add_csl_addresses(
      p,
      "Room 1905, Nam Wo Hong Bldg., Hong Kong, Sheung Wang, HK; Kabul, Afghanistan; and Flat No. 41, "
      "Kabul, Afghanistan, AF; SY; 3037 S. 69TH DRIVE, PHONEIX, AZ, 85043",
      countries());
  SCOPED_TRACE(describe(p));
  ASSERT_EQ(p.addresses.size(), 3u);
  EXPECT_EQ(p.addresses[0].text, "Room 1905, Nam Wo Hong Bldg., Hong Kong, Sheung Wang");
  EXPECT_EQ(p.addresses[0].country, "HK");
  EXPECT_EQ(p.addresses[1].text, "Kabul, Afghanistan; and Flat No. 41, Kabul, Afghanistan");
  EXPECT_EQ(p.addresses[1].country, "AF");
  EXPECT_EQ(p.addresses[2].country, "");  // a US address without a country stays without one
  EXPECT_EQ(p.countries, (std::vector<std::string>{"HK", "AF", "SY"}));
}

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

TEST(Builders, JsonKeyAt) {
  std::string j = R"({"id": "x", "properties": {"name": ["ok", "bad"], "x": 1}})";
  EXPECT_EQ(json_key_at(j, j.find("bad")), "properties.name");
  EXPECT_EQ(json_key_at(j, j.find("\"x\"")), "id");
}

}  // namespace
}  // namespace clearance::formats
