// The party checker the benchmarks plug into determinations: "none" (rules only) or "screener"
// (the real Screener over the bundled sample lists, memoised per name as a batch run does).
#pragma once

#include <memory>
#include <string>

#include "clearance/decide/screener_checker.hpp"
#include "clearance/lists/import.hpp"
#include "clearance/text/tables.hpp"
#include "support/paths.hpp"

namespace clearance::bench {

struct Checker {
  std::shared_ptr<const Screener> screener;
  std::unique_ptr<ScreenerPartyChecker> inner;
  std::unique_ptr<CachingPartyChecker> cached;
  const PartyChecker* get() const { return cached.get(); }  // null for "none"
};

inline std::unique_ptr<Checker> make_checker(const std::string& kind, std::string* err) {
  auto c = std::make_unique<Checker>();
  if (kind == "none") return c;
  auto tables = TextTables::load(clearance::testing::data_dir());
  if (!tables) {
    *err = tables.error().message;
    return nullptr;
  }
  auto snaps = load_bundled_samples(clearance::testing::data_dir(), (*tables)->countries);
  if (!snaps) {
    *err = snaps.error().message;
    return nullptr;
  }
  c->screener = Screener::build(std::move(*snaps), *tables);
  c->inner = std::make_unique<ScreenerPartyChecker>(c->screener);
  c->cached = std::make_unique<CachingPartyChecker>(*c->inner);
  return c;
}

}  // namespace clearance::bench
