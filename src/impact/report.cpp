#include "clearance/impact/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "clearance/common/csv.hpp"
#include "clearance/common/utf8.hpp"
#include "clearance/match/json.hpp"
#include "impact/format_util.hpp"

namespace clearance {

namespace impact_detail {

std::vector<Row> ranked_rows(const Breakdown& b) {
  std::vector<Row> rows;
  for (const auto& [key, by_cur] : b)
    for (const auto& [cur, t] : by_cur) rows.push_back({&key, &cur, &t});
  std::stable_sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
    const Tally& a = *x.tally;
    const Tally& c = *y.tally;
    if (a.value_at_stake() != c.value_at_stake()) return a.value_at_stake() > c.value_at_stake();
    if (a.policy_changed.value != c.policy_changed.value)
      return a.policy_changed.value > c.policy_changed.value;
    if (a.blocked_to().value != c.blocked_to().value) return a.blocked_to().value > c.blocked_to().value;
    if (a.total.orders != c.total.orders) return a.total.orders > c.total.orders;
    return *x.key < *y.key;
  });
  return rows;
}

std::string policy_text(ReviewPolicy p) {
  std::string s(to_string(p));
  return s.empty() ? "none stated" : s;
}

std::string verdict_text(const PointOutcome& p) {
  std::string s(to_string(p.overall));
  if (p.overall == Verdict::kLicenseRequired) s += " (" + policy_text(p.policy) + ")";
  return s;
}

}  // namespace impact_detail

using namespace impact_detail;

namespace {

std::string column_name(const std::string& jurisdiction) {
  std::string s;
  for (char c : jurisdiction)
    s += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : (c == '-' || c == ' ' ? '_' : c);
  return s;
}

std::string joined(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

nlohmann::ordered_json amount_json(const Amount& a) { return {{"orders", a.orders}, {"value", a.value}}; }

nlohmann::ordered_json tally_json(const Tally& t) {
  nlohmann::ordered_json j;
  j["orders"] = t.total.orders;
  j["value"] = t.total.value;
  for (const char* side : {"from", "to"}) {
    const auto& arr = side[0] == 'f' ? t.from : t.to;
    nlohmann::ordered_json v = nlohmann::ordered_json::object();
    for (size_t i = 0; i < arr.size(); ++i)
      if (arr[i].orders) v[std::string(to_string(static_cast<Verdict>(i)))] = amount_json(arr[i]);
    j[side] = std::move(v);
  }
  j["blocked_from"] = amount_json(t.blocked_from());
  j["blocked_to"] = amount_json(t.blocked_to());
  j["to_blocked"] = amount_json(t.to_blocked);
  j["to_shippable"] = amount_json(t.to_shippable);
  j["verdict_changed"] = amount_json(t.verdict_changed);
  j["policy_changed"] = amount_json(t.policy_changed);
  return j;
}

// Adds a member whose key the object does not hold yet. ordered_json's operator[] first looks for
// the key among the members before it, one by one: over a breakdown of 10,000 customers that search
// was most of the time spent writing a report.
void append_new(nlohmann::ordered_json& object, const std::string& key, nlohmann::ordered_json value) {
  auto& members = object.get_ref<nlohmann::ordered_json::object_t&>();
  static_cast<nlohmann::ordered_json::object_t::Container&>(members).emplace_back(key, std::move(value));
}

nlohmann::ordered_json breakdown_json(const Breakdown& b) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [key, by_cur] : b) {  // std::map: each key once
    nlohmann::ordered_json k = nlohmann::ordered_json::object();
    for (const auto& [cur, t] : by_cur) append_new(k, cur, tally_json(t));
    append_new(j, key, std::move(k));
  }
  return j;
}

