// Rescreening a customer file after the lists changed: only the entries added or changed since the
// snapshots it was last screened against are screened, and the hits that went away are reported.
//
// Equivalence: the hits found on the changed entries are exactly those a full re-screen against the
// new lists gives on those entries, with the same scores (Screener::build_subset keeps the full
// lists' word weights). Hits on unchanged entries are carried over from the last screening, not
// re-scored: the word weights of the new lists differ slightly from those of the old (every word's
// weight is an inverse frequency over all names), so a carried-over score may differ from what a
// full re-screen would give. That drift is measured and reported (RescreenResult::weight_drift);
// docs/LISTS.md says how to bound it and when to run a full screening instead.
#pragma once

#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "clearance/common/result.hpp"
#include "clearance/lists/diff.hpp"
#include "clearance/match/batch.hpp"
#include "clearance/match/screener.hpp"

namespace clearance {

// A hit of one customer row on one list entry.
struct KnownHit {
  std::string row;       // the row's id (id column, else its line)
  std::string customer;  // the row's name
  std::string entry;     // Party::id
  std::string entry_name;
  std::string list;  // the list name in the home (snapshot name)
  double score = 0;
};

struct RescreenResult {
  size_t rows = 0;
  size_t rows_screened = 0;  // rows read and screened again: those whose probe meets a changed
                             // entry's words, or every row without probes
  // Rows read that could not be screened (no name), each as "file:line: name: empty": they can hit
  // nothing, before or now, so they are in neither new_hits nor gone_hits and must be said apart.
  std::vector<std::string> unscreened;
  size_t screened_entries = 0;  // entries added or changed: what was screened
  size_t removed_entries = 0;
  std::vector<KnownHit> new_hits;   // on added or changed entries, not hit before
  std::vector<KnownHit> gone_hits;  // hit before, on an entry removed, or changed and no longer hit
  std::vector<KnownHit> hits;       // every hit now (carried over + new), by row then entry
  // Relative change of the largest word weight between the old and the new lists (|Δ log(1+N)| /
  // log(1+N) over the N names): the scale by which a carried-over score may be off. 0 when the
  // lists did not change size.
  double weight_drift = 0;
  // How far a carried-over score may be from a full re-screen's: 2 × weight_drift (a score is a
  // ratio of aligned word weights, both sides of which move by at most the weight drift; checked
  // on real data by tests/match/rescreen_test.cpp). Above the caller's tolerance, screen in full.
  double score_drift_bound = 0;
};

// The diffs (old -> new snapshot, per list) to rescreen against: lists present only in the new set
// count as all added, lists only in the old as all removed. The lists are compared on up to
// `threads` threads (0: every core), one list each.
std::vector<SnapshotDiff> diffs_between(const std::vector<ListSnapshot>& old_lists,
                                        const std::vector<ListSnapshot>& new_lists, unsigned threads = 0);

// Screens the CSV (as screen_batch reads it) against the entries the diffs add or change, taking
// word weights from `full` (a screener over all new lists), and merges with `previous` (the hits of
// the last screening of this file; taken by value: a caller done with them moves them in, and the
// hits on unchanged entries move on into the result). options.limit applies per row to the changed
// entries only.
//
// With `probes` (one per data row, from the last screening of this same file with the same text
// tables and engine), only the rows whose probe may meet a changed entry (Screener::may_hit) are
// read into queries and screened; the others cannot hit those entries, so the result is the same.
// Without them every row is read, and `probes_out` (if given) receives every row's probe.
Result<RescreenResult> rescreen(std::istream& input, std::string_view filename,
                                std::shared_ptr<const Screener> full, const std::vector<SnapshotDiff>& diffs,
                                std::vector<KnownHit> previous, const TextTables& tables,
                                const BatchOptions& options, const std::vector<QueryProbe>* probes = nullptr,
                                std::vector<QueryProbe>* probes_out = nullptr);

// All hits of a full screening (the baseline of a first rescreen), in the same shape; with
// `probes`, also what each data row looked up (by row ordinal), for later rescreens; with
// `unscreened`, the rows that could not be screened (RescreenResult::unscreened).
Result<std::vector<KnownHit>> screen_all(std::istream& input, std::string_view filename,
                                         const Screener& screener, const TextTables& tables,
                                         const BatchOptions& options,
                                         std::vector<QueryProbe>* probes = nullptr,
                                         std::vector<std::string>* unscreened = nullptr);

// The probes of a file as bytes (a rescreen baseline keeps them beside its hits), stamped with
// `stamp` (what they were made with: engine version and text tables); decode_probes fails when the
// bytes are damaged or the stamp differs, and the caller then screens every row.
std::string encode_probes(const std::vector<QueryProbe>& probes, std::string_view stamp);
Result<std::vector<QueryProbe>> decode_probes(std::string_view bytes, std::string_view stamp);

nlohmann::json known_hit_to_json(const KnownHit& h);
Result<KnownHit> known_hit_from_json(const nlohmann::json& j);

}  // namespace clearance
