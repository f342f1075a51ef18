// The Consolidated Screening List's record, whichever layout (CSV or JSON) it came in, and the
// conventions of its cells: "ids" in either order, addresses ending with a country code.
// Internal to src/lists.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clearance/lists/party.hpp"
#include "clearance/text/countries.hpp"

namespace clearance::formats {

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

}  // namespace clearance::formats
