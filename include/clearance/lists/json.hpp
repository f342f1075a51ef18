// The JSON shape of the lists in force (`clearance lists --format json`, the server's list
// endpoint): one object per list.
#pragma once

#include <nlohmann/json.hpp>

#include "clearance/lists/snapshot.hpp"

namespace clearance {

// {"name", "format", "source_date", "entries", "names", "snapshot_id", "imported_at", "files",
//  "rows", "skipped", "bundled_sample"}
nlohmann::ordered_json snapshot_info_to_json(const SnapshotInfo& info);

}  // namespace clearance
