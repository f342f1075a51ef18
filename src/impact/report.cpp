#include "clearance/impact/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

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

nlohmann::ordered_json breakdown_json(const Breakdown& b) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [key, by_cur] : b) {
    nlohmann::ordered_json k = nlohmann::ordered_json::object();
    for (const auto& [cur, t] : by_cur) k[cur] = tally_json(t);
    j[key] = std::move(k);
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
  for (const auto& [cur, t] : r.totals) totals[cur] = tally_json(t);
  j["totals"] = std::move(totals);
  j["by_jurisdiction"] = breakdown_json(r.by_jurisdiction);
  j["by_item"] = breakdown_json(r.by_item);
  j["by_destination"] = breakdown_json(r.by_destination);
  j["by_customer"] = breakdown_json(r.by_customer);
  j["by_rule"] = breakdown_json(r.by_rule);
  if (!r.overflow.empty()) j["overflow"] = r.overflow;
  nlohmann::ordered_json flips = nlohmann::ordered_json::array(), changes = nlohmann::ordered_json::array();
  for (const auto& o : r.changes) {
    if (is_flip(o.change)) flips.push_back(order_impact_to_json(o));
    changes.push_back(order_impact_to_json(o));
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
