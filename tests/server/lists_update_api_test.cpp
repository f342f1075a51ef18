// `clearance serve` picks up new lists without downtime (issue 15, item 4), against the real
// server and a real HTTP list server (tests/support/list_server.py) serving a real list
// (../shared/data: MOFCOM's export control list): POST /v1/lists/update runs `lists update`'s own
// library path, switches atomically, and is on the record; under wrk load, 20 swaps fail no
// request and every answer names the snapshot it used; a failed or held-back update leaves the
// lists in force; --update-every updates on the server's own timer. One server for the suite.
#include <gtest/gtest.h>

#include <set>

#include "server/server_support.hpp"
#include "support/list_server.hpp"
#include "test_support.hpp"

namespace clearance::testing {
namespace {

constexpr char kList[] = "data/cn/cn_mofcom_export_control_list.ftm.json";

// The list as served: the entities of the real file that have a name (the few without one are
// bad rows), less the lines `drop` names: each version a different snapshot, so every update
// really changes what is in force.
std::vector<std::string> list_lines() {
  std::vector<std::string> out;
  std::istringstream in(slurp(shared_path(kList)));
  for (std::string line; std::getline(in, line);) {
    auto e = nlohmann::json::parse(line, nullptr, false);
    if (e.is_object() && e["properties"].contains("name")) out.push_back(line);
  }
  return out;
}
std::vector<size_t> party_lines(const std::vector<std::string>& lines) {
  std::vector<size_t> out(lines.size());
  for (size_t k = 0; k < lines.size(); ++k) out[k] = k;
  return out;
}
void serve_version(const std::string& path, const std::vector<std::string>& lines,
                   const std::set<size_t>& drop) {
  std::string text;
  for (size_t k = 0; k < lines.size(); ++k)
    if (!drop.count(k)) text += lines[k] + "\n";
  std::ofstream(path + ".tmp") << text;
  fs::rename(path + ".tmp", path);  // the list server never sees half a file
}

std::string sources_yaml(int port, const std::string& file) {
  return "defaults:\n  timeout_seconds: 10\n  connect_timeout_seconds: 2\n  retries: 0\n"
         "sources:\n"
         "  - name: ecl\n    url: http://127.0.0.1:" +
         std::to_string(port) + "/" + file +
         "\n    format: ftm-json\n    list: cn-ecl\n"
         "  - name: missing\n    url: http://127.0.0.1:" +
         std::to_string(port) +
         "/no-such-file.json\n    format: ftm-json\n    list: cn-missing\n    default: false\n";
}

class ListsUpdateApi : public ApiSuite<ListsUpdateApi> {
 public:
  static ApiServer* start() {
    root_ = new std::string(temp_home("lists-update-root"));
    lines_ = new std::vector<std::string>(list_lines());
    if (!lines_->empty()) serve_version(*root_ + "/ecl.ftm.json", *lines_, {});
    list_server_ = new ListServer(*root_);
    auto* api = new ApiServer("lists-update-api", {"--threads", "2", "--workers", "8", "--rate-limit", "0"});
    std::ofstream(api->home + "/sources.yaml") << sources_yaml(list_server_->port(), "ecl.ftm.json");
    return api;
  }
  static void TearDownTestSuite() {
    ApiSuite<ListsUpdateApi>::TearDownTestSuite();
    delete list_server_;
    delete lines_;
    delete root_;
  }

