#include "clearance/decide/json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "clearance/common/numbers.hpp"
#include "clearance/match/json.hpp"

namespace clearance {

namespace {

using json = nlohmann::ordered_json;

double round_to(double v, int digits) {
  double f = std::pow(10.0, digits);
  return std::round(v * f) / f;
}

json tri_json(Tri t) {
  if (t == Tri::kTrue) return true;
  if (t == Tri::kFalse) return false;
  return "unknown";
}

std::string conf(char c) { return std::string(1, c); }

// Publication, compliance and savings-clause dates, when the pack records them.
void add_dates(json& j, const Rule& r) {
  if (r.dates.published) j["published"] = r.dates.published->to_string();
  if (r.dates.compliance_from) j["compliance_from"] = r.dates.compliance_from->to_string();
  if (r.dates.savings_until) j["savings_until"] = r.dates.savings_until->to_string();
  if (!r.dates.source.empty()) j["dates_source"] = r.dates.source;
}

json rule_ref(const Rule& r) {
  json j = {
      {"id", r.id},
      {"title", r.title},
      {"citation", r.citation},
      {"confidence", conf(r.confidence)},
      {"effective_from",
       r.effective_from == Date::min() ? json(nullptr) : json(r.effective_from.to_string())},
      {"effective_to", r.effective_to == Date::max() ? json(nullptr) : json(r.effective_to.to_string())}};
  add_dates(j, r);
  if (!r.note.empty()) j["note"] = r.note;
  return j;
}

json fired_json(const FiredRule& f) {
  const Rule& r = *f.rule;
  json j = {{"id", r.id},
            {"outcome", std::string(to_string(r.outcome))},
            {"title", r.title},
            {"citation", r.citation},
            {"confidence", conf(r.confidence)},
            {"item", f.item},
            {"effective_from", r.effective_from.to_string()}};
  if (r.effective_to != Date::max()) j["effective_to"] = r.effective_to.to_string();
  add_dates(j, r);
  if (r.outcome == Outcome::kLicenseRequired || r.outcome == Outcome::kReviewPolicy) {
    ReviewPolicy p = r.outcome == Outcome::kReviewPolicy ? r.review_policy : f.policy;
    if (p != ReviewPolicy::kNone && p != ReviewPolicy::kFromParty)
      j["review_policy"] = std::string(to_string(p));
  }
  if (!f.policy_from.empty()) j["review_policy_from"] = f.policy_from;
  if (!f.overcome_by.empty()) j["overcome_by"] = f.overcome_by;
  if (r.outcome == Outcome::kLicenseException) {
    j["exception"] = r.exception.name;
    j["conditions"] = r.exception.conditions;
  }
  if (!f.party.empty()) {
    json e = {{"party", f.party}, {"list", f.list}, {"name", f.entry_name}, {"score", round_to(f.score, 3)}};
    if (!f.entry_citation.empty()) e["citation"] = f.entry_citation;
    if (!f.entry_requirement.empty()) e["license_requirement"] = f.entry_requirement;
    if (!f.entry_policy.empty()) e["license_policy"] = f.entry_policy;
    j["entry"] = e;
  }
  if (!r.note.empty()) j["note"] = r.note;
  return j;
}

}  // namespace

json classification_summary_json(const Classification& c) {
  json j = {
      {"eccn", c.eccn.empty() ? json(nullptr) : json(c.eccn)}, {"status", c.status}, {"class", c.label}};
  if (!c.paragraph.empty()) j["paragraph"] = c.paragraph;
  if (c.tpp.tpp) j["tpp"] = round_to(*c.tpp.tpp, 1);
  if (c.tpp.pd) j["pd"] = round_to(*c.tpp.pd, 2);
  if (c.hbm_density) j["hbm_bandwidth_density"] = round_to(*c.hbm_density, 2);
  if (c.decided_by) j["rule"] = c.decided_by->id;
  if (c.base) j["base_classification"] = true;
  return j;
}

json classification_to_json(const Item& item, const Classification& c) {
  json j = {{"item", item.id},    {"name", item.name},
            {"kind", item.kind},  {"as_of", c.as_of.to_string()},
            {"status", c.status}, {"eccn", c.eccn.empty() ? json(nullptr) : json(c.eccn)},
            {"class", c.label}};
  if (!item.vendor.empty()) j["vendor"] = item.vendor;
  if (!c.paragraph.empty()) j["paragraph"] = c.paragraph;
  if (c.tpp.tpp) j["tpp"] = round_to(*c.tpp.tpp, 1);
  if (c.tpp.pd) j["pd"] = round_to(*c.tpp.pd, 2);
  if (item.kind == "chip" || item.kind == "system") {
    json terms = json::array();
    for (const auto& t : c.tpp.terms) {
      json tj = {{"precision", t.precision}, {"dense_tops", t.tops}};
      if (t.excluded_reason.empty()) {
        tj["bits"] = t.bits;
        tj["tpp"] = round_to(t.tpp, 1);
      } else {
        tj["excluded"] = t.excluded_reason;
      }
      terms.push_back(tj);
    }
    json comp = {
        {"formula", "TPP = max over precisions of dense TOPS x bit length; PD = TPP / applicable die area"},
        {"terms", terms},
        {"tpp", c.tpp.tpp ? json(round_to(*c.tpp.tpp, 1)) : json(nullptr)},
        {"winning_precision", c.tpp.tpp ? json(c.tpp.precision) : json(nullptr)},
        {"basis", c.tpp.basis()},
        {"die_area_mm2", item.chip.die_area_mm2 ? json(*item.chip.die_area_mm2) : json(nullptr)},
        {"pd", c.tpp.pd ? json(round_to(*c.tpp.pd, 3)) : json(nullptr)},
        {"memory_bandwidth_gbps",
         item.chip.memory_bandwidth_gbps ? json(*item.chip.memory_bandwidth_gbps) : json(nullptr)},
        {"interconnect_gbps",
         item.chip.interconnect_gbps ? json(*item.chip.interconnect_gbps) : json(nullptr)},
        {"datacenter", item.chip.datacenter ? json(*item.chip.datacenter) : json(nullptr)}};
    if (!item.chip.die_area_note.empty()) comp["die_area_note"] = item.chip.die_area_note;
    j["computation"] = comp;
  }
  if (c.hbm_density) j["hbm_bandwidth_density"] = round_to(*c.hbm_density, 3);
  json trials = json::array();
  for (const auto& t : c.trials) {
    json tests = json::array();
    for (const auto& l : t.tests)
      tests.push_back({{"test", l.test}, {"value", l.actual}, {"result", tri_json(l.result)}});
    trials.push_back(
        {{"rule", t.rule->id}, {"title", t.rule->title}, {"result", tri_json(t.result)}, {"tests", tests}});
  }
  j["tests"] = trials;
  j["decided_by"] = c.decided_by ? rule_ref(*c.decided_by) : json(nullptr);
  if (c.base)
    j["base_classification"] = {
        {"eccn", item.base_eccn},
        {"confidence", conf(item.base_eccn_confidence)},
        {"source", item.base_eccn_source},
        {"why", "the advanced-computing tests (3A090/4A090) do not catch the item on this date"}};
  if (!c.missing.empty()) j["missing"] = c.missing;
  if (c.contained)
    j["contains"] = {{"item", c.contained->item_id},
                     {"classification", classification_summary_json(*c.contained)}};
  if (!item.cn_control_code.empty() || !item.cn_category.empty()) {
    j["cn"] = {{"control_code", item.cn_control_code},
               {"category", item.cn_category},
               {"dual_use", item.cn_dual_use}};
    if (!item.cn_catalogue_no.empty()) j["cn"]["catalogue_no"] = item.cn_catalogue_no;
  }
  if (!item.hs_codes.empty()) j["hs_codes"] = item.hs_codes;
  j["confidence"] = conf(item.confidence);
  if (!item.source.empty()) j["source"] = item.source;
  if (!item.citation.empty()) j["citation"] = item.citation;
  return j;
}

json determination_to_json(const Determination& d, std::string_view lists_note) {
  json j;
  if (!d.id.empty()) j["id"] = d.id;
  j["as_of"] = d.as_of.to_string();
  j["destination"] = d.destination;
  if (!d.region.empty()) j["region"] = d.region;
  j["overall"] = std::string(to_string(d.overall));
  json js = json::array();
  for (const auto& jr : d.jurisdictions) {
    json o = {{"jurisdiction", jr.jurisdiction}, {"verdict", std::string(to_string(jr.verdict))}};
    if (jr.review_policy != ReviewPolicy::kNone)
      o["review_policy"] = std::string(to_string(jr.review_policy));
    json rules = json::array();
    for (const auto& f : jr.rules) rules.push_back(fired_json(f));
    o["rules"] = rules;
    json ex = json::array();
    for (const auto& f : jr.exceptions) {
      json e = {{"id", f.rule->id},
                {"name", f.rule->exception.name},
                {"conditions", f.rule->exception.conditions},
                {"citation", f.rule->citation},
                {"confidence", conf(f.rule->confidence)},
                {"item", f.item}};
      ex.push_back(e);
    }
    o["exceptions"] = ex;
    json un = json::array();
    for (const auto& u : jr.uncertain)
      un.push_back({{"subject", u.subject}, {"confidence", conf(u.confidence)}, {"fact", u.fact}});
    o["uncertain"] = un;
    json su = json::array();
    for (const auto& s : jr.suspended)
      su.push_back({{"id", s.rule->id},
                    {"title", s.rule->title},
                    {"citation", s.rule->citation},
                    {"item", s.item},
                    {"suspended_by", s.by->id},
                    {"suspension_citation", s.by->citation},
                    {"until", s.by->effective_to == Date::max() ? json(nullptr)
                                                                : json(s.by->effective_to.to_string())}});
    o["suspended"] = su;
    if (jr.uncertain_hidden) o["uncertain_hidden"] = jr.uncertain_hidden;
    if (!jr.missing.empty()) {
      json m = json::array();
      for (const auto& x : jr.missing)
        m.push_back({{"subject", x.subject}, {"missing", x.what}, {"how", x.how}, {"rules", x.rules}});
      o["missing"] = m;
    }
    if (!jr.pending.empty()) {
      json p = json::array();
      for (const auto& x : jr.pending) {
        json e = rule_ref(*x.rule);
        e["item"] = x.item;
        e["why"] = x.why == PendingRule::Why::kComplianceLater
                       ? "effective, but compliance is required only from " + x.until.to_string()
                       : "savings clause: the shipment was on dock or en route "
                         "on the effective date; it may proceed until " +
                             x.until.to_string();
        p.push_back(e);
      }
      o["pending"] = p;
    }
    if (!jr.excluded_exceptions.empty()) {
      json x = json::array();
      for (const auto& e : jr.excluded_exceptions)
        x.push_back({{"id", e.rule->id},
                     {"exception", e.rule->exception.name},
                     {"item", e.item},
                     {"excluded_by", e.by->id},
                     {"citation", e.by->citation},
                     {"confidence", conf(e.by->confidence)}});
      o["excluded_exceptions"] = x;
    }
    if (!jr.considered.empty()) {
      json c = json::array();
      for (const auto& x : jr.considered) {
        json e = {{"id", x.rule->id},
                  {"outcome", std::string(to_string(x.rule->outcome))},
                  {"item", d.items[static_cast<size_t>(x.item)].item->id},
                  {"why", not_applied_reason(x)}};
        if (x.test) e["test"] = x.test->describe();
        c.push_back(e);
      }
      o["considered"] = c;
    }
    js.push_back(o);
  }
  j["jurisdictions"] = js;
  json items = json::array();
  for (const auto& ir : d.items) {
    json c = classification_summary_json(*ir.classification);
    if (!ir.item->cn_control_code.empty()) c["cn_control_code"] = ir.item->cn_control_code;
    if (!ir.item->cn_catalogue_no.empty()) c["cn_catalogue_no"] = ir.item->cn_catalogue_no;
    if (!ir.item->cn_category.empty()) c["cn_category"] = ir.item->cn_category;
    if (!ir.item->hs_codes.empty()) c["hs_codes"] = ir.item->hs_codes;
    items.push_back({{"item", ir.query},
                     {"id", ir.item->id},
                     {"name", ir.item->name},
                     {"matched_by", ir.matched_by},
                     {"origin", ir.origin},
                     {"from", ir.from},
                     {"classification", c}});
    if (!ir.unresolved.empty()) items.back()["unresolved"] = ir.unresolved;
    if (!ir.declared_eccn.empty()) items.back()["declared_eccn"] = ir.declared_eccn;
  }
  j["items"] = items;
  json parties = json::array();
  for (const auto& p : d.parties) {
    json hits = json::array();
    for (const auto& h : p.hits) {
      json hj = {
          {"list", h.list}, {"entry_id", h.entry_id}, {"name", h.name}, {"score", round_to(h.score, 3)}};
      if (!h.matched_name.empty()) hj["matched_name"] = h.matched_name;
      if (!h.programs.empty()) hj["programs"] = h.programs;
      if (!h.citation.empty()) hj["citation"] = h.citation;
      if (!h.license_requirement.empty()) hj["license_requirement"] = h.license_requirement;
      if (!h.license_policy.empty()) hj["license_policy"] = h.license_policy;
      if (!h.listed_on.empty()) hj["listed_on"] = h.listed_on;
      hits.push_back(hj);
    }
    json pj = {{"name", p.name}, {"hits", hits}};
    if (!p.screened) pj["screened"] = false;
    if (!p.not_screened.empty()) pj["not_screened"] = p.not_screened;
    if (!p.country.empty()) pj["country"] = p.country;
    if (!p.role.empty()) pj["role"] = p.role;
    parties.push_back(pj);
  }
  j["parties"] = parties;
  if (!d.end_uses.empty()) {
    json eu = json::array();
    for (const auto& e : d.end_uses) {
      json ids = json::array();
      for (const Rule* r : e.rules) ids.push_back(r->id);
      eu.push_back({{"end_use", e.end_use},
                    {"effect", e.applied ? "applied" : "considered_not_relevant"},
                    {"rules", ids},
                    {"note", end_use_note(e)}});
    }
    j["end_uses"] = eu;
  }
  j["rules_version"] = d.rules_version;
  if (!d.parties.empty()) add_lists_note(j, lists_note);
  return j;
}

json order_result_to_json(const std::string& id, const Result<Determination>& r,
                          std::string_view lists_note) {
  if (r.ok()) return determination_to_json(*r, lists_note);  // carries the order id first
  json j = {{"id", id}, {"error", r.error().message}};
  return j;
}

std::string determination_to_text(const Determination& d, std::string_view lists_note) {
  std::ostringstream o;
  o << "as of " << d.as_of.to_string() << ", to " << d.destination
    << (d.region.empty() ? "" : " (" + d.region + ")") << ": " << to_string(d.overall) << "\n";
  for (const auto& ir : d.items) {
    o << "  item " << ir.item->name << " (" << ir.item->id << ", from " << (ir.from.empty() ? "?" : ir.from)
      << "): " << ir.classification->label;
    if (ir.classification->tpp.tpp) o << ", TPP " << format_general(*ir.classification->tpp.tpp);
    if (ir.classification->tpp.pd) o << ", PD " << format_general(round_to(*ir.classification->tpp.pd, 2));
    if (!ir.item->cn_control_code.empty() || !ir.item->cn_category.empty())
      o << "; China: "
        << (ir.item->cn_control_code.empty() ? ir.item->cn_catalogue_no : ir.item->cn_control_code) << " ("
        << ir.item->cn_category << ")";
    o << "\n";
  }
  for (const auto& p : d.parties) {
    o << "  party " << p.name
      << (!p.screened      ? ": not screened" + (p.not_screened.empty() ? "" : " (" + p.not_screened + ")")
          : p.hits.empty() ? std::string(": no list hits")
                           : std::string(":"))
      << "\n";
    for (const auto& h : p.hits) {
      o << "    " << h.list << ": " << h.name << " (score " << format_general(h.score) << ")";
      // The listing notice, as the JSON gives it.
      if (!h.citation.empty() || !h.listed_on.empty()) {
        o << "; listed by " << (h.citation.empty() ? std::string("(notice not given)") : h.citation);
        if (!h.listed_on.empty()) o << " on " << h.listed_on;
      }
      o << "\n";
    }
  }
  for (const auto& e : d.end_uses) {
    o << "  end use " << e.end_use << ": ";
    if (e.applied) {
      o << "applied (";
      for (size_t i = 0; i < e.rules.size(); ++i) o << (i ? ", " : "") << e.rules[i]->id;
      o << ")\n";
    } else {
      o << end_use_note(e) << "\n";
    }
  }
  for (const auto& jr : d.jurisdictions) {
    o << jr.jurisdiction << ": " << to_string(jr.verdict);
    if (jr.review_policy != ReviewPolicy::kNone) o << " (" << to_string(jr.review_policy) << ")";
    o << "\n";
    for (const auto& m : jr.missing) o << "  [missing] " << m.what << ": " << m.how << "\n";
    for (const auto& f : jr.rules) {
      o << "  [" << to_string(f.rule->outcome) << "] " << f.rule->id << " - " << f.rule->title << "\n      "
        << f.rule->citation << " [" << f.rule->confidence << "]";
      if (f.policy != ReviewPolicy::kNone && f.policy != ReviewPolicy::kFromParty)
        o << "; policy " << to_string(f.policy);
      if (!f.overcome_by.empty()) o << "; overcome by " << f.overcome_by;
      if (!f.party.empty()) {
        o << "; party " << f.party << " = " << f.entry_name << " (" << f.list << ")";
        if (!f.entry_citation.empty()) o << ", listed by " << f.entry_citation;
      }
      o << "\n";
      if (f.rule->outcome == Outcome::kLicenseException)
        for (const auto& c : f.rule->exception.conditions) o << "      condition: " << c << "\n";
    }
    for (const auto& x : jr.excluded_exceptions)
      o << "  [exception not available] " << x.rule->exception.name << " (" << x.rule->id << ") excluded by "
        << x.by->id << " - " << x.by->citation << "\n";
    for (const auto& p : jr.pending)
      o << "  [pending] " << p.rule->id << " - " << p.rule->title << ": "
        << (p.why == PendingRule::Why::kComplianceLater ? "compliance required from "
                                                        : "savings clause until ")
        << p.until.to_string() << "\n";
    for (const auto& s : jr.suspended)
      o << "  [suspended] " << s.rule->id << " by " << s.by->id
        << (s.by->effective_to == Date::max() ? std::string() : " until " + s.by->effective_to.to_string())
        << "\n";
    if (!jr.considered.empty()) {
      // Grouped by reason: "not in scope: destination: us.746.2.cuba, us.746.7.iran".
      std::vector<std::pair<std::string, std::string>> groups;
      for (const auto& c : jr.considered) {
        std::string why = not_applied_reason(c);
        auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == why; });
        if (it == groups.end()) {
          groups.push_back({why, c.rule->id});
        } else if (it->second.find(c.rule->id) == std::string::npos) {
          it->second += ", " + c.rule->id;
        }
      }
      for (const auto& [why, ids] : groups) o << "  [not applied] " << why << ": " << ids << "\n";
    }
    for (const auto& u : jr.uncertain)
      o << "  [uncertain " << u.confidence << "] " << u.subject << ": " << u.fact << "\n";
    if (jr.uncertain_hidden)
      o << "  (" << jr.uncertain_hidden << " uncertainty mark(s) that cannot change this answer not shown)\n";
  }
  if (!d.parties.empty()) o << lists_note_line(lists_note);
  return o.str();
}

