// `lists import`: read source files, load them, seal snapshots and put them in force atomically.
#pragma once

#include <string>
#include <vector>

#include "clearance/common/result.hpp"
#include "clearance/lists/loaders.hpp"
#include "clearance/lists/snapshot.hpp"
#include "clearance/text/countries.hpp"

namespace clearance {

struct ImportRequest {
  std::vector<std::string> paths;  // files; an OFAC CSV set in one directory is one source
  // The name each file is recorded under in its snapshot, parallel to paths; empty: the file's
  // absolute path. An upload names itself, not the temporary path it was read from.
  std::vector<std::string> recorded_names;
  // The files' bytes, parallel to paths, when the caller already holds them (a download): paths then
  // only name the files (for format detection and messages) and nothing is read from disk.
  std::vector<std::string> contents;
  LoadOptions options;
  std::string name;         // list name; only with a single source (default: the loader's)
  std::string imported_at;  // ISO 8601 UTC stamp supplied by the caller
  // Refuse a source when more than this share of its rows are bad (skipped for an error; records a
  // format holds besides parties, such as FtM Address rows, do not count): a file that is mostly
  // broken must not replace a list. 0.1 = 10%. See docs/LISTS.md.
  double max_bad_rows = 0.1;
  PutOptions put;  // shrink limit (--allow-shrink) and lock waiting
};

struct ImportedSource {
  SnapshotInfo info;
  LoadReport report;
};

// Groups paths into sources: OFAC legacy CSV files (sdn.csv, alt.csv, add.csv, sdn_comments.csv,
// cons_*.csv) sharing a directory form one source; every other file is a source of its own.
std::vector<std::vector<std::string>> group_sources(const std::vector<std::string>& paths, ListFormat format);

// Loads every source first; only when all load does it write the snapshots and switch the
// manifest, under the home's writer lock. On any error the lists in force are unchanged. Refused
// (kBadInput): a source with no entries, or over max_bad_rows bad rows; two sources that would get
// the same list name; a list that shrinks beyond request.put.max_shrink. Files are read through the
// store's Env.
Result<std::vector<ImportedSource>> import_lists(const ListStore& store, const CountryTable& countries,
                                                 const ImportRequest& request);

// The small sample lists shipped in <data_dir>/lists (sample-us.csv, sample-cn.ftm.json), as
// snapshots named "sample-us" and "sample-cn": what every command uses before any import.
Result<std::vector<ListSnapshot>> load_bundled_samples(const std::string& data_dir,
                                                       const CountryTable& countries,
                                                       Env& env = *Env::Default());

}  // namespace clearance
