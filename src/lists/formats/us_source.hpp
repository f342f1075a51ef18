// Shared by the loaders of the lists as BIS and the State Department publish them themselves (not via
// the CSL): the Denied Persons List text file, the Entity List / MEU "source layout" CSV, the ISN,
// UVL and DDTC debarred-parties CSVs. All of them are one header row and one record per row, mapped
// by header name, with the same row-level checks:
//   - more fields than the header, or a value under a header cell that is empty: skipped, reported;
//   - fewer fields than the header names: accepted when the row still reaches the layout's last
//     required column (the sources drop trailing empty cells), the rest read as empty, and noted in
//     the report; shorter rows are skipped and reported;
//   - invalid UTF-8: skipped, reported with the line and column of the bad byte;
//   - a row with no values at all: skipped and reported (never fatal, even in strict mode);
//   - a row without a name: skipped and reported.
// Internal to src/lists.
#pragma once

#include <cstddef>
#include <exception>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clearance/common/csv.hpp"
#include "clearance/common/result.hpp"
#include "clearance/lists/loaders.hpp"
#include "clearance/lists/party.hpp"
#include "clearance/text/countries.hpp"
#include "lists/formats/party_builders.hpp"
#include "lists/formats/row_errors.hpp"

namespace clearance::formats {

// Official list names, as the CSL spells them.
inline constexpr std::string_view kDplList = "Denied Persons List (DPL) - Bureau of Industry and Security";
inline constexpr std::string_view kElList = "Entity List (EL) - Bureau of Industry and Security";
inline constexpr std::string_view kMeuList = "Military End User (MEU) List - Bureau of Industry and Security";
inline constexpr std::string_view kUvlList = "Unverified List (UVL) - Bureau of Industry and Security";
inline constexpr std::string_view kIsnList = "Nonproliferation Sanctions (ISN) - State Department";
inline constexpr std::string_view kDtcList = "ITAR Debarred (DTC) - State Department";

struct TableLayout {
  std::string_view what;  // "BIS Denied Persons List", for messages
  char separator = ',';
  std::vector<std::string_view> required;  // header names (lower case) the file must have
  std::string_view name_column;            // lower case
  std::string_view last_required;          // lower case; a short row must still reach this column
};

class SourceTable {
 public:
  SourceTable(const SourceFile& file, const LoadOptions& options, const TableLayout& layout,
              LoadReport& report);

  // Reads and checks the header. kBadInput: empty file, missing columns, invalid UTF-8 in the header,
  // a CSV error.
  Status open();
  // Advances to the next good row: true when there is one, false at the end. Bad rows are counted
  // (LoadReport::rows, skipped) and reported here; in strict mode the first one is the error returned.
  Result<bool> next();

  // Column index of a header name (lower case), or -1.
  int col(std::string_view lower_name) const;
  // The current row's field (raw, untrimmed); empty for a missing column or a field the row lacks.
  std::string_view get(int c) const;
  // The current row's field as text: trimmed, blanks collapsed (clean()), and C1 control characters
  // U+0080–U+009F read as the Windows-1252 punctuation they stand for (text that went through a
  // Latin-1 decoder on its way to UTF-8: "Sa\u0092id" is "Sa’id"). The first repair in a file is noted.
  std::string text(int c);
  // The column's name as the header writes it ("column N" for an empty header cell).
  std::string col_name(int c) const;
  size_t line() const { return rec_.line; }
  const std::string& path() const { return file_.path; }
  RowErrors& errors() { return errors_; }
  // A note (not a skip) about the current row.
  void note(std::string_view field, std::string message);

 private:
  Error reader_error() const;

  const SourceFile& file_;
  const LoadOptions& options_;
  const TableLayout& layout_;
  LoadReport& report_;
  RowErrors errors_;
  csv::Reader reader_;
  csv::Record rec_;
  std::vector<std::string> header_;  // as written, trimmed
  std::vector<std::string> lower_;   // lower case
  size_t named_ = 0;                 // header cells up to the last non-empty one
  size_t min_fields_ = 0;
  int name_col_ = -1;
  bool c1_noted_ = false;
};

// Replaces C1 control characters (U+0080–U+009F, bytes C2 80–C2 9F) with the Windows-1252 characters
// of the same byte values. Sets *changed when it replaced any.
std::string repair_c1_controls(std::string_view s, bool* changed);

// Names with their aliases written inline: "X a.k.a. Y", "X, a.k.a. Y, a.k.a. Z", "X A/K/A Y",
// "X D/B/A Y", "X f.k.a. Y", "X (a.k.a. Y; Z)", "PEARL (A.K.A. NEI-CHIEN CHU) LI". Returns the name
// without its alias clauses and the aliases (f.k.a. → kFka, the others kAka). A name that would be
// left empty stays whole.
struct InlineAliases {
  std::string name;
  std::vector<std::pair<std::string, NameKind>> aliases;
};
InlineAliases split_inline_aliases(std::string_view name);
// Adds the name (primary when the party has none yet) and its inline aliases.
void add_name_with_aliases(Party& p, std::string_view name, NameKind kind);

// "street, city, state, postal code" from the non-empty parts.
std::string join_address(std::initializer_list<std::string_view> parts);

// Resolves a country cell through the country table. A value that is not a country is noted in the
// report (field = the column) and returned in `unresolved` so the caller can keep it in the text.
std::string resolve_country_cell(SourceTable& t, const CountryTable& countries, int col,
                                 std::string* unresolved);

}  // namespace clearance::formats
