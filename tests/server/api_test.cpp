// The endpoints of `clearance serve` against the real server: answers in the CLI's shapes on the
// bundled sample lists (real list rows), keys and roles (every role allowed and refused), rate
// limits, Idempotency-Key, the compatibility endpoints with requests shaped as yente's and
// watchman's own documentation shows them, and every real response validated against
// /openapi.json (ajv, tests/browser). One server process is shared by the suite.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>

#include "server/server_support.hpp"
#include "support/paths.hpp"

namespace clearance::testing {
namespace {

const std::vector<std::string>& kRoles = kApiRoles;

class Api : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Four-eyes on, so a case decision is pending until another user approves it.
    api_ = new ApiServer("api",
                         {"--threads", "2", "--workers", "2", "--rate-limit", "0", "--max-batch", "50",
                          "--request-timeout", "10"},
                         {{"cases", "policy", "--require-approval", "true"}});
    home_ = &api_->home;
    keys_ = &api_->keys;
    server_ = api_->server.get();
    ASSERT_TRUE(server_->running()) << server_->stderr_text();
  }
  static void TearDownTestSuite() {
    delete api_;
    api_ = nullptr;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(server_ && server_->running()); }

  static std::map<std::string, std::string> auth(const std::string& role) { return api_->auth(role); }
  static HttpResult post(const std::string& path, const std::string& body, const std::string& role = "admin",
                         const std::string& content_type = "application/json") {
    return api_->post(path, body, role, content_type);
  }
  static HttpResult get(const std::string& path, const std::string& role = "admin") {
    return api_->get(path, role);
  }
  static ApiServer* api_;
  static std::string* home_;
  static std::map<std::string, std::string>* keys_;
  static ServerProcess* server_;
};
ApiServer* Api::api_ = nullptr;
std::string* Api::home_ = nullptr;
std::map<std::string, std::string>* Api::keys_ = nullptr;
ServerProcess* Api::server_ = nullptr;

