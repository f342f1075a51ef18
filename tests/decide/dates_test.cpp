// Issue 10, kind 5: exact dates. Publication, effective and compliance dates, savings clauses, and
// the specific cases of the issue, each on both sides of its dates (sources in the packs'
// dates_source fields).
#include <gtest/gtest.h>

#include "clearance/decide/json.hpp"
#include "decide/scenario_support.hpp"

namespace clearance {
namespace {

using namespace testing::scenario;
using testing::date;
using testing::engine;

TEST(Dates, October2022RuleTookEffectOnOctober7) {
  // 87 FR 62186: §742.6 (instruction 11) and 3A090 (instruction 25) effective 2022-10-07,
  // published 2022-10-13.
  auto before = run(Tx("H100", "CN", "2022-10-06").exporter("Acme Distribution"));
  EXPECT_EQ(jur(before, "US-EAR").verdict, Verdict::kNoLicenseRequired) << ids(jur(before, "US-EAR"));
  EXPECT_TRUE(before.items[0].classification->base);
  auto on = run(Tx("H100", "CN", "2022-10-07").exporter("Acme Distribution"));
  EXPECT_EQ(jur(on, "US-EAR").verdict, Verdict::kLicenseRequired);
  EXPECT_FIRED(jur(on, "US-EAR"), "us.742.6.a6iii.china.2022", "87 FR 62186");
  EXPECT_EQ(on.items[0].classification->eccn, "3A090.a");
  const Rule* r = engine()->rules().find("us.742.6.a6iii.china.2022");
  ASSERT_TRUE(r && r->dates.published);
  EXPECT_EQ(r->dates.published->to_string(), "2022-10-13");
  EXPECT_NE(r->dates.source.find("DATES"), std::string::npos);
  // NVIDIA's August 2022 letter covered its own A100/H100 until the rule took over.
  EXPECT_NE(fired(jur(run(Tx("H100", "CN", "2022-10-06").exporter("NVIDIA")), "US-EAR"),
                  "us.letter.2022-08.nvidia"),
            nullptr);
  EXPECT_EQ(fired(jur(run(Tx("H100", "CN", "2022-10-07").exporter("NVIDIA")), "US-EAR"),
                  "us.letter.2022-08.nvidia"),
            nullptr);
}

TEST(Dates, MacauRuleEffectiveTheDayBeforePublicationWithASavingsClause) {
  EXPECT_EQ(jur(run(Tx("H100", "MO", "2023-01-16")), "US-EAR").verdict, Verdict::kNoLicenseRequired);
  // Effective 2023-01-17 (published 2023-01-18): a licence is required; without the shipment date
  // the savings clause cannot be used, and the answer says how to use it.
  auto on = run(Tx("H100", "MO", "2023-01-17"));
  const auto& us = jur(on, "US-EAR");
  EXPECT_EQ(us.verdict, Verdict::kLicenseRequired) << ids(us);
  EXPECT_FIRED(us, "us.742.6.a6iii.macau.2023", "88 FR 2821");
  bool savings = false;
  for (const auto& u : us.uncertain)
    savings = savings || u.fact.find("--en-route-since") != std::string::npos;
  EXPECT_TRUE(savings);
  // A shipment already en route on 2023-01-17 may proceed until 2023-02-16.
  auto saved = run(Tx("H100", "MO", "2023-02-10").en_route_since("2023-01-17"));
  EXPECT_EQ(jur(saved, "US-EAR").verdict, Verdict::kNoLicenseRequired) << ids(jur(saved, "US-EAR"));
  const PendingRule* p = pending(jur(saved, "US-EAR"), "us.742.6.a6iii.macau.2023");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->why, PendingRule::Why::kSavingsClause);
  EXPECT_EQ(p->until.to_string(), "2023-02-16");
  EXPECT_EQ(jur(run(Tx("H100", "MO", "2023-02-16").en_route_since("2023-01-17")), "US-EAR").verdict,
            Verdict::kNoLicenseRequired);
  EXPECT_EQ(jur(run(Tx("H100", "MO", "2023-02-17").en_route_since("2023-01-17")), "US-EAR").verdict,
            Verdict::kLicenseRequired);
  // A shipment that left after the effective date is not saved.
  EXPECT_EQ(jur(run(Tx("H100", "MO", "2023-02-10").en_route_since("2023-01-20")), "US-EAR").verdict,
            Verdict::kLicenseRequired);
  auto j = determination_to_json(on);
  EXPECT_EQ(j["jurisdictions"][0]["rules"][0]["published"], "2023-01-18");
  EXPECT_EQ(j["jurisdictions"][0]["rules"][0]["savings_until"], "2023-02-16");
}

TEST(Dates, DiffusionRuleEffectiveButComplianceOnlyFrom2025_05_15) {
  EXPECT_EQ(pending(jur(run(Tx("H100", "BR", "2025-01-12")), "US-EAR"), "us.742.6.a6iiiA.diffusion"),
            nullptr);
  for (const char* d : {"2025-01-13", "2025-05-12"}) {
    auto r = run(Tx("H100", "BR", d));
    const auto& us = jur(r, "US-EAR");
    EXPECT_EQ(us.verdict, Verdict::kNoLicenseRequired) << d << ": " << ids(us);
    const PendingRule* p = pending(us, "us.742.6.a6iiiA.diffusion");
    ASSERT_NE(p, nullptr) << d;
    EXPECT_EQ(p->until.to_string(), "2025-05-15");
  }
  // From 2025-05-13 it is not enforced: never pending again, suspended once compliance is due.
  EXPECT_EQ(pending(jur(run(Tx("H100", "BR", "2025-05-13")), "US-EAR"), "us.742.6.a6iiiA.diffusion"),
            nullptr);
  auto later = run(Tx("H100", "BR", "2025-05-15"));
  ASSERT_FALSE(jur(later, "US-EAR").suspended.empty());
  EXPECT_EQ(jur(later, "US-EAR").suspended[0].rule->id, "us.742.6.a6iiiA.diffusion");
  auto j = determination_to_json(run(Tx("H100", "BR", "2025-03-01")));
  EXPECT_EQ(j["jurisdictions"][0]["pending"][0]["compliance_from"], "2025-05-15");
  EXPECT_EQ(j["jurisdictions"][0]["pending"][0]["effective_from"], "2025-01-13");
}

TEST(Dates, NvidiaWasInformedOnOctober23_2023AheadOfNovember17) {
  // The A800 escaped the 2022 test; NVIDIA's 8-K reports the new rule applied to it at once.
  EXPECT_EQ(jur(run(Tx("A800", "CN", "2023-10-22").exporter("NVIDIA")), "US-EAR").verdict,
            Verdict::kNoLicenseRequired);
  auto on = run(Tx("A800", "CN", "2023-10-23").exporter("NVIDIA"));
  EXPECT_EQ(jur(on, "US-EAR").verdict, Verdict::kLicenseRequired);
  EXPECT_FIRED(jur(on, "US-EAR"), "us.letter.2023-10.nvidia", "8-K");
  // Another exporter: the rule itself, from 2023-11-17.
  EXPECT_EQ(jur(run(Tx("A800", "CN", "2023-10-23").exporter("Acme Distribution")), "US-EAR").verdict,
            Verdict::kNoLicenseRequired);
  auto nov = run(Tx("A800", "CN", "2023-11-17").exporter("NVIDIA"));
  EXPECT_FIRED(jur(nov, "US-EAR"), "us.742.6.a6iii.dest", "88 FR 73458");
  EXPECT_EQ(fired(jur(nov, "US-EAR"), "us.letter.2023-10.nvidia"), nullptr);
  // Not a datacenter part: not named in the notice.
  EXPECT_EQ(fired(jur(run(Tx("RTX 4090", "CN", "2023-10-23").exporter("NVIDIA")), "US-EAR"),
                  "us.letter.2023-10.nvidia"),
            nullptr);
}

TEST(Dates, HeadquartersRuleForTheBItemsStayedIn744_23) {
  auto e = engine();
  auto b_spec = e->parse_spec(
      "name: Mid accelerator\nvendor: Acme\ndense_tops: {fp8: 375}\ndie_area_mm2: 1500\ndatacenter: true\n",
      "mid.yaml");
  ASSERT_TRUE(b_spec.ok());
  auto spec = std::make_shared<const Item>(*b_spec);
  auto with_spec = [&](const char* as_of) {
    Tx t("", "MY", as_of);
    t.t.items[0].spec = spec;
    t.hq("CN");
    return run(t);
  };
  // Before the Diffusion rule's compliance date: §744.23(a)(3) for every advanced-computing item,
  // with the moved .a rule named as coming.
  auto early = run(Tx("H100", "MY", "2025-03-01").hq("CN"));
  EXPECT_FIRED(jur(early, "US-EAR"), "us.744.23.a3.hq", "744.23(a)(3)");
  EXPECT_NE(pending(jur(early, "US-EAR"), "us.742.6.a6iiiA.hq"), nullptr);
  auto b_early = with_spec("2025-03-01");
  EXPECT_FIRED(jur(b_early, "US-EAR"), "us.744.23.a3.hq", "744.23(a)(3)");
  // From 2025-05-15: .a items under §742.6(a)(6)(iii)(A), .b items still under §744.23(a)(3).
  auto a = run(Tx("H100", "MY", "2025-05-15").hq("CN"));
  EXPECT_FIRED(jur(a, "US-EAR"), "us.742.6.a6iiiA.hq", "742.6(a)(6)(iii)(A)");
  EXPECT_EQ(fired(jur(a, "US-EAR"), "us.744.23.a3.hq"), nullptr);
  auto b = with_spec("2025-05-15");
  EXPECT_EQ(b.items[0].classification->eccn, "3A090.b");
  EXPECT_FIRED(jur(b, "US-EAR"), "us.744.23.a3.hq.b", "744.23(a)(3)");
  EXPECT_EQ(jur(b, "US-EAR").verdict, Verdict::kLicenseException);  // NAC (notification)
}

}  // namespace
}  // namespace clearance
