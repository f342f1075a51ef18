// The `changes` digest: the rule part, and the text, JSON and HTML renderings of all four parts.
#include "clearance/impact/changes.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "clearance/common/numbers.hpp"
#include "clearance/impact/report.hpp"
#include "impact/format_util.hpp"

namespace clearance {

using namespace impact_detail;

std::string_view to_string(PartStatus s) {
  switch (s) {
    case PartStatus::kNotRequested:
      return "not_requested";
    case PartStatus::kComputed:
      return "computed";
    case PartStatus::kNotComputed:
      return "not_computed";
  }
  return "not_computed";
}

std::string_view to_string(RuleChange::Kind k) {
  switch (k) {
    case RuleChange::Kind::kTookEffect:
      return "took_effect";
    case RuleChange::Kind::kEnded:
      return "ended";
    case RuleChange::Kind::kSuspended:
      return "suspended";
    case RuleChange::Kind::kResumed:
      return "resumed";
  }
  return "took_effect";
}

std::vector<RuleChange> rule_changes(const RuleSet& rules, Date since, Date until) {
  std::vector<RuleChange> out;
  auto in_window = [&](Date d) { return since < d && d <= until; };
  for (const auto* set : {&rules.rules(), &rules.classification()})
    for (const Rule& r : *set) {
      if (in_window(r.effective_from))
        out.push_back({RuleChange::Kind::kTookEffect, r.effective_from, &r, nullptr});
      if (r.effective_to != Date::max() && in_window(r.effective_to.plus_days(1)))
        out.push_back({RuleChange::Kind::kEnded, r.effective_to.plus_days(1), &r, nullptr});
    }
  for (const Rule& s : rules.rules()) {
    if (s.outcome != Outcome::kSuspension) continue;
    for (int idx : s.suspends_idx) {
      const Rule& target = rules.rules()[static_cast<size_t>(idx)];
      if (in_window(s.effective_from))
        out.push_back({RuleChange::Kind::kSuspended, s.effective_from, &target, &s});
      if (s.effective_to != Date::max() && in_window(s.effective_to.plus_days(1)))
        out.push_back({RuleChange::Kind::kResumed, s.effective_to.plus_days(1), &target, &s});
    }
  }
  std::sort(out.begin(), out.end(), [](const RuleChange& a, const RuleChange& b) {
    return std::tie(a.date, a.rule->id, a.kind) < std::tie(b.date, b.rule->id, b.kind);
  });
  return out;
}

bool ChangesDigest::complete() const {
  for (auto s : {lists_status, rules_status, customers_status, orders_status})
    if (s == PartStatus::kNotComputed) return false;
  for (const auto& l : lists)
    if (l.status == PartStatus::kNotComputed) return false;
  return true;
}

namespace {

// The orders part lists the orders whose verdict or review policy changed (ImpactReport::changes).
bool verdict_changed(const OrderImpact& o) {
  return o.change != Change::kRulesOnly && o.change != Change::kUnchanged;
}

// Customers whose result changed: row -> (customer, new hits, gone hits).
struct CustomerChange {
  std::string row, customer;
  std::vector<const KnownHit*> added, gone;
};
std::vector<CustomerChange> customer_changes(const RescreenResult& r) {
  std::map<std::string, CustomerChange> by_row;
  for (const auto& h : r.new_hits) {
    auto& c = by_row[h.row];
    c.row = h.row, c.customer = h.customer;
    c.added.push_back(&h);
  }
  for (const auto& h : r.gone_hits) {
    auto& c = by_row[h.row];
    c.row = h.row, c.customer = h.customer;
    c.gone.push_back(&h);
  }
  std::vector<CustomerChange> out;
  for (auto& [k, v] : by_row) out.push_back(std::move(v));
  return out;
}

std::string part_line(PartStatus s, const std::string& reason) {
  if (s == PartStatus::kNotRequested) return "not requested";
  if (s == PartStatus::kNotComputed) return "NOT COMPUTED: " + reason;
  return "";
}

std::string hit_text(const KnownHit& h) {
  return h.entry_name + " [" + h.entry + ", " + h.list + "] " + format_fixed(h.score, 3);
}

nlohmann::ordered_json hit_json(const KnownHit& h) {
  return {{"entry", h.entry}, {"entry_name", h.entry_name}, {"list", h.list}, {"score", h.score}};
}

nlohmann::ordered_json rule_json(const RuleChange& c) {
  nlohmann::ordered_json j = {{"change", std::string(to_string(c.kind))},
                              {"date", c.date.to_string()},
                              {"id", c.rule->id},
                              {"title", c.rule->title},
                              {"jurisdiction", c.rule->jurisdiction},
                              {"outcome", std::string(to_string(c.rule->outcome))},
                              {"citation", c.rule->citation},
                              {"file", c.rule->file},
                              {"line", c.rule->line}};
  if (c.by) j["by"] = {{"id", c.by->id}, {"citation", c.by->citation}};
  return j;
}

std::string order_verdicts(const OrderImpact& o) {
  if (!o.from || !o.to) return o.error;
  return verdict_text(*o.from) + " → " + verdict_text(*o.to);
}

}  // namespace

std::string changes_to_text(const ChangesDigest& d, size_t limit) {
  std::ostringstream o;
  auto capped = [&](size_t n) { return limit == 0 || n < limit; };
  o << "Changes from " << d.since << " to " << d.until << "\n";
  if (!d.complete())
    o << "INCOMPLETE: some parts could not be computed (below); this is not a full account\n";

  o << "\nLIST ENTRIES";
  if (d.lists_status != PartStatus::kComputed) o << ": " << part_line(d.lists_status, d.lists_reason);
  o << "\n";
  for (const auto& l : d.lists) {
    if (l.status != PartStatus::kComputed) {
      o << "  " << l.list << ": " << part_line(l.status, l.reason) << "\n";
      continue;
    }
    const auto& df = l.diff;
    o << "  " << l.list << ": " << df.a.id.substr(0, 12) << " → " << df.b.id.substr(0, 12) << ": "
      << df.added.size() << " added, " << df.removed.size() << " removed, " << df.changed.size()
      << " changed\n";
    const std::pair<const char*, const std::vector<EntryChange>*> kinds[] = {
        {"+", &df.added}, {"-", &df.removed}, {"~", &df.changed}};
    for (auto& [mark, v] : kinds)
      for (size_t k = 0; k < v->size(); ++k) {
        if (!capped(k)) {
          o << "    … " << v->size() - k << " more\n";
          break;
        }
        const auto& e = (*v)[k];
        o << "    " << mark << " " << e.id << "  " << e.name;
        if (!e.fields.empty()) {
          o << "  (";
          for (size_t f = 0; f < e.fields.size(); ++f) o << (f ? ", " : "") << e.fields[f].field;
          o << ")";
        }
        o << "\n";
      }
  }

  o << "\nRULES";
  if (d.rules_status != PartStatus::kComputed)
    o << ": " << part_line(d.rules_status, d.rules_reason) << "\n";
  else
    o << " (" << d.rules.size() << " changes)\n";
  for (const auto& c : d.rules) {
    o << "  " << c.date.to_string() << "  " << to_string(c.kind) << "  " << c.rule->id << "  "
      << c.rule->title << "\n";
    if (c.by) o << "      by " << c.by->id << ": " << c.by->citation << "\n";
    if (!c.rule->citation.empty()) o << "      " << c.rule->citation << "\n";
  }

  o << "\nCUSTOMERS";
  if (d.customers_status != PartStatus::kComputed) {
    o << ": " << part_line(d.customers_status, d.customers_reason) << "\n";
  } else {
    auto cs = customer_changes(d.customers);
    o << " (" << d.customers_file << ": " << d.customers.rows << " rows, " << cs.size()
      << " whose hits changed)\n";
    for (size_t k = 0; k < cs.size(); ++k) {
      if (!capped(k)) {
        o << "  … " << cs.size() - k << " more\n";
        break;
      }
      o << "  " << cs[k].row << "  " << cs[k].customer << "\n";
      for (auto* h : cs[k].added) o << "    + " << hit_text(*h) << "\n";
      for (auto* h : cs[k].gone) o << "    - " << hit_text(*h) << "\n";
    }
  }

  o << "\nORDERS";
  if (d.orders_status != PartStatus::kComputed || !d.orders) {
    o << ": " << part_line(d.orders_status, d.orders_reason) << "\n";
  } else {
    const auto& r = *d.orders;
    size_t n = 0;
    for (const auto& c : r.changes) n += verdict_changed(c);
    o << " (" << d.orders_file << ": " << r.orders << " orders, " << r.changes_total
      << " whose verdict or review policy changed";
    if (r.errors) o << ", " << r.errors << " could not be determined";
    o << ")\n";
    if (!r.lists_note.empty()) o << "  note: " << r.lists_note << "\n";
    size_t k = 0;
    for (const auto& c : r.changes) {
      if (!capped(k++)) {
        o << "  … " << n - k + 1 << " more\n";
        break;
      }
      o << "  " << c.order.id << "  " << c.order.customer << "  " << c.order.item << " → "
        << c.order.destination << "  " << to_string(c.change) << ": " << order_verdicts(c) << "\n";
    }
    for (size_t e = 0; e < r.error_messages.size() && capped(e); ++e)
      o << "  error: " << r.error_messages[e] << "\n";
  }
  return o.str();
}

nlohmann::ordered_json changes_to_json(const ChangesDigest& d) {
  nlohmann::ordered_json j;
  j["since"] = d.since;
  j["until"] = d.until;
  j["complete"] = d.complete();
  if (!d.generated.empty()) j["generated"] = d.generated;

  auto part = [](PartStatus s, const std::string& reason) {
    nlohmann::ordered_json p = {{"status", std::string(to_string(s))}};
    if (s == PartStatus::kNotComputed) p["reason"] = reason;
    return p;
  };
  auto lists = part(d.lists_status, d.lists_reason);
  lists["lists"] = nlohmann::ordered_json::array();
  for (const auto& l : d.lists) {
    nlohmann::ordered_json x = {{"list", l.list}, {"status", std::string(to_string(l.status))}};
    if (l.status == PartStatus::kNotComputed) {
      x["reason"] = l.reason;
    } else {
      auto diff = nlohmann::ordered_json::parse(diff_to_json(l.diff));
      for (auto it = diff.begin(); it != diff.end(); ++it) x[it.key()] = it.value();
    }
    lists["lists"].push_back(std::move(x));
  }
  j["lists"] = std::move(lists);

  auto rules = part(d.rules_status, d.rules_reason);
  rules["rules_version"] = d.rules_version;
  rules["changes"] = nlohmann::ordered_json::array();
  for (const auto& c : d.rules) rules["changes"].push_back(rule_json(c));
  j["rules"] = std::move(rules);

  auto customers = part(d.customers_status, d.customers_reason);
  if (d.customers_status == PartStatus::kComputed) {
    customers["file"] = d.customers_file;
    customers["rows"] = d.customers.rows;
    customers["screened_entries"] = d.customers.screened_entries;
    customers["score_drift_bound"] = d.customers.score_drift_bound;
    customers["changed"] = nlohmann::ordered_json::array();
    for (const auto& c : customer_changes(d.customers)) {
      nlohmann::ordered_json x = {{"row", c.row},
                                  {"customer", c.customer},
                                  {"new_hits", nlohmann::ordered_json::array()},
                                  {"gone_hits", nlohmann::ordered_json::array()}};
      for (auto* h : c.added) x["new_hits"].push_back(hit_json(*h));
      for (auto* h : c.gone) x["gone_hits"].push_back(hit_json(*h));
      customers["changed"].push_back(std::move(x));
    }
  }
  j["customers"] = std::move(customers);

  auto orders = part(d.orders_status, d.orders_reason);
  if (d.orders_status == PartStatus::kComputed && d.orders) {
    const auto& r = *d.orders;
    orders["file"] = d.orders_file;
    orders["orders"] = r.orders;
    orders["errors"] = r.errors;
    orders["error_messages"] = r.error_messages;
    orders["changes_total"] = r.changes_total;
    if (!r.lists_note.empty()) orders["lists_note"] = r.lists_note;
    orders["changed"] = nlohmann::ordered_json::array();
    for (const auto& c : r.changes) orders["changed"].push_back(order_impact_to_json(c));
  }
  j["orders"] = std::move(orders);
  return j;
}

namespace {

constexpr const char* kCss = R"CSS(
.incomplete,.not-computed{border:2px solid var(--blocked);background:#fdecea;color:#7b1d12;padding:8px 12px;border-radius:6px;font-weight:600}
.incomplete{margin-top:16px}
.empty{color:var(--muted)}
.k-added,.k-took_effect,.k-new,.k-blocked{color:var(--blocked);font-weight:600}
.k-removed,.k-ended,.k-gone,.k-unblocked{color:var(--shippable);font-weight:600}
.k-changed,.k-suspended,.k-resumed,.k-policy,.k-verdict{color:var(--policy);font-weight:600}
code{font-size:12px}
.cite{color:var(--muted);font-size:12px}
)CSS";

std::string e(std::string_view s) { return html_escape(s); }

void not_computed(std::ostringstream& o, const std::string& reason) {
  o << "<p class=\"not-computed\">Not computed: " << e(reason) << "</p>\n";
}

}  // namespace

std::string changes_to_html(const ChangesDigest& d, size_t limit) {
  std::ostringstream o;
  auto capped = [&](size_t n) { return limit == 0 || n < limit; };
  o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
       "'unsafe-inline'; img-src data:\">\n"
    << "<title>Clearance — changes " << e(d.since) << " → " << e(d.until) << "</title>\n<style>" << kPageCss
    << kCss << "</style>\n</head>\n<body>\n<header>\n<h1>What changed: " << e(d.since) << " → " << e(d.until)
    << "</h1>\n<p class=\"meta\">List entries, rules, customers and orders";
  if (!d.rules_version.empty()) o << " · rules " << e(d.rules_version.substr(0, 12));
  if (!d.generated.empty()) o << " · generated " << e(d.generated);
  o << "</p>\n</header>\n<main>\n";
  if (!d.complete())
    o << "<p class=\"incomplete\" id=\"incomplete\">Incomplete: some parts could not be computed (marked "
         "below). "
         "This digest is not a full account of what changed.</p>\n";

  // (a) lists
  o << "<section id=\"lists\" data-status=\"" << to_string(d.lists_status) << "\">\n<h2>List entries</h2>\n";
  if (d.lists_status == PartStatus::kNotComputed) not_computed(o, d.lists_reason);
  for (const auto& l : d.lists) {
    o << "<h3 data-list=\"" << e(l.list) << "\">" << e(l.list);
    if (l.status == PartStatus::kComputed)
      o << ": " << l.diff.added.size() << " added, " << l.diff.removed.size() << " removed, "
        << l.diff.changed.size() << " changed";
    o << "</h3>\n";
    if (l.status != PartStatus::kComputed) {
      not_computed(o, l.reason);
      continue;
    }
    if (l.diff.added.empty() && l.diff.removed.empty() && l.diff.changed.empty()) {
      o << "<p class=\"empty\">No entry added, removed or changed.</p>\n";
      continue;
    }
    o << "<table class=\"entries\"><thead><tr><th>Change</th><th>Entry</th><th>Name</th><th>Fields</th></tr>"
         "</thead><tbody>\n";
    const std::pair<const char*, const std::vector<EntryChange>*> kinds[] = {
        {"added", &l.diff.added}, {"removed", &l.diff.removed}, {"changed", &l.diff.changed}};
    for (auto& [kind, v] : kinds)
      for (size_t k = 0; k < v->size(); ++k) {
        if (!capped(k)) {
          o << "<tr><td colspan=\"4\" class=\"empty\">… " << v->size() - k << " more " << kind
            << "</td></tr>\n";
          break;
        }
        const auto& x = (*v)[k];
        o << "<tr data-entry=\"" << e(x.id) << "\" data-change=\"" << kind << "\"><td class=\"k-" << kind
          << "\">" << kind << "</td><td><code>" << e(x.id) << "</code></td><td>" << e(x.name) << "</td><td>";
        for (size_t f = 0; f < x.fields.size(); ++f) o << (f ? ", " : "") << e(x.fields[f].field);
        o << "</td></tr>\n";
      }
    o << "</tbody></table>\n";
  }
  o << "</section>\n";

  // (b) rules
  o << "<section id=\"rules\" data-status=\"" << to_string(d.rules_status) << "\">\n<h2>Rules</h2>\n";
  if (d.rules_status == PartStatus::kNotComputed) not_computed(o, d.rules_reason);
  if (d.rules_status == PartStatus::kComputed && d.rules.empty())
    o << "<p class=\"empty\">No rule took effect, ended or was suspended in the window.</p>\n";
  if (!d.rules.empty()) {
    o << "<table class=\"rules\"><thead><tr><th>Date</th><th>Change</th><th>Rule</th><th>Citation</th></tr>"
         "</thead><tbody>\n";
    for (const auto& c : d.rules) {
      std::string kind(to_string(c.kind));
      o << "<tr data-rule=\"" << e(c.rule->id) << "\" data-change=\"" << kind << "\"><td>"
        << c.date.to_string() << "</td><td class=\"k-" << kind << "\">" << e(kind) << "</td><td><code>"
        << e(c.rule->id) << "</code> " << e(c.rule->jurisdiction) << "<br>" << e(c.rule->title)
        << "</td><td class=\"cite\">" << e(c.rule->citation);
      if (c.by) o << "<br>by <code>" << e(c.by->id) << "</code>: " << e(c.by->citation);
      o << "</td></tr>\n";
    }
    o << "</tbody></table>\n";
  }
  o << "</section>\n";

  // (c) customers
  o << "<section id=\"customers\" data-status=\"" << to_string(d.customers_status)
    << "\">\n<h2>Customers whose screening result changed</h2>\n";
  if (d.customers_status == PartStatus::kNotRequested)
    o << "<p class=\"empty\">No customer file given (--customers).</p>\n";
  else if (d.customers_status == PartStatus::kNotComputed)
    not_computed(o, d.customers_reason);
  else {
    auto cs = customer_changes(d.customers);
    o << "<p>" << e(d.customers_file) << ": " << d.customers.rows << " rows screened, " << cs.size()
      << " whose hits changed.</p>\n";
    if (!cs.empty()) {
      o << "<table class=\"customers\"><thead><tr><th>Row</th><th>Customer</th><th>Hit</th><th>Entry</th>"
           "<th>Score</th></tr></thead><tbody>\n";
      for (size_t k = 0; k < cs.size(); ++k) {
        if (!capped(k)) {
          o << "<tr><td colspan=\"5\" class=\"empty\">… " << cs.size() - k << " more</td></tr>\n";
          break;
        }
        auto row = [&](const KnownHit& h, const char* kind) {
          o << "<tr data-customer=\"" << e(cs[k].row) << "\" data-change=\"" << kind << "\"><td>"
            << e(cs[k].row) << "</td><td>" << e(cs[k].customer) << "</td><td class=\"k-" << kind << "\">"
            << kind << "</td><td>" << e(h.entry_name) << " <code>" << e(h.entry) << "</code> " << e(h.list)
            << "</td><td>" << format_fixed(h.score, 3) << "</td></tr>\n";
        };
        for (auto* h : cs[k].added) row(*h, "new");
        for (auto* h : cs[k].gone) row(*h, "gone");
      }
      o << "</tbody></table>\n";
    }
  }
  o << "</section>\n";

  // (d) orders
  o << "<section id=\"orders\" data-status=\"" << to_string(d.orders_status)
    << "\">\n<h2>Orders whose verdict changed</h2>\n";
  if (d.orders_status == PartStatus::kNotRequested)
    o << "<p class=\"empty\">No order book given (--orders).</p>\n";
  else if (d.orders_status == PartStatus::kNotComputed || !d.orders)
    not_computed(o, d.orders_reason);
  else {
    const auto& r = *d.orders;
    o << "<p>" << e(d.orders_file) << ": " << r.orders << " orders determined on " << d.since_day.to_string()
      << " and " << d.until_day.to_string() << ", " << r.changes_total
      << " whose verdict or review policy changed";
    if (r.errors) o << "; <strong>" << r.errors << " could not be determined</strong>";
    o << ".</p>\n";
    if (!r.lists_note.empty()) o << "<p class=\"cite\">Note: " << e(r.lists_note) << "</p>\n";
    if (!r.changes.empty()) {
      o << "<table class=\"orders\"><thead><tr><th>Order</th><th>Customer</th><th>Item → destination</th>"
           "<th>Change</th><th>Verdicts</th><th>Rules</th></tr></thead><tbody>\n";
      size_t k = 0;
      for (const auto& c : r.changes) {
        if (!capped(k++)) {
          o << "<tr><td colspan=\"6\" class=\"empty\">… more in the JSON digest</td></tr>\n";
          break;
        }
        std::string kind(to_string(c.change));
        o << "<tr data-order=\"" << e(c.order.id) << "\" data-change=\"" << e(kind) << "\"><td>"
          << e(c.order.id) << "</td><td>" << e(c.order.customer) << "</td><td>" << e(c.order.item) << " → "
          << e(c.order.destination) << "</td><td class=\"k-" << e(kind) << "\">" << e(kind) << "</td><td>"
          << e(order_verdicts(c)) << "</td><td><code>";
        for (size_t n = 0; n < c.rules_changed.size(); ++n) o << (n ? " " : "") << e(c.rules_changed[n]);
        o << "</code></td></tr>\n";
      }
      o << "</tbody></table>\n";
    }
    for (size_t n = 0; n < r.error_messages.size() && capped(n); ++n)
      o << "<p class=\"not-computed\">" << e(r.error_messages[n]) << "</p>\n";
  }
  o << "</section>\n</main>\n</body>\n</html>\n";
  return o.str();
}

}  // namespace clearance
