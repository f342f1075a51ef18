// `clearance monitor` end to end with real servers: OFAC's 2021-07 SDN files imported, two customer
// files put under watch, then `lists update` fetches the 2024-05 SDN file from a local HTTP server
// (tests/support/list_server.py). The update must screen the watched files against what changed,
// open review cases for the new hits, and POST a signed notice to a real receiver
// (tests/support/webhook_receiver.py, which verifies the HMAC and fails the first two deliveries),
// retrying with backoff; every attempt is an audit record. The second watch's secret is wrong: its
// notices are refused (401), retried a bounded number of times, and the update exits 1.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli_support.hpp"
#include "support/list_server.hpp"
#include "support/temp_dir.hpp"
#include "test_support.hpp"

namespace clearance {
namespace {

namespace fs = std::filesystem;

constexpr char kOld[] = "data/us/ofac/sdn-2021-07/";
constexpr char kNew[] = "data/us/ofac/sdn-2024-05/sdn.csv";

std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty() && line[0] == '{') out.push_back(nlohmann::json::parse(line));
  return out;
}

// The JSON answer of a command (stdout), after any warning lines (stderr).
nlohmann::json json_of(const std::string& out) {
  size_t start = 0;
  while (start < out.size() && out[start] != '{' && out[start] != '[') start = out.find('\n', start) + 1;
  size_t end = std::max(out.rfind('}'), out.rfind(']') == std::string::npos ? 0 : out.rfind(']'));
  return nlohmann::json::parse(out.substr(start, end + 1 - start), nullptr, false);
}

bool has_hit(const nlohmann::json& hits, const std::string& row, const std::string& entry_name) {
  for (auto& h : hits)
    if (h.value("row", "") == row && h.value("entry_name", "") == entry_name) return true;
  return false;
}

