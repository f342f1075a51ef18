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

#include "server/server_support.hpp"
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
  const std::string v1 = std::string(CLEARANCE_DATA_DIR) + "/lists/sample-us.csv";
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

}  // namespace
