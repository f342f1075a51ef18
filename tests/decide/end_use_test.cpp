// Issue 10, kinds 3 and 4: base classifications below 3A090/4A090, and the end-use and end-user
// controls that fire on them (§744.21 with its dated countries, §744.22, §744.23, Entity List
// footnotes). A declared end use always changes the answer or is reported as not relevant.
#include <gtest/gtest.h>

#include "clearance/decide/json.hpp"
#include "decide/scenario_support.hpp"

namespace clearance {
namespace {

using namespace testing::scenario;
using testing::date;
using testing::engine;

TEST(BaseClassification, EveryCatalogueChipSystemAndHbmHasOneWithItsMark) {
  auto e = engine();
  ASSERT_TRUE(e);
  size_t n = 0;
  for (const auto& it : e->catalogue().items()) {
    if (it->kind != "chip" && it->kind != "system" && it->kind != "hbm") continue;
    ++n;
    EXPECT_FALSE(it->base_eccn.empty()) << it->id;
    EXPECT_FALSE(it->base_eccn_source.empty()) << it->id;
    EXPECT_TRUE(it->base_eccn_confidence == 'V' || it->base_eccn_confidence == 'S' ||
                it->base_eccn_confidence == 'U')
        << it->id;
  }
  EXPECT_GT(n, 25u);
  // Before 3A090 existed the A100 had only its base classification; from 2022-10-07, 3A090.a.
  auto before = e->classify("A100", date("2022-10-06"));
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE((*before)->base);
  EXPECT_EQ((*before)->eccn, "3A991");
  EXPECT_EQ((*e->classify("A100", date("2022-10-07")))->eccn, "3A090.a");
  // Below the thresholds: H20 (chip), HGX H20 (board), HBM2 before December 2024.
  EXPECT_EQ((*e->classify("H20", date("2024-06-01")))->eccn, "3A991");
  EXPECT_EQ((*e->classify("HGX H20", date("2024-06-01")))->eccn, "4A994");
  EXPECT_EQ((*e->classify("HBM2", date("2024-11-01")))->eccn, "EAR99");
  auto j =
      classification_to_json(*e->catalogue().resolve("H20")->item, **e->classify("H20", date("2024-06-01")));
  EXPECT_EQ(j["base_classification"]["eccn"], "3A991");
  EXPECT_EQ(j["base_classification"]["confidence"], "U");
}

TEST(EndUse, MilitaryEndUseInChinaReachesTheH20ThroughItsBaseClassification) {
  auto d = run(Tx("H20", "CN", "2024-06-01").end_use("military end user"));
  const auto& us = jur(d, "US-EAR");
  EXPECT_EQ(us.verdict, Verdict::kLicenseRequired) << ids(us);
  EXPECT_FIRED(us, "us.744.21.china.user", "744.21");
  // The base classification it relied on is [U] and the answer says so.
  bool flagged = false;
  for (const auto& u : us.uncertain) flagged = flagged || u.fact.find("base classification 3A991") == 0;
  EXPECT_TRUE(flagged);
  ASSERT_EQ(d.end_uses.size(), 1u);
  EXPECT_TRUE(d.end_uses[0].applied);
}

TEST(EndUse, MilitaryEndUserCountriesOnBothSidesOfTheirDates) {
  struct Case {
    const char* to;
    const char* before;
    const char* on;
    const char* rule;
  };
  for (const Case& c : {Case{"KH", "2021-12-08", "2021-12-09", "us.744.21.cambodia"},
                        Case{"NI", "2024-03-14", "2024-03-15", "us.744.21.nicaragua"},
                        Case{"BY", "2022-03-01", "2022-03-02", "us.744.21.belarus"},
                        Case{"VE", "2014-11-06", "2014-11-07", "us.744.21.venezuela"},
                        Case{"RU", "2014-09-16", "2014-09-17", "us.744.21.russia"}}) {
    auto before = run(Tx("H20", c.to, c.before).from("DE").end_use("military_end_user"));
    EXPECT_EQ(fired(jur(before, "US-EAR"), c.rule), nullptr) << c.to << " " << c.before;
    auto on = run(Tx("H20", c.to, c.on).from("DE").end_use("military_end_user"));
    EXPECT_NE(fired(jur(on, "US-EAR"), c.rule), nullptr)
        << c.to << " " << c.on << ": " << ids(jur(on, "US-EAR"));
  }
  // China: military end use from 2007, military end users only from 2020-06-29.
  EXPECT_EQ(jur(run(Tx("H20", "CN", "2020-06-28").end_use("military_end_user")), "US-EAR").verdict,
            Verdict::kNoLicenseRequired);
  EXPECT_EQ(jur(run(Tx("H20", "CN", "2020-06-28").end_use("military")), "US-EAR").verdict,
            Verdict::kLicenseRequired);
  EXPECT_EQ(jur(run(Tx("H20", "CN", "2020-06-29").end_use("military_end_user")), "US-EAR").verdict,
            Verdict::kLicenseRequired);
}

TEST(EndUse, MilitaryIntelligenceEndUseFrom2021_03_16ForEveryItem) {
  EXPECT_EQ(jur(run(Tx("EAR99", "CN", "2021-03-15").end_use("military_intelligence")), "US-EAR").verdict,
            Verdict::kNoLicenseRequired);
  auto d = run(Tx("EAR99", "CN", "2021-03-16").end_use("military_intelligence"));
  EXPECT_EQ(jur(d, "US-EAR").verdict, Verdict::kLicenseRequired);
  EXPECT_FIRED(jur(d, "US-EAR"), "us.744.22.military-intelligence", "744.22");
  // E:1 destinations too.
  EXPECT_EQ(jur(run(Tx("EAR99", "SY", "2025-10-01").end_use("military_intelligence")), "US-EAR").verdict,
            Verdict::kLicenseRequired);
}

TEST(EndUse, SupercomputerEndUseFrom2022_10_07) {
  EXPECT_EQ(jur(run(Tx("EAR99", "CN", "2022-10-06").end_use("supercomputer")), "US-EAR").verdict,
            Verdict::kNoLicenseRequired);
  auto d = run(Tx("EAR99", "CN", "2022-10-07").end_use("supercomputer"));
  EXPECT_EQ(jur(d, "US-EAR").verdict, Verdict::kLicenseRequired);
  EXPECT_FIRED(jur(d, "US-EAR"), "us.744.23.a1.supercomputer.2022", "744.23(a)(1)");
}

TEST(EndUse, DeclaredEndUseIsNeverSilentlyIgnored) {
  // civil: no rule depends on it.
  auto civil = run(Tx("H20", "CN", "2024-06-01").end_use("civil"));
  ASSERT_EQ(civil.end_uses.size(), 1u);
  EXPECT_FALSE(civil.end_uses[0].applied);
  EXPECT_NE(end_use_note(civil.end_uses[0]).find("no rule in force on the date depends on this end use"),
            std::string::npos)
      << end_use_note(civil.end_uses[0]);
  // supercomputer in Japan: the rules that name it were considered and did not apply (destination).
  auto jp = run(Tx("EAR99", "JP", "2024-06-01").end_use("supercomputer"));
  ASSERT_EQ(jp.end_uses.size(), 1u);
  EXPECT_FALSE(jp.end_uses[0].applied);
  EXPECT_NE(end_use_note(jp.end_uses[0]).find("us.744.23.a1.supercomputer: not in scope: destination"),
            std::string::npos)
      << end_use_note(jp.end_uses[0]);
  auto j = determination_to_json(jp);
  EXPECT_EQ(j["end_uses"][0]["effect"], "considered_not_relevant");
  EXPECT_NE(determination_to_text(jp).find("end use supercomputer: considered, not relevant"),
            std::string::npos);
  // military in China for a Supp. No. 2 item: applied.
  auto cn = run(Tx("H20", "CN", "2024-06-01").end_use("military"));
  EXPECT_TRUE(cn.end_uses[0].applied);
  EXPECT_EQ(determination_to_json(cn)["end_uses"][0]["effect"], "applied");
}

TEST(EndUse, EntityListFootnoteMakesAForeignProducedItemUndetermined) {
  auto e = engine();
  auto spec = e->parse_spec(
      "name: Foreign accelerator\nvendor: Example Semi\ndense_tops: {fp16: 50}\ndie_area_mm2: 300\n"
      "datacenter: true\nsubject_to_ear: false\norigin: CN\n",
      "foreign.yaml");
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  PartyFinding fn1 = entity_list("Huawei Technologies Co., Ltd.");
  fn1.license_requirement = "For all items subject to the EAR, see §§ 734.9(e) 1 and 744.11 of the EAR";
  Tx tx("", "CN", "2024-06-01");
  tx.t.items[0].spec = std::make_shared<const Item>(*spec);
  tx.t.from = "CN";
  tx.party("Huawei Technologies Co., Ltd.", {fn1});
  auto d = run(tx);
  const auto& us = jur(d, "US-EAR");
  EXPECT_EQ(us.verdict, Verdict::kUndetermined) << ids(us);
  bool names_fdp = false;
  for (const auto& m : us.missing) names_fdp = names_fdp || m.what.find("734.9(e)") != std::string::npos;
  EXPECT_TRUE(names_fdp);
  // The same entry without a footnote does not reach foreign-produced items.
  Tx plain("", "CN", "2024-06-01");
  plain.t.items[0].spec = tx.t.items[0].spec;
  plain.t.from = "CN";
  plain.party("Huawei Technologies Co., Ltd.", {entity_list("Huawei Technologies Co., Ltd.")});
  EXPECT_EQ(jur(run(plain), "US-EAR").verdict, Verdict::kNoLicenseRequired);
}

}  // namespace
}  // namespace clearance
