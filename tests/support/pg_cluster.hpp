// A real PostgreSQL server for the tests. Under ctest, the pg_cluster_start fixture starts one
// throw-away cluster for the whole run and names it in $CLEARANCE_TEST_PG_STATE; a test binary run
// by hand starts its own (tests/support/pg_cluster.sh) on first use and stops it at exit. Every
// test gets a fresh database. When the PostgreSQL binaries are absent, available() is false and
// why() says so (the tests skip with that message).
#pragma once

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>

#include "store/sql.hpp"
#include "support/paths.hpp"

namespace clearance::testing {

class PgCluster {
 public:
  static PgCluster& instance() {
    static PgCluster c;
    return c;
  }

  bool available() const { return !url_.empty(); }
  const std::string& why() const { return why_; }
  const std::string& admin_url() const { return url_; }

  // A fresh, empty place for one test: a schema of its own (cheap, unlike a database, which
  // copies its template), selected through the URL's search_path. Returns its URL.
  std::string fresh_store_url() {
    static std::atomic<int> counter{0};
    std::string name = "t" + std::to_string(getpid()) + "_" + std::to_string(counter++);
    auto c = store_detail::open_postgres(url_);
    if (!c) return "";
    if (!(*c)->exec("DROP SCHEMA IF EXISTS " + name + " CASCADE; CREATE SCHEMA " + name)) return "";
    return url_ + "?options=-csearch_path%3D" + name;
  }

 private:
  PgCluster() {
    if (const char* s = std::getenv("CLEARANCE_TEST_PG_STATE"); s && *s && try_state(s)) return;
    std::string script = support_dir() + "/pg_cluster.sh";
    state_ = std::filesystem::temp_directory_path() / ("clearance-pg-state-" + std::to_string(getpid()));
    int rc = std::system((script + " start " + state_ + " >/dev/null 2>" + state_ + ".err").c_str());
    std::string err;
    if (std::ifstream in(state_ + ".err"); in) std::getline(in, err, '\0');
    std::filesystem::remove(state_ + ".err");
    if (rc != 0 || !try_state(state_)) {
      why_ = WEXITSTATUS(rc) == 3 ? "PostgreSQL is not installed: " + err
                                  : "could not start a PostgreSQL test cluster: " + err;
      state_.clear();
      return;
    }
    owned_ = true;
  }
  ~PgCluster() {
    if (owned_) (void)std::system((support_dir() + "/pg_cluster.sh stop " + state_).c_str());
  }

  bool try_state(const std::string& path) {
    std::ifstream in(path);
    std::string url;
    if (!in || !std::getline(in, url) || url.empty()) return false;
    auto c = store_detail::open_postgres(url);
    if (!c) return false;
    url_ = url;
    return true;
  }

  std::string url_, why_, state_;
  bool owned_ = false;
};

}  // namespace clearance::testing

#define SKIP_WITHOUT_POSTGRES()                                 \
  if (!::clearance::testing::PgCluster::instance().available()) \
  GTEST_SKIP() << ::clearance::testing::PgCluster::instance().why()
