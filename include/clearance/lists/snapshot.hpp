// Immutable list snapshots and the store of the snapshots in force under a data home.
//
// A snapshot is one imported source (e.g. the CSL, or an OFAC SDN set) frozen with its content
// hash, source date and counts, written in a compact versioned binary file that loads fast.
// The set of snapshots in force is a manifest that is replaced atomically (write + fsync + rename),
// so a failed import never changes what is in force.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/common/env.hpp"
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

// One step of a list's history: a snapshot put in force (by `lists import`, `lists update` or the
// server), and the snapshot of the same name it replaced (empty: the list was new).
struct HistoryEntry {
  SnapshotInfo info;
  std::string replaced;
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

// What a data home holds, as read from its manifest.
enum class HomeState {
  kNeverImported,  // no manifest and no snapshot files: nothing was ever imported here
  kCurrent,        // manifest.json read and valid
  kRecovered,      // manifest.json missing or corrupt: the previous manifest (manifest.json.prev) is in force
};
std::string_view to_string(HomeState s);

struct ManifestView {
  HomeState state = HomeState::kNeverImported;
  std::vector<SnapshotInfo> lists;    // in force, manifest order
  std::vector<std::string> warnings;  // e.g. why the previous manifest is in force; for the user to see
};

// The Error::field of a refusal to replace a list with a much smaller one (PutOptions::max_shrink):
// callers that hold such a download back (lists update) tell it from other failures by this.
inline constexpr const char* kShrinkRefusedField = "entries";

// When an import may replace a list with a much smaller one, and whether a writer waits for another.
struct PutOptions {
  // Refuse to replace a list when the new one has more than this share fewer entries (0.2: a drop of
  // over 20%): a truncated or broken source must not silently empty a list. See docs/LISTS.md.
  double max_shrink = 0.2;
  bool allow_shrink = false;  // --allow-shrink: the drop is intended
  bool wait_for_lock = true;  // false: fail at once with "locked" when another writer holds <home>/LOCK
};

// The snapshots in force under <home>/lists:
//   <home>/LOCK                       held (flock) by every writer for the whole read-modify-write
//   <home>/lists/manifest.json        the lists in force
//   <home>/lists/manifest.json.prev   the manifest before the last import, the fallback when the
//                                     current one is lost or corrupt
//   <home>/lists/<name>-<id>.snap     snapshot files, content-addressed, never rewritten in place
// Every file is written to a unique temporary name, fsynced, renamed and its directory fsynced, so a
// crash or a failed write leaves the previous state in force. Readers need no lock: they see the old
// or the new manifest, and the snapshot files either names are never removed.
//
// Thread safety: const methods may be called from several threads and processes at once; writers
// serialise on <home>/LOCK.
class ListStore {
 public:
  explicit ListStore(std::string home, Env* env = Env::Default()) : home_(std::move(home)), env_(env) {}

  // The manifest, with a fallback to the previous one (and a warning) when it is missing or corrupt.
  // Errors (kIo, naming the file): the manifest is corrupt and no previous one is usable, or it is
  // missing while snapshot files show lists were imported.
  Result<ManifestView> read_manifest() const;
  // The lists in force (manifest order). Empty when nothing was imported.
  Result<std::vector<SnapshotInfo>> list() const;
  // Under <home>/LOCK: writes the snapshot files, then replaces the lists of the same names in the
  // manifest in one atomic step: either all of them are in force afterwards or none. Refuses two
  // snapshots with one name, and a list that shrinks more than options allow.
  Status put(const std::vector<const ListSnapshot*>& snapshots, const PutOptions& options = {}) const;
  // Loads every snapshot in force; view (optional) receives the manifest's state and warnings.
  Result<std::vector<ListSnapshot>> load_all(ManifestView* view = nullptr) const;
  // Loads one snapshot file; errors name the file (missing, corrupt, or not the snapshot named).
  Result<ListSnapshot> load(const SnapshotInfo& info) const;
  // Every snapshot put in force under this home, oldest first (<home>/lists/history.json, written
  // under the lock by put() just before the manifest switches). A home older than the history file
  // starts with the lists in force. name: one list only (empty: all).
  Result<std::vector<HistoryEntry>> history(const std::string& name = {}) const;
  // Retention: under <home>/LOCK, removes the snapshot files of each list beyond its `keep` newest
  // history entries, except those in force, those of the previous manifest (readers may still use
  // them) and those `referenced` says an audit record names (never dropped). keep 0 keeps all.
  // Returns the file names removed. History entries stay (the file is gone: `lists history` says so).
  Result<std::vector<std::string>> prune(size_t keep,
                                         const std::function<bool(const std::string& id)>& referenced) const;

  std::string lists_dir() const;
  std::string manifest_path() const;
  std::string lock_path() const;
  std::string snapshot_path(const SnapshotInfo& info) const;
  std::string history_path() const;
  Env& env() const { return *env_; }
  const std::string& home() const { return home_; }

 private:
  std::string home_;
  Env* env_;
};

}  // namespace clearance
