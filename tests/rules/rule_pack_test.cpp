// Rule packs load from any directory, and a bad pack names file, line and field and loads nothing.
#include "clearance/rules/rule_pack.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "clearance/common/files.hpp"
#include "rules/rules_support.hpp"

namespace clearance {
namespace {

using testing::date;

const char* kVocabulary = R"(kind: vocabulary
jurisdictions:
  - {id: US-EAR, name: US}
  - {id: CN, name: China}
end_uses: {military: military use, supercomputer: supercomputers}
item_kinds: {chip: chip, material: material}
)";

const char* kGroups = R"(kind: country_groups
groups:
  - name: D:5
    citation: Supp. 1
    confidence: V
    members: [CN, RU]
    changes:
      - {country: NI, added: 2024-03-15, citation: FR, confidence: V}
      - {country: KH, removed: 2026-02-03, citation: FR, confidence: S}
  - name: A:5
    citation: Supp. 1
    confidence: V
    members: [JP]
)";

std::string good_rules() {
  return R"(kind: rules
pack: test
jurisdiction: US-EAR
rules:
  - id: r1
    title: chips to D:5
    effective_from: 2023-11-17
    when:
      all:
        - eccn: [3A090]
        - destination_group: [D:5]
    outcome: license_required
    citation: 15 CFR 742.6
    confidence: V
)";
}

Result<std::shared_ptr<const RuleSet>> load_with(const std::string& rules_text) {
  return RuleSet::load(
      {{"vocabulary.yaml", kVocabulary}, {"groups.yaml", kGroups}, {"pack.yaml", rules_text}});
}

// Replaces the first occurrence of `from` in the good pack.
std::string good_with(const std::string& from, const std::string& to) {
  std::string s = good_rules();
  auto p = s.find(from);
  EXPECT_NE(p, std::string::npos) << from;
  return s.replace(p, from.size(), to);
}

void expect_error(const Result<std::shared_ptr<const RuleSet>>& r, const std::string& where,
                  const std::string& what) {
  ASSERT_FALSE(r.ok()) << "expected an error at " << where;
  EXPECT_EQ(r.error().kind, Error::Kind::kBadInput);
  EXPECT_NE(r.error().message.find(where), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find(what), std::string::npos) << r.error().message;
}

TEST(RulePack, GoodPackLoads) {
  auto r = load_with(good_rules());
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ((*r)->rules().size(), 1u);
  const Rule& rule = (*r)->rules()[0];
  EXPECT_EQ(rule.id, "r1");
  EXPECT_EQ(rule.line, 5);
  EXPECT_EQ(rule.effective_from, date("2023-11-17"));
  EXPECT_EQ(rule.effective_to, Date::max());
  EXPECT_FALSE((*r)->version().empty());
}

TEST(RulePack, WrongTypeNamesFileLineField) {
  expect_error(load_with(good_with("eccn: [3A090]", "eccn: {gte: 3}")), "pack.yaml:10",
               "rules[0] (r1).when.all[0].eccn");
  expect_error(load_with(good_with("confidence: V", "confidence: maybe")), "pack.yaml:14",
               "rules[0] (r1).confidence");
  expect_error(load_with(good_with("- destination_group: [D:5]", "- tpp: 4800")), "pack.yaml:11",
               "comparison");
}

TEST(RulePack, UnknownPredicateSuggestsTheNearestOne) {
  auto r = load_with(good_with("destination_group:", "destination_grop:"));
  expect_error(r, "pack.yaml:11", "unknown predicate 'destination_grop'");
  EXPECT_NE(r.error().message.find("destination_group"), std::string::npos);
}

TEST(RulePack, MissingCitation) {
  expect_error(load_with(good_with("    citation: 15 CFR 742.6\n", "")), "pack.yaml:5",
               "rules[0] (r1).citation: missing");
}

TEST(RulePack, BadDate) {
  expect_error(load_with(good_with("2023-11-17", "2023-02-30")), "pack.yaml:7",
               "rules[0] (r1).effective_from: bad date '2023-02-30'");
  expect_error(load_with(good_with("effective_from: 2023-11-17",
                                   "effective_from: 2023-11-17\n    effective_to: 2023-01-01")),
               "pack.yaml:8", "before effective_from");
}

TEST(RulePack, UnknownValuesAreErrors) {
  expect_error(load_with(good_with("[D:5]", "[D:6]")), "pack.yaml:11", "unknown country group 'D:6'");
  expect_error(load_with(good_with("outcome: license_required", "outcome: licence_required")), "pack.yaml:12",
               "unknown outcome 'licence_required'");
  expect_error(load_with(good_with("- eccn: [3A090]", "- end_use: [militray]")), "pack.yaml:10",
               "did you mean 'military'");
  expect_error(load_with(good_with("- eccn: [3A090]", "- destination: [China]")), "pack.yaml:10",
               "ISO 3166-1");
  expect_error(
      load_with(good_with("    title: chips to D:5\n", "    title: chips to D:5\n    colour: red\n")),
      "pack.yaml:7", "unknown key");
  expect_error(load_with(good_with("jurisdiction: US-EAR", "jurisdiction: EU")), "pack.yaml:3",
               "unknown jurisdiction");
}

