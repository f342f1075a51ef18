// Screening: find the listed parties a name refers to, with calibrated scores and explanations.
//
// A Screener is built once from the list snapshots in force and is immutable afterwards: one
// instance may be shared by any number of threads calling screen() concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "clearance/common/result.hpp"
#include "clearance/lists/party.hpp"
#include "clearance/lists/snapshot.hpp"
#include "clearance/text/normalize.hpp"
#include "clearance/text/tables.hpp"

namespace clearance {

// The documented default alert threshold, the same in the CLI and the API (see docs/SCORES.md).
inline constexpr double kDefaultThreshold = 0.82;

struct ScreenQuery {
  std::string name;
  PartyType type = PartyType::kUnknown;
  std::string country;          // ISO alpha-2 or empty
  std::string birth_date;       // YYYY[-MM[-DD]] or empty
  std::vector<Identifier> ids;  // e.g. {"Passport", "A1234567", ""}
  double min_score = kDefaultThreshold;
  size_t limit = 10;
};

struct Hit {
  double score = 0;              // calibrated, in [0, 1]; an exact full-name match scores 1.0
  const Party* party = nullptr;  // points into the Screener's snapshots
  std::string matched_name;      // the list name (primary or alias) that matched
  NameKind matched_kind = NameKind::kPrimary;
  std::vector<std::string> explanation;  // which query word matched which list word, and each factor
};

// What a query is made of for screening, whatever the lists: its name read into words (the costly
// part of screening a name) and its identifier keys. A rescreen keeps it for each customer row
// (match/rescreen.hpp): a row whose words cannot reach a changed entry's name cannot hit it, and
// need not be read again.
struct QueryProbe {
  std::vector<text::Token> tokens;  // the name read into words (text/normalize.hpp)
  // The units screening looks up (single words and joins of two), each with the keys of every
  // lookup it makes, as 32-bit numbers: unit k's keys are keys[units[k-1].keys_end, units[k].keys_end).
  struct Unit {
    std::uint8_t first = 0, count = 1;  // the tokens it covers
    std::uint32_t keys_end = 0;
    bool operator==(const Unit&) const = default;
  };
  std::vector<Unit> units;
  std::vector<std::uint32_t> keys;
  std::vector<std::string> id_keys;
  bool phonetic = true;  // transliteration variants allowed (not for entity queries)
};

class Screener {
 public:
  static std::unique_ptr<Screener> build(std::vector<ListSnapshot> snapshots,
                                         std::shared_ptr<const TextTables> tables);
  // A screener over the parties of `full` that `keep` selects, scoring exactly as `full` does (its
  // word weights, document frequencies and typo indexes): screening against it gives the hits
  // `full` gives on those parties, with the same scores (`rescreen`). Holds on to `full`.
  static std::unique_ptr<Screener> build_subset(std::shared_ptr<const Screener> full,
                                                const std::function<bool(const Party&)>& keep);
  ~Screener();

  // Hits at or above query.min_score, best first, at most query.limit (one per party).
  std::vector<Hit> screen(const ScreenQuery& query) const;
  // The same, also saying what the query is made of (QueryProbe) in *probe; with `known` (the
  // probe of an earlier screening of this same query, same text tables), its words are taken from
  // there instead of reading the name again.
  std::vector<Hit> screen(const ScreenQuery& query, QueryProbe* probe,
                          const QueryProbe* known = nullptr) const;
  // The same, for answers someone acts on: a name that reads into no word (signs alone, such as
  // ฯ, ๆ or ー, which are letters to Unicode but spell nothing; a name all in Lao or Khmer, which
  // screening does not read) is an error that quotes it, not "no hits", which would say nothing
  // about the party (fail closed).
  Result<std::vector<Hit>> screen_words(const ScreenQuery& query, QueryProbe* probe = nullptr,
                                        const QueryProbe* known = nullptr) const;
  // On a screener made by build_subset: whether a query with this probe may hit any of its parties
  // at min_score. False only when no identifier matches and the words whose lookups can find a
  // word of a name here cannot lift any name to min_score even if they all aligned perfectly
  // (the bound screen() prunes by), the others left unaligned. Costs a table lookup per key and,
  // for the few queries that share a key with these names, weighing their words. Always true on
  // a screener not made by build_subset.
  bool may_hit(const QueryProbe& probe, double min_score) const;
  // Reference: scores every name of every party with the same scorer (no index). Slow.
  std::vector<Hit> screen_brute_force(const ScreenQuery& query) const;

  // Scores two names against each other with this screener's word weights (`clearance compare`).
  struct Comparison {
    double score = 0;
    std::vector<std::string> explanation;
  };
  Comparison compare(const std::string& a, const std::string& b, PartyType type) const;

  const std::vector<ListSnapshot>& snapshots() const;
  // Non-empty when the lists screened against include the bundled samples (a data home that never
  // imported a list): a sentence every answer based on this screener must carry, because "no
  // hits" then says nothing about the official lists.
  std::string lists_note() const;
  size_t party_count() const;
  size_t name_count() const;

 private:
  Screener();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace clearance
