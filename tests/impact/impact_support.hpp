// Shared by the impact tests: the bundled engine, the Screener over the bundled sample lists (as the
// CLI uses on a fresh install), and helpers to run a book held in a string.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "clearance/common/files.hpp"
#include "clearance/decide/screener_checker.hpp"
#include "clearance/impact/impact.hpp"
#include "clearance/lists/import.hpp"
#include "clearance/lists/loaders.hpp"
#include "rules/rules_support.hpp"

namespace clearance::testing {

inline std::shared_ptr<const Screener> impact_screener() {
  static std::shared_ptr<const Screener> s = []() -> std::shared_ptr<const Screener> {
    auto t = tables();
    if (!t) return nullptr;
    auto snaps = load_bundled_samples(data_dir(), t->countries);
    if (!snaps) {
      ADD_FAILURE() << snaps.error().message;
      return nullptr;
    }
    return std::shared_ptr<const Screener>(Screener::build(std::move(*snaps), t));
  }();
  return s;
}

// The checker the CLI uses: the Screener, memoised.
inline const PartyChecker* impact_checker() {
  static std::unique_ptr<ScreenerPartyChecker> inner;
  static std::unique_ptr<CachingPartyChecker> cached;
  if (!cached) {
    auto s = impact_screener();
    if (!s) return nullptr;
    inner = std::make_unique<ScreenerPartyChecker>(s);
    cached = std::make_unique<CachingPartyChecker>(*inner);
  }
  return cached.get();
}

inline std::string sample_book_path() { return data_dir() + "/orders/sample-orders.csv"; }

inline ImpactPoint point(const char* d, std::shared_ptr<const Engine> e = nullptr) {
  return ImpactPoint{d, e ? e : engine(), date(d)};
}

// Every order's result, kept (tests only: the library itself never keeps them).
struct Run {
  ImpactReport report;
  std::vector<OrderImpact> orders;
  std::map<std::string, Change> change;  // id -> change

  std::set<std::string> ids(Change c) const {
    std::set<std::string> s;
    for (const auto& [id, ch] : change)
      if (ch == c) s.insert(id);
    return s;
  }
  const OrderImpact* find(const std::string& id) const {
    for (const auto& o : orders)
      if (o.order.id == id) return &o;
    return nullptr;
  }
};

inline Run run_book(const std::string& csv, const ImpactPoint& a, const ImpactPoint& b,
                    ImpactOptions opt = {}, const std::string& name = "orders.csv") {
  Run run;
  std::istringstream in(csv);
  if (opt.threads == 0) opt.threads = 2;
  auto r = run_impact(in, name, a, b, opt, [&](const OrderImpact& o) {
    run.orders.push_back(o);
    run.change[o.order.id] = o.change;
  });
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  if (r.ok()) run.report = std::move(*r);
  return run;
}

inline std::string sample_book() {
  auto text = read_file(sample_book_path());
  EXPECT_TRUE(text.ok()) << (text.ok() ? "" : text.error().message);
  return text.ok() ? *text : std::string();
}

}  // namespace clearance::testing
