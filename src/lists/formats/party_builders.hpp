// Building Party records from the cells of any list format: names with their scripts, countries,
// addresses, identifiers, dates, programs and remarks, with caps on hostile input; and merging the
// records that share an id. Internal to src/lists.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/lists/party.hpp"
#include "clearance/text/countries.hpp"

namespace clearance::formats {

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

}  // namespace clearance::formats
