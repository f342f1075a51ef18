#include "clearance/match/json.hpp"

#include "clearance/common/numbers.hpp"

namespace clearance {

nlohmann::ordered_json screen_query_to_json(const ScreenQuery& q) {
  nlohmann::ordered_json j = {{"name", q.name}};
  if (q.type != PartyType::kUnknown) j["type"] = std::string(to_string(q.type));
  if (!q.country.empty()) j["country"] = q.country;
  if (!q.birth_date.empty()) j["dob"] = q.birth_date;
  return j;
}

nlohmann::ordered_json hit_to_json(const Hit& h) {
  const Party& p = *h.party;
  return {{"score", h.score},
          {"list", p.list},
          {"entry_id", p.id},
          {"name", p.primary_name()},
          {"matched_name", h.matched_name},
          {"matched_kind", std::string(to_string(h.matched_kind))},
          {"type", std::string(to_string(p.type))},
          {"countries", p.countries},
          {"programs", p.programs},
          {"explanation", h.explanation}};
}

void add_lists_note(nlohmann::ordered_json& answer, std::string_view note) {
  if (note.empty()) return;
  answer["using_sample_lists"] = true;
  answer["lists_note"] = std::string(note);
}

std::string lists_note_line(std::string_view note) {
  return note.empty() ? std::string() : "note: " + std::string(note) + "\n";
}

nlohmann::ordered_json screening_to_json(const ScreenQuery& q, const std::vector<Hit>& hits,
                                         const std::vector<std::string>& warnings,
                                         std::string_view lists_note) {
  nlohmann::ordered_json j = {{"query", screen_query_to_json(q)}, {"hits", nlohmann::ordered_json::array()}};
  for (const auto& h : hits) j["hits"].push_back(hit_to_json(h));
  if (!warnings.empty()) j["warnings"] = warnings;
  add_lists_note(j, lists_note);
  return j;
}

std::string screening_to_text(const ScreenQuery& q, const std::vector<Hit>& hits, std::string_view lists_note,
                              const std::vector<std::string>& warnings) {
  std::string out;
  if (hits.empty()) out += "no hits at or above " + format_fixed(q.min_score, 2) + " for '" + q.name + "'\n";
  for (const auto& h : hits) {
    out += format_fixed(h.score, 4) + "  " + h.party->primary_name() + "  [" + h.party->list + "]\n";
    if (h.matched_name != h.party->primary_name())
      out += "        matched " + std::string(to_string(h.matched_kind)) + ": " + h.matched_name + "\n";
    for (const auto& e : h.explanation) out += "        - " + e + "\n";
  }
  for (const auto& w : warnings) out += "warning: " + w + "\n";
  return out + lists_note_line(lists_note);
}

nlohmann::ordered_json comparison_to_json(const Screener::Comparison& c) {
  return {{"score", c.score}, {"explanation", c.explanation}};
}

std::string comparison_to_text(const Screener::Comparison& c) {
  std::string out = format_fixed(c.score, 4) + "\n";
  for (const auto& e : c.explanation) out += "  - " + e + "\n";
  return out;
}

}  // namespace clearance
