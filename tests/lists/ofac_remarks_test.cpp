// lists/formats/ofac_remarks: the OFAC remarks column read into dates, identifiers, countries and aliases.
#include "lists/formats/ofac_remarks.hpp"

#include <gtest/gtest.h>

#include "lists/formats/party_builders.hpp"
#include "lists/lists_test_support.hpp"

namespace clearance::formats {
namespace {

using clearance::testing::countries;
using clearance::testing::describe;
using clearance::testing::has_country;
using clearance::testing::has_id;
using clearance::testing::has_name;
using clearance::testing::named;

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

}  // namespace
}  // namespace clearance::formats
