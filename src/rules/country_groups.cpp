#include "clearance/rules/country_groups.hpp"

#include <algorithm>
#include <set>

#include "clearance/common/files.hpp"
#include "clearance/common/yaml.hpp"
#include "rules/groups_parse.hpp"

namespace clearance {

namespace detail {

// Builds the object through a friend-free path: CountryGroups exposes parse(), which calls this.
struct GroupsAccess {
  static CountryGroups build(std::vector<std::string> names, std::vector<char> conf,
                             std::vector<MembershipFact> facts, std::vector<TreatedAs> treated);
};

CountryGroups parse_groups_node(const YAML::Node& root, std::string_view file) {
  check_keys(file, root, "", {"kind", "description", "groups", "treated_as"});
  auto groups = root["groups"];
  if (!groups.IsDefined()) fail(file, root, "groups", "missing (required)");
  require_sequence(file, groups, "groups");
  std::vector<std::string> names;
  std::vector<char> conf;
  std::vector<MembershipFact> facts;
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    const auto& g = groups[gi];
    std::string gf = "groups[" + std::to_string(gi) + "]";
    check_keys(file, g, gf, {"name", "title", "citation", "confidence", "members", "changes", "note"});
    std::string name = get_string(file, g, "name", gf + ".name", true);
    if (std::find(names.begin(), names.end(), name) != names.end())
      fail(file, g["name"], gf + ".name", "duplicate group '" + name + "'");
    std::string citation = get_string(file, g, "citation", gf + ".citation", true);
    if (!g["confidence"].IsDefined()) fail(file, g, gf + ".confidence", "missing (required)");
    char gc = as_confidence(file, g["confidence"], gf + ".confidence");
    names.push_back(name);
    conf.push_back(gc);
    if (names.size() > 64) fail(file, g, gf, "at most 64 groups");
    std::set<std::string> base;
    if (g["members"].IsDefined() && !g["members"].IsNull()) {
      auto members = as_string_list(file, g["members"], gf + ".members");
      for (size_t i = 0; i < members.size(); ++i) {
        const auto& c = members[i];
        if (!is_country_code(c))
          fail(file, g["members"], gf + ".members[" + std::to_string(i) + "]",
               "'" + c + "' is not an ISO 3166-1 alpha-2 code (two capital letters)");
        if (!base.insert(c).second)
          fail(file, g["members"], gf + ".members[" + std::to_string(i) + "]",
               "duplicate member '" + c + "'");
        facts.push_back({name, c, Date::min(), Date::max(), citation, gc, false});
      }
    }
    if (g["changes"].IsDefined() && !g["changes"].IsNull()) {
      require_sequence(file, g["changes"], gf + ".changes");
      for (size_t ci = 0; ci < g["changes"].size(); ++ci) {
        const auto& ch = g["changes"][ci];
        std::string cf = gf + ".changes[" + std::to_string(ci) + "]";
        check_keys(file, ch, cf, {"country", "added", "removed", "citation", "confidence", "note"});
        std::string c = get_string(file, ch, "country", cf + ".country", true);
        if (!is_country_code(c))
          fail(file, ch["country"], cf + ".country", "'" + c + "' is not an ISO alpha-2 code");
        if (base.count(c))
          fail(file, ch["country"], cf + ".country",
               "'" + c + "' is also in members: a dated country must be listed only under changes");
        MembershipFact f{
            name, c,   Date::min(), Date::max(), get_string(file, ch, "citation", cf + ".citation", true),
            'U',  true};
        if (!ch["confidence"].IsDefined()) fail(file, ch, cf + ".confidence", "missing (required)");
        f.confidence = as_confidence(file, ch["confidence"], cf + ".confidence");
        if (ch["added"].IsDefined()) f.added = as_date(file, ch["added"], cf + ".added");
        if (ch["removed"].IsDefined()) f.removed = as_date(file, ch["removed"], cf + ".removed");
        if (!ch["added"].IsDefined() && !ch["removed"].IsDefined())
          fail(file, ch, cf, "a change needs 'added' or 'removed' (or both)");
        if (f.removed <= f.added) fail(file, ch, cf + ".removed", "must be after 'added'");
        facts.push_back(std::move(f));
      }
    }
  }
  std::vector<TreatedAs> treated;
  if (root["treated_as"].IsDefined() && !root["treated_as"].IsNull()) {
    require_sequence(file, root["treated_as"], "treated_as");
    for (size_t i = 0; i < root["treated_as"].size(); ++i) {
      const auto& t = root["treated_as"][i];
      std::string tf = "treated_as[" + std::to_string(i) + "]";
      check_keys(file, t, tf, {"country", "as", "from", "to", "citation", "confidence", "note"});
      TreatedAs ta;
      ta.country = get_string(file, t, "country", tf + ".country", true);
      ta.as = get_string(file, t, "as", tf + ".as", true);
      if (!is_country_code(ta.country)) fail(file, t["country"], tf + ".country", "not an ISO alpha-2 code");
      if (!is_country_code(ta.as)) fail(file, t["as"], tf + ".as", "not an ISO alpha-2 code");
      if (t["from"].IsDefined()) ta.from = as_date(file, t["from"], tf + ".from");
      if (t["to"].IsDefined()) ta.to = as_date(file, t["to"], tf + ".to");
      ta.citation = get_string(file, t, "citation", tf + ".citation", true);
      if (!t["confidence"].IsDefined()) fail(file, t, tf + ".confidence", "missing (required)");
      ta.confidence = as_confidence(file, t["confidence"], tf + ".confidence");
      treated.push_back(std::move(ta));
    }
  }
  return GroupsAccess::build(std::move(names), std::move(conf), std::move(facts), std::move(treated));
}

}  // namespace detail

