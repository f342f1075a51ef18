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

// Today (UTC; front ends may read the clock).
Date today() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return Date::from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

// The date an answer is for: the request's, else today.
Date as_of(JsonObject& o) {
  auto s = o.str("as_of");
  if (!s || s->empty()) return today();
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

// The request is the library's (decide/request.hpp: the same JSON a "check" record keeps, so
// `audit replay` reruns exactly what was asked); the API only adds today's date when none is given.
Answer check(Call& c) {
  auto body = c.json_body();
  if (body.is_object() && (!body.contains("as_of") || body["as_of"].is_null() || body["as_of"] == ""))
    body["as_of"] = today().to_string();
  const Engine& engine = *c.state->engine;
  auto parsed = transaction_from_request(body, engine);
  if (!parsed) throw from_library(parsed.error());
  Transaction t = std::move(*parsed);
  const bool screen =
      !(body.contains("screen") && body["screen"].is_boolean() && !body["screen"].get<bool>());
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
  std::string spec;
  if (body.contains("spec") && !body["spec"].is_null())
    spec = body["spec"].is_string() ? body["spec"].get<std::string>() : body["spec"].dump();
  c.svc.record_answer(c, a, "check", request_from_transaction(t, screen, spec), checker != nullptr, true);
  return a;
}

}  // namespace decide
}  // namespace clearance::server
