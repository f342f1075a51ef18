// The one date reader (common/date.hpp): list sources read month first as the US writes; what people
// type is read only when a single reading is possible.
#include "clearance/common/date.hpp"

#include <gtest/gtest.h>

namespace clearance {
namespace {

TEST(NormalizeDate, ReadsTheCommonLayouts) {
  for (auto order : {DayMonthOrder::kMonthFirst, DayMonthOrder::kUnambiguous}) {
    EXPECT_EQ(normalize_date("1971", order), "1971");
    EXPECT_EQ(normalize_date("1971-04", order), "1971-04");
    EXPECT_EQ(normalize_date("1971-04-03", order), "1971-04-03");
    EXPECT_EQ(normalize_date("3 Apr 1971", order), "1971-04-03");
    EXPECT_EQ(normalize_date(" 3 April 1971 ", order), "1971-04-03");
    EXPECT_EQ(normalize_date("Apr 1971", order), "1971-04");
    EXPECT_EQ(normalize_date("11/21/2011", order), "2011-11-21");
    EXPECT_EQ(normalize_date("soon", order), "");
  }
}

TEST(NormalizeDate, ListSourcesReadMonthFirstAsBefore) {
  EXPECT_EQ(normalize_date("11/21/11"), "2011-11-21");
  EXPECT_EQ(normalize_date("3/4/1971"), "1971-03-04");
  EXPECT_EQ(normalize_date("21 Nov 1960"), "1960-11-21");
  EXPECT_EQ(normalize_date("2011-11-21T00:00:00"), "2011-11-21");
}

TEST(NormalizeDate, PeoplesDatesAreNeverGuessed) {
  const auto u = DayMonthOrder::kUnambiguous;
  EXPECT_EQ(normalize_date("21/04/1971", u), "1971-04-21");  // DD/MM/YYYY
  EXPECT_EQ(normalize_date("04/21/1971", u), "1971-04-21");  // MM/DD/YYYY
  EXPECT_EQ(normalize_date("21.04.1971", u), "1971-04-21");
  EXPECT_EQ(normalize_date("5/5/1971", u), "1971-05-05");  // both readings agree
  EXPECT_EQ(normalize_date("1971-4-3", u), "1971-04-03");
  EXPECT_EQ(normalize_date("3/4/1971", u), "");
  EXPECT_EQ(date_problem("3/4/1971"), "ambiguous: day and month could be either way round");
  EXPECT_EQ(normalize_date("3/4/71", u), "");
  EXPECT_EQ(date_problem("3/4/71"), "two-digit year: write the year in full");
  EXPECT_EQ(normalize_date("31/02/1971", u), "");
  EXPECT_EQ(date_problem("31/02/1971"), "no such day");
  EXPECT_EQ(normalize_date("1971-02-30", u), "");
  EXPECT_EQ(normalize_date("30 Feb 1971", u), "");
  EXPECT_EQ(date_problem("1971"), "");
}

}  // namespace
}  // namespace clearance
