// `clearance changes` on real data across the 2025 swings: a data home whose OFAC SDN list was put
// in force on 2025-03-01 (the 2021-07 file) and replaced on 2025-06-01 (the 2024-05 file), the
// bundled rule packs, a customer file naming listed parties, and the bundled sample order book.
// The digest must name the entries, rules, customers and orders that changed, say explicitly what it
// could not compute, and its HTML page must render in headless Chromium.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "clearance/lists/import.hpp"
#include "cli/cli_support.hpp"
#include "support/browser.hpp"
#include "support/temp_dir.hpp"
#include "test_support.hpp"

namespace clearance {
namespace {

namespace fs = std::filesystem;
using testing::Run;

constexpr char kOld[] = "data/us/ofac/sdn-2021-07/";
constexpr char kNew[] = "data/us/ofac/sdn-2024-05/";

// The home, the customers and the order book; the lists imported with the library so that their
// history carries 2025 dates.
struct World {
  testing::TempDir dir;
  std::string home, customers, orders;
};

std::unique_ptr<World> make_world() {
  auto w = std::make_unique<World>();
  w->home = w->dir.path("home");
  ListStore store(w->home);
  const std::string a = testing::shared_path(kOld);
  ImportRequest first;
  first.paths = {a + "sdn.csv", a + "alt.csv", a + "add.csv", a + "sdn_comments.csv"};
  first.imported_at = "2025-03-01T00:00:00Z";
  auto r1 = import_lists(store, testing::tables()->countries, first);
  EXPECT_TRUE(r1) << r1.error().message;
  ImportRequest second;
  second.paths = {testing::shared_path(std::string(kNew) + "sdn.csv")};
  second.imported_at = "2025-06-01T00:00:00Z";
  auto r2 = import_lists(store, testing::tables()->countries, second);
  EXPECT_TRUE(r2) << r2.error().message;
  w->customers = w->dir.file("customers.csv",
                             "id,name,country\n"
                             "C-VTB,VTB Bank Public Joint Stock Company,RU\n"
                             "C-SBER,Public Joint Stock Company Sberbank of Russia,RU\n"
                             "C-NORIEGA,Manuel Antonio Noriega,PA\n"
                             "C-PLAIN,Harbourside Bakery Supplies Ltd,GB\n");
  w->orders = testing::data_dir() + "/orders/sample-orders.csv";
  return w;
}

Run changes(const World& w, const std::string& args) {
  return testing::run("--home " + w.home + " --no-record changes " + args);
}

const nlohmann::json* find_by(const nlohmann::json& array, const char* key, const std::string& value) {
  for (const auto& x : array)
    if (x.value(key, "") == value) return &x;
  return nullptr;
}

std::set<std::string> rules_of(const nlohmann::json& j, const std::string& change) {
  std::set<std::string> out;
  for (const auto& c : j["rules"]["changes"])
    if (c["change"] == change) out.insert(c["id"].get<std::string>());
  return out;
}

TEST(Changes, Swings2025NameTheEntriesRulesCustomersAndOrdersThatChanged) {
  SKIP_WITHOUT_SHARED(std::string(kOld) + "sdn.csv");
  SKIP_WITHOUT_SHARED(std::string(kNew) + "sdn.csv");
  auto w = make_world();
  auto r = changes(*w, "--since 2025-04-01 --until 2025-08-01 --customers " + w->customers + " --orders " +
                           w->orders + " --format json");
  ASSERT_EQ(r.status, 0) << r.out;
  auto j = nlohmann::json::parse(r.out.substr(0, r.out.rfind("}") + 1), nullptr, false);
  ASSERT_TRUE(j.is_object()) << r.out;
  EXPECT_TRUE(j["complete"].get<bool>());

  // (a) The SDN list between the snapshot in force on 2025-04-01 (2021-07 file) and on 2025-08-01.
  ASSERT_EQ(j["lists"]["status"], "computed");
  ASSERT_EQ(j["lists"]["lists"].size(), 1u);
  const auto& sdn = j["lists"]["lists"][0];
  EXPECT_EQ(sdn["list"], "us-ofac-sdn");
  EXPECT_EQ(sdn["status"], "computed");
  EXPECT_GT(sdn["summary"]["added"].get<int>(), 5000);  // 8,977 -> 14,966 rows
  EXPECT_TRUE(find_by(sdn["added"], "name", "VTB BANK PUBLIC JOINT STOCK COMPANY")) << sdn["summary"];
  EXPECT_TRUE(find_by(sdn["added"], "name", "PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA"));
  EXPECT_TRUE(find_by(sdn["removed"], "name", "NORIEGA, Manuel Antonio"));

  // (b) Rules: the April 2025 H20 letter and its denial policy took effect; the A3 HQ rule of the
  // 2023 rule and the Syria sanctions regulations ended; nothing after 2025-08-01 is named.
  ASSERT_EQ(j["rules"]["status"], "computed");
  auto took = rules_of(j, "took_effect"), ended = rules_of(j, "ended");
  for (const char* id : {"us.letter.2025-04.nvidia-h20", "us.letter.2025-04.amd-mi308",
                         "us.letter.2025-04.policy.denial", "cn.advisory.h20", "us.744.23.a3.hq.b"})
    EXPECT_TRUE(took.count(id)) << id;
  for (const char* id : {"us.744.23.a3.hq", "us.ofac.sysr"}) EXPECT_TRUE(ended.count(id)) << id;
  EXPECT_FALSE(took.count("us.letter.2025-04.policy.15pct"));  // 2025-08-08: after the window
  EXPECT_FALSE(ended.count("us.letter.2025-04.policy.denial"));
  auto* h20 = find_by(j["rules"]["changes"], "id", "us.letter.2025-04.nvidia-h20");
  ASSERT_TRUE(h20);
  EXPECT_EQ((*h20)["date"], "2025-04-09");
  EXPECT_NE((*h20)["citation"].get<std::string>().find("is-informed letter to NVIDIA"), std::string::npos);

  // (c) Customers: VTB and Sberbank were listed since, Noriega delisted; the bakery is unchanged.
  ASSERT_EQ(j["customers"]["status"], "computed") << j["customers"];
  const auto& cust = j["customers"]["changed"];
  auto* vtb = find_by(cust, "row", "C-VTB");
  ASSERT_TRUE(vtb) << cust;
  EXPECT_FALSE((*vtb)["new_hits"].empty());
  EXPECT_TRUE(find_by((*vtb)["new_hits"], "entry_name", "VTB BANK PUBLIC JOINT STOCK COMPANY")) << *vtb;
  EXPECT_TRUE(find_by(cust, "row", "C-SBER"));
  auto* noriega = find_by(cust, "row", "C-NORIEGA");
  ASSERT_TRUE(noriega) << cust;
  EXPECT_TRUE(find_by((*noriega)["gone_hits"], "entry_name", "NORIEGA, Manuel Antonio")) << *noriega;
  EXPECT_FALSE(find_by(cust, "row", "C-PLAIN"));

  // (d) Orders: the H20 orders of NVIDIA to China and Hong Kong became licence-required under the
  // April letter.
  ASSERT_EQ(j["orders"]["status"], "computed") << j["orders"];
  for (const char* id : {"SO-2025-0101", "SO-2025-0102", "SO-2025-0103"}) {
    auto* o = find_by(j["orders"]["changed"], "id", id);
    ASSERT_TRUE(o) << id << " " << j["orders"]["changed"];
    EXPECT_EQ((*o)["change"], "blocked") << *o;
    auto rules = (*o)["rules_changed"].get<std::vector<std::string>>();
    EXPECT_NE(std::find(rules.begin(), rules.end(), "+us.letter.2025-04.nvidia-h20"), rules.end()) << *o;
  }

  // Text: the same names, one per line.
  auto t = changes(*w, "--since 2025-04-01 --until 2025-08-01 --orders " + w->orders);
  ASSERT_EQ(t.status, 0) << t.out;
  for (const char* s : {"us-ofac-sdn: ", "2025-04-09  took_effect  us.letter.2025-04.nvidia-h20",
                        "2025-07-01  ended  us.ofac.sysr", "SO-2025-0101", "CUSTOMERS: not requested"})
    EXPECT_NE(t.out.find(s), std::string::npos) << s << "\n" << t.out;

  // A later window: the denial policy ended, the 15% policy took effect, and 2025 No. 70 suspended
  // the rare-earth measures of No. 57. The lists did not change within it, and the digest says so.
  auto late = changes(*w, "--since 2025-08-01 --until 2025-12-01 --format json");
  ASSERT_EQ(late.status, 0) << late.out;
  auto lj = nlohmann::json::parse(late.out.substr(0, late.out.rfind("}") + 1));
  EXPECT_TRUE(rules_of(lj, "ended").count("us.letter.2025-04.policy.denial"));
  EXPECT_TRUE(rules_of(lj, "took_effect").count("us.letter.2025-04.policy.15pct"));
  auto* suspended = find_by(lj["rules"]["changes"], "id", "cn.2025-57.rare-earths");
  ASSERT_TRUE(suspended) << lj["rules"];
  EXPECT_TRUE(rules_of(lj, "suspended").count("cn.2025-57.rare-earths"));
  EXPECT_EQ(lj["lists"]["lists"][0]["summary"]["added"], 0);
  EXPECT_EQ(lj["lists"]["lists"][0]["status"], "computed");
}

// Fail closed: before the first snapshot the list and customer parts cannot be computed; the digest
// says so (never "no changes") and the command exits 1. A home that never imported a list says that.
TEST(Changes, WithoutASnapshotAtTheStartThePartsSayNotComputed) {
  SKIP_WITHOUT_SHARED(std::string(kOld) + "sdn.csv");
  SKIP_WITHOUT_SHARED(std::string(kNew) + "sdn.csv");
  auto w = make_world();
  auto r = changes(*w, "--since 2025-01-01 --until 2025-08-01 --customers " + w->customers);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("INCOMPLETE"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("us-ofac-sdn: NOT COMPUTED: no snapshot of this list was in force at 2025-01-01"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("first put in force 2025-03-01T00:00:00Z"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("CUSTOMERS: NOT COMPUTED"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(" 0 added"), std::string::npos) << r.out;

  testing::TempDir empty;
  auto e =
      testing::run("--home " + empty.path("home") + " --no-record changes --since 2025-04-01 --format json");
  EXPECT_EQ(e.status, 1) << e.out;
  auto j = nlohmann::json::parse(e.out.substr(0, e.out.rfind("}") + 1), nullptr, false);
  ASSERT_TRUE(j.is_object()) << e.out;
  EXPECT_FALSE(j["complete"].get<bool>());
  EXPECT_EQ(j["lists"]["status"], "not_computed");
  EXPECT_NE(j["lists"]["reason"].get<std::string>().find("no list was ever imported"), std::string::npos);
  EXPECT_EQ(j["rules"]["status"], "computed");  // the rules do not depend on the home

  auto bad = testing::run("--home " + empty.path("home") + " changes --since 2025-13-45");
  EXPECT_EQ(bad.status, 2) << bad.out;
  EXPECT_NE(bad.out.find("--since: bad date '2025-13-45'"), std::string::npos) << bad.out;
}

// The HTML digest in headless Chromium (tests/browser/changes_digest.mjs): no console error, nothing
// fetched, and the named entries, rules, customers and orders visible; the not-computed notice
// visible in a digest that lacks its start snapshot.
TEST(Changes, HtmlDigestRendersInChromium) {
  SKIP_WITHOUT_SHARED(std::string(kOld) + "sdn.csv");
  SKIP_WITHOUT_SHARED(std::string(kNew) + "sdn.csv");
  const std::string source = fs::weakly_canonical(fs::path(testing::data_dir()) / "..").string();
  std::string missing = testing::missing_browser_prerequisites(source, {"playwright-core"});
  ASSERT_TRUE(missing.empty()) << "the headless-Chromium test cannot run; missing:" << missing;
  auto w = make_world();
  std::string html = w->dir.path("digest.html"), partial = w->dir.path("partial.html");
  auto r = changes(*w, "--since 2025-04-01 --until 2025-08-01 --customers " + w->customers + " --orders " +
                           w->orders + " --format html --output " + html);
  ASSERT_EQ(r.status, 0) << r.out;
  auto p = changes(*w, "--since 2025-01-01 --until 2025-08-01 --format html --output " + partial);
  ASSERT_EQ(p.status, 1) << p.out;
  using testing::shell_quote;
  std::string cmd = "cd " + shell_quote(source + "/tests/browser") +
                    " && node changes_digest.mjs --chromium " + shell_quote(testing::chromium_path()) +
                    " --html " + shell_quote(html) +
                    " --expect 'entry:ofac-sdn-1572,rule:us.letter.2025-04.nvidia-h20,rule:us.ofac.sysr,"
                    "customer:C-VTB,customer:C-NORIEGA,order:SO-2025-0101,order:SO-2025-0103' --html " +
                    shell_quote(partial) + " --expect 'not-computed:lists,rule:us.letter.2025-04.nvidia-h20'";
  std::string out;
  int status = testing::run_command(cmd, out);
  EXPECT_EQ(status, 0) << cmd << "\n" << out;
  EXPECT_NE(out.find("\nok"), std::string::npos) << out;
}

}  // namespace
}  // namespace clearance
