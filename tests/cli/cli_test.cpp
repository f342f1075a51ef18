// The command line as other tools use it: exit codes, messages that name file, line and field,
// JSON shapes, and imports that never replace good data with bad.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "clearance/match/screener.hpp"
#include "cli/cli_support.hpp"
#include "lists/lists_test_support.hpp"
#include "test_support.hpp"

namespace {

using clearance::testing::CliTest;
using clearance::testing::run;

TEST_F(CliTest, FreshInstallScreensTheBundledSamples) {
  auto r = run(home() + " screen \"Huawei Technologies Co Ltd\" --format json");
  ASSERT_EQ(r.status, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_FALSE(j["hits"].empty());
  EXPECT_EQ(j["hits"][0]["name"], "Huawei Technologies Co., Ltd.");
  EXPECT_DOUBLE_EQ(j["hits"][0]["score"].get<double>(), 1.0);
  for (const char* key : {"list", "entry_id", "matched_name", "type", "countries", "programs", "explanation"})
    EXPECT_TRUE(j["hits"][0].contains(key)) << key;
}

TEST_F(CliTest, BadUsageExitsTwo) {
  EXPECT_EQ(run(home() + " screen").status, 2);
  EXPECT_EQ(run(home() + " screen Huawei --min-score 7").status, 2);
  auto r = run(home() + " screen Huawei --country Atlantis");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("Atlantis"), std::string::npos) << r.out;
  EXPECT_EQ(run(home() + " nonsense").status, 2);
}

TEST_F(CliTest, FailedImportKeepsTheListsInForce) {
  SKIP_WITHOUT_SHARED("data/us/csl/samples/consolidated-sample.csv");
  auto good = clearance::testing::shared_path("data/us/csl/samples/consolidated-sample.csv");
  ASSERT_EQ(run(home() + " lists import " + good).status, 0);
  auto before = run(home() + " lists --format json");
  auto empty = write("empty.csv", "");
  auto r = run(home() + " lists import " + empty);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("empty.csv"), std::string::npos) << r.out;
  auto bad = write("broken.xml", "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>");
  EXPECT_EQ(run(home() + " lists import " + bad).status, 2);
  EXPECT_EQ(run(home() + " lists --format json").out, before.out);
}

// `--allow-shrink`: an import that would drop over 20% of a list's entries is refused (exit 2,
// the list in force unchanged) unless the flag says the drop is intended.
TEST_F(CliTest, ASharpDropInEntriesNeedsAllowShrink) {
  using clearance::testing::csl_file;
  ASSERT_EQ(run(home() + " lists import " + write("big.csv", csl_file(50)) + " --name el").status, 0);
  auto before = run(home() + " lists --format json");
  auto small = write("small.csv", csl_file(10));
  auto refused = run(home() + " lists import " + small + " --name el");
  EXPECT_EQ(refused.status, 2) << refused.out;
  EXPECT_NE(refused.out.find("--allow-shrink"), std::string::npos) << refused.out;
  EXPECT_EQ(run(home() + " lists --format json").out, before.out);
  auto allowed = run(home() + " lists import " + small + " --name el --allow-shrink");
  EXPECT_EQ(allowed.status, 0) << allowed.out;
  auto after = nlohmann::json::parse(run(home() + " lists --format json").out);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0]["entries"], 10);
  // A mostly broken file is refused by its share of bad rows, with the limit adjustable.
  auto broken = write("broken.csv", csl_file(8) + "a,b\nc,d\n");
  EXPECT_EQ(run(home() + " lists import " + broken + " --name other").status, 2);
  EXPECT_EQ(run(home() + " lists import " + broken + " --name other --max-bad-rows 0.25").status, 0);
}

TEST_F(CliTest, BatchScreeningReportsBadRowsWithTheirLineAndKeepsGoing) {
  auto in =
      write("parties.csv",
            "id,name,country\n1,Huawei Technologies,CN\n2,,CN\n3,Hikvision,XX\n4,Dahua Technology,CN\n");
  auto out = (dir_ / "hits.jsonl").string();
  auto r = run(home() + " screen --input " + in + " --format jsonl --output " + out);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("parties.csv:3: name: empty"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("parties.csv:4: country"), std::string::npos) << r.out;
  std::ifstream f(out);
  std::string line;
  std::vector<nlohmann::json> rows;
  while (std::getline(f, line)) rows.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0]["id"], "1");
  EXPECT_FALSE(rows[0]["hits"].empty());
  EXPECT_TRUE(rows[1].contains("error"));
  EXPECT_FALSE(rows[3]["hits"].empty());
}

TEST_F(CliTest, CompareGivesScoreAndExplanation) {
  auto r = run(home() +
               " compare \"Hik Vision Digital Technology\" \"Hikvision Digital Technology\" --format json");
  ASSERT_EQ(r.status, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_GE(j["score"].get<double>(), 0.9);
  EXPECT_FALSE(j["explanation"].empty());
}

// Regression (issue 11): the help said the default threshold was 0.84; the code uses 0.82.
TEST_F(CliTest, Regression_HelpStatesTheRealDefaultThreshold) {
  auto r = run("screen --help");
  ASSERT_EQ(r.status, 0) << r.out;
  char want[32];
  std::snprintf(want, sizeof want, "(default %.2f)", clearance::kDefaultThreshold);
  EXPECT_NE(r.out.find(want), std::string::npos) << r.out;
}

TEST_F(CliTest, UserAliasTablesAreValidatedBeforeTheyCount) {
  auto bad = write("bad.tsv", "chinese\tenglish\n只有一列\n");
  auto r = run(home() + " aliases import " + bad);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("bad.tsv:2"), std::string::npos) << r.out;
  auto good = write("mine.tsv",
                    "chinese\tenglish\tnote\n测试通信设备有限公司\tHuawei Technologies Co., Ltd.\ttest\n");
  ASSERT_EQ(run(home() + " aliases import " + good).status, 0);
  auto s = run(home() + " screen 测试通信设备有限公司 --format json");
  auto j = nlohmann::json::parse(s.out);
  ASSERT_FALSE(j["hits"].empty()) << s.out;
  EXPECT_EQ(j["hits"][0]["name"], "Huawei Technologies Co., Ltd.");
}

}  // namespace
