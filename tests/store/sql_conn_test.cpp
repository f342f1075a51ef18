// Two regressions in the store's SQL, found by reading the code: the published lists were matched
// with LIKE (whose '_' matches any character), and the SQLite statement cache, once full, freed a
// statement that an outer each() was still stepping through.
#include <gtest/gtest.h>

#include "store/store_test_support.hpp"

namespace clearance::testing {
namespace {

using PublishedListsTest = StoreTest;
STORE_BACKENDS(PublishedListsTest);

// published_lists() read `key LIKE 'lists_in_force/%'`: a setting named 'listsXin-force/…' came
// back as a list in force.
TEST_P(PublishedListsTest, OnlyTheirOwnSettingsAreListsInForce) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->publish_lists({{"us-csl", "0123456789abcdef01234567"}}).ok());
  auto c = raw();
  ASSERT_TRUE(c);
  ASSERT_TRUE(
      c->exec("INSERT INTO settings (key, value) VALUES ('listsXin-force/us-csl', 'not-a-snapshot')").ok());
  auto p = store->published_lists();
  ASSERT_TRUE(p.ok()) << p.error().message;
  ASSERT_EQ(p->size(), 1u);
  EXPECT_EQ((*p)[0].name, "us-csl");
  EXPECT_EQ((*p)[0].id, "0123456789abcdef01234567");
}

// A query run from an each() callback that fills the statement cache (multi-row inserts of every
// size do) cleared the cache, finalizing the statement each() was stepping: the rows after it were
// read from freed memory (the ASan job reports it; here the rows come back wrong or not at all).
TEST(SqliteConn, AQueryFromAnEachCallbackLeavesTheOuterStatementAlone) {
  StoreTempDir dir;
  auto c = store_detail::open_sqlite(dir.file("cache.sqlite"));
  ASSERT_TRUE(c.ok()) << c.error().message;
  auto& conn = **c;
  ASSERT_TRUE(conn.exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3)").ok());
  std::vector<std::int64_t> seen;
  int inner = 0;
  auto st = conn.each("SELECT x FROM t ORDER BY x", {}, [&](const store_detail::SqlRow& row) {
    seen.push_back(store_detail::col_int(row, 0));
    for (int k = 0; k < 300; ++k) {  // more distinct statements than the cache keeps
      auto r = conn.query("SELECT " + std::to_string(inner++) + " + x FROM t LIMIT 1");
      EXPECT_TRUE(r.ok()) << r.error().message;
    }
    return true;
  });
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(seen, (std::vector<std::int64_t>{1, 2, 3}));
}

}  // namespace
}  // namespace clearance::testing
