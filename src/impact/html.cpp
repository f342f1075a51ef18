// The self-contained HTML report: one file, inline CSS, inline SVG charts, no scripts and no
// external assets, so it reads the same offline, in a mail attachment or an archive. Every string
// that comes from the order book, the rule packs or the command line goes through html_escape().
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <tuple>

#include "clearance/common/strings.hpp"
#include "clearance/common/utf8.hpp"
#include "clearance/impact/report.hpp"
#include "impact/format_util.hpp"

namespace clearance {

using namespace impact_detail;

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

constexpr const char* kCss = R"CSS(
.cards{display:flex;flex-wrap:wrap;gap:12px;margin-top:20px}
.card{flex:1 1 180px;border:1px solid var(--line);border-radius:6px;padding:10px 14px;background:var(--bg)}
.card .n{font-size:22px;font-weight:600}
.card .v{font-size:12.5px;color:var(--muted)}
.card.blocked .n{color:var(--blocked)} .card.shippable .n{color:var(--shippable)} .card.policy .n{color:var(--policy)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.rules{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11.5px;color:var(--muted);white-space:nowrap}
td.id{white-space:nowrap}
.scroll{overflow-x:auto}
tr.flip-blocked td.dir{color:var(--blocked);font-weight:600}
tr.flip-unblocked td.dir{color:var(--shippable);font-weight:600}
.verdict{white-space:nowrap}
.chart{display:block;max-width:100%;height:auto;margin:4px 0 14px}
.chart text{font-size:12px;fill:var(--ink)}
.chart text.val{fill:var(--muted);font-size:11.5px}
.bar-from{fill:var(--from)} .bar-to{fill:var(--to)}
.bar-blocked{fill:var(--blocked)} .bar-shippable{fill:var(--shippable)} .bar-policy{fill:var(--policy)}
.legend{font-size:12px;color:var(--muted);margin:0}
.legend span{display:inline-block;width:11px;height:11px;margin:0 4px 0 12px;vertical-align:-1px;border-radius:2px}
.empty{color:var(--muted);font-style:italic}
.note{color:var(--muted);font-size:12.5px}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
footer{color:var(--muted);font-size:12px;padding:16px 32px;border-top:1px solid var(--line)}
@media print{header{background:#fff;color:var(--ink)} header .meta{color:var(--muted)}}
)CSS";

std::string e(std::string_view s) { return html_escape(s); }

std::string clip(const std::string& s, size_t max_cps) { return utf8::clip(s, max_cps); }

std::string id_safe(std::string_view s) {
  std::string out;
  for (char c : s) out += (std::isalnum(static_cast<unsigned char>(c)) ? c : '-');
  return out;
}

// Value by verdict at both points: two bars per verdict.
void verdict_chart(std::ostringstream& o, const ImpactReport& r, const std::string& cur, const Tally& t) {
  const double label_w = 170, bar_w = 420, val_w = 190, row_h = 40, top = 8;
  const double width = label_w + bar_w + val_w;
  const double height = top + static_cast<double>(kVerdictCount) * row_h + 6;
  double max = 0;
  for (size_t i = 0; i < kVerdictCount; ++i) max = std::max({max, t.from[i].value, t.to[i].value});
  o << "<svg class=\"chart chart-verdict\" id=\"chart-verdict-" << e(id_safe(cur))
    << "\" role=\"img\" aria-label=\"Value by verdict, " << e(cur) << "\" width=\"" << width << "\" height=\""
    << height << "\" viewBox=\"0 0 " << width << " " << height
    << "\" xmlns=\"http://www.w3.org/2000/svg\">\n";
  for (size_t i = 0; i < kVerdictCount; ++i) {
    double y = top + static_cast<double>(i) * row_h;
    std::string verdict(to_string(static_cast<Verdict>(i)));
    o << "<text x=\"0\" y=\"" << format_fixed(y + 20, 1) << "\">" << e(verdict) << "</text>\n";
    int k = 0;
    for (const Amount* a : {&t.from[i], &t.to[i]}) {
      double w = max > 0 ? a->value / max * bar_w : 0;
      if (a->value > 0 && w < 1) w = 1;
      double by = y + 4 + k * 15;
      const char* side = k == 0 ? "from" : "to";
      const std::string& label = k == 0 ? r.from.label : r.to.label;
      o << "<rect class=\"bar bar-" << side << "\" x=\"" << label_w << "\" y=\"" << format_fixed(by, 1)
        << "\" width=\"" << format_fixed(w, 1) << "\" height=\"13\"><title>" << e(label) << ": " << e(verdict)
        << ", " << format_count(a->orders) << " orders, " << e(cur) << " " << format_money(a->value)
        << "</title></rect>\n";
      o << "<text class=\"val\" x=\"" << format_fixed(label_w + w + 6, 1) << "\" y=\""
        << format_fixed(by + 11, 1) << "\">";
      if (a->orders)
        o << e(cur) << " " << format_money(a->value) << " (" << format_count(a->orders)
          << (a->orders == 1 ? " order)" : " orders)");
      else
        o << "–";
      o << "</text>\n";
      ++k;
    }
  }
  o << "</svg>\n";
}

// Value at stake per key of a breakdown: newly blocked, newly shippable, and under a changed review
// policy, stacked. Keys with nothing at stake are left out.
void stake_chart(std::ostringstream& o, const char* name, const Breakdown& b, const std::string& cur,
                 size_t max_bars) {
  struct Bar {
    const std::string* key;
    const Tally* t;
  };
  std::vector<Bar> bars;
  for (const auto& row : ranked_rows(b)) {
    if (*row.currency != cur) continue;
    const Tally& t = *row.tally;
    if (t.value_at_stake() <= 0 && t.policy_changed.value <= 0) continue;
    bars.push_back({row.key, row.tally});
  }
  if (bars.empty()) {
    o << "<p class=\"empty\">Nothing at stake in " << e(cur)
      << ": no order changed verdict or review policy.</p>\n";
    return;
  }
  size_t dropped = bars.size() > max_bars ? bars.size() - max_bars : 0;
  bars.resize(std::min(bars.size(), max_bars));
  const double label_w = 230, bar_w = 390, val_w = 170, row_h = 24, top = 4;
  const double width = label_w + bar_w + val_w;
  const double height = top + static_cast<double>(bars.size()) * row_h + 4;
  double max = 0;
  for (const auto& bar : bars) max = std::max(max, bar.t->value_at_stake() + bar.t->policy_changed.value);
  o << "<svg class=\"chart chart-stake\" id=\"chart-" << name << "-" << e(id_safe(cur))
    << "\" role=\"img\" aria-label=\"Value at stake by " << name << ", " << e(cur) << "\" width=\"" << width
    << "\" height=\"" << height << "\" viewBox=\"0 0 " << width << " " << height
    << "\" xmlns=\"http://www.w3.org/2000/svg\">\n";
  for (size_t i = 0; i < bars.size(); ++i) {
    const Tally& t = *bars[i].t;
    double y = top + static_cast<double>(i) * row_h;
    o << "<text x=\"0\" y=\"" << format_fixed(y + 15, 1) << "\"><title>" << e(*bars[i].key) << "</title>"
      << e(clip(*bars[i].key, 30)) << "</text>\n";
    double x = label_w;
    struct Seg {
      const char* cls;
      const char* what;
      const Amount* a;
    };
    for (const Seg& s : {Seg{"blocked", "newly blocked", &t.to_blocked},
                         Seg{"shippable", "newly shippable", &t.to_shippable},
                         Seg{"policy", "review policy changed", &t.policy_changed}}) {
      if (s.a->value <= 0) continue;
      double w = std::max(1.0, s.a->value / max * bar_w);
      o << "<rect class=\"bar bar-" << s.cls << "\" x=\"" << format_fixed(x, 1) << "\" y=\""
        << format_fixed(y + 4, 1) << "\" width=\"" << format_fixed(w, 1) << "\" height=\"15\"><title>"
        << e(*bars[i].key) << ": " << s.what << ", " << format_count(s.a->orders) << " orders, " << e(cur)
        << " " << format_money(s.a->value) << "</title></rect>\n";
      x += w;
    }
    o << "<text class=\"val\" x=\"" << format_fixed(x + 6, 1) << "\" y=\"" << format_fixed(y + 15, 1) << "\">"
      << e(cur) << " " << format_money(t.value_at_stake() + t.policy_changed.value) << "</text>\n";
  }
  o << "</svg>\n";
  if (dropped)
    o << "<p class=\"note\">" << dropped << " more with less at stake are in the table below.</p>\n";
}

void legend_stake(std::ostringstream& o) {
  o << "<p class=\"legend\"><span style=\"background:var(--blocked)\"></span>newly blocked"
       "<span style=\"background:var(--shippable)\"></span>newly shippable"
       "<span style=\"background:var(--policy)\"></span>licence still required, review policy changed</p>\n";
}

std::string verdict_cell(const PointOutcome& p) {
  std::string s = "<span class=\"verdict\">" + e(to_string(p.overall)) + "</span>";
  if (p.overall == Verdict::kLicenseRequired) s += "<br><small>" + e(policy_text(p.policy)) + "</small>";
  return s;
}

std::string rules_cell(const std::vector<std::string>& rules) {
  std::string s;
  for (const auto& r : rules) s += (s.empty() ? "" : "<br>") + e(r);
  return s;
}

void changes_table(std::ostringstream& o, const ImpactReport& r, const char* id,
                   const std::vector<const OrderImpact*>& rows, size_t max_rows) {
  o << "<div class=\"scroll\"><table id=\"" << id
    << "\">\n<thead><tr><th>Order</th><th>Customer</th><th>Destination</th><th>Item</th>"
       "<th class=\"num\">Qty</th><th class=\"num\">Value</th><th>"
    << e(r.from.label) << "</th><th>" << e(r.to.label)
    << "</th><th>Change</th><th>Rules that changed it</th></tr></thead>\n<tbody>\n";
  size_t shown = 0;
  for (const auto* c : rows) {
    if (shown++ == max_rows) break;
    const std::string item = c->from->item_name.empty() ? c->order.item : c->from->item_name;
    // How the order named it, when the catalogue name does not already say so (Dy2O3, 氧化镝).
    std::string ordered;
    if (to_lower_ascii(item).find(to_lower_ascii(c->order.item)) == std::string::npos)
      ordered = "<br><small>ordered as " + e(c->order.item) + "</small>";
    std::string dir = c->change == Change::kBlocked     ? "shippable → blocked"
                      : c->change == Change::kUnblocked ? "blocked → shippable"
                      : c->change == Change::kPolicy    ? "review policy"
                                                        : "verdict";
    o << "<tr class=\"change flip-" << to_string(c->change) << "\" data-order=\"" << e(c->order.id)
      << "\"><td class=\"id\">" << e(c->order.id) << "</td><td>" << e(c->order.customer) << "</td><td>"
      << e(c->from->destination) << "</td><td>" << e(item) << ordered << "</td><td class=\"num\">"
      << e(format_plain(c->order.quantity)) << "</td><td class=\"num\">" << e(c->currency) << " "
      << format_money(c->value) << "</td><td>" << verdict_cell(*c->from) << "</td><td>"
      << verdict_cell(*c->to) << "</td><td class=\"dir\">" << e(dir) << "</td><td class=\"rules\">"
      << rules_cell(c->rules_changed) << "</td></tr>\n";
  }
  o << "</tbody></table></div>\n";
  if (rows.size() > max_rows)
    o << "<p class=\"note\">" << (rows.size() - max_rows)
      << " more rows are not shown; the CSV output lists every order.</p>\n";
}

void breakdown_table(std::ostringstream& o, const ImpactReport& r, const char* id, const char* key_name,
                     const Breakdown& b, size_t max_rows) {
  if (b.empty()) {
    o << "<p class=\"empty\">None.</p>\n";
    return;
  }
  o << "<table id=\"" << id << "\">\n<thead><tr><th>" << key_name
    << "</th><th>Currency</th><th class=\"num\">Orders</th>"
    << "<th class=\"num\">Value</th><th class=\"num\">Blocked " << e(r.from.label)
    << "</th><th class=\"num\">Blocked " << e(r.to.label)
    << "</th><th class=\"num\">Newly blocked</th><th class=\"num\">Newly shippable</th>"
    << "<th class=\"num\">Policy changed</th></tr></thead>\n<tbody>\n";
  auto rows = ranked_rows(b);
  size_t shown = 0;
  for (const auto& row : rows) {
    if (shown++ == max_rows) break;
    const Tally& t = *row.tally;
    auto amt = [&](const Amount& a) {
      return a.orders ? format_money(a.value) + " <small>(" + format_count(a.orders) + ")</small>"
                      : std::string("–");
    };
    o << "<tr><td>" << e(*row.key) << "</td><td>" << e(*row.currency) << "</td><td class=\"num\">"
      << format_count(t.total.orders) << "</td><td class=\"num\">" << format_money(t.total.value)
      << "</td><td class=\"num\">" << amt(t.blocked_from()) << "</td><td class=\"num\">"
      << amt(t.blocked_to()) << "</td><td class=\"num\">" << amt(t.to_blocked) << "</td><td class=\"num\">"
      << amt(t.to_shippable) << "</td><td class=\"num\">" << amt(t.policy_changed) << "</td></tr>\n";
  }
  o << "</tbody></table>\n";
  if (rows.size() > max_rows)
    o << "<p class=\"note\">" << (rows.size() - max_rows) << " more rows (see the JSON output).</p>\n";
}

}  // namespace

std::string impact_to_html(const ImpactReport& r, const HtmlOptions& opt) {
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
       "'unsafe-inline'; img-src data:\">\n"
    << "<title>" << e(opt.title) << ": " << e(r.from.label) << " → " << e(r.to.label) << "</title>\n<style>"
    << kPageCss << kCss << "</style>\n</head>\n<body>\n";
  o << "<header>\n<h1>Impact: " << e(r.from.label) << " → " << e(r.to.label)
    << "</h1>\n<p class=\"meta\">Order book <code>" << e(r.orders_file) << "</code> · ";
  if (r.from.rules_version == r.to.rules_version)
    o << "rules " << e(r.from.rules_version.substr(0, 12)) << " as of " << e(r.from.as_of.to_string())
      << " and " << e(r.to.as_of.to_string());
  else
    o << "rules " << e(r.from.rules_version.substr(0, 12)) << " as of " << e(r.from.as_of.to_string())
      << " vs rules " << e(r.to.rules_version.substr(0, 12)) << " as of " << e(r.to.as_of.to_string());
  o << " · "
    << (r.base_currency.empty() ? std::string("values per currency, not converted")
                                : "values converted to " + e(r.base_currency) + " with the supplied rates");
  if (!opt.generated.empty()) o << " · generated " << e(opt.generated);
  o << "</p>\n";
  if (!r.lists_note.empty())
    o << "<p class=\"meta lists-note\"><strong>Note:</strong> " << e(r.lists_note) << "</p>\n";
  o << "</header>\n<main>\n";

  // Headline cards.
  std::uint64_t nb = 0, nu = 0, np = 0;
  std::string vb, vu, vp;
  for (const auto& [cur, t] : r.totals) {
    nb += t.to_blocked.orders;
    nu += t.to_shippable.orders;
    np += t.policy_changed.orders;
    if (t.to_blocked.orders)
      vb += (vb.empty() ? "" : "<br>") + e(cur) + " " + format_money(t.to_blocked.value);
    if (t.to_shippable.orders)
      vu += (vu.empty() ? "" : "<br>") + e(cur) + " " + format_money(t.to_shippable.value);
    if (t.policy_changed.orders)
      vp += (vp.empty() ? "" : "<br>") + e(cur) + " " + format_money(t.policy_changed.value);
  }
  o << "<section class=\"cards\" id=\"summary\">\n"
    << "<div class=\"card\"><div class=\"n\">" << format_count(r.orders)
    << "</div><div class=\"v\">orders determined at both points"
    << (r.errors ? " · " + format_count(r.errors) + " with errors" : std::string()) << "</div></div>\n"
    << "<div class=\"card blocked\"><div class=\"n\">" << format_count(nb)
    << "</div><div class=\"v\">shippable → blocked" << (vb.empty() ? "" : "<br>" + vb) << "</div></div>\n"
    << "<div class=\"card shippable\"><div class=\"n\">" << format_count(nu)
    << "</div><div class=\"v\">blocked → shippable" << (vu.empty() ? "" : "<br>" + vu) << "</div></div>\n"
    << "<div class=\"card policy\"><div class=\"n\">" << format_count(np)
    << "</div><div class=\"v\">still licence-required, review policy changed"
    << (vp.empty() ? "" : "<br>" + vp) << "</div></div>\n</section>\n";

  // Charts, one per currency (amounts in different currencies are never added up).
  o << "<section id=\"by-verdict\">\n<h2>Value by verdict</h2>\n<p class=\"legend\"><span "
       "style=\"background:var(--from)\"></span>"
    << e(r.from.label) << "<span style=\"background:var(--to)\"></span>" << e(r.to.label) << "</p>\n";
  if (r.totals.empty()) o << "<p class=\"empty\">No order could be determined.</p>\n";
  for (const auto& [cur, t] : r.totals) {
    if (r.totals.size() > 1) o << "<h3>" << e(cur) << "</h3>\n";
    verdict_chart(o, r, cur, t);
  }
  o << "</section>\n";
  for (const auto& [name, title, b] :
       {std::tuple<const char*, const char*, const Breakdown*>{"item", "Value at stake by item", &r.by_item},
        {"destination", "Value at stake by destination", &r.by_destination}}) {
    o << "<section id=\"stake-" << name << "\">\n<h2>" << title << "</h2>\n";
    legend_stake(o);
    for (const auto& [cur, t] : r.totals) {
      (void)t;
      if (r.totals.size() > 1) o << "<h3>" << e(cur) << "</h3>\n";
      stake_chart(o, name, *b, cur, opt.max_bars);
    }
    o << "</section>\n";
  }

  // The orders that changed.
  std::vector<const OrderImpact*> flips, policy, verdict;
  for (const auto& c : r.changes) {
    if (is_flip(c.change))
      flips.push_back(&c);
    else if (c.change == Change::kPolicy)
      policy.push_back(&c);
    else if (c.change == Change::kVerdict)
      verdict.push_back(&c);
  }
  o << "<section id=\"flips-section\">\n<h2>Flips: shippable ↔ blocked (" << flips.size() << ")</h2>\n";
  if (flips.empty())
    o << "<p class=\"empty\">No order flips between shippable and blocked.</p>\n";
  else
    changes_table(o, r, "flips", flips, opt.max_rows);
  o << "</section>\n<section id=\"policy-section\">\n<h2>Licence required at both points, review policy "
       "changed ("
    << policy.size() << ")</h2>\n";
  if (policy.empty())
    o << "<p class=\"empty\">None.</p>\n";
  else
    changes_table(o, r, "policy-changes", policy, opt.max_rows);
  o << "</section>\n";
  if (!verdict.empty()) {
    o << "<section id=\"verdict-section\">\n<h2>Other verdict changes (" << verdict.size() << ")</h2>\n";
    changes_table(o, r, "verdict-changes", verdict, opt.max_rows);
    o << "</section>\n";
  }
  if (r.changes.size() < r.changes_total)
    o << "<p class=\"note\">" << r.changes.size() << " of " << r.changes_total
      << " changed orders are listed; the CSV output has every order.</p>\n";

  o << "<section id=\"breakdowns\">\n<h2>By jurisdiction</h2>\n<p class=\"note\">Each jurisdiction's own "
       "verdict.</p>\n";
  breakdown_table(o, r, "by-jurisdiction", "Jurisdiction", r.by_jurisdiction, opt.max_rows);
  o << "<h2>By item</h2>\n";
  breakdown_table(o, r, "by-item", "Item", r.by_item, opt.max_rows);
  o << "<h2>By destination</h2>\n";
  breakdown_table(o, r, "by-destination", "Destination", r.by_destination, opt.max_rows);
  o << "<h2>By customer</h2>\n";
  breakdown_table(o, r, "by-customer", "Customer", r.by_customer, opt.max_rows);
  o << "<h2>Rules that fired at one point only</h2>\n<p class=\"note\"><code>+</code> fired at "
    << e(r.to.label) << " only, <code>-</code> at " << e(r.from.label) << " only.</p>\n";
  breakdown_table(o, r, "by-rule", "Rule", r.by_rule, opt.max_rows);
  for (const auto& [dim, n] : r.overflow)
    o << "<p class=\"note\">" << e(dim) << ": " << format_count(n)
      << " orders counted under “(other)” after the key limit.</p>\n";
  o << "</section>\n";

  if (!r.pack_diff.empty()) {
    o << "<section id=\"pack-diff\">\n<h2>Rule packs differ</h2>\n<ul>\n";
    for (const auto& [what, v] :
         {std::pair<const char*, const std::vector<std::string>*>{"added", &r.pack_diff.added},
          {"removed", &r.pack_diff.removed},
          {"modified", &r.pack_diff.modified}})
      for (const auto& id : *v) o << "<li>" << what << ": <code>" << e(id) << "</code></li>\n";
    o << "</ul>\n</section>\n";
  }
  if (r.errors) {
    o << "<section id=\"errors\">\n<h2>Errors (" << format_count(r.errors) << ")</h2>\n<ul>\n";
    for (const auto& m : r.error_messages) o << "<li><code>" << e(m) << "</code></li>\n";
    o << "</ul>\n";
    if (r.error_messages.size() < r.errors)
      o << "<p class=\"note\">" << (r.errors - r.error_messages.size()) << " more.</p>\n";
    o << "</section>\n";
  }
  o << "</main>\n<footer>Clearance impact report. Shippable: no_license_required or license_exception; "
       "blocked: "
       "license_required or prohibited. Verdicts, rules and citations come from the rule packs in force at "
       "each point; "
       "the per-order answer with every citation is <code>clearance "
       "check</code>.</footer>\n</body>\n</html>\n";
  return o.str();
}

}  // namespace clearance