TEST_F(Api, KeysAreShownOnceAndStoredOnlyAsHashes) {
  std::string stored = slurp(*home_ + "/keys.json");
  for (const auto& [role, key] : *keys_) {
    EXPECT_TRUE(key.rfind("clr_k", 0) == 0) << key;
    EXPECT_EQ(stored.find(key), std::string::npos) << "the key of " << role << " is in keys.json in clear";
    EXPECT_EQ(stored.find(key.substr(key.rfind('_') + 1)), std::string::npos);
  }
  auto list = run_cli(*home_, {"keys", "list", "--format", "json"});
  ASSERT_EQ(list.status, 0) << list.err;
  auto j = nlohmann::json::parse(list.out);
  EXPECT_EQ(j.size(), kRoles.size());
  for (const auto& k : j) {
    EXPECT_TRUE(k.contains("id") && k.contains("role") && !k.contains("sha256"));
    EXPECT_TRUE(k["revoked_at"].is_null());
  }
  auto bad = run_cli(*home_, {"keys", "create", "--name", "x", "--role", "root"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("--role"), std::string::npos) << bad.err;
}

TEST_F(Api, MissingUnknownAndRevokedKeysAreRefused) {
  HttpClient c(server_->port());
  expect_error(c.post("/v1/screen", R"({"name":"Huawei"})"), 401, "unauthorized");
  expect_error(c.post("/v1/screen", R"({"name":"Huawei"})", {{"Authorization", "Bearer clr_k00000000_00"}}),
               401, "unauthorized");
  // A key made and revoked while the server runs: taken, then refused without a restart.
  auto made = run_cli(*home_, {"keys", "create", "--name", "temp", "--role", "viewer"});
  ASSERT_EQ(made.status, 0);
  std::string key = trimmed(made.out);
  std::string id = key.substr(4, key.find('_', 4) - 4);
  int status = 0;
  for (int i = 0; i < 50 && status != 200; ++i) {
    status = c.post("/v1/screen", R"({"name":"Huawei"})", {{"X-API-Key", key}}).status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, 200);
  auto rv = run_cli(*home_, {"keys", "revoke", id});
  ASSERT_EQ(rv.status, 0) << rv.err;
  for (int i = 0; i < 50 && status != 401; ++i) {
    status = c.post("/v1/screen", R"({"name":"Huawei"})", {{"X-API-Key", key}}).status;
    if (status != 401) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, 401);
  EXPECT_EQ(run_cli(*home_, {"keys", "revoke", "knotakey"}).status, 2);
  // The server still serves everyone else.
  EXPECT_EQ(post("/v1/screen", R"({"name":"Huawei"})", "viewer").status, 200);
}

// The roles table of docs/API.md, endpoint by endpoint: each role is allowed or refused (403).
TEST_F(Api, EveryRoleIsAllowedOrRefusedAsDocumented) {
  struct Case {
    std::string method, path, body;
    std::set<std::string> allowed;
  };
  const std::set<std::string> screeners = {"viewer", "analyst", "approver", "admin"};
  const std::set<std::string> everyone = {"viewer", "analyst", "approver", "admin", "auditor"};
  std::vector<Case> cases = {
      {"POST", "/v1/screen", R"({"name":"Huawei Technologies"})", screeners},
      {"POST", "/v1/screen/batch", R"([{"name":"Huawei Technologies"}])", screeners},
      {"POST", "/v1/compare", R"({"a":"Huawei","b":"Hua Wei"})", screeners},
      {"POST", "/v1/classify", R"({"model":"H20","as_of":"2025-05-01"})", screeners},
      {"POST", "/v1/check", R"({"items":["H20"],"to":"CN","as_of":"2025-05-01"})", screeners},
      {"GET", "/v1/lists", "", everyone},
      {"GET", "/v1/items?q=H20", "", everyone},
      {"GET", "/v1/rules", "", everyone},
      {"GET", "/openapi.json", "", everyone},
      {"GET", "/metrics", "", {"admin", "auditor"}},
      {"GET", "/v1/audit/1", "", {"admin", "auditor"}},
      {"GET", "/v1/cases", "", {"analyst", "approver", "admin", "auditor"}},
      {"GET", "/v1/cases/policy", "", {"analyst", "approver", "admin", "auditor"}},
      {"GET", "/v1/me", "", everyone},
      {"POST", "/match/default",
       R"({"queries":{"q1":{"schema":"Company","properties":{"name":["Huawei"]}}}})", screeners},
      {"GET", "/v2/search?name=Huawei&type=business", "", screeners},
  };
  for (const auto& k : cases)
    for (const auto& role : kRoles) {
      HttpClient c(server_->port());
      auto r = k.method == "GET" ? c.get(k.path, auth(role)) : c.post(k.path, k.body, auth(role));
      if (k.allowed.count(role))
        EXPECT_EQ(r.status, 200) << k.method << " " << k.path << " as " << role << ": " << r.body;
      else
        expect_error(r, 403, "forbidden");
    }
}

// Same lists, same shapes: the API's screening answer is the CLI's `screen --format json`.
TEST_F(Api, ScreenAnswersAsTheCommandLineDoes) {
  auto r = post("/v1/screen", R"({"name":"Huawei Technologies","type":"entity","country":"CN"})", "viewer");
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  auto cli = run_cli(
      *home_, {"screen", "Huawei Technologies", "--type", "entity", "--country", "CN", "--format", "json"});
  ASSERT_EQ(cli.status, 0) << cli.err;
  auto expected = nlohmann::json::parse(cli.out);
  ASSERT_FALSE(expected["hits"].empty());
  EXPECT_EQ(j["hits"], expected["hits"]);
  EXPECT_EQ(j["query"], expected["query"]);
  EXPECT_EQ(j["lists_note"], expected["lists_note"]);  // the bundled samples say so
  // The answer names the snapshots and rule pack it used.
  ASSERT_TRUE(j["meta"]["snapshots"].is_array());
  EXPECT_FALSE(j["meta"]["snapshots"].empty());
  EXPECT_FALSE(j["meta"]["rules_version"].get<std::string>().empty());
  EXPECT_FALSE(r.header("x-clearance-snapshots").empty());
}

// Every answer is on the audit trail before it is given, with the key id as caller; the record is
// readable by auditors at /v1/audit/{id} and names the same snapshots as the answer.
TEST_F(Api, AnswersAreOnTheRecordWithTheKeyAsCaller) {
  auto r = post("/v1/screen", R"({"name":"Huawei Technologies","customer_id":"C-17"})", "analyst");
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  ASSERT_TRUE(j["meta"]["audit_id"].is_number_integer()) << r.body;
  auto id = j["meta"]["audit_id"].get<std::int64_t>();
  EXPECT_EQ(j["record"], id);
  ASSERT_FALSE(j["hits"].empty());
  EXPECT_TRUE(j["hits"][0].contains("case")) << "a hit opens a review case, as on the command line";
  expect_error(get("/v1/audit/" + std::to_string(id), "analyst"), 403, "forbidden");
  auto rec = get("/v1/audit/" + std::to_string(id), "auditor");
  ASSERT_EQ(rec.status, 200) << rec.body;
  auto rj = rec.json();
  std::string key = keys_->at("analyst");
  EXPECT_EQ(rj["caller"], key.substr(4, key.find('_', 4) - 4));
  EXPECT_EQ(rj["action"], "screen");
  EXPECT_EQ(rj["seq"], id);
  std::set<std::string> answer_ids, record_ids;
  for (const auto& s : j["meta"]["snapshots"]) answer_ids.insert(s["id"].get<std::string>());
  for (const auto& s : rj["snapshots"]) record_ids.insert(s["id"].get<std::string>());
  EXPECT_EQ(answer_ids, record_ids);
  for (const char* path : {"/v1/check", "/v1/classify", "/v1/compare"}) {
    std::string body = std::string(path) == "/v1/compare" ? R"({"a":"Huawei","b":"Hua Wei"})"
                       : std::string(path) == "/v1/check"
                           ? R"({"items":["H20"],"to":"CN","as_of":"2025-05-01"})"
                           : R"({"model":"H20","as_of":"2025-05-01"})";
    auto a = post(path, body, "viewer");
    ASSERT_EQ(a.status, 200) << a.body;
    EXPECT_TRUE(a.json()["meta"]["audit_id"].is_number_integer()) << path;
  }
  expect_error(get("/v1/audit/99999999", "auditor"), 404, "not_found");
  expect_error(get("/v1/audit/x", "auditor"), 400, "invalid_field", "id");
  // The trail verifies while the server appends to it.
  auto verify = run_cli(*home_, {"audit", "verify"});
  EXPECT_EQ(verify.status, 0) << verify.out << verify.err;
}

// A recorded answer rerun on the data its record names gives the same answer; auditors and admins
// may ask, the replay adds no record, and a record that is not an answer cannot be replayed.
TEST_F(Api, ReplayRerunsARecordedAnswerOnItsOwnData) {
  struct Asked {
    std::string path, body, action;
  };
  for (const auto& k : std::vector<Asked>{
           {"/v1/screen", R"({"name":"Huawei Technologies","country":"CN"})", "screen"},
           {"/v1/check",
            R"({"items":["H20"],"to":"CN","parties":["Huawei Technologies"],"as_of":"2025-05-01"})", "check"},
           {"/v1/classify", R"({"model":"H100","as_of":"2025-05-01"})", "classify"}}) {
    auto answer = post(k.path, k.body, "analyst");
    ASSERT_EQ(answer.status, 200) << answer.body;
    auto meta = answer.json()["meta"];
    std::string replay = "/v1/audit/" + meta["audit_id"].dump() + "/replay";
    auto head_before = run_cli(*home_, {"audit", "head"}).out;
    for (const auto& role : kRoles) {
      auto r = post(replay, "", role);
      if (role != "auditor" && role != "admin") {
        expect_error(r, 403, "forbidden");
        continue;
      }
      ASSERT_EQ(r.status, 200) << k.path << " as " << role << ": " << r.body;
      auto j = r.json();
      EXPECT_EQ(j["record"], meta["audit_id"]);
      EXPECT_EQ(j["action"], k.action);
      EXPECT_TRUE(j["same"].get<bool>()) << r.body;
      EXPECT_TRUE(j["differences"].empty());
      // The replay's meta names what the record used: rule packs for determinations, list
      // snapshots for screenings (a screening uses no rule pack: "").
      EXPECT_EQ(j["meta"]["rules_version"], k.action == "screen" ? "" : meta["rules_version"]);
      auto ids = [](const nlohmann::json& snaps) {
        std::set<std::string> out;
        for (const auto& s : snaps)
          out.insert(s["list"].get<std::string>() + "@" + s["id"].get<std::string>());
        return out;
      };
      if (k.action != "classify") EXPECT_EQ(ids(j["meta"]["snapshots"]), ids(meta["snapshots"]));
      EXPECT_TRUE(j["meta"]["audit_id"].is_null());
    }
    EXPECT_EQ(run_cli(*home_, {"audit", "head"}).out, head_before) << "a replay adds no record";
    auto cli = run_cli(*home_, {"audit", "replay", meta["audit_id"].dump(), "--format", "json"});
    ASSERT_EQ(cli.status, 0) << cli.err;
    EXPECT_EQ(post(replay, "{}", "auditor").json()["replayed"], nlohmann::json::parse(cli.out)["replayed"]);
  }
  // Record 1 is the case policy set before the server started: not an answer.
  expect_error(post("/v1/audit/1/replay", "", "auditor"), 409, "not_replayable", "id");
  expect_error(post("/v1/audit/x/replay", "", "auditor"), 400, "invalid_field", "id");
  expect_error(post("/v1/audit/0/replay", "", "auditor"), 400, "invalid_field", "id");
  expect_error(post("/v1/audit/99999999/replay", "", "auditor"), 404, "not_found");
  expect_error(post("/v1/audit/2/replay", R"({"quick":true})", "auditor"), 400, "unknown_field", "quick");
  expect_error(post("/v1/audit/2/replay", R"({"quick":)", "auditor"), 400, "malformed_json");
  EXPECT_EQ(get("/healthz").status, 200);
}

// /v1/check reads its body with the library's request parser (decide/request.hpp), the one audit
// replay uses: the same fields, the same errors, each mapped to the documented code.
TEST_F(Api, CheckRequestsAreReadAsTheLibraryReadsThem) {
  auto one = post("/v1/check", R"({"items":"H20","to":"CN","as_of":"2025-05-01"})", "viewer");
  ASSERT_EQ(one.status, 200) << one.body;
  auto list = post("/v1/check", R"({"items":["H20"],"to":"CN","as_of":"2025-05-01"})", "viewer");
  EXPECT_EQ(one.json()["overall"], list.json()["overall"]);
  auto today = post("/v1/check", R"({"items":["H20"],"to":"DE"})", "viewer");
  ASSERT_EQ(today.status, 200) << today.body;
  auto rec = get("/v1/audit/" + today.json()["meta"]["audit_id"].dump(), "auditor").json();
  EXPECT_EQ(rec["inputs"]["as_of"], today.json()["as_of"]) << "the date answered is the date recorded";
  expect_error(post("/v1/check", R"({"items":["H20"],"to":"CN","colour":"red"})"), 400, "unknown_field",
               "colour");
  expect_error(post("/v1/check", R"({"items":["H20"]})"), 400, "missing_field", "to");
  expect_error(post("/v1/check", R"({"to":"CN"})"), 400, "missing_field", "items");
  expect_error(post("/v1/check", R"({"items":[7],"to":"CN"})"), 400, "invalid_field", "items[0]");
  expect_error(post("/v1/check", R"({"items":["H20"],"to":"CN","screen":"yes"})"), 400, "invalid_field",
               "screen");
  expect_error(post("/v1/check", R"({"items":["H20"],"to":"CN","as_of":"2025-02-30"})"), 400, "invalid_field",
               "as_of");
  expect_error(post("/v1/check", R"({"items":["H20"],"to":"CN","parties":[{"name":"X","country":5}]})"), 400,
               "invalid_field", "parties[0].country");
  expect_error(post("/v1/check", R"({"items":["H20"],"to":"CN","parties":[{"name":"X","contry":"CN"}]})"),
               400, "unknown_field", "parties[0].contry");
  expect_error(post("/v1/check", R"({"items":["H20"],"to":"Atlantis"})"), 400, "invalid_field", "to");
  expect_error(post("/v1/check", R"(["H20"])"), 400, "invalid_field");
}

TEST_F(Api, BadScreeningRequestsNameTheirField) {
  expect_error(post("/v1/screen", R"({"name":"Huawei","country":"Atlantis"})"), 400, "invalid_field",
               "country");
  expect_error(post("/v1/screen", R"({"name":"Huawei","dob":"3/4/71"})"), 400, "invalid_field", "dob");
  expect_error(post("/v1/screen", R"({"name":"Huawei","colour":"red"})"), 400, "unknown_field", "colour");
  expect_error(post("/v1/screen", R"({"name":5})"), 400, "invalid_field", "name");
  expect_error(post("/v1/screen", R"({"type":"person"})"), 400, "missing_field", "name");
  expect_error(post("/v1/screen", R"({"name":"Huawei","min_score":2})"), 400, "invalid_field", "min_score");
  expect_error(post("/v1/screen", R"({"name":"Huawei",)"), 400, "malformed_json");
  expect_error(post("/v1/compare", R"({"a":"x"})"), 400, "missing_field", "b");
  expect_error(post("/v1/screen/batch", R"([{"name":"a"},{"nom":"b"}])"), 400, "unknown_field", "[1].nom");
  // A name of signs that spell no word is refused, never answered "no hits" (fail closed); so is a
  // compatible query whose every name is such.
  expect_error(post("/v1/screen", R"({"name":"ฯ"})"), 400, "invalid_field", "name");
  expect_error(get("/v2/search?name=%E0%B8%AF"), 400, "invalid_field", "name");
  expect_error(
      post("/match/default", R"({"queries":{"q1":{"schema":"Person","properties":{"name":["ー"]}}}})"), 400,
      "invalid_field", "queries.q1.properties.name");
  EXPECT_EQ(get("/healthz").status, 200);
  // A name partly in a script screening does not read is answered on its other words, saying it may
  // be missed; a name all in it reads into no word and is refused (fail closed).
  auto lao = post("/v1/screen", R"({"name":"ສົມສະຫວາດ Vongsa","type":"person"})");
  ASSERT_EQ(lao.status, 200) << lao.body;
  ASSERT_TRUE(lao.json().contains("warnings")) << lao.body;
  EXPECT_NE(lao.json()["warnings"][0].get<std::string>().find("Lao"), std::string::npos);
  expect_error(post("/v1/screen", R"({"name":"ສົມສະຫວາດ","type":"person"})"), 400, "invalid_field", "name");
  auto batch = post("/v1/screen/batch", R"([{"name":"ហ៊ុន សែន Smith"},{"name":"ហ៊ុន សែន"}])");
  ASSERT_EQ(batch.status, 200) << batch.body;
  EXPECT_NE(batch.body.find("written in Khmer"), std::string::npos) << batch.body;
  EXPECT_NE(batch.body.find("[1].name: no word to screen"), std::string::npos) << batch.body;
}

// A CSV upload is answered exactly as `clearance screen --input FILE` writes it (JSON lines, or CSV).
TEST_F(Api, BatchCsvUploadStreamsTheCommandLinesAnswer) {
  std::string csv =
      "id,name,country,type\n"
      "a1,Huawei Technologies,CN,entity\n"
      "a2,Semiconductor Manufacturing International,,entity\n"
      "a3,Jane Nobody,Atlantis,person\n"
      "a4,,,\n";
  std::string path = *home_ + "/batch.csv";
  std::ofstream(path) << csv;
  for (std::string format : {"jsonl", "csv"}) {
    auto r = post("/v1/screen/batch?format=" + format, csv, "analyst", "text/csv");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("transfer-encoding"), "chunked");
    // The CLI's trial run sees the review cases the server's answer opened; it records nothing.
    auto cli = run_cli(*home_, {"--no-record", "screen", "--input", path, "--format", format});
    ASSERT_EQ(cli.status, 0) << cli.err;
    // The file names differ ("upload.csv" vs the path) in warnings, and only the server's rows are
    // on the record ("record": N against "recorded": false); everything else is identical.
    std::string expected = cli.out;
    for (size_t at; (at = expected.find(path)) != std::string::npos;)
      expected.replace(at, path.size(), "upload.csv");
    if (format == "csv") {
      EXPECT_EQ(r.body, expected);
      continue;
    }
    std::istringstream rows(r.body);
    for (std::string line; std::getline(rows, line);)
      if (!nlohmann::json::parse(line).contains("error") || nlohmann::json::parse(line)["error"].is_string())
        EXPECT_TRUE(nlohmann::json::parse(line).contains("record")) << line;
    EXPECT_EQ(unrecorded_lines(r.body), unrecorded_lines(expected));
  }
  expect_error(post("/v1/screen/batch", "nom,pays\nx,y\n", "analyst", "text/csv"), 400, "invalid_field");
}

