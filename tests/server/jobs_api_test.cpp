// Jobs against the real server: a batch screening larger than --max-batch and an impact run,
// started with POST /v1/jobs, followed with GET /v1/jobs/{id} (progress) and downloaded when done;
// the result is what the synchronous endpoint (and the CLI) answers, each row on the record. Only
// the creator (or an admin) sees a job. One server for the suite, with --max-batch 5.
#include <gtest/gtest.h>

#include "server/server_support.hpp"
#include "support/paths.hpp"

namespace clearance::testing {
namespace {

class JobsApi : public ApiSuite<JobsApi> {
 public:
  static ApiServer* start() {
    return new ApiServer("jobs-api",
                         {"--threads", "2", "--workers", "2", "--rate-limit", "0", "--max-batch", "5"});
  }

 protected:
  static HttpResult post(const std::string& path, const std::string& body, const std::string& role,
                         const std::string& content_type = "text/csv") {
    return api_->post(path, body, role, content_type);
  }
  // Polls the job until it is done or failed (at most a minute).
  static nlohmann::json wait(const std::string& id, const std::string& role) {
    nlohmann::json j;
    for (int i = 0; i < 600; ++i) {
      auto r = get("/v1/jobs/" + id, role);
      EXPECT_EQ(r.status, 200) << r.body;
      j = r.json();
      if (j["status"] == "done" || j["status"] == "failed") return j;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "job " << id << " did not finish: " << j.dump();
    return j;
  }
};

// Field bug: a job's progress total counted line breaks, so a quoted name holding one counted as
// two rows and the job never reached its total.
TEST_F(JobsApi, AQuotedFieldWithALineBreakIsOneRowOfTheJob) {
  const std::string csv = "id,name,country\nr1,\"Huawei\nTechnologies\",CN\nr2,Plain Bakery Ltd,FR\n";
  auto started = post("/v1/jobs?kind=screen", csv, "viewer");
  ASSERT_EQ(started.status, 202) << started.body;
  EXPECT_EQ(started.json()["progress"]["total"], 2);
  auto done = wait(started.json()["id"], "viewer");
  ASSERT_EQ(done["status"], "done") << done.dump();
  EXPECT_EQ(done["progress"]["done"], done["progress"]["total"]);
}

TEST_F(JobsApi, BatchLargerThanOneRequestRunsAsAJobAndAnswersAsTheCommandLine) {
  std::string csv = "id,name,country\n";
  for (int i = 0; i < 40; ++i)
    csv += "r" + std::to_string(i) + "," + (i % 2 ? "Huawei Technologies,CN" : "Plain Bakery Ltd,FR") + "\n";
  expect_error(post("/v1/screen/batch", csv, "viewer"), 413, "batch_too_large");
  auto started = post("/v1/jobs?kind=screen", csv, "viewer");
  ASSERT_EQ(started.status, 202) << started.body;
  auto s = started.json();
  std::string id = s["id"];
  EXPECT_EQ(s["kind"], "screen");
  EXPECT_EQ(s["progress"]["total"], 40);
  EXPECT_FALSE(s["meta"]["snapshots"].empty());
  auto done = wait(id, "viewer");
  ASSERT_EQ(done["status"], "done") << done.dump();
  EXPECT_EQ(done["progress"]["done"], 40);
  EXPECT_EQ(done["result"], "/v1/jobs/" + id + "/result");
  auto result = get("/v1/jobs/" + id + "/result", "viewer");
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.header("content-type"), "application/x-ndjson");
  std::string path = api_->home + "/job.csv";
  std::ofstream(path) << csv;
  auto cli = run_cli(api_->home, {"--no-record", "screen", "--input", path, "--format", "jsonl"});
  ASSERT_EQ(cli.status, 0) << cli.err;
  EXPECT_EQ(unrecorded_lines(result.body), unrecorded_lines(cli.out));
  // Every row of the job is on the record, as a batch request's rows are.
  std::istringstream rows(result.body);
  for (std::string line; std::getline(rows, line);) {
    auto row = nlohmann::json::parse(line);
    ASSERT_TRUE(row["record"].is_number_integer()) << line;
  }
  auto last = nlohmann::json::parse(result.body.substr(result.body.rfind('\n', result.body.size() - 2) + 1));
  EXPECT_EQ(get("/v1/audit/" + last["record"].dump(), "auditor").json()["action"], "screen.batch");
  // Only its creator and admins see it.
  expect_error(get("/v1/jobs/" + id, "analyst"), 404, "not_found");
  expect_error(get("/v1/jobs/" + id + "/result", "approver"), 404, "not_found");
  EXPECT_EQ(get("/v1/jobs/" + id, "admin").status, 200);
  expect_error(get("/v1/jobs/" + id, "auditor"), 403, "forbidden");
  // CSV out, as screen --input --format csv writes it.
  auto as_csv = post("/v1/jobs?kind=screen&format=csv", csv, "analyst");
  ASSERT_EQ(as_csv.status, 202) << as_csv.body;
  ASSERT_EQ(wait(as_csv.json()["id"], "analyst")["status"], "done");
  auto csv_out = get("/v1/jobs/" + as_csv.json()["id"].get<std::string>() + "/result", "analyst");
  auto cli_csv = run_cli(api_->home, {"--no-record", "screen", "--input", path, "--format", "csv"});
  std::string expected = cli_csv.out;
  for (size_t at; (at = expected.find(path)) != std::string::npos;)
    expected.replace(at, path.size(), "upload.csv");
  EXPECT_EQ(csv_out.body, expected);
}

TEST_F(JobsApi, ImpactRunsAsAJobWithItsRecord) {
  std::string book = slurp(source_dir() + "/data/orders/sample-orders.csv");
  expect_error(post("/v1/jobs?kind=impact&from=2025-03-01&to=2025-05-01", book, "viewer"), 403, "forbidden");
  auto started = post("/v1/jobs?kind=impact&from=2025-03-01&to=2025-05-01", book, "analyst");
  ASSERT_EQ(started.status, 202) << started.body;
  std::string id = started.json()["id"];
  auto done = wait(id, "analyst");
  ASSERT_EQ(done["status"], "done") << done.dump();
  EXPECT_EQ(done["progress"]["done"], done["progress"]["total"]);
  ASSERT_TRUE(done["audit_id"].is_number_integer());
  auto result = get("/v1/jobs/" + id + "/result", "analyst");
  ASSERT_EQ(result.status, 200);
  auto report = result.json();
  EXPECT_EQ(report["record"], done["audit_id"]);
  EXPECT_EQ(report["meta"]["audit_id"], done["audit_id"]);
  auto direct = post("/v1/impact?from=2025-03-01&to=2025-05-01", book, "analyst").json();
  for (const char* k : {"counts", "totals", "changes_total", "changes"}) EXPECT_EQ(report[k], direct[k]) << k;
  EXPECT_EQ(get("/v1/audit/" + done["audit_id"].dump(), "auditor").json()["action"], "impact");
  auto html = post("/v1/jobs?kind=impact&from=2025-03-01&to=2025-05-01&format=html", book, "approver");
  ASSERT_EQ(html.status, 202);
  ASSERT_EQ(wait(html.json()["id"], "approver")["status"], "done");
  auto page = get("/v1/jobs/" + html.json()["id"].get<std::string>() + "/result", "approver");
  EXPECT_EQ(page.header("content-type").rfind("text/html", 0), 0u);
  EXPECT_NE(page.body.find("<html"), std::string::npos);
}

TEST_F(JobsApi, BadJobsAreRefusedOrFailWithTheirError) {
  expect_error(post("/v1/jobs", "id,name\n1,x\n", "viewer"), 400, "missing_field", "kind");
  expect_error(post("/v1/jobs?kind=bake", "id,name\n1,x\n", "viewer"), 400, "invalid_field", "kind");
  expect_error(post("/v1/jobs?kind=screen", R"({"name":"x"})", "viewer", "application/json"), 400,
               "invalid_field");
  expect_error(post("/v1/jobs?kind=screen", R"([{"name":)", "viewer", "application/json"), 400,
               "malformed_json");
  expect_error(post("/v1/jobs?kind=impact&from=2025-03-01", "id\n", "analyst"), 400, "missing_field", "to");
  expect_error(
      post("/v1/jobs?kind=impact&from=2025-03-01&to=2025-05-01", "{}", "analyst", "application/json"), 415,
      "unsupported_media_type");
  expect_error(post("/v1/jobs?kind=screen", "id,name\n1,x\n", "auditor"), 403, "forbidden");
  expect_error(get("/v1/jobs/job-nonesuch-1", "admin"), 404, "not_found");
  expect_error(get("/v1/jobs/job-nonesuch-1/result", "admin"), 404, "not_found");
  // A batch the handler refuses as a whole (no name column) is a failed job saying why.
  auto started = post("/v1/jobs?kind=screen", "nom,pays\nx,y\n", "viewer");
  ASSERT_EQ(started.status, 202) << started.body;
  auto failed = wait(started.json()["id"], "viewer");
  ASSERT_EQ(failed["status"], "failed") << failed.dump();
  EXPECT_EQ(failed["error"]["code"], "invalid_field");
  EXPECT_TRUE(failed["result"].is_null());
  expect_error(get("/v1/jobs/" + started.json()["id"].get<std::string>() + "/result", "viewer"), 409,
               "job_failed");
  EXPECT_EQ(get("/healthz", "viewer").status, 200);
}

// Regression: a job kept a copy of its request, finisher included, and so the request's
// connection: on SIGTERM the server then waited out its whole grace period (30 s) for
// connections that never closed, and stopped with them still open.
TEST(JobsApiShutdown, AJobDoesNotHoldItsRequestsConnectionOpen) {
  ApiServer api("jobs-shutdown", {"--threads", "2", "--workers", "2", "--rate-limit", "0"});
  ASSERT_TRUE(api.server->running()) << api.server->stderr_text();
  std::string book = slurp(source_dir() + "/data/orders/sample-orders.csv");
  auto started = api.post("/v1/jobs?kind=impact&from=2025-03-01&to=2025-05-01", book, "analyst", "text/csv");
  ASSERT_EQ(started.status, 202) << started.body;
  std::string status;
  for (int i = 0; i < 600 && status != "done" && status != "failed"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    status = api.get("/v1/jobs/" + started.json()["id"].get<std::string>(), "analyst").json()["status"];
  }
  ASSERT_EQ(status, "done");
  EXPECT_EQ(api.server->stop(SIGTERM), 0);
  std::string log = api.server->log();
  auto stopped = log.find("\"msg\":\"stopped\"");
  ASSERT_NE(stopped, std::string::npos) << log;
  EXPECT_NE(log.find("\"open_connections\":0", stopped), std::string::npos) << log.substr(stopped);
}

}  // namespace
}  // namespace clearance::testing
