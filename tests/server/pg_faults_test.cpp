// Database faults under a real server (issue 17 item 3): `clearance serve --store postgres://…` on
// a PostgreSQL cluster of this test's own (it is restarted, so not the run's shared one), under a
// steady stream of recorded screenings. The server's connections are killed mid-transaction
// (pg_terminate_backend from another connection), then PostgreSQL is restarted (pg_ctl restart).
// Meanwhile the server answers 503, never an answer without its record; afterwards it answers
// again by itself; every answer a client received has its record, and the chain verifies.
#include <gtest/gtest.h>

#include <atomic>
#include <iostream>
#include <set>
#include <thread>

#include "clearance/store/store.hpp"
#include "server/server_support.hpp"
#include "store/sql.hpp"
#include "support/paths.hpp"

namespace clearance::testing {
namespace {

// A throw-away cluster started by tests/support/pg_cluster.sh, stopped at the end.
class OwnCluster {
 public:
  OwnCluster() {
    state_ = temp_home("pg-faults-state") + "/state";
    std::string script = support_dir() + "/pg_cluster.sh";
    int rc = std::system((script + " start " + state_ + " >/dev/null 2>" + state_ + ".err").c_str());
    if (rc != 0) {
      why_ = (WEXITSTATUS(rc) == 3 ? "PostgreSQL is not installed: " : "could not start a cluster: ") +
             slurp(state_ + ".err");
      return;
    }
    std::string s = slurp(state_);
    url_ = s.substr(0, s.find('\n'));
  }
  ~OwnCluster() { (void)std::system((support_dir() + "/pg_cluster.sh stop " + state_).c_str()); }
  const std::string& url() const { return url_; }
  const std::string& why() const { return why_; }
  bool restart() const {
    return std::system((support_dir() + "/pg_cluster.sh restart " + state_).c_str()) == 0;
  }

 private:
  std::string state_, url_, why_;
};

struct Load {
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, unavailable{0}, other{0};
  std::mutex mu;
  std::set<std::int64_t> audit_ids;  // of every 200 answer
  std::vector<std::string> odd;      // bodies of answers neither 200 nor 503
};

TEST(ServerDbFaults, PostgresConnectionsKilledAndRestartedServerAnswers503ThenRecovers) {
  OwnCluster cluster;
  if (cluster.url().empty()) GTEST_SKIP() << cluster.why();
  ApiServer api("pg-faults", {"--store", cluster.url(), "--rate-limit", "0"});
  ASSERT_TRUE(api.server->running()) << api.server->stderr_text();

  Load load;
  auto client = [&](int id) {
    HttpClient c(api.server->port());
    for (int i = 0; !load.stop; ++i) {
      nlohmann::json body = {{"name", "Party " + std::to_string(id) + "-" + std::to_string(i)}};
      HttpResult r;
      try {
        r = c.post("/v1/screen", body.dump(), api.auth("analyst"));
      } catch (const std::exception& e) {
        ++load.other;
        std::lock_guard lk(load.mu);
        load.odd.push_back(std::string("transport: ") + e.what());
        continue;
      }
      auto j = r.json();
      if (r.status == 200 && j["meta"]["audit_id"].is_number_integer()) {
        ++load.ok;
        std::lock_guard lk(load.mu);
        load.audit_ids.insert(j["meta"]["audit_id"].get<std::int64_t>());
      } else if (r.status == 503 && j["error"]["code"] == "unavailable") {
        ++load.unavailable;
      } else {
        ++load.other;
        std::lock_guard lk(load.mu);
        load.odd.push_back(std::to_string(r.status) + " " + r.body);
      }
    }
  };
  auto wait_for_ok = [&](int more, int seconds) {
    int target = load.ok + more;
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (load.ok < target && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return load.ok >= target;
  };
  std::vector<std::thread> clients;
  for (int i = 0; i < 3; ++i) clients.emplace_back(client, i);
  EXPECT_TRUE(wait_for_ok(20, 30)) << "the server answers under load";

  // Connections dropped mid-transaction: every backend of the server, from another connection.
  int terminated = 0, kill_rounds = 0;
  auto admin = store_detail::open_postgres(cluster.url());
  ASSERT_TRUE(admin.ok()) << admin.error().message;
  for (int round = 0; round < 5; ++round) {
    auto r = (*admin)->query(
        "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE pid <> pg_backend_pid() AND datname = current_database() AND backend_type = 'client backend') "
        "t");
    ASSERT_TRUE(r.ok()) << r.error().message;
    terminated += static_cast<int>(store_detail::col_int((*r)[0], 0));
    ++kill_rounds;
    EXPECT_TRUE(wait_for_ok(10, 30)) << "the server recovers after its connections were killed";
  }
  admin->reset();
  const int unavailable_after_kills = load.unavailable;

  // PostgreSQL restarted under load: 503 meanwhile, answers again afterwards.
  const int before_restart = load.unavailable;
  ASSERT_TRUE(cluster.restart());
  EXPECT_TRUE(wait_for_ok(20, 60)) << "the server recovers after PostgreSQL restarted";
  const int unavailable_in_restart = load.unavailable - before_restart;
  load.stop = true;
  for (auto& t : clients) t.join();

  std::cout << "[ faults   ] PostgreSQL under a server: faults injected: pg_terminate_backend=" << terminated
            << " (in " << kill_rounds << " rounds) pg_restart=1; answers: 200=" << load.ok
            << " 503=" << load.unavailable << " (" << unavailable_after_kills << " after kills, "
            << unavailable_in_restart << " during the restart) other=" << load.other << "\n";
  EXPECT_GT(terminated, 0);
  EXPECT_GT(unavailable_in_restart, 0) << "the restart was seen as 503 answers";
  EXPECT_EQ(load.other, 0) << (load.odd.empty() ? "" : load.odd.front());

  // Every answer a client received has its record, and the chain verifies.
  StoreOptions o;
  o.location = cluster.url();
  o.clock = [] { return std::chrono::system_clock::now(); };
  auto store = Store::open(o);
  ASSERT_TRUE(store.ok()) << store.error().message;
  for (auto id : load.audit_ids) {
    auto rec = (*store)->record(id);
    ASSERT_TRUE(rec.ok()) << "answer with audit_id " << id << " has no record";
    EXPECT_EQ(rec->action, "screen");
  }
  auto v = (*store)->verify();
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_TRUE(v->ok) << v->message;
  auto cli = run_cli(api.home, {"--store", cluster.url(), "audit", "verify"});
  EXPECT_EQ(cli.status, 0) << cli.out << cli.err;
  api.server->stop(SIGTERM);
}

}  // namespace
}  // namespace clearance::testing
