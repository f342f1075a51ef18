// Helpers shared by the per-format loaders: building Party records (names with scripts, countries,
// identifiers, dates), reporting bad rows, merging records that share an id, and the free-text
// conventions of the US lists (CSL "ids" cells, OFAC remarks). Internal to src/lists.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/common/result.hpp"
#include "clearance/lists/loaders.hpp"
#include "clearance/lists/party.hpp"
#include "clearance/text/countries.hpp"

namespace clearance::formats {

// Runs a loader so that no exception escapes the library: a throw (a bug, or a parser library's
// own exception) becomes kInternal naming the input and the loader.
template <class Fn>
Result<LoadedList> without_throwing(const std::string& where, const char* loader, Fn fn) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return Error::Internal(where + ": " + loader + " loader failed: " + e.what());
  } catch (...) {
    return Error::Internal(where + ": " + loader + " loader failed");
  }
}

// Reports bad rows for one load. skip() counts and records a skipped row; in strict mode it returns
// the error the loader must fail with ("file:line: field: message").
class RowErrors {
 public:
  RowErrors(const LoadOptions& options, LoadReport& report) : options_(options), report_(report) {}
  [[nodiscard]] std::optional<Error> skip(std::string_view file, size_t line, std::string_view field,
                                          std::string message);
  // An alias/address/comment row whose entry is missing: counted and reported, never fatal.
  void orphan(std::string_view file, size_t line, std::string_view field, std::string message);
  // A record that is well-formed but holds nothing this loader imports (e.g. an FtM schema that is
  // not a party): counted as skipped and reported, but never fatal, even in strict mode.
  void ignore(std::string_view file, size_t line, std::string_view field, std::string message);
  // A note that is neither a skip nor an orphan (e.g. a whole file missing from a set).
  void note(std::string_view file, size_t line, std::string_view field, std::string message);

 private:
  const LoadOptions& options_;
  LoadReport& report_;
};

// Maps byte offsets to 1-based line numbers.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  size_t line_of(size_t offset) const;

 private:
  std::vector<size_t> newlines_;
};

// The offset of the first invalid UTF-8 byte, or npos.
size_t invalid_utf8_at(std::string_view s);
// "… (byte 0xE9 at column 12)" for messages.
std::string invalid_utf8_message(std::string_view s, size_t at);

// The dotted key path ("properties.name") of the JSON member holding byte `offset` of `json_text`.
std::string json_key_at(std::string_view json_text, size_t offset);

// Trims and collapses runs of white space (including line breaks) into one space.
std::string clean(std::string_view s);
bool has_digit(std::string_view s);
bool has_letter(std::string_view s);

// normalize_date that never throws.
std::string safe_date(std::string_view raw);

// Party builders. All of them trim, ignore empty values and keep their vectors free of duplicates.
// Each vector of a party holds at most kMaxValuesPerParty values and the remarks at most
// kMaxRemarksBytes: the real lists stay far below (the most aliases of one OFAC entry is 95), and a
// hostile cell of millions of aliases must not take quadratic time. Values beyond are dropped;
// capped_values() tells the loader so it reports the row.
inline constexpr size_t kMaxValuesPerParty = 1000;
inline constexpr size_t kMaxRemarksBytes = size_t{64} << 10;
void add_name(Party& p, std::string_view text, NameKind kind);
// add_name for many names at once, in linear time (one cell of aliases).
void add_names(Party& p, const std::vector<std::string>& texts, NameKind kind);
// "names, addresses" when a party reached a cap (values were dropped), else empty.
std::string capped_values(const Party& p);
void add_country(Party& p, std::string_view code);
// Resolves a country name or code; returns the code or empty (and adds nothing) when unknown.
std::string add_country_name(Party& p, const CountryTable& countries, std::string_view name);
void add_address(Party& p, std::string_view text, std::string_view country);
// Adds an identifier after normalising it ("IMO 9187629" numbers become type IMO); drops the
// informational pseudo-ids of the US lists ("Gender", "Secondary sanctions risk:", …).
void add_id(Party& p, std::string_view type, std::string_view number, std::string_view country);
bool is_informational_id_type(std::string_view type);
// Accepts "12 Jan 1960", "circa 1960", "1961 to 1963" (each year), "1960-01-12", "Nov. 1973" …
void add_birth_date(Party& p, std::string_view raw);
void add_program(Party& p, std::string_view program);
void append_remarks(Party& p, std::string_view text);
// Keeps the earliest date.
void set_listed_on(Party& p, std::string_view raw);
// Makes names[0] the primary name and every other name a non-primary one.
void finish_party(Party& p);

// Merges parties sharing an id in the same list (one source record split over several rows, as the
// Entity List does per country). Parties sharing an id across different lists (the CSL repeats an
// OFAC entry under SDN, SSI and CAPTA) stay separate and get "<id>-<list code>" ids.
void merge_duplicate_ids(std::vector<Party>& parties);

// The short code of a list name: "Entity List (EL) - Bureau …" → "el".
std::string list_code(std::string_view list);

// CSL "ids" cells: "Passport, A123, IR; Registration Number, 123" (current) or
// "IR, A123, Passport; 123, Registration Number" (older files and the converted JSON).
enum class IdOrder { kTypeFirst, kNumberFirst };
struct IdOrderVotes {
  long type_first = 0;
  long number_first = 0;
  void add(std::string_view cell, const CountryTable& countries);
  void add_parts(const std::vector<std::string>& parts, const CountryTable& countries);
  IdOrder order() const { return number_first > type_first ? IdOrder::kNumberFirst : IdOrder::kTypeFirst; }
};
void add_csl_ids(Party& p, std::string_view cell, IdOrder order, const CountryTable& countries);
void add_csl_id_parts(Party& p, std::vector<std::string> parts, IdOrder order, const CountryTable& countries);

// One CSL record, whichever file layout (CSV or JSON) it came from.
struct CslRecord {
  std::string id, source, entity_number, type, name, title, federal_register_notice, start_date,
      license_requirement, license_policy, call_sign, remarks, source_list_url, source_information_url;
  std::vector<std::string> programs, alt_names, citizenships, dates_of_birth, nationalities;
  std::string address_cell;                                        // CSV: "text, CC; text, CC"
  std::vector<std::pair<std::string, std::string>> address_parts;  // JSON: (text, country name or code)
};
// Builds the party (without ids: those need the file-wide IdOrder, see add_csl_ids).
Party build_csl_party(const CslRecord& r, const CountryTable& countries);
// "a, b, CC; c, CC" → addresses, each ending with ", CC"; pieces without a code join the next one.
void add_csl_addresses(Party& p, std::string_view cell, const CountryTable& countries);
inline constexpr std::string_view kCslFallbackList =
    "Consolidated Screening List - International Trade Administration";

// OFAC remarks ("DOB 12 Jan 1960; alt. DOB 1961; Passport A1234 (Iran); nationality Iran;
// a.k.a. 'X'; Vessel Registration Identification IMO 9187629; …"): birth dates, ids, nationality
// and citizenship countries, and the weak a.k.a.s OFAC keeps only in remarks.
void parse_ofac_remarks(Party& p, std::string_view remarks, const CountryTable& countries);

// The list name of an OFAC non-SDN entry from its programs.
std::string ofac_nonsdn_list(const std::vector<std::string>& programs);
inline constexpr std::string_view kOfacSdnList = "Specially Designated Nationals (SDN) - Treasury Department";

}  // namespace clearance::formats
