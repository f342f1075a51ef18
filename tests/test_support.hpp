// Helpers shared by tests: where the bundled and shared data live, and skipping when absent.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
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

}  // namespace clearance::testing

#define SKIP_WITHOUT_SHARED(rel)               \
  if (!::clearance::testing::have_shared(rel)) \
  GTEST_SKIP() << "../shared/" << (rel) << " is absent: this test needs the shared real data"
