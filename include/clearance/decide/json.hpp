// JSON forms of determinations and classifications: the shapes of DESIGN.md (`check`, `classify`),
// shared by the CLI and the HTTP server.
#pragma once

#include <nlohmann/json.hpp>

#include "clearance/decide/determination.hpp"
#include "clearance/items/classify.hpp"
#include "clearance/items/item.hpp"

namespace clearance {

// {"as_of", "overall", "jurisdictions": [{"jurisdiction", "verdict", "review_policy", "rules": [{"id",
//  "outcome", "citation", "confidence", …}], "exceptions", "uncertain", "suspended"}], "items", "parties",
//  "rules_version"}
nlohmann::ordered_json determination_to_json(const Determination& d);
// {"item", "name", "as_of", "status", "eccn", "paragraph", "class", "tpp", "pd", "computation": {…},
//  "tests": [{"rule", "result", "tests": [{"test", "value", "result"}]}], "decided_by": {"id", "citation",
//  …}}
nlohmann::ordered_json classification_to_json(const Item& item, const Classification& c);
// Compact "classification" object used inside determinations: {"eccn", "status", "class", "tpp", "pd"}.
nlohmann::ordered_json classification_summary_json(const Classification& c);

// A human-readable multi-line rendering (CLI --format text).
std::string determination_to_text(const Determination& d);
std::string classification_to_text(const Item& item, const Classification& c);

}  // namespace clearance
