// EAR Country Groups (Supp. No. 1 to 15 CFR Part 740: A:5, A:6, D:1 … E:2) and the project's own
// named groups, with dated membership changes. Data, not code: loaded from a country-groups YAML
// file (see docs/RULES.md). Immutable once loaded; safe to share across threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/common/date.hpp"
#include "clearance/common/env.hpp"
#include "clearance/common/result.hpp"

namespace clearance {

namespace detail {
struct GroupsAccess;
}

// One bit per group, in the order the groups file declares them (at most 64 groups).
using GroupMask = std::uint64_t;

// A dated membership fact, kept so answers can cite it and flag it when it is uncertain.
struct MembershipFact {
  std::string group;           // "D:5"
  std::string country;         // "KH"
  Date added = Date::min();    // first day of membership
  Date removed = Date::max();  // first day it is no longer a member (max() = still a member)
  std::string citation;
  char confidence = 'V';  // 'V', 'S' or 'U' (see DOMAIN.md)
  bool dated = false;     // true when this came from a dated change, not the base member list
};

// "Treated as": e.g. Hong Kong is treated as China under the EAR from 2020-12-23, so HK is in every
// group CN is in (in addition to its own memberships).
struct TreatedAs {
  std::string country;
  std::string as;
  Date from = Date::min();
  Date to = Date::max();  // last day (inclusive)
  std::string citation;
  char confidence = 'S';
};

class CountryGroups {
 public:
  // Parses a groups file. Errors name file, line and field; nothing is half-loaded.
  static Result<CountryGroups> parse(std::string_view yaml, std::string_view filename);
  static Result<CountryGroups> load(const std::string& path, Env& env = *Env::Default());

  // Index of a group name ("D:5"), or -1.
  int index_of(std::string_view group) const;
  const std::vector<std::string>& names() const { return names_; }
  // Bit mask of the groups `country` (ISO alpha-2, upper case) is in on `date`, treated-as included.
  GroupMask mask(std::string_view country, Date date) const;
  bool in(std::string_view country, std::string_view group, Date date) const;
  // The groups as names, for explanations: {"D:1", "D:4", "D:5"}.
  std::vector<std::string> groups_of(std::string_view country, Date date) const;
  // Membership facts for `country` on `date` (treated-as included) whose confidence is not 'V', or
  // whose group as a whole is not 'V': what an answer relying on the country's groups must flag.
  std::vector<const MembershipFact*> uncertain_facts(std::string_view country, Date date) const;
  // Every membership fact and treated-as rule (for listing and tests).
  const std::vector<MembershipFact>& facts() const { return facts_; }
  const std::vector<TreatedAs>& treated_as() const { return treated_; }
  // Every date on which some membership changes (for precomputation by callers).
  std::vector<Date> change_dates() const;

 private:
  friend struct detail::GroupsAccess;
  GroupMask own_mask(std::string_view country, Date date) const;
  std::vector<std::string> names_;
  std::vector<char> group_confidence_;
  std::vector<MembershipFact> facts_;
  std::vector<TreatedAs> treated_;
};

}  // namespace clearance