std::string classification_to_text(const Item& item, const Classification& c) {
  std::ostringstream o;
  o << item.name << (item.vendor.empty() ? "" : " (" + item.vendor + ")") << " as of " << c.as_of.to_string()
    << ": " << c.label;
  if (!c.eccn.empty()) o << " [" << c.eccn << "]";
  o << "\n";
  if (c.tpp.tpp) {
    o << "  TPP = " << format_general(*c.tpp.tpp) << " (" << c.tpp.basis()
      << ", the highest over precisions)\n";
    for (const auto& t : c.tpp.terms) {
      o << "    " << t.precision << ": " << format_general(t.tops);
      if (t.excluded_reason.empty())
        o << " x " << t.bits << " = " << format_general(t.tpp) << "\n";
      else
        o << " (excluded: " << t.excluded_reason << ")\n";
    }
    if (c.tpp.pd)
      o << "  PD = " << format_general(*c.tpp.tpp) << " / " << format_general(*item.chip.die_area_mm2)
        << " mm2 = " << format_general(round_to(*c.tpp.pd, 3)) << "\n";
    else
      o << "  PD unknown (no applicable die area)\n";
  }
  for (const auto& t : c.trials) {
    o << "  " << t.rule->id << ": "
      << (t.result == Tri::kTrue    ? "yes"
          : t.result == Tri::kFalse ? "no"
                                    : "unknown")
      << "\n";
    for (const auto& l : t.tests)
      o << "    " << l.test << " (value " << l.actual << "): "
        << (l.result == Tri::kTrue    ? "yes"
            : l.result == Tri::kFalse ? "no"
                                      : "unknown")
        << "\n";
  }
  if (c.decided_by)
    o << "  decided by " << c.decided_by->id << ": " << c.decided_by->citation << " ["
      << c.decided_by->confidence << "]\n";
  return o.str();
}

}  // namespace clearance