nlohmann::ordered_json point_json(const PointOutcome& p) {
  nlohmann::ordered_json j;
  j["overall"] = std::string(to_string(p.overall));
  if (p.policy != ReviewPolicy::kNone) j["review_policy"] = std::string(to_string(p.policy));
  nlohmann::ordered_json js = nlohmann::ordered_json::array();
  for (const auto& x : p.jurisdictions) {
    nlohmann::ordered_json o{{"jurisdiction", x.id}, {"verdict", std::string(to_string(x.verdict))}};
    if (x.policy != ReviewPolicy::kNone) o["review_policy"] = std::string(to_string(x.policy));
    js.push_back(std::move(o));
  }
  j["jurisdictions"] = std::move(js);
  j["rules"] = p.fired;
  if (!p.eccn.empty()) j["eccn"] = p.eccn;
  return j;
}

void pad(std::ostringstream& o, const std::string& s, size_t width, bool right = false) {
  // Width in code points, so Chinese names do not break the columns too badly.
  size_t cps = utf8::count(s);
  std::string fill(cps < width ? width - cps : 0, ' ');
  if (right)
    o << fill << s;
  else
    o << s << fill;
}

std::string clip(const std::string& s, size_t max_cps) { return utf8::clip(s, max_cps); }

}  // namespace

std::string impact_csv_header(const std::vector<std::string>& jurisdictions) {
  std::string h =
      "id,verdict_from,verdict_to,flipped,value,currency,changed_rules,change,policy_from,policy_to";
  for (const auto& j : jurisdictions) h += "," + column_name(j) + "_from," + column_name(j) + "_to";
  return h + ",line,date,exporter,customer,destination,item,quantity,unit_value,error\n";
}

std::string impact_csv_row(const OrderImpact& o, const std::vector<std::string>& jurisdictions) {
  const Order& od = o.order;
  std::string s = csv::field(od.id) + ",";
  const bool ok = o.change != Change::kError && o.from && o.to;
  if (ok)
    s += std::string(to_string(o.from->overall)) + "," + std::string(to_string(o.to->overall));
  else
    s += ",";
  s += std::string(",") + (is_flip(o.change) ? "yes" : "no") + ",";
  s += (ok || o.value > 0 ? format_plain(o.value) : std::string()) + "," + o.currency + ",";
  s += csv::field(joined(o.rules_changed, ";")) + "," + std::string(to_string(o.change)) + ",";
  if (ok)
    s += std::string(to_string(o.from->policy)) + "," + std::string(to_string(o.to->policy));
  else
    s += ",";
  for (const auto& j : jurisdictions) {
    const auto* a = ok ? o.from->find(j) : nullptr;
    const auto* b = ok ? o.to->find(j) : nullptr;
    s += "," + (a ? std::string(to_string(a->verdict)) : std::string()) + "," +
         (b ? std::string(to_string(b->verdict)) : std::string());
  }
  s += "," + std::to_string(od.line) + "," + csv::field(od.date) + "," + csv::field(od.exporter) + "," +
       csv::field(od.customer) + "," + csv::field(ok ? o.from->destination : od.destination) + "," +
       csv::field(od.item) + ",";
  if (ok)
    s += format_plain(od.quantity) + "," + format_plain(od.unit_value);
  else
    s += ",";
  s += "," + csv::field(o.error) + "\n";
  return s;
}

nlohmann::ordered_json order_impact_to_json(const OrderImpact& o) {
  nlohmann::ordered_json j;
  const Order& od = o.order;
  j["id"] = od.id;
  j["line"] = od.line;
  j["change"] = std::string(to_string(o.change));
  j["flipped"] = is_flip(o.change);
  if (!od.date.empty()) j["date"] = od.date;
  if (!od.exporter.empty()) j["exporter"] = od.exporter;
  if (!od.customer.empty()) j["customer"] = od.customer;
  j["destination"] = o.from && o.from->error.empty() ? o.from->destination : od.destination;
  j["item"] = od.item;
  if (o.from && !o.from->item_name.empty()) j["item_name"] = o.from->item_name;
  j["quantity"] = od.quantity;
  j["unit_value"] = od.unit_value;
  j["value"] = o.value;
  j["currency"] = o.currency;
  if (o.change == Change::kError) {
    j["error"] = o.error;
    return j;
  }
  j["from"] = point_json(*o.from);
  j["to"] = point_json(*o.to);
  j["rules_changed"] = o.rules_changed;
  return j;
}

