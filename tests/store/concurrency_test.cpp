// Several processes appending to one store at once form one valid chain: 4 processes × 10,000
// records on PostgreSQL (the chain head is a row lock inside each transaction), 4 × 500 on SQLite
// (its write lock; every commit there is a real fsync, so fewer).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <thread>

#include "store/store_test_support.hpp"

namespace clearance {
namespace {

using namespace clearance::testing;

using ConcurrentAppendTest = StoreTest;
STORE_BACKENDS(ConcurrentAppendTest);

// In a forked child: appends `count` records from 16 threads, then exits (never returns).
[[noreturn]] void append_in_child(StoreOptions o, int process, int count) {
  int rc = 0;
  {
    auto s = Store::open(o);
    if (!s) _exit(10);
    std::atomic<int> bad{0};
    std::vector<std::thread> threads;
    constexpr int kThreads = 16;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        for (int i = t; i < count; i += kThreads) {
          RecordDraft d;
          d.caller = "process-" + std::to_string(process);
          d.action = "screen";
          d.inputs = {{"name", "Party " + std::to_string(i)}};
          d.result = {{"hits", nlohmann::json::array()}};
          if (!(*s)->append(std::move(d)).ok()) ++bad;
        }
      });
    for (auto& t : threads) t.join();
    rc = bad ? 11 : 0;
  }
  _exit(rc);
}

TEST_P(ConcurrentAppendTest, FourProcessesAppendingAtOnceFormOneValidChain) {
  const int per = pg() ? 10000 : 500;
  {
    auto s = open();  // create the schema before the children race to
    ASSERT_TRUE(s);
  }
  std::vector<pid_t> children;
  for (int p = 0; p < 4; ++p) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) append_in_child(options(), p, per);
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child exit status " << status;
  }
  auto store = open();
  ASSERT_TRUE(store);
  auto rep = store->verify();
  ASSERT_TRUE(rep.ok()) << rep.error().message;
  EXPECT_TRUE(rep->ok) << rep->message;
  EXPECT_EQ(rep->records, 4 * per);
  ASSERT_TRUE(rep->head_file.has_value());
  EXPECT_EQ(rep->head_file->seq, 4 * per);  // the file never moved backwards
  std::map<std::string, int> by_caller;
  ASSERT_TRUE(store
                  ->scan({},
                         [&](const Record& r) {
                           ++by_caller[r.caller];
                           return true;
                         })
                  .ok());
  ASSERT_EQ(by_caller.size(), 4u);
  for (const auto& [caller, n] : by_caller) EXPECT_EQ(n, per) << caller;
}

}  // namespace
}  // namespace clearance
