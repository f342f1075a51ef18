// Batch jobs shared by replicas on one PostgreSQL store (issue 16 item 3): a CSV batch posted to
// one replica is split into chunks in the store's job table; three replicas claim chunks (FOR
// UPDATE SKIP LOCKED), one is killed with SIGKILL while it holds a chunk, and its chunk is taken
// over once its lease runs out. Every row is answered and recorded exactly once, the result and
// status are the same from any replica, the answers are those of the command line, and the chain
// verifies.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include "server/server_support.hpp"
#include "support/pg_cluster.hpp"

using namespace clearance::testing;

namespace {

long long number_in(const std::string& url, const std::string& sql) {
  auto c = clearance::store_detail::open_postgres(url);
  if (!c) return -1;
  auto r = (*c)->query(sql);
  if (!r || r->empty()) return -1;
  return std::stoll(clearance::store_detail::col((*r)[0], 0));
}

// The job as any replica shows it once it is done or failed (or as it stands after `tries` polls
// 100 ms apart).
nlohmann::json finished_job(HttpClient& client, const std::string& id,
                            const std::map<std::string, std::string>& headers, int tries = 600) {
  nlohmann::json status;
  for (int i = 0; i < tries; ++i) {
    auto r = client.get("/v1/jobs/" + id, headers);
    if (r.status != 200) return {{"status", "http " + std::to_string(r.status)}, {"body", r.body}};
    status = r.json();
    if (status["status"] == "done" || status["status"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return status;
}

TEST(SharedJobsPostgres, ABatchSplitAcrossReplicasIsAnsweredOnceAlsoWhenOneIsKilled) {
  SKIP_WITHOUT_POSTGRES();
  const std::string url = clearance::testing::PgCluster::instance().fresh_store_url();
  const std::vector<std::string> args = {"--store",      url, "--job-chunk-rows", "100", "--job-lease", "2",
                                         "--rate-limit", "0", "--threads",        "1",   "--workers",   "2"};
  ApiServer a("jobs-a", args), b("jobs-b", args), c("jobs-c", args);
  for (const ApiServer* r : {&a, &b, &c}) ASSERT_TRUE(r->server->running()) << r->server->stderr_text();

  // 1,500 rows: names of the bundled sample lists (hits), and names no list has.
  std::vector<std::string> names = {"Huawei Technologies",
                                    "Semiconductor Manufacturing International",
                                    "Hangzhou Hikvision Digital Technology",
                                    "Plain Bakery Ltd",
                                    "\"Smith, Jones and Partners\"",
                                    "Yangtze Memory Technologies"};
  const int rows = 1500;
  std::string csv = "id,name\n";
  for (int i = 0; i < rows; ++i) csv += "c" + std::to_string(i) + "," + names[i % names.size()] + "\n";

  auto headers = a.auth("analyst");
  headers["Idempotency-Key"] = "job-1";
  HttpClient to_a(a.server->port());
  auto started = to_a.post("/v1/jobs?kind=screen", csv, headers, "text/csv");
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string id = started.json()["id"];
  EXPECT_EQ(started.json()["progress"]["total"], rows);
  EXPECT_EQ(started.json()["chunks"]["total"], 15);

  // C is killed while it holds a chunk.
  const std::string victim = "%:" + std::to_string(c.server->pid()) + ":%";
  long long held = 0;
  for (int i = 0; i < 6000 && held <= 0; ++i) {
    held = number_in(
        url, "SELECT count(*) FROM job_chunks WHERE state = 'claimed' AND claimed_by LIKE '" + victim + "'");
    if (held <= 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  c.server->stop(SIGKILL);
  const long long unfinished = number_in(
      url, "SELECT count(*) FROM job_chunks WHERE state = 'claimed' AND claimed_by LIKE '" + victim + "'");
  std::cout << "replica C held " << held << " chunk(s); " << unfinished << " unfinished when killed"
            << std::endl;

  // The job finishes on A and B; B, which did not take it, shows its status and result.
  HttpClient to_b(b.server->port());
  nlohmann::json status = finished_job(to_b, id, a.auth("analyst"), 1200);
  ASSERT_EQ(status["status"], "done") << status.dump();
  EXPECT_EQ(status["progress"]["done"], rows);
  EXPECT_EQ(status["chunks"]["done"], 15);
  if (unfinished > 0) EXPECT_GE(status["chunks"]["reclaimed"].get<int>(), 1) << status.dump();
  std::cout << "chunks re-claimed after the kill: " << status["chunks"]["reclaimed"] << std::endl;

  auto result = to_b.get("/v1/jobs/" + id + "/result", a.auth("analyst"));
  ASSERT_EQ(result.status, 200) << result.body.substr(0, 500);
  EXPECT_EQ(result.header("content-type"), "application/x-ndjson");
  std::map<std::string, int> seen;
  std::set<long long> records;
  std::istringstream lines(result.body);
  for (std::string line; std::getline(lines, line);) {
    auto j = nlohmann::json::parse(line);
    ++seen[j["id"].get<std::string>()];
    ASSERT_TRUE(j["record"].is_number_integer()) << line;
    records.insert(j["record"].get<long long>());
  }
  EXPECT_EQ(seen.size(), static_cast<size_t>(rows));
  for (const auto& [row, n] : seen) EXPECT_EQ(n, 1) << row << " answered " << n << " times";
  EXPECT_EQ(records.size(), static_cast<size_t>(rows));
  // One record per row, naming its line of the upload exactly once.
  EXPECT_EQ(number_in(url, "SELECT count(*) FROM audit_records WHERE action = 'screen.batch'"), rows);
  EXPECT_EQ(number_in(url,
                      "SELECT count(DISTINCT CAST(i.inputs AS jsonb)->'row'->>'line') FROM audit_inputs i "
                      "JOIN audit_records r ON r.seq = i.seq WHERE r.action = 'screen.batch'"),
            rows);
  // The answers are the command line's for the same file.
  std::string path = a.home + "/job.csv";
  std::ofstream(path) << csv;
  auto cli = run_cli(a.home, {"--store", url, "--no-record", "screen", "--input", path, "--format", "jsonl"});
  ASSERT_EQ(cli.status, 0) << cli.err;
  EXPECT_EQ(unrecorded_lines(result.body), unrecorded_lines(cli.out));
  // A retry of the request (same Idempotency-Key) on another replica names the same job.
  auto again = to_b.post("/v1/jobs?kind=screen", csv, headers, "text/csv");
  ASSERT_EQ(again.status, 202) << again.body;
  EXPECT_EQ(again.json()["id"], id);
  // Only its creator and admins see it (B's own keys are other callers).
  expect_error(b.get("/v1/jobs/" + id, "analyst"), 404, "not_found");
  EXPECT_EQ(b.get("/v1/jobs/" + id, "admin").status, 200);

  auto verify = run_cli(a.home, {"--store", url, "audit", "verify"});
  EXPECT_EQ(verify.status, 0) << verify.out << verify.err;
}

// The same for a JSON array (issue 16 item 3: it was screened by the replica that took the request
// only): chunks of the array shared by two replicas, every row answered once and recorded once, the
// answers those of /v1/screen/batch for the same array (ids given or the row's index), and a
// malformed row a 400 naming it before anything is queued.
TEST(SharedJobsPostgres, AJsonArrayBatchIsSharedByTheReplicasToo) {
  SKIP_WITHOUT_POSTGRES();
  const std::string url = clearance::testing::PgCluster::instance().fresh_store_url();
  const std::vector<std::string> args = {"--store",      url, "--job-chunk-rows", "100", "--job-lease", "5",
                                         "--rate-limit", "0", "--threads",        "1",   "--workers",   "2"};
  ApiServer a("json-jobs-a", args), b("json-jobs-b", args);
  for (const ApiServer* r : {&a, &b}) ASSERT_TRUE(r->server->running()) << r->server->stderr_text();
  const std::vector<std::string> names = {"Huawei Technologies", "Plain Bakery Ltd",
                                          "Hangzhou Hikvision Digital Technology", "Maria Lopez"};
  const int rows = 650;
  nlohmann::json batch = nlohmann::json::array();
  for (int i = 0; i < rows; ++i) {
    nlohmann::json row = {{"name", names[i % names.size()]}, {"country", "CN"}};
    if (i % 3) row["id"] = "cust-" + std::to_string(i);  // every third row without an id
    batch.push_back(row);
  }
  HttpClient to_a(a.server->port()), to_b(b.server->port());
  auto bad = batch;
  bad[417] = {{"name", ""}};
  expect_error(to_a.post("/v1/jobs?kind=screen", bad.dump(), a.auth("analyst"), "application/json"), 400,
               "invalid_field", "[417].name");
  EXPECT_EQ(number_in(url, "SELECT count(*) FROM job_chunks"), 0);

  auto started = to_a.post("/v1/jobs?kind=screen", batch.dump(), a.auth("analyst"), "application/json");
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string id = started.json()["id"];
  EXPECT_EQ(started.json()["chunks"]["total"], 7);
  nlohmann::json status = finished_job(to_b, id, a.auth("analyst"));
  ASSERT_EQ(status["status"], "done") << status.dump();
  EXPECT_EQ(status["progress"]["done"], rows);
  auto result = to_b.get("/v1/jobs/" + id + "/result", a.auth("analyst"));
  ASSERT_EQ(result.status, 200) << result.body.substr(0, 500);
  EXPECT_EQ(number_in(url, "SELECT count(*) FROM audit_records WHERE action = 'screen.batch'"), rows);
  // The same array answered in one request: the same answers, row for row.
  auto direct = to_a.post("/v1/screen/batch", batch.dump(), a.auth("analyst"), "application/json");
  ASSERT_EQ(direct.status, 200) << direct.body.substr(0, 500);
  auto shared = unrecorded_lines(result.body), whole = unrecorded_lines(direct.body);
  ASSERT_EQ(shared.size(), static_cast<size_t>(rows));
  EXPECT_EQ(shared, whole);
  EXPECT_EQ(shared[0]["id"], "0");
  EXPECT_EQ(shared[1]["id"], "cust-1");
  EXPECT_EQ(shared[600]["id"], "600");
  auto verify = run_cli(a.home, {"--store", url, "audit", "verify"});
  EXPECT_EQ(verify.status, 0) << verify.out << verify.err;
}

// Field bug: the upload was cut into chunks at line ends outside quotes, toggling on every quote, so
// the `12"` of an unquoted field opened a "quote" and a later quoted field's line break was taken
// for a record's end: a chunk then began inside that field. Chunks now follow the CSV reader.
TEST(SharedJobsPostgres, AQuoteInsideAnUnquotedFieldDoesNotMoveTheChunkBoundaries) {
  SKIP_WITHOUT_POSTGRES();
  const std::string url = clearance::testing::PgCluster::instance().fresh_store_url();
  ApiServer a("quote-jobs", {"--store", url, "--job-chunk-rows", "2", "--rate-limit", "0", "--threads", "1"});
  ASSERT_TRUE(a.server->running()) << a.server->stderr_text();
  const std::string csv =
      "id,name,country,dob\n"
      "r1,ACME 12\" PIPE SUPPLY,US,\n"
      "r2,\"Huawei Technologies\nCo., Ltd.\",CN,\n"
      "r3,Plain Bakery,GB,\n"
      "r4,\"Rosneft\nOil Company\",RU,\n"
      "r5,Sugon,CN,31/02/1971\n";
  HttpClient to_a(a.server->port());
  auto started = to_a.post("/v1/jobs?kind=screen", csv, a.auth("analyst"), "text/csv");
  ASSERT_EQ(started.status, 202) << started.body;
  EXPECT_EQ(started.json()["progress"]["total"], 5);
  EXPECT_EQ(started.json()["chunks"]["total"], 3);
  auto status = finished_job(to_a, started.json()["id"], a.auth("analyst"));
  ASSERT_EQ(status["status"], "done") << status.dump();
  auto result =
      to_a.get("/v1/jobs/" + started.json()["id"].get<std::string>() + "/result", a.auth("analyst"));
  auto direct = to_a.post("/v1/screen/batch", csv, a.auth("analyst"), "text/csv");
  ASSERT_EQ(direct.status, 200) << direct.body;
  auto shared = unrecorded_lines(result.body), whole = unrecorded_lines(direct.body);
  ASSERT_EQ(shared.size(), 5u) << result.body;
  EXPECT_EQ(shared, whole);
  EXPECT_EQ(shared[1]["id"], "r2");
  EXPECT_FALSE(shared[1]["hits"].empty()) << shared[1];  // Huawei, read whole across its line break
  EXPECT_EQ(shared[4]["id"], "r5");
  // Field bug: a row's warnings named its line in the chunk (here line 2 of the third chunk), not
  // in the upload.
  ASSERT_EQ(shared[4]["warnings"].size(), 1u) << shared[4];
  EXPECT_EQ(shared[4]["warnings"][0].get<std::string>().rfind("upload.csv:8: dob:", 0), 0u) << shared[4];
}

// An impact run posted as a job to one replica is a job of the store, split across the replicas
// (issue 16 item 3): chunks of --job-impact-rows orders, each run as a book of its own with its rows
// numbered as in the whole and recorded as one `impact` record (replayable alone); the result
// merges their reports into what POST /v1/impact reports for the whole book. The replica that took
// the request is killed at once; the two others run every chunk, and any shows status and result.
TEST(SharedJobsPostgres, AnImpactRunIsSplitAcrossReplicasAndMergedIntoTheReportOfTheWholeBook) {
  SKIP_WITHOUT_POSTGRES();
  const std::string url = clearance::testing::PgCluster::instance().fresh_store_url();
  const std::vector<std::string> args = {"--store",   url, "--job-lease",       "2", "--rate-limit", "0",
                                         "--threads", "1", "--job-impact-rows", "5"};
  ApiServer a("impact-jobs-a", args), b("impact-jobs-b", args), c("impact-jobs-c", args);
  for (const ApiServer* r : {&a, &b, &c}) ASSERT_TRUE(r->server->running()) << r->server->stderr_text();
  // The sample book, and a row whose currency is no currency (line 26 of the book).
  const std::string book =
      slurp(source_dir() + "/data/orders/sample-orders.csv") + "BAD-1,2025-04-20,,Acme,CN,H20,1,10,U$D\n";
  const std::string query = "from=2025-03-01&to=2026-01-20";
  HttpClient to_a(a.server->port()), to_b(b.server->port()), to_c(c.server->port());
  auto headers = a.auth("analyst");
  // Refused at once, not failed later: a bad date, a file that is not an order book, broken CSV.
  expect_error(to_a.post("/v1/jobs?kind=impact&from=2025-03-01&to=2025-13-01", book, headers, "text/csv"),
               400, "invalid_field", "to");
  auto not_a_book = to_a.post("/v1/jobs?kind=impact&" + query, "nom,pays\nx,y\n", headers, "text/csv");
  EXPECT_EQ(not_a_book.status, 400) << not_a_book.body;
  EXPECT_NE(not_a_book.body.find("upload.csv:1: header: no '"), std::string::npos) << not_a_book.body;
  auto broken = to_a.post("/v1/jobs?kind=impact&" + query, book + "X,\"2025-01-01,,A,CN,H20,1,1,USD\n",
                          headers, "text/csv");
  expect_error(broken, 400, "invalid_csv", "");
  EXPECT_NE(broken.body.find("upload.csv:27"), std::string::npos) << broken.body;
  EXPECT_EQ(number_in(url, "SELECT count(*) FROM jobs"), 0);

  auto started = to_a.post("/v1/jobs?kind=impact&" + query, book, headers, "text/csv");
  ASSERT_EQ(started.status, 202) << started.body;
  EXPECT_EQ(started.json()["chunks"]["total"], 5);  // 25 orders, 5 a chunk
  a.server->stop(SIGKILL);
  const std::string id = started.json()["id"];
  nlohmann::json status = finished_job(to_b, id, headers);
  ASSERT_EQ(status["status"], "done") << status.dump();
  EXPECT_EQ(status["progress"]["done"], 25);
  EXPECT_EQ(status["progress"]["total"], 25);
  auto result = to_c.get("/v1/jobs/" + id + "/result", headers);
  ASSERT_EQ(result.status, 200) << result.body.substr(0, 500);
  EXPECT_EQ(result.header("content-type"), "application/json");
  auto report = result.json();
  ASSERT_EQ(report["records"].size(), 5u) << result.body.substr(0, 500);
  EXPECT_FALSE(report.contains("record"));
  EXPECT_EQ(status["audit_ids"], report["records"]);
  EXPECT_TRUE(status["audit_id"].is_null());
  EXPECT_EQ(number_in(url, "SELECT count(*) FROM audit_records WHERE action = 'impact'"), 5);

  // What one run over the whole book reports.
  auto direct = to_b.post("/v1/impact?" + query, book, headers, "text/csv");
  ASSERT_EQ(direct.status, 200) << direct.body.substr(0, 500);
  auto whole = direct.json();
  for (auto* r : {&report, &whole}) {
    (*r)["counts"].erase("memo_hits");
    (*r)["counts"].erase("memo_misses");
  }
  for (const char* k : {"counts", "totals", "by_customer", "by_rule", "changes_total", "changes", "flips",
                        "errors", "pack_diff"})
    EXPECT_EQ(report[k], whole[k]) << k;
  EXPECT_GT(report["changes_total"].get<int>(), 0);
  ASSERT_EQ(report["errors"].size(), 1u);
  EXPECT_NE(report["errors"][0].get<std::string>().find("upload.csv:26: currency"), std::string::npos)
      << report["errors"][0];

  // A short list of changed orders: filled by the first chunks, the later ones' lists are not read.
  auto short_list = to_b.post("/v1/jobs?kind=impact&max_listed=3&" + query, book, headers, "text/csv");
  ASSERT_EQ(short_list.status, 202) << short_list.body;
  ASSERT_EQ(finished_job(to_c, short_list.json()["id"], headers)["status"], "done");
  auto listed =
      to_c.get("/v1/jobs/" + short_list.json()["id"].get<std::string>() + "/result", headers).json();
  auto listed_direct = to_b.post("/v1/impact?max_listed=3&" + query, book, headers, "text/csv").json();
  ASSERT_EQ(listed["changes"].size(), 3u);
  EXPECT_EQ(listed["changes"], listed_direct["changes"]);
  EXPECT_EQ(listed["flips"], listed_direct["flips"]);
  EXPECT_EQ(listed["changes_total"], whole["changes_total"]);

  // The last chunk's record (its rows on lines 22 to 26 of the book) replays alone.
  auto replay = run_cli(b.home, {"--store", url, "audit", "replay", report["records"][4].dump()});
  EXPECT_EQ(replay.status, 0) << replay.out << replay.err;

  // The report page, as a job too: the merged report, dated when the job finished.
  auto html = to_b.post("/v1/jobs?kind=impact&format=html&" + query, book, headers, "text/csv");
  ASSERT_EQ(html.status, 202) << html.body;
  status = finished_job(to_c, html.json()["id"], headers);
  ASSERT_EQ(status["status"], "done") << status.dump();
  EXPECT_EQ(status["audit_ids"].size(), 5u);
  auto page = to_c.get("/v1/jobs/" + html.json()["id"].get<std::string>() + "/result", headers);
  EXPECT_EQ(page.header("content-type").rfind("text/html", 0), 0u);
  EXPECT_NE(page.body.find("<html"), std::string::npos);
  EXPECT_NE(page.body.find(status["finished_at"].get<std::string>()), std::string::npos);
  for (const auto& flip : whole["flips"])
    EXPECT_NE(page.body.find("data-order=\"" + flip["id"].get<std::string>() + "\""), std::string::npos)
        << flip["id"];
  auto verify = run_cli(b.home, {"--store", url, "audit", "verify"});
  EXPECT_EQ(verify.status, 0) << verify.out << verify.err;
}

// A rescreen after a list change is a job the replicas share (issue 16 item 3): the customer file
// in chunks, each screened against the entries added or changed between the snapshots it was
// screened against (named as the X-Clearance-Snapshots header of that screening names them) and
// the lists in force, on any replica. New hits open review cases, hits on entries removed or
// changed away are reported gone, each chunk is one `rescreen` record, and the answer is that of
// `clearance rescreen --since` on the same file.
TEST(SharedJobsPostgres, ARescreenAfterAListChangeIsSharedByTheReplicasAndAnswersAsTheCommandLine) {
  SKIP_WITHOUT_POSTGRES();
  const std::string url = clearance::testing::PgCluster::instance().fresh_store_url();
  const std::string v1 = data_dir() + "/lists/sample-us.csv";
  const std::vector<std::string> args = {"--store",      url, "--job-chunk-rows", "3", "--job-lease", "5",
                                         "--rate-limit", "0", "--threads",        "1"};
  ApiServer a("rescreen-a", args, {{"--store", url, "lists", "import", v1, "--name", "us"}});
  ASSERT_TRUE(a.server->running()) << a.server->stderr_text();
  // What a client kept from its last screening: the snapshots it used.
  auto screened = a.post("/v1/screen", R"({"name": "Plain Bakery Ltd"})", "analyst");
  ASSERT_EQ(screened.status, 200) << screened.body;
  const std::string since = screened.header("x-clearance-snapshots");
  ASSERT_EQ(since.size(), 24u) << since;

  // The list changes: Huawei removed, SMIC renamed (its aliases gone), one entry added.
  const std::string smic = "Semiconductor Manufacturing International Corporation (SMIC)";
  const std::string smic_aliases =
      "SMIC; Semiconductor Manufacturing International (Shanghai) Corporation; SMIC Shanghai; "
      "Semiconductor Mfg International Corp.";
  std::istringstream in(slurp(v1));
  std::string v2, line, added;
  while (std::getline(in, line)) {
    if (line.find("Huawei Technologies Co., Ltd.") != std::string::npos) continue;
    if (line.find(smic) != std::string::npos) {
      ASSERT_NE(line.find(smic_aliases), std::string::npos);
      line.replace(line.find(smic_aliases), smic_aliases.size(), "");
      line.replace(line.find(smic), smic.size(), "Zhongxin Wafer Foundry Group");
      added = line;
      added.replace(0, added.find(','), "0000000000000000000000000000000000000a01");
      added.replace(added.find("Zhongxin Wafer Foundry Group"), 28, "Quillon Varesh Ombrado Trading Co.");
    }
    v2 += line + "\n";
  }
  ASSERT_FALSE(added.empty());
  v2 += added + "\n";
  auto imported = a.post("/v1/lists?filename=us.csv&name=us&allow_shrink=true", v2, "admin", "text/csv");
  ASSERT_EQ(imported.status, 200) << imported.body;
  ApiServer b("rescreen-b", args);  // serves the new snapshot, loaded from the store
  ASSERT_TRUE(b.server->running()) << b.server->stderr_text();

  std::string customers = "id,name,country\n";
  for (int round = 0; round < 2; ++round) {
    const std::string r = std::to_string(round);
    customers += "huawei-" + r + ",\"Huawei Technologies Co., Ltd.\",CN\n";
    customers += "smic-" + r + ",Semiconductor Manufacturing International Corporation,CN\n";
    customers += "zhongxin-" + r + ",Zhongxin Wafer Foundry Group,CN\n";
    customers += "quillon-" + r + ",Quillon Varesh Ombrado Trading Co.,CN\n";
    customers += "hikvision-" + r + ",\"Hangzhou Hikvision Digital Technology Co., Ltd.\",CN\n";
    customers += "bakery-" + r + ",Plain Bakery Ltd,GB\n";
    customers += "maria-" + r + ",Maria Lopez,ES\n";
  }
  customers += "nameless,,CN\n";  // line 16: not screened, and the answer must say so
  HttpClient to_a(a.server->port()), to_b(b.server->port());
  auto headers = a.auth("analyst");
  expect_error(to_a.post("/v1/jobs?kind=rescreen", customers, headers, "text/csv"), 400, "missing_field",
               "since");
  expect_error(
      to_a.post("/v1/jobs?kind=rescreen&since=000000000000000000000000", customers, headers, "text/csv"), 400,
      "invalid_field", "since");
  EXPECT_EQ(
      to_a.post("/v1/jobs?kind=rescreen&since=" + since, customers, a.auth("viewer"), "text/csv").status,
      403);

  auto started = to_a.post("/v1/jobs?kind=rescreen&since=" + since, customers, headers, "text/csv");
  ASSERT_EQ(started.status, 202) << started.body;
  EXPECT_EQ(started.json()["chunks"]["total"], 5);  // 15 rows, 3 a chunk
  const std::string id = started.json()["id"];
  nlohmann::json status = finished_job(to_b, id, headers);
  ASSERT_EQ(status["status"], "done") << status.dump();
  auto result = to_b.get("/v1/jobs/" + id + "/result", headers);
  ASSERT_EQ(result.status, 200) << result.body.substr(0, 500);
  auto report = result.json();
  EXPECT_EQ(report["rows"], 15);
  ASSERT_EQ(report["unscreened"].size(), 1u) << report.dump();
  EXPECT_EQ(report["unscreened"][0].get<std::string>().rfind("upload.csv:16: name", 0), 0u)
      << report["unscreened"];
  EXPECT_EQ(report["since"][0]["id"], since);
  EXPECT_EQ(report["screened_entries"], 2);  // SMIC changed, one added
  EXPECT_EQ(report["removed_entries"], 1);
  EXPECT_EQ(report["records"].size(), 5u);
  EXPECT_EQ(status["audit_ids"], report["records"]);
  EXPECT_EQ(number_in(url, "SELECT count(*) FROM audit_records WHERE action = 'rescreen'"), 5);
  auto rows_of = [](const nlohmann::json& hits) {
    std::set<std::string> rows;
    for (const auto& h : hits) rows.insert(h["row"].get<std::string>());
    return rows;
  };
  EXPECT_EQ(rows_of(report["new_hits"]),
            (std::set<std::string>{"zhongxin-0", "zhongxin-1", "quillon-0", "quillon-1"}));
  EXPECT_EQ(rows_of(report["gone_hits"]),
            (std::set<std::string>{"huawei-0", "huawei-1", "smic-0", "smic-1"}));
  for (const auto& h : report["new_hits"]) EXPECT_GT(h.value("case", 0), 0) << h;  // each opened a case

  // The command line on the same file, against the same snapshot: the same hits and scores.
  const std::string file = a.home + "/customers.csv";
  {
    std::ofstream out(file);
    out << customers;
  }
  auto cli =
      run_cli(a.home, {"--store", url, "rescreen", "--input", file, "--since", since, "--format", "json"});
  ASSERT_EQ(cli.status, 0) << cli.err;
  auto expected = nlohmann::json::parse(cli.out);
  auto triples = [](const nlohmann::json& hits) {
    std::set<std::tuple<std::string, std::string, double>> out;
    for (const auto& h : hits) out.emplace(h["row"], h["entry"], h["score"]);
    return out;
  };
  EXPECT_EQ(triples(report["new_hits"]), triples(expected["new_hits"]));
  EXPECT_EQ(triples(report["gone_hits"]), triples(expected["gone_hits"]));
  auto verify = run_cli(b.home, {"--store", url, "audit", "verify"});
  EXPECT_EQ(verify.status, 0) << verify.out << verify.err;
}

}  // namespace
