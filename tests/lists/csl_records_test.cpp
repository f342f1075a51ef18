// lists/formats/csl_records: the Consolidated Screening List's identifier and address cells.
#include "lists/formats/csl_records.hpp"

#include <gtest/gtest.h>

#include "lists/formats/party_builders.hpp"
#include "lists/lists_test_support.hpp"

namespace clearance::formats {
namespace {

using clearance::testing::countries;
using clearance::testing::describe;
using clearance::testing::has_id;
using clearance::testing::named;

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

}  // namespace
}  // namespace clearance::formats
