// The YAML examples of docs/RULES.md load: a rule example together with the bundled packs, an item
// example as a catalogue of its own.
#include <gtest/gtest.h>

#include <filesystem>

#include "clearance/common/files.hpp"
#include "rules/rules_support.hpp"

namespace clearance {
namespace {

std::vector<std::string> yaml_blocks(const std::string& md) {
  std::vector<std::string> out;
  size_t p = 0;
  while ((p = md.find("```yaml\n", p)) != std::string::npos) {
    p += 8;
    size_t e = md.find("```", p);
    if (e == std::string::npos) break;
    out.push_back(md.substr(p, e - p));
    p = e + 3;
  }
  return out;
}

TEST(DocsExamples, RulesMdYamlExamplesLoad) {
  std::string path = testing::data_dir() + "/../docs/RULES.md";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "docs/RULES.md not found next to data/";
  auto md = read_file(path);
  ASSERT_TRUE(md.ok());
  auto e = testing::engine();
  ASSERT_TRUE(e);
  int rules = 0, items = 0;
  for (const auto& block : yaml_blocks(*md)) {
    if (block.rfind("kind: rules", 0) == 0) {
      std::vector<PackSource> sources;
      for (const auto& f : e->rules().files()) {
        auto t = read_file(f);
        ASSERT_TRUE(t.ok());
        sources.push_back({f, *t});
      }
      sources.push_back({"RULES.md example", block});
      auto r = RuleSet::load(sources);
      EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
      ++rules;
    } else if (block.rfind("kind: items", 0) == 0) {
      auto c = Catalogue::load({{"RULES.md example", block}}, e->rules());
      EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
      ++items;
    }
  }
  EXPECT_GE(rules, 1);
  EXPECT_GE(items, 1);
}

}  // namespace
}  // namespace clearance
