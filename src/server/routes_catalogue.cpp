// The item catalogue and the rule pack in force, for people and integrators looking up what a
// determination can be asked about.
#include "clearance/common/strings.hpp"
#include "server/routes.hpp"

namespace clearance::server {

namespace {

nlohmann::ordered_json item_json(const Item& it) {
  nlohmann::ordered_json j = {{"id", it.id},
                              {"name", it.name},
                              {"kind", it.kind},
                              {"vendor", it.vendor},
                              {"year", it.year},
                              {"synonyms", it.synonyms},
                              {"names_zh", it.names_zh},
                              {"origin", it.origin},
                              {"eccn", it.eccn},
                              {"cn_control_code", it.cn_control_code},
                              {"hs_codes", it.hs_codes}};
  return j;
}

bool contains_icase(const std::string& hay, const std::string& needle_lower) {
  return to_lower_ascii(hay).find(needle_lower) != std::string::npos;
}

std::optional<std::string> date_or_null(Date d, Date bound) {
  if (d == bound) return std::nullopt;
  return d.to_string();
}

}  // namespace

namespace catalogue {

// GET /v1/items?q=TEXT&limit=N: the item the text resolves to as `classify --model` would (first),
// then every item whose id, name, synonym, Chinese name or HS code contains the text.
Answer items(Call& c) {
  std::string q = std::string(trim(c.query("q").value_or("")));
  size_t limit = 50;
  if (auto l = c.query("limit")) {
    char* end = nullptr;
    long v = std::strtol(l->c_str(), &end, 10);
    if (l->empty() || *end || v < 1 || v > 1000)
      throw ApiError::invalid("limit", "limit: must be an integer in [1, 1000]");
    limit = static_cast<size_t>(v);
  }
  const Catalogue& cat = c.state->engine->catalogue();
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  std::vector<const Item*> seen;
  auto add = [&](const Item* it, const std::string& how) {
    if (out.size() >= limit || std::find(seen.begin(), seen.end(), it) != seen.end()) return;
    seen.push_back(it);
    auto j = item_json(*it);
    j["matched"] = how;
    out.push_back(std::move(j));
  };
  nlohmann::ordered_json resolved = nullptr;
  if (!q.empty()) {
    if (auto m = c.state->engine->resolve_item(q); m && m->item) add(m->item.get(), "resolved");
    std::string lq = to_lower_ascii(q);
    for (const auto& it : cat.items()) {
      bool hit = contains_icase(it->id, lq) || contains_icase(it->name, lq);
      for (const auto& s : it->synonyms) hit = hit || contains_icase(s, lq);
      for (const auto& s : it->names_zh) hit = hit || s.find(q) != std::string::npos;
      for (const auto& s : it->hs_codes) hit = hit || s.find(q) != std::string::npos;
      if (hit) add(it.get(), "contains");
    }
  } else {
    for (const auto& it : cat.items()) add(it.get(), "all");
  }
  Answer a;
  a.body = {{"query", q}, {"items", std::move(out)}, {"catalogue_items", cat.items().size()}};
  a.with_provenance = true;
  return a;
}

// GET /v1/rules[?jurisdiction=US-EAR]: the rule pack in force (its version is the content hash
// every determination names) and its licensing and classification rules.
Answer rules(Call& c) {
  const RuleSet& rs = c.state->engine->rules();
  auto want = c.query("jurisdiction");
  auto rule_json = [&](const Rule& r) {
    nlohmann::ordered_json j = {{"id", r.id},
                                {"title", r.title},
                                {"jurisdiction", r.jurisdiction},
                                {"file", r.file},
                                {"line", r.line},
                                {"effective_from", date_or_null(r.effective_from, Date::min()).value_or("")},
                                {"effective_to", nullptr},
                                {"outcome", std::string(to_string(r.outcome))},
                                {"review_policy", std::string(to_string(r.review_policy))},
                                {"citation", r.citation},
                                {"confidence", std::string(1, r.confidence)}};
    if (auto to = date_or_null(r.effective_to, Date::max())) j["effective_to"] = *to;
    if (j["effective_from"] == "") j["effective_from"] = nullptr;
    return j;
  };
  nlohmann::ordered_json licensing = nlohmann::ordered_json::array(),
                         classification = nlohmann::ordered_json::array();
  for (const auto& r : rs.rules())
    if (!want || r.jurisdiction == *want) licensing.push_back(rule_json(r));
  for (const auto& r : rs.classification())
    if (!want || r.jurisdiction == *want) classification.push_back(rule_json(r));
  nlohmann::ordered_json jurisdictions = nlohmann::ordered_json::array();
  for (const auto& j : rs.jurisdictions()) jurisdictions.push_back({{"id", j.id}, {"name", j.name}});
  Answer a;
  a.body = {{"version", rs.version()},
            {"files", rs.files()},
            {"jurisdictions", std::move(jurisdictions)},
            {"rules", std::move(licensing)},
            {"classification", std::move(classification)}};
  a.with_provenance = true;
  return a;
}

}  // namespace catalogue
}  // namespace clearance::server