TEST(RulePack, YamlSyntaxErrorHasALine) {
  expect_error(load_with(good_with("        - eccn: [3A090]", "        - eccn: [3A090")),
               "pack.yaml:", "YAML syntax");
}

TEST(RulePack, DanglingReferencesAndDuplicates) {
  std::string s = good_rules() + R"(  - id: r2
    title: exception
    effective_from: 2024-01-01
    when: {always: true}
    outcome: license_exception
    exception: {name: NAC}
    overcomes: [r9]
    citation: 740.8
    confidence: S
)";
  expect_error(load_with(s), "pack.yaml:15", "'r9' names no rule");
  std::string dup = good_rules() + R"(  - id: r1
    title: again
    effective_from: 2024-01-01
    when: {always: true}
    outcome: advisory
    citation: x
    confidence: S
)";
  expect_error(load_with(dup), "pack.yaml:15", "duplicate rule id 'r1'");
}

TEST(RulePack, ABadPackNeverHalfLoads) {
  // The first file is fine, the second is not: nothing is returned, and a correct directory still loads.
  std::string other =
      "kind: rules\npack: b\njurisdiction: CN\nrules:\n  - id: c1\n    title: t\n    effective_from: "
      "2024-13-01\n"
      "    when: {always: true}\n    outcome: advisory\n    citation: x\n    confidence: V\n";
  auto r = RuleSet::load({{"vocabulary.yaml", kVocabulary},
                          {"groups.yaml", kGroups},
                          {"a.yaml", good_rules()},
                          {"b.yaml", other}});
  expect_error(r, "b.yaml:7", "effective_from");
}

TEST(RulePack, BundledPacksLoadFromAnyDirectory) {
  namespace fs = std::filesystem;
  fs::path tmp = fs::temp_directory_path() / ("clearance-rules-" + std::to_string(::getpid()));
  fs::remove_all(tmp);
  fs::create_directories(tmp / "packs");
  fs::copy(testing::data_dir() + "/rules", tmp / "packs", fs::copy_options::recursive);
  auto r = RuleSet::load_dir((tmp / "packs").string());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_GT((*r)->rules().size(), 40u);
  EXPECT_GT((*r)->classification().size(), 8u);
  auto bundled = RuleSet::load_dir(testing::data_dir() + "/rules");
  ASSERT_TRUE(bundled.ok());
  EXPECT_EQ((*r)->version(), (*bundled)->version());  // the version does not depend on where the packs live
  // Break one file: the directory no longer loads, naming that file.
  ASSERT_TRUE(write_file_atomic((tmp / "packs" / "cn" / "dual-use.yaml").string(),
                                "kind: rules\npack: x\njurisdiction: CN\nrules: 7\n")
                  .ok());
  auto broken = RuleSet::load_dir((tmp / "packs").string());
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().message.find("dual-use.yaml:4"), std::string::npos) << broken.error().message;
  fs::remove_all(tmp);
}

TEST(CountryGroups, DatedMembership) {
  auto r = load_with(good_rules());
  ASSERT_TRUE(r.ok());
  const auto& g = (*r)->groups();
  EXPECT_FALSE(g.in("NI", "D:5", date("2024-03-14")));
  EXPECT_TRUE(g.in("NI", "D:5", date("2024-03-15")));
  EXPECT_TRUE(g.in("KH", "D:5", date("2026-02-02")));
  EXPECT_FALSE(g.in("KH", "D:5", date("2026-02-03")));
  EXPECT_TRUE(g.in("CN", "D:5", date("2000-01-01")));
  EXPECT_EQ(g.uncertain_facts("KH", date("2026-01-01")).size(), 0u);  // the removal is not relied on yet
  EXPECT_EQ(g.uncertain_facts("KH", date("2026-03-01")).size(), 1u);
}

TEST(CountryGroups, BundledGroupsFollowDomainChanges) {
  auto e = testing::engine();
  ASSERT_TRUE(e);
  const auto& g = e->rules().groups();
  EXPECT_TRUE(g.in("CY", "D:5", date("2024-05-29")));
  EXPECT_FALSE(g.in("CY", "D:5", date("2024-05-30")));
  EXPECT_FALSE(g.in("AE", "A:5", date("2026-07-09")));
  EXPECT_TRUE(g.in("AE", "A:5", date("2026-07-10")));
  EXPECT_TRUE(g.in("AE", "D:4", date("2026-07-09")));
  EXPECT_FALSE(g.in("AE", "D:4", date("2026-07-10")));
  EXPECT_TRUE(g.in("HK", "D:5", date("2024-01-01")));  // treated as China
  EXPECT_FALSE(g.in("MO", "D:5", date("2024-01-01")));
  EXPECT_TRUE(g.in("MO", "D:1", date("2024-01-01")));
}

TEST(Date, ParsesOnlyRealDates) {
  EXPECT_TRUE(Date::parse("2024-02-29"));
  EXPECT_FALSE(Date::parse("2023-02-29"));
  EXPECT_FALSE(Date::parse("2023-1-01"));
  EXPECT_FALSE(Date::parse("20230101"));
  EXPECT_EQ(date("2024-12-31").plus_days(1).to_string(), "2025-01-01");
}

}  // namespace
}  // namespace clearance
