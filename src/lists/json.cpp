#include "clearance/lists/json.hpp"

namespace clearance {

nlohmann::ordered_json snapshot_info_to_json(const SnapshotInfo& i) {
  return {
      {"name", i.name},   {"format", i.format},   {"source_date", i.source_date},      {"entries", i.entries},
      {"names", i.names}, {"snapshot_id", i.id},  {"imported_at", i.imported_at},      {"files", i.files},
      {"rows", i.rows},   {"skipped", i.skipped}, {"bundled_sample", i.bundled_sample}};
}

nlohmann::ordered_json party_to_json(const Party& p) {
  nlohmann::ordered_json names = nlohmann::ordered_json::array(), addresses = nlohmann::ordered_json::array(),
                         ids = nlohmann::ordered_json::array();
  for (const auto& n : p.names) names.push_back({{"name", n.text}, {"kind", to_string(n.kind)}});
  for (const auto& a : p.addresses) addresses.push_back({{"address", a.text}, {"country", a.country}});
  for (const auto& i : p.ids) ids.push_back({{"type", i.type}, {"number", i.number}, {"country", i.country}});
  nlohmann::ordered_json j = {{"id", p.id},     {"list", p.list},         {"type", to_string(p.type)},
                              {"names", names}, {"addresses", addresses}, {"countries", p.countries},
                              {"ids", ids},     {"programs", p.programs}, {"birth_dates", p.birth_dates}};
  for (auto [key, value] : {std::pair<const char*, const std::string*>{"listed_on", &p.listed_on},
                            {"citation", &p.citation},
                            {"license_requirement", &p.license_requirement},
                            {"license_policy", &p.license_policy},
                            {"remarks", &p.remarks},
                            {"source_url", &p.source_url}})
    if (!value->empty()) j[key] = *value;
  return j;
}

}  // namespace clearance
