// Replicas on one PostgreSQL store (issue 16): a list changed through one replica (or by the
// command line with --store) is published in the store and announced with LISTEN/NOTIFY; every
// replica, each with its own data home here as on separate machines, loads it from the store and
// serves it within seconds, and a replica started later serves it from the start.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "clearance/store/record.hpp"
#include "server/server_support.hpp"
#include "support/paths.hpp"
#include "support/pg_cluster.hpp"

using namespace clearance::testing;

namespace {

// The snapshot id each replica serves for the list `name` (GET /v1/lists), "" when it has none.
std::string served_snapshot(const ApiServer& replica, const std::string& name) {
  auto r = replica.get("/v1/lists", "viewer");
  if (r.status != 200) return "status " + std::to_string(r.status);
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  const auto& lists = j.is_object() && j.contains("lists") ? j["lists"] : j;
  if (lists.is_array())
    for (const auto& l : lists)
      if (l.value("name", "") == name) return l.value("snapshot_id", "");
  return "";
}

// Waits up to 15 s for the replica to serve `id` for `name`; the seconds it took, or -1.
double seconds_until_served(const ApiServer& replica, const std::string& name, const std::string& id) {
  auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(15)) {
    if (served_snapshot(replica, name) == id)
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return -1;
}

TEST(ReplicasPostgres, AListChangedThroughOneReplicaIsServedByEveryReplica) {
  SKIP_WITHOUT_POSTGRES();
  const std::string url = clearance::testing::PgCluster::instance().fresh_store_url();
  const std::string v1 = data_dir() + "/lists/sample-us.csv";
  const std::vector<std::string> store = {"--store", url};

  // The first version imported by the command line into the store: published there.
  ApiServer a("replica-a", store, {{"--store", url, "lists", "import", v1, "--name", "us"}});
  ASSERT_TRUE(a.server->running()) << a.server->stderr_text();
  const std::string first = served_snapshot(a, "us");
  ASSERT_EQ(first.size(), 24u) << first;
  // A replica on an empty data home loads the published snapshot from the store.
  ApiServer b("replica-b", store);
  ASSERT_TRUE(b.server->running()) << b.server->stderr_text();
  EXPECT_EQ(served_snapshot(b, "us"), first);

  // A second version (the Huawei row removed) imported through replica A's API.
  std::ifstream in(v1);
  std::stringstream kept;
  std::string line;
  size_t dropped = 0;
  while (std::getline(in, line))
    if (line.find("Huawei Technologies Co., Ltd.") == std::string::npos)
      kept << line << "\n";
    else
      ++dropped;
  ASSERT_EQ(dropped, 1u);
  auto imported =
      a.post("/v1/lists?filename=us.csv&name=us&allow_shrink=true", kept.str(), "admin", "text/csv");
  ASSERT_EQ(imported.status, 200) << imported.body;
  auto j = nlohmann::json::parse(imported.body);
  const std::string second = j["imported"][0]["snapshot_id"];
  ASSERT_NE(second, first);
  EXPECT_EQ(served_snapshot(a, "us"), second);
  double took = seconds_until_served(b, "us", second);
  EXPECT_GE(took, 0) << "replica B still serves " << served_snapshot(b, "us") << "\n" << b.server->log();
  std::cout << "replica B switched " << took << " s after replica A's import" << std::endl;
  // B answers from the new snapshot: the removed entry is no longer found, and the answer names it.
  auto s = b.post("/v1/screen", R"({"name": "Huawei Technologies Co., Ltd."})", "analyst");
  ASSERT_EQ(s.status, 200) << s.body;
  auto hits = nlohmann::json::parse(s.body)["hits"];
  for (const auto& h : hits) EXPECT_NE(h.value("entry_id", ""), "978c44ac22953f83880401cce751708ab6360b59");
  EXPECT_NE(s.body.find(second), std::string::npos) << "the answer does not name the snapshot it used";

  // A replica started later serves the published snapshot from the start.
  ApiServer c("replica-c", store);
  ASSERT_TRUE(c.server->running()) << c.server->stderr_text();
  EXPECT_EQ(served_snapshot(c, "us"), second);

  // The command line with --store publishes too: the first version again, by `lists import`.
  auto again = run_cli(a.home, {"--store", url, "lists", "import", v1, "--name", "us"});
  ASSERT_EQ(again.status, 0) << again.err;
  for (const ApiServer* r : {&a, &b, &c})
    EXPECT_GE(seconds_until_served(*r, "us", first), 0)
        << r->home << " still serves " << served_snapshot(*r, "us");
}

// The number in the first row of a query on the store (-1 when it fails).
long long count_in(const std::string& url, const std::string& sql) {
  auto c = clearance::store_detail::open_postgres(url);
  if (!c) return -1;
  auto r = (*c)->query(sql);
  if (!r || r->empty()) return -1;
  return std::stoll(clearance::store_detail::col((*r)[0], 0));
}

// Waits up to 10 s for GET /v1/lists with `key` to answer `status`; the seconds it took, or -1.
double seconds_until_status(const ApiServer& replica, const std::string& key, int status) {
  auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(10)) {
    HttpClient c(replica.server->port());
    if (c.get("/v1/lists", {{"Authorization", "Bearer " + key}}).status == status)
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

TEST(ReplicasPostgres, KeysAreSharedThroughTheStoreAndARevocationReachesEveryReplica) {
  SKIP_WITHOUT_POSTGRES();
  const std::string url = clearance::testing::PgCluster::instance().fresh_store_url();
  const std::vector<std::string> store = {"--store", url};
  // Each replica's home has keys of its own in keys.json (as before issue 16): a replica on a
  // PostgreSQL store adds them to the store at start, so the other replica accepts them as well.
  ApiServer a("keys-a", store);
  ASSERT_TRUE(a.server->running()) << a.server->stderr_text();
  ApiServer b("keys-b", store);
  ASSERT_TRUE(b.server->running()) << b.server->stderr_text();
  EXPECT_EQ(b.get("/v1/lists", "viewer").status, 200);
  HttpClient to_b(b.server->port());
  EXPECT_GE(seconds_until_status(b, a.keys.at("viewer"), 200), 0) << "B does not accept A's key";
  EXPECT_GE(seconds_until_status(a, b.keys.at("viewer"), 200), 0) << "A does not accept B's key";

  // A key made by the command line on the store works on both, though neither home has it.
  auto other = temp_home("keys-cli");
  auto made = run_cli(other, {"--store", url, "keys", "create", "--name", "shared", "--role", "analyst"});
  ASSERT_EQ(made.status, 0) << made.err;
  const std::string key = trimmed(made.out);
  EXPECT_EQ(slurp(other + "/keys.json"), "") << "a key on a PostgreSQL store is not written to keys.json";
  for (const ApiServer* r : {&a, &b}) EXPECT_GE(seconds_until_status(*r, key, 200), 0) << r->home;
  auto listed = run_cli(other, {"--store", url, "keys", "list", "--format", "json"});
  ASSERT_EQ(listed.status, 0) << listed.err;
  EXPECT_EQ(nlohmann::json::parse(listed.out).size(), 11u) << listed.out;  // 5 + 5 + 1

  // Revoked by the command line: refused by every replica within about a second.
  const std::string id = key.substr(4, key.find('_', 4) - 4);
  auto revoked = run_cli(other, {"--store", url, "keys", "revoke", id});
  ASSERT_EQ(revoked.status, 0) << revoked.err;
  for (const ApiServer* r : {&a, &b}) {
    double took = seconds_until_status(*r, key, 401);
    EXPECT_GE(took, 0) << r->home << " still accepts the revoked key";
    EXPECT_LT(took, 3.0);
    std::cout << r->home << " refused the revoked key " << took << " s after the revocation" << std::endl;
  }
  // Unknown ids are still an error (exit 2), on the store as in a home.
  EXPECT_EQ(run_cli(other, {"--store", url, "keys", "revoke", "k00000000"}).status, 2);
}

TEST(ReplicasPostgres, ARetryOnAnotherReplicaGetsTheSameAnswerAndRecord) {
  SKIP_WITHOUT_POSTGRES();
  const std::string url = clearance::testing::PgCluster::instance().fresh_store_url();
  const std::vector<std::string> store = {"--store", url};
  ApiServer a("idem-a", store);
  ASSERT_TRUE(a.server->running()) << a.server->stderr_text();
  ApiServer b("idem-b", store);
  ASSERT_TRUE(b.server->running()) << b.server->stderr_text();
  const std::string body = R"({"name": "Huawei Technologies Co., Ltd."})";
  auto headers = [&](const std::string& k) {
    auto h = a.auth("analyst");
    h["Idempotency-Key"] = k;
    return h;
  };
  auto screens = [&] { return count_in(url, "SELECT count(*) FROM audit_records WHERE action = 'screen'"); };

  // Answered by A, retried on B: the same answer and record, and no second record.
  HttpClient ca(a.server->port()), cb(b.server->port());
  auto first = ca.post("/v1/screen", body, headers("retry-1"));
  ASSERT_EQ(first.status, 200) << first.body;
  const auto record = first.json()["record"];
  ASSERT_TRUE(record.is_number_integer());
  auto again = cb.post("/v1/screen", body, headers("retry-1"));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.header("idempotent-replayed"), "true");
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.header("x-clearance-audit-id"), std::to_string(record.get<long long>()));
  EXPECT_EQ(screens(), 1);
  // The same key for another request is refused on the other replica too.
  auto reused = cb.post("/v1/screen", R"({"name": "Someone Else"})", headers("retry-1"));
  expect_error(reused, 422, "idempotency_key_reused", "Idempotency-Key");

