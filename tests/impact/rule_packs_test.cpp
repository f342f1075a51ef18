// Two rule-pack directories on one date that differ by exactly one rule: the impact shows exactly the
// orders that rule reaches, names the rule, and the pack diff lists it alone.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "impact/impact_support.hpp"

namespace clearance {
namespace {

namespace fs = std::filesystem;
using testing::data_dir;
using testing::impact_checker;
using testing::run_book;
using testing::sample_book;
using Ids = std::set<std::string>;

// A copy of data/rules under a fresh temporary directory, removed with the object.
struct RulesCopy {
  fs::path dir;
  RulesCopy() {
    static int n = 0;
    dir = fs::temp_directory_path() /
          ("clearance-impact-rules-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::copy(data_dir() + "/rules", dir / "rules", fs::copy_options::recursive);
  }
  ~RulesCopy() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string rules() const { return (dir / "rules").string(); }
  // Replaces the first `from` after `anchor` in a pack file; fails the test when absent.
  void edit(const std::string& file, const std::string& anchor, const std::string& from,
            const std::string& to) {
    fs::path p = dir / "rules" / file;
    std::string text = *read_file(p.string());
    size_t a = text.find(anchor);
    ASSERT_NE(a, std::string::npos) << anchor;
    size_t at = text.find(from, a);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
  }
};

TEST(ImpactRulePacks, OneRuleWidenedShowsExactlyTheOrdersItReaches) {
  RulesCopy copy;
  // The April-2025 letter, widened from NVIDIA's own exports to every exporter of NVIDIA chips.
  copy.edit("us-ear/is-informed.yaml", "id: us.letter.2025-04.nvidia-h20", "        - exporter: [NVIDIA]\n",
            "");
  auto base = load_impact_engine(data_dir(), "");
  ASSERT_TRUE(base.ok()) << base.error().message;
  auto edited = load_impact_engine(data_dir(), copy.rules());
  ASSERT_TRUE(edited.ok()) << edited.error().message;
  ASSERT_NE((*base)->rules().version(), (*edited)->rules().version());

  Date d = testing::date("2025-05-01");
  ImpactOptions opt;
  opt.checker = impact_checker();
  auto r =
      run_book(sample_book(), ImpactPoint{"rules", *base, d}, ImpactPoint{"rules-edited", *edited, d}, opt);
  EXPECT_EQ(r.report.pack_diff.modified, std::vector<std::string>{"us.letter.2025-04.nvidia-h20"});
  EXPECT_TRUE(r.report.pack_diff.added.empty());
  EXPECT_TRUE(r.report.pack_diff.removed.empty());

  // The distributor's H20 to China flips; its H200 to China was already blocked and now also carries
  // the letter (H200 reaches the letter's 4,000 GB/s memory bandwidth). Nothing else moves.
  EXPECT_EQ(r.ids(Change::kBlocked), Ids{"SO-2025-0104"});
  EXPECT_EQ(r.ids(Change::kRulesOnly), Ids{"SO-2025-0111"});
  EXPECT_EQ(r.ids(Change::kUnchanged).size(), 22u);
  const std::vector<std::string> added{"+us.letter.2025-04.nvidia-h20", "+us.letter.2025-04.policy.denial"};
  EXPECT_EQ(r.find("SO-2025-0104")->rules_changed, added);
  EXPECT_EQ(r.find("SO-2025-0111")->rules_changed, added);
  EXPECT_EQ(r.report.by_rule.size(), 2u);
  EXPECT_EQ(r.report.by_rule.at("+us.letter.2025-04.nvidia-h20").at("USD").total.orders, 2u);
  EXPECT_DOUBLE_EQ(r.report.totals.at("USD").to_blocked.value, 320 * 13'900.0);
}

TEST(ImpactRulePacks, OneRuleDeferredReleasesItsOrders) {
  RulesCopy copy;
  // 2025 No. 18 moved to a later (hypothetical) effective date: on 2025-05-01 dysprosium is free again.
  copy.edit("cn/dual-use.yaml", "id: cn.2025-18.rare-earths", "effective_from: 2025-04-04",
            "effective_from: 2025-06-01");
  auto base = load_impact_engine(data_dir(), "");
  auto edited = load_impact_engine(data_dir(), copy.rules());
  ASSERT_TRUE(base.ok() && edited.ok());
  Date d = testing::date("2025-05-01");
  auto r = run_book(sample_book(), ImpactPoint{"rules", *base, d}, ImpactPoint{"rules-edited", *edited, d});
  EXPECT_EQ(r.report.pack_diff.modified, std::vector<std::string>{"cn.2025-18.rare-earths"});
  EXPECT_EQ(r.ids(Change::kUnblocked), (Ids{"SO-2025-0119", "SO-2025-0120", "SO-2025-0121", "SO-2025-0124"}));
  EXPECT_EQ(r.report.changes_total, 4u);
  for (const char* id : {"SO-2025-0119", "SO-2025-0120", "SO-2025-0121", "SO-2025-0124"})
    EXPECT_EQ(r.find(id)->rules_changed, std::vector<std::string>{"-cn.2025-18.rare-earths"}) << id;
}

TEST(ImpactRulePacks, IdenticalCopyChangesNothing) {
  RulesCopy copy;
  auto base = load_impact_engine(data_dir(), "");
  auto same = load_impact_engine(data_dir(), copy.rules());
  ASSERT_TRUE(base.ok() && same.ok());
  EXPECT_EQ((*base)->rules().version(), (*same)->rules().version());  // the version hashes content, not paths
  Date d = testing::date("2025-08-15");
  auto r = run_book(sample_book(), ImpactPoint{"a", *base, d}, ImpactPoint{"b", *same, d});
  EXPECT_TRUE(r.report.pack_diff.empty());
  EXPECT_EQ(r.ids(Change::kUnchanged).size(), 24u);
}

TEST(ImpactRulePacks, BadDirectoryIsAnError) {
  auto e = load_impact_engine(data_dir(), "/nonexistent/rules");
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("/nonexistent/rules"), std::string::npos);
  RulesCopy copy;
  copy.edit("cn/dual-use.yaml", "id: cn.2025-18.rare-earths", "effective_from: 2025-04-04",
            "effective_from: 2025-04-31");
  auto bad = load_impact_engine(data_dir(), copy.rules());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("dual-use.yaml"), std::string::npos) << bad.error().message;
}

TEST(ImpactRulePacks, DataDirectoryBringsItsOwnCatalogue) {
  RulesCopy copy;  // dir/rules; add dir/items to make it a data directory
  fs::copy(data_dir() + "/items", copy.dir / "items", fs::copy_options::recursive);
  auto e = load_impact_engine(data_dir(), copy.dir.string());
  ASSERT_TRUE(e.ok()) << e.error().message;
  auto base = load_impact_engine(data_dir(), "");
  EXPECT_EQ((*e)->rules().version(), (*base)->rules().version());
}

}  // namespace
}  // namespace clearance