nlohmann::ordered_json impact_to_json(const ImpactReport& r) {
  nlohmann::ordered_json j;
  j["orders_file"] = r.orders_file;
  for (const char* side : {"from", "to"}) {
    const auto& p = side[0] == 'f' ? r.from : r.to;
    j[side] = {{"label", p.label}, {"as_of", p.as_of.to_string()}, {"rules_version", p.rules_version}};
  }
  j["jurisdictions"] = r.jurisdictions;
  j["currency_mode"] = r.base_currency.empty() ? "per_currency" : "converted";
  if (!r.base_currency.empty()) j["base_currency"] = r.base_currency;
  j["counts"] = {{"rows", r.rows},
                 {"orders", r.orders},
                 {"errors", r.errors},
                 {"changes", r.changes_total},
                 {"changes_listed", r.changes.size()},
                 {"memo_hits", r.memo_hits},
                 {"memo_misses", r.memo_misses}};
  nlohmann::ordered_json totals = nlohmann::ordered_json::object();
  for (const auto& [cur, t] : r.totals) append_new(totals, cur, tally_json(t));
  j["totals"] = std::move(totals);
  j["by_jurisdiction"] = breakdown_json(r.by_jurisdiction);
  j["by_item"] = breakdown_json(r.by_item);
  j["by_destination"] = breakdown_json(r.by_destination);
  j["by_customer"] = breakdown_json(r.by_customer);
  j["by_rule"] = breakdown_json(r.by_rule);
  if (!r.overflow.empty()) j["overflow"] = r.overflow;
  nlohmann::ordered_json flips = nlohmann::ordered_json::array(), changes = nlohmann::ordered_json::array();
  for (const auto& o : r.changes) {
    auto oj = order_impact_to_json(o);
    if (is_flip(o.change)) flips.push_back(oj);
    changes.push_back(std::move(oj));
  }
  j["flips"] = std::move(flips);
  j["changes"] = std::move(changes);
  j["changes_total"] = r.changes_total;
  j["pack_diff"] = {
      {"added", r.pack_diff.added}, {"removed", r.pack_diff.removed}, {"modified", r.pack_diff.modified}};
  j["errors"] = r.error_messages;
  add_lists_note(j, r.lists_note);
  return j;
}

