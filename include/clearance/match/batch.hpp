// Batch screening: a CSV of names with a header row, read as a stream in bounded memory, screened
// in parallel, answered in input order — one answer per data row. The CLI (`screen --input`) and
// the HTTP server run this same pipeline and write the same output shapes.
//
// No row is left unscreened for want of a qualifier: a date of birth, country, type or identifier
// that cannot be read is left out of that row's query and reported as a warning on the row's own
// answer (match/query.hpp). A row is an error only when it has no name.
//
//   std::ifstream in("parties.csv", std::ios::binary);
//   auto summary = screen_batch(in, "parties.csv", screener, tables, BatchOptions{},
//                               [&](const BatchRow& row) { return write(row.output); });
//
// Thread-safety: screen_batch uses options.threads threads of its own and calls the sink and the
// progress callback from the calling thread only, in input order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/common/csv.hpp"
#include "clearance/common/result.hpp"
#include "clearance/match/screener.hpp"
#include "clearance/text/tables.hpp"

namespace clearance {

enum class BatchFormat : unsigned char {
  kJsonl,  // one JSON object per row: match/json.hpp's screening shape with "id" first, or {"id", "error"}
  kCsv,    // batch_csv_header(); a line per hit, and one line for a row without hits that has a
           // warning or an error (rows with neither and no hits write nothing)
};

struct BatchOptions {
  // Column names, case-insensitive. The name column is required; the others are optional. A file
  // without the dob column may call it date_of_birth.
  std::string id_column = "id";
  std::string name_column = "name";
  std::string country_column = "country";
  std::string type_column = "type";
  std::string dob_column = "dob";
  // Identifiers of the party, TYPE:NUMBER (or NUMBER), several separated by ';'.
  std::string identifiers_column = "identifiers";
  double min_score = kDefaultThreshold;
  size_t limit = 10;  // hits per row
  BatchFormat format = BatchFormat::kJsonl;
  unsigned threads = 0;      // 0: hardware concurrency
  size_t chunk_rows = 2048;  // rows screened per parallel step (bounds memory)
  // Whether BatchRow::output is written. A sink that formats rows itself (the audit recorder adds
  // case marks and the record number) turns it off and saves the work.
  bool format_output = true;
  // Rescreen (match/rescreen.hpp): when set, only the data rows whose ordinal (0 for the first data
  // row) it marks are read into queries, screened and passed to the sink; the others are counted
  // in BatchSummary::rows and ::skipped and nothing else. Rows past its end are screened.
  const std::vector<bool>* only_rows = nullptr;
  // Whether BatchRow::probe is filled (what each row's query is made of; Screener::screen).
  bool probe = false;
  // Rescreen: the rows' probes from an earlier screening of this same file (by ordinal): a row's
  // name is not read into words again, its probe's are used.
  const std::vector<QueryProbe>* known_probes = nullptr;
  // A part cut from a larger file after its header (a chunk of a shared job), whose first data row
  // was on line line_shift + 2 there: added to BatchRow::line, to the line an id defaults to, and
  // to the lines the row's warnings and errors name.
  size_t line_shift = 0;
  csv::StreamOptions reader;
};

struct BatchRow {
  size_t ordinal = 0;           // 0 for the first data row
  size_t line = 0;              // physical line where the record starts
  std::string id;               // the id column's value, or the line number
  bool id_from_column = false;  // the id came from the id column (it names a customer)
  ScreenQuery query;
  std::vector<std::string> warnings;  // "parties.csv:4: country: unknown country 'XX'; screened without it"
  size_t script_notes = 0;            // the last warnings: scripts of the name screening does not read
  std::string error;                  // only for a row without a name: "parties.csv:3: name: empty"
  std::vector<Hit> hits;
  QueryProbe probe;    // with BatchOptions::probe
  std::string output;  // the row's answer in options.format, lines ending in '\n' (may be empty for CSV)
};

struct BatchProgress {
  size_t rows = 0;        // data rows answered so far
  size_t bytes_read = 0;  // input consumed so far
};

struct BatchSummary {
  size_t rows = 0;                          // data rows read
  size_t skipped = 0;                       // rows BatchOptions::only_rows left out
  size_t errors = 0;                        // rows without a name (not screened)
  size_t warned = 0;                        // rows screened without a qualifier that could not be read
  size_t uncovered = 0;                     // rows whose name is in a script screening does not read
  size_t hits = 0;                          // hits written
  std::vector<std::string> first_problems;  // the first 20 errors and warnings, for a console
};

// Called once per row, in input order. A failing Status (a full disk) stops the run with that error.
using BatchSink = std::function<Status(const BatchRow&)>;

// Fails (kBadInput) when the input as a whole is unusable: empty, no name column, CSV syntax that
// cannot be read; rows before a syntax error have reached the sink. `lists note` of the screener
// (Screener::lists_note()) goes into every row's answer.
Result<BatchSummary> screen_batch(std::istream& in, std::string_view filename, const Screener& screener,
                                  const TextTables& tables, const BatchOptions& options,
                                  const BatchSink& sink,
                                  const std::function<void(const BatchProgress&)>& progress = {});

// id,query,score,list,entry_id,name,matched_name,warnings,error,case,suppressed_by
std::string batch_csv_header();

// The review-case marks of one hit (store/recording.hpp fills them in): its case, the case's status,
// and whether a false-positive decision in force suppresses it. case_id 0: no case.
struct HitCaseMark {
  std::int64_t case_id = 0;
  std::string status;
  bool suppressed = false;
};
// A row's answer in `format` (what BatchRow::output holds), with case marks per hit (JSON: "case",
// "case_status", "suppressed_by" on each hit; CSV: the case and suppressed_by columns) and, when
// `record` > 0, the audit record that holds it (JSON: "record").
std::string format_batch_row(const BatchRow& row, BatchFormat format, std::string_view lists_note,
                             const std::vector<HitCaseMark>& marks = {}, std::int64_t record = 0);
// The JSON-lines form of a row as an object (format_batch_row's kJsonl line, unserialised).
nlohmann::ordered_json batch_row_to_json(const BatchRow& row, std::string_view lists_note,
                                         const std::vector<HitCaseMark>& marks = {}, std::int64_t record = 0);

}  // namespace clearance