TEST_F(Api, BatchJsonArrayAnswersEveryRowInOrder) {
  nlohmann::json rows = nlohmann::json::array();
  for (int i = 0; i < 40; ++i)
    rows.push_back(
        {{"id", "r" + std::to_string(i)}, {"name", i % 2 ? "Huawei Technologies" : "Plain Bakery Ltd"}});
  rows.push_back({{"id", "bad-dob"}, {"name", "Huawei Technologies"}, {"dob", "3/4/71"}});
  auto r = post("/v1/screen/batch", rows.dump(), "viewer");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/x-ndjson");
  std::istringstream in(r.body);
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j["id"], rows[n]["id"]);
    if (n < 40) EXPECT_EQ(j["hits"].empty(), n % 2 == 0) << line;
    ++n;
  }
  EXPECT_EQ(n, rows.size());
  // The unreadable date is a warning on its row, which is still screened on the name.
  auto last = nlohmann::json::parse(r.body.substr(r.body.rfind('\n', r.body.size() - 2) + 1));
  ASSERT_TRUE(last.contains("warnings")) << last;
  EXPECT_NE(last["warnings"][0].get<std::string>().find("dob"), std::string::npos);
  EXPECT_FALSE(last["hits"].empty());
  // Over --max-batch (50 here): 413, with the way out in the message.
  nlohmann::json many = nlohmann::json::array();
  for (int i = 0; i < 51; ++i) many.push_back({{"name", "x"}});
  expect_error(post("/v1/screen/batch", many.dump()), 413, "batch_too_large");
}