namespace {

// The enum value whose to_string is `text`, among the first `count`; false when none is.
template <typename E>
bool enum_from(const nlohmann::json& j, size_t count, E& out) {
  if (!j.is_string()) return false;
  const auto& text = j.get_ref<const std::string&>();
  for (size_t i = 0; i < count; ++i)
    if (to_string(static_cast<E>(i)) == text) return out = static_cast<E>(i), true;
  return false;
}
constexpr size_t kPolicyCount = static_cast<size_t>(ReviewPolicy::kFromParty) + 1;
constexpr size_t kChangeCount = static_cast<size_t>(Change::kError) + 1;

// Throws std::runtime_error (a JSON that is not a report); impact_from_json turns it into kBadInput.
[[noreturn]] void not_a_report(const std::string& what) { throw std::runtime_error(what); }

Amount amount_from(const nlohmann::json& j) {
  return {j.at("orders").get<std::uint64_t>(), j.at("value").get<double>()};
}

Tally tally_from(const nlohmann::json& j) {
  Tally t;
  t.total = amount_from(j);
  for (const char* side : {"from", "to"}) {
    auto& arr = side[0] == 'f' ? t.from : t.to;
    for (const auto& [verdict, a] : j.at(side).items()) {
      Verdict v;
      if (!enum_from(nlohmann::json(verdict), kVerdictCount, v)) not_a_report("unknown verdict " + verdict);
      arr[static_cast<size_t>(v)] = amount_from(a);
    }
  }
  t.to_blocked = amount_from(j.at("to_blocked"));
  t.to_shippable = amount_from(j.at("to_shippable"));
  t.verdict_changed = amount_from(j.at("verdict_changed"));
  t.policy_changed = amount_from(j.at("policy_changed"));
  return t;
}

std::map<std::string, Tally> by_currency_from(const nlohmann::json& j) {
  std::map<std::string, Tally> out;
  for (const auto& [cur, t] : j.items()) out[cur] = tally_from(t);
  return out;
}

Breakdown breakdown_from(const nlohmann::json& j) {
  Breakdown out;
  for (const auto& [key, by_cur] : j.items()) out[key] = by_currency_from(by_cur);
  return out;
}

std::shared_ptr<const PointOutcome> point_from(const nlohmann::json& j, const nlohmann::json& order) {
  auto p = std::make_shared<PointOutcome>();
  if (!enum_from(j.at("overall"), kVerdictCount, p->overall)) not_a_report("unknown verdict");
  if (j.contains("review_policy") && !enum_from(j["review_policy"], kPolicyCount, p->policy))
    not_a_report("unknown review policy");
  for (const auto& x : j.at("jurisdictions")) {
    PointOutcome::Jurisdiction pj;
    pj.id = x.at("jurisdiction").get<std::string>();
    if (!enum_from(x.at("verdict"), kVerdictCount, pj.verdict)) not_a_report("unknown verdict");
    if (x.contains("review_policy") && !enum_from(x["review_policy"], kPolicyCount, pj.policy))
      not_a_report("unknown review policy");
    p->jurisdictions.push_back(std::move(pj));
  }
  p->fired = j.at("rules").get<std::vector<std::string>>();
  p->eccn = j.value("eccn", "");
  p->destination = order.value("destination", "");
  return p;
}

OrderImpact order_impact_from(const nlohmann::json& j) {
  OrderImpact o;
  Order& od = o.order;
  od.id = j.at("id").get<std::string>();
  od.line = j.at("line").get<size_t>();
  if (!enum_from(j.at("change"), kChangeCount, o.change)) not_a_report("unknown change");
  od.date = j.value("date", "");
  od.exporter = j.value("exporter", "");
  od.customer = j.value("customer", "");
  od.destination = j.value("destination", "");
  od.item = j.value("item", "");
  od.quantity = j.at("quantity").get<double>();
  od.unit_value = j.at("unit_value").get<double>();
  o.value = j.at("value").get<double>();
  o.currency = od.currency = j.at("currency").get<std::string>();
  if (o.change == Change::kError) {
    o.error = j.value("error", "");
    return o;
  }
  auto from = point_from(j.at("from"), j);
  std::const_pointer_cast<PointOutcome>(from)->item_name = j.value("item_name", "");
  o.from = std::move(from);
  o.to = point_from(j.at("to"), j);
  o.rules_changed = j.at("rules_changed").get<std::vector<std::string>>();
  return o;
}

}  // namespace

Result<ImpactReport> impact_from_json(const nlohmann::json& j) {
  try {
    if (!j.is_object()) not_a_report("not an object");
    ImpactReport r;
    r.orders_file = j.at("orders_file").get<std::string>();
    for (const char* side : {"from", "to"}) {
      auto& p = side[0] == 'f' ? r.from : r.to;
      const auto& x = j.at(side);
      p.label = x.at("label").get<std::string>();
      auto d = Date::parse(x.at("as_of").get<std::string>());
      if (!d) not_a_report(std::string(side) + ".as_of is not a date");
      p.as_of = *d;
      p.rules_version = x.at("rules_version").get<std::string>();
    }
    r.jurisdictions = j.at("jurisdictions").get<std::vector<std::string>>();
    r.base_currency = j.value("base_currency", "");
    r.lists_note = j.value("lists_note", "");
    const auto& counts = j.at("counts");
    r.rows = counts.at("rows").get<std::uint64_t>();
    r.orders = counts.at("orders").get<std::uint64_t>();
    r.errors = counts.at("errors").get<std::uint64_t>();
    r.memo_hits = counts.at("memo_hits").get<std::uint64_t>();
    r.memo_misses = counts.at("memo_misses").get<std::uint64_t>();
    r.error_messages = j.at("errors").get<std::vector<std::string>>();
    r.totals = by_currency_from(j.at("totals"));
    r.by_jurisdiction = breakdown_from(j.at("by_jurisdiction"));
    r.by_item = breakdown_from(j.at("by_item"));
    r.by_destination = breakdown_from(j.at("by_destination"));
    r.by_customer = breakdown_from(j.at("by_customer"));
    r.by_rule = breakdown_from(j.at("by_rule"));
    if (j.contains("overflow")) r.overflow = j["overflow"].get<std::map<std::string, std::uint64_t>>();
    for (const auto& c : j.at("changes")) r.changes.push_back(order_impact_from(c));
    r.changes_total = j.at("changes_total").get<std::uint64_t>();
    const auto& pd = j.at("pack_diff");
    r.pack_diff.added = pd.at("added").get<std::vector<std::string>>();
    r.pack_diff.removed = pd.at("removed").get<std::vector<std::string>>();
    r.pack_diff.modified = pd.at("modified").get<std::vector<std::string>>();
    return r;
  } catch (const std::exception& e) {
    return Error::BadInput(std::string("not an impact report: ") + e.what());
  }
}

