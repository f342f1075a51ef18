// Helpers shared by tests: where the bundled and shared data live, and skipping when absent.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "clearance/text/tables.hpp"
#include "support/paths.hpp"

namespace clearance::testing {

inline std::string shared_path(const std::string& rel) { return shared_dir() + "/" + rel; }
inline bool have_shared(const std::string& rel) { return std::filesystem::exists(shared_path(rel)); }

// Loads the bundled text tables once per test binary.
inline std::shared_ptr<const TextTables> tables() {
  static std::shared_ptr<const TextTables> t = [] {
    auto r = TextTables::load(data_dir());
    if (!r) ADD_FAILURE() << r.error().message;
    return r ? *r : nullptr;
  }();
  return t;
}

// Loads the bundled text tables with `row` appended to data/text/<file> (a copy of the tables in a
// temporary directory): the error when they do not load, else "".
inline std::string text_table_error(const std::string& file, const std::string& row) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(::testing::TempDir()) / ("table-" + file);
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy(fs::path(data_dir()) / "text", dir / "text", fs::copy_options::recursive);
  std::ofstream(dir / "text" / file, std::ios::app) << row << "\n";
  auto t = TextTables::load(dir.string());
  fs::remove_all(dir);
  return t ? "" : t.error().message;
}

}  // namespace clearance::testing

#define SKIP_WITHOUT_SHARED(rel)               \
  if (!::clearance::testing::have_shared(rel)) \
  GTEST_SKIP() << "../shared/" << (rel) << " is absent: this test needs the shared real data"
