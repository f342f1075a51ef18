// Issue 9 ("hangs"): a rule pack or catalogue of nested YAML anchors is refused with the file and
// line, instead of being expanded into exponentially many nodes by the readers.
#include <gtest/gtest.h>

#include <string>

#include "clearance/common/yaml.hpp"
#include "clearance/items/catalogue.hpp"
#include "clearance/rules/rule_pack.hpp"
#include "rules/rules_support.hpp"

namespace clearance {
namespace {

const char* kVocabulary = R"(kind: vocabulary
jurisdictions: [{id: US-EAR, name: US}]
end_uses: {military: military use}
item_kinds: {chip: chip, material: material}
)";

const char* kGroups = R"(kind: country_groups
groups:
  - {name: D:5, citation: Supp. 1, confidence: V, members: [CN]}
)";

// `depth` levels of anchors, each an `any` of two aliases to the level below: 2^depth leaves
// once expanded, from a file of a few dozen lines.
std::string laughing_pack(int depth) {
  std::string s =
      "kind: rules\npack: laughs\njurisdiction: US-EAR\ndefinitions:\n  l0: &l0 {destination: [CN]}\n";
  for (int i = 1; i <= depth; ++i)
    s += "  l" + std::to_string(i) + ": &l" + std::to_string(i) + " {any: [*l" + std::to_string(i - 1) +
         ", *l" + std::to_string(i - 1) + "]}\n";
  s += "rules:\n  - id: r1\n    title: t\n    effective_from: 2024-01-01\n    when: *l" +
       std::to_string(depth) + "\n    outcome: license_required\n    citation: c\n    confidence: V\n";
  return s;
}

TEST(Issue9Hang, NestedYamlAnchorsInARulePackAreRefusedNotExpanded) {
  // 2^40 leaves: before the limit the condition parser copied them into conditions without end.
  auto r = RuleSet::load(
      {{"vocabulary.yaml", kVocabulary}, {"groups.yaml", kGroups}, {"laughs.yaml", laughing_pack(40)}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, Error::Kind::kBadInput);
  EXPECT_NE(r.error().message.find("laughs.yaml:"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("aliases"), std::string::npos) << r.error().message;
  // A few levels of shared definitions are what packs are for: they load.
  auto small = RuleSet::load(
      {{"vocabulary.yaml", kVocabulary}, {"groups.yaml", kGroups}, {"laughs.yaml", laughing_pack(4)}});
  ASSERT_TRUE(small.ok()) << small.error().message;
  EXPECT_EQ((*small)->rules().size(), 1u);
}

TEST(Issue9Hang, NestedYamlAnchorsInTheCatalogueAreRefused) {
  auto rules = RuleSet::load({{"vocabulary.yaml", kVocabulary}, {"groups.yaml", kGroups}});
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  std::string s =
      "kind: items\ndescription: &d0 x\nitems:\n  - id: a\n    name: a\n    kind: material\n"
      "    confidence: V\n    notes: y\n";
  std::string defs =
      "kind: items\ndescription: x\nitems:\n  - &l0 {id: a, name: a, kind: material, confidence: V}\n";
  for (int i = 1; i <= 30; ++i)
    defs += "  - &l" + std::to_string(i) + " [*l" + std::to_string(i - 1) + ", *l" + std::to_string(i - 1) +
            "]\n";
  auto c = Catalogue::load({{"items/laughs.yaml", defs}}, **rules);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("items/laughs.yaml:"), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().message.find("nodes"), std::string::npos) << c.error().message;
  auto ok = Catalogue::load({{"items/one.yaml", s}}, **rules);
  EXPECT_TRUE(ok.ok()) << ok.error().message;
}

TEST(Issue9Hang, YamlNodeAndAliasLimitsCountExpandedNodes) {
  detail::YamlLimits tight{100, 10};
  // 60 plain nodes: within the limit.
  std::string plain = "[";
  for (int i = 0; i < 59; ++i) plain += (i ? ", " : "") + std::to_string(i);
  plain += "]";
  EXPECT_NO_THROW(detail::parse_yaml(plain, "plain.yaml", tight));
  // Two aliases of a 60-node list: 181 nodes once expanded.
  std::string shared = "a: &a " + plain + "\nb: *a\nc: *a\n";
  try {
    detail::parse_yaml(shared, "shared.yaml", tight);
    ADD_FAILURE() << "expected the expanded size to be refused";
  } catch (const detail::PackError& e) {
    EXPECT_NE(std::string(e.what()).find("shared.yaml:2"), std::string::npos) << e.what();
  }
  // Eleven aliases of a scalar: too many aliases, whatever their size.
  std::string many = "a: &a 1\nb: [";
  for (int i = 0; i < 11; ++i) many += (i ? ", " : "") + std::string("*a");
  many += "]\n";
  try {
    detail::parse_yaml(many, "many.yaml", tight);
    ADD_FAILURE() << "expected the alias count to be refused";
  } catch (const detail::PackError& e) {
    EXPECT_NE(std::string(e.what()).find("more than 10 aliases"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace clearance