namespace detail {
CountryGroups GroupsAccess::build(std::vector<std::string> names, std::vector<char> conf,
                                  std::vector<MembershipFact> facts, std::vector<TreatedAs> treated) {
  CountryGroups g;
  g.names_ = std::move(names);
  g.group_confidence_ = std::move(conf);
  g.facts_ = std::move(facts);
  g.treated_ = std::move(treated);
  return g;
}
}  // namespace detail

Result<CountryGroups> CountryGroups::parse(std::string_view yaml, std::string_view filename) {
  try {
    return detail::parse_groups_node(detail::parse_yaml(yaml, filename), filename);
  } catch (const detail::PackError& e) {
    return Error::BadInput(e.what());
  } catch (const YAML::Exception& e) {
    return Error::BadInput(std::string(filename) + ": " + e.what());
  }
}

Result<CountryGroups> CountryGroups::load(const std::string& path, Env& env) {
  auto text = read_file(env, path, 16 << 20);
  if (!text) return text.error();
  return parse(*text, path);
}

int CountryGroups::index_of(std::string_view group) const {
  for (size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == group) return static_cast<int>(i);
  return -1;
}

GroupMask CountryGroups::own_mask(std::string_view country, Date date) const {
  GroupMask m = 0;
  for (const auto& f : facts_) {
    if (f.country != country || date < f.added || date >= f.removed) continue;
    m |= GroupMask{1} << index_of(f.group);
  }
  return m;
}

GroupMask CountryGroups::mask(std::string_view country, Date date) const {
  GroupMask m = own_mask(country, date);
  for (const auto& t : treated_)
    if (t.country == country && t.from <= date && date <= t.to) m |= own_mask(t.as, date);
  return m;
}

bool CountryGroups::in(std::string_view country, std::string_view group, Date date) const {
  int i = index_of(group);
  return i >= 0 && (mask(country, date) >> i & 1);
}

std::vector<std::string> CountryGroups::groups_of(std::string_view country, Date date) const {
  std::vector<std::string> out;
  GroupMask m = mask(country, date);
  for (size_t i = 0; i < names_.size(); ++i)
    if (m >> i & 1) out.push_back(names_[i]);
  return out;
}

std::vector<const MembershipFact*> CountryGroups::uncertain_facts(std::string_view country, Date date) const {
  std::vector<std::string_view> codes{country};
  for (const auto& t : treated_)
    if (t.country == country && t.from <= date && date <= t.to) codes.push_back(t.as);
  std::vector<const MembershipFact*> out;
  for (const auto& f : facts_) {
    if (std::find(codes.begin(), codes.end(), f.country) == codes.end()) continue;
    // A dated change counts from the day it happened: a membership that began (or ended) on or
    // before the date is relied upon by an answer for that date.
    // A dated change is relied upon once it has happened: an addition from its date on, a removal
    // from its date on. Before a removal the membership rests on the (base) listing, not the change.
    bool relevant = f.dated ? ((f.added != Date::min() && f.added <= date) ||
                               (f.removed != Date::max() && f.removed <= date))
                            : (f.added <= date && date < f.removed);
    int gi = index_of(f.group);
    char gc = gi >= 0 ? group_confidence_[static_cast<size_t>(gi)] : 'V';
    if (relevant && (f.confidence != 'V' || gc != 'V')) out.push_back(&f);
  }
  return out;
}

std::vector<Date> CountryGroups::change_dates() const {
  std::vector<Date> out;
  for (const auto& f : facts_) {
    if (f.added != Date::min()) out.push_back(f.added);
    if (f.removed != Date::max()) out.push_back(f.removed);
  }
  for (const auto& t : treated_) {
    if (t.from != Date::min()) out.push_back(t.from);
    if (t.to != Date::max()) out.push_back(t.to.plus_days(1));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace clearance