TEST_F(Api, CompareListsItemsAndRules) {
  auto cmp =
      post("/v1/compare", R"({"a":"Huawei Technologies","b":"HUAWEI TECHNOLOGIES CO LTD","type":"entity"})");
  ASSERT_EQ(cmp.status, 200) << cmp.body;
  auto cli = run_cli(*home_, {"compare", "Huawei Technologies", "HUAWEI TECHNOLOGIES CO LTD", "--type",
                              "entity", "--format", "json"});
  ASSERT_EQ(cli.status, 0) << cli.err;
  EXPECT_EQ(cmp.json()["score"], nlohmann::json::parse(cli.out)["score"]);

  auto lists = get("/v1/lists", "auditor");
  ASSERT_EQ(lists.status, 200);
  auto cli_lists = nlohmann::json::parse(run_cli(*home_, {"lists", "--format", "json"}).out);
  auto served = lists.json()["lists"];
  for (auto& l : served) {  // the server adds the age it read from its clock
    l.erase("age_days");
    l.erase("stale");
  }
  EXPECT_EQ(served, cli_lists);

  auto items = get("/v1/items?q=H20");
  ASSERT_EQ(items.status, 200) << items.body;
  auto first = items.json()["items"][0];
  EXPECT_EQ(first["matched"], "resolved");
  EXPECT_NE(first["name"].get<std::string>().find("H20"), std::string::npos);
  expect_error(get("/v1/items?q=H20&limit=0"), 400, "invalid_field", "limit");

  auto rules = get("/v1/rules");
  ASSERT_EQ(rules.status, 200);
  auto rj = rules.json();
  EXPECT_EQ(rj["version"], rj["meta"]["rules_version"]);
  EXPECT_FALSE(rj["rules"].empty());
  auto us = get("/v1/rules?jurisdiction=US-EAR").json();
  for (const auto& r : us["rules"]) EXPECT_EQ(r["jurisdiction"], "US-EAR");
  EXPECT_LT(us["rules"].size(), rj["rules"].size());
}

