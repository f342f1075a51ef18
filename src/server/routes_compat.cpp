// Drop-in endpoints for clients written for the two most used open screening servers:
// yente's POST /match/{dataset} (FollowTheMoney entity queries) and watchman's GET /v2/search.
// The matching is Clearance's own (the same Screener as /v1/screen); only the shapes are theirs.
// Differences from the originals are listed in docs/API.md ("Compatibility endpoints").
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "clearance/common/numbers.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/match/json.hpp"
#include "clearance/match/query.hpp"
#include "server/json_input.hpp"
#include "server/routes.hpp"

namespace clearance::server {

namespace {

// Below this a score is noise; neither endpoint returns hits under it unless asked to.
constexpr double kCompatFloor = 0.5;

std::optional<double> number_param(Call& c, const char* name, double lo, double hi) {
  auto s = c.query(name);
  if (!s) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(s->c_str(), &end);
  if (s->empty() || *end || !std::isfinite(v) || v < lo || v > hi)
    throw ApiError::invalid(name, std::string(name) + ": expected a number in [" + format_plain(lo) + ", " +
                                      format_plain(hi) + "], got '" + *s + "'");
  return v;
}

// The snapshot a party belongs to (its list name in this data home).
const ListSnapshot* snapshot_of(const Screener& s, const Party* p) {
  for (const auto& snap : s.snapshots())
    if (!snap.parties.empty() && p >= snap.parties.data() && p < snap.parties.data() + snap.parties.size())
      return &snap;
  return nullptr;
}

const char* ftm_schema(PartyType t) {
  switch (t) {
    case PartyType::kPerson:
      return "Person";
    case PartyType::kEntity:
      return "Organization";
    case PartyType::kVessel:
      return "Vessel";
    case PartyType::kAircraft:
      return "Airplane";
    case PartyType::kUnknown:
      break;
  }
  return "LegalEntity";
}

PartyType type_of_schema(const std::string& schema) {
  if (schema == "Person") return PartyType::kPerson;
  if (schema == "Company" || schema == "Organization" || schema == "PublicBody") return PartyType::kEntity;
  if (schema == "Vessel") return PartyType::kVessel;
  if (schema == "Airplane") return PartyType::kAircraft;
  return PartyType::kUnknown;  // Thing, LegalEntity …: any type
}

// yente property values are lists of strings (a single string is accepted too).
std::vector<std::string> prop(const nlohmann::json& props, const char* name) {
  std::vector<std::string> out;
  if (!props.contains(name)) return out;
  const auto& v = props[name];
  if (v.is_string()) out.push_back(v.get<std::string>());
  if (v.is_array())
    for (const auto& e : v)
      if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

// Best hit per party over every name of the query, best first. A name that cannot be screened is
// a warning; when none can, the query is refused (an empty answer would read as "no match").
std::vector<Hit> screen_names(const Screener& screener, const TextTables& tables,
                              const std::vector<std::string>& names, const QueryFields& base, double floor,
                              size_t limit, const std::string& field, std::vector<std::string>& warnings) {
  std::vector<Hit> all;
  size_t screened = 0;
  std::string problem;
  for (const auto& name : names) {
    QueryFields f = base;
    f.name = name;
    auto read = read_screen_query(f, tables);
    Result<std::vector<Hit>> hits = read ? Result<std::vector<Hit>>(std::vector<Hit>{}) : read.error();
    if (read) {
      for (const auto& w : read->warnings) warnings.push_back(w.to_string());
      read->query.min_score = floor;
      read->query.limit = limit;
      hits = screener.screen_words(read->query);
    }
    if (!hits) {
      problem = field + ": not screened: " + hits.error().message;
      warnings.push_back(problem);
      continue;
    }
    ++screened;
    for (auto& h : *hits) {
      auto same = std::find_if(all.begin(), all.end(), [&](const Hit& o) { return o.party == h.party; });
      if (same == all.end())
        all.push_back(std::move(h));
      else if (h.score > same->score)
        *same = std::move(h);
    }
  }
  if (screened == 0) throw ApiError::invalid(field, problem);
  std::stable_sort(all.begin(), all.end(), [](const Hit& a, const Hit& b) { return a.score > b.score; });
  return all;
}

}  // namespace

namespace compat {

// yente: POST /match/{dataset}?limit=5&threshold=…&cutoff=…
//   {"queries": {"q1": {"schema": "Person", "properties": {"name": ["…"], "birthDate": ["1970"], …}}}}
Answer yente_match(Call& c) {
  const Screener& screener = *c.state->screener;
  std::string dataset = c.params["dataset"];
  const ListSnapshot* only = nullptr;
  if (dataset != "default" && dataset != "sanctions" && dataset != "all") {
    for (const auto& s : screener.snapshots())
      if (s.info.name == dataset) only = &s;
    if (!only)
      throw ApiError::not_found("no dataset '" + dataset +
                                "': use default, sanctions, all, or a list name of GET /v1/lists");
  }
  size_t limit = static_cast<size_t>(number_param(c, "limit", 1, 500).value_or(5));
  double threshold = number_param(c, "threshold", 0, 1).value_or(kDefaultThreshold);
  double cutoff = number_param(c, "cutoff", 0, 1).value_or(kCompatFloor);
  auto body = c.json_body();
  JsonObject o(body, {"queries", "weights"});
  const auto* queries = o.raw("queries");
  if (!queries || !queries->is_object() || queries->empty())
    throw ApiError::invalid("queries", "queries: expected an object of named entity queries");
  nlohmann::ordered_json responses = nlohmann::ordered_json::object();
  for (auto it = queries->begin(); it != queries->end(); ++it) {
    std::string prefix = "queries." + it.key() + ".";
    JsonObject q(it.value(), {"id", "schema", "properties"}, prefix);
    std::string schema = *q.str("schema", true);
    const auto* props = q.raw("properties");
    if (!props || !props->is_object())
      throw ApiError::invalid(prefix + "properties", prefix + "properties: expected an object");
    auto names = prop(*props, "name");
    for (const char* extra : {"alias", "weakAlias", "previousName"})
      for (auto& n : prop(*props, extra)) names.push_back(n);
    if (names.empty())
      throw ApiError::invalid(prefix + "properties.name", prefix + "properties.name: required");
    QueryFields base;
    base.type = std::string(to_string(type_of_schema(schema)));
    if (type_of_schema(schema) == PartyType::kUnknown) base.type.clear();
    for (const char* f : {"nationality", "country", "jurisdiction", "citizenship"})
      if (auto v = prop(*props, f); !v.empty() && base.country.empty()) base.country = v.front();
    if (auto v = prop(*props, "birthDate"); !v.empty()) base.dob = v.front();
    for (const char* f : {"idNumber", "passportNumber", "registrationNumber", "taxNumber", "imoNumber"})
      for (auto& v : prop(*props, f)) base.ids.push_back(v);
    std::vector<std::string> warnings;
    size_t want = only ? limit * 4 + 20 : limit;
    auto hits = screen_names(screener, *c.state->tables, names, base, cutoff, want,
                             prefix + "properties.name", warnings);
    nlohmann::ordered_json results = nlohmann::ordered_json::array();
    for (const auto& h : hits) {
      const ListSnapshot* snap = snapshot_of(screener, h.party);
      if (only && snap != only) continue;
      if (results.size() >= limit) break;
      const Party& p = *h.party;
      nlohmann::ordered_json properties = nlohmann::ordered_json::object();
      for (const auto& n : p.names) properties["name"].push_back(n.text);
      if (!p.countries.empty()) properties["country"] = p.countries;
      if (!p.birth_dates.empty()) properties["birthDate"] = p.birth_dates;
      if (!p.programs.empty()) properties["program"] = p.programs;
      for (const auto& id : p.ids) properties["idNumber"].push_back(id.number);
      results.push_back({{"id", p.id},
                         {"caption", p.primary_name()},
                         {"schema", ftm_schema(p.type)},
                         {"properties", std::move(properties)},
                         {"datasets", {snap ? snap->info.name : p.list}},
                         {"referents", nlohmann::ordered_json::array()},
                         {"target", true},
                         {"first_seen", nullptr},
                         {"last_seen", nullptr},
                         {"last_change", nullptr},
                         {"score", h.score},
                         {"features", {{"clearance_name_score", h.score}}},
                         {"match", h.score >= threshold},
                         {"explanation", h.explanation}});
    }
    nlohmann::ordered_json r = {{"status", 200},
                                {"results", std::move(results)},
                                {"total", {{"value", 0}, {"relation", "eq"}}},
                                {"query", it.value()}};
    r["total"]["value"] = r["results"].size();
    if (!warnings.empty()) r["warnings"] = warnings;
    responses[it.key()] = std::move(r);
  }
  Answer a;
  a.body = {{"responses", std::move(responses)},
            {"matcher",
             {{"clearance_name_score",
               {{"description", "Clearance's calibrated name score (docs/SCORES.md), qualifiers applied"},
                {"coefficient", 1.0},
                {"url", "docs/SCORES.md"}}}}},
            {"limit", limit}};
  add_lists_note(a.body, screener.lists_note());
  a.with_provenance = true;
  c.svc.record_answer(
      c, a, "screen.yente",
      {{"dataset", dataset}, {"limit", limit}, {"threshold", threshold}, {"cutoff", cutoff}, {"body", body}},
      true, false);
  return a;
}

// watchman: GET /v2/search?name=…&type=person&birthDate=…&limit=10&minMatch=0.80
Answer watchman_search(Call& c) {
  const Screener& screener = *c.state->screener;
  auto name = c.query("name");
  if (!name || trim(*name).empty()) throw ApiError::invalid("name", "name: required");
  size_t limit = static_cast<size_t>(number_param(c, "limit", 1, 500).value_or(10));
  double min_match = number_param(c, "minMatch", 0, 1).value_or(kCompatFloor);
  QueryFields f;
  f.name = *name;
  std::string type = to_lower_ascii(c.query("type").value_or(""));
  if (type == "business" || type == "organization") type = "entity";
  if (!type.empty() && type != "person" && type != "entity" && type != "vessel" && type != "aircraft")
    throw ApiError::invalid("type", "type: expected person, business, organization, vessel or aircraft");
  f.type = type;
  f.dob = c.query("birthDate").value_or("");
  std::vector<std::string> warnings;
  auto hits = screen_names(screener, *c.state->tables, {*name}, f, min_match, limit, "name", warnings);
  nlohmann::ordered_json entities = nlohmann::ordered_json::array();
  for (const auto& h : hits) {
    const Party& p = *h.party;
    const ListSnapshot* snap = snapshot_of(screener, h.party);
    std::string etype = p.type == PartyType::kPerson     ? "person"
                        : p.type == PartyType::kEntity   ? "business"
                        : p.type == PartyType::kVessel   ? "vessel"
                        : p.type == PartyType::kAircraft ? "aircraft"
                                                         : "unknown";
    nlohmann::ordered_json e = {
        {"name", p.primary_name()}, {"entityType", etype}, {"sourceList", snap ? snap->info.name : p.list},
        {"sourceID", p.id},         {"match", h.score},    {"matchedName", h.matched_name}};
    if (p.type == PartyType::kPerson)
      e["person"] = {{"name", p.primary_name()},
                     {"birthDate", p.birth_dates.empty() ? nlohmann::ordered_json()
                                                         : nlohmann::ordered_json(p.birth_dates.front())}};
    nlohmann::ordered_json alts = nlohmann::ordered_json::array();
    for (size_t i = 1; i < p.names.size(); ++i) alts.push_back(p.names[i].text);
    e["altNames"] = std::move(alts);
    e["programs"] = p.programs;
    entities.push_back(std::move(e));
  }
  Answer a;
  a.body = {{"entities", std::move(entities)}};
  if (!warnings.empty()) a.body["warnings"] = warnings;
  add_lists_note(a.body, screener.lists_note());
  a.with_provenance = true;
  c.svc.record_answer(c, a, "screen.watchman", {{"target", std::string(sv(c.req.target()))}}, true, false);
  return a;
}

}  // namespace compat
}  // namespace clearance::server
