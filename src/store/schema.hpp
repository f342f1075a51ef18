// The store's schema: version 1 as first shipped (frozen), and the forward migrations after it.
#pragma once

#include "clearance/common/result.hpp"
#include "store/sql.hpp"

namespace clearance::store_detail {

// Brings the database to `target` inside one write transaction (serialised with any other process
// opening the same store): creates the schema at `target` when the database is empty, runs the
// migrations from its version up to `target` otherwise. A newer store is refused. Returns the
// version found before migrating (0 for a new store).
Result<int> open_schema(SqlConn& conn, int target);

// The version recorded in the store (0 when it has no schema).
Result<int> read_schema_version(SqlConn& conn);

}  // namespace clearance::store_detail
