// Issue 10, kind 6: China's missing announcements (2025 No. 10, the technology catalogue's older
// prohibitions), the materials China does not control, and re-exports from third countries.
#include <gtest/gtest.h>

#include "decide/scenario_support.hpp"

namespace clearance {
namespace {

using namespace testing::scenario;

TEST(China, No10TungstenTelluriumBismuthMolybdenumIndiumFrom2025_02_04) {
  EXPECT_EQ(jur(run(Tx("ammonium paratungstate", "JP", "2025-02-03")), "CN").verdict,
            Verdict::kNoLicenseRequired);
  for (const char* item : {"ammonium paratungstate", "2841801000", "tungsten oxide", "indium phosphide",
                           "tellurium", "bismuth", "molybdenum powder"}) {
    auto d = run(Tx(item, "JP", "2025-02-04"));
    const auto& cn = jur(d, "CN");
    EXPECT_EQ(cn.verdict, Verdict::kLicenseRequired) << item << ": " << ids(cn);
    EXPECT_FIRED(cn, "cn.2025-10.w-te-bi-mo-in", "2025 No. 10");
  }
  // Not suspended by No. 70.
  EXPECT_EQ(jur(run(Tx("APT", "US", "2025-12-01")), "CN").verdict, Verdict::kLicenseRequired);
  // The tungsten entries carry their control code and customs codes.
  auto apt = run(Tx("仲钨酸铵", "KR", "2025-03-01"));
  EXPECT_EQ(apt.items[0].item->cn_control_code, "1C117.d");
}

TEST(China, RareEarthProcessingTechnologiesWereProhibitedBeforeDecember2023) {
  // Extraction, separation and metal/alloy production: prohibited since the 2008 revision.
  auto sep = run(Tx("rare earth extraction technology", "VN", "2023-06-01"));
  EXPECT_EQ(jur(sep, "CN").verdict, Verdict::kProhibited) << ids(jur(sep, "CN"));
  EXPECT_FIRED(jur(sep, "CN"), "cn.tech-catalogue.2008.re-processing", "2008 revision");
  EXPECT_EQ(jur(run(Tx("rare earth metal production technology", "VN", "2008-10-31")), "CN").verdict,
            Verdict::kNoLicenseRequired);
  EXPECT_EQ(jur(run(Tx("rare earth metal production technology", "VN", "2008-11-01")), "CN").verdict,
            Verdict::kProhibited);
  // Magnet manufacturing technologies: added by the December 2023 revision.
  EXPECT_EQ(jur(run(Tx("NdFeB magnet manufacturing technology", "VN", "2023-12-20")), "CN").verdict,
            Verdict::kNoLicenseRequired);
  auto mag = run(Tx("NdFeB magnet manufacturing technology", "VN", "2023-12-21"));
  EXPECT_EQ(jur(mag, "CN").verdict, Verdict::kProhibited);
  EXPECT_FIRED(jur(mag, "CN"), "cn.tech-catalogue.2023.re-magnets", "December-2023");
}

TEST(China, LightRareEarthsAreAnsweredNotControlledWithTheReason) {
  for (const char* item : {"neodymium oxide", "Nd2O3", "氧化镧", "cerium oxide", "PrNd oxide"}) {
    auto d = run(Tx(item, "JP", "2025-06-01"));
    const auto& cn = jur(d, "CN");
    EXPECT_EQ(cn.verdict, Verdict::kNoLicenseRequired) << item;
    EXPECT_FIRED(cn, "cn.not-controlled.light-rare-earths", "2025 No. 18");
  }
  // NdFeB magnets with dysprosium are controlled; plain NdFeB magnets are not.
  EXPECT_EQ(jur(run(Tx("NdFeB magnets containing dysprosium", "JP", "2025-06-01")), "CN").verdict,
            Verdict::kLicenseRequired);
  EXPECT_EQ(jur(run(Tx("plain NdFeB magnets", "JP", "2025-06-01")), "CN").verdict,
            Verdict::kNoLicenseRequired);
}

TEST(China, ReexportsOfChineseOriginItemsFromThirdCountriesAreOutsideTheAnnouncements) {
  // Chinese-origin gallium re-exported from Japan to the US: 2023 No. 23 reaches exports from China only.
  auto d = run(Tx("gallium", "US", "2025-06-01").from("JP"));
  const auto& cn = jur(d, "CN");
  EXPECT_EQ(cn.verdict, Verdict::kNoLicenseRequired) << ids(cn);
  const ConsideredRule* c = considered(cn, "cn.2023-23.gallium");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(not_applied_reason(*c), "not in scope: route (exporting country or origin)");
  // Dysprosium re-exported from Japan: only No. 61's extraterritorial clause reached it, from
  // 2025-10-09 until the No. 70 suspension on 2025-11-07.
  EXPECT_EQ(jur(run(Tx("dysprosium oxide", "KR", "2025-10-08").from("JP")), "CN").verdict,
            Verdict::kNoLicenseRequired);
  EXPECT_EQ(jur(run(Tx("dysprosium oxide", "KR", "2025-10-09").from("JP")), "CN").verdict,
            Verdict::kLicenseRequired);
  auto suspended = run(Tx("dysprosium oxide", "KR", "2025-11-07").from("JP"));
  EXPECT_EQ(jur(suspended, "CN").verdict, Verdict::kNoLicenseRequired);
  ASSERT_FALSE(jur(suspended, "CN").suspended.empty());
  EXPECT_EQ(jur(suspended, "CN").suspended[0].by->id, "cn.2025-70.suspension");
}

}  // namespace
}  // namespace clearance
