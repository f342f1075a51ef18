// The JSON and text shapes of screening answers (DESIGN.md, `screen` and `compare`), shared by the
// CLI and the HTTP server so that they cannot drift:
//
//   {"query": {"name", "type", "country", "dob"},
//    "hits": [{"score", "list", "entry_id", "name", "matched_name", "matched_kind", "type",
//              "countries", "programs", "explanation"}],
//    "warnings": ["dob: cannot read date '3/4/71' (…); screened without it"],     when any
//    "using_sample_lists": true, "lists_note": "…"}                                when the bundled
//                                                                                   samples stood in
// Batch rows (match/batch.hpp) add "id" first, or carry {"id", "error"} instead.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/match/screener.hpp"

namespace clearance {

nlohmann::ordered_json screen_query_to_json(const ScreenQuery& q);
nlohmann::ordered_json hit_to_json(const Hit& h);
nlohmann::ordered_json screening_to_json(const ScreenQuery& q, const std::vector<Hit>& hits,
                                         const std::vector<std::string>& warnings = {},
                                         std::string_view lists_note = {});
// One hit per block: score, name and list, the matched alias, then the explanation; or a
// "no hits at or above …" line; then a "warning: …" line per warning and the lists note when
// there is one.
std::string screening_to_text(const ScreenQuery& q, const std::vector<Hit>& hits,
                              std::string_view lists_note = {},
                              const std::vector<std::string>& warnings = {});

nlohmann::ordered_json comparison_to_json(const Screener::Comparison& c);
std::string comparison_to_text(const Screener::Comparison& c);

// Adds "using_sample_lists": true and "lists_note" to an answer when `note` is not empty
// (Screener::lists_note()); every answer that screened against the lists goes through it.
void add_lists_note(nlohmann::ordered_json& answer, std::string_view note);
// "note: …\n", or "" when there is no note.
std::string lists_note_line(std::string_view note);

}  // namespace clearance
