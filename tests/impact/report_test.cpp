// Output formats: the per-order CSV, JSON, text summary and the self-contained HTML report, which
// escapes every user-provided string and carries no external reference.
#include "clearance/impact/report.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "impact/impact_support.hpp"

namespace clearance {
namespace {

using testing::impact_checker;
using testing::point;
using testing::run_book;

testing::Run window_a() {
  ImpactOptions opt;
  opt.checker = impact_checker();
  return run_book(testing::sample_book(), point("2025-03-01"), point("2025-05-01"), opt, "sample-orders.csv");
}

size_t count_of(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + what.size())) ++n;
  return n;
}

TEST(ImpactReportFormats, CsvOneRowPerOrder) {
  auto r = window_a();
  const std::vector<std::string> jur = r.report.jurisdictions;
  EXPECT_EQ(jur, (std::vector<std::string>{"US-EAR", "CN"}));
  EXPECT_EQ(
      impact_csv_header(jur),
      "id,verdict_from,verdict_to,flipped,value,currency,changed_rules,change,policy_from,policy_to,us_ear_"
      "from,"
      "us_ear_to,cn_from,cn_to,line,date,exporter,customer,destination,item,quantity,unit_value,error\n");
  EXPECT_EQ(impact_csv_row(*r.find("SO-2025-0101"), jur),
            "SO-2025-0101,no_license_required,license_required,yes,61440000,USD,"
            "+us.letter.2025-04.nvidia-h20;+us.letter.2025-04.policy.denial,blocked,,presumption_of_denial,"
            "no_license_required,license_required,no_license_required,no_license_required,2,2025-02-18,"
            "NVIDIA Corporation,"
            "Hangzhou Cloudpeak AI Computing Co. Ltd.,CN,H20,4800,12800,\n");
  EXPECT_EQ(
      impact_csv_row(*r.find("SO-2025-0124"), jur),
      "SO-2025-0124,no_license_required,license_required,yes,2475000,CNY,+cn.2025-18.rare-earths,blocked,,,"
      "no_license_required,no_license_required,no_license_required,license_required,25,2025-03-13,"
      "Ganzhou Southern Rare Earth Export Co. Ltd.,Tokai Magnet Works K.K.,JP,氧化镝,1500,1650,\n");
  EXPECT_EQ(impact_csv_row(*r.find("SO-2025-0105"), jur).substr(0, 60),
            "SO-2025-0105,no_license_required,no_license_required,no,3302");
}

TEST(ImpactReportFormats, CsvErrorRow) {
  auto r = run_book(
      "id,customer,destination,item,quantity,unit_value,currency\n\"x,1\",\"a \"\"b\"\"\",CN,H20,zz,1,USD\n",
      point("2025-03-01"), point("2025-05-01"));
  ASSERT_EQ(r.orders.size(), 1u);
  EXPECT_EQ(impact_csv_row(r.orders[0], {"US-EAR", "CN"}),
            "\"x,1\",,,no,,,,error,,,,,,,2,,,\"a \"\"b\"\"\",CN,H20,,,"
            "orders.csv:2: quantity: not a non-negative number: 'zz'\n");
}

TEST(ImpactReportFormats, JsonCarriesTotalsBreakdownsAndFlips) {
  auto r = window_a();
  auto j = impact_to_json(r.report);
  EXPECT_EQ(j["from"]["as_of"], "2025-03-01");
  EXPECT_EQ(j["to"]["label"], "2025-05-01");
  EXPECT_EQ(j["currency_mode"], "per_currency");
  EXPECT_EQ(j["counts"]["orders"], 24);
  EXPECT_EQ(j["totals"]["USD"]["to_blocked"]["orders"], 4);
  EXPECT_DOUBLE_EQ(j["totals"]["JPY"]["to_blocked"]["value"].get<double>(), 18250000.0);
  EXPECT_EQ(j["totals"]["USD"]["to"]["license_required"]["orders"], 10);
  EXPECT_EQ(j["by_destination"]["HK"]["USD"]["to_blocked"]["orders"], 1);
  EXPECT_EQ(j["by_customer"]["Sugon"]["USD"]["blocked_from"]["orders"], 1);
  ASSERT_EQ(j["flips"].size(), 7u);
  EXPECT_EQ(j["flips"][0]["id"], "SO-2025-0101");
  EXPECT_EQ(j["flips"][0]["from"]["overall"], "no_license_required");
  EXPECT_EQ(j["flips"][0]["to"]["review_policy"], "presumption_of_denial");
  EXPECT_EQ(j["flips"][0]["rules_changed"][0], "+us.letter.2025-04.nvidia-h20");
  EXPECT_EQ(j["flips"][0]["item_name"], "H20 (HGX, 96GB)");
  EXPECT_EQ(j["changes_total"], 7);
  // Round-trips as JSON text.
  auto back = nlohmann::json::parse(j.dump());
  EXPECT_EQ(back["counts"]["rows"], 24);
}

