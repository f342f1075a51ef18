// The HTML impact report in a real browser: headless Chromium (Debian's /usr/bin/chromium) driven by
// playwright-core from tests/browser/ checks that the SVG charts and the flip table render, that the
// page fetches nothing, and that the screenshots are not blank (tests/browser/impact_report.mjs).
//
// Needs: apt-get install -y chromium nodejs npm; cd tests/browser && npm ci. When any of these is
// missing the test FAILS with that instruction (it never passes without having looked at a browser).
#include "support/browser.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "clearance/impact/report.hpp"
#include "impact/impact_support.hpp"

namespace clearance {
namespace {

namespace fs = std::filesystem;

std::string source_dir() { return fs::weakly_canonical(fs::path(testing::data_dir()) / "..").string(); }

using testing::chromium_path;
using testing::run_command;
using testing::shell_quote;

// What is missing for the browser test, as an instruction; empty when all is there.
std::string missing_prerequisites() {
  return testing::missing_browser_prerequisites(source_dir(), {"playwright-core"});
}

struct TempDir {
  fs::path dir;
  TempDir() {
    dir = fs::temp_directory_path() / ("clearance-browser-" + std::to_string(::getpid()));
    fs::create_directories(dir);
  }
  ~TempDir() {
    if (!std::getenv("CLEARANCE_KEEP_BROWSER_OUTPUT")) {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  }
};

void render_and_check(const char* from, const char* to, const std::string& expected_flips,
                      const std::string& name) {
  std::string missing = missing_prerequisites();
  ASSERT_TRUE(missing.empty()) << "the headless-Chromium report test cannot run; missing:" << missing;
  ImpactOptions opt;
  opt.checker = testing::impact_checker();
  auto r = testing::run_book(testing::sample_book(), testing::point(from), testing::point(to), opt,
                             "data/orders/sample-orders.csv");
  TempDir tmp;
  fs::path html = tmp.dir / (name + ".html"), png = tmp.dir / (name + ".png");
  std::ofstream(html, std::ios::binary) << impact_to_html(r.report);
  std::string cmd = "cd " + shell_quote(source_dir() + "/tests/browser") +
                    " && node impact_report.mjs --html " + shell_quote(html.string()) + " --png " +
                    shell_quote(png.string()) + " --expect-flips " + shell_quote(expected_flips) +
                    " --chromium " + shell_quote(chromium_path());
  std::string out;
  int status = run_command(cmd, out);
  EXPECT_EQ(status, 0) << cmd << "\n" << out;
  EXPECT_NE(out.find("\nok"), std::string::npos) << out;
  ASSERT_TRUE(fs::exists(png)) << out;
  EXPECT_GT(fs::file_size(png), 10000u);
}

TEST(ImpactBrowser, April2025ReportRendersChartsAndFlips) {
  render_and_check(
      "2025-03-01", "2025-05-01",
      "SO-2025-0101,SO-2025-0102,SO-2025-0103,SO-2025-0119,SO-2025-0120,SO-2025-0121,SO-2025-0124", "april");
}

TEST(ImpactBrowser, WholeSpanReportRendersTheNetFlips) {
  render_and_check(
      "2025-03-01", "2026-02-01",
      "SO-2025-0101,SO-2025-0102,SO-2025-0103,SO-2025-0119,SO-2025-0120,SO-2025-0121,SO-2025-0124", "year");
}

}  // namespace
}  // namespace clearance
