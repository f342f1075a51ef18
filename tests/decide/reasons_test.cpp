// Issue 10, kind 7: reasons for every verdict. A no_license_required answer lists the rules
// considered and why each did not apply; uncertainty marks that cannot change the answer are
// hidden unless asked for; the text output shows every list hit's listing notice.
#include <gtest/gtest.h>

#include "clearance/decide/json.hpp"
#include "decide/scenario_support.hpp"

namespace clearance {
namespace {

using namespace testing::scenario;

TEST(Reasons, NoLicenceAnswerListsTheRulesConsideredAndWhyEachDidNotApply) {
  auto d = run(Tx("H20", "CN", "2025-03-01").exporter("NVIDIA"));
  const auto& us = jur(d, "US-EAR");
  ASSERT_EQ(us.verdict, Verdict::kNoLicenseRequired) << ids(us);
  // Item below the threshold (the H20 is not 3A090).
  const ConsideredRule* dest = considered(us, "us.742.6.a6iii.dest");
  ASSERT_NE(dest, nullptr);
  EXPECT_EQ(not_applied_reason(*dest), "not in scope: item");
  ASSERT_NE(dest->test, nullptr);
  EXPECT_NE(dest->test->describe().find("eccn in"), std::string::npos);
  // Destination: the embargoes.
  const ConsideredRule* cuba = considered(us, "us.746.2.cuba");
  ASSERT_NE(cuba, nullptr);
  EXPECT_EQ(not_applied_reason(*cuba), "not in scope: destination");
  // Date before effect: the April 2025 letter to NVIDIA.
  const ConsideredRule* letter = considered(us, "us.letter.2025-04.nvidia-h20");
  ASSERT_NE(letter, nullptr);
  EXPECT_EQ(letter->why, ConsideredRule::Why::kNotYetInForce);
  EXPECT_EQ(not_applied_reason(*letter), "not yet in force on the date (effective from 2025-04-09)");
  // No party, no end use.
  EXPECT_EQ(not_applied_reason(*considered(us, "us.744.11.entity-list")), "no party on the list");
  EXPECT_EQ(not_applied_reason(*considered(us, "us.744.21.china.user")),
            "not in scope: end use not declared");
  // Suspended: holmium under 2025 No. 70 is listed under suspended, with the suspension.
  auto ho = run(Tx("holmium", "KR", "2025-11-09"));
  EXPECT_EQ(jur(ho, "CN").suspended[0].by->id, "cn.2025-70.suspension");
  // JSON and text carry them.
  auto j = determination_to_json(d);
  bool found = false;
  for (const auto& c : j["jurisdictions"][0]["considered"])
    found = found || (c["id"] == "us.746.2.cuba" && c["why"] == "not in scope: destination");
  EXPECT_TRUE(found);
  std::string text = determination_to_text(d);
  EXPECT_NE(text.find("[not applied] not in scope: destination: "), std::string::npos) << text;
  // A licence-required answer is explained by the rules that fired instead.
  EXPECT_TRUE(jur(run(Tx("H100", "CN", "2024-01-10")), "US-EAR").considered.empty());
}

TEST(Reasons, UncertaintyThatCannotChangeTheAnswerIsHiddenUnlessAsked) {
  // Russia's D:2 membership is [S] in the groups file, but no rule names D:2.
  auto d = run(Tx("H100", "RU", "2024-06-01"));
  const auto& us = jur(d, "US-EAR");
  for (const auto& u : us.uncertain) EXPECT_NE(u.subject, "country-group:D:2:RU");
  EXPECT_GE(us.uncertain_hidden, 1);
  EXPECT_NE(determination_to_text(d).find("cannot change this answer not shown"), std::string::npos);
  auto all = run(Tx("H100", "RU", "2024-06-01").all_uncertain());
  bool shown = false;
  for (const auto& u : jur(all, "US-EAR").uncertain) shown = shown || u.subject == "country-group:D:2:RU";
  EXPECT_TRUE(shown);
  EXPECT_EQ(jur(all, "US-EAR").uncertain_hidden, 0);
  // The UAE's move into A:5 and out of D:4 on 2026-07-10 [U] decides the answer: shown.
  auto ae = run(Tx("H100", "AE", "2026-07-10"));
  bool a5 = false;
  for (const auto& u : jur(ae, "US-EAR").uncertain) a5 = a5 || u.subject == "country-group:A:5:AE";
  EXPECT_TRUE(a5);
}

TEST(Reasons, TextOutputShowsTheListingNoticeOfEveryListHit) {
  PartyFinding uel;
  uel.list = "Unreliable Entity List (不可靠实体清单)";
  uel.name = "Skydio";
  uel.score = 1.0;
  uel.citation = "UEL Working Mechanism 2024 No. 4";
  uel.listed_on = "2024-10-11";
  auto d = run(Tx("H20", "CN", "2025-06-01")
                   .party("Huawei Technologies Co., Ltd.", {entity_list("Huawei Technologies Co., Ltd.")})
                   .party("Skydio Inc", {uel}));
  std::string text = determination_to_text(d);
  EXPECT_NE(text.find("listed by 84 FR 22963, 5/21/19 on 2019-05-21"), std::string::npos) << text;
  EXPECT_NE(text.find("listed by UEL Working Mechanism 2024 No. 4 on 2024-10-11"), std::string::npos) << text;
  auto j = determination_to_json(d);
  EXPECT_EQ(j["parties"][0]["hits"][0]["citation"], "84 FR 22963, 5/21/19");
}

}  // namespace
}  // namespace clearance
