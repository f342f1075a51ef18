// `audit replay ID`: reruns a recorded answer with today's code against the data it used — the kept
// list snapshots, rule packs and item catalogue the record names, and its recorded inputs — and
// says whether the answer is the same, and where it differs.
//
// Replayable: screen and screen.batch (the hits: entries, scores, matched names, explanations),
// check (the determination), classify (the classification), impact (the report). Case marks are
// not compared: cases move on after an answer (decisions, expiry) without changing what it was.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "clearance/common/result.hpp"
#include "clearance/store/store.hpp"
#include "clearance/text/tables.hpp"

namespace clearance {

struct ReplayEnvironment {
  std::string data_dir;                      // today's bundled data (the country table)
  std::shared_ptr<const TextTables> tables;  // today's text tables (screening)
  std::string orders_file;                   // impact: the order book when the store did not keep it
};

struct ReplayReport {
  std::int64_t seq = 0;
  std::string action;
  bool same = false;
  std::vector<std::string> differences;  // "hits[0].score: 0.9123 → 0.9301" (at most 50)
  nlohmann::json recorded;               // what was compared, as recorded
  nlohmann::json replayed;               // and as rerun today
};

// kBadInput for a record that is not an answer (a case decision, an import); kNotFound for a record
// or kept data that does not exist.
Result<ReplayReport> replay_record(Store& store, std::int64_t seq, const ReplayEnvironment& env);

// The differences between two JSON values, as "path: recorded → replayed" lines (at most `limit`),
// ignoring object keys in `ignored` at any depth.
std::vector<std::string> json_differences(const nlohmann::json& recorded, const nlohmann::json& replayed,
                                          const std::vector<std::string>& ignored = {}, size_t limit = 50);

}  // namespace clearance