  // The holder of a key is alive (its PostgreSQL session holds the key's lock): B waits, then
  // says 409. Once the holder is gone (its session closed, as when a replica is killed), B runs
  // the request: a holder that died before recording anything left nothing to give back.
  const std::string held = a.key_id("analyst") + "\nretry-2";
  const std::string hash = clearance::sha256_hex("POST /v1/screen\n" + body);
  const long long lock = std::stoll(clearance::sha256_hex(held).substr(0, 15), nullptr, 16);
  {
    auto holder = clearance::store_detail::open_postgres(url);
    ASSERT_TRUE(holder.ok());
    ASSERT_TRUE((*holder)->query("SELECT pg_advisory_lock(" + std::to_string(lock) + ")").ok());
    ASSERT_TRUE((*holder)
                    ->query("INSERT INTO idempotency (key, request_hash, created_at) VALUES (?, ?, ?)",
                            {clearance::store_detail::SqlValue::text(held),
                             clearance::store_detail::SqlValue::text(hash),
                             clearance::store_detail::SqlValue::text("2099-01-01T00:00:00Z")})
                    .ok());
    auto busy = cb.post("/v1/screen", body, headers("retry-2"));
    expect_error(busy, 409, "idempotency_in_progress", "Idempotency-Key");
  }
  auto ran = cb.post("/v1/screen", body, headers("retry-2"));
  ASSERT_EQ(ran.status, 200) << ran.body;
  EXPECT_EQ(screens(), 2);