// GET /v1/me names the key, so the page can show who is signed in and offer what the role may do.
TEST_F(Api, MeNamesTheKeyAndItsRole) {
  for (const auto& role : kRoles) {
    auto r = get("/v1/me", role);
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.json();
    EXPECT_EQ(j["key_id"], api_->key_id(role));
    EXPECT_EQ(j["name"], "test " + role);
    EXPECT_EQ(j["role"], role);
    EXPECT_EQ(j["recording"], true);
  }
  expect_error(get("/v1/me?x=1"), 400, "unknown_field", "x");
}

// The suite's store has four-eyes on (set with the CLI before the server started).
TEST_F(Api, CasePolicySaysWhetherFourEyesIsOn) {
  auto r = get("/v1/cases/policy", "analyst");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["require_approval"], true);
  EXPECT_EQ(r.json()["suppression_days"], 365);
  expect_error(get("/v1/cases/policy", "viewer"), 403, "forbidden");
}

// A hit's entry in full, from the lists in force: every name, the addresses, the notice.
TEST_F(Api, EntryGivesTheListEntryOfAHitInFull) {
  auto hit = post("/v1/screen", R"({"name":"Huawei Technologies"})", "viewer").json()["hits"][0];
  const std::string id = hit["entry_id"];
  auto r = get("/v1/entries/" + id, "viewer");
  ASSERT_EQ(r.status, 200) << r.body;
  auto e = r.json()["entry"];
  EXPECT_EQ(e["id"], id);
  EXPECT_EQ(e["list"], hit["list"]);
  ASSERT_FALSE(e["names"].empty());
  EXPECT_EQ(e["names"][0]["kind"], "primary");
  EXPECT_EQ(e["names"][0]["name"], hit["name"]);
  bool matched_name_listed = false;
  for (const auto& n : e["names"]) matched_name_listed |= n["name"] == hit["matched_name"];
  EXPECT_TRUE(matched_name_listed) << r.body;
  EXPECT_EQ(e["countries"], hit["countries"]);
  EXPECT_FALSE(r.json()["meta"]["snapshots"].empty());
  auto same = get("/v1/entries/" + id + "?list=" + url_encode(hit["list"].get<std::string>()), "viewer");
  EXPECT_EQ(same.status, 200) << same.body;
  expect_error(get("/v1/entries/" + id + "?list=nope", "viewer"), 404, "not_found");
  expect_error(get("/v1/entries/no-such-entry", "viewer"), 404, "not_found");
  expect_error(get("/v1/entries/" + id + "?lst=x", "viewer"), 400, "unknown_field", "lst");
}

// Every list says how old it is; the bundled samples are older than the default 7 days.
TEST_F(Api, ListsSayTheirAgeAndWhetherTheyAreStale) {
  auto j = get("/v1/lists", "viewer").json();
  EXPECT_EQ(j["max_age_days"], 7);
  ASSERT_FALSE(j["lists"].empty());
  for (const auto& l : j["lists"]) {
    ASSERT_TRUE(l["age_days"].is_number() || l["age_days"].is_null()) << l;
    bool older = !l["age_days"].is_number() || l["age_days"].get<double>() > 7;
    EXPECT_EQ(l["stale"], older) << l;
  }
}

