// PartyChecker implementations: over the real Screener, and a memoising wrapper for order books
// where the same customers recur.
#pragma once

#include <atomic>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "clearance/decide/party_checker.hpp"
#include "clearance/match/screener.hpp"

namespace clearance {

// Screens a party with the Screener and turns each hit into a PartyFinding carrying the entry's
// list, licence requirement, policy, citation, programs and listing date.
// Thread-safe: the Screener is immutable and shared.
class ScreenerPartyChecker : public PartyChecker {
 public:
  explicit ScreenerPartyChecker(std::shared_ptr<const Screener> screener,
                                double min_score = kDefaultThreshold, size_t limit = 5);
  Result<std::vector<PartyFinding>> check(const std::string& name, const std::string& country) const override;
  std::string lists_note() const override { return screener_->lists_note(); }

 private:
  std::shared_ptr<const Screener> screener_;
  double min_score_;
  size_t limit_;
};

// Remembers the findings of each (name, country) asked, up to max_entries (then starts afresh).
// Thread-safe. REQUIRES: `inner` outlives this object and is itself thread-safe.
class CachingPartyChecker : public PartyChecker {
 public:
  explicit CachingPartyChecker(const PartyChecker& inner, size_t max_entries = 1 << 20);
  Result<std::vector<PartyFinding>> check(const std::string& name, const std::string& country) const override;
  std::string lists_note() const override { return inner_.lists_note(); }
  size_t hits() const;
  size_t misses() const;

 private:
  const PartyChecker& inner_;
  size_t max_entries_;
  mutable std::shared_mutex mu_;
  mutable std::unordered_map<std::string, Result<std::vector<PartyFinding>>> cache_;
  mutable std::atomic<size_t> hits_{0}, misses_{0};
};

}  // namespace clearance
