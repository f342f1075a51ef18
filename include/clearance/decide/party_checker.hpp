// The determination's view of restricted-party screening: a PartyChecker says which lists a
// party is on. The real one runs the Screener (ScreenerPartyChecker, decide/screener_checker.hpp);
// callers may also pass findings they already have in the transaction.
#pragma once

#include <string>
#include <vector>

#include "clearance/common/result.hpp"

namespace clearance {

// One list entry a party matched.
struct PartyFinding {
  std::string list;  // list name, e.g. "Entity List (EL) - Bureau of Industry and Security"
  std::string entry_id;
  std::string name;                 // the entry's primary name
  double score = 0;                 // match score in [0, 1]
  std::string license_requirement;  // as the list entry states it (US lists)
  std::string license_policy;       // e.g. "Presumption of denial."
  std::string citation;             // Federal Register notice or MOFCOM announcement of the listing
  std::vector<std::string> programs;
  std::string listed_on;     // YYYY-MM-DD when known; a finding listed after the as-of date is ignored
  std::string matched_name;  // the list name (primary or alias) that matched
};

// Thread-safety: check() is const and must be safe to call from several threads at once.
class PartyChecker {
 public:
  virtual ~PartyChecker() = default;
  // Findings for a party name (any script) and its country (ISO alpha-2, may be empty), best first;
  // an error when the name cannot be screened (it reads into no word): the party is then not
  // screened, never "no hits".
  virtual Result<std::vector<PartyFinding>> check(const std::string& name,
                                                  const std::string& country) const = 0;
  // Non-empty when the findings come from stand-in lists (the bundled samples of a data home that
  // never imported a list): the sentence every answer using them must carry.
  virtual std::string lists_note() const { return {}; }
};

}  // namespace clearance
