// Faults in the store's IO (issue 17 item 3), injected through the Env seam: the store's SQLite
// files and its chain-head file are read and written through StoreOptions::env (a FaultEnv), so a
// full disk, a short write, a failed write, fsync, read or truncate hits the real SQLite pager and
// the real chain-head code at every step of an audit append and of a case decision. After each
// fault: the error names the file and the failed call, the record that failed is not on the trail
// (no half record), the store keeps working once the fault is gone, and the chain verifies, also
// after a restart.
#include <gtest/gtest.h>

#include <iostream>
#include <map>

#include "clearance/store/store.hpp"
#include "store/store_test_support.hpp"
#include "support/fault_env.hpp"

namespace clearance {
namespace {

using namespace clearance::testing;

// Every way the store's IO can fail (writes three ways: EIO, ENOSPC with nothing written, half
// written then ENOSPC).
constexpr Fault kStoreFaults[] = {Fault::kNoSpace, Fault::kShortWrite, Fault::kWrite,
                                  Fault::kSync,    Fault::kRead,       Fault::kTruncate};
// Faults per kind tried at most (the first calls of an operation; later ones are the same steps).
constexpr int kMaxPerKind = 10;

// A SQLite store in a directory of its own, opened through an Env.
struct SqliteStore {
  StoreTempDir dir;
  FakeClock clock;
  StoreOptions options(Env* env) const {
    StoreOptions o;
    o.location = "sqlite:" + dir.file("store.sqlite");
    o.clock = clock.clock();
    o.env = env;
    return o;
  }
  std::unique_ptr<Store> open(Env* env) const {
    auto s = Store::open(options(env));
    EXPECT_TRUE(s.ok()) << s.error().message;
    return s ? std::move(*s) : nullptr;
  }
};

RecordDraft draft(int i, const std::string& action = "screen") {
  RecordDraft d;
  d.caller = "tester";
  d.action = action;
  d.inputs = {{"name", "Party " + std::to_string(i)}};
  d.result = {{"hits", nlohmann::json::array()}};
  return d;
}

// Verifies the chain and returns how many records it holds (-1 when it does not verify).
std::int64_t verified_records(Store& s) {
  auto v = s.verify();
  EXPECT_TRUE(v.ok()) << v.error().message;
  if (!v) return -1;
  EXPECT_TRUE(v->ok) << v->message;
  return v->ok ? v->records : -1;
}

// How many calls of each kind `op` makes on a store already holding a few records.
template <class Setup, class Op>
std::map<Fault, int> probe(Setup setup, Op op) {
  SqliteStore home;
  FaultEnv env;
  auto s = home.open(&env);
  auto ctx = setup(*s);
  env.reset_counts();
  op(*s, ctx);
  std::map<Fault, int> calls;
  for (Fault k : kStoreFaults) calls[k] = env.calls(k);
  return calls;
}

// Runs f(kind, n, what) for each of the first kMaxPerKind calls of each kind the probe counted.
template <class F>
void each_fault(std::map<Fault, int>& calls, F f) {
  for (Fault kind : kStoreFaults)
    for (int n = 1; n <= std::min(calls[kind], kMaxPerKind); ++n)
      f(kind, n, std::string(fault_name(kind)) + " #" + std::to_string(n));
}

TEST(StoreFaults, EveryIoStepOfAnAuditAppendFailsOnceAndTheChainSurvives) {
  auto setup = [](Store& s) {
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(s.append(draft(i)).ok());
    return 0;
  };
  auto calls = probe(setup, [](Store& s, int) { EXPECT_TRUE(s.append(draft(99)).ok()); });
  EXPECT_GT(calls[Fault::kWrite], 0);
  EXPECT_GT(calls[Fault::kSync], 0);
  FaultTally tally;
  int committed_but_unsynced = 0;
  each_fault(calls, [&](Fault kind, int n, const std::string& what) {
    SqliteStore home;
    FaultEnv env;
    auto s = home.open(&env);
    ASSERT_TRUE(s);
    setup(*s);
    env.reset_counts();
    env.fail_nth(kind, n);
    auto r = s->append(draft(99));
    env.clear();
    if (env.injected(kind) == 0) return;  // this append made fewer calls than the probe's
    tally.add(env);
    ASSERT_FALSE(r.ok()) << what << ": an injected fault went unreported";
    EXPECT_NE(r.error().message.find("injected fault"), std::string::npos)
        << what << ": " << r.error().message;
    EXPECT_NE(r.error().message.find(home.dir.path()), std::string::npos)
        << what << ": the error names the file: " << r.error().message;
    // Only a failure of the chain-head file, after the commit, leaves the record on the trail
    // (and says so); any other failure leaves no trace of it.
    bool committed = r.error().message.find("were committed") != std::string::npos;
    committed_but_unsynced += committed;
    auto head = s->head();
    ASSERT_TRUE(head.ok()) << what << ": " << head.error().message;
    EXPECT_EQ(head->seq, committed ? 4 : 3) << what << ": " << r.error().message;
    // The same after a restart straight away (SQLite's recovery reads the WAL again).
    s.reset();
    s = home.open(&env);
    ASSERT_TRUE(s);
    head = s->head();
    ASSERT_TRUE(head.ok()) << what << ": " << head.error().message;
    EXPECT_EQ(head->seq, committed ? 4 : 3) << what << " after a restart: " << r.error().message;
    // The store goes on once the disk is back, and the chain verifies, also after a restart.
    auto next = s->append(draft(100));
    ASSERT_TRUE(next.ok()) << what << ": " << next.error().message;
    EXPECT_EQ(verified_records(*s), next->seq) << what;
    s.reset();
    auto reopened = home.open(nullptr);
    ASSERT_TRUE(reopened);
    EXPECT_EQ(verified_records(*reopened), next->seq) << what;
  });
  std::cout << "[ faults   ] audit append (SQLite): " << tally.line()
            << " (committed, chain-head file failed: " << committed_but_unsynced << ")\n";
  EXPECT_GT(tally.of(Fault::kNoSpace), 0);
  EXPECT_GT(tally.of(Fault::kShortWrite), 0);
  EXPECT_GT(tally.of(Fault::kSync), 0);
}

TEST(StoreFaults, ACaseDecisionThatCannotBeWrittenIsNotMade) {
  auto setup = [](Store& s) {
    ReviewHit hit{"E-1", "hash-of-entry-1", "us-csl", "Example Trading Co", 0.93};
    auto marks = s.review("customer:C-1", "Example Trading", {hit}, "alice");
    EXPECT_TRUE(marks.ok()) << marks.error().message;
    return marks && !marks->empty() ? (*marks)[0].case_id : std::int64_t{0};
  };
  auto decide = [](Store& s, std::int64_t id) {
    return s.decide(id, CaseDecision::kFalsePositive, "different company", "bob");
  };
  auto calls = probe(setup, [&](Store& s, std::int64_t id) { EXPECT_TRUE(decide(s, id).ok()); });
  FaultTally tally;
  each_fault(calls, [&](Fault kind, int n, const std::string& what) {
    SqliteStore home;
    FaultEnv env;
    auto s = home.open(&env);
    ASSERT_TRUE(s);
    auto id = setup(*s);
    ASSERT_GT(id, 0);
    auto before = s->head();
    ASSERT_TRUE(before.ok());
    env.reset_counts();
    env.fail_nth(kind, n);
    auto r = decide(*s, id);
    env.clear();
    if (env.injected(kind) == 0) return;
    tally.add(env);
    ASSERT_FALSE(r.ok()) << what << ": an injected fault went unreported";
    EXPECT_NE(r.error().message.find("injected fault"), std::string::npos)
        << what << ": " << r.error().message;
    bool committed = r.error().message.find("were committed") != std::string::npos;
    auto c = s->get_case(id);
    ASSERT_TRUE(c.ok()) << what;
    auto head = s->head();
    ASSERT_TRUE(head.ok());
    if (committed) {
      // Decided and recorded together; only the chain-head file lags (and the error says so).
      EXPECT_EQ(c->status, CaseStatus::kDecided) << what;
      EXPECT_EQ(head->seq, before->seq + 1) << what;
    } else {
      // Not decided, and no case.decide record: the change and its record go together.
      EXPECT_EQ(c->status, CaseStatus::kOpen) << what << ": " << r.error().message;
      EXPECT_EQ(head->seq, before->seq) << what;
      auto again = decide(*s, id);
      ASSERT_TRUE(again.ok()) << what << ": " << again.error().message;
      EXPECT_EQ(again->status, CaseStatus::kDecided);
    }
    s.reset();
    auto reopened = home.open(nullptr);
    ASSERT_TRUE(reopened);
    EXPECT_GT(verified_records(*reopened), 0) << what;
  });
  std::cout << "[ faults   ] case decision (SQLite): " << tally.line() << "\n";
  EXPECT_GT(tally.of(Fault::kWrite), 0);
  EXPECT_GT(tally.of(Fault::kSync), 0);
}

// A store whose disk stays full: every append fails (naming the file) and none is half there;
// when space comes back the next append continues the same chain.
TEST(StoreFaults, ADiskThatStaysFullFailsEveryAppendUntilSpaceComesBack) {
  SqliteStore home;
  FaultEnv env;
  auto s = home.open(&env);
  ASSERT_TRUE(s);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(s->append(draft(i)).ok());
  env.fail_always(Fault::kNoSpace);
  for (int i = 0; i < 5; ++i) {
    auto r = s->append(draft(10 + i));
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("No space left on device"), std::string::npos) << r.error().message;
  }
  FaultTally tally;
  tally.add(env);
  env.clear();
  auto r = s->append(draft(20));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->seq, 6);
  EXPECT_EQ(verified_records(*s), 6);
  std::cout << "[ faults   ] full disk (SQLite): " << tally.line() << "\n";
}

}  // namespace
}  // namespace clearance
