// Loaders: one per source format, each producing canonical Party records. Pure parsing over
// in-memory file contents; reading files is the caller's business (see lists/import.hpp).
// Loaders never guess silently: a bad row is reported with file, line and field.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/common/result.hpp"
#include "clearance/lists/party.hpp"
#include "clearance/text/countries.hpp"

namespace clearance {

enum class ListFormat {
  kAuto,
  kCslCsv,
  kCslJson,
  kOfacCsv,
  kOfacXml,
  kUnXml,
  kFtmJson,
  kBisDpl,        // BIS Denied Persons List, tab-separated dpl.txt
  kBisCsv,        // BIS source-layout CSV: Entity List, Military End User List
  kStateIsn,      // State Department nonproliferation sanctions (ISN) CSV
  kBisUvl,        // BIS Unverified List CSV
  kDdtcDebarred,  // State Department DDTC ITAR debarred parties CSV
};
std::string_view to_string(ListFormat f);
// "auto", "csl-csv", "csl-json", "ofac-csv", "ofac-xml", "un-xml", "ftm-json", "bis-dpl", "bis-csv",
// "state-isn", "bis-uvl", "ddtc-debarred". See docs/LISTS.md.
Result<ListFormat> list_format_from_string(std::string_view s);

struct SourceFile {
  std::string path;      // as given by the user; used in messages
  std::string contents;  // raw bytes
};

struct RowProblem {
  std::string file;
  size_t line = 0;    // 1-based; 0 when not applicable
  std::string field;  // column or element name
  std::string message;
  std::string to_string() const;  // "file:line: field: message"
};

struct LoadOptions {
  ListFormat format = ListFormat::kAuto;
  bool strict = false;       // fail on the first bad row instead of skipping it
  size_t max_reported = 20;  // how many problems to keep in the report (all are counted)
  // The longest record a loader accepts (a CSV record, a JSON line, one JSON array element). A longer
  // one fails the load with kBadInput naming file and line, instead of exhausting memory.
  size_t max_record_bytes = size_t{16} << 20;
};

struct LoadReport {
  size_t rows = 0;      // data rows (records) seen in the files
  size_t imported = 0;  // rows that became or enriched a party
  size_t skipped = 0;   // rows skipped (lenient mode): bad rows, and the ignored ones below
  size_t ignored = 0;   // of skipped: well-formed records that hold no party (e.g. FtM Address rows)
  size_t orphans = 0;   // alias/address/comment rows whose entry is missing (reported, not fatal)
  std::vector<RowProblem> problems;  // the first max_reported problems, skipped and orphans alike
  void add_problem(const LoadOptions& o, RowProblem p);
  size_t bad_rows() const { return skipped - ignored; }
};

struct LoadedList {
  ListFormat format = ListFormat::kAuto;
  std::string default_name;  // e.g. "us-csl", "us-ofac-sdn", "un-sc", "us-bis-el", or the FtM dataset name
  std::string source_date;   // YYYY-MM-DD when the source states one, else empty
  std::vector<Party> parties;
  LoadReport report;
};

// Detects the format from file names and contents. A set of OFAC CSV files (sdn.csv, alt.csv,
// add.csv, sdn_comments.csv or cons_*.csv) is one source.
Result<ListFormat> detect_format(const std::vector<SourceFile>& files);

// Loads one source (one file, or one OFAC CSV set) into parties.
// Errors: kBadInput for unreadable or structurally invalid input (empty file, wrong layout,
// invalid UTF-8 in strict mode, a line over the size limit), naming file, line and field.
Result<LoadedList> load_list(const std::vector<SourceFile>& files, const LoadOptions& options,
                             const CountryTable& countries);

// Per-format entry points (load_list dispatches to these).
Result<LoadedList> load_csl_csv(const SourceFile& file, const LoadOptions& o, const CountryTable& c);
Result<LoadedList> load_csl_json(const SourceFile& file, const LoadOptions& o, const CountryTable& c);
Result<LoadedList> load_ofac_csv(const std::vector<SourceFile>& files, const LoadOptions& o,
                                 const CountryTable& c);
Result<LoadedList> load_ofac_xml(const SourceFile& file, const LoadOptions& o, const CountryTable& c);
Result<LoadedList> load_un_xml(const SourceFile& file, const LoadOptions& o, const CountryTable& c);
Result<LoadedList> load_ftm_json(const SourceFile& file, const LoadOptions& o, const CountryTable& c);
Result<LoadedList> load_bis_dpl(const SourceFile& file, const LoadOptions& o, const CountryTable& c);
Result<LoadedList> load_bis_csv(const SourceFile& file, const LoadOptions& o, const CountryTable& c);
Result<LoadedList> load_state_isn(const SourceFile& file, const LoadOptions& o, const CountryTable& c);
Result<LoadedList> load_bis_uvl(const SourceFile& file, const LoadOptions& o, const CountryTable& c);
Result<LoadedList> load_ddtc_debarred(const SourceFile& file, const LoadOptions& o, const CountryTable& c);

}  // namespace clearance
