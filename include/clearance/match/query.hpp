// What a person typed — a name and optional type, country, date of birth and identifiers — read
// into a ScreenQuery. The one reader behind the single-name and batch paths of every front end,
// so the CLI and the HTTP server read qualifiers alike.
//
// Fail-safe: only the name is required. A qualifier that cannot be read (a date such as 3/4/71, an
// unknown country, an identifier without a number) is left out of the query, so the name is still
// screened, and comes back as a warning naming the field. Qualifiers only ever lower a score, so
// dropping one can only add hits, never hide one.
#pragma once

#include <string>
#include <vector>

#include "clearance/common/result.hpp"
#include "clearance/match/screener.hpp"
#include "clearance/text/tables.hpp"

namespace clearance {

struct QueryFields {
  std::string name;
  std::string type;              // person, entity … (any case); empty: unknown
  std::string country;           // ISO alpha-2 or a country name; empty: none
  std::string dob;               // a date in a common layout (see normalize_date, kUnambiguous)
  std::vector<std::string> ids;  // TYPE:NUMBER, or NUMBER alone
};

struct QueryWarning {
  std::string field;    // "dob", "country", "type", "id", "name"
  std::string message;  // "cannot read date '3/4/71' (two-digit year: write the year in full)"
  std::string to_string() const { return field + ": " + message + "; screened without it"; }
};

struct ReadQuery {
  ScreenQuery query;
  std::vector<QueryWarning> warnings;
  // What the answer cannot cover, said with it (never an error): the name is written in a script
  // the matcher does not read as the lists romanise it (uncovered_scripts).
  std::vector<std::string> notes;
};

// One note per script of the name that screening does not cover: Lao (read letter by letter, not in
// the lists' romanisation), Khmer, and Burmese whose syllables the Burmese table cannot all read. A
// listed name written so may be missed, so an answer without hits must not read as "not listed"
// (fail closed).
std::vector<std::string> uncovered_scripts(std::string_view name, const TextTables& tables);

// "person", "entity" … (any case); empty gives kUnknown; anything else fails (kBadInput).
Result<PartyType> parse_party_type(std::string_view s);

// Fails (kBadInput, "name: empty") only when the name is empty. Invalid UTF-8 in the name is
// replaced by U+FFFD with a warning. query.min_score and limit keep their defaults.
Result<ReadQuery> read_screen_query(const QueryFields& fields, const TextTables& tables);

}  // namespace clearance
