// The JSON shape of the lists in force (`clearance lists --format json`, the server's list
// endpoint): one object per list.
#pragma once

#include <nlohmann/json.hpp>

#include "clearance/lists/party.hpp"
#include "clearance/lists/snapshot.hpp"

namespace clearance {

// {"name", "format", "source_date", "entries", "names", "snapshot_id", "imported_at", "files",
//  "rows", "skipped", "bundled_sample"}
nlohmann::ordered_json snapshot_info_to_json(const SnapshotInfo& info);

// One list entry in full, as the server's GET /v1/entries/{id} gives it: {"id", "list", "type",
// "names": [{"name", "kind"}], "addresses": [{"address", "country"}], "countries",
// "ids": [{"type", "number", "country"}], "programs", "listed_on", "birth_dates", "citation",
// "license_requirement", "license_policy", "remarks", "source_url"} (empty strings left out).
nlohmann::ordered_json party_to_json(const Party& p);

}  // namespace clearance
