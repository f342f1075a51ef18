// An order book run in parts and merged (the impact job shared by replicas, docs/SCALING.md): each
// part is the header plus a run of rows read with the line shift of its place in the book, its report
// is kept as JSON and read back, and the parts merged in order give the report of one run over the
// whole book.
#include <gtest/gtest.h>

#include <cmath>
#include <istream>
#include <sstream>

#include "clearance/impact/report.hpp"
#include "impact/impact_support.hpp"
#include "impact/order_generator.hpp"

namespace clearance {
namespace {

using testing::OrderGenerator;
using testing::point;

// Where two JSON values differ ("" when they do not): numbers within a relative 1e-9 (sums added in
// another order), everything else exactly.
std::string difference(const nlohmann::ordered_json& a, const nlohmann::ordered_json& b,
                       const std::string& at = "") {
  if (a.is_number() && b.is_number()) {
    double x = a.get<double>(), y = b.get<double>();
    return std::fabs(x - y) <= 1e-9 * std::max({1.0, std::fabs(x), std::fabs(y)})
               ? ""
               : at + ": " + a.dump() + " != " + b.dump();
  }
  if (a.type() != b.type() || a.size() != b.size())
    return at + ": " + a.dump(-1).substr(0, 200) + " != " + b.dump(-1).substr(0, 200);
  if (a.is_object()) {
    for (auto it = a.begin(); it != a.end(); ++it) {
      if (!b.contains(it.key())) return at + "." + it.key() + ": missing";
      if (auto d = difference(it.value(), b[it.key()], at + "." + it.key()); !d.empty()) return d;
    }
    return "";
  }
  if (a.is_array()) {
    for (size_t i = 0; i < a.size(); ++i)
      if (auto d = difference(a[i], b[i], at + "[" + std::to_string(i) + "]"); !d.empty()) return d;
    return "";
  }
  return a == b ? "" : at + ": " + a.dump() + " != " + b.dump();
}

// A generated book of `n` orders with a bad row every 97 rows (a quantity that is not a number, an
// empty item), as one string.
std::string book_with_bad_rows(std::uint64_t n) {
  OrderGenerator gen(n, 300, 11);
  std::istream in(&gen);
  std::string line, out;
  std::getline(in, line);
  out += line + "\n";
  for (std::uint64_t i = 0; std::getline(in, line); ++i) {
    if (i % 97 == 40) line = "B" + std::to_string(i) + ",2025-05-01,,Acme,CN,H20,many,12,USD";
    if (i % 97 == 80) line = ",2025-05-01,,Acme,CN,,1,12,USD";  // no id: "line N" must count in the book
    out += line + "\n";
  }
  return out;
}

nlohmann::ordered_json without_memo(nlohmann::ordered_json j) {
  j["counts"].erase("memo_hits");
  j["counts"].erase("memo_misses");
  return j;
}

TEST(ImpactMerge, ABookRunInPartsAndMergedIsTheReportOfOneRun) {
  const std::string book = book_with_bad_rows(3000);
  ImpactOptions opt;
  opt.threads = 2;
  opt.checker = testing::impact_checker();
  opt.max_listed = 40;  // reached within the first parts: the list must keep the book's first 40
  opt.max_errors = 20;
  const auto from = point("2025-03-01"), to = point("2026-02-01");
  std::istringstream whole_in(book);
  auto whole = run_impact(whole_in, "orders.csv", from, to, opt);
  ASSERT_TRUE(whole.ok()) << whole.error().message;
  ASSERT_GT(whole->changes_total, opt.max_listed);
  ASSERT_GT(whole->errors, opt.max_errors);

  // Parts of 450 rows (the last shorter), each kept as JSON and read back, merged in order.
  std::istringstream lines(book);
  std::string header, line;
  std::getline(lines, header);
  std::vector<std::string> rows;
  while (std::getline(lines, line)) rows.push_back(line);
  ImpactReport merged;
  size_t parts = 0;
  for (size_t at = 0; at < rows.size(); at += 450, ++parts) {
    std::string part = header + "\n";
    for (size_t k = at; k < std::min(rows.size(), at + 450); ++k) part += rows[k] + "\n";
    ImpactOptions po = opt;
    po.reader.line_shift = at;  // row `at` is on line at + 2 of the book, line 2 of the part
    std::istringstream in(part);
    auto r = run_impact(in, "orders.csv", from, to, po);
    ASSERT_TRUE(r.ok()) << r.error().message;
    auto kept = impact_from_json(nlohmann::json::parse(impact_to_json(*r).dump()));
    ASSERT_TRUE(kept.ok()) << kept.error().message;
    if (at == 0)
      merged = std::move(*kept);
    else
      merge_impact(merged, std::move(*kept), opt);
  }
  EXPECT_EQ(parts, 7u);
  auto a = without_memo(impact_to_json(merged)), b = without_memo(impact_to_json(*whole));
  EXPECT_EQ(difference(a, b), "");
  // The same orders listed, on their lines in the whole book, and the same errors.
  ASSERT_EQ(merged.changes.size(), whole->changes.size());
  for (size_t i = 0; i < merged.changes.size(); ++i) {
    EXPECT_EQ(merged.changes[i].order.id, whole->changes[i].order.id);
    EXPECT_EQ(merged.changes[i].order.line, whole->changes[i].order.line);
  }
  EXPECT_EQ(merged.error_messages, whole->error_messages);
  EXPECT_NE(merged.error_messages.back().find("orders.csv:"), std::string::npos);
  EXPECT_EQ(merged.memo_hits + merged.memo_misses, whole->memo_hits + whole->memo_misses);
}

TEST(ImpactMerge, KeysPastTheBreakdownCapGoToOtherAsInOneRun) {
  // 300 customers, a cap of 50 keys: both ways keep 50 customers plus "(other)", and count every
  // order once.
  OrderGenerator gen(2000, 300, 5);
  std::istream gin(&gen);
  std::string book((std::istreambuf_iterator<char>(gin)), std::istreambuf_iterator<char>());
  ImpactOptions opt;
  opt.threads = 1;
  opt.max_group_keys = 50;
  const auto from = point("2025-03-01"), to = point("2025-08-15");
  auto half = book.find('\n', book.size() / 2) + 1;
  const std::string header = book.substr(0, book.find('\n') + 1);
  std::istringstream first(book.substr(0, half)), second(header + book.substr(half));
  auto a = run_impact(first, "orders.csv", from, to, opt);
  ImpactOptions shifted = opt;
  shifted.reader.line_shift = a.ok() ? a->rows : 0;
  auto b = run_impact(second, "orders.csv", from, to, shifted);
  std::istringstream all(book);
  auto whole = run_impact(all, "orders.csv", from, to, opt);
  ASSERT_TRUE(a.ok() && b.ok() && whole.ok());
  merge_impact(*a, std::move(*b), opt);
  // The first half met 50 customers before the whole run did: the same keys are kept.
  ASSERT_EQ(a->by_customer.size(), opt.max_group_keys + 1);
  auto keys = [](const Breakdown& b) {
    std::vector<std::string> k;
    for (const auto& [key, by_cur] : b) k.push_back(key);
    return k;
  };
  EXPECT_EQ(keys(a->by_customer), keys(whole->by_customer));
  // Every order counted once; those under "(other)" are the overflow. (The second half's orders of
  // a kept customer that its own run had put under "(other)" stay there: the documented difference.)
  for (const ImpactReport* r : {&*a, &*whole}) {
    std::uint64_t counted = 0, other = 0;
    for (const auto& [key, by_cur] : r->by_customer)
      for (const auto& [cur, t] : by_cur) (key == "(other)" ? other : counted) += t.total.orders;
    EXPECT_EQ(counted + other, 2000u);
    EXPECT_EQ(r->overflow.at("by_customer"), other);
  }
  EXPECT_GE(a->overflow.at("by_customer"), whole->overflow.at("by_customer"));
  EXPECT_EQ(difference(impact_to_json(*a)["totals"], impact_to_json(*whole)["totals"]), "");
}

TEST(ImpactMerge, AReportReadBackFromJsonWritesTheSameJsonTextAndPage) {
  ImpactOptions opt;
  opt.checker = testing::impact_checker();
  auto run = testing::run_book(testing::sample_book() + "X-1,2025-03-02,,Acme,ZZ,H20,1,1,USD\n",
                               point("2025-03-01"), point("2026-01-20"), opt);
  const ImpactReport& r = run.report;
  ASSERT_GT(r.changes_total, 0u);
  ASSERT_GT(r.errors, 0u);
  auto back = impact_from_json(nlohmann::json::parse(impact_to_json(r).dump()));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(impact_to_json(*back), impact_to_json(r));
  EXPECT_EQ(impact_to_text(*back), impact_to_text(r));
  HtmlOptions html;
  html.generated = "2026-12-05T10:00:00Z";
  EXPECT_EQ(impact_to_html(*back, html), impact_to_html(r, html));

  // Not a report: said so, nothing thrown.
  for (const char* bad : {R"([1, 2])", R"({"orders_file": 1})"}) {
    auto x = impact_from_json(nlohmann::json::parse(bad));
    ASSERT_FALSE(x.ok()) << bad;
    EXPECT_EQ(x.error().kind, Error::Kind::kBadInput);
    EXPECT_NE(x.error().message.find("not an impact report"), std::string::npos) << x.error().message;
  }
  auto j = nlohmann::json::parse(impact_to_json(r).dump());
  j["changes"][0]["from"]["overall"] = "maybe";
  auto x = impact_from_json(j);
  ASSERT_FALSE(x.ok());
  EXPECT_NE(x.error().message.find("verdict"), std::string::npos) << x.error().message;
}

}  // namespace
}  // namespace clearance
