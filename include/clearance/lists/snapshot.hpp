// Immutable list snapshots and the store of the snapshots in force under a data home.
//
// A snapshot is one imported source (e.g. the CSL, or an OFAC SDN set) frozen with its content
// hash, source date and counts, written in a compact versioned binary file that loads fast.
// The set of snapshots in force is a manifest that is replaced atomically (write + rename), so a
// failed import never changes what is in force.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "clearance/common/result.hpp"
#include "clearance/lists/party.hpp"

namespace clearance {

struct SnapshotInfo {
  std::string id;           // content hash (hex) of the parties; the snapshot's identity
  std::string name;         // list name in this data home, e.g. "us-csl"
  std::string format;       // source format, e.g. "csl-csv"
  std::string source_date;  // as stated by the source, may be empty
  std::string imported_at;  // ISO 8601 UTC, supplied by the caller (the library does not read the clock)
  std::vector<std::string> files;
  std::uint64_t entries = 0;
  std::uint64_t names = 0;
  std::uint64_t rows = 0;
  std::uint64_t skipped = 0;
  std::uint64_t orphans = 0;
  // One of the small sample lists shipped in data/lists, standing in because this data home has
  // never imported a list; never set on an imported snapshot (and never stored).
  bool bundled_sample = false;
};

struct ListSnapshot {
  SnapshotInfo info;
  std::vector<Party> parties;
};

// Computes info.id, entries and names from the parties.
void seal_snapshot(ListSnapshot& snapshot);

// Binary (de)serialisation. Format: magic "CLRSNAP", version byte, payload, xxh3-64 checksum.
std::string encode_snapshot(const ListSnapshot& snapshot);
Result<ListSnapshot> decode_snapshot(std::string_view bytes, std::string_view filename);

// The snapshots in force under <home>/lists. Not thread-safe for writers; one process imports
// at a time (the manifest rename is atomic, so readers always see a complete state).
class ListStore {
 public:
  explicit ListStore(std::string home) : home_(std::move(home)) {}

  // Lists in force (manifest order). Empty when nothing was imported.
  Result<std::vector<SnapshotInfo>> list() const;
  // Writes the snapshot files, then replaces the lists of the same names in the manifest in one
  // atomic step: either all of them are in force afterwards or none.
  Status put(const std::vector<const ListSnapshot*>& snapshots) const;
  // Loads every snapshot in force.
  Result<std::vector<ListSnapshot>> load_all() const;
  Result<ListSnapshot> load(const SnapshotInfo& info) const;

  std::string lists_dir() const;

 private:
  std::string home_;
};

}  // namespace clearance