 protected:
  void SetUp() override {
    ApiSuite<ListsUpdateApi>::SetUp();
    if (lines_->empty()) GTEST_SKIP() << "../shared/" << kList << " is absent";
    ASSERT_GT(list_server_->port(), 0);
  }
  static HttpResult update(const std::string& body = "", const std::string& role = "admin") {
    return api_->post("/v1/lists/update", body, role);
  }
  static inline std::string* root_ = nullptr;
  static inline std::vector<std::string>* lines_ = nullptr;
  static inline ListServer* list_server_ = nullptr;
};

// Runs wrk against the server for `seconds` with the test's script; returns its JSON line.
struct Wrk {
  pid_t pid = -1;
  std::string out;
  Wrk(int port, const std::string& key, const std::string& bodies, int seconds, const std::string& dir) {
    out = dir + "/wrk.out";
    pid = ::fork();
    if (pid == 0) {
      ::setenv("KEY", key.c_str(), 1);
      ::setenv("BODIES", bodies.c_str(), 1);
      FILE* o = std::freopen(out.c_str(), "w", stdout);
      FILE* e = std::freopen((dir + "/wrk.err").c_str(), "w", stderr);
      (void)o;
      (void)e;
      std::string script = source_dir() + "/tests/server/swap_load.lua";
      std::string d = std::to_string(seconds) + "s";
      std::string url = "http://127.0.0.1:" + std::to_string(port);
      ::execlp("wrk", "wrk", "-t2", "-c16", "-d", d.c_str(), "--timeout", "10s", "-s", script.c_str(),
               url.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  nlohmann::json wait() {
    int st = 0;
    ::waitpid(pid, &st, 0);
    std::string text = slurp(out);
    auto line = text.rfind("{\"requests\"");
    return line == std::string::npos ? nlohmann::json()
                                     : nlohmann::json::parse(text.substr(line), nullptr, false);
  }
};

bool have_wrk() { return std::system("command -v wrk >/dev/null 2>&1") == 0; }

// The done-when of item 4: a server under wrk load swaps snapshots 20 times with no failed
// request; each swap names a new snapshot, every answer names the snapshot it used.
TEST_F(ListsUpdateApi, TwentySwapsUnderLoadFailNoRequest) {
  if (!have_wrk()) GTEST_SKIP() << "wrk is absent (make deps installs it)";
  auto first = update();
  keep("POST", "/v1/lists/update", first);
  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(first.json()["sources"][0]["outcome"], "updated") << first.body;
  std::string snapshot = first.header("x-clearance-snapshots");
  ASSERT_FALSE(snapshot.empty());

  // Screening bodies: names of the list (hits) and others.
  std::string bodies = api_->home + "/bodies.jsonl";
  {
    std::ofstream b(bodies);
    for (auto* n : {"Huawei Technologies", "John Smith", "Acme Trading Ltd"})
      b << nlohmann::json{{"name", n}}.dump() << "\n";
    for (size_t k : party_lines(*lines_)) {
      auto e = nlohmann::json::parse((*lines_)[k]);
      if (e["properties"].contains("name"))
        b << nlohmann::json{{"name", e["properties"]["name"][0]}}.dump() << "\n";
    }
  }
  auto parties = party_lines(*lines_);
  ASSERT_GE(parties.size(), 25u);
  Wrk wrk(api_->server->port(), api_->keys.at("viewer"), bodies, 12, api_->home);
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  std::set<std::string> served = {snapshot};
  int swaps = 0;
  HttpClient screen(api_->server->port());
  for (int k = 1; k <= 20; ++k) {
    // Each version lacks a different party: a new snapshot every time, well inside max_drop.
    serve_version(*root_ + "/ecl.ftm.json", *lines_, {parties[static_cast<size_t>(k)]});
    auto r = update();
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.json();
    EXPECT_EQ(j["ok"], true) << r.body;
    EXPECT_EQ(j["switched"], true) << r.body;
    EXPECT_EQ(j["sources"][0]["outcome"], "updated") << r.body;
    std::string now = r.header("x-clearance-snapshots");
    EXPECT_NE(now, snapshot) << "swap " << k << " did not change the snapshot";
    EXPECT_EQ(j["meta"]["snapshots"][0]["id"], now);
    // The next request is answered on the new snapshot and says so.
    auto s = screen.post("/v1/screen", R"({"name":"Huawei Technologies"})", api_->auth("viewer"));
    EXPECT_EQ(s.status, 200);
    EXPECT_EQ(s.header("x-clearance-snapshots"), now);
    swaps += now != snapshot;
    served.insert(now);
    snapshot = now;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  auto w = wrk.wait();
  ASSERT_TRUE(w.is_object()) << slurp(api_->home + "/wrk.out") << slurp(api_->home + "/wrk.err");
  std::printf("wrk during 20 swaps: %s\n", w.dump().c_str());
  EXPECT_EQ(swaps, 20);
  EXPECT_EQ(served.size(), 21u);
  EXPECT_GT(w["requests"].get<int>(), 100);
  EXPECT_EQ(w["not_2xx"], 0) << w.dump();
  EXPECT_EQ(w["errors"]["connect"], 0) << w.dump();
  EXPECT_EQ(w["errors"]["read"], 0) << w.dump();
  EXPECT_EQ(w["errors"]["write"], 0) << w.dump();
  EXPECT_EQ(w["errors"]["timeout"], 0) << w.dump();
  EXPECT_EQ(w["errors"]["status"], 0) << w.dump();
  EXPECT_EQ(w["without_snapshot_header"], 0) << w.dump();
  EXPECT_GE(w["distinct_snapshots"].get<int>(), 2) << "the load saw the swaps";

  // /metrics: each list's age, and the switches.
  auto m = api_->get("/metrics", "admin").body;
  EXPECT_NE(m.find("clearance_list_age_seconds{list=\"cn-ecl\"}"), std::string::npos) << m;
  EXPECT_NE(m.find("clearance_list_switches_total 21"), std::string::npos) << m;
}

// Every update is an audit record, by the caller, naming the snapshots in force afterwards; only
// admins may update; a failed or held-back update leaves the lists in force and says why.
TEST_F(ListsUpdateApi, FailedAndHeldBackUpdatesKeepTheListsInForceOnTheRecord) {
  serve_version(*root_ + "/ecl.ftm.json", *lines_, {});
  auto r = update(R"({"sources":["ecl"]})");
  keep("POST", "/v1/lists/update", r);
  ASSERT_EQ(r.status, 200) << r.body;
  std::string in_force = r.header("x-clearance-snapshots");
  auto j = r.json();
  ASSERT_TRUE(j["record"].is_number_integer()) << r.body;
  auto rec = api_->get("/v1/audit/" + j["record"].dump(), "auditor").json();
  EXPECT_EQ(rec["action"], "lists.update");
  EXPECT_EQ(rec["caller"], api_->key_id("admin"));

  // Unchanged: 304 from the list server, nothing switched.
  auto same = update();
  keep("POST", "/v1/lists/update", same);
  ASSERT_EQ(same.status, 200) << same.body;
  EXPECT_EQ(same.json()["sources"][0]["outcome"], "not-modified") << same.body;
  EXPECT_EQ(same.json()["switched"], false);
  EXPECT_EQ(same.header("x-clearance-snapshots"), in_force);

  // A download that drops 60% of the parties is held back.
  auto parties = party_lines(*lines_);
  std::set<size_t> drop(parties.begin(), parties.begin() + static_cast<long>(parties.size() * 6 / 10));
  serve_version(*root_ + "/ecl.ftm.json", *lines_, drop);
  auto held = update();
  keep("POST", "/v1/lists/update", held);
  ASSERT_EQ(held.status, 200) << held.body;
  EXPECT_EQ(held.json()["ok"], false);
  EXPECT_EQ(held.json()["switched"], false);
  EXPECT_EQ(held.json()["sources"][0]["outcome"], "held-back") << held.body;
  EXPECT_FALSE(held.json()["sources"][0]["message"].get<std::string>().empty());
  EXPECT_EQ(held.header("x-clearance-snapshots"), in_force);
  auto held_rec = api_->get("/v1/audit/" + held.json()["record"].dump(), "auditor").json();
  EXPECT_EQ(held_rec["action"], "lists.update");
  EXPECT_EQ(held_rec["result"]["ok"], false);

  // A source that is not there (404) fails; the list in force keeps serving.
  auto failed = update(R"({"sources":["missing"]})");
  keep("POST", "/v1/lists/update", failed);
  ASSERT_EQ(failed.status, 200) << failed.body;
  EXPECT_EQ(failed.json()["sources"][0]["outcome"], "failed") << failed.body;
  EXPECT_NE(failed.json()["sources"][0]["message"].get<std::string>().find("404"), std::string::npos)
      << failed.body;
  EXPECT_EQ(failed.header("x-clearance-snapshots"), in_force);
  auto lists = api_->get("/v1/lists", "viewer").json();
  ASSERT_EQ(lists["lists"].size(), 1u) << lists.dump();
  EXPECT_EQ(lists["lists"][0]["name"], "cn-ecl");

  // The same as a job: the update's answer is the job's result, its record the job's.
  for (const std::string role : {"viewer", "analyst", "approver"})
    expect_error(api_->post("/v1/jobs?kind=lists_update", R"({"sources":["missing"]})", role), 403,
                 "forbidden");
  auto job = api_->post("/v1/jobs?kind=lists_update", R"({"sources":["missing"]})", "admin");
  keep("POST", "/v1/jobs", job);
  ASSERT_EQ(job.status, 202) << job.body;
  EXPECT_EQ(job.json()["kind"], "lists_update");
  const std::string job_path = "/v1/jobs/" + job.json()["id"].get<std::string>();
  nlohmann::json shown;
  for (int i = 0; i < 200; ++i) {
    shown = api_->get(job_path, "admin").json();
    if (shown["status"] == "done" || shown["status"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(shown["status"], "done") << shown.dump();
  auto result = api_->get(job_path + "/result", "admin");
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.json()["sources"][0]["outcome"], "failed") << result.body;
  EXPECT_EQ(result.json()["meta"]["snapshots"][0]["id"], in_force) << result.body;
  ASSERT_TRUE(shown["audit_id"].is_number_integer()) << shown.dump();
  EXPECT_EQ(api_->get("/v1/audit/" + shown["audit_id"].dump(), "auditor").json()["action"], "lists.update");

  // Bad requests and other roles.
  auto unknown = update(R"({"sources":["no-such-source"]})");
  keep("POST", "/v1/lists/update", unknown);
  expect_error(unknown, 400, "invalid_field", "sources");
  EXPECT_NE(unknown.json()["error"]["message"].get<std::string>().find("no-such-source"), std::string::npos);
  auto bad = update(R"({"source":"ecl"})");
  keep("POST", "/v1/lists/update", bad);
  expect_error(bad, 400, "unknown_field", "source");
  for (const std::string role : {"viewer", "analyst", "approver", "auditor"})
    expect_error(update("", role), 403, "forbidden");
}

// --update-every: a bad duration is refused at start; a good one updates on the server's timer.
TEST(ListsUpdateEvery, RefusesABadDurationAndUpdatesOnItsTimer) {
  std::string home = temp_home("update-every");
  for (const std::string bad : {"6x", "h", "0s", "-1h", "1.5"}) {
    auto r = run_cli(home, {"serve", "--listen", "127.0.0.1:0", "--update-every", bad});
    EXPECT_EQ(r.status, 2) << bad << ": " << r.err;
    EXPECT_NE(r.err.find("--update-every"), std::string::npos) << r.err;
  }
  if (!have_shared(kList)) GTEST_SKIP() << "../shared/" << kList << " is absent";
  std::string root = temp_home("update-every-root");
  serve_version(root + "/ecl.ftm.json", list_lines(), {});
  ListServer lists(root);
  ASSERT_GT(lists.port(), 0);
  std::ofstream(home + "/sources.yaml") << sources_yaml(lists.port(), "ecl.ftm.json");
  auto key = run_cli(home, {"keys", "create", "--name", "v", "--role", "viewer"});
  ASSERT_EQ(key.status, 0) << key.err;
  ServerProcess server(home, {"--threads", "1", "--update-every", "1s"});
  ASSERT_TRUE(server.running()) << server.stderr_text();
  HttpClient c(server.port());
  std::string in_force;
  for (int i = 0; i < 100 && in_force != "cn-ecl"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto l = c.get("/v1/lists", {{"Authorization", "Bearer " + trimmed(key.out)}}).json();
    if (l.is_object() && l["lists"].size() == 1) in_force = l["lists"][0]["name"];
  }
  EXPECT_EQ(in_force, "cn-ecl") << server.log();
  EXPECT_NE(server.log().find("\"caller\":\"serve --update-every\""), std::string::npos) << server.log();
}

}  // namespace
}  // namespace clearance::testing
