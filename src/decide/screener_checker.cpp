#include "clearance/decide/screener_checker.hpp"

#include <mutex>

namespace clearance {

ScreenerPartyChecker::ScreenerPartyChecker(std::shared_ptr<const Screener> screener, double min_score,
                                           size_t limit)
    : screener_(std::move(screener)), min_score_(min_score), limit_(limit) {}

Result<std::vector<PartyFinding>> ScreenerPartyChecker::check(const std::string& name,
                                                              const std::string& country) const {
  ScreenQuery q;
  q.name = name;
  q.country = country;
  q.min_score = min_score_;
  q.limit = limit_;
  auto hits = screener_->screen_words(q);
  if (!hits) return hits.error();
  std::vector<PartyFinding> out;
  for (const Hit& h : *hits) {
    if (!h.party) continue;
    const Party& p = *h.party;
    PartyFinding f;
    f.list = p.list;
    f.entry_id = p.id;
    f.name = p.primary_name();
    f.score = h.score;
    f.license_requirement = p.license_requirement;
    f.license_policy = p.license_policy;
    f.citation = p.citation;
    f.programs = p.programs;
    f.listed_on = p.listed_on;
    f.matched_name = h.matched_name;
    out.push_back(std::move(f));
  }
  return out;
}

CachingPartyChecker::CachingPartyChecker(const PartyChecker& inner, size_t max_entries)
    : inner_(inner), max_entries_(max_entries) {}

Result<std::vector<PartyFinding>> CachingPartyChecker::check(const std::string& name,
                                                             const std::string& country) const {
  std::string key = country + '\x1f' + name;
  {
    std::shared_lock lock(mu_);
    if (auto it = cache_.find(key); it != cache_.end()) {
      ++hits_;
      return it->second;
    }
  }
  auto found = inner_.check(name, country);
  std::unique_lock lock(mu_);
  ++misses_;
  if (cache_.size() >= max_entries_) cache_.clear();
  cache_.emplace(std::move(key), found);
  return found;
}

size_t CachingPartyChecker::hits() const { return hits_; }
size_t CachingPartyChecker::misses() const { return misses_; }

}  // namespace clearance
