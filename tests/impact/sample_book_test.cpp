// The flips of the bundled sample order book (data/orders/sample-orders.csv) between 2025-03-01,
// 2025-05-01, 2025-08-15 and 2026-02-01, reasoned from the rule packs and pinned here. Customers are
// screened against the bundled sample lists, as `clearance impact` does on a fresh install.
//
// 2025-03-01 -> 2025-05-01 (the April-2025 letters, 2025 No. 18):
//   NVIDIA's H20 orders to China and Hong Kong (0101-0103) need a licence from 2025-04-09 under the
//   is-informed letter, presumption of denial; the distributor's H20 (0104) and NVIDIA's H20 to
//   Singapore (0105) are outside the letter. Dysprosium oxide from China (0119-0121, 0124, also
//   ordered as Dy2O3 and 氧化镝) needs a MOFCOM licence from 2025-04-04.
// 2025-05-01 -> 2025-08-15 (licences under the 15% arrangement from 2025-08-08):
//   The H20 orders stay licence-required, but the review policy moves from presumption of denial to
//   case-by-case: the packs encode the 15% arrangement as a review policy, not a lifting. The AI
//   Diffusion rule never decides an answer: effective 2025-01-13, compliance required only from
//   2025-05-15, not enforced from 2025-05-13 (issue 10), so the RTX 4090s to China (0115, 0116) are
//   licence exceptions (NAC) at both dates and nothing flips.
// 2025-08-15 -> 2026-02-01 (91 FR 1684 case-by-case from 2026-01-15; 2025 No. 72 from 2025-11-09):
//   US-exported H200 and A800 to China (0111, 0113) move from presumption of denial to case-by-case;
//   gallium to the US (0122) loses the No. 46 ¶2 presumption of denial but still needs a licence.
//   NVIDIA's own H100 to China (0106) stays presumption of denial: the packs keep the August-2022
//   is-informed letter to NVIDIA in force with that policy [U].
#include <gtest/gtest.h>

#include "impact/impact_support.hpp"