TEST(Monitor, AListUpdateScreensWatchedFilesOpensCasesAndSignsTheWebhook) {
  SKIP_WITHOUT_SHARED(std::string(kOld) + "sdn.csv");
  SKIP_WITHOUT_SHARED(kNew);
  testing::TempDir dir;
  const std::string home = "--home " + dir.path("home") + " ";
  const std::string a = testing::shared_path(kOld);
  auto imp = testing::run(home + "lists import " + a + "sdn.csv " + a + "alt.csv " + a + "add.csv " + a +
                          "sdn_comments.csv");
  ASSERT_EQ(imp.status, 0) << imp.out;

  fs::create_directories(dir.path("www"));
  fs::create_symlink(testing::shared_path(kNew), dir.path("www/sdn.csv"));
  testing::ListServer lists(dir.path("www"));
  const std::string log = dir.path("deliveries.jsonl");
  auto receiver = testing::ListServer::script("webhook_receiver.py", {log, "s3cret-hmac-key", "2"});
  ASSERT_GT(lists.port(), 0);
  ASSERT_GT(receiver->port(), 0);
  const std::string cfg =
      dir.file("sources.yaml",
               "defaults:\n  retries: 0\n  timeout_seconds: 30\nsources:\n"
               "  - name: sdn\n    url: " +
                   lists.url("sdn.csv") + "\n    format: ofac-csv\n    list: us-ofac-sdn\n");

  // Two watches: the KYC file (right secret) and a second file whose secret is wrong.
  const std::string kyc = dir.file("kyc.csv",
                                   "id,name,country\n"
                                   "C-VTB,VTB Bank Public Joint Stock Company,RU\n"
                                   "C-SBER,Public Joint Stock Company Sberbank of Russia,RU\n"
                                   "C-NORIEGA,Manuel Antonio Noriega,PA\n"
                                   "C-PLAIN,Harbourside Bakery Supplies Ltd,GB\n"
                                   "C-NONAME,,RU\n");
  const std::string other = dir.file("other.csv", "id,name,country\nO-VTB,VTB Bank PJSC,RU\n");
  const std::string hook = receiver->url("hook");
  auto add = testing::run(home + "monitor add " + kyc + " --name kyc --webhook " + hook +
                          " --webhook-secret-env HOOK_SECRET --webhook-backoff-ms 50 --format json");
  ASSERT_EQ(add.status, 0) << add.out;
  EXPECT_EQ(json_of(add.out)["hits"], 1) << add.out;  // Noriega, on the 2021 list
  auto add2 = testing::run(home + "monitor add " + other + " --webhook " + hook +
                           " --webhook-secret-env WRONG_SECRET --webhook-retries 1 --webhook-backoff-ms 50");
  ASSERT_EQ(add2.status, 0) << add2.out;
  auto listed = testing::run(home + "monitor list --format json");
  ASSERT_EQ(listed.status, 0) << listed.out;
  auto watches = json_of(listed.out);
  ASSERT_EQ(watches.size(), 2u) << listed.out;
  const std::string old_snapshot = watches[0]["snapshots"][0]["id"];
  EXPECT_TRUE(fs::exists(dir.path("home/monitor/files/" + watches[0]["sha256"].get<std::string>() + ".csv")));

  // The update: the 2024 list goes in force, both watches run, the hook is called.
  auto up = testing::run(home + "lists update --config " + cfg + " --format json",
                         "HOOK_SECRET=s3cret-hmac-key WRONG_SECRET=not-the-key");
  EXPECT_EQ(up.status, 1) << up.out;  // the second watch's notice was refused
  auto u = json_of(up.out);
  ASSERT_TRUE(u.is_object()) << up.out;
  EXPECT_TRUE(u["ok"].get<bool>()) << up.out;  // the list update itself succeeded
  ASSERT_EQ(u["monitor"].size(), 2u) << up.out;
  const auto& m = u["monitor"][0];
  EXPECT_EQ(m["name"], "kyc");
  EXPECT_TRUE(has_hit(m["new_hits"], "C-VTB", "VTB BANK PUBLIC JOINT STOCK COMPANY")) << m;
  EXPECT_TRUE(has_hit(m["new_hits"], "C-SBER", "PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA")) << m;
  EXPECT_TRUE(has_hit(m["gone_hits"], "C-NORIEGA", "NORIEGA, Manuel Antonio")) << m;
  for (auto& h : m["new_hits"]) EXPECT_NE(h["row"], "C-PLAIN");
  // A row without a name is said to be unscreened, not passed over as "no new hits".
  ASSERT_EQ(m["unscreened"].size(), 1u) << m;
  EXPECT_NE(m["unscreened"][0].get<std::string>().find(":6: name"), std::string::npos) << m;
  EXPECT_GE(m["cases_opened"].size(), 2u) << m;
  EXPECT_EQ(m["webhook"]["delivered"], true) << m;
  EXPECT_EQ(m["webhook"]["attempts"], 3) << m;  // two 503s, then 200
  EXPECT_EQ(m["webhook"]["records"].size(), 3u) << m;
  const auto& m2 = u["monitor"][1];
  EXPECT_EQ(m2["webhook"]["delivered"], false) << m2;
  EXPECT_EQ(m2["webhook"]["attempts"], 2) << m2;  // bounded: 1 + --webhook-retries 1
  EXPECT_EQ(m2["webhook"]["status"], 401) << m2;

  // What the receiver saw: three signed deliveries of one notice for kyc, then two refused ones.
  auto seen = json_lines(testing::read_text(log));
  ASSERT_EQ(seen.size(), 5u) << testing::read_text(log);
  for (int k = 0; k < 3; ++k) {
    EXPECT_TRUE(seen[k]["verified"].get<bool>()) << seen[k];
    EXPECT_EQ(seen[k]["status"], k < 2 ? 503 : 200);
    EXPECT_EQ(seen[k]["attempt"], std::to_string(k + 1));
    EXPECT_EQ(seen[k]["delivery"], seen[0]["delivery"]);
    EXPECT_EQ(seen[k]["content_type"], "application/json");
  }
  const auto& body = seen[2]["body"];
  EXPECT_EQ(body["event"], "monitor.hits");
  EXPECT_EQ(body["watch"]["name"], "kyc");
  EXPECT_TRUE(has_hit(body["new_hits"], "C-VTB", "VTB BANK PUBLIC JOINT STOCK COMPANY")) << body;
  for (auto& h : body["new_hits"]) EXPECT_GT(h.value("case", 0), 0) << h;  // each new hit names its case
  EXPECT_TRUE(has_hit(body["gone_hits"], "C-NORIEGA", "NORIEGA, Manuel Antonio")) << body;
  for (int k = 3; k < 5; ++k) {
    EXPECT_FALSE(seen[k]["verified"].get<bool>()) << seen[k];
    EXPECT_EQ(seen[k]["status"], 401);
  }

  // The cases are open, keyed by the customer ids.
  auto cases = testing::run(home + "cases list --format json");
  ASSERT_EQ(cases.status, 0) << cases.out;
  auto cj = json_of(cases.out);
  bool vtb_case = false;
  for (auto& c : (cj.is_array() ? cj : cj.value("cases", nlohmann::json::array())))
    vtb_case |= c.value("party_key", "") == "customer:C-VTB" &&
                c.value("entry_name", "") == "VTB BANK PUBLIC JOINT STOCK COMPANY" &&
                c.value("status", "") == "open";
  EXPECT_TRUE(vtb_case) << cases.out;

  // Every delivery attempt and each watch's run are records.
  auto hooks = testing::run(home + "audit export --action monitor.webhook");
  ASSERT_EQ(hooks.status, 0) << hooks.out;
  auto hr = json_lines(hooks.out);
  ASSERT_EQ(hr.size(), 5u) << hooks.out;
  EXPECT_EQ(hr[0]["result"]["status"], 503) << hr[0];
  EXPECT_EQ(hr[2]["result"]["delivered"], true) << hr[2];
  EXPECT_EQ(hr[4]["result"]["status"], 401) << hr[4];
  auto runs = testing::run(home + "audit export --action monitor.run");
  EXPECT_EQ(json_lines(runs.out).size(), 2u) << runs.out;

  // The baselines moved to the new snapshot: a second run has nothing to do and sends nothing.
  auto again = testing::run(home + "monitor run", "HOOK_SECRET=s3cret-hmac-key");
  EXPECT_EQ(again.status, 0) << again.out;
  EXPECT_NE(again.out.find("kyc [" + watches[0]["id"].get<std::string>() + "]: lists unchanged"),
            std::string::npos)
      << again.out;
  EXPECT_EQ(json_lines(testing::read_text(log)).size(), 5u);
  auto after = json_of(testing::run(home + "monitor list --format json").out);
  EXPECT_NE(after[0]["snapshots"][0]["id"], old_snapshot);

  // Removing a watch deletes its kept copy; an unknown one is an error.
  auto rm = testing::run(home + "monitor remove kyc");
  EXPECT_EQ(rm.status, 0) << rm.out;
  EXPECT_FALSE(
      fs::exists(dir.path("home/monitor/files/" + watches[0]["sha256"].get<std::string>() + ".csv")));
  EXPECT_EQ(json_of(testing::run(home + "monitor list --format json").out).size(), 1u);
  auto unknown = testing::run(home + "monitor remove nosuch");
  EXPECT_EQ(unknown.status, 2) << unknown.out;
  EXPECT_NE(unknown.out.find("no watch 'nosuch'"), std::string::npos) << unknown.out;
  auto bad = testing::run(home + "monitor add " + kyc + " --webhook ftp://x/y --webhook-secret-env S");
  EXPECT_EQ(bad.status, 2) << bad.out;
  EXPECT_NE(bad.out.find("not an http:// or https:// URL"), std::string::npos) << bad.out;
}

}  // namespace
}  // namespace clearance
