// OFAC's free-text conventions: the remarks that carry birth dates, identifiers, nationalities and
// weak a.k.a.s, and the list name of a non-SDN entry. Internal to src/lists.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "clearance/lists/party.hpp"
#include "clearance/text/countries.hpp"

namespace clearance::formats {

// OFAC remarks ("DOB 12 Jan 1960; alt. DOB 1961; Passport A1234 (Iran); nationality Iran;
// a.k.a. 'X'; Vessel Registration Identification IMO 9187629; …"): birth dates, ids, nationality
// and citizenship countries, and the weak a.k.a.s OFAC keeps only in remarks.
void parse_ofac_remarks(Party& p, std::string_view remarks, const CountryTable& countries);

// The list name of an OFAC non-SDN entry from its programs.
std::string ofac_nonsdn_list(const std::vector<std::string>& programs);
inline constexpr std::string_view kOfacSdnList = "Specially Designated Nationals (SDN) - Treasury Department";

}  // namespace clearance::formats
