// The analyst page (web/) end to end in headless Chromium: the real `clearance serve` on real lists
// (the US Consolidated Screening List and China's export control list from ../shared/data), four-eyes
// on, and tests/browser/web_page.mjs driving Debian's Chromium through playwright-core: screening a
// typo'd and a Chinese name, a batch with its progress bar, a false positive decided by an analyst
// and approved by a second key then shown suppressed, a check with its cited rules, an impact
// report, a replay; screenshots under the build directory (web-page-screenshots/), axe-core on every
// screen (no serious or critical violation), and no console error or failed request anywhere.
//
// One server and one browser for the whole walk (about 30 s on 2 busy cores). Skips when
// ../shared is absent; FAILS with the instruction when node, Chromium or the npm packages are.
#include <gtest/gtest.h>

#include "server/server_support.hpp"
#include "support/browser.hpp"
#include "test_support.hpp"

namespace clearance::testing {
namespace {

TEST(WebPage, AnalystWorkflowsInChromium) {
  const std::string csl = shared_path("data/us/csl/consolidated-2026-07-converted.csv");
  const std::string mofcom = shared_path("data/cn/cn_mofcom_export_control_list.ftm.json");
  const std::string batch = shared_path("eval/screening-dev.csv");
  for (const auto& f : {csl, mofcom, batch})
    if (!fs::exists(f)) GTEST_SKIP() << "needs " << f << " (../shared)";
  const std::string src = source_dir();
  std::string missing = missing_browser_prerequisites(src, {"playwright-core", "axe-core"});
  ASSERT_TRUE(missing.empty()) << "the page test cannot run; missing:" << missing;

  // Lists older than about a second are stale (--max-list-age), so the Record screen must warn.
  ApiServer api("web-page", {"--threads", "2", "--rate-limit", "0", "--max-list-age", "0.00001"},
                {{"lists", "import", csl},
                 {"lists", "import", mofcom},
                 {"cases", "policy", "--require-approval", "true"}});
  ASSERT_TRUE(api.server->running()) << api.server->stderr_text();
  nlohmann::json keys = {{"analyst", api.keys.at("analyst")},
                         {"approver", api.keys.at("approver")},
                         {"admin", api.keys.at("admin")}};
  const std::string keys_file = api.home + "/page-keys.json";
  std::ofstream(keys_file) << keys.dump();
  const std::string out_dir = fs::path(clearance_binary()).parent_path().string() + "/web-page-screenshots";
  fs::remove_all(out_dir);

  std::string cmd = "cd " + shell_quote(src + "/tests/browser") +
                    " && node web_page.mjs --base http://127.0.0.1:" + std::to_string(api.server->port()) +
                    " --keys " + shell_quote(keys_file) + " --out " + shell_quote(out_dir) + " --batch " +
                    shell_quote(batch) + " --orders " + shell_quote(src + "/data/orders/sample-orders.csv") +
                    // The flips of March → May 2025 (ImpactBrowser.April2025ReportRendersChartsAndFlips).
                    " --expect-flips SO-2025-0101,SO-2025-0102,SO-2025-0103,SO-2025-0119,SO-2025-0120,"
                    "SO-2025-0121,SO-2025-0124 --chromium " +
                    shell_quote(chromium_path());
  std::string out;
  int status = run_command(cmd, out);
  EXPECT_EQ(status, 0) << cmd << "\n"
                       << out << "\nserver log tail:\n"
                       << api.server->log().substr(
                              api.server->log().size() > 4000 ? api.server->log().size() - 4000 : 0);
  EXPECT_NE(out.find("\nok"), std::string::npos) << out;
  for (const char* shot : {"02-screen-typo", "03-screen-chinese", "05-batch", "07-review-approved",
                           "08-screen-suppressed", "09-check", "10-impact", "11-record-replay"}) {
    fs::path png = fs::path(out_dir) / (std::string(shot) + ".png");
    EXPECT_TRUE(fs::exists(png) && fs::file_size(png) > 10000) << png;
  }
  std::cout << out.substr(0, out.find('\n')) << "\n";  // the summary line: timings, screenshots, axe
}

}  // namespace
}  // namespace clearance::testing
