// Uploads the library reads as files, against the real server: an order book for an impact run
// (POST /v1/impact: the CLI's report, on the record, replayable) and a list file to import
// (POST /v1/lists: admin only; the server switches to the new lists atomically; a failed import
// changes nothing). The answers are validated against /openapi.json. One server for the suite.
#include <gtest/gtest.h>

#include <set>

#include "server/server_support.hpp"
#include "support/paths.hpp"

namespace clearance::testing {
namespace {

class DataApi : public ApiSuite<DataApi> {
 public:
  static ApiServer* start() {
    return new ApiServer("data-api", {"--threads", "2", "--workers", "2", "--rate-limit", "0"});
  }

 protected:
  static HttpResult post(const std::string& path, const std::string& body, const std::string& role,
                         const std::string& content_type = "text/csv",
                         const std::map<std::string, std::string>& extra = {}) {
    HttpClient c(api_->server->port());
    auto h = api_->auth(role);
    h.insert(extra.begin(), extra.end());
    return c.post(path, body, h, content_type);
  }
  static std::set<std::string> snapshot_ids(const nlohmann::json& meta) {
    std::set<std::string> out;
    for (const auto& s : meta["snapshots"])
      out.insert(s["list"].get<std::string>() + "@" + s["id"].get<std::string>());
    return out;
  }
};

const std::string kSource = source_dir();

// The order book of the repository, between the dates docs/IMPACT.md uses: the CLI's report.
TEST_F(DataApi, ImpactAnswersAsTheCommandLineAndReplays) {
  std::string book = slurp(kSource + "/data/orders/sample-orders.csv");
  const std::string path = "/v1/impact?from=2025-03-01&to=2025-05-01";
  for (const std::string role : {"viewer", "auditor"}) expect_error(post(path, book, role), 403, "forbidden");
  auto r = post(path, book, "analyst");
  keep("POST", "/v1/impact", r);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  auto cli =
      run_cli(api_->home, {"--no-record", "impact", "--orders", kSource + "/data/orders/sample-orders.csv",
                           "--from", "2025-03-01", "--to", "2025-05-01", "--format", "json"});
  ASSERT_TRUE(cli.status == 0 || cli.status == 2) << cli.err;
  auto expected = nlohmann::json::parse(cli.out);
  for (const char* k :
       {"counts", "totals", "by_jurisdiction", "by_rule", "changes_total", "changes", "from", "to"})
    EXPECT_EQ(j[k], expected[k]) << k;
  EXPECT_GT(j["changes_total"].get<int>(), 0) << "the April 2025 H20 rule changes orders of this book";
  ASSERT_TRUE(j["record"].is_number_integer());
  EXPECT_EQ(j["meta"]["audit_id"], j["record"]);
  EXPECT_EQ(r.header("x-clearance-audit-id"), j["record"].dump());
  EXPECT_FALSE(j["meta"]["rules_version"].get<std::string>().empty());
  // On the record as an impact run, and replayable from it (the book is kept in the store).
  auto replay = post("/v1/audit/" + j["record"].dump() + "/replay", "", "auditor", "application/json");
  ASSERT_EQ(replay.status, 200) << replay.body;
  EXPECT_EQ(replay.json()["action"], "impact");
  EXPECT_TRUE(replay.json()["same"].get<bool>()) << replay.body;

  // The page with Accept: text/html, also on the record.
  auto html = post(path, book, "approver", "text/csv", {{"Accept", "text/html"}});
  keep("POST", "/v1/impact", html);
  ASSERT_EQ(html.status, 200);
  EXPECT_EQ(html.header("content-type").rfind("text/html", 0), 0u);
  EXPECT_NE(html.body.find("<html"), std::string::npos);
  EXPECT_NE(html.body.find("SO-2025-01"), std::string::npos) << "the flipped orders are listed";
  EXPECT_GT(std::stoll(html.header("x-clearance-audit-id")), j["record"].get<std::int64_t>());

  // Bad requests.
  for (auto [target, code, field] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"/v1/impact?from=2025-03-01", "missing_field", "to"},
           {"/v1/impact?from=2025-13-01&to=2025-05-01", "invalid_field", "from"},
           {"/v1/impact?from=2025-03-01&to=2025-05-01&screen=maybe", "invalid_field", "screen"},
           {"/v1/impact?from=2025-03-01&to=2025-05-01&max_listed=-1", "invalid_field", "max_listed"},
           {"/v1/impact?from=2025-03-01&to=2025-05-01&rules=/etc", "unknown_field", "rules"}}) {
    auto bad = post(target, book, "admin");
    keep("POST", "/v1/impact", bad);
    expect_error(bad, 400, code, field);
  }
  auto no_columns = post(path, "nothing,useful\n1,2\n", "admin");
  keep("POST", "/v1/impact", no_columns);
  expect_error(no_columns, 400, "invalid_field");
  expect_error(post(path, R"({"orders":[]})", "admin", "application/json"), 415, "unsupported_media_type");
}

