// A determination request as JSON — the body of `POST /v1/check` and the inputs of a "check" audit
// record — and the Transaction it stands for:
//
//   {"id", "items": ["H20", …] | "H20", "spec": "<YAML or JSON text>" | {…}, "quantity", "value", "to",
//    "from", "origin", "exporter", "buyer_hq", "end_uses": [...], "screen": true,
//    "parties": ["name" | {"name", "country", "role"}], "as_of": "YYYY-MM-DD",
//    "region": "UA-43", "eccn": "3A991.p", "en_route_since": "YYYY-MM-DD", "all_uncertain": false}
//
// Recording a check as this request, and rebuilding the Transaction from it, is what lets
// `audit replay` rerun a determination exactly as it was asked.
#pragma once

#include <nlohmann/json.hpp>

#include "clearance/common/result.hpp"
#include "clearance/decide/engine.hpp"
#include "clearance/decide/transaction.hpp"

namespace clearance {

// The request of a transaction. A spec item is written as its source text (`spec_text`; the
// Transaction itself holds the parsed item only), so pass it when there is one.
nlohmann::json request_from_transaction(const Transaction& t, bool screen, const std::string& spec_text = "");

// The transaction of a request. Errors (kBadInput) name the field in the message and in
// Error::field: "to: required", "as_of: bad date '…'", "parties[1].colour: unknown field",
// "spec: …". Unknown fields are refused, so a misspelt option is never silently ignored.
Result<Transaction> transaction_from_request(const nlohmann::json& request, const Engine& engine);

}  // namespace clearance
