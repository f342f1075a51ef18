#include "clearance/lists/json.hpp"

namespace clearance {

nlohmann::ordered_json snapshot_info_to_json(const SnapshotInfo& i) {
  return {
      {"name", i.name},   {"format", i.format},   {"source_date", i.source_date},      {"entries", i.entries},
      {"names", i.names}, {"snapshot_id", i.id},  {"imported_at", i.imported_at},      {"files", i.files},
      {"rows", i.rows},   {"skipped", i.skipped}, {"bundled_sample", i.bundled_sample}};
}

}  // namespace clearance
