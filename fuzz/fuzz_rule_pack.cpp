// Rule packs, country groups and the vocabulary (RuleSet::load): the first line names a file
// ("us-ear/embargoes.yaml", "country-groups.yaml", "vocabulary.yaml"), the rest is its YAML. It is
// loaded with the bundled country groups and vocabulary (which it replaces when it is one of them):
// the other packs would only slow each run.
#include "clearance/rules/rule_pack.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clearance;
  static const auto kBundled = fuzz::bundled_tree("rules", ".yaml");
  auto [name, text] = fuzz::head_and_rest(fuzz::text_of(data, size));
  std::vector<PackSource> sources;
  bool replaced = false;
  for (auto& [path, contents] : kBundled) {
    if (path != "country-groups.yaml" && path != "vocabulary.yaml") continue;
    bool it = path == name;
    replaced = replaced || it;
    sources.push_back({path, it ? std::string(text) : contents});
  }
  if (!replaced) sources.push_back({std::string(name), std::string(text)});
  (void)RuleSet::load(sources);
  return 0;
}
