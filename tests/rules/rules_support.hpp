// Loads the bundled rule packs, catalogue and engine once per test binary.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "clearance/decide/engine.hpp"
#include "test_support.hpp"

namespace clearance::testing {

inline std::shared_ptr<const Engine> engine() {
  static std::shared_ptr<const Engine> e = [] {
    auto r = Engine::load(data_dir());
    if (!r) ADD_FAILURE() << r.error().message;
    return r ? *r : nullptr;
  }();
  return e;
}

inline Date date(const char* s) {
  auto d = Date::parse(s);
  EXPECT_TRUE(d.has_value()) << s;
  return d.value_or(Date());
}

}  // namespace clearance::testing
