// Schema versions: a store written at version 1 (tests/store/fixtures/store-v1.sql holds the rows a
// version-1 store wrote: records, a redaction, a case) opens, migrates to the current version and
// still verifies; a store written by a newer Clearance is refused with a clear error.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "store/store_test_support.hpp"
#include "support/paths.hpp"

namespace clearance {
namespace {

using namespace clearance::testing;

using MigrationTest = StoreTest;
STORE_BACKENDS(MigrationTest);

std::string fixture(const std::string& name) {
  std::ifstream in(support_dir() + "/../store/fixtures/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST_P(MigrationTest, OpensAVersion1StoreWrittenByAFixtureAndMigratesIt) {
  auto o = options();
  o.create_schema_version = 1;
  {
    auto v1 = open(o);
    ASSERT_TRUE(v1);
    EXPECT_EQ(*v1->schema_version(), 1);
  }
  auto sql = fixture("store-v1.sql");
  ASSERT_FALSE(sql.empty());
  {
    auto c = raw();
    ASSERT_TRUE(c);
    auto st = c->exec(sql);
    ASSERT_TRUE(st.ok()) << st.error().message;
    if (pg())  // explicit ids do not move PostgreSQL's identity sequence
      ASSERT_TRUE(
          c->exec("SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases))").ok());
    auto t = c->query(pg() ? "SELECT to_regclass('settings') IS NULL"
                           : "SELECT count(*) = 0 FROM sqlite_master WHERE name = 'settings'",
                      {});
    ASSERT_TRUE(t.ok());
    EXPECT_TRUE(store_detail::col((*t)[0], 0) == "t" || store_detail::col((*t)[0], 0) == "1");
  }

  auto store = open();  // the current version: migrates
  ASSERT_TRUE(store);
  EXPECT_EQ(*store->schema_version(), kStoreSchemaVersion);
  auto rep = store->verify();
  ASSERT_TRUE(rep.ok()) << rep.error().message;
  EXPECT_TRUE(rep->ok) << rep->message;
  EXPECT_EQ(rep->records, 5);
  EXPECT_EQ(rep->redacted, std::vector<std::int64_t>{1});
  // The v2 settings table works: default policy, then four-eyes on, itself recorded.
  auto p = store->policy();
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_FALSE(p->require_approval);
  ASSERT_TRUE(store->set_policy({true, 365}, "admin").ok());
  auto cases = store->cases();
  ASSERT_TRUE(cases.ok());
  ASSERT_EQ(cases->size(), 1u);
  EXPECT_EQ((*cases)[0].status, CaseStatus::kDecided);
  EXPECT_EQ((*cases)[0].decision, CaseDecision::kFalsePositive);
  // A new case opens after the fixture's (ids continue).
  Party q;
  q.id = "NEW-1";
  auto m = store->review("customer:C-2", "New", {{q.id, entry_content_hash(q), "L", "New", 0.9}}, "alice");
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_GT((*m)[0].case_id, (*cases)[0].id);
  rep = store->verify();
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->ok) << rep->message;
  EXPECT_EQ(rep->records, 6);
}

TEST_P(MigrationTest, AStoreFromANewerVersionIsRefused) {
  { ASSERT_TRUE(open()); }
  {
    auto c = raw();
    ASSERT_TRUE(c->query("UPDATE meta SET value = '99' WHERE key = 'schema_version'", {}).ok());
  }
  auto s = Store::open(options());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("newer Clearance (schema version 99"), std::string::npos)
      << s.error().message;
}

TEST_P(MigrationTest, ADatabaseThatIsNotAStoreIsRefused) {
  {
    auto c = raw();
    ASSERT_TRUE(c->exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)").ok());
  }
  auto s = Store::open(options());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("not a Clearance store"), std::string::npos) << s.error().message;
}

}  // namespace
}  // namespace clearance