// yente's documented request: POST /match/default with named FtM entity queries.
TEST_F(Api, YenteMatchRequestsAreAnswered) {
  std::string body = R"({"queries": {
      "q1": {"schema": "Company", "properties": {"name": ["Huawei Technologies Co., Ltd."], "country": ["cn"]}},
      "q2": {"schema": "Person", "properties": {"name": ["Jane Nobody"], "birthDate": ["1970-01-01"]}}}})";
  auto r = post("/match/default?limit=3&threshold=0.8", body, "viewer");
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["limit"], 3);
  auto q1 = j["responses"]["q1"];
  EXPECT_EQ(q1["status"], 200);
  ASSERT_FALSE(q1["results"].empty());
  auto top = q1["results"][0];
  EXPECT_NE(top["caption"].get<std::string>().find("Huawei"), std::string::npos);
  EXPECT_TRUE(top["match"].get<bool>());
  EXPECT_TRUE(top["score"].get<double>() >= 0.8);
  EXPECT_TRUE(top["datasets"].is_array() && top["features"].is_object());
  EXPECT_EQ(q1["total"]["value"], q1["results"].size());
  for (const auto& res : j["responses"]["q2"]["results"]) EXPECT_FALSE(res["match"].get<bool>());
  // A list of this home as the dataset; an unknown dataset is a 404 as in yente.
  auto lists = get("/v1/lists").json()["lists"];
  std::string one = lists[0]["name"];
  auto scoped = post("/match/" + one, body).json();
  for (const auto& res : scoped["responses"]["q1"]["results"]) EXPECT_EQ(res["datasets"][0], one);
  expect_error(post("/match/nonesuch", body), 404, "not_found");
  expect_error(post("/match/default", R"({"queries":{"q":{"schema":"Person","properties":{}}}})"), 400,
               "invalid_field", "queries.q.properties.name");
}

// watchman's documented request: GET /v2/search?name=…&type=…&minMatch=…&limit=…
TEST_F(Api, WatchmanSearchRequestsAreAnswered) {
  auto r = get("/v2/search?type=business&name=Huawei+Technologies&minMatch=0.80&limit=2", "viewer");
  ASSERT_EQ(r.status, 200) << r.body;
  auto e = r.json()["entities"];
  ASSERT_FALSE(e.empty());
  EXPECT_LE(e.size(), 2u);
  EXPECT_EQ(e[0]["entityType"], "business");
  EXPECT_GE(e[0]["match"].get<double>(), 0.8);
  EXPECT_NE(e[0]["name"].get<std::string>().find("Huawei"), std::string::npos);
  expect_error(get("/v2/search?type=person"), 400, "invalid_field", "name");
  expect_error(get("/v2/search?name=x&minMatch=lots"), 400, "invalid_field", "minMatch");
}

// A retried POST gets the first answer back; the same key for another request is refused.
TEST_F(Api, IdempotencyKeyReplaysTheFirstAnswer) {
  HttpClient c(server_->port());
  auto h = auth("analyst");
  h["Idempotency-Key"] = "order-4711";
  auto first = c.post("/v1/check", R"({"items":["H20"],"to":"CN","as_of":"2025-05-01"})", h);
  ASSERT_EQ(first.status, 200) << first.body;
  auto again = c.post("/v1/check", R"({"items":["H20"],"to":"CN","as_of":"2025-05-01"})", h);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.header("idempotent-replayed"), "true");
  // One answer, one record: the retry added none.
  auto head_before = run_cli(*home_, {"audit", "head"}).out;
  auto third = c.post("/v1/check", R"({"items":["H20"],"to":"CN","as_of":"2025-05-01"})", h);
  EXPECT_EQ(third.body, first.body);
  EXPECT_EQ(run_cli(*home_, {"audit", "head"}).out, head_before);
  EXPECT_TRUE(first.header("idempotent-replayed").empty());
  expect_error(c.post("/v1/check", R"({"items":["H20"],"to":"DE","as_of":"2025-05-01"})", h), 422,
               "idempotency_key_reused");
  // Keys are per caller: another key's "order-4711" is its own.
  auto other = auth("viewer");
  other["Idempotency-Key"] = "order-4711";
  auto theirs = c.post("/v1/check", R"({"items":["H20"],"to":"DE","as_of":"2025-05-01"})", other);
  EXPECT_EQ(theirs.status, 200);
  EXPECT_TRUE(theirs.header("idempotent-replayed").empty());
}