namespace clearance {
namespace {

using testing::impact_checker;
using testing::point;
using testing::Run;
using testing::run_book;
using testing::sample_book;

using Ids = std::set<std::string>;

Run sample_run(const char* from, const char* to, const PartyChecker* checker) {
  ImpactOptions opt;
  opt.checker = checker;
  return run_book(sample_book(), point(from), point(to), opt, "sample-orders.csv");
}

std::vector<std::string> rules(const Run& r, const char* id) {
  const OrderImpact* o = r.find(id);
  EXPECT_NE(o, nullptr) << id;
  return o ? o->rules_changed : std::vector<std::string>{};
}

void expect_consistent(const ImpactReport& r) {
  std::uint64_t orders = 0;
  for (const auto& [cur, t] : r.totals) {
    std::uint64_t from = 0, to = 0;
    double vf = 0, vt = 0;
    for (size_t i = 0; i < kVerdictCount; ++i) {
      from += t.from[i].orders;
      to += t.to[i].orders;
      vf += t.from[i].value;
      vt += t.to[i].value;
    }
    EXPECT_EQ(from, t.total.orders) << cur;
    EXPECT_EQ(to, t.total.orders) << cur;
    EXPECT_DOUBLE_EQ(vf, t.total.value) << cur;
    EXPECT_DOUBLE_EQ(vt, t.total.value) << cur;
    orders += t.total.orders;
    // Every breakdown adds up to the same totals.
    for (const Breakdown* b : {&r.by_item, &r.by_destination, &r.by_customer}) {
      Tally sum;
      for (const auto& [key, by_cur] : *b)
        if (auto it = by_cur.find(cur); it != by_cur.end()) {
          sum.total.orders += it->second.total.orders;
          sum.to_blocked.value += it->second.to_blocked.value;
          sum.to_shippable.value += it->second.to_shippable.value;
        }
      EXPECT_EQ(sum.total.orders, t.total.orders) << cur;
      EXPECT_DOUBLE_EQ(sum.to_blocked.value, t.to_blocked.value) << cur;
      EXPECT_DOUBLE_EQ(sum.to_shippable.value, t.to_shippable.value) << cur;
    }
  }
  EXPECT_EQ(orders, r.orders);
  EXPECT_EQ(r.orders + r.errors, r.rows);
}

TEST(ImpactSampleBook, April2025LettersAndRareEarths) {
  auto r = sample_run("2025-03-01", "2025-05-01", impact_checker());
  EXPECT_EQ(r.report.rows, 24u);
  EXPECT_EQ(r.report.errors, 0u) << (r.report.error_messages.empty() ? "" : r.report.error_messages[0]);
  EXPECT_EQ(r.ids(Change::kBlocked), (Ids{"SO-2025-0101", "SO-2025-0102", "SO-2025-0103", "SO-2025-0119",
                                          "SO-2025-0120", "SO-2025-0121", "SO-2025-0124"}));
  EXPECT_EQ(r.ids(Change::kUnblocked), Ids{});
  EXPECT_EQ(r.ids(Change::kVerdict), Ids{});
  EXPECT_EQ(r.ids(Change::kPolicy), Ids{});
  EXPECT_EQ(r.ids(Change::kRulesOnly),
            Ids{"SO-2025-0106"});  // H100 already blocked; the H20 letter reaches it too
  EXPECT_EQ(rules(r, "SO-2025-0101"),
            (std::vector<std::string>{"+us.letter.2025-04.nvidia-h20", "+us.letter.2025-04.policy.denial"}));
  EXPECT_EQ(rules(r, "SO-2025-0120"),
            std::vector<std::string>{"+cn.2025-18.rare-earths"});  // ordered as Dy2O3
  EXPECT_EQ(rules(r, "SO-2025-0124"),
            std::vector<std::string>{"+cn.2025-18.rare-earths"});  // ordered as 氧化镝
  EXPECT_EQ(r.find("SO-2025-0101")->to->policy, ReviewPolicy::kPresumptionOfDenial);
  EXPECT_EQ(r.change.at("SO-2025-0104"), Change::kUnchanged);  // a distributor's H20: not NVIDIA's letter
  EXPECT_EQ(r.change.at("SO-2025-0105"),
            Change::kUnchanged);  // NVIDIA's H20 to Singapore: outside the letter

  // Value at stake, per currency (no conversion).
  const auto& t = r.report.totals;
  ASSERT_EQ(t.size(), 3u);
  EXPECT_DOUBLE_EQ(t.at("USD").to_blocked.value, 61'440'000.0 + 30'000'000.0 + 8'448'000.0 + 245'000.0);
  EXPECT_EQ(t.at("USD").to_blocked.orders, 4u);
  EXPECT_DOUBLE_EQ(t.at("CNY").to_blocked.value, 3'300'000.0 + 2'475'000.0);
  EXPECT_DOUBLE_EQ(t.at("JPY").to_blocked.value, 18'250'000.0);
  EXPECT_DOUBLE_EQ(t.at("USD").to_shippable.value, 0.0);
  EXPECT_DOUBLE_EQ(r.report.by_item.at("H20 (HGX, 96GB)").at("USD").to_blocked.value, 99'888'000.0);
  EXPECT_DOUBLE_EQ(r.report.by_destination.at("HK").at("USD").to_blocked.value, 8'448'000.0);
  EXPECT_EQ(r.report.by_jurisdiction.at("CN").at("CNY").to_blocked.orders, 2u);
  EXPECT_EQ(r.report.by_rule.at("+cn.2025-18.rare-earths").at("JPY").total.orders, 1u);
  EXPECT_EQ(r.report.changes_total, 7u);
  EXPECT_TRUE(r.report.pack_diff.empty());
  expect_consistent(r.report);
}

TEST(ImpactSampleBook, DiffusionNeverAppliedAndThe15PercentLicences) {
  auto r = sample_run("2025-05-01", "2025-08-15", impact_checker());
  EXPECT_EQ(r.report.errors, 0u);
  EXPECT_EQ(r.ids(Change::kBlocked), Ids{});
  // Before issue 10 the RTX 4090s to China (0115, 0116) were "released" here: the Diffusion rule
  // was applied from 2025-01-13, though compliance was never required before its non-enforcement.
  EXPECT_EQ(r.ids(Change::kUnblocked), Ids{});
  EXPECT_EQ(r.ids(Change::kVerdict), Ids{});
  EXPECT_EQ(r.ids(Change::kPolicy), (Ids{"SO-2025-0101", "SO-2025-0102", "SO-2025-0103"}));
  // The Diffusion rule is pending on 2025-05-01 (compliance from 2025-05-15) and suspended on
  // 2025-08-15: the suspension is named for every .a order; the CAC's H20 advisory for 0104.
  EXPECT_EQ(r.ids(Change::kRulesOnly),
            (Ids{"SO-2025-0104", "SO-2025-0106", "SO-2025-0107", "SO-2025-0108", "SO-2025-0109",
                 "SO-2025-0110", "SO-2025-0111", "SO-2025-0112", "SO-2025-0113", "SO-2025-0114",
                 "SO-2025-0115", "SO-2025-0116", "SO-2025-0117", "SO-2025-0118"}));
  EXPECT_EQ(rules(r, "SO-2025-0115"), std::vector<std::string>{"+us.bis.2025-05-13.diffusion-not-enforced"});
  for (const char* id : {"SO-2025-0115", "SO-2025-0116"}) {
    EXPECT_EQ(r.find(id)->from->overall, Verdict::kLicenseException) << id;
    EXPECT_EQ(r.find(id)->to->overall, Verdict::kLicenseException) << id;
  }
  const OrderImpact* h20 = r.find("SO-2025-0101");
  EXPECT_EQ(h20->from->policy, ReviewPolicy::kPresumptionOfDenial);
  EXPECT_EQ(h20->to->policy, ReviewPolicy::kCaseByCase);
  EXPECT_EQ(h20->to->overall, Verdict::kLicenseRequired);
  EXPECT_EQ(rules(r, "SO-2025-0101"),
            (std::vector<std::string>{"+cn.advisory.h20", "+us.letter.2025-04.policy.15pct",
                                      "-us.letter.2025-04.policy.denial"}));
  // Sugon is on the Entity List: its RTX 4090s are blocked at both dates.
  const OrderImpact* sugon = r.find("SO-2025-0117");
  EXPECT_EQ(sugon->to->overall, Verdict::kLicenseRequired);
  EXPECT_TRUE(std::binary_search(sugon->to->fired.begin(), sugon->to->fired.end(), "us.744.11.entity-list"));

  const Tally& usd = r.report.totals.at("USD");
  EXPECT_DOUBLE_EQ(usd.to_shippable.value, 0.0);
  EXPECT_DOUBLE_EQ(usd.policy_changed.value, 99'888'000.0);
  EXPECT_EQ(usd.policy_changed.orders, 3u);
  EXPECT_EQ(usd.verdict_changed.orders, 0u);
  EXPECT_EQ(r.report.changes_total, 3u);  // rules-only changes are not listed
  expect_consistent(r.report);
}

TEST(ImpactSampleBook, January2026CaseByCaseAndNo72) {
  auto r = sample_run("2025-08-15", "2026-02-01", impact_checker());
  EXPECT_EQ(r.report.errors, 0u);
  EXPECT_EQ(r.ids(Change::kBlocked), Ids{});
  EXPECT_EQ(r.ids(Change::kUnblocked), Ids{});
  EXPECT_EQ(r.ids(Change::kVerdict), Ids{});
  EXPECT_EQ(r.ids(Change::kPolicy), (Ids{"SO-2025-0106", "SO-2025-0111", "SO-2025-0113", "SO-2025-0122"}));
  EXPECT_EQ(r.ids(Change::kRulesOnly), (Ids{"SO-2025-0115", "SO-2025-0116", "SO-2025-0117"}));
  const OrderImpact* h200 = r.find("SO-2025-0111");
  EXPECT_EQ(h200->from->policy, ReviewPolicy::kPresumptionOfDenial);
  EXPECT_EQ(h200->to->policy, ReviewPolicy::kCaseByCase);
  EXPECT_EQ(rules(r, "SO-2025-0111"),
            (std::vector<std::string>{"+cn.advisory.h200", "+us.742.6.b10.case-by-case.2026",
                                      "-us.742.6.b10.denial.dest"}));
  const OrderImpact* ga = r.find("SO-2025-0122");
  EXPECT_EQ(ga->from->policy, ReviewPolicy::kPresumptionOfDenial);
  EXPECT_EQ(ga->to->policy, ReviewPolicy::kNone);
  EXPECT_EQ(rules(r, "SO-2025-0122"),
            (std::vector<std::string>{"-cn.2024-46.p2.refusal", "+cn.2025-72.suspension"}));
  // NVIDIA's own H100s to China: case-by-case too (the August 2022 letter ended when 3A090 took
  // over in October 2022).
  EXPECT_EQ(r.find("SO-2025-0106")->to->policy, ReviewPolicy::kCaseByCase);
  const Tally& usd = r.report.totals.at("USD");
  EXPECT_DOUBLE_EQ(usd.policy_changed.value, 8'192'000.0 + 3'700'000.0 + 178'500.0 + 128 * 28'500.0);
  EXPECT_DOUBLE_EQ(usd.value_at_stake(), 0.0);
  EXPECT_EQ(r.report.by_jurisdiction.at("CN").at("USD").policy_changed.orders, 1u);
  EXPECT_EQ(r.report.by_jurisdiction.at("US-EAR").at("USD").policy_changed.orders, 3u);
  expect_consistent(r.report);
}

TEST(ImpactSampleBook, WholeSpanNetsTheSwings) {
  auto r = sample_run("2025-03-01", "2026-02-01", impact_checker());
  EXPECT_EQ(r.ids(Change::kBlocked), (Ids{"SO-2025-0101", "SO-2025-0102", "SO-2025-0103", "SO-2025-0119",
                                          "SO-2025-0120", "SO-2025-0121", "SO-2025-0124"}));
  EXPECT_EQ(r.ids(Change::kUnblocked), Ids{});
  EXPECT_EQ(r.find("SO-2025-0101")->to->policy, ReviewPolicy::kCaseByCase);
  expect_consistent(r.report);
}

TEST(ImpactSampleBook, WithoutScreeningSugonIsNotBlockedByTheEntityList) {
  // Without a party checker the comparison is of the rules alone: Sugon's RTX 4090s (0117) are a
  // NAC licence exception like the others, where screening finds Sugon on the Entity List.
  auto rules_only = sample_run("2025-05-01", "2025-08-15", nullptr);
  EXPECT_EQ(rules_only.report.errors, 0u);
  EXPECT_EQ(rules_only.find("SO-2025-0117")->to->overall, Verdict::kLicenseException);
  auto screened = sample_run("2025-05-01", "2025-08-15", impact_checker());
  EXPECT_EQ(screened.find("SO-2025-0117")->to->overall, Verdict::kLicenseRequired);
}

TEST(ImpactSampleBook, ReverseDirectionMirrorsTheFlips) {
  auto fwd = sample_run("2025-03-01", "2025-05-01", impact_checker());
  auto back = sample_run("2025-05-01", "2025-03-01", impact_checker());
  EXPECT_EQ(back.ids(Change::kUnblocked), fwd.ids(Change::kBlocked));
  EXPECT_EQ(back.ids(Change::kBlocked), fwd.ids(Change::kUnblocked));
  EXPECT_EQ(back.find("SO-2025-0101")->rules_changed,
            (std::vector<std::string>{"-us.letter.2025-04.nvidia-h20", "-us.letter.2025-04.policy.denial"}));
}

TEST(ImpactSampleBook, SameDateSameRulesChangesNothing) {
  auto r = sample_run("2025-05-01", "2025-05-01", impact_checker());
  EXPECT_EQ(r.ids(Change::kUnchanged).size(), 24u);
  EXPECT_EQ(r.report.changes_total, 0u);
}

}  // namespace
}  // namespace clearance