// A list file becomes the lists in force at once; a file that fails changes nothing.
TEST_F(DataApi, ListImportSwitchesAtomicallyAndAFailedImportChangesNothing) {
  std::string file = slurp(kSource + "/data/lists/sample-us.csv");
  const std::string path = "/v1/lists?filename=sample-us.csv&name=acme-csl";
  for (const std::string role : {"viewer", "analyst", "approver", "auditor"})
    expect_error(post(path, file, role), 403, "forbidden");
  auto r = post(path, file, "admin");
  keep("POST", "/v1/lists", r);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  ASSERT_EQ(j["imported"].size(), 1u);
  EXPECT_EQ(j["imported"][0]["name"], "acme-csl");
  EXPECT_GT(j["imported"][0]["entries"].get<int>(), 10);
  std::string snapshot = j["imported"][0]["snapshot_id"];
  EXPECT_EQ(j["imported"][0]["files"], nlohmann::json::array({"sample-us.csv"}))
      << "the upload's name, no server path";
  EXPECT_EQ(snapshot_ids(j["meta"]), std::set<std::string>{"acme-csl@" + snapshot})
      << "the answer names the lists now in force";
  ASSERT_TRUE(j["record"].is_number_integer());
  auto rec = get("/v1/audit/" + j["record"].dump(), "auditor").json();
  EXPECT_EQ(rec["action"], "lists.import");
  EXPECT_EQ(rec["caller"], api_->key_id("admin"));
  // In force for the next request, without a restart.
  auto lists = get("/v1/lists", "viewer").json();
  ASSERT_EQ(lists["lists"].size(), 1u);
  EXPECT_EQ(lists["lists"][0]["snapshot_id"], snapshot);
  // Regression: the lists in force named the vanished temporary upload path as their file.
  EXPECT_EQ(lists["lists"][0]["files"], nlohmann::json::array({"sample-us.csv"}))
      << "the lists in force name the upload, not the server's temporary path";
  auto screened =
      post("/v1/screen", R"({"name":"Huawei Technologies"})", "viewer", "application/json").json();
  EXPECT_FALSE(screened["hits"].empty());
  EXPECT_EQ(snapshot_ids(screened["meta"]), std::set<std::string>{"acme-csl@" + snapshot});
  EXPECT_FALSE(screened.contains("lists_note")) << "imported lists are not the samples";

  // Failures, each refused with the lists in force untouched.
  auto garbage = post("/v1/lists?filename=acme.csv&name=acme-csl", "no,list\nhere,at all\n", "admin");
  keep("POST", "/v1/lists", garbage);
  expect_error(garbage, 422, "import_refused");
  EXPECT_EQ(garbage.body.find(api_->home), std::string::npos)
      << "no server path in the message: " << garbage.body;
  std::string header = file.substr(0, file.find('\n') + 1);
  std::string few = header;
  for (size_t at = header.size(), k = 0; k < 3; ++k) {
    size_t end = file.find('\n', at);
    few += file.substr(at, end + 1 - at);
    at = end + 1;
  }
  auto shrink = post(path, few, "admin");
  keep("POST", "/v1/lists", shrink);
  expect_error(shrink, 422, "import_refused");
  EXPECT_NE(shrink.body.find("shrink"), std::string::npos) << shrink.body;
  expect_error(post("/v1/lists?filename=../../keys.json", file, "admin"), 400, "invalid_field", "filename");
  expect_error(post("/v1/lists?format=pdf", file, "admin"), 400, "invalid_field", "format");
  expect_error(post("/v1/lists?filename=x.csv", "", "admin"), 400, "invalid_field");
  expect_error(post("/v1/lists?filename=x.csv&colour=red", file, "admin"), 400, "unknown_field", "colour");
  auto after = get("/v1/lists", "viewer").json();
  EXPECT_EQ(after["lists"], lists["lists"]);
  auto still = post("/v1/screen", R"({"name":"Huawei Technologies"})", "viewer", "application/json").json();
  EXPECT_EQ(snapshot_ids(still["meta"]), std::set<std::string>{"acme-csl@" + snapshot});
  auto verify = run_cli(api_->home, {"audit", "verify"});
  EXPECT_EQ(verify.status, 0) << verify.out << verify.err;
}

}  // namespace
}  // namespace clearance::testing