// Every endpoint's real answers (successes and errors) against the OpenAPI document, with ajv.
TEST_F(Api, EveryResponseMatchesTheOpenApiDocument) {
  struct Call {
    std::string method, target, path, body, content_type = "application/json", role = "admin";
  };
  // A review case to read, decide and approve (as another user: four-eyes is on).
  auto screened = post("/v1/screen", R"({"name":"Huawei Technologies","customer_id":"openapi"})", "viewer");
  ASSERT_EQ(screened.status, 200) << screened.body;
  const std::string case_path = "/v1/cases/" + screened.json()["hits"][0]["case"].dump();
  // A job, run to its end, to read and download.
  auto job = post("/v1/jobs?kind=screen", "id,name\n1,Huawei Technologies\n", "viewer", "text/csv");
  ASSERT_EQ(job.status, 202) << job.body;
  const std::string job_path = "/v1/jobs/" + job.json()["id"].get<std::string>();
  for (int i = 0; i < 600; ++i) {
    auto status = get(job_path, "viewer").json()["status"];
    ASSERT_NE(status, "failed") << get(job_path, "viewer").body;
    if (status == "done") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // A list source nobody answers (no retry): POST /v1/lists/update runs, fails it, keeps the lists.
  std::ofstream(*home_ + "/sources.yaml")
      << "defaults:\n  retries: 0\n  connect_timeout_seconds: 2\n"
         "sources:\n  - name: nobody\n    url: http://127.0.0.1:9/l.csv\n";
  std::vector<Call> calls = {
      {"POST", "/v1/lists/update", "/v1/lists/update", ""},
      {"POST", "/v1/lists/update", "/v1/lists/update", R"({"sources":["nobody","nothing"]})"},
      {"POST", "/v1/jobs?kind=screen", "/v1/jobs", R"([{"name":"Huawei"}])", "application/json", "viewer"},
      {"POST", "/v1/jobs?kind=nothing", "/v1/jobs", R"([{"name":"Huawei"}])", "application/json", "viewer"},
      {"GET", job_path, "/v1/jobs/{id}", "", "application/json", "viewer"},
      {"GET", job_path + "/result", "/v1/jobs/{id}/result", "", "application/json", "viewer"},
      {"GET", "/v1/jobs/job-x-9/result", "/v1/jobs/{id}/result", "", "application/json", "viewer"},
      {"GET", "/healthz", "/healthz", ""},
      {"GET", "/readyz", "/readyz", ""},
      {"GET", "/openapi.json", "/openapi.json", ""},
      {"POST", "/v1/screen", "/v1/screen", R"({"name":"Huawei Technologies","country":"CN"})"},
      {"POST", "/v1/screen", "/v1/screen", R"({"name":"Huawei","country":"Atlantis"})"},
      {"POST", "/v1/screen", "/v1/screen", R"({"name":"Huawei","x":1})"},
      {"POST", "/v1/screen/batch", "/v1/screen/batch",
       R"([{"id":"1","name":"Huawei"},{"name":"Bob","dob":"x"}])"},
      {"POST", "/v1/screen/batch", "/v1/screen/batch", "id,name\n1,Huawei\n2,\n", "text/csv"},
      {"POST", "/v1/compare", "/v1/compare", R"({"a":"Huawei","b":"Hua Wei"})"},
      {"POST", "/v1/classify", "/v1/classify", R"({"model":"H20","as_of":"2025-05-01"})"},
      {"POST", "/v1/classify", "/v1/classify", R"({"model":"no such chip"})"},
      {"POST", "/v1/check", "/v1/check",
       R"({"items":["H100"],"to":"CN","parties":[{"name":"Huawei Technologies","country":"CN"}],"as_of":"2025-05-01"})"},
      {"POST", "/v1/check", "/v1/check", R"({"items":["H100"],"to":"Atlantis"})"},
      {"GET", "/v1/lists", "/v1/lists", ""},
      {"GET", "/v1/me", "/v1/me", "", "application/json", "analyst"},
      {"GET", "/v1/cases/policy", "/v1/cases/policy", "", "application/json", "approver"},
      {"GET", "/v1/entries/" + screened.json()["hits"][0]["entry_id"].get<std::string>(), "/v1/entries/{id}",
       ""},
      {"GET", "/v1/entries/no-such-entry", "/v1/entries/{id}", ""},
      {"GET", "/v1/items?q=gallium", "/v1/items", ""},
      {"GET", "/v1/rules", "/v1/rules", ""},
      {"GET", "/v1/audit/1", "/v1/audit/{id}", ""},
      {"GET", "/v1/audit/0", "/v1/audit/{id}", ""},
      {"POST", "/match/default", "/match/{dataset}",
       R"({"queries":{"q1":{"schema":"Company","properties":{"name":["Huawei"]}}}})"},
      {"GET", "/v2/search?name=Huawei&type=business", "/v2/search", ""},
      {"GET", "/v2/search", "/v2/search", ""},
      {"POST", "/v1/audit/" + screened.json()["meta"]["audit_id"].dump() + "/replay", "/v1/audit/{id}/replay",
       ""},
      {"POST", "/v1/audit/1/replay", "/v1/audit/{id}/replay", ""},
      {"POST", "/v1/impact?from=2025-03-01&to=2025-05-01", "/v1/impact",
       slurp(source_dir() + "/data/orders/sample-orders.csv"), "text/csv", "analyst"},
      {"POST", "/v1/impact?from=2025-03-01", "/v1/impact", "id\n", "text/csv", "analyst"},
      {"POST", "/v1/lists?filename=x.csv", "/v1/lists", "no,list\nhere,at all\n", "text/csv"},
      {"GET", "/v1/cases?status=open&limit=5", "/v1/cases", ""},
      {"GET", "/v1/cases?status=shut", "/v1/cases", ""},
      {"GET", case_path, "/v1/cases/{id}", ""},
      {"GET", "/v1/cases/424242", "/v1/cases/{id}", ""},
      {"POST", case_path + "/approve", "/v1/cases/{id}/approve", "", "application/json", "approver"},
      {"POST", case_path + "/decide", "/v1/cases/{id}/decide",
       R"({"decision":"false_positive","reason":"no"})", "application/json", "analyst"},
      {"POST", case_path + "/decide", "/v1/cases/{id}/decide", R"({"decision":"nope","reason":"x"})"},
      {"POST", case_path + "/approve", "/v1/cases/{id}/approve", "", "application/json", "analyst"},
      {"POST", case_path + "/approve", "/v1/cases/{id}/approve", "", "application/json", "approver"},
  };
  nlohmann::json recorded = nlohmann::json::array();
  std::set<std::string> answered;
  for (const auto& k : calls) {
    HttpClient c(server_->port());
    auto r = k.method == "GET" ? c.get(k.target, auth(k.role))
                               : c.post(k.target, k.body, auth(k.role), k.content_type);
    recorded.push_back({{"method", k.method},
                        {"path", k.path},
                        {"status", r.status},
                        {"content_type", r.header("content-type")},
                        {"body", r.body}});
    if (r.status < 300) answered.insert(k.path);
  }
  // Every path of the document had a real 2xx answer here (except /metrics: text, not JSON).
  auto doc = nlohmann::json::parse(get("/openapi.json").body);
  for (auto it = doc["paths"].begin(); it != doc["paths"].end(); ++it)
    if (it.key() != "/metrics") EXPECT_TRUE(answered.count(it.key())) << it.key() << " was not exercised";
  expect_valid_responses(*api_, recorded, *home_ + "/openapi-check");
}

// The per-key token bucket: past the burst, 429 with Retry-After, and other keys are unaffected.
TEST(ApiRateLimit, PastTheBurstIsRefusedWithRetryAfter) {
  std::string home = temp_home("api-rate");
  auto a = run_cli(home, {"keys", "create", "--name", "a", "--role", "viewer"});
  auto b = run_cli(home, {"keys", "create", "--name", "b", "--role", "viewer"});
  ASSERT_EQ(a.status, 0);
  ServerProcess server(home, {"--threads", "1", "--rate-limit", "0.5", "--rate-burst", "3"});
  ASSERT_TRUE(server.running()) << server.stderr_text();
  HttpClient c(server.port());
  std::map<std::string, std::string> ha = {{"X-API-Key", trimmed(a.out)}},
                                     hb = {{"X-API-Key", trimmed(b.out)}};
  for (int i = 0; i < 3; ++i) EXPECT_EQ(c.post("/v1/screen", R"({"name":"x"})", ha).status, 200);
  auto refused = c.post("/v1/screen", R"({"name":"x"})", ha);
  EXPECT_EQ(refused.status, 429) << refused.body;
  EXPECT_EQ(refused.json()["error"]["code"], "rate_limited");
  int retry = std::atoi(refused.header("retry-after").c_str());
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 2);
  EXPECT_EQ(c.post("/v1/screen", R"({"name":"x"})", hb).status, 200);
  EXPECT_EQ(c.get("/healthz").status, 200);  // public endpoints are not limited
}

}  // namespace
}  // namespace clearance::testing

