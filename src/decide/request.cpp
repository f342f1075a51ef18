#include "clearance/decide/request.hpp"

#include <set>

namespace clearance {

nlohmann::json request_from_transaction(const Transaction& t, bool screen, const std::string& spec_text) {
  nlohmann::json j = nlohmann::json::object();
  if (!t.id.empty()) j["id"] = t.id;
  j["as_of"] = t.as_of.to_string();
  nlohmann::json items = nlohmann::json::array();
  for (const auto& line : t.items)
    if (!line.spec) items.push_back(line.item);
  if (!items.empty()) j["items"] = items;
  if (!spec_text.empty()) j["spec"] = spec_text;
  if (!t.items.empty()) {
    if (t.items.front().quantity) j["quantity"] = *t.items.front().quantity;
    if (t.items.front().value) j["value"] = *t.items.front().value;
  }
  j["to"] = t.destination;
  for (auto [key, value] : {std::pair<const char*, const std::string*>{"from", &t.from},
                            {"origin", &t.origin},
                            {"exporter", &t.exporter},
                            {"buyer_hq", &t.buyer_hq}})
    if (!value->empty()) j[key] = *value;
  if (!t.end_uses.empty()) j["end_uses"] = t.end_uses;
  // Issue 10's inputs: without them a replay would answer another question.
  if (!t.region.empty()) j["region"] = t.region;
  if (!t.items.empty() && !t.items.front().eccn.empty()) j["eccn"] = t.items.front().eccn;
  if (t.en_route_since) j["en_route_since"] = t.en_route_since->to_string();
  if (t.show_all_uncertain) j["all_uncertain"] = true;
  j["screen"] = screen;
  if (!t.parties.empty()) {
    nlohmann::json parties = nlohmann::json::array();
    for (const auto& p : t.parties)
      parties.push_back({{"name", p.name}, {"country", p.country}, {"role", p.role}});
    j["parties"] = parties;
  }
  return j;
}

namespace {

// "field: why", with the field kept for callers that answer per field (an HTTP 400).
Error bad(const std::string& field, const std::string& why) {
  Error e = Error::BadInput(field + ": " + why);
  e.field = field;
  return e;
}

}  // namespace

Result<Transaction> transaction_from_request(const nlohmann::json& j, const Engine& engine) {
  if (!j.is_object()) return Error::BadInput("check request: expected a JSON object");
  static const std::set<std::string> kFields{
      "id",      "items",  "spec",     "quantity", "value",          "to",
      "from",    "origin", "exporter", "buyer_hq", "end_uses",       "screen",
      "parties", "as_of",  "region",   "eccn",     "en_route_since", "all_uncertain"};
  for (const auto& [k, v] : j.items())
    if (!kFields.count(k)) return bad(k, "unknown field");
  auto str = [&](const char* k) -> Result<std::string> {
    if (!j.contains(k) || j[k].is_null()) return std::string();
    if (!j[k].is_string()) return bad(k, "expected a string");
    return j[k].get<std::string>();
  };
  auto num = [&](const char* k) -> Result<std::optional<double>> {
    if (!j.contains(k) || j[k].is_null()) return std::optional<double>{};
    if (!j[k].is_number()) return bad(k, "expected a number");
    return std::optional<double>(j[k].get<double>());
  };
  Transaction t;
  for (auto [key, out] : {std::pair<const char*, std::string*>{"id", &t.id},
                          {"to", &t.destination},
                          {"from", &t.from},
                          {"origin", &t.origin},
                          {"exporter", &t.exporter},
                          {"buyer_hq", &t.buyer_hq},
                          {"region", &t.region}}) {
    auto v = str(key);
    if (!v) return v.error();
    *out = *v;
  }
  if (t.destination.empty()) return bad("to", "required");
  auto as_of = str("as_of");
  if (!as_of) return as_of.error();
  auto d = Date::parse(*as_of);
  if (!d) return bad("as_of", "bad date '" + *as_of + "' (expected YYYY-MM-DD)");
  t.as_of = *d;
  auto quantity = num("quantity");
  if (!quantity) return quantity.error();
  auto value = num("value");
  if (!value) return value.error();
  if (j.contains("items") && !j["items"].is_null()) {
    // One name, or a list of names.
    const auto& items = j["items"];
    if (!items.is_array() && !items.is_string()) return bad("items", "expected a name or an array of names");
    const auto list = items.is_string() ? nlohmann::json::array({items}) : items;
    for (size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string()) return bad("items[" + std::to_string(i) + "]", "expected a name");
      t.items.push_back({list[i].get<std::string>(), nullptr, *quantity, *value, ""});
    }
  }
  if (j.contains("spec") && !j["spec"].is_null()) {
    std::string text = j["spec"].is_string() ? j["spec"].get<std::string>() : j["spec"].dump();
    auto item = engine.parse_spec(text, "spec");
    if (!item) return item.error();
    t.items.push_back({"", std::make_shared<const Item>(std::move(*item)), *quantity, *value, ""});
  }
  if (t.items.empty()) return bad("items", "required (or spec)");
  auto eccn = str("eccn");
  if (!eccn) return eccn.error();
  for (auto& line : t.items) line.eccn = *eccn;
  auto since = str("en_route_since");
  if (!since) return since.error();
  if (!since->empty()) {
    auto sd = Date::parse(*since);
    if (!sd) return bad("en_route_since", "bad date '" + *since + "' (expected YYYY-MM-DD)");
    t.en_route_since = *sd;
  }
  if (j.contains("all_uncertain") && !j["all_uncertain"].is_null()) {
    if (!j["all_uncertain"].is_boolean()) return bad("all_uncertain", "expected true or false");
    t.show_all_uncertain = j["all_uncertain"].get<bool>();
  }
  if (j.contains("screen") && !j["screen"].is_null() && !j["screen"].is_boolean())
    return bad("screen", "expected true or false");
  if (j.contains("end_uses")) {
    if (!j["end_uses"].is_array()) return bad("end_uses", "expected an array of strings");
    for (const auto& e : j["end_uses"]) {
      if (!e.is_string()) return bad("end_uses", "expected an array of strings");
      t.end_uses.push_back(e.get<std::string>());
    }
  }
  if (j.contains("parties")) {
    if (!j["parties"].is_array()) return bad("parties", "expected an array");
    for (size_t i = 0; i < j["parties"].size(); ++i) {
      const auto& p = j["parties"][i];
      std::string field = "parties[" + std::to_string(i) + "]";
      PartyRef ref;
      ref.role = "party";
      if (p.is_string()) {
        ref.name = p.get<std::string>();
      } else if (p.is_object()) {
        // Each field checked: a number where a country belongs is an error naming it, not an
        // exception, and a misspelt field is refused rather than ignored.
        for (const auto& [k, v] : p.items()) {
          if (k != "name" && k != "country" && k != "role") return bad(field + "." + k, "unknown field");
          if (!v.is_string() && !v.is_null()) return bad(field + "." + k, "expected a string");
        }
        if (!p.contains("name") || !p["name"].is_string()) return bad(field + ".name", "required");
        ref.name = p["name"].get<std::string>();
        if (p.contains("country") && p["country"].is_string()) ref.country = p["country"].get<std::string>();
        if (p.contains("role") && p["role"].is_string()) ref.role = p["role"].get<std::string>();
      } else {
        return bad(field, "expected a name or {\"name\", \"country\", \"role\"}");
      }
      t.parties.push_back(std::move(ref));
    }
  }
  return t;
}

}  // namespace clearance
