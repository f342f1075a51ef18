// Issue 10, kind 2: the sanctions and embargo layer (EAR Part 746 and the OFAC programmes), on
// both sides of each date it depends on.
#include <gtest/gtest.h>

#include "clearance/decide/json.hpp"
#include "decide/scenario_support.hpp"

namespace clearance {
namespace {

using namespace testing::scenario;
using testing::engine;

bool excluded(const JurisdictionResult& j, const std::string& exception) {
  for (const auto& x : j.excluded_exceptions)
    if (x.rule->exception.name == exception) return true;
  return false;
}

TEST(Sanctions, CubaNeedsALicenceEvenForEar99AndExcludesNac) {
  auto ear99 = run(Tx("EAR99", "CU", "2024-06-01"));
  const auto& us = jur(ear99, "US-EAR");
  EXPECT_EQ(us.verdict, Verdict::kLicenseRequired) << ids(us);
  EXPECT_EQ(us.review_policy, ReviewPolicy::kPresumptionOfDenial);
  EXPECT_FIRED(us, "us.746.2.cuba", "746.2");
  // A consumer 3A090.a part: NAC would overcome the advanced-computing requirement elsewhere in
  // D:5, but Part 746 does not offer it.
  auto rtx = run(Tx("RTX 4090", "CU", "2024-06-01"));
  const auto& us2 = jur(rtx, "US-EAR");
  EXPECT_EQ(us2.verdict, Verdict::kLicenseRequired) << ids(us2);
  EXPECT_TRUE(us2.exceptions.empty()) << ids(us2);
  EXPECT_TRUE(excluded(us2, "NAC"));
  EXPECT_EQ(jur(run(Tx("RTX 4090", "CN", "2024-06-01")), "US-EAR").verdict, Verdict::kLicenseException);
}

TEST(Sanctions, IranNeedsALicenceForCclItemsAndOfacBarsExportsFromTheUs) {
  // A 3A991 chip re-exported from Germany: §746.7.
  auto reexport = run(Tx("H20", "IR", "2024-06-01").from("DE"));
  EXPECT_EQ(jur(reexport, "US-EAR").verdict, Verdict::kLicenseRequired) << ids(jur(reexport, "US-EAR"));
  EXPECT_FIRED(jur(reexport, "US-EAR"), "us.746.7.iran.ccl", "746.7");
  // From the US: the ITSR bans it, from 1995-05-07.
  auto from_us = run(Tx("H20", "IR", "2024-06-01").from("US"));
  EXPECT_EQ(jur(from_us, "US-EAR").verdict, Verdict::kProhibited);
  EXPECT_FIRED(jur(from_us, "US-EAR"), "us.ofac.itsr.iran", "560.204");
  EXPECT_EQ(jur(run(Tx("EAR99", "IR", "1995-05-07").from("US")), "US-EAR").verdict, Verdict::kProhibited);
  EXPECT_NE(jur(run(Tx("EAR99", "IR", "1995-05-06").from("US")), "US-EAR").verdict, Verdict::kProhibited);
  // EAR99 re-exported from abroad: whether Supp. No. 7 lists it is for a person to check.
  auto ear99 = run(Tx("EAR99", "IR", "2024-06-01").from("DE"));
  EXPECT_EQ(jur(ear99, "US-EAR").verdict, Verdict::kUndetermined) << ids(jur(ear99, "US-EAR"));
}

TEST(Sanctions, NorthKoreaOfacBanFrom2016_03_16) {
  EXPECT_EQ(jur(run(Tx("EAR99", "KP", "2016-03-15").from("US")), "US-EAR").verdict,
            Verdict::kLicenseRequired);
  auto d = run(Tx("EAR99", "KP", "2016-03-16").from("US"));
  EXPECT_EQ(jur(d, "US-EAR").verdict, Verdict::kProhibited);
  EXPECT_FIRED(jur(d, "US-EAR"), "us.ofac.nksr", "13722");
  EXPECT_FIRED(jur(d, "US-EAR"), "us.746.4.north-korea", "746.4");
}

TEST(Sanctions, SyriaWasEasedOn2025_09_02) {
  auto before = run(Tx("EAR99", "SY", "2025-09-01"));
  const auto& us1 = jur(before, "US-EAR");
  EXPECT_EQ(us1.verdict, Verdict::kLicenseRequired) << ids(us1);
  EXPECT_EQ(us1.review_policy, ReviewPolicy::kPresumptionOfDenial);
  EXPECT_FIRED(us1, "us.746.9.syria.2004", "746.9");
  // From 2025-09-02 EAR99 items go under License Exception SPP; CCL items are case by case.
  auto after = run(Tx("EAR99", "SY", "2025-09-02"));
  const auto& us2 = jur(after, "US-EAR");
  EXPECT_EQ(us2.verdict, Verdict::kLicenseException) << ids(us2);
  ASSERT_EQ(us2.exceptions.size(), 1u);
  EXPECT_EQ(us2.exceptions[0].rule->exception.name, "SPP");
  auto ccl = run(Tx("H20", "SY", "2025-09-02"));
  EXPECT_EQ(jur(ccl, "US-EAR").verdict, Verdict::kLicenseRequired);
  EXPECT_EQ(jur(ccl, "US-EAR").review_policy, ReviewPolicy::kCaseByCase);
  // The easing rule records where its dates were read.
  const Rule* r = engine()->rules().find("us.746.9.syria.2025");
  ASSERT_NE(r, nullptr);
  ASSERT_TRUE(r->dates.published);
  EXPECT_EQ(r->dates.published->to_string(), "2025-09-02");
  EXPECT_NE(r->dates.source.find("90 FR 42315"), std::string::npos);
}

TEST(Sanctions, RussiaAndBelarusCclItemsFromTheirDates) {
  EXPECT_EQ(jur(run(Tx("H20", "RU", "2022-02-23").from("DE")), "US-EAR").verdict,
            Verdict::kNoLicenseRequired);
  auto ru = run(Tx("H20", "RU", "2022-02-24").from("DE"));
  EXPECT_EQ(jur(ru, "US-EAR").verdict, Verdict::kLicenseRequired);
  EXPECT_FIRED(jur(ru, "US-EAR"), "us.746.8.russia.ccl", "746.8");
  EXPECT_EQ(jur(run(Tx("H20", "BY", "2022-03-01").from("DE")), "US-EAR").verdict,
            Verdict::kNoLicenseRequired);
  EXPECT_EQ(jur(run(Tx("H20", "BY", "2022-03-02").from("DE")), "US-EAR").verdict, Verdict::kLicenseRequired);
  // EAR99 items: a licence if an HTS list names them — the packs do not hold the lists.
  EXPECT_EQ(jur(run(Tx("EAR99", "RU", "2022-04-07")), "US-EAR").verdict, Verdict::kNoLicenseRequired);
  auto ear99 = run(Tx("EAR99", "RU", "2022-04-08"));
  EXPECT_EQ(jur(ear99, "US-EAR").verdict, Verdict::kUndetermined);
  bool names_supplements = false;
  for (const auto& m : jur(ear99, "US-EAR").missing)
    names_supplements =
        names_supplements || m.what.find("Supplements No. 2, 4, 5, 6 or 7") != std::string::npos;
  EXPECT_TRUE(names_supplements);
}

TEST(Sanctions, RussiaExcludesTheAdvancedComputingExceptions) {
  // An RTX 4090 to Russia: the advanced-computing requirement (D:1/D:4/D:5) would be a NAC case,
  // but §746.8(c) does not list NAC; §746.8 itself requires a licence.
  auto d = run(Tx("RTX 4090", "RU", "2024-06-01"));
  const auto& us = jur(d, "US-EAR");
  EXPECT_EQ(us.verdict, Verdict::kLicenseRequired) << ids(us);
  EXPECT_TRUE(us.exceptions.empty());
  EXPECT_TRUE(excluded(us, "NAC"));
  const FiredRule* dest = fired(us, "us.742.6.a6iii.dest");
  ASSERT_NE(dest, nullptr);
  EXPECT_TRUE(dest->overcome_by.empty());
  auto j = determination_to_json(d);
  EXPECT_EQ(j["jurisdictions"][0]["excluded_exceptions"][0]["excluded_by"], "us.746.8.exceptions");
}

TEST(Sanctions, CoveredRegionsOfUkraineNeedTheRegion) {
  // The country code alone cannot tell: undetermined, asking for --region.
  auto ua = run(Tx("H20", "UA", "2024-06-01"));
  const auto& us = jur(ua, "US-EAR");
  EXPECT_EQ(us.verdict, Verdict::kUndetermined) << ids(us);
  bool asks = false;
  for (const auto& m : us.missing) asks = asks || m.how.find("--region") != std::string::npos;
  EXPECT_TRUE(asks);
  // Crimea: licence required (from 2015-01-29); from the US, OFAC bans it (from 2014-12-19).
  auto crimea = run(Tx("H20", "UA", "2024-06-01").region("UA-43").from("DE"));
  EXPECT_EQ(jur(crimea, "US-EAR").verdict, Verdict::kLicenseRequired);
  EXPECT_FIRED(jur(crimea, "US-EAR"), "us.746.6.crimea", "746.6");
  EXPECT_EQ(crimea.region, "UA-43");
  EXPECT_EQ(jur(run(Tx("H20", "UA", "2024-06-01").region("UA-43").from("US")), "US-EAR").verdict,
            Verdict::kProhibited);
  EXPECT_EQ(jur(run(Tx("EAR99", "UA", "2015-01-28").region("UA-40").from("DE")), "US-EAR").verdict,
            Verdict::kNoLicenseRequired);
  EXPECT_EQ(jur(run(Tx("EAR99", "UA", "2015-01-29").region("UA-40").from("DE")), "US-EAR").verdict,
            Verdict::kLicenseRequired);
  // The so-called DNR and LNR from 2022-02-24.
  EXPECT_EQ(jur(run(Tx("EAR99", "UA", "2022-02-23").region("UA-14").from("DE")), "US-EAR").verdict,
            Verdict::kNoLicenseRequired);
  EXPECT_EQ(jur(run(Tx("EAR99", "UA", "2022-02-24").region("UA-09").from("DE")), "US-EAR").verdict,
            Verdict::kLicenseRequired);
  // Lviv is not a covered region.
  EXPECT_EQ(jur(run(Tx("H20", "UA", "2024-06-01").region("UA-46")), "US-EAR").verdict,
            Verdict::kNoLicenseRequired);
  // A region must be in the destination country.
  auto e = engine();
  Tx wrong("H20", "RU", "2024-06-01");
  wrong.region("UA-43");
  auto r = e->determine(wrong.t);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("region"), std::string::npos);
}

TEST(Sanctions, CountryGroupsE1AndE2ExcludeTheAdvancedComputingExceptions) {
  // North Korea (E:1): the RTX 4090 would be NAC in D:5; not in E:1.
  auto kp = run(Tx("RTX 4090", "KP", "2024-06-01").from("DE"));
  EXPECT_TRUE(excluded(jur(kp, "US-EAR"), "NAC")) << ids(jur(kp, "US-EAR"));
  EXPECT_EQ(jur(kp, "US-EAR").verdict, Verdict::kLicenseRequired);
}

}  // namespace
}  // namespace clearance