namespace clearance::testing {
namespace {

// SIGKILL in the middle of a load: after a restart the trail verifies, and every answer a client
// received has its record (an answer is sent only once its record is durable).
TEST(ApiCrash, KilledUnderLoadEveryReceivedAnswerHasItsRecord) {
  std::string home = temp_home("api-crash");
  auto made = run_cli(home, {"keys", "create", "--name", "load", "--role", "analyst"});
  ASSERT_EQ(made.status, 0) << made.err;
  std::string key = trimmed(made.out);
  auto server =
      std::make_unique<ServerProcess>(home, std::vector<std::string>{"--threads", "2", "--rate-limit", "0"});
  ASSERT_TRUE(server->running()) << server->stderr_text();
  std::mutex mu;
  std::set<std::int64_t> received;
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  const std::vector<std::string> names = {"Huawei Technologies", "Semiconductor Manufacturing International",
                                          "Plain Bakery Ltd", "Hikvision"};
  for (int t = 0; t < 4; ++t)
    clients.emplace_back([&, t] {
      HttpClient c(server->port());
      for (int i = 0; !stop; ++i) {
        HttpResult r;
        try {
          nlohmann::json body = {{"name", names[(i + t) % names.size()]}};
          r = c.post("/v1/screen", body.dump(), {{"X-API-Key", key}});
        } catch (const std::exception&) {
          return;  // the server is gone
        }
        if (r.status != 200) continue;
        auto j = r.json();
        std::lock_guard lock(mu);
        received.insert(j["meta"]["audit_id"].get<std::int64_t>());
      }
    });
  // Kill once some answers are out.
  for (int i = 0; i < 200; ++i) {
    {
      std::lock_guard lock(mu);
      if (received.size() >= 50) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(server->stop(SIGKILL), 128 + SIGKILL);
  stop = true;
  for (auto& th : clients) th.join();
  ASSERT_GE(received.size(), 10u) << "too few answers before the kill to say anything";

  auto verify = run_cli(home, {"audit", "verify"});
  EXPECT_EQ(verify.status, 0) << verify.out << verify.err;
  auto exported = run_cli(home, {"audit", "export", "--action", "screen"});
  ASSERT_EQ(exported.status, 0) << exported.err;
  std::set<std::int64_t> recorded;
  std::istringstream in(exported.out);
  for (std::string line; std::getline(in, line);)
    recorded.insert(nlohmann::json::parse(line)["seq"].get<std::int64_t>());
  for (auto id : received)
    EXPECT_TRUE(recorded.count(id)) << "answer " << id << " was received without its record";

  // The server starts again on the same trail and extends it.
  ServerProcess again(home, {"--threads", "1"});
  ASSERT_TRUE(again.running()) << again.stderr_text();
  HttpClient c(again.port());
  auto r = c.post("/v1/screen", R"({"name":"Huawei Technologies"})", {{"X-API-Key", key}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_GT(r.json()["meta"]["audit_id"].get<std::int64_t>(), *received.rbegin());
}

}  // namespace
}  // namespace clearance::testing
