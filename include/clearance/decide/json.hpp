// JSON forms of determinations and classifications: the shapes of DESIGN.md (`check`, `classify`),
// shared by the CLI and the HTTP server.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "clearance/common/result.hpp"
#include "clearance/decide/determination.hpp"
#include "clearance/items/classify.hpp"
#include "clearance/items/item.hpp"

namespace clearance {

// {"as_of", "overall", "jurisdictions": [{"jurisdiction", "verdict", "review_policy", "rules": [{"id",
//  "outcome", "citation", "confidence", …}], "exceptions", "uncertain", "suspended"}], "items", "parties",
//  "rules_version"}
//  Parties screened against the bundled sample lists add "using_sample_lists": true and "lists_note"
//  (`lists_note`: PartyChecker::lists_note() of the checker used; empty: nothing added).
nlohmann::ordered_json determination_to_json(const Determination& d, std::string_view lists_note = {});
// One line of a batch of orders (`check --input`, JSON lines): the determination with its order id
// first, or {"id", "error"} for a row that could not be determined.
nlohmann::ordered_json order_result_to_json(const std::string& id, const Result<Determination>& r,
                                            std::string_view lists_note = {});
// {"item", "name", "as_of", "status", "eccn", "paragraph", "class", "tpp", "pd", "computation": {…},
//  "tests": [{"rule", "result", "tests": [{"test", "value", "result"}]}], "decided_by": {"id", "citation",
//  …}}
nlohmann::ordered_json classification_to_json(const Item& item, const Classification& c);
// Compact "classification" object used inside determinations: {"eccn", "status", "class", "tpp", "pd"}.
nlohmann::ordered_json classification_summary_json(const Classification& c);

// A human-readable multi-line rendering (CLI --format text).
std::string determination_to_text(const Determination& d, std::string_view lists_note = {});
std::string classification_to_text(const Item& item, const Classification& c);

}  // namespace clearance
