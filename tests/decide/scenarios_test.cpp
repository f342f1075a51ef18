// Scenario tests: each asserts the verdict AND the rule (citation) that decides it. The engine
// knows nothing of these scenarios: the answers come from the bundled rule packs.
#include <gtest/gtest.h>

#include <algorithm>

#include "clearance/decide/json.hpp"
#include "decide/scenario_support.hpp"

namespace clearance {
namespace {

using namespace testing::scenario;
using testing::date;
using testing::engine;

// ------------------------------------------------------------------------------- US: chips

TEST(Scenario, H100ToChina2024IsLicenceRequiredPresumptionOfDenial) {
  auto d = run(Tx("H100", "CN", "2024-01-10"));
  const auto& us = jur(d, "US-EAR");
  EXPECT_EQ(us.verdict, Verdict::kLicenseRequired) << ids(us);
  EXPECT_EQ(us.review_policy, ReviewPolicy::kPresumptionOfDenial);
  EXPECT_FIRED(us, "us.742.6.a6iii.dest", "742.6(a)(6)(iii)");
  EXPECT_FIRED(us, "us.742.6.b10.denial.dest", "742.6(b)(10)");
  EXPECT_EQ(d.items[0].classification->eccn, "3A090.a");
  EXPECT_TRUE(us.exceptions.empty()) << "datacenter 3A090.a is not NAC-eligible";
  EXPECT_EQ(jur(d, "CN").verdict, Verdict::kNoLicenseRequired);
  EXPECT_EQ(d.overall, Verdict::kLicenseRequired);
}

TEST(Scenario, A800ToChinaBeforeAndAfterTheOctober2023Rule) {
  auto before = run(Tx("A800", "CN", "2023-06-01"));
  const auto& us1 = jur(before, "US-EAR");
  EXPECT_EQ(us1.verdict, Verdict::kNoLicenseRequired) << ids(us1);
  EXPECT_EQ(before.items[0].classification->status, "not_controlled");
  EXPECT_EQ(before.items[0].classification->decided_by->id, "us.class.3a090.2022.none");
  auto after = run(Tx("A800", "CN", "2023-12-01"));
  const auto& us2 = jur(after, "US-EAR");
  EXPECT_EQ(us2.verdict, Verdict::kLicenseRequired);
  EXPECT_EQ(after.items[0].classification->eccn, "3A090.a");
  EXPECT_FIRED(us2, "us.742.6.a6iii.dest", "88 FR 73458");
}

TEST(Scenario, H20ToChina2024NeedsNoLicence) {
  auto d = run(Tx("H20", "CN", "2024-06-01"));
  const auto& us = jur(d, "US-EAR");
  EXPECT_EQ(us.verdict, Verdict::kNoLicenseRequired) << ids(us);
  EXPECT_TRUE(us.rules.empty()) << ids(us);
  EXPECT_EQ(d.items[0].classification->status, "not_controlled");
  EXPECT_EQ(d.overall, Verdict::kNoLicenseRequired);
}

TEST(Scenario, H20ExportedByNvidiaAfterTheApril2025Letter) {
  auto d = run(Tx("H20", "CN", "2025-05-01").exporter("NVIDIA Corporation"));
  const auto& us = jur(d, "US-EAR");
  EXPECT_EQ(us.verdict, Verdict::kLicenseRequired) << ids(us);
  EXPECT_FIRED(us, "us.letter.2025-04.nvidia-h20", "is-informed letter to NVIDIA, 2025-04-09");
  // The same chip from a distributor is not covered by a company-specific letter.
  auto other = run(Tx("H20", "CN", "2025-05-01").exporter("Some Distributor Ltd"));
  EXPECT_EQ(jur(other, "US-EAR").verdict, Verdict::kNoLicenseRequired);
  // From August 2025 licences were issued under the 15% arrangement: still a licence requirement.
  auto later = run(Tx("H20", "CN", "2025-09-01").exporter("Nvidia"));
  const auto& us3 = jur(later, "US-EAR");
  EXPECT_EQ(us3.verdict, Verdict::kLicenseRequired);
  EXPECT_EQ(us3.review_policy, ReviewPolicy::kCaseByCase);
  EXPECT_FIRED(us3, "us.letter.2025-04.policy.15pct", "15%");
  // The letter also reaches buyers headquartered in China, wherever they are.
  auto hq = run(Tx("H20", "MY", "2025-05-01").exporter("NVIDIA").hq("CN"));
  EXPECT_EQ(jur(hq, "US-EAR").verdict, Verdict::kLicenseRequired);
}

TEST(Scenario, Mi308ExportedByAmd) {
  auto d = run(Tx("MI308", "CN", "2025-06-01").exporter("Advanced Micro Devices, Inc."));
  const auto& us = jur(d, "US-EAR");
  EXPECT_EQ(us.verdict, Verdict::kLicenseRequired) << ids(us);
  EXPECT_FIRED(us, "us.letter.2025-04.amd-mi308", "AMD");
  // Its specifications are unknown: the classification says so.
  EXPECT_EQ(d.items[0].classification->status, "unknown");
}

TEST(Scenario, H200FromTheUsToChinaIn2026IsCaseByCase) {
  auto d = run(Tx("H200", "CN", "2026-02-01").from("US"));
  const auto& us = jur(d, "US-EAR");
  EXPECT_EQ(us.verdict, Verdict::kLicenseRequired) << ids(us);
  EXPECT_EQ(us.review_policy, ReviewPolicy::kCaseByCase);
  EXPECT_FIRED(us, "us.742.6.a6iii.dest", "742.6(a)(6)(iii)");
  EXPECT_FIRED(us, "us.742.6.b10.case-by-case.2026", "91 FR 1684");
  EXPECT_EQ(fired(us, "us.742.6.b10.denial.dest"), nullptr) << "overridden by the 2026 rule";
  // A reexport from Singapore stays presumption of denial; so does a chip above the thresholds.
  auto reexport = run(Tx("H200", "CN", "2026-02-01").from("SG"));
  EXPECT_EQ(jur(reexport, "US-EAR").review_policy, ReviewPolicy::kPresumptionOfDenial);
  auto b200 = run(Tx("B200", "CN", "2026-02-01").from("US"));
  EXPECT_EQ(jur(b200, "US-EAR").review_policy, ReviewPolicy::kPresumptionOfDenial);
  // Before the rule: presumption of denial.
  auto before = run(Tx("H200", "CN", "2026-01-14").from("US"));
  EXPECT_EQ(jur(before, "US-EAR").review_policy, ReviewPolicy::kPresumptionOfDenial);
}

TEST(Scenario, Rtx4090ToChinaIsNacEligible) {
  // Decision: a consumer 3A090.a part to D:5 gets verdict license_exception, with NAC and its
  // notification conditions listed; the underlying requirement is shown as overcome by NAC.
  auto d = run(Tx("RTX 4090", "CN", "2024-01-10"));
  const auto& us = jur(d, "US-EAR");
  EXPECT_EQ(d.items[0].classification->eccn, "3A090.a");
  EXPECT_EQ(us.verdict, Verdict::kLicenseException) << ids(us);
  ASSERT_EQ(us.exceptions.size(), 1u);
  EXPECT_EQ(us.exceptions[0].rule->exception.name, "NAC");
  EXPECT_NE(us.exceptions[0].rule->citation.find("740.8"), std::string::npos);
  bool notification = false;
  for (const auto& c : us.exceptions[0].rule->exception.conditions)
    notification = notification || c.find("notification") != std::string::npos;
  EXPECT_TRUE(notification);
  const FiredRule* req = fired(us, "us.742.6.a6iii.dest");
  ASSERT_NE(req, nullptr);
  EXPECT_EQ(req->overcome_by, "us.740.8.nac.2023");
  // After the April-2024 split, D:1/D:4-only destinations use ACA (no notification) and China NAC.
  auto vn = run(Tx("RTX 4090", "VN", "2024-06-01"));
  ASSERT_EQ(jur(vn, "US-EAR").exceptions.size(), 1u);
  EXPECT_EQ(jur(vn, "US-EAR").exceptions[0].rule->exception.name, "ACA");
  auto cn = run(Tx("RTX 4090", "CN", "2024-06-01"));
  EXPECT_EQ(jur(cn, "US-EAR").exceptions[0].rule->id, "us.740.8.nac");
}

TEST(Scenario, Rtx4090DIsNotControlled) {
  auto d = run(Tx("RTX 4090D", "CN", "2024-06-01"));
  EXPECT_EQ(jur(d, "US-EAR").verdict, Verdict::kNoLicenseRequired);
  EXPECT_EQ(d.items[0].classification->status, "excluded");
}

TEST(Scenario, MacauJoinedTheChinaScopeInJanuary2023) {
  auto before = run(Tx("H100", "MO", "2022-12-01"));
  EXPECT_EQ(jur(before, "US-EAR").verdict, Verdict::kNoLicenseRequired) << ids(jur(before, "US-EAR"));
  auto after = run(Tx("H100", "MO", "2023-06-01"));
  EXPECT_EQ(jur(after, "US-EAR").verdict, Verdict::kLicenseRequired);
  EXPECT_FIRED(jur(after, "US-EAR"), "us.742.6.a6iii.macau.2023", "88 FR 2821");
  auto hk = run(Tx("H100", "HK", "2023-06-01"));
  EXPECT_FIRED(jur(hk, "US-EAR"), "us.742.6.a6iii.china.2022", "87 FR 62186");
  // Since 2023-11-17 Macau is in scope (D:1/D:4) with presumption of denial, like D:5.
  auto mo = run(Tx("H100", "Macau", "2024-06-01"));
  EXPECT_EQ(jur(mo, "US-EAR").review_policy, ReviewPolicy::kPresumptionOfDenial);
}

TEST(Scenario, HeadquartersRuleReachesAChineseBuyerInMalaysia) {
  auto no_hq = run(Tx("H100", "MY", "2024-06-01"));
  EXPECT_EQ(jur(no_hq, "US-EAR").verdict, Verdict::kNoLicenseRequired);
  auto d = run(Tx("H100", "MY", "2024-06-01").hq("CN"));
  const auto& us = jur(d, "US-EAR");
  EXPECT_EQ(us.verdict, Verdict::kLicenseRequired) << ids(us);
  EXPECT_EQ(us.review_policy, ReviewPolicy::kPresumptionOfDenial);
  EXPECT_FIRED(us, "us.744.23.a3.hq", "744.23(a)(3)");
  // From 2025 the requirement sits in §742.6(a)(6)(iii)(A) and is still enforced (BIS 2026-05-31).
  auto later = run(Tx("H100", "MY", "2026-06-01").hq("CN"));
  EXPECT_FIRED(jur(later, "US-EAR"), "us.742.6.a6iiiA.hq", "742.6(a)(6)(iii)(A)");
  // A consumer part to the same buyer may use NAC (notification).
  auto rtx = run(Tx("RTX 4090", "MY", "2024-06-01").hq("CN"));
  EXPECT_EQ(jur(rtx, "US-EAR").verdict, Verdict::kLicenseException);
}

TEST(Scenario, AiDiffusionWasNotEnforcedAfter2025_05_13) {
  // Issue 10: the AI Diffusion rule was effective on 2025-01-13 but compliance was required only
  // from 2025-05-15, and BIS announced on 2025-05-13 it would not enforce it. Between the
  // effective and compliance dates the answer is the one without the rule, with the rule named.
  auto during = run(Tx("H100", "BR", "2025-03-01"));
  const auto& us1 = jur(during, "US-EAR");
  EXPECT_EQ(us1.verdict, Verdict::kNoLicenseRequired) << ids(us1);
  EXPECT_EQ(fired(us1, "us.742.6.a6iiiA.diffusion"), nullptr);
  ASSERT_FALSE(us1.pending.empty());
  EXPECT_EQ(us1.pending[0].rule->id, "us.742.6.a6iiiA.diffusion");
  EXPECT_EQ(us1.pending[0].why, PendingRule::Why::kComplianceLater);
  EXPECT_EQ(us1.pending[0].until.to_string(), "2025-05-15");
  auto after = run(Tx("H100", "BR", "2025-06-01"));
  const auto& us2 = jur(after, "US-EAR");
  EXPECT_EQ(us2.verdict, Verdict::kNoLicenseRequired) << ids(us2);
  ASSERT_FALSE(us2.suspended.empty());
  EXPECT_EQ(us2.suspended[0].rule->id, "us.742.6.a6iiiA.diffusion");
  EXPECT_EQ(us2.suspended[0].by->id, "us.bis.2025-05-13.diffusion-not-enforced");
  EXPECT_TRUE(us2.pending.empty());
  // Tier 1 during Diffusion: nothing to overcome, so no AIA either.
  EXPECT_TRUE(jur(run(Tx("H100", "JP", "2025-03-01")), "US-EAR").exceptions.empty());
}

TEST(Scenario, CountryGroupChanges) {
  // Nicaragua joined D:1 and D:5 on 2024-03-15.
  EXPECT_EQ(jur(run(Tx("H100", "NI", "2024-03-14")), "US-EAR").verdict, Verdict::kNoLicenseRequired);
  auto ni = run(Tx("H100", "NI", "2024-03-15"));
  EXPECT_EQ(jur(ni, "US-EAR").verdict, Verdict::kLicenseRequired);
  EXPECT_EQ(jur(ni, "US-EAR").review_policy, ReviewPolicy::kPresumptionOfDenial);
  // Cambodia left D:5 on 2026-02-03 (still D:1): the policy turns to presumption of approval.
  EXPECT_EQ(jur(run(Tx("H100", "KH", "2026-02-02")), "US-EAR").review_policy,
            ReviewPolicy::kPresumptionOfDenial);
  auto kh = run(Tx("H100", "KH", "2026-02-03"));
  EXPECT_EQ(jur(kh, "US-EAR").verdict, Verdict::kLicenseRequired);
  EXPECT_EQ(jur(kh, "US-EAR").review_policy, ReviewPolicy::kPresumptionOfApproval);
  // UAE into A:5 (and out of D:4) on 2026-07-10 [U]: no licence after, and the answer says it relied on it.
  EXPECT_EQ(jur(run(Tx("H100", "AE", "2026-07-09")), "US-EAR").verdict, Verdict::kLicenseRequired);
  auto ae = run(Tx("H100", "AE", "2026-07-10"));
  const auto& us = jur(ae, "US-EAR");
  EXPECT_EQ(us.verdict, Verdict::kNoLicenseRequired);
  bool flagged = std::any_of(us.uncertain.begin(), us.uncertain.end(), [](const Uncertainty& u) {
    return u.subject == "country-group:A:5:AE" && u.confidence == 'U';
  });
  EXPECT_TRUE(flagged);
}

TEST(Scenario, EntityListPartyNeedsALicenceForAnyEarItem) {
  for (const char* item : {"EAR99", "H20", "RTX 4090D"}) {
    auto d = run(Tx(item, "CN", "2024-06-01")
                     .party("Huawei Technologies Co., Ltd.", {entity_list("Huawei Technologies Co., Ltd.")}));
    const auto& us = jur(d, "US-EAR");
    EXPECT_EQ(us.verdict, Verdict::kLicenseRequired) << item << ": " << ids(us);
    EXPECT_EQ(us.review_policy, ReviewPolicy::kPresumptionOfDenial) << item;
    EXPECT_FIRED(us, "us.744.11.entity-list", "744.11");
    const FiredRule* f = fired(us, "us.744.11.entity-list");
    EXPECT_EQ(f->entry_citation, "84 FR 22963, 5/21/19");
    EXPECT_EQ(f->party, "Huawei Technologies Co., Ltd.");
  }
  // NAC does not overcome the Entity List.
  auto rtx =
      run(Tx("RTX 4090", "CN", "2024-06-01").party("Huawei", {entity_list("Huawei Technologies Co., Ltd.")}));
  EXPECT_EQ(jur(rtx, "US-EAR").verdict, Verdict::kLicenseRequired);
  // The policy comes from the entry.
  auto hik = run(
      Tx("EAR99", "CN", "2024-06-01")
          .party("Hikvision", {entity_list("Hangzhou Hikvision", "Case-by-case review for ECCNs 1A004.c")}));
  EXPECT_EQ(jur(hik, "US-EAR").review_policy, ReviewPolicy::kCaseByCase);
  // A party listed after the date does not count; Chinese materials are not subject to the EAR.
  PartyFinding late = entity_list("Later Co");
  late.listed_on = "2025-01-01";
  EXPECT_EQ(jur(run(Tx("EAR99", "CN", "2024-06-01").party("Later Co", {late})), "US-EAR").verdict,
            Verdict::kNoLicenseRequired);
  EXPECT_EQ(jur(run(Tx("gallium", "CN", "2024-06-01").from("CN").party("Huawei", {entity_list("Huawei")})),
                "US-EAR")
                .verdict,
            Verdict::kNoLicenseRequired);
}

TEST(Scenario, EndUseControlsReachEar99Items) {
  auto d = run(Tx("EAR99", "CN", "2024-06-01").end_use("supercomputer"));
  const auto& us = jur(d, "US-EAR");
  EXPECT_EQ(us.verdict, Verdict::kLicenseRequired) << ids(us);
  EXPECT_FIRED(us, "us.744.23.a1.supercomputer", "744.23(a)(1)");
  auto fab = run(Tx("EAR99", "CN", "2024-06-01").end_use("advanced node IC production"));
  EXPECT_FIRED(jur(fab, "US-EAR"), "us.744.23.a2.advanced-node", "744.23(a)(2)");
  EXPECT_EQ(jur(run(Tx("EAR99", "JP", "2024-06-01").end_use("supercomputer")), "US-EAR").verdict,
            Verdict::kNoLicenseRequired);
}

TEST(Scenario, DatacenterThreeA090bToChinaUsesNac) {
  auto e = engine();
  ASSERT_TRUE(e);
  // A datacenter part with TPP 3000 and PD 2.0: 3A090.b.1, so NAC-eligible (unlike datacenter .a).
  auto spec = e->parse_spec(
      "name: Mid accelerator\nvendor: Acme\ndense_tops: {fp8: 375}\ndie_area_mm2: 1500\n"
      "memory_bandwidth_gbps: 2000\ndatacenter: true\n",
      "mid.yaml");
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  Tx tx("", "CN", "2024-06-01");
  tx.t.items[0].spec = std::make_shared<const Item>(*spec);
  auto d = run(tx);
  EXPECT_EQ(d.items[0].classification->paragraph, "3A090.b.1");
  const auto& us = jur(d, "US-EAR");
  EXPECT_EQ(us.verdict, Verdict::kLicenseException) << ids(us);
  ASSERT_EQ(us.exceptions.size(), 1u);
  EXPECT_EQ(us.exceptions[0].rule->id, "us.740.8.nac");
}

TEST(Scenario, SystemsAndZItems) {
  auto dgx = run(Tx("DGX H100", "CN", "2024-06-01"));
  EXPECT_EQ(dgx.items[0].classification->eccn, "5A992.z.a");
  EXPECT_EQ(jur(dgx, "US-EAR").verdict, Verdict::kLicenseRequired);
  EXPECT_FIRED(jur(dgx, "US-EAR"), "us.742.6.a6iii.dest", "742.6(a)(6)(iii)");
  auto hgx = run(Tx("HGX H100 8-GPU baseboard", "VN", "2024-06-01"));
  EXPECT_EQ(hgx.items[0].classification->eccn, "4A090.a");
  EXPECT_EQ(jur(hgx, "US-EAR").review_policy, ReviewPolicy::kPresumptionOfApproval);
}

TEST(Scenario, HbmOnlyToMacauOrD5WithItsOwnException) {
  auto d = run(Tx("HBM3E", "CN", "2025-02-01"));
  const auto& us = jur(d, "US-EAR");
  EXPECT_EQ(us.verdict, Verdict::kLicenseRequired) << ids(us);
  EXPECT_FIRED(us, "us.742.6.a6iii.hbm", "89 FR 96790");
  EXPECT_EQ(jur(run(Tx("HBM3E", "VN", "2025-02-01")), "US-EAR").verdict, Verdict::kNoLicenseRequired);
  auto low = run(Tx("HBM2", "CN", "2025-02-01"));
  ASSERT_EQ(jur(low, "US-EAR").exceptions.size(), 1u) << ids(jur(low, "US-EAR"));
  EXPECT_EQ(jur(low, "US-EAR").exceptions[0].rule->exception.name, "HBM");
}

// ------------------------------------------------------------------------------- China

TEST(Scenario, DysprosiumOxideFromChinaToJapan) {
  auto before = run(Tx("dysprosium oxide", "JP", "2025-03-01"));
  EXPECT_EQ(jur(before, "CN").verdict, Verdict::kNoLicenseRequired) << ids(jur(before, "CN"));
  EXPECT_EQ(before.items[0].from, "CN");  // Chinese-origin materials default to export from China
  EXPECT_EQ(jur(before, "US-EAR").verdict, Verdict::kNoLicenseRequired);
  auto after = run(Tx("氧化镝", "JP", "2025-04-10"));
  const auto& cn = jur(after, "CN");
  EXPECT_EQ(cn.verdict, Verdict::kLicenseRequired) << ids(cn);
  EXPECT_FIRED(cn, "cn.2025-18.rare-earths", "2025 No. 18");
  EXPECT_EQ(after.overall, Verdict::kLicenseRequired);
  // Not suspended by 2025 No. 70.
  EXPECT_EQ(jur(run(Tx("Dy2O3", "JP", "2025-12-01")), "CN").verdict, Verdict::kLicenseRequired);
}

TEST(Scenario, LfpCathodeTechnologyFromChinaAbroad) {
  auto d = run(Tx("磷酸铁锂正极材料制备技术", "DE", "2025-08-01"));
  const auto& cn = jur(d, "CN");
  EXPECT_EQ(cn.verdict, Verdict::kLicenseRequired) << ids(cn);
  EXPECT_FIRED(cn, "cn.2025-28.battery-cathode", "2025 No. 28");
  EXPECT_EQ(jur(run(Tx("LFP cathode material preparation technology", "DE", "2025-07-14")), "CN").verdict,
            Verdict::kNoLicenseRequired);
  auto li = run(Tx("lithium extraction from brine technology", "AR", "2025-08-01"));
  EXPECT_FIRED(jur(li, "CN"), "cn.2025-28.lithium", "2025 No. 28");
}

TEST(Scenario, GalliumFromChinaToTheUs) {
  auto d = run(Tx("gallium", "US", "2025-06-01"));
  const auto& cn = jur(d, "CN");
  // Decision: "in principle no licences" (2024 No. 46 ¶2) is license_required with presumption of
  // denial; ¶1 (military users) is the outright ban, verdict prohibited.
  EXPECT_EQ(cn.verdict, Verdict::kLicenseRequired) << ids(cn);
  EXPECT_EQ(cn.review_policy, ReviewPolicy::kPresumptionOfDenial);
  EXPECT_FIRED(cn, "cn.2023-23.gallium", "2023 No. 23");
  EXPECT_FIRED(cn, "cn.2024-46.p2.refusal", "2024 No. 46");
  auto later = run(Tx("gallium", "US", "2025-12-01"));
  const auto& cn2 = jur(later, "CN");
  EXPECT_EQ(cn2.verdict, Verdict::kLicenseRequired) << ids(cn2);
  EXPECT_EQ(cn2.review_policy, ReviewPolicy::kNone);
  EXPECT_FIRED(cn2, "cn.2023-23.gallium", "2023 No. 23");
  EXPECT_EQ(fired(cn2, "cn.2024-46.p2.refusal"), nullptr);
  ASSERT_EQ(cn2.suspended.size(), 1u) << ids(cn2);
  EXPECT_EQ(cn2.suspended[0].rule->id, "cn.2024-46.p2.refusal");
  EXPECT_EQ(cn2.suspended[0].by->id, "cn.2025-72.suspension");
  EXPECT_NE(cn2.suspended[0].by->citation.find("2025 No. 72"), std::string::npos);
  // After the suspension ends (2026-11-27 is its last day) the refusal returns.
  EXPECT_EQ(jur(run(Tx("gallium", "US", "2026-11-28")), "CN").review_policy,
            ReviewPolicy::kPresumptionOfDenial);
  // Before 2023-08-01 gallium was not controlled.
  EXPECT_EQ(jur(run(Tx("GaN", "US", "2023-07-31")), "CN").verdict, Verdict::kNoLicenseRequired);
}

TEST(Scenario, DualUseItemToAUsMilitaryEndUserIsProhibited) {
  auto d = run(Tx("germanium", "US", "2025-06-01").end_use("military end user"));
  const auto& cn = jur(d, "CN");
  EXPECT_EQ(cn.verdict, Verdict::kProhibited) << ids(cn);
  EXPECT_FIRED(cn, "cn.2024-46.p1.us-military", "2024 No. 46");
  // ¶1 is not suspended by 2025 No. 72.
  EXPECT_EQ(jur(run(Tx("germanium", "US", "2025-12-01").end_use("military")), "CN").verdict,
            Verdict::kProhibited);
  // A non-dual-use item (a catalogue technology) is not caught by ¶1.
  EXPECT_NE(
      jur(run(Tx("LFP cathode material preparation technology", "US", "2025-12-01").end_use("military")),
          "CN")
          .verdict,
      Verdict::kProhibited);
}

TEST(Scenario, HolmiumUnderTheSuspendedOctober2025Package) {
  auto d = run(Tx("holmium", "KR", "2025-11-09"));
  const auto& cn = jur(d, "CN");
  EXPECT_EQ(cn.verdict, Verdict::kNoLicenseRequired) << ids(cn);
  ASSERT_EQ(cn.suspended.size(), 1u);
  EXPECT_EQ(cn.suspended[0].rule->id, "cn.2025-57.rare-earths");
  EXPECT_EQ(cn.suspended[0].by->id, "cn.2025-70.suspension");
  auto after = run(Tx("钬", "KR", "2026-11-11"));
  const auto& cn2 = jur(after, "CN");
  EXPECT_EQ(cn2.verdict, Verdict::kLicenseRequired) << ids(cn2);
  EXPECT_FIRED(cn2, "cn.2025-57.rare-earths", "2025 No. 57");
  // The RE technologies of No. 62 applied from 2025-10-09 until the suspension on 2025-11-07.
  EXPECT_EQ(jur(run(Tx("rare earth production line technology", "VN", "2025-10-20")), "CN").verdict,
            Verdict::kLicenseRequired);
  EXPECT_EQ(jur(run(Tx("rare earth production line technology", "VN", "2025-11-20")), "CN").verdict,
            Verdict::kNoLicenseRequired);
  // No. 61: Chinese-origin dysprosium re-exported from Japan, between 2025-10-09 and the suspension.
  Tx reexport("dysprosium oxide", "KR", "2025-10-20");
  reexport.from("JP");
  auto r = run(reexport);
  EXPECT_FIRED(jur(r, "CN"), "cn.2025-61.chinese-origin", "2025 No. 61");
}

TEST(Scenario, ChinaControlListAndUnreliableEntityList) {
  PartyFinding cl;
  cl.list = "China Export Control Control List (出口管制管控名单)";
  cl.name = "Lockheed Martin";
  cl.score = 1.0;
  cl.citation = "MOFCOM 2025 No. 1";
  cl.listed_on = "2025-01-02";
  auto d = run(Tx("antimony", "US", "2025-03-01").party("Lockheed Martin Corporation", {cl}));
  const auto& cn = jur(d, "CN");
  EXPECT_EQ(cn.verdict, Verdict::kProhibited) << ids(cn);
  EXPECT_FIRED(cn, "cn.control-list", "Export Control Law");
  PartyFinding uel;
  uel.list = "Unreliable Entity List (不可靠实体清单)";
  uel.name = "Skydio";
  uel.score = 0.9;
  auto u = run(Tx("LFP cathode material", "US", "2025-03-01").party("Skydio Inc", {uel}));
  EXPECT_EQ(jur(u, "CN").verdict, Verdict::kProhibited);
  // A score below 1 is flagged as a possible match.
  bool flagged = false;
  for (const auto& x : jur(u, "CN").uncertain) flagged = flagged || x.subject == "party:Skydio Inc";
  EXPECT_TRUE(flagged);
}

// ------------------------------------------------------------------------------- output and errors

TEST(Determination, JsonHasTheDesignShape) {
  auto d = run(Tx("H20", "CN", "2025-05-01").exporter("NVIDIA"));
  auto j = determination_to_json(d);
  EXPECT_EQ(j["as_of"], "2025-05-01");
  EXPECT_EQ(j["overall"], "license_required");
  ASSERT_EQ(j["jurisdictions"].size(), 2u);
  const auto& us = j["jurisdictions"][0];
  EXPECT_EQ(us["jurisdiction"], "US-EAR");
  EXPECT_EQ(us["verdict"], "license_required");
  ASSERT_FALSE(us["rules"].empty());
  for (const char* k : {"id", "outcome", "citation", "confidence"})
    EXPECT_TRUE(us["rules"][0].contains(k)) << k;
  EXPECT_TRUE(us["exceptions"].is_array());
  EXPECT_TRUE(us["uncertain"].is_array());
  EXPECT_EQ(j["jurisdictions"][1]["jurisdiction"], "CN");
  EXPECT_EQ(j["jurisdictions"][1]["verdict"], "no_license_required");
  EXPECT_EQ(j["items"][0]["item"], "H20");
  EXPECT_DOUBLE_EQ(j["items"][0]["classification"]["tpp"].get<double>(), 2368);
  EXPECT_DOUBLE_EQ(j["items"][0]["classification"]["pd"].get<double>(), 2.91);
  EXPECT_TRUE(j["parties"].is_array());
  EXPECT_FALSE(determination_to_text(d).empty());
}

TEST(Determination, UncertainFactsAreListed) {
  auto d = run(Tx("H200", "CN", "2026-02-01").from("US"));
  const auto& us = jur(d, "US-EAR");
  bool rule_s = false, hk = false;
  for (const auto& u : us.uncertain) {
    rule_s = rule_s || (u.subject == "us.742.6.b10.case-by-case.2026" && u.confidence == 'S');
    hk = hk || u.subject.rfind("country:", 0) == 0;
  }
  EXPECT_TRUE(rule_s);
  EXPECT_FALSE(hk);  // CN is not a treated-as country
}

TEST(Determination, BadInputIsAnErrorNamingTheField) {
  auto e = engine();
  ASSERT_TRUE(e);
  Transaction t;
  t.items.push_back({"H100"});
  t.destination = "CN";
  auto no_date = e->determine(t);
  ASSERT_FALSE(no_date.ok());
  EXPECT_NE(no_date.error().message.find("as_of"), std::string::npos);
  t.as_of = date("2024-01-01");
  t.end_uses = {"supercomputr"};
  auto eu = e->determine(t);
  ASSERT_FALSE(eu.ok());
  EXPECT_NE(eu.error().message.find("supercomputer"), std::string::npos) << eu.error().message;
  t.end_uses.clear();
  t.destination = "Atlantis";
  auto c = e->determine(t);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("destination"), std::string::npos);
  t.destination = "China";  // names resolve through the country table
  EXPECT_TRUE(e->determine(t).ok());
  t.items[0].item = "H1000";
  // Issue 10: an item the catalogue does not know is not an error but an undetermined answer
  // that says what is missing and how to give it.
  auto unknown = e->determine(t);
  ASSERT_TRUE(unknown.ok()) << unknown.error().message;
  EXPECT_EQ(unknown->overall, Verdict::kUndetermined);
  EXPECT_NE(unknown->items[0].unresolved.find("H100"), std::string::npos) << unknown->items[0].unresolved;
  t.items[0].item = "";
  EXPECT_FALSE(e->determine(t).ok());
}

}  // namespace
}  // namespace clearance