TEST(ImpactReportFormats, TextSummary) {
  auto r = window_a();
  std::string t = impact_to_text(r.report);
  EXPECT_NE(t.find("Impact on sample-orders.csv: 2025-03-01 -> 2025-05-01"), std::string::npos) << t;
  EXPECT_NE(t.find("flips: 7 shippable -> blocked, 0 blocked -> shippable"), std::string::npos) << t;
  EXPECT_NE(t.find("value at stake: 100,133,000 newly blocked (4 orders)"), std::string::npos) << t;
  EXPECT_NE(t.find("Flips: shippable -> blocked"), std::string::npos);
  EXPECT_NE(t.find("rules: +cn.2025-18.rare-earths"), std::string::npos);
  EXPECT_EQ(t.find("Flips: blocked -> shippable"), std::string::npos);  // no such section when empty
}

TEST(ImpactReportFormats, HtmlIsSelfContainedAndEscapesUserStrings) {
  ImpactOptions opt;
  auto r = run_book(
      "id,exporter,customer,destination,item,quantity,unit_value,currency\n"
      "\"<img src=x onerror=alert(1)>\",NVIDIA,\"<script>alert('x')</script> & "
      "\"\"Sons\"\"\",CN,H20,10,100,USD\n"
      "ok-1,,Plain Customer,JP,dysprosium oxide,5,300,USD\n"
      "bad</td>,,<b>bold</b>,CN,H20,1,oops,USD\n",
      point("2025-03-01"), point("2025-05-01"), opt, "<evil>.csv");
  ASSERT_EQ(r.report.changes.size(), 2u);
  HtmlOptions h;
  h.generated = "2026-01-01T00:00:00Z <b>";
  std::string html = impact_to_html(r.report, h);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_EQ(html.find("<evil>"), std::string::npos);
  EXPECT_EQ(html.find("bad</td>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Sons&quot;"),
            std::string::npos);
  EXPECT_NE(html.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_NE(html.find("&lt;evil&gt;.csv:4: unit_value"), std::string::npos);  // in the error list
  // No external reference of any kind: no URL but the SVG namespace, no src/href attribute in any tag.
  std::string stripped =
      std::regex_replace(html, std::regex("xmlns=\"http://www.w3.org/2000/svg\"|http-equiv"), "");
  EXPECT_EQ(stripped.find("http"), std::string::npos);
  std::string no_values =
      std::regex_replace(html, std::regex("\"[^\"]*\""), "\"\"");  // attribute values are inert
  EXPECT_FALSE(std::regex_search(no_values, std::regex("<[^>]*\\s(src|href)\\s*=")));
  EXPECT_TRUE(std::regex_search(no_values,
                                std::regex("<tr[^>]*\\sdata-order\\s*=")));  // the check can see attributes
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
}

TEST(ImpactReportFormats, HtmlHasChartsAndTheFlipTable) {
  auto r = window_a();
  std::string html = impact_to_html(r.report);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<style>"), std::string::npos);
  for (const char* cur : {"USD", "CNY", "JPY"}) {
    EXPECT_NE(html.find(std::string("id=\"chart-verdict-") + cur + "\""), std::string::npos) << cur;
    EXPECT_NE(html.find(std::string("id=\"chart-item-") + cur + "\""), std::string::npos) << cur;
    EXPECT_NE(html.find(std::string("id=\"chart-destination-") + cur + "\""), std::string::npos) << cur;
  }
  EXPECT_NE(html.find("<table id=\"flips\">"), std::string::npos);
  EXPECT_EQ(count_of(html, "<tr class=\"change flip-blocked\""), 7u);
  EXPECT_EQ(count_of(html, "class=\"bar bar-blocked\""),
            (2u + 1u + 1u) /*items: USD H20 and Dy; CNY Dy; JPY Dy*/ +
                (3u + 1u + 1u) /*destinations: USD CN, HK, US; CNY JP; JPY JP*/);
  EXPECT_NE(html.find("data-order=\"SO-2025-0101\""), std::string::npos);
  EXPECT_NE(html.find("ordered as 氧化镝"), std::string::npos);  // UTF-8 kept (charset declared)
  EXPECT_NE(html.find("ordered as Dy2O3"), std::string::npos);
  EXPECT_EQ(html.find("ordered as H20"), std::string::npos);  // the catalogue name already says it
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
}

TEST(ImpactReportFormats, HtmlOfAnEmptyBook) {
  auto r = run_book("id,destination,item,quantity,unit_value,currency\n", point("2025-03-01"),
                    point("2025-05-01"));
  std::string html = impact_to_html(r.report);
  EXPECT_NE(html.find("No order could be determined."), std::string::npos);
  EXPECT_NE(html.find("No order flips between shippable and blocked."), std::string::npos);
  EXPECT_NE(html.find("</html>"), std::string::npos);
}

TEST(ImpactReportFormats, HtmlEscape) {
  EXPECT_EQ(html_escape("a<b>&\"c\"'d'"), "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
  EXPECT_EQ(html_escape("中文"), "中文");
}

}  // namespace
}  // namespace clearance