  // A holder that recorded its answer and died before keeping it (SIGKILL between the commit and
  // the reply): the retry is answered from that record, with its number, and is not recorded again.
  auto third = ca.post("/v1/screen", body, headers("retry-3"));
  ASSERT_EQ(third.status, 200) << third.body;
  const auto seq = third.json()["record"].get<long long>();
  EXPECT_EQ(screens(), 3);
  EXPECT_EQ(
      count_in(url, "SELECT audit_seq FROM idempotency WHERE key = '" + a.key_id("analyst") + "\nretry-3'"),
      seq)
      << "the record's number is noted against the key in the record's own transaction";
  {
    auto c = clearance::store_detail::open_postgres(url);
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE((*c)->query("UPDATE idempotency SET status = NULL, headers = NULL, body = NULL WHERE key = ?",
                            {clearance::store_detail::SqlValue::text(a.key_id("analyst") + "\nretry-3")})
                    .ok());
  }
  auto rebuilt = cb.post("/v1/screen", body, headers("retry-3"));
  ASSERT_EQ(rebuilt.status, 200) << rebuilt.body;
  auto rj = rebuilt.json(), tj = third.json();
  EXPECT_EQ(rj["record"], seq);
  EXPECT_EQ(rj["meta"]["audit_id"], seq);
  EXPECT_EQ(rj["hits"], tj["hits"]);
  EXPECT_EQ(rj["query"], tj["query"]);
  EXPECT_EQ(screens(), 3);

  // The chain verifies with one record per answer.
  auto verify = run_cli(a.home, {"--store", url, "audit", "verify"});
  EXPECT_EQ(verify.status, 0) << verify.out << verify.err;
}

}  // namespace
