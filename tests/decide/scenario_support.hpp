// Scenario helpers shared by the determination tests: a transaction builder, a run that fails
// the test on an error, and lookups of a jurisdiction's verdict and rules.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "rules/rules_support.hpp"

namespace clearance::testing::scenario {

struct Tx {
  Transaction t;
  explicit Tx(Transaction tx) : t(std::move(tx)) {}
  Tx(const char* item, const char* to, const char* as_of) {
    t.items.push_back({item});
    t.destination = to;
    t.as_of = date(as_of);
  }
  Tx& from(const char* c) {
    t.from = c;
    return *this;
  }
  Tx& exporter(const char* e) {
    t.exporter = e;
    return *this;
  }
  Tx& hq(const char* c) {
    t.buyer_hq = c;
    return *this;
  }
  Tx& end_use(const char* u) {
    t.end_uses.push_back(u);
    return *this;
  }
  Tx& party(const char* name, std::vector<PartyFinding> findings) {
    t.parties.push_back({name, "", "buyer", true, std::move(findings)});
    return *this;
  }
  // A party nobody screened: no findings given, and the run has no party checker.
  Tx& unscreened_party(const char* name) {
    t.parties.push_back({name, "", "buyer", false, {}});
    return *this;
  }
  Tx& region(const char* r) {
    t.region = r;
    return *this;
  }
  Tx& eccn(const char* e) {
    t.items[0].eccn = e;
    return *this;
  }
  Tx& en_route_since(const char* d) {
    t.en_route_since = date(d);
    return *this;
  }
  Tx& all_uncertain() {
    t.show_all_uncertain = true;
    return *this;
  }
};

inline Determination run(const Tx& tx, const PartyChecker* checker = nullptr) {
  auto e = engine();
  EXPECT_TRUE(e);
  auto d = e->determine(tx.t, checker);
  EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().message);
  return d.ok() ? *d : Determination{};
}

inline const JurisdictionResult& jur(const Determination& d, const std::string& j) {
  static JurisdictionResult none;
  for (const auto& r : d.jurisdictions)
    if (r.jurisdiction == j) return r;
  ADD_FAILURE() << "no jurisdiction " << j;
  return none;
}

inline const FiredRule* fired(const JurisdictionResult& j, const std::string& id) {
  for (const auto& f : j.rules)
    if (f.rule->id == id) return &f;
  return nullptr;
}

inline const ConsideredRule* considered(const JurisdictionResult& j, const std::string& id) {
  for (const auto& c : j.considered)
    if (c.rule->id == id) return &c;
  return nullptr;
}

inline const PendingRule* pending(const JurisdictionResult& j, const std::string& id) {
  for (const auto& p : j.pending)
    if (p.rule->id == id) return &p;
  return nullptr;
}

inline std::string ids(const JurisdictionResult& j) {
  std::string s;
  for (const auto& f : j.rules) s += f.rule->id + "(" + std::string(to_string(f.rule->outcome)) + ") ";
  for (const auto& f : j.suspended) s += "[suspended " + f.rule->id + " by " + f.by->id + "] ";
  return s;
}

#define EXPECT_FIRED(j, id, citation_part)                                                      \
  do {                                                                                          \
    const FiredRule* f_ = fired(j, id);                                                         \
    ASSERT_NE(f_, nullptr) << "rule " << id << " did not fire; fired: " << ids(j);              \
    EXPECT_NE(f_->rule->citation.find(citation_part), std::string::npos) << f_->rule->citation; \
  } while (0)

inline PartyFinding entity_list(const std::string& name,
                                const std::string& policy = "Presumption of denial.") {
  PartyFinding f;
  f.list = "Entity List (EL) - Bureau of Industry and Security";
  f.name = name;
  f.entry_id = "el-1";
  f.score = 1.0;
  f.license_requirement = "For all items subject to the EAR";
  f.license_policy = policy;
  f.citation = "84 FR 22963, 5/21/19";
  f.listed_on = "2019-05-21";
  return f;
}

}  // namespace clearance::testing::scenario
