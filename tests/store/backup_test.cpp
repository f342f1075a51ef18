// Backup while the store is in use, restore, and verify afterwards (SQLite; PostgreSQL stores are
// backed up with pg_dump, which the store says when asked).
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "store/store_test_support.hpp"

namespace clearance {
namespace {

using namespace clearance::testing;

class StoreBackupTest : public ::testing::Test {
 protected:
  StoreOptions options(const std::string& path) {
    StoreOptions o;
    o.location = "sqlite:" + path;
    o.clock = clock_.clock();
    return o;
  }
  static RecordDraft draft(int i) {
    RecordDraft d;
    d.caller = "tester";
    d.action = "screen";
    d.inputs = {{"name", "Party " + std::to_string(i)}};
    return d;
  }
  StoreTempDir dir_;
  FakeClock clock_;
};

TEST_F(StoreBackupTest, OnlineBackupWhileAppendingRestoresToAVerifiedStore) {
  std::string path = dir_.file("home/store.sqlite");
  std::string backup_dir = dir_.file("backup");
  std::int64_t backed_up = 0;
  {
    auto s = Store::open(options(path));
    ASSERT_TRUE(s.ok()) << s.error().message;
    for (int i = 0; i < 50; ++i) ASSERT_TRUE((*s)->append(draft(i)).ok());
    std::atomic<bool> stop{false};
    std::thread writer([&] {
      for (int i = 0; !stop && i < 2000; ++i) ASSERT_TRUE((*s)->append(draft(1000 + i)).ok());
    });
    auto st = (*s)->backup(backup_dir);
    stop = true;
    writer.join();
    ASSERT_TRUE(st.ok()) << st.error().message;
    EXPECT_FALSE((*s)->backup(backup_dir).ok());  // never over an existing backup
    auto manifest = nlohmann::json::parse(std::ifstream(backup_dir + "/backup.json"));
    auto head = ChainHead::parse(manifest["head"].get<std::string>());
    ASSERT_TRUE(head.has_value());
    backed_up = head->seq;
    EXPECT_GE(backed_up, 50);
    EXPECT_EQ(manifest["schema_version"], kStoreSchemaVersion);
  }
  // Restore into a fresh location.
  std::string other = dir_.file("elsewhere/store.sqlite");
  auto a = Store::restore(backup_dir, options(other), "admin");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->seq, backed_up + 1);
  {
    auto s = Store::open(options(other));
    ASSERT_TRUE(s.ok());
    auto rep = (*s)->verify();
    ASSERT_TRUE(rep.ok());
    EXPECT_TRUE(rep->ok) << rep->message;
    auto r = (*s)->record(a->seq);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->action, "store.restore");
  }
  // Restore over the original, which had moved on: the head file moves back with it.
  auto b = Store::restore(backup_dir, options(path), "admin");
  ASSERT_TRUE(b.ok()) << b.error().message;
  auto s = Store::open(options(path));
  ASSERT_TRUE(s.ok());
  auto rep = (*s)->verify();
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->ok) << rep->message;
  EXPECT_EQ(rep->records, backed_up + 1);
  auto r = (*s)->record(b->seq);
  ASSERT_TRUE(r.ok());
  auto result = nlohmann::json::parse(r->result);
  EXPECT_FALSE(result["previous_head"].is_null());
}

TEST_F(StoreBackupTest, ABackupThatDoesNotVerifyIsNotRestored) {
  std::string path = dir_.file("store.sqlite");
  std::string backup_dir = dir_.file("backup");
  {
    auto s = Store::open(options(path));
    ASSERT_TRUE(s.ok());
    for (int i = 0; i < 5; ++i) ASSERT_TRUE((*s)->append(draft(i)).ok());
    ASSERT_TRUE((*s)->backup(backup_dir).ok());
  }
  {
    auto c = store_detail::open_sqlite(backup_dir + "/store.sqlite");
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE((*c)->exec("DROP TRIGGER audit_records_no_update").ok());
    ASSERT_TRUE((*c)->exec("UPDATE audit_records SET result = '{\"x\":1}' WHERE seq = 2").ok());
  }
  auto a = Store::restore(backup_dir, options(path), "admin");
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.error().message.find("does not verify"), std::string::npos) << a.error().message;
  auto s = Store::open(options(path));
  ASSERT_TRUE(s.ok());
  auto rep = (*s)->verify();
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->ok);
  EXPECT_EQ(rep->records, 5);
  EXPECT_FALSE(Store::restore(dir_.file("nothing-here"), options(path), "admin").ok());
}

TEST(StoreBackupPostgres, APostgresStorePointsToPgDump) {
  SKIP_WITHOUT_POSTGRES();
  StoreTempDir dir;
  StoreOptions o;
  o.location = PgCluster::instance().fresh_store_url();
  o.clock = FakeClock().clock();
  auto s = Store::open(o);
  ASSERT_TRUE(s.ok()) << s.error().message;
  auto st = (*s)->backup(dir.file("b"));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("pg_dump"), std::string::npos);
}

}  // namespace
}  // namespace clearance
