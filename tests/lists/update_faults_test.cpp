// Faults during `lists update` (issue 17 item 3): a real HTTP server (tests/support/list_server.py)
// serves two versions of a small CSL list; the second is fetched into a data home whose IO goes
// through a FaultEnv, failing each write, fsync, rename, read and lock step of the update once in
// turn (a full disk, a short write, …). After each fault the previous snapshot is still in force
// and the report says what failed naming the file — or, for a fault after the switch (saving the
// download validators, retention), the new snapshot is in force and a note says what failed — and
// the next update succeeds leaving no temporary file behind.
//
// Regression: a fault after the switch made update_lists() return an error, so `lists update`
// reported a failed update (and the server kept serving the old lists) while the new list was in
// force in the home.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>

#include "clearance/lists/update.hpp"
#include "lists/lists_test_support.hpp"
#include "support/fault_env.hpp"
#include "support/list_server.hpp"
#include "support/temp_dir.hpp"

namespace clearance {
namespace {

using namespace clearance::testing;
namespace fs = std::filesystem;

class UpdateFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_.file("www/v1/csl.csv", csl_file(6, "Alpha Trading"));
    tmp_.file("www/v2/csl.csv", csl_file(6, "Beta Trading"));
    server_ = std::make_unique<ListServer>(tmp_.path("www"));
    ASSERT_GT(server_->port(), 0) << "the test HTTP server (python3) did not start";
    config_.file = "test-config";
    config_.retries = 0;
    config_.timeout_ms = 5000;
    config_.connect_timeout_ms = 2000;
    for (std::string v : {"v1", "v2"}) {
      ListSource s;
      s.name = v;
      s.url = server_->url(v + "/csl.csv");
      s.file_name = "csl.csv";
      s.format = "csl-csv";
      s.list = "watched";
      config_.sources.push_back(s);
    }
  }

  // Runs one source's update into home through env.
  Result<UpdateReport> update(const std::string& home, Env* env, const std::string& source) {
    UpdateContext ctx;
    ctx.now = "2026-09-01T00:00:0" + std::to_string(++tick_ % 10) + "Z";
    return update_lists(ListStore(home, env ? env : Env::Default()), countries(), config_, {source},
                        *fetcher_, ctx);
  }
  // A home with v1 in force; returns its snapshot id.
  std::string home_with_v1(const std::string& home) {
    auto r = update(home, nullptr, "v1");
    EXPECT_TRUE(r.ok() && r->ok()) << (r ? r->sources[0].message : r.error().message);
    return r ? r->sources[0].snapshot.id : "";
  }
  static std::string in_force(const std::string& home) {
    auto l = ListStore(home).list();
    EXPECT_TRUE(l.ok()) << l.error().message;
    if (l)
      for (auto& i : *l)
        if (i.name == "watched") return i.id;
    return "";
  }

  TempDir tmp_;
  std::unique_ptr<ListServer> server_;
  UpdateConfig config_;
  std::unique_ptr<Fetcher> fetcher_ = make_curl_fetcher();
  int tick_ = 0;
};

TEST_F(UpdateFaults, EveryIoStepOfAnUpdateFailsOnceAndThePreviousSnapshotStaysInForce) {
  std::vector<Fault> kinds(std::begin(kWriteFaults), std::end(kWriteFaults));
  kinds.insert(kinds.end(), {Fault::kOpenRead, Fault::kRead});
  // How many calls of each kind an update of a home holding v1 makes.
  FaultEnv counting;
  {
    std::string home = tmp_.path("probe");
    home_with_v1(home);
    auto r = update(home, &counting, "v2");
    ASSERT_TRUE(r.ok() && r->ok()) << (r ? r->sources[0].message : r.error().message);
    ASSERT_EQ(r->sources[0].outcome, UpdateOutcome::kUpdated);
  }
  FaultTally tally;
  int round = 0;
  for (Fault kind : kinds) {
    for (int n = 1; n <= counting.calls(kind); ++n) {
      const std::string what = std::string(fault_name(kind)) + " #" + std::to_string(n);
      std::string home = tmp_.path("home" + std::to_string(++round));
      const std::string v1 = home_with_v1(home);
      FaultEnv env;
      env.fail_nth(kind, n);
      auto r = update(home, &env, "v2");
      ASSERT_EQ(env.injected(kind), 1) << what;
      tally.add(env);
      std::string message = r ? r->sources[0].message : r.error().message;
      bool failed = !r || !r->ok();
      std::string now = in_force(home);
      std::string notes;
      if (r)
        for (auto& n : r->sources[0].notes) notes += n + "\n";
      if (!failed) {
        // The update succeeded: v2 is in force, and a fault after the switch (saving the download
        // validators, retention) is a note naming the file. Only a read of the validators may fail
        // unnoticed: the update then downloads in full, which it did.
        EXPECT_NE(now, v1) << what;
        if (notes.find("injected fault") == std::string::npos)
          EXPECT_TRUE((kind == Fault::kRead || kind == Fault::kOpenRead) && notes.empty())
              << what << ": an injected fault went unreported: " << notes;
        else
          EXPECT_NE(notes.find(home), std::string::npos) << what << ": " << notes;
      } else if (now != v1) {
        // Only a failure after the switch (the final directory fsync) may leave v2 in force, complete.
        EXPECT_EQ(kind, Fault::kSyncDir) << what << ": " << message;
      } else {
        EXPECT_NE(message.find("injected fault"), std::string::npos) << what << ": " << message;
        EXPECT_NE(message.find(home), std::string::npos)
            << what << ": the message names the file: " << message;
      }
      // The next update succeeds and leaves no temporary file.
      auto again = update(home, nullptr, "v2");
      ASSERT_TRUE(again.ok()) << what << ": " << again.error().message;
      EXPECT_TRUE(again->ok()) << what << ": " << again->sources[0].message;
      EXPECT_NE(in_force(home), v1) << what;
      for (auto& e : fs::recursive_directory_iterator(home))
        EXPECT_NE(e.path().extension(), ".tmp") << what << ": " << e.path();
      fs::remove_all(home);
    }
  }
  std::cout << "[ faults   ] lists update: " << tally.line() << "\n";
  EXPECT_GT(tally.of(Fault::kNoSpace), 0);
  EXPECT_GT(tally.of(Fault::kShortWrite), 0);
  EXPECT_GT(tally.of(Fault::kSync), 0);
  EXPECT_GT(tally.of(Fault::kRename), 0);
  EXPECT_GT(tally.of(Fault::kRead), 0);
}

}  // namespace
}  // namespace clearance