std::string impact_to_text(const ImpactReport& r, size_t max_rows) {
  std::ostringstream o;
  o << "Impact on " << r.orders_file << ": " << r.from.label << " -> " << r.to.label << "\n";
  if (r.from.rules_version == r.to.rules_version)
    o << "  rules " << r.from.rules_version.substr(0, 12) << ", as of " << r.from.as_of.to_string() << " and "
      << r.to.as_of.to_string() << "\n";
  else
    o << "  rules " << r.from.rules_version.substr(0, 12) << " as of " << r.from.as_of.to_string()
      << " vs rules " << r.to.rules_version.substr(0, 12) << " as of " << r.to.as_of.to_string() << "\n";
  o << "  " << format_count(r.rows) << " rows, " << format_count(r.orders) << " orders determined, "
    << format_count(r.errors) << " errors";
  o << (r.base_currency.empty() ? "; values per currency (no conversion)"
                                : "; values converted to " + r.base_currency + " with the given rates")
    << "\n";
  if (!r.lists_note.empty()) o << "  " << lists_note_line(r.lists_note);

  std::uint64_t n_blocked = 0, n_unblocked = 0, n_verdict = 0, n_policy = 0;
  for (const auto& [cur, t] : r.totals) {
    n_blocked += t.to_blocked.orders;
    n_unblocked += t.to_shippable.orders;
    n_verdict += t.verdict_changed.orders - t.to_blocked.orders - t.to_shippable.orders;
    n_policy += t.policy_changed.orders;
  }
  o << "  flips: " << n_blocked << " shippable -> blocked, " << n_unblocked << " blocked -> shippable; "
    << n_verdict << " other verdict changes; " << n_policy << " review-policy changes\n";

  for (const auto& [cur, t] : r.totals) {
    o << "\nValue by verdict (" << cur << ")\n";
    o << "  ";
    pad(o, "", 22);
    pad(o, r.from.label, 28, true);
    pad(o, r.to.label, 28, true);
    o << "\n";
    for (size_t i = 0; i < kVerdictCount; ++i) {
      o << "  ";
      pad(o, std::string(to_string(static_cast<Verdict>(i))), 22);
      pad(o, format_count(t.from[i].orders) + " | " + format_money(t.from[i].value), 28, true);
      pad(o, format_count(t.to[i].orders) + " | " + format_money(t.to[i].value), 28, true);
      o << "\n";
    }
    o << "  value at stake: " << format_money(t.to_blocked.value) << " newly blocked (" << t.to_blocked.orders
      << " orders), " << format_money(t.to_shippable.value) << " newly shippable (" << t.to_shippable.orders
      << " orders), " << format_money(t.policy_changed.value) << " under a changed review policy ("
      << t.policy_changed.orders << " orders)\n";
  }

  auto list = [&](const char* title, auto pred) {
    std::vector<const OrderImpact*> v;
    for (const auto& c : r.changes)
      if (pred(c)) v.push_back(&c);
    if (v.empty()) return;
    o << "\n" << title << "\n";
    size_t shown = 0;
    for (const auto* c : v) {
      if (shown++ == max_rows) {
        o << "  … " << (v.size() - max_rows) << " more (see --format csv)\n";
        break;
      }
      o << "  ";
      pad(o, clip(c->order.id, 14), 15);
      pad(o, clip(c->from->item_name.empty() ? c->order.item : c->from->item_name, 22), 23);
      pad(o, c->from->destination, 4);
      pad(o, clip(c->order.customer, 30), 31);
      pad(o, c->currency + " " + format_money(c->value), 20, true);
      o << "  " << verdict_text(*c->from) << " -> " << verdict_text(*c->to) << "\n";
      if (!c->rules_changed.empty()) o << "      rules: " << joined(c->rules_changed, " ") << "\n";
    }
  };
  list("Flips: shippable -> blocked", [](const OrderImpact& c) { return c.change == Change::kBlocked; });
  list("Flips: blocked -> shippable", [](const OrderImpact& c) { return c.change == Change::kUnblocked; });
  list("Other verdict changes", [](const OrderImpact& c) { return c.change == Change::kVerdict; });
  list("Review-policy changes (licence required at both points)",
       [](const OrderImpact& c) { return c.change == Change::kPolicy; });
  if (r.changes.size() < r.changes_total)
    o << "  (" << r.changes.size() << " of " << r.changes_total
      << " changed orders listed; all are in --format csv)\n";

  auto table = [&](const char* title, const Breakdown& b, size_t width) {
    if (b.empty()) return;
    o << "\n" << title << "\n  ";
    pad(o, "", width);
    o << " cur   orders      value   blocked(from)     blocked(to)    ->blocked  ->shippable  policy chg\n";
    size_t shown = 0;
    auto rows = ranked_rows(b);
    for (const auto& row : rows) {
      if (shown++ == max_rows) {
        o << "  … " << (rows.size() - max_rows) << " more rows\n";
        break;
      }
      const Tally& t = *row.tally;
      o << "  ";
      pad(o, clip(*row.key, width - 1), width);
      o << " ";
      pad(o, *row.currency, 4);
      pad(o, format_count(t.total.orders), 7, true);
      pad(o, format_money(t.total.value), 15, true);
      pad(o, format_money(t.blocked_from().value), 16, true);
      pad(o, format_money(t.blocked_to().value), 16, true);
      pad(o, format_money(t.to_blocked.value), 13, true);
      pad(o, format_money(t.to_shippable.value), 13, true);
      pad(o, format_money(t.policy_changed.value), 12, true);
      o << "\n";
    }
  };
  table("By jurisdiction (that jurisdiction's verdict)", r.by_jurisdiction, 12);
  table("By item", r.by_item, 26);
  table("By destination", r.by_destination, 12);
  table("By customer", r.by_customer, 34);
  table("Rules that fired at one point only (+ second point, - first point)", r.by_rule, 48);
  for (const auto& [dim, n] : r.overflow)
    o << "  (" << dim << ": " << n << " orders counted under '(other)' after the key limit)\n";

  if (!r.pack_diff.empty()) {
    o << "\nRule packs differ\n";
    if (!r.pack_diff.added.empty()) o << "  added:    " << joined(r.pack_diff.added, ", ") << "\n";
    if (!r.pack_diff.removed.empty()) o << "  removed:  " << joined(r.pack_diff.removed, ", ") << "\n";
    if (!r.pack_diff.modified.empty()) o << "  modified: " << joined(r.pack_diff.modified, ", ") << "\n";
  }
  if (r.errors) {
    o << "\nErrors (" << r.errors << ")\n";
    for (const auto& e : r.error_messages) o << "  " << e << "\n";
    if (r.error_messages.size() < r.errors) o << "  … " << (r.errors - r.error_messages.size()) << " more\n";
  }
  return o.str();
}

}  // namespace clearance
