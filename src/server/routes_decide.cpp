// Classification and licence determinations: the shapes of decide/json.hpp, the same as the CLI's
// `classify --format json` and `check --format json`.
#include <ctime>

#include "clearance/common/date.hpp"
#include "clearance/decide/json.hpp"
#include "clearance/decide/request.hpp"
#include "clearance/decide/screener_checker.hpp"
#include "server/json_input.hpp"
#include "server/routes.hpp"

namespace clearance::server {

namespace {

// The date an answer is for: the request's, else today (UTC; front ends may read the clock).
Date as_of(JsonObject& o) {
  auto s = o.str("as_of");
  if (!s || s->empty()) {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return Date::from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  }
  auto d = Date::parse(*s);
  if (!d)
    throw ApiError::invalid(o.field("as_of"),
                            o.field("as_of") + ": bad date '" + *s + "' (expected YYYY-MM-DD)");
  return *d;
}

// An item described inline (the --spec file's fields, as a JSON object).
std::shared_ptr<const Item> spec_item(const Engine& engine, const nlohmann::json& spec,
                                      const std::string& field) {
  if (!spec.is_object()) throw ApiError::invalid(field, field + ": expected an object describing the chip");
  auto item = engine.parse_spec(spec.dump(), field);
  if (!item) throw from_library(item.error(), field);
  return std::make_shared<const Item>(std::move(*item));
}

}  // namespace

namespace decide {

Answer classify(Call& c) {
  auto body = c.json_body();
  JsonObject o(body, {"model", "spec", "as_of"});
  auto model = o.str("model");
  const auto* spec = o.raw("spec");
  Date date = as_of(o);
  if (model.has_value() == (spec != nullptr))
    throw ApiError{400, "missing_field", "give exactly one of model or spec", model ? "spec" : "model", {}};
  const Engine& engine = *c.state->engine;
  std::shared_ptr<const Item> item;
  if (spec) {
    item = spec_item(engine, *spec, "spec");
  } else {
    auto m = engine.resolve_item(*model);
    if (!m) throw from_library(m.error(), "model");
    item = m->item;
  }
  auto cls = engine.classify(*item, date);
  Answer a;
  a.body = classification_to_json(*item, *cls);
  a.with_provenance = true;
  nlohmann::json inputs = {{"as_of", date.to_string()}};
  if (spec)
    inputs["spec"] = spec->dump();
  else
    inputs["model"] = *model;
  c.svc.record_answer(c, a, "classify", std::move(inputs), false, true);
  return a;
}

Answer check(Call& c) {
  auto body = c.json_body();
  JsonObject o(
      body, {"id", "items", "spec", "quantity", "value", "to", "from", "origin", "exporter", "buyer_hq",
             "end_uses", "screen", "parties", "as_of", "region", "eccn", "en_route_since", "all_uncertain"});
  const Engine& engine = *c.state->engine;
  Transaction t;
  t.id = o.str_or("id", "");
  t.as_of = as_of(o);
  for (const auto& name : o.strings("items")) t.items.push_back({name, nullptr, std::nullopt, std::nullopt});
  if (const auto* spec = o.raw("spec")) t.items.push_back({"", spec_item(engine, *spec, "spec"), {}, {}});
  auto quantity = o.number("quantity");
  auto value = o.number("value");
  for (auto& line : t.items) {
    line.quantity = quantity;
    line.value = value;
  }
  t.destination = *o.str("to", true);
  t.from = o.str_or("from", "");
  t.origin = o.str_or("origin", "");
  t.exporter = o.str_or("exporter", "");
  t.buyer_hq = o.str_or("buyer_hq", "");
  t.end_uses = o.strings("end_uses");
  // Issue 10: the region of the destination (UA-43), the exporter's ECCN of an item the catalogue
  // lacks, the shipment date for savings clauses, and the marks that cannot change the answer.
  t.region = o.str_or("region", "");
  const std::string eccn = o.str_or("eccn", "");
  for (auto& line : t.items) line.eccn = eccn;
  if (auto since = o.str("en_route_since"); since && !since->empty()) {
    auto d = Date::parse(*since);
    if (!d)
      throw ApiError::invalid(o.field("en_route_since"), o.field("en_route_since") + ": bad date '" + *since +
                                                             "' (expected YYYY-MM-DD)");
    t.en_route_since = *d;
  }
  t.show_all_uncertain = o.boolean("all_uncertain").value_or(false);
  bool screen = o.boolean("screen").value_or(true);
  if (const auto* parties = o.raw("parties")) {
    if (!parties->is_array()) throw ApiError::invalid("parties", "parties: expected an array");
    for (size_t i = 0; i < parties->size(); ++i) {
      const auto& p = (*parties)[i];
      std::string field = "parties[" + std::to_string(i) + "]";
      if (p.is_string()) {
        t.parties.push_back({p.get<std::string>(), "", "party", false, {}});
        continue;
      }
      JsonObject po(p, {"name", "country", "role"}, field + ".");
      PartyRef ref;
      ref.name = *po.str("name", true);
      ref.country = po.str_or("country", "");
      ref.role = po.str_or("role", "party");
      t.parties.push_back(std::move(ref));
    }
  }
  if (t.items.empty()) throw ApiError{400, "missing_field", "items (or spec) is required", "items", {}};
  std::unique_ptr<ScreenerPartyChecker> checker;
  if (screen && !t.parties.empty()) checker = std::make_unique<ScreenerPartyChecker>(c.state->screener);
  auto d = engine.determine(t, checker.get());
  if (!d) {
    // The library names its own fields; the API's are "to" and "end_uses".
    ApiError e = from_library(d.error());
    if (e.field == "destination") e.field = "to";
    if (e.field == "end_use") e.field = "end_uses";
    throw e;
  }
  Answer a;
  a.body = determination_to_json(*d, checker ? checker->lists_note() : std::string());
  a.with_provenance = true;
  const auto* spec = body.contains("spec") ? &body["spec"] : nullptr;
  c.svc.record_answer(c, a, "check", request_from_transaction(t, screen, spec ? spec->dump() : ""),
                      checker != nullptr, true);
  return a;
}

}  // namespace decide
}  // namespace clearance::server
