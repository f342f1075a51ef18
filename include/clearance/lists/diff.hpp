// What changed between two snapshots of a list: entries added, removed and changed (matched by
// entry id), and for a changed entry which fields changed and the values that came and went.
// `clearance lists diff`, `rescreen` and `changes` are built on it.
#pragma once

#include <string>
#include <vector>

#include "clearance/lists/snapshot.hpp"

namespace clearance {

// One field of an entry that differs. Values are compared as sets (order within a field is not a
// change); scalar fields have at most one value on each side.
struct FieldChange {
  std::string field;  // names (the primary name), aliases, addresses, programs, ids, countries,
                      // birth_dates, type, citation, listed_on, licence, remarks, source_url, list
  std::vector<std::string> added;    // values in B only
  std::vector<std::string> removed;  // values in A only
};

struct EntryChange {
  std::string id;
  std::string name;                 // primary name (in B; in A for a removed entry)
  std::string list;                 // the party's source list
  std::vector<FieldChange> fields;  // changed entries only
};

struct SnapshotDiff {
  SnapshotInfo a, b;
  std::vector<EntryChange> added, removed, changed;  // each sorted by id
  size_t unchanged = 0;
  // How many changed entries changed each field, in the order of FieldChange::field's list.
  std::vector<std::pair<std::string, size_t>> field_counts() const;
};

// Entries are matched by Party::id. Neither snapshot is modified.
SnapshotDiff diff_snapshots(const ListSnapshot& a, const ListSnapshot& b);

// A snapshot named by the user: a list name (its snapshot in force), or a snapshot id or a unique
// prefix of one (at least 6 characters) from the home's history. kNotFound / kBadInput (ambiguous).
Result<SnapshotInfo> resolve_snapshot(const ListStore& store, const std::string& ref);
// The snapshots in force at a point in time, from the history: per list, the last snapshot put in
// force at or before `when` (ISO 8601 UTC "YYYY-MM-DDTHH:MM:SSZ"; a day "YYYY-MM-DD" means the end of
// that day). A list first put in force later is absent. By list name.
Result<std::vector<SnapshotInfo>> snapshots_in_force_at(const ListStore& store, const std::string& when);
// The snapshot a list's snapshot in force replaced (kNotFound when it has no predecessor).
Result<SnapshotInfo> previous_snapshot(const ListStore& store, const std::string& list);

// The field names in report order.
const std::vector<std::string>& diff_fields();

// Renderings: text (a summary, then one line per entry and field), JSON, and CSV (one row per added
// or removed entry and per changed field: change,id,name,field,added,removed; values joined by " | ").
// limit: at most this many entries per kind in text (0: all); JSON and CSV list every entry.
std::string diff_to_text(const SnapshotDiff& d, size_t limit = 0);
std::string diff_to_json(const SnapshotDiff& d);
std::string diff_to_csv(const SnapshotDiff& d);

}  // namespace clearance
