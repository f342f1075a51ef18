// The store suite runs once on SQLite and once on a real PostgreSQL (tests/support/pg_cluster.hpp):
// a test written against StoreTest is instantiated for both, and the PostgreSQL instances carry
// "Postgres" in their names (ctest gives them the cluster fixture).
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "clearance/store/store.hpp"
#include "store/sql.hpp"
#include "support/pg_cluster.hpp"

namespace clearance::testing {

class StoreTempDir {
 public:
  StoreTempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("clearance-store-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~StoreTempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string path() const { return path_.string(); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// A clock the test moves by hand; starts on 2025-05-01 and ticks a millisecond per reading so
// records get distinct times.
struct FakeClock {
  std::shared_ptr<std::atomic<std::int64_t>> ms =
      std::make_shared<std::atomic<std::int64_t>>(std::int64_t{1746057600000});
  Clock clock() const {
    auto m = ms;
    return [m] { return std::chrono::system_clock::time_point(std::chrono::milliseconds(m->fetch_add(1))); };
  }
  void advance_days(int days) { ms->fetch_add(std::int64_t{days} * 86400000); }
};

inline std::string backend_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (pg()) {
      SKIP_WITHOUT_POSTGRES();
      url_ = PgCluster::instance().fresh_store_url();
      ASSERT_FALSE(url_.empty()) << "could not create a test database";
    } else {
      url_ = "sqlite:" + dir_.file("store.sqlite");
    }
  }

  bool pg() const { return GetParam() == "Postgres"; }
  const std::string& url() const { return url_; }
  std::string head_file() const { return dir_.file("store.head"); }

  StoreOptions options() const {
    StoreOptions o;
    o.location = url_;
    o.head_file = head_file();
    o.clock = clock_.clock();
    return o;
  }
  std::unique_ptr<Store> open(StoreOptions o) {
    auto s = Store::open(o);
    EXPECT_TRUE(s.ok()) << s.error().message;
    return s ? std::move(*s) : nullptr;
  }
  std::unique_ptr<Store> open() { return open(options()); }

  // Direct access to the database, as an attacker (or a DBA) with write access would have.
  std::unique_ptr<store_detail::SqlConn> raw() {
    auto c = pg() ? store_detail::open_postgres(url_) : store_detail::open_sqlite(url_.substr(7));
    EXPECT_TRUE(c.ok()) << c.error().message;
    return c ? std::move(*c) : nullptr;
  }
  // Drops the append-only triggers, as someone tampering with the database would first.
  void drop_guards(store_detail::SqlConn& c) {
    if (pg()) {
      ASSERT_TRUE(c.exec("DROP TRIGGER audit_records_append_only ON audit_records; "
                         "DROP TRIGGER audit_records_no_truncate ON audit_records; "
                         "DROP TRIGGER audit_inputs_redact_only ON audit_inputs")
                      .ok());
    } else {
      ASSERT_TRUE(c.exec("DROP TRIGGER audit_records_no_update; DROP TRIGGER audit_records_no_delete; "
                         "DROP TRIGGER audit_inputs_no_delete; DROP TRIGGER audit_inputs_redact_only")
                      .ok());
    }
  }

  static RecordDraft draft(int i, const std::string& action = "screen") {
    RecordDraft d;
    d.caller = "tester";
    d.action = action;
    d.inputs = {{"name", "Party " + std::to_string(i)}, {"country", "CN"}};
    d.snapshots = {{"us-csl", "0123456789abcdef01234567"}};
    d.threshold = 0.82;
    d.result = {{"hits", nlohmann::json::array({{{"entry_id", "E" + std::to_string(i)}, {"score", 0.9}}})}};
    return d;
  }

  StoreTempDir dir_;
  FakeClock clock_;
  std::string url_;
};

}  // namespace clearance::testing

#define STORE_BACKENDS(Suite)                                                           \
  INSTANTIATE_TEST_SUITE_P(SQLite, Suite, ::testing::Values(std::string("SQLite")),     \
                           ::clearance::testing::backend_name);                         \
  INSTANTIATE_TEST_SUITE_P(Postgres, Suite, ::testing::Values(std::string("Postgres")), \
                           ::clearance::testing::backend_name)
